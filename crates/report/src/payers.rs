//! Who pays: the plan's cost by payer, and what falls on one payer's own
//! budget (`--payer city`), for the table, Markdown, HTML and workbook.

use crate::fmt::{money, money_range};
use crate::markdown::esc;
use crate::quality::wrap;
use safetygap_core::payer::PayerView;
use safetygap_core::plan::Plan;

/// The names of the lines behind ids, for sentences.
fn names(plan: &Plan, ids: impl Iterator<Item = String>) -> Vec<String> {
    ids.map(|id| plan.programs.iter().find(|p| p.id == id).map_or(id.clone(), |p| p.name.clone())).collect()
}

/// Share of the total, as "12%".
fn pct(part: f64, total: f64) -> String {
    if total > 0.0 {
        format!("{:.0}%", part / total * 100.0)
    } else {
        "–".into()
    }
}

/// Sentences for a payer view: what is the payer's alone, what it shares
/// with others in unknown proportions, and that the rest is not its cost.
pub fn view_sentences(plan: &Plan, v: &PayerView) -> Vec<String> {
    let mut out = vec![format!(
        "{} ({}): {} a year of the plan's {} falls on its own budget by the catalog's payer shares and lists{}.",
        v.name,
        v.payer,
        money(v.annual_cost.mid),
        money(v.plan_annual_cost.mid),
        if v.lines.is_empty() {
            " (no line is paid by it alone)".to_string()
        } else {
            format!(" ({})", names(plan, v.lines.iter().map(|(id, _)| id.clone())).join(", "))
        }
    )];
    if !v.unknown_lines.is_empty() {
        let lines: Vec<String> = v
            .unknown_lines
            .iter()
            .map(|(id, cost, _)| format!("{} {}", names(plan, std::iter::once(id.clone())).join(""), money(cost.mid)))
            .collect();
        out.push(format!(
            "Up to {} more is shared with other payers in proportions no source gives (split unknown): {}. None of it is counted as the {}'s; ask each funder what it will pay.",
            money(v.shared_unknown.mid),
            lines.join("; "),
            v.payer
        ));
    }
    out
}

/// Greedy word wrap to `width` columns, continuation lines indented two spaces.
pub fn wrap_text(text: &str, width: usize) -> String {
    wrap(text, width, "  ")
}

/// "WHO PAYS" for the terminal table (80 columns).
pub fn table_block(plan: &Plan) -> String {
    if plan.cost_by_payer.is_empty() {
        return String::new();
    }
    let total = plan.totals.annual_cost.mid;
    let mut out = String::from("\nWHO PAYS — annual cost to close the gap by usual funder (catalog lists and\npublished shares; a row of several payers is split unknown, never assigned)\n");
    out.push_str(&format!("{:<52} {:>9} {:>5} {:>10}\n{}\n", "Payer", "Cost/yr", "Share", "Lines", "─".repeat(79)));
    for t in &plan.cost_by_payer {
        let label = wrap(&safetygap_core::payer::bucket_short(&t.payers), 52, "  ");
        let mut rows = label.lines();
        let first = rows.next().unwrap_or("");
        out.push_str(&format!("{first:<52} {:>9} {:>5} {:>10}\n", money(t.annual_cost.mid), pct(t.annual_cost.mid, total), t.lines.len()));
        for r in rows {
            out.push_str(&format!("{r}\n"));
        }
    }
    if let Some(v) = &plan.payer_view {
        out.push_str(&format!("\nON THE {}'S OWN BUDGET (--payer {})\n", v.payer.to_uppercase(), v.payer));
        for s in view_sentences(plan, v) {
            out.push_str(&wrap(&format!("- {s}"), 79, "  "));
        }
    }
    out
}

/// The rows of the Who pays table, each cell escaped by `esc`: payer,
/// annual cost, its range, share of the plan's cost, and the programs
/// (their ids, or with `by_name` their names).
fn rows<'a>(plan: &'a Plan, esc: fn(&str) -> String, by_name: bool) -> impl Iterator<Item = [String; 5]> + 'a {
    let total = plan.totals.annual_cost.mid;
    plan.cost_by_payer.iter().map(move |t| {
        let programs = if by_name { names(plan, t.lines.iter().cloned()) } else { t.lines.clone() };
        [
            esc(&t.label),
            esc(&money(t.annual_cost.mid)),
            esc(&money_range(t.annual_cost)),
            esc(&pct(t.annual_cost.mid, total)),
            esc(&programs.join(", ")),
        ]
    })
}

/// With `--payer`: the payer and the sentences on its own budget, escaped
/// by `esc`.
fn own_budget(plan: &Plan, esc: fn(&str) -> String) -> Option<(String, Vec<String>)> {
    let v = plan.payer_view.as_ref()?;
    Some((esc(&v.payer), view_sentences(plan, v).iter().map(|s| esc(s)).collect()))
}

/// A "Who pays" section for the Markdown memo.
pub fn markdown_block(plan: &Plan) -> String {
    if plan.cost_by_payer.is_empty() {
        return String::new();
    }
    let mut o = String::from(
        "\n## Who pays\n\nAnnual cost to close the gap by usual funder: the catalog's lists of funders, with shares only where a source gives them. A row of several payers is split unknown and is not assigned to any of them.\n\n| Payer | Annual cost | Range | Share | Lines |\n|---|---:|---:|---:|---|\n",
    );
    for [payer, cost, range, share, lines] in rows(plan, esc, false) {
        o.push_str(&format!("| {payer} | {cost} | {range} | {share} | {lines} |\n"));
    }
    if let Some((payer, sentences)) = own_budget(plan, esc) {
        o.push_str(&format!("\n### On the {payer}'s own budget\n\n"));
        for s in sentences {
            o.push_str(&format!("- {s}\n"));
        }
    }
    o
}

/// A "Who pays" section for the HTML brief: the cost by payer and, with
/// `--payer`, what falls on that payer's own budget.
pub fn html_block(plan: &Plan) -> String {
    use crate::svg::esc;
    if plan.cost_by_payer.is_empty() {
        return String::new();
    }
    let mut o = String::from(
        "<section class=\"payers\">\n<h2>Who pays</h2>\n<p>The annual cost to close the gap by usual funder: each program's funders as the catalog lists them, with shares only where a source gives them. A row of several payers is <strong>split unknown</strong>: no source divides it, so it is not assigned to any of them.</p>\n<table>\n<thead><tr><th>Payer</th><th class=\"n\">Annual cost</th><th class=\"n\">Range</th><th class=\"n\">Share</th><th>Programs</th></tr></thead>\n<tbody>\n",
    );
    for [payer, cost, range, share, programs] in rows(plan, esc, true) {
        o.push_str(&format!(
            "<tr><td>{payer}</td><td class=\"n\">{cost}</td><td class=\"n\">{range}</td><td class=\"n\">{share}</td><td>{programs}</td></tr>\n"
        ));
    }
    o.push_str("</tbody>\n</table>\n");
    if let Some((payer, sentences)) = own_budget(plan, esc) {
        o.push_str(&format!("<h3>On the {payer}'s own budget</h3>\n<ul>"));
        for s in sentences {
            o.push_str(&format!("<li>{s}</li>"));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
    o
}
