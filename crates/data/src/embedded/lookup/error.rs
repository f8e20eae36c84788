//! What a failed lookup says: the candidates of an ambiguous name, the
//! suggestions for a misspelt one, in one message with the fix.

use super::*;
use std::fmt;

/// One of several jurisdictions an ambiguous name could mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Display name, e.g. `"Springfield, IL"`.
    pub display: String,
    /// GEOID to pass with `--geoid`, e.g. `"1772000"`.
    pub geoid: String,
    /// What it is.
    pub kind: Kind,
    /// For places, the Census's legal or statistical description (`"city"`,
    /// `"village"`, `"CDP"`…).
    pub legal: Option<String>,
    /// For places, incorporated or census-designated.
    pub place_type: Option<PlaceType>,
    /// Its population.
    pub population: f64,
    /// For places, the name of the county containing it (to tell apart two
    /// places of the same name in one state).
    pub county: Option<String>,
}

/// Why a name or GEOID did not resolve to exactly one jurisdiction.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupError {
    /// Nothing has that name; `suggestions` are the closest display names,
    /// same state first.
    NotFound {
        /// The query as given.
        query: String,
        /// Closest names ("Oakland, CA"), best first; may be empty.
        suggestions: Vec<String>,
    },
    /// The part after the comma is not a state name or abbreviation.
    UnknownState {
        /// The query as given.
        query: String,
        /// The part that should have named a state.
        state: String,
        /// Closest state names, best first; may be empty.
        suggestions: Vec<String>,
    },
    /// Several jurisdictions have that name.
    Ambiguous {
        /// The query as given.
        query: String,
        /// All matches, largest population first.
        candidates: Vec<Candidate>,
    },
    /// A GEOID that is malformed or not in the embedded data.
    BadGeoid {
        /// The GEOID as given.
        geoid: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl std::error::Error for LookupError {}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::NotFound { query, .. } if query.trim().is_empty() => write!(
                f,
                "No jurisdiction given: write a state (\"California\" or \"CA\"), a county \
                 (\"Alameda County, CA\"), a place (\"Oakland, CA\") or a GEOID (\"06001\")."
            ),
            LookupError::NotFound { query, suggestions } => {
                write!(f, "No state, county or place called \"{}\" in the embedded gazetteer.", query.trim())?;
                if !suggestions.is_empty() {
                    write!(f, " Did you mean {}?", or_list(suggestions))?;
                }
                write!(
                    f,
                    " Names are matched without regard to case, accents or periods; write a \
                     place as \"Oakland, CA\", a county as \"Alameda County, CA\", a state as \
                     \"California\" or \"CA\", or give a GEOID with --geoid (\"06001\"). \
                     Places are the Census's incorporated places and census-designated places."
                )
            }
            LookupError::UnknownState { query, state, suggestions } => {
                write!(f, "\"{}\" in \"{}\" is not a U.S. state name or two-letter abbreviation.", state.trim(), query.trim())?;
                if !suggestions.is_empty() {
                    write!(f, " Did you mean {}?", or_list(suggestions))?;
                }
                write!(f, " Write the state after the comma, e.g. \"Oakland, CA\" or \"Oakland, California\".")
            }
            LookupError::Ambiguous { query, candidates } => {
                let states: std::collections::BTreeSet<&str> = candidates.iter().filter_map(|c| c.display.rsplit(", ").next()).collect();
                write!(f, "\"{}\" is ambiguous: it matches {} jurisdictions", query.trim(), candidates.len())?;
                if states.len() > 1 {
                    write!(f, " in {} states", states.len())?;
                }
                write!(f, ": ")?;
                for (i, c) in candidates.iter().take(LISTED).enumerate() {
                    if i > 0 {
                        write!(f, "; ")?;
                    }
                    match (&c.legal, c.place_type) {
                        (Some(legal), Some(PlaceType::Cdp)) => write!(f, "{} ({legal}, not a government", c.display)?,
                        (Some(legal), _) => write!(f, "{} ({legal}", c.display)?,
                        (None, _) => write!(f, "{} ({}", c.display, c.kind)?,
                    }
                    if let Some(county) = &c.county {
                        write!(f, " in {county}")?;
                    }
                    write!(f, ", pop. {}, GEOID {})", thousands(c.population), c.geoid)?;
                }
                if candidates.len() > LISTED {
                    write!(f, "; and {} more", candidates.len() - LISTED)?;
                }
                let first = candidates.first();
                let example = first.map(|c| c.display.as_str()).unwrap_or("Oakland, CA");
                let geoid = first.map(|c| c.geoid.as_str()).unwrap_or("06001");
                if states.len() > 1 {
                    write!(f, ". Add the state (\"{example}\") or pick one with --geoid {geoid}.")
                } else if candidates.iter().any(|c| c.kind == Kind::County) {
                    write!(
                        f,
                        ". Write \"County\" (or \"city\", \"Parish\"…) for the county, or pick \
                         one with --geoid {geoid}."
                    )
                } else {
                    let with_county = first
                        .and_then(|c| {
                            let (name, st) = c.display.rsplit_once(", ")?;
                            Some(format!("{name}, {}, {st}", c.county.as_deref()?))
                        })
                        .unwrap_or_else(|| example.to_owned());
                    write!(f, ". Add the county (\"{with_county}\") or pick one with --geoid {geoid}.")
                }
            }
            LookupError::BadGeoid { geoid, reason } => {
                write!(f, "GEOID \"{geoid}\": {reason}")
            }
        }
    }
}

pub(super) fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("\"{one}\""),
        [init @ .., last] => {
            let head: Vec<String> = init.iter().map(|s| format!("\"{s}\"")).collect();
            format!("{} or \"{last}\"", head.join(", "))
        }
    }
}
