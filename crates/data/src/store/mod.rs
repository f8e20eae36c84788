//! The user's data store: official files and drivers files imported with
//! `safetygap data import` (or downloaded by `data update`), kept in the
//! user's data directory, whose figures take precedence over the embedded
//! ones.
//!
//! # Where
//!
//! `--data-dir DIR` (see [`set_default_dir`]), else `$SAFETYGAP_DATA_DIR`,
//! else `$XDG_DATA_HOME/safetygap`, else `~/.local/share/safetygap`.
//!
//! # Layout
//!
//! ```text
//! DIR/manifest.json                      what is imported (see Manifest)
//! DIR/sources/census-counties-<sha>.csv  each source's figures, normalised
//! ```
//!
//! Each source is stored as a small CSV of just the figures safetygap uses,
//! already matched to the gazetteer, named after its content's SHA-256. An
//! import writes the new CSV, then the new manifest (each to a temporary file
//! in the same directory, flushed, then renamed), then removes files the
//! manifest no longer lists. A crash at any point leaves the old or the new
//! manifest, each complete and pointing at complete files; a failed import
//! writes nothing at all.
//!
//! # Precedence
//!
//! drivers files > imported official files > embedded data > the catalog's
//! national defaults; see [`plan_input_with`](crate::inputs::plan_input_with).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod data;
mod error;
mod fsio;
mod manifest;
mod places;
mod prepare;
pub mod status;
pub mod update;

pub use data::{CrimeFigure, Figure, StoredData};
pub use error::StoreError;
pub(crate) use fsio::sha256_hex as sha256_of;
pub use manifest::{Manifest, SourceEntry, FORMAT};
pub(crate) use prepare::DRIVERS_HEADER as DRIVERS_FORM_HEADER;
pub use prepare::{prepare, ImportOptions, Prepared};

use crate::embedded::Gazetteer;

/// The environment variable that chooses the data directory.
pub const DATA_DIR_ENV: &str = "SAFETYGAP_DATA_DIR";

/// How the data directory was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirOrigin {
    /// `--data-dir` on the command line.
    Flag,
    /// The `SAFETYGAP_DATA_DIR` environment variable.
    Env,
    /// `$XDG_DATA_HOME/safetygap`.
    Xdg,
    /// `~/.local/share/safetygap`.
    Home,
}

impl DirOrigin {
    /// How to say it: "--data-dir", "$SAFETYGAP_DATA_DIR", ...
    pub fn describe(self) -> &'static str {
        match self {
            DirOrigin::Flag => "--data-dir",
            DirOrigin::Env => "$SAFETYGAP_DATA_DIR",
            DirOrigin::Xdg => "$XDG_DATA_HOME/safetygap",
            DirOrigin::Home => "~/.local/share/safetygap",
        }
    }
}

/// A data directory and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    /// The directory.
    pub path: PathBuf,
    /// How it was chosen.
    pub origin: DirOrigin,
}

impl DataDir {
    /// A directory given explicitly.
    pub fn at(path: impl Into<PathBuf>) -> DataDir {
        DataDir { path: path.into(), origin: DirOrigin::Flag }
    }

    /// Works the directory out: `flag`, else `$SAFETYGAP_DATA_DIR`, else
    /// `$XDG_DATA_HOME/safetygap` (when absolute), else
    /// `$HOME/.local/share/safetygap`.
    pub fn resolve(flag: Option<&Path>) -> Result<DataDir, StoreError> {
        let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        if let Some(p) = flag {
            return Ok(DataDir { path: p.to_path_buf(), origin: DirOrigin::Flag });
        }
        if let Some(p) = env(DATA_DIR_ENV) {
            return Ok(DataDir { path: p, origin: DirOrigin::Env });
        }
        if let Some(p) = env("XDG_DATA_HOME").filter(|p| p.is_absolute()) {
            return Ok(DataDir { path: p.join("safetygap"), origin: DirOrigin::Xdg });
        }
        if let Some(h) = env("HOME") {
            return Ok(DataDir { path: h.join(".local/share/safetygap"), origin: DirOrigin::Home });
        }
        Err(StoreError::NoDataDir)
    }

    /// `DIR/manifest.json`.
    pub fn manifest_path(&self) -> PathBuf {
        self.path.join("manifest.json")
    }

    /// `DIR/sources`.
    pub fn sources_path(&self) -> PathBuf {
        self.path.join("sources")
    }
}

/// The imported data in one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: DataDir,
    manifest: Manifest,
}

impl Store {
    /// Opens the store in `dir`, reading its manifest; a directory that does
    /// not exist yet is an empty store. Nothing is created.
    pub fn open(dir: DataDir) -> Result<Store, StoreError> {
        if dir.path.exists() && !dir.path.is_dir() {
            return Err(StoreError::NotADirectory { dir: dir.path });
        }
        let manifest = if dir.path.exists() { Manifest::read(&dir.manifest_path())?.unwrap_or_default() } else { Manifest::default() };
        Ok(Store { dir, manifest })
    }

    /// Opens the store in the default directory (see [`default_dir`]).
    pub fn open_default() -> Result<Store, StoreError> {
        Store::open(default_dir()?)
    }

    /// The data directory.
    pub fn dir(&self) -> &DataDir {
        &self.dir
    }

    /// The imported sources, oldest import first.
    pub fn sources(&self) -> &[SourceEntry] {
        &self.manifest.sources
    }

    /// Reads every imported figure.
    pub fn load(&self) -> Result<StoredData, StoreError> {
        if self.manifest.sources.is_empty() {
            return Ok(StoredData::empty());
        }
        StoredData::load(&self.dir.sources_path(), &self.manifest.sources)
    }

    /// Imports a file from disk: reads, validates and stores it.
    pub fn import_path(&mut self, path: &Path, opts: &ImportOptions, g: &Gazetteer) -> Result<SourceEntry, StoreError> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        let bytes = std::fs::read(path).map_err(|cause| {
            StoreError::Import(crate::import::ImportError::Io { file: path.display().to_string().into(), source: cause })
        })?;
        let mut opts = opts.clone();
        if opts.origin.is_empty() {
            opts.origin = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string();
        }
        let prepared = prepare(&name, &bytes, &opts, g)?;
        self.save(prepared)
    }

    /// Stores a prepared source, replacing any source with the same id.
    /// Atomic: on error nothing stored before is changed.
    pub fn save(&mut self, prepared: Prepared) -> Result<SourceEntry, StoreError> {
        let Prepared { mut entry, stored_bytes } = prepared;
        entry.imported_at = fsio::now_utc();
        let sources_dir = self.dir.sources_path();
        let unwritable = |action: String, cause| StoreError::Unwritable { dir: self.dir.path.clone(), action, cause };
        std::fs::create_dir_all(&sources_dir).map_err(|e| unwritable(format!("creating {}", sources_dir.display()), e))?;
        crate::atomic::write(&sources_dir.join(&entry.stored), &stored_bytes)
            .map_err(|e| unwritable(format!("writing sources/{}", entry.stored), e))?;
        let mut manifest = self.manifest.clone();
        manifest.format = FORMAT;
        manifest.sources.retain(|s| s.id != entry.id);
        manifest.sources.push(entry.clone());
        if let Err(e) = crate::atomic::write(&self.dir.path.join("manifest.json"), &manifest.to_bytes()) {
            // The old manifest still stands; drop the unreferenced new file.
            if !self.manifest.sources.iter().any(|s| s.stored == entry.stored) {
                let _ = std::fs::remove_file(sources_dir.join(&entry.stored));
            }
            return Err(unwritable("writing manifest.json".into(), e));
        }
        self.manifest = manifest;
        self.collect_garbage();
        Ok(entry)
    }

    /// Removes files in `sources/` that the manifest does not list.
    fn collect_garbage(&self) {
        let Ok(entries) = std::fs::read_dir(self.dir.sources_path()) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let listed = self.manifest.sources.iter().any(|s| s.stored == name);
            if !listed && (name.ends_with(".csv") || crate::atomic::is_temp_name(&name)) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// Removes all imported data from `dir` — the manifest and the stored
    /// files, and nothing else — even when the manifest is damaged. Returns
    /// how many files were removed.
    pub fn reset(dir: &DataDir) -> Result<usize, StoreError> {
        if dir.path.exists() && !dir.path.is_dir() {
            return Err(StoreError::NotADirectory { dir: dir.path.clone() });
        }
        let unwritable = |action: String, cause| StoreError::Unwritable { dir: dir.path.clone(), action, cause };
        let mut removed = 0;
        // The manifest first: once it is gone nothing refers to the files.
        let manifest = dir.manifest_path();
        match std::fs::remove_file(&manifest) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory || manifest.is_dir() => {
                std::fs::remove_dir_all(&manifest).map_err(|e| unwritable("removing manifest.json".into(), e))?;
                removed += 1;
            }
            Err(e) => return Err(unwritable("removing manifest.json".into(), e)),
        }
        let sources = dir.sources_path();
        if sources.is_dir() {
            let entries = std::fs::read_dir(&sources).map_err(|e| unwritable("listing sources/".into(), e))?;
            for e in entries.flatten() {
                let path = e.path();
                let r = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
                r.map_err(|err| unwritable(format!("removing {}", path.display()), err))?;
                removed += 1;
            }
            std::fs::remove_dir(&sources).map_err(|e| unwritable("removing sources/".into(), e))?;
        } else if sources.exists() {
            std::fs::remove_file(&sources).map_err(|e| unwritable("removing sources".into(), e))?;
            removed += 1;
        }
        if let Ok(entries) = std::fs::read_dir(&dir.path) {
            for e in entries.flatten() {
                if crate::atomic::is_temp_name(&e.file_name().to_string_lossy()) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(removed)
    }
}

static DEFAULT_DIR: OnceLock<PathBuf> = OnceLock::new();
static DEFAULT_DATA: OnceLock<Result<StoredData, StoreError>> = OnceLock::new();

/// Makes `dir` the default data directory (the CLI's `--data-dir`). Must be
/// called before the default store is first used; returns false if a
/// directory was already set.
pub fn set_default_dir(dir: impl Into<PathBuf>) -> bool {
    DEFAULT_DIR.set(dir.into()).is_ok()
}

/// The default data directory: [`set_default_dir`]'s, else as
/// [`DataDir::resolve`] finds it.
pub fn default_dir() -> Result<DataDir, StoreError> {
    DataDir::resolve(DEFAULT_DIR.get().map(PathBuf::as_path))
}

/// The imported data of the default directory, loaded once per process.
pub fn try_default_data() -> Result<&'static StoredData, &'static StoreError> {
    DEFAULT_DATA.get_or_init(|| Store::open_default().and_then(|s| s.load())).as_ref()
}

/// Like [`try_default_data`], but falls back to no imported data when the
/// store cannot be read, after printing the reason to standard error once.
/// Commands that must not silently use other figures call
/// [`try_default_data`] first.
pub fn default_data() -> &'static StoredData {
    static EMPTY: OnceLock<StoredData> = OnceLock::new();
    static WARNED: OnceLock<()> = OnceLock::new();
    match try_default_data() {
        Ok(d) => d,
        Err(e) => {
            WARNED.get_or_init(|| eprintln!("warning: {e}; using the embedded data only"));
            EMPTY.get_or_init(StoredData::empty)
        }
    }
}
