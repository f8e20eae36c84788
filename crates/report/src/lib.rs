//! How plans are shown: the terminal table, JSON, CSV, TSV and Markdown
//! ([`render`]), the HTML brief, the Excel workbook, SVG charts and maps,
//! a batch's workbook, GeoJSON and (behind the `parquet` feature) Parquet
//! rows, and the methodology document generated from the catalog.
//!
//! Every renderer works from computed [`Plan`]s and returns text or bytes,
//! so the CLI, the server and tests share one implementation per format.
#![deny(missing_docs)]

pub mod batch;
pub mod county_places;
pub mod csv_out;
pub mod fmt;
pub mod geojson;
pub mod html;
pub mod json;
pub mod map;
pub mod markdown;
pub mod methodology;
pub mod narrative;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod payers;
pub mod quality;
pub mod simulated;
pub mod svg;
pub mod table;
pub mod topojson;
pub mod tsv;
pub mod xlsx;

use safetygap_core::plan::Plan;

/// Output formats for a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable table for an 80-column terminal.
    Table,
    /// The documented JSON contract.
    Json,
    /// One row per program, for spreadsheets.
    Csv,
    /// A memo-ready Markdown document.
    Markdown,
    /// The CSV rows with tabs between fields, for pasting into a spreadsheet.
    Tsv,
}

/// Renders a plan in the chosen format.
pub fn render(plan: &Plan, format: Format) -> String {
    match format {
        Format::Table => table::render(plan),
        Format::Json => json::render(plan),
        Format::Csv => csv_out::render(std::slice::from_ref(plan)),
        Format::Markdown => markdown::render(plan),
        Format::Tsv => tsv::render(plan),
    }
}
