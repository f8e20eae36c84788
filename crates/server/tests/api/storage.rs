//! Saved plans survive a restart and a `kill -9` in the middle of writing.
//!
//! The crash test re-runs this test binary as a child process (selecting
//! the `storage::child_writer` test, which only writes when an environment
//! variable names a database), lets it save plans in a loop, kills it with
//! SIGKILL and checks the database it left behind.

use safetygap_server::scenario::{InventoryValue, Scenario};
use safetygap_server::storage::{Store, Update, SCHEMA_VERSION};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_DB: &str = "SAFETYGAP_STORAGE_CHILD_DB";

/// The child's name as the test harness lists it (`api -- --list`). Were it
/// stale, the child would run no test and commit nothing, and the crash test
/// fails on its "committed only 0 plans" assertion.
const CHILD_TEST: &str = "storage::child_writer";

fn tempdir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let d = std::env::temp_dir().join(format!("safetygap-storage-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn scenario(i: u64) -> Scenario {
    let mut s = Scenario::for_geoid("06001");
    s.inventory.insert("dv_shelter_bed".into(), InventoryValue::Number(i as f64));
    // A large member, so writes span several pages and a kill can land inside one.
    s.name = Some(format!("plan {i} {}", "x".repeat(150)));
    s
}

#[test]
fn a_saved_plan_survives_a_restart() {
    let dir = tempdir("restart");
    let db = dir.join("nested/dir/plans.db");
    let (id, updated_id) = {
        let store = Store::open(&db).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let a = store.create("Alameda draft", &scenario(3)).unwrap();
        let b = store.create("To change", &scenario(4)).unwrap();
        let Update::Done(b2) = store.update(b.id, "Changed", &scenario(5), Some(b.revision)).unwrap() else { panic!("update failed") };
        assert_eq!(b2.revision, 2);
        assert_eq!(store.update(b.id, "Stale", &scenario(6), Some(1)).unwrap(), Update::Conflict(2));
        assert_eq!(store.update(999, "Nobody", &scenario(6), None).unwrap(), Update::Missing);
        (a.id, b.id)
    };
    // Reopen: everything is there, the schema is not migrated twice.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let a = store.get(id).unwrap().unwrap();
    assert_eq!(a.name, "Alameda draft");
    assert_eq!(a.scenario, scenario(3));
    let b = store.get(updated_id).unwrap().unwrap();
    assert_eq!((b.name.as_str(), b.revision), ("Changed", 2));
    assert_eq!(b.scenario, scenario(5));
    assert_eq!(store.list().unwrap().len(), 2);
    assert!(store.delete(id).unwrap());
    assert!(!store.delete(id).unwrap());
    drop(store);
    assert!(Store::open(&db).unwrap().get(id).unwrap().is_none());
    let mode: String = rusqlite_journal_mode(&db);
    assert_eq!(mode, "wal");
    std::fs::remove_dir_all(dir).ok();
}

fn rusqlite_journal_mode(db: &std::path::Path) -> String {
    // Read the header: bytes 18 and 19 are 2 in WAL mode.
    let bytes = std::fs::read(db).unwrap();
    if bytes[18] == 2 && bytes[19] == 2 {
        "wal".into()
    } else {
        "rollback".into()
    }
}

#[test]
fn refuses_a_database_from_a_newer_version() {
    let dir = tempdir("newer");
    let db = dir.join("plans.db");
    drop(Store::open(&db).unwrap());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
    }
    let e = Store::open(&db).unwrap_err().to_string();
    assert!(e.contains("newer"), "{e}");
    std::fs::remove_dir_all(dir).ok();
}

/// The child: saves plans until killed, printing each id after its commit.
/// Ignored in normal runs (it would loop forever); the crash test below runs
/// it explicitly with `--ignored`, naming the database in the environment.
#[test]
#[ignore = "a child process of a_kill_dash_9_mid_write_loses_nothing_committed, which runs it"]
fn child_writer() {
    let path = std::env::var(CHILD_DB).expect("run by the crash test, which names the database in SAFETYGAP_STORAGE_CHILD_DB");
    use std::io::Write;
    let store = Store::open(std::path::Path::new(&path)).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let p = store.create(&format!("plan {i}"), &scenario(i)).unwrap();
        // Also update an earlier plan, so kills land in updates too.
        if i > 0 && i % 3 == 0 {
            let _ = store.update(p.id - 1, &format!("plan {} (updated)", i - 1), &scenario(i - 1), None).unwrap();
        }
        writeln!(out, "committed {} {i}", p.id).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn a_kill_dash_9_mid_write_loses_nothing_committed() {
    let dir = tempdir("kill");
    let db = dir.join("plans.db");
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", CHILD_TEST, "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut committed: Vec<(i64, u64)> = Vec::new();
        let start = Instant::now();
        // Let it write a while (a different amount each round), then SIGKILL it.
        let target = 40 + round * 35;
        while committed.len() < target && start.elapsed() < Duration::from_secs(30) {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(rest) = line.strip_prefix("committed ") {
                let mut it = rest.split(' ');
                committed.push((it.next().unwrap().parse().unwrap(), it.next().unwrap().parse().unwrap()));
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback, no checkpoint.
        child.wait().unwrap();
        assert!(committed.len() >= 10, "round {round}: the child committed only {} plans", committed.len());

        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        for (id, i) in &committed {
            let p = store.get(*id).unwrap().unwrap_or_else(|| panic!("round {round}: committed plan {id} is gone"));
            assert!(p.name.starts_with(&format!("plan {i}")), "{}", p.name);
            assert_eq!(p.scenario.inventory["dv_shelter_bed"].quantity(), *i as f64);
        }
        // Every row that is there, committed-and-reported or not, reads whole.
        for s in store.list().unwrap() {
            store.get(s.id).unwrap().unwrap();
        }
    }
    std::fs::remove_dir_all(dir).ok();
}
