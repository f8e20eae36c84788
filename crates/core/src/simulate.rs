//! Monte Carlo simulation: percentile intervals for need, gap and cost.
//!
//! Every input the catalog gives as a range (low < high) — need ratios and
//! caseloads, annual and start-up costs per unit, add-on shares and the
//! factors of driver estimates — is drawn from a PERT distribution over
//! low / mid / high (mode = mid, shape 4). Inputs given as a single value
//! (low = mid = high) and every driver figure supplied for the place stay
//! fixed. Each draw recomputes the plan's arithmetic; the report gives the
//! 5th, 50th and 95th percentiles (nearest rank) of every figure.
//!
//! ## Reproducibility
//!
//! Draws are generated in fixed chunks of [`CHUNK`] draws. Chunk `c` uses a
//! ChaCha8 generator seeded from the user's seed with stream `c`, so the
//! numbers depend only on (seed, number of draws) — never on the number of
//! threads or the order in which chunks run. The distributions' `exp`,
//! `ln` and `powf` go through `num-traits`, which `rand_distr` builds on
//! the pure-Rust `libm` in the shipped binary, so its stream is the same
//! on every machine. Test builds are the exception: proptest (a
//! dev-dependency) turns on `num-traits/std`, which switches those calls to
//! the platform's math library (`cargo tree -e features -i num-traits`),
//! so `cargo test` may differ from the release binary in the last bits.
//!
//! ## Many jurisdictions
//!
//! Benchmark ratios, unit costs and national rates are one uncertain figure
//! for the whole country, not a separate coin toss in every county: draw `d`
//! uses the same input values for every jurisdiction. That keeps roll-ups
//! honest (a national total is as uncertain as the cost of a bed is) and
//! makes a jurisdiction's result the same whether it is simulated alone or
//! in a batch. [`Model`] compiles the catalog once into flat index arrays;
//! [`Model::draw`] draws the inputs once; [`Model::run`] evaluates one
//! jurisdiction against those draws, and [`simulate_many`] does so for a
//! slice of inputs in parallel.

use crate::catalog::{Catalog, Scale};
use crate::drivers::{self, DriverError};
use crate::evidence::{Evidence, GapArea};
use crate::plan::PlanInput;
use crate::range::{safe_div, Range3};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Pert};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Draws per independently seeded chunk.
pub const CHUNK: usize = 256;

/// The most draws accepted: beyond this the percentiles no longer move and
/// memory use grows past what a laptop has.
pub const MAX_DRAWS: u32 = 1_000_000;

/// The most numbers a simulation may hold at once (its drawn inputs, twice,
/// and its result series): 2 GB of `f64`. The draw limit of a catalog is
/// this divided by [`Model::cells_per_draw`], so a catalog ten times the
/// shipped one allows a tenth of the draws instead of exhausting memory.
pub const MAX_CELLS: u64 = 250_000_000;

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// More draws than this catalog's size allows within [`MAX_CELLS`].
    TooLarge {
        /// Draws asked for.
        draws: u32,
        /// The most this catalog allows.
        max: u32,
    },
    /// The caller cancelled the run (e.g. its request timed out).
    Cancelled,
    /// The number of draws is 0 or absurdly large.
    BadDraws(u64),
    /// A driver value was missing or unusable.
    Driver(DriverError),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::BadDraws(0) => write!(f, "--simulate 0: a simulation needs at least one draw; 1,000 to 10,000 draws give stable 5th and 95th percentiles (e.g. --simulate 2000)."),
            SimError::BadDraws(n) => write!(f, "--simulate {n}: more than 1,000,000 draws is not useful (percentiles stop moving long before) and would need gigabytes of memory; use 1,000 to 100,000."),
            SimError::Driver(e) => write!(f, "{e}"),
            SimError::TooLarge { draws, max } => write!(f, "--simulate {draws}: this catalog has so many uncertain inputs that {draws} draws would not fit in memory; use at most {max} draws."),
            SimError::Cancelled => write!(f, "the simulation was cancelled before it finished."),
        }
    }
}

impl std::error::Error for SimError {}

impl From<DriverError> for SimError {
    fn from(e: DriverError) -> Self {
        SimError::Driver(e)
    }
}

/// Checks a requested number of draws.
pub fn check_draws(n: u64) -> Result<u32, SimError> {
    if n == 0 || n > MAX_DRAWS as u64 {
        Err(SimError::BadDraws(n))
    } else {
        Ok(n as u32)
    }
}

/// How many draws and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimOptions {
    /// Number of draws (1 to [`MAX_DRAWS`]).
    pub draws: u32,
    /// Seed of the random stream.
    pub seed: u64,
}

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
fn percentiles_of<'a>(
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
fn select_of<'a>(parts: impl Iterator<Item = &'a [f64]> + Clone, n: usize, keys: &mut Vec<u64>, ranks: [usize; 3]) -> Percentiles {
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
struct FactorRef {
    input: usize,
    divide: bool,
}

#[derive(Debug, Clone)]
struct TermNode {
    driver: usize,
    factors: Vec<FactorRef>,
    /// `Some((driver, wanted))`: the term counts only when that driver's
    /// having a figure for the place equals `wanted`.
    condition: Option<(usize, bool)>,
}

impl TermNode {
    fn on(&self, p: &Prepared) -> bool {
        self.condition.is_none_or(|(d, wanted)| p.given[d] == wanted)
    }
}

#[derive(Debug, Clone)]
struct DriverNode {
    terms: Vec<TermNode>,
}

#[derive(Debug, Clone, Copy)]
enum ScaleNode {
    Ratio { per: f64, units: usize },
    Caseload { caseload: usize },
}

#[derive(Debug, Clone)]
struct BenchNode {
    driver: usize,
    scale: ScaleNode,
    annual: usize,
    startup: Option<usize>,
    slot: usize,
}

#[derive(Debug, Clone)]
struct AddonNode {
    share: usize,
    of: Vec<usize>,
    slot: usize,
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
    drivers: Vec<DriverNode>,
    benches: Vec<BenchNode>,
    bench_ids: Vec<String>,
    addons: Vec<AddonNode>,
    /// Gap-area index (0..4) of each program slot.
    slot_area: Vec<usize>,
    /// The benchmark index of each program slot (None for add-ons).
    slot_bench: Vec<Option<usize>>,
    /// Whether each program slot has a start-up cost (else it is zero).
    slot_startup: Vec<bool>,
    /// Indices into `inputs` of the ranged ones, in draw order.
    ranged: Vec<usize>,
    dists: Vec<Pert<f64>>,
    /// For every input: fixed at mid, or its column among the draws.
    src_of: Vec<Src>,
    population: Option<usize>,
    /// Set from outside to stop a run early (checked once per chunk).
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// Series layout of one evaluated draw: four per program (need, gap,
/// annual, start-up), then three per gap area and three for the total
/// (annual, start-up, need cost).
const PER_PROGRAM: usize = 4;
const PER_TOTAL: usize = 3;

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
enum Src {
    Fixed(f64),
    Col(usize),
}

/// Scratch columns for evaluating a block of up to [`CHUNK`] draws at once.
#[derive(Debug, Clone)]
struct Block {
    drv: Vec<f64>,
    nc: Vec<f64>,
    a: Vec<f64>,
    b: Vec<f64>,
}

/// Per-thread buffers reused across jurisdictions.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    series: Vec<f64>,
    keys: Vec<u64>,
    /// Per series, the draws that held its percentiles last time.
    hints: Vec<[u32; 3]>,
    block: Option<Block>,
}

/// Reusable buffers for [`Model::evaluate`].
#[derive(Debug, Clone)]
pub struct Scratch {
    drv: Vec<f64>,
    need_cost: Vec<f64>,
    /// The evaluated figures of the last draw.
    pub out: Vec<f64>,
}

/// A jurisdiction reduced to what evaluation needs.
#[derive(Debug, Clone)]
pub struct Prepared {
    supplied: Vec<Option<f64>>,
    /// Per driver: a figure supplied for the place (given or estimated from
    /// a larger geography), as opposed to the catalog's default.
    given: Vec<bool>,
    existing: Vec<f64>,
    population: f64,
    /// Per series: true when no ranged input reaches it for this place
    /// (its drivers given, its ratio and costs single values), so every
    /// draw gives the same figure.
    fixed: Vec<bool>,
    /// Per driver: true when it is the same in every draw.
    drv_fixed: Vec<bool>,
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
    fn fixed_series(&self, p: &Prepared) -> (Vec<bool>, Vec<bool>) {
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

    fn block(&self) -> Block {
        Block {
            drv: vec![0.0; self.drivers.len() * CHUNK],
            nc: vec![0.0; self.benches.len() * CHUNK],
            a: vec![0.0; CHUNK],
            b: vec![0.0; CHUNK],
        }
    }

    /// Evaluates draws `start..start + len` (len ≤ CHUNK) column by column;
    /// the figures land in `blk.out` as series-major columns of stride CHUNK.
    fn eval_block(&self, p: &Prepared, draws: &Draws, start: usize, len: usize, blk: &mut Block, out: &mut [f64]) {
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

    fn assemble(&self, options: SimOptions, population: f64, pct: &[Percentiles]) -> Simulation {
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

fn run_model(model: Model, catalog: &Catalog, input: &PlanInput, options: SimOptions) -> Result<Simulation, SimError> {
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
