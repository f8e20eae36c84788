//! `manifest.json`: the list of imported sources.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::import::ImportKind;

/// The store format this version reads and writes.
pub const FORMAT: u32 = 1;

/// The contents of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Store format version ([`FORMAT`]).
    pub format: u32,
    /// The imported sources, oldest import first. Where two sources give
    /// the same figure (two drivers files), the later one wins.
    pub sources: Vec<SourceEntry>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest { format: FORMAT, sources: Vec::new() }
    }
}

/// One imported source, as listed in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// What identifies the source in the store: the kind's slug
    /// (`census-counties`), or `drivers:NAME` for drivers files, which can
    /// be several. Importing a source with the same id replaces it.
    pub id: String,
    /// The importer's slug: `census-counties`, `census-places`,
    /// `fbi-crimes`, `bjs-prisoners` or `drivers`.
    pub kind: String,
    /// The original file's name.
    pub file: String,
    /// Where it came from: the path given to `data import`, or the URL
    /// `data update` downloaded it from.
    pub origin: String,
    /// SHA-256 of the original file's bytes.
    pub sha256: String,
    /// When it was imported (RFC 3339, UTC).
    pub imported_at: String,
    /// The year or period the figures describe ("2023").
    pub vintage: String,
    /// How many records the stored form holds.
    pub records: usize,
    /// The stored form's file name inside `sources/`.
    pub stored: String,
    /// SHA-256 of the stored form, checked on every load.
    pub stored_sha256: String,
    /// What the source covers, in one line.
    pub summary: String,
    /// Matching results, repairs and warnings from the import.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl SourceEntry {
    /// The importer kind, if the slug is known.
    pub fn import_kind(&self) -> Option<ImportKind> {
        self.kind.parse().ok()
    }

    /// What was imported, for people: the kind, except for the importers
    /// stored like a drivers file, named by their id's prefix
    /// (`urban-crime-rates`, `county-health-rankings`, `incidents`).
    pub fn kind_label(&self) -> &str {
        match self.id.split_once(':').map(|(p, _)| p) {
            Some("urban") if self.kind == "drivers" => "urban-crime-rates",
            Some("chr") if self.kind == "drivers" => "county-health-rankings",
            Some("incidents") if self.kind == "drivers" => "incidents",
            _ => &self.kind,
        }
    }

    /// The first 12 hex digits of the original file's SHA-256.
    pub fn sha256_prefix(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }

    /// The import date, `YYYY-MM-DD`.
    pub fn imported_on(&self) -> &str {
        self.imported_at.get(..10).unwrap_or(&self.imported_at)
    }
}

impl Manifest {
    /// Reads and checks a manifest; `Ok(None)` if there is none yet.
    pub(crate) fn read(path: &Path) -> Result<Option<Manifest>, StoreError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
                return Err(StoreError::CorruptManifest { file: path.into(), detail: "it is a directory, not a file".into() })
            }
            Err(cause) => return Err(StoreError::Unreadable { file: path.into(), cause }),
        };
        let corrupt = |detail: String| StoreError::CorruptManifest { file: path.into(), detail };
        // Read the version first, so a newer format is reported as such
        // rather than as damage.
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(format!("not valid JSON: {e}")))?;
        match value.get("format").and_then(serde_json::Value::as_u64) {
            Some(f) if f > u64::from(FORMAT) => {
                return Err(StoreError::NewerFormat { file: path.into(), found: u32::try_from(f).unwrap_or(u32::MAX), supported: FORMAT })
            }
            Some(_) => {}
            None => return Err(corrupt("it has no \"format\" number".into())),
        }
        let m: Manifest = serde_json::from_value(value).map_err(|e| corrupt(format!("unexpected content: {e}")))?;
        let mut ids = std::collections::HashSet::new();
        for s in &m.sources {
            if s.import_kind().is_none() {
                return Err(corrupt(format!("source {} has an unknown kind \"{}\"", s.id, s.kind)));
            }
            if !is_safe_file_name(&s.stored) {
                return Err(corrupt(format!("source {} names an invalid stored file \"{}\"", s.id, s.stored)));
            }
            if !ids.insert(s.id.as_str()) {
                return Err(corrupt(format!("source {} is listed twice", s.id)));
            }
        }
        Ok(Some(m))
    }

    /// The manifest as pretty JSON with a final newline.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

/// A plain file name: no directory parts, no leading dot, only
/// `[A-Za-z0-9._-]`.
pub(crate) fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}
