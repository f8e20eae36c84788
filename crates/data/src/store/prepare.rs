//! From an imported file to its stored form: the figures safetygap uses,
//! matched to the gazetteer, as a small CSV, with a manifest entry that says
//! what the source covers.
//!
//! Everything that could make an import pointless or wrong is checked here,
//! before anything is written: the kind must feed a driver, a county file's
//! counties must add up to its states (a file cut short at a line break
//! would otherwise pass), and a drivers file must name known drivers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use super::fsio::sha256_hex;
use super::manifest::SourceEntry;
use super::places::match_places;
use super::StoreError;
use crate::embedded::{Gazetteer, Kind};
use crate::import::bjs::{BjsMeasure, Jurisdiction as BjsJurisdiction, PrisonerTable};
use crate::import::census::{GeoLevel, PopulationEstimates};
use crate::import::drivers::DriverTable;
use crate::import::fbi::CrimeEstimates;
use crate::import::{import_bytes, ImportKind, Imported};
use safetygap_core::drivers::fmt_thousands;

/// The header line of each stored form.
pub(crate) const COUNTIES_HEADER: &str = "geoid,name,population,estimated";
pub(crate) const PLACES_HEADER: &str = "census_geoid,name,population,gn_geoid";
pub(crate) const CRIME_HEADER: &str = "geoid,year,population,violent_crime,homicide";
pub(crate) const RELEASES_HEADER: &str = "geoid,year,releases";
pub(crate) const DRIVERS_HEADER: &str = "geoid,driver,value";

/// How to import a file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The kind of file, or `None` to recognise it from its content.
    pub kind: Option<ImportKind>,
    /// Where the file came from (a path or URL), recorded in the manifest;
    /// the file name is used when empty.
    pub origin: String,
    /// The year the figures describe, for drivers files (official files
    /// carry their own).
    pub vintage: Option<String>,
}

/// A validated file in its stored form, ready for [`Store::save`](super::Store::save).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The manifest entry it will get (its `imported_at` is set on saving).
    pub entry: SourceEntry,
    pub(crate) stored_bytes: Vec<u8>,
}

impl Prepared {
    /// The stored form's bytes (for tests and previews).
    pub fn stored_bytes_for_tests(&self) -> Vec<u8> {
        self.stored_bytes.clone()
    }
}

/// True for a year from 1900 to 2100 (`2024`) or a period of two such
/// years in order (`2019-2023`).
pub fn is_vintage(v: &str) -> bool {
    let year = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && (1900..=2100).contains(&y.parse::<u32>().unwrap_or(0));
    match v.split_once('-') {
        Some((a, b)) => year(a) && year(b) && a <= b,
        None => year(v),
    }
}

/// Runs the importer on `bytes` and turns the records into the stored form.
/// Nothing is written.
pub fn prepare(file: &str, bytes: &[u8], opts: &ImportOptions, g: &Gazetteer) -> Result<Prepared, StoreError> {
    let imported = import_bytes(file, bytes, opts.kind)?;
    let kind = imported.kind();
    if opts.vintage.is_some() && kind != ImportKind::Drivers {
        return Err(StoreError::Rejected {
            file: file.into(),
            problem: format!("--vintage applies to drivers files, and this is {}", kind.description()),
            fix: "leave --vintage out: official files carry their own year".into(),
        });
    }
    if let Some(v) = opts.vintage.as_deref() {
        if !is_vintage(v) {
            return Err(StoreError::Rejected {
                file: file.into(),
                problem: format!("--vintage `{v}` is not a year"),
                fix:
                    "give the year the figures describe, e.g. --vintage 2024, or a period such as --vintage 2019-2023 (years 1900 to 2100)"
                        .into(),
            });
        }
    }
    let mut out = Body::default();
    let mut id = kind.slug().to_string();
    match &imported {
        Imported::CensusCounties(est) => counties(file, est, g, &mut out)?,
        Imported::CensusSubcounty(est) => places(est, g, &mut out),
        Imported::FbiEstimatedCrimes(c) => crimes(c, g, &mut out)?,
        Imported::BjsPrisoners(t) => releases(file, t, &mut out)?,
        Imported::Drivers(t) => {
            drivers(file, t, g, opts.vintage.as_deref(), &mut out)?;
            id = format!("drivers:{}", slug(file));
        }
    }
    let stored_sha256 = sha256_hex(out.csv.as_bytes());
    let stored = format!("{}-{}.csv", id.replace(':', "-"), &stored_sha256[..12]);
    let origin = if opts.origin.is_empty() { file.to_string() } else { opts.origin.clone() };
    Ok(Prepared {
        entry: SourceEntry {
            id,
            kind: kind.slug().into(),
            file: file.into(),
            origin,
            sha256: sha256_hex(bytes),
            imported_at: String::new(),
            vintage: out.vintage,
            records: out.records,
            stored,
            stored_sha256,
            summary: out.summary,
            notes: out.notes,
        },
        stored_bytes: out.csv.into_bytes(),
    })
}

#[derive(Default)]
struct Body {
    csv: String,
    records: usize,
    vintage: String,
    summary: String,
    notes: Vec<String>,
}

impl Body {
    fn header(&mut self, h: &str) {
        self.csv.push_str(h);
        self.csv.push('\n');
    }

    fn row(&mut self, cells: &[&str]) {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.csv.push(',');
            }
            if c.contains([',', '"', '\n', '\r']) {
                let _ = write!(self.csv, "\"{}\"", c.replace('"', "\"\""));
            } else {
                self.csv.push_str(c);
            }
        }
        self.csv.push('\n');
        self.records += 1;
    }
}

/// A file-name stem fit for an id: lower case, `[a-z0-9_-]`.
fn slug(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let s: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '_' })
        .take(40)
        .collect();
    if s.is_empty() {
        "file".into()
    } else {
        s
    }
}

fn list_some(items: &[String], max: usize) -> String {
    let mut s = items.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > max {
        let _ = write!(s, " and {} more", items.len() - max);
    }
    s
}

fn counties(file: &str, est: &PopulationEstimates, g: &Gazetteer, out: &mut Body) -> Result<(), StoreError> {
    let vintage = est.vintage;
    // The Census controls county estimates to the state totals, so a state
    // whose counties do not add up has lost rows.
    let mut file_sum: HashMap<&str, (u64, usize)> = HashMap::new();
    for c in est.at_level(GeoLevel::County) {
        let e = file_sum.entry(&c.geoid[..2]).or_default();
        e.0 += c.population;
        e.1 += 1;
    }
    for s in est.at_level(GeoLevel::State) {
        if let Some(&(sum, n)) = file_sum.get(s.geoid.as_str()) {
            if n > 0 && sum != s.population {
                return Err(StoreError::Rejected {
                    file: file.into(),
                    problem: format!(
                        "the {n} counties of {} in the file add up to {} people, but its state row (line {}) says {}",
                        s.name,
                        fmt_thousands(sum as f64),
                        s.line,
                        fmt_thousands(s.population as f64)
                    ),
                    fix: "the file looks cut short or edited; download it again from the Census Bureau".into(),
                });
            }
        }
    }

    out.header(COUNTIES_HEADER);
    out.vintage = vintage.to_string();
    let mut n_states = 0;
    let mut n_counties = 0;
    let mut unused: Vec<String> = Vec::new();
    let mut in_file: HashSet<&str> = HashSet::new();
    for r in &est.records {
        let known = g.get(&r.geoid).is_some_and(|j| match r.level {
            GeoLevel::State => j.kind == Kind::State,
            GeoLevel::County => j.kind == Kind::County,
            GeoLevel::Place => false,
        });
        if !known {
            unused.push(format!("{} ({}, {})", r.name, r.geoid, r.state_abbr.unwrap_or("?")));
            continue;
        }
        in_file.insert(&r.geoid);
        match r.level {
            GeoLevel::State => n_states += 1,
            _ => n_counties += 1,
        }
        out.row(&[&r.geoid, &r.name, &r.population.to_string(), "0"]);
    }

    // Counties the file lacks (Connecticut's, replaced by planning regions
    // in 2022; a county split in two) share what the state total leaves.
    let mut n_estimated = 0;
    for s in est.at_level(GeoLevel::State) {
        if !in_file.contains(s.geoid.as_str()) {
            continue;
        }
        let counties: Vec<_> = g.counties(Some(&s.geoid)).collect();
        let missing: Vec<_> = counties.iter().filter(|c| !in_file.contains(c.geoid.as_str())).collect();
        if missing.is_empty() {
            continue;
        }
        let names: Vec<String> = missing.iter().map(|c| c.name.clone()).collect();
        if !file_sum.contains_key(s.geoid.as_str()) {
            out.notes.push(format!(
                "{}: the file has no county rows, so its counties keep their embedded populations, which no longer add up to the state's {vintage} total",
                s.name
            ));
            continue;
        }
        let given: u64 =
            counties.iter().filter(|c| in_file.contains(c.geoid.as_str())).filter_map(|c| est.get(&c.geoid)).map(|r| r.population).sum();
        let embedded: f64 = missing.iter().map(|c| c.population).sum();
        if given >= s.population || embedded <= 0.0 {
            out.notes.push(format!("{}: {} not in the file keep their embedded populations", s.name, list_some(&names, 5)));
            continue;
        }
        let rest = (s.population - given) as f64;
        for c in &missing {
            let share = c.population / embedded;
            out.row(&[&c.geoid, &c.name, &format!("{}", rest * share), "1"]);
            n_estimated += 1;
        }
        let how = if missing.len() == 1 {
            "it gets the state's total less the counties in the file".to_string()
        } else {
            "they share the state's total less the counties in the file, by their embedded populations".to_string()
        };
        out.notes.push(format!(
            "{}: the file has no row for {}; {how} ({} people in {vintage}; estimated)",
            s.name,
            list_some(&names, 8),
            fmt_thousands((s.population - given) as f64)
        ));
    }
    if !unused.is_empty() {
        out.notes.push(format!("{} rows name areas the gazetteer does not have and are not used: {}", unused.len(), list_some(&unused, 6)));
    }
    if n_states < g.states().count() {
        out.notes.push(format!(
            "the file has {n_states} of the {} states; the others keep their embedded populations (if you expected the national file, it may be cut short)",
            g.states().count()
        ));
    }
    let estimated = if n_estimated > 0 { format!(" (+{n_estimated} estimated from state totals)") } else { String::new() };
    out.summary = format!(
        "population of {n_states} states and {} counties{estimated}, Census estimates for July 1 {vintage}",
        fmt_thousands(n_counties as f64)
    );
    Ok(())
}

fn places(est: &PopulationEstimates, g: &Gazetteer, out: &mut Body) {
    let records: Vec<_> = est.at_level(GeoLevel::Place).collect();
    let matches = match_places(g, &records);
    out.header(PLACES_HEADER);
    out.vintage = est.vintage.to_string();
    let mut matched = 0;
    // Only places of the gazetteer are stored: the others reach no jurisdiction.
    for (r, m) in records.iter().zip(&matches) {
        if let Some(geoid) = m.as_deref().filter(|_| r.population > 0) {
            matched += 1;
            out.row(&[&r.geoid, &r.name, &r.population.to_string(), geoid]);
        }
    }
    if matched == 0 {
        out.notes.push("no Census place of the file is in the gazetteer, so the import changes no figure".into());
    }
    let total = g.places(None).count();
    out.summary = format!(
        "population of {} places matched to the gazetteer by Census place code (of {} Census places), Census estimates for July 1 {}",
        fmt_thousands(matched as f64),
        fmt_thousands(records.len() as f64),
        est.vintage
    );
    out.notes.push(format!(
        "{} of {} Census places of the file matched a gazetteer place by code; the other {} gazetteer places (most of them census-designated places, which the city and town estimates do not cover) keep their embedded population",
        fmt_thousands(matched as f64),
        fmt_thousands(records.len() as f64),
        fmt_thousands(total.saturating_sub(matched) as f64)
    ));
}

fn crimes(c: &CrimeEstimates, g: &Gazetteer, out: &mut Body) -> Result<(), StoreError> {
    out.header(CRIME_HEADER);
    let latest = c.latest_per_area();
    let mut years: BTreeMap<u16, usize> = BTreeMap::new();
    let mut n_states = 0;
    let mut national = None;
    for r in latest {
        let geoid = if r.is_national() {
            national = Some(r.year);
            "US"
        } else {
            match r.state_fips.filter(|f| g.get(f).is_some()) {
                Some(f) => f,
                None => continue,
            }
        };
        if geoid != "US" {
            n_states += 1;
            *years.entry(r.year).or_default() += 1;
        }
        out.row(&[geoid, &r.year.to_string(), &r.population.to_string(), &r.violent_crime.to_string(), &r.homicide.to_string()]);
    }
    let latest_year = national.or_else(|| years.keys().next_back().copied()).unwrap_or(0);
    out.vintage = latest_year.to_string();
    if years.len() > 1 {
        let parts: Vec<String> = years.iter().rev().map(|(y, n)| format!("{n} states {y}")).collect();
        out.notes.push(format!("the latest year differs between states ({}); each state uses its own latest year", parts.join(", ")));
    }
    if national.is_none() {
        out.notes.push("the file has no national rows; the nation keeps the embedded figures".into());
    }
    out.notes.extend(c.notes.iter().cloned());
    out.summary = format!(
        "homicides and violent crimes of {n_states} states{}, latest year {latest_year} (FBI estimates)",
        if national.is_some() { " and the nation" } else { "" }
    );
    Ok(())
}

fn releases(file: &str, t: &PrisonerTable, out: &mut Body) -> Result<(), StoreError> {
    if t.measure != BjsMeasure::Releases {
        let what = match t.measure {
            BjsMeasure::Admissions => "admissions".to_string(),
            _ => format!("\"{}\"", t.title),
        };
        return Err(StoreError::Rejected {
            file: file.into(),
            problem: format!("this BJS table counts {what}, and only prison releases feed a driver (prison_releases)"),
            fix: "import the releases table of the same report instead (Table 9, such as p22stt09.csv)".into(),
        });
    }
    out.header(RELEASES_HEADER);
    let latest_year = t.latest_year().unwrap_or(0);
    out.vintage = latest_year.to_string();
    let mut n_states = 0;
    let mut older: Vec<String> = Vec::new();
    let mut none: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for row in &t.rows {
        let geoid = match row.jurisdiction {
            BjsJurisdiction::UsTotal => "US",
            BjsJurisdiction::State(s) => s.fips,
            _ => continue,
        };
        let best = row.totals.iter().filter_map(|(y, v)| v.map(|v| (*y, v))).max_by_key(|(y, _)| *y);
        let Some((year, value)) = best else {
            none.push(row.name.clone());
            continue;
        };
        if year < latest_year {
            older.push(format!("{} ({year})", row.name));
        }
        if geoid != "US" {
            n_states += 1;
            seen.insert(geoid);
        }
        out.row(&[geoid, &year.to_string(), &value.to_string()]);
    }
    if !older.is_empty() {
        out.notes.push(format!("{latest_year} not reported, an earlier year used: {}", older.join(", ")));
    }
    if !none.is_empty() {
        out.notes.push(format!("no figure reported, so the catalog's national rate is used: {}", none.join(", ")));
    }
    if !seen.contains("11") {
        out.notes.push("the District of Columbia has no row (its sentenced prisoners are held by the Federal Bureau of Prisons), so DC uses the catalog's national rate".into());
    }
    out.notes.extend(t.notes.iter().cloned());
    out.summary = format!(
        "prison releases of {n_states} states{}, latest year {latest_year} (BJS National Prisoner Statistics)",
        if t.rows.iter().any(|r| r.jurisdiction == BjsJurisdiction::UsTotal) { " and the nation (state and federal)" } else { "" }
    );
    Ok(())
}

fn drivers(file: &str, t: &DriverTable, g: &Gazetteer, vintage: Option<&str>, out: &mut Body) -> Result<(), StoreError> {
    let catalog = safetygap_core::shipped::catalog().map_err(|e| StoreError::Rejected {
        file: file.into(),
        problem: format!("the shipped catalog does not load ({e})"),
        fix: "report this as a bug".into(),
    })?;
    let known: Vec<&str> = catalog.drivers.iter().map(|d| d.id.as_str()).collect();
    for d in &t.drivers {
        if !known.contains(&d.as_str()) {
            let hint =
                safetygap_core::suggest::closest(d, known.iter().copied()).map(|s| format!("did you mean {s}? ")).unwrap_or_default();
            return Err(StoreError::Rejected {
                file: file.into(),
                problem: format!("column {d} is not a driver in the catalog"),
                fix: format!("{hint}rename the column to one of {} (or delete it)", known.join(", ")),
            });
        }
    }
    out.header(DRIVERS_HEADER);
    out.vintage = vintage.map(str::trim).filter(|v| !v.is_empty()).unwrap_or("not stated").to_string();
    let mut usable = 0;
    let mut census_places = 0;
    let mut unknown: Vec<String> = Vec::new();
    let mut migrated: Vec<String> = Vec::new();
    for r in &t.records {
        for (d, v) in &r.values {
            if let Err(e) = safetygap_core::drivers::check_value(d, *v) {
                return Err(StoreError::Rejected {
                    file: file.into(),
                    problem: format!("line {}: {e}", r.line),
                    fix: "correct the figure or leave the cell empty".into(),
                });
            }
            if d == "population" && *v == 0.0 {
                return Err(StoreError::Rejected {
                    file: file.into(),
                    problem: format!("line {}: population 0 for {}", r.line, r.geoid),
                    fix: "give the area's population, or leave the cell empty to keep the official figure".into(),
                });
            }
        }
        // Place ids of earlier releases (GN + GeoNames id) are stored as the
        // Census jurisdiction they now open.
        let mut geoid = r.geoid.clone();
        if geoid.starts_with("GN") {
            if let Ok(found) = g.resolve_noted(&geoid) {
                migrated.push(format!("{} → {}", geoid, found.jurisdiction.geoid));
                geoid = found.jurisdiction.geoid.clone();
            }
        }
        if g.get(&geoid).is_some() {
            usable += 1;
        } else if geoid.len() == 7 && geoid.bytes().all(|b| b.is_ascii_digit()) {
            census_places += 1;
            unknown.push(geoid.clone());
        } else {
            unknown.push(geoid.clone());
        }
        for (d, v) in &r.values {
            out.row(&[&geoid, d, &format!("{v}")]);
        }
    }
    if !migrated.is_empty() {
        out.notes.push(format!(
            "{} rows use place ids of earlier releases (GN + GeoNames id), stored as the Census place, county or state each now opens: {}",
            migrated.len(),
            list_some(&migrated, 8)
        ));
    }
    if census_places > 0 {
        out.notes.push(format!("{census_places} rows use 7-digit codes that are not Census places of the embedded 2023 list"));
    }
    if !unknown.is_empty() {
        out.notes.push(format!(
            "{} ids match no state, county or place and are not used: {} (`safetygap search NAME` shows GEOIDs)",
            unknown.len(),
            list_some(&unknown, 8)
        ));
    }
    if usable == 0 && census_places == 0 {
        return Err(StoreError::Rejected {
            file: file.into(),
            problem: format!("none of its {} ids is a known state, county or place GEOID", t.records.len()),
            fix: "write GEOIDs such as 06 (a state), 06001 (a county) or the GN… id of a place; `safetygap search NAME` shows them".into(),
        });
    }
    out.summary = format!("local figures ({}) for {} jurisdictions", t.drivers.join(", "), usable + census_places);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12 row 11: `--vintage abc` and `--vintage 99999` were stored.
    #[test]
    fn vintages_are_years_or_periods() {
        for ok in ["2024", "1990", "2019-2023", "2100"] {
            assert!(is_vintage(ok), "{ok}");
        }
        for bad in ["abc", "99999", "", "202", "2023-2019", "1899", "2101", "2024-", "20 24", "２０２４"] {
            assert!(!is_vintage(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_and_thousands() {
        assert_eq!(slug("dir/My Drivers 2024.csv"), "my_drivers_2024");
        assert_eq!(slug(".csv"), "file");
        assert_eq!(fmt_thousands(9_663_345.0), "9,663,345");
        assert_eq!(fmt_thousands(12.0), "12");
    }
}
