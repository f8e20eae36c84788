//! Tests of the report crate's renderers: one test binary, one module per
//! output, sharing the .xlsx reader.

mod batch;
mod map;
mod ooxml;
mod xlsx;
