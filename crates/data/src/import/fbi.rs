//! FBI Uniform Crime Reporting state estimated crimes,
//! `estimated_crimes_YYYY_YYYY.csv`.
//!
//! The FBI has changed this file's conventions over the years: the national
//! row has an empty `state_abbr` (and was missing entirely for 2017–2020 in
//! the 1979–2023 release), figures from 2020 on are quoted with thousands
//! separators, 2021–2022 national rows are named "United States Total", and
//! 2023 rows carry no `state_name` at all. The importer absorbs all of that
//! and fills the state name and FIPS code from the abbreviation, so callers
//! can join on either.

use std::collections::HashMap;
use std::path::Path;

use super::{us_state, ImportError, ImportKind, Needs, Row, Table};

/// One year's estimated crimes for a state or the nation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrimeEstimate {
    /// The calendar year.
    pub year: u16,
    /// The postal abbreviation, or `None` for the national row.
    pub state_abbr: Option<String>,
    /// The state's name as the Census writes it (filled from the
    /// abbreviation when the file leaves it out, and trimmed of the padding
    /// the 2022 rows carry), or "United States" for the national row.
    pub state_name: String,
    /// The two-digit state FIPS code (the state GEOID), when the
    /// abbreviation is a known one.
    pub state_fips: Option<&'static str>,
    /// The population the FBI estimated for the area and year.
    pub population: u64,
    /// Murder, rape, robbery and aggravated assault together.
    pub violent_crime: u64,
    /// Murder and nonnegligent manslaughter.
    pub homicide: u64,
    /// Rape under the pre-2013 ("legacy") definition, where reported.
    pub rape_legacy: Option<u64>,
    /// Rape under the 2013 ("revised") definition, where reported.
    pub rape_revised: Option<u64>,
    /// Robbery.
    pub robbery: Option<u64>,
    /// Aggravated assault.
    pub aggravated_assault: Option<u64>,
    /// Burglary, larceny-theft and motor vehicle theft together.
    pub property_crime: Option<u64>,
    /// Burglary.
    pub burglary: Option<u64>,
    /// Larceny-theft.
    pub larceny: Option<u64>,
    /// Motor vehicle theft.
    pub motor_vehicle_theft: Option<u64>,
    /// The FBI's note on how the figures were estimated, if any.
    pub caveats: Option<String>,
    /// The line of the file the record came from.
    pub line: u64,
}

impl CrimeEstimate {
    /// Whether this is the row for the whole United States.
    pub fn is_national(&self) -> bool {
        self.state_abbr.is_none()
    }
}

/// The records of one estimated crimes file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrimeEstimates {
    /// The file's name, for provenance.
    pub file: String,
    /// The records in file order.
    pub records: Vec<CrimeEstimate>,
    /// Repairs made to known defects of the published file, one sentence
    /// each naming the line, so they can be shown and checked.
    pub notes: Vec<String>,
}

impl CrimeEstimates {
    /// The record for a state (by abbreviation, any case) or, with `None`,
    /// the nation, in the given year.
    pub fn get(&self, state_abbr: Option<&str>, year: u16) -> Option<&CrimeEstimate> {
        self.records.iter().find(|r| r.year == year && same_area(r, state_abbr))
    }

    /// The most recent record for a state or, with `None`, the nation.
    pub fn latest(&self, state_abbr: Option<&str>) -> Option<&CrimeEstimate> {
        self.records.iter().filter(|r| same_area(r, state_abbr)).max_by_key(|r| r.year)
    }

    /// The most recent record of every area: the nation first (if present),
    /// then the states by abbreviation. Areas can differ in their latest
    /// year, so check each record's `year`.
    pub fn latest_per_area(&self) -> Vec<&CrimeEstimate> {
        let mut best: HashMap<Option<&str>, &CrimeEstimate> = HashMap::new();
        for r in &self.records {
            let slot = best.entry(r.state_abbr.as_deref()).or_insert(r);
            if r.year > slot.year {
                *slot = r;
            }
        }
        let mut out: Vec<&CrimeEstimate> = best.into_values().collect();
        out.sort_by(|a, b| a.state_abbr.cmp(&b.state_abbr));
        out
    }
}

fn same_area(r: &CrimeEstimate, state_abbr: Option<&str>) -> bool {
    match (&r.state_abbr, state_abbr) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b.trim()),
        _ => false,
    }
}

/// Reads an estimated crimes file from disk.
pub fn from_path(path: impl AsRef<Path>) -> Result<CrimeEstimates, ImportError> {
    super::parse_path(path.as_ref(), parse)
}

/// Parses an estimated crimes file; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<CrimeEstimates, ImportError> {
    let table = Table::read(file, bytes)?;
    let cols = Columns::find(&table)?;
    let width = table.header.names.len();
    // The free-text caveats column is last and often empty; a tool that
    // drops trailing empty cells should not make every row "short".
    let min_width = match cols.caveats {
        Some(c) if c + 1 == width => c,
        _ => width,
    };

    let mut records = Vec::new();
    let mut notes = Vec::new();
    let mut seen: HashMap<(u16, Option<String>), u64> = HashMap::new();
    for row in table.rows() {
        row.check_width(min_width)?;
        let year = parse_year(&row, cols.year)?;
        let mut abbr = parse_abbr(&row, cols.state_abbr)?;
        let name_in_file = cols.state_name.map_or("", |c| row.text(c));
        let mut known = abbr.as_deref().and_then(us_state);
        // The abbreviation is the easier of the two to mistype (the
        // 1979-2023 release labels North Dakota's 2022 row "NC"), so when
        // both are known states and disagree, the name wins, with a note.
        let named = (name_in_file.chars().count() > 2).then(|| us_state(name_in_file)).flatten();
        if let (Some(by_abbr), Some(by_name)) = (known, named) {
            if by_abbr != by_name {
                notes.push(format!(
                    "{file} line {}: state_abbr {} does not match state_name \"{}\"; the row was read as {} ({})",
                    row.line(),
                    by_abbr.abbr,
                    name_in_file,
                    by_name.abbr,
                    by_name.name
                ));
                known = Some(by_name);
                abbr = Some(by_name.abbr.to_string());
            }
        }
        let state_name = match (&abbr, known) {
            (None, _) => "United States".to_string(),
            (Some(_), Some(st)) => st.name.to_string(),
            (Some(_), None) if !name_in_file.is_empty() => name_in_file.to_string(),
            (Some(a), None) => a.clone(),
        };
        let opt = |c: Option<usize>| -> Result<Option<u64>, ImportError> {
            match c {
                Some(c) => row.count(c, COUNT_FIX),
                None => Ok(None),
            }
        };
        let record = CrimeEstimate {
            year,
            state_fips: known.map(|s| s.fips),
            state_name,
            population: row.required_count(cols.population, POP_FIX)?,
            violent_crime: row.required_count(cols.violent_crime, COUNT_FIX)?,
            homicide: row.required_count(cols.homicide, COUNT_FIX)?,
            rape_legacy: opt(cols.rape_legacy)?,
            rape_revised: opt(cols.rape_revised)?,
            robbery: opt(cols.robbery)?,
            aggravated_assault: opt(cols.aggravated_assault)?,
            property_crime: opt(cols.property_crime)?,
            burglary: opt(cols.burglary)?,
            larceny: opt(cols.larceny)?,
            motor_vehicle_theft: opt(cols.motor_vehicle_theft)?,
            caveats: cols.caveats.map(|c| row.text(c)).filter(|t| !t.is_empty()).map(str::to_string),
            line: row.line(),
            state_abbr: abbr,
        };
        let key = (year, record.state_abbr.clone());
        if let Some(first) = seen.insert(key, row.line()) {
            let area = record.state_abbr.as_deref().unwrap_or("national");
            return Err(row.duplicate(cols.state_abbr, "state and year", &format!("{area} {year}"), first));
        }
        records.push(record);
    }
    if records.is_empty() {
        return Err(ImportError::NoData { file: file.into(), detail: "the file has a header but no rows of figures".into() });
    }
    Ok(CrimeEstimates { file: file.to_string(), records, notes })
}

const POP_FIX: &str = "the population must be a whole number such as 334,914,895";
const COUNT_FIX: &str = "crime counts must be whole numbers such as 1,253,813 (remove any text from the cell)";

fn parse_year(row: &Row<'_>, idx: usize) -> Result<u16, ImportError> {
    const FIX: &str = "the year must be a four-digit calendar year such as 2023";
    let t = row.required_text(idx, FIX)?;
    match t.parse::<u16>() {
        Ok(y) if t.len() == 4 && (1900..=2100).contains(&y) => Ok(y),
        _ => Err(row.bad_code(idx, "is not a year", FIX)),
    }
}

fn parse_abbr(row: &Row<'_>, idx: usize) -> Result<Option<String>, ImportError> {
    let t = row.text(idx);
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(Some(t.to_ascii_uppercase()));
    }
    Err(row.bad_code(
        idx,
        "is not a two-letter state abbreviation",
        "write the state's postal code such as CA, or leave the cell empty on the national row",
    ))
}

struct Columns {
    year: usize,
    state_abbr: usize,
    state_name: Option<usize>,
    population: usize,
    violent_crime: usize,
    homicide: usize,
    rape_legacy: Option<usize>,
    rape_revised: Option<usize>,
    robbery: Option<usize>,
    aggravated_assault: Option<usize>,
    property_crime: Option<usize>,
    burglary: Option<usize>,
    larceny: Option<usize>,
    motor_vehicle_theft: Option<usize>,
    caveats: Option<usize>,
}

impl Columns {
    fn find(table: &Table<'_>) -> Result<Columns, ImportError> {
        let mut needs = Needs::of(table);
        let year = needs.need("year");
        let state_abbr = needs.need("state_abbr");
        let population = needs.need("population");
        let violent_crime = needs.need("violent_crime");
        let homicide = needs.need("homicide");
        needs.check(ImportKind::FbiEstimatedCrimes)?;
        let header = &table.header;
        Ok(Columns {
            year,
            state_abbr,
            state_name: header.find("state_name"),
            population,
            violent_crime,
            homicide,
            rape_legacy: header.find("rape_legacy"),
            rape_revised: header.find("rape_revised"),
            robbery: header.find("robbery"),
            aggravated_assault: header.find("aggravated_assault"),
            property_crime: header.find("property_crime"),
            burglary: header.find("burglary"),
            larceny: header.find("larceny"),
            motor_vehicle_theft: header.find("motor_vehicle_theft"),
            caveats: header.find("caveats"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "year,state_abbr,state_name,population,violent_crime,homicide,caveats\n";

    #[test]
    fn fills_names_and_picks_latest() {
        let text = format!(
            "{HEAD}2022,,United States Total,\"333,287,557\",\"1,295,605\",\"21,781\",\n\
             2023,,,\"334,914,895\",\"1,253,813\",\"19,252\",\n\
             2023,ca,,\"38,965,193\",\"198,036\",\"1,929\"\n\
             2022,CA,California,1,2,3,\"note, with comma\"\n"
        );
        let est = parse("fbi.csv", text.as_bytes()).unwrap();
        let ca = est.latest(Some("CA")).unwrap();
        assert_eq!((ca.year, ca.homicide), (2023, 1929));
        assert_eq!(ca.state_name, "California");
        assert_eq!(ca.state_fips, Some("06"));
        assert_eq!(est.get(Some("ca"), 2022).unwrap().caveats.as_deref(), Some("note, with comma"));
        let nat = est.latest(None).unwrap();
        assert_eq!(nat.population, 334_914_895);
        assert_eq!(nat.state_name, "United States");
        let latest = est.latest_per_area();
        assert_eq!(latest.len(), 2);
        assert!(latest[0].is_national());
        assert_eq!(latest[1].year, 2023);
    }

    #[test]
    fn duplicate_state_year() {
        let text = format!("{HEAD}2023,CA,,1,2,3,\n2023,CA,,1,2,3,\n");
        let e = parse("fbi.csv", text.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("CA 2023 appears again (first on line 2)"), "{e}");
    }

    #[test]
    fn name_wins_over_a_mistyped_abbreviation() {
        let text = format!("{HEAD}2022,NC,     North Carolina,1,2,3,\n2022,NC,     North Dakota,4,5,6,\n");
        let est = parse("fbi.csv", text.as_bytes()).unwrap();
        let nd = est.get(Some("ND"), 2022).unwrap();
        assert_eq!((nd.population, nd.state_fips), (4, Some("38")));
        assert_eq!(est.get(Some("NC"), 2022).unwrap().state_name, "North Carolina");
        assert_eq!(est.notes.len(), 1);
        assert!(est.notes[0].starts_with("fbi.csv line 3: state_abbr NC"), "{:?}", est.notes);
    }

    #[test]
    fn bad_year_and_abbr() {
        let e = parse("f.csv", format!("{HEAD}23,CA,,1,2,3,\n").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("column year"), "{e}");
        let e = parse("f.csv", format!("{HEAD}2023,Calif,,1,2,3,\n").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("column state_abbr"), "{e}");
    }
}
