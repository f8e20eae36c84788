//! `safetygap batch`: every jurisdiction's plan to one file, and a map.

use crate::select::{jurisdictions, state_fips, Level};
use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use safetygap_core::{shipped, Catalog, HostNeeds, Plan};
use safetygap_data::embedded::{gazetteer, Gazetteer, Jurisdiction, Kind};
use safetygap_data::inputs::{plan_input, plan_input_with};
use safetygap_data::store::StoredData;
use safetygap_report::batch::{BatchInfo, BatchWorkbook, DataSource, Figures, MapValue};
use safetygap_report::map::{self, MapOptions};
use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(list.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} jurisdictions {elapsed}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let fips = a.state.as_deref().map(state_fips).transpose()?;
    let sources = data_sources(g, stored.sources(), &levels);

    let values = match (format, &a.out) {
        (Some(f @ (Out::Csv | Out::Jsonl)), Some(out)) => write_text(&a, f, out, &catalog, &list, g, &bar, map_value)?,
        (Some(Out::Parquet), Some(out)) => {
            let title = coverage_title(&levels, fips.as_deref(), g);
            write_parquet(out, &title, &sources, &catalog, &list, g, &bar, map_value)?
        }
        (Some(Out::GeoJson), Some(out)) => {
            let title = coverage_title(&levels, fips.as_deref(), g);
            write_geojson(out, &title, &sources, &catalog, &list, g, &bar, map_value)?
        }
        (f, out) => {
            let book = match (f, out) {
                (Some(Out::Xlsx), Some(out)) => Some((out.as_path(), workbook(&catalog, &levels, fips.as_deref(), g, &sources, out)?)),
                _ => None,
            };
            stream(&catalog, &list, g, &bar, book, map_value)?
        }
    };
    bar.finish_and_clear();

    if let (Some(path), Some(value)) = (&a.map, map_value) {
        let svg = draw_map(&values, levels[0], fips.as_deref(), value, &catalog.version, &sources, g)?;
        write_atomic(path, |w| Ok(w.write_all(svg.as_bytes())?))?;
        let what = if levels[0] == Level::State { "states" } else { "counties" };
        eprintln!("wrote a map of {} {what} ({}) to {}", values.len(), a.map_value, path.display());
    }
    Ok(())
}

/// The levels asked for, each once, in the order state, county, place.
fn levels(asked: &[Level]) -> Vec<Level> {
    [Level::State, Level::County, Level::Place].into_iter().filter(|l| asked.contains(l)).collect()
}

/// Writes through a file next to the target, flushed to disk and renamed
/// at the end ([`safetygap_data::atomic`]), so a failed run leaves no half file.
fn write_atomic(path: &Path, body: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>) -> Result<()> {
    safetygap_data::atomic::write_with(path, body).with_context(|| format!("cannot write {}", path.display()))
}

/// The figure a map shows, per GEOID.
type MapValues = BTreeMap<String, f64>;

/// Map figures of a run of plans, in order.
type Pairs = Vec<(String, f64)>;

/// CSV and JSON Lines: without simulation, streamed in chunks; with it,
/// every plan in memory (the simulation draws the national inputs once for
/// all), then written in order.
#[allow(clippy::too_many_arguments)]
fn write_text(
    a: &Args,
    format: Out,
    out: &Path,
    catalog: &Catalog,
    list: &[&Jurisdiction],
    g: &Gazetteer,
    bar: &ProgressBar,
    map_value: Option<MapValue>,
) -> Result<MapValues> {
    let Some(options) = a.sim.options() else {
        return write_text_streaming(format, out, catalog, list, g, bar, map_value);
    };
    let inputs: Vec<_> = list.par_iter().map(|j| plan_input(g, j)).collect();
    let plans: Vec<Plan> = inputs
        .par_iter()
        .zip(list.par_iter())
        .map(|(input, j)| {
            let p = safetygap_core::compute(catalog, input).with_context(|| j.display_name().to_string());
            bar.inc(1);
            p
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    if std::io::stderr().is_terminal() {
        eprintln!("simulating {} draws for {} jurisdictions…", options.draws, inputs.len());
    }
    let sims = safetygap_core::simulate::simulate_many(catalog, &inputs, options)?;

    write_atomic(out, |w| {
        match format {
            Out::Csv => {
                // One percentile table: the header once, then every jurisdiction's rows.
                for (i, (p, s)) in plans.iter().zip(&sims).enumerate() {
                    let text = safetygap_report::simulated::csv(p, s);
                    let body = if i == 0 { text.as_str() } else { text.split_once('\n').map_or("", |(_, rest)| rest) };
                    w.write_all(body.as_bytes())?;
                }
            }
            _ => {
                // One JSON object per line, rendered in parallel, written in order.
                let lines: Vec<String> = plans
                    .par_iter()
                    .zip(sims.par_iter())
                    .map(|(p, s)| Ok(serde_json::to_string(&safetygap_report::simulated::value(p, s))?))
                    .collect::<Result<_>>()?;
                for line in lines {
                    w.write_all(line.as_bytes())?;
                    w.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    })?;
    eprintln!("wrote {} plans to {}", plans.len(), out.display());
    Ok(map_value.map(|v| plans.iter().filter_map(|p| Some((p.jurisdiction.id.clone(), v.of(p)?))).collect()).unwrap_or_default())
}

/// CSV or JSON Lines without simulation, a chunk at a time: every place's
/// plans never sit in memory together (they came to 915 MB when they did).
/// Each chunk is computed and rendered in parallel, in runs of [`RUN`]
/// plans into one buffer, while the previous chunk is written.
fn write_text_streaming(
    format: Out,
    out: &Path,
    catalog: &Catalog,
    list: &[&Jurisdiction],
    g: &Gazetteer,
    bar: &ProgressBar,
    map_value: Option<MapValue>,
) -> Result<MapValues> {
    let plans = Plans::new(catalog, g);
    let mut values = MapValues::new();
    write_atomic(out, |w| {
        if format == Out::Csv {
            // The header once, at the top of the file.
            let mut head = Vec::new();
            safetygap_report::csv_out::render_into(&[], true, &mut head);
            w.write_all(&head)?;
        }
        pipeline(
            list,
            CHUNK,
            |run| {
                let mut buf = Vec::with_capacity(run.len() * 16 * 1024);
                let mut vals = Vec::new();
                for j in run {
                    let p = plans.plan(j)?;
                    match format {
                        Out::Csv => safetygap_report::csv_out::render_into(std::slice::from_ref(&p), false, &mut buf),
                        _ => {
                            serde_json::to_writer(&mut buf, &safetygap_report::json::value(&p))?;
                            buf.push(b'\n');
                        }
                    }
                    vals.extend(map_value.and_then(|v| Some((p.jurisdiction.id.clone(), v.of(&p)?))));
                }
                Ok((buf, vals))
            },
            |rendered: Vec<(Vec<u8>, Pairs)>, chunk| {
                for (buf, vals) in rendered {
                    w.write_all(&buf)?;
                    values.extend(vals);
                }
                bar.inc(chunk.len() as u64);
                Ok(())
            },
        )
    })?;
    eprintln!("wrote {} plans to {}", list.len(), out.display());
    Ok(values)
}

/// GeoJSON: one feature per jurisdiction, streamed like CSV.
#[allow(clippy::too_many_arguments)]
fn write_geojson(
    out: &Path,
    title: &str,
    sources: &[DataSource],
    catalog: &Catalog,
    list: &[&Jurisdiction],
    g: &Gazetteer,
    bar: &ProgressBar,
    map_value: Option<MapValue>,
) -> Result<MapValues> {
    use safetygap_report::geojson::{self, Layer, Shape};
    let plans = Plans::new(catalog, g);
    let mut values = MapValues::new();
    let mut missing: Vec<String> = Vec::new();
    let mut meta: Vec<String> = sources.iter().map(|s| format!("{}: {} ({})", s.figures, s.source, s.vintage)).collect();
    meta.push(format!("boundaries: {}", safetygap_report::map::BOUNDARIES_SOURCE));
    meta.extend(sources.iter().filter_map(|s| s.attribution.clone()));
    write_atomic(out, |w| {
        w.write_all(geojson::begin(title, &meta).as_bytes())?;
        let mut first = true;
        pipeline(
            list,
            CHUNK,
            |run| {
                let mut buf = String::with_capacity(run.len() * 4096);
                let mut vals = Vec::new();
                let mut lost = Vec::new();
                for j in run {
                    let p = plans.plan(j)?;
                    let f = Figures::of(&p, j.state_abbr.as_deref(), j.county_geoid.as_deref());
                    let shape = match j.kind {
                        Kind::County => Shape::Boundary(Layer::County, &j.geoid),
                        Kind::State => Shape::Boundary(Layer::State, &j.geoid),
                        _ => match (j.lon, j.lat) {
                            (Some(lon), Some(lat)) => Shape::Point(lon, lat),
                            _ => Shape::None,
                        },
                    };
                    if !buf.is_empty() {
                        buf.push_str(",\n");
                    }
                    if !geojson::feature(&mut buf, &f, shape).map_err(|e| anyhow!("cannot read the boundaries: {e}"))? {
                        lost.push(j.display_name());
                    }
                    vals.extend(map_value.and_then(|v| Some((p.jurisdiction.id.clone(), v.of(&p)?))));
                }
                Ok((buf, vals, lost))
            },
            |rendered: Vec<(String, Pairs, Vec<String>)>, chunk| {
                for (buf, vals, lost) in rendered {
                    if !first {
                        w.write_all(b",\n")?;
                    }
                    first = false;
                    w.write_all(buf.as_bytes())?;
                    values.extend(vals);
                    missing.extend(lost);
                }
                bar.inc(chunk.len() as u64);
                Ok(())
            },
        )?;
        w.write_all(geojson::END.as_bytes())?;
        Ok(())
    })?;
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(8).map(String::as_str).collect();
        eprintln!(
            "warning: {} jurisdiction(s) have no boundary or point and are written with a null geometry: {}{}",
            missing.len(),
            shown.join(", "),
            if missing.len() > shown.len() { ", …" } else { "" }
        );
    }
    eprintln!("wrote {} features to {}", list.len(), out.display());
    Ok(values)
}

/// Parquet: the CSV's rows, typed and compressed (feature `parquet`).
#[cfg(feature = "parquet")]
#[allow(clippy::too_many_arguments)]
fn write_parquet(
    out: &Path,
    title: &str,
    sources: &[DataSource],
    catalog: &Catalog,
    list: &[&Jurisdiction],
    g: &Gazetteer,
    bar: &ProgressBar,
    map_value: Option<MapValue>,
) -> Result<MapValues> {
    use safetygap_report::parquet::ParquetTable;
    let plans = Plans::new(catalog, g);
    let mut values = MapValues::new();
    let mut meta = vec![("title".to_string(), title.to_string())];
    meta.extend(sources.iter().enumerate().map(|(i, s)| (format!("source.{i}"), format!("{}: {} ({})", s.figures, s.source, s.vintage))));
    meta.extend(sources.iter().filter_map(|s| s.attribution.clone()).enumerate().map(|(i, a)| (format!("attribution.{i}"), a)));
    let mut rows = 0;
    write_atomic(out, |w| {
        let mut table = ParquetTable::new(w, meta).context("cannot start the Parquet file")?;
        pipeline(
            list,
            CHUNK,
            |run| run.iter().map(|j| plans.plan(j)).collect::<Result<Vec<Plan>>>(),
            |runs, chunk| {
                for p in runs.into_iter().flatten() {
                    table.add(&p).context("cannot write the Parquet table")?;
                    if let Some(v) = map_value.and_then(|v| v.of(&p)) {
                        values.insert(p.jurisdiction.id.clone(), v);
                    }
                }
                bar.inc(chunk.len() as u64);
                Ok(())
            },
        )?;
        rows = table.finish().context("cannot finish the Parquet file")?;
        Ok(())
    })?;
    eprintln!("wrote {} plans ({rows} rows) to {}", list.len(), out.display());
    Ok(values)
}

#[cfg(not(feature = "parquet"))]
#[allow(clippy::too_many_arguments)]
fn write_parquet(
    out: &Path,
    _: &str,
    _: &[DataSource],
    _: &Catalog,
    _: &[&Jurisdiction],
    _: &Gazetteer,
    _: &ProgressBar,
    _: Option<MapValue>,
) -> Result<MapValues> {
    bail!(
        "{}: this safetygap was built without Parquet support; rebuild with `cargo build --release --features parquet`, or write .csv",
        out.display()
    )
}

/// One jurisdiction's plan.
fn compute(catalog: &Catalog, g: &Gazetteer, j: &Jurisdiction) -> Result<Plan> {
    safetygap_core::compute(catalog, &plan_input(g, j)).with_context(|| j.display_name().to_string())
}

/// Plans of a batch. A place's plan shares units with its county's, so
/// each county's needs are computed once, on first use, for all its places
/// (computing the county's plan again for every place was half a batch of
/// every place's CPU time).
struct Plans<'a> {
    catalog: &'a Catalog,
    g: &'a Gazetteer,
    data: &'a StoredData,
    /// County GEOID → its needs (`None` when its plan fails: the place's
    /// plan is then computed whole, which reports the error).
    hosts: HashMap<&'a str, OnceLock<Option<HostNeeds>>>,
}

impl<'a> Plans<'a> {
    fn new(catalog: &'a Catalog, g: &'a Gazetteer) -> Plans<'a> {
        let hosts = g.counties(None).map(|c| (c.geoid.as_str(), OnceLock::new())).collect();
        Plans { catalog, g, data: safetygap_data::store::default_data(), hosts }
    }

    /// One jurisdiction's plan: the same as [`compute`].
    fn plan(&self, j: &Jurisdiction) -> Result<Plan> {
        let cell = match j.kind {
            Kind::Place => j.county_geoid.as_deref().and_then(|c| self.hosts.get(c)),
            _ => None,
        };
        let host = cell.map(|cell| {
            cell.get_or_init(|| {
                let county = self.g.get(j.county_geoid.as_deref()?)?;
                let plan = safetygap_core::compute(self.catalog, &plan_input_with(self.data, self.g, county)).ok()?;
                Some(HostNeeds::of(&plan))
            })
        });
        match host {
            Some(None) => compute(self.catalog, self.g, j),
            Some(Some(h)) => self.hosted(j, Some(h)),
            None => self.hosted(j, None),
        }
    }

    fn hosted(&self, j: &Jurisdiction, host: Option<&HostNeeds>) -> Result<Plan> {
        let input = plan_input_with(self.data, self.g, j);
        safetygap_core::compute_hosted(self.catalog, &input, host).with_context(|| j.display_name().to_string())
    }
}

/// Jurisdictions computed at once while the previous chunk is written: small
/// enough that plans and text in flight stay a few megabytes (every county
/// and place to CSV: 85-88 MB peak in all, of which about 62 MB is the
/// process with its gazetteer; 90-99 MB with 256, 132 MB with 1,024), large
/// enough to keep every core busy.
const CHUNK: usize = 128;

/// Plans rendered one after another into one buffer by one worker: enough
/// to make a task worth scheduling, few enough to spread a chunk over the
/// cores.
const RUN: usize = 16;

/// Runs `produce` over `list` in chunks of `chunk` jurisdictions, each
/// chunk in parallel in runs of [`RUN`], and hands each chunk's results in
/// order to `consume` while the next chunk is produced.
fn pipeline<'j, T: Send>(
    list: &'j [&'j Jurisdiction],
    chunk: usize,
    produce: impl Fn(&[&Jurisdiction]) -> Result<T> + Sync,
    mut consume: impl FnMut(Vec<T>, &'j [&'j Jurisdiction]) -> Result<()> + Send,
) -> Result<()> {
    let make = |c: &[&Jurisdiction]| -> Result<Vec<T>> { c.par_chunks(RUN).map(&produce).collect() };
    let mut chunks = list.chunks(chunk);
    if let Some(first) = chunks.next() {
        let mut pending = (make(first)?, first);
        for next in chunks {
            let (made, written) = rayon::join(|| make(next), || consume(std::mem::take(&mut pending.0), pending.1));
            written?;
            pending = (made?, next);
        }
        consume(pending.0, pending.1)?;
    }
    Ok(())
}

/// Workbook and map: plans are computed a chunk at a time (in parallel,
/// while the previous chunk is written) and dropped once written, so memory
/// stays flat however many jurisdictions there are.
fn stream(
    catalog: &Catalog,
    list: &[&Jurisdiction],
    g: &Gazetteer,
    bar: &ProgressBar,
    mut book: Option<(&Path, BatchWorkbook)>,
    map_value: Option<MapValue>,
) -> Result<MapValues> {
    let plans = Plans::new(catalog, g);
    let mut values = MapValues::new();
    pipeline(
        list,
        CHUNK,
        |run| run.iter().map(|j| plans.plan(j)).collect::<Result<Vec<Plan>>>(),
        |runs, chunk| {
            for (p, j) in runs.into_iter().flatten().zip(chunk) {
                if let Some((_, b)) = &mut book {
                    b.add(&p, j.state_abbr.as_deref()).context("cannot build the workbook")?;
                }
                if let Some(v) = map_value.and_then(|v| v.of(&p)) {
                    values.insert(p.jurisdiction.id.clone(), v);
                }
            }
            bar.inc(chunk.len() as u64);
            Ok(())
        },
    )?;
    if let Some((out, b)) = book {
        let n = b.jurisdictions();
        safetygap_data::atomic::replace_with(out, |tmp| b.save(tmp).map_err(anyhow::Error::new))
            .with_context(|| format!("cannot write the workbook {}", out.display()))?;
        eprintln!("wrote {n} plans to {}", out.display());
    }
    Ok(values)
}

/// What the batch covers, in words: "Every county", "Places of California",
/// "Every county and every place of 1,000+ people".
fn coverage_title(levels: &[Level], fips: Option<&str>, g: &Gazetteer) -> String {
    let mut out = String::new();
    for (i, &l) in levels.iter().enumerate() {
        let t = level_title(l, fips, g);
        if i == 0 {
            out = t;
        } else {
            // "Every county and every place of 1,000+ people".
            let mut c = t.chars();
            out.extend(" and ".chars().chain(c.next().into_iter().flat_map(char::to_lowercase)).chain(c));
        }
    }
    out
}

fn level_title(level: Level, fips: Option<&str>, g: &Gazetteer) -> String {
    let state = fips.and_then(|f| g.get(f)).map(|s| s.name.clone());
    match (level, state) {
        (Level::State, None) => "Every state and DC".into(),
        (Level::State, Some(s)) => s,
        (Level::County, None) => "Every county".into(),
        (Level::County, Some(s)) => format!("Counties of {s}"),
        (Level::Place, None) => "Every Census place".into(),
        (Level::Place, Some(s)) => format!("Census places in {s}"),
    }
}

/// The data sets a batch at `level` draws on: the embedded ones (less the
/// populations of other levels) and whatever the user imported.
fn data_sources(g: &Gazetteer, imported: &[safetygap_data::store::SourceEntry], levels: &[Level]) -> Vec<DataSource> {
    let own: Vec<&str> = levels
        .iter()
        .map(|l| match l {
            Level::State => "population of states",
            Level::County => "population of counties",
            Level::Place => "population of places",
        })
        .collect();
    let mut out: Vec<DataSource> = safetygap_data::store::status::embedded_sources(g)
        .into_iter()
        .filter(|s| !s.figures.starts_with("population of ") || own.contains(&s.figures.as_str()))
        .map(|s| DataSource { figures: s.figures, source: s.source, vintage: s.vintage, attribution: s.attribution })
        .collect();
    out.extend(imported.iter().map(|s| DataSource {
        figures: s.summary.clone(),
        source: format!("imported {} file {} (takes precedence over the embedded data)", s.kind, s.file),
        vintage: s.vintage.clone(),
        attribution: None,
    }));
    out
}

fn workbook(
    catalog: &Catalog,
    levels: &[Level],
    fips: Option<&str>,
    g: &Gazetteer,
    sources: &[DataSource],
    out: &Path,
) -> Result<BatchWorkbook> {
    let mut attributions = Vec::new();
    if levels.contains(&Level::Place) {
        attributions.push(format!("{}.", safetygap_data::embedded::US_GEO_ATTRIBUTION));
    }
    let info = BatchInfo {
        title: coverage_title(levels, fips, g),
        generator: format!("safetygap {}", env!("CARGO_PKG_VERSION")),
        data_sources: sources.to_vec(),
        attributions,
    };
    // The big sheets' rows wait in temporary files next to the output.
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    BatchWorkbook::new(catalog, info, Some(dir)).with_context(|| format!("cannot start the workbook {}", out.display()))
}

const BOUNDARIES: &str = "Boundaries: U.S. Census Bureau 2023 cartographic boundaries via us-atlas-2023 4.0.0 (ISC).";

fn draw_map(
    values: &MapValues,
    level: Level,
    fips: Option<&str>,
    value: MapValue,
    version: &str,
    sources: &[DataSource],
    g: &Gazetteer,
) -> Result<String> {
    let (mlevel, by, each) = match level {
        Level::State => (map::Level::State, "state", "state"),
        Level::County => (map::Level::County, "county", "county"),
        Level::Place => bail!("places cannot be mapped"),
    };
    let area = match (level, fips.and_then(|f| g.get(f))) {
        (Level::County, Some(s)) => format!(", {}", s.name),
        _ => String::new(),
    };
    let mut o = MapOptions::new(mlevel, format!("{} by {by}{area} (central estimate)", value.title()));
    o.format = value.format();
    if level == Level::County {
        o.within_state = fips.map(str::to_string);
    }
    // "Census … July 1 2019 (…)" already names its vintage.
    let data: Vec<String> = sources
        .iter()
        .map(|s| if s.source.contains(&s.vintage) { s.source.clone() } else { format!("{} ({})", s.source, s.vintage) })
        .collect();
    let coverage = if value == MapValue::Coverage {
        eprintln!("warning: batch plans count nothing as existing (no inventories), so the need met today is 0% for every {each}");
        " Nothing counts as existing in a batch (no inventories), so the need met today is 0% everywhere."
    } else {
        ""
    };
    o.note = Some(format!(
        "Source: safetygap, catalog {version}: each {each}'s plan from its embedded and imported data, without inventories; quintile classes.{coverage} Data: {}. {BOUNDARIES}",
        data.join("; ")
    ));
    let m = map::choropleth(values, &o).context("cannot draw the map")?;
    if !m.unmatched.is_empty() {
        let shown: Vec<&str> = m.unmatched.iter().take(8).map(String::as_str).collect();
        eprintln!(
            "warning: {} {by}(s) have no boundary on the map and are left out: {}{}",
            m.unmatched.len(),
            shown.join(", "),
            if m.unmatched.len() > shown.len() { ", …" } else { "" }
        );
    }
    Ok(m.svg)
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
