//! Turning downloaded bytes into text.
//!
//! Official files come in several encodings (UTF-8, Latin-1, Windows-1252,
//! occasionally UTF-16 from a spreadsheet's "Unicode Text" export), and users
//! sometimes hand over a workbook, an archive or an error page instead of the
//! CSV. Decoding never fails on odd bytes; it fails only on input that is not
//! text at all, with a message that says what the input is instead.

use super::ImportError;

/// Decodes a file's bytes to text. Census files before 2020 are Latin-1 and
/// BJS tables carry Windows-1252 dashes, while newer files are UTF-8 and a
/// re-saved file may mix both, so valid UTF-8 sequences are kept and every
/// other byte is read as Windows-1252 (a superset of Latin-1's printable
/// range). Line structure is preserved so line numbers stay true.
pub(crate) fn decode(file: &str, bytes: &[u8]) -> Result<String, ImportError> {
    if let Some((detail, fix)) = binary_signature(bytes) {
        return Err(ImportError::NotText { file: file.into(), detail: detail.into(), fix: fix.into() });
    }
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(rest, true)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(rest, false)
    } else {
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        if let Some(pos) = body.iter().position(|b| *b == 0) {
            return Err(ImportError::NotText {
                file: file.into(),
                detail: format!(
                    "it contains a zero byte at byte {} (line {}), which text files never do",
                    pos + 1,
                    line_of_offset(body, pos)
                )
                .into(),
                fix: "if it was saved as \"Unicode Text\" or UTF-16, save it again as \"CSV UTF-8\"; otherwise download the CSV file again"
                    .into(),
            });
        }
        decode_mixed(body)
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err(ImportError::Empty { file: file.into() });
    }
    check_controls(file, &text)?;
    Ok(text)
}

pub(crate) fn strip_boms(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

/// Recognises formats users commonly hand over by mistake, so the message
/// can say what to do with them instead of complaining about columns.
fn binary_signature(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    const SAVE_AS_CSV: &str = "open it in a spreadsheet program and save the sheet as CSV, or download the CSV version of the file";
    if bytes.starts_with(b"PK\x03\x04") {
        return Some((
            "it is a ZIP archive, which is also how Excel .xlsx workbooks are stored",
            "unzip it and import the CSV inside, or if it is a workbook, open it and save the sheet as CSV",
        ));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(("it is an old Excel .xls workbook", SAVE_AS_CSV));
    }
    if bytes.starts_with(&[0x1F, 0x8B]) {
        return Some(("it is gzip-compressed", "decompress it first (for example with gunzip) and import the .csv file"));
    }
    if bytes.starts_with(b"%PDF") {
        return Some(("it is a PDF document", "download the CSV version of the table from the same page"));
    }
    let head: Vec<u8> = strip_boms(bytes).iter().skip_while(|b| b.is_ascii_whitespace()).take(15).map(|b| b.to_ascii_lowercase()).collect();
    if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
        return Some((
            "it is a web page, probably an error or download page saved in place of the file",
            "open the link in a browser and download the CSV file itself",
        ));
    }
    None
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> String {
    let units =
        bytes.chunks_exact(2).map(|p| if little_endian { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) });
    char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// UTF-8 where the bytes are valid UTF-8, Windows-1252 for every byte that
/// is not.
pub(crate) fn decode_mixed(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                // `good` is valid by construction; the fallback cannot lose data.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len()).max(1).min(rest.len());
                out.extend(rest[..bad].iter().map(|b| windows_1252(*b)));
                bytes = &rest[bad..];
            }
        }
    }
}

/// One byte of Windows-1252. The five bytes the code page leaves undefined
/// map to the C1 controls of the same value, as web browsers do.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}',
        '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}',
        '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Rejects binary data that happens to decode: real CSV text has hardly
/// any control characters, random bytes have about one in ten.
fn check_controls(file: &str, text: &str) -> Result<(), ImportError> {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1a');
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut first_bad: Option<(usize, char)> = None;
    let mut line = 1usize;
    for c in text.chars() {
        total += 1;
        if c == '\n' {
            line += 1;
        }
        if is_bad(c) {
            bad += 1;
            first_bad.get_or_insert((line, c));
        }
    }
    if bad * 100 > total {
        let (line, c) = first_bad.unwrap_or((1, '\0'));
        return Err(ImportError::NotText {
            file: file.into(),
            detail: format!("{bad} of its {total} characters are control characters, the first (U+{:04X}) on line {line}", u32::from(c))
                .into(),
            fix: "it is probably binary data or a damaged download; download the CSV file again".into(),
        });
    }
    Ok(())
}

fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Shortens a cell or line for a message, on a character boundary, and
/// makes line breaks visible.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    let s = s.trim_end_matches(['\r', '\n']);
    let mut out: String = s
        .chars()
        .take(MAX)
        .map(|c| match c {
            '\n' | '\r' => '⏎',
            c if c.is_control() => '�',
            c => c,
        })
        .collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_latin1_utf8_and_1252() {
        assert_eq!(decode_mixed(b"Do\xf1a Ana"), "Doña Ana");
        assert_eq!(decode_mixed("Doña Ana".as_bytes()), "Doña Ana");
        assert_eq!(decode_mixed(b"2021\x962022"), "2021–2022");
        assert_eq!(decode_mixed(b"on\xa0parole"), "on\u{a0}parole");
        // Mixed: a valid UTF-8 ñ next to a stray 1252 dash.
        assert_eq!(decode_mixed(b"Do\xc3\xb1a \x96 x"), "Doña – x");
        // A lead byte cut off at the very end.
        assert_eq!(decode_mixed(b"abc\xe2"), "abcâ");
    }

    #[test]
    fn decode_rejects_non_text() {
        let e = decode("x.csv", b"PK\x03\x04rest").unwrap_err();
        assert!(e.to_string().contains("ZIP"), "{e}");
        assert!(matches!(decode("x.csv", b"   \r\n"), Err(ImportError::Empty { .. })));
        assert!(matches!(decode("x.csv", b"\xEF\xBB\xBF"), Err(ImportError::Empty { .. })));
        assert!(matches!(decode("x.csv", b"a,b\0c"), Err(ImportError::NotText { .. })));
        let junk: Vec<u8> = (0u8..=255).filter(|b| *b != 0).cycle().take(2000).collect();
        assert!(matches!(decode("x.csv", &junk), Err(ImportError::NotText { .. })));
        // UTF-16 as Excel's "Unicode Text" writes it.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "geoid,population\n06,1\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode("x.csv", &utf16).unwrap(), "geoid,population\n06,1\n");
    }

    #[test]
    fn shorten_cuts_on_char_boundaries() {
        let long = "ñ".repeat(100);
        let s = shorten(&long);
        assert_eq!(s.chars().count(), 61);
        assert_eq!(shorten("a\nb"), "a⏎b");
    }
}
