//! Replacing a file atomically and durably: the one way safetygap writes a
//! file a reader or a later run relies on (the data store's files, batch
//! outputs, reports).
//!
//! The content goes to a temporary file in the target's directory (a hidden
//! name that [`is_temp_name`] recognises), is flushed to disk (`fsync`), and
//! the temporary file is renamed over the target; the directory is then
//! flushed too where the platform allows it. Readers see the old file or the
//! new one, never a mix, and a crash or error leaves the target untouched.
//! On error the temporary file is removed. A target that exists and is
//! not a regular file (a device such as `/dev/stdout`, a pipe) is written in
//! place.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Replaces `path` with `bytes`.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// Replaces `path` with what `body` writes (buffered, for large outputs
/// written piece by piece).
pub fn write_with<E: From<io::Error>>(path: &Path, body: impl FnOnce(&mut BufWriter<File>) -> Result<(), E>) -> Result<(), E> {
    replace_with(path, |tmp| {
        // A fresh temporary file, or a device or pipe written in place.
        let file = if tmp == path {
            OpenOptions::new().write(true).open(tmp)?
        } else {
            OpenOptions::new().write(true).create_new(true).open(tmp)?
        };
        let mut w = BufWriter::new(file);
        body(&mut w)?;
        w.into_inner().map_err(io::IntoInnerError::into_error)?;
        Ok(())
    })
}

/// Replaces `path` with the file `create` writes at the temporary path it
/// is given (for writers that insist on a path of their own, such as a
/// workbook library).
pub fn replace_with<E: From<io::Error>>(path: &Path, create: impl FnOnce(&Path) -> Result<(), E>) -> Result<(), E> {
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        // A device or pipe (`--out /dev/stdout`, a FIFO): nothing to
        // replace, and renaming over it would be wrong; write to it.
        return create(path);
    }
    let tmp = temp_path(path);
    let result = create(&tmp).and_then(|()| {
        // Write access: Windows cannot flush a file opened read-only.
        OpenOptions::new().write(true).open(&tmp)?.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(path.parent().unwrap_or(Path::new(".")));
        Ok(())
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `.{name}.tmp-{pid}-{n}` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy());
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Whether a file name is one of this module's temporary files (left behind
/// only when the process was killed mid-write).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp-")
}

/// Flushes a directory's entries (the rename) to disk where the platform
/// allows it; failure only weakens crash safety, so it is ignored.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sg-atomic-{tag}-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> usize {
        fs::read_dir(dir).unwrap().filter(|e| is_temp_name(&e.as_ref().unwrap().file_name().to_string_lossy())).count()
    }

    #[test]
    fn replaces_and_leaves_nothing_behind() {
        let dir = scratch("ok");
        write(&dir.join("a.txt"), b"one").unwrap();
        write(&dir.join("a.txt"), b"two").unwrap();
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"two");
        write_with(&dir.join("b.txt"), |w| w.write_all(b"streamed")).unwrap();
        assert_eq!(fs::read(dir.join("b.txt")).unwrap(), b"streamed");
        assert_eq!(leftovers(&dir), 0);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        write(Path::new("/dev/null"), b"x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file(), "/dev/null is still a device");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = scratch("fail");
        write(&dir.join("a.txt"), b"old").unwrap();
        let e = write_with(&dir.join("a.txt"), |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        });
        assert!(e.is_err());
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"old");
        assert_eq!(leftovers(&dir), 0);
        fs::remove_dir_all(&dir).unwrap();
    }
}
