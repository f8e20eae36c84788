//! Saved plans in an embedded SQLite database.
//!
//! One file (by default `$XDG_DATA_HOME/safetygap/plans.db`), in WAL mode,
//! so `safetygap serve` needs no other server. Every write is one
//! transaction: a crash (even `kill -9`) leaves each plan either fully saved
//! or not saved at all. The schema is versioned with `PRAGMA user_version`
//! and migrated forward on open; a database written by a newer safetygap is
//! refused rather than damaged.

use crate::scenario::Scenario;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use utoipa::ToSchema;

/// Schema migrations, in order; migration `i` takes `user_version` from `i`
/// to `i + 1`. Append only: never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: saved plans.
    "CREATE TABLE saved_plan (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        geoid     TEXT,
        scenario  TEXT    NOT NULL CHECK (json_valid(scenario)),
        revision  INTEGER NOT NULL DEFAULT 1,
        created   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX saved_plan_updated ON saved_plan (updated DESC);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the store failed.
#[derive(Debug)]
pub enum StoreError {
    /// SQLite reported an error.
    Sqlite(rusqlite::Error),
    /// The file could not be opened as a saved-plan database.
    Open(PathBuf, rusqlite::Error),
    /// The database was written by a newer safetygap.
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
    },
    /// The data directory could not be created.
    Io(PathBuf, std::io::Error),
    /// A stored scenario is not valid JSON for this version.
    Corrupt {
        /// The plan's id.
        id: i64,
        /// What is wrong.
        reason: String,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "saved-plan database error: {e}"),
            StoreError::Open(p, e) => write!(
                f,
                "cannot use {} as the saved-plan database ({e}); give a new or existing safetygap database file with --db",
                p.display()
            ),
            StoreError::TooNew { path, found } => write!(
                f,
                "{} has schema version {found}, newer than this safetygap understands ({SCHEMA_VERSION}); upgrade safetygap or give another file with --db",
                path.display()
            ),
            StoreError::Io(p, e) => write!(f, "cannot create the data directory {}: {e}; give another file with --db", p.display()),
            StoreError::Corrupt { id, reason } => write!(f, "saved plan {id} cannot be read: {reason}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

/// A saved plan: a name and the scenario it was saved with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SavedPlan {
    /// Its id.
    pub id: i64,
    /// The name it was saved under.
    pub name: String,
    /// The scenario: jurisdiction, driver figures, inventory, options.
    pub scenario: Scenario,
    /// Increases by one on every update (also sent as the `ETag`).
    pub revision: i64,
    /// When it was created (UTC, RFC 3339).
    pub created: String,
    /// When it was last updated (UTC, RFC 3339).
    pub updated: String,
}

/// A saved plan in a list (without its scenario).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SavedPlanSummary {
    /// Its id.
    pub id: i64,
    /// The name it was saved under.
    pub name: String,
    /// The jurisdiction's GEOID (absent for a custom area).
    pub geoid: Option<String>,
    /// Revision number.
    pub revision: i64,
    /// When it was created (UTC, RFC 3339).
    pub created: String,
    /// When it was last updated (UTC, RFC 3339).
    pub updated: String,
}

/// What an update found.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// Updated; the new version.
    Done(Box<SavedPlan>),
    /// No plan has that id.
    Missing,
    /// The plan's revision is not the one expected.
    Conflict(i64),
}

/// The saved-plan database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

/// `$XDG_DATA_HOME/safetygap/plans.db`, or `~/.local/share/safetygap/plans.db`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("safetygap").join("plans.db"))
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL: readers never block the writer, and a crash mid-write leaves the
    // last committed state. NORMAL sync is durable against a process crash
    // (the WAL is in the OS's cache); only a power cut can lose the last
    // transactions, never corrupt the file.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: version });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

const COLUMNS: &str = "id, name, scenario, revision, created, updated";

fn row_to_plan(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String, i64, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn decode((id, name, scenario, revision, created, updated): (i64, String, String, i64, String, String)) -> Result<SavedPlan, StoreError> {
    let scenario = serde_json::from_str(&scenario).map_err(|e| StoreError::Corrupt { id, reason: e.to_string() })?;
    Ok(SavedPlan { id, name, scenario, revision, created, updated })
}

impl Store {
    /// Opens (creating if needed) the database at `path`, creating its
    /// directory, switching to WAL and migrating the schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(dir.to_path_buf(), e))?;
        }
        let named = |e: StoreError| match e {
            StoreError::Sqlite(e) => StoreError::Open(path.to_path_buf(), e),
            other => other,
        };
        let mut conn = Connection::open(path).map_err(|e| named(e.into()))?;
        configure(&conn).map_err(named)?;
        migrate(&mut conn, path).map_err(named)?;
        Ok(Store { conn: Mutex::new(conn), path: Some(path.to_path_buf()) })
    }

    /// A database in memory (tests, `--db :memory:`); gone when dropped.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate(&mut conn, Path::new(":memory:"))?;
        Ok(Store { conn: Mutex::new(conn), path: None })
    }

    /// The file, if not in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent
        // (an open transaction rolls back when dropped), so keep going.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every saved plan, most recently updated first.
    pub fn list(&self) -> Result<Vec<SavedPlanSummary>, StoreError> {
        let conn = self.conn();
        let mut st =
            conn.prepare_cached("SELECT id, name, geoid, revision, created, updated FROM saved_plan ORDER BY updated DESC, id DESC")?;
        let rows = st.query_map([], |r| {
            Ok(SavedPlanSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                geoid: r.get(2)?,
                revision: r.get(3)?,
                created: r.get(4)?,
                updated: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One saved plan.
    pub fn get(&self, id: i64) -> Result<Option<SavedPlan>, StoreError> {
        let conn = self.conn();
        let row = conn.query_row(&format!("SELECT {COLUMNS} FROM saved_plan WHERE id = ?1"), [id], row_to_plan).optional()?;
        row.map(decode).transpose()
    }

    /// Saves a new plan, in one transaction.
    pub fn create(&self, name: &str, scenario: &Scenario) -> Result<SavedPlan, StoreError> {
        let json = serde_json::to_string(scenario).map_err(|e| StoreError::Corrupt { id: 0, reason: e.to_string() })?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("INSERT INTO saved_plan (name, geoid, scenario) VALUES (?1, ?2, ?3)", params![name, scenario.geoid, json])?;
        let id = tx.last_insert_rowid();
        let row = tx.query_row(&format!("SELECT {COLUMNS} FROM saved_plan WHERE id = ?1"), [id], row_to_plan)?;
        tx.commit()?;
        decode(row)
    }

    /// Replaces a plan's name and scenario, in one transaction; with
    /// `expected`, only if its revision is still that one.
    pub fn update(&self, id: i64, name: &str, scenario: &Scenario, expected: Option<i64>) -> Result<Update, StoreError> {
        let json = serde_json::to_string(scenario).map_err(|e| StoreError::Corrupt { id, reason: e.to_string() })?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<i64> = tx.query_row("SELECT revision FROM saved_plan WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let Some(current) = current else { return Ok(Update::Missing) };
        if expected.is_some_and(|e| e != current) {
            return Ok(Update::Conflict(current));
        }
        tx.execute(
            "UPDATE saved_plan SET name = ?2, geoid = ?3, scenario = ?4, revision = revision + 1,
             updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
            params![id, name, scenario.geoid, json],
        )?;
        let row = tx.query_row(&format!("SELECT {COLUMNS} FROM saved_plan WHERE id = ?1"), [id], row_to_plan)?;
        tx.commit()?;
        Ok(Update::Done(Box::new(decode(row)?)))
    }

    /// Deletes a plan; false when there was none.
    pub fn delete(&self, id: i64) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("DELETE FROM saved_plan WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound file.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let conn = self.conn();
        let mut st = conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(lines.join("\n"))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn().query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}
