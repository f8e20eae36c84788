//! One module per subcommand.

pub mod catalog;
pub mod explain;
pub mod plan;
