//! Nearest-rank percentiles: of one slice, and of a simulation's series
//! spread over blocks, with a hint from the last jurisdiction.

use serde::{Deserialize, Serialize};

/// The 5th, 50th and 95th percentiles of a simulated figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Percentiles {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Percentiles {
    /// A figure with no spread.
    pub const fn point(v: f64) -> Self {
        Percentiles { p5: v, p50: v, p95: v }
    }

    /// True when p5 ≤ p50 ≤ p95.
    pub fn is_ordered(&self) -> bool {
        self.p5 <= self.p50 && self.p50 <= self.p95
    }

    /// p95 − p5.
    pub fn width(&self) -> f64 {
        self.p95 - self.p5
    }
}

/// Nearest-rank percentile positions (0-based) for `n` sorted values:
/// the value at rank ⌈q·n⌉.
pub fn rank(q: f64, n: usize) -> usize {
    ((q * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1
}

/// P5, P50 and P95 of `values` by nearest rank; reorders `values`.
pub fn percentiles(values: &mut [f64]) -> Percentiles {
    let n = values.len();
    if n == 0 {
        return Percentiles::default();
    }
    let first = values[0];
    if values.iter().all(|&v| v == first) {
        return Percentiles::point(first);
    }
    let (i5, i50, i95) = (rank(0.05, n), rank(0.50, n), rank(0.95, n));
    let (left, mid, right) = values.select_nth_unstable_by(i50, f64::total_cmp);
    let p50 = *mid;
    let p5 = if i5 < i50 { *left.select_nth_unstable_by(i5, f64::total_cmp).1 } else { p50 };
    let p95 = if i95 > i50 { *right.select_nth_unstable_by(i95 - i50 - 1, f64::total_cmp).1 } else { p50 };
    Percentiles { p5, p50, p95 }
}

/// [`percentiles`] of `n` values given as consecutive slices, for the
/// simulation's own buffers.
///
/// Jurisdictions share the draws, so the draws holding a series' 5th, 50th
/// and 95th percentiles are often the same from one jurisdiction to the
/// next. `hint` holds those draw numbers from the last jurisdiction; a
/// counting pass checks them exactly (a value is the k-th smallest when at
/// most k values are below it and more than k are at or below it) and only
/// a failed check falls back to selection, which then updates the hint.
/// Either way the result is the exact nearest-rank percentile.
pub(super) fn percentiles_of<'a>(
    parts: impl Iterator<Item = &'a [f64]> + Clone,
    n: usize,
    keys: &mut Vec<u64>,
    hint: &mut [u32; 3],
    at: impl Fn(u32) -> f64,
) -> Percentiles {
    if n == 0 {
        return Percentiles::default();
    }
    let ranks = [rank(0.05, n), rank(0.50, n), rank(0.95, n)];
    if hint.iter().all(|&h| (h as usize) < n) {
        let v = hint.map(&at);
        // v is one of the values, so exactly k values below it make it the
        // k-th smallest. With ties (fewer below) it still is when more than
        // k are at or below it; that second count is only made then.
        let mut lt = [0usize; 3];
        for part in parts.clone() {
            for &x in part {
                for j in 0..3 {
                    lt[j] += (x < v[j]) as usize;
                }
            }
        }
        let mut ok = (0..3).all(|j| lt[j] <= ranks[j]);
        if ok && (0..3).any(|j| lt[j] < ranks[j]) {
            let mut le = [0usize; 3];
            for part in parts.clone() {
                for &x in part {
                    for j in 0..3 {
                        le[j] += (x <= v[j]) as usize;
                    }
                }
            }
            ok = (0..3).all(|j| ranks[j] < le[j]);
        }
        if ok {
            return Percentiles { p5: v[0], p50: v[1], p95: v[2] };
        }
    }
    let q = select_of(parts.clone(), n, keys, ranks);
    // Remember which draws hold these values, for the next jurisdiction.
    let want = [q.p5, q.p50, q.p95];
    *hint = [u32::MAX; 3];
    let mut d = 0u32;
    for part in parts {
        for &x in part {
            for j in 0..3 {
                if hint[j] == u32::MAX && x == want[j] {
                    hint[j] = d;
                }
            }
            d += 1;
        }
    }
    q
}

/// Nearest-rank percentiles by selection. Non-negative values are compared
/// as integer bit patterns (the same order, and faster); a negative or NaN
/// value falls back to [`percentiles`].
pub(super) fn select_of<'a>(
    parts: impl Iterator<Item = &'a [f64]> + Clone,
    n: usize,
    keys: &mut Vec<u64>,
    ranks: [usize; 3],
) -> Percentiles {
    keys.clear();
    let (mut ok, mut lo, mut hi) = (true, u64::MAX, 0u64);
    for part in parts.clone() {
        keys.extend(part.iter().map(|&v| {
            let v = v + 0.0; // −0.0 → +0.0
            ok &= v >= 0.0;
            let k = v.to_bits();
            lo = lo.min(k);
            hi = hi.max(k);
            k
        }));
    }
    if !ok {
        let mut values: Vec<f64> = parts.flat_map(|p| p.iter().copied()).collect();
        return percentiles(&mut values);
    }
    if lo == hi {
        return Percentiles::point(f64::from_bits(lo));
    }
    let [i5, i50, i95] = ranks;
    let (left, mid, right) = keys.select_nth_unstable(i50);
    let p50 = f64::from_bits(*mid);
    let p5 = if i5 < i50 { f64::from_bits(*left.select_nth_unstable(i5).1) } else { p50 };
    let p95 = if i95 > i50 { f64::from_bits(*right.select_nth_unstable(i95 - i50 - 1).1) } else { p50 };
    debug_assert!(n == keys.len());
    Percentiles { p5, p50, p95 }
}
