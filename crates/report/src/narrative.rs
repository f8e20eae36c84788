//! Plain-language paragraphs shared by the Markdown memo and the HTML brief.
//!
//! Functions here return plain text (no markup); each renderer escapes it
//! for its own format.

use crate::fmt::{count, money, money_range};
use safetygap_core::plan::{Plan, ProgramKind, ProgramPlan};
use safetygap_core::GapArea;

/// "$408.97": a per-resident figure with cents.
pub fn per_resident(v: f64) -> String {
    format!("${}", format_cents(v))
}

fn format_cents(v: f64) -> String {
    let whole = crate::fmt::thousands(v.trunc());
    let cents = ((v.abs().fract() * 100.0).round() as u32).min(99);
    format!("{whole}.{cents:02}")
}

/// Joins items as "a", "a and b" or "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What one program line needs, in words: "87 beds" (whole units where the
/// catalog has them) or "25% of base programs' cost" for add-ons.
pub fn need_words(p: &ProgramPlan) -> String {
    match p.kind {
        ProgramKind::Addon => format!("{:.0}% of the programs it supports", p.share.map_or(0.0, |s| s.mid) * 100.0),
        ProgramKind::Benchmark => format!("{} {}", count(p.need_whole.unwrap_or(p.need.mid)), p.unit),
    }
}

/// One paragraph about a gap area (to follow its heading): cost, coverage, the largest items and
/// the assumptions behind them. Empty when the plan has no line in it.
pub fn area_paragraph(plan: &Plan, area: GapArea) -> String {
    let lines: Vec<&ProgramPlan> = plan.programs.iter().filter(|p| p.gap_area == area).collect();
    let Some(sub) = plan.gap_areas.iter().find(|a| a.gap_area == area).map(|a| &a.totals) else {
        return String::new();
    };
    if lines.is_empty() {
        return String::new();
    }
    let mut s = String::new();
    let cost = sub.annual_cost;
    if cost.high <= 0.0 {
        s.push_str("What exists already meets every benchmark in this area, so closing the gap costs nothing more a year.");
    } else {
        s.push_str(&format!(
            "Closing the gap costs about {} a year (range {}), or {} per resident",
            money(cost.mid),
            money_range(cost),
            per_resident(sub.annual_cost_per_resident.mid)
        ));
        if sub.startup_cost.mid > 0.0 {
            s.push_str(&format!(", plus {} in one-off start-up costs", money(sub.startup_cost.mid)));
        }
        s.push('.');
    }

    let benchmarks: Vec<&&ProgramPlan> = lines.iter().filter(|p| p.kind == ProgramKind::Benchmark).collect();
    let with_existing = benchmarks.iter().filter(|p| p.existing > 0.0).count();
    if with_existing == 0 {
        s.push_str(" No existing programs were counted, so the whole need is treated as the gap; an inventory of what already exists would reduce it.");
    } else {
        let covered = benchmarks.iter().filter(|p| p.coverage.is_some_and(|c| c >= 1.0)).count();
        s.push_str(&format!(
            " Existing programs meet about {:.0}% of the need, measured by cost; {} of {} programs are fully covered.",
            sub.coverage.unwrap_or(0.0) * 100.0,
            covered,
            benchmarks.len()
        ));
    }

    let mut by_cost: Vec<&&ProgramPlan> = lines.iter().filter(|p| p.annual_cost.mid > 0.0).collect();
    by_cost.sort_by(|a, b| b.annual_cost.mid.total_cmp(&a.annual_cost.mid).then_with(|| a.id.cmp(&b.id)));
    let top: Vec<String> = by_cost
        .iter()
        .take(3)
        .map(|p| match p.kind {
            ProgramKind::Benchmark => format!("{} ({} needed, {} a year)", p.name, need_words(p), money(p.annual_cost.mid)),
            ProgramKind::Addon => format!("{} ({} a year)", p.name, money(p.annual_cost.mid)),
        })
        .collect();
    match top.len() {
        0 => {}
        1 => s.push_str(&format!(" The cost is {}.", top[0])),
        _ => s.push_str(&format!(" The largest items are {}.", join_and(&top))),
    }

    let flagged = lines.iter().filter(|p| !p.assumptions.is_empty()).count();
    if flagged > 0 {
        let cost_only = lines
            .iter()
            .filter(|p| !p.assumptions.is_empty())
            .all(|p| p.assumptions.iter().all(|a| a.contains("cost per unit is an assumption")));
        s.push_str(&format!(
            " {} of {} lines rest on at least one assumption (⚠){}: replace them with local figures before budgeting.",
            flagged,
            lines.len(),
            if cost_only { ", all of them unit costs with no published figure" } else { " with no published figure" }
        ));
    } else {
        s.push_str(" Every figure in this area comes from a published or derived benchmark.");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_and_lists() {
        assert_eq!(per_resident(408.971), "$408.97");
        assert_eq!(per_resident(1234.5), "$1,234.50");
        assert_eq!(per_resident(0.004), "$0.00");
        assert_eq!(join_and(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(join_and(&["a".into(), "b".into()]), "a and b");
    }
}
