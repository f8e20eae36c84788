//! Resolving driver values: what was given, and what the catalog's default
//! estimators fill in.

use crate::catalog::{Catalog, Condition, DriverDef, Term};
use crate::evidence::Evidence;
use crate::range::{safe_div, Range3};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest driver value accepted: more than twice the U.S. population,
/// so only typos are rejected.
pub const MAX_DRIVER_VALUE: f64 = 1.0e9;

/// A driver figure supplied from outside the catalog: by the user
/// (`--set`), a driver file or a data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppliedDriver {
    /// The figure.
    pub value: f64,
    /// Where it comes from ("--set on the command line", "Census V2019").
    pub source: String,
    /// The year or period it describes, when known.
    pub vintage: Option<String>,
    /// True when the supplier itself estimated it from another geography
    /// (e.g. the state's homicide rate × the county's population).
    pub estimated: bool,
}

impl SuppliedDriver {
    /// A figure the user typed.
    pub fn given(value: f64, source: impl Into<String>) -> Self {
        SuppliedDriver { value, source: source.into(), vintage: None, estimated: false }
    }
}

/// How a driver's value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A figure for this jurisdiction itself.
    Given,
    /// Estimated, from another geography's rate or the catalog's default.
    Estimated,
}

/// A driver with its value and provenance, as it appears in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedDriver {
    /// Driver id.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// What one of it is.
    pub unit: String,
    /// The value (a range when estimated from ranged factors).
    pub value: Range3,
    /// Given or estimated.
    pub basis: Basis,
    /// Where the value comes from, in words.
    pub source: String,
    /// Year or period, when known.
    pub vintage: Option<String>,
    /// Weakest evidence grade among the estimator's factors (estimates only).
    pub evidence: Option<Evidence>,
    /// The catalog estimator with mid factor values, e.g.
    /// `population × 0.001` (catalog estimates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// For a driver the catalog can estimate two ways (e.g. the
    /// highest-risk population from the place's homicides, or as a share of
    /// residents): each estimate's value and whether the plan used it.
    /// Empty for other drivers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<AlternativeEstimate>,
}

/// One of a driver's alternative catalog estimates, computed for the place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativeEstimate {
    /// The estimator with mid values: `homicides × 4.76`.
    pub formula: String,
    /// The estimator in words, with its condition.
    pub description: String,
    /// Its value for this place.
    pub value: Range3,
    /// True for the estimate the plan used (when the driver was not given).
    pub used: bool,
}

/// True when driver `id` has a figure for the place: given, or supplied as
/// an estimate from its county or state; false when only the catalog's
/// national default estimate is known.
///
/// A scan of `resolved`: for one look-up. Code that asks for every driver
/// of a plan hashes them once instead (see `resolve`).
pub fn is_known(resolved: &[ResolvedDriver], id: &str) -> bool {
    let at = resolved.iter().position(|r| r.id == id);
    count_work(at.map_or(resolved.len(), |i| i + 1));
    at.is_some_and(|i| !resolved[i].is_catalog_estimate())
}

impl ResolvedDriver {
    /// True when the value comes from the catalog's default estimator (as
    /// opposed to a figure given for this place or supplied by a data set).
    pub fn is_catalog_estimate(&self) -> bool {
        self.formula.is_some()
    }
}

/// A driver value that cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum DriverError {
    /// A required driver (population) has no value.
    Missing {
        /// Driver id.
        id: String,
    },
    /// A value supplied for a driver the catalog does not define.
    Unknown {
        /// The key given.
        id: String,
        /// The closest known driver id.
        suggestion: Option<String>,
        /// All known ids, for the message.
        known: Vec<String>,
    },
    /// A value that is negative, not finite or absurdly large.
    BadValue {
        /// Driver id.
        id: String,
        /// The value.
        value: f64,
        /// Why it is rejected.
        reason: String,
    },
}

impl std::fmt::Display for DriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DriverError::Missing { id } => {
                write!(f, "no value for `{id}`, which every plan needs. Give it, e.g. --{} 100000, or name a place.", id.replace('_', "-"))
            }
            DriverError::Unknown { id, suggestion, known } => {
                write!(f, "`{id}` is not a driver in the catalog.")?;
                if let Some(s) = suggestion {
                    write!(f, " Did you mean `{s}`?")?;
                }
                write!(f, " Known drivers: {}.", known.join(", "))
            }
            DriverError::BadValue { id, value, reason } => write!(f, "`{id}` = {value} cannot be used: {reason}"),
        }
    }
}

impl std::error::Error for DriverError {}

/// Checks one supplied figure.
pub fn check_value(id: &str, value: f64) -> Result<f64, DriverError> {
    let bad = |reason: &str| DriverError::BadValue { id: id.to_string(), value, reason: reason.to_string() };
    if !value.is_finite() {
        Err(bad("it is not a finite number."))
    } else if value < 0.0 {
        Err(bad("it is negative; counts of people and events are 0 or more."))
    } else if value > MAX_DRIVER_VALUE {
        Err(bad("it is larger than any U.S. jurisdiction could have (over 1 billion); check for extra digits."))
    } else {
        Ok(value)
    }
}

// Work done looking drivers up, counted in unit tests only: each lookup
// adds the entries it examined. A test resolves chains of two lengths and
// checks that the work grows in proportion (issue 12 row 8: a scan per
// term made a chain of 20,000 derived drivers take a minute).
#[cfg(test)]
thread_local! {
    pub(crate) static LOOKUP_WORK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[inline]
pub(crate) fn count_work(examined: usize) {
    #[cfg(test)]
    LOOKUP_WORK.with(|w| w.set(w.get() + examined as u64));
    let _ = examined;
}

/// Drivers resolved so far and where each is: estimates look their drivers
/// up here in one hash probe, so a long chain of derived drivers resolves
/// in linear time.
struct Resolved<'a> {
    list: Vec<ResolvedDriver>,
    at: crate::hash::IdMap<&'a str, usize>,
}

impl<'a> Resolved<'a> {
    fn with_capacity(n: usize) -> Self {
        Resolved { list: Vec::with_capacity(n), at: crate::hash::IdMap::with_capacity_and_hasher(n, Default::default()) }
    }

    fn from_slice(resolved: &'a [ResolvedDriver]) -> Self {
        let mut r = Resolved::with_capacity(resolved.len());
        for (i, d) in resolved.iter().enumerate() {
            r.at.insert(d.id.as_str(), i);
        }
        r.list = resolved.to_vec();
        r
    }

    fn get(&self, id: &str) -> Option<&ResolvedDriver> {
        count_work(1);
        self.at.get(id).map(|&i| &self.list[i])
    }

    fn known(&self, id: &str) -> bool {
        self.get(id).is_some_and(|r| !r.is_catalog_estimate())
    }

    fn active<'d>(&self, d: &'d DriverDef) -> Vec<&'d Term> {
        d.estimate.iter().filter(|t| t.condition.holds(|id| self.known(id))).collect()
    }

    fn push(&mut self, id: &'a str, r: ResolvedDriver) {
        self.at.insert(id, self.list.len());
        self.list.push(r);
    }
}

/// What a resolved driver says about itself besides its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Texts {
    /// Everything: how each catalog estimate was made, in words, and its
    /// alternative estimates.
    #[default]
    All,
    /// The figures, formulas and grades only: a catalog estimate's
    /// [`ResolvedDriver::source`] is empty and its
    /// [`alternatives`](ResolvedDriver::alternatives) are left out. For
    /// outputs that print neither (a batch's CSV and Parquet tables), where
    /// writing them was about a fifth of each plan's time.
    Figures,
}

/// Resolves every catalog driver: supplied values win; the rest are
/// computed from the catalog's estimators in dependency order.
pub fn resolve(catalog: &Catalog, supplied: &BTreeMap<String, SuppliedDriver>) -> Result<Vec<ResolvedDriver>, DriverError> {
    resolve_with(catalog, supplied, Texts::All)
}

/// [`resolve`], writing the texts `texts` asks for.
pub fn resolve_with(
    catalog: &Catalog,
    supplied: &BTreeMap<String, SuppliedDriver>,
    texts: Texts,
) -> Result<Vec<ResolvedDriver>, DriverError> {
    let words = texts == Texts::All;
    // Every supplied id must be a catalog driver: one pass over the
    // catalog (a lookup per supplied id would scan it each time).
    let matched = if supplied.is_empty() { 0 } else { catalog.drivers.iter().filter(|d| supplied.contains_key(&d.id)).count() };
    for (id, s) in supplied {
        if matched < supplied.len() && catalog.driver(id).is_none() {
            let known: Vec<String> = catalog.drivers.iter().map(|d| d.id.clone()).collect();
            let suggestion = crate::suggest::closest(id, known.iter().map(String::as_str)).map(str::to_string);
            return Err(DriverError::Unknown { id: id.clone(), suggestion, known });
        }
        check_value(id, s.value)?;
    }
    let mut out = Resolved::with_capacity(catalog.drivers.len());
    for d in &catalog.drivers {
        let r = match supplied.get(&d.id) {
            Some(s) => ResolvedDriver {
                id: d.id.clone(),
                name: d.name.clone(),
                unit: d.unit.clone(),
                value: Range3::point(s.value),
                basis: if s.estimated { Basis::Estimated } else { Basis::Given },
                source: s.source.clone(),
                vintage: s.vintage.clone(),
                evidence: None,
                formula: None,
                alternatives: if words { alternatives(d, &out, false) } else { Vec::new() },
            },
            None if d.is_required() => return Err(DriverError::Missing { id: d.id.clone() }),
            None => {
                let active = out.active(d);
                let (source, alternatives) = if words {
                    let alternatives = alternatives(d, &out, true);
                    let mut source = format!("estimated: {}", describe_terms(&active));
                    if let Some(reason) = choice_reason(d, &out, &alternatives) {
                        source.push_str(&reason);
                    }
                    (source, alternatives)
                } else {
                    (String::new(), Vec::new())
                };
                ResolvedDriver {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    unit: d.unit.clone(),
                    value: sum_terms(active.iter().copied(), &out),
                    basis: Basis::Estimated,
                    source,
                    vintage: d.vintage.clone(),
                    evidence: active.iter().flat_map(|t| &t.factors).map(|f| f.evidence).max(),
                    formula: Some(compact_terms(&active)),
                    alternatives,
                }
            }
        };
        out.push(d.id.as_str(), r);
    }
    Ok(out.list)
}

/// Σ over the terms that count for this place of driver × factors,
/// pairing ends so low ≤ mid ≤ high.
pub fn estimate(d: &DriverDef, resolved: &[ResolvedDriver]) -> Range3 {
    let r = Resolved::from_slice(resolved);
    sum_terms(r.active(d).into_iter(), &r)
}

fn sum_terms<'a>(terms: impl Iterator<Item = &'a Term>, resolved: &Resolved<'_>) -> Range3 {
    terms
        .map(|t| {
            let base = resolved.get(&t.driver).map_or(Range3::ZERO, |r| r.value);
            t.factors.iter().fold(base, |acc, f| if f.divide { acc.div_inverse(f.value) } else { acc * f.value })
        })
        .sum()
}

/// Each conditional term of `d` (with the unconditional ones) computed for
/// this place; `used` marks the one that applies when `estimated` (the
/// driver was not given). Empty for drivers without conditions.
fn alternatives(d: &DriverDef, resolved: &Resolved<'_>, estimated: bool) -> Vec<AlternativeEstimate> {
    if !d.is_conditional() {
        return Vec::new();
    }
    let always: Vec<&Term> = d.estimate.iter().filter(|t| t.condition == Condition::Always).collect();
    d.estimate
        .iter()
        .filter(|t| t.condition != Condition::Always)
        .map(|t| {
            let mut terms = always.clone();
            terms.push(t);
            let holds = t.condition.holds(|id| resolved.known(id));
            AlternativeEstimate {
                formula: compact_terms(&terms),
                description: format!("{}{}", describe_terms(&terms), t.condition.describe()),
                value: sum_terms(terms.iter().copied(), resolved),
                used: estimated && holds,
            }
        })
        .collect()
}

/// Why a conditional driver used the estimate it did, and what the other
/// would have given: " — chosen because `homicides` is the place's own
/// figure; the other estimate (population × 0.001) gives 430".
fn choice_reason(d: &DriverDef, resolved: &Resolved<'_>, alts: &[AlternativeEstimate]) -> Option<String> {
    let cond = d.estimate.iter().find_map(|t| t.condition.driver())?;
    let given = resolved.known(cond);
    let how = resolved.get(cond).map_or("not known".to_string(), |r| match r.basis {
        Basis::Given => "the place's own figure".to_string(),
        Basis::Estimated if r.is_catalog_estimate() => "only the catalog's national default".to_string(),
        Basis::Estimated => "a figure for the place estimated from its county or state".to_string(),
    });
    let others: Vec<String> =
        alts.iter().filter(|a| !a.used).map(|a| format!("{} would give {}", a.formula, fmt_num(a.value.mid))).collect();
    Some(format!(
        " — {} `{cond}` is {how}{}",
        if given { "used because" } else { "used because no local violence figure is known:" },
        if others.is_empty() { String::new() } else { format!("; the other estimate, {}", others.join(", ")) }
    ))
}

/// The estimator in words: "population × national homicide rate (5.75 per
/// 100,000)"; conditional terms say when they count.
pub fn describe_estimate(d: &DriverDef) -> String {
    let terms: Vec<String> = d.estimate.iter().map(|t| format!("{}{}", describe_terms(&[t]), t.condition.describe())).collect();
    format!("estimated: {}", terms.join(if d.is_conditional() { "; or " } else { " + " }))
}

fn describe_terms(terms: &[&Term]) -> String {
    join_terms(terms, |f| format!("{} ({})", f.name, fmt_range(f.value)))
}

/// Terms as `driver × factor ÷ factor + …`, each factor written by `factor`.
fn join_terms(terms: &[&Term], factor: impl Fn(&crate::catalog::Factor) -> String) -> String {
    terms
        .iter()
        .map(|t| {
            let mut s = t.driver.clone();
            for f in &t.factors {
                s.push_str(if f.divide { " ÷ " } else { " × " });
                s.push_str(&factor(f));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The estimator with mid values and no prose: `population × 0.001`.
pub fn compact_formula(d: &DriverDef) -> String {
    compact_terms(&d.estimate.iter().collect::<Vec<_>>())
}

fn compact_terms(terms: &[&Term]) -> String {
    join_terms(terms, |f| fmt_num(f.value.mid))
}

/// Formats a factor range compactly: "0.001" or "15–20 (mid 15)".
pub fn fmt_range(r: Range3) -> String {
    if r.low == r.high {
        fmt_num(r.mid)
    } else {
        format!("{}–{}, mid {}", fmt_num(r.low), fmt_num(r.high), fmt_num(r.mid))
    }
}

/// Rounds to a whole number and adds thousands separators: 19,889,880.
pub fn fmt_thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// Up to six significant digits without trailing zeros.
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let digits = (6 - v.abs().log10().floor() as i32 - 1).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Avoids 0/0 when a driver is zero.
pub(crate) fn per(value: f64, per: f64) -> f64 {
    safe_div(value, per)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::LOOKUP_WORK;
    use crate::catalog::CatalogSource;
    use crate::plan::PlanInput;

    /// A chain of `n` conditional derived drivers (each estimated from the
    /// one before, one way if that one has a figure for the place and
    /// another if not; × 0.5 each way, as the load-time bounds add both)
    /// and a benchmark at its end.
    pub(crate) fn chain(n: usize) -> crate::Catalog {
        let mut t = String::new();
        for i in 0..n {
            let from = if i == 0 { "population".to_string() } else { format!("d{}", i - 1) };
            let f = "factors = [{ name = \"f\", low = 0.5, mid = 0.5, high = 0.5, evidence = \"assumption\", citations = [\"x\"] }]";
            t.push_str(&format!(
                "[[driver]]\nid = \"d{i}\"\nname = \"d\"\nunit = \"u\"\ndescription = \"d\"\nestimate = [{{ driver = \"{from}\", if_known = \"{from}\", {f} }}, {{ driver = \"{from}\", unless_known = \"{from}\", {f} }}]\n"
            ));
        }
        t.push_str(&format!("[[benchmark]]\nid = \"dv_shelter_bed\"\ndriver = \"d{}\"\n", n - 1));
        crate::shipped::load_with(&[CatalogSource { name: "chain.toml", text: &t }]).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Lookups made by resolving the chain's drivers and computing a plan.
    fn work(n: usize) -> u64 {
        let c = chain(n);
        LOOKUP_WORK.with(|w| w.set(0));
        let p = crate::compute(&c, &PlanInput::custom("t", 100_000.0, "test")).unwrap();
        assert_eq!(p.drivers.len(), c.drivers.len());
        LOOKUP_WORK.with(|w| w.get())
    }

    /// Issue 12 row 8, twice: resolving a chain of derived drivers scanned
    /// the drivers resolved so far for each term, so 20,000 chained drivers
    /// took a minute (fixed with a hashed lookup, then undone by a merge
    /// that added conditional terms). Counts the work, not the time: four
    /// times the chain must cost about four times the lookups (a scan per
    /// term gives sixteen).
    #[test]
    fn resolving_a_chain_of_conditional_drivers_is_linear() {
        let (small, large) = (work(500), work(2_000));
        assert!(small > 0, "the lookups are counted");
        let ratio = large as f64 / small as f64;
        assert!(ratio < 5.0, "4× the drivers took {ratio:.1}× the lookups ({small} → {large}): quadratic again");
    }
}
