//! Roll-ups: a state's plan equals the sum of its counties' plans, and the
//! national plan follows the U.S. population.

use safetygap_core::{compute, shipped, Plan, PlanInput};
use safetygap_data::embedded::gazetteer;
use safetygap_data::inputs::embedded_plan_input as plan_input;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// A county's input with its violence figures replaced by the plain share
/// of its state's count (county population ÷ state population). Counties
/// with FBI-reporting cities use their cities' own counts instead
/// (tests/data/violence.rs), which need not add up to the state's count;
/// everything else must, and so must violence figures shared this way.
pub fn violence_as_state_share(mut county: PlanInput, state: &PlanInput) -> PlanInput {
    let share = county.drivers["population"].value / state.drivers["population"].value;
    for id in ["homicides", "violent_crimes"] {
        if let Some(d) = county.drivers.get_mut(id) {
            d.value = state.drivers[id].value * share;
        }
    }
    county
}

/// True for a line costed on whole staffed units: a team, or a unit line with a team.
pub fn staffed(p: &Plan, i: usize) -> bool {
    let l = &p.programs[i];
    l.team_of.is_some() || p.programs.iter().any(|x| x.team_of.as_deref() == Some(l.id.as_str()))
}

/// The plan's mid annual cost without its whole-staffed-unit lines.
pub fn unstaffed_total(p: &Plan) -> f64 {
    (0..p.programs.len()).filter(|&i| !staffed(p, i)).map(|i| p.programs[i].annual_cost.mid).sum()
}

#[test]
fn every_state_plan_equals_the_sum_of_its_counties() {
    let g = gazetteer();
    let cat = shipped::catalog().unwrap();
    for state in g.states() {
        let si = plan_input(g, state);
        let sp = compute(&cat, &si).unwrap();
        let counties: Vec<Plan> =
            g.counties(Some(&state.geoid)).map(|c| compute(&cat, &violence_as_state_share(plan_input(g, c), &si)).unwrap()).collect();
        assert!(!counties.is_empty(), "{} has no counties", state.name);
        for (i, line) in sp.programs.iter().enumerate() {
            let need: f64 = counties.iter().map(|c| c.programs[i].need.mid).sum();
            let cost: f64 = counties.iter().map(|c| c.programs[i].annual_cost.high).sum();
            assert!(close(line.need.mid, need), "{} {}: state {} vs counties {}", state.name, line.id, line.need.mid, need);
            // Teams and their units are costed on whole staffed units (1
            // mobile crisis unit and its 24 staff, not 1.32 and 31.7), which
            // do not add across areas; their needs do.
            if !staffed(&sp, i) {
                assert!(close(line.annual_cost.high, cost), "{} {} cost", state.name, line.id);
            }
        }
        let total: f64 = counties.iter().map(unstaffed_total).sum();
        assert!(close(unstaffed_total(&sp), total), "{} total {} vs {}", state.name, unstaffed_total(&sp), total);
    }
}

#[test]
fn national_trauma_recovery_centers_are_population_over_100k() {
    let g = gazetteer();
    let cat = shipped::catalog().unwrap();
    let us = g.nation();
    let p = compute(&cat, &plan_input(g, us)).unwrap();
    let trc = p.programs.iter().find(|l| l.id == "trauma_recovery_center").unwrap();
    assert!(close(trc.need.mid, us.population / 100_000.0));
    let states: f64 = g.states().map(|s| s.population).sum();
    assert!(close(us.population, states));
}

#[test]
fn places_say_which_drivers_are_estimated() {
    let g = gazetteer();
    let cat = shipped::catalog().unwrap();
    let oakland = g.resolve("Oakland, CA").unwrap();
    let p = compute(&cat, &plan_input(g, oakland)).unwrap();
    let d = |id: &str| p.drivers.iter().find(|d| d.id == id).unwrap();
    assert_eq!(d("population").basis, safetygap_core::drivers::Basis::Given);
    assert!(d("population").source.contains("Vintage 2023"), "{}", d("population").source);
    // Oakland has its own FBI city count; a CDP (no police of its own)
    // gets the state's, shared by population.
    let cdp = compute(&cat, &plan_input(g, g.resolve("Castro Valley, CA").unwrap())).unwrap();
    let h = cdp.drivers.iter().find(|d| d.id == "homicides").unwrap();
    assert_eq!(h.basis, safetygap_core::drivers::Basis::Estimated);
    assert!(h.source.contains("California"), "{}", h.source);
    assert_eq!(d("population_in_poverty").basis, safetygap_core::drivers::Basis::Estimated);
    assert!(d("population_in_poverty").source.contains("Alameda County"), "{}", d("population_in_poverty").source);
}
