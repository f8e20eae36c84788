//! The catalog as written in TOML, before validation.
//!
//! Unknown fields are rejected so a misspelt key (`ratoi`) is an error
//! rather than a silently ignored coefficient.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    #[serde(default)]
    pub catalog: Option<RawMeta>,
    #[serde(default)]
    pub driver: Vec<toml::Spanned<toml::Table>>,
    #[serde(default)]
    pub benchmark: Vec<toml::Spanned<toml::Table>>,
    #[serde(default)]
    pub addon: Vec<toml::Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub version: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRange {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRatio {
    pub per: f64,
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCost {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
    pub year: i64,
    pub evidence: String,
    #[serde(default)]
    pub citations: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFactor {
    pub name: String,
    pub low: f64,
    pub mid: f64,
    pub high: f64,
    #[serde(default)]
    pub divide: bool,
    pub evidence: String,
    #[serde(default)]
    pub citations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTerm {
    pub driver: String,
    #[serde(default)]
    pub factors: Vec<RawFactor>,
    #[serde(default)]
    pub if_known: Option<String>,
    #[serde(default)]
    pub unless_known: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDriver {
    pub id: String,
    pub name: String,
    pub unit: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub vintage: Option<String>,
    #[serde(default)]
    pub estimate: Vec<RawTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBenchmark {
    pub id: String,
    pub gap_area: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub unit: String,
    #[serde(default = "yes")]
    pub whole_units: bool,
    pub driver: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub ratio: Option<RawRatio>,
    #[serde(default)]
    pub caseload: Option<RawRange>,
    pub evidence: String,
    #[serde(default)]
    pub citations: Vec<String>,
    pub annual_cost: RawCost,
    #[serde(default)]
    pub startup_cost: Option<RawCost>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub min_viable: Option<f64>,
    #[serde(default)]
    pub team_of: Option<String>,
    #[serde(default)]
    pub payers: Option<RawPayers>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPayerShare {
    pub payers: Vec<String>,
    pub share: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPayers {
    pub who: Vec<String>,
    #[serde(default)]
    pub shares: Vec<RawPayerShare>,
    pub evidence: String,
    #[serde(default)]
    pub citations: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAddon {
    pub id: String,
    pub gap_area: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub share: RawRange,
    pub of: Vec<String>,
    pub evidence: String,
    #[serde(default)]
    pub citations: Vec<String>,
}
