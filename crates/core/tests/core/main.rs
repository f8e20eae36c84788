//! Tests of the engine against the shipped catalog: one test binary (as in
//! ripgrep), one module per area.

mod choices;
mod engine;
mod simulate;
mod validation;
