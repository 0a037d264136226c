//! `devbox doctor --fix`: the fixes that are safe to apply without asking for privileges —
//! creating `.env` from `.env.example`, or appending the keys it lacks. Never sudo.

use std::collections::BTreeMap;
use std::io::IsTerminal;

use super::project::EnvFiles;
use crate::domain::doctor::project::{env_additions, env_from_example};
use crate::fsio::write::write_atomic;

/// Applies the `.env` fix if one is needed; returns what was done.
pub fn env_file(env: &EnvFiles) -> Result<Option<String>, miette::Report> {
    let Some(example_text) = &env.example_text else {
        return Ok(None);
    };
    match &env.env_keys {
        None => {
            let answers = ask_for_empty_values(&env.example)?;
            let text = env_from_example(example_text, &answers);
            write_atomic(&env.env_path, &text)?;
            let unanswered = env
                .example
                .iter()
                .filter(|(k, v)| v.is_empty() && !answers.contains_key(k))
                .count();
            let note = if unanswered > 0 {
                format!(" ({unanswered} values left empty: fill them in)")
            } else {
                String::new()
            };
            Ok(Some(format!(
                "created {} from {}{note}",
                env.env_path.display(),
                env.example_path.display()
            )))
        }
        Some(present) => {
            let additions = env_additions(&env.example, present);
            if additions.is_empty() {
                return Ok(None);
            }
            let mut text = std::fs::read_to_string(&env.env_path).map_err(|err| {
                miette::miette!("could not read {}: {err}", env.env_path.display())
            })?;
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("# added by devbox doctor --fix from .env.example\n");
            text.push_str(&additions);
            write_atomic(&env.env_path, &text)?;
            Ok(Some(format!(
                "added {} keys to {}",
                additions.lines().count(),
                env.env_path.display()
            )))
        }
    }
}

/// Asks for each key the example leaves empty, when a person is at the terminal.
fn ask_for_empty_values(
    example: &[(String, String)],
) -> Result<BTreeMap<String, String>, miette::Report> {
    let mut answers = BTreeMap::new();
    if !std::io::stdin().is_terminal() {
        return Ok(answers);
    }
    for (key, value) in example.iter().filter(|(_, v)| v.is_empty()) {
        let _ = value;
        let secret = ["PASSWORD", "SECRET", "TOKEN", "KEY"]
            .iter()
            .any(|word| key.to_ascii_uppercase().contains(word));
        let answer = if secret {
            inquire::Password::new(&format!("{key}:"))
                .without_confirmation()
                .with_help_message("empty leaves it blank in .env")
                .prompt()
        } else {
            inquire::Text::new(&format!("{key}:"))
                .with_help_message("empty leaves it blank in .env")
                .prompt()
        };
        match answer {
            Ok(text) if !text.is_empty() => {
                answers.insert(key.clone(), text);
            }
            Ok(_) => {}
            Err(inquire::InquireError::OperationCanceled)
            | Err(inquire::InquireError::OperationInterrupted) => {
                return Err(miette::miette!("cancelled: .env was not written"));
            }
            Err(err) => return Err(miette::miette!("could not ask for {key}: {err}")),
        }
    }
    Ok(answers)
}
