//! Tests of the data crate: one test binary (as in ripgrep), one module per
//! area, sharing the paths of the real files and scratch directories.

mod embedded;
mod http;
mod import;
mod rollup;
mod shared;
mod store;
mod violence;
