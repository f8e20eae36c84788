//! Grades and assumptions of a line: every graded input it rests on,
//! through the catalog driver estimates behind its driver.

use super::*;

/// Every graded input a benchmark line rests on, in words: its ratio, its
/// costs, and each factor of the catalog driver estimates behind its driver
/// (a figure supplied for the place replaces the estimate and its factors).
pub fn graded_inputs(catalog: &Catalog, b: &Benchmark, drivers: &[ResolvedDriver]) -> Vec<(String, Evidence)> {
    graded_inputs_with(b, &driver_lookup(catalog, drivers))
}

pub(super) fn graded_inputs_with(b: &Benchmark, lookup: &DriverLookup<'_>) -> Vec<(String, Evidence)> {
    let mut out = vec![("need ratio".to_string(), b.evidence), ("annual cost per unit".to_string(), b.annual_cost.evidence)];
    if let Some(c) = &b.startup_cost {
        out.push(("start-up cost per unit".to_string(), c.evidence));
    }
    walk_estimates(b, lookup, |d| d.estimate.iter().collect(), |d, f| out.push((format!("{}: {}", d.id, f.name), f.evidence)));
    out
}

/// Walks the catalog driver estimates a line's driver rests on, depth first,
/// each driver once, calling `visit` for every factor of the terms `terms`
/// selects. A supplied value replaces the estimate, and with it its factors.
pub(super) fn walk_estimates<'a>(
    b: &'a Benchmark,
    (defs, estimated): &DriverLookup<'a>,
    terms: impl Fn(&'a crate::catalog::DriverDef) -> Vec<&'a crate::catalog::Term>,
    mut visit: impl FnMut(&'a crate::catalog::DriverDef, &'a crate::catalog::Factor),
) {
    let mut stack = vec![b.driver.as_str()];
    let mut seen = crate::hash::IdSet::default();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) || !estimated.contains(id) {
            continue;
        }
        let Some(&d) = defs.get(id) else { continue };
        for t in terms(d) {
            for f in &t.factors {
                visit(d, f);
            }
            stack.push(t.driver.as_str());
        }
    }
}

/// Driver definitions by id, and the ids whose value is the catalog's
/// estimate: hashed once per plan, so walking a long chain of derived
/// drivers is linear rather than a scan per link.
pub(super) type DriverLookup<'a> = (crate::hash::IdMap<&'a str, &'a crate::catalog::DriverDef>, crate::hash::IdSet<&'a str>);

pub(super) fn driver_lookup<'a>(catalog: &'a Catalog, drivers: &'a [ResolvedDriver]) -> DriverLookup<'a> {
    (
        catalog.drivers.iter().map(|d| (d.id.as_str(), d)).collect(),
        drivers.iter().filter(|r| r.is_catalog_estimate()).map(|r| r.id.as_str()).collect(),
    )
}

/// A line's overall grade: the weakest of [`graded_inputs`].
pub fn grade_of(catalog: &Catalog, b: &Benchmark, drivers: &[ResolvedDriver]) -> Evidence {
    grade_with(b, &driver_lookup(catalog, drivers))
}

/// The weakest of [`graded_inputs_with`], without writing their names
/// (once per line of every plan of a batch).
pub(super) fn grade_with(b: &Benchmark, lookup: &DriverLookup<'_>) -> Evidence {
    let mut grade = b.evidence.max(b.annual_cost.evidence);
    if let Some(c) = &b.startup_cost {
        grade = grade.max(c.evidence);
    }
    walk_estimates(b, lookup, |d| d.estimate.iter().collect(), |_, f| grade = grade.max(f.evidence));
    grade
}

/// Every assumption-graded input behind a benchmark line: its ratio, its
/// costs, and the factors of any driver estimate it rests on.
pub(super) fn assumptions_of(b: &Benchmark, lookup: &DriverLookup<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if b.evidence == Evidence::Assumption {
        out.push(format!("{}: need ratio is an assumption", b.name));
    }
    if b.annual_cost.evidence == Evidence::Assumption {
        out.push(format!("{}: annual cost per unit is an assumption", b.name));
    }
    if b.startup_cost.as_ref().is_some_and(|c| c.evidence == Evidence::Assumption) {
        out.push(format!("{}: start-up cost per unit is an assumption", b.name));
    }
    // Every catalog driver is resolved, so one with a figure for the place
    // is one the plan did not estimate (a hashed test: a scan per term was
    // quadratic down a chain of conditional drivers).
    let known = |id: &str| lookup.0.contains_key(id) && !lookup.1.contains(id);
    walk_estimates(
        b,
        lookup,
        |d| d.estimate.iter().filter(|t| t.condition.holds(known)).collect(),
        |d, f| {
            if f.evidence == Evidence::Assumption {
                out.push(format!("{}: {} is an assumption", d.name, f.name));
            }
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::Texts;
    use crate::PlanInput;

    /// `grade_with` skips writing the inputs' names; it must still be the
    /// weakest of them, with and without the catalog's estimates.
    #[test]
    fn grade_is_the_weakest_graded_input() {
        let catalog = crate::shipped::catalog().unwrap();
        let mut given = PlanInput::custom("Example", 250_000.0, "example");
        given.drivers.insert("homicides".into(), crate::SuppliedDriver::given(12.0, "example"));
        for input in [PlanInput::custom("Example", 250_000.0, "example"), given] {
            let drivers = crate::drivers::resolve(&catalog, &input.drivers).unwrap();
            let lookup = driver_lookup(&catalog, &drivers);
            for b in &catalog.benchmarks {
                let weakest = graded_inputs_with(b, &lookup).into_iter().map(|(_, e)| e).max().unwrap();
                assert_eq!(grade_with(b, &lookup), weakest, "{}", b.id);
            }
        }
    }

    /// Without the drivers' texts a plan differs in those texts only.
    #[test]
    fn figures_only_plans_differ_in_driver_texts_only() {
        let catalog = crate::shipped::catalog().unwrap();
        let input = PlanInput::custom("Example", 80_000.0, "example");
        let full = crate::compute(&catalog, &input).unwrap();
        let mut lean = super::super::compute_with(&catalog, &input, None, Texts::Figures).unwrap();
        assert!(lean.drivers.iter().any(|d| d.is_catalog_estimate() && d.source.is_empty()));
        for (l, f) in lean.drivers.iter_mut().zip(&full.drivers) {
            l.source.clone_from(&f.source);
            l.alternatives.clone_from(&f.alternatives);
        }
        assert_eq!(lean, full);
    }
}
