//! The embedded FBI city table and BJS releases against the real files.

use crate::shared::{BJS_RELEASES, FBI_TABLE8, SHARED_DATA};
use safetygap_data::violence;

/// Data rows of the real FBI file, counted here with the csv crate (the
/// header's names span lines inside quotes).
fn fbi_rows() -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(FBI_TABLE8).expect("FBI Table 8 in ../shared/data");
    r.records().map(|x| x.unwrap()).filter(|x| x.iter().any(|f| !f.trim().is_empty())).collect()
}

/// Every FBI row is either matched (embedded) or listed as unmatched in
/// data/embedded/city_violence_unmatched.csv with its reason; the match rate
/// is reported and cannot drop without this test and that list changing.
#[test]
fn fbi_city_table_match_rate() {
    let rows = fbi_rows();
    let matched = violence::all_cities().count();
    let unmatched = violence::unmatched_count();
    assert_eq!(matched + unmatched, rows.len(), "every FBI row is matched or listed as unmatched");
    let rate = matched as f64 / rows.len() as f64;
    eprintln!("FBI Table 8 2018: {matched} of {} rows matched to a Census place ({:.1}%)", rows.len(), rate * 100.0);
    assert!(rate >= 0.83, "match rate {:.1}% fell below 83%", rate * 100.0);
}

/// The embedded figures equal the real file's, row by row, for the big cities
/// the done-when list names.
#[test]
fn fbi_city_figures_are_the_fbi_s() {
    let rows = fbi_rows();
    let num = |s: &str| s.replace(',', "").trim().parse::<f64>().unwrap();
    for (state, city, geoid) in [
        ("CALIFORNIA", "Oakland", "0653000"),
        ("MISSOURI", "St. Louis", "2965000"),
        ("TEXAS", "Plano", "4858016"),
        ("NEW YORK", "New York", "3651000"),
    ] {
        let r = rows.iter().find(|r| &r[0] == state && &r[2] == city).unwrap_or_else(|| panic!("{city} in the FBI file"));
        let e = violence::city(geoid).unwrap_or_else(|| panic!("{city} embedded as {geoid}"));
        assert_eq!(e.population, num(&r[3]), "{city} population");
        assert_eq!(e.violent_crime, Some(num(&r[4])), "{city} violent crime");
        assert_eq!(e.murder, Some(num(&r[5])), "{city} murder");
    }
    assert_eq!(violence::city("0653000").unwrap().murder, Some(70.0), "Oakland 2018: 70 murders (data README)");
}

/// The script reproduces the committed files byte for byte from the shared
/// data (needs python3; fails under CI when it is missing).
#[test]
fn extract_violence_is_reproducible() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/extract-violence");
    match std::process::Command::new("python3").args([script, "--check", "--data", SHARED_DATA]).output() {
        Ok(o) => assert!(
            o.status.success(),
            "scripts/extract-violence --check: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) if std::env::var_os("CI").is_none() => eprintln!("skipped: python3 not runnable ({e})"),
        Err(e) => panic!("python3 is needed under CI: {e}"),
    }
}

/// The embedded state releases are table 9's 2022 totals.
#[test]
fn state_releases_match_bjs_table_9() {
    let bytes = std::fs::read(BJS_RELEASES).unwrap();
    let text: String = bytes.iter().map(|&b| b as char).collect(); // Latin-1
                                                                   // Expected: the "State/d" row's 2022 total, and Texas's row, read here.
    let field = |prefix: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}"));
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        rec[3].replace(',', "").parse().unwrap()
    };
    assert_eq!(violence::state_releases_total(), field("State/d,"));
    assert_eq!(violence::state_releases("48"), Some(field(",Texas,")));
    assert_eq!(violence::state_releases("11"), None, "DC's sentenced felons are federal prisoners");
}
