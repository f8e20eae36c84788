//! `safetygap report`: files to hand to a council — an HTML brief, an Excel
//! workbook, a Markdown memo, or a map on its own.

use crate::inputs::{parse_number, read_text, PlanOpts};
use anyhow::{anyhow, bail, Context, Result};
use safetygap_report::map::{self, Bins, Level, MapOptions, ValueFormat};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Write a report file: an HTML brief, an Excel workbook, a Markdown memo,
/// or (with --map) an SVG map.
///
/// The format follows the --out extension (.html, .xlsx, .md, .svg) unless
/// --format says otherwise. HTML and Markdown go to standard output when
/// there is no --out; a workbook always needs --out.
///
/// For a named state, county or city the brief also maps annual gap cost
/// per resident across the state's counties (or every county, for the
/// nation), outlining the place; --no-map leaves it out.
///
/// Examples:
///   safetygap report "Oakland, CA" --out oakland.html
///   safetygap report --geoid 06 --out california.xlsx
///   safetygap report --population 250000 --name "Our City" --out brief.html
///   safetygap report --population 250000 --inventory have.csv --out plan.xlsx
///   safetygap report --population 250000 --format markdown > memo.md
///   safetygap report "Oakland, CA" --simulate 2000 --out oakland.html
///   safetygap report --population 250000 --map cost.csv --map-format money --out brief.html
///   safetygap report --map counties.csv --map-title "Gap cost per resident" --out map.svg
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub opts: PlanOpts,
    #[command(flatten)]
    pub sim: super::simulate_opts::SimArgs,
    #[command(flatten)]
    pub payer: crate::inputs::PayerOpt,
    /// File to write; its extension picks the format.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format: html, xlsx, markdown or svg (the map alone).
    #[arg(long, value_enum)]
    pub format: Option<Out>,
    /// A CSV with `geoid` and `value` columns (2-digit state or 5-digit
    /// county GEOIDs) to draw as a choropleth in the brief or as --format svg.
    #[arg(long = "map", value_name = "CSV")]
    pub map: Option<PathBuf>,
    /// Heading of the map.
    #[arg(long, value_name = "TEXT")]
    pub map_title: Option<String>,
    /// How map values are written in the legend: number, money or percent
    /// (a fraction: 0.25 is 25%).
    #[arg(long, value_enum, default_value_t = MapFormat::Number)]
    pub map_format: MapFormat,
    /// Draw only this state's counties (2-digit GEOID, e.g. 06).
    #[arg(long, value_name = "GEOID")]
    pub map_state: Option<String>,
    /// Fixed class edges instead of quintiles, e.g. `--map-breaks 100,200,400`.
    #[arg(long, value_name = "EDGES")]
    pub map_breaks: Option<String>,
    /// Leave out the county map drawn for a named place.
    #[arg(long)]
    pub no_map: bool,
}

/// What to write.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    // No doc comments on the variants: clap would list them in --help.
    Html,
    Xlsx,
    #[value(alias = "md")]
    Markdown,
    Svg,
}

/// `--map-format`: how map values are written.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapFormat {
    Number,
    Money,
    Percent,
}

impl Out {
    fn parse(s: &str) -> Option<Out> {
        match s.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Out::Html),
            "xlsx" => Some(Out::Xlsx),
            "markdown" | "md" => Some(Out::Markdown),
            "svg" => Some(Out::Svg),
            _ => None,
        }
    }
}

fn choose_format(format: Option<Out>, out: Option<&Path>) -> Result<Out> {
    let from_ext = match out {
        Some(p) => {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            match Out::parse(ext) {
                Some(f) => Some(f),
                None if format.is_some() => None,
                None if ext.eq_ignore_ascii_case("pdf") => bail!(
                    "PDF is not built in: write the brief as HTML (--out {}) and print it to PDF from a browser; its print layout fits Letter and A4",
                    p.with_extension("html").display()
                ),
                None => bail!("cannot tell the format of {}: name it .html, .xlsx, .md or .svg, or give --format", p.display()),
            }
        }
        None => None,
    };
    match (format, from_ext) {
        (Some(f), Some(e)) if f != e => bail!(
            "--format {} does not match --out {}: drop --format or change the file extension",
            clap::ValueEnum::to_possible_value(&f).map(|v| v.get_name().to_string()).unwrap_or_default(),
            out.map(|p| p.display().to_string()).unwrap_or_default()
        ),
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(Out::Html),
    }
}

/// GEOID → value from a CSV with `geoid` and `value` columns.
fn read_map_csv(path: &Path) -> Result<BTreeMap<String, f64>> {
    let text = read_text(path, "map")?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = rdr.headers().with_context(|| format!("{}: cannot read the header line", path.display()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let (Some(gi), Some(vi)) = (col("geoid"), col("value")) else {
        bail!(
            "{} line 1: the map file needs the columns `geoid` and `value` (found: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let mut out = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.with_context(|| format!("{} line {line}: not valid CSV", path.display()))?;
        let raw = rec.get(gi).unwrap_or("").trim();
        if raw.is_empty() {
            bail!("{} line {line}: empty geoid", path.display());
        }
        if !raw.chars().all(|c| c.is_ascii_digit()) {
            bail!("{} line {line}: geoid `{raw}` is not a state (2-digit) or county (5-digit) FIPS code", path.display());
        }
        // Spreadsheets drop leading zeros: 6001 is county 06001, 6 is state 06.
        let geoid = match raw.len() {
            1 | 4 => format!("0{raw}"),
            _ => raw.to_string(),
        };
        let v = rec.get(vi).unwrap_or("").trim();
        if v.is_empty() {
            continue; // no data for this area
        }
        let value = parse_number(v.trim_start_matches('$').trim_end_matches('%'))
            .ok_or_else(|| anyhow!("{} line {line}: value `{v}` is not a number", path.display()))?;
        if out.insert(geoid.clone(), value).is_some() {
            bail!("{} line {line}: geoid {geoid} appears twice", path.display());
        }
    }
    if out.is_empty() {
        bail!("{}: no rows with a value to map", path.display());
    }
    Ok(out)
}

fn draw_map(a: &Args, path: &Path) -> Result<String> {
    let values = read_map_csv(path)?;
    let level = Level::infer(values.keys().map(String::as_str))
        .ok_or_else(|| anyhow!("{}: GEOIDs must be all 2-digit states or all 5-digit counties, not a mix", path.display()))?;
    let mut opts = MapOptions::new(level, a.map_title.clone().unwrap_or_default());
    opts.format = match a.map_format {
        MapFormat::Number => ValueFormat::Number,
        MapFormat::Money => ValueFormat::Money,
        MapFormat::Percent => ValueFormat::Percent,
    };
    if let Some(b) = &a.map_breaks {
        let edges = b
            .split(',')
            .map(|x| parse_number(x).ok_or_else(|| anyhow!("--map-breaks: `{x}` is not a number; write edges like 100,200,400")))
            .collect::<Result<Vec<f64>>>()?;
        opts.bins = Bins::Fixed(edges);
    }
    if let Some(st) = &a.map_state {
        if level != Level::County {
            bail!("--map-state draws one state's counties, but {} has state GEOIDs", path.display());
        }
        opts.within_state = Some(if st.len() == 1 { format!("0{st}") } else { st.clone() });
    }
    let m = map::choropleth(&values, &opts)?;
    if !m.unmatched.is_empty() {
        let what = if level == Level::State { "state" } else { "county" };
        let shown: Vec<&str> = m.unmatched.iter().take(8).map(String::as_str).collect();
        eprintln!(
            "warning: {} GEOID(s) in {} match no {what} on the map and are left out: {}{}",
            m.unmatched.len(),
            path.display(),
            shown.join(", "),
            if m.unmatched.len() > shown.len() { ", …" } else { "" }
        );
    }
    Ok(m.svg)
}

const BOUNDARIES: &str = "Boundaries: U.S. Census Bureau 2023 cartographic boundaries via us-atlas-2023 4.0.0 (ISC).";

/// For a named place: annual gap cost per resident of every county in its
/// state (every county for the nation), from each county's embedded data,
/// with the place (or its county) outlined.
fn context_map(opts: &PlanOpts, catalog: &safetygap_core::Catalog) -> Result<Option<safetygap_report::html::Figure>> {
    use rayon::prelude::*;
    use safetygap_data::embedded::{gazetteer, Kind};
    let Some(j) = opts.jurisdiction()? else { return Ok(None) };
    let g = gazetteer();
    let state = j.state_fips.clone();
    let highlight = match j.kind {
        Kind::County => Some(j.geoid.clone()),
        Kind::Place => j.county_geoid.clone(),
        Kind::State | Kind::Nation => None,
    };
    let counties: Vec<_> = g.counties(state.as_deref()).collect();
    let values: BTreeMap<String, f64> = counties
        .par_iter()
        .filter_map(|c| {
            let plan = safetygap_core::compute(catalog, &safetygap_data::inputs::plan_input(g, c)).ok()?;
            Some((c.geoid.clone(), plan.totals.annual_cost_per_resident.mid))
        })
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    let area = match (&j.kind, &j.state_name) {
        (Kind::Nation, _) | (_, None) => "every U.S. county".to_string(),
        (_, Some(s)) => format!("the counties of {s}"),
    };
    let mut mo = MapOptions::new(Level::County, format!("Annual gap cost per resident across {area}"));
    mo.format = ValueFormat::Money;
    mo.within_state = if j.kind == Kind::Nation { None } else { state };
    mo.highlight = highlight;
    let m = map::choropleth(&values, &mo)?;
    let outlined = match (j.kind, &mo.highlight) {
        (Kind::County, Some(_)) => format!(" {} is outlined in red.", j.display_name()),
        (Kind::Place, Some(c)) => {
            format!(" {}'s county, {}, is outlined in red.", j.display_name(), g.get(c).map_or(c.clone(), |c| c.display_name()))
        }
        _ => String::new(),
    };
    Ok(Some(safetygap_report::html::Figure {
        svg: m.svg,
        caption: format!(
            "Central estimate for each county from its embedded figures only (Census V2023 population, ACS 2015–2019 poverty, the state's FBI crime counts shared by population), without local overrides or inventories; quintile classes.{outlined} {BOUNDARIES}"
        ),
    }))
}

fn write_out(path: &Path, bytes: &[u8]) -> Result<()> {
    safetygap_data::atomic::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} ({} KB)", path.display(), bytes.len().div_ceil(1024));
    Ok(())
}

pub fn run(a: Args) -> Result<()> {
    let format = choose_format(a.format, a.out.as_deref())?;
    if format == Out::Xlsx && a.out.is_none() {
        bail!("a workbook is binary: give --out FILE.xlsx");
    }
    let map_svg = match &a.map {
        Some(p) => Some(draw_map(&a, p)?),
        None if format == Out::Svg => bail!("--format svg draws a map: give --map FILE.csv with geoid,value columns"),
        None => None,
    };
    if format == Out::Svg {
        let svg = map_svg.unwrap_or_default();
        return match &a.out {
            Some(p) => write_out(p, svg.as_bytes()),
            None => {
                println!("{svg}");
                Ok(())
            }
        };
    }
    if map_svg.is_some() && format != Out::Html {
        eprintln!("warning: --map is drawn only in HTML briefs and SVG files; it is left out of this {format:?} output");
    }

    let catalog = a.opts.catalog()?;
    let input = a.opts.input(&catalog)?;
    let plan = a.payer.apply(safetygap_core::compute(&catalog, &input)?)?;
    let simulation = match a.sim.options() {
        Some(o) => Some(safetygap_core::simulate::simulate(&catalog, &input, o)?),
        None => None,
    };
    if simulation.is_some() && format == Out::Xlsx {
        eprintln!("warning: --simulate adds percentile intervals to HTML and Markdown; the workbook keeps the low / mid / high ranges");
    }
    let bytes = match format {
        Out::Html => {
            let mut opts = safetygap_report::html::HtmlOptions { simulation: simulation.clone(), ..Default::default() };
            if let (Some(svg), Some(p)) = (map_svg, &a.map) {
                let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                opts.figures.push(safetygap_report::html::Figure { svg, caption: format!("Values from {name}. {BOUNDARIES}") });
            } else if !a.no_map {
                if let Some(fig) = context_map(&a.opts, &catalog)? {
                    opts.figures.push(fig);
                    opts.locator = false;
                }
            }
            safetygap_report::html::render(&plan, &catalog, &opts).into_bytes()
        }
        Out::Markdown => {
            let mut md = safetygap_report::markdown::render(&plan);
            if let Some(sim) = &simulation {
                md.push_str(&safetygap_report::simulated::markdown_section(&plan, sim));
            }
            md.into_bytes()
        }
        Out::Xlsx => safetygap_report::xlsx::render(&plan, &catalog).context("cannot build the workbook")?,
        Out::Svg => unreachable!("handled above"),
    };
    match &a.out {
        Some(p) => write_out(p, &bytes),
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes).context("cannot write to standard output")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension_and_flag() {
        assert_eq!(choose_format(None, Some(Path::new("a.HTML"))).unwrap(), Out::Html);
        assert_eq!(choose_format(None, Some(Path::new("a.xlsx"))).unwrap(), Out::Xlsx);
        assert_eq!(choose_format(None, Some(Path::new("a.md"))).unwrap(), Out::Markdown);
        assert_eq!(choose_format(Some(Out::Markdown), Some(Path::new("memo.txt"))).unwrap(), Out::Markdown);
        assert_eq!(choose_format(None, None).unwrap(), Out::Html);
        assert!(choose_format(Some(Out::Xlsx), Some(Path::new("a.html"))).is_err());
        assert!(choose_format(None, Some(Path::new("a.pdf"))).unwrap_err().to_string().contains("PDF"));
        assert!(choose_format(None, Some(Path::new("a.doc"))).is_err());
    }
}
