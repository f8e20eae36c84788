//! Optional default inventories of existing capacity from public sources
//! (`--inventory-defaults state`), so a plan can start from a realistic
//! baseline instead of "existing not counted". Every default is a floor or
//! a national rate, said so in its source text and flagged in the plan's
//! data-quality reasons; a user's own inventory line replaces it.

use crate::embedded::{Gazetteer, Jurisdiction, Kind};
use safetygap_core::inventory::{Inventory, InventoryItem};

/// DV-dedicated emergency shelter (ES) and transitional housing (TH) beds
/// by state, HUD Housing Inventory Count 2024 (scripts/extract-hic;
/// data/PROVENANCE.md).
pub const HIC_DV_BEDS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/embedded/inventory/hic-2024-dv-beds.csv"));

/// State psychiatric hospital beds per 100,000 residents, United States,
/// 2023 (Treatment Advocacy Center, as summarised by Behavioral Health
/// Business, January 2024). No per-state file was found, so the national
/// rate is applied to every place.
pub const STATE_PSYCH_BEDS_PER_100K: f64 = 10.8;

/// DV-dedicated emergency shelter beds of a state (USPS code), HIC 2024.
pub fn hic_dv_es_beds(state: &str) -> Option<f64> {
    HIC_DV_BEDS_CSV.lines().skip(1).find_map(|l| {
        let mut f = l.split(',');
        (f.next()? == state).then(|| f.next()?.parse::<f64>().ok()).flatten()
    })
}

/// The state-level default inventory for a jurisdiction whose population is
/// `population`: DV shelter beds, its state's HIC count shared by
/// population (the nation: the states' sum); state psychiatric beds at the
/// national rate. `None` for a place with no state (a custom area).
pub fn state_inventory(g: &Gazetteer, j: &Jurisdiction, population: f64) -> Option<Inventory> {
    let mut inv = Inventory::default();
    let dv = if j.kind == Kind::Nation {
        let beds: f64 = g.states().filter_map(|s| s.state_abbr.as_deref().and_then(hic_dv_es_beds)).sum();
        let pop: f64 = g.states().map(|s| s.population).sum();
        Some((beds, pop, "the 50 states' and DC's".to_string()))
    } else {
        let state = if j.kind == Kind::State { Some(j) } else { j.state_fips.as_deref().and_then(|s| g.get(s)) };
        state.and_then(|s| Some((hic_dv_es_beds(s.state_abbr.as_deref()?)?, s.population, format!("{}'s", s.name))))
    }?;
    let (beds, state_pop, whose) = dv;
    let share = if state_pop > 0.0 { (population / state_pop).min(1.0) } else { 0.0 };
    let shared = if (share - 1.0).abs() < 1e-12 {
        String::new()
    } else {
        format!(" × this area's share of its population ({:.2}%)", share * 100.0)
    };
    inv.items.insert(
        "dv_shelter_bed".into(),
        InventoryItem {
            quantity: beds * share,
            source: format!(
                "default (derived, a floor): HUD Housing Inventory Count 2024, {whose} {} DV-dedicated emergency shelter beds{shared}; counts only DV providers reporting to their Continuum of Care",
                safetygap_core::drivers::fmt_thousands(beds)
            ),
            verified: false,
        },
    );
    inv.items.insert(
        "psychiatric_bed".into(),
        InventoryItem {
            quantity: STATE_PSYCH_BEDS_PER_100K * population / 100_000.0,
            source: format!(
                "default (derived, national rate): {STATE_PSYCH_BEDS_PER_100K} state psychiatric hospital beds per 100,000 residents, U.S. 2023 (Treatment Advocacy Center, as summarised by Behavioral Health Business, Jan 2024); state hospitals only, not private or general-hospital units"
            ),
            verified: false,
        },
    );
    inv.defaults = inv.items.keys().cloned().collect();
    Some(inv)
}
