//! Checks on free text people type that is later shown to others: names of
//! places and saved plans.

/// The first character a name may not contain, if any: control characters
/// (escape codes, line breaks, NUL), the Unicode line and paragraph
/// separators (U+2028, U+2029, which break lines like a newline), and the
/// bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C), with which `evil\u{202e}fdp.exe` displays as
/// "evilexe.pdf".
pub fn refused_char(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    })
}

/// Why a name is refused, in words, or None when it is fine.
pub fn name_problem(s: &str) -> Option<String> {
    refused_char(s).map(|c| {
        let what = if c.is_control() {
            "a control character (such as a line break or an escape code)"
        } else if matches!(c, '\u{2028}' | '\u{2029}') {
            "a line or paragraph separator"
        } else {
            "a bidirectional-text control, which can make text display in a misleading order"
        };
        format!("contains {what}, U+{:04X}; use plain text on one line", c as u32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_controls_separators_and_bidi() {
        for s in ["a\u{1b}[31mRED", "a\nb", "a\u{2028}b", "a\u{2029}b", "evil\u{202e}fdp.exe", "x\u{2066}y", "x\u{200f}", "\u{0}"] {
            assert!(refused_char(s).is_some(), "{s:?}");
            assert!(name_problem(s).unwrap().contains("U+"), "{s:?}");
        }
        for s in ["Oakland, CA", "Saint-Étienne", "東京", "O'Brien & Co. — plan 2"] {
            assert_eq!(refused_char(s), None, "{s:?}");
        }
    }
}
