//! `safetygap batch --out FILE.xlsx` and `--map FILE.svg`: the workbook
//! reads back and agrees with the CSV and JSON Lines outputs; the map has
//! one filled shape per state or county, a legend and its sources; bad map
//! requests exit 2.

use crate::workdir::Workdir;

use crate::workbook::Book;

/// The filled shapes of a map: `<path d=…>` elements with a colour fill.
fn filled_paths(svg: &str) -> usize {
    svg.split("<path d=\"")
        .skip(1)
        .filter(|p| p.split("</path>").next().is_some_and(|p| p.contains(" fill=\"#") && p.contains("<title>")))
        .count()
}

#[test]
fn state_workbook_agrees_with_csv_and_json_and_maps_every_state() {
    let d = Workdir::new("batch-xlsx");
    let (xlsx, svg, csv, jsonl) =
        (d.dir.join("states.xlsx"), d.dir.join("states.svg"), d.dir.join("states.csv"), d.dir.join("states.jsonl"));
    let err = d.ok_stderr(&["batch", "--level", "state", "--out", xlsx.to_str().unwrap(), "--map", svg.to_str().unwrap()]);
    assert!(err.contains("wrote 51 plans") && err.contains("map of 51 states"), "{err}");
    d.ok(&["batch", "--level", "state", "--out", csv.to_str().unwrap()]);
    d.ok(&["batch", "--level", "state", "--out", jsonl.to_str().unwrap()]);
    let leftovers = std::fs::read_dir(&d.dir)
        .unwrap()
        .filter(|e| safetygap_data::atomic::is_temp_name(&e.as_ref().unwrap().file_name().to_string_lossy()))
        .count();
    assert_eq!(leftovers, 0, "no temporary files left");

    let book = Book::read(&xlsx);
    assert_eq!(book.sheets, ["Jurisdictions", "Programs", "Sources", "About"]);
    let jur = book.rows("Jurisdictions");
    assert_eq!(jur.len() - 1, 51, "one row per state");

    // The CSV's total rows and program rows.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let programs = records.iter().filter(|r| &r[col("row_kind")] == "program").count();
    assert_eq!(book.rows("Programs").len() - 1, programs, "one row per program line");
    let ca_total = records.iter().find(|r| &r[col("jurisdiction_id")] == "06" && &r[col("row_kind")] == "total").unwrap();
    let version = ca_total[col("catalog_version")].to_string();

    // California: GEOID kept as the text "06"; figures equal the CSV's and JSON's.
    let ca = jur.iter().find(|r| r.get("A").map(String::as_str) == Some("06")).expect("GEOID 06 as text");
    assert_eq!(ca["B"], "California");
    let cost: f64 = ca["G"].parse().unwrap();
    let csv_cost: f64 = ca_total[col("annual_cost_mid")].parse().unwrap();
    assert!((cost - csv_cost).abs() <= 0.006, "workbook {cost} vs CSV {csv_cost}");
    let json: serde_json::Value = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|p| p["jurisdiction"]["id"] == "06")
        .unwrap();
    let per: f64 = ca["I"].parse().unwrap();
    assert!((per - json["totals"]["annual_cost_per_resident"]["mid"].as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(ca["P"], json["quality"]["grade"].to_string(), "data-quality grade");

    let about_rows = book.rows("About");
    let about: Vec<&String> = about_rows.iter().flat_map(|r| r.values()).collect();
    assert!(about.iter().any(|t| t.contains(&version)), "catalog version on About");
    assert!(!about.iter().any(|t| t.contains("us_geo")), "no place, no us_geo notice");

    // The map: 51 filled states with tooltips, a legend, title and sources.
    let map = std::fs::read_to_string(&svg).unwrap();
    assert!(map.starts_with("<svg"));
    assert_eq!(filled_paths(&map), 51, "one filled path per state");
    assert!(map.contains("<rect") && map.contains("under $"), "legend in dollars");
    assert!(map.contains("Annual cost to close the safety gap per resident by state"), "title names the figure");
    assert!(map.contains(&format!("catalog {version}")) && map.contains("Census") && map.contains("us-atlas"), "sources and version");
}

#[test]
fn county_map_of_one_state_without_a_table() {
    let d = Workdir::new("batch-map");
    let svg = d.dir.join("ca.svg");
    d.ok(&["batch", "--level", "county", "--state", "CA", "--map", svg.to_str().unwrap(), "--map-value", "gap"]);
    let map = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(filled_paths(&map), 58, "one filled path per California county");
    assert!(map.contains("Alameda, California (06001): $"), "tooltips in dollars");
    assert!(map.contains("Annual cost to close the safety gap by county, California"));
    assert_eq!(std::fs::read_dir(&d.dir).unwrap().filter(|e| e.as_ref().unwrap().path().is_file()).count(), 1, "only the map");

    // Places: GEOIDs are 7-digit Census place codes, and the About sheet
    // carries us_geo's licence notice.
    let xlsx = d.dir.join("places.xlsx");
    d.ok(&["batch", "--level", "place", "--state", "DE", "--out", xlsx.to_str().unwrap()]);
    let book = Book::read(&xlsx);
    let jur = book.rows("Jurisdictions");
    assert!(jur.len() > 5 && jur[1..].iter().all(|r| r["A"].len() == 7 && r["A"].starts_with("10") && r["C"] == "place" && r["D"] == "DE"));
    assert!(book.rows("About").iter().flat_map(|r| r.values()).any(|t| t.contains("us_geo")));
}

#[test]
fn bad_map_requests_exit_2_and_write_nothing() {
    let d = Workdir::new("batch-bad");
    let e = d.fails_paragraph(&["batch", "--level", "state", "--map", "m.svg", "--map-value", "per_capita"]);
    assert!(e.contains("per_capita") && e.contains("gap_per_resident"), "{e}");
    let e = d.fails_paragraph(&["batch", "--level", "place", "--state", "DE", "--map", "p.svg", "--out", "p.xlsx"]);
    assert!(e.contains("places") && e.contains("boundaries") && e.contains("--level county"), "{e}");
    let e = d.fails_paragraph(&["batch", "--level", "state", "--map", "m.png"]);
    assert!(e.contains(".svg"), "{e}");
    let e = d.fails_paragraph(&["batch", "--level", "state", "--simulate", "50", "--out", "s.xlsx"]);
    assert!(e.contains("--simulate") && e.contains(".csv"), "{e}");
    d.fails_paragraph(&["batch", "--level", "state"]);
    d.fails_paragraph(&["batch", "--level", "state", "--out", "s.csv", "--map-value", "gap"]);
    d.fails_paragraph(&["batch", "--level", "state", "--out", "s.svg", "--map", "s.svg"]);
    let left: Vec<_> = std::fs::read_dir(&d.dir).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n != "xdg-data").collect();
    assert!(left.is_empty(), "nothing written: {left:?}");
}
