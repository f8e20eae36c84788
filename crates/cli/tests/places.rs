//! Real places from the embedded gazetteer: lookup, context, compare, batch.

use std::path::PathBuf;
use std::process::Command;

fn bin(args: &[&str], dir: &PathBuf) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_safetygap"))
        .current_dir(dir)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .env("SAFETYGAP_DATA_DIR", dir.join("store"))
        .args(args)
        .output()
        .unwrap()
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("safetygap-places-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ok(args: &[&str], dir: &PathBuf) -> String {
    let o = bin(args, dir);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn fails(args: &[&str], dir: &PathBuf) -> String {
    let o = bin(args, dir);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(2), "{args:?} should exit 2: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn plan_for_a_named_city_with_context() {
    let d = workdir("oakland");
    let out = ok(&["plan", "Oakland, CA", "--context"], &d);
    assert!(out.contains("Safety gap plan: Oakland, CA"), "{out}");
    assert!(out.contains("GeoNames"), "attribution missing");
    assert!(out.contains("Alameda County, CA") && out.contains("California") && out.contains("United States"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&ok(&["plan", "--geoid", "06001", "--format", "json"], &d)).unwrap();
    assert_eq!(json["jurisdiction"]["id"], "06001");
    assert_eq!(json["jurisdiction"]["kind"], "county");
}

#[test]
fn ambiguous_misspelt_and_bad_geoids_exit_2() {
    let d = workdir("lookup");
    let e = fails(&["plan", "Springfield"], &d);
    assert!(e.contains("ambiguous") && e.contains("Springfield, IL"), "{e}");
    let e = fails(&["plan", "Oaklnd, CA"], &d);
    assert!(e.contains("Oakland, CA"), "{e}");
    fails(&["plan", "--geoid", "99999"], &d);
    fails(&["plan", "--geoid", "abc"], &d);
    fails(&["plan", "Nowhereville, ZZ"], &d);
    let s = ok(&["search", "oakland"], &d);
    assert!(s.contains("Oakland, CA") && s.contains("GN"), "{s}");
}

#[test]
fn compare_ranks_counties_of_a_state() {
    let d = workdir("compare");
    let out = ok(&["compare", "--state", "CA", "--level", "county", "--sort", "gap_per_resident", "--format", "csv", "--limit", "0"], &d);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 58, "California has 58 counties");
    let per: Vec<f64> = rows.iter().map(|r| r.split(',').rev().nth(1).unwrap().parse().unwrap()).collect();
    assert!(per.windows(2).all(|w| w[0] >= w[1]), "not sorted descending");
    fails(&["compare", "--state", "Oakland, CA"], &d);
}

#[test]
fn batch_covers_every_county() {
    let d = workdir("batch");
    let out = d.join("counties.jsonl");
    ok(&["batch", "--level", "county", "--out", out.to_str().unwrap()], &d);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 3142);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["schema"], "safetygap.plan/1");
    let csv = d.join("ca.csv");
    ok(&["batch", "--level", "place", "--state", "CA", "--out", csv.to_str().unwrap()], &d);
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Oakland, CA"));
    fails(&["batch", "--level", "county", "--out", "x.txt"], &d);
}

#[test]
fn batch_simulates_every_state_reproducibly() {
    let d = workdir("batchsim");
    let (a, b) = (d.join("a.csv"), d.join("b.csv"));
    ok(&["batch", "--level", "state", "--simulate", "200", "--seed", "9", "--out", a.to_str().unwrap()], &d);
    ok(&["batch", "--level", "state", "--simulate", "200", "--seed", "9", "--out", b.to_str().unwrap()], &d);
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text, std::fs::read_to_string(&b).unwrap(), "same seed, same bytes");
    let header = text.lines().next().unwrap();
    assert!(header.contains("annual_cost_p5") && header.contains("annual_cost_p95"), "{header}");
    let totals: Vec<&str> = text.lines().filter(|l| l.contains(",total,")).collect();
    assert_eq!(totals.len(), 51, "one total row per state");
    fails(&["batch", "--level", "state", "--simulate", "0", "--out", a.to_str().unwrap()], &d);
}
