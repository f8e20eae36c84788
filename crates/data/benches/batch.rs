//! Whole-country plan throughput: what `safetygap batch` does, minus the
//! file writing. Run with `cargo bench -p safetygap-data --bench batch`.

use safetygap_core::{compute, shipped, Catalog};
use safetygap_data::embedded::{gazetteer, Jurisdiction};
use safetygap_data::inputs::plan_input;

fn main() {
    // Load once outside the timed region, as a long-running process would.
    let _ = gazetteer();
    divan::main();
}

fn catalog() -> Catalog {
    shipped::catalog().expect("shipped catalog")
}

fn run(list: &[&Jurisdiction], cat: &Catalog) -> usize {
    let g = gazetteer();
    list.iter().map(|j| compute(cat, &plan_input(g, j)).expect("plan").programs.len()).sum()
}

#[divan::bench(sample_count = 5)]
fn all_counties(b: divan::Bencher) {
    let cat = catalog();
    let list: Vec<&Jurisdiction> = gazetteer().counties(None).collect();
    b.bench(|| run(&list, &cat));
}

#[divan::bench(sample_count = 3)]
fn all_places(b: divan::Bencher) {
    let cat = catalog();
    let list: Vec<&Jurisdiction> = gazetteer().places(None).collect();
    b.bench(|| run(&list, &cat));
}

#[divan::bench(sample_count = 20)]
fn load_shipped_catalog() -> Catalog {
    catalog()
}
