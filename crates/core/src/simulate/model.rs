//! The model: the catalog compiled into flat index arrays, a jurisdiction
//! prepared for it, and the inputs drawn once for every jurisdiction.

use super::*;
use crate::catalog::{Catalog, Scale};
use crate::drivers::{self, DriverError};
use crate::evidence::{Evidence, GapArea};
use crate::plan::PlanInput;
use crate::range::Range3;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Pert};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of catalog figure an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Units per `per` of the driver.
    Ratio,
    /// Driver units served by one unit.
    Caseload,
    /// Annual cost per unit.
    AnnualCost,
    /// One-off start-up cost per unit.
    StartupCost,
    /// An add-on's share of base cost.
    AddonShare,
    /// A factor in a driver's default estimate.
    DriverFactor,
}

/// One catalog figure that may be uncertain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// Stable id: `benchmark.ratio`, `benchmark.annual_cost`, `addon.share`,
    /// `driver.factor<i>` and so on.
    pub id: String,
    /// What it is, in words.
    pub label: String,
    /// Which kind of figure.
    pub kind: InputKind,
    /// The catalog's low / mid / high.
    pub range: Range3,
    /// How it is known.
    pub evidence: Evidence,
}

impl Input {
    /// True when the input has a spread and is drawn in a simulation.
    pub fn is_ranged(&self) -> bool {
        self.range.low < self.range.high
    }
}

#[derive(Debug, Clone)]
pub(super) struct FactorRef {
    pub(super) input: usize,
    pub(super) divide: bool,
}

#[derive(Debug, Clone)]
pub(super) struct TermNode {
    pub(super) driver: usize,
    pub(super) factors: Vec<FactorRef>,
    /// `Some((driver, wanted))`: the term counts only when that driver's
    /// having a figure for the place equals `wanted`.
    pub(super) condition: Option<(usize, bool)>,
}

impl TermNode {
    pub(super) fn on(&self, p: &Prepared) -> bool {
        self.condition.is_none_or(|(d, wanted)| p.given[d] == wanted)
    }
}

#[derive(Debug, Clone)]
pub(super) struct DriverNode {
    pub(super) terms: Vec<TermNode>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum ScaleNode {
    Ratio { per: f64, units: usize },
    Caseload { caseload: usize },
}

#[derive(Debug, Clone)]
pub(super) struct BenchNode {
    pub(super) driver: usize,
    pub(super) scale: ScaleNode,
    pub(super) annual: usize,
    pub(super) startup: Option<usize>,
    pub(super) slot: usize,
}

#[derive(Debug, Clone)]
pub(super) struct AddonNode {
    pub(super) share: usize,
    pub(super) of: Vec<usize>,
    pub(super) slot: usize,
}

/// A program line as it appears in plans, in the plan's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramRef {
    /// Program id.
    pub id: String,
    /// Its gap area.
    pub gap_area: GapArea,
    /// True for add-ons.
    pub addon: bool,
}

/// The catalog compiled for fast repeated evaluation: every input in one
/// flat array, drivers, benchmarks and add-ons as index lists.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every catalog figure that could be uncertain (fixed ones included).
    pub inputs: Vec<Input>,
    /// Driver ids in dependency order.
    pub driver_ids: Vec<String>,
    /// Program lines in plan order.
    pub programs: Vec<ProgramRef>,
    pub(super) drivers: Vec<DriverNode>,
    pub(super) benches: Vec<BenchNode>,
    pub(super) bench_ids: Vec<String>,
    pub(super) addons: Vec<AddonNode>,
    /// Gap-area index (0..4) of each program slot.
    pub(super) slot_area: Vec<usize>,
    /// The benchmark index of each program slot (None for add-ons).
    pub(super) slot_bench: Vec<Option<usize>>,
    /// Whether each program slot has a start-up cost (else it is zero).
    pub(super) slot_startup: Vec<bool>,
    /// Indices into `inputs` of the ranged ones, in draw order.
    pub(super) ranged: Vec<usize>,
    pub(super) dists: Vec<Pert<f64>>,
    /// For every input: fixed at mid, or its column among the draws.
    pub(super) src_of: Vec<Src>,
    pub(super) population: Option<usize>,
    /// Set from outside to stop a run early (checked once per chunk).
    pub(super) cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// Series layout of one evaluated draw: four per program (need, gap,
/// annual, start-up), then three per gap area and three for the total
/// (annual, start-up, need cost).
pub(super) const PER_PROGRAM: usize = 4;
pub(super) const PER_TOTAL: usize = 3;

/// The inputs drawn for a simulation, one column per ranged input.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// The options they were drawn with.
    pub options: SimOptions,
    /// Number of ranged inputs (columns).
    pub width: usize,
    /// Column-major: draw `d`'s value of ranged input `r` is
    /// `values[r * draws + d]`.
    pub values: Vec<f64>,
}

impl Draws {
    /// Ranged input `r`'s values for draws `start..start + len`.
    pub fn column(&self, r: usize, start: usize, len: usize) -> &[f64] {
        let n = self.options.draws as usize;
        &self.values[r * n + start..r * n + start + len]
    }
}

/// Where an input's value comes from in a simulation.
#[derive(Debug, Clone, Copy)]
pub(super) enum Src {
    Fixed(f64),
    Col(usize),
}

/// A jurisdiction reduced to what evaluation needs.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(super) supplied: Vec<Option<f64>>,
    /// Per driver: a figure supplied for the place (given or estimated from
    /// a larger geography), as opposed to the catalog's default.
    pub(super) given: Vec<bool>,
    pub(super) existing: Vec<f64>,
    pub(super) population: f64,
    /// Per series: true when no ranged input reaches it for this place
    /// (its drivers given, its ratio and costs single values), so every
    /// draw gives the same figure.
    pub(super) fixed: Vec<bool>,
    /// Per driver: true when it is the same in every draw.
    pub(super) drv_fixed: Vec<bool>,
}

impl Prepared {
    /// Per evaluated series (the layout of [`Model::evaluate`]'s output):
    /// true when no ranged input reaches it for this place.
    pub fn fixed(&self) -> &[bool] {
        &self.fixed
    }
}

impl Model {
    /// Compiles a validated catalog.
    pub fn compile(catalog: &Catalog) -> Model {
        let mut inputs = Vec::new();
        let mut push = |id: String, label: String, kind: InputKind, range: Range3, evidence: Evidence| {
            inputs.push(Input { id, label, kind, range, evidence });
            inputs.len() - 1
        };
        let driver_ids: Vec<String> = catalog.drivers.iter().map(|d| d.id.clone()).collect();
        let index_of = |id: &str| driver_ids.iter().position(|d| d == id);
        let mut drivers = Vec::with_capacity(catalog.drivers.len());
        for d in &catalog.drivers {
            let mut terms = Vec::new();
            let mut n = 0;
            for t in &d.estimate {
                let Some(driver) = index_of(&t.driver) else { continue };
                let factors = t
                    .factors
                    .iter()
                    .map(|f| {
                        n += 1;
                        let input = push(
                            format!("{}.factor{n}", d.id),
                            format!("{}: {}", d.name, f.name),
                            InputKind::DriverFactor,
                            f.value,
                            f.evidence,
                        );
                        FactorRef { input, divide: f.divide }
                    })
                    .collect();
                let condition = match &t.condition {
                    crate::catalog::Condition::Always => None,
                    crate::catalog::Condition::IfKnown(c) => index_of(c).map(|i| (i, true)),
                    crate::catalog::Condition::UnlessKnown(c) => index_of(c).map(|i| (i, false)),
                };
                terms.push(TermNode { driver, factors, condition });
            }
            drivers.push(DriverNode { terms });
        }

        // Plan order: benchmarks then add-ons, stably grouped by gap area.
        let mut order: Vec<ProgramRef> = catalog
            .benchmarks
            .iter()
            .map(|b| ProgramRef { id: b.id.clone(), gap_area: b.gap_area, addon: false })
            .chain(catalog.addons.iter().map(|a| ProgramRef { id: a.id.clone(), gap_area: a.gap_area, addon: true }))
            .collect();
        order.sort_by_key(|p| p.gap_area);
        let slot_of = |id: &str, addon: bool| order.iter().position(|p| p.id == id && p.addon == addon).expect("every program has a slot");

        let mut benches = Vec::with_capacity(catalog.benchmarks.len());
        for b in &catalog.benchmarks {
            let scale = match &b.scale {
                Scale::Ratio { per, units } => ScaleNode::Ratio {
                    per: *per,
                    units: push(
                        format!("{}.ratio", b.id),
                        format!("{}: {} per {} of {}", b.name, b.unit, drivers::fmt_num(*per), b.driver),
                        InputKind::Ratio,
                        *units,
                        b.evidence,
                    ),
                },
                Scale::Caseload { caseload } => ScaleNode::Caseload {
                    caseload: push(
                        format!("{}.caseload", b.id),
                        format!("{}: caseload ({} per one of {})", b.name, b.driver, b.unit),
                        InputKind::Caseload,
                        *caseload,
                        b.evidence,
                    ),
                },
            };
            let annual = push(
                format!("{}.annual_cost", b.id),
                format!("{}: annual cost per unit", b.name),
                InputKind::AnnualCost,
                b.annual_cost.amount,
                b.annual_cost.evidence,
            );
            let startup = b.startup_cost.as_ref().map(|c| {
                push(
                    format!("{}.startup_cost", b.id),
                    format!("{}: start-up cost per unit", b.name),
                    InputKind::StartupCost,
                    c.amount,
                    c.evidence,
                )
            });
            benches.push(BenchNode { driver: index_of(&b.driver).unwrap_or(0), scale, annual, startup, slot: slot_of(&b.id, false) });
        }
        let bench_ids: Vec<String> = catalog.benchmarks.iter().map(|b| b.id.clone()).collect();
        let mut addons = Vec::with_capacity(catalog.addons.len());
        for a in &catalog.addons {
            let share =
                push(format!("{}.share", a.id), format!("{}: share of base cost", a.name), InputKind::AddonShare, a.share, a.evidence);
            let of = a.of.iter().filter_map(|id| bench_ids.iter().position(|b| b == id)).collect();
            addons.push(AddonNode { share, of, slot: slot_of(&a.id, true) });
        }
        let slot_bench = (0..order.len()).map(|slot| benches.iter().position(|b: &BenchNode| b.slot == slot)).collect();
        let slot_startup = (0..order.len()).map(|slot| benches.iter().any(|b: &BenchNode| b.slot == slot && b.startup.is_some())).collect();
        let slot_area = order.iter().map(|p| GapArea::ALL.iter().position(|g| *g == p.gap_area).unwrap_or(0)).collect();
        let ranged: Vec<usize> = (0..inputs.len()).filter(|&i| inputs[i].is_ranged()).collect();
        let dists = ranged
            .iter()
            .map(|&i| {
                let r = inputs[i].range;
                Pert::new(r.low, r.high)
                    .with_mode(r.mid.clamp(r.low, r.high))
                    .expect("low < high and low ≤ mid ≤ high are checked when the catalog loads")
            })
            .collect();
        let population = index_of("population");
        let src_of = (0..inputs.len())
            .map(|i| match ranged.iter().position(|&r| r == i) {
                Some(r) => Src::Col(r),
                None => Src::Fixed(inputs[i].range.mid),
            })
            .collect();
        Model {
            inputs,
            driver_ids,
            programs: order,
            drivers,
            benches,
            bench_ids,
            addons,
            slot_area,
            slot_bench,
            slot_startup,
            ranged,
            dists,
            src_of,
            population,
            cancel: None,
        }
    }

    /// Numbers held per draw: the drawn inputs (twice, while transposed)
    /// and the result series.
    pub fn cells_per_draw(&self) -> u64 {
        (2 * self.ranged.len() + self.series_len()) as u64
    }

    /// The most draws this catalog allows: [`MAX_CELLS`] over
    /// [`Model::cells_per_draw`], and never more than [`MAX_DRAWS`].
    pub fn max_draws(&self) -> u32 {
        (MAX_CELLS / self.cells_per_draw().max(1)).clamp(1, MAX_DRAWS as u64) as u32
    }

    /// Checks the number of draws against this catalog's limit.
    pub fn check_draws(&self, draws: u32) -> Result<(), SimError> {
        check_draws(draws as u64)?;
        let max = self.max_draws();
        if draws > max {
            return Err(SimError::TooLarge { draws, max });
        }
        Ok(())
    }

    /// Makes runs of this model stop early once `flag` is set.
    pub fn with_cancel(mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// True once the cancel flag is set.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Indices into [`Model::inputs`] of the ranged inputs, in draw order.
    pub fn ranged(&self) -> &[usize] {
        &self.ranged
    }

    /// Number of evaluated series per draw.
    pub fn series_len(&self) -> usize {
        self.programs.len() * PER_PROGRAM + (GapArea::ALL.len() + 1) * PER_TOTAL
    }

    /// Every input at its mid value.
    pub fn mids(&self) -> Vec<f64> {
        self.inputs.iter().map(|i| i.range.mid).collect()
    }

    /// Validates a jurisdiction's inputs and reduces them to index form.
    pub fn prepare(&self, catalog: &Catalog, input: &PlanInput) -> Result<Prepared, DriverError> {
        // Same checks (unknown, missing, bad values) and messages as a plan;
        // the full resolution (with its prose) only runs to report a problem.
        let known = |id: &str| self.driver_ids.iter().any(|d| d == id);
        let bad = input.drivers.iter().any(|(id, s)| !known(id) || drivers::check_value(id, s.value).is_err())
            || catalog.drivers.iter().any(|d| d.is_required() && !input.drivers.contains_key(&d.id));
        if bad {
            drivers::resolve(catalog, &input.drivers)?;
        }
        let supplied = self.driver_ids.iter().map(|id| input.drivers.get(id).map(|s| s.value)).collect();
        let existing = self.bench_ids.iter().map(|id| input.inventory.items.get(id).map_or(0.0, |i| i.quantity)).collect();
        let population = self.population.and_then(|i| input.drivers.get(&self.driver_ids[i])).map_or(0.0, |s| s.value);
        let given = self.driver_ids.iter().map(|id| input.drivers.contains_key(id)).collect();
        let mut p = Prepared { supplied, given, existing, population, fixed: Vec::new(), drv_fixed: Vec::new() };
        (p.fixed, p.drv_fixed) = self.fixed_series(&p);
        Ok(p)
    }

    /// Which series cannot vary for a prepared place (see [`Prepared`]).
    pub(super) fn fixed_series(&self, p: &Prepared) -> (Vec<bool>, Vec<bool>) {
        let ranged = |i: usize| self.inputs[i].is_ranged();
        let mut drv_random = vec![false; self.drivers.len()];
        for (i, node) in self.drivers.iter().enumerate() {
            drv_random[i] = p.supplied[i].is_none()
                && node
                    .terms
                    .iter()
                    .filter(|t| t.on(p))
                    .any(|t| (t.driver < i && drv_random[t.driver]) || t.factors.iter().any(|f| ranged(f.input)));
        }
        let mut random = vec![false; self.series_len()];
        let mut nc_random = vec![false; self.benches.len()];
        for (k, b) in self.benches.iter().enumerate() {
            let scale = match b.scale {
                ScaleNode::Ratio { units, .. } => units,
                ScaleNode::Caseload { caseload } => caseload,
            };
            let need = drv_random[b.driver] || ranged(scale);
            nc_random[k] = need || ranged(b.annual);
            let at = b.slot * PER_PROGRAM;
            random[at] = need;
            random[at + 1] = need;
            random[at + 2] = need || ranged(b.annual);
            random[at + 3] = b.startup.is_some_and(|su| need || ranged(su));
        }
        for a in &self.addons {
            let at = a.slot * PER_PROGRAM;
            random[at] = ranged(a.share) || a.of.iter().any(|&k| nc_random[k]);
            random[at + 1] = ranged(a.share) || a.of.iter().any(|&k| random[self.benches[k].slot * PER_PROGRAM + 2]);
            random[at + 2] = random[at + 1];
        }
        let np = self.programs.len();
        let total_at = np * PER_PROGRAM + GapArea::ALL.len() * PER_TOTAL;
        for slot in 0..np {
            let area = np * PER_PROGRAM + self.slot_area[slot] * PER_TOTAL;
            let need_cost = match self.slot_bench[slot] {
                Some(k) => nc_random[k],
                None => random[slot * PER_PROGRAM],
            };
            for (m, r) in [random[slot * PER_PROGRAM + 2], random[slot * PER_PROGRAM + 3], need_cost].into_iter().enumerate() {
                random[area + m] |= r;
                random[total_at + m] |= r;
            }
        }
        (random.into_iter().map(|r| !r).collect(), drv_random.into_iter().map(|r| !r).collect())
    }

    /// Draws the ranged inputs: chunk `c` of [`CHUNK`] draws from a ChaCha8
    /// stream `c` under `seed`, so the result is independent of threads.
    pub fn draw(&self, options: SimOptions) -> Draws {
        let n = options.draws as usize;
        let width = self.ranged.len();
        let mut rows = vec![0.0; n * width];
        if width > 0 {
            rows.par_chunks_mut(CHUNK * width).enumerate().for_each(|(c, rows)| {
                if self.is_cancelled() {
                    return;
                }
                let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
                rng.set_stream(c as u64);
                for row in rows.chunks_mut(width) {
                    for (v, dist) in row.iter_mut().zip(&self.dists) {
                        *v = dist.sample(&mut rng);
                    }
                }
            });
        }
        let mut values = vec![0.0; n * width];
        for (d, row) in rows.chunks(width.max(1)).enumerate().take(if width > 0 { n } else { 0 }) {
            for (r, v) in row.iter().enumerate() {
                values[r * n + d] = *v;
            }
        }
        Draws { options, width, values }
    }

    /// Every input's value in draw `d` (fixed inputs at mid), for
    /// [`Model::evaluate`].
    pub fn params_of(&self, draws: &Draws, d: usize) -> Vec<f64> {
        let mut params = self.mids();
        for (r, &i) in self.ranged.iter().enumerate() {
            params[i] = draws.column(r, d, 1)[0];
        }
        params
    }
}
