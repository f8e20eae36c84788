//! One-at-a-time sensitivity: which inputs move the total cost most.
//!
//! Every ranged catalog input is moved from its low to its high value while
//! all others stay at mid; the swing in total annual cost to close the gap
//! ranks the inputs (a tornado chart's bars). Inputs that cannot move the
//! total for this place — a driver factor whose driver was given locally, a
//! program whose gap is already closed — have no swing and are left out.

use crate::catalog::Catalog;
use crate::drivers::DriverError;
use crate::plan::PlanInput;
use crate::simulate::{Input, Model};
use serde::{Deserialize, Serialize};

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Swing {
    /// The input moved.
    pub input: Input,
    /// Total annual cost with the input at its low value.
    pub at_low: f64,
    /// Total annual cost with the input at its high value.
    pub at_high: f64,
    /// |at_high − at_low|.
    pub swing: f64,
    /// swing ÷ the sum of all swings.
    pub share: f64,
}

/// The ranked inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tornado {
    /// Total annual cost to close the gap with every input at mid.
    pub base: f64,
    /// Inputs with a non-zero swing, largest first.
    pub swings: Vec<Swing>,
    /// Sum of the swings.
    pub total_swing: f64,
    /// Ranged inputs in the catalog (including those with no swing here).
    pub ranged_inputs: usize,
}

/// Ranks every ranged input by its one-at-a-time swing in total annual cost.
pub fn tornado(catalog: &Catalog, input: &PlanInput) -> Result<Tornado, DriverError> {
    let model = Model::compile(catalog);
    let prepared = model.prepare(catalog, input)?;
    let mut scratch = model.scratch();
    let total_at = model.series_len() - 3;
    let mut params = model.mids();
    model.evaluate(&prepared, &params, &mut scratch);
    let base = scratch.out[total_at];
    let mut swings = Vec::new();
    for &i in model.ranged() {
        let range = model.inputs[i].range;
        params[i] = range.low;
        model.evaluate(&prepared, &params, &mut scratch);
        let at_low = scratch.out[total_at];
        params[i] = range.high;
        model.evaluate(&prepared, &params, &mut scratch);
        let at_high = scratch.out[total_at];
        params[i] = range.mid;
        let swing = (at_high - at_low).abs();
        // Ignore rounding noise relative to the total.
        if swing > 1e-9 * base.abs().max(1.0) {
            swings.push(Swing { input: model.inputs[i].clone(), at_low, at_high, swing, share: 0.0 });
        }
    }
    let total_swing: f64 = swings.iter().map(|s| s.swing).sum();
    for s in &mut swings {
        s.share = if total_swing > 0.0 { s.swing / total_swing } else { 0.0 };
    }
    swings.sort_by(|a, b| b.swing.total_cmp(&a.swing).then_with(|| a.input.id.cmp(&b.input.id)));
    Ok(Tornado { base, swings, total_swing, ranged_inputs: model.ranged().len() })
}
