//! The imported figures, loaded from the store and indexed for lookup by
//! [`plan_input_with`](crate::inputs::plan_input_with).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::manifest::SourceEntry;
use super::prepare::{COUNTIES_HEADER, CRIME_HEADER, DRIVERS_HEADER, PLACES_HEADER, RELEASES_HEADER};
use super::StoreError;
use crate::import::ImportKind;

/// One imported figure with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The value.
    pub value: f64,
    /// The year or period it describes.
    pub vintage: String,
    /// Where it came from, in words: the file, what it is, when imported.
    pub source: String,
    /// True when the figure was derived for this area from another one
    /// (a county missing from the file, given a share of its state's total).
    pub estimated: bool,
}

/// A state's (or the nation's) imported crime counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CrimeFigure {
    /// The year.
    pub year: u16,
    /// Estimated violent crimes.
    pub violent_crime: f64,
    /// Estimated murders and nonnegligent manslaughters.
    pub homicide: f64,
    /// Where they came from, in words.
    pub source: String,
}

/// Every imported figure, by GEOID. Empty when nothing is imported.
#[derive(Debug, Clone, Default)]
pub struct StoredData {
    sources: Vec<SourceEntry>,
    population: HashMap<String, Figure>,
    crime: HashMap<String, CrimeFigure>,
    releases: HashMap<String, Figure>,
    local: HashMap<String, BTreeMap<String, Figure>>,
}

impl StoredData {
    /// No imported data: plans use the embedded figures.
    pub fn empty() -> StoredData {
        StoredData::default()
    }

    /// Whether nothing is imported.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The sources the figures come from, in import order.
    pub fn sources(&self) -> &[SourceEntry] {
        &self.sources
    }

    /// The imported population of a state, county or place (`GN…`).
    pub fn population(&self, geoid: &str) -> Option<&Figure> {
        self.population.get(geoid)
    }

    /// Whether any state population is imported.
    pub fn has_state_population(&self) -> bool {
        self.population.keys().any(|k| k.len() == 2)
    }

    /// The imported FBI counts of a state (2-digit FIPS) or `"US"`.
    pub fn crime(&self, geoid: &str) -> Option<&CrimeFigure> {
        self.crime.get(geoid)
    }

    /// The imported prison releases of a state (2-digit FIPS) or `"US"`.
    pub fn releases(&self, geoid: &str) -> Option<&Figure> {
        self.releases.get(geoid)
    }

    /// The drivers given for a jurisdiction by imported drivers files.
    pub fn local(&self, geoid: &str) -> Option<&BTreeMap<String, Figure>> {
        self.local.get(geoid)
    }

    /// The GEOIDs with local figures (drivers files and the importers stored
    /// like one), in no particular order.
    pub fn local_geoids(&self) -> impl Iterator<Item = &str> {
        self.local.keys().map(String::as_str)
    }

    /// Reads every stored file listed in the manifest, checking each
    /// against its recorded SHA-256.
    pub(crate) fn load(sources_dir: &Path, sources: &[SourceEntry]) -> Result<StoredData, StoreError> {
        let mut data = StoredData { sources: sources.to_vec(), ..Default::default() };
        let mut driver_tables: Vec<(Vec<Vec<String>>, &SourceEntry)> = Vec::new();
        for s in sources {
            let path = sources_dir.join(&s.stored);
            let corrupt = |detail: String| StoreError::CorruptSource { file: path.clone(), original: s.file.clone(), detail };
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(corrupt("the file is missing".into())),
                Err(cause) => return Err(StoreError::Unreadable { file: path, cause }),
            };
            if super::fsio::sha256_hex(&bytes) != s.stored_sha256 {
                return Err(corrupt("its content differs from what was stored (SHA-256 mismatch)".into()));
            }
            let kind = s.import_kind().ok_or_else(|| corrupt(format!("unknown kind {}", s.kind)))?;
            let header = match kind {
                ImportKind::CensusCounties => COUNTIES_HEADER,
                ImportKind::CensusSubcounty => PLACES_HEADER,
                ImportKind::FbiEstimatedCrimes => CRIME_HEADER,
                ImportKind::BjsPrisoners => RELEASES_HEADER,
                ImportKind::Drivers => DRIVERS_HEADER,
            };
            let rows = read_rows(&bytes, header).map_err(corrupt)?;
            let num = |row: &[String], i: usize, line: usize| -> Result<f64, StoreError> {
                row[i]
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| corrupt(format!("line {line}: \"{}\" is not a number", row[i])))
            };
            let year = |row: &[String], i: usize, line: usize| -> Result<u16, StoreError> {
                row[i].parse::<u16>().map_err(|_| corrupt(format!("line {line}: \"{}\" is not a year", row[i])))
            };
            let imported = format!("imported {}", s.imported_on());
            match kind {
                ImportKind::CensusCounties => {
                    for (i, row) in rows.iter().enumerate() {
                        let value = num(row, 2, i + 2)?;
                        let estimated = row[3] == "1";
                        let source = if estimated {
                            format!("{}: its state's total less the counties in the file, shared by embedded population (the file has no row for this county; {imported})", s.file)
                        } else {
                            format!("{}: Census population estimates, July 1 {} ({imported})", s.file, s.vintage)
                        };
                        data.population.insert(row[0].clone(), Figure { value, vintage: s.vintage.clone(), source, estimated });
                    }
                }
                ImportKind::CensusSubcounty => {
                    for (i, row) in rows.iter().enumerate() {
                        let value = num(row, 2, i + 2)?;
                        if row[3].is_empty() {
                            continue;
                        }
                        let source = format!(
                            "{}: Census population estimates, July 1 {}, for {} ({}) ({imported})",
                            s.file, s.vintage, row[1], row[0]
                        );
                        // Keyed by the Census place code, which is the
                        // gazetteer's place GEOID (the last column held a
                        // GeoNames id in stores of earlier releases).
                        data.population.insert(row[0].clone(), Figure { value, vintage: s.vintage.clone(), source, estimated: false });
                    }
                }
                ImportKind::FbiEstimatedCrimes => {
                    for (i, row) in rows.iter().enumerate() {
                        let line = i + 2;
                        data.crime.insert(
                            row[0].clone(),
                            CrimeFigure {
                                year: year(row, 1, line)?,
                                violent_crime: num(row, 3, line)?,
                                homicide: num(row, 4, line)?,
                                source: format!("{}: FBI UCR estimated crimes ({imported})", s.file),
                            },
                        );
                    }
                }
                ImportKind::BjsPrisoners => {
                    for (i, row) in rows.iter().enumerate() {
                        let line = i + 2;
                        let y = year(row, 1, line)?;
                        let what = if row[0] == "US" { "state and federal releases" } else { "releases from the state's prisons" };
                        data.releases.insert(
                            row[0].clone(),
                            Figure {
                                value: num(row, 2, line)?,
                                vintage: y.to_string(),
                                source: format!(
                                    "{}: BJS National Prisoner Statistics, sentenced prisoners released in {y}, {what} ({imported})",
                                    s.file
                                ),
                                estimated: false,
                            },
                        );
                    }
                }
                ImportKind::Drivers => {
                    for (i, row) in rows.iter().enumerate() {
                        num(row, 2, i + 2)?;
                    }
                    driver_tables.push((rows, s));
                }
            }
        }
        // Drivers files last, in import order, so later files win.
        for (rows, s) in driver_tables {
            for row in rows {
                // Stores of earlier releases may hold place ids GN + GeoNames id.
                let geoid = if row[0].starts_with("GN") {
                    crate::embedded::gazetteer().resolve(&row[0]).map_or_else(|_| row[0].clone(), |j| j.geoid.clone())
                } else {
                    row[0].clone()
                };
                let value = row[2].parse::<f64>().unwrap_or(0.0);
                let source = if s.id.starts_with("chr:") {
                    format!(
                        "{}: County Health Rankings, yearly average {} by county of residence (imported {})",
                        s.file,
                        s.vintage,
                        s.imported_on()
                    )
                } else if s.id.starts_with("urban:") {
                    let quality = s.summary.rsplit("quality ≤ ").next().and_then(|q| q.strip_suffix(')')).unwrap_or("1");
                    format!(
                        "{}: Urban Institute violent crime rate per 100,000, {} (FBI incident-based reporting; quality flag {quality} or better) × the Census population (Vintage 2023) (imported {})",
                        s.file,
                        s.vintage,
                        s.imported_on()
                    )
                } else if s.id.starts_with("incidents:") {
                    format!(
                        "{}: the place's own count from its incident file, {} (sha256 {}, imported {})",
                        s.file,
                        s.vintage,
                        s.sha256_prefix(),
                        s.imported_on()
                    )
                } else {
                    format!("{}: local figure (drivers file, imported {})", s.file, s.imported_on())
                };
                data.local
                    .entry(geoid)
                    .or_default()
                    .insert(row[1].clone(), Figure { value, vintage: s.vintage.clone(), source, estimated: false });
            }
        }
        Ok(data)
    }
}

/// Parses a stored CSV whose first line must be `header`; every row must
/// have the header's width.
fn read_rows(bytes: &[u8], header: &str) -> Result<Vec<Vec<String>>, String> {
    let width = header.split(',').count();
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut rows = Vec::new();
    let mut first = true;
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("line {}: {e}", i + 1))?;
        if first {
            first = false;
            let got: Vec<&str> = rec.iter().collect();
            if got.join(",") != header {
                return Err(format!("its header should read \"{header}\""));
            }
            continue;
        }
        if rec.len() != width {
            return Err(format!("line {}: {} fields instead of {width}", i + 1, rec.len()));
        }
        rows.push(rec.iter().map(str::to_string).collect());
    }
    if first {
        return Err("the file is empty".into());
    }
    Ok(rows)
}
