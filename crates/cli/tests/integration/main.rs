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
// The workspace's one .xlsx test reader (calamine), shared with the
// report crate's tests.
#[path = "../../../report/tests/render/workbook.rs"]
mod workbook;
mod workdir;

/// Parses markup with a real XML parser (the HTML brief is written
/// XHTML-compatible, SVG is XML) and panics with its message and position.
pub fn well_formed(doc: &str) {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    if let Err(e) = roxmltree::Document::parse_with_options(doc, opts) {
        panic!("not well-formed XML: {e}");
    }
}
