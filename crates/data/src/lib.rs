//! Where safetygap's numbers come from: the embedded gazetteer of real
//! jurisdictions and the importers for the official files people download.
//!
//! Nothing here knows about plans; it produces plain records that the CLI
//! turns into the engine's inputs.
#![deny(missing_docs)]

pub mod embedded;
pub mod import;
pub mod inputs;
pub mod store;
pub mod violence;
