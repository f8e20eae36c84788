//! The terminal table: fits 80 columns, flags every assumption.

use crate::fmt::{count, fit, money, money_range, thousands, truncate};
use safetygap_core::drivers::Basis;
use safetygap_core::plan::{Plan, ProgramKind};
use safetygap_core::{Evidence, GapArea};

/// Evidence letter for the narrow table column.
pub fn grade_mark(e: Evidence) -> &'static str {
    match e {
        Evidence::Report => "R",
        Evidence::Published => "P",
        Evidence::Derived => "D",
        Evidence::Assumption => "A",
    }
}

/// Renders the plan as text tables for a terminal.
pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let pop = plan.drivers.iter().find(|d| d.id == "population");
    let pop_text = pop
        .map(|d| {
            format!(
                "{} residents ({}{})",
                thousands(d.value.mid),
                d.source,
                d.vintage.as_ref().map(|v| format!(", {v}")).unwrap_or_default()
            )
        })
        .unwrap_or_default();
    out.push_str(&format!("Safety gap plan: {}\n{pop_text}\n", plan.jurisdiction.name));
    out.push_str(&format!(
        "Annual cost to close the gap: {} a year (range {}),\n{} per resident; start-up {}. In {} dollars (CPI-U, from\ncatalog figures of {}).\n{}\n",
        money(plan.totals.annual_cost.mid),
        money_range(plan.totals.annual_cost),
        money_per_resident(plan.totals.annual_cost_per_resident.mid),
        money(plan.totals.startup_cost.mid),
        plan.dollar_year,
        crate::fmt::source_years(plan),
        wrap(&crate::fmt::tier_sentence(plan), 79).join("\n")
    ));

    for area in GapArea::ALL {
        let lines: Vec<_> = plan.programs.iter().filter(|p| p.gap_area == area).collect();
        if lines.is_empty() {
            continue;
        }
        let sub = &plan.gap_areas.iter().find(|a| a.gap_area == area).expect("every area has a subtotal").totals;
        out.push_str(&format!(
            "\n{} — gap {} a year, {}\n",
            area.title().to_uppercase(),
            money(sub.annual_cost.mid),
            if sub.lines_with_inventory == 0 {
                "existing not counted".to_string()
            } else {
                format!("coverage {} ({}/{} lines inventoried)", crate::fmt::percent(sub.coverage), sub.lines_with_inventory, sub.lines)
            }
        ));
        out.push_str(&format!("{:<29} {:<3} {:>9} {:>5} {:>6} {:>7} {:>13}\n", "Program", "Ev", "Need", "Have", "Gap", "Cost/yr", "Range"));
        out.push_str(&format!("{}\n", "─".repeat(79)));
        for l in lines {
            let flag = if l.assumptions.is_empty() { "" } else { " ⚠" };
            let name = format!("{}{flag}", truncate(&l.name, 29 - flag.chars().count()));
            let ev = grade_mark(l.grade).to_string();
            let (need, have, gap) = if l.kind == ProgramKind::Addon {
                (format!("{:.0}% cost", l.share.map_or(0.0, |s| s.mid) * 100.0), String::new(), String::new())
            } else {
                let need = match (l.need_whole, &l.shared) {
                    (_, Some(s)) => format!("{} sh", count(s.share)),
                    (Some(w), _) if (w - l.need.mid).abs() > 0.005 => format!("{}({})", count(l.need.mid), count(w)),
                    _ => count(l.need.mid),
                };
                (need, if l.existing_counted { count(l.existing) } else { "–".into() }, count(l.gap.mid))
            };
            out.push_str(&format!(
                "{} {:<3} {:>9} {:>5} {:>6} {:>7} {:>13}\n",
                fit(&name, 29),
                ev,
                need,
                have,
                gap,
                money(l.annual_cost.mid),
                money_range(l.annual_cost)
            ));
        }
    }

    out.push_str(&crate::quality::table_block(plan));
    out.push_str(&crate::payers::table_block(plan));
    out.push_str("\nDRIVERS\n");
    out.push_str(&format!("{:<24} {:>11}  {}\n{}\n", "Driver", "Value", "Given or estimated, and from what", "─".repeat(79)));
    for d in &plan.drivers {
        let how = match d.basis {
            Basis::Given => format!("given: {}{}", d.source, d.vintage.as_ref().map(|v| format!(" ({v})")).unwrap_or_default()),
            Basis::Estimated if d.is_catalog_estimate() => {
                let flag = if d.evidence == Some(Evidence::Assumption) { "⚠ " } else { "" };
                let vintage = d.vintage.as_ref().map(|v| format!(" ({v})")).unwrap_or_default();
                format!("{flag}estimated: {}{vintage}", d.formula.as_deref().unwrap_or(&d.source))
            }
            Basis::Estimated => format!("estimated: {}{}", d.source, d.vintage.as_ref().map(|v| format!(" ({v})")).unwrap_or_default()),
        };
        let mut first = true;
        for chunk in wrap(&how, 42) {
            if first {
                out.push_str(&format!("{} {:>11}  {chunk}\n", fit(&d.id, 24), count(d.value.mid)));
                first = false;
            } else {
                out.push_str(&format!("{:<24} {:>11}  {chunk}\n", "", ""));
            }
        }
    }

    let flagged = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count();
    out.push_str(&format!(
        "\nNeed shows the fractional need and, in brackets, whole units (half rounds up).\n\
         sh = a share of a unit run by the county or a region: the need is below one\n\
         unit that can be staffed, so the place pays its share (staff come with it).\n\
         Have – = existing not counted: no inventory line was given (--inventory).\n\
         Ev = overall grade, the weakest input the line rests on (ratio, costs,\n\
         driver estimates): R report, P published, D derived, A assumption.\n\
         ⚠ = {flagged} line(s) rest on an assumption with no published figure: replace\n\
         it with a local figure before acting (`safetygap explain ID` lists which).\n\
         Sources: docs/METHODOLOGY.md. Catalog {}, input {}.\n",
        plan.catalog_version, plan.input_hash
    ));
    out
}

fn money_per_resident(v: f64) -> String {
    format!("${v:.2}")
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let cur = lines.last_mut().expect("non-empty");
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
    }
    lines
}
