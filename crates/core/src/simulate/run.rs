//! The run: evaluate every draw for a jurisdiction, reduce each series to its
//! percentiles, and assemble the [`Simulation`]; the public entry points.

use super::eval::*;
use super::model::*;
use super::percentiles::*;
use super::*;
use crate::catalog::Catalog;
use crate::evidence::GapArea;
use crate::plan::PlanInput;
use crate::range::safe_div;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Per-thread buffers reused across jurisdictions.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub(super) series: Vec<f64>,
    pub(super) keys: Vec<u64>,
    /// Per series, the draws that held its percentiles last time.
    pub(super) hints: Vec<[u32; 3]>,
    pub(super) block: Option<Block>,
}

impl Model {
    /// Simulates one prepared jurisdiction against drawn inputs.
    ///
    /// Parallel over chunks of draws when `parallel` is set (for a single
    /// jurisdiction); a batch parallelises over jurisdictions instead.
    pub fn run(&self, p: &Prepared, draws: &Draws, parallel: bool) -> Simulation {
        self.run_with(p, draws, parallel, &mut Workspace::default())
    }

    /// [`Model::run`] reusing a workspace's buffers.
    ///
    /// Draws are evaluated in blocks of [`CHUNK`], each block writing its
    /// series (stride CHUNK) into its own stretch of one buffer; percentiles
    /// then read each series across the blocks in draw order.
    pub fn run_with(&self, p: &Prepared, draws: &Draws, parallel: bool, ws: &mut Workspace) -> Simulation {
        let n = draws.options.draws as usize;
        let s = self.series_len();
        let nblocks = n.div_ceil(CHUNK);
        let stretch = s * CHUNK;
        ws.series.resize(nblocks * stretch, 0.0);
        let buf = &mut ws.series[..nblocks * stretch];
        if parallel && nblocks > 1 {
            buf.par_chunks_mut(stretch).enumerate().for_each_init(
                || self.block(),
                |blk, (c, out)| {
                    if self.is_cancelled() {
                        return;
                    }
                    let start = c * CHUNK;
                    self.eval_block(p, draws, start, CHUNK.min(n - start), blk, out);
                },
            );
        } else {
            let mut blk = ws.block.take().unwrap_or_else(|| self.block());
            for (c, out) in buf.chunks_mut(stretch).enumerate() {
                if self.is_cancelled() {
                    break;
                }
                let start = c * CHUNK;
                self.eval_block(p, draws, start, CHUNK.min(n - start), &mut blk, out);
            }
            ws.block = Some(blk);
        }
        let buf = &ws.series[..nblocks * stretch];
        // Series k of block c is buf[c * stretch + k * CHUNK..][..len(c)].
        let series =
            |k: usize| (0..nblocks).map(move |c| &buf[c * stretch + k * CHUNK..c * stretch + k * CHUNK + CHUNK.min(n - c * CHUNK)]);
        // Gap = max(0, need − existing) is non-decreasing in need, so its
        // nearest-rank percentiles are the need's mapped (exactly); an
        // add-on's gap is its annual cost.
        // Start-up columns of lines without a start-up cost are zero and
        // never written.
        let derived = |k: usize| -> bool {
            k < self.programs.len() * PER_PROGRAM && (k % PER_PROGRAM == 1 || (k % PER_PROGRAM == 3 && !self.slot_startup[k / PER_PROGRAM]))
        };
        let value_at = |k: usize| {
            move |d: u32| {
                let d = d as usize;
                buf[(d / CHUNK) * stretch + k * CHUNK + d % CHUNK]
            }
        };
        // Series no ranged input reaches are the same in every draw: read
        // them off draw 0.
        let fixed = |k: usize| -> Option<Percentiles> { p.fixed[k].then(|| Percentiles::point(value_at(k)(0))) };
        let mut pct: Vec<Percentiles> = if parallel {
            (0..s)
                .into_par_iter()
                .map_init(Vec::new, |keys, k| {
                    if derived(k) {
                        Percentiles::default()
                    } else if let Some(q) = fixed(k) {
                        q
                    } else {
                        percentiles_of(series(k), n, keys, &mut [u32::MAX; 3], value_at(k))
                    }
                })
                .collect()
        } else {
            let Workspace { keys, hints, .. } = ws;
            hints.resize(s, [u32::MAX; 3]);
            (0..s)
                .map(|k| {
                    if derived(k) {
                        Percentiles::default()
                    } else if let Some(q) = fixed(k) {
                        q
                    } else {
                        percentiles_of(series(k), n, keys, &mut hints[k], value_at(k))
                    }
                })
                .collect()
        };
        for (slot, bench) in self.slot_bench.iter().enumerate() {
            let at = slot * PER_PROGRAM;
            pct[at + 1] = match bench {
                Some(k) => {
                    let e = p.existing[*k];
                    let q = pct[at];
                    Percentiles { p5: (q.p5 - e).max(0.0), p50: (q.p50 - e).max(0.0), p95: (q.p95 - e).max(0.0) }
                }
                None => pct[at + 2],
            };
        }
        self.assemble(draws.options, p.population, &pct)
    }

    pub(super) fn assemble(&self, options: SimOptions, population: f64, pct: &[Percentiles]) -> Simulation {
        let programs = self
            .programs
            .iter()
            .enumerate()
            .map(|(i, pr)| {
                let o = &pct[i * PER_PROGRAM..];
                SimProgram { id: pr.id.clone(), gap_area: pr.gap_area, need: o[0], gap: o[1], annual_cost: o[2], startup_cost: o[3] }
            })
            .collect();
        let base = self.programs.len() * PER_PROGRAM;
        let sub = |j: usize| {
            let o = &pct[base + j * PER_TOTAL..];
            let per = |q: Percentiles| Percentiles {
                p5: safe_div(q.p5, population),
                p50: safe_div(q.p50, population),
                p95: safe_div(q.p95, population),
            };
            SimSubtotal { annual_cost: o[0], startup_cost: o[1], need_cost: o[2], annual_cost_per_resident: per(o[0]) }
        };
        let gap_areas = GapArea::ALL.iter().enumerate().map(|(j, g)| SimArea { gap_area: *g, totals: sub(j) }).collect();
        Simulation {
            draws: options.draws,
            seed: options.seed,
            distribution: "pert".into(),
            percentile_method: "nearest_rank".into(),
            ranged_inputs: self.ranged.len(),
            programs,
            gap_areas,
            totals: sub(GapArea::ALL.len()),
        }
    }
}

/// Simulated percentiles of one program line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimProgram {
    /// Program id.
    pub id: String,
    /// Its gap area.
    pub gap_area: GapArea,
    /// Need (units; dollars a year for add-ons).
    pub need: Percentiles,
    /// max(0, need − existing).
    pub gap: Percentiles,
    /// Annual cost to close the gap.
    pub annual_cost: Percentiles,
    /// One-off start-up cost of the gap's units.
    pub startup_cost: Percentiles,
}

/// Simulated percentiles of a sum of programs. Each percentile is of the
/// sum, not a sum of percentiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimSubtotal {
    /// Annual cost to close the gap.
    pub annual_cost: Percentiles,
    /// One-off start-up cost.
    pub startup_cost: Percentiles,
    /// Annual cost of meeting the whole need.
    pub need_cost: Percentiles,
    /// Annual gap cost ÷ population.
    pub annual_cost_per_resident: Percentiles,
}

/// A gap area's simulated subtotal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimArea {
    /// The gap area.
    pub gap_area: GapArea,
    /// Its sums.
    #[serde(flatten)]
    pub totals: SimSubtotal,
}

/// The result of a simulation: percentiles per program, gap area and total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// Number of draws.
    pub draws: u32,
    /// Seed of the random stream.
    pub seed: u64,
    /// Distribution of ranged inputs (`pert`: Beta-PERT over low/mid/high, shape 4).
    pub distribution: String,
    /// How percentiles are read off the draws (`nearest_rank`).
    pub percentile_method: String,
    /// How many catalog inputs had a range and were drawn.
    pub ranged_inputs: usize,
    /// One per plan line, in the plan's order.
    pub programs: Vec<SimProgram>,
    /// One per gap area.
    pub gap_areas: Vec<SimArea>,
    /// Over all programs.
    pub totals: SimSubtotal,
}

impl Simulation {
    /// The simulated line for a program id.
    pub fn program(&self, id: &str) -> Option<&SimProgram> {
        self.programs.iter().find(|p| p.id == id)
    }

    /// Every percentile triple with a name, for checks and tests.
    pub fn all(&self) -> Vec<(String, Percentiles)> {
        let mut v = Vec::new();
        for p in &self.programs {
            for (k, q) in [("need", p.need), ("gap", p.gap), ("annual_cost", p.annual_cost), ("startup_cost", p.startup_cost)] {
                v.push((format!("{}.{k}", p.id), q));
            }
        }
        let subs = self
            .gap_areas
            .iter()
            .map(|a| (a.gap_area.as_str().to_string(), &a.totals))
            .chain(std::iter::once(("total".to_string(), &self.totals)));
        for (name, s) in subs {
            for (k, q) in [
                ("annual_cost", s.annual_cost),
                ("startup_cost", s.startup_cost),
                ("need_cost", s.need_cost),
                ("annual_cost_per_resident", s.annual_cost_per_resident),
            ] {
                v.push((format!("{name}.{k}"), q));
            }
        }
        v
    }
}

/// Simulates one jurisdiction.
pub fn simulate(catalog: &Catalog, input: &PlanInput, options: SimOptions) -> Result<Simulation, SimError> {
    run_model(Model::compile(catalog), catalog, input, options)
}

/// [`simulate`] that stops early, answering [`SimError::Cancelled`], once
/// `cancel` is set (checked before each chunk of [`CHUNK`] draws).
pub fn simulate_cancellable(
    catalog: &Catalog,
    input: &PlanInput,
    options: SimOptions,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<Simulation, SimError> {
    run_model(Model::compile(catalog).with_cancel(cancel), catalog, input, options)
}

pub(super) fn run_model(model: Model, catalog: &Catalog, input: &PlanInput, options: SimOptions) -> Result<Simulation, SimError> {
    model.check_draws(options.draws)?;
    let p = model.prepare(catalog, input)?;
    if model.is_cancelled() {
        return Err(SimError::Cancelled);
    }
    let draws = model.draw(options);
    if model.is_cancelled() {
        return Err(SimError::Cancelled);
    }
    let sim = model.run(&p, &draws, true);
    if model.is_cancelled() {
        return Err(SimError::Cancelled);
    }
    Ok(sim)
}

/// Simulates many jurisdictions against one set of draws, in parallel over
/// jurisdictions. Each result equals [`simulate`] for that input alone.
pub fn simulate_many(catalog: &Catalog, inputs: &[PlanInput], options: SimOptions) -> Result<Vec<Simulation>, SimError> {
    let model = Model::compile(catalog);
    model.check_draws(options.draws)?;
    let prepared: Vec<Prepared> = inputs.iter().map(|i| model.prepare(catalog, i)).collect::<Result<_, _>>()?;
    let draws = model.draw(options);
    Ok(prepared.par_iter().map_init(Workspace::default, |ws, p| model.run_with(p, &draws, false, ws)).collect())
}
