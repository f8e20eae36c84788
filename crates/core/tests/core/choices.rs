//! Budgets, phase-in plans, sensitivity and data-quality grades.

use proptest::prelude::*;
use safetygap_core::budget::{self, Allocation, Strategy};
use safetygap_core::cpi::Cpi;
use safetygap_core::drivers::SuppliedDriver;
use safetygap_core::phase_in;
use safetygap_core::plan::{Plan, PlanInput};
use safetygap_core::{compute, sensitivity, shipped, Catalog, GapArea, Inventory};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| shipped::catalog().expect("shipped catalog"))
}

fn plan_for(pop: f64, sets: &[(&str, f64)], inventory: &str) -> Plan {
    let c = catalog();
    let mut input = PlanInput::custom("t", pop, "test");
    for (k, v) in sets {
        input.drivers.insert((*k).into(), SuppliedDriver::given(*v, "test"));
    }
    if !inventory.is_empty() {
        input.inventory = Inventory::parse_csv("inv.csv", &format!("program,quantity,source,verified\n{inventory}"), c).unwrap();
    }
    compute(c, &input).unwrap()
}

/// The two promises: never over-spend, and nothing affordable left unfunded.
fn check_allocation(a: &Allocation) {
    let spent: f64 = a.lines.iter().map(|l| l.funded).sum();
    assert!(spent <= a.amount + 1e-6, "spent {spent} > amount {}", a.amount);
    assert!((spent - a.spent).abs() < 1e-3 * spent.max(1.0));
    assert!(a.left_over >= -1e-9);
    for l in &a.lines {
        assert!(l.funded_units <= l.gap_units + 1e-9, "{} over-funded", l.id);
        if let Some(unit) = &l.team_of {
            // Staff never exceed what the funded units hold.
            let u = a.lines.iter().find(|u| &u.id == unit).unwrap_or_else(|| panic!("{}: its unit line is not funded", l.id));
            let per = if u.gap_units > 0.0 { 24.0 } else { 0.0 };
            if l.whole_units {
                assert!(l.funded_units <= u.funded_units * per + 1e-9, "{}: {} staff for {} units", l.id, l.funded_units, u.funded_units);
            } else {
                let (fu, fl) = (u.funded_units / u.gap_units.max(1e-12), l.funded_units / l.gap_units.max(1e-12));
                assert!(fl <= fu + 1e-6, "{}: {fl} of the team's share funded but {fu} of the unit's", l.id);
            }
            continue;
        }
        if l.whole_units {
            assert_eq!(l.funded_units.fract(), 0.0, "{} funds part of a unit", l.id);
            if l.unfunded_units >= 1.0 {
                assert!(l.unit_cost > a.left_over, "{}: a ${} unit is unfunded with ${} left", l.id, l.unit_cost, a.left_over);
            }
        } else if l.unfunded > 0.01 {
            assert!(a.left_over < 0.01, "{}: ${} unfunded with ${} left", l.id, l.unfunded, a.left_over);
        }
    }
}

fn strategies() -> Vec<Strategy> {
    vec![
        Strategy::Proportional,
        Strategy::Equalize,
        Strategy::parse("priority", Some("reentry,victim_services")).unwrap(),
        Strategy::parse("priority", None).unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn budgets_never_overspend_and_leave_nothing_affordable(
        pop in 1_000.0f64..3_000_000.0,
        amount in prop_oneof![0.0f64..2_000_000.0, 0.0f64..500_000_000.0, Just(0.0)],
        beds in 0u32..400,
        centers in 0u32..5,
        strategy in 0usize..4,
    ) {
        let inv = format!("dv_shelter_bed,{beds},x,yes\ntrauma_recovery_center,{centers},x,yes\n");
        let plan = plan_for(pop.round(), &[], &inv);
        let a = budget::allocate(&plan, amount, &strategies()[strategy]).unwrap();
        check_allocation(&a);
    }
}

#[test]
fn enough_money_closes_every_gap() {
    let plan = plan_for(250_000.0, &[], "");
    for s in strategies() {
        let a = budget::allocate(&plan, 1.0e10, &s).unwrap();
        check_allocation(&a);
        assert!(a.lines.iter().all(|l| l.unfunded_units == 0.0 && l.unfunded < 0.01), "{}", s.name());
        assert!(a.total.coverage_after.unwrap() > 0.999);
    }
}

#[test]
fn priority_funds_the_first_area_first() {
    let plan = plan_for(250_000.0, &[], "");
    let s = Strategy::parse("priority", Some("reentry")).unwrap();
    let a = budget::allocate(&plan, 2_000_000.0, &s).unwrap();
    check_allocation(&a);
    let reentry = a.gap_areas.iter().find(|g| g.gap_area == GapArea::Reentry).unwrap();
    assert!(reentry.funded > 0.0);
    assert_eq!(a.lines[0].gap_area, GapArea::Reentry);
    let first_not_full = a.lines.iter().position(|l| l.unfunded > 0.0).unwrap();
    assert!(a.lines[..first_not_full].iter().all(|l| l.gap_area == GapArea::Reentry) || reentry.coverage_after > Some(0.999));
}

#[test]
fn equalize_raises_the_lowest_coverage() {
    // Existing shelter beds and centers make victim services better covered.
    let plan = plan_for(250_000.0, &[], "dv_shelter_bed,50,x,yes\ntrauma_recovery_center,3,x,yes\ncivil_legal_aid_organization,3,x,yes\n");
    let a = budget::allocate(&plan, 10_000_000.0, &Strategy::Equalize).unwrap();
    check_allocation(&a);
    let vs = a.gap_areas.iter().find(|g| g.gap_area == GapArea::VictimServices).unwrap();
    let bh = a.gap_areas.iter().find(|g| g.gap_area == GapArea::BehavioralHealth).unwrap();
    assert!(vs.coverage_before > bh.coverage_before);
    assert!(bh.funded > vs.funded, "the less-covered area is raised first");
}

#[test]
fn proportional_follows_the_gaps() {
    let plan = plan_for(250_000.0, &[], "");
    let a = budget::allocate(&plan, plan.totals.annual_cost.mid / 2.0, &Strategy::Proportional).unwrap();
    check_allocation(&a);
    for g in &a.gap_areas {
        let share = g.funded / a.amount;
        let gap_share = g.gap_cost / plan.totals.annual_cost.mid;
        assert!((share - gap_share).abs() < 0.05, "{:?}: {share} vs {gap_share}", g.gap_area);
    }
}

#[test]
fn bad_budget_requests_are_explained() {
    let plan = plan_for(100_000.0, &[], "");
    for amount in [-1.0, f64::NAN, 1e15] {
        let e = budget::allocate(&plan, amount, &Strategy::Proportional).unwrap_err().to_string();
        assert!(e.contains("--amount"), "{e}");
    }
    let e = Strategy::parse("proportionate", None).unwrap_err().to_string();
    assert!(e.contains("Did you mean `proportional`"), "{e}");
    let e = Strategy::parse("priority", Some("victim_services,reentryy")).unwrap_err().to_string();
    assert!(e.contains("`reentry`"), "{e}");
    assert!(Strategy::parse("priority", Some("reentry,reentry")).is_err());
    assert!(Strategy::parse("equalize", Some("reentry")).is_err());
}

#[test]
fn phase_in_reaches_the_full_gap_in_today_s_dollars() {
    let c = catalog();
    let plan = plan_for(250_000.0, &[], "");
    let cpi = Cpi::embedded();
    let ramp = phase_in::ramp(5, Some(&[0.1, 0.2, 0.2, 0.25, 0.25])).unwrap();
    let p = phase_in::phase_in(c, &plan, &ramp, 2025, &cpi).unwrap();
    assert_eq!(p.totals.len(), 5);
    // Annual cost rises year by year and ends at the whole gap, inflated.
    for w in p.totals.windows(2) {
        assert!(w[1].annual >= w[0].annual);
    }
    let benchmarks = |l: &&safetygap_core::plan::ProgramPlan| l.kind == safetygap_core::plan::ProgramKind::Benchmark;
    let inflated: f64 = plan
        .programs
        .iter()
        .filter(benchmarks)
        .map(|l| l.gap_whole.unwrap_or(l.gap.mid) * l.unit_cost.mid * cpi.factor(l.cost_year, 2025).unwrap())
        .sum();
    let last: f64 = p
        .programs
        .iter()
        .filter(|l| plan.programs.iter().any(|b| b.id == l.id && benchmarks(&b)))
        .map(|l| l.costs.last().unwrap().annual)
        .sum();
    assert!((last - inflated).abs() < 1e-6 * inflated, "{last} vs {inflated}");
    // Add-ons follow their base programs: 25% of CVI staffing.
    let staff: f64 = p.programs.iter().filter(|l| c.addon("cvi_training_ta").unwrap().of.contains(&l.id)).map(|l| l.costs[2].annual).sum();
    let ta = p.programs.iter().find(|l| l.id == "cvi_training_ta").unwrap();
    assert!((ta.costs[2].annual - 0.25 * staff).abs() < 1e-6 * staff);
    // Whole units open whole, and all of them by the last year.
    let trc = p.programs.iter().find(|l| l.id == "trauma_recovery_center").unwrap();
    assert!(trc.opened.iter().all(|u| u.fract() == 0.0));
    assert_eq!(trc.in_place.last().copied(), plan.programs.iter().find(|l| l.id == "trauma_recovery_center").unwrap().gap_whole);
    // Start-up costs fall in the years units open.
    for (o, c) in trc.opened.iter().zip(&trc.costs) {
        assert_eq!(*o == 0.0, c.startup == 0.0);
    }
    // The same plan in its own 2023 dollars: no inflation for 2023 lines.
    let p23 = phase_in::phase_in(c, &plan, &phase_in::ramp(1, None).unwrap(), 2023, &cpi).unwrap();
    let dv = p23.programs.iter().find(|l| l.id == "dv_shelter_bed").unwrap();
    assert_eq!(dv.cpi_factor, 1.0);
}

#[test]
fn bad_ramps_are_explained() {
    assert!(phase_in::ramp(0, None).is_err());
    assert!(phase_in::ramp(31, None).is_err());
    let e = phase_in::ramp(3, Some(&[0.5, 0.5, 0.5])).unwrap_err().to_string();
    assert!(e.contains("sum to 1.5"), "{e}");
    assert!(phase_in::ramp(2, Some(&[0.5, 0.25, 0.25])).is_err());
    assert!(phase_in::ramp(2, Some(&[1.5, -0.5])).is_err());
    assert!(phase_in::ramp(3, Some(&[0.3, 0.3, 0.4 + 5e-7])).is_ok(), "within 1e-6");
    let c = catalog();
    let plan = plan_for(100_000.0, &[], "");
    let e = phase_in::phase_in(c, &plan, &[1.0], 1900, &Cpi::embedded()).unwrap_err().to_string();
    assert!(e.contains("1900"), "{e}");
}

#[test]
fn tornado_ranks_inputs_by_swing() {
    let c = catalog();
    let t = sensitivity::tornado(c, &PlanInput::custom("t", 250_000.0, "test")).unwrap();
    let plan = plan_for(250_000.0, &[], "");
    assert!((t.base - plan.totals.annual_cost.mid).abs() < 1e-6 * t.base);
    assert!(!t.swings.is_empty());
    for w in t.swings.windows(2) {
        assert!(w[0].swing >= w[1].swing);
    }
    let shares: f64 = t.swings.iter().map(|s| s.share).sum();
    assert!((shares - 1.0).abs() < 1e-9);
    // A local figure removes the estimate's factors from the ranking.
    let mut input = PlanInput::custom("t", 250_000.0, "test");
    input.drivers.insert("crisis_chair_days".into(), SuppliedDriver::given(1000.0, "test"));
    let t2 = sensitivity::tornado(c, &input).unwrap();
    assert!(t.swings.iter().any(|s| s.input.id == "crisis_chair_days.factor1"));
    assert!(!t2.swings.iter().any(|s| s.input.id == "crisis_chair_days.factor1"));
}

#[test]
fn quality_grades() {
    // 100,000 people: about 5.7 homicides a year (estimated), assumptions.
    let p = plan_for(100_000.0, &[], "");
    assert_eq!(p.quality.grade, 2, "{:?}", p.quality.reasons);
    assert!(p.quality.reasons.iter().any(|r| r.contains("fewer than 10 homicides")));
    assert!(p.quality.lines.iter().any(|l| l.id == "cvi_street_outreach"));
    // A small place where national rates carry most of the cost.
    let p = plan_for(5_000.0, &[], "");
    assert!(p.quality.grade >= 2);
    // Local figures for every estimated driver and a bigger place.
    let sets: Vec<(&str, f64)> = catalog().drivers.iter().filter(|d| !d.is_required()).map(|d| (d.id.as_str(), 1000.0)).collect();
    let p = plan_for(1_000_000.0, &sets, "");
    assert!(!p.quality.lines.iter().any(|l| l.flags.iter().any(|f| f.kind == safetygap_core::quality::FlagKind::EstimatedDriver)));
    assert!(!p.quality.reasons.iter().any(|r| r.contains("homicides")));
    // An assumed need for more than half the cost makes it grade 3.
    let p = plan_for(1_000_000.0, &[("highest_risk_population", 0.0), ("prison_releases", 0.0)], "psychiatric_bed,1000,x,yes\n");
    assert_eq!(p.quality.grade, 3, "{:?}", p.quality.reasons);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Staff are tied to units: in the plan (staff = units × 24, or the same
    /// share of a host's team), in every budget and in every phase-in year.
    #[test]
    fn staff_never_exceed_what_funded_units_hold(
        pop in 5_000.0f64..3_000_000.0,
        amount in prop_oneof![0.0f64..3_000_000.0, 0.0f64..100_000_000.0],
        units in 0u32..3,
        strategy in 0usize..4,
    ) {
        let inv = format!("mobile_crisis_unit,{units},x,yes\n");
        let plan = plan_for(pop.round(), &[], &inv);
        let unit = plan.programs.iter().find(|l| l.id == "mobile_crisis_unit").unwrap();
        let staff = plan.programs.iter().find(|l| l.id == "mobile_crisis_staff").unwrap();
        prop_assert_eq!(staff.team_of.as_deref(), Some("mobile_crisis_unit"));
        match (&unit.shared, unit.need_whole) {
            (Some(s), _) => {
                prop_assert!(unit.need.mid < 1.0);
                prop_assert!((staff.shared.as_ref().unwrap().share - 24.0 * s.share).abs() < 1e-6);
                prop_assert!(staff.need_whole.is_none());
            }
            (None, Some(w)) => {
                prop_assert!(w >= 1.0);
                prop_assert_eq!(staff.need_whole, Some(24.0 * w));
            }
            (None, None) => prop_assert!(unit.need.mid == 0.0),
        }
        let a = budget::allocate(&plan, amount, &strategies()[strategy]).unwrap();
        check_allocation(&a);
        if let Some(s) = a.lines.iter().find(|l| l.id == "mobile_crisis_staff") {
            let u = a.lines.iter().find(|l| l.id == "mobile_crisis_unit").unwrap();
            if s.whole_units {
                prop_assert!(s.funded_units <= 24.0 * u.funded_units + 1e-9);
            }
        } else {
            prop_assert!(a.lines.iter().all(|l| l.team_of.is_none()));
        }
        let p = phase_in::phase_in(catalog(), &plan, &phase_in::ramp(4, None).unwrap(), 2025, &Cpi::embedded()).unwrap();
        if let (Some(u), Some(s)) = (p.programs.iter().find(|l| l.id == "mobile_crisis_unit"), p.programs.iter().find(|l| l.id == "mobile_crisis_staff")) {
            if unit.shared.is_none() {
                for (n, st) in u.in_place.iter().zip(&s.in_place) {
                    prop_assert!(*st <= 24.0 * n + 1e-9, "{} staff with {} units", st, n);
                }
            }
        }
    }

    /// Places below one viable unit hold shares of their county's units;
    /// over a county those shares never exceed the county's units.
    #[test]
    fn shares_summed_over_a_county_never_exceed_its_units(
        county in 20_000.0f64..2_000_000.0,
        parts in proptest::collection::vec(0.0f64..1.0, 1..12),
    ) {
        let c = catalog();
        let county_input = PlanInput::custom("County", county.round(), "test");
        let county_plan = compute(c, &county_input).unwrap();
        // Places cover part of the county (the rest is unincorporated).
        let total: f64 = parts.iter().sum::<f64>().max(1.0);
        let mut shares: std::collections::BTreeMap<String, f64> = Default::default();
        for w in &parts {
            let mut input = PlanInput::custom("Place", (county * w / total).floor().max(1.0), "test");
            input.host = Some(Box::new(county_input.clone()));
            let p = compute(c, &input).unwrap();
            for l in &p.programs {
                if let Some(s) = &l.shared {
                    *shares.entry(l.id.clone()).or_default() += s.share;
                    if s.host_kind == "county" {
                        prop_assert_eq!(s.host_units, county_plan.programs.iter().find(|x| x.id == l.id).unwrap().need_whole);
                    }
                }
            }
        }
        for (id, sum) in shares {
            let cl = county_plan.programs.iter().find(|x| x.id == id).unwrap();
            // The county's own provision: its whole units, or its own share of a region's.
            let units = cl.need_whole.or(cl.shared.as_ref().map(|s| s.share)).unwrap_or(cl.need.mid);
            prop_assert!(sum <= units + 1e-9, "{id}: places hold {sum} of the county's {units}");
        }
    }
}

#[test]
fn small_places_hold_shares_of_county_units_with_their_cost() {
    // 40,000 residents: 0.4 of a trauma recovery center, 0.12 of a mobile
    // crisis unit and its team's share, with their cost, not zero.
    let p = plan_for(40_000.0, &[], "");
    for id in ["trauma_recovery_center", "mobile_crisis_unit", "mobile_crisis_staff"] {
        let l = p.programs.iter().find(|l| l.id == id).unwrap();
        let s = l.shared.as_ref().unwrap_or_else(|| panic!("{id} not shared"));
        assert!(s.share > 0.0 && l.annual_cost.mid > 0.0, "{id}");
        assert_eq!(l.need_whole, None, "{id}: no whole units below one viable unit");
        assert!((l.annual_cost.mid - s.share * l.unit_cost.mid).abs() < 1e-6, "{id}: cost of the share");
    }
    // 40,000 × 1 per 100,000 = 0.4 of a center.
    assert!((p.programs.iter().find(|l| l.id == "trauma_recovery_center").unwrap().shared.as_ref().unwrap().share - 0.4).abs() < 1e-12);
    // 100,000 residents: 0.30 of a unit, so no crisis staff are hired on their own.
    let p = plan_for(100_000.0, &[], "");
    let staff = p.programs.iter().find(|l| l.id == "mobile_crisis_staff").unwrap();
    assert!(staff.shared.is_some() && staff.need_whole.is_none());
    let a = budget::allocate(&p, 1.0e9, &Strategy::Proportional).unwrap();
    let s = a.lines.iter().find(|l| l.id == "mobile_crisis_staff").unwrap();
    assert!(!s.whole_units && s.team_of.as_deref() == Some("mobile_crisis_unit"));
    // Phase-in and budget agree on the whole gap's cost.
    let ph = phase_in::phase_in(catalog(), &p, &phase_in::ramp(1, None).unwrap(), p.dollar_year, &Cpi::embedded()).unwrap();
    let funded: f64 = a.lines.iter().map(|l| l.funded).sum();
    let operating = ph.totals[0].annual;
    assert!((funded - operating).abs() < 1.0 + 1e-6 * operating, "budget {funded} vs phase-in {operating}");
}
