//! The interactive half of `devbox init`: walking the decision tree to its answers, each
//! question asked with inquire (detected values preselected, Esc goes back).

use miette::miette;

use crate::domain::wizard::tree::Input;
use crate::domain::wizard::{Answers, Question, Step, Value, Walk};

/// Walks the tree to its answers, asking where a terminal allows; `None` when interrupted.
pub(crate) fn settle(
    walk: &mut Walk,
    non_interactive: bool,
) -> Result<Option<Answers>, miette::Report> {
    loop {
        match walk.advance(non_interactive)? {
            Step::Done(answers) => return Ok(Some(*answers)),
            Step::Ask(question) => match ask(&question) {
                Ok(Some(value)) => {
                    walk.answer(value)?;
                }
                Ok(None) => {
                    walk.back();
                }
                Err(inquire::InquireError::OperationInterrupted) => return Ok(None),
                Err(err) => {
                    return Err(miette!(
                        "cannot ask the question \"{}\": {err}",
                        question.spec.prompt
                    ));
                }
            },
        }
    }
}

/// Asks one question with inquire. `Ok(None)` means the user pressed Esc (go back).
fn ask(question: &Question) -> Result<Option<Value>, inquire::InquireError> {
    let spec = question.spec;
    let help = format!("{} Default: {}. Esc goes back.", spec.help, question.reason);
    let outcome = match spec.input {
        Input::Select(choices) => {
            let labels: Vec<&str> = choices.iter().map(|c| c.label).collect();
            let start = match &question.default {
                Value::Choice(d) => choices.iter().position(|c| c.value == d).unwrap_or(0),
                _ => 0,
            };
            inquire::Select::new(spec.prompt, labels.clone())
                .with_starting_cursor(start)
                .with_help_message(&help)
                .prompt()
                .map(|label| {
                    let index = labels.iter().position(|l| *l == label).unwrap_or(0);
                    Value::Choice(choices[index].value.to_string())
                })
        }
        Input::MultiSelect(choices) => {
            let labels: Vec<&str> = choices.iter().map(|c| c.label).collect();
            let defaults: Vec<usize> = match &question.default {
                Value::Many(items) => choices
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| items.iter().any(|i| i == c.value))
                    .map(|(n, _)| n)
                    .collect(),
                _ => Vec::new(),
            };
            inquire::MultiSelect::new(spec.prompt, labels.clone())
                .with_default(&defaults)
                .with_help_message(&help)
                .prompt()
                .map(|picked| {
                    Value::Many(
                        picked
                            .iter()
                            .filter_map(|label| labels.iter().position(|l| l == label))
                            .map(|n| choices[n].value.to_string())
                            .collect(),
                    )
                })
        }
        Input::Port => {
            let default = match question.default {
                Value::Port(p) => p,
                _ => 8080,
            };
            inquire::CustomType::<u16>::new(spec.prompt)
                .with_default(default)
                .with_help_message(&help)
                .with_error_message("type a port number between 1 and 65535")
                .prompt()
                .map(Value::Port)
        }
    };
    match outcome {
        Ok(value) => Ok(Some(value)),
        Err(inquire::InquireError::OperationCanceled) => Ok(None),
        Err(err) => Err(err),
    }
}
