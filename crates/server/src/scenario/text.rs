//! Display names: what a name may contain, checked here and published in the
//! OpenAPI document as a regular expression.

use super::MAX_NAME;
use crate::problem::Problem;

/// The characters `str::trim` removes (Unicode White_Space), as inclusive
/// ranges; a test checks them against `char::is_whitespace`.
pub const WHITESPACE: &[(char, char)] = &[
    ('\t', '\r'),
    (' ', ' '),
    ('\u{85}', '\u{85}'),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
];

/// The characters a name may not contain (`safetygap_core::text::refused_char`:
/// control characters, line and paragraph separators, bidirectional
/// controls), as inclusive ranges; a test checks them against it.
pub const REFUSED: &[(char, char)] = &[
    ('\u{0}', '\u{1f}'),
    ('\u{7f}', '\u{9f}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{200e}', '\u{200f}'),
    ('\u{2028}', '\u{202e}'),
    ('\u{2066}', '\u{2069}'),
];

/// A regular-expression character class body of the ranges (`\u0009-\u000d...`).
pub fn class(ranges: &[&[(char, char)]]) -> String {
    let mut out = String::new();
    for (a, b) in ranges.iter().flat_map(|r| r.iter()) {
        out.push_str(&format!("\\u{:04x}", *a as u32));
        if a != b {
            out.push_str(&format!("-\\u{:04x}", *b as u32));
        }
    }
    out
}

/// The regular expression (ECMA 262, also valid for Python's `re`) of the
/// text [`check_text`] accepts apart from its length: after trimming
/// white space it is not empty and has none of the [`REFUSED`] characters.
pub fn text_pattern() -> String {
    let (ws, refused) = (class(&[WHITESPACE]), class(&[REFUSED]));
    let solid = class(&[WHITESPACE, REFUSED]);
    format!("^[{ws}]*[^{solid}](?:[^{refused}]*[^{solid}])?[{ws}]*$")
}

/// Checks a display name: at most [`MAX_NAME`] characters, not blank, no
/// control characters once trimmed (the document's [`text_pattern`]).
/// Returns it trimmed.
pub fn check_text(pointer: &str, s: &str, what: &str) -> Result<String, Problem> {
    let t = s.trim();
    if s.chars().count() > MAX_NAME {
        return Err(Problem::invalid_at(pointer, format!("the {what} is longer than {MAX_NAME} characters; shorten it.")));
    }
    if t.is_empty() {
        return Err(Problem::invalid_at(pointer, format!("the {what} is empty; give some text or leave the field out.")));
    }
    if let Some(why) = safetygap_core::text::name_problem(t) {
        return Err(Problem::invalid_at(pointer, format!("the {what} {why}.")));
    }
    Ok(t.to_string())
}
