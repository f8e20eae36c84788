//! Where safetygap's numbers come from: the embedded gazetteer of real
//! jurisdictions and the importers for the official files people download.
//!
//! The importers and the store produce plain records and know nothing of
//! plans; one module, [`inputs`], turns a jurisdiction's embedded and
//! imported figures into the engine's `PlanInput`, so the CLI, the server
//! and batch runs build inputs the same way. See docs/ARCHITECTURE.md.
#![deny(missing_docs)]

pub mod atomic;
pub mod county_places;
pub mod defaults;
pub mod embedded;
pub mod import;
pub mod inputs;
pub mod store;
pub mod violence;
