//! What a catalog *produces*, checked at load time: every need, cost and
//! total a plan can compute from it must be a finite number within a sane
//! bound, for any driver value the engine accepts (up to
//! [`MAX_DRIVER_VALUE`], more than twice the U.S. population).
//!
//! Checking each coefficient alone is not enough: `per = 1e-300` and
//! `mid = 1e300` are both finite, but their quotient times a population
//! overflows to infinity, which then prints "$infB" or makes a renderer
//! loop. Need is monotone in the driver and cost is monotone in need, so
//! one evaluation at the largest driver values bounds every plan.

use super::model::{Catalog, Scale};
use crate::drivers::MAX_DRIVER_VALUE;
use crate::range::Range3;
use std::collections::HashMap;

/// A population above the U.S. total (about 340 million in 2024): the
/// largest place a plan is for.
pub const US_POPULATION_BOUND: f64 = 3.5e8;

/// The most units one program line may need for a population up to
/// [`US_POPULATION_BOUND`] with the catalog's own estimators: thirty per
/// resident.
pub const MAX_NEED: f64 = 1.0e10;

/// The most dollars a year (or one-off) one program line may cost for a
/// population up to [`US_POPULATION_BOUND`]: a thousand trillion, about 150
/// times the U.S. federal budget, so only typos and overflows are refused.
pub const MAX_DOLLARS: f64 = 1.0e15;

/// The largest value a catalog estimator may give a driver for a
/// population up to [`US_POPULATION_BOUND`].
pub const MAX_ESTIMATE: f64 = 1.0e10;

/// The most dollars one unit may cost (ten billion).
pub const MAX_UNIT_COST: f64 = 1.0e10;

/// Bounds for the worst case the engine accepts: every driver given at
/// [`MAX_DRIVER_VALUE`]. Far beyond sane, but finite and short to print.
const WORST: Bounds = Bounds { estimate: 1.0e14, need: 1.0e14, dollars: 1.0e20 };
const SANE: Bounds = Bounds { estimate: MAX_ESTIMATE, need: MAX_NEED, dollars: MAX_DOLLARS };

struct Bounds {
    estimate: f64,
    need: f64,
    dollars: f64,
}

/// An entry whose output is out of bounds.
pub(crate) struct Finding {
    /// True for a driver, false for a benchmark or add-on.
    pub driver: bool,
    pub id: String,
    pub field: &'static str,
    pub message: String,
    pub hint: String,
}

fn ok(v: Range3, bound: f64) -> bool {
    v.is_finite() && v.low <= bound && v.mid <= bound && v.high <= bound
}

fn words(v: f64) -> String {
    if v.is_finite() {
        format!("{v:e}")
    } else {
        "an overflow (infinity)".into()
    }
}

/// Evaluates the catalog for the U.S. population (sane bounds), then with
/// every driver at the largest value accepted (finite, printable bounds),
/// and reports every entry out of bounds. Linear in the catalog's size.
pub(crate) fn check(catalog: &Catalog) -> Vec<Finding> {
    let out = pass(catalog, US_POPULATION_BOUND, false, &SANE);
    if !out.is_empty() {
        return out;
    }
    pass(catalog, MAX_DRIVER_VALUE, true, &WORST)
}

/// One evaluation: required drivers at `top`; with `given_max`, every
/// driver a benchmark uses may also be given at `top`.
fn pass(catalog: &Catalog, top: f64, given_max: bool, bounds: &Bounds) -> Vec<Finding> {
    let (max_estimate, max_need, max_dollars) = (bounds.estimate, bounds.need, bounds.dollars);
    let mut out = Vec::new();
    // Drivers come in dependency order.
    let mut value: HashMap<&str, Range3> = HashMap::with_capacity(catalog.drivers.len());
    for d in &catalog.drivers {
        let v = if d.is_required() {
            Range3::point(top)
        } else {
            let v: Range3 = d
                .estimate
                .iter()
                .map(|t| {
                    let base = value.get(t.driver.as_str()).copied().unwrap_or(Range3::ZERO);
                    t.factors.iter().fold(base, |acc, f| if f.divide { acc.div_inverse(f.value) } else { acc * f.value })
                })
                .sum();
            if !ok(v, max_estimate) {
                out.push(Finding {
                    driver: true,
                    id: d.id.clone(),
                    field: "estimate",
                    message: format!(
                        "with every driver it rests on at {top:e}, this estimate gives {}, more than {max_estimate:e}.",
                        words(v.high.max(v.mid))
                    ),
                    hint: "check the factors' values and units (a share is 0.25, not 25; a rate per 100,000 is 0.00001 per person)".into(),
                });
                Range3::point(top)
            } else {
                v
            }
        };
        value.insert(d.id.as_str(), v);
    }
    let mut need_cost: HashMap<&str, Range3> = HashMap::with_capacity(catalog.benchmarks.len());
    for b in &catalog.benchmarks {
        // A user may also give the driver itself, up to the largest value.
        let estimated = value.get(b.driver.as_str()).map_or(top, |v| v.high);
        let d = if given_max { estimated.max(MAX_DRIVER_VALUE) } else { estimated };
        let need = crate::plan::need(&b.scale, Range3::point(d));
        let scale_field = match b.scale {
            Scale::Ratio { .. } => "ratio",
            Scale::Caseload { .. } => "caseload",
        };
        if !ok(need, max_need) {
            out.push(Finding {
                driver: false,
                id: b.id.clone(),
                field: scale_field,
                message: format!(
                    "with `{}` at {d:e} this benchmark needs {} {}, more than {max_need:e}.",
                    b.driver,
                    words(need.high.max(need.mid)),
                    b.unit
                ),
                hint: "check the ratio's `per` and values (e.g. per = 100000, mid = 20 for 20 per 100,000) or the caseload (people served by one unit)".into(),
            });
            continue;
        }
        let mut cost_ok = true;
        for (field, amount) in [("annual_cost", Some(b.annual_cost.amount)), ("startup_cost", b.startup_cost.as_ref().map(|c| c.amount))] {
            let Some(amount) = amount else { continue };
            let total = need * amount;
            if !ok(amount, MAX_UNIT_COST) || !ok(total, max_dollars) {
                cost_ok = false;
                out.push(Finding {
                    driver: false,
                    id: b.id.clone(),
                    field,
                    message: format!(
                        "{} dollars a unit gives {} dollars for {} {} with `{}` at {d:e}, more than {max_dollars:e} (or a unit cost over {MAX_UNIT_COST:e}).",
                        words(amount.high),
                        words(total.high.max(total.mid)),
                        words(need.high),
                        b.unit,
                        b.driver
                    ),
                    hint: "write the cost of one unit in dollars (e.g. 85000), not in thousands of cents or with extra digits".into(),
                });
            }
        }
        if cost_ok {
            need_cost.insert(b.id.as_str(), need * b.annual_cost.amount);
        }
    }
    for a in &catalog.addons {
        let base: Range3 = a.of.iter().filter_map(|id| need_cost.get(id.as_str()).copied()).sum();
        let total = base * a.share;
        if !ok(total, max_dollars) {
            out.push(Finding {
                driver: false,
                id: a.id.clone(),
                field: "share",
                message: format!(
                    "a share of {} of its programs' cost gives {} dollars with drivers at {top:e}, more than {max_dollars:e}.",
                    words(a.share.high),
                    words(total.high.max(total.mid))
                ),
                hint: "write the share as a fraction (0.05 for 5%)".into(),
            });
        }
    }
    out
}
