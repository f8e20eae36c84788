//! Engine tests against the shipped catalog: the report's formulas, the
//! Norfolk CVI worked example, and invariants.

use proptest::prelude::*;
use safetygap_core::catalog::{self, CatalogSource};
use safetygap_core::catalog::{Scale, Tier};
use safetygap_core::drivers::SuppliedDriver;
use safetygap_core::plan::{Plan, PlanInput, ProgramPlan};
use safetygap_core::{compute, shipped, Catalog, Range3};

pub(crate) fn catalog() -> Catalog {
    shipped::catalog().unwrap_or_else(|e| panic!("shipped catalog invalid:\n{e}"))
}

fn plan_for(pop: f64, sets: &[(&str, f64)]) -> Plan {
    let mut input = PlanInput::custom("test", pop, "test");
    for (k, v) in sets {
        input.drivers.insert((*k).into(), SuppliedDriver::given(*v, "test"));
    }
    compute(&catalog(), &input).expect("plan")
}

pub(crate) fn line<'a>(p: &'a Plan, id: &str) -> &'a ProgramPlan {
    p.programs.iter().find(|l| l.id == id).unwrap_or_else(|| panic!("no program {id}"))
}

#[test]
fn report_formulas_at_100k_and_250k() {
    let p = plan_for(100_000.0, &[]);
    assert_eq!(line(&p, "trauma_recovery_center").need.mid, 1.0);
    assert_eq!(line(&p, "civil_legal_aid_organization").need.mid, 1.0);
    assert_eq!(line(&p, "dv_shelter_bed").need.mid, 20.0);
    let p = plan_for(250_000.0, &[]);
    assert_eq!(line(&p, "trauma_recovery_center").need.mid, 2.5);
    assert_eq!(line(&p, "civil_legal_aid_organization").need.mid, 2.5);
    assert_eq!(line(&p, "dv_shelter_bed").need.mid, 50.0);
    // Half rounds up for whole units.
    assert_eq!(line(&p, "trauma_recovery_center").need_whole, Some(3.0));
}

/// CVI Ecosystem's published Norfolk, VA example: population 238,005, 238
/// highest-risk people, staff by role and a $19,889,880 annual budget.
#[test]
fn norfolk_cvi_worked_example_within_5_percent() {
    // CVI Ecosystem's dollars (2022): compare in the source's own year.
    let c = catalog().rebase(Tier::Standard, Some(2022)).unwrap();
    let mut input = PlanInput::custom("Norfolk", 238_005.0, "test");
    input.drivers.insert("homicides".into(), SuppliedDriver::given(50.0, "test"));
    let p = compute(&c, &input).unwrap();
    let hr = p.drivers.iter().find(|d| d.id == "highest_risk_population").unwrap();
    assert!((hr.value.mid - 238.0).abs() < 0.5, "highest-risk {}", hr.value.mid);
    let published = [
        ("cvi_street_outreach", 16.0),
        ("cvi_mediator", 17.0),
        ("cvi_case_manager", 10.0),
        ("cvi_family_case_manager", 5.0),
        ("cvi_victim_advocate", 8.0),
        ("cvi_hospital_violence_intervention", 6.0),
        ("cvi_supervisor", 12.0),
        ("cvi_office_staff", 4.0),
    ];
    for (id, staff) in published {
        let l = line(&p, id);
        let err = (l.need.mid - staff).abs() / staff;
        assert!(err <= 0.05, "{id}: need {} vs published {staff} ({:.1}% off)", l.need.mid, err * 100.0);
        assert_eq!(l.need_whole, Some(staff), "{id} whole units");
    }
    let budget = 19_889_880.0;
    let ours = p.gap_areas.iter().find(|a| a.gap_area.as_str() == "violence_prevention").unwrap().totals.annual_cost.mid;
    let err = (ours - budget).abs() / budget;
    assert!(err <= 0.05, "CVI budget {ours:.0} vs published {budget} ({:.2}% off)", err * 100.0);
    let wrap = line(&p, "cvi_wraparound").annual_cost.mid;
    assert!((wrap - 10_710_225.0).abs() / 10_710_225.0 < 0.05, "wraparound {wrap}");
}

/// Without any homicide figure for the place, CVI Ecosystem's 0.1% of
/// residents remains, and the driver's source says why it was used.
#[test]
fn cvi_without_local_violence_uses_share_of_residents_and_says_so() {
    let p = plan_for(238_005.0, &[]);
    let hr = p.drivers.iter().find(|d| d.id == "highest_risk_population").unwrap();
    assert!((hr.value.mid - 238.005).abs() < 1e-9, "0.1% of residents: {}", hr.value.mid);
    assert!(hr.source.contains("population × share of residents at highest risk"), "{}", hr.source);
    assert!(hr.source.contains("no local violence figure"), "{}", hr.source);
    let used: Vec<_> = hr.alternatives.iter().filter(|a| a.used).collect();
    assert_eq!(used.len(), 1);
    assert_eq!(used[0].formula, "population × 0.001");
    // A figure estimated from the state (its count shared by population)
    // is used too, so county plans add up to their state's, and says so.
    let mut input = PlanInput::custom("t", 238_005.0, "test");
    input.drivers.insert("homicides".into(), SuppliedDriver { value: 50.0, source: "state share".into(), vintage: None, estimated: true });
    let p = compute(&catalog(), &input).unwrap();
    let hr = p.drivers.iter().find(|d| d.id == "highest_risk_population").unwrap();
    assert!((hr.value.mid - 238.0).abs() < 1e-9, "{}", hr.source);
    assert!(hr.source.contains("estimated from its county or state"), "{}", hr.source);
}

/// Equal populations, homicide rates fivefold apart: CVI staffing follows.
#[test]
fn cvi_staffing_follows_the_homicide_rate() {
    // 300,000 residents: 10 homicides (3.3 per 100,000) vs 50 (16.7).
    let low = plan_for(300_000.0, &[("homicides", 10.0)]);
    let high = plan_for(300_000.0, &[("homicides", 50.0)]);
    for id in ["cvi_street_outreach", "cvi_mediator", "cvi_case_manager", "cvi_wraparound"] {
        let (a, b) = (line(&low, id).need.mid, line(&high, id).need.mid);
        assert!((b / a - 5.0).abs() < 1e-9, "{id}: {a} vs {b}");
    }
    let staff = |p: &Plan| {
        p.programs.iter().filter(|l| l.id.starts_with("cvi_") && l.unit == "FTE staff").filter_map(|l| l.need_whole).sum::<f64>()
    };
    assert!(staff(&high) >= 4.0 * staff(&low), "{} vs {}", staff(&low), staff(&high));
}

/// `explain` puts both estimates of the highest-risk population side by side.
#[test]
fn explain_cvi_shows_both_estimates_and_the_one_used() {
    let c = catalog();
    for (sets, used) in [(&[("homicides", 70.0)][..], "homicides × 4.76"), (&[][..], "population × 0.001")] {
        let p = plan_for(430_230.0, sets);
        let text = safetygap_core::explain::explain(&c, &p, "cvi_street_outreach").unwrap().to_string();
        assert!(text.contains(&format!("[USED] {used}")), "{text}");
        assert_eq!(text.matches("[not used]").count(), 1, "{text}");
        assert!(text.contains("economies of scale"), "the caseload gap is stated: {text}");
    }
}

#[test]
fn population_zero_is_all_zeros() {
    let p = plan_for(0.0, &[]);
    for l in &p.programs {
        assert_eq!(l.need, Range3::ZERO, "{}", l.id);
        assert_eq!(l.annual_cost, Range3::ZERO, "{}", l.id);
    }
    assert_eq!(p.totals.annual_cost, Range3::ZERO);
}

#[test]
fn inventory_reduces_gap_and_coverage_is_reported() {
    let c = catalog();
    let mut input = PlanInput::custom("t", 100_000.0, "test");
    input.inventory =
        safetygap_core::Inventory::parse_csv("inv.csv", "program,quantity,source,verified\ndv_shelter_bed,12,coalition,yes\n", &c).unwrap();
    let p = compute(&c, &input).unwrap();
    let l = line(&p, "dv_shelter_bed");
    assert_eq!(l.existing, 12.0);
    assert_eq!(l.gap.mid, 8.0);
    assert_eq!(l.coverage, Some(0.6));
    assert!(l.existing_verified);
}

#[test]
fn assumptions_are_listed_and_local_figures_remove_driver_assumptions() {
    let p = plan_for(100_000.0, &[]);
    assert!(line(&p, "dv_shelter_bed").assumptions.iter().any(|a| a.contains("annual cost")));
    assert!(line(&p, "mobile_crisis_staff").assumptions.iter().any(|a| a.contains("months a year")));
    let p = plan_for(100_000.0, &[("crisis_episodes", 1000.0), ("mobile_crisis_unit_need", 2.0)]);
    assert!(!line(&p, "mobile_crisis_staff").assumptions.iter().any(|a| a.contains("months a year")));
    assert_eq!(line(&p, "mobile_crisis_staff").need.mid, 48.0);
}

#[test]
fn user_override_replaces_one_field() {
    let over = "[[benchmark]]\nid = \"dv_shelter_bed\"\nratio = { per = 100000, low = 10, mid = 30, high = 40 }\n";
    let c = shipped::load_with(&[CatalogSource { name: "mine.toml", text: over }]).unwrap();
    assert!(c.version.contains("+user."));
    let b = c.benchmark("dv_shelter_bed").unwrap();
    assert_eq!(b.annual_cost.source_amount.mid, 40000.0, "other fields kept");
    let p = compute(&c, &PlanInput::custom("t", 100_000.0, "test")).unwrap();
    assert_eq!(line(&p, "dv_shelter_bed").need.mid, 30.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn gap_nonnegative_and_totals_add_up(pop in 0.0f64..5.0e7, existing in 0.0f64..500.0) {
        let c = catalog();
        let mut input = PlanInput::custom("t", pop, "test");
        let inv = format!("program,quantity\ndv_shelter_bed,{existing}\ncvi_mediator,{existing}\npsychiatric_bed,{existing}\n");
        input.inventory = safetygap_core::Inventory::parse_csv("i.csv", &inv, &c).unwrap();
        let p = compute(&c, &input).unwrap();
        let mut sum = 0.0;
        for l in &p.programs {
            prop_assert!(l.gap.low >= 0.0 && l.gap.mid >= 0.0 && l.gap.high >= 0.0);
            prop_assert!(l.need.is_ordered() && l.gap.is_ordered() && l.annual_cost.is_ordered(), "{}", l.id);
            sum += l.annual_cost.mid;
        }
        let areas: f64 = p.gap_areas.iter().map(|a| a.totals.annual_cost.mid).sum();
        prop_assert!((sum - p.totals.annual_cost.mid).abs() <= 1e-6 * sum.max(1.0));
        prop_assert!((areas - p.totals.annual_cost.mid).abs() <= 1e-6 * sum.max(1.0));
    }

    /// CVI need never falls when a place's own homicide count rises.
    #[test]
    fn cvi_need_is_nondecreasing_in_homicides(pop in 1.0f64..1.0e7, a in 0.0f64..5000.0, b in 0.0f64..5000.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (p, q) = (plan_for(pop, &[("homicides", lo)]), plan_for(pop, &[("homicides", hi)]));
        for (x, y) in p.programs.iter().zip(&q.programs).filter(|(x, _)| x.gap_area.as_str() == "violence_prevention") {
            prop_assert!(x.need.low <= y.need.low && x.need.mid <= y.need.mid && x.need.high <= y.need.high, "{}", x.id);
            prop_assert!(x.annual_cost.mid <= y.annual_cost.mid, "{}", x.id);
        }
    }

    #[test]
    fn need_is_nondecreasing_in_population(a in 0.0f64..1.0e8, b in 0.0f64..1.0e8) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (p, q) = (plan_for(lo, &[]), plan_for(hi, &[]));
        for (x, y) in p.programs.iter().zip(&q.programs) {
            prop_assert!(x.need.mid <= y.need.mid, "{}", x.id);
            prop_assert!(x.need.high <= y.need.high, "{}", x.id);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary text, and mangled copies of the real catalog, never panic
    /// the loader: they load or they produce errors.
    #[test]
    fn catalog_loader_never_panics(text in "\\PC{0,400}", cut in 0usize..20000, junk in "[\\[\\]={}\"a-z_0-9 .\n-]{0,40}") {
        let _ = catalog::load(&[CatalogSource { name: "x.toml", text: &text }], &[]);
        let real = shipped::FILES[2].1;
        let mut at = cut.min(real.len());
        while !real.is_char_boundary(at) { at -= 1; }
        let mangled = format!("{}{}{}", &real[..at], junk, &real[at..]);
        let mut sources = shipped::sources();
        sources[2] = CatalogSource { name: "mangled.toml", text: &mangled };
        let _ = catalog::load(&sources, &[]);
        let _ = shipped::load_with(&[CatalogSource { name: "over.toml", text: &mangled }]);
    }

    /// Arbitrary inventory text never panics the parsers.
    #[test]
    fn inventory_parsers_never_panic(text in "\\PC{0,300}") {
        let c = catalog();
        let _ = safetygap_core::Inventory::parse_csv("i.csv", &text, &c);
        let _ = safetygap_core::Inventory::parse_toml("i.toml", &text, &c);
    }
}

/// Every input a line rests on, walked here independently of the engine:
/// ratio, costs, and the factors of every catalog estimate down the driver
/// chain (a driver given for the place has no estimate to rest on).
fn inputs_of(c: &Catalog, p: &Plan, id: &str) -> Vec<(String, safetygap_core::Evidence)> {
    let b = c.benchmark(id).unwrap();
    let mut out = vec![("ratio".to_string(), b.evidence), ("annual cost".to_string(), b.annual_cost.evidence)];
    out.extend(b.startup_cost.iter().map(|s| ("start-up cost".to_string(), s.evidence)));
    let mut todo = vec![b.driver.clone()];
    let mut done: Vec<String> = Vec::new();
    while let Some(d) = todo.pop() {
        if done.contains(&d) {
            continue;
        }
        done.push(d.clone());
        let given = p.drivers.iter().any(|r| r.id == d && !r.is_catalog_estimate());
        if given {
            continue;
        }
        for t in &c.driver(&d).unwrap().estimate {
            out.extend(t.factors.iter().map(|f| (format!("{d}: {}", f.name), f.evidence)));
            todo.push(t.driver.clone());
        }
    }
    out
}

#[test]
fn every_line_grade_is_never_stronger_than_any_input() {
    let c = catalog();
    let sets: [&[(&str, f64)]; 3] = [&[], &[("crisis_episodes", 5000.0)], &[("mobile_crisis_unit_need", 3.0), ("homicides", 12.0)]];
    for pop in [40_000.0, 100_000.0, 1_000_000.0] {
        for s in sets {
            let p = plan_for(pop, s);
            for l in p.programs.iter().filter(|l| l.kind == safetygap_core::plan::ProgramKind::Benchmark) {
                let inputs = inputs_of(&c, &p, &l.id);
                for (what, e) in &inputs {
                    assert!(l.grade >= *e, "{}: overall {} is stronger than {what} ({e})", l.id, l.grade);
                }
                // And it is exactly the weakest, not weaker than the evidence.
                assert_eq!(Some(l.grade), inputs.iter().map(|(_, e)| *e).max(), "{}", l.id);
            }
            for a in p.programs.iter().filter(|l| l.kind == safetygap_core::plan::ProgramKind::Addon) {
                for base in p.programs.iter().filter(|b| a.applies_to.contains(&b.id)) {
                    assert!(a.grade >= base.grade, "{} is stronger than its base {}", a.id, base.id);
                }
                assert!(a.grade >= a.evidence);
            }
        }
    }
    // The crisis lines rest on the assumed ×12 monthly reading and assumed
    // throughput: their headline grade cannot be `published`.
    let p = plan_for(100_000.0, &[]);
    for id in ["mobile_crisis_unit", "mobile_crisis_staff", "crisis_receiving_chair", "short_term_crisis_bed"] {
        assert_eq!(line(&p, id).grade, safetygap_core::Evidence::Assumption, "{id}");
    }
    assert_eq!(c.benchmark("cvi_wraparound").unwrap().evidence, safetygap_core::Evidence::Derived);
}

#[test]
fn shipped_benchmarks_each_declare_their_kind() {
    for (name, text) in shipped::FILES {
        for entry in text.split("[[benchmark]]").skip(1) {
            let body = entry.split("\n[").next().unwrap_or("");
            assert!(body.lines().any(|l| l.starts_with("kind = ")), "{name}: a benchmark without `kind`:{}", &body[..body.len().min(80)]);
        }
    }
    let c = catalog();
    assert_eq!(c.any_benchmark("civil_legal_aid_attorney").unwrap().kind, Tier::Goal);
    assert_eq!(c.any_benchmark("trauma_recovery_center").unwrap().kind, Tier::Standard);
}

#[test]
fn tiers_choose_benchmarks_and_the_goal_total_matches_a_goal_plan() {
    let standard = plan_for(100_000.0, &[]);
    assert_eq!(standard.tier, Tier::Standard);
    assert!(standard.programs.iter().all(|l| l.id != "civil_legal_aid_attorney"), "a goal is not a need");
    assert_eq!(standard.beyond_tier.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(), ["civil_legal_aid_attorney"]);
    // The per-100,000 standards hold at the standard tier.
    assert_eq!(line(&standard, "trauma_recovery_center").need.mid, 1.0);
    assert_eq!(line(&standard, "civil_legal_aid_organization").need.mid, 1.0);
    assert_eq!(line(&standard, "dv_shelter_bed").need.mid, 20.0);
    let input = PlanInput::custom("t", 100_000.0, "test");
    for tier in Tier::ALL {
        let p = compute(&catalog().rebase(tier, None).unwrap(), &input).unwrap();
        let goal = compute(&catalog().rebase(Tier::Goal, None).unwrap(), &input).unwrap();
        let rel = (p.goal_tier_annual_cost.mid - goal.totals.annual_cost.mid).abs() / goal.totals.annual_cost.mid;
        assert!(rel < 1e-9, "{tier}: goal-tier total {} vs goal plan {}", p.goal_tier_annual_cost.mid, goal.totals.annual_cost.mid);
        assert!(p.totals.annual_cost.mid <= goal.totals.annual_cost.mid + 1e-6);
    }
    let goal = compute(&catalog().rebase(Tier::Goal, None).unwrap(), &input).unwrap();
    assert!(goal.programs.iter().any(|l| l.id == "civil_legal_aid_attorney"));
}

#[test]
fn every_cost_is_in_one_dollar_year() {
    // CPI-U annual averages, BLS CUUR0000SA0 (data/embedded/cpi/cpi-u-annual.csv):
    // 2022 292.655, 2023 304.702, 2025 321.943.
    let p = plan_for(100_000.0, &[]);
    assert_eq!(p.dollar_year, 2025);
    for l in &p.programs {
        assert_eq!(l.cost_year, 2025, "{}", l.id);
    }
    let dv = line(&p, "dv_shelter_bed");
    assert_eq!(dv.source_cost_year, 2023);
    assert!((dv.unit_cost.mid - 40_000.0 * 321.943 / 304.702).abs() < 0.01, "{}", dv.unit_cost.mid);
    let trc = line(&p, "trauma_recovery_center");
    assert_eq!(trc.source_cost_year, 2022);
    assert!((trc.unit_cost.mid - 1_000_000.0 * 321.943 / 292.655).abs() < 0.01);
    let c = catalog().rebase(Tier::Standard, Some(2023)).unwrap();
    let p = compute(&c, &PlanInput::custom("t", 100_000.0, "test")).unwrap();
    assert_eq!(line(&p, "dv_shelter_bed").unit_cost.mid, 40_000.0);
    assert!(catalog().rebase(Tier::Standard, Some(1980)).is_err());
}

#[test]
fn existing_capacity_is_never_silently_zero() {
    use safetygap_core::quality::FlagKind;
    let p = plan_for(100_000.0, &[]);
    assert_eq!(p.totals.coverage, None, "no inventory: no coverage to report");
    assert_eq!(p.totals.lines_with_inventory, 0);
    for l in p.programs.iter().filter(|l| l.kind == safetygap_core::plan::ProgramKind::Benchmark) {
        assert!(!l.existing_counted);
        let q = p.quality.lines.iter().find(|q| q.id == l.id).unwrap_or_else(|| panic!("{} has no quality line", l.id));
        assert!(q.flags.iter().any(|f| f.kind == FlagKind::ExistingNotCounted && f.detail.contains("existing not counted")), "{}", l.id);
    }
    let json = serde_json::to_string(&p.quality).unwrap();
    assert!(json.contains("\"existing_not_counted\""));

    // With one inventory line, coverage is that line's: 12 of 20 beds.
    let c = catalog();
    let mut input = PlanInput::custom("t", 100_000.0, "test");
    input.inventory =
        safetygap_core::Inventory::parse_csv("inv.csv", "program,quantity,source,verified\ndv_shelter_bed,12,x,no\n", &c).unwrap();
    let p = compute(&c, &input).unwrap();
    assert_eq!(p.totals.lines_with_inventory, 1);
    assert!((p.totals.coverage.unwrap() - 0.6).abs() < 1e-12);
    let vs = &p.gap_areas.iter().find(|a| a.gap_area == safetygap_core::GapArea::VictimServices).unwrap().totals;
    assert!((vs.coverage.unwrap() - 0.6).abs() < 1e-12);
    assert!(p
        .quality
        .lines
        .iter()
        .find(|q| q.id == "dv_shelter_bed")
        .is_none_or(|q| q.flags.iter().all(|f| f.kind != FlagKind::ExistingNotCounted)));
}

#[test]
fn reentry_housing_uses_recently_released_rates() {
    // Nowhere to Go: 203 and 570 per 10,000 formerly incarcerated people;
    // recently released ≈ 12 ÷ 10 of those rates (12× vs 10× the public's).
    let c = catalog();
    let b = c.benchmark("reentry_housing_slot").unwrap();
    assert_eq!(b.evidence, safetygap_core::Evidence::Derived);
    let Scale::Ratio { per, units } = &b.scale else { panic!("ratio") };
    assert_eq!(*per, 10_000.0);
    assert!((units.low - 203.0 * 12.0 / 10.0).abs() < 0.5 && (units.high - 570.0 * 12.0 / 10.0).abs() < 0.5);
    assert!(units.low > 203.0, "a flow of releases is homeless more often than the stock");
    assert!(b.description.contains("12 ÷ 10") && b.citations.iter().any(|c| c.contains("Nowhere to Go")));
}

#[test]
fn every_shipped_benchmark_says_who_pays() {
    let c = catalog();
    for b in c.benchmarks.iter().chain(&c.beyond_tier) {
        let p = b.payers.as_ref().unwrap_or_else(|| panic!("{} has no payers", b.id));
        assert!(!p.citations.is_empty(), "{}", b.id);
        // A payer list is never better than published (second-hand sums at best).
        assert!(p.evidence >= safetygap_core::Evidence::Published, "{}", b.id);
    }
}

#[test]
fn a_published_share_is_split_and_the_rest_stays_unassigned() {
    let p = plan_for(250_000.0, &[]);
    // Psychiatric beds: Medicaid about a third (Psychiatric News 2003); the
    // rest is the state's, Medicare's and private payers', split unknown.
    let l = line(&p, "psychiatric_bed");
    let medicaid = l.payers.iter().find(|b| b.payers == ["medicaid"]).expect("medicaid bucket");
    assert!((medicaid.annual_cost.mid - 0.33 * l.annual_cost.mid).abs() < 1e-6 * l.annual_cost.mid);
    let rest = l.payers.iter().find(|b| b.payers.len() > 1).expect("rest bucket");
    assert_eq!(rest.payers, ["state", "medicare", "private"]);
    // A line with only a list (CVI) is never the city's alone.
    let cvi = line(&p, "cvi_street_outreach");
    assert!(cvi.payers.iter().all(|b| b.payers.len() > 1), "{:?}", cvi.payers);
    let v = p.clone().with_payer("city").expect("city view");
    assert_eq!(v.payer_view.as_ref().unwrap().annual_cost.mid, 0.0);
    assert!(v.payer_view.as_ref().unwrap().unknown_lines.iter().any(|(id, ..)| id == "cvi_street_outreach"));
    assert!(p.with_payer("mayor").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The cost by payer adds up to the plan's total at every end of the
    /// range, and no payer's own cost exceeds the total.
    #[test]
    fn payer_totals_add_up_to_the_plan_total(pop in 0.0f64..5.0e7, existing in 0.0f64..500.0, payer in 0usize..16) {
        let c = catalog();
        let mut input = PlanInput::custom("t", pop, "test");
        let inv = format!("program,quantity\ndv_shelter_bed,{existing}\ncvi_mediator,{existing}\npsychiatric_bed,{existing}\n");
        input.inventory = safetygap_core::Inventory::parse_csv("i.csv", &inv, &c).unwrap();
        let p = compute(&c, &input).unwrap();
        let sum: Range3 = p.cost_by_payer.iter().map(|t| t.annual_cost).sum();
        let t = p.totals.annual_cost;
        for (a, b) in [(sum.low, t.low), (sum.mid, t.mid), (sum.high, t.high)] {
            prop_assert!((a - b).abs() <= 1e-6 * b.max(1.0), "{a} vs {b}");
        }
        for l in &p.programs {
            let s: Range3 = l.payers.iter().map(|b| b.annual_cost).sum();
            prop_assert!((s.mid - l.annual_cost.mid).abs() <= 1e-6 * l.annual_cost.mid.max(1.0), "{}", l.id);
        }
        let id = safetygap_core::payer::PAYERS[payer].0;
        let v = p.clone().with_payer(id).unwrap().payer_view.unwrap();
        prop_assert!(v.annual_cost.mid <= t.mid * (1.0 + 1e-9) + 1e-9);
        prop_assert!(v.annual_cost.mid + v.shared_unknown.mid <= t.mid * (1.0 + 1e-9) + 1e-9);
    }
}
