//! The `safetygap` command: argument parsing and wiring, nothing else.

mod cmd;
mod inputs;

use clap::{Parser, Subcommand};

/// How much prevention and healing infrastructure a community needs to close
/// its safety gap, how much it has, and what closing the gap costs.
///
/// Implements the population-based formulas of the Scaling Safety report
/// (Alliance for Safety and Justice, 2022) across victim services, violence
/// prevention, behavioral health and reentry. Every figure is traceable:
/// `safetygap explain ID` shows how one was computed.
#[derive(Parser)]
#[command(name = "safetygap", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the plan for a place or a custom population.
    Plan(cmd::plan::Args),
    /// Show how one program's figures were computed, step by step.
    Explain(cmd::explain::Args),
    /// Validate, list and show catalog benchmarks.
    #[command(subcommand)]
    Catalog(cmd::catalog::Command),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(a) => cmd::plan::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Catalog(c) => cmd::catalog::run(c),
    };
    match result {
        Ok(()) => {}
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}
