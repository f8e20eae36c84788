//! CSV: one row per program per jurisdiction, then subtotal and total rows,
//! so a spreadsheet can filter by `row_kind`.

use safetygap_core::plan::{Plan, Subtotal};

const HEADER: &[&str] = &[
    "jurisdiction_id",
    "jurisdiction_name",
    "row_kind",
    "gap_area",
    "program_id",
    "program_name",
    "unit",
    "evidence",
    "cost_evidence",
    "need_low",
    "need_mid",
    "need_high",
    "need_whole",
    "existing",
    "gap_low",
    "gap_mid",
    "gap_high",
    "coverage",
    "annual_cost_low",
    "annual_cost_mid",
    "annual_cost_high",
    "startup_cost_low",
    "startup_cost_mid",
    "startup_cost_high",
    "cost_year",
    "assumptions",
    "catalog_version",
    "quality_grade",
    "quality_flags",
    "grade",
];

fn num(v: f64) -> String {
    // Round to cents/hundredths: enough for any reader, stable in snapshots.
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// Renders plans (one or many jurisdictions) as CSV text.
pub fn render(plans: &[Plan]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    for p in plans {
        let j = &p.jurisdiction;
        for l in &p.programs {
            let row = vec![
                j.id.clone(),
                j.name.clone(),
                "program".into(),
                l.gap_area.to_string(),
                l.id.clone(),
                l.name.clone(),
                l.unit.clone(),
                l.evidence.to_string(),
                l.cost_evidence.to_string(),
                num(l.need.low),
                num(l.need.mid),
                num(l.need.high),
                l.need_whole.map(num).unwrap_or_default(),
                num(l.existing),
                num(l.gap.low),
                num(l.gap.mid),
                num(l.gap.high),
                l.coverage.map(|c| format!("{:.4}", c)).unwrap_or_default(),
                num(l.annual_cost.low),
                num(l.annual_cost.mid),
                num(l.annual_cost.high),
                num(l.startup_cost.low),
                num(l.startup_cost.mid),
                num(l.startup_cost.high),
                l.cost_year.to_string(),
                l.assumptions.join("; "),
                p.catalog_version.clone(),
                p.quality.grade.to_string(),
                // Estimated drivers, small numbers, assumptions, old vintages:
                // a spreadsheet user sees on every row what the plan says.
                p.quality
                    .lines
                    .iter()
                    .find(|q| q.id == l.id)
                    .map(|q| q.flags.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; "))
                    .unwrap_or_default(),
                l.grade.to_string(),
            ];
            let _ = w.write_record(&row);
        }
        let mut sub = |kind: &str, area: &str, t: &Subtotal| {
            let mut row = vec![String::new(); HEADER.len()];
            row[0] = j.id.clone();
            row[1] = j.name.clone();
            row[2] = kind.into();
            row[3] = area.into();
            row[17] = t.coverage.map(|c| format!("{:.4}", c)).unwrap_or_default();
            row[18] = num(t.annual_cost.low);
            row[19] = num(t.annual_cost.mid);
            row[20] = num(t.annual_cost.high);
            row[21] = num(t.startup_cost.low);
            row[22] = num(t.startup_cost.mid);
            row[23] = num(t.startup_cost.high);
            row[26] = p.catalog_version.clone();
            row[27] = p.quality.grade.to_string();
            let _ = w.write_record(&row);
        };
        for a in &p.gap_areas {
            sub("subtotal", a.gap_area.as_str(), &a.totals);
        }
        sub("total", "", &p.totals);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
