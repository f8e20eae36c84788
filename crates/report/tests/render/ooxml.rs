//! Reading Office Open XML (.xlsx) parts back in pure Rust, for tests.

use std::collections::BTreeMap;
use std::io::Read;

/// The workbook's parts by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid zip");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(name, s);
    }
    out
}

/// Undoes XML escaping.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Text between `open` (up to its `>`) and `close`, for each occurrence.
pub fn elements<'a>(xml: &'a str, open: &str, close: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        // Skip longer tag names that share the prefix (<c vs <col).
        if !after.starts_with([' ', '>', '/']) {
            rest = after;
            continue;
        }
        let gt = after.find('>').unwrap();
        let attrs = &after[..gt];
        if attrs.ends_with('/') {
            out.push((attrs, ""));
            rest = &after[gt + 1..];
            continue;
        }
        let body_start = &after[gt + 1..];
        let end = body_start.find(close).unwrap();
        out.push((attrs, &body_start[..end]));
        rest = &body_start[end + close.len()..];
    }
    out
}

/// An attribute's value.
pub fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = attrs.find(&key)? + key.len();
    Some(&attrs[i..i + attrs[i..].find('"')?])
}
