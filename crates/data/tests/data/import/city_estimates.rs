//! Census city and town estimates.

use super::*;

#[test]
pub(super) fn subcounty_2019_oakland() {
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
pub(super) fn subcounty_wrong_kind_is_explained() {
    let e = subcounty::parse("co-est2023-alldata.csv", &read(co_est_2023())).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::MissingColumns { line: 1, .. }), "{msg}");
    assert!(msg.contains("PLACE, NAME"), "{msg}");
    assert!(msg.contains("looks like a Census county and state"), "{msg}");
}
