//! Monte Carlo simulation: ordering, reproducibility, zero ranges only for
//! fixed inputs, and agreement with the deterministic plan.

use safetygap_core::drivers::SuppliedDriver;
use safetygap_core::plan::PlanInput;
use safetygap_core::simulate::{self, Model, Percentiles, SimOptions, Simulation};
use safetygap_core::{compute, shipped, Catalog};

fn catalog() -> Catalog {
    shipped::catalog().expect("shipped catalog")
}

fn opts(draws: u32, seed: u64) -> SimOptions {
    SimOptions { draws, seed }
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(f)
}

#[test]
fn percentiles_are_ordered_everywhere() {
    let c = catalog();
    for pop in [1_000.0, 100_000.0, 2_500_000.0] {
        let sim = simulate::simulate(&c, &PlanInput::custom("t", pop, "test"), opts(2_000, 7)).unwrap();
        for (name, q) in sim.all() {
            assert!(q.is_ordered(), "{name} at {pop}: {q:?}");
            assert!(q.p5.is_finite() && q.p95.is_finite(), "{name}");
            assert!(q.p5 >= 0.0, "{name} negative");
        }
    }
}

#[test]
fn same_seed_same_numbers_for_any_thread_count() {
    let c = catalog();
    let input = PlanInput::custom("t", 250_000.0, "test");
    let one = in_pool(1, || simulate::simulate(&c, &input, opts(3_000, 42)).unwrap());
    let two = in_pool(2, || simulate::simulate(&c, &input, opts(3_000, 42)).unwrap());
    let four = in_pool(4, || simulate::simulate(&c, &input, opts(3_000, 42)).unwrap());
    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
    assert_eq!(one, four);
    let other = simulate::simulate(&c, &input, opts(3_000, 43)).unwrap();
    assert_ne!(one.totals.annual_cost, other.totals.annual_cost, "a different seed gives different draws");
}

#[test]
fn zero_range_only_where_every_input_is_fixed() {
    let c = catalog();
    let sim = simulate::simulate(&c, &PlanInput::custom("t", 100_000.0, "test"), opts(1_000, 1)).unwrap();
    let p = |id: &str| sim.program(id).unwrap().clone();
    // Fixed ratio × given population: no spread in need; ranged cost: spread.
    assert_eq!(p("trauma_recovery_center").need, Percentiles::point(1.0));
    assert!(p("trauma_recovery_center").annual_cost.width() > 0.0);
    assert!(p("trauma_recovery_center").startup_cost.width() > 0.0);
    // Fixed caseload, fixed driver factor and fixed cost: a point.
    assert_eq!(p("cvi_mediator").need.width(), 0.0);
    assert_eq!(p("cvi_mediator").annual_cost.width(), 0.0);
    // Ranged caseload.
    assert!(p("cvi_street_outreach").need.width() > 0.0);
    // No start-up cost in the catalog: zero.
    assert_eq!(p("dv_shelter_bed").startup_cost, Percentiles::point(0.0));
    // Every line whose model has a ranged input has a spread in its annual cost.
    let model = Model::compile(&c);
    for line in &sim.programs {
        let ranged = model.inputs.iter().any(|i| i.is_ranged() && i.id.starts_with(&format!("{}.", line.id)));
        if ranged {
            assert!(line.annual_cost.width() > 0.0 || line.need.width() > 0.0, "{} has ranged inputs but no spread", line.id);
        }
    }
    assert!(sim.totals.annual_cost.width() > 0.0);
}

#[test]
fn mid_inputs_reproduce_the_deterministic_plan() {
    let c = catalog();
    let mut input = PlanInput::custom("t", 238_005.0, "test");
    input.drivers.insert("homicides".into(), SuppliedDriver::given(50.0, "test"));
    input.inventory = safetygap_core::Inventory::parse_csv(
        "inv.csv",
        "program,quantity,source,verified\ndv_shelter_bed,12,x,yes\ncvi_mediator,3,x,no\n",
        &c,
    )
    .unwrap();
    let plan = compute(&c, &input).unwrap();
    let model = Model::compile(&c);
    let prepared = model.prepare(&c, &input).unwrap();
    let mut scratch = model.scratch();
    model.evaluate(&prepared, &model.mids(), &mut scratch);
    for (i, line) in plan.programs.iter().enumerate() {
        assert_eq!(model.programs[i].id, line.id, "same order as the plan");
        let got = &scratch.out[i * 4..i * 4 + 4];
        for (g, want, what) in [
            (got[0], line.need.mid, "need"),
            (got[1], line.gap.mid, "gap"),
            (got[2], line.annual_cost.mid, "annual"),
            (got[3], line.startup_cost.mid, "startup"),
        ] {
            assert!((g - want).abs() <= 1e-9 * want.abs().max(1.0), "{} {what}: {g} vs {want}", line.id);
        }
    }
    let total = scratch.out[scratch.out.len() - 3];
    assert!((total - plan.totals.annual_cost.mid).abs() < 1e-6 * plan.totals.annual_cost.mid);
}

#[test]
fn median_is_near_the_mid_for_symmetric_inputs() {
    let c = catalog();
    let sim = simulate::simulate(&c, &PlanInput::custom("t", 100_000.0, "test"), opts(20_000, 3)).unwrap();
    // Psychiatric beds: 28.1 / 34.9 / 41.7 per 100,000 is symmetric, so the
    // PERT median is the mid.
    let need = sim.program("psychiatric_bed").unwrap().need;
    assert!((need.p50 - 34.9).abs() < 0.2, "{need:?}");
    assert!(need.p5 > 28.1 && need.p95 < 41.7);
}

#[test]
fn many_jurisdictions_match_one_at_a_time() {
    let c = catalog();
    let inputs: Vec<PlanInput> = [5_000.0, 80_000.0, 1_200_000.0].iter().map(|&p| PlanInput::custom("t", p, "test")).collect();
    let many = simulate::simulate_many(&c, &inputs, opts(700, 11)).unwrap();
    for (i, input) in inputs.iter().enumerate() {
        let one: Simulation = simulate::simulate(&c, input, opts(700, 11)).unwrap();
        assert_eq!(one, many[i]);
    }
}

#[test]
fn draw_counts_are_checked() {
    assert!(simulate::check_draws(0).is_err());
    assert!(simulate::check_draws(1_000_001).is_err());
    assert_eq!(simulate::check_draws(1_000).unwrap(), 1_000);
    let c = catalog();
    let one = simulate::simulate(&c, &PlanInput::custom("t", 100_000.0, "test"), opts(1, 5)).unwrap();
    for (name, q) in one.all() {
        assert!(q.is_ordered() && q.p5 == q.p95, "{name}: one draw has no spread");
    }
}

#[test]
fn nearest_rank_percentiles() {
    let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
    let q = simulate::percentiles(&mut v);
    assert_eq!(q, Percentiles { p5: 5.0, p50: 50.0, p95: 95.0 });
    let mut v = vec![3.0, 1.0];
    assert_eq!(simulate::percentiles(&mut v), Percentiles { p5: 1.0, p50: 1.0, p95: 3.0 });
}

#[test]
fn column_evaluation_matches_draw_by_draw_evaluation() {
    // The simulation evaluates blocks of draws column by column and reads
    // gap percentiles off the need's; recompute every draw one at a time
    // with the scalar evaluator and compare every percentile exactly.
    let c = catalog();
    let mut input = PlanInput::custom("t", 180_000.0, "test");
    input.drivers.insert("prison_releases".into(), SuppliedDriver::given(300.0, "test"));
    input.inventory = safetygap_core::Inventory::parse_csv(
        "inv.csv",
        "program,quantity,source,verified\npsychiatric_bed,60,x,yes\ncvi_street_outreach,11.5,x,no\n",
        &c,
    )
    .unwrap();
    let options = opts(600, 99);
    let model = Model::compile(&c);
    let prepared = model.prepare(&c, &input).unwrap();
    let draws = model.draw(options);
    let sim = model.run(&prepared, &draws, true);
    let mut scratch = model.scratch();
    let mut series = vec![Vec::new(); model.series_len()];
    for d in 0..600 {
        model.evaluate(&prepared, &model.params_of(&draws, d), &mut scratch);
        for (k, v) in scratch.out.iter().enumerate() {
            series[k].push(*v);
        }
    }
    let pct: Vec<Percentiles> = series.iter_mut().map(|s| simulate::percentiles(s)).collect();
    for (i, line) in sim.programs.iter().enumerate() {
        for (j, (got, what)) in
            [(line.need, "need"), (line.gap, "gap"), (line.annual_cost, "annual"), (line.startup_cost, "startup")].into_iter().enumerate()
        {
            let want = pct[i * 4 + j];
            for (g, w) in [(got.p5, want.p5), (got.p50, want.p50), (got.p95, want.p95)] {
                assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{} {what}: {got:?} vs {want:?}", line.id);
            }
        }
    }
    let t = pct[pct.len() - 3];
    assert!((sim.totals.annual_cost.p50 - t.p50).abs() <= 1e-6 * t.p50);
    // And the serial path (a batch) gives the same numbers as the parallel one.
    assert_eq!(model.run(&prepared, &draws, false), sim);
}

#[test]
fn a_range_is_zero_exactly_when_every_input_behind_it_is_fixed() {
    let c = catalog();
    let model = Model::compile(&c);
    for sets in [vec![], vec![("crisis_chair_days", 900.0), ("low_income_population", 50_000.0)]] {
        let mut input = PlanInput::custom("t", 300_000.0, "test");
        for (k, v) in &sets {
            input.drivers.insert((*k).into(), SuppliedDriver::given(*v, "test"));
        }
        let prepared = model.prepare(&c, &input).unwrap();
        let sim = model.run(&prepared, &model.draw(opts(1_000, 5)), true);
        let np = sim.programs.len();
        for (i, line) in sim.programs.iter().enumerate() {
            for (j, q) in [line.need, line.gap, line.annual_cost, line.startup_cost].into_iter().enumerate() {
                let fixed = prepared.fixed()[i * 4 + j];
                assert_eq!(fixed, q.width() == 0.0, "{} series {j} with {sets:?}: fixed {fixed}, {q:?}", line.id);
            }
        }
        for (a, area) in sim.gap_areas.iter().enumerate() {
            for (m, q) in [area.totals.annual_cost, area.totals.startup_cost, area.totals.need_cost].into_iter().enumerate() {
                assert_eq!(prepared.fixed()[np * 4 + a * 3 + m], q.width() == 0.0, "{:?} {m}", area.gap_area);
            }
        }
    }
}

#[test]
fn bad_driver_values_give_the_plan_s_errors() {
    let c = catalog();
    for (k, v, want) in [("homicidez", 3.0, "Did you mean `homicides`"), ("homicides", -1.0, "negative"), ("homicides", 2e9, "1 billion")] {
        let mut input = PlanInput::custom("t", 1000.0, "test");
        input.drivers.insert(k.into(), SuppliedDriver::given(v, "test"));
        let e = simulate::simulate(&c, &input, opts(10, 1)).unwrap_err().to_string();
        assert!(e.contains(want), "{e}");
        assert_eq!(e, compute(&c, &input).unwrap_err().to_string());
    }
    let mut input = PlanInput::custom("t", 1000.0, "test");
    input.drivers.clear();
    assert!(simulate::simulate_many(&c, &[PlanInput::custom("ok", 5.0, "test"), input], opts(10, 1)).is_err());
}

// ------------------------------------------------ issue 12: work limits

/// A catalog override adding `n` benchmarks with ranged ratios and costs.
fn wide_catalog(n: usize) -> safetygap_core::Catalog {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[[benchmark]]\nid = \"extra_{i}\"\ngap_area = \"reentry\"\nname = \"Extra {i}\"\ndescription = \"d\"\nunit = \"slots\"\ndriver = \"population\"\nratio = {{ per = 100000, low = 1, mid = 2, high = 3 }}\nevidence = \"assumption\"\ncitations = [\"x\"]\nannual_cost = {{ low = 1, mid = 2, high = 3, year = 2023, evidence = \"assumption\", citations = [\"x\"] }}\nstartup_cost = {{ low = 1, mid = 2, high = 3, year = 2023, evidence = \"assumption\", citations = [\"x\"] }}\n\n"
        ));
    }
    shipped::load_with(&[safetygap_core::CatalogSource { name: "wide.toml", text: &text }]).expect("wide catalog loads")
}

/// Issue 12 row 6: 200 benchmarks and 1,000,000 draws tried a 3.4 GB
/// allocation and aborted; the draw limit now scales with the catalog.
#[test]
fn draw_limit_scales_with_catalog_size() {
    let shipped_model = simulate::Model::compile(&catalog());
    assert_eq!(shipped_model.max_draws(), simulate::MAX_DRAWS, "the shipped catalog keeps the full limit");
    let wide = wide_catalog(200);
    let model = simulate::Model::compile(&wide);
    assert!(model.max_draws() < 1_000_000, "{}", model.max_draws());
    assert!(model.cells_per_draw() * model.max_draws() as u64 <= simulate::MAX_CELLS);
    let e = simulate::simulate(&wide, &PlanInput::custom("t", 1e5, "test"), opts(1_000_000, 1)).unwrap_err();
    assert!(matches!(e, simulate::SimError::TooLarge { draws: 1_000_000, .. }), "{e:?}");
    assert!(e.to_string().contains(&format!("at most {}", model.max_draws())), "{e}");
}

/// A set cancel flag stops a run before (or while) it draws.
#[test]
fn a_cancelled_simulation_stops() {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let e = simulate::simulate_cancellable(&catalog(), &PlanInput::custom("t", 1e5, "test"), opts(100_000, 1), flag).unwrap_err();
    assert_eq!(e, simulate::SimError::Cancelled);
}
