//! Census city and town estimates, `sub-estYYYY_all.csv`.
//!
//! The official file mixes many summary levels; incorporated places (162) are
//! what people mean by "my city", and the state (040) and county (050) rows
//! come for free, so those three are kept. Place parts (157), minor civil
//! divisions (061), consolidated cities and the like would double-count
//! people, so they are skipped. Records reuse the county importer's types so
//! callers handle all population figures alike.

use std::collections::HashMap;
use std::path::Path;

use super::census::{GeoLevel, PopulationEstimates, PopulationRecord};
use super::{decode, header_of, missing_columns, read_csv, us_state, Header, ImportError, ImportKind, Row};

/// Reads a city and town estimates file from disk.
pub fn from_path(path: impl AsRef<Path>) -> Result<PopulationEstimates, ImportError> {
    let (name, bytes) = super::read_path(path.as_ref())?;
    parse(&name, &bytes)
}

/// Parses a city and town estimates file; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<PopulationEstimates, ImportError> {
    let text = decode(file, bytes)?;
    let recs = read_csv(file, &text)?;
    let (header_at, header_rec) = header_of(file, &recs)?;
    let header = Header::new(header_rec);
    let cols = Columns::find(file, &header, &text)?;

    let mut records = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for rec in &recs[header_at + 1..] {
        if rec.is_blank() {
            continue;
        }
        let row = Row { file, rec, header: &header };
        row.check_width(header.names.len())?;
        let sumlev = row.code(cols.sumlev, 3, SUMLEV_FIX)?;
        let level = match sumlev {
            40 => GeoLevel::State,
            50 => GeoLevel::County,
            162 => GeoLevel::Place,
            _ => continue,
        };
        let state = row.code(cols.state, 2, STATE_FIX)?;
        if state == 0 {
            return Err(row.bad_code(cols.state, "is not a state code", STATE_FIX));
        }
        let (geoid, key_col) = match level {
            GeoLevel::State => (format!("{state:02}"), cols.state),
            GeoLevel::County => {
                let county = row.code(cols.county, 3, COUNTY_FIX)?;
                if county == 0 {
                    return Err(row.bad_code(cols.county, "is 0 on a county row (SUMLEV 050)", COUNTY_FIX));
                }
                (format!("{state:02}{county:03}"), cols.county)
            }
            GeoLevel::Place => {
                let place = row.code(cols.place, 5, PLACE_FIX)?;
                if place == 0 {
                    return Err(row.bad_code(cols.place, "is 0 on a place row (SUMLEV 162)", PLACE_FIX));
                }
                (format!("{state:02}{place:05}"), cols.place)
            }
        };
        let name = row.required_text(cols.name, "every row needs the place's name")?;
        let state_name = row.required_text(cols.state_name, "every row needs its state's name")?;
        let population = row.required_count(cols.population, POP_FIX)?;
        if let Some(first) = seen.insert(geoid.clone(), row.line()) {
            return Err(row.duplicate(key_col, "GEOID", &geoid, first));
        }
        records.push(PopulationRecord {
            state_abbr: us_state(&geoid[..2]).map(|s| s.abbr),
            geoid,
            level,
            name: name.to_string(),
            state_name: state_name.to_string(),
            population,
            year: cols.year,
            line: row.line(),
        });
    }
    if !records.iter().any(|r| r.level == GeoLevel::Place) {
        return Err(ImportError::NoData { file: file.into(), detail: "the file has no incorporated place rows (SUMLEV 162)".into() });
    }
    Ok(PopulationEstimates { file: file.to_string(), vintage: cols.year, records })
}

const SUMLEV_FIX: &str = "SUMLEV is the Census summary level: 162 for an incorporated place, 040 for a state, 050 for a county";
const STATE_FIX: &str = "STATE must be the state's FIPS code, 1 to 56 (leading zeros optional)";
const COUNTY_FIX: &str = "COUNTY must be the county's 3-digit FIPS code within its state";
const PLACE_FIX: &str = "PLACE must be the place's 5-digit Census place code within its state";
const POP_FIX: &str = "population estimates must be whole numbers (remove any text from the cell)";

struct Columns {
    sumlev: usize,
    state: usize,
    county: usize,
    place: usize,
    state_name: usize,
    name: usize,
    population: usize,
    year: u16,
}

impl Columns {
    fn find(file: &str, header: &Header, text: &str) -> Result<Columns, ImportError> {
        let mut missing = Vec::new();
        let mut need = |name: &str| {
            let found = header.find(name);
            if found.is_none() {
                missing.push(name.to_string());
            }
            found.unwrap_or(0)
        };
        let sumlev = need("SUMLEV");
        let state = need("STATE");
        let county = need("COUNTY");
        let place = need("PLACE");
        let name = need("NAME");
        let state_name = need("STNAME");
        let latest = header.latest_year_column("POPESTIMATE");
        if latest.is_none() {
            missing.push("POPESTIMATEyyyy (such as POPESTIMATE2019)".to_string());
        }
        match latest {
            Some((population, year)) if missing.is_empty() => {
                Ok(Columns { sumlev, state, county, place, state_name, name, population, year })
            }
            _ => Err(missing_columns(file, header, ImportKind::CensusSubcounty, missing, text)),
        }
    }
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

    #[test]
    fn place_code_too_long() {
        let text = format!("{HEAD}162,6,0,530001,0,0,0,A,X,California,5,6\n");
        let e = parse("sub.csv", text.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("column PLACE"), "{e}");
    }
}
