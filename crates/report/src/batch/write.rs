//! Writing a batch: CSV and JSON Lines, GeoJSON and Parquet, each to any
//! [`Write`] (the caller makes the file, atomically).

use super::run::{map_entry, pipeline, Job, MapValues, Pairs, Plans};
use super::{BatchError, DataSource, Figures};
use rayon::prelude::*;
use safetygap_core::drivers::Texts;
use safetygap_core::simulate::SimOptions;
use safetygap_core::Plan;
use safetygap_data::embedded::Kind;
use safetygap_data::inputs::plan_input;
use std::io::Write;

/// A text table of plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// One row per program line, subtotal and total of each plan
    /// ([`crate::csv_out`]); with a simulation, one percentile table.
    Csv,
    /// One plan object per line ([`crate::json`]); with a simulation, the
    /// plan with its percentiles ([`crate::simulated`]).
    Jsonl,
}

/// Writes every plan of `job` as CSV or JSON Lines to `w`. Without a
/// simulation, a chunk at a time: every place's plans never sit in memory
/// together (they came to 915 MB when they did); each chunk is computed
/// and rendered in parallel, in runs of plans into one buffer, while the
/// previous chunk is written. With `simulate`, every plan is computed
/// first (the simulation draws the national inputs once for all, so
/// results add up the way the inputs do), then written in order.
pub fn write_lines(
    w: &mut (impl Write + Send),
    format: TextFormat,
    simulate: Option<SimOptions>,
    job: &Job,
) -> Result<MapValues, BatchError> {
    match simulate {
        None => write_streamed(w, format, job),
        Some(options) => write_simulated(w, format, options, job),
    }
}

fn write_streamed(w: &mut (impl Write + Send), format: TextFormat, job: &Job) -> Result<MapValues, BatchError> {
    let Job { catalog, list, g, progress, map_value } = *job;
    // JSON Lines prints each driver's source; the CSV does not.
    let plans = Plans::new(catalog, g, if format == TextFormat::Csv { Texts::Figures } else { Texts::All });
    let mut values = MapValues::new();
    if format == TextFormat::Csv {
        // The header once, at the top of the file.
        let mut head = Vec::new();
        crate::csv_out::render_into(&[], true, &mut head);
        w.write_all(&head)?;
    }
    pipeline(
        list,
        |run| {
            let mut buf = Vec::with_capacity(run.len() * 16 * 1024);
            let mut vals = Vec::new();
            for j in run {
                let p = plans.plan(j)?;
                match format {
                    TextFormat::Csv => crate::csv_out::render_into(std::slice::from_ref(&p), false, &mut buf),
                    TextFormat::Jsonl => {
                        serde_json::to_writer(&mut buf, &crate::json::value(&p))?;
                        buf.push(b'\n');
                    }
                }
                vals.extend(map_entry(map_value, &p));
            }
            Ok((buf, vals))
        },
        |rendered: Vec<(Vec<u8>, Pairs)>, chunk| {
            for (buf, vals) in rendered {
                w.write_all(&buf)?;
                values.extend(vals);
            }
            plans.written(chunk);
            progress.advance(chunk.len() as u64);
            Ok(())
        },
    )?;
    Ok(values)
}

fn write_simulated(w: &mut impl Write, format: TextFormat, options: SimOptions, job: &Job) -> Result<MapValues, BatchError> {
    let Job { catalog, list, g, progress, map_value } = *job;
    let inputs: Vec<_> = list.par_iter().map(|j| plan_input(g, j)).collect();
    let plans: Vec<Plan> = inputs
        .par_iter()
        .zip(list.par_iter())
        .map(|(input, j)| {
            let p = safetygap_core::compute(catalog, input).map_err(|source| BatchError::Plan { jurisdiction: j.display_name(), source });
            progress.advance(1);
            p
        })
        .collect::<Result<_, _>>()?;
    progress.status(&format!("simulating {} draws for {} jurisdictions…", options.draws, inputs.len()));
    let sims = safetygap_core::simulate::simulate_many(catalog, &inputs, options).map_err(BatchError::Simulate)?;
    match format {
        TextFormat::Csv => {
            // One percentile table: the header once, then every jurisdiction's rows.
            for (i, (p, s)) in plans.iter().zip(&sims).enumerate() {
                let text = crate::simulated::csv(p, s);
                let body = if i == 0 { text.as_str() } else { text.split_once('\n').map_or("", |(_, rest)| rest) };
                w.write_all(body.as_bytes())?;
            }
        }
        TextFormat::Jsonl => {
            // One JSON object per line, rendered in parallel, written in order.
            let lines: Vec<String> = plans
                .par_iter()
                .zip(sims.par_iter())
                .map(|(p, s)| serde_json::to_string(&crate::simulated::value(p, s)))
                .collect::<Result<_, _>>()?;
            for line in lines {
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")?;
            }
        }
    }
    Ok(plans.iter().filter_map(|p| map_entry(map_value, p)).collect())
}

/// Writes a GeoJSON feature collection to `w`: one feature per
/// jurisdiction with its headline figures, counties and states with their
/// boundary, places as points; streamed like CSV. Jurisdictions without a
/// boundary or point get a null geometry, and a warning names them.
pub fn write_geojson(w: &mut (impl Write + Send), title: &str, sources: &[DataSource], job: &Job) -> Result<MapValues, BatchError> {
    let Job { catalog, list, g, progress, map_value } = *job;
    use crate::geojson::{self, Layer, Shape};
    // Features hold headline figures, none of the drivers' texts.
    let plans = Plans::new(catalog, g, Texts::Figures);
    let mut values = MapValues::new();
    let mut missing: Vec<String> = Vec::new();
    let mut meta: Vec<String> = sources.iter().map(|s| format!("{}: {} ({})", s.figures, s.source, s.vintage)).collect();
    meta.push(format!("boundaries: {}", crate::map::BOUNDARIES_SOURCE));
    meta.extend(sources.iter().filter_map(|s| s.attribution.clone()));
    w.write_all(geojson::begin(title, &meta).as_bytes())?;
    let mut first = true;
    pipeline(
        list,
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
                let located = geojson::feature(&mut buf, &f, shape)
                    .map_err(|source| BatchError::Map { doing: "cannot read the boundaries", source })?;
                if !located {
                    lost.push(j.display_name());
                }
                vals.extend(map_entry(map_value, &p));
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
            plans.written(chunk);
            progress.advance(chunk.len() as u64);
            Ok(())
        },
    )?;
    w.write_all(geojson::END.as_bytes())?;
    if !missing.is_empty() {
        progress.warn(&format!(
            "{} jurisdiction(s) have no boundary or point and are written with a null geometry: {}",
            missing.len(),
            first_few(&missing)
        ));
    }
    Ok(values)
}

/// The first eight names, and "…" when there are more.
pub(super) fn first_few(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    format!("{}{}", shown.join(", "), if names.len() > shown.len() { ", …" } else { "" })
}

/// Writes the CSV's rows as a typed, compressed Parquet table to `w`
/// ([`crate::parquet`]); returns the map figures and the number of rows.
#[cfg(feature = "parquet")]
pub fn write_parquet<W: Write + Send>(w: W, title: &str, sources: &[DataSource], job: &Job) -> Result<(MapValues, usize), BatchError> {
    let Job { catalog, list, g, progress, map_value } = *job;
    use crate::parquet::ParquetTable;
    // The Parquet table holds the CSV's columns, none of the drivers' texts.
    let plans = Plans::new(catalog, g, Texts::Figures);
    let mut values = MapValues::new();
    let mut meta = vec![("title".to_string(), title.to_string())];
    meta.extend(sources.iter().enumerate().map(|(i, s)| (format!("source.{i}"), format!("{}: {} ({})", s.figures, s.source, s.vintage))));
    meta.extend(sources.iter().filter_map(|s| s.attribution.clone()).enumerate().map(|(i, a)| (format!("attribution.{i}"), a)));
    let parquet = |doing| move |source| BatchError::Parquet { doing, source };
    let mut table = ParquetTable::new(w, meta).map_err(parquet("cannot start the Parquet file"))?;
    pipeline(
        list,
        |run| run.iter().map(|j| plans.plan(j)).collect::<Result<Vec<Plan>, BatchError>>(),
        |runs, chunk| {
            for p in runs.into_iter().flatten() {
                table.add(&p).map_err(parquet("cannot write the Parquet table"))?;
                values.extend(map_entry(map_value, &p));
            }
            plans.written(chunk);
            progress.advance(chunk.len() as u64);
            Ok(())
        },
    )?;
    let rows = table.finish().map_err(parquet("cannot finish the Parquet file"))?;
    Ok((values, rows))
}
