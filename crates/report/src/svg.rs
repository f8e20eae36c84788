//! Inline SVG charts for the HTML brief: cost by gap area, cost by program
//! and need against what exists, each with low–high range bars.
//!
//! Charts are plain strings of XHTML-compatible SVG (every tag closed, every
//! attribute quoted, only the five XML entities), sized by a `viewBox` so
//! they scale to the page and print sharply. Text is escaped with [`esc`].

use crate::fmt::{count, money};
use safetygap_core::plan::{Plan, ProgramKind};
use safetygap_core::simulate::{Percentiles, Simulation};
use safetygap_core::{GapArea, Range3};
use std::fmt::Write as _;

/// Font stack used in every chart: system fonts only, nothing fetched.
pub const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// Escapes text for XML/HTML content and double- or single-quoted
/// attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0; drop them.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The colour that stands for a gap area in every chart and table.
pub fn area_color(a: GapArea) -> &'static str {
    match a {
        GapArea::VictimServices => "#3b6ea8",
        GapArea::ViolencePrevention => "#d9822b",
        GapArea::BehavioralHealth => "#3f8f5a",
        GapArea::Reentry => "#8a5a9e",
    }
}

/// Shortens text to `max` characters with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t = t.trim_end().to_string();
        t.push('…');
        t
    }
}

/// A "nice" axis step (1, 2 or 5 × 10^k) giving about `ticks` intervals.
pub fn nice_step(max: f64, ticks: usize) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Approximate width of text in a sans-serif font (average glyph ≈ 0.58 em).
pub fn text_width(s: &str, font_size: f64) -> f64 {
    s.chars().count() as f64 * font_size * 0.58
}

/// One horizontal bar with an optional low–high range.
struct Bar {
    label: String,
    tooltip: String,
    value: Range3,
    color: &'static str,
    note: String,
}

const W: f64 = 720.0;

/// Most grid lines on a money axis.
const MAX_TICKS: usize = 12;

/// Draws horizontal bars with range whiskers, a money axis and labels.
fn bar_chart(title: &str, desc: &str, bars: &[Bar], label_w: f64, row_h: f64) -> String {
    let top = 34.0;
    // Room for the longest value label right of the longest bar.
    let note_w = bars.iter().map(|b| text_width(&b.note, 12.0)).fold(60.0, f64::max).min(260.0) + 12.0;
    let plot_x = label_w + 10.0;
    let plot_w = W - plot_x - note_w;
    let h = top + row_h * bars.len() as f64 + 30.0;
    // Geometry never grows with a value: non-finite figures draw no axis,
    // and the grid has at most MAX_TICKS lines whatever the scale (a step
    // below the float spacing of the axis once looped without end).
    let max = bars.iter().map(|b| b.value.high.max(b.value.mid)).filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    let step = nice_step(max, 4);
    let axis_max = if max > 0.0 { (max / step).ceil() * step } else { 1.0 };
    let (step, axis_max) = if step.is_finite() && axis_max.is_finite() && step > 0.0 { (step, axis_max) } else { (1.0, 1.0) };
    let ticks = ((axis_max / step).round() as usize).min(MAX_TICKS);
    let x = |v: f64| plot_x + plot_w * (v / axis_max).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}" font-family="{FONT}" font-size="12">"#,
        esc(title)
    );
    let _ = write!(s, "<title>{}</title><desc>{}</desc>", esc(title), esc(desc));
    let _ = write!(s, r##"<text x="0" y="16" font-size="14" font-weight="600" fill="#1d2733">{}</text>"##, esc(title));
    // Grid and axis.
    for i in 0..=ticks {
        let t = step * i as f64;
        let gx = x(t);
        let _ = write!(
            s,
            r##"<line x1="{gx:.1}" y1="{top:.1}" x2="{gx:.1}" y2="{:.1}" stroke="#dfe3e8" stroke-width="1" /><text x="{gx:.1}" y="{:.1}" text-anchor="middle" fill="#5b6773" font-size="11">{}</text>"##,
            h - 26.0,
            h - 10.0,
            esc(&tick_money(t))
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let bh = (row_h * 0.56).min(18.0);
        let by = y + (row_h - bh) / 2.0;
        let cy = y + row_h / 2.0;
        let _ = write!(
            s,
            r##"<g><title>{}</title><text x="{label_w:.1}" y="{:.1}" text-anchor="end" fill="#1d2733">{}</text>"##,
            esc(&b.tooltip),
            cy + 4.0,
            esc(&b.label)
        );
        let _ = write!(
            s,
            r#"<rect x="{plot_x:.1}" y="{by:.1}" width="{:.1}" height="{bh:.1}" fill="{}" rx="2" />"#,
            (x(b.value.mid) - plot_x).max(if b.value.mid > 0.0 { 1.0 } else { 0.0 }),
            b.color
        );
        if b.value.high > b.value.low {
            let (x1, x2) = (x(b.value.low), x(b.value.high));
            range_whisker(&mut s, x1, x2, cy);
        }
        let nx = x(b.value.high.max(b.value.mid)) + 6.0;
        let _ = write!(s, r##"<text x="{nx:.1}" y="{:.1}" fill="#1d2733">{}</text></g>"##, cy + 4.0, esc(&b.note));
    }
    s.push_str("</svg>");
    s
}

/// Annual cost to close the gap in each gap area, with its low–high range.
pub fn cost_by_area(plan: &Plan) -> String {
    cost_by_area_sim(plan, None)
}

/// Whiskers for one figure: the simulated 5th–95th percentiles when there
/// is a simulation, else the catalog's low–high range; the bar stays the
/// plan's central estimate.
fn whiskers(mid: f64, range: Range3, sim: Option<Percentiles>) -> Range3 {
    match sim {
        Some(q) => Range3::new(q.p5, mid, q.p95),
        None => Range3::new(range.low, mid, range.high),
    }
}

fn whisker_words(sim: bool) -> &'static str {
    if sim {
        "whiskers: simulated 5th to 95th percentile"
    } else {
        "whiskers: low to high range"
    }
}

/// Cost by gap area; with a simulation the whiskers are its 5th–95th
/// percentiles.
pub fn cost_by_area_sim(plan: &Plan, sim: Option<&Simulation>) -> String {
    let bars: Vec<Bar> = plan
        .gap_areas
        .iter()
        .map(|a| {
            let q = sim.and_then(|s| s.gap_areas.iter().find(|x| x.gap_area == a.gap_area)).map(|x| x.totals.annual_cost);
            let c = whiskers(a.totals.annual_cost.mid, a.totals.annual_cost, q);
            Bar {
                label: a.gap_area.title().to_string(),
                tooltip: format!(
                    "{}: {} a year ({} {}–{})",
                    a.gap_area.title(),
                    money(c.mid),
                    if q.is_some() { "P5–P95" } else { "range" },
                    money(c.low),
                    money(c.high)
                ),
                value: c,
                color: area_color(a.gap_area),
                note: range_note(c),
            }
        })
        .collect();
    let desc = format!("Horizontal bars: central estimate; {}.", whisker_words(sim.is_some()));
    bar_chart("Annual cost to close the gap, by gap area", &desc, &bars, 150.0, 34.0)
}

/// Annual cost to close the gap for every program line with a cost,
/// largest first.
pub fn cost_by_program(plan: &Plan) -> String {
    cost_by_program_sim(plan, None)
}

/// Cost by program; with a simulation the whiskers are its 5th–95th
/// percentiles.
pub fn cost_by_program_sim(plan: &Plan, sim: Option<&Simulation>) -> String {
    let mut lines: Vec<_> = plan.programs.iter().filter(|p| p.annual_cost.high > 0.0).collect();
    lines.sort_by(|a, b| b.annual_cost.mid.total_cmp(&a.annual_cost.mid).then_with(|| a.id.cmp(&b.id)));
    let bars: Vec<Bar> = lines
        .iter()
        .map(|p| {
            let flag = if p.assumptions.is_empty() { "" } else { " ⚠" };
            let q = sim.and_then(|s| s.program(&p.id)).map(|x| x.annual_cost);
            let c = whiskers(p.annual_cost.mid, p.annual_cost, q);
            Bar {
                label: format!("{}{flag}", truncate(&p.name, 36)),
                tooltip: format!(
                    "{} ({}): {} a year ({} {}–{})",
                    p.name,
                    p.gap_area.title(),
                    money(c.mid),
                    if q.is_some() { "P5–P95" } else { "range" },
                    money(c.low),
                    money(c.high)
                ),
                value: c,
                color: area_color(p.gap_area),
                note: range_note(c),
            }
        })
        .collect();
    let desc =
        format!("Bars coloured by gap area: central estimate; {}. ⚠ marks lines resting on an assumption.", whisker_words(sim.is_some()));
    bar_chart("Annual cost to close the gap, by program", &desc, &bars, 270.0, 22.0)
}

/// Axis money: $0, $50M, $2.5M, $1B (no trailing ".0").
fn tick_money(v: f64) -> String {
    money(v).replace(".0M", "M").replace(".00B", "B").replace(".50B", ".5B")
}

fn range_note(r: Range3) -> String {
    if r.high > r.low {
        format!("{} ({}–{})", money(r.mid), money(r.low), money(r.high))
    } else {
        money(r.mid)
    }
}

/// Need against what exists for every benchmark line, as a share of the
/// central need (so programs counted in beds, staff and centers share one
/// axis). The grey bar is the central need (100%), whiskers its low–high
/// range, the dark bar what exists.
pub fn need_vs_existing(plan: &Plan) -> String {
    let lines: Vec<_> = plan.programs.iter().filter(|p| p.kind == ProgramKind::Benchmark && p.need.mid > 0.0).collect();
    let label_w = 270.0;
    let note_w = 170.0;
    let top = 58.0;
    let row_h = 22.0;
    let plot_x = label_w + 10.0;
    let plot_w = W - plot_x - note_w;
    let h = top + row_h * lines.len() as f64 + 30.0;
    let max_ratio = lines.iter().map(|p| (p.need.high / p.need.mid).max(p.existing / p.need.mid)).fold(1.0_f64, f64::max).min(2.0);
    let axis_max = (max_ratio * 4.0).ceil() / 4.0;
    let x = |v: f64| plot_x + plot_w * (v / axis_max).clamp(0.0, 1.0);
    let title = "Need and what exists, by program";
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{title}" font-family="{FONT}" font-size="12">"#
    );
    let _ =
        write!(s, "<title>{title}</title><desc>For each program, what exists as a share of the central need; whiskers show the low to high need range.</desc>");
    let _ = write!(s, r##"<text x="0" y="16" font-size="14" font-weight="600" fill="#1d2733">{title}</text>"##);
    // Legend.
    let _ = write!(
        s,
        r##"<g font-size="11" fill="#1d2733"><rect x="0" y="28" width="14" height="10" fill="#c9d1da" /><text x="19" y="37">need (central estimate = 100%)</text><path d="M205,28V38M205,33H225M225,28V38" stroke="#1d2733" stroke-width="1.3" fill="none" /><text x="231" y="37">need range (low–high)</text><rect x="370" y="28" width="14" height="10" fill="#1f4e79" /><text x="389" y="37">exists now</text></g>"##
    );
    let axis_max = if axis_max.is_finite() && axis_max > 0.0 { axis_max } else { 1.0 };
    for i in 0..=((axis_max / 0.25).round() as usize).min(8) {
        let t = 0.25 * i as f64;
        let gx = x(t);
        let stroke = if (t - 1.0).abs() < 1e-9 { "#7a8793" } else { "#dfe3e8" };
        let _ = write!(
            s,
            r##"<line x1="{gx:.1}" y1="{top:.1}" x2="{gx:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="1" /><text x="{gx:.1}" y="{:.1}" text-anchor="middle" fill="#5b6773" font-size="11">{:.0}%</text>"##,
            h - 26.0,
            h - 10.0,
            t * 100.0
        );
    }
    for (i, p) in lines.iter().enumerate() {
        let y = top + row_h * i as f64;
        let cy = y + row_h / 2.0;
        let bh = 12.0;
        let by = cy - bh / 2.0;
        let flag = if p.assumptions.is_empty() { "" } else { " ⚠" };
        let unit = &p.unit;
        let have = p.existing / p.need.mid;
        let note = if p.existing > 0.0 {
            format!("{} of {} {unit} ({:.0}%)", count(p.existing), count(p.need.mid), have * 100.0)
        } else {
            format!("0 of {} {unit}", count(p.need.mid))
        };
        let tooltip = format!(
            "{}: need {} {unit} (range {}–{}), exists {}",
            p.name,
            count(p.need.mid),
            count(p.need.low),
            count(p.need.high),
            count(p.existing)
        );
        let _ = write!(
            s,
            r##"<g><title>{}</title><text x="{label_w:.1}" y="{:.1}" text-anchor="end" fill="#1d2733">{}{flag}</text>"##,
            esc(&tooltip),
            cy + 4.0,
            esc(&truncate(&p.name, 36))
        );
        let _ = write!(s, r##"<rect x="{plot_x:.1}" y="{by:.1}" width="{:.1}" height="{bh:.1}" fill="#c9d1da" />"##, x(1.0) - plot_x);
        if have > 0.0 {
            let _ = write!(
                s,
                r##"<rect x="{plot_x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#1f4e79" />"##,
                by + 2.0,
                (x(have) - plot_x).max(1.0),
                bh - 4.0
            );
        }
        if p.need.high > p.need.low {
            let (x1, x2) = (x(p.need.low / p.need.mid), x(p.need.high / p.need.mid));
            range_whisker(&mut s, x1, x2, cy);
        }
        let nx = x(axis_max) + 6.0;
        let _ =
            write!(s, r##"<text x="{nx:.1}" y="{:.1}" fill="#1d2733" font-size="11">{}</text></g>"##, cy + 4.0, esc(&truncate(&note, 30)));
    }
    s.push_str("</svg>");
    s
}

/// A low–high whisker: a horizontal line from `x1` to `x2` at height `cy`
/// with a short upright at each end.
fn range_whisker(s: &mut String, x1: f64, x2: f64, cy: f64) {
    let _ = write!(
        s,
        r##"<path d="M{x1:.1},{:.1}V{:.1}M{x1:.1},{cy:.1}H{x2:.1}M{x2:.1},{:.1}V{:.1}" stroke="#1d2733" stroke-width="1.3" fill="none" />"##,
        cy - 5.0,
        cy + 5.0,
        cy - 5.0,
        cy + 5.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(esc("bell\u{7}"), "bell");
    }

    /// Issue 12 row 1: a plan whose costs overflowed to infinity grew the
    /// grid loop until a 4.5 GB allocation aborted the server.
    #[test]
    fn chart_geometry_is_bounded_for_any_value() {
        for v in [f64::INFINITY, f64::NAN, 1e300, f64::MAX, 1e-300, 5e15 + 1.0] {
            let bars = [Bar { label: "a".into(), tooltip: "t".into(), value: Range3::new(0.0, v, v), color: "#000", note: "n".into() }];
            let svg = bar_chart("t", "d", &bars, 100.0, 20.0);
            assert!(svg.len() < 20_000, "{v}: {} bytes", svg.len());
            assert!(svg.matches("<line").count() <= MAX_TICKS + 1, "{v}");
        }
    }

    #[test]
    fn steps_are_nice() {
        assert_eq!(nice_step(100.0, 4), 50.0);
        assert_eq!(nice_step(63.0e6, 4), 20.0e6);
        assert_eq!(nice_step(0.0, 4), 1.0);
        assert_eq!(tick_money(50.0e6), "$50M");
        assert_eq!(tick_money(2.5e6), "$2.5M");
        assert_eq!(tick_money(0.0), "$0");
    }
}
