//! `safetygap data`: import, status, update, reset, and imported figures
//! in plans, running the real binary. Files come from `shared/data/`; the
//! update tests use a local HTTP server, never the internet.

use crate::workdir::Workdir;

use std::net::TcpListener;

#[path = "../../../data/tests/data/shared.rs"]
#[allow(dead_code)]
pub(crate) mod shared;
use shared::{bjs_releases, co_est_2023, fbi, snapshot, sub_est_2019};

fn driver<'a>(plan: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    plan["drivers"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("no driver {id}"))
}

fn la_population(wd: &Workdir) -> (f64, String, String) {
    let plan = wd.json(&["plan", "Los Angeles County, CA", "--format", "json"]);
    let d = driver(&plan, "population");
    (d["value"]["mid"].as_f64().unwrap(), d["source"].as_str().unwrap().to_string(), d["vintage"].as_str().unwrap_or("").to_string())
}

#[test]
fn imported_census_population_takes_precedence() {
    let wd = Workdir::new("census");
    // The embedded figure is Vintage 2023 already; the import shows in the source.
    let (pop, source, vintage) = la_population(&wd);
    assert_eq!(pop, 9_663_345.0);
    assert_eq!(vintage, "2023");
    assert!(!source.contains("imported"), "{source}");

    let out = wd.ok(&["data", "import", co_est_2023()]);
    assert!(out.contains("census-counties") && out.contains("vintage 2023"), "{out}");
    assert!(wd.data_dir().join("manifest.json").is_file());

    let (pop, source, vintage) = la_population(&wd);
    assert_eq!(pop, 9_663_345.0);
    assert_eq!(vintage, "2023");
    assert!(source.contains("co-est2023-alldata.csv") && source.contains("imported"), "{source}");

    // The nation follows its states; plan --context uses imported data too.
    let us = wd.json(&["plan", "--geoid", "US", "--format", "json"]);
    assert_eq!(driver(&us, "population")["value"]["mid"], 334_914_895.0);
    // A custom area is unaffected.
    let custom = wd.json(&["plan", "--population", "100000", "--format", "json"]);
    assert_eq!(driver(&custom, "population")["value"]["mid"], 100_000.0);
}

#[test]
fn status_lists_sources_and_precedence() {
    let wd = Workdir::new("status");
    let out = wd.ok(&["data", "status"]);
    assert!(out.contains("nothing imported") && out.contains("Vintage 2023") && out.contains("libbee"), "{out}");
    wd.ok(&["data", "import", co_est_2023()]);
    wd.ok(&["data", "import", fbi()]);
    let out = wd.ok(&["data", "status"]);
    assert!(out.contains("co-est2023-alldata.csv") && out.contains("vintage 2023"), "{out}");
    assert!(out.contains("estimated_crimes_1979_2023.csv"), "{out}");
    assert!(out.contains(&wd.data_dir().display().to_string()), "{out}");
    let v = wd.json(&["data", "status", "--format", "json"]);
    let imported = v["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 2);
    assert_eq!(imported[0]["kind"], "census-counties");
    // Every state and county row of the file: awk -F, '$1==40 || $1==50' …/co-est2023-alldata.csv | wc -l → 3195
    assert_eq!(imported[0]["records"], 3195);
    assert_eq!(imported[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(v["embedded"].as_array().unwrap().len() >= 4);
    let packages = v["embedded_packages"].as_array().unwrap();
    assert!(packages.iter().any(|p| p["package"] == "libbee" && p["version"] == "0.0.7"), "{packages:?}");
    let counties = v["precedence"].as_array().unwrap().iter().find(|f| f["figure"] == "population of counties").unwrap();
    let first = counties["sources"][0].as_str().unwrap();
    assert!(first.starts_with("imported: co-est2023"), "{first}");
    assert!(counties["sources"][1].as_str().unwrap().starts_with("embedded"));
    assert!(v["problem"].is_null());
}

#[test]
fn bad_files_are_refused_and_change_nothing() {
    let wd = Workdir::new("bad");
    wd.ok(&["data", "import", co_est_2023()]);
    let before = snapshot(&wd.data_dir());
    let full = std::fs::read(co_est_2023()).unwrap();
    wd.write("co-est2023-truncated.csv", &full[..full.len() / 3]);
    wd.write("garbage.csv", &(0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<u8>>());
    wd.write("notes.csv", b"hello,world\n1,2\n");
    let cases: [(&[&str], &str); 5] = [
        (&["data", "import", fbi(), "--kind", "census-counties"], "not a Census county"),
        (&["data", "import", "co-est2023-truncated.csv"], "co-est2023-truncated.csv"),
        (&["data", "import", "garbage.csv"], "garbage.csv"),
        (&["data", "import", "notes.csv"], "cannot tell what kind"),
        (&["data", "import", "no-such-file.csv"], "no-such-file.csv"),
    ];
    for (args, want) in cases {
        let err = wd.fails_one_line(args);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(err.contains("Nothing stored was changed"), "{args:?}: {err}");
        assert_eq!(before, snapshot(&wd.data_dir()), "{args:?} changed the store");
    }
    let out = wd.cmd(&["data", "import", co_est_2023(), "--kind", "bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown import kind"));
    // Status and plans still show the good data.
    let out = wd.ok(&["data", "status"]);
    assert!(out.contains("co-est2023-alldata.csv"), "{out}");
    assert_eq!(la_population(&wd).0, 9_663_345.0);
}

#[test]
fn damaged_store_is_reported_and_reset_recovers() {
    let wd = Workdir::new("corrupt");
    wd.ok(&["data", "import", co_est_2023()]);
    std::fs::write(wd.data_dir().join("manifest.json"), b"{ not json").unwrap();
    let err = wd.fails_one_line(&["plan", "Los Angeles County, CA"]);
    assert!(err.contains("manifest.json") && err.contains("data reset --yes"), "{err}");
    let err = wd.fails_one_line(&["data", "status"]);
    assert!(err.contains("manifest.json"), "{err}");
    let err = wd.fails_one_line(&["data", "import", co_est_2023()]);
    assert!(err.contains("data reset --yes"), "{err}");

    let err = wd.fails_one_line(&["data", "reset"]);
    assert!(err.contains("--yes"), "{err}");
    let out = wd.ok(&["data", "reset", "--yes"]);
    assert!(out.contains("embedded data"), "{out}");
    assert!(!la_population(&wd).1.contains("imported"));

    // A damaged stored file.
    wd.ok(&["data", "import", co_est_2023()]);
    let sources = wd.data_dir().join("sources");
    let stored = std::fs::read_dir(&sources).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes.truncate(bytes.len() - 100);
    std::fs::write(&stored, bytes).unwrap();
    let err = wd.fails_one_line(&["plan", "--geoid", "06037"]);
    assert!(err.contains("co-est2023-alldata.csv") && err.contains("damaged"), "{err}");
    wd.ok(&["data", "import", co_est_2023()]);
    assert!(la_population(&wd).1.contains("imported"));
}

#[test]
fn unwritable_data_dir_exits_2() {
    let wd = Workdir::new("unwritable");
    let blocker = wd.write("blocker", b"not a directory");
    let err = wd.fails_one_line(&["data", "import", co_est_2023(), "--data-dir", blocker.to_str().unwrap()]);
    assert!(err.contains("not a directory") && err.contains("--data-dir"), "{err}");
    let inside = blocker.join("data");
    let err = wd.fails_one_line(&["data", "import", co_est_2023(), "--data-dir", inside.to_str().unwrap()]);
    assert!(err.contains("cannot write to the data directory"), "{err}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = wd.dir.join("ro");
        std::fs::create_dir_all(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores permissions, and CI runs as root: there the import
        // runs as `nobody` (uid 65534), for whom the permission holds, so
        // the check runs everywhere.
        let args = ["data", "import", co_est_2023(), "--data-dir", ro.to_str().unwrap()];
        let mut cmd = wd.cmd(&args);
        if unsafe { libc::geteuid() } == 0 {
            use std::os::unix::process::CommandExt;
            cmd.uid(65534).gid(65534);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("cannot write to the data directory"), "{err}");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn data_dir_flag_and_env() {
    let wd = Workdir::new("dirs");
    let flag_dir = wd.dir.join("by-flag");
    wd.ok(&["--data-dir", flag_dir.to_str().unwrap(), "data", "import", co_est_2023()]);
    assert!(flag_dir.join("manifest.json").is_file());
    assert!(!wd.data_dir().exists());
    // The default directory has nothing; the flag's has the import.
    assert!(!la_population(&wd).1.contains("imported"));
    let plan: serde_json::Value =
        serde_json::from_str(&wd.ok(&["plan", "--geoid", "06037", "--format", "json", "--data-dir", flag_dir.to_str().unwrap()])).unwrap();
    assert!(driver(&plan, "population")["source"].as_str().unwrap().contains("imported"));
    let out = wd.cmd(&["plan", "--geoid", "06037", "--format", "json"]).env("SAFETYGAP_DATA_DIR", &flag_dir).output().unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(driver(&plan, "population")["source"].as_str().unwrap().contains("imported"));
}

#[test]
fn places_crime_releases_and_local_drivers() {
    let wd = Workdir::new("drivers");
    let out = wd.ok(&["data", "import", sub_est_2019()]);
    assert!(out.contains("matched"), "{out}");
    wd.ok(&["data", "import", fbi()]);
    wd.ok(&["data", "import", bjs_releases()]);
    let plan = wd.json(&["plan", "Oakland, CA", "--format", "json"]);
    let pop = driver(&plan, "population");
    assert_eq!(pop["value"]["mid"], 433_031.0);
    assert_eq!(pop["vintage"], "2019");
    let releases = driver(&plan, "prison_releases");
    assert_eq!(releases["basis"], "estimated");
    assert_eq!(releases["vintage"], "2022");
    assert!(releases["source"].as_str().unwrap().contains("p22stt09.csv"));
    // Oakland has its own FBI city count (embedded); a CDP has no police of
    // its own and gets the state's imported 2023 count by population share.
    let cdp = wd.json(&["plan", "Castro Valley, CA", "--format", "json"]);
    let homicides = driver(&cdp, "homicides");
    assert_eq!(homicides["basis"], "estimated");
    assert_eq!(homicides["vintage"], "2023");
    let state = wd.json(&["plan", "California", "--format", "json"]);
    assert_eq!(driver(&state, "prison_releases")["basis"], "given");
    assert_eq!(driver(&state, "homicides")["basis"], "given");

    wd.write("ours.csv", b"geoid,homicides,prison_releases\n06001,97,1200\n");
    let out = wd.ok(&["data", "import", "ours.csv", "--vintage", "2024"]);
    assert!(out.contains("drivers"), "{out}");
    let county = wd.json(&["plan", "--geoid", "06001", "--format", "json"]);
    let h = driver(&county, "homicides");
    assert_eq!(h["value"]["mid"], 97.0);
    assert_eq!(h["basis"], "given");
    assert_eq!(h["vintage"], "2024");
    assert!(h["source"].as_str().unwrap().contains("ours.csv"));
    // --set still wins over everything stored.
    let county = wd.json(&["plan", "--geoid", "06001", "--set", "homicides=5", "--format", "json"]);
    assert_eq!(driver(&county, "homicides")["value"]["mid"], 5.0);

    wd.write("typo.csv", b"geoid,homicide\n06001,97\n");
    let err = wd.fails_one_line(&["data", "import", "typo.csv"]);
    assert!(err.contains("did you mean homicides"), "{err}");
}

/// The data crate's loopback HTTP server, shared rather than copied.
#[path = "../../../data/tests/data/http.rs"]
mod http;

/// Serves the given files (read now) at the given paths; returns the base URL.
fn serve(routes: Vec<(&'static str, &'static str)>) -> String {
    http::serve(routes.into_iter().map(|(path, file)| (path, std::fs::read(file).unwrap())).collect())
}

#[test]
fn update_from_a_local_mirror() {
    let wd = Workdir::new("update");
    let base = serve(vec![
        ("/census/co-est2024-alldata.csv", co_est_2023()),
        ("/census/sub-est2024.csv", sub_est_2019()),
        ("/wrong/co-est2024-alldata.csv", fbi()),
    ]);
    let mirror = format!("{base}/census");
    let out = wd.ok(&["data", "update", "--url-base", &mirror]);
    assert!(out.contains("census-counties") && out.contains("census-places"), "{out}");
    assert_eq!(la_population(&wd).0, 9_663_345.0);
    let v = wd.json(&["data", "status", "--format", "json"]);
    let origins: Vec<&str> = v["imported"].as_array().unwrap().iter().map(|s| s["origin"].as_str().unwrap()).collect();
    assert!(origins.iter().all(|o| o.starts_with(&base)), "{origins:?}");

    // A file of the wrong kind, a missing file, an insecure mirror: refused,
    // nothing changed.
    let before = snapshot(&wd.data_dir());
    let err = wd.fails_one_line(&["data", "update", "--only", "census-counties", "--url-base", &format!("{base}/wrong")]);
    assert!(err.contains("not usable") && err.contains("unchanged"), "{err}");
    let err = wd.fails_one_line(&["data", "update", "--only", "counties", "--url-base", &format!("{base}/gone")]);
    assert!(err.contains("HTTP 404"), "{err}");
    let err = wd.fails_one_line(&["data", "update", "--url-base", "http://mirror.invalid/census"]);
    assert!(err.contains("https://"), "{err}");
    let err = wd.fails_one_line(&["data", "update", "--only", "fbi"]);
    assert!(err.contains("by hand"), "{err}");
    assert_eq!(before, snapshot(&wd.data_dir()));
}

#[test]
fn update_offline_keeps_stored_data() {
    let wd = Workdir::new("offline");
    wd.ok(&["data", "import", co_est_2023()]);
    let before = snapshot(&wd.data_dir());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = wd.fails_one_line(&["data", "update", "--url-base", &format!("http://127.0.0.1:{port}")]);
    assert!(err.contains("could not reach") && err.contains("your stored data is unchanged"), "{err}");
    assert_eq!(before, snapshot(&wd.data_dir()));
    assert_eq!(la_population(&wd).0, 9_663_345.0);
}
