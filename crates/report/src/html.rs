//! A self-contained HTML brief to hand to a council: headline figures,
//! charts, a paragraph per gap area, every assumption flagged, and a sources
//! and methodology appendix.
//!
//! The page needs no network: CSS and SVG are inline, fonts are the
//! system's, there is no script, and the only URLs are citation links in the
//! appendix. Markup is XHTML-compatible (every element closed, attributes
//! quoted, only the XML entities) so any XML parser can read it (the tests
//! parse it with `roxmltree`). Every string that comes from the user or a
//! catalog is escaped.

use crate::fmt::{count, money, money_full, money_range, percent, thousands};
use crate::narrative::{self, per_resident};
use crate::svg::{self, esc};
use safetygap_core::catalog::{Catalog, Cost, Scale};
use safetygap_core::drivers::{fmt_num, fmt_range, Basis};
use safetygap_core::plan::{Plan, ProgramKind, ProgramPlan};
use safetygap_core::quality::{Flag, FlagKind};
use safetygap_core::simulate::Simulation;
use safetygap_core::{Evidence, GapArea, Range3};
use std::fmt::Write as _;

/// An extra figure (usually a map) to include in the brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The SVG markup (from [`crate::map`] or [`crate::svg`]).
    pub svg: String,
    /// Caption under the figure, plain text (escaped when rendered).
    pub caption: String,
}

/// Choices for the brief.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlOptions {
    /// Extra figures, shown after the charts (e.g. a choropleth map).
    pub figures: Vec<Figure>,
    /// Add a locator map when the jurisdiction is a state or county GEOID.
    pub locator: bool,
    /// Monte Carlo percentiles for the plan (`--simulate`): shown as 90%
    /// intervals in the headline and as the charts' whiskers.
    pub simulation: Option<Simulation>,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions { figures: Vec::new(), locator: true, simulation: None }
    }
}

/// The brief's style sheet, inlined into its `<style>` element.
const CSS: &str = include_str!("brief.css");

/// Renders the brief. `catalog` supplies the citations for the appendix; it
/// should be the catalog the plan was computed with.
pub fn render(plan: &Plan, catalog: &Catalog, opts: &HtmlOptions) -> String {
    let mut o = String::with_capacity(96 * 1024);
    let name = esc(&plan.jurisdiction.name);
    let pop = plan.drivers.iter().find(|d| d.id == "population");
    let pop_v = pop.map_or(0.0, |d| d.value.mid);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<meta name=\"generator\" content=\"safetygap\" />\n<title>Safety gap brief: {name}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n"
    );

    // Header.
    let kind = esc(&plan.jurisdiction.kind);
    let id = if plan.jurisdiction.id == "custom" || plan.jurisdiction.id.is_empty() {
        String::new()
    } else {
        format!(" · GEOID {}", esc(&plan.jurisdiction.id))
    };
    let pop_src = pop.map(driver_source).unwrap_or_default();
    let _ = write!(
        o,
        "<header>\n<p class=\"eyebrow\">Safety gap brief</p>\n<h1>{name}</h1>\n<p class=\"meta\">{kind}{id} · {} residents ({pop_src}) · costs in {} dollars (CPI-U)</p>\n<p class=\"meta\">{}</p>\n</header>\n",
        thousands(pop_v),
        plan.dollar_year,
        esc(&crate::fmt::tier_sentence(plan))
    );

    // Headline cards.
    let t = &plan.totals;
    let _ = write!(
        o,
        "<section class=\"cards\" aria-label=\"Headline figures\">\n\
         <div class=\"card\"><div class=\"label\">Annual cost to close gap</div><div class=\"value\">{}</div><div class=\"sub\">range {}</div></div>\n\
         <div class=\"card\"><div class=\"label\">Per resident, per year</div><div class=\"value\">{}</div><div class=\"sub\">range {}–{}</div></div>\n\
         <div class=\"card\"><div class=\"label\">One-off start-up cost</div><div class=\"value\">{}</div><div class=\"sub\">range {}</div></div>\n\
         <div class=\"card\"><div class=\"label\">Need met today (by cost)</div><div class=\"value\">{}</div><div class=\"sub\">{}</div></div>\n\
         </section>\n",
        money(t.annual_cost.mid),
        money_range(t.annual_cost),
        per_resident(t.annual_cost_per_resident.mid),
        per_resident(t.annual_cost_per_resident.low),
        per_resident(t.annual_cost_per_resident.high),
        money(t.startup_cost.mid),
        money_range(t.startup_cost),
        percent(t.coverage),
        if t.lines_with_inventory == 0 {
            "existing not counted: no inventory given".to_string()
        } else {
            format!("of lines with an inventory ({} of {})", t.lines_with_inventory, t.lines)
        },
    );
    let flagged = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count();
    let _ = writeln!(
        o,
        "<p>Meeting the population-based benchmarks of the <em>Scaling Safety</em> report and the published standards in the catalog would cost {name} about <strong>{} a year</strong> more than it spends today (range {}), or <strong>{} per resident</strong>, across victim services, violence prevention, behavioral health and reentry. Ranges come from the low and high ends of each benchmark's ratio and unit cost; they are not confidence intervals. {flagged} of {} program lines rest on at least one assumption, marked <span class=\"warn\">⚠</span>.</p>",
        money_full(t.annual_cost.mid),
        money_range(t.annual_cost),
        per_resident(t.annual_cost_per_resident.mid),
        plan.programs.len()
    );

    // Coverage by gap area.
    o.push_str("<table class=\"areas\">\n<thead><tr><th>Gap area</th><th class=\"n\">Annual cost to close the gap</th><th class=\"n\">Range</th><th class=\"n\">Per resident</th><th class=\"n\">Need met today<br /><span class=\"range\">of lines with an inventory</span></th><th class=\"n\">Lines with ⚠</th></tr></thead>\n<tbody>\n");
    for a in &plan.gap_areas {
        let lines = plan.programs.iter().filter(|p| p.gap_area == a.gap_area);
        let (n, f) = lines.fold((0, 0), |(n, f), p| (n + 1, f + usize::from(!p.assumptions.is_empty())));
        let _ = writeln!(
            o,
            "<tr><td><span class=\"dot\" style=\"background:{}\"></span>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td><td class=\"n\">{f} of {n}</td></tr>",
            svg::area_color(a.gap_area),
            a.gap_area.title(),
            money_full(a.totals.annual_cost.mid),
            money_range(a.totals.annual_cost),
            per_resident(a.totals.annual_cost_per_resident.mid),
            percent(a.totals.coverage),
            coverage_bar(a.totals.coverage)
        );
    }
    let _ = write!(
        o,
        "<tr class=\"total\"><td>Total</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td><td class=\"n\">{flagged} of {}</td></tr>\n</tbody>\n</table>\n",
        money_full(t.annual_cost.mid),
        money_range(t.annual_cost),
        per_resident(t.annual_cost_per_resident.mid),
        percent(t.coverage),
        coverage_bar(t.coverage),
        plan.programs.len()
    );
    let sim = opts.simulation.as_ref();
    if let Some(sm) = sim {
        let q = sm.totals.annual_cost;
        let qr = sm.totals.annual_cost_per_resident;
        let _ = writeln!(
            o,
            "<p>A Monte Carlo simulation of every ranged input ({} draws, {} distribution, seed {}) puts the annual cost between <strong>{}</strong> and <strong>{}</strong> in 90% of draws (5th–95th percentile; median {}), or {}–{} per resident.</p>",
            thousands(sm.draws as f64),
            esc(&sm.distribution),
            sm.seed,
            money(q.p5),
            money(q.p95),
            money(q.p50),
            per_resident(qr.p5),
            per_resident(qr.p95)
        );
    }
    let whisker_caption = if sim.is_some() {
        "Central estimate with the simulated 5th–95th percentile. Costs are annual, in the plan's one dollar year (CPI-U)."
    } else {
        "Central estimate with its low–high range. Costs are annual, in the plan's one dollar year (CPI-U)."
    };
    figure(&mut o, &svg::cost_by_area_sim(plan, sim), whisker_caption);
    data_quality(&mut o, plan);
    o.push_str(&crate::payers::html_block(plan));

    // Details by gap area.
    o.push_str("<div class=\"details\">\n");
    for area in GapArea::ALL {
        area_section(&mut o, plan, area);
    }
    o.push_str("<h2>Charts</h2>\n");
    figure(
        &mut o,
        &svg::need_vs_existing(plan),
        "Each program's need is 100% at its central estimate, so beds, staff and centers share one axis; whiskers show the low–high need.",
    );
    figure(&mut o, &svg::cost_by_program_sim(plan, sim), "Annual cost to close each program's gap, largest first, coloured by gap area.");
    for f in &opts.figures {
        figure(&mut o, &f.svg, &f.caption);
    }
    if opts.locator {
        if let Some(m) = crate::map::locator(&plan.jurisdiction.id, &plan.jurisdiction.name) {
            figure(&mut o, &m, "Boundaries: U.S. Census Bureau 2023 cartographic boundaries via us-atlas-2023 4.0.0 (ISC).");
        }
    }
    drivers_section(&mut o, plan);
    o.push_str("</div>\n");

    appendix(&mut o, plan, catalog);
    let _ = write!(
        o,
        "<footer>Computed by safetygap with catalog {} (input {}). Every figure's derivation: <code>safetygap explain ID</code>. Print or save as PDF from the browser; the layout fits Letter and A4.</footer>\n</main>\n</body>\n</html>\n",
        esc(&plan.catalog_version),
        esc(&plan.input_hash)
    );
    o
}

fn coverage_bar(c: Option<f64>) -> String {
    let w = (c.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0).round();
    format!("<span class=\"cov\" aria-hidden=\"true\"><span style=\"width:{w:.0}%\"></span></span>")
}

fn figure(o: &mut String, svg_markup: &str, caption: &str) {
    // Inline SVG in HTML needs no namespace declaration; dropping it keeps
    // the page free of URLs outside the citations.
    let inline = svg_markup.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
    let _ = write!(o, "<figure>\n{inline}\n<figcaption>{}</figcaption>\n</figure>\n", esc(caption));
}

fn driver_source(d: &safetygap_core::drivers::ResolvedDriver) -> String {
    let mut s = esc(&d.source);
    if let Some(v) = &d.vintage {
        let _ = write!(s, ", {}", esc(v));
    }
    s
}

fn evidence_html(e: Evidence) -> String {
    if e == Evidence::Assumption {
        "<span class=\"a\">assumption</span>".into()
    } else {
        e.to_string()
    }
}

/// An assumption in words without the repeated program name prefix.
fn short_assumption<'a>(p: &ProgramPlan, a: &'a str) -> &'a str {
    a.strip_prefix(p.name.as_str()).and_then(|r| r.strip_prefix(": ")).unwrap_or(a)
}

/// A data-quality flag in words for the line it is on.
fn flag_words(f: &Flag) -> String {
    match f.kind {
        FlagKind::EstimatedDriver => format!("estimated driver: {}", f.detail.replacen(" estimated: ", " = ", 1)),
        FlagKind::SmallNumbers => format!("small numbers: {}; yearly counts this small swing widely", f.detail),
        FlagKind::OldVintage => format!("old figure: {}", f.detail),
        FlagKind::Assumption => f.detail.clone(),
        FlagKind::ExistingNotCounted => "existing not counted (no inventory line)".into(),
    }
}

fn area_section(o: &mut String, plan: &Plan, area: GapArea) {
    let lines: Vec<&ProgramPlan> = plan.programs.iter().filter(|p| p.gap_area == area).collect();
    if lines.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<section class=\"area\" id=\"{}\">\n<h2 class=\"area-head\"><span class=\"dot\" style=\"background:{}\"></span>{}</h2>\n<p>{}</p>\n",
        area.as_str(),
        svg::area_color(area),
        area.title(),
        esc(&narrative::area_paragraph(plan, area))
    );
    o.push_str("<table class=\"programs\">\n<thead><tr><th>Program</th><th>Grade<br /><span class=\"range\">overall</span></th><th class=\"n\">Need</th><th class=\"n\">Whole units</th><th class=\"n\">Exists</th><th class=\"n\">Gap</th><th class=\"n\">Annual cost</th></tr></thead>\n<tbody>\n");
    for p in &lines {
        let warn = if p.assumptions.is_empty() {
            String::new()
        } else {
            " <span class=\"warn\" title=\"rests on an assumption\">⚠</span>".into()
        };
        // Assumptions and other data-quality flags get their own
        // full-width row under the line.
        let data_flags: Vec<&Flag> = plan
            .quality
            .lines
            .iter()
            .filter(|l| l.id == p.id)
            .flat_map(|l| &l.flags)
            .filter(|f| f.kind != FlagKind::Assumption && f.kind != FlagKind::ExistingNotCounted)
            .collect();
        let mut list = String::new();
        if !p.assumptions.is_empty() || !data_flags.is_empty() {
            list.push_str("<tr class=\"assume-row\"><td colspan=\"7\"><ul class=\"assume\">");
            for a in &p.assumptions {
                let _ = write!(list, "<li>⚠ {}</li>", esc(short_assumption(p, a)));
            }
            for f in data_flags {
                let _ = write!(list, "<li class=\"dq\">◦ {}</li>", esc(&flag_words(f)));
            }
            list.push_str("</ul></td></tr>");
        }
        let row_class = if list.is_empty() { "" } else { " class=\"flagged\"" };
        let existing_src = match &p.existing_source {
            Some(s) => format!("<span class=\"range srcnote\">{}{}</span>", esc(s), if p.existing_verified { " (verified)" } else { "" }),
            None => String::new(),
        };
        let ev = format!(
            "<span class=\"ev\"><strong>{}</strong><br /><span class=\"range\">need {} / cost {}</span></span>",
            evidence_html(p.grade),
            evidence_html(p.evidence),
            evidence_html(p.cost_evidence)
        );
        let cost = format!(
            "{}<span class=\"range\">{}</span>",
            money_full(p.annual_cost.mid),
            if p.annual_cost.low < p.annual_cost.high { money_range(p.annual_cost) } else { String::new() }
        );
        if p.kind == ProgramKind::Addon {
            let _ = writeln!(
                o,
                "<tr{row_class}><td>{}{warn}</td><td>{ev}</td><td class=\"n\">{:.0}% of base cost</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\">{cost}</td></tr>{list}",
                esc(&p.name),
                p.share.map_or(0.0, |s| s.mid) * 100.0
            );
        } else {
            let need_range = count_range(p.need);
            let _ = writeln!(
                o,
                "<tr{row_class}><td>{}{warn}</td><td>{ev}</td><td class=\"n\">{} {}{need_range}</td><td class=\"n\">{}</td><td class=\"n\">{}{existing_src}</td><td class=\"n\">{}</td><td class=\"n\">{cost}</td></tr>{list}",
                esc(&p.name),
                count(p.need.mid),
                esc(&p.unit),
                match &p.shared {
                    Some(s) => format!("share {}<span class=\"range\">of a unit run by {}</span>", count(s.share), esc(&s.host)),
                    None => p.need_whole.map(count).unwrap_or_default(),
                },
                if p.existing_counted { count(p.existing) } else { "<span class=\"range\">not counted</span>".into() },
                count(p.gap.mid)
            );
        }
    }
    if let Some(sub) = plan.gap_areas.iter().find(|a| a.gap_area == area) {
        let _ = writeln!(
            o,
            "<tr class=\"total\"><td>Subtotal</td><td></td><td></td><td></td><td></td><td></td><td class=\"n\">{}<span class=\"range\">{}</span></td></tr>",
            money_full(sub.totals.annual_cost.mid),
            money_range(sub.totals.annual_cost)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn data_quality(o: &mut String, plan: &Plan) {
    let mut items: Vec<String> = Vec::new();
    let q = &plan.quality;
    for r in &q.reasons {
        items.push(esc(r));
    }
    let flagged = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count();
    if flagged > 0 {
        items.push(format!(
            "<span class=\"warn\">⚠</span> {flagged} of {} lines rest on at least one assumption with no published figure; each is listed under its line below. Replace them with local figures before budgeting.",
            plan.programs.len()
        ));
    }
    let assumed_drivers: Vec<String> = plan
        .drivers
        .iter()
        .filter(|d| d.basis == Basis::Estimated && d.evidence == Some(Evidence::Assumption))
        .map(|d| esc(&d.name.to_lowercase()))
        .collect();
    if !assumed_drivers.is_empty() {
        items.push(format!("<span class=\"warn\">⚠</span> Driver estimates resting on an assumed factor: {}.", assumed_drivers.join("; ")));
    }
    let benchmarks: Vec<&ProgramPlan> = plan.programs.iter().filter(|p| p.kind == ProgramKind::Benchmark).collect();
    let counted = benchmarks.iter().filter(|p| p.existing_source.is_some() || p.existing > 0.0).count();
    if counted == 0 {
        items.push("No inventory of existing programs was given, so the whole need is counted as the gap.".into());
    } else {
        let unverified = benchmarks.iter().filter(|p| (p.existing_source.is_some() || p.existing > 0.0) && !p.existing_verified).count();
        if unverified > 0 {
            items.push(format!(
                "{unverified} of {counted} existing counts {} not marked verified.",
                if unverified == 1 { "is" } else { "are" }
            ));
        }
    }
    if items.is_empty() && q.grade == 0 {
        return;
    }
    o.push_str("<div class=\"note\"><strong>Read with care</strong>");
    if q.grade > 0 {
        let _ = write!(
            o,
            " · data quality <span class=\"grade g{}\">{} of 3: {}</span> <span class=\"range\" style=\"display:inline\">(1 fine, 2 use with care, 3 do not act on this alone)</span>",
            q.grade,
            q.grade,
            esc(&q.label)
        );
    }
    o.push_str("<ul>");
    for i in items {
        let _ = write!(o, "<li>{i}</li>");
    }
    o.push_str("</ul></div>\n");
}

/// "low–high" in a small grey span after a count, or nothing when the
/// range is a point.
fn count_range(r: Range3) -> String {
    if r.low < r.high {
        format!("<span class=\"range\">{}–{}</span>", count(r.low), count(r.high))
    } else {
        String::new()
    }
}

fn drivers_section(o: &mut String, plan: &Plan) {
    o.push_str(
        "<h2>Drivers</h2>\n<p>What the benchmarks scale with. A local figure replaces the default estimate wherever one is given.</p>\n",
    );
    o.push_str("<table>\n<thead><tr><th>Driver</th><th class=\"n\">Value</th><th>Given or estimated</th><th>Source and vintage</th></tr></thead>\n<tbody>\n");
    for d in &plan.drivers {
        let basis = match d.basis {
            Basis::Given => "given",
            Basis::Estimated => "estimated",
        };
        let warn = if d.basis == Basis::Estimated && d.evidence == Some(Evidence::Assumption) {
            " <span class=\"warn\" title=\"rests on an assumption\">⚠</span>"
        } else {
            ""
        };
        let range = count_range(d.value);
        let _ = writeln!(
            o,
            "<tr><td>{}{warn}<span class=\"range\">{} · {}</span></td><td class=\"n\">{}{range}</td><td>{basis}</td><td>{}</td></tr>",
            esc(&d.name),
            esc(&d.id),
            esc(&d.unit),
            count(d.value.mid),
            driver_source(d)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

/// Escapes text and turns http(s) URLs into links (appendix only).
fn linkify(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        out.push_str(&esc(&rest[..i]));
        let tail = &rest[i..];
        let mut end = tail.find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"').unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ')', ':']) {
            end -= 1;
        }
        let url = &tail[..end];
        let _ = write!(out, "<a href=\"{}\">{}</a>", esc(url), esc(url));
        rest = &tail[end..];
    }
    out.push_str(&esc(rest));
    out
}

fn citations(o: &mut String, cites: &[String]) {
    if cites.is_empty() {
        return;
    }
    o.push_str("<ol>");
    for c in cites {
        let _ = write!(o, "<li>{}</li>", linkify(c));
    }
    o.push_str("</ol>");
}

/// "$670,000–$1,500,000 (mid $1,000,000)" or "$40,000".
fn money_range_full(r: safetygap_core::Range3) -> String {
    if r.low == r.high {
        money_full(r.mid)
    } else {
        format!("{}–{} (mid {})", money_full(r.low), money_full(r.high), money_full(r.mid))
    }
}

/// A ratio's "per": 100,000 rather than 100000.
fn per_text(per: f64) -> String {
    if per >= 1000.0 && per.fract() == 0.0 {
        thousands(per)
    } else {
        fmt_num(per)
    }
}

fn cost_html(o: &mut String, label: &str, per: &str, c: &Cost) {
    let warn = if c.evidence == Evidence::Assumption { " <span class=\"warn\">⚠ assumption</span>" } else { "" };
    let _ =
        write!(o, "<p><strong>{label}:</strong> {} {per} ({} dollars; evidence: {}){warn}", money_range_full(c.amount), c.year, c.evidence);
    if let Some(n) = &c.note {
        let _ = write!(o, "<br />Basis: {}", linkify(n));
    }
    o.push_str("</p>");
    citations(o, &c.citations);
}

fn appendix(o: &mut String, plan: &Plan, catalog: &Catalog) {
    o.push_str("<section class=\"appendix\">\n<h2>Sources and methodology</h2>\n");
    o.push_str(
        "<p>For every program: <strong>need</strong> = driver × ratio ÷ per (or driver ÷ caseload), as low / mid / high; \
<strong>whole units</strong> = mid need rounded half up; <strong>gap</strong> = max(0, need − what exists); \
<strong>annual cost</strong> = gap × annual cost per unit (low × low, mid × mid, high × high) in the plan's one dollar year (CPI-U); \
<strong>start-up cost</strong> = gap × start-up cost per unit; <strong>add-ons</strong> are a share of the programs they support; \
<strong>need met today</strong> = 1 − gap cost ÷ need cost. Evidence grades: <em>report</em> (stated in <em>Scaling Safety</em>, \
Alliance for Safety and Justice, 2022), <em>published</em> (a published standard or study), <em>derived</em> (our arithmetic \
from a published worked example), <em>assumption</em> (a placeholder with no published figure, marked ⚠).</p>\n",
    );
    for area in GapArea::ALL {
        let lines: Vec<&ProgramPlan> = plan.programs.iter().filter(|p| p.gap_area == area).collect();
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(o, "<h3>{}</h3>", area.title());
        for p in lines {
            let warn = if p.assumptions.is_empty() { "" } else { " <span class=\"warn\">⚠</span>" };
            if let Some(b) = catalog.benchmark(&p.id) {
                let formula = match &b.scale {
                    Scale::Ratio { per, units } => format!("{} {} per {} {}", fmt_range(*units), b.unit, per_text(*per), b.driver),
                    Scale::Caseload { caseload } => format!("one of {} per {} {} (caseload)", b.unit, fmt_range(*caseload), b.driver),
                };
                o.push_str("<div class=\"src\">");
                let _ = write!(
                    o,
                    "<p><strong>{}</strong>{warn} <span class=\"formula\">({})</span><br />Need: <span class=\"formula\">{}</span> (evidence: {})</p>",
                    esc(&b.name),
                    esc(&b.id),
                    esc(&formula),
                    b.evidence
                );
                citations(o, &b.citations);
                cost_html(o, "Annual cost", "a year per unit", &b.annual_cost);
                if let Some(s) = &b.startup_cost {
                    cost_html(o, "Start-up cost", "per new unit", s);
                }
                o.push_str("</div>");
            } else if let Some(a) = catalog.addon(&p.id) {
                let of: Vec<String> = a.of.iter().map(|id| catalog.benchmark(id).map_or(id.clone(), |b| b.name.clone())).collect();
                o.push_str("<div class=\"src\">");
                let _ = write!(
                    o,
                    "<p><strong>{}</strong>{warn} <span class=\"formula\">({})</span><br />Cost: {} of the annual cost of {} (evidence: {})</p>",
                    esc(&a.name),
                    esc(&a.id),
                    esc(&fmt_range(a.share)),
                    esc(&narrative::join_and(&of)),
                    a.evidence
                );
                citations(o, &a.citations);
                o.push_str("</div>");
            } else {
                let _ =
                    write!(o, "<p><strong>{}</strong>{warn} ({}): not in the catalog given to the report.</p>", esc(&p.name), esc(&p.id));
            }
        }
    }
    let estimated: Vec<_> = plan.drivers.iter().filter(|d| d.is_catalog_estimate()).collect();
    if !estimated.is_empty() {
        o.push_str("<h3>Driver estimates used</h3>");
        for d in estimated {
            let Some(def) = catalog.driver(&d.id) else { continue };
            let _ = write!(
                o,
                "<p><strong>{}</strong> <span class=\"formula\">({})</span><br />{}</p><ol>",
                esc(&def.name),
                esc(&def.id),
                esc(d.source.trim_start_matches("estimated: "))
            );
            for f in def.active_terms_in(&plan.drivers).flat_map(|t| &t.factors) {
                let warn = if f.evidence == Evidence::Assumption { " <span class=\"warn\">⚠ assumption</span>" } else { "" };
                for c in &f.citations {
                    let _ = write!(o, "<li>{}: {}{warn}</li>", esc(&f.name), linkify(c));
                }
            }
            o.push_str("</ol>");
        }
    }
    o.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_only_urls() {
        assert_eq!(
            linkify("see https://example.org/a?b=1&c=2. Then <x>"),
            "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>. Then &lt;x&gt;"
        );
        assert_eq!(linkify("no link"), "no link");
    }
}
