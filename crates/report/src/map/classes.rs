//! Classes of a choropleth: the colour ramp and the class edges (quantile
//! or fixed bins).

use super::{Bins, MapError};

/// Sequential palette (ColorBrewer YlGnBu, light to dark, lightest dropped
/// so the first class stays visible against the page).
pub(super) const RAMP: [&str; 8] = ["#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"];
pub(super) const NO_DATA: &str = "#e3e5e8";

/// `k` colours spread over the ramp.
pub fn palette(k: usize) -> Vec<&'static str> {
    match k {
        0 => vec![],
        1 => vec![RAMP[4]],
        _ => (0..k).map(|i| RAMP[(i * (RAMP.len() - 1) + (k - 1) / 2) / (k - 1)]).collect(),
    }
}

/// Class edges for the values: each edge starts a class.
pub fn edges(values: &[f64], bins: &Bins) -> Result<Vec<f64>, MapError> {
    match bins {
        Bins::Fixed(e) => {
            if e.iter().any(|v| !v.is_finite()) || e.windows(2).any(|w| w[0] >= w[1]) {
                return Err(MapError::BadBins(format!("{e:?}: give finite numbers in increasing order")));
            }
            Ok(e.clone())
        }
        Bins::Quantile(k) => {
            let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            let k = (*k).clamp(1, RAMP.len());
            let mut out: Vec<f64> = Vec::new();
            if v.is_empty() {
                return Ok(out);
            }
            for i in 1..k {
                let e = v[(i * v.len() / k).min(v.len() - 1)];
                if e > v[0] && out.last().is_none_or(|&l| e > l) {
                    out.push(e);
                }
            }
            Ok(out)
        }
    }
}

/// Which class a value falls in: the number of edges at or below it.
pub fn class_of(v: f64, edges: &[f64]) -> usize {
    edges.partition_point(|&e| e <= v)
}
