//! Resolving driver values: what was given, and what the catalog's default
//! estimators fill in.

use crate::catalog::{Catalog, DriverDef};
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

/// Resolves every catalog driver: supplied values win; the rest are
/// computed from the catalog's estimators in dependency order.
pub fn resolve(catalog: &Catalog, supplied: &BTreeMap<String, SuppliedDriver>) -> Result<Vec<ResolvedDriver>, DriverError> {
    for (id, s) in supplied {
        if catalog.driver(id).is_none() {
            let known: Vec<String> = catalog.drivers.iter().map(|d| d.id.clone()).collect();
            let suggestion = crate::suggest::closest(id, known.iter().map(String::as_str)).map(str::to_string);
            return Err(DriverError::Unknown { id: id.clone(), suggestion, known });
        }
        check_value(id, s.value)?;
    }
    let mut out: Vec<ResolvedDriver> = Vec::with_capacity(catalog.drivers.len());
    // Values resolved so far, by id: estimates look their drivers up here
    // (a scan of `out` made long chains of derived drivers quadratic).
    let mut values: std::collections::HashMap<&str, Range3> = std::collections::HashMap::with_capacity(catalog.drivers.len());
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
            },
            None if d.is_required() => return Err(DriverError::Missing { id: d.id.clone() }),
            None => ResolvedDriver {
                id: d.id.clone(),
                name: d.name.clone(),
                unit: d.unit.clone(),
                value: estimate_with(d, &values),
                basis: Basis::Estimated,
                source: describe_estimate(d),
                vintage: d.vintage.clone(),
                evidence: d.evidence(),
                formula: Some(compact_formula(d)),
            },
        };
        values.insert(d.id.as_str(), r.value);
        out.push(r);
    }
    Ok(out)
}

fn estimate_with(d: &DriverDef, values: &std::collections::HashMap<&str, Range3>) -> Range3 {
    d.estimate
        .iter()
        .map(|t| {
            let base = values.get(t.driver.as_str()).copied().unwrap_or(Range3::ZERO);
            t.factors.iter().fold(base, |acc, f| if f.divide { acc.div_inverse(f.value) } else { acc * f.value })
        })
        .sum()
}

/// Σ over terms of driver × factors, pairing ends so low ≤ mid ≤ high.
pub fn estimate(d: &DriverDef, resolved: &[ResolvedDriver]) -> Range3 {
    d.estimate
        .iter()
        .map(|t| {
            let base = resolved.iter().find(|r| r.id == t.driver).map_or(Range3::ZERO, |r| r.value);
            t.factors.iter().fold(base, |acc, f| if f.divide { acc.div_inverse(f.value) } else { acc * f.value })
        })
        .sum()
}

/// The estimator in words: "population × national homicide rate (5.75 per 100,000)".
pub fn describe_estimate(d: &DriverDef) -> String {
    let terms: Vec<String> = d
        .estimate
        .iter()
        .map(|t| {
            let mut s = t.driver.clone();
            for f in &t.factors {
                s.push_str(if f.divide { " ÷ " } else { " × " });
                s.push_str(&format!("{} ({})", f.name, fmt_range(f.value)));
            }
            s
        })
        .collect();
    format!("estimated: {}", terms.join(" + "))
}

/// The estimator with mid values and no prose: `population × 0.001`.
pub fn compact_formula(d: &DriverDef) -> String {
    d.estimate
        .iter()
        .map(|t| {
            let mut s = t.driver.clone();
            for f in &t.factors {
                s.push_str(if f.divide { " ÷ " } else { " × " });
                s.push_str(&fmt_num(f.value.mid));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" + ")
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
