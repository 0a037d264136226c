//! Formatting shared by the CLI and the TUI: sizes as a person reads them, and text tables.

/// `1.5 KiB`, `12.0 MiB`: binary units, one decimal from KiB up.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 file`, `2,048 files`: a count with its noun in the right number.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Left-aligned columns separated by three spaces, as Docker's tables are.
pub fn columns(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    (*c).to_owned()
                } else {
                    format!("{c:<w$}   ", w = widths[i])
                }
            })
            .collect::<String>()
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push('\n');
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod columns_tests {
    #[test]
    fn columns_line_up() {
        let text = super::columns(
            &["NAME", "STATUS"],
            &[vec!["web-1".into(), "running(1)".into()]],
        );
        assert_eq!(text, "NAME    STATUS\nweb-1   running(1)");
    }

    #[test]
    fn thousands_are_grouped() {
        let shown: Vec<String> = [0, 999, 1000, 1_234_567].map(super::thousands).into();
        assert_eq!(shown, ["0", "999", "1,000", "1,234,567"]);
        assert_eq!(super::counted(1, "file", "files"), "1 file");
        assert_eq!(super::counted(2048, "entry", "entries"), "2,048 entries");
    }
}
