//! Choosing many jurisdictions at once (`compare`, `batch`).

use anyhow::{bail, Context, Result};
use safetygap_data::embedded::{gazetteer, Jurisdiction, Kind};

/// Geographic level of a multi-jurisdiction run.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The 50 states and DC.
    State,
    /// Every county and county equivalent (3,144).
    County,
    /// Every Census place (incorporated places and CDPs) in the gazetteer.
    Place,
}

/// Resolves `--state` (name, abbreviation or FIPS) to a state FIPS code.
pub fn state_fips(state: &str) -> Result<String> {
    let g = gazetteer();
    let j = g.resolve(state).with_context(|| format!("--state {state}"))?;
    if j.kind != Kind::State {
        bail!(
            "--state {state}: that is {} ({}), not a state; write a state name, abbreviation (CA) or FIPS code (06)",
            j.display_name(),
            j.kind.as_str()
        );
    }
    Ok(j.geoid.clone())
}

/// Every jurisdiction at `level`, optionally within one state, in GEOID order.
pub fn jurisdictions(level: Level, state: Option<&str>) -> Result<Vec<&'static Jurisdiction>> {
    let g = gazetteer();
    let fips = state.map(state_fips).transpose()?;
    let fips = fips.as_deref();
    let in_state = |j: &Jurisdiction| fips.is_none_or(|f| j.state_fips.as_deref() == Some(f));
    let list: Vec<&Jurisdiction> = match level {
        Level::State => g.states().filter(|s| fips.is_none_or(|f| s.geoid == f)).collect(),
        Level::County => g.counties(None).filter(|c| in_state(c)).collect(),
        Level::Place => g.places(None).filter(|c| in_state(c)).collect(),
    };
    Ok(list)
}
