//! The `safetygap` command: argument parsing and wiring, nothing else.

mod cmd;
mod inputs;
mod select;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: plans are many small strings
/// and vectors, and `batch` allocates and frees them from every core at once
/// (glibc's malloc and free were a quarter of a batch's profile).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Where imported data is kept (default: $SAFETYGAP_DATA_DIR, else
    /// $XDG_DATA_HOME/safetygap, else ~/.local/share/safetygap).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the plan for a place or a custom population.
    Plan(cmd::plan::Args),
    /// Write a brief to hand to a council: HTML, Excel workbook or Markdown.
    Report(cmd::report::Args),
    /// Show how one program's figures were computed, step by step.
    Explain(cmd::explain::Args),
    /// Validate, list and show catalog benchmarks.
    #[command(subcommand)]
    Catalog(cmd::catalog::Command),
    /// Find states, counties and places by name.
    Search(cmd::search::Args),
    /// Rank jurisdictions by their safety gap.
    Compare(cmd::compare::Args),
    /// Write every jurisdiction's plan to a CSV or JSON Lines file.
    Batch(cmd::batch::Args),
    /// Import official data files, show the sources in use, update, reset.
    #[command(subcommand)]
    Data(cmd::data::Command),
    /// Rank inputs by how much of the total-cost range each explains.
    Sensitivity(cmd::sensitivity::Args),
    /// Allocate a yearly budget across the gaps.
    Budget(cmd::budget::Args),
    /// Spread closing the gap over years, in one year's dollars.
    PhaseIn(cmd::phase_in::Args),
    /// Serve the web page and the JSON API.
    Serve(cmd::serve::Args),
}

fn main() {
    // Exit quietly when the reader of our output goes away (`| head`),
    // instead of panicking on a broken pipe.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    if let Some(dir) = &cli.data_dir {
        safetygap_data::store::set_default_dir(dir);
    }
    let result = match cli.command {
        Command::Plan(a) => cmd::plan::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Catalog(c) => cmd::catalog::run(c),
        Command::Search(a) => cmd::search::run(a),
        Command::Compare(a) => cmd::compare::run(a),
        Command::Batch(a) => cmd::batch::run(a),
        Command::Data(c) => cmd::data::run(c),
        Command::Sensitivity(a) => cmd::sensitivity::run(a),
        Command::Budget(a) => cmd::budget::run(a),
        Command::PhaseIn(a) => cmd::phase_in::run(a),
        Command::Serve(a) => cmd::serve::run(a),
    };
    match result {
        Ok(()) => {}
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}
