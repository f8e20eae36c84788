//! `safetygap batch`: every jurisdiction's plan to one file, and a map.

use crate::select::{jurisdictions, state_fips, Level};
use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use safetygap_core::shipped;
use safetygap_data::embedded::{gazetteer, Kind};
use safetygap_report::batch::{self as batch, Job, MapValue, Progress, TextFormat};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Compute the plan of every state, county or place and write them to one
/// file: CSV (one row per program per jurisdiction, plus subtotal and total
/// rows), JSON Lines (one plan object per line), an Excel workbook (a
/// Jurisdictions sheet with one row each, a Programs sheet with one row per
/// program line, Sources and About) or GeoJSON (one feature per
/// jurisdiction with its headline figures: counties and states with their
/// 2023 boundary, places as points). --map also draws a figure by state or
/// county as an SVG map, with or without --out.
///
/// Examples:
///   safetygap batch --level county --out counties.csv
///   safetygap batch --level county,place --out all.csv
///   safetygap batch --level county --out counties.geojson
///   safetygap batch --level county,place --out all.parquet
///   safetygap batch --level place --state TX --out texas.jsonl
///   safetygap batch --level place --out places.xlsx
///   safetygap batch --level county --state CA --out ca.xlsx --map ca.svg
///   safetygap batch --level state --map states.svg --map-value gap
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Geographic level; several comma-separated (county,place) run them
    /// in one batch, in that order.
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    pub level: Vec<Level>,
    /// Only this state (name, abbreviation or FIPS).
    #[arg(long)]
    pub state: Option<String>,
    /// Output file; the format follows the extension (.csv, .jsonl, .xlsx,
    /// .geojson, .parquet) unless --format is given. Needed unless --map is
    /// given. Parquet needs a build with the `parquet` feature.
    #[arg(long, value_name = "FILE", required_unless_present = "map")]
    pub out: Option<PathBuf>,
    /// csv, jsonl, xlsx, geojson or parquet.
    #[arg(long, value_enum, requires = "out")]
    pub format: Option<Out>,
    /// Also draw an SVG map of --map-value by state (--level state) or by
    /// county (--level county; zoomed to the state with --state). Places
    /// cannot be mapped: no place boundaries are embedded.
    #[arg(long, value_name = "FILE.svg")]
    pub map: Option<PathBuf>,
    /// The figure the map shows: gap_per_resident (annual cost to close the
    /// gap per resident), gap (annual cost) or coverage (share of the need
    /// met today); central estimates.
    #[arg(
        long,
        value_name = "FIGURE",
        default_value = "gap_per_resident",
        value_parser = clap::builder::PossibleValuesParser::new(MapValue::NAMES),
        requires = "map"
    )]
    pub map_value: String,
    /// Monte Carlo percentiles for every jurisdiction (the same draws of the
    /// national inputs for all, so results add up the way the inputs do);
    /// CSV and JSON Lines only.
    #[command(flatten)]
    pub sim: crate::cmd::simulate_opts::SimArgs,
}

/// What --out holds.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    // No doc comments on the variants: clap would list them in --help.
    Csv,
    Jsonl,
    Xlsx,
    #[value(name = "geojson")]
    GeoJson,
    /// Needs a build with the `parquet` feature.
    Parquet,
}

fn choose_format(format: Option<Out>, out: &Path) -> Result<Out> {
    Ok(match (format, out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref()) {
        (Some(f), _) => f,
        (None, Some("csv")) => Out::Csv,
        (None, Some("geojson")) => Out::GeoJson,
        (None, Some("parquet")) => Out::Parquet,
        (None, Some("jsonl" | "ndjson" | "json")) => Out::Jsonl,
        (None, Some("xlsx")) => Out::Xlsx,
        _ => bail!(
            "{}: cannot tell the format from the extension; name the file .csv, .jsonl, .xlsx, .geojson or .parquet, or give --format",
            out.display()
        ),
    })
}

/// Checks the flags against each other before any plan is computed.
fn check(a: &Args, format: Option<Out>) -> Result<Option<MapValue>> {
    let value = match &a.map {
        None => None,
        Some(m) => {
            if a.level.len() > 1 {
                bail!("--map draws one level: give --level state or --level county alone (the table can still hold several levels in another run)");
            }
            if a.level.contains(&Level::Place) {
                bail!(
                    "--map draws states or counties, and places cannot be mapped: no place boundaries are embedded (only a point for each place). \
                     Map --level county or --level state instead; --out still writes every place to .csv, .jsonl or .xlsx"
                );
            }
            if !m.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
                bail!("--map {}: a map is written as SVG; name the file .svg", m.display());
            }
            if a.out.as_deref() == Some(m.as_path()) {
                bail!("--map and --out name the same file, {}: give the map its own .svg file", m.display());
            }
            Some(
                MapValue::parse(&a.map_value)
                    .ok_or_else(|| anyhow!("--map-value {}: write one of {}", a.map_value, MapValue::NAMES.join(", ")))?,
            )
        }
    };
    if a.sim.simulate.is_some() {
        match format {
            Some(Out::Csv | Out::Jsonl) => {}
            Some(Out::Xlsx | Out::GeoJson | Out::Parquet) => bail!(
                "--simulate writes percentile tables to CSV or JSON Lines; the workbook and GeoJSON keep the low / mid / high ranges. Name the file .csv or .jsonl, or drop --simulate"
            ),
            None => bail!("--simulate needs --out FILE.csv or FILE.jsonl for its percentiles; the map shows central estimates without it"),
        }
    }
    Ok(value)
}

pub fn run(a: Args) -> Result<()> {
    let format = a.out.as_deref().map(|o| choose_format(a.format, o)).transpose()?;
    let map_value = check(&a, format)?;
    let catalog = shipped::catalog()?;
    let levels = levels(&a.level);
    let mut list = Vec::new();
    for &l in &levels {
        list.extend(jurisdictions(l, a.state.as_deref())?);
    }
    // A damaged store is an error here, not a silent fall-back to embedded data.
    let stored = safetygap_data::store::try_default_data()?;
    let g = gazetteer();
    let bar = Bar::new(list.len());
    let fips = a.state.as_deref().map(state_fips).transpose()?;
    let kinds: Vec<Kind> = levels.iter().map(|&l| kind(l)).collect();
    let sources = batch::data_sources(g, stored.sources(), &kinds);
    let title = || batch::coverage_title(&kinds, fips.as_deref(), g);

    let job = Job { catalog: &catalog, list: &list, g, progress: &bar, map_value };
    let values = match (format, &a.out) {
        (Some(f @ (Out::Csv | Out::Jsonl)), Some(out)) => {
            let f = if f == Out::Csv { TextFormat::Csv } else { TextFormat::Jsonl };
            let values = write_atomic(out, |w| Ok(batch::write_lines(w, f, a.sim.options(), &job)?))?;
            bar.0.finish_and_clear();
            eprintln!("wrote {} plans to {}", list.len(), out.display());
            values
        }
        (Some(Out::Parquet), Some(out)) => write_parquet(out, &title(), &sources, &job)?,
        (Some(Out::GeoJson), Some(out)) => {
            let values = write_atomic(out, |w| Ok(batch::write_geojson(w, &title(), &sources, &job)?))?;
            bar.0.finish_and_clear();
            eprintln!("wrote {} features to {}", list.len(), out.display());
            values
        }
        (Some(Out::Xlsx), Some(out)) => {
            let mut book = batch::workbook(&catalog, &kinds, fips.as_deref(), g, &sources, out)
                .with_context(|| format!("cannot start the workbook {}", out.display()))?;
            let values = batch::workbook_and_map(&job, Some(&mut book))?;
            let n = book.jurisdictions();
            safetygap_data::atomic::replace_with(out, |tmp| book.save(tmp).map_err(anyhow::Error::new))
                .with_context(|| format!("cannot write the workbook {}", out.display()))?;
            bar.0.finish_and_clear();
            eprintln!("wrote {n} plans to {}", out.display());
            values
        }
        _ => batch::workbook_and_map(&job, None)?,
    };
    bar.0.finish_and_clear();

    if let (Some(path), Some(value)) = (&a.map, map_value) {
        let svg = batch::draw_map(&values, kinds[0], fips.as_deref(), value, &catalog.version, &sources, g, &bar)?;
        write_atomic(path, |w| Ok(w.write_all(svg.as_bytes())?))?;
        let what = if levels[0] == Level::State { "states" } else { "counties" };
        eprintln!("wrote a map of {} {what} ({}) to {}", values.len(), a.map_value, path.display());
    }
    Ok(())
}

/// Parquet, in builds with the `parquet` feature.
#[cfg(feature = "parquet")]
fn write_parquet(out: &Path, title: &str, sources: &[batch::DataSource], job: &Job) -> Result<batch::MapValues> {
    let (values, rows) = write_atomic(out, |w| Ok(batch::write_parquet(w, title, sources, job)?))?;
    eprintln!("wrote {} plans ({rows} rows) to {}", job.list.len(), out.display());
    Ok(values)
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(out: &Path, _: &str, _: &[batch::DataSource], _: &Job) -> Result<batch::MapValues> {
    bail!(
        "{}: this safetygap was built without Parquet support; rebuild with `cargo build --release --features parquet`, or write .csv",
        out.display()
    )
}

/// The progress bar on a terminal; warnings always.
struct Bar(ProgressBar);

impl Bar {
    fn new(len: usize) -> Bar {
        Bar(if std::io::stderr().is_terminal() {
            let b = ProgressBar::new(len as u64);
            b.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} jurisdictions {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        } else {
            ProgressBar::hidden()
        })
    }
}

impl Progress for Bar {
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn status(&self, message: &str) {
        self.0.finish_and_clear();
        if !message.is_empty() && std::io::stderr().is_terminal() {
            eprintln!("{message}");
        }
    }

    fn warn(&self, message: &str) {
        self.0.suspend(|| eprintln!("warning: {message}"));
    }
}

/// The gazetteer's kind of a level.
fn kind(l: Level) -> Kind {
    match l {
        Level::State => Kind::State,
        Level::County => Kind::County,
        Level::Place => Kind::Place,
    }
}

/// The levels asked for, each once, in the order state, county, place.
fn levels(asked: &[Level]) -> Vec<Level> {
    [Level::State, Level::County, Level::Place].into_iter().filter(|l| asked.contains(l)).collect()
}

/// Writes through a file next to the target, flushed to disk and renamed
/// at the end ([`safetygap_data::atomic`]), so a failed run leaves no half file.
fn write_atomic<T>(path: &Path, body: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T>) -> Result<T> {
    let mut out = None;
    safetygap_data::atomic::write_with(path, |w| -> Result<()> {
        out = Some(body(w)?);
        Ok(())
    })
    .with_context(|| format!("cannot write {}", path.display()))?;
    out.ok_or_else(|| anyhow!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension_and_flag() {
        assert_eq!(choose_format(None, Path::new("a.csv")).unwrap(), Out::Csv);
        assert_eq!(choose_format(None, Path::new("a.JSONL")).unwrap(), Out::Jsonl);
        assert_eq!(choose_format(None, Path::new("a.xlsx")).unwrap(), Out::Xlsx);
        assert_eq!(choose_format(Some(Out::Xlsx), Path::new("a.bin")).unwrap(), Out::Xlsx);
        assert!(choose_format(None, Path::new("a.txt")).unwrap_err().to_string().contains(".xlsx"));
    }
}
