//! Listen-call arguments as expressions: the text of a call's arguments, and the port an
//! argument resolves to (literals, `host:port`, tuples, wrappers, env fallbacks, names declared
//! in the same file). Text is only read here; the port leaves as a number.

/// The argument text of every call to `callee` (up to its closing parenthesis), with its offset.
pub(super) fn call_args<'a>(
    text: &'a str,
    callee: &'a str,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    text.match_indices(callee).filter_map(move |(at, _)| {
        // `serve(` must be the callee itself, not the end of `observe(`.
        let before = text[..at].chars().next_back();
        if !callee.starts_with('.') && before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return None;
        }
        paren_content(&text[at + callee.len() - 1..]).map(|args| (at, args))
    })
}

/// What the first `(` of `text` encloses, up to its matching `)` (within 600 characters).
pub(super) fn paren_content(text: &str) -> Option<&str> {
    let open = text.find('(')?;
    let rest = &text[open + 1..];
    let mut depth = 0usize;
    for (i, c) in rest.char_indices().take(600) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return Some(&rest[..i]),
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Top-level comma-separated parts of an argument list.
pub(super) fn split_args(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut quote) = (0usize, 0, None);
    for (i, c) in args.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The value of `key:` in an object literal `{ … }`.
pub(super) fn object_key<'a>(expr: &'a str, key: &str) -> Option<&'a str> {
    let inner = expr
        .trim()
        .strip_prefix('{')?
        .strip_suffix('}')
        .unwrap_or_default();
    split_args(inner)
        .into_iter()
        .find_map(|p| p.strip_prefix(key)?.trim_start().strip_prefix(':'))
        .map(str::trim)
}

/// Resolves an expression to a port: literals, `host:port` strings (never URLs), `(host, port)`
/// tuples, `Number(…)`/`int(…)` wrappers, `env || default`, `":" + port`, `.unwrap_or(3000)`,
/// and names declared in the same file (`const PORT = …`, `PORT = int(os.getenv("PORT", "8000"))`).
pub(super) fn port_of(expr: &str, text: &str, depth: usize) -> Option<u16> {
    let expr = expr.trim().trim_start_matches(['&', '*']).trim();
    if depth == 0 || expr.is_empty() || expr.contains("://") {
        return None;
    }
    if let Some(port) = literal(expr) {
        return Some(port);
    }
    // A method chain on a string literal: `"0.0.0.0:3000".parse()`.
    if let Some(quote) = expr
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))
    {
        let inner = &expr[1..];
        return literal(&inner[..inner.find(quote)?]);
    }
    for op in ["||", "??", " or ", "+"] {
        if let Some((_, right)) = top_split(expr, op) {
            return port_of(right, text, depth - 1);
        }
    }
    if let Some((_, after)) = expr.rsplit_once(".unwrap_or") {
        let args = paren_content(after)?;
        let value = args.rsplit('|').next().unwrap_or(args);
        return port_of(
            value
                .trim_end_matches(".to_string()")
                .trim_end_matches(".into()"),
            text,
            depth - 1,
        );
    }
    if let Some(open) = expr.find('(') {
        let args = &expr[open + 1..];
        let args = args.strip_suffix(')').unwrap_or(args);
        let parts = split_args(args);
        // `format!("0.0.0.0:{port}")`.
        if let Some(name) = parts
            .first()
            .and_then(|f| f.split_once('{'))
            .and_then(|(_, r)| r.split_once('}'))
            .map(|(n, _)| n)
            && !name.is_empty()
        {
            return port_of(name, text, depth - 1);
        }
        // `(host, port)` tuples and `SocketAddr::from(([0, 0, 0, 0], 3000))` end with the port;
        // other calls (`Number(x)`, `getenv("PORT", "8000")`, `flag.String("addr", ":8080", …)`)
        // hold it in the first argument that resolves.
        let tuple = if parts.len() == 1 && parts[0].starts_with('(') {
            split_args(parts[0].trim_start_matches('(').trim_end_matches(')'))
        } else {
            parts.clone()
        };
        let host_first = |h: &&str| {
            is_host(h.trim_matches(['"', '\'']))
                || h.starts_with('[')
                || h.contains("Ipv4Addr")
                || h.contains("IpAddr")
        };
        if tuple.len() == 2 && tuple.first().is_some_and(host_first) {
            return tuple.last().and_then(|p| port_of(p, text, depth - 1));
        }
        return parts.iter().find_map(|p| port_of(p, text, depth - 1));
    }
    let name = expr.rsplit(['.', ':']).next().unwrap_or(expr);
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_name || name.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    declaration(text, name).and_then(|rhs| port_of(rhs, text, depth - 1))
}

/// The last top-level (outside brackets and quotes) occurrence of `op`: `(left, right)`.
pub(super) fn top_split<'a>(expr: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let (mut depth, mut quote, mut found) = (0usize, None, None);
    for (i, c) in expr.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, _) if depth == 0 && expr[i..].starts_with(op) => found = Some(i),
            _ => {}
        }
    }
    found.map(|i| (&expr[..i], &expr[i + op.len()..]))
}

/// `3000`, `"8080"`, `":8080"`, `"0.0.0.0:8080"`, `"127.0.0.1:3000"`.
pub(super) fn literal(expr: &str) -> Option<u16> {
    let inner = expr
        .trim_matches(['"', '\'', '`'])
        .trim_end_matches(".to_string()");
    let digits = match inner.rsplit_once(':') {
        Some((host, port)) if host.is_empty() || is_host(host) => port,
        Some(_) => return None,
        None => inner,
    };
    let digits = digits.trim_end_matches(['"', '\'', '`']).replace('_', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let port: u16 = digits.parse().ok()?;
    (port == 80 || port >= 1024).then_some(port)
}

pub(super) fn is_host(host: &str) -> bool {
    matches!(
        host,
        "0.0.0.0" | "127.0.0.1" | "localhost" | "[::]" | "::" | "[::1]"
    )
}

/// The right-hand side of `name`'s declaration in `text`.
pub(super) fn declaration<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let line = [
            "const ",
            "let ",
            "var ",
            "static ",
            "pub const ",
            "let mut ",
        ]
        .iter()
        .find_map(|kw| line.strip_prefix(kw))
        .unwrap_or(line);
        let rest = line.strip_prefix(name)?;
        let rest = rest.trim_start();
        // `PORT: u16 = 3000` (Rust, TypeScript), `port := "8080"` (Go).
        let rest = match rest.strip_prefix(':') {
            Some(typed) if !typed.starts_with('=') => typed.split_once('=')?.1,
            Some(walrus) => walrus.strip_prefix('=')?,
            None => rest.strip_prefix('=').filter(|r| !r.starts_with('='))?,
        };
        Some(rest.trim().trim_end_matches(';'))
    })
}
