//! Writing a batch: CSV and JSON Lines (whole or streamed), GeoJSON and Parquet.

use super::*;

/// What every writer runs: the catalog, the jurisdictions in order, where
/// their figures come from, the progress bar and the figure a map shows.
#[derive(Clone, Copy)]
pub(super) struct Job<'a> {
    pub catalog: &'a Catalog,
    pub list: &'a [&'a Jurisdiction],
    pub g: &'a Gazetteer,
    pub bar: &'a ProgressBar,
    pub map_value: Option<MapValue>,
}

/// The figure a map shows, per GEOID.
pub(super) type MapValues = BTreeMap<String, f64>;

/// Map figures of a run of plans, in order.
pub(super) type Pairs = Vec<(String, f64)>;

/// CSV and JSON Lines: without simulation, streamed in chunks; with it,
/// every plan in memory (the simulation draws the national inputs once for
/// all), then written in order.
pub(super) fn write_text(a: &Args, format: Out, out: &Path, job: &Job) -> Result<MapValues> {
    let Job { catalog, list, g, bar, map_value } = *job;
    let Some(options) = a.sim.options() else {
        return write_text_streaming(format, out, job);
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
pub(super) fn write_text_streaming(format: Out, out: &Path, job: &Job) -> Result<MapValues> {
    let Job { catalog, list, g, bar, map_value } = *job;
    // JSON Lines prints each driver's source; the CSV does not.
    let plans = Plans::new(catalog, g, if format == Out::Csv { Texts::Figures } else { Texts::All });
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
                plans.written(chunk);
                bar.inc(chunk.len() as u64);
                Ok(())
            },
        )
    })?;
    eprintln!("wrote {} plans to {}", list.len(), out.display());
    Ok(values)
}

/// GeoJSON: one feature per jurisdiction, streamed like CSV.
pub(super) fn write_geojson(out: &Path, title: &str, sources: &[DataSource], job: &Job) -> Result<MapValues> {
    let Job { catalog, list, g, bar, map_value } = *job;
    use safetygap_report::geojson::{self, Layer, Shape};
    // Features hold headline figures, none of the drivers' texts.
    let plans = Plans::new(catalog, g, Texts::Figures);
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
                plans.written(chunk);
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
pub(super) fn write_parquet(out: &Path, title: &str, sources: &[DataSource], job: &Job) -> Result<MapValues> {
    let Job { catalog, list, g, bar, map_value } = *job;
    use safetygap_report::parquet::ParquetTable;
    // The Parquet table holds the CSV's columns, none of the drivers' texts.
    let plans = Plans::new(catalog, g, Texts::Figures);
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
                plans.written(chunk);
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
pub(super) fn write_parquet(out: &Path, _: &str, _: &[DataSource], _: &Job) -> Result<MapValues> {
    bail!(
        "{}: this safetygap was built without Parquet support; rebuild with `cargo build --release --features parquet`, or write .csv",
        out.display()
    )
}
