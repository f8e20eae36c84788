//! The single error type of the importers.
//!
//! The people who hit these errors fix the file by hand in a spreadsheet or a
//! text editor, so every message is one paragraph that names the file, the
//! line as an editor numbers it, the column, what is wrong and what to do.
//! Callers can still match on the variant, and read [`ImportError::file`] and
//! [`ImportError::line`], to show the place differently.

use super::ImportKind;

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be opened or read from disk.
    #[error("{file}: the file could not be read ({source}); check the path and that you are allowed to read it")]
    Io {
        /// The file as the user named it.
        file: Box<str>,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },

    /// The file has no content but blanks (often an interrupted download).
    #[error("{file}: the file is empty; it was probably not downloaded completely, so download it again")]
    Empty {
        /// The file as the user named it.
        file: Box<str>,
    },

    /// The bytes are not text: a spreadsheet workbook, an archive, a PDF or
    /// random binary data was given where a CSV file was expected.
    #[error("{file}: this is not a CSV text file ({detail}); {fix}")]
    NotText {
        /// The file as the user named it.
        file: Box<str>,
        /// What the bytes look like instead.
        detail: Box<str>,
        /// How to get a CSV file out of it.
        fix: Box<str>,
    },

    /// The kind of file could not be recognised from its content or name.
    #[error("{file}: cannot tell what kind of file this is; its first line reads \"{first_line}\". Supported are {known}; name the kind explicitly if the file is one of them, otherwise use the official file itself", known = ImportKind::list_for_humans())]
    UnknownKind {
        /// The file as the user named it.
        file: Box<str>,
        /// The start of the first non-blank line, shortened.
        first_line: Box<str>,
    },

    /// The header lacks columns the chosen importer needs: usually the file
    /// is of another kind than the one asked for.
    #[error("{file} line {line}: this is not {expected}: the header lacks the column(s) {missing}{looks}. The header reads \"{found}\". Choose the import kind that matches the file, or pick the file that matches the kind", expected = .kind.description(), missing = .missing.join(", "), looks = looks_like_phrase(*.looks_like))]
    MissingColumns {
        /// The file as the user named it.
        file: Box<str>,
        /// The line holding the header that was examined.
        line: u64,
        /// The kind of file that was asked for.
        kind: ImportKind,
        /// The columns that were looked for and not found.
        missing: Vec<String>,
        /// The start of the header line, shortened.
        found: Box<str>,
        /// What the file seems to be instead, if recognisable.
        looks_like: Option<ImportKind>,
    },

    /// A table with a preamble (BJS) has no recognisable header row or no
    /// year columns in it.
    #[error("{file}: {detail}; this does not look like {expected}. Use the CSV version of the table as published, with its header row intact", expected = .kind.description())]
    NoHeader {
        /// The file as the user named it.
        file: Box<str>,
        /// The kind of file that was asked for.
        kind: ImportKind,
        /// What was searched for and not found.
        detail: Box<str>,
    },

    /// A row has fewer fields than the header: the file was cut short or a
    /// separator was lost.
    #[error("{file} line {line}: the row stops after {found} field(s) but the header on line {header_line} has {expected}, so column {column} is missing; the file looks cut short (download it again) or a comma was deleted from this row")]
    ShortRow {
        /// The file as the user named it.
        file: Box<str>,
        /// The line where the short row starts.
        line: u64,
        /// How many fields the row has.
        found: usize,
        /// How many fields the header has.
        expected: usize,
        /// The line of the header.
        header_line: u64,
        /// The first column the row does not reach.
        column: Box<str>,
    },

    /// A row has more non-empty fields than the header: almost always a
    /// value with a comma in it that was not quoted.
    #[error("{file} line {line}: the row has {found} fields but the header has {expected}; a value containing a comma (such as a name like \"Islamorada, Village of Islands\") must be wrapped in double quotes")]
    ExtraFields {
        /// The file as the user named it.
        file: Box<str>,
        /// The line where the row starts.
        line: u64,
        /// How many fields the row has.
        found: usize,
        /// How many fields the header has.
        expected: usize,
    },

    /// A cell that must hold a number holds something else.
    #[error("{file} line {line}, column {column}: \"{value}\" {problem}; {fix}")]
    BadNumber {
        /// The file as the user named it.
        file: Box<str>,
        /// The line of the row.
        line: u64,
        /// The column's header.
        column: Box<str>,
        /// The cell's content, shortened.
        value: Box<str>,
        /// What is wrong with it ("is not a number", "is negative", ...).
        problem: Box<str>,
        /// What the cell should hold instead.
        fix: Box<str>,
    },

    /// A cell that must be filled in is empty.
    #[error("{file} line {line}, column {column}: the cell is empty; {fix}")]
    MissingValue {
        /// The file as the user named it.
        file: Box<str>,
        /// The line of the row.
        line: u64,
        /// The column's header.
        column: Box<str>,
        /// What the cell should hold.
        fix: Box<str>,
    },

    /// An identifier (GEOID, state or county code, year, state
    /// abbreviation) is malformed.
    #[error("{file} line {line}, column {column}: \"{value}\" {problem}; {fix}")]
    BadCode {
        /// The file as the user named it.
        file: Box<str>,
        /// The line of the row.
        line: u64,
        /// The column's header.
        column: Box<str>,
        /// The cell's content, shortened.
        value: Box<str>,
        /// What is wrong with it.
        problem: Box<str>,
        /// What the cell should hold instead.
        fix: Box<str>,
    },

    /// The same place (or place and year) appears on two rows, so it is
    /// unclear which figure to use.
    #[error("{file} line {line}, column {column}: {what} {value} appears again (first on line {first_line}); each {what} may appear only once, so delete or merge one of the two rows")]
    Duplicate {
        /// The file as the user named it.
        file: Box<str>,
        /// The line of the second occurrence.
        line: u64,
        /// The column holding the key.
        column: Box<str>,
        /// The repeated key.
        value: Box<str>,
        /// The line of the first occurrence.
        first_line: u64,
        /// What the key identifies ("GEOID", "state and year").
        what: Box<str>,
    },

    /// A BJS row names a jurisdiction that is neither a state nor one of the
    /// table's aggregate rows.
    #[error("{file} line {line}, column {column}: \"{value}\" is not a U.S. state, \"U.S. total\", \"Federal\" or \"State\"; write the jurisdiction's full state name (footnote markers such as \"/f\" may follow it)")]
    UnknownJurisdiction {
        /// The file as the user named it.
        file: Box<str>,
        /// The line of the row.
        line: u64,
        /// Which column held the name.
        column: Box<str>,
        /// The name as written, shortened.
        value: Box<str>,
    },

    /// The header itself is unusable (an empty or repeated column name).
    #[error("{file} line {line}, column {column}: {problem}; {fix}")]
    BadHeader {
        /// The file as the user named it.
        file: Box<str>,
        /// The header's line.
        line: u64,
        /// The column's header, or its position when the name is empty.
        column: Box<str>,
        /// What is wrong with the header.
        problem: Box<str>,
        /// How to repair it.
        fix: Box<str>,
    },

    /// The file parsed but holds none of the rows this importer produces.
    #[error("{file}: {detail}; the file may be cut short or be a different table, so download it again")]
    NoData {
        /// The file as the user named it.
        file: Box<str>,
        /// What was expected and not found.
        detail: Box<str>,
    },
}

impl ImportError {
    /// The file the error is about, as the user named it.
    pub fn file(&self) -> &str {
        match self {
            ImportError::Io { file, .. }
            | ImportError::Empty { file }
            | ImportError::NotText { file, .. }
            | ImportError::UnknownKind { file, .. }
            | ImportError::MissingColumns { file, .. }
            | ImportError::NoHeader { file, .. }
            | ImportError::ShortRow { file, .. }
            | ImportError::ExtraFields { file, .. }
            | ImportError::BadNumber { file, .. }
            | ImportError::MissingValue { file, .. }
            | ImportError::BadCode { file, .. }
            | ImportError::Duplicate { file, .. }
            | ImportError::UnknownJurisdiction { file, .. }
            | ImportError::BadHeader { file, .. }
            | ImportError::NoData { file, .. } => file,
        }
    }

    /// The 1-based line the error points at, when it points at one.
    pub fn line(&self) -> Option<u64> {
        match self {
            ImportError::MissingColumns { line, .. }
            | ImportError::ShortRow { line, .. }
            | ImportError::ExtraFields { line, .. }
            | ImportError::BadNumber { line, .. }
            | ImportError::MissingValue { line, .. }
            | ImportError::BadCode { line, .. }
            | ImportError::Duplicate { line, .. }
            | ImportError::UnknownJurisdiction { line, .. }
            | ImportError::BadHeader { line, .. } => Some(*line),
            ImportError::Io { .. }
            | ImportError::Empty { .. }
            | ImportError::NotText { .. }
            | ImportError::UnknownKind { .. }
            | ImportError::NoHeader { .. }
            | ImportError::NoData { .. } => None,
        }
    }
}

fn looks_like_phrase(kind: Option<ImportKind>) -> String {
    match kind {
        Some(k) => format!(" and looks like {} instead", k.description()),
        None => String::new(),
    }
}
