//! Census city and town estimates, `sub-estYYYY_all.csv`.
//!
//! The official file mixes many summary levels; incorporated places (162) are
//! what people mean by "my city", and the state (040) and county (050) rows
//! come for free, so those three are kept. Place parts (157), minor civil
//! divisions (061), consolidated cities and the like would double-count
//! people, so they are skipped. Records reuse the county importer's types so
//! callers handle all population figures alike.

use std::path::Path;

use super::census::{read_estimates, Columns, GeoLevel, PopulationEstimates};
use super::{ImportError, ImportKind, Needs, Table};

/// Reads a city and town estimates file from disk.
pub fn from_path(path: impl AsRef<Path>) -> Result<PopulationEstimates, ImportError> {
    super::parse_path(path.as_ref(), parse)
}

/// Parses a city and town estimates file; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<PopulationEstimates, ImportError> {
    let table = Table::read(file, bytes)?;
    let (cols, place_col) = find_columns(&table)?;
    let level_of = |sumlev| match sumlev {
        40 => Some(GeoLevel::State),
        50 => Some(GeoLevel::County),
        162 => Some(GeoLevel::Place),
        _ => None,
    };
    let records = read_estimates(&table, &cols, SUMLEV_FIX, level_of, |row, level, state| {
        Ok(match level {
            GeoLevel::State => (format!("{state:02}"), cols.state),
            GeoLevel::County => {
                let county = row.code(cols.county, 3, COUNTY_FIX)?;
                if county == 0 {
                    return Err(row.bad_code(cols.county, "is 0 on a county row (SUMLEV 050)", COUNTY_FIX));
                }
                (format!("{state:02}{county:03}"), cols.county)
            }
            GeoLevel::Place => {
                let place = row.code(place_col, 5, PLACE_FIX)?;
                if place == 0 {
                    return Err(row.bad_code(place_col, "is 0 on a place row (SUMLEV 162)", PLACE_FIX));
                }
                (format!("{state:02}{place:05}"), place_col)
            }
        })
    })?;
    if !records.iter().any(|r| r.level == GeoLevel::Place) {
        return Err(ImportError::NoData { file: file.into(), detail: "the file has no incorporated place rows (SUMLEV 162)".into() });
    }
    Ok(PopulationEstimates { file: file.to_string(), vintage: cols.year, records })
}

const SUMLEV_FIX: &str = "SUMLEV is the Census summary level: 162 for an incorporated place, 040 for a state, 050 for a county";
const COUNTY_FIX: &str = "COUNTY must be the county's 3-digit FIPS code within its state";
const PLACE_FIX: &str = "PLACE must be the place's 5-digit Census place code within its state";

/// The county file's columns (with NAME for CTYNAME) and the PLACE column.
fn find_columns(table: &Table<'_>) -> Result<(Columns, usize), ImportError> {
    let mut needs = Needs::of(table);
    let sumlev = needs.need("SUMLEV");
    let state = needs.need("STATE");
    let county = needs.need("COUNTY");
    let place = needs.need("PLACE");
    let name = needs.need("NAME");
    let state_name = needs.need("STNAME");
    let (population, year) = needs.need_latest_year("POPESTIMATE", "POPESTIMATEyyyy (such as POPESTIMATE2019)");
    needs.check(ImportKind::CensusSubcounty)?;
    Ok((Columns { sumlev, state, county, state_name, name, population, year }, place))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "SUMLEV,STATE,COUNTY,PLACE,COUSUB,CONCIT,PRIMGEO_FLAG,FUNCSTAT,NAME,STNAME,POPESTIMATE2018,POPESTIMATE2019\n";

    #[test]
    fn keeps_places_counties_and_states_only() {
        let text = format!(
            "{HEAD}040,06,000,00000,00000,00000,0,A,California,California,1,2\n\
             050,6,1,0,0,0,0,A,Alameda County,California,3,4\n\
             162,6,0,53000,0,0,0,A,Oakland city,California,5,6\n\
             157,6,1,53000,0,0,0,A,Oakland city (pt.),California,5,6\n\
             061,9,1,4720,0,0,0,A,Bethel town,Connecticut,7,8\n"
        );
        let est = parse("sub.csv", text.as_bytes()).unwrap();
        let geoids: Vec<&str> = est.records.iter().map(|r| r.geoid.as_str()).collect();
        assert_eq!(geoids, ["06", "06001", "0653000"]);
        assert_eq!(est.get("0653000").unwrap().population, 6);
        assert_eq!(est.count(GeoLevel::Place), 1);
    }

    /// The Vintage 2024 city and town file `data update` fetches
    /// (sub-est2024.csv): ESTIMATESBASE2020 and POPESTIMATE2020..2024, and
    /// consolidated cities (SUMLEV 170) beside their balance (162), which
    /// must not be counted twice. Header from the Census file layout; rows
    /// made up.
    #[test]
    fn vintage_2024_layout() {
        let text = "SUMLEV,STATE,COUNTY,PLACE,COUSUB,CONCIT,PRIMGEO_FLAG,FUNCSTAT,NAME,STNAME,ESTIMATESBASE2020,\
                    POPESTIMATE2020,POPESTIMATE2021,POPESTIMATE2022,POPESTIMATE2023,POPESTIMATE2024\r\n\
                    040,47,000,00000,00000,00000,0,A,Tennessee,Tennessee,1,1,1,1,1,9\r\n\
                    162,47,000,52006,00000,00000,0,A,Nashville-Davidson metropolitan government (balance),Tennessee,1,1,1,1,1,700\r\n\
                    170,47,000,00000,00000,52004,0,A,Nashville-Davidson (consolidated city),Tennessee,1,1,1,1,1,710\r\n\
                    162,06,000,53000,00000,00000,0,A,Oakland city,California,1,1,1,1,1,440\r\n";
        let est = parse("sub-est2024.csv", text.as_bytes()).unwrap();
        assert_eq!(est.vintage, 2024);
        let places: Vec<(&str, u64)> = est.at_level(GeoLevel::Place).map(|r| (r.geoid.as_str(), r.population)).collect();
        assert_eq!(places, [("4752006", 700), ("0653000", 440)]);
    }

    #[test]
    fn place_code_too_long() {
        let text = format!("{HEAD}162,6,0,530001,0,0,0,A,X,California,5,6\n");
        let e = parse("sub.csv", text.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("column PLACE"), "{e}");
    }
}
