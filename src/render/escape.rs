//! Escaping text for every output format, in one place (HTML is escaped
//! by the `maud` templates that write it).

use std::fmt::Write as _;

/// Text for a Markdown table cell or paragraph: characters Markdown or
/// inline HTML would interpret are backslash-escaped or turned into
/// entities, and newlines become `<br>` so a cell stays on its row.
pub(crate) fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL for a Markdown autolink (`<url>`), which ends at the first space
/// or `>` and takes no escapes: those characters, `<` and control
/// characters are percent-encoded, which keeps the address the same.
pub(crate) fn autolink(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c == ' ' || c == '<' || c == '>' || c.is_control() {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` in double quotes, with `\` and `"` escaped by a backslash and a
/// newline written `\n`; every other control character is written by
/// `control`, which differs by format.
pub(crate) fn backslashed(s: &str, control: impl Fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => control(c, &mut out),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A double-quoted Graphviz DOT string (a carriage return is dropped).
pub(crate) fn dot(s: &str) -> String {
    backslashed(s, |c, out| {
        if c != '\r' {
            out.push(c);
        }
    })
}

/// A double-quoted Mermaid label: quotes and characters Mermaid treats
/// specially become `#code;` entities.
pub(crate) fn mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A node id for DOT or Mermaid made of letters, digits and `_` only, so
/// that no id can break the syntax; `n` keeps ids distinct.
pub(crate) fn node_id(prefix: &str, n: usize) -> String {
    format!("{prefix}{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_escapes_its_special_characters() {
        let hostile = "<script>\"a\" | b & c\nd #1";
        assert_eq!(
            markdown(hostile),
            "&lt;script&gt;\"a\" \\| b &amp; c<br>d \\#1"
        );
        assert_eq!(dot(hostile), "\"<script>\\\"a\\\" | b & c\\nd #1\"");
        assert_eq!(
            autolink("http://a.b/c d)e<f>\u{7f}\u{85}é"),
            "http://a.b/c%20d)e%3Cf%3E%7F%C2%85é"
        );
        assert_eq!(
            mermaid(hostile),
            "\"#lt;script#gt;#quot;a#quot; | b #amp; c d #35;1\""
        );
    }
}
