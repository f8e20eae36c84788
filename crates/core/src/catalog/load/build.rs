//! Building the catalog from merged entries: drivers (in dependency order,
//! cycles reported), benchmarks and add-ons.

use super::check::*;
use super::{Ctx, Entry, Kind};
use crate::catalog::error::CatalogError;
use crate::catalog::model::*;
use crate::catalog::raw::*;
use crate::range::Range3;
use std::collections::{BTreeMap, HashMap};

pub(super) fn build(ctx: &mut Ctx<'_>, entries: Vec<Entry>, version: Option<String>) -> Catalog {
    let mut drivers = Vec::new();
    let mut benchmarks = Vec::new();
    let mut raw_addons = Vec::new();
    for e in &entries {
        check_id(ctx, e);
        match e.kind {
            Kind::Driver => {
                let Some(r) = decode::<RawDriver>(ctx, e) else { continue };
                let mut estimate = Vec::new();
                for (ti, t) in r.estimate.iter().enumerate() {
                    let mut factors = Vec::new();
                    for (fi, f) in t.factors.iter().enumerate() {
                        let field = format!("estimate[{ti}].factors[{fi}]");
                        let value = check_range(ctx, e, &field, Range3::new(f.low, f.mid, f.high), f.divide);
                        let evidence = check_evidence(ctx, e, &field, &f.evidence);
                        check_citations(ctx, e, &field, &f.citations);
                        factors.push(Factor { name: f.name.clone(), value, divide: f.divide, evidence, citations: f.citations.clone() });
                    }
                    let condition = match (&t.if_known, &t.unless_known) {
                        (None, None) => Condition::Always,
                        (Some(d), None) => Condition::IfKnown(d.clone()),
                        (None, Some(d)) => Condition::UnlessKnown(d.clone()),
                        (Some(d), Some(_)) => {
                            ctx.err(
                                e,
                                &format!("estimate[{ti}].if_known"),
                                "a term can have `if_known` or `unless_known`, not both.",
                                "write two terms: one with `if_known`, the other with `unless_known`",
                            );
                            Condition::IfKnown(d.clone())
                        }
                    };
                    estimate.push(Term { driver: t.driver.clone(), factors, condition });
                }
                drivers.push(DriverDef {
                    id: r.id,
                    name: r.name,
                    unit: r.unit,
                    description: r.description,
                    estimate,
                    vintage: r.vintage,
                    origin: ctx.origin(e),
                });
            }
            Kind::Benchmark => {
                let Some(r) = decode::<RawBenchmark>(ctx, e) else { continue };
                let gap_area = gap_area(ctx, e, &r.gap_area);
                let scale = match (&r.ratio, &r.caseload) {
                    (Some(ratio), None) => {
                        if !(ratio.per.is_finite() && ratio.per > 0.0) {
                            ctx.err(
                                e,
                                "ratio.per",
                                format!("{} must be a positive number.", ratio.per),
                                "write how much of the driver the units serve, e.g. per = 100000",
                            );
                        }
                        let units = check_range(ctx, e, "ratio", Range3::new(ratio.low, ratio.mid, ratio.high), false);
                        Scale::Ratio { per: ratio.per, units }
                    }
                    (None, Some(c)) => {
                        Scale::Caseload { caseload: check_range(ctx, e, "caseload", Range3::new(c.low, c.mid, c.high), true) }
                    }
                    _ => {
                        ctx.err(e, "ratio", "needs exactly one of `ratio` or `caseload`.", "write `ratio = { per = 100000, low = 1, mid = 1, high = 1 }` or `caseload = { low = 15, mid = 15, high = 20 }`");
                        Scale::Ratio { per: 1.0, units: Range3::ZERO }
                    }
                };
                let evidence = check_evidence(ctx, e, "evidence", &r.evidence);
                check_citations(ctx, e, "citations", &r.citations);
                let kind = match r.kind.as_deref() {
                    None => Tier::Standard,
                    Some(k) => Tier::parse(k).unwrap_or_else(|| {
                        ctx.err(
                            e,
                            "kind",
                            format!("unknown benchmark kind `{k}`."),
                            "use standard (what a system needs), goal (an aspirational target) or floor (a minimum)",
                        );
                        Tier::Standard
                    }),
                };
                let annual_cost = check_cost(ctx, e, "annual_cost", &r.annual_cost);
                let startup_cost = r.startup_cost.as_ref().map(|c| check_cost(ctx, e, "startup_cost", c));
                benchmarks.push(Benchmark {
                    id: r.id,
                    gap_area,
                    name: r.name,
                    description: r.description,
                    unit: r.unit,
                    whole_units: r.whole_units,
                    driver: r.driver,
                    kind,
                    scale,
                    evidence,
                    citations: r.citations,
                    annual_cost,
                    startup_cost,
                    group: r.group,
                    min_viable: match r.min_viable {
                        Some(m) if !(m.is_finite() && m > 0.0) => {
                            ctx.err(
                                e,
                                "min_viable",
                                format!("{m} must be a positive number of units."),
                                "write the smallest number of units that can exist, e.g. min_viable = 1",
                            );
                            None
                        }
                        m => m,
                    },
                    team_of: r.team_of,
                    payers: r.payers.as_ref().map(|p| check_payers(ctx, e, p)),
                    origin: ctx.origin(e),
                    seq: benchmarks.len(),
                });
            }
            Kind::Addon => {
                let Some(r) = decode::<RawAddon>(ctx, e) else { continue };
                raw_addons.push((e, r));
            }
        }
    }

    // References between entries.
    let driver_ids: BTreeMap<&str, usize> = drivers.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let entry_of = |kind: Kind, id: &str| entries.iter().find(|e| e.kind == kind && e.id == id);
    let known_drivers = driver_ids.keys().copied().collect::<Vec<_>>().join(", ");
    for b in &benchmarks {
        if !driver_ids.contains_key(b.driver.as_str()) {
            let e = entry_of(Kind::Benchmark, &b.id).expect("benchmark came from an entry");
            ctx.err(
                e,
                "driver",
                format!("unknown driver `{}`.", b.driver),
                format!("use one of: {known_drivers}; or define it with [[driver]]"),
            );
        }
    }
    for b in &benchmarks {
        let Some(parent) = &b.team_of else { continue };
        let e = entry_of(Kind::Benchmark, &b.id).expect("benchmark came from an entry");
        match benchmarks.iter().find(|p| &p.id == parent) {
            None => ctx.err(e, "team_of", format!("unknown benchmark `{parent}`."), "name the benchmark whose units these staff make up"),
            Some(p) if p.driver != b.driver || p.team_of.is_some() || p.seq > b.seq => ctx.err(
                e,
                "team_of",
                format!(
                    "`{parent}` must come earlier in the catalog, scale with the same driver (`{}`) and not be a team itself.",
                    b.driver
                ),
                "a team line scales with its unit line's driver, so staff = units × staff per unit",
            ),
            Some(_) => {}
        }
    }
    for d in &drivers {
        for (ti, t) in d.estimate.iter().enumerate() {
            if !driver_ids.contains_key(t.driver.as_str()) {
                let e = entry_of(Kind::Driver, &d.id).expect("driver came from an entry");
                ctx.err(
                    e,
                    &format!("estimate[{ti}].driver"),
                    format!("unknown driver `{}`.", t.driver),
                    format!("use one of: {known_drivers}"),
                );
            }
            if let Some(c) = t.condition.driver() {
                if !driver_ids.contains_key(c) {
                    let e = entry_of(Kind::Driver, &d.id).expect("driver came from an entry");
                    let field = if matches!(t.condition, Condition::IfKnown(_)) { "if_known" } else { "unless_known" };
                    ctx.err(
                        e,
                        &format!("estimate[{ti}].{field}"),
                        format!("unknown driver `{c}`."),
                        format!("use one of: {known_drivers}"),
                    );
                }
            }
        }
    }
    if !drivers.iter().any(|d| d.id == "population") {
        ctx.errors.push(CatalogError {
            file: ctx.sources.first().map(|s| s.name.to_string()).unwrap_or_default(),
            line: None,
            entry: None,
            field: None,
            message: "the catalog defines no `population` driver, which every plan needs.".into(),
            hint: "keep the shipped drivers file, or define [[driver]] id = \"population\"".into(),
        });
    }
    let drivers = topo_sort(ctx, &entries, drivers);

    let mut addons = Vec::new();
    for (e, r) in raw_addons {
        let gap_area = gap_area(ctx, e, &r.gap_area);
        let share = check_range(ctx, e, "share", Range3::new(r.share.low, r.share.mid, r.share.high), false);
        let evidence = check_evidence(ctx, e, "evidence", &r.evidence);
        check_citations(ctx, e, "citations", &r.citations);
        let mut of = Vec::new();
        for name in &r.of {
            let matched: Vec<&Benchmark> = benchmarks.iter().filter(|b| &b.id == name || b.group.as_deref() == Some(name)).collect();
            if matched.is_empty() {
                ctx.err(
                    e,
                    "of",
                    format!("`{name}` is neither a benchmark id nor a benchmark group."),
                    "list benchmark ids or `group` names defined in the catalog",
                );
            }
            for b in matched {
                if !of.contains(&b.id) {
                    of.push(b.id.clone());
                }
            }
        }
        if r.of.is_empty() {
            ctx.err(e, "of", "lists no benchmarks.", "write `of = [\"some_benchmark\"]` or a group name");
        }
        let cost_year = benchmarks.iter().filter(|b| of.contains(&b.id)).map(|b| b.annual_cost.year).max().unwrap_or(0);
        addons.push(Addon {
            id: r.id,
            gap_area,
            name: r.name,
            description: r.description,
            share,
            of,
            evidence,
            citations: r.citations,
            cost_year,
            origin: ctx.origin(e),
        });
    }

    let version = version.unwrap_or_else(|| {
        ctx.errors.push(CatalogError {
            file: ctx.sources.first().map(|s| s.name.to_string()).unwrap_or_default(),
            line: None,
            entry: None,
            field: Some("catalog.version".into()),
            message: "no catalog version.".into(),
            hint: "add `[catalog]` with `version = \"...\"` to one shipped file".into(),
        });
        String::new()
    });
    Catalog {
        version,
        drivers,
        benchmarks,
        addons,
        tier: Tier::Goal,
        dollar_year: 0,
        beyond_tier: Vec::new(),
        beyond_tier_addons: Vec::new(),
    }
}

/// Orders drivers so each comes after the drivers its estimate uses, and
/// reports cycles (which would make an estimate depend on itself).
pub(super) fn topo_sort(ctx: &mut Ctx<'_>, entries: &[Entry], drivers: Vec<DriverDef>) -> Vec<DriverDef> {
    let index: HashMap<String, usize> = drivers.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
    // 0 = unvisited, 1 = on the path, 2 = done. Iterative depth-first
    // search: a chain of 100,000 derived drivers must not overflow the
    // stack.
    let mut state = vec![0u8; drivers.len()];
    let mut order = Vec::with_capacity(drivers.len());
    // A term depends on its driver and on the driver its condition reads.
    let deps = |i: usize| -> Vec<usize> {
        drivers[i]
            .estimate
            .iter()
            .flat_map(|t| std::iter::once(t.driver.as_str()).chain(t.condition.driver()))
            .filter_map(|dep| index.get(dep).copied())
            .collect()
    };
    let mut cycle: Option<Vec<usize>> = None;
    'roots: for root in 0..drivers.len() {
        if state[root] != 0 {
            continue;
        }
        // (node, its dependencies, next dependency to visit)
        let mut path: Vec<(usize, Vec<usize>, usize)> = vec![(root, deps(root), 0)];
        state[root] = 1;
        while let Some((node, ds, next)) = path.last_mut() {
            if let Some(&j) = ds.get(*next) {
                *next += 1;
                match state[j] {
                    0 => {
                        state[j] = 1;
                        path.push((j, deps(j), 0));
                    }
                    1 => {
                        let start = path.iter().position(|(p, ..)| *p == j).unwrap_or(0);
                        let mut c: Vec<usize> = path[start..].iter().map(|(p, ..)| *p).collect();
                        c.push(j);
                        cycle = Some(c);
                        break 'roots;
                    }
                    _ => {}
                }
            } else {
                state[*node] = 2;
                order.push(*node);
                path.pop();
            }
        }
    }
    if let Some(cycle) = cycle {
        let names: Vec<&str> = cycle.iter().map(|&k| drivers[k].id.as_str()).collect();
        let e = entries.iter().find(|e| e.kind == Kind::Driver && e.id == drivers[cycle[0]].id).expect("driver entry");
        ctx.err(
            e,
            "estimate",
            format!("the driver estimates form a cycle: {}.", names.join(" → ")),
            "break the cycle: one of these drivers must be estimated from something else (or be given)",
        );
        // Leave the rest unordered; the catalog is rejected anyway.
        return drivers;
    }
    let mut slots: Vec<Option<DriverDef>> = drivers.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
