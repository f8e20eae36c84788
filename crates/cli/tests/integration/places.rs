//! Real places from the embedded gazetteer: lookup, context, compare, batch.

use crate::workdir::Workdir;

#[test]
fn plan_for_a_named_city_with_context() {
    let d = Workdir::new("oakland");
    let out = d.ok(&["plan", "Oakland, CA", "--context"]);
    assert!(out.contains("Safety gap plan: Oakland, CA"), "{out}");
    assert!(out.contains("436,504"), "Census Vintage 2023 population missing: {out}");
    assert!(out.contains("Vintage 2023"), "{out}");
    assert!(!out.contains("GeoNames"), "{out}");
    assert!(out.contains("Alameda County, CA") && out.contains("California") && out.contains("United States"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&d.ok(&["plan", "--geoid", "06001", "--format", "json"])).unwrap();
    assert_eq!(json["jurisdiction"]["id"], "06001");
    assert_eq!(json["jurisdiction"]["kind"], "county");
}

#[test]
fn ambiguous_misspelt_and_bad_geoids_exit_2() {
    let d = Workdir::new("lookup");
    let e = d.fails(&["plan", "Springfield"]);
    assert!(e.contains("ambiguous") && e.contains("Springfield, IL"), "{e}");
    let e = d.fails(&["plan", "Oaklnd, CA"]);
    assert!(e.contains("Oakland, CA"), "{e}");
    d.fails(&["plan", "--geoid", "99999"]);
    d.fails(&["plan", "--geoid", "abc"]);
    d.fails(&["plan", "Nowhereville, ZZ"]);
    let s = d.ok(&["search", "oakland"]);
    assert!(s.contains("Oakland, CA") && s.contains("0653000"), "{s}");
}

#[test]
fn compare_ranks_counties_of_a_state() {
    let d = Workdir::new("compare");
    let out = d.ok(&["compare", "--state", "CA", "--level", "county", "--sort", "gap_per_resident", "--format", "csv", "--limit", "0"]);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 58, "California has 58 counties");
    let per: Vec<f64> = rows.iter().map(|r| r.split(',').rev().nth(1).unwrap().parse().unwrap()).collect();
    assert!(per.windows(2).all(|w| w[0] >= w[1]), "not sorted descending");
    d.fails(&["compare", "--state", "Oakland, CA"]);
}

#[test]
fn batch_covers_every_county() {
    let d = Workdir::new("batch");
    let out = d.dir.join("counties.jsonl");
    d.ok(&["batch", "--level", "county", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    // awk -F, '$1==50{n++} END{print n}' ../shared/data/census/co-est2023-alldata.csv
    assert_eq!(text.lines().count(), 3144);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["schema"], "safetygap.plan/1");
    let csv = d.dir.join("ca.csv");
    d.ok(&["batch", "--level", "place", "--state", "CA", "--out", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Oakland, CA"));
    d.fails(&["batch", "--level", "county", "--out", "x.txt"]);
}

#[test]
fn batch_simulates_every_state_reproducibly() {
    let d = Workdir::new("batchsim");
    let (a, b) = (d.dir.join("a.csv"), d.dir.join("b.csv"));
    d.ok(&["batch", "--level", "state", "--simulate", "200", "--seed", "9", "--out", a.to_str().unwrap()]);
    d.ok(&["batch", "--level", "state", "--simulate", "200", "--seed", "9", "--out", b.to_str().unwrap()]);
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text, std::fs::read_to_string(&b).unwrap(), "same seed, same bytes");
    let header = text.lines().next().unwrap();
    assert!(header.contains("annual_cost_p5") && header.contains("annual_cost_p95"), "{header}");
    let totals: Vec<&str> = text.lines().filter(|l| l.contains(",total,")).collect();
    assert_eq!(totals.len(), 51, "one total row per state");
    d.fails(&["batch", "--level", "state", "--simulate", "0", "--out", a.to_str().unwrap()]);
}

/// Scripts written for earlier releases pass place ids `GN` + GeoNames id.
/// They still work: the same plan as the Census place, and a one-line
/// notice on stderr saying what the id now opens.
#[test]
fn old_geonames_ids_still_open_with_a_notice() {
    let d = Workdir::new("gn-ids");
    let new = d.ok(&["plan", "--geoid", "0653000", "--format", "json"]);
    let out = d.cmd(&["plan", "--geoid", "GN5378538", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), new, "same plan as the Census place");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("notice: GN5378538") && err.contains("0653000"), "{err}");
    // A GeoNames neighbourhood name opens the Census place containing it.
    let out = d.cmd(&["plan", "Brooklyn, NY", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["jurisdiction"]["id"], "3651000");
    assert!(String::from_utf8(out.stderr).unwrap().contains("not a Census place"));
    // An id no earlier release had is refused.
    let e = d.fails(&["plan", "--geoid", "GN1"]);
    assert!(e.contains("GeoNames id 1"), "{e}");
}

/// `plan COUNTY --places`: the places with residents in the county, by the
/// Geocorr 2022 share. Expected values from the source files:
/// python3 -c "import csv; r=[x for x in csv.DictReader(open('../shared/data/census/urban/geocorr2022_county_place_2022_onwards.csv', encoding='latin-1')) if x['countyfip']=='06001' and x['place']!='99999' and float(x['afact2'])>0]; print(len(r))"
///   → 20 places in Alameda County; Oakland (0653000) wholly in it, 436,504
///   residents (Vintage 2023, place-populations.csv) of the county's
///   1,622,188 (co-est2023-alldata): 436504/1622188 = 26.9%;
/// the row countyfip 36061, place 51000: afact2 0.1924, so New York city's
///   8,258,035 (Vintage 2023) × 0.1924 = 1,588,845.934 live in Manhattan.
#[test]
fn county_plan_lists_its_places() {
    let d = Workdir::new("county-places");
    let out = d.ok(&["plan", "Alameda County, CA", "--places"]);
    let part = out.split_once("PLACES IN THIS COUNTY").map(|(_, p)| p).unwrap_or_else(|| panic!("no places part: {out}"));
    let rows: Vec<&str> = part.lines().filter(|l| l.contains("incorporated") || l.contains("CDP (not a gov't)")).collect();
    assert_eq!(rows.len(), 20, "{part}");
    assert!(
        rows[0].starts_with("Oakland") && rows[0].contains("436,504") && rows[0].contains("100.0%") && rows[0].contains("26.9%"),
        "{part}"
    );
    assert!(part.contains("Castro Valley") && part.contains("CDP (not a gov't)"), "CDPs marked as not governments: {part}");
    assert!(part.contains("Geocorr 2022") && part.contains("Vintage 2023"), "source and vintage: {part}");

    let v = d.json(&["plan", "--geoid", "36061", "--places", "--format", "json"]);
    let places = v["places_in_county"]["places"].as_array().expect("places in the JSON");
    let nyc = places.iter().find(|p| p["geoid"] == "3651000").expect("New York city in Manhattan");
    assert_eq!(nyc["share_in_county"], 0.1924);
    assert!((nyc["residents"].as_f64().unwrap() - 1_588_845.934).abs() < 1e-6, "{nyc}");
    assert_eq!(nyc["government"], true);
    assert_eq!(v["jurisdiction"]["id"], "36061", "the plan itself is unchanged");

    let e = d.fails(&["plan", "Oakland, CA", "--places"]);
    assert!(e.contains("county") && e.contains("06001"), "{e}");
    let e = d.fails(&["plan", "Alameda County, CA", "--places", "--format", "csv"]);
    assert!(e.contains("table, JSON and Markdown"), "{e}");

    let md = d.ok(&["plan", "Alameda County, CA", "--places", "--format", "markdown"]);
    let part = md.split_once("## Places in this county").map(|(_, p)| p).unwrap_or_else(|| panic!("{md}"));
    let rows: Vec<&str> = part.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Place")).collect();
    assert_eq!(rows.len(), 20, "{part}");
    assert!(rows[0].starts_with("| Oakland, CA (0653000) | incorporated | 436,504 | 100.0% | 26.9% |"), "{part}");
    assert!(part.contains("Geocorr 2022"), "{part}");
}

/// A Connecticut planning region has no ACS 2015-2019 poverty figure (the
/// regions are 2022 geography): its count is Connecticut's less the other
/// regions', shared by population, and every format says it is estimated,
/// why, and its vintage.
#[test]
fn planning_region_poverty_is_estimated_in_every_format() {
    let d = Workdir::new("ct-poverty");
    let region = ["plan", "Capitol Planning Region, CT"];
    let table = d.ok(&region);
    assert!(table.lines().any(|l| l.starts_with("population_in_poverty") && l.contains("estimated")), "{table}");

    let v = d.json(&[region[0], region[1], "--format", "json"]);
    let drivers = v["drivers"].as_array().unwrap();
    let pov = drivers.iter().find(|x| x["id"] == "population_in_poverty").expect("poverty driver");
    assert_eq!(pov["basis"], "estimated", "{pov}");
    assert_eq!(pov["vintage"], "2015-2019", "{pov}");
    let source = pov["source"].as_str().unwrap();
    assert!(source.contains("Connecticut") && source.contains("created after 2019"), "{source}");

    let md = d.ok(&[region[0], region[1], "--format", "markdown"]);
    let row = md.lines().find(|l| l.starts_with("| Residents below the poverty line")).unwrap_or_else(|| panic!("{md}"));
    assert!(row.contains("| estimated |") && row.contains("created after 2019") && row.contains("(2015-2019)"), "{row}");

    d.ok(&["report", "Capitol Planning Region, CT", "--no-map", "--out", "cap.html"]);
    let html = d.read("cap.html");
    let cell = html.split("<tr").find(|r| r.contains("created after 2019")).unwrap_or_else(|| panic!("no poverty row in the brief"));
    assert!(cell.contains("<td>estimated</td>") && cell.contains("Connecticut&#39;s ACS 2015-2019"), "{cell}");
}
