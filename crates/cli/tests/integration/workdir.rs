//! `Workdir`: a scratch directory plus helpers to run the real `safetygap`
//! binary in it (after xsv's test helper of the same name).

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory; commands run in it with their own data directory
/// (`xdg-data/safetygap`), so no test sees the user's imported data.
pub struct Workdir {
    /// The directory.
    pub dir: PathBuf,
}

/// Removes the directory when the test ends (batch outputs run to hundreds
/// of megabytes, and thousands of runs filled a disk); set
/// `SAFETYGAP_KEEP_TEST_DIRS=1` to keep them for inspection.
impl Drop for Workdir {
    fn drop(&mut self) {
        if std::env::var_os("SAFETYGAP_KEEP_TEST_DIRS").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Workdir {
    /// A fresh, empty directory, unique within this test run.
    pub fn new(name: &str) -> Workdir {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("safetygap-it-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Workdir { dir }
    }

    /// Writes a file into the directory and returns its path.
    pub fn write(&self, name: &str, contents: &[u8]) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Reads a text file from the directory.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap()
    }

    /// The default data directory of commands run here.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("xdg-data").join("safetygap")
    }

    /// The command, not yet run.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_safetygap"));
        c.current_dir(&self.dir).args(args);
        c.env("XDG_DATA_HOME", self.dir.join("xdg-data"));
        c.env_remove("SAFETYGAP_DATA_DIR");
        c.env_remove("RUST_BACKTRACE");
        c
    }

    fn success(&self, args: &[&str], out: Output) -> Output {
        assert!(out.status.success(), "safetygap {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// Runs with `RAYON_NUM_THREADS` set (when given), requires success,
    /// returns stdout.
    pub fn ok_with(&self, args: &[&str], threads: Option<&str>) -> String {
        let mut c = self.cmd(args);
        if let Some(t) = threads {
            c.env("RAYON_NUM_THREADS", t);
        }
        let out = self.success(args, c.output().unwrap());
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and requires success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_with(args, None)
    }

    /// Runs and requires success; returns stderr.
    pub fn ok_stderr(&self, args: &[&str]) -> String {
        let out = self.success(args, self.cmd(args).output().unwrap());
        String::from_utf8(out.stderr).unwrap()
    }

    /// Runs and parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    /// Runs and requires exit code 2 with a clean error (no panic, no
    /// backtrace, starting with `error`); returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out: Output = self.cmd(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(2),
            "safetygap {args:?} should exit 2; stderr:\n{err}\nstdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "panic for {args:?}:\n{err}");
        let first = err.lines().find(|l| !l.starts_with("Downloading ")).unwrap_or("");
        assert!(first.starts_with("error"), "error should start with `error`: {err}");
        err
    }

    /// As [`Workdir::fails`], and the error itself is one paragraph of at
    /// most three lines (clap may add a "For more information" trailer).
    pub fn fails_paragraph(&self, args: &[&str]) -> String {
        let err = self.fails(args);
        let first = err.split("\n\n").next().unwrap_or("");
        assert!(first.lines().count() <= 3, "one paragraph: {err}");
        err
    }

    /// As [`Workdir::fails`], and the error is a single line.
    pub fn fails_one_line(&self, args: &[&str]) -> String {
        let err = self.fails(args);
        let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("Downloading ")).collect();
        assert_eq!(lines.len(), 1, "one line: {err}");
        err
    }
}
