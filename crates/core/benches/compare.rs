//! The Rust side of `bench/compare-simulation`: simulates every population
//! in a file (one per line) against one set of draws with
//! `simulate::simulate_many`, times it (best of `--repeat` runs) and writes
//! throughput and per-county percentiles as JSON for the comparison with
//! bench/peers/simulate_numpy.py.
//!
//!     cargo bench -p safetygap-core --bench compare -- \
//!         --populations pops.txt --draws 1000 --seed 7 --repeat 3 --out rust.json

use safetygap_core::plan::PlanInput;
use safetygap_core::shipped;
use safetygap_core::simulate::{self, SimOptions};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut pops, mut draws, mut seed, mut repeat, mut out) = (None, 1000u32, 7u64, 3usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--populations" => pops = args.next(),
            "--draws" => draws = args.next().and_then(|v| v.parse().ok()).expect("--draws N"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            "--repeat" => repeat = args.next().and_then(|v| v.parse().ok()).expect("--repeat K"),
            "--out" => out = args.next(),
            _ => {} // cargo bench passes --bench
        }
    }
    let Some(pops) = pops else {
        eprintln!("compare: give --populations FILE (one population per line); see bench/compare-simulation");
        return;
    };
    let text = std::fs::read_to_string(&pops).expect("read populations");
    let inputs: Vec<PlanInput> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| PlanInput::custom("county", l.trim().parse().expect("population"), "bench"))
        .collect();
    let catalog = shipped::catalog().expect("shipped catalog");
    let options = SimOptions { draws, seed };
    let mut best = f64::INFINITY;
    let mut sims = Vec::new();
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        sims = simulate::simulate_many(&catalog, &inputs, options).expect("simulate");
        best = best.min(t.elapsed().as_secs_f64());
    }
    let programs: Vec<String> = sims[0].programs.iter().map(|p| p.id.clone()).collect();
    let n_prog = programs.len();
    let series = |f: &dyn Fn(&simulate::Percentiles) -> f64| -> Vec<Vec<f64>> {
        sims.iter()
            .map(|s| s.programs.iter().map(|p| f(&p.annual_cost)).chain(std::iter::once(f(&s.totals.annual_cost))).collect())
            .collect()
    };
    let result = serde_json::json!({
        "engine": "safetygap-core (Rust)",
        "threads": rayon::current_num_threads(),
        "counties": inputs.len(),
        "draws": draws,
        "programs": n_prog,
        "seconds": best,
        "throughput": (inputs.len() * draws as usize * n_prog) as f64 / best,
        "ids": programs,
        "p5": series(&|q| q.p5),
        "p50": series(&|q| q.p50),
        "p95": series(&|q| q.p95),
    });
    let text = serde_json::to_string(&result).expect("json");
    match out {
        Some(path) => std::fs::write(path, text).expect("write --out"),
        None => println!("{text}"),
    }
}
