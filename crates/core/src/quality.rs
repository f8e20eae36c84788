//! Data-quality flags per plan line and a grade for the whole plan.
//!
//! Flags:
//! - `small_numbers`: fewer than 10 homicides a year (or another yearly
//!   count under 10 that a line rests on) — such counts swing widely from
//!   year to year, so local rates are unstable;
//! - `estimated_driver`: a driver the line rests on was estimated from
//!   national rates or another geography rather than given for the place;
//! - `assumption`: the line rests on an `assumption`-graded input (need
//!   ratio, unit cost or a driver-estimate factor);
//! - `old_vintage`: a figure the line rests on describes a year
//!   [`OLD_VINTAGE_YEARS`] or more years before the newest cost year in the
//!   plan (FBI 2018 city counts against 2023 costs);
//! - `existing_not_counted`: no inventory line was given for the program, so
//!   what exists was taken as 0 (does not change the grade).
//!
//! Grade: **1 fine** when nothing is flagged; **3 do not act on this alone**
//! when at least half of the annual cost to close the gap rests on
//! assumption-graded need (a guess at how much is needed), or when the place
//! has fewer than 10 homicides a year and at least half of the cost rests on
//! estimated drivers (national rates applied to a small place); **2 use with
//! care** otherwise.

use crate::catalog::Catalog;
use crate::drivers::{Basis, ResolvedDriver};
use crate::evidence::Evidence;
use crate::hash::{IdMap as HashMap, IdSet};
use crate::plan::{ProgramKind, ProgramPlan};
use serde::{Deserialize, Serialize};

/// Counts under this are "small numbers".
pub const SMALL_COUNT: f64 = 10.0;

/// Figures this many years or more older than the newest cost year are old.
pub const OLD_VINTAGE_YEARS: u16 = 5;

/// Share of the annual gap cost above which a weakness makes the plan grade 3.
pub const MAJORITY: f64 = 0.5;

/// What is weak about a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Fewer than 10 events a year.
    SmallNumbers,
    /// Driver estimated rather than given.
    EstimatedDriver,
    /// Rests on an assumption-graded input.
    Assumption,
    /// An old figure.
    OldVintage,
    /// No inventory line was given: existing capacity was taken as 0.
    ExistingNotCounted,
}

/// One flag on a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Which weakness.
    pub kind: FlagKind,
    /// In words: which driver or input.
    pub detail: String,
}

/// A line's flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineQuality {
    /// Program id.
    pub id: String,
    /// Its flags (empty when fine).
    pub flags: Vec<Flag>,
}

/// The plan's grade with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Quality {
    /// 1 fine, 2 use with care, 3 do not act on this alone.
    pub grade: u8,
    /// The grade in words.
    pub label: String,
    /// Why, one sentence each.
    pub reasons: Vec<String>,
    /// Flags per line, for lines with any.
    pub lines: Vec<LineQuality>,
}

/// The grade's words.
pub fn label(grade: u8) -> &'static str {
    match grade {
        1 => "fine",
        2 => "use with care",
        _ => "do not act on this alone",
    }
}

/// The newest 4-digit year in a vintage string ("2015-2019" → 2019).
pub fn vintage_year(v: &str) -> Option<u16> {
    let b = v.as_bytes();
    (0..b.len().saturating_sub(3))
        .filter(|&i| {
            b[i..i + 4].iter().all(u8::is_ascii_digit)
                && (i == 0 || !b[i - 1].is_ascii_digit())
                && (i + 4 == b.len() || !b[i + 4].is_ascii_digit())
        })
        .filter_map(|i| v[i..i + 4].parse::<u16>().ok())
        .filter(|y| (1900..=2200).contains(y))
        .max()
}

fn is_yearly_count(d: &ResolvedDriver) -> bool {
    d.unit.ends_with("a year") && d.id != "mobile_crisis_unit_need"
}

/// Resolved drivers and their definitions by id: hashed once per plan, not
/// once per line (per line it made 20,000 lines over 20,000 drivers
/// quadratic).
type ChainLookup<'a> = (HashMap<&'a str, &'a ResolvedDriver>, HashMap<&'a str, &'a crate::catalog::DriverDef>);

fn chain_lookup<'a>(catalog: &'a Catalog, drivers: &'a [ResolvedDriver]) -> ChainLookup<'a> {
    (drivers.iter().map(|d| (d.id.as_str(), d)).collect(), catalog.drivers.iter().map(|d| (d.id.as_str(), d)).collect())
}

/// Every driver a benchmark's need rests on: its own driver and, through
/// estimates, the drivers those are computed from.
fn chain<'a>((resolved, defs): &ChainLookup<'a>, start: &'a str) -> Vec<&'a ResolvedDriver> {
    let known = |id: &str| resolved.get(id).is_some_and(|r| !r.is_catalog_estimate());
    let mut seen = IdSet::default();
    let mut out: Vec<&ResolvedDriver> = Vec::new();
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(&r) = resolved.get(id) else { continue };
        out.push(r);
        if r.formula.is_some() {
            if let Some(&def) = defs.get(id) {
                stack.extend(def.active_terms(known).map(|t| t.driver.as_str()));
            }
        }
    }
    out
}

/// Flags every line and grades the plan.
pub fn assess(catalog: &Catalog, drivers: &[ResolvedDriver], programs: &[ProgramPlan]) -> Quality {
    // Vintages are compared with the years the costs were written in, not
    // the dollar year they are converted to.
    let newest = programs.iter().map(|p| p.source_cost_year).max().unwrap_or(0);
    let mut lines: Vec<LineQuality> = Vec::new();
    let (mut total, mut on_assumed_need, mut on_estimates) = (0.0, 0.0, 0.0);
    let lookup = chain_lookup(catalog, drivers);
    for p in programs.iter().filter(|p| p.kind == ProgramKind::Benchmark) {
        let mut flags = Vec::new();
        let ds = chain(&lookup, &p.driver);
        for d in &ds {
            if is_yearly_count(d) && d.value.mid < SMALL_COUNT {
                flags.push(Flag {
                    kind: FlagKind::SmallNumbers,
                    detail: format!("{} is {:.1} a year, under {SMALL_COUNT:.0}", d.id, d.value.mid),
                });
            }
        }
        // An estimate made by the catalog is flagged once, at the driver the
        // line names; drivers given as estimates (another geography's rate)
        // are flagged where they appear.
        let estimated: Vec<&&ResolvedDriver> =
            ds.iter().filter(|d| d.basis == Basis::Estimated && (d.formula.is_none() || d.id == p.driver)).collect();
        for d in &estimated {
            flags.push(Flag {
                kind: FlagKind::EstimatedDriver,
                detail: format!("{} estimated: {}", d.id, d.formula.as_deref().unwrap_or(&d.source)),
            });
        }
        let need_assumed =
            p.evidence == Evidence::Assumption || p.assumptions.iter().any(|a| !a.contains("cost per unit is an assumption"));
        for a in &p.assumptions {
            flags.push(Flag { kind: FlagKind::Assumption, detail: a.clone() });
        }
        for d in &ds {
            if let Some(y) = d.vintage.as_deref().and_then(vintage_year) {
                // At least 5 years: a strict "more than" let the FBI's 2018
                // city counts pass as current against 2023 costs.
                if newest >= y + OLD_VINTAGE_YEARS {
                    flags.push(Flag { kind: FlagKind::OldVintage, detail: format!("{} is from {y}", d.id) });
                }
            }
        }
        if !p.existing_counted {
            flags.push(Flag {
                kind: FlagKind::ExistingNotCounted,
                detail: format!("existing not counted: no inventory line for {}, so what exists was taken as 0", p.id),
            });
        }
        let cost = p.annual_cost.mid;
        total += cost;
        if need_assumed {
            on_assumed_need += cost;
        }
        if !estimated.is_empty() {
            on_estimates += cost;
        }
        if !flags.is_empty() {
            lines.push(LineQuality { id: p.id.clone(), flags });
        }
    }
    // Add-ons carry their base lines' flags through the plan's assumptions.
    for p in programs.iter().filter(|p| p.kind == ProgramKind::Addon && !p.assumptions.is_empty()) {
        let flags = p.assumptions.iter().map(|a| Flag { kind: FlagKind::Assumption, detail: a.clone() }).collect();
        lines.push(LineQuality { id: p.id.clone(), flags });
    }

    let mut reasons = Vec::new();
    let mut grade = 1u8;
    let homicides = drivers.iter().find(|d| d.id == "homicides");
    let small = homicides.is_some_and(|h| h.value.mid < SMALL_COUNT);
    if let Some(h) = homicides.filter(|_| small) {
        reasons
            .push(format!("fewer than {SMALL_COUNT:.0} homicides a year ({:.1}): local rates swing widely from year to year", h.value.mid));
        grade = 2;
    }
    let share = |v: f64| if total > 0.0 { v / total } else { 0.0 };
    let flagged = |k: FlagKind| lines.iter().filter(|l| l.flags.iter().any(|f| f.kind == k)).count();
    let n_est = flagged(FlagKind::EstimatedDriver);
    if n_est > 0 {
        reasons.push(format!("{n_est} line(s) rest on drivers estimated from national rates or another geography ({:.0}% of the annual cost): give local figures with --set", share(on_estimates) * 100.0));
        grade = grade.max(2);
    }
    let n_ass = flagged(FlagKind::Assumption);
    if n_ass > 0 {
        reasons.push(format!(
            "{n_ass} line(s) rest on assumption-graded inputs; {:.0}% of the annual cost rests on an assumed need",
            share(on_assumed_need) * 100.0
        ));
        grade = grade.max(2);
    }
    let n_lines = programs.iter().filter(|p| p.kind == ProgramKind::Benchmark).count();
    let n_uncounted = flagged(FlagKind::ExistingNotCounted);
    if n_uncounted > 0 {
        // Not a grade change: a plan without an inventory is still a plan of
        // need; it must just not read as "nothing exists".
        reasons.push(format!(
            "existing not counted for {n_uncounted} of {n_lines} line(s) (no inventory given): their gap is their whole need, and coverage is of lines with an inventory only"
        ));
    }
    let defaults: Vec<&str> = programs.iter().filter(|p| p.existing_default).map(|p| p.name.as_str()).collect();
    if !defaults.is_empty() {
        reasons.push(format!(
            "existing capacity for {} line(s) is a default from public sources (--inventory-defaults state), not a local count: {} — a floor or a national rate (derived); give your own inventory lines to replace it",
            defaults.len(),
            defaults.join(", ")
        ));
        grade = grade.max(2);
    }
    let n_old = flagged(FlagKind::OldVintage);
    if n_old > 0 {
        reasons.push(format!("{n_old} line(s) rest on figures {OLD_VINTAGE_YEARS} or more years older than the {newest} costs"));
        grade = grade.max(2);
    }
    if share(on_assumed_need) >= MAJORITY {
        reasons.push(format!("at least half of the annual cost ({:.0}%) rests on an assumed need", share(on_assumed_need) * 100.0));
        grade = 3;
    }
    if small && share(on_estimates) >= MAJORITY {
        reasons.push(format!(
            "a small place with at least half of the annual cost ({:.0}%) estimated from national rates",
            share(on_estimates) * 100.0
        ));
        grade = 3;
    }
    Quality { grade, label: label(grade).to_string(), reasons, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vintage_years() {
        assert_eq!(vintage_year("2015-2019"), Some(2019));
        assert_eq!(vintage_year("Census V2019"), Some(2019));
        assert_eq!(vintage_year("vintage 12345"), None);
        assert_eq!(vintage_year("none"), None);
    }
}
