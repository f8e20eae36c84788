//! Simulation, sensitivity, budgets and phase-in plans through the real
//! `safetygap` binary.

use crate::workdir::Workdir;

fn triples(v: &serde_json::Value, path: &str, out: &mut Vec<(String, [f64; 3])>) {
    match v {
        serde_json::Value::Object(m) if m.contains_key("p50") => {
            out.push((path.to_string(), [m["p5"].as_f64().unwrap(), m["p50"].as_f64().unwrap(), m["p95"].as_f64().unwrap()]));
        }
        serde_json::Value::Object(m) => m.iter().for_each(|(k, v)| triples(v, &format!("{path}.{k}"), out)),
        serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| triples(v, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

#[test]
fn simulated_json_is_ordered_and_additive() {
    let wd = Workdir::new("json");
    let plain = wd.json(&["plan", "--population", "250000", "--format", "json"]);
    assert!(plain.get("simulation").is_none(), "no simulation without --simulate");
    let sim = wd.json(&["plan", "--population", "250000", "--simulate", "1,000", "--seed", "9", "--format", "json"]);
    // Everything else is unchanged.
    let mut without = sim.clone();
    without.as_object_mut().unwrap().remove("simulation");
    assert_eq!(without, plain);
    let s = &sim["simulation"];
    assert_eq!(s["draws"], 1000);
    assert_eq!(s["seed"], 9);
    assert_eq!(s["distribution"], "pert");
    let mut all = Vec::new();
    triples(s, "simulation", &mut all);
    assert!(all.len() > 100);
    for (path, [p5, p50, p95]) in &all {
        assert!(p5 <= p50 && p50 <= p95, "{path}: {p5} {p50} {p95}");
    }
    let total = &s["totals"]["annual_cost"];
    assert!(total["p5"].as_f64() < total["p95"].as_f64());
    let mid = plain["totals"]["annual_cost"]["mid"].as_f64().unwrap();
    assert!(total["p5"].as_f64().unwrap() < mid && mid < total["p95"].as_f64().unwrap());
}

#[test]
fn same_seed_same_bytes_for_one_and_two_threads() {
    let wd = Workdir::new("threads");
    for format in ["table", "json", "markdown", "csv"] {
        let args = ["plan", "--population", "180000", "--set", "homicides=12", "--simulate", "3000", "--seed", "42", "--format", format];
        let one = wd.ok_with(&args, Some("1"));
        let two = wd.ok_with(&args, Some("2"));
        assert_eq!(one, two, "{format} differs between 1 and 2 threads");
        let again = wd.ok_with(&args, Some("2"));
        assert_eq!(two, again);
    }
    let a = wd.ok(&["plan", "--population", "180000", "--simulate", "500", "--seed", "1", "--format", "json"]);
    let b = wd.ok(&["plan", "--population", "180000", "--simulate", "500", "--seed", "2", "--format", "json"]);
    assert_ne!(a, b);
}

#[test]
fn simulated_table_and_markdown_sections() {
    let wd = Workdir::new("sections");
    let plain = wd.ok(&["plan", "--population", "250000"]);
    let table = wd.ok(&["plan", "--population", "250000", "--simulate", "400"]);
    assert!(table.starts_with(&plain), "the plain table comes first, unchanged");
    assert!(table.contains("\nSIMULATION\n") && table.contains("90% interval"));
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let md = wd.ok(&["plan", "--population", "250000", "--simulate", "400", "--format", "markdown"]);
    assert!(md.contains("## Uncertainty (simulation)"));
    assert!(md.contains("| **Total** |"));
    let csv = wd.ok(&["plan", "--population", "250000", "--simulate", "400", "--format", "csv"]);
    assert!(csv.starts_with("jurisdiction_id,level,id,gap_area,need_p5,"));
}

#[test]
fn sensitivity_ranks_inputs() {
    let wd = Workdir::new("sens");
    let t = wd.ok(&["sensitivity", "--population", "250000", "--top", "5"]);
    assert!(t.contains("Swing") && t.contains("Share"));
    for line in t.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let j = wd.json(&["sensitivity", "--population", "250000", "--top", "0", "--format", "json"]);
    let swings = j["swings"].as_array().unwrap();
    let shares: f64 = swings.iter().map(|s| s["share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-9);
    let s: Vec<f64> = swings.iter().map(|s| s["swing"].as_f64().unwrap()).collect();
    assert!(s.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn budgets_and_phase_ins() {
    let wd = Workdir::new("budget");
    for strategy in ["proportional", "priority", "equalize"] {
        let j = wd.json(&["budget", "--population", "250000", "--amount", "$5,000,000", "--strategy", strategy, "--format", "json"]);
        let spent = j["spent"].as_f64().unwrap();
        assert!(spent <= 5_000_000.0 && spent > 4_000_000.0, "{strategy}: {spent}");
        let left = j["left_over"].as_f64().unwrap();
        for l in j["lines"].as_array().unwrap() {
            if l["whole_units"] == true && l["unfunded_units"].as_f64().unwrap() >= 1.0 {
                assert!(l["unit_cost"].as_f64().unwrap() > left, "{strategy}: {} affordable", l["id"]);
            }
        }
    }
    let t = wd.ok(&[
        "budget",
        "--population",
        "250000",
        "--amount",
        "5000000",
        "--strategy",
        "priority",
        "--priority",
        "reentry,victim_services",
    ]);
    assert!(t.contains("Order: reentry → victim_services"));
    for line in t.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let t = wd.ok(&["phase-in", "--population", "250000", "--years", "5", "--ramp", "0.1,0.2,0.2,0.25,0.25", "--dollar-year", "2025"]);
    assert!(t.contains("in 2025 dollars"));
    for line in t.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let j = wd.json(&["phase-in", "--population", "250000", "--years", "3", "--format", "json"]);
    assert_eq!(j["totals"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_input_is_one_paragraph_and_exit_2() {
    let wd = Workdir::new("bad");
    let p = ["--population", "100000"];
    let run = |extra: &[&str]| {
        let mut a: Vec<&str> = extra[..1].to_vec();
        a.extend(p);
        a.extend(&extra[1..]);
        wd.fails_paragraph(&a)
    };
    assert!(run(&["plan", "--simulate", "0"]).contains("at least one draw"));
    assert!(run(&["plan", "--simulate", "2000000"]).contains("1,000,000"));
    assert!(run(&["plan", "--simulate", "1.5"]).contains("whole number"));
    run(&["plan", "--seed", "3"]);
    assert!(run(&["budget", "--amount", "-5"]).contains("negative"));
    assert!(run(&["budget", "--amount", "lots"]).contains("not a number"));
    assert!(run(&["budget", "--amount", "5e6", "--strategy", "fastest"]).contains("not a budget strategy"));
    assert!(run(&["budget", "--amount", "5e6", "--strategy", "priority", "--priority", "housing"]).contains("not a gap area"));
    assert!(run(&["budget", "--amount", "5e6", "--priority", "reentry"]).contains("only applies"));
    assert!(run(&["phase-in", "--years", "3", "--ramp", "0.2,0.2,0.2"]).contains("sum to"));
    assert!(run(&["phase-in", "--years", "2", "--ramp", "0.5,0.25,0.25"]).contains("one share per year"));
    assert!(run(&["phase-in", "--years", "0"]).contains("1 to 30"));
    assert!(run(&["phase-in", "--years", "-2"]).contains("1 to 30"));
    assert!(run(&["phase-in", "--dollar-year", "1950"]).contains("1950"));
    wd.fails_paragraph(&["sensitivity", "--population", "0"]);
}
