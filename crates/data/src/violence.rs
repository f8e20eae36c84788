//! Embedded violence and release figures, built by `scripts/extract-violence`
//! (origin, licence and sha256 in `data/PROVENANCE.md`):
//!
//! - `data/embedded/city_violence.csv`: the FBI's 2018 Table 8 (Offenses
//!   Known to Law Enforcement by City) for the rows matched to a Census place,
//!   keyed by the place's 7-digit GEOID;
//! - `data/embedded/state_releases.csv`: sentenced prisoners released in
//!   2022 by state (BJS, Prisoners in 2022, table 9).
//!
//! Parsed once on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded FBI city table (matched rows).
pub const CITY_VIOLENCE_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/embedded/city_violence.csv"));

/// The FBI rows that matched no Census place, with the reason.
pub const CITY_VIOLENCE_UNMATCHED_CSV: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/embedded/city_violence_unmatched.csv"));

/// The embedded BJS state releases.
pub const STATE_RELEASES_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/embedded/state_releases.csv"));

/// Source of the city figures, as printed beside them.
pub const CITY_SOURCE: &str = "FBI, Crime in the United States 2018, Table 8 (Offenses Known to Law Enforcement by City)";

/// Year of the city figures.
pub const CITY_VINTAGE: &str = "2018";

/// Source of the state releases.
pub const RELEASES_SOURCE: &str = "BJS, Prisoners in 2022, table 9 (releases of sentenced prisoners)";

/// Year of the state releases.
pub const RELEASES_VINTAGE: &str = "2022";

/// One police agency's 2018 figures, matched to a Census place.
#[derive(Debug, Clone, PartialEq)]
pub struct CityViolence {
    /// The place's 7-digit Census GEOID.
    pub geoid: String,
    /// The agency's name as the FBI printed it (footnote digits removed).
    pub fbi_name: String,
    /// The population the FBI used.
    pub population: f64,
    /// Violent crimes known to police (`None` where the FBI published none).
    pub violent_crime: Option<f64>,
    /// Murders and nonnegligent manslaughters (`None` where not published).
    pub murder: Option<f64>,
}

fn num(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        s.parse().ok()
    }
}

fn cities() -> &'static HashMap<String, CityViolence> {
    static CELL: OnceLock<HashMap<String, CityViolence>> = OnceLock::new();
    CELL.get_or_init(|| {
        CITY_VIOLENCE_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<&str> = split_csv(line);
                let [geoid, name, pop, viol, murder] = f[..] else { return None };
                Some((
                    geoid.to_string(),
                    CityViolence {
                        geoid: geoid.to_string(),
                        fbi_name: name.to_string(),
                        population: num(pop)?,
                        violent_crime: num(viol),
                        murder: num(murder),
                    },
                ))
            })
            .collect()
    })
}

/// Splits one line of the generated CSVs (fields quoted only when they hold a
/// comma, and never a quote inside).
fn split_csv(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            out.push(&r[..end]);
            rest = r.get(end + 1..).unwrap_or("");
            match rest.strip_prefix(',') {
                Some(r) => rest = r,
                None => return out,
            }
        } else {
            match rest.find(',') {
                Some(i) => {
                    out.push(&rest[..i]);
                    rest = &rest[i + 1..];
                }
                None => {
                    out.push(rest);
                    return out;
                }
            }
        }
    }
}

/// The FBI 2018 figures of a Census place (7-digit GEOID), if its police
/// reported to the FBI and the row matched.
pub fn city(geoid: &str) -> Option<&'static CityViolence> {
    cities().get(geoid)
}

/// Every matched city, in no particular order.
pub fn all_cities() -> impl Iterator<Item = &'static CityViolence> {
    cities().values()
}

/// Number of FBI rows that matched no place.
pub fn unmatched_count() -> usize {
    CITY_VIOLENCE_UNMATCHED_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()).count()
}

/// The matched cities of a state (2-digit FIPS): grouped once, so finding
/// a county's does not read every city of the country (3,144 times in a
/// batch of every county).
fn cities_of_state(state: &str) -> &'static [&'static CityViolence] {
    static CELL: OnceLock<HashMap<&'static str, Vec<&'static CityViolence>>> = OnceLock::new();
    let by_state = CELL.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static CityViolence>> = HashMap::new();
        for c in cities().values() {
            m.entry(c.geoid.get(..2).unwrap_or(&c.geoid)).or_default().push(c);
        }
        m
    });
    by_state.get(state).map_or(&[], Vec::as_slice)
}

/// One reporting city's part in a county: the city, the share of its
/// residents living in the county (Geocorr 2022; 1 for a city within one
/// county) and the Census place it is.
#[derive(Debug, Clone, Copy)]
pub struct CountyPart {
    /// The city's FBI figures.
    pub city: &'static CityViolence,
    /// The Census place (for its name and Census population).
    pub place: &'static crate::embedded::Jurisdiction,
    /// Share of the place's residents living in the county.
    pub share: f64,
}

/// The reporting cities with residents in a county (5-digit FIPS), found
/// from the matched FBI rows and the place-county crosswalk on the
/// county's first use: only the cities of the county's state are read, so
/// one plan (`plan "Oakland, CA"` computes Alameda County's for its shared
/// units) does not parse every place of the gazetteer.
fn county_parts(county_geoid: &str) -> &'static [CountyPart] {
    static CELL: OnceLock<std::sync::Mutex<HashMap<String, &'static [CountyPart]>>> = OnceLock::new();
    let cache = CELL.get_or_init(Default::default);
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(parts) = lock().get(county_geoid) {
        return parts;
    }
    let g = crate::embedded::gazetteer();
    // A place's GEOID starts with its state's, as does a county's.
    let state = county_geoid.get(..2).unwrap_or(county_geoid);
    let mut parts: Vec<CountyPart> = Vec::new();
    for city in cities_of_state(state) {
        let Some(place) = g.get(&city.geoid) else { continue };
        let share = g.county_share(place, county_geoid);
        if share > 0.0 {
            parts.push(CountyPart { city, place, share });
        }
    }
    parts.sort_by(|a, b| a.city.geoid.cmp(&b.city.geoid));
    // Leaked once per county asked for (at most the 3,144 counties).
    let parts: &'static [CountyPart] = Box::leak(parts.into_boxed_slice());
    lock().entry(county_geoid.to_owned()).or_insert(parts)
}

/// The FBI-reporting cities with residents in a county (5-digit FIPS),
/// each with the share of its residents living there; empty when none.
pub fn county_reporting_places(county_geoid: &str) -> &'static [CountyPart] {
    county_parts(county_geoid)
}

fn releases() -> &'static HashMap<String, f64> {
    static CELL: OnceLock<HashMap<String, f64>> = OnceLock::new();
    CELL.get_or_init(|| {
        STATE_RELEASES_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f = split_csv(line);
                let [fips, _name, v] = f[..] else { return None };
                Some((fips.to_string(), num(v)?))
            })
            .collect()
    })
}

/// A state's (2-digit FIPS) sentenced prisoners released in 2022.
pub fn state_releases(state_fips: &str) -> Option<f64> {
    releases().get(state_fips).copied()
}

/// The sum over the 50 states (DC's sentenced felons are federal prisoners,
/// so DC has no state figure).
pub fn state_releases_total() -> f64 {
    releases().values().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oakland_and_releases() {
        // grep '^CALIFORNIA,CA,Oakland,' offenses_city.csv: population "430,230", murder 70.
        let o = city("0653000").expect("Oakland, CA");
        assert_eq!((o.population, o.murder, o.violent_crime), (430_230.0, Some(70.0), Some(5_480.0)));
        // p22stt09.csv: California 2022 total "32,055"; states sum to 405,484 (State/d row).
        assert_eq!(state_releases("06"), Some(32_055.0));
        assert_eq!(state_releases_total(), 405_484.0);
        assert_eq!(split_csv("a,\"b, c\",d"), vec!["a", "b, c", "d"]);
    }
}
