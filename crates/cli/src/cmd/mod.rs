//! One module per subcommand.

pub mod batch;
pub mod budget;
pub mod catalog;
pub mod compare;
pub mod data;
pub mod explain;
pub mod phase_in;
pub mod plan;
pub mod report;
pub mod search;
pub mod sensitivity;
pub mod serve;
pub mod simulate_opts;
