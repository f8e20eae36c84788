//! Integration tests that run the real `safetygap` binary.

use crate::workdir::Workdir;

fn program<'a>(plan: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    plan["programs"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn plan_json_report_formulas() {
    let wd = Workdir::new("json");
    for (pop, want) in [("100000", [1.0, 1.0, 20.0]), ("250000", [2.5, 2.5, 50.0])] {
        let plan = wd.json(&["plan", "--population", pop, "--format", "json"]);
        for (id, w) in ["trauma_recovery_center", "civil_legal_aid_organization", "dv_shelter_bed"].iter().zip(want) {
            assert_eq!(program(&plan, id)["need"]["mid"].as_f64(), Some(w), "{id} at {pop}");
        }
    }
}

#[test]
fn json_contract_has_documented_fields() {
    let wd = Workdir::new("contract");
    let plan = wd.json(&["plan", "--population", "100,000", "--name", "Testville", "--format", "json"]);
    for key in ["jurisdiction", "drivers", "programs", "totals", "catalog_version", "schema", "input_hash", "gap_areas"] {
        assert!(plan.get(key).is_some(), "missing {key}");
    }
    assert_eq!(plan["jurisdiction"]["name"], "Testville");
    for p in plan["programs"].as_array().unwrap() {
        for key in ["id", "gap_area", "unit", "evidence", "need", "existing", "gap", "annual_cost", "startup_cost"] {
            assert!(p.get(key).is_some(), "{} missing {key}", p["id"]);
        }
        for key in ["need", "gap", "annual_cost", "startup_cost"] {
            for end in ["low", "mid", "high"] {
                assert!(p[key][end].is_number(), "{}.{key}.{end}", p["id"]);
            }
        }
    }
    let d = plan["drivers"].as_array().unwrap().iter().find(|d| d["id"] == "homicides").unwrap();
    assert_eq!(d["basis"], "estimated");
}

#[test]
fn set_overrides_driver_and_says_given() {
    let wd = Workdir::new("set");
    let plan = wd.json(&["plan", "--population", "238005", "--set", "homicides=50", "--format", "json"]);
    let d = plan["drivers"].as_array().unwrap().iter().find(|d| d["id"] == "homicides").unwrap();
    assert_eq!(d["basis"], "given");
    assert_eq!(d["value"]["mid"], 50.0);
}

#[test]
fn inventory_csv_and_toml() {
    let wd = Workdir::new("inv");
    wd.write(
        "have.csv",
        b"program,quantity,source,verified\ndv_shelter_bed,12,County DV coalition 2024,yes\ntrauma_recovery_center,1,,no\n",
    );
    let plan = wd.json(&["plan", "--population", "100000", "--inventory", "have.csv", "--format", "json"]);
    assert_eq!(program(&plan, "dv_shelter_bed")["gap"]["mid"], 8.0);
    assert_eq!(program(&plan, "trauma_recovery_center")["gap"]["mid"], 0.0);
    wd.write("have.toml", b"[dv_shelter_bed]\nquantity = 30\nsource = \"count\"\n");
    let plan = wd.json(&["plan", "--population", "100000", "--inventory", "have.toml", "--format", "json"]);
    assert_eq!(program(&plan, "dv_shelter_bed")["gap"]["mid"], 0.0);
    assert_eq!(program(&plan, "dv_shelter_bed")["coverage"], 1.5);
}

#[test]
fn bad_inventories_name_the_line() {
    let wd = Workdir::new("badinv");
    wd.write("unknown.csv", b"program,quantity\ndv_shelter_bed,2\ndv_shelter_beds,3\n");
    let e = wd.fails(&["plan", "--population", "1000", "--inventory", "unknown.csv"]);
    assert!(e.contains("unknown.csv line 3") && e.contains("Did you mean `dv_shelter_bed`"), "{e}");
    wd.write("qty.csv", b"program,quantity\ndv_shelter_bed,lots\n");
    let e = wd.fails(&["plan", "--population", "1000", "--inventory", "qty.csv"]);
    assert!(e.contains("line 2") && e.contains("quantity") && e.contains("not a number"), "{e}");
    wd.write("neg.csv", b"program,quantity\ndv_shelter_bed,-2\n");
    assert!(wd.fails(&["plan", "--population", "1000", "--inventory", "neg.csv"]).contains("negative"));
    wd.write("empty.csv", b"");
    assert!(wd.fails(&["plan", "--population", "1000", "--inventory", "empty.csv"]).contains("empty"));
    wd.write("hdr.csv", b"name,count\nx,1\n");
    assert!(wd.fails(&["plan", "--population", "1000", "--inventory", "hdr.csv"]).contains("needs the columns"));
    wd.write("bad.toml", b"[dv_shelter_bed\nquantity=1");
    assert!(wd.fails(&["plan", "--population", "1000", "--inventory", "bad.toml"]).contains("bad.toml line"));
    wd.write("bin.csv", &[0xff, 0xfe, 0x00, 0x81, 0x10]);
    assert!(wd.fails(&["plan", "--population", "1000", "--inventory", "bin.csv"]).contains("UTF-8"));
    assert!(wd.fails(&["plan", "--population", "1000", "--inventory", "missing.csv"]).contains("cannot read"));
}

#[test]
fn bad_populations_and_sets_exit_2() {
    let wd = Workdir::new("badpop");
    for bad in ["-5", "0", "abc", "1e12", "NaN", "inf", ""] {
        wd.fails(&["plan", "--population", bad]);
    }
    assert!(wd.fails(&["plan"]).contains("population"));
    let e = wd.fails(&["plan", "--population", "1000", "--set", "homicide=3"]);
    assert!(e.contains("Did you mean `homicides`"), "{e}");
    assert!(wd.fails(&["plan", "--population", "1000", "--set", "homicides"]).contains("DRIVER=VALUE"));
    assert!(wd.fails(&["plan", "--population", "1000", "--set", "homicides=-1"]).contains("negative"));
    assert!(wd.fails(&["plan", "--population", "1000", "--set", "homicides=lots"]).contains("not a number"));
    assert!(wd.fails(&["plan", "--population", "1000", "--set", "homicides=99999999999999"]).contains("billion"));
    assert!(wd.fails(&["plan", "--population", "1000", "--format", "pdf"]).contains("pdf"));
}

#[test]
fn explain_shows_formula_inputs_and_arithmetic() {
    let wd = Workdir::new("explain");
    let out = wd.ok(&["explain", "dv_shelter_bed", "--population", "250000"]);
    assert!(out.contains("need = population × 20 ÷ 100000"), "{out}");
    assert!(out.contains("mid  = 250000 × 20 ÷ 100000 = 50"), "{out}");
    assert!(out.contains("Scaling Safety"), "{out}");
    assert!(out.contains("ASSUMPTION") || out.contains("Assumptions"), "{out}");
    let out = wd.ok(&["explain", "cvi_training_ta", "--population", "238005"]);
    assert!(out.contains("0.25"), "{out}");
    let e = wd.fails(&["explain", "trauma_center", "--population", "1000"]);
    assert!(e.contains("Did you mean `trauma_recovery_center`"), "{e}");
}

#[test]
fn catalog_commands() {
    let wd = Workdir::new("catalog");
    let list = wd.ok(&["catalog", "list"]);
    for id in [
        "trauma_recovery_center",
        "civil_legal_aid_organization",
        "dv_shelter_bed",
        "cvi_street_outreach",
        "psychiatric_bed",
        "reentry_housing_slot",
    ] {
        assert!(list.contains(id), "{id}");
    }
    let show = wd.ok(&["catalog", "show", "psychiatric_bed"]);
    assert!(show.contains("Hudson") && show.contains("28.1–41.7"), "{show}");
    wd.write("mine.toml", b"[[benchmark]]\nid = \"dv_shelter_bed\"\nratio = { per = 100000, low = 25, mid = 25, high = 25 }\n");
    assert!(wd.ok(&["catalog", "validate", "mine.toml"]).starts_with("ok"));
    let plan = wd.json(&["plan", "--population", "100000", "--catalog", "mine.toml", "--format", "json"]);
    assert_eq!(program(&plan, "dv_shelter_bed")["need"]["mid"], 25.0);
    assert!(plan["catalog_version"].as_str().unwrap().contains("+user."));
    wd.write("bad.toml", b"[[benchmark]]\nid = \"new_thing\"\ngap_area = \"housing\"\nname = \"N\"\nunit = \"u\"\ndriver = \"population\"\nratio = { per = 1, low = 2, mid = 1, high = 3 }\nevidence = \"report\"\nannual_cost = { low = 1, mid = 1, high = 1, year = 2023, evidence = \"assumption\", citations = [\"x\"] }\n");
    let e = wd.fails(&["catalog", "validate", "bad.toml"]);
    assert!(e.contains("bad.toml:3") && e.contains("unknown gap area"), "{e}");
    assert!(e.contains("bad.toml:7") && e.contains("low 2 ≤ mid 1"), "{e}");
    assert!(e.contains("no citation"), "{e}");
    assert!(wd.fails(&["catalog", "show", "nope_nope"]).contains("not a benchmark"));
}

#[test]
fn methodology_doc_matches_catalog() {
    let wd = Workdir::new("method");
    let generated = wd.ok(&["catalog", "methodology"]);
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/METHODOLOGY.md")).unwrap();
    assert!(generated == committed, "docs/METHODOLOGY.md is out of date: run `cargo run -q -- catalog methodology > docs/METHODOLOGY.md`");
}

#[test]
fn snapshots_of_every_format() {
    let wd = Workdir::new("snap");
    let args = ["plan", "--population", "250000", "--name", "Snapshot City", "--set", "homicides=20"];
    for format in ["table", "csv", "tsv", "markdown", "json"] {
        let mut a = args.to_vec();
        a.extend(["--format", format]);
        insta::assert_snapshot!(format!("plan_{format}"), wd.ok(&a));
    }
}

#[test]
fn table_fits_80_columns_and_flags_assumptions() {
    let wd = Workdir::new("width");
    let out = wd.ok(&["plan", "--population", "250000"]);
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "too wide ({}): {line}", line.chars().count());
    }
    assert!(out.lines().any(|l| l.starts_with("Emergency shelter") && l.contains('⚠')));
}

#[test]
fn payer_city_shows_only_the_citys_own_cost_and_names_unknown_splits() {
    let wd = Workdir::new("payer");
    let args = ["plan", "--population", "250000", "--name", "Snapshot City", "--set", "homicides=20", "--payer", "city"];
    let md = wd.ok(&[&args[..], &["--format", "markdown"]].concat());
    let block = md.split("## Who pays").nth(1).expect("a Who pays section").split("\n## ").next().unwrap_or_default();
    insta::assert_snapshot!("plan_payer_city_markdown", block);
    let json: serde_json::Value = serde_json::from_str(&wd.ok(&[&args[..], &["--format", "json"]].concat())).unwrap();
    let v = &json["payer_view"];
    let total = json["totals"]["annual_cost"]["mid"].as_f64().unwrap();
    let own = v["annual_cost"]["mid"].as_f64().unwrap();
    let shared = v["shared_unknown"]["mid"].as_f64().unwrap();
    assert!(own <= total && own + shared <= total * (1.0 + 1e-9), "{own} + {shared} > {total}");
    // CVI has a funder list but no published shares: it is split unknown, never the city's alone.
    assert!(v["unknown_lines"].as_array().unwrap().iter().any(|l| l[0] == "cvi_street_outreach"), "{v}");
    let by_payer: f64 = json["cost_by_payer"].as_array().unwrap().iter().map(|t| t["annual_cost"]["mid"].as_f64().unwrap()).sum();
    assert!((by_payer - total).abs() <= 1e-6 * total, "{by_payer} vs {total}");
    let err = wd.fails(&["plan", "--population", "250000", "--payer", "mayor"]);
    assert!(err.contains("unknown payer `mayor`") && err.contains("city"), "{err}");
    let budget = wd.ok(&["budget", "--population", "250000", "--amount", "5000000", "--payer", "city"]);
    assert!(budget.contains("WHO USUALLY PAYS FOR WHAT THIS FUNDS") && budget.contains("split unknown"), "{budget}");
}

#[test]
fn inventory_defaults_state_start_from_public_counts_and_local_lines_win() {
    // DV-dedicated emergency shelter beds, HUD HIC 2024, from the shared file:
    // python3 -c "import csv;r=list(csv.reader(open('../shared/data/inventory/2024-HIC-Counts-by-State.csv',encoding='utf-8-sig')));h=r[1];i=h.index('Total Year-Round Beds (ES)');j=h.index('Total Non-DV Year-Round Beds (ES)');print({x[0]:int(x[i])-int(x[j]) for x in r[2:] if x[0] in ('CA','TX')})"
    // -> {'CA': 1986, 'TX': 2422}
    let wd = Workdir::new("invdefaults");
    let line = |p: &serde_json::Value, id: &str| p["programs"].as_array().unwrap().iter().find(|l| l["id"] == id).unwrap().clone();
    let pop = |p: &serde_json::Value| {
        p["drivers"].as_array().unwrap().iter().find(|d| d["id"] == "population").unwrap()["value"]["mid"].as_f64().unwrap()
    };
    let ca = wd.json(&["plan", "California", "--inventory-defaults", "state", "--format", "json"]);
    let dv = line(&ca, "dv_shelter_bed");
    assert_eq!(dv["existing"].as_f64().unwrap(), 1986.0);
    assert_eq!(dv["existing_default"], true);
    assert!(dv["existing_source"].as_str().unwrap().contains("floor"), "{dv}");
    // State psychiatric beds: 10.8 per 100,000 (TAC 2023, national).
    let psych = line(&ca, "psychiatric_bed")["existing"].as_f64().unwrap();
    assert!((psych - 10.8 * pop(&ca) / 1e5).abs() < 1e-6, "{psych}");
    assert!(
        ca["quality"]["reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("--inventory-defaults state")),
        "{}",
        ca["quality"]
    );
    let tx = wd.json(&["plan", "Texas", "--inventory-defaults", "state", "--format", "json"]);
    assert_eq!(line(&tx, "dv_shelter_bed")["existing"].as_f64().unwrap(), 2422.0);
    // A city gets its state's count shared by population.
    let oak = wd.json(&["plan", "Oakland, CA", "--inventory-defaults", "state", "--format", "json"]);
    let want = 1986.0 * pop(&oak) / pop(&ca);
    assert!((line(&oak, "dv_shelter_bed")["existing"].as_f64().unwrap() - want).abs() < 1e-6, "{want}");
    // A local inventory line replaces the default; the other default stays.
    let inv = wd.write("have.csv", b"program,quantity,source,verified\ndv_shelter_bed,12,County DV coalition count 2024,yes\n");
    let mixed =
        wd.json(&["plan", "Oakland, CA", "--inventory-defaults", "state", "--inventory", inv.to_str().unwrap(), "--format", "json"]);
    let dv = line(&mixed, "dv_shelter_bed");
    assert_eq!(dv["existing"].as_f64().unwrap(), 12.0);
    assert!(dv.get("existing_default").is_none(), "{dv}");
    assert_eq!(line(&mixed, "psychiatric_bed")["existing_default"], true);
    // Every text format says so; a custom area has no state to draw on.
    for format in ["table", "markdown"] {
        let out = wd.ok(&["plan", "Oakland, CA", "--inventory-defaults", "state", "--format", format]);
        assert!(out.contains("default from public sources"), "{format}");
    }
    let err = wd.fails(&["plan", "--population", "50000", "--inventory-defaults", "state"]);
    assert!(err.contains("needs a named place"), "{err}");
    // The population the plan uses shares the defaults, however it is given
    // (`--set population=` shared them by the embedded one before).
    for how in [&["--population", "100000"][..], &["--set", "population=100000"]] {
        let mut args = vec!["plan", "Oakland, CA", "--inventory-defaults", "state", "--format", "json"];
        args.extend(how);
        let p = wd.json(&args);
        assert!((line(&p, "psychiatric_bed")["existing"].as_f64().unwrap() - 10.8).abs() < 1e-9, "{how:?}");
        assert!((line(&p, "dv_shelter_bed")["existing"].as_f64().unwrap() - 1986.0 * 1e5 / pop(&ca)).abs() < 1e-6, "{how:?}");
    }
}

/// An add-on whose base lines are all covered costs nothing, but its payer
/// shares are still the catalog's, not 0% for every payer. Expected: the
/// cvi_staff lines' `[benchmark.payers]` in catalog/violence_prevention.toml
/// (`grep -A1 'benchmark.payers' catalog/violence_prevention.toml`) list
/// `who = ["city", "federal_arpa", "state", "philanthropy", "federal_other"]`
/// and no `shares`, so the whole cost is one split-unknown bucket: 100%.
#[test]
fn a_zero_cost_addon_keeps_its_payer_shares() {
    let wd = Workdir::new("zero-addon");
    let staff = [
        "cvi_street_outreach",
        "cvi_mediator",
        "cvi_case_manager",
        "cvi_family_case_manager",
        "cvi_victim_advocate",
        "cvi_hospital_violence_intervention",
        "cvi_supervisor",
        "cvi_office_staff",
    ];
    let inv: String = std::iter::once("program,quantity\n".to_string()).chain(staff.iter().map(|id| format!("{id},100000\n"))).collect();
    wd.write("all-cvi.csv", inv.as_bytes());
    let who = ["city", "federal_arpa", "state", "philanthropy", "federal_other"];
    let plan = wd.json(&["plan", "--population", "100000", "--inventory", "all-cvi.csv", "--format", "json"]);
    for id in ["cvi_training_ta", "cvi_data_evaluation"] {
        let l = program(&plan, id);
        assert_eq!(l["annual_cost"]["mid"], 0.0, "{id}: the base lines are covered");
        let payers = l["payers"].as_array().unwrap();
        assert_eq!(payers.len(), 1, "{id}: {payers:?}");
        assert_eq!(payers[0]["share"], 1.0, "{id}: {payers:?}");
        assert_eq!(payers[0]["payers"], serde_json::json!(who), "{id}");
    }
    let csv = wd.ok(&["plan", "--population", "100000", "--inventory", "all-cvi.csv", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let row = r.records().map(Result::unwrap).find(|x| &x[col("program_id")] == "cvi_training_ta").expect("add-on row");
    assert_eq!(&row[col("payers")], format!("split unknown 100%: {}", who.join(", ")));
}
