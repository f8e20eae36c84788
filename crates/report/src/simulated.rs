//! Simulated percentile intervals (`plan --simulate N`): an extra section for
//! the table and Markdown, a `simulation` object in the JSON and a CSV of
//! percentiles. Plans without a simulation render exactly as before.

use crate::fmt::{count, fit, money, thousands};
use crate::markdown::esc;
use safetygap_core::plan::{Plan, ProgramKind};
use safetygap_core::simulate::{Percentiles, Simulation};
use safetygap_core::GapArea;

/// "$1.2M–$3.4M", or one figure when there is no spread.
pub fn money_interval(q: Percentiles) -> String {
    let (lo, hi) = (money(q.p5), money(q.p95));
    if lo == hi {
        lo
    } else {
        format!("{lo}–{hi}")
    }
}

/// "1.2–3.4", or one figure when there is no spread.
pub fn count_interval(q: Percentiles) -> String {
    let (lo, hi) = (count(q.p5), count(q.p95));
    if lo == hi {
        lo
    } else {
        format!("{lo}–{hi}")
    }
}

fn header(sim: &Simulation) -> String {
    format!(
        "{} draws, seed {}; every ranged input drawn from a PERT distribution over its low / mid / high ({} ranged inputs), point inputs fixed; percentiles by nearest rank",
        thousands(sim.draws as f64),
        sim.seed,
        sim.ranged_inputs
    )
}

/// The JSON plan with a `simulation` object added.
pub fn json(plan: &Plan, sim: &Simulation) -> String {
    let mut s = serde_json::to_string_pretty(&value(plan, sim)).unwrap_or_default();
    s.push('\n');
    s
}

/// The plan's JSON value with its `simulation` object added.
pub fn value(plan: &Plan, sim: &Simulation) -> serde_json::Value {
    let mut v = crate::json::value(plan);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("simulation".into(), serde_json::to_value(sim).unwrap_or(serde_json::Value::Null));
    }
    v
}

/// A terminal section with P50 and the 90% interval (P5–P95) per line.
pub fn table_section(plan: &Plan, sim: &Simulation) -> String {
    let mut out = String::from("\nSIMULATION\n");
    let mut line = String::new();
    for word in header(sim).split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 79 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push_str(".\n");
    out.push_str(&format!(
        "Annual cost to close the gap: P50 {} a year, 90% interval {};\nstart-up P50 {}, 90% interval {}.\n",
        money(sim.totals.annual_cost.p50),
        money_interval(sim.totals.annual_cost),
        money(sim.totals.startup_cost.p50),
        money_interval(sim.totals.startup_cost)
    ));
    for area in GapArea::ALL {
        let lines: Vec<_> = sim.programs.iter().filter(|p| p.gap_area == area).collect();
        if lines.is_empty() {
            continue;
        }
        let sub = &sim.gap_areas.iter().find(|a| a.gap_area == area).expect("every area").totals;
        out.push_str(&format!(
            "\n{} — P50 {} a year, 90% interval {}\n",
            area.title().to_uppercase(),
            money(sub.annual_cost.p50),
            money_interval(sub.annual_cost)
        ));
        out.push_str(&format!(
            "{:<29} {:>8} {:>13} {:>8} {:>15}\n{}\n",
            "Program",
            "Gap P50",
            "Gap P5–P95",
            "Cost P50",
            "Cost/yr P5–P95",
            "─".repeat(77)
        ));
        for l in lines {
            let p = plan.programs.iter().find(|p| p.id == l.id);
            let name = p.map_or(l.id.as_str(), |p| p.name.as_str());
            let addon = p.is_some_and(|p| p.kind == ProgramKind::Addon);
            let (g50, g) = if addon { (String::new(), String::new()) } else { (count(l.gap.p50), count_interval(l.gap)) };
            out.push_str(&format!(
                "{} {:>8} {:>13} {:>8} {:>15}\n",
                fit(name, 29),
                g50,
                g,
                money(l.annual_cost.p50),
                money_interval(l.annual_cost)
            ));
        }
    }
    out
}

/// A Markdown section with P5 / P50 / P95 per line, area and total.
pub fn markdown_section(plan: &Plan, sim: &Simulation) -> String {
    let mut o = format!("\n## Uncertainty (simulation)\n\n{}. The 90% interval runs from the 5th to the 95th percentile of the draws; each subtotal's percentiles are of the sum, not sums of percentiles.\n\n", esc(&header(sim)));
    o.push_str("| | Annual cost P5 | P50 | P95 | Start-up P50 | Start-up P5–P95 |\n|---|---:|---:|---:|---:|---:|\n");
    for a in &sim.gap_areas {
        let t = &a.totals;
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            a.gap_area.title(),
            money(t.annual_cost.p5),
            money(t.annual_cost.p50),
            money(t.annual_cost.p95),
            money(t.startup_cost.p50),
            money_interval(t.startup_cost)
        ));
    }
    let t = &sim.totals;
    o.push_str(&format!(
        "| **Total** | {} | **{}** | {} | {} | {} |\n",
        money(t.annual_cost.p5),
        money(t.annual_cost.p50),
        money(t.annual_cost.p95),
        money(t.startup_cost.p50),
        money_interval(t.startup_cost)
    ));
    o.push_str(
        "\n| Program | Need P5–P95 | Gap P50 | Gap P5–P95 | Annual cost P50 | Annual cost P5–P95 |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for l in &sim.programs {
        let p = plan.programs.iter().find(|p| p.id == l.id);
        let name = p.map_or(l.id.as_str(), |p| p.name.as_str());
        if p.is_some_and(|p| p.kind == ProgramKind::Addon) {
            o.push_str(&format!("| {} | | | | {} | {} |\n", esc(name), money(l.annual_cost.p50), money_interval(l.annual_cost)));
        } else {
            o.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                esc(name),
                count_interval(l.need),
                count(l.gap.p50),
                count_interval(l.gap),
                money(l.annual_cost.p50),
                money_interval(l.annual_cost)
            ));
        }
    }
    o
}

/// One CSV row per program, area and total with every percentile.
pub fn csv(plan: &Plan, sim: &Simulation) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["jurisdiction_id".to_string(), "level".into(), "id".into(), "gap_area".into()];
    for m in ["need", "gap", "annual_cost", "startup_cost"] {
        for q in ["p5", "p50", "p95"] {
            head.push(format!("{m}_{q}"));
        }
    }
    head.extend(["draws".into(), "seed".into()]);
    let _ = w.write_record(&head);
    let id = &plan.jurisdiction.id;
    let tail = [sim.draws.to_string(), sim.seed.to_string()];
    let nums = |qs: &[Option<Percentiles>]| -> Vec<String> {
        qs.iter()
            .flat_map(|q| match q {
                Some(q) => vec![q.p5.to_string(), q.p50.to_string(), q.p95.to_string()],
                None => vec![String::new(), String::new(), String::new()],
            })
            .collect()
    };
    for l in &sim.programs {
        let mut r = vec![id.clone(), "program".into(), l.id.clone(), l.gap_area.as_str().into()];
        r.extend(nums(&[Some(l.need), Some(l.gap), Some(l.annual_cost), Some(l.startup_cost)]));
        r.extend(tail.iter().cloned());
        let _ = w.write_record(crate::csv_out::safe_record(&r));
    }
    for (level, name, area, t) in sim
        .gap_areas
        .iter()
        .map(|a| ("gap_area", a.gap_area.as_str(), a.gap_area.as_str(), &a.totals))
        .chain(std::iter::once(("total", "total", "", &sim.totals)))
    {
        let mut r = vec![id.clone(), level.into(), name.into(), area.into()];
        r.extend(nums(&[None, None, Some(t.annual_cost), Some(t.startup_cost)]));
        r.extend(tail.iter().cloned());
        let _ = w.write_record(crate::csv_out::safe_record(&r));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
