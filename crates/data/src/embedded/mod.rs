//! The embedded gazetteer: every U.S. state, county (and county equivalent)
//! and Census place with its population (and, for states and counties, the
//! population in poverty), plus FBI state crime estimates, compiled into the
//! binary.
//!
//! The data lives in `data/embedded/` (format: `data/embedded/README.md`;
//! origin: `data/PROVENANCE.md`). `build.rs` writes its name and GEOID
//! indexes at compile time; each jurisdiction is parsed from its row the
//! first time it is asked for, so a single lookup costs the same however
//! many places there are.
//!
//! | kind | GEOID | population | poverty |
//! |---|---|---|---|
//! | nation | `US` | sum of the states | sum of the states |
//! | state | `06` | Census Vintage 2023 | ACS 2015–2019, sum of the state's counties |
//! | county | `06001` | Census Vintage 2023 (3,144, with Connecticut's nine planning regions) | ACS 2015–2019 (B17001); not known for the CT planning regions and two Alaska census areas made after 2019 |
//! | place | `0653000` (7-digit Census place code) | Census Vintage 2023 for the 486 places it covers, else ACS 2018–2022 | — (its county's rate is used) |
//!
//! Places are the Census's incorporated places (cities, towns, villages,
//! boroughs: governments) and census-designated places (CDPs: statistical
//! areas, not governments); [`Jurisdiction::place_type`] tells them apart.
//! Place GEOIDs of earlier releases (`GN` + a GeoNames id) still resolve,
//! with a notice, to the Census place, county or state they lie in
//! ([`Gazetteer::resolve_noted`]).
//!
//! ```
//! use safetygap_data::embedded::{gazetteer, Kind};
//! let g = gazetteer();
//! let oakland = g.resolve("Oakland, CA").unwrap();
//! assert_eq!(oakland.kind, Kind::Place);
//! assert_eq!(oakland.geoid, "0653000");
//! assert_eq!(oakland.county_geoid.as_deref(), Some("06001"));
//! // Census Vintage 2023, co-est2023-alldata.csv POPESTIMATE2023 of Los Angeles County.
//! assert_eq!(g.get("06037").unwrap().population, 9_663_345.0);
//! ```

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

mod load;
mod lookup;
pub(crate) mod names;

pub use lookup::{Candidate, LookupError, Resolved};

/// The attribution GeoNames' CC BY 4.0 licence requires where GeoNames data
/// is used: only the table that maps the `GN` ids of earlier releases.
pub const GEONAMES_ATTRIBUTION: &str = "Names and points of former GeoNames places from GeoNames (geonames.org), CC BY 4.0";

/// The attribution shown with place figures: the place list, land areas
/// and ACS populations come from us_geo (MIT licence).
pub const US_GEO_ATTRIBUTION: &str =
    "Census place list, land areas and ACS 2018-2022 place populations from the us_geo data set (MIT licence, Copyright (c) 2019 Brian Durand)";

/// `data/PROVENANCE.md`: package, version, path and sha256 of every embedded file.
pub const PROVENANCE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/PROVENANCE.md"));

/// What a jurisdiction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The United States (50 states and DC).
    Nation,
    /// A state or the District of Columbia.
    State,
    /// A county or county equivalent (parish, borough, independent city…).
    County,
    /// A Census place: an incorporated place (city, town, village,
    /// borough) or a census-designated place (see [`PlaceType`]).
    Place,
}

/// Whether a Census place is a government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceType {
    /// An incorporated place (city, town, village, borough…): a local
    /// government (Census FIPS class C*).
    Incorporated,
    /// A census-designated place: a statistical area the Census draws for
    /// a settled community, not a government (FIPS class U* or M2).
    Cdp,
}

impl PlaceType {
    /// `"incorporated place"` or `"census-designated place"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceType::Incorporated => "incorporated place",
            PlaceType::Cdp => "census-designated place",
        }
    }

    /// True for incorporated places.
    pub fn is_government(self) -> bool {
        self == PlaceType::Incorporated
    }
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
    /// "Census Vintage 2023 county estimates, July 1 2023 (co-est2023-alldata)".
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
    /// (`"06001"`) or a 7-digit Census place code (`"0653000"`).
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
    /// For places, the county holding the largest share of its population
    /// (Geocorr 2022); a place spanning several counties has all of them in
    /// [`Gazetteer::place_counties`].
    pub county_geoid: Option<String>,
    /// For places, incorporated or census-designated.
    pub place_type: Option<PlaceType>,
    /// For places, the Census's legal or statistical description: `"city"`,
    /// `"town"`, `"village"`, `"borough"`, `"CDP"`, …
    pub legal: Option<String>,
    /// For places, the land area in square miles, when known.
    pub land_sqmi: Option<f64>,
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
    /// Latitude of the place's internal point (places only; not known for
    /// the five consolidated city balances).
    pub lat: Option<f64>,
    /// Longitude of the place's internal point (places only).
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
///
/// Jurisdictions are parsed from their rows of the embedded CSV on first
/// use: looking one up by name or GEOID is a binary search over indexes
/// written at compile time (`build.rs`), so it costs the same however many
/// places there are.
#[derive(Debug)]
pub struct Gazetteer {
    /// Nation first, then states, counties and places, each sorted by GEOID
    /// (places by state, then name); each parsed on first use.
    items: Box<[OnceLock<Box<Jurisdiction>>]>,
    states: Range<usize>,
    counties: Range<usize>,
    places: Range<usize>,
    /// Normalized state names and lower-case abbreviations → items.
    state_keys: HashMap<String, usize>,
    /// FBI estimates sorted by geoid (nation `US` last), then year, and the
    /// range of each geoid; parsed on first use.
    crime: OnceLock<load::Crime>,
    /// Places spanning several counties → (county, share of the place's
    /// population); parsed on first use.
    place_counties: OnceLock<HashMap<&'static str, Vec<(&'static str, f64)>>>,
    /// The `GN` ids of earlier releases, by id; parsed on first use.
    gn: OnceLock<Vec<load::GnPlace>>,
}

/// The embedded gazetteer (nothing is parsed until it is used).
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(load::build)
}

impl Gazetteer {
    /// Item `i`, parsed on first use.
    fn item(&self, i: usize) -> &Jurisdiction {
        self.items[i].get_or_init(|| Box::new(load::parse(self, i)))
    }

    /// Normalized name of item `i`.
    fn key(&self, i: usize) -> &'static str {
        load::name_key(i)
    }

    /// Normalized short name of item `i` ("alameda" for Alameda County).
    fn alias_key(&self, i: usize) -> Option<&'static str> {
        load::alias_key(i)
    }

    /// The jurisdiction with this GEOID: `"US"`, `"06"`, `"06001"`,
    /// `"0653000"`.
    pub fn get(&self, geoid: &str) -> Option<&Jurisdiction> {
        load::find_geoid(geoid).map(|i| self.item(i))
    }

    /// The United States: the sum of the 50 states and DC, with poverty summed.
    pub fn nation(&self) -> &Jurisdiction {
        self.item(0)
    }

    /// The 50 states and DC, by FIPS code.
    pub fn states(&self) -> impl Iterator<Item = &Jurisdiction> + '_ {
        self.states.clone().map(move |i| self.item(i))
    }

    /// Counties (all, or those of one state, by 2-digit FIPS), by FIPS code.
    pub fn counties<'a>(&'a self, state_fips: Option<&'a str>) -> impl Iterator<Item = &'a Jurisdiction> + 'a {
        self.counties.clone().map(move |i| self.item(i)).filter(move |j| state_fips.is_none() || j.state_fips.as_deref() == state_fips)
    }

    /// Places (all, or those of one state, by 2-digit FIPS), by state then name.
    pub fn places<'a>(&'a self, state_fips: Option<&'a str>) -> impl Iterator<Item = &'a Jurisdiction> + 'a {
        self.places.clone().map(move |i| self.item(i)).filter(move |j| state_fips.is_none() || j.state_fips.as_deref() == state_fips)
    }

    /// Places with residents in this county (5-digit FIPS): those whose
    /// main county it is and those spanning it in part
    /// ([`county_share`](Self::county_share) says how much), in the
    /// gazetteer's order: read from an index `build.rs` writes, without reading other
    /// places.
    pub fn places_in_county(&self, county_geoid: &str) -> impl Iterator<Item = &Jurisdiction> + '_ {
        load::county_places(county_geoid).into_iter().map(move |i| self.item(i))
    }

    /// The counties a place's residents live in, with the share of the
    /// place's 2020 population in each (MCDC Geocorr 2022, `afact2`),
    /// largest first. A place within one county gives `[(county, 1.0)]`;
    /// other jurisdictions give an empty list.
    pub fn place_counties<'a>(&'a self, j: &'a Jurisdiction) -> Vec<(&'a str, f64)> {
        if j.kind != Kind::Place {
            return Vec::new();
        }
        let map = self.place_counties.get_or_init(load::place_counties);
        match map.get(j.geoid.as_str()) {
            Some(parts) => parts.clone(),
            None => j.county_geoid.as_deref().map(|c| vec![(c, 1.0)]).unwrap_or_default(),
        }
    }

    /// The share of a place's population living in a county (0 when none).
    pub fn county_share(&self, j: &Jurisdiction, county_geoid: &str) -> f64 {
        if j.kind != Kind::Place {
            return 0.0;
        }
        if !self.place_counties.get_or_init(load::place_counties).contains_key(j.geoid.as_str()) {
            return if j.county_geoid.as_deref() == Some(county_geoid) { 1.0 } else { 0.0 };
        }
        self.place_counties(j).into_iter().find(|(c, _)| *c == county_geoid).map_or(0.0, |(_, s)| s)
    }

    /// The sum of a place figure over the places with residents in a
    /// county, each place's figure multiplied by its share of population in
    /// the county: the county roll-up of place figures. `figure` returns
    /// `None` for places without a figure, which are skipped.
    pub fn county_rollup(&self, county_geoid: &str, figure: impl Fn(&Jurisdiction) -> Option<f64>) -> f64 {
        self.places_in_county(county_geoid).filter_map(|p| figure(p).map(|v| v * self.county_share(p, county_geoid))).sum()
    }

    /// Every jurisdiction: nation, states, counties, places.
    pub fn all(&self) -> impl Iterator<Item = &Jurisdiction> + '_ {
        (0..self.items.len()).map(move |i| self.item(i))
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
        let (crime, by_geoid) = self.crime.get_or_init(load::crime);
        match by_geoid.get(state_fips) {
            Some(r) => &crime[r.clone()],
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
