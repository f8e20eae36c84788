//! `safetygap batch`: every jurisdiction's plan to one file.

use crate::select::{jurisdictions, Level};
use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use safetygap_core::{shipped, Plan};
use safetygap_data::embedded::gazetteer;
use safetygap_data::inputs::plan_input;
use std::io::{IsTerminal, Write};

/// Compute the plan of every state, county or place and write them to one
/// CSV (one row per program per jurisdiction, plus subtotal and total rows)
/// or JSON Lines file (one plan object per line).
///
/// Examples:
///   safetygap batch --level county --out counties.csv
///   safetygap batch --level place --state TX --out texas.jsonl
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Geographic level.
    #[arg(long, value_enum)]
    pub level: Level,
    /// Only this state (name, abbreviation or FIPS).
    #[arg(long)]
    pub state: Option<String>,
    /// Output file; the format follows the extension (.csv, .jsonl) unless --format is given.
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// csv or jsonl.
    #[arg(long, value_parser = ["csv", "jsonl"])]
    pub format: Option<String>,
    /// Monte Carlo percentiles for every jurisdiction (the same draws of the
    /// national inputs for all, so results add up the way the inputs do).
    #[command(flatten)]
    pub sim: crate::cmd::simulate_opts::SimArgs,
}

pub fn run(a: Args) -> Result<()> {
    let format = match (&a.format, a.out.extension().and_then(|e| e.to_str())) {
        (Some(f), _) => f.clone(),
        (None, Some("csv")) => "csv".into(),
        (None, Some("jsonl" | "ndjson" | "json")) => "jsonl".into(),
        _ => bail!("{}: cannot tell the format from the extension; name the file .csv or .jsonl, or give --format", a.out.display()),
    };
    let catalog = shipped::catalog().map_err(|e| anyhow!("{e}"))?;
    let list = jurisdictions(a.level, a.state.as_deref())?;
    // A damaged store is an error here, not a silent fall-back to embedded data.
    safetygap_data::store::try_default_data().map_err(|e| anyhow!("{e}"))?;
    let g = gazetteer();
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(list.len() as u64);
        b.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} jurisdictions {elapsed}").unwrap_or_else(|_| ProgressStyle::default_bar()));
        b
    } else {
        ProgressBar::hidden()
    };
    let inputs: Vec<_> = list.par_iter().map(|j| plan_input(g, j)).collect();
    let plans: Vec<Plan> = inputs
        .par_iter()
        .zip(list.par_iter())
        .map(|(input, j)| {
            let p = safetygap_core::compute(&catalog, input).map_err(|e| anyhow!("{}: {e}", j.display_name()));
            bar.inc(1);
            p
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    let sims = match a.sim.options() {
        Some(options) => {
            let note = if std::io::stderr().is_terminal() { format!("simulating {} draws for {} jurisdictions…", options.draws, inputs.len()) } else { String::new() };
            if !note.is_empty() {
                eprintln!("{note}");
            }
            Some(safetygap_core::simulate::simulate_many(&catalog, &inputs, options).map_err(|e| anyhow!("{e}"))?)
        }
        None => None,
    };

    // Write next to the target and rename, so a failed run leaves no half file.
    let tmp = a.out.with_extension("partial");
    let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut w = std::io::BufWriter::new(file);
    match (&sims, format.as_str()) {
        (None, "csv") => w.write_all(safetygap_report::csv_out::render(&plans).as_bytes())?,
        (None, _) => {
            for p in &plans {
                serde_json::to_writer(&mut w, &safetygap_report::json::value(p))?;
                w.write_all(b"\n")?;
            }
        }
        (Some(sims), "csv") => {
            // One percentile table: the header once, then every jurisdiction's rows.
            for (i, (p, s)) in plans.iter().zip(sims).enumerate() {
                let text = safetygap_report::simulated::csv(p, s);
                let body = if i == 0 { text.as_str() } else { text.split_once('\n').map_or("", |(_, rest)| rest) };
                w.write_all(body.as_bytes())?;
            }
        }
        (Some(sims), _) => {
            // One JSON object per line, whatever the renderer's layout;
            // rendered in parallel, written in order.
            let lines: Vec<String> = plans
                .par_iter()
                .zip(sims.par_iter())
                .map(|(p, s)| {
                    let v: serde_json::Value = serde_json::from_str(&safetygap_report::simulated::json(p, s))?;
                    Ok(serde_json::to_string(&v)?)
                })
                .collect::<Result<_>>()?;
            for line in lines {
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")?;
            }
        }
    }
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, &a.out).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!("wrote {} plans to {}", plans.len(), a.out.display());
    Ok(())
}
