//! One module per subcommand.

pub mod batch;
pub mod catalog;
pub mod compare;
pub mod explain;
pub mod plan;
pub mod search;
