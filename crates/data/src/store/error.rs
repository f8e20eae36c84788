//! The error type of the data store and the downloader.
//!
//! Like the importers' errors, each message is one paragraph that names the
//! file or directory, says what is wrong and how to fix it, and — since the
//! store's promise is that a failed operation changes nothing — says so
//! where it matters.

use std::path::PathBuf;

use crate::import::ImportError;

/// Why the store could not be read, written or updated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No data directory could be worked out from the environment.
    #[error("cannot tell where to keep imported data: neither XDG_DATA_HOME nor HOME is set. Give a directory with --data-dir DIR or the SAFETYGAP_DATA_DIR environment variable")]
    NoDataDir,

    /// The data directory (or a file in it) could not be written.
    #[error("cannot write to the data directory {dir} ({action}: {cause}); nothing stored was changed. Make the directory writable (for example `chmod u+w {dir}`), or keep the data elsewhere with --data-dir DIR or the SAFETYGAP_DATA_DIR environment variable")]
    Unwritable {
        /// The data directory.
        dir: PathBuf,
        /// What was being done ("creating the directory", "writing manifest.json").
        action: String,
        /// What the operating system reported.
        cause: std::io::Error,
    },

    /// The data directory's path exists but is not a directory.
    #[error("the data directory {dir} is not a directory (a file of that name is in the way); move the file away, or keep the data elsewhere with --data-dir DIR or the SAFETYGAP_DATA_DIR environment variable")]
    NotADirectory {
        /// The path that should be a directory.
        dir: PathBuf,
    },

    /// A stored file could not be read.
    #[error("cannot read {file} ({cause}); check that you are allowed to read the data directory, or remove the imported data with `safetygap data reset --yes` and import your files again")]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What the operating system reported.
        cause: std::io::Error,
    },

    /// The manifest is not valid.
    #[error("{file}: the list of imported data is damaged ({detail}), so the imported data cannot be used. Run `safetygap data reset --yes` to remove it (the embedded data is used again), then import your files again")]
    CorruptManifest {
        /// The manifest's path.
        file: PathBuf,
        /// What is wrong with it.
        detail: String,
    },

    /// The manifest was written by a newer version of safetygap.
    #[error("{file} was written by a newer safetygap (store format {found}; this version reads format {supported}); update safetygap, or run `safetygap data reset --yes` and import your files again")]
    NewerFormat {
        /// The manifest's path.
        file: PathBuf,
        /// The format it declares.
        found: u32,
        /// The format this version reads.
        supported: u32,
    },

    /// A stored data file is missing, altered or unreadable.
    #[error("{file}: the stored data imported from {original} is damaged ({detail}). Import {original} again with `safetygap data import` (which replaces it), or remove all imported data with `safetygap data reset --yes`")]
    CorruptSource {
        /// The stored file's path.
        file: PathBuf,
        /// The file it was imported from.
        original: String,
        /// What is wrong with it.
        detail: String,
    },

    /// The importer refused the file.
    #[error("{0}. Nothing stored was changed")]
    Import(ImportError),

    /// The file was read but cannot be used for what it claims to give.
    #[error("{file}: {problem}; {fix}. Nothing stored was changed")]
    Rejected {
        /// The file as the user named it.
        file: String,
        /// What is wrong.
        problem: String,
        /// What to do instead.
        fix: String,
    },

    /// A download URL is not allowed.
    #[error("{url}: {problem}; give an https:// address (plain http:// is allowed only for 127.0.0.1 and localhost, for testing). Your stored data is unchanged")]
    BadUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        problem: String,
    },

    /// The server could not be reached or the transfer broke off.
    #[error("could not reach {url} ({detail}); your stored data is unchanged. Check your internet connection or proxy and try again, or download the file by hand and run `safetygap data import FILE`")]
    Unreachable {
        /// The URL.
        url: String,
        /// What went wrong.
        detail: String,
    },

    /// The server answered with an error status.
    #[error("{url}: the server answered HTTP {status}; your stored data is unchanged. The file may have moved: give a mirror with --url-base URL, or download the file by hand and run `safetygap data import FILE`")]
    HttpStatus {
        /// The URL.
        url: String,
        /// The HTTP status code.
        status: u16,
    },

    /// The download is larger than the limit.
    #[error("{url}: the file is larger than {limit} bytes, far more than any official population file, so it was not downloaded; your stored data is unchanged. Check the address, or download the file by hand and run `safetygap data import FILE`")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: u64,
    },

    /// The downloaded bytes are not the expected file.
    #[error("the file downloaded from {url} is not usable: {detail}. Your stored data is unchanged; the publisher may have changed the file, so download it by hand and run `safetygap data import FILE`")]
    BadDownload {
        /// The URL.
        url: String,
        /// The importer's complaint.
        detail: String,
    },
}

impl From<ImportError> for StoreError {
    fn from(e: ImportError) -> Self {
        StoreError::Import(e)
    }
}
