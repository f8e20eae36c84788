//! The benchmark catalog: formulas as data.
//!
//! Catalog files are TOML (see docs/CATALOG.md). `load` parses, merges user
//! overrides over the shipped files and validates everything, returning
//! either a [`Catalog`] the engine can trust or every problem found, each
//! with file, line, field and a fix.

mod bounds;
mod error;
mod load;
mod model;
mod raw;

pub use bounds::{MAX_DOLLARS, MAX_ESTIMATE, MAX_NEED, MAX_UNIT_COST, US_POPULATION_BOUND};
pub use error::{CatalogError, CatalogErrors};
pub use load::{load, CatalogSource};
pub use model::*;
