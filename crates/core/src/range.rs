//! Low / mid / high triples, the shape of every uncertain figure in a plan.

use serde::{Deserialize, Serialize};

/// A figure known only as a range: a low, a central and a high value.
///
/// Kept as three plain numbers (not an interval type) because every
/// published benchmark we implement is quoted that way, and the JSON
/// contract exposes exactly these three fields.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Range3 {
    /// The low end of the range.
    pub low: f64,
    /// The central estimate.
    pub mid: f64,
    /// The high end of the range.
    pub high: f64,
}

impl Range3 {
    /// A range with no spread.
    pub const fn point(v: f64) -> Self {
        Range3 { low: v, mid: v, high: v }
    }

    /// All zeros.
    pub const ZERO: Range3 = Range3::point(0.0);

    /// Builds a range from its three parts.
    pub const fn new(low: f64, mid: f64, high: f64) -> Self {
        Range3 { low, mid, high }
    }

    /// Applies `f` to each end (for monotone increasing functions only).
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        Range3::new(f(self.low), f(self.mid), f(self.high))
    }

    /// Multiplies each end by the same number.
    pub fn scale(self, k: f64) -> Self {
        self.map(|v| v * k)
    }

    /// Divides by a range of divisors, pairing the low result with the high
    /// divisor so the result stays ordered low ≤ mid ≤ high.
    pub fn div_inverse(self, divisor: Range3) -> Self {
        Range3::new(safe_div(self.low, divisor.high), safe_div(self.mid, divisor.mid), safe_div(self.high, divisor.low))
    }

    /// `max(0, self - other)`, end by end: the gap left after what exists.
    pub fn saturating_sub(self, existing: f64) -> Self {
        self.map(|v| (v - existing).max(0.0))
    }

    /// True when low ≤ mid ≤ high.
    pub fn is_ordered(&self) -> bool {
        self.low <= self.mid && self.mid <= self.high
    }

    /// True when all three values are finite.
    pub fn is_finite(&self) -> bool {
        self.low.is_finite() && self.mid.is_finite() && self.high.is_finite()
    }
}

/// Division that treats x/0 as 0: a driver with no divisor yields no need
/// rather than infinity (validation already rejects zero divisors in
/// catalogs; this guards derived values).
pub(crate) fn safe_div(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// Component-wise sum.
impl std::ops::Add for Range3 {
    type Output = Range3;
    fn add(self, o: Range3) -> Range3 {
        Range3::new(self.low + o.low, self.mid + o.mid, self.high + o.high)
    }
}

/// Component-wise product: low with low, mid with mid, high with high
/// (right for non-negative figures, which is all a catalog allows).
impl std::ops::Mul for Range3 {
    type Output = Range3;
    fn mul(self, o: Range3) -> Range3 {
        Range3::new(self.low * o.low, self.mid * o.mid, self.high * o.high)
    }
}

impl std::iter::Sum for Range3 {
    fn sum<I: Iterator<Item = Range3>>(iter: I) -> Range3 {
        iter.fold(Range3::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_division_keeps_order() {
        let r = Range3::point(300.0).div_inverse(Range3::new(15.0, 15.0, 20.0));
        assert_eq!(r, Range3::new(15.0, 20.0, 20.0));
        assert!(r.is_ordered());
    }

    #[test]
    fn gap_never_negative() {
        assert_eq!(Range3::new(1.0, 2.0, 3.0).saturating_sub(2.5), Range3::new(0.0, 0.0, 0.5));
    }
}
