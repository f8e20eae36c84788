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

/// A workbook read back: its parts, shared strings and sheet names.
pub struct Book {
    pub parts: BTreeMap<String, String>,
    pub strings: Vec<String>,
    pub sheets: Vec<String>,
}

/// A cell's value: text, or the number otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Book {
    pub fn read(bytes: &[u8]) -> Book {
        let parts = unzip(bytes);
        let strings = parts
            .get("xl/sharedStrings.xml")
            .map(|x| {
                elements(x, "<si", "</si>")
                    .into_iter()
                    .map(|(_, si)| elements(si, "<t", "</t>").iter().map(|t| unescape(t.1)).collect())
                    .collect()
            })
            .unwrap_or_default();
        let sheets =
            elements(&parts["xl/workbook.xml"], "<sheet", "</sheet>").iter().map(|(a, _)| unescape(attr(a, "name").unwrap())).collect();
        Book { parts, strings, sheets }
    }

    /// Sheet `n`'s XML (1-based).
    pub fn xml(&self, n: usize) -> &str {
        &self.parts[&format!("xl/worksheets/sheet{n}.xml")]
    }

    /// A `<c>` element's cached value: `None` when it has none.
    fn value(body: &str) -> Option<String> {
        elements(body, "<v", "</v>").first().map(|x| unescape(x.1))
    }

    /// A `<c>` element's text, shared or inline; `None` for other cells.
    fn text(&self, attrs: &str, body: &str) -> Option<String> {
        match attr(attrs, "t") {
            Some("s") => Some(self.strings[Self::value(body).unwrap_or_default().parse::<usize>().unwrap()].clone()),
            Some("inlineStr") => Some(unescape(elements(body, "<t", "</t>")[0].1)),
            _ => None,
        }
    }

    /// One line per cell of sheet `n`: `B4 =Drivers!E2 → 250000` or `A1 'text'`.
    pub fn sheet(&self, n: usize) -> Vec<String> {
        elements(self.xml(n), "<c", "</c>")
            .into_iter()
            .map(|(attrs, body)| {
                let r = attr(attrs, "r").unwrap();
                let v = Self::value(body).unwrap_or_default();
                match (elements(body, "<f", "</f>").first().map(|x| unescape(x.1)), self.text(attrs, body)) {
                    (Some(f), _) => format!("{r} ={f} → {v}"),
                    (None, Some(t)) => format!("{r} '{t}'"),
                    _ => format!("{r} {v}"),
                }
            })
            .collect()
    }

    /// The line of [`sheet`](Self::sheet) for cell `r` (empty when absent).
    pub fn cell(&self, n: usize, r: &str) -> String {
        self.sheet(n).into_iter().find(|l| l.split(' ').next() == Some(r)).unwrap_or_default()
    }

    /// Rows of sheet `n`: column letters → value (cells with neither a
    /// value nor a type left out).
    pub fn rows(&self, n: usize) -> Vec<BTreeMap<String, Cell>> {
        elements(self.xml(n), "<row", "</row>")
            .into_iter()
            .map(|(_, row)| {
                elements(row, "<c", "</c>")
                    .into_iter()
                    .filter(|(attrs, body)| !body.is_empty() || attr(attrs, "t").is_some())
                    .map(|(attrs, body)| {
                        let r = attr(attrs, "r").unwrap();
                        let col: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
                        let cell = match self.text(attrs, body) {
                            Some(t) => Cell::Text(t),
                            None => Cell::Number(Self::value(body).unwrap_or_default().parse().unwrap()),
                        };
                        (col, cell)
                    })
                    .collect()
            })
            .collect()
    }
}
