//! Census county and state population estimates, `co-estYYYY-alldata.csv`.
//!
//! The Census publishes one of these every year (the "vintage"); each holds a
//! column per year since the last decennial census, and each vintage revises
//! the earlier years. Only the latest year is kept, because it is the one the
//! vintage exists to publish, and the year travels with every figure so the
//! program can print it. The same reader handles the 2010s layout
//! (`POPESTIMATE2010..2019`, Latin-1) and the 2020s one (UTF-8).

use std::collections::HashMap;
use std::path::Path;

use super::{us_state, ImportError, ImportKind, Needs, Row, Table};

/// Which level of geography a record describes; this decides the GEOID's
/// length (2, 5 or 7 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GeoLevel {
    /// A state or the District of Columbia (Census summary level 040).
    State,
    /// A county or county equivalent (summary level 050).
    County,
    /// An incorporated place: a city, town, village or borough (summary
    /// level 162).
    Place,
}

/// One place's population estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRecord {
    /// The zero-padded GEOID: 2 digits for a state, 5 for a county, 7 for a
    /// place.
    pub geoid: String,
    /// What kind of place this is.
    pub level: GeoLevel,
    /// The name as the Census writes it ("Los Angeles County",
    /// "Oakland city", or the state's name for a state).
    pub name: String,
    /// The state's name as written in the file.
    pub state_name: String,
    /// The state's postal abbreviation, when the state code is a known one.
    pub state_abbr: Option<&'static str>,
    /// The estimated resident population on July 1 of `year`.
    pub population: u64,
    /// The year of the estimate, which is the file's vintage.
    pub year: u16,
    /// The line of the file the record came from, to trace figures back.
    pub line: u64,
}

/// The records of one Census estimates file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationEstimates {
    /// The file's name, for provenance.
    pub file: String,
    /// The latest estimate year in the file, which names the vintage.
    pub vintage: u16,
    /// The records in file order.
    pub records: Vec<PopulationRecord>,
}

impl PopulationEstimates {
    /// The record with this GEOID (zero-padded), if present.
    pub fn get(&self, geoid: &str) -> Option<&PopulationRecord> {
        self.records.iter().find(|r| r.geoid == geoid)
    }

    /// The records of one level of geography.
    pub fn at_level(&self, level: GeoLevel) -> impl Iterator<Item = &PopulationRecord> {
        self.records.iter().filter(move |r| r.level == level)
    }

    /// How many records there are at one level.
    pub fn count(&self, level: GeoLevel) -> usize {
        self.at_level(level).count()
    }
}

/// Reads a county estimates file from disk.
pub fn from_path(path: impl AsRef<Path>) -> Result<PopulationEstimates, ImportError> {
    super::parse_path(path.as_ref(), parse)
}

/// Parses a county estimates file; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<PopulationEstimates, ImportError> {
    let table = Table::read(file, bytes)?;
    let cols = find_columns(&table)?;
    let level_of = |sumlev| match sumlev {
        40 => Some(GeoLevel::State),
        50 => Some(GeoLevel::County),
        _ => None,
    };
    let records = read_estimates(&table, &cols, SUMLEV_FIX, level_of, |row, level, state| {
        let county = row.code(cols.county, 3, COUNTY_FIX)?;
        Ok(match level {
            GeoLevel::State => (format!("{state:02}"), cols.state),
            _ => {
                if county == 0 {
                    return Err(row.bad_code(cols.county, "is 0 on a county row (SUMLEV 50)", COUNTY_FIX));
                }
                (format!("{state:02}{county:03}"), cols.county)
            }
        })
    })?;
    if records.is_empty() {
        return Err(ImportError::NoData {
            file: file.into(),
            detail: "the file has a header but no state (SUMLEV 40) or county (SUMLEV 50) rows".into(),
        });
    }
    Ok(PopulationEstimates { file: file.to_string(), vintage: cols.year, records })
}

const SUMLEV_FIX: &str = "SUMLEV is the Census summary level: 40 for a state, 50 for a county";
const STATE_FIX: &str = "STATE must be the state's FIPS code, 1 to 56 (leading zeros optional)";
const COUNTY_FIX: &str = "COUNTY must be the county's 3-digit FIPS code within its state (0 on state rows)";
const POP_FIX: &str = "population estimates must be whole numbers (remove any text from the cell)";

/// The columns both Census estimates files (counties and places) have.
pub(crate) struct Columns {
    pub sumlev: usize,
    pub state: usize,
    pub county: usize,
    pub state_name: usize,
    pub name: usize,
    pub population: usize,
    pub year: u16,
}

fn find_columns(table: &Table<'_>) -> Result<Columns, ImportError> {
    let mut needs = Needs::of(table);
    let sumlev = needs.need("SUMLEV");
    let state = needs.need("STATE");
    let county = needs.need("COUNTY");
    let state_name = needs.need("STNAME");
    let name = needs.need("CTYNAME");
    let (population, year) = needs.need_latest_year("POPESTIMATE", "POPESTIMATEyyyy (such as POPESTIMATE2023)");
    needs.check(ImportKind::CensusCounties)?;
    Ok(Columns { sumlev, state, county, state_name, name, population, year })
}

/// The row loop both Census estimates files share. `level_of` gives the
/// level of a kept summary level (`None` skips the row; `sumlev_fix` explains
/// a bad SUMLEV cell), and `geoid` builds a kept row's GEOID from its level
/// and state code, returning it with the column to name if it repeats.
pub(crate) fn read_estimates(
    table: &Table<'_>,
    cols: &Columns,
    sumlev_fix: &str,
    level_of: impl Fn(u32) -> Option<GeoLevel>,
    geoid: impl Fn(&Row<'_>, GeoLevel, u32) -> Result<(String, usize), ImportError>,
) -> Result<Vec<PopulationRecord>, ImportError> {
    let mut records = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in table.rows() {
        row.check_width(table.header.names.len())?;
        let sumlev = row.code(cols.sumlev, 3, sumlev_fix)?;
        let Some(level) = level_of(sumlev) else {
            continue;
        };
        let state = row.code(cols.state, 2, STATE_FIX)?;
        if state == 0 {
            return Err(row.bad_code(cols.state, "is not a state code", STATE_FIX));
        }
        let (geoid, key_col) = geoid(&row, level, state)?;
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
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "SUMLEV,REGION,DIVISION,STATE,COUNTY,STNAME,CTYNAME,POPESTIMATE2018,POPESTIMATE2019\r\n";

    #[test]
    fn pads_codes_and_keeps_latest_year() {
        let text = format!(
            "{HEAD}40,4,8,35,0,New Mexico,New Mexico,2092741,2096829\r\n50,4,8,35,13,New Mexico,Do\u{f1}a Ana County,217522,218195\r\n"
        );
        let est = parse("t.csv", text.as_bytes()).unwrap();
        assert_eq!(est.vintage, 2019);
        assert_eq!(est.get("35").unwrap().population, 2_096_829);
        let dona = est.get("35013").unwrap();
        assert_eq!(dona.name, "Doña Ana County");
        assert_eq!(dona.state_abbr, Some("NM"));
        assert_eq!(dona.line, 3);
    }

    /// The Vintage 2024 file `data update` fetches (co-est2024-alldata.csv):
    /// the same columns as Vintage 2023 with one more year, Latin-1 names,
    /// and Connecticut's planning regions as counties. Header written from
    /// the Census file layout (2020-2024 county totals); rows are made up.
    #[test]
    fn vintage_2024_layout() {
        let mut head = String::from("SUMLEV,REGION,DIVISION,STATE,COUNTY,STNAME,CTYNAME,ESTIMATESBASE2020");
        for part in ["POPESTIMATE", "NPOPCHG", "BIRTHS", "DEATHS", "NATURALCHG", "INTERNATIONALMIG", "DOMESTICMIG", "NETMIG", "RESIDUAL"] {
            for y in 2020..=2024 {
                head.push_str(&format!(",{part}{y}"));
            }
        }
        head.push_str(",GQESTIMATESBASE2020");
        for part in ["GQESTIMATES", "RBIRTH", "RDEATH", "RNATURALCHG", "RINTERNATIONALMIG", "RDOMESTICMIG", "RNETMIG"] {
            for y in 2020..=2024 {
                head.push_str(&format!(",{part}{y}"));
            }
        }
        let width = head.split(',').count();
        let row = |fields: &[&str], pop2024: &str| {
            let mut r: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            r.push("100".into()); // ESTIMATESBASE2020
            for y in 2020..=2024 {
                r.push(if y == 2024 { pop2024.to_string() } else { "100".into() });
            }
            while r.len() < width {
                r.push("0".into());
            }
            r.join(",")
        };
        let mut text = format!("{head}\r\n");
        for (f, p) in [
            (&["040", "1", "1", "09", "000", "Connecticut", "Connecticut"][..], "3000"),
            (&["050", "1", "1", "09", "110", "Connecticut", "Capitol Planning Region"][..], "1000"),
            (&["050", "1", "1", "09", "190", "Connecticut", "Western Connecticut Planning Region"][..], "2000"),
            (&["050", "4", "8", "35", "013", "New Mexico", "Do\u{f1}a Ana County"][..], "7"),
        ] {
            text.push_str(&row(f, p));
            text.push_str("\r\n");
        }
        // Latin-1, as the Census writes it.
        let latin1: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
        assert!(latin1.contains(&0xf1));
        let est = parse("co-est2024-alldata.csv", &latin1).unwrap();
        assert_eq!(est.vintage, 2024);
        assert_eq!(est.get("09110").unwrap().population, 1000);
        assert_eq!(est.get("09").unwrap().population, 3000);
        assert_eq!(est.get("35013").unwrap().name, "Doña Ana County");
        assert_eq!(est.count(GeoLevel::County), 3);
    }

    #[test]
    fn county_zero_on_county_row_is_refused() {
        let text = format!("{HEAD}50,4,8,35,0,New Mexico,X County,1,2\n");
        let e = parse("t.csv", text.as_bytes()).unwrap_err();
        assert!(matches!(e, ImportError::BadCode { line: 2, .. }), "{e}");
    }

    #[test]
    fn duplicate_geoid() {
        let text = format!("{HEAD}40,4,8,35,0,NM,NM,1,2\n40,4,8,035,0,NM,NM,1,2\n");
        let e = parse("t.csv", text.as_bytes()).unwrap_err();
        assert!(matches!(e, ImportError::Duplicate { line: 3, first_line: 2, .. }), "{e}");
    }
}
