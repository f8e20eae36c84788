//! A Markdown memo: readable pasted into a document or an issue tracker.

use crate::fmt::{count, money, money_full, money_range, thousands};
use safetygap_core::drivers::Basis;
use safetygap_core::plan::{Plan, ProgramKind};
use safetygap_core::GapArea;

/// Escapes text for a Markdown table cell or line.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    // `&name;` and `&#NN;` would render as characters: escape the `&` that
    // starts one, and leave a plain "Smith & Co" alone.
    if out.contains('&') {
        let mut fixed = String::with_capacity(out.len() + 4);
        let mut rest = out.as_str();
        while let Some(i) = rest.find('&') {
            fixed.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '#') {
                fixed.push('\\');
            }
            fixed.push('&');
            rest = after;
        }
        fixed.push_str(rest);
        out = fixed;
    }
    out
}

/// Renders the plan as a Markdown memo.
pub fn render(plan: &Plan) -> String {
    let mut o = String::new();
    let name = esc(&plan.jurisdiction.name);
    o.push_str(&format!("# Safety gap plan: {name}\n\n"));
    let pop = plan.drivers.iter().find(|d| d.id == "population").map_or(0.0, |d| d.value.mid);
    o.push_str(&format!(
        "Closing {name}'s safety gap costs about **{} a year** (range {}), or **${:.2} per resident**, plus {} in one-off start-up costs. Population: {}. Costs are in {} dollars, converted with the CPI-U from catalog figures of {}. {}\n\n",
        money(plan.totals.annual_cost.mid),
        money_range(plan.totals.annual_cost),
        plan.totals.annual_cost_per_resident.mid,
        money(plan.totals.startup_cost.mid),
        thousands(pop),
        plan.dollar_year,
        crate::fmt::source_years(plan),
        esc(&crate::fmt::tier_sentence(plan)),
    ));
    o.push_str("| Gap area | Annual cost to close the gap | Range | Coverage now (of lines with an inventory) |\n|---|---:|---:|---:|\n");
    for a in &plan.gap_areas {
        o.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            a.gap_area.title(),
            money_full(a.totals.annual_cost.mid),
            money_range(a.totals.annual_cost),
            esc(&crate::fmt::coverage_label(&a.totals))
        ));
    }
    o.push_str(&format!(
        "| **Total** | **{}** | {} | {} |\n",
        money_full(plan.totals.annual_cost.mid),
        money_range(plan.totals.annual_cost),
        esc(&crate::fmt::coverage_label(&plan.totals))
    ));

    for area in GapArea::ALL {
        let lines: Vec<_> = plan.programs.iter().filter(|p| p.gap_area == area).collect();
        if lines.is_empty() {
            continue;
        }
        o.push_str(&format!("\n## {}\n\n", area.title()));
        o.push_str(&esc(&crate::narrative::area_paragraph(plan, area)));
        o.push_str("\n\n");
        o.push_str("| Program | Grade (overall; need / cost) | Need | Whole units | Existing | Gap | Annual cost | Range |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for l in lines {
            let flag = if l.assumptions.is_empty() { "" } else { " ⚠" };
            // Need, whole units, existing and gap: an add-on has only its share.
            let middle = if l.kind == ProgramKind::Addon {
                format!("{:.0}% of base programs' cost | | |", l.share.map_or(0.0, |s| s.mid) * 100.0)
            } else {
                format!(
                    "{} {} | {} | {} | {}",
                    count(l.need.mid),
                    esc(&l.unit),
                    match &l.shared {
                        Some(s) => format!("share {} of a unit run by {}", count(s.share), esc(&s.host)),
                        None => l.need_whole.map(count).unwrap_or_default(),
                    },
                    count(l.existing),
                    count(l.gap.mid)
                )
            };
            o.push_str(&format!(
                "| {}{flag} | **{}**; {} / {} | {middle} | {} | {} |\n",
                esc(&l.name),
                l.grade,
                l.evidence,
                l.cost_evidence,
                money_full(l.annual_cost.mid),
                money_range(l.annual_cost)
            ));
        }
    }

    o.push_str("\n## Drivers\n\n| Driver | Value | Given or estimated | Source |\n|---|---:|---|---|\n");
    for d in &plan.drivers {
        let basis = match d.basis {
            Basis::Given => "given",
            Basis::Estimated => "estimated",
        };
        let vintage = d.vintage.as_ref().map(|v| format!(" ({})", esc(v))).unwrap_or_default();
        o.push_str(&format!("| {} | {} | {basis} | {}{vintage} |\n", esc(&d.name), count(d.value.mid), esc(&d.source)));
    }

    o.push_str(&crate::quality::markdown_block(plan));
    o.push_str(&crate::payers::markdown_block(plan));
    let flagged: Vec<_> = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).collect();
    if !flagged.is_empty() {
        o.push_str("\n## ⚠ Assumptions to replace\n\nThese lines rest on placeholders with no published figure. Replace them with local figures before acting on the numbers.\n\n");
        let mut all: Vec<&String> = flagged.iter().flat_map(|p| &p.assumptions).collect();
        all.sort();
        all.dedup();
        for a in all {
            o.push_str(&format!("- {}\n", esc(a)));
        }
    }
    o.push_str(&format!(
        "\n---\nComputed by safetygap with catalog {} (input {}). Every benchmark's formula and sources: docs/METHODOLOGY.md; one line's derivation: `safetygap explain ID`.\n",
        esc(&plan.catalog_version), plan.input_hash
    ));
    o
}
