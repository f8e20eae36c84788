//! BJS prisoner tables.

use super::*;

#[test]
pub(super) fn bjs_releases_2022() {
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
pub(super) fn bjs_admissions_2022() {
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
pub(super) fn bjs_not_reported_and_bad_figures() {
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
pub(super) fn bjs_truncated_mid_row() {
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
pub(super) fn bjs_unknown_jurisdiction() {
    let bytes = replace_bytes(&read(bjs_releases()), ",Alabama/f,", ",Atlantis/f,");
    let e = bjs::parse("p22stt09.csv", &bytes).unwrap_err();
    assert!(matches!(e, ImportError::UnknownJurisdiction { line: 15, .. }), "{e}");
    assert!(e.to_string().contains("\"Atlantis/f\" is not a U.S. state"), "{e}");

    let bytes = replace_bytes(&read(bjs_releases()), ",Alaska/g,", ",Alabama,");
    let e = bjs::parse("p22stt09.csv", &bytes).unwrap_err();
    assert!(e.to_string().contains("jurisdiction Alabama appears again (first on line 15)"), "{e}");
}

#[test]
pub(super) fn bjs_given_census_and_census_given_bjs() {
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
