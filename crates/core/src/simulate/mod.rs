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
//!
//! ## Where things are
//!
//! `percentiles` (nearest rank), `model` ([`Model`]: the
//! compiled catalog, [`Prepared`], [`Draws`]), `eval` (evaluating one draw or
//! a block of draws) and `run` ([`Model::run`], the [`Simulation`] it
//! returns, and [`simulate`], [`simulate_cancellable`], [`simulate_many`]).

use crate::drivers::DriverError;
use serde::{Deserialize, Serialize};

mod eval;
mod model;
mod percentiles;
mod run;

pub use eval::Scratch;
pub use model::{Draws, Input, InputKind, Model, Prepared, ProgramRef};
pub use percentiles::{percentiles, rank, Percentiles};
pub use run::{simulate, simulate_cancellable, simulate_many, SimArea, SimProgram, SimSubtotal, Simulation, Workspace};

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
