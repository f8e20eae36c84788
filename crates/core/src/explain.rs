//! Step-by-step derivations of a plan line, for `safetygap explain`.
//!
//! Built from the same catalog and plan the figures came from, so the
//! explanation can never drift from the arithmetic.

use crate::catalog::{Catalog, DriverDef, Scale};
use crate::drivers::{fmt_num, fmt_range, ResolvedDriver};
use crate::plan::{Plan, ProgramKind};
use crate::range::Range3;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A titled block of explanation lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Lines of text.
    pub lines: Vec<String>,
}

/// The derivation of one program line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Program id.
    pub id: String,
    /// Program name.
    pub name: String,
    /// The derivation, in order.
    pub sections: Vec<Section>,
}

/// Formats a range of money or counts: "1.2 (low 0.9, high 1.5)".
fn r3(r: Range3) -> String {
    if r.low == r.high {
        fmt_num(r.mid)
    } else {
        format!("{} (low {}, high {})", fmt_num(r.mid), fmt_num(r.low), fmt_num(r.high))
    }
}

/// Explains program `id` of `plan`, which must have been computed from
/// `catalog`. Errors name the closest id when `id` is unknown.
pub fn explain(catalog: &Catalog, plan: &Plan, id: &str) -> Result<Explanation, String> {
    if let Some(b) = catalog.beyond_tier.iter().find(|b| b.id == id) {
        return Err(format!(
            "`{id}` is a {} benchmark, beyond this plan's {} tier; run with --tier {} to include and explain it.",
            b.kind, catalog.tier, b.kind
        ));
    }
    let Some(line) = plan.programs.iter().find(|p| p.id == id) else {
        let hint = crate::suggest::closest(id, catalog.program_ids()).map(|s| format!(" Did you mean `{s}`?")).unwrap_or_default();
        return Err(format!("`{id}` is not a program in the catalog.{hint} `safetygap catalog list` shows the ids."));
    };
    let mut sections = Vec::new();
    if line.kind == ProgramKind::Addon {
        let a = catalog.addon(id).ok_or("add-on missing from catalog")?;
        let base: Vec<_> = plan.programs.iter().filter(|p| a.of.contains(&p.id)).collect();
        let base_gap: Range3 = base.iter().map(|p| p.annual_cost).sum();
        let mut lines = vec![format!("annual cost = {} × annual cost to close the gap in: {}", fmt_range(a.share), a.of.join(", "))];
        for p in &base {
            lines.push(format!("  {} gap cost = ${}", p.id, dollars3(p.annual_cost)));
        }
        lines.push(format!("  sum = ${}", dollars3(base_gap)));
        lines.push(format!("  × share {} = ${}", fmt_range(a.share), dollars3(line.annual_cost)));
        sections.push(Section { title: "Formula".into(), lines });
        sections.push(Section { title: format!("Evidence: {}", a.evidence), lines: a.citations.clone() });
    } else {
        let b = catalog.benchmark(id).ok_or("benchmark missing from catalog")?;
        let formula = match &b.scale {
            Scale::Ratio { per, units } => format!("need = {} × {} ÷ {}", b.driver, fmt_range(*units), fmt_num(*per)),
            Scale::Caseload { caseload } => format!("need = {} ÷ caseload {}", b.driver, fmt_range(*caseload)),
        };
        sections.push(Section { title: "Formula".into(), lines: vec![formula, b.description.clone()] });

        // The chain of drivers behind the need, inputs first. Drivers are
        // looked up in hashes built once: a scan per link made explaining a
        // chain of 60,000 derived drivers take half a minute (issue 12 row 8).
        let index = Index::new(catalog, plan);
        let chain = collect_drivers(&index, &b.driver);
        let mut lines = Vec::new();
        for d in chain.iter().rev() {
            let Some(r) = index.resolved(d) else { continue };
            let basis = match r.basis {
                crate::drivers::Basis::Given => "given",
                crate::drivers::Basis::Estimated => "estimated",
            };
            let vintage = r.vintage.as_ref().map(|v| format!(", {v}")).unwrap_or_default();
            lines.push(format!("{} = {} {} [{basis}{vintage}] — {}", r.id, r3(r.value), r.unit, r.source));
            if !r.alternatives.is_empty() {
                lines.push(format!("    {} can be estimated two ways; for this place:", r.id));
                for a in &r.alternatives {
                    let mark = if a.used { "USED" } else { "not used" };
                    lines.push(format!("    [{mark}] {} = {} — {}", a.formula, r3(a.value), a.description));
                }
                if !r.is_catalog_estimate() {
                    lines.push(format!("    (neither is used: {} is given for the place)", r.id));
                }
            }
            if r.is_catalog_estimate() {
                if let Some(def) = index.def(d) {
                    for f in def.active_terms(|id| index.known(id)).flat_map(|t| &t.factors) {
                        let flag = if f.evidence == crate::Evidence::Assumption { " ⚠ ASSUMPTION" } else { "" };
                        lines.push(format!(
                            "    factor “{}” = {} ({}{flag}): {}",
                            f.name,
                            fmt_range(f.value),
                            f.evidence,
                            f.citations.join("; ")
                        ));
                    }
                }
            }
        }
        sections.push(Section { title: "Inputs".into(), lines });

        let driver = index.resolved(&b.driver).map_or(Range3::ZERO, |r| r.value);
        let mut lines = Vec::new();
        match &b.scale {
            Scale::Ratio { per, units } => {
                lines.push(format!(
                    "low  = {} × {} ÷ {} = {}",
                    fmt_num(driver.low),
                    fmt_num(units.low),
                    fmt_num(*per),
                    fmt_num(line.need.low)
                ));
                lines.push(format!(
                    "mid  = {} × {} ÷ {} = {}",
                    fmt_num(driver.mid),
                    fmt_num(units.mid),
                    fmt_num(*per),
                    fmt_num(line.need.mid)
                ));
                lines.push(format!(
                    "high = {} × {} ÷ {} = {}",
                    fmt_num(driver.high),
                    fmt_num(units.high),
                    fmt_num(*per),
                    fmt_num(line.need.high)
                ));
            }
            Scale::Caseload { caseload } => {
                lines.push(format!("low  = {} ÷ {} = {}", fmt_num(driver.low), fmt_num(caseload.high), fmt_num(line.need.low)));
                lines.push(format!("mid  = {} ÷ {} = {}", fmt_num(driver.mid), fmt_num(caseload.mid), fmt_num(line.need.mid)));
                lines.push(format!("high = {} ÷ {} = {}", fmt_num(driver.high), fmt_num(caseload.low), fmt_num(line.need.high)));
            }
        }
        if let Some(w) = line.need_whole {
            lines.push(format!("whole units: {} rounded half up = {} {}", fmt_num(line.need.mid), fmt_num(w), b.unit));
        }
        if let Some(s) = &line.shared {
            let mut more = vec![format!(
                "{} {} is below the smallest unit that can be staffed ({} {}): no whole unit is recommended",
                fmt_num(line.need.mid),
                b.unit,
                fmt_num(s.min_viable),
                b.unit
            )];
            match (s.host_need, s.host_units) {
                (Some(n), Some(u)) => more.push(format!(
                    "share of {}'s units = {} ÷ {} (the county's need) × {} (its whole units) = {}",
                    s.host,
                    fmt_num(line.need.mid),
                    fmt_num(n),
                    fmt_num(u),
                    fmt_num(s.share)
                )),
                _ => more.push(format!("share of a unit run by {} = the need = {}", s.host, fmt_num(s.share))),
            }
            more.push("gap and costs below are of this share".into());
            lines.extend(more);
        }
        if let (Some(u), Some(per)) = (&line.team_of, line.team_per_unit) {
            lines.push(format!("staff are tied to {u}: {} per unit, so staff = its units × {}", fmt_num(per), fmt_num(per)));
        }
        sections.push(Section { title: format!("Need ({})", b.unit), lines });
        sections.push(Section { title: format!("Evidence for the need ratio: {}", b.evidence), lines: b.citations.clone() });

        let src = line.existing_source.as_deref().unwrap_or(if line.existing > 0.0 { "inventory" } else { "no inventory given" });
        let mut lines =
            vec![format!("existing = {} ({src}{})", fmt_num(line.existing), if line.existing_verified { ", verified" } else { "" })];
        lines.push(format!("gap = max(0, need − existing) = {}", r3(line.gap)));
        if let Some(c) = line.coverage {
            lines.push(format!("coverage = existing ÷ mid need = {:.0}%", c * 100.0));
        }
        sections.push(Section { title: "Gap".into(), lines });

        let c = &b.annual_cost;
        let mut lines = vec![
            format!("unit cost = ${} a year per {} ({} dollars, {})", dollars3(c.amount), singular(&b.unit), c.year, c.evidence),
            format!("low  = {} × ${} = ${}", fmt_num(line.gap.low), dollars(c.amount.low), dollars(line.annual_cost.low)),
            format!("mid  = {} × ${} = ${}", fmt_num(line.gap.mid), dollars(c.amount.mid), dollars(line.annual_cost.mid)),
            format!("high = {} × ${} = ${}", fmt_num(line.gap.high), dollars(c.amount.high), dollars(line.annual_cost.high)),
        ];
        if c.source_year != c.year || c.cpi_factor != 1.0 {
            lines.insert(
                1,
                format!(
                    "  = ${} in {} dollars × CPI-U {} ÷ {} = × {:.4} (to {} dollars)",
                    dollars3(c.source_amount),
                    c.source_year,
                    crate::cpi::Cpi::embedded().get(c.year).map_or(String::new(), |v| v.to_string()),
                    crate::cpi::Cpi::embedded().get(c.source_year).map_or(String::new(), |v| v.to_string()),
                    c.cpi_factor,
                    c.year
                ),
            );
        }
        if let Some(n) = &c.note {
            lines.push(format!("basis: {n}"));
        }
        lines.extend(c.citations.iter().map(|s| format!("source: {s}")));
        if let Some(s) = &b.startup_cost {
            lines.push(format!(
                "start-up = gap × ${} per new {} ({}) = ${}",
                dollars3(s.amount),
                singular(&b.unit),
                s.evidence,
                dollars3(line.startup_cost)
            ));
        }
        sections.push(Section { title: "Annual cost to close the gap".into(), lines });
        let inputs = crate::plan::graded_inputs(catalog, b, &plan.drivers);
        let lines = inputs.iter().map(|(what, e)| format!("{:<10} {what}", e.as_str())).collect();
        sections.push(Section { title: format!("Overall grade: {} (the weakest of the inputs below)", line.grade), lines });
    }
    if !line.assumptions.is_empty() {
        sections.push(Section {
            title: "⚠ Assumptions (replace with local figures before acting on them)".into(),
            lines: line.assumptions.clone(),
        });
    }
    Ok(Explanation { id: line.id.clone(), name: line.name.clone(), sections })
}

/// Whole dollars with thousands separators: 1237896.4 → "1,237,896".
fn dollars(v: f64) -> String {
    crate::drivers::fmt_thousands(v)
}

/// A money range: "1,000,000 (low 670,000, high 1,500,000)".
fn dollars3(r: Range3) -> String {
    if r.low == r.high {
        dollars(r.mid)
    } else {
        format!("{} (low {}, high {})", dollars(r.mid), dollars(r.low), dollars(r.high))
    }
}

fn singular(unit: &str) -> &str {
    unit.strip_suffix('s').unwrap_or(unit)
}

/// Catalog drivers and the plan's resolved drivers by id, hashed once per
/// explanation so each link of a chain costs one probe, not a scan.
struct Index<'a> {
    defs: HashMap<&'a str, &'a DriverDef>,
    resolved: HashMap<&'a str, &'a ResolvedDriver>,
}

impl<'a> Index<'a> {
    fn new(catalog: &'a Catalog, plan: &'a Plan) -> Self {
        let mut defs = HashMap::with_capacity(catalog.drivers.len());
        for d in &catalog.drivers {
            defs.entry(d.id.as_str()).or_insert(d);
        }
        // The first of a repeated id wins, as in `drivers::is_known`.
        let mut resolved = HashMap::with_capacity(plan.drivers.len());
        for r in &plan.drivers {
            resolved.entry(r.id.as_str()).or_insert(r);
        }
        Index { defs, resolved }
    }

    fn def(&self, id: &str) -> Option<&'a DriverDef> {
        crate::drivers::count_work(1);
        self.defs.get(id).copied()
    }

    fn resolved(&self, id: &str) -> Option<&'a ResolvedDriver> {
        crate::drivers::count_work(1);
        self.resolved.get(id).copied()
    }

    /// True when `id` has a figure for the place (see `drivers::is_known`).
    fn known(&self, id: &str) -> bool {
        self.resolved(id).is_some_and(|r| !r.is_catalog_estimate())
    }
}

/// Depth-first list (preorder) of a driver and everything its estimate
/// uses (every alternative, so both sides of a conditional estimate are
/// shown), each driver once. An explicit stack, so a chain of any length
/// cannot overflow the thread's stack.
fn collect_drivers<'a>(index: &Index<'a>, id: &'a str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        out.push(id);
        if let Some(d) = index.def(id) {
            // Reversed, so the first term's driver is visited first.
            stack.extend(d.estimate.iter().rev().map(|t| t.driver.as_str()));
        }
    }
    out
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} ({})", self.name, self.id)?;
        for s in &self.sections {
            writeln!(f, "\n{}", s.title)?;
            for l in &s.lines {
                writeln!(f, "  {l}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::drivers::tests::chain;
    use crate::drivers::LOOKUP_WORK;
    use crate::plan::PlanInput;

    /// Lookups made by explaining the benchmark at the end of a chain of
    /// `n` conditional derived drivers (the plan is computed first and not
    /// counted).
    fn work(n: usize) -> u64 {
        let c = chain(n);
        let p = crate::compute(&c, &PlanInput::custom("t", 100_000.0, "test")).unwrap();
        LOOKUP_WORK.with(|w| w.set(0));
        let e = super::explain(&c, &p, "dv_shelter_bed").unwrap();
        let inputs = e.sections.iter().find(|s| s.title == "Inputs").expect("an Inputs section");
        // Every driver of the chain and population, each with its two
        // alternatives' factor (only the active one is listed) and, for
        // conditional drivers, the two-ways lines.
        assert!(inputs.lines.iter().filter(|l| l.starts_with('d')).count() == n, "every link of the chain is explained");
        LOOKUP_WORK.with(|w| w.get())
    }

    /// Issue 12 row 8, for `explain`: it scanned the catalog's and the
    /// plan's drivers once per link of a chain of derived drivers, so a
    /// chain of 60,000 took 31 s of CPU in a release build (the plan itself
    /// 1.4 s). Counts the work, not the time: four times the chain must
    /// cost about four times the lookups (a scan per link gives sixteen).
    #[test]
    fn explaining_a_chain_of_derived_drivers_is_linear() {
        let (small, large) = (work(500), work(2_000));
        assert!(small > 0, "the lookups are counted");
        let ratio = large as f64 / small as f64;
        assert!(ratio < 5.0, "4× the drivers took {ratio:.1}× the lookups ({small} → {large}): quadratic again");
    }
}
