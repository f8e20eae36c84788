//! FBI estimated crimes.

use super::*;

#[test]
pub(super) fn fbi_2023_national_and_state() {
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
pub(super) fn fbi_latest_per_state() {
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
pub(super) fn fbi_given_as_census_says_what_is_missing() {
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
pub(super) fn fbi_bad_figure() {
    let bytes = b"year,state_abbr,state_name,population,violent_crime,homicide\n2023,CA,,\"38,965,193\",\"198,036\",\"1,9 29\"\n";
    let e = fbi::parse("fbi.csv", bytes).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fbi.csv line 2, column homicide: \"1,9 29\" is not a number; crime counts must be whole \
         numbers such as 1,253,813 (remove any text from the cell)"
    );
}
