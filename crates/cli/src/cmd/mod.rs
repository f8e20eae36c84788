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

/// `--format` of the commands that print either a table or JSON.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableOrJson {
    // No doc comments on the variants: clap would list them in --help.
    Table,
    Json,
}
