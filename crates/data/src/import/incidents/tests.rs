//! Unit tests of incident counting.

use super::*;

fn count(text: &str) -> Result<IncidentCounts, IncidentError> {
    count_reader("t.csv", text.as_bytes(), &Mapping::default(), 2)
}

#[test]
fn distinct_keys_per_year_and_murder_flags() {
    let t =
        "INCIDENT_KEY,OCCUR_DATE,STATISTICAL_MURDER_FLAG\n1,01/02/2018,false\n1,01/02/2018,true\n2,12/31/2018,false\n3,2019-03-01,false\n";
    let c = count(t).unwrap();
    assert_eq!(c.years[&2018], YearCount { incidents: 2, homicides: Some(1), last_month: 12 });
    assert_eq!(c.years[&2019].incidents, 1);
    assert_eq!((c.first.as_str(), c.last.as_str()), ("2018-01-02", "2019-03-01"));
    assert_eq!(c.latest_complete_year(), Some(2018));
}

#[test]
fn quoted_line_breaks_and_bad_rows_name_the_line() {
    let t = "ID,Date,Primary Type,Note\n7,2020-01-01,HOMICIDE,\"two\nlines\"\n8,2020-01-02,THEFT,x\n";
    let c = count(t).unwrap();
    assert_eq!(c.years[&2020], YearCount { incidents: 2, homicides: Some(1), last_month: 1 });
    let e = count("ID,Date\n1,2020-01-01\n2,not a date\n").unwrap_err().to_string();
    assert!(e.starts_with("t.csv:3:") && e.contains("not a date"), "{e}");
    let e = count("ID,Date,Other\n1,2020-01-01,x\n2,2020-01").unwrap_err().to_string();
    assert!(e.starts_with("t.csv:3:") && e.contains("cut short"), "{e}");
}

#[test]
fn mapping_parses_and_rejects() {
    let m = Mapping::parse("date=A, key=B").unwrap();
    assert_eq!((m.date.as_deref(), m.key.as_deref()), (Some("A"), Some("B")));
    assert!(Mapping::parse("when=A").is_err());
    let e = count_reader("t.csv", "x,y\n1,2\n".as_bytes(), &Mapping::default(), 1).unwrap_err().to_string();
    assert!(e.contains("no date column") && e.contains("--map"), "{e}");
}
