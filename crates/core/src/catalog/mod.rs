//! The benchmark catalog: formulas as data.
//!
//! Catalog files are TOML (see docs/CATALOG.md). `load` parses, merges user
//! overrides over the shipped files and validates everything, returning
//! either a [`Catalog`] the engine can trust or every problem found, each
//! with file, line, field and a fix.

mod error;
mod load;
mod model;
mod raw;

pub use error::{CatalogError, CatalogErrors};
pub use load::{load, CatalogSource};
pub use model::*;
