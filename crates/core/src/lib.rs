//! The safetygap engine: the benchmark catalog, driver estimation and plan
//! computation.
//!
//! Everything here is a pure function over plain data. Nothing reads files,
//! speaks HTTP or prints: callers hand in text and numbers and get plans
//! back, which keeps the engine testable and reusable from the CLI, the
//! server and batch runs alike.
#![deny(missing_docs)]

pub mod budget;
pub mod catalog;
pub mod cpi;
pub mod drivers;
pub mod evidence;
pub mod explain;
pub mod hash;
pub mod inventory;
pub mod payer;
pub mod phase_in;
pub mod plan;
pub mod quality;
pub mod range;
pub mod sensitivity;
pub mod shipped;
pub mod simulate;
pub mod suggest;
pub mod text;

pub use catalog::{Catalog, CatalogSource};
pub use drivers::SuppliedDriver;
pub use evidence::{Evidence, GapArea};
pub use inventory::Inventory;
pub use plan::{compute, compute_hosted, HostNeeds, Plan, PlanInput};
pub use range::Range3;
