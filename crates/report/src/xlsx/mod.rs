//! An Excel workbook for budget offices: Summary, Programs, Drivers and
//! Sources sheets.
//!
//! Numbers are stored as numbers with number formats, header rows are
//! frozen and columns sized to their contents. Costs are live formulas: on
//! Programs, gap = max(0, need − exists) and annual cost = gap × unit cost
//! (add-ons: share × the cost of the programs they support); Summary sums
//! Programs with `SUMIF`. Change a unit cost or an existing count and every
//! total follows. Each formula also carries its computed result, so readers
//! that do not recalculate (previewers, scripts) still see the numbers.

mod cells;
mod sources;

pub use cells::col_name;
pub(crate) use cells::*;
pub use rust_xlsxwriter::XlsxError;
pub(crate) use sources::*;

use crate::narrative::per_resident;
use rust_xlsxwriter::{DocProperties, Formula, Workbook, Worksheet};
use safetygap_core::catalog::Catalog;
use safetygap_core::drivers::Basis;
use safetygap_core::plan::{Plan, ProgramKind, ProgramPlan, Subtotal};
use safetygap_core::quality::FlagKind;
use safetygap_core::{Evidence, GapArea, Range3};

/// The sheet names, in order.
pub const SHEETS: [&str; 5] = ["Summary", "Programs", "Drivers", "Sources", "Who pays"];

// Programs sheet columns.
const P_AREA: u16 = 0;
const P_ID: u16 = 1;
const P_NAME: u16 = 2;
const P_UNIT: u16 = 3;
const P_EV_NEED: u16 = 4;
const P_EV_COST: u16 = 5;
const P_NEED: u16 = 6; // low, mid, high
const P_WHOLE: u16 = 9;
const P_EXIST: u16 = 10;
const P_GAP: u16 = 11; // low, mid, high
const P_UNIT_COST: u16 = 14; // low, mid, high
const P_COST: u16 = 17; // low, mid, high
const P_START_UNIT: u16 = 20; // low, mid, high
const P_START: u16 = 23; // low, mid, high
const P_NEED_COST: u16 = 26;
const P_COVER: u16 = 27;
const P_YEAR: u16 = 28;
const P_ASSUME: u16 = 29;
const P_FLAGS: u16 = 30;

const PROGRAM_HEADERS: [&str; 31] = [
    "Gap area",
    "Program id",
    "Program",
    "Unit",
    "Evidence (need)",
    "Evidence (cost)",
    "Need low",
    "Need mid",
    "Need high",
    "Whole units",
    "Exists now",
    "Gap low",
    "Gap mid",
    "Gap high",
    "Annual cost per unit low",
    "Annual cost per unit mid",
    "Annual cost per unit high",
    "Annual cost low",
    "Annual cost mid",
    "Annual cost high",
    "Start-up per unit low",
    "Start-up per unit mid",
    "Start-up per unit high",
    "Start-up cost low",
    "Start-up cost mid",
    "Start-up cost high",
    "Need cost mid",
    "Need met today",
    "Cost year",
    "⚠ Assumptions",
    "Other data-quality flags",
];

/// Renders the workbook as `.xlsx` bytes. `catalog` supplies start-up unit
/// costs, add-on bases and citations; it should be the catalog the plan was
/// computed with.
pub fn render(plan: &Plan, catalog: &Catalog) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Safety gap plan: {}", plan.jurisdiction.name))
            .set_comment(format!("safetygap catalog {}, input {}", plan.catalog_version, plan.input_hash)),
    );
    // Summary refers to rows of Programs and Drivers.
    let rows = ProgramRows::of(plan);
    wb.push_worksheet(summary_sheet(plan, &rows, &f)?);
    wb.push_worksheet(programs_sheet(plan, catalog, &rows, &f)?);
    wb.push_worksheet(drivers_sheet(plan, &f)?);
    wb.push_worksheet(sources_sheet(plan, catalog, &f)?);
    wb.push_worksheet(payers_sheet(plan, &rows, &f)?);
    wb.save_to_buffer()
}

/// Where the program lines sit on the Programs sheet (0-based rows).
struct ProgramRows {
    first: u32,
    last: u32,
}

impl ProgramRows {
    fn of(plan: &Plan) -> Self {
        let first = 1u32;
        ProgramRows { first, last: first + plan.programs.len() as u32 - 1 }
    }

    /// The rows of the programs an add-on's cost is a share of.
    fn addon_base(&self, plan: &Plan, catalog: &Catalog, id: &str) -> Vec<u32> {
        let row_of = |id: &str| plan.programs.iter().position(|p| p.id == id).map(|i| self.first + i as u32);
        catalog.addon(id).map(|a| a.of.iter().filter_map(|id| row_of(id)).collect()).unwrap_or_default()
    }
}

/// A new worksheet named `SHEETS[i]`.
fn sheet(i: usize) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(SHEETS[i])?;
    Ok(ws)
}

/// The Programs sheet: one row per program line with live gap and cost
/// formulas, then the totals.
fn programs_sheet(plan: &Plan, catalog: &Catalog, rows: &ProgramRows, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut programs = sheet(1)?;
    let ws = &mut programs;
    let mut w = Widths::new();
    let first = rows.first;
    frozen_headers(ws, &mut w, 0, &PROGRAM_HEADERS, f, Some(30), 3)?;
    for (i, p) in plan.programs.iter().enumerate() {
        let r = first + i as u32;
        text(ws, &mut w, r, P_AREA, p.gap_area.title(), None)?;
        text(ws, &mut w, r, P_ID, &p.id, None)?;
        let flag = if p.assumptions.is_empty() { "" } else { " ⚠" };
        text(ws, &mut w, r, P_NAME, &format!("{}{flag}", p.name), None)?;
        text(ws, &mut w, r, P_EV_NEED, p.evidence.as_str(), None)?;
        text(ws, &mut w, r, P_EV_COST, p.cost_evidence.as_str(), None)?;
        ws.write_number(r, P_YEAR, p.cost_year)?;
        w.see(P_YEAR, 4);
        if !p.assumptions.is_empty() {
            text(ws, &mut w, r, P_ASSUME, &p.assumptions.join("; "), Some(&f.warn))?;
        }
        let flags: Vec<&str> = plan
            .quality
            .lines
            .iter()
            .filter(|l| l.id == p.id)
            .flat_map(|l| &l.flags)
            .filter(|fl| fl.kind != FlagKind::Assumption)
            .map(|fl| fl.detail.as_str())
            .collect();
        if !flags.is_empty() {
            text(ws, &mut w, r, P_FLAGS, &flags.join("; "), Some(&f.wrap))?;
        }
        match p.kind {
            ProgramKind::Benchmark => benchmark_row(ws, &mut w, r, p, catalog, f)?,
            ProgramKind::Addon => addon_row(ws, &mut w, r, p, &rows.addon_base(plan, catalog, &p.id), f)?,
        }
    }
    program_totals(ws, &mut w, plan, rows, f)?;
    w.apply(ws, 6.0, 48.0)?;
    w.fit(ws, P_NAME, 30.0, |x| (x * 1.05 + 2.0).clamp(12.0, 60.0))?;
    ws.set_column_width(P_ASSUME, 70)?;
    ws.set_column_width(P_FLAGS, 60)?;
    w.fit(ws, P_UNIT, 14.0, |x| (x * 1.05 + 2.0).clamp(8.0, 24.0))?;
    ws.set_column_format(P_UNIT, &f.wrap)?;
    Ok(programs)
}

/// A benchmark's need, existing count, gap and costs (gap × unit cost).
fn benchmark_row(ws: &mut Worksheet, w: &mut Widths, r: u32, p: &ProgramPlan, catalog: &Catalog, f: &Formats) -> Result<(), XlsxError> {
    text(ws, w, r, P_UNIT, &p.unit, None)?;
    for (k, v) in ends(p.need).into_iter().enumerate() {
        num(ws, w, r, P_NEED + k as u16, v, &f.count)?;
    }
    if let Some(wh) = p.need_whole {
        num(ws, w, r, P_WHOLE, wh, &f.count)?;
    }
    num(ws, w, r, P_EXIST, p.existing, &f.count)?;
    let startup = catalog.benchmark(&p.id).and_then(|b| b.startup_cost.as_ref()).map_or(Range3::ZERO, |c| c.amount);
    for k in 0..3u16 {
        let (need, gap, end) = (cell(P_NEED + k, r), cell(P_GAP + k, r), k as usize);
        formula(ws, w, r, P_GAP + k, &format!("=MAX(0,{need}-{})", cell(P_EXIST, r)), ends(p.gap)[end], &f.count)?;
        // Costs: gap × per-unit cost, annual and start-up.
        for (col, per_unit, unit_cost, cost) in
            [(P_COST, P_UNIT_COST, p.unit_cost, p.annual_cost), (P_START, P_START_UNIT, startup, p.startup_cost)]
        {
            num(ws, w, r, per_unit + k, ends(unit_cost)[end], &f.money)?;
            formula(ws, w, r, col + k, &format!("={gap}*{}", cell(per_unit + k, r)), ends(cost)[end], &f.money)?;
        }
    }
    let need_cost = format!("={}*{}", cell(P_NEED + 1, r), cell(P_UNIT_COST + 1, r));
    formula(ws, w, r, P_NEED_COST, &need_cost, p.need_cost.mid, &f.money)?;
    let cover = format!("=IF({n}>0,{e}/{n},\"\")", n = cell(P_NEED + 1, r), e = cell(P_EXIST, r));
    match p.coverage {
        Some(c) => formula(ws, w, r, P_COVER, &cover, c, &f.percent)?,
        None => {
            ws.write_formula_with_format(r, P_COVER, Formula::new(&cover).set_result(""), &f.percent)?;
        }
    }
    Ok(())
}

/// An add-on's share and its cost: share × the cost of the programs it
/// supports, which sit on the Programs rows `base`.
fn addon_row(ws: &mut Worksheet, w: &mut Widths, r: u32, p: &ProgramPlan, base: &[u32], f: &Formats) -> Result<(), XlsxError> {
    text(ws, w, r, P_UNIT, "share of the annual cost of the programs it supports", None)?;
    let share = p.share.unwrap_or(Range3::ZERO);
    let sum = |col: u16| {
        if base.is_empty() {
            "0".to_string()
        } else {
            format!("SUM({})", base.iter().map(|&br| cell(col, br)).collect::<Vec<_>>().join(","))
        }
    };
    for k in 0..3u16 {
        num(ws, w, r, P_UNIT_COST + k, ends(share)[k as usize], &f.percent)?;
        let cost = format!("={}*{}", cell(P_UNIT_COST + k, r), sum(P_COST + k));
        formula(ws, w, r, P_COST + k, &cost, ends(p.annual_cost)[k as usize], &f.money)?;
        num(ws, w, r, P_START + k, 0.0, &f.money)?;
    }
    let need_cost = format!("={}*{}", cell(P_UNIT_COST + 1, r), sum(P_NEED_COST));
    formula(ws, w, r, P_NEED_COST, &need_cost, p.need_cost.mid, &f.money)?;
    let cover = format!("=IF({n}>0,1-{c}/{n},\"\")", n = cell(P_NEED_COST, r), c = cell(P_COST + 1, r));
    match p.coverage {
        Some(c) => formula(ws, w, r, P_COVER, &cover, c, &f.percent)?,
        None => {
            ws.write_formula_with_format(r, P_COVER, Formula::new(&cover).set_result(""), &f.percent)?;
        }
    }
    Ok(())
}

/// The Programs sheet's total row and its note.
fn program_totals(ws: &mut Worksheet, w: &mut Widths, plan: &Plan, rows: &ProgramRows, f: &Formats) -> Result<(), XlsxError> {
    let (first, last) = (rows.first, rows.last);
    let total_row = last + 1;
    ws.write_string_with_format(total_row, P_AREA, "Total", &f.bold)?;
    let t = &plan.totals;
    let range = |c: u16| format!("=SUM({}:{})", cell(c, first), cell(c, last));
    for k in 0..3u16 {
        for (col, total) in [(P_COST, t.annual_cost), (P_START, t.startup_cost)] {
            formula(ws, w, total_row, col + k, &range(col + k), ends(total)[k as usize], &f.money_bold)?;
        }
    }
    formula(ws, w, total_row, P_NEED_COST, &range(P_NEED_COST), t.need_cost.mid, &f.money_bold)?;
    let cover = format!("=IF({n}>0,1-{c}/{n},\"\")", n = cell(P_NEED_COST, total_row), c = cell(P_COST + 1, total_row));
    formula(ws, w, total_row, P_COVER, &cover, t.coverage.unwrap_or(0.0), &f.percent_bold)?;
    ws.write_string_with_format(
        total_row + 2,
        P_AREA,
        "Gap and cost columns are formulas: change a unit cost or an existing count and the totals here and on Summary update. ⚠ marks lines resting on an assumption.",
        &f.note,
    )?;
    Ok(())
}

/// The Who pays sheet: each line's cost split by its usual funders (live:
/// share × the line's annual cost on Programs), and the cost by payer
/// summed from them with `SUMIF`. A row of several payers is split unknown.
fn payers_sheet(plan: &Plan, rows: &ProgramRows, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut payers = sheet(4)?;
    let ws = &mut payers;
    let mut w = Widths::new();
    let programs = format!("'{}'!", SHEETS[1]);
    let totals = &plan.cost_by_payer;
    // Payer totals first, then the line parts they sum.
    let th = ["Payer", "Annual cost low", "Annual cost mid", "Annual cost high", "Share of total (mid)", "Programs", "Payers (ids)"];
    frozen_headers(ws, &mut w, 0, &th, f, Some(30), 1)?;
    let parts: Vec<(&ProgramPlan, &safetygap_core::payer::PayerCost)> =
        plan.programs.iter().flat_map(|p| p.payers.iter().map(move |b| (p, b))).collect();
    let total_row = 1 + totals.len() as u32;
    // With `--payer`, four rows on what falls on that payer's own budget.
    let view_row = total_row + 3;
    let parts_head = if plan.payer_view.is_some() { view_row + 5 } else { total_row + 3 };
    let (pf, pl) = (parts_head + 1, parts_head + parts.len() as u32);
    for (i, t) in totals.iter().enumerate() {
        let r = 1 + i as u32;
        text(ws, &mut w, r, 0, &t.label, Some(&f.wrap))?;
        for k in 0..3u16 {
            // Matched on the short id list: SUMIF criteria stop working past 255 characters.
            let sumif = format!(
                "=SUMIF({a}:{b},{l},{c}:{d})",
                a = cell(5, pf),
                b = cell(5, pl),
                l = cell(6, r),
                c = cell(6 + k, pf),
                d = cell(6 + k, pl)
            );
            formula(ws, &mut w, r, 1 + k, &sumif, ends(t.annual_cost)[k as usize], &f.money)?;
        }
        let share = format!("=IF({t}>0,{c}/{t},\"\")", t = cell(2, total_row), c = cell(2, r));
        let mid_total = plan.totals.annual_cost.mid;
        formula(ws, &mut w, r, 4, &share, if mid_total > 0.0 { t.annual_cost.mid / mid_total } else { 0.0 }, &f.percent)?;
        text(ws, &mut w, r, 5, &t.lines.join(", "), Some(&f.wrap))?;
        text(ws, &mut w, r, 6, &t.payers.join(", "), None)?;
    }
    ws.write_string_with_format(total_row, 0, "Total", &f.bold)?;
    for k in 0..3u16 {
        let sum = format!("=SUM({}:{})", cell(1 + k, 1), cell(1 + k, total_row - 1));
        formula(ws, &mut w, total_row, 1 + k, &sum, ends(plan.totals.annual_cost)[k as usize], &f.money_bold)?;
    }
    ws.write_string_with_format(
        total_row + 1,
        0,
        "Funders as the catalog lists them, with shares only where a source gives them; a row of several payers is split unknown and is not assigned to any of them. The total equals the Programs total.",
        &f.note,
    )?;
    if let Some(v) = &plan.payer_view {
        // Live: the parts below whose payer ids are exactly this payer
        // (its own), and those that name it among others (split unknown).
        // No payer id is part of another (`payer_ids_are_not_parts_of_each_other`),
        // so the wildcard finds only the shared parts and its own.
        ws.write_string_with_format(view_row, 0, format!("On the {}'s own budget (payer {})", v.name, v.payer), &f.bold)?;
        let label_own = "Its own: parts it pays alone or by a published share";
        let label_shared = "Shared with other payers, split unknown (not counted as its own; at most all of it)";
        text(ws, &mut w, view_row + 1, 0, label_own, Some(&f.wrap))?;
        text(ws, &mut w, view_row + 2, 0, label_shared, Some(&f.wrap))?;
        for k in 0..3u16 {
            let (ids, cost) = (format!("{}:{}", cell(5, pf), cell(5, pl)), format!("{}:{}", cell(6 + k, pf), cell(6 + k, pl)));
            let own = format!("=SUMIF({ids},\"{}\",{cost})", v.payer);
            formula(ws, &mut w, view_row + 1, 1 + k, &own, ends(v.annual_cost)[k as usize], &f.money)?;
            let shared = format!("=SUMIF({ids},\"*{}*\",{cost})-{}", v.payer, cell(1 + k, view_row + 1));
            formula(ws, &mut w, view_row + 2, 1 + k, &shared, ends(v.shared_unknown)[k as usize], &f.money)?;
        }
        ws.write_string_with_format(view_row + 3, 0, crate::payers::view_sentences(plan, v).join(" "), &f.note)?;
    }
    let ph = [
        "Program id",
        "Program",
        "Payer",
        "Share of the line's cost",
        "Share published",
        "Payers (ids)",
        "Annual cost low",
        "Annual cost mid",
        "Annual cost high",
    ];
    headers(ws, &mut w, parts_head, &ph, &f.header)?;
    for (i, (p, b)) in parts.iter().enumerate() {
        let r = pf + i as u32;
        let prow = rows.first + plan.programs.iter().position(|x| x.id == p.id).unwrap_or(0) as u32;
        text(ws, &mut w, r, 0, &p.id, None)?;
        text(ws, &mut w, r, 1, &p.name, None)?;
        text(ws, &mut w, r, 2, &safetygap_core::payer::bucket_label(&b.payers), Some(&f.wrap))?;
        num(ws, &mut w, r, 3, b.share, &f.percent)?;
        text(ws, &mut w, r, 4, if b.share_published { "yes" } else { "no (the rest)" }, None)?;
        text(ws, &mut w, r, 5, &b.payers.join(", "), None)?;
        for k in 0..3u16 {
            let fm = format!("={}*{programs}{}", cell(3, r), cell(P_COST + k, prow));
            formula(ws, &mut w, r, 6 + k, &fm, b.share * ends(p.annual_cost)[k as usize], &f.money)?;
        }
    }
    w.apply(ws, 8.0, 60.0)?;
    Ok(payers)
}

/// The Drivers sheet: every driver's value, whether given or estimated, and its source.
fn drivers_sheet(plan: &Plan, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut drivers = sheet(2)?;
    let ws = &mut drivers;
    let mut w = Widths::new();
    let dh = [
        "Driver id",
        "Driver",
        "Unit",
        "Value low",
        "Value mid",
        "Value high",
        "Given or estimated",
        "Source",
        "Vintage",
        "Evidence",
        "Estimate (mid factors)",
    ];
    frozen_headers(ws, &mut w, 0, &dh, f, None, 2)?;
    for (i, d) in plan.drivers.iter().enumerate() {
        let r = 1 + i as u32;
        text(ws, &mut w, r, 0, &d.id, None)?;
        let flag = if d.basis == Basis::Estimated && d.evidence == Some(Evidence::Assumption) { " ⚠" } else { "" };
        text(ws, &mut w, r, 1, &format!("{}{flag}", d.name), None)?;
        text(ws, &mut w, r, 2, &d.unit, None)?;
        num(ws, &mut w, r, 3, d.value.low, &f.count)?;
        num(ws, &mut w, r, 4, d.value.mid, &f.count)?;
        num(ws, &mut w, r, 5, d.value.high, &f.count)?;
        text(ws, &mut w, r, 6, if d.basis == Basis::Given { "given" } else { "estimated" }, None)?;
        text(ws, &mut w, r, 7, &d.source, Some(&f.wrap))?;
        if let Some(v) = &d.vintage {
            text(ws, &mut w, r, 8, v, None)?;
        }
        if let Some(e) = d.evidence {
            text(ws, &mut w, r, 9, e.as_str(), None)?;
        }
        if let Some(fm) = &d.formula {
            text(ws, &mut w, r, 10, fm, None)?;
        }
    }
    w.apply(ws, 8.0, 60.0)?;
    Ok(drivers)
}

/// The 0-based row of a driver on the Drivers sheet.
fn driver_row(plan: &Plan, id: &str) -> Option<u32> {
    plan.drivers.iter().position(|d| d.id == id).map(|i| 1 + i as u32)
}

/// The Sources sheet: each benchmark's and estimated driver's citations.
fn sources_sheet(plan: &Plan, catalog: &Catalog, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut sources = sheet(3)?;
    let ws = &mut sources;
    let mut w = Widths::new();
    let estimated = plan.drivers.iter().filter(|d| d.is_catalog_estimate()).filter_map(|d| catalog.driver(&d.id));
    let rows: Vec<[String; 8]> =
        plan.programs.iter().flat_map(|p| program_source_rows(catalog, &p.id)).chain(estimated.flat_map(driver_source_rows)).collect();
    sources_table(ws, &mut w, 0, &rows, f, text)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(sources)
}

/// The Summary sheet: the plan's facts, one row per gap area summing
/// Programs with `SUMIF`, the total and the notes.
fn summary_sheet(plan: &Plan, rows: &ProgramRows, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut summary = sheet(0)?;
    let ws = &mut summary;
    let mut w = Widths::new();
    title(ws, &format!("Safety gap plan: {}", plan.jurisdiction.name), f)?;
    summary_facts(ws, &mut w, plan, f)?;
    let tr = summary_areas(ws, &mut w, plan, rows, f)?;
    summary_notes(ws, plan, tr + 2, f)?;
    w.apply(ws, 10.0, 22.0)?;
    ws.set_column_width(0, 22)?;
    Ok(summary)
}

/// Summary rows 3–7: jurisdiction, population (a formula over Drivers),
/// dollar year and tier, catalog, input hash.
fn summary_facts(ws: &mut Worksheet, w: &mut Widths, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    let pop_row = driver_row(plan, "population");
    let pop = plan.drivers.iter().find(|d| d.id == "population").map_or(0.0, |d| d.value.mid);
    let info: [(&str, String); 5] = [
        (
            "Jurisdiction",
            format!(
                "{} ({}{})",
                plan.jurisdiction.name,
                plan.jurisdiction.kind,
                if plan.jurisdiction.id == "custom" { String::new() } else { format!(", GEOID {}", plan.jurisdiction.id) }
            ),
        ),
        ("Population", String::new()),
        (
            "Costs in",
            format!(
                "{} dollars (CPI-U; catalog figures from {}–{}); {} tier (goal tier: {} a year)",
                plan.dollar_year,
                plan.cost_years[0],
                plan.cost_years[1],
                plan.tier,
                crate::fmt::money_full(plan.goal_tier_annual_cost.mid)
            ),
        ),
        ("Catalog", plan.catalog_version.clone()),
        ("Input hash", plan.input_hash.clone()),
    ];
    for (i, (k, v)) in info.iter().enumerate() {
        let r = 2 + i as u32;
        text(ws, w, r, 0, k, Some(&f.bold))?;
        if *k == "Population" {
            match pop_row {
                Some(pr) => formula(ws, w, r, 1, &format!("=Drivers!{}", cell(4, pr)), pop, &f.whole)?,
                None => num(ws, w, r, 1, pop, &f.whole)?,
            }
        } else {
            ws.write_string(r, 1, clip(v))?;
        }
    }
    Ok(())
}

/// The Summary table: one row per gap area and the total. Returns the total's row.
fn summary_areas(ws: &mut Worksheet, w: &mut Widths, plan: &Plan, rows: &ProgramRows, f: &Formats) -> Result<u32, XlsxError> {
    let (first, last) = (rows.first, rows.last);
    let t = &plan.totals;
    let pop_cell = "$B$4";
    let hr = 8u32;
    let sh = [
        "Gap area",
        "Annual cost low",
        "Annual cost mid",
        "Annual cost high",
        "Per resident (mid)",
        "Start-up cost (mid)",
        "Need cost (mid)",
        "Need met today",
        "Lines with ⚠",
    ];
    frozen_headers(ws, w, hr, &sh, f, Some(30), 0)?;
    // Summary columns that sum a Programs column: (column, Programs column, value).
    let summed = |tt: &Subtotal| {
        [
            (1, P_COST, tt.annual_cost.low),
            (2, P_COST + 1, tt.annual_cost.mid),
            (3, P_COST + 2, tt.annual_cost.high),
            (5, P_START + 1, tt.startup_cost.mid),
            (6, P_NEED_COST, tt.need_cost.mid),
        ]
    };
    let prog_range = |c: u16| format!("Programs!${col}${}:${col}${}", first + 1, last + 1, col = col_name(c));
    for (i, a) in plan.gap_areas.iter().enumerate() {
        let r = hr + 1 + i as u32;
        text(ws, w, r, 0, a.gap_area.title(), None)?;
        let sumif = |c: u16| format!("=SUMIF({},$A{},{})", prog_range(P_AREA), r + 1, prog_range(c));
        let tt = &a.totals;
        for (c, src, v) in summed(tt) {
            formula(ws, w, r, c, &sumif(src), v, &f.money)?;
        }
        formula(ws, w, r, 4, &format!("=IF({pop_cell}>0,C{}/{pop_cell},0)", r + 1), tt.annual_cost_per_resident.mid, &f.money_cents)?;
        formula(ws, w, r, 7, &format!("=IF(G{r1}>0,1-C{r1}/G{r1},\"\")", r1 = r + 1), tt.coverage.unwrap_or(0.0), &f.percent)?;
        let flagged = plan.programs.iter().filter(|p| p.gap_area == a.gap_area && !p.assumptions.is_empty()).count();
        let n = plan.programs.iter().filter(|p| p.gap_area == a.gap_area).count();
        text(ws, w, r, 8, &format!("{flagged} of {n}"), None)?;
    }
    let tr = hr + 1 + GapArea::ALL.len() as u32;
    let (a0, a1) = (hr + 2, tr);
    text(ws, w, tr, 0, "Total", Some(&f.bold))?;
    for (c, _, v) in summed(t) {
        let l = col_name(c);
        formula(ws, w, tr, c, &format!("=SUM({l}{a0}:{l}{a1})"), v, &f.money_bold)?;
    }
    formula(ws, w, tr, 4, &format!("=IF({pop_cell}>0,C{}/{pop_cell},0)", tr + 1), t.annual_cost_per_resident.mid, &f.money_cents_bold)?;
    formula(ws, w, tr, 7, &format!("=IF(G{r1}>0,1-C{r1}/G{r1},\"\")", r1 = tr + 1), t.coverage.unwrap_or(0.0), &f.percent_bold)?;
    let flagged = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count();
    text(ws, w, tr, 8, &format!("{flagged} of {}", plan.programs.len()), Some(&f.bold))?;
    Ok(tr)
}

/// The notes under the Summary table, from row `from`.
fn summary_notes(ws: &mut Worksheet, plan: &Plan, from: u32, f: &Formats) -> Result<(), XlsxError> {
    let t = &plan.totals;
    let flagged = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count();
    let mut notes = vec![
        format!(
            "Closing the gap costs about {} a year, {} per resident (central estimate).",
            crate::fmt::money(t.annual_cost.mid),
            per_resident(t.annual_cost_per_resident.mid)
        ),
        "Costs are formulas over the Programs sheet: change a unit cost or an existing count there and these totals update.".into(),
        "Low and high are the ends of each benchmark's ratio and unit-cost ranges, not confidence intervals.".into(),
        format!("⚠ {flagged} program lines rest on at least one assumption with no published figure (see Programs, last column): replace them with local figures before budgeting."),
        "Sources: every benchmark's citations are on the Sources sheet; drivers and how each was estimated are on the Drivers sheet.".into(),
    ];
    if plan.quality.grade > 0 {
        notes.push(format!(
            "Data quality: {} of 3, {} (1 fine, 2 use with care, 3 do not act on this alone).",
            plan.quality.grade, plan.quality.label
        ));
        notes.extend(plan.quality.reasons.iter().map(|r| format!("- {r}")));
    }
    for (i, n) in notes.iter().enumerate() {
        ws.write_string_with_format(from + i as u32, 0, n, &f.note)?;
    }
    Ok(())
}
