//! The evaluators: one draw at a time ([`Model::evaluate`], for tests and
//! sensitivity) and blocks of [`CHUNK`] draws at once (what a run uses).

use super::model::*;
use super::*;
use crate::evidence::GapArea;
use crate::range::safe_div;

/// Scratch columns for evaluating a block of up to [`CHUNK`] draws at once.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) drv: Vec<f64>,
    pub(super) nc: Vec<f64>,
    pub(super) a: Vec<f64>,
    pub(super) b: Vec<f64>,
}

/// Reusable buffers for [`Model::evaluate`].
#[derive(Debug, Clone)]
pub struct Scratch {
    pub(super) drv: Vec<f64>,
    pub(super) need_cost: Vec<f64>,
    /// The evaluated figures of the last draw.
    pub out: Vec<f64>,
}

impl Model {
    /// Scratch space for [`Model::evaluate`].
    pub fn scratch(&self) -> Scratch {
        Scratch { drv: vec![0.0; self.drivers.len()], need_cost: vec![0.0; self.benches.len()], out: vec![0.0; self.series_len()] }
    }

    /// Evaluates one draw: `params` holds every input's value (see
    /// [`Model::mids`]); the figures land in `scratch.out`
    /// ([`Model::series_len`] of them: need, gap, annual and start-up cost
    /// per program in plan order, then annual, start-up and need cost per
    /// gap area and for the total).
    pub fn evaluate(&self, p: &Prepared, params: &[f64], scratch: &mut Scratch) {
        let Scratch { drv, need_cost: nc, out } = scratch;
        for (i, node) in self.drivers.iter().enumerate() {
            drv[i] = match p.supplied[i] {
                Some(v) => v,
                None => {
                    let mut sum = 0.0;
                    for t in node.terms.iter().filter(|t| t.on(p)) {
                        let mut acc = drv[t.driver];
                        for f in &t.factors {
                            let v = params[f.input];
                            acc = if f.divide { safe_div(acc, v) } else { acc * v };
                        }
                        sum += acc;
                    }
                    sum
                }
            };
        }
        let np = self.programs.len();
        let (lines, totals) = out.split_at_mut(np * PER_PROGRAM);
        for (k, b) in self.benches.iter().enumerate() {
            let d = drv[b.driver];
            let need = match b.scale {
                ScaleNode::Ratio { per, units } => safe_div(d * params[units], per),
                ScaleNode::Caseload { caseload } => safe_div(d, params[caseload]),
            };
            let gap = (need - p.existing[k]).max(0.0);
            let unit = params[b.annual];
            nc[k] = need * unit;
            let o = &mut lines[b.slot * PER_PROGRAM..(b.slot + 1) * PER_PROGRAM];
            o[0] = need;
            o[1] = gap;
            o[2] = gap * unit;
            o[3] = b.startup.map_or(0.0, |s| gap * params[s]);
        }
        for a in &self.addons {
            let share = params[a.share];
            let (mut need_c, mut annual) = (0.0, 0.0);
            for &k in &a.of {
                need_c += nc[k];
                annual += lines[self.benches[k].slot * PER_PROGRAM + 2];
            }
            let o = &mut lines[a.slot * PER_PROGRAM..(a.slot + 1) * PER_PROGRAM];
            o[0] = need_c * share;
            o[1] = annual * share;
            o[2] = annual * share;
            o[3] = 0.0;
        }
        totals.fill(0.0);
        let total_at = GapArea::ALL.len() * PER_TOTAL;
        for slot in 0..np {
            let a = self.slot_area[slot] * PER_TOTAL;
            let line = &lines[slot * PER_PROGRAM..(slot + 1) * PER_PROGRAM];
            // Need cost: a benchmark's need × unit cost; an add-on's need is
            // already in dollars.
            let ncost = match self.slot_bench[slot] {
                Some(k) => nc[k],
                None => line[0],
            };
            for (at, v) in [(0, line[2]), (1, line[3]), (2, ncost)] {
                totals[a + at] += v;
            }
        }
        // The total is the sum of the gap areas, in the report's order.
        for area in 0..GapArea::ALL.len() {
            for m in 0..PER_TOTAL {
                totals[total_at + m] += totals[area * PER_TOTAL + m];
            }
        }
    }

    pub(super) fn block(&self) -> Block {
        Block {
            drv: vec![0.0; self.drivers.len() * CHUNK],
            nc: vec![0.0; self.benches.len() * CHUNK],
            a: vec![0.0; CHUNK],
            b: vec![0.0; CHUNK],
        }
    }

    /// Evaluates draws `start..start + len` (len ≤ CHUNK) column by column;
    /// the figures land in `blk.out` as series-major columns of stride CHUNK.
    pub(super) fn eval_block(&self, p: &Prepared, draws: &Draws, start: usize, len: usize, blk: &mut Block, out: &mut [f64]) {
        let col = |src: Src| -> Result<&[f64], f64> {
            match src {
                Src::Fixed(v) => Err(v),
                Src::Col(r) => Ok(draws.column(r, start, len)),
            }
        };
        let apply = |acc: &mut [f64], src: Src, divide: bool| match (col(src), divide) {
            (Err(v), false) => acc.iter_mut().for_each(|a| *a *= v),
            (Err(v), true) => acc.iter_mut().for_each(|a| *a = safe_div(*a, v)),
            (Ok(c), false) => acc.iter_mut().zip(c).for_each(|(a, x)| *a *= x),
            (Ok(c), true) => acc.iter_mut().zip(c).for_each(|(a, x)| *a = safe_div(*a, *x)),
        };
        let Block { drv, nc, a, b } = blk;
        let (a, b) = (&mut a[..len], &mut b[..len]);
        for (i, node) in self.drivers.iter().enumerate() {
            let (before, rest) = drv.split_at_mut(i * CHUNK);
            let cur = &mut rest[..len];
            match p.supplied[i] {
                Some(v) => cur.fill(v),
                None => {
                    // A driver no ranged input reaches is computed once.
                    let l = if p.drv_fixed[i] { 1 } else { len };
                    cur[..l].fill(0.0);
                    for t in node.terms.iter().filter(|t| t.on(p)) {
                        // Drivers come in dependency order; a later one
                        // (never in a valid catalog) counts as zero.
                        if t.driver >= i {
                            continue;
                        }
                        a[..l].copy_from_slice(&before[t.driver * CHUNK..t.driver * CHUNK + l]);
                        for f in &t.factors {
                            apply(&mut a[..l], self.src_of[f.input], f.divide);
                        }
                        cur[..l].iter_mut().zip(a.iter()).for_each(|(c, x)| *c += x);
                    }
                    let v = cur[0];
                    cur[l..].fill(v);
                }
            }
        }
        let np = self.programs.len();
        let (lines, totals) = out.split_at_mut(np * PER_PROGRAM * CHUNK);
        let column = |k: usize| k * CHUNK..k * CHUNK + len;
        for (k, bn) in self.benches.iter().enumerate() {
            let d = &drv[bn.driver * CHUNK..bn.driver * CHUNK + len];
            let base = bn.slot * PER_PROGRAM * CHUNK;
            let (need, rest) = lines[base..base + PER_PROGRAM * CHUNK].split_at_mut(CHUNK);
            // The gap column is never read: its percentiles follow the need's.
            let (_, rest) = rest.split_at_mut(CHUNK);
            let (annual, startup) = rest.split_at_mut(CHUNK);
            let (need, gap, annual, startup) = (&mut need[..len], &mut *b, &mut annual[..len], &mut startup[..len]);
            // A need no ranged input reaches is computed once.
            let l = if p.fixed[bn.slot * PER_PROGRAM] { 1 } else { len };
            let need_l = &mut need[..l];
            match bn.scale {
                ScaleNode::Ratio { per, units } => match col(self.src_of[units]) {
                    Ok(u) => need_l.iter_mut().zip(d.iter().zip(u)).for_each(|(n, (d, u))| *n = safe_div(d * u, per)),
                    Err(u) => need_l.iter_mut().zip(d).for_each(|(n, d)| *n = safe_div(d * u, per)),
                },
                ScaleNode::Caseload { caseload } => match col(self.src_of[caseload]) {
                    Ok(c) => need_l.iter_mut().zip(d.iter().zip(c)).for_each(|(n, (d, c))| *n = safe_div(*d, *c)),
                    Err(c) => need_l.iter_mut().zip(d).for_each(|(n, d)| *n = safe_div(*d, c)),
                },
            }
            let v = need[0];
            need[l..].fill(v);
            let e = p.existing[k];
            gap.iter_mut().zip(need.iter()).for_each(|(g, n)| *g = (n - e).max(0.0));
            let ncol = &mut nc[k * CHUNK..k * CHUNK + len];
            match col(self.src_of[bn.annual]) {
                Ok(c) => {
                    ncol.iter_mut().zip(need.iter().zip(c)).for_each(|(o, (n, c))| *o = n * c);
                    annual.iter_mut().zip(gap.iter().zip(c)).for_each(|(o, (g, c))| *o = g * c);
                }
                Err(c) => {
                    ncol.iter_mut().zip(need.iter()).for_each(|(o, n)| *o = n * c);
                    annual.iter_mut().zip(gap.iter()).for_each(|(o, g)| *o = g * c);
                }
            }
            // Lines without a start-up cost keep a zero column (never read).
            if let Some(su) = bn.startup {
                startup.copy_from_slice(gap);
                apply(startup, self.src_of[su], false);
            }
        }
        for ad in &self.addons {
            a.fill(0.0);
            b.fill(0.0);
            for &k in &ad.of {
                a.iter_mut().zip(&nc[k * CHUNK..k * CHUNK + len]).for_each(|(x, y)| *x += y);
                let from = (self.benches[k].slot * PER_PROGRAM + 2) * CHUNK;
                b.iter_mut().zip(&lines[from..from + len]).for_each(|(x, y)| *x += y);
            }
            apply(a, self.src_of[ad.share], false);
            apply(b, self.src_of[ad.share], false);
            let slot = ad.slot * PER_PROGRAM;
            lines[column(slot)].copy_from_slice(a);
            lines[column(slot + 2)].copy_from_slice(b);
        }
        for k in 0..(GapArea::ALL.len() + 1) * PER_TOTAL {
            totals[column(k)].fill(0.0);
        }
        let total_at = GapArea::ALL.len() * PER_TOTAL;
        for slot in 0..np {
            let area = self.slot_area[slot] * PER_TOTAL;
            let need_cost = match self.slot_bench[slot] {
                Some(k) => &nc[k * CHUNK..k * CHUNK + len],
                None => &lines[column(slot * PER_PROGRAM)],
            };
            let startup = if self.slot_startup[slot] { Some(&lines[column(slot * PER_PROGRAM + 3)]) } else { None };
            let sources = [Some(&lines[column(slot * PER_PROGRAM + 2)]), startup, Some(need_cost)];
            for (m, src) in sources.into_iter().enumerate() {
                let Some(src) = src else { continue };
                totals[column(area + m)].iter_mut().zip(src).for_each(|(t, v)| *t += v);
            }
        }
        // The total is the sum of the gap areas, in the report's order.
        for area in 0..GapArea::ALL.len() {
            for m in 0..PER_TOTAL {
                let (head, tail) = totals.split_at_mut(total_at * CHUNK);
                tail[m * CHUNK..m * CHUNK + len].iter_mut().zip(&head[column(area * PER_TOTAL + m)]).for_each(|(t, v)| *t += v);
            }
        }
    }
}
