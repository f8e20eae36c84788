//! Tests of the report crate's renderers: one test binary, one module per
//! output, sharing the .xlsx reader (calamine, also used by the CLI's tests).

mod batch;
mod map;
mod workbook;
mod xlsx;

/// Parses markup with a real XML parser (the HTML brief is written
/// XHTML-compatible, SVG is XML) and panics with its message and position.
pub fn well_formed(doc: &str) {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    if let Err(e) = roxmltree::Document::parse_with_options(doc, opts) {
        panic!("not well-formed XML: {e}");
    }
}
