//! What a community already has: program → quantity, with its source.
//!
//! Parsed from text (CSV or TOML) rather than files so the engine stays free
//! of I/O; the caller reads the file and passes its name for error messages.

use crate::catalog::Catalog;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One existing program line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryItem {
    /// How many units exist (centers, beds, FTE staff, ...).
    pub quantity: f64,
    /// Where the count comes from.
    pub source: String,
    /// True when someone checked the count against the programs themselves.
    pub verified: bool,
}

/// Existing quantities by program id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Inventory {
    /// Items by program id.
    pub items: BTreeMap<String, InventoryItem>,
    /// Ids whose item is a default from public sources
    /// (`--inventory-defaults state`), not a local count.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub defaults: std::collections::BTreeSet<String>,
}

/// A problem in an inventory file.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryError {
    /// File name as given.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The column or key at fault.
    pub field: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for InventoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, " line {l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InventoryError {}

impl Inventory {
    /// Lays `local` over `self`: a local line replaces a default one.
    pub fn overlay(&mut self, local: Inventory) {
        for (id, item) in local.items {
            self.defaults.remove(&id);
            self.items.insert(id, item);
        }
    }

    /// Existing quantity of a program (0 when not listed).
    pub fn quantity(&self, id: &str) -> f64 {
        self.items.get(id).map_or(0.0, |i| i.quantity)
    }

    /// Parses an inventory, choosing CSV or TOML by the file name's
    /// extension (`.toml` is TOML, anything else CSV).
    pub fn parse(file: &str, text: &str, catalog: &Catalog) -> Result<Inventory, InventoryError> {
        if file.to_ascii_lowercase().ends_with(".toml") {
            Self::parse_toml(file, text, catalog)
        } else {
            Self::parse_csv(file, text, catalog)
        }
    }

    /// Parses `program,quantity,source,verified` CSV (source and verified
    /// optional).
    pub fn parse_csv(file: &str, text: &str, catalog: &Catalog) -> Result<Inventory, InventoryError> {
        let err = |line: Option<usize>, field: Option<&str>, message: String| InventoryError {
            file: file.to_string(),
            line,
            field: field.map(str::to_string),
            message,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(err(
                None,
                None,
                "the file is empty. Write a header `program,quantity,source,verified` and one line per program that exists.".into(),
            ));
        }
        if let Some(line) = unclosed_quote(text) {
            return Err(err(
                Some(line),
                None,
                "a quoted field opened on this line is never closed: a closing `\"` is missing. Close the quote.".into(),
            ));
        }
        let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers = rdr.headers().map_err(|e| err(Some(1), None, format!("cannot read the header: {e}.")))?.clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(pc), Some(qc)) = (col("program"), col("quantity")) else {
            return Err(err(
                Some(1),
                None,
                format!("the header is `{}`, but an inventory needs the columns `program` and `quantity` (and optionally `source`, `verified`). Fix the first line.", headers.iter().collect::<Vec<_>>().join(",")),
            ));
        };
        const COLUMNS: [&str; 4] = ["program", "quantity", "source", "verified"];
        for (i, h) in headers.iter().enumerate() {
            let known = COLUMNS.iter().any(|c| h.eq_ignore_ascii_case(c));
            if !known {
                return Err(err(
                    Some(1),
                    Some(h),
                    format!("the header has a column `{h}`, which an inventory does not use. The columns are program, quantity, source and verified; remove or rename it so no figure is silently ignored."),
                ));
            }
            if headers.iter().take(i).any(|p| p.eq_ignore_ascii_case(h)) {
                return Err(err(
                    Some(1),
                    Some(h),
                    format!("the header names the column `{h}` twice; keep one, so it is clear which figure counts."),
                ));
            }
        }
        let (sc, vc) = (col("source"), col("verified"));
        let mut inv = Inventory::default();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize);
                err(line, None, format!("this line is not valid CSV ({e}). Check quoting."))
            })?;
            let line = rec.position().map_or(0, |p| p.line() as usize);
            if rec.iter().all(|f| f.is_empty()) {
                continue;
            }
            if rec.len() > headers.len() {
                return Err(err(
                    Some(line),
                    None,
                    format!(
                        "this line has {} fields but the header has {} columns ({}). Remove the extra fields, or quote a source that contains a comma.",
                        rec.len(),
                        headers.len(),
                        headers.iter().collect::<Vec<_>>().join(",")
                    ),
                ));
            }
            if rec.iter().any(|f| f.contains('\n')) {
                return Err(err(
                    Some(line),
                    None,
                    "a quoted field opened on this line runs on to later lines: a closing `\"` is missing. Close the quote.".into(),
                ));
            }
            let program = rec.get(pc).unwrap_or("");
            let qty = rec.get(qc).unwrap_or("");
            let source = sc.and_then(|c| rec.get(c)).unwrap_or("").to_string();
            let verified = vc.and_then(|c| rec.get(c)).unwrap_or("");
            let verified = parse_bool(verified).ok_or_else(|| {
                err(Some(line), Some("verified"), format!("`{verified}` is not yes/no. Write true or false (or leave it empty)."))
            })?;
            let quantity = parse_quantity(qty).map_err(|m| err(Some(line), Some("quantity"), m))?;
            inv.insert(program, quantity, source, verified, catalog).map_err(|m| err(Some(line), Some("program"), m))?;
        }
        Ok(inv)
    }

    /// Parses TOML with one table per program:
    /// `[dv_shelter_bed]` `quantity = 12` `source = "..."` `verified = true`.
    pub fn parse_toml(file: &str, text: &str, catalog: &Catalog) -> Result<Inventory, InventoryError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            quantity: f64,
            #[serde(default)]
            source: String,
            #[serde(default)]
            verified: bool,
        }
        let err =
            |line: Option<usize>, field: Option<String>, message: String| InventoryError { file: file.to_string(), line, field, message };
        if text.trim().is_empty() {
            return Err(err(None, None, "the file is empty. Write one table per program, e.g. [dv_shelter_bed] quantity = 12.".into()));
        }
        let line_of = |off: usize| text[..off.min(text.len())].matches('\n').count() + 1;
        let table: BTreeMap<String, toml::Spanned<Raw>> = toml::from_str(text).map_err(|e| {
            err(
                e.span().map(|s| line_of(s.start)),
                None,
                format!(
                    "{} Each program is a table like [dv_shelter_bed] with quantity = 12, source = \"...\", verified = true.",
                    e.message().trim().replace("struct Raw", "a table with `quantity` (and optionally `source`, `verified`)")
                ),
            )
        })?;
        let mut inv = Inventory::default();
        for (id, raw) in table {
            let line = line_of(raw.span().start);
            let raw = raw.into_inner();
            let q = check_quantity(raw.quantity).map_err(|m| err(Some(line), Some(format!("{id}.quantity")), m))?;
            inv.insert(&id, q, raw.source, raw.verified, catalog).map_err(|m| err(Some(line), Some(id.clone()), m))?;
        }
        Ok(inv)
    }

    fn insert(&mut self, id: &str, quantity: f64, source: String, verified: bool, catalog: &Catalog) -> Result<(), String> {
        // A line above the tier is still a program: its existing count
        // tells what the goal tier would add.
        if catalog.any_benchmark(id).is_none() {
            let hint = crate::suggest::closest(id, catalog.benchmarks.iter().chain(&catalog.beyond_tier).map(|b| b.id.as_str()))
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!("`{id}` is not a program in the catalog.{hint} `safetygap catalog list` shows the ids."));
        }
        if self.items.contains_key(id) {
            return Err(format!("`{id}` is listed twice. Add the quantities into one line."));
        }
        self.items.insert(id.to_string(), InventoryItem { quantity, source, verified });
        Ok(())
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" | "estimated" => Some(false),
        "true" | "yes" | "y" | "1" | "verified" => Some(true),
        _ => None,
    }
}

fn parse_quantity(s: &str) -> Result<f64, String> {
    if s.is_empty() {
        return Err("the quantity is empty. Write how many units exist, e.g. 12 or 2.5 (0 if none).".into());
    }
    let cleaned: String = s.chars().filter(|&c| c != ',' && c != '_').collect();
    let v: f64 = cleaned.parse().map_err(|_| format!("`{s}` is not a number. Write how many units exist, e.g. 12 or 2.5."))?;
    check_quantity(v)
}

fn check_quantity(v: f64) -> Result<f64, String> {
    if !v.is_finite() {
        Err("the quantity must be a finite number.".into())
    } else if v < 0.0 {
        Err(format!("{v} is negative; an existing quantity is 0 or more."))
    } else if v > 1e9 {
        Err(format!("{v} is implausibly large for existing programs; check for a typo."))
    } else {
        Ok(v)
    }
}

/// The line of a quoted CSV field that the file never closes, if any. The
/// reader trims fields, so a quote opened on the last line and left open
/// (`dv_shelter_bed,"3` then end of file) would otherwise read as `3`. A
/// quote starts a quoted field only at the start of a field, as the CSV
/// reader reads it; `""` inside one is an escaped quote.
fn unclosed_quote(text: &str) -> Option<usize> {
    let (mut in_quotes, mut field_start, mut line, mut opened_on) = (false, true, 1, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else if c == '\n' {
                line += 1;
            }
            continue;
        }
        match c {
            '"' if field_start => {
                in_quotes = true;
                opened_on = line;
                field_start = false;
            }
            ',' | '\r' => field_start = true,
            '\n' => {
                line += 1;
                field_start = true;
            }
            _ => field_start = false,
        }
    }
    in_quotes.then_some(opened_on)
}

#[cfg(test)]
mod tests {
    use super::unclosed_quote;

    #[test]
    fn unclosed_quotes_are_found_where_the_csv_reader_would_open_them() {
        assert_eq!(unclosed_quote("a,\"b \"\"c\"\" d\"\n"), None, "escaped quotes inside a closed field");
        assert_eq!(unclosed_quote("a,12\" pipe\n"), None, "a quote inside an unquoted field is text");
        assert_eq!(unclosed_quote("a,b\r\nc,\"x\r\n"), Some(2));
        assert_eq!(unclosed_quote("p,q\nd,\"3\n"), Some(2));
        assert_eq!(unclosed_quote("p,q\nd,\"a\nb\nc\n"), Some(2));
    }

    /// `--tier floor --inventory have.csv` refused a standard line, and the
    /// standard tier a goal line: a program above the tier is still a
    /// program (its count tells what the goal tier would add).
    #[test]
    fn lines_above_the_tier_can_be_counted() {
        use crate::catalog::Tier;
        let floor = crate::shipped::catalog().unwrap().rebase(Tier::Floor, None).unwrap();
        assert!(floor.benchmark("dv_shelter_bed").is_none(), "a standard line is above the floor");
        let text = "program,quantity\ndv_shelter_bed,12\ncivil_legal_aid_attorney,3\n";
        let inv = super::Inventory::parse("have.csv", text, &floor).unwrap();
        assert_eq!(inv.quantity("dv_shelter_bed"), 12.0);
        assert_eq!(inv.quantity("civil_legal_aid_attorney"), 3.0);
        let e = super::Inventory::parse("have.csv", "program,quantity\ndv_shelter_beds,1\n", &floor).unwrap_err();
        assert!(e.message.contains("Did you mean `dv_shelter_bed`?"), "{e}");
    }
}
