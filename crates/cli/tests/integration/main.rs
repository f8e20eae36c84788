//! Integration tests of the `safetygap` binary: one test binary (as in
//! ripgrep), one module per area, sharing the `Workdir` helper.

mod batch;
mod data;
mod gis;
mod hardening;
#[cfg(feature = "parquet")]
mod parquet;
mod places;
mod plan;
mod report;
mod uncertainty;
mod violence;
mod workbook;
mod workdir;
