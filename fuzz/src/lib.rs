//! The fuzzed entry points, one function per target. Each takes arbitrary
//! bytes and drives them through what a user can reach: a function here
//! must never panic, abort or allocate without bound, whatever it is given.
//!
//! Shared by the libFuzzer targets (`fuzz_targets/*.rs`, nightly) and the
//! stable replay test (`crates/server/tests/api/fuzz_corpus.rs`),
//! which runs every file under `fuzz/seeds/<target>/` and
//! `fuzz/regressions/<target>/` through the same function.

use safetygap_core::budget::{self, Strategy};
use safetygap_core::catalog::CatalogSource;
use safetygap_core::plan::PlanInput;
use safetygap_core::simulate::{self, SimOptions};
use safetygap_core::{compute, sensitivity, shipped, Catalog, Inventory, Plan};
use safetygap_data::import::{import_bytes, ImportKind};
use safetygap_report::{csv_out, html, json, markdown, methodology, simulated, svg, table, xlsx};
use safetygap_server::scenario::Scenario;
use std::sync::OnceLock;

/// A fuzz entry point.
pub type Target = fn(&[u8]);

/// The targets, by name: what the replay test iterates over.
pub const TARGETS: [(&str, Target); 4] = [("catalog", catalog), ("inventory", inventory), ("import", import), ("scenario", scenario)];

fn shipped_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| shipped::catalog().expect("the shipped catalog loads"))
}

/// Every renderer over one plan (and a short simulation of it).
fn render_all(catalog: &Catalog, input: &PlanInput, plan: &Plan) {
    let _ = table::render(plan);
    let _ = json::render(plan);
    let _ = csv_out::render(std::slice::from_ref(plan));
    let _ = markdown::render(plan);
    let _ = svg::cost_by_area(plan);
    let _ = svg::cost_by_program(plan);
    let _ = svg::need_vs_existing(plan);
    let _ = xlsx::render(plan, catalog);
    let sim = simulate::simulate(catalog, input, SimOptions { draws: 20, seed: 7 }).ok();
    if let Some(sim) = &sim {
        let _ = simulated::json(plan, sim);
        let _ = simulated::csv(plan, sim);
        let _ = simulated::table_section(plan, sim);
        let _ = simulated::markdown_section(plan, sim);
        let _ = svg::cost_by_area_sim(plan, Some(sim));
        let _ = svg::cost_by_program_sim(plan, Some(sim));
    }
    let doc = html::render(plan, catalog, &html::HtmlOptions { figures: Vec::new(), locator: false, simulation: sim });
    let xml = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    assert!(roxmltree::Document::parse_with_options(&doc, xml).is_ok(), "the HTML report is not well-formed");
    for strategy in [Strategy::Proportional, Strategy::Equalize] {
        let total = plan.totals.annual_cost.mid;
        for amount in [0.0, 1.0, total / 2.0] {
            let _ = budget::allocate(plan, amount, &strategy);
        }
    }
    let _ = sensitivity::tornado(catalog, input);
}

/// A catalog override: loaded over the shipped catalog; when accepted, a
/// plan for a small town and for the whole U.S., through every renderer.
pub fn catalog(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let src = [CatalogSource { name: "fuzz.toml", text: &text }];
    let Ok(catalog) = shipped::load_with(&src) else { return };
    let _ = methodology::render(&catalog);
    for population in [1.0, 100_000.0, 340_000_000.0] {
        let input = PlanInput::custom("Fuzz", population, "fuzz");
        let plan = compute(&catalog, &input).expect("a validated catalog computes");
        render_all(&catalog, &input, &plan);
    }
}

/// An inventory file, as CSV and as TOML, against the shipped catalog; when
/// accepted, a plan with it through the renderers.
pub fn inventory(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let catalog = shipped_catalog();
    let parsed = [Inventory::parse_csv("inv.csv", &text, catalog), Inventory::parse_toml("inv.toml", &text, catalog)];
    for inventory in parsed.into_iter().flatten() {
        let mut input = PlanInput::custom("Fuzz", 100_000.0, "fuzz");
        input.inventory = inventory;
        let plan = compute(catalog, &input).expect("a parsed inventory computes");
        let _ = json::render(&plan);
        let _ = csv_out::render(std::slice::from_ref(&plan));
        let _ = svg::need_vs_existing(&plan);
    }
}

/// Every importer over the same bytes, plus detection by content.
pub fn import(data: &[u8]) {
    for kind in ImportKind::ALL {
        let _ = import_bytes("fuzz.csv", data, Some(kind));
    }
    let _ = import_bytes("fuzz.csv", data, None);
}

/// The API's scenario JSON: parsed as the server parses it, evaluated with
/// the server's code, then every chart and export the API offers.
pub fn scenario(data: &[u8]) {
    let Ok(mut s) = serde_json::from_slice::<Scenario>(data) else { return };
    // Keep each run short; the budget itself is exercised by the server.
    if let Some(sim) = &mut s.simulate {
        sim.draws = sim.draws.min(50);
    }
    let Ok(e) = s.evaluate() else { return };
    let _ = e.json();
    render_all(&e.catalog, &e.input, &e.plan);
}
