//! The Sources sheet: one row per citation of every benchmark figure and
//! driver factor, shared by this plan's workbook and `batch`'s.

use super::cells::{headers, Formats, PutText, Widths};
use rust_xlsxwriter::{Worksheet, XlsxError};
use safetygap_core::catalog::Catalog;
use safetygap_core::Range3;

/// Headers of a Sources table: one row per citation (see
/// [`program_source_rows`] and [`driver_source_rows`]).
pub(crate) const SOURCE_HEADERS: [&str; 8] =
    ["Program or driver id", "Name", "Gap area", "What", "Figure", "Evidence", "Citation", "Basis"];

/// The Sources table from `row` on: [`SOURCE_HEADERS`], one row per
/// citation, then every column's width (the table is the sheet's last).
pub(crate) fn sources_table(
    ws: &mut Worksheet,
    w: &mut Widths,
    row: u32,
    rows: &[[String; 8]],
    f: &Formats,
    put: PutText,
) -> Result<(), XlsxError> {
    headers(ws, w, row, &SOURCE_HEADERS, &f.header)?;
    for (r, cols) in (row + 1..).zip(rows) {
        for (c, s) in cols.iter().enumerate() {
            if !s.is_empty() {
                put(ws, w, r, c as u16, s, if c >= 6 { Some(&f.wrap) } else { None })?;
            }
        }
    }
    w.apply(ws, 8.0, 40.0)?;
    ws.set_column_width(6, 80)?;
    ws.set_column_width(7, 60)?;
    Ok(())
}

/// Rows of the Sources sheet for one program: its need ratio and its unit
/// costs, one row per citation (id, name, gap area, what, figure, evidence,
/// citation, basis). Empty when the catalog has no such program.
pub(crate) fn program_source_rows(catalog: &Catalog, id: &str) -> Vec<[String; 8]> {
    let rng = |r3: Range3| safetygap_core::drivers::fmt_range(r3);
    let mut out = Vec::new();
    if let Some(b) = catalog.benchmark(id) {
        let area = b.gap_area.title();
        let ratio = match &b.scale {
            safetygap_core::catalog::Scale::Ratio { per, units } => {
                format!("{} {} per {} {}", rng(*units), b.unit, safetygap_core::drivers::fmt_num(*per), b.driver)
            }
            safetygap_core::catalog::Scale::Caseload { caseload } => {
                format!("one of {} per {} {}", b.unit, rng(*caseload), b.driver)
            }
        };
        out.extend(per_citation(&b.citations, [&b.id, &b.name, area, "need ratio", &ratio, b.evidence.as_str()], ""));
        let costs = [("annual cost per unit", Some(&b.annual_cost)), ("start-up cost per unit", b.startup_cost.as_ref())];
        for (what, cost) in costs {
            let Some(cost) = cost else { continue };
            let fig = format!("${} ({} dollars)", rng(cost.amount), cost.year);
            let note = cost.note.as_deref().unwrap_or_default();
            out.extend(per_citation(&cost.citations, [&b.id, &b.name, area, what, &fig, cost.evidence.as_str()], note));
        }
    } else if let Some(a) = catalog.addon(id) {
        let area = a.gap_area.title();
        let fig = format!("{} of the annual cost of {}", rng(a.share), a.of.join(", "));
        out.extend(per_citation(&a.citations, [&a.id, &a.name, area, "share of base cost", &fig, a.evidence.as_str()], ""));
    }
    out
}

/// Rows of the Sources sheet for the factors a driver is estimated with.
pub(crate) fn driver_source_rows(def: &safetygap_core::catalog::DriverDef) -> Vec<[String; 8]> {
    let mut out = Vec::new();
    for fac in def.estimate.iter().flat_map(|t| &t.factors) {
        let fig = safetygap_core::drivers::fmt_range(fac.value);
        out.extend(per_citation(&fac.citations, [&def.id, &def.name, "", &fac.name, &fig, fac.evidence.as_str()], ""));
    }
    out
}

/// Sources rows for one figure, one per citation (one with a blank citation
/// when there are none): id, name, gap area, what, figure and evidence from
/// `cols`, then the citation and `basis`.
fn per_citation<'a>(citations: &'a [String], cols: [&'a str; 6], basis: &'a str) -> impl Iterator<Item = [String; 8]> + 'a {
    let cites: Vec<&str> = if citations.is_empty() { vec![""] } else { citations.iter().map(String::as_str).collect() };
    cites.into_iter().map(move |c| {
        let [id, name, area, what, figure, evidence] = cols;
        [id, name, area, what, figure, evidence, c, basis].map(String::from)
    })
}
