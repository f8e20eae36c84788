//! Local violence in plans: embedded FBI city figures, the CVI model that
//! follows them, and incident-file imports through the binary.

use crate::workdir::Workdir;
use serde_json::Value;

fn cvi_staff(plan: &Value) -> f64 {
    plan["programs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"].as_str().unwrap().starts_with("cvi_") && p["unit"] == "FTE staff")
        .map(|p| p["need"]["mid"].as_f64().unwrap())
        .sum()
}

fn driver<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["drivers"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("driver {id}"))
}

/// Oakland's own 2018 count (FBI Table 8: 70 murders; grep '^CALIFORNIA,CA,Oakland,'
/// offenses_city.csv) replaces the state share, and CVI is sized on it.
#[test]
fn oakland_plan_uses_its_own_fbi_homicides() {
    let wd = Workdir::new("violence-oakland");
    let plan = wd.json(&["plan", "Oakland, CA", "--format", "json"]);
    let h = driver(&plan, "homicides");
    assert_eq!(h["value"]["mid"], 70.0);
    assert_eq!(h["basis"], "given");
    assert_eq!(h["vintage"], "2018");
    assert!(h["source"].as_str().unwrap().contains("Table 8") && h["source"].as_str().unwrap().contains("old"), "{h}");
    let hr = driver(&plan, "highest_risk_population");
    assert!((hr["value"]["mid"].as_f64().unwrap() - 70.0 * 4.76).abs() < 1e-6, "{hr}");
    let table = wd.ok(&["plan", "Oakland, CA"]);
    assert!(table.contains("homicides") && table.contains("70"), "{table}");
    let explain = wd.ok(&["explain", "cvi_street_outreach", "Oakland, CA"]);
    assert!(explain.contains("[USED] homicides × 4.76") && explain.contains("[not used] population × 0.001"), "{explain}");
    // The gap CVI Ecosystem leaves (no published economies-of-scale rule) is said.
    assert!(explain.contains("economies of scale") && explain.contains("publishes no rule"), "{explain}");
}

/// Plano, TX (5 murders in 2018) and St. Louis, MO (187) are of similar size
/// but differ per resident in CVI staffing.
#[test]
fn plano_and_st_louis_differ_per_resident() {
    let wd = Workdir::new("violence-pair");
    let per_100k = |place: &str| {
        let p = wd.json(&["plan", place, "--format", "json"]);
        let pop = driver(&p, "population")["value"]["mid"].as_f64().unwrap();
        (driver(&p, "homicides")["value"]["mid"].as_f64().unwrap(), cvi_staff(&p) / pop * 1e5)
    };
    let (h_plano, plano) = per_100k("Plano, TX");
    let (h_stl, stl) = per_100k("St. Louis, MO");
    assert_eq!((h_plano, h_stl), (5.0, 187.0));
    assert!(stl > 10.0 * plano, "CVI staff per 100,000: Plano {plano:.2}, St. Louis {stl:.2}");
}

/// The NYPD file through the binary; a bad file stores nothing.
#[test]
fn incident_import_through_the_binary() {
    let wd = Workdir::new("violence-incidents");
    let nypd = crate::data::shared::nypd_shootings();
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
    // 754 incidents, 151 of them shooting murders: those are a subset of
    // homicides, so homicides stay the FBI's 295 (the import says so).
    assert_eq!(s["value"]["mid"].as_f64().unwrap(), 754.0 - 151.0);
    assert_eq!(driver(&plan, "homicides")["value"]["mid"].as_f64().unwrap(), 295.0);
    assert!(out.contains("not stored as homicides"), "{out}");
}

/// Oakland's homicides carry their source (FBI 2018 Table 8), vintage
/// (2018) and basis (given: the place's own count) in every format; each
/// assertion fails if that format stops printing one of them. The old
/// figure is flagged on the CVI lines (2018 is 5 years before the 2023
/// costs).
#[test]
fn violence_figures_say_source_vintage_and_basis_in_every_format() {
    const SRC: &str = "FBI, Crime in the United States 2018, Table 8 (Offenses Known to Law Enforcement by City): Oakland police, murders";
    let wd = Workdir::new("violence-formats");
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // Table: the DRIVERS section, wrapped text joined.
    let table = wd.ok(&["plan", "Oakland, CA"]);
    let drivers = one_line(&table[table.find("DRIVERS").expect("DRIVERS section")..]);
    let row = &drivers[drivers.find("homicides 70 ").expect("homicides row")..];
    assert!(row.starts_with(&format!("homicides 70 given: {SRC}")), "{row}");
    assert!(row[..row.find("violent_crimes").unwrap()].trim_end().ends_with("(2018)"), "{row}");
    // JSON.
    let plan = wd.json(&["plan", "Oakland, CA", "--format", "json"]);
    let h = driver(&plan, "homicides");
    assert_eq!((h["basis"].as_str(), h["vintage"].as_str()), (Some("given"), Some("2018")));
    assert!(h["source"].as_str().unwrap().starts_with(SRC), "{h}");
    let old = plan["quality"]["lines"].as_array().unwrap().iter().find(|l| l["id"] == "cvi_street_outreach").expect("flags");
    assert!(
        old["flags"].as_array().unwrap().iter().any(|f| f["kind"] == "old_vintage" && f["detail"] == "homicides is from 2018"),
        "{old}"
    );
    // CSV: a driver row.
    let csv_text = wd.ok(&["plan", "Oakland, CA", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let head = r.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rec = r
        .records()
        .map(Result::unwrap)
        .find(|x| &x[col("row_kind")] == "driver" && &x[col("program_id")] == "homicides")
        .expect("driver row");
    assert_eq!((&rec[col("evidence")], &rec[col("need_mid")], &rec[col("cost_year")]), ("given", "70", "2018"));
    assert!(rec[col("assumptions")].starts_with(SRC), "{:?}", rec);
    // Markdown.
    let md = wd.ok(&["plan", "Oakland, CA", "--format", "markdown"]);
    let line = md.lines().find(|l| l.starts_with("| Homicides a year |")).expect("markdown row");
    assert!(line.starts_with(&format!("| Homicides a year | 70 | given | {SRC}")) && line.ends_with("(2018) |"), "{line}");
    // HTML brief.
    wd.ok(&["report", "Oakland, CA", "--out", "b.html"]);
    let html = wd.read("b.html");
    let at = html.find(SRC).expect("HTML names the source");
    let tr = &html[html[..at].rfind("<tr").unwrap()..at + html[at..].find("</tr>").unwrap()];
    assert!(tr.contains(">given<") && tr.contains(", 2018"), "{tr}");
    // Workbook: the Drivers sheet's row.
    wd.ok(&["report", "Oakland, CA", "--out", "b.xlsx"]);
    let script = "import openpyxl,sys\nws=openpyxl.load_workbook(sys.argv[1])['Drivers']\nfor r in ws.iter_rows(values_only=True):\n    if r[0]=='homicides': print(r[4], r[6], r[8], r[7], sep='|')\n";
    if let Some(out) = crate::report::python(&wd, script, &["b.xlsx"]) {
        let f: Vec<&str> = out.trim_end().splitn(4, '|').collect();
        assert_eq!(&f[..3], ["70", "given", "2018"], "{out}");
        assert!(f[3].starts_with(SRC), "{out}");
    }
}

/// The Urban Institute place rates are recognised by their header and
/// stored quality 1 only; --max-quality belongs to them alone.
#[test]
fn urban_rates_import_through_the_binary() {
    let wd = Workdir::new("violence-urban");
    let rates = crate::data::shared::urban_place_rates();
    // awk -F, '$1==2023 && $6==1' rates_crime_place_all.csv | wc -l → 288
    let out = wd.ok(&["data", "import", rates]);
    assert!(out.contains("violent crimes of 288 places in 2023 (quality ≤ 1)"), "{out}");
    let plan = wd.json(&["plan", "St. Louis, MO", "--format", "json"]);
    let v = driver(&plan, "violent_crimes");
    assert_eq!((v["basis"].as_str(), v["vintage"].as_str()), (Some("given"), Some("2023")));
    assert!(v["source"].as_str().unwrap().contains("Urban Institute"), "{v}");
    let e = wd.fails(&["data", "import", rates, "--kind", "bjs", "--max-quality", "2"]);
    assert!(e.contains("--max-quality"), "{e}");
}

/// Importer-specific flags given to a file that ignores them are refused
/// (naming the kinds that take them), never silently dropped, and nothing
/// is stored.
#[test]
fn importer_flags_belong_to_their_kinds() {
    let wd = Workdir::new("violence-flags");
    wd.write("shots.csv", b"INCIDENT_KEY,OCCUR_DATE,STATISTICAL_MURDER_FLAG\n1,01/02/2020,false\n");
    let rates = crate::data::shared::urban_place_rates();
    let chr = crate::data::shared::chr_v015();
    let cases: [(&[&str], &str); 7] = [
        (
            &["data", "import", "shots.csv", "--kind", "incidents", "--place", "3651000", "--max-quality", "2"],
            "--max-quality applies only to Urban Institute crime rates",
        ),
        (
            &["data", "import", "shots.csv", "--kind", "incidents", "--place", "3651000", "--vintage", "2020"],
            "--vintage applies only to drivers files",
        ),
        (&["data", "import", rates, "--vintage", "2023"], "--vintage applies only to drivers files"),
        (&["data", "import", rates, "--place", "3651000"], "--place applies only to incident files"),
        (&["data", "import", chr, "--max-quality", "2"], "--max-quality applies only to Urban Institute crime rates"),
        (&["data", "import", chr, "--year", "2020"], "--year applies only to incident files"),
        (&["data", "import", crate::data::shared::bjs_releases(), "--max-quality", "2"], "--max-quality applies only"),
    ];
    for (args, want) in cases {
        let e = wd.fails(args);
        assert!(e.contains(want) && e.contains("Nothing stored was changed"), "{args:?}: {e}");
        assert!(!wd.data_dir().join("manifest.json").exists(), "{args:?} stored something");
    }
    // The message names the kind it was given.
    let e = wd.fails(cases[0].0);
    assert!(e.contains("this is an incident file"), "{e}");
}

/// `data status` names imported Urban Institute rates as such — kind,
/// year and quality limit — under the violence figures they feed, and not
/// as a drivers file feeding population and every other figure. The year
/// and limit are the ones given on the command line.
#[test]
fn status_names_urban_rates() {
    let wd = Workdir::new("violence-status");
    let rates = crate::data::shared::urban_county_rates();
    wd.ok(&["data", "import", rates, "--year", "2022", "--max-quality", "2"]);
    let out = wd.ok(&["data", "status"]);
    let imported = out.lines().find(|l| l.contains("rates_crime_county_all.csv")).expect("listed");
    assert!(imported.trim_start().starts_with("urban-crime-rates") && imported.contains("vintage 2022"), "{imported}");
    let v = wd.json(&["data", "status", "--format", "json"]);
    let chain = |figure: &str| -> Vec<String> {
        let f = v["precedence"].as_array().unwrap().iter().find(|f| f["figure"] == figure).unwrap_or_else(|| panic!("{figure}"));
        f["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    };
    let violence = chain("homicides and violent crimes");
    assert!(violence[0].starts_with("imported: rates_crime_county_all.csv (urban-crime-rates, vintage 2022)"), "{violence:?}");
    // awk -F, '$1==2022 && $4!="NA" && $6!="NA" && $6<=2' rates_crime_county_all.csv | wc -l → 1517 (every code matches a county)
    assert!(violence[0].contains("violent crimes of 1,517 counties in 2022 (quality ≤ 2)"), "{violence:?}");
    // The embedded sources behind it: the FBI's 2018 city table, then the state figures.
    assert!(violence.iter().any(|s| s.contains("Table 8") && s.contains("2018")), "{violence:?}");
    assert!(!violence.iter().any(|s| s.contains("place estimate")), "{violence:?}");
    for figure in ["population of counties", "population of places", "prison releases", "all other drivers"] {
        assert!(!chain(figure).iter().any(|s| s.contains("rates_crime")), "{figure}: {:?}", chain(figure));
    }
}
