//! `safetygap catalog`: validate, list and show benchmarks.

use crate::inputs::read_text;
use anyhow::{bail, Result};
use safetygap_core::catalog::{Catalog, CatalogSource, Scale};
use safetygap_core::drivers::{describe_estimate, fmt_num, fmt_range};
use safetygap_core::shipped;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Check catalog files; prints every problem with file, line, field and fix.
    ///
    /// A file that only overrides or extends the shipped catalog is checked
    /// together with it. Exit code 0 when valid, 2 when not.
    Validate {
        /// Catalog TOML files.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// List every benchmark and add-on with its unit, driver and evidence grade.
    List {
        /// User catalog files to apply first.
        #[arg(long = "catalog", value_name = "FILE")]
        catalogs: Vec<std::path::PathBuf>,
    },
    /// Show one benchmark, add-on or driver in full, with its sources.
    Show {
        /// Benchmark, add-on or driver id.
        id: String,
        /// User catalog files to apply first.
        #[arg(long = "catalog", value_name = "FILE")]
        catalogs: Vec<std::path::PathBuf>,
    },
    /// List the drivers, their default estimators and sources.
    Drivers,
    /// Print docs/METHODOLOGY.md as generated from the catalog.
    Methodology,
}

fn load(files: &[std::path::PathBuf]) -> Result<Catalog> {
    let texts: Vec<(String, String)> =
        files.iter().map(|p| Ok((p.display().to_string(), read_text(p, "catalog")?))).collect::<Result<_>>()?;
    let sources: Vec<CatalogSource> = texts.iter().map(|(n, t)| CatalogSource { name: n, text: t }).collect();
    Ok(shipped::load_with(&sources)?)
}

pub fn run(c: Command) -> Result<()> {
    match c {
        Command::Validate { files } => {
            let cat = load(&files)?;
            println!(
                "ok: {} valid ({} drivers, {} benchmarks, {} add-ons; version {})",
                files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "),
                cat.drivers.len(),
                cat.benchmarks.len(),
                cat.addons.len(),
                cat.version
            );
        }
        Command::List { catalogs } => {
            let cat = load(&catalogs)?;
            println!("{:<36} {:<20} {:<18} {:<11} DRIVER", "ID", "GAP AREA", "UNIT", "EVIDENCE");
            for b in &cat.benchmarks {
                let flag = if b.evidence == safetygap_core::Evidence::Assumption
                    || b.annual_cost.evidence == safetygap_core::Evidence::Assumption
                {
                    " ⚠"
                } else {
                    ""
                };
                println!("{:<36} {:<20} {:<18} {:<11} {}{flag}", b.id, b.gap_area, b.unit, b.evidence, b.driver);
            }
            for a in &cat.addons {
                println!(
                    "{:<36} {:<20} {:<18} {:<11} {}% of {}",
                    a.id,
                    a.gap_area,
                    "share of cost",
                    a.evidence,
                    fmt_num(a.share.mid * 100.0),
                    a.of.len().to_string() + " programs"
                );
            }
            println!("\n⚠ = need or cost rests on an assumption. Catalog {}.", cat.version);
        }
        Command::Show { id, catalogs } => {
            let cat = load(&catalogs)?;
            if let Some(b) = cat.benchmark(&id) {
                println!("{} ({})\n{}:{}\n\n{}\n", b.name, b.id, b.origin.file, b.origin.line, b.description);
                println!(
                    "gap area:   {}\nunit:       {}{}\ndriver:     {}",
                    b.gap_area,
                    b.unit,
                    if b.whole_units { " (whole units)" } else { "" },
                    b.driver
                );
                match &b.scale {
                    Scale::Ratio { per, units } => println!("need:       {} per {} of the driver", fmt_range(*units), fmt_num(*per)),
                    Scale::Caseload { caseload } => println!("need:       one per {} of the driver (caseload)", fmt_range(*caseload)),
                }
                println!("evidence:   {}", b.evidence);
                for c in &b.citations {
                    println!("  source:   {c}");
                }
                let costs = std::iter::once(("annual cost", &b.annual_cost)).chain(b.startup_cost.as_ref().map(|c| ("start-up cost", c)));
                for (label, c) in costs {
                    println!("{label}: ${} per unit, {} dollars, evidence {}", fmt_range(c.amount), c.year, c.evidence);
                    if let Some(n) = &c.note {
                        println!("  basis:    {n}");
                    }
                    for s in &c.citations {
                        println!("  source:   {s}");
                    }
                }
            } else if let Some(a) = cat.addon(&id) {
                println!("{} ({}) — add-on\n{}:{}\n\n{}\n", a.name, a.id, a.origin.file, a.origin.line, a.description);
                println!("cost: {} of the annual cost of {}\nevidence: {}", fmt_range(a.share), a.of.join(", "), a.evidence);
                for c in &a.citations {
                    println!("  source: {c}");
                }
            } else if let Some(d) = cat.driver(&id) {
                println!("{} ({}) — driver\n{}:{}\n\n{}\nunit: {}", d.name, d.id, d.origin.file, d.origin.line, d.description, d.unit);
                if d.is_required() {
                    println!("required: no default estimate");
                } else {
                    println!("default: {}", describe_estimate(d));
                    for f in d.estimate.iter().flat_map(|t| &t.factors) {
                        println!("  {} = {} ({}): {}", f.name, fmt_range(f.value), f.evidence, f.citations.join("; "));
                    }
                }
            } else {
                let ids = cat.program_ids().chain(cat.drivers.iter().map(|d| d.id.as_str()));
                let hint = safetygap_core::suggest::closest(&id, ids).map(|s| format!(" Did you mean `{s}`?")).unwrap_or_default();
                bail!("`{id}` is not a benchmark, add-on or driver in the catalog.{hint} `safetygap catalog list` shows the ids.");
            }
        }
        Command::Drivers => {
            let cat = load(&[])?;
            for d in &cat.drivers {
                let how = if d.is_required() { "required".to_string() } else { describe_estimate(d) };
                println!("{:<26} {}\n{:<26} {}", d.id, d.name, "", how);
            }
        }
        Command::Methodology => {
            let cat = load(&[])?;
            print!("{}", safetygap_report::methodology::render(&cat));
        }
    }
    Ok(())
}
