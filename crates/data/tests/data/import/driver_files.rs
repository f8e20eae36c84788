//! Drivers files.

use super::*;

#[test]
pub(super) fn drivers_from_a_file_on_disk() {
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
pub(super) fn drivers_validation_errors() {
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
