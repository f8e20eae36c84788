//! Matching the places of a Census city and town estimates file
//! (sub-estYYYY) to the gazetteer's places.
//!
//! Both use the Census's 7-digit place code (state + place), so a record
//! matches the gazetteer place with the same code. A place the Census has
//! since dissolved or renumbered matches nothing and is reported, not
//! guessed.

use crate::embedded::{Gazetteer, Kind};
use crate::import::census::PopulationRecord;

/// For each record, the GEOID of the gazetteer place it matches.
pub(crate) fn match_places(g: &Gazetteer, records: &[&PopulationRecord]) -> Vec<Option<String>> {
    records.iter().map(|r| g.get(&r.geoid).filter(|j| j.kind == Kind::Place).map(|j| j.geoid.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embedded::gazetteer;

    #[test]
    fn matches_by_code() {
        let rec = |geoid: &str| PopulationRecord {
            geoid: geoid.into(),
            level: crate::import::census::GeoLevel::Place,
            name: "x city".into(),
            state_name: "California".into(),
            state_abbr: Some("CA"),
            population: 1,
            year: 2019,
            line: 2,
        };
        let (a, b) = (rec("0653000"), rec("0600000"));
        assert_eq!(match_places(gazetteer(), &[&a, &b]), [Some("0653000".to_string()), None]);
    }
}
