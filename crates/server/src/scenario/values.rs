//! The values a scenario's JSON holds: a driver figure or an existing
//! count (a bare number, or with its source), simulation settings, and the
//! serde helpers its optional fields use.

use super::{DEFAULT_SEED, DEFAULT_SOURCE};
use safetygap_core::drivers::SuppliedDriver;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A local driver figure: a bare number, or a number with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum DriverValue {
    /// The figure alone; its source is recorded as "local figure (web/API)".
    Number(f64),
    /// The figure with where it comes from.
    Detailed {
        /// The figure.
        value: f64,
        /// Where it comes from, e.g. "County health department, 2023".
        #[serde(default)]
        source: Option<String>,
        /// The year or period it describes.
        #[serde(default)]
        vintage: Option<String>,
    },
}

impl DriverValue {
    /// The figure.
    pub fn value(&self) -> f64 {
        match self {
            DriverValue::Number(v) | DriverValue::Detailed { value: v, .. } => *v,
        }
    }

    pub(super) fn supplied(&self) -> SuppliedDriver {
        match self {
            DriverValue::Number(v) => SuppliedDriver::given(*v, DEFAULT_SOURCE),
            DriverValue::Detailed { value, source, vintage } => SuppliedDriver {
                value: *value,
                source: source.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| DEFAULT_SOURCE.to_string()),
                vintage: vintage.clone().filter(|s| !s.trim().is_empty()),
                estimated: false,
            },
        }
    }
}

/// What exists of one program: a bare quantity, or a quantity with its
/// source and whether it was verified.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum InventoryValue {
    /// The quantity alone (unverified, no source).
    Number(f64),
    /// The quantity with provenance.
    Detailed {
        /// How many units exist.
        quantity: f64,
        /// Where the count comes from.
        #[serde(default)]
        source: Option<String>,
        /// True when the count was checked against the programs themselves.
        #[serde(default)]
        verified: bool,
    },
}

impl InventoryValue {
    /// The quantity.
    pub fn quantity(&self) -> f64 {
        match self {
            InventoryValue::Number(q) | InventoryValue::Detailed { quantity: q, .. } => *q,
        }
    }
}

// Hand-written so a wrong shape says what is expected, instead of serde's
// "did not match any variant of untagged enum".
impl<'de> Deserialize<'de> for DriverValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Detailed {
            value: f64,
            #[serde(default)]
            source: Option<String>,
            #[serde(default)]
            vintage: Option<String>,
        }
        const EXPECTED: &str = "expected a number (e.g. 50) or an object like {\"value\": 50, \"source\": \"...\", \"vintage\": \"2023\"}";
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.as_f64().map(DriverValue::Number).ok_or_else(|| serde::de::Error::custom(EXPECTED)),
            v @ serde_json::Value::Object(_) => {
                let x: Detailed = serde_json::from_value(v).map_err(|e| serde::de::Error::custom(format!("{e}; {EXPECTED}")))?;
                Ok(DriverValue::Detailed { value: x.value, source: x.source, vintage: x.vintage })
            }
            _ => Err(serde::de::Error::custom(EXPECTED)),
        }
    }
}

impl<'de> Deserialize<'de> for InventoryValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Detailed {
            quantity: f64,
            #[serde(default)]
            source: Option<String>,
            #[serde(default)]
            verified: bool,
        }
        const EXPECTED: &str = "expected a number (e.g. 12) or an object like {\"quantity\": 12, \"source\": \"...\", \"verified\": true}";
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.as_f64().map(InventoryValue::Number).ok_or_else(|| serde::de::Error::custom(EXPECTED)),
            v @ serde_json::Value::Object(_) => {
                let x: Detailed = serde_json::from_value(v).map_err(|e| serde::de::Error::custom(format!("{e}; {EXPECTED}")))?;
                Ok(InventoryValue::Detailed { quantity: x.quantity, source: x.source, verified: x.verified })
            }
            _ => Err(serde::de::Error::custom(EXPECTED)),
        }
    }
}

/// Simulation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Simulate {
    /// Number of draws, 1 to 20,000 (2,000 gives stable 5th and 95th percentiles).
    #[serde(deserialize_with = "whole")]
    pub draws: u32,
    /// Seed of the random stream: the same seed and draws give the same numbers.
    #[serde(default = "default_seed", deserialize_with = "whole")]
    pub seed: u64,
}

/// A whole number, also when written with a fraction of zero (`2000.0`),
/// as JSON Schema's `integer` allows.
fn whole<'de, D: serde::Deserializer<'de>, T: TryFrom<u64>>(d: D) -> Result<T, D::Error> {
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    let v = n
        .as_u64()
        .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < u64::MAX as f64).map(|f| f as u64))
        .ok_or_else(|| D::Error::custom(format!("expected a whole number of 0 or more, got {n}")))?;
    T::try_from(v).map_err(|_| D::Error::custom(format!("{v} is too large")))
}

fn default_seed() -> u64 {
    DEFAULT_SEED
}

/// An optional text that, when present, is a string (not `null`: the
/// document says a string, so `null` is refused rather than read as absent).
pub(super) fn some_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// An optional whole number (see [`whole`]); present, not `null`.
pub(super) fn opt_whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    whole(d).map(Some)
}
