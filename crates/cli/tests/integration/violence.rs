//! Local violence in plans: embedded FBI city figures, the CVI model that
//! follows them, and incident-file imports through the binary.

use crate::workdir::Workdir;
use serde_json::Value;

fn driver<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["drivers"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("driver {id}"))
}

/// The NYPD file through the binary; a bad file stores nothing.
#[test]
fn incident_import_through_the_binary() {
    let wd = Workdir::new("violence-incidents");
    let nypd = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/incidents/NYPD_Shooting_Incident_Data__Historic_.csv");
    let search = wd.ok(&["search", "New York, NY"]);
    let geoid = search.lines().find(|l| l.contains(" place ")).and_then(|l| l.split_whitespace().rev().nth(1)).unwrap().to_string();
    wd.write("cut.csv", &std::fs::read(nypd).unwrap()[..100_000]);
    let e = wd.fails(&["data", "import", "cut.csv", "--kind", "incidents", "--place", &geoid]);
    assert!(e.contains("cut.csv:") && e.contains("cut short"), "{e}");
    assert!(!wd.ok(&["data", "status"]).contains("cut.csv"), "nothing stored");
    let out = wd.ok(&["data", "import", nypd, "--kind", "incidents", "--place", &geoid]);
    assert!(out.contains("754 shooting incidents"), "{out}");
    let plan = wd.json(&["plan", &geoid, "--format", "json"]);
    let s = driver(&plan, "nonfatal_shootings");
    assert_eq!((s["basis"].as_str(), s["vintage"].as_str()), (Some("given"), Some("2018")));
    assert_eq!(s["value"]["mid"].as_f64().unwrap() + driver(&plan, "homicides")["value"]["mid"].as_f64().unwrap(), 754.0);
}
