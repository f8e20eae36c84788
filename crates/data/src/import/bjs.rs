//! BJS National Prisoner Statistics tables by jurisdiction, such as
//! `p22stt09.csv` (releases) and `p22stt08.csv` (admissions).
//!
//! These are spreadsheets exported for reading, not for machines: a
//! preamble of about ten lines, the title repeated above the header, names
//! indented into a second column for states but not for "Federal" and
//! "State", footnote letters glued to names ("Alabama/f", "Delaware/g,h"),
//! "/" for not reported, quoted numbers with commas and Windows-1252 dashes.
//! The importer finds the header by its "Jurisdiction" cell and year columns
//! rather than by position, so other tables of the same series (and other
//! years) read the same way, and it reads what the table measures from its
//! title so releases cannot be mistaken for admissions.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::states::STATES;
use super::{detect_kind, missing_columns, parse_count, read_records, us_state, Header, ImportError, ImportKind, Rec, Row, Table, UsState};

/// What a table counts, read from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BjsMeasure {
    /// Releases of sentenced prisoners ("Table 9. Releases of ...").
    Releases,
    /// Admissions of sentenced prisoners ("Table 8. Admissions of ...").
    Admissions,
    /// Any other by-jurisdiction table (such as year-end counts); see the
    /// table's `title`.
    Other,
}

impl BjsMeasure {
    /// A lower-case word for messages and provenance.
    pub fn label(self) -> &'static str {
        match self {
            BjsMeasure::Releases => "releases",
            BjsMeasure::Admissions => "admissions",
            BjsMeasure::Other => "other",
        }
    }
}

/// Whose prisoners a row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Jurisdiction {
    /// The "U.S. total" row: federal plus all states.
    UsTotal,
    /// The Federal Bureau of Prisons, which also holds people sentenced in
    /// the District of Columbia.
    Federal,
    /// The "State" row: all state systems together.
    StateTotal,
    /// One state's correctional authority.
    State(UsState),
}

impl Jurisdiction {
    /// Whether the row sums other rows, and so must not be added to them.
    pub fn is_aggregate(&self) -> bool {
        !matches!(self, Jurisdiction::State(_))
    }

    /// The state's postal abbreviation, for a state row.
    pub fn abbr(&self) -> Option<&'static str> {
        match self {
            Jurisdiction::State(s) => Some(s.abbr),
            _ => None,
        }
    }

    /// The state's two-digit FIPS code (its GEOID), for a state row.
    pub fn fips(&self) -> Option<&'static str> {
        match self {
            Jurisdiction::State(s) => Some(s.fips),
            _ => None,
        }
    }
}

/// One jurisdiction's row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrisonerRow {
    /// The name as printed, without footnote markers ("Alabama",
    /// "U.S. total").
    pub name: String,
    /// Who the row counts.
    pub jurisdiction: Jurisdiction,
    /// The footnote letters attached to the name ("f" for "Alabama/f"); the
    /// notes qualify the figures, so callers may want to show them.
    pub footnotes: Vec<String>,
    /// The total for each year column, in column order; `None` where the
    /// table prints "/" (not reported) or "~" (not applicable).
    pub totals: Vec<(u16, Option<u64>)>,
    /// The line of the file the row came from.
    pub line: u64,
}

impl PrisonerRow {
    /// The total for one year, if the table has that year and reports it.
    pub fn total(&self, year: u16) -> Option<u64> {
        self.totals.iter().find(|(y, _)| *y == year).and_then(|(_, v)| *v)
    }
}

/// One imported BJS table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrisonerTable {
    /// The file's name, for provenance.
    pub file: String,
    /// The table's title as printed, or empty if it had none.
    pub title: String,
    /// The table's number in its report ("Table 9" gives 9), if titled.
    pub table_number: Option<u32>,
    /// What the table counts.
    pub measure: BjsMeasure,
    /// The years that have a total column, in column order.
    pub years: Vec<u16>,
    /// The rows in file order.
    pub rows: Vec<PrisonerRow>,
    /// Repairs made to known defects of the published table, one sentence
    /// each naming the line, so they can be shown and checked.
    pub notes: Vec<String>,
}

impl PrisonerTable {
    /// The row for a state (by name, abbreviation or FIPS code) or an
    /// aggregate ("U.S. total", "Federal", "State").
    pub fn row(&self, key: &str) -> Option<&PrisonerRow> {
        let wanted = match resolve_aggregate(key) {
            Some(j) => j,
            None => Jurisdiction::State(*us_state(key)?),
        };
        self.rows.iter().find(|r| r.jurisdiction == wanted)
    }

    /// A row's total for a year; see [`PrisonerTable::row`] for `key`.
    pub fn total(&self, key: &str, year: u16) -> Option<u64> {
        self.row(key)?.total(year)
    }

    /// The latest year the table has.
    pub fn latest_year(&self) -> Option<u16> {
        self.years.iter().copied().max()
    }
}

/// Reads a BJS table from disk.
pub fn from_path(path: impl AsRef<Path>) -> Result<PrisonerTable, ImportError> {
    super::parse_path(path.as_ref(), parse)
}

/// Parses a BJS table; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<PrisonerTable, ImportError> {
    let (text, recs) = read_records(file, bytes)?;
    let Some(header_at) = recs.iter().position(is_header) else {
        return Err(no_header(file, &recs, &text));
    };
    let table = Table::at(file, text, recs, header_at);
    let header = &table.header;
    let (title, table_number, measure) = find_title(table.preamble());
    let year_cols = year_columns(file, header)?;
    let first_year_col = year_cols.iter().map(|(i, _)| *i).min().unwrap_or(0);
    let last_year_col = year_cols.iter().map(|(i, _)| *i).max().unwrap_or(0);
    if first_year_col == 0 {
        return Err(ImportError::NoHeader {
            file: file.into(),
            kind: ImportKind::BjsPrisoners,
            detail: format!("the header on line {} has a year column first, leaving no column for jurisdiction names", header.line).into(),
        });
    }

    let defined_notes = defined_footnotes(table.data());
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let mut seen: HashMap<Jurisdiction, u64> = HashMap::new();
    for row in table.rows() {
        let (name_col, raw_name) = (0..first_year_col).map(|i| (i, row.text(i))).find(|(_, t)| !t.is_empty()).unwrap_or((0, ""));
        let (mut label, mut footnotes) = split_footnotes(raw_name);
        let mut jurisdiction = resolve(label);
        if jurisdiction.is_none() {
            if let Some((stem, letter, j)) = glued_footnote(label, &defined_notes) {
                notes.push(format!(
                    "{file} line {}: \"{raw_name}\" was read as {stem} with footnote {letter}, whose slash is missing",
                    row.line()
                ));
                label = stem;
                footnotes.push(letter.to_string());
                jurisdiction = Some(j);
            }
        }
        let has_figures = year_cols.iter().any(|(i, _)| !row.text(*i).is_empty());
        if !has_figures && jurisdiction.is_none() {
            // Notes, footnotes and source lines below the table.
            continue;
        }
        if row.rec.fields.len() <= last_year_col {
            return Err(row.short());
        }
        let Some(jurisdiction) = jurisdiction else {
            if raw_name.is_empty() {
                return Err(row.missing(0, "the row has figures but no jurisdiction name; write the state's name in the first column"));
            }
            return Err(ImportError::UnknownJurisdiction {
                file: file.into(),
                line: row.line(),
                column: header.name(name_col).into(),
                value: super::shorten(raw_name).into(),
            });
        };
        let mut totals = Vec::with_capacity(year_cols.len());
        for (idx, year) in &year_cols {
            totals.push((*year, figure(&row, *idx)?));
        }
        if let Some(first) = seen.insert(jurisdiction, row.line()) {
            return Err(row.duplicate(name_col, "jurisdiction", &super::shorten(label), first));
        }
        rows.push(PrisonerRow { name: label.to_string(), jurisdiction, footnotes, totals, line: row.line() });
    }
    if rows.is_empty() {
        return Err(ImportError::NoData {
            file: file.into(),
            detail: format!("no jurisdiction rows follow the header on line {}", header.line).into(),
        });
    }
    Ok(PrisonerTable {
        file: file.to_string(),
        title,
        table_number,
        measure,
        years: year_cols.iter().map(|(_, y)| *y).collect(),
        rows,
        notes,
    })
}

fn is_header(rec: &Rec) -> bool {
    rec.fields.iter().any(|c| c.trim().eq_ignore_ascii_case("jurisdiction")) && rec.fields.iter().any(|c| year_of_column(c).is_some())
}

/// Explains a missing header: as a wrong kind of file when the file is
/// recognisably something else, otherwise as a damaged table.
fn no_header(file: &str, recs: &[Rec], text: &str) -> ImportError {
    let looks_like = detect_kind("", text.as_bytes()).filter(|k| *k != ImportKind::BjsPrisoners);
    if let (Some(_), Some(first)) = (looks_like, recs.iter().find(|r| !r.is_blank())) {
        return missing_columns(
            file,
            &Header::new(first),
            ImportKind::BjsPrisoners,
            vec!["Jurisdiction".to_string(), "YYYY total".to_string()],
            text,
        );
    }
    ImportError::NoHeader {
        file: file.into(),
        kind: ImportKind::BjsPrisoners,
        detail: "no header row with a \"Jurisdiction\" cell and year columns such as \"2022 total\" was found".into(),
    }
}

/// The year of a header cell like "2022 total " or "2022/a" (plain years
/// are used only when a table has no "total" columns), and whether it says
/// "total".
pub(crate) fn year_of_column(cell: &str) -> Option<(u16, bool)> {
    let t = cell.trim();
    let digits = t.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = digits.parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let rest = t[4..].trim().to_ascii_lowercase();
    if rest.starts_with("total") {
        Some((year, true))
    } else if rest.is_empty() || rest.starts_with('/') || rest.starts_with('*') {
        Some((year, false))
    } else {
        None
    }
}

fn year_columns(file: &str, header: &Header) -> Result<Vec<(usize, u16)>, ImportError> {
    let all: Vec<(usize, u16, bool)> =
        header.names.iter().enumerate().filter_map(|(i, c)| year_of_column(c).map(|(y, t)| (i, y, t))).collect();
    let any_total = all.iter().any(|(_, _, t)| *t);
    let cols: Vec<(usize, u16)> = all.into_iter().filter(|(_, _, t)| *t == any_total).map(|(i, y, _)| (i, y)).collect();
    for (n, (idx, year)) in cols.iter().enumerate() {
        if cols[..n].iter().any(|(_, y)| y == year) {
            return Err(ImportError::BadHeader {
                file: file.into(),
                line: header.line,
                column: header.name(*idx).into(),
                problem: format!("a second total column for {year}").into(),
                fix: "keep one total column per year".into(),
            });
        }
    }
    Ok(cols)
}

/// The title above the header, which BJS repeats; the last copy is the one
/// that belongs to the table.
fn find_title(preamble: &[Rec]) -> (String, Option<u32>, BjsMeasure) {
    for rec in preamble.iter().rev() {
        let lead = rec.fields.iter().map(str::trim).find(|c| !c.is_empty()).unwrap_or("");
        if let Some(measure) = title_measure(lead) {
            return (lead.to_string(), table_number(lead), measure);
        }
    }
    (String::new(), None, BjsMeasure::Other)
}

fn table_number(title: &str) -> Option<u32> {
    let rest = title.trim().get(6..)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// What a "Table N. ..." title measures, or `None` when the cell is not a
/// table title.
pub(crate) fn title_measure(cell: &str) -> Option<BjsMeasure> {
    let lower = cell.trim().to_lowercase();
    let rest = lower.strip_prefix("table ")?;
    let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    if after.len() == rest.len() || !(after.starts_with('.') || after.starts_with(':')) {
        return None;
    }
    Some(if after.contains("release") {
        BjsMeasure::Releases
    } else if after.contains("admission") {
        BjsMeasure::Admissions
    } else {
        BjsMeasure::Other
    })
}

/// The footnote letters the table defines below itself ("f/Includes ...").
fn defined_footnotes(after_header: &[Rec]) -> HashSet<String> {
    after_header
        .iter()
        .filter_map(|r| r.fields.iter().map(str::trim).find(|c| !c.is_empty()))
        .filter_map(|lead| {
            let (letters, _) = lead.split_once('/')?;
            (!letters.is_empty() && letters.len() <= 2 && letters.bytes().all(|b| b.is_ascii_lowercase())).then(|| letters.to_string())
        })
        .collect()
}

/// BJS occasionally drops the slash before a footnote letter (p22stt08.csv
/// prints "Virginial" for "Virginia/l"). A name is split that way only when
/// the rest is a state's exact name and the letter is a footnote the table
/// defines, so real names are never cut.
fn glued_footnote<'a>(label: &'a str, defined: &HashSet<String>) -> Option<(&'a str, &'a str, Jurisdiction)> {
    let bytes = label.as_bytes();
    for k in 1..=2 {
        if bytes.len() <= k + 2 || !bytes[bytes.len() - k..].iter().all(u8::is_ascii_lowercase) {
            continue;
        }
        let (stem, letters) = label.split_at(label.len() - k);
        if !defined.contains(letters) {
            continue;
        }
        if let Some(st) = STATES.iter().find(|s| s.name == stem.trim()) {
            return Some((stem.trim(), letters, Jurisdiction::State(*st)));
        }
    }
    None
}

/// Splits "Delaware/g,h" into "Delaware" and ["g", "h"].
fn split_footnotes(raw: &str) -> (&str, Vec<String>) {
    match raw.split_once('/') {
        Some((name, notes)) => (name.trim(), notes.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()),
        None => (raw.trim(), Vec::new()),
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace().map(|w| w.replace('.', "").to_lowercase()).collect::<Vec<_>>().join(" ")
}

fn resolve_aggregate(label: &str) -> Option<Jurisdiction> {
    match fold(label).as_str() {
        "us total" | "us" | "united states" | "united states total" | "total" => Some(Jurisdiction::UsTotal),
        "federal" | "federal total" | "federal bureau of prisons" | "bop" => Some(Jurisdiction::Federal),
        "state" | "states" | "state total" | "state prisons" => Some(Jurisdiction::StateTotal),
        _ => None,
    }
}

/// Jurisdictions are written out in full in these tables, so only full
/// names are matched: a stray number or two-letter cell must not turn into
/// a state.
fn resolve(label: &str) -> Option<Jurisdiction> {
    if label.is_empty() {
        return None;
    }
    resolve_aggregate(label).or_else(|| {
        let folded = fold(label);
        STATES
            .iter()
            .find(|s| fold(s.name) == folded)
            .or_else(|| us_state(label).filter(|_| label.chars().count() > 2))
            .map(|s| Jurisdiction::State(*s))
    })
}

const NOT_REPORTED: &[&str] =
    &["/", "~", "--", "-", "\u{2013}", "\u{2014}", "\u{2026}", "...", "..", "na", "n/a", "nr", "(x)", "x", ":", "*"];

const FIGURE_FIX: &str =
    "prisoner counts must be whole numbers such as 8,978; BJS writes \"/\" for not reported and \"~\" for not applicable";

/// A year cell: a count, a not-reported marker, or a count with a footnote
/// marker attached ("1,234/a").
fn figure(row: &Row<'_>, idx: usize) -> Result<Option<u64>, ImportError> {
    let t = row.text(idx);
    if t.is_empty() {
        return Err(row.missing(idx, "write the figure, or \"/\" if it was not reported"));
    }
    if NOT_REPORTED.iter().any(|m| t.eq_ignore_ascii_case(m)) {
        return Ok(None);
    }
    let number = match t.split_once('/') {
        Some((n, _)) if !n.trim().is_empty() => n,
        _ => t,
    };
    parse_count(number).map(Some).map_err(|p| row.bad_number(idx, p, FIGURE_FIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_year_columns() {
        assert_eq!(title_measure("Table 9. Releases of sentenced prisoners"), Some(BjsMeasure::Releases));
        assert_eq!(title_measure("TABLE 8: Admissions of sentenced prisoners"), Some(BjsMeasure::Admissions));
        assert_eq!(title_measure("Table of contents"), None);
        assert_eq!(table_number("Table 12. Something"), Some(12));
        assert_eq!(year_of_column("2022 total "), Some((2022, true)));
        assert_eq!(year_of_column("2021"), Some((2021, false)));
        assert_eq!(year_of_column("2021 deaths/c"), None);
        assert_eq!(year_of_column("Ñ"), None);
    }

    #[test]
    fn names_and_footnotes() {
        assert_eq!(split_footnotes("Delaware/g,h"), ("Delaware", vec!["g".into(), "h".into()]));
        assert_eq!(resolve("U.S. total"), Some(Jurisdiction::UsTotal));
        assert_eq!(resolve("State"), Some(Jurisdiction::StateTotal));
        assert_eq!(resolve("new   york").and_then(|j| j.abbr()), Some("NY"));
        assert_eq!(resolve("12"), None);
        assert_eq!(resolve("Note: Jurisdiction refers to"), None);
    }

    #[test]
    fn glued_footnote_letters() {
        let defined: HashSet<String> = ["l".to_string(), "ab".to_string()].into();
        let (stem, letter, j) = glued_footnote("Virginial", &defined).unwrap();
        assert_eq!((stem, letter, j.abbr()), ("Virginia", "l", Some("VA")));
        assert_eq!(glued_footnote("Ohioab", &defined).unwrap().0, "Ohio");
        // Not a defined footnote, or not a state once cut.
        assert!(glued_footnote("Virginiak", &defined).is_none());
        assert!(glued_footnote("Atlantisl", &defined).is_none());
        assert!(glued_footnote("l", &defined).is_none());
        assert!(glued_footnote("Ñl", &defined).is_none());
    }
}
