//! Simulation benchmarks (divan): one jurisdiction with many draws, and
//! many jurisdictions against one set of draws (the batch path).
//!
//!     cargo bench -p safetygap-core --bench simulate
//!
//! `bench/compare-simulation` runs the same engine against the numpy peer on
//! every county's population and reports the throughput ratio.

use safetygap_core::plan::PlanInput;
use safetygap_core::simulate::{self, SimOptions};
use safetygap_core::{shipped, Catalog};

fn main() {
    divan::main();
}

fn catalog() -> Catalog {
    shipped::catalog().expect("shipped catalog")
}

/// One city, 10,000 draws (what `plan --simulate 10000` does).
#[divan::bench(sample_count = 10)]
fn one_jurisdiction_10k_draws(b: divan::Bencher) {
    let c = catalog();
    let input = PlanInput::custom("bench", 250_000.0, "bench");
    b.bench(|| simulate::simulate(&c, &input, SimOptions { draws: 10_000, seed: 1 }).unwrap());
}

/// 3,142 counties (populations spread like U.S. counties), 200 draws each.
#[divan::bench(sample_count = 5)]
fn counties_200_draws(b: divan::Bencher) {
    let c = catalog();
    // A deterministic log-uniform spread from 100 to 10 million residents.
    let inputs: Vec<PlanInput> =
        (0..3142).map(|i| PlanInput::custom("county", (100.0f64 * 1e5f64.powf(i as f64 / 3141.0)).round(), "bench")).collect();
    b.counter(divan::counter::ItemsCount::new(3142usize * 200 * 26))
        .bench(|| simulate::simulate_many(&c, &inputs, SimOptions { draws: 200, seed: 1 }).unwrap());
}
