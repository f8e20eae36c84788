//! CSV records, headers and rows with their line numbers.
//!
//! Every importer reads rows through these types so that each error can name
//! the line as an editor shows it and the column by its header, and so that
//! short, long and unreadable rows are explained the same way everywhere.

use super::number::{parse_count, NumProblem};
use super::text::{decode, shorten};
use super::{detect_from_text, ImportError, ImportKind};

/// One CSV record with the line it starts on.
pub(crate) struct Rec {
    pub line: u64,
    pub fields: csv::StringRecord,
}

impl Rec {
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Reads every record. Rows may have any width so that each importer can
/// explain a short or long row itself instead of the reader's generic error.
fn read_csv(file: &str, text: &str) -> Result<Vec<Rec>, ImportError> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.matches('\t').count() > first.matches(',').count() { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    // The reader's own line numbers lag behind by one after CRLF and on
    // the first record, so lines are counted here from byte offsets: the
    // record starts at the first byte after any line breaks at its offset.
    let bytes = text.as_bytes();
    let mut counted_to = 0usize;
    let mut line = 1u64;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let mut start = record
                    .position()
                    .map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
                    .clamp(counted_to, bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                line += count_line_breaks(&bytes[counted_to..start]);
                counted_to = start;
                out.push(Rec { line, fields: record.clone() });
            }
            Ok(false) => return Ok(out),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(ImportError::NotText {
                    file: file.into(),
                    detail: format!("the CSV reader stopped at line {line}: {e}").into(),
                    fix: "download the file again".into(),
                });
            }
        }
    }
}

/// Counts line breaks as an editor does: CRLF, LF and a lone CR are one each.
fn count_line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\n' => n += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
    }
    n
}

/// A header row: trimmed column names and the line they are on.
pub(crate) struct Header {
    pub names: Vec<String>,
    pub line: u64,
}

impl Header {
    pub fn new(rec: &Rec) -> Header {
        Header { names: rec.fields.iter().map(|f| f.trim().to_string()).collect(), line: rec.line }
    }

    /// Finds a column by name, ignoring case, as spreadsheets sometimes
    /// change it.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }

    /// The latest `PREFIXyyyy` column (for Census `POPESTIMATE2023`), which
    /// is the vintage's own estimate; names with more digits such as
    /// `POPESTIMATE042020` (the April base) are not yearly estimates.
    pub fn latest_year_column(&self, prefix: &str) -> Option<(usize, u16)> {
        let mut best: Option<(usize, u16)> = None;
        for (i, name) in self.names.iter().enumerate() {
            let Some(head) = name.get(..prefix.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(prefix) {
                continue;
            }
            let digits = &name[prefix.len()..];
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(year) = digits.parse::<u16>() else {
                continue;
            };
            match best {
                Some((_, latest)) if latest >= year => {}
                _ => best = Some((i, year)),
            }
        }
        best
    }

    pub fn name(&self, idx: usize) -> String {
        match self.names.get(idx) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("{} (unnamed)", idx + 1),
        }
    }
}

/// The first non-blank record, which the flat files use as their header.
fn header_of<'r>(file: &str, recs: &'r [Rec]) -> Result<(usize, &'r Rec), ImportError> {
    recs.iter().enumerate().find(|(_, r)| !r.is_blank()).ok_or_else(|| ImportError::Empty { file: file.into() })
}

/// Builds the wrong-kind error, saying what the file looks like when that
/// can be told.
pub(crate) fn missing_columns(file: &str, header: &Header, kind: ImportKind, missing: Vec<String>, text: &str) -> ImportError {
    let looks_like = detect_from_text(text).filter(|k| *k != kind);
    ImportError::MissingColumns {
        file: file.into(),
        line: header.line,
        kind,
        missing,
        found: shorten(&header.names.join(",")).into(),
        looks_like,
    }
}

/// A decoded file's records split at its header row: what every importer
/// holds once it has found the header.
pub(crate) struct Table<'f> {
    file: &'f str,
    text: String,
    recs: Vec<Rec>,
    header_at: usize,
    pub header: Header,
}

impl<'f> Table<'f> {
    /// Decodes and reads a flat file whose first non-blank record is its
    /// header.
    pub fn read(file: &'f str, bytes: &[u8]) -> Result<Table<'f>, ImportError> {
        let (text, recs) = read_records(file, bytes)?;
        let (header_at, _) = header_of(file, &recs)?;
        Ok(Table::at(file, text, recs, header_at))
    }

    /// A table whose header is the record at `header_at`, for files that
    /// find it themselves.
    pub fn at(file: &'f str, text: String, recs: Vec<Rec>, header_at: usize) -> Table<'f> {
        let header = Header::new(&recs[header_at]);
        Table { file, text, recs, header_at, header }
    }

    /// The records above the header.
    pub fn preamble(&self) -> &[Rec] {
        &self.recs[..self.header_at]
    }

    /// The records below the header, blank ones included.
    pub fn data(&self) -> &[Rec] {
        &self.recs[self.header_at + 1..]
    }

    /// The non-blank records below the header, each seen through it.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.data().iter().filter(|rec| !rec.is_blank()).map(|rec| Row { file: self.file, rec, header: &self.header })
    }

    /// The wrong-kind error for this table's header; see [`missing_columns`].
    pub fn missing_columns(&self, kind: ImportKind, missing: Vec<String>) -> ImportError {
        missing_columns(self.file, &self.header, kind, missing, &self.text)
    }
}

/// Decodes a file and reads every record; see [`read_csv`].
pub(crate) fn read_records(file: &str, bytes: &[u8]) -> Result<(String, Vec<Rec>), ImportError> {
    let text = decode(file, bytes)?;
    let recs = read_csv(file, &text)?;
    Ok((text, recs))
}

/// Looks up the columns an importer needs, gathering every missing one so
/// that a single error can list them all.
pub(crate) struct Needs<'t> {
    table: &'t Table<'t>,
    missing: Vec<String>,
}

impl<'t> Needs<'t> {
    pub fn of(table: &'t Table<'t>) -> Needs<'t> {
        Needs { table, missing: Vec::new() }
    }

    /// A required column's index (0 when missing; [`Needs::check`] then
    /// fails).
    pub fn need(&mut self, name: &str) -> usize {
        let found = self.table.header.find(name);
        if found.is_none() {
            self.missing.push(name.to_string());
        }
        found.unwrap_or(0)
    }

    /// The required latest `PREFIXyyyy` column and its year (see
    /// [`Header::latest_year_column`]); `described` names it when missing.
    pub fn need_latest_year(&mut self, prefix: &str, described: &str) -> (usize, u16) {
        let found = self.table.header.latest_year_column(prefix);
        if found.is_none() {
            self.missing.push(described.to_string());
        }
        found.unwrap_or((0, 0))
    }

    /// Fails with the wrong-kind error when any required column was missing.
    pub fn check(self, kind: ImportKind) -> Result<(), ImportError> {
        if self.missing.is_empty() {
            Ok(())
        } else {
            Err(self.table.missing_columns(kind, self.missing))
        }
    }
}

/// A data row seen through its header, so every error can name the line and
/// column.
pub(crate) struct Row<'a> {
    pub file: &'a str,
    pub rec: &'a Rec,
    pub header: &'a Header,
}

impl<'a> Row<'a> {
    pub fn line(&self) -> u64 {
        self.rec.line
    }

    /// Insists the row reaches `min_width` fields and has nothing past the
    /// header's width, which catches cut-short files, lost commas and
    /// unquoted commas before they shift values into the wrong columns.
    pub fn check_width(&self, min_width: usize) -> Result<(), ImportError> {
        let found = self.rec.fields.len();
        let expected = self.header.names.len();
        if found < min_width {
            return Err(self.short());
        }
        if found > expected && self.rec.fields.iter().skip(expected).any(|f| !f.trim().is_empty()) {
            return Err(ImportError::ExtraFields { file: self.file.into(), line: self.line(), found, expected });
        }
        Ok(())
    }

    /// The error for a row that stops before a column it needs.
    pub fn short(&self) -> ImportError {
        let found = self.rec.fields.len();
        ImportError::ShortRow {
            file: self.file.into(),
            line: self.line(),
            found,
            expected: self.header.names.len(),
            header_line: self.header.line,
            column: self.header.name(found).into(),
        }
    }

    /// The trimmed cell, or "" when the row does not reach the column.
    pub fn text(&self, idx: usize) -> &'a str {
        self.rec.fields.get(idx).map_or("", str::trim)
    }

    /// A non-empty text cell.
    pub fn required_text(&self, idx: usize, fix: &str) -> Result<&'a str, ImportError> {
        let t = self.text(idx);
        if t.is_empty() {
            return Err(self.missing(idx, fix));
        }
        Ok(t)
    }

    pub fn missing(&self, idx: usize, fix: &str) -> ImportError {
        ImportError::MissingValue { file: self.file.into(), line: self.line(), column: self.header.name(idx).into(), fix: fix.into() }
    }

    /// A count that may be left empty.
    pub fn count(&self, idx: usize, fix: &str) -> Result<Option<u64>, ImportError> {
        let t = self.text(idx);
        if t.is_empty() {
            return Ok(None);
        }
        parse_count(t).map(Some).map_err(|p| self.bad_number(idx, p, fix))
    }

    /// A count that must be given.
    pub fn required_count(&self, idx: usize, fix: &str) -> Result<u64, ImportError> {
        self.count(idx, fix)?.ok_or_else(|| self.missing(idx, fix))
    }

    pub fn bad_number(&self, idx: usize, problem: NumProblem, fix: &str) -> ImportError {
        let raw = self.text(idx);
        let (problem, fix) = if raw.contains(['\n', '\r']) {
            (
                "runs over several lines".to_string(),
                "a double quote in this row is never closed, so the lines after it were read into this cell; remove the stray quote or close it".to_string(),
            )
        } else {
            (problem.phrase().to_string(), fix.to_string())
        };
        ImportError::BadNumber {
            file: self.file.into(),
            line: self.line(),
            column: self.header.name(idx).into(),
            value: shorten(raw).into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    pub fn bad_code(&self, idx: usize, problem: &str, fix: &str) -> ImportError {
        ImportError::BadCode {
            file: self.file.into(),
            line: self.line(),
            column: self.header.name(idx).into(),
            value: shorten(self.text(idx)).into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// An unpadded numeric code (Census STATE, COUNTY, PLACE, SUMLEV) of at
    /// most `digits` significant digits.
    pub fn code(&self, idx: usize, digits: usize, fix: &str) -> Result<u32, ImportError> {
        let t = self.text(idx);
        if t.is_empty() {
            return Err(self.missing(idx, fix));
        }
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.bad_code(idx, "is not a numeric code", fix));
        }
        let significant = t.trim_start_matches('0');
        if significant.len() > digits {
            return Err(self.bad_code(idx, &format!("has more than {digits} digits"), fix));
        }
        Ok(significant.parse().unwrap_or(0))
    }

    pub fn duplicate(&self, idx: usize, what: &str, value: &str, first_line: u64) -> ImportError {
        ImportError::Duplicate {
            file: self.file.into(),
            line: self.line(),
            column: self.header.name(idx).into(),
            value: value.into(),
            first_line,
            what: what.into(),
        }
    }
}
