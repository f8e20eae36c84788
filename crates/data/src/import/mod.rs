//! Importers for the official files people already have on disk.
//!
//! Users download Census, FBI and BJS tables themselves, often years apart
//! and sometimes re-saved by a spreadsheet, so these importers accept the
//! files as they really are (Latin-1 or Windows-1252 bytes, footnote markers,
//! quoted thousands separators, preambles, CRLF or mixed line endings) and
//! turn them into plain records. Everything is parsed from bytes plus a
//! display name, so a file on disk and a download in memory take the same
//! path, and no input can make an importer panic: anything unusable comes
//! back as an [`ImportError`] that tells the user where and how to fix it.
//!
//! [`detect_kind`] and [`import_file`] are the entry for callers that do not
//! know which file they were handed; each submodule also has its own `parse`
//! and `from_path`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub mod bjs;
pub mod census;
pub mod chr;
pub mod drivers;
mod error;
pub mod fbi;
pub mod incidents;
mod number;
mod states;
pub mod subcounty;
mod table;
mod text;
pub mod urban;

pub use error::ImportError;
pub use states::{us_state, UsState};

pub(crate) use number::parse_amount;
pub(crate) use number::parse_count;
pub(crate) use table::{missing_columns, read_records, Header, Needs, Rec, Row, Table};
pub(crate) use text::{decode, shorten};
use text::{decode_mixed, strip_boms};

/// The kinds of file the importers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// Census county and state estimates, `co-estYYYY-alldata.csv`.
    CensusCounties,
    /// Census city and town estimates, `sub-estYYYY_all.csv`.
    CensusSubcounty,
    /// FBI UCR state estimated crimes, `estimated_crimes_*.csv`.
    FbiEstimatedCrimes,
    /// A BJS National Prisoner Statistics table by jurisdiction, such as
    /// `p22stt09.csv` (releases) or `p22stt08.csv` (admissions).
    BjsPrisoners,
    /// A user-made file of drivers per GEOID.
    Drivers,
}

impl ImportKind {
    /// Every kind, in the order they are tried and listed.
    pub const ALL: [ImportKind; 5] = [
        ImportKind::CensusCounties,
        ImportKind::CensusSubcounty,
        ImportKind::FbiEstimatedCrimes,
        ImportKind::BjsPrisoners,
        ImportKind::Drivers,
    ];

    /// The short name used on command lines and in messages; [`FromStr`]
    /// accepts it back.
    pub fn slug(self) -> &'static str {
        match self {
            ImportKind::CensusCounties => "census-counties",
            ImportKind::CensusSubcounty => "census-places",
            ImportKind::FbiEstimatedCrimes => "fbi-crimes",
            ImportKind::BjsPrisoners => "bjs-prisoners",
            ImportKind::Drivers => "drivers",
        }
    }

    /// A phrase naming the file the way its publisher does, for messages.
    pub fn description(self) -> &'static str {
        match self {
            ImportKind::CensusCounties => "a Census county and state population estimates file (co-estYYYY-alldata.csv)",
            ImportKind::CensusSubcounty => "a Census city and town population estimates file (sub-estYYYY_all.csv)",
            ImportKind::FbiEstimatedCrimes => "an FBI state estimated crimes file (estimated_crimes_YYYY_YYYY.csv)",
            ImportKind::BjsPrisoners => "a BJS National Prisoner Statistics table by jurisdiction (such as p22stt09.csv)",
            ImportKind::Drivers => "a drivers file (a geoid column plus one column per driver)",
        }
    }

    pub(crate) fn list_for_humans() -> String {
        let names: Vec<String> = ImportKind::ALL.iter().map(|k| format!("{} ({})", k.slug(), k.description())).collect();
        names.join(", ")
    }
}

impl fmt::Display for ImportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for ImportKind {
    type Err = String;

    /// Accepts the slugs and a few obvious synonyms, so command-line users
    /// need not remember the exact spelling.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match k.as_str() {
            "census-counties" | "census-county" | "co-est" | "counties" => ImportKind::CensusCounties,
            "census-places" | "census-subcounty" | "sub-est" | "places" => ImportKind::CensusSubcounty,
            "fbi-crimes" | "fbi" | "estimated-crimes" | "crimes" => ImportKind::FbiEstimatedCrimes,
            "bjs-prisoners" | "bjs" | "nps" | "prisoners" => ImportKind::BjsPrisoners,
            "drivers" | "driver" => ImportKind::Drivers,
            _ => {
                let slugs: Vec<&str> = ImportKind::ALL.iter().map(|k| k.slug()).collect();
                return Err(format!("unknown import kind \"{}\"; use one of {}", s.trim(), slugs.join(", ")));
            }
        })
    }
}

/// The records of one imported file, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    /// From [`census::parse`].
    CensusCounties(census::PopulationEstimates),
    /// From [`subcounty::parse`].
    CensusSubcounty(census::PopulationEstimates),
    /// From [`fbi::parse`].
    FbiEstimatedCrimes(fbi::CrimeEstimates),
    /// From [`bjs::parse`].
    BjsPrisoners(bjs::PrisonerTable),
    /// From [`drivers::parse`].
    Drivers(drivers::DriverTable),
}

impl Imported {
    /// Which importer produced these records.
    pub fn kind(&self) -> ImportKind {
        match self {
            Imported::CensusCounties(_) => ImportKind::CensusCounties,
            Imported::CensusSubcounty(_) => ImportKind::CensusSubcounty,
            Imported::FbiEstimatedCrimes(_) => ImportKind::FbiEstimatedCrimes,
            Imported::BjsPrisoners(_) => ImportKind::BjsPrisoners,
            Imported::Drivers(_) => ImportKind::Drivers,
        }
    }
}

/// Where [`import_file`] gets its bytes: a path on disk, or bytes already in
/// memory (a download) together with the name to show in messages.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file to read; messages name it by its file name.
    Path(&'a Path),
    /// Bytes in memory.
    Bytes {
        /// The name to show in messages, normally the original file name.
        name: &'a str,
        /// The file's content.
        bytes: &'a [u8],
    },
}

impl<'a> From<&'a Path> for Source<'a> {
    fn from(p: &'a Path) -> Self {
        Source::Path(p)
    }
}

impl<'a> From<&'a PathBuf> for Source<'a> {
    fn from(p: &'a PathBuf) -> Self {
        Source::Path(p.as_path())
    }
}

impl<'a> From<&'a str> for Source<'a> {
    /// A string is taken as a path.
    fn from(p: &'a str) -> Self {
        Source::Path(Path::new(p))
    }
}

impl<'a> From<(&'a str, &'a [u8])> for Source<'a> {
    fn from((name, bytes): (&'a str, &'a [u8])) -> Self {
        Source::Bytes { name, bytes }
    }
}

/// Imports one file. With `kind` of `None` the kind is recognised from the
/// file's content (and, failing that, its name); with `Some`, a file of
/// another kind is rejected with a message saying which columns are missing
/// and what the file seems to be.
pub fn import_file<'a>(source: impl Into<Source<'a>>, kind: Option<ImportKind>) -> Result<Imported, ImportError> {
    match source.into() {
        Source::Path(path) => parse_path(path, |name, bytes| import_bytes(name, bytes, kind)),
        Source::Bytes { name, bytes } => import_bytes(name, bytes, kind),
    }
}

/// Imports bytes already in memory; `file` is the name shown in messages.
pub fn import_bytes(file: &str, bytes: &[u8], kind: Option<ImportKind>) -> Result<Imported, ImportError> {
    let kind = match kind {
        Some(k) => k,
        None => match detect_kind(file, bytes) {
            Some(k) => k,
            None => {
                let text = decode(file, bytes)?;
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                return Err(ImportError::UnknownKind { file: file.into(), first_line: shorten(first).into() });
            }
        },
    };
    Ok(match kind {
        ImportKind::CensusCounties => Imported::CensusCounties(census::parse(file, bytes)?),
        ImportKind::CensusSubcounty => Imported::CensusSubcounty(subcounty::parse(file, bytes)?),
        ImportKind::FbiEstimatedCrimes => Imported::FbiEstimatedCrimes(fbi::parse(file, bytes)?),
        ImportKind::BjsPrisoners => Imported::BjsPrisoners(bjs::parse(file, bytes)?),
        ImportKind::Drivers => Imported::Drivers(drivers::parse(file, bytes)?),
    })
}

/// How many leading bytes [`detect_kind`] looks at; enough for the BJS
/// preamble and any header.
const DETECT_PREFIX: usize = 64 * 1024;

/// Recognises a file's kind from its first bytes (the header, or the BJS
/// preamble), falling back on the official file name only when the content
/// says nothing, because users rename files but rarely edit headers.
pub fn detect_kind(file_name: &str, first_bytes: &[u8]) -> Option<ImportKind> {
    let prefix = &first_bytes[..first_bytes.len().min(DETECT_PREFIX)];
    let text = decode_mixed(strip_boms(prefix));
    detect_from_text(&text).or_else(|| detect_from_name(file_name))
}

pub(crate) fn detect_from_text(text: &str) -> Option<ImportKind> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).take(40);
    let first = lines.next()?;
    let cells = rough_cells(first);
    let has = |name: &str| cells.iter().any(|c| c == name);
    let has_prefix = |p: &str| cells.iter().any(|c| c.starts_with(p));
    if has("sumlev") && has_prefix("popestimate") {
        if has("ctyname") {
            return Some(ImportKind::CensusCounties);
        }
        if has("place") || has("name") {
            return Some(ImportKind::CensusSubcounty);
        }
    }
    if has("year") && has("state_abbr") && (has("violent_crime") || has("homicide")) {
        return Some(ImportKind::FbiEstimatedCrimes);
    }
    if has("geoid") {
        return Some(ImportKind::Drivers);
    }
    let mut saw_bjs_title = first.to_ascii_lowercase().contains("bureau of justice statistics");
    for line in std::iter::once(first).chain(lines) {
        let cells = rough_cells(line);
        let lead = cells.iter().find(|c| !c.is_empty()).map(String::as_str).unwrap_or("");
        if bjs::title_measure(lead).is_some() {
            saw_bjs_title = true;
        }
        let jurisdiction_header = cells.iter().any(|c| c == "jurisdiction") && cells.iter().any(|c| bjs::year_of_column(c).is_some());
        if jurisdiction_header && saw_bjs_title {
            return Some(ImportKind::BjsPrisoners);
        }
    }
    None
}

fn detect_from_name(file_name: &str) -> Option<ImportKind> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let base = base.to_ascii_lowercase();
    if base.starts_with("co-est") {
        Some(ImportKind::CensusCounties)
    } else if base.starts_with("sub-est") {
        Some(ImportKind::CensusSubcounty)
    } else if base.contains("estimated_crimes") {
        Some(ImportKind::FbiEstimatedCrimes)
    } else if is_bjs_file_name(&base) {
        Some(ImportKind::BjsPrisoners)
    } else {
        None
    }
}

/// BJS names its tables like `p22stt09.csv`: report letter, two-digit year,
/// `stt`, table number.
fn is_bjs_file_name(base: &str) -> bool {
    let b = base.as_bytes();
    b.len() >= 8 && b[0] == b'p' && b[1].is_ascii_digit() && b[2].is_ascii_digit() && base.get(3..6) == Some("stt") && b[6].is_ascii_digit()
}

/// Splits a line well enough to look at header names: lower-cased,
/// trimmed, quotes removed. Detection does not need exact CSV rules.
fn rough_cells(line: &str) -> Vec<String> {
    let delim = if line.matches('\t').count() > line.matches(',').count() { '\t' } else { ',' };
    line.split(delim).map(|c| c.trim().trim_matches('"').trim().to_lowercase()).collect()
}

/// Reads a file for an importer, naming it in errors by its file name (what
/// the user sees in their folder) rather than the full path.
pub(crate) fn read_path(path: &Path) -> Result<(String, Vec<u8>), ImportError> {
    let name = display_name(path);
    match std::fs::read(path) {
        Ok(bytes) => Ok((name, bytes)),
        Err(source) => Err(ImportError::Io { file: path.display().to_string().into(), source }),
    }
}

/// Reads a file with [`read_path`] and hands its name and bytes to a
/// parser: every importer's `from_path`.
pub(crate) fn parse_path<T>(path: &Path, parse: impl FnOnce(&str, &[u8]) -> Result<T, ImportError>) -> Result<T, ImportError> {
    let (name, bytes) = read_path(path)?;
    parse(&name, &bytes)
}

fn display_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bjs_file_names() {
        assert!(is_bjs_file_name("p22stt09.csv"));
        assert!(!is_bjs_file_name("p22.csv"));
        assert!(!is_bjs_file_name("pñstt09.csv"));
        assert_eq!(detect_from_name("dir/P22STT08.CSV"), Some(ImportKind::BjsPrisoners));
        assert_eq!(detect_from_name("co-est2019-alldata.csv"), Some(ImportKind::CensusCounties));
        assert_eq!(detect_from_name("notes.txt"), None);
    }

    #[test]
    fn kind_names_round_trip() {
        for k in ImportKind::ALL {
            assert_eq!(k.slug().parse::<ImportKind>(), Ok(k));
        }
        assert!("census".parse::<ImportKind>().is_err());
    }
}
