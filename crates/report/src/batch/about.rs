//! What a batch says about itself: titles, data sources, the workbook's
//! About sheet and the map.

use super::run::{MapValues, Progress};
use super::write::first_few;
use super::{BatchError, BatchInfo, BatchWorkbook, DataSource, MapValue};
use crate::map::{self, MapOptions};
use crate::xlsx::XlsxError;
use safetygap_core::Catalog;
use safetygap_data::embedded::{Gazetteer, Kind};
use std::path::Path;

/// What the batch covers, in words: "Every county", "Places of California",
/// "Every county and every place of 1,000+ people". `levels` are states,
/// counties or places; `fips` the state the batch is limited to.
pub fn coverage_title(levels: &[Kind], fips: Option<&str>, g: &Gazetteer) -> String {
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

fn level_title(level: Kind, fips: Option<&str>, g: &Gazetteer) -> String {
    let state = fips.and_then(|f| g.get(f)).map(|s| s.name.clone());
    match (level, state) {
        (Kind::State | Kind::Nation, None) => "Every state and DC".into(),
        (Kind::State | Kind::Nation, Some(s)) => s,
        (Kind::County, None) => "Every county".into(),
        (Kind::County, Some(s)) => format!("Counties of {s}"),
        (Kind::Place, None) => "Every Census place".into(),
        (Kind::Place, Some(s)) => format!("Census places in {s}"),
    }
}

/// The data sets a batch at `levels` draws on: the embedded ones (less the
/// populations of other levels) and whatever the user imported.
pub fn data_sources(g: &Gazetteer, imported: &[safetygap_data::store::SourceEntry], levels: &[Kind]) -> Vec<DataSource> {
    let own: Vec<&str> = levels
        .iter()
        .map(|l| match l {
            Kind::State | Kind::Nation => "population of states",
            Kind::County => "population of counties",
            Kind::Place => "population of places",
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

/// Starts the batch workbook for `out`: titled by [`coverage_title`], its
/// big sheets' rows waiting in temporary files next to the output.
pub fn workbook(
    catalog: &Catalog,
    levels: &[Kind],
    fips: Option<&str>,
    g: &Gazetteer,
    sources: &[DataSource],
    out: &Path,
) -> Result<BatchWorkbook, XlsxError> {
    let mut attributions = Vec::new();
    if levels.contains(&Kind::Place) {
        attributions.push(format!("{}.", safetygap_data::embedded::US_GEO_ATTRIBUTION));
    }
    let info = BatchInfo {
        title: coverage_title(levels, fips, g),
        generator: format!("safetygap {}", env!("CARGO_PKG_VERSION")),
        data_sources: sources.to_vec(),
        attributions,
    };
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    BatchWorkbook::new(catalog, info, Some(dir))
}

/// The boundaries' source, as a map's note names it.
pub const BOUNDARIES: &str = "Boundaries: U.S. Census Bureau 2023 cartographic boundaries via us-atlas-2023 4.0.0 (ISC).";

/// Draws the SVG map of `values` (one figure per state or county GEOID)
/// at `level`, zoomed to the state `fips` for counties; warnings (a
/// coverage map of a batch, jurisdictions without a boundary) go to
/// `progress`.
#[allow(clippy::too_many_arguments)]
pub fn draw_map(
    values: &MapValues,
    level: Kind,
    fips: Option<&str>,
    value: MapValue,
    catalog_version: &str,
    sources: &[DataSource],
    g: &Gazetteer,
    progress: &dyn Progress,
) -> Result<String, BatchError> {
    let (mlevel, by, each) = match level {
        Kind::State => (map::Level::State, "state", "state"),
        Kind::County => (map::Level::County, "county", "county"),
        Kind::Place | Kind::Nation => return Err(BatchError::PlacesOnMap),
    };
    let area = match (level, fips.and_then(|f| g.get(f))) {
        (Kind::County, Some(s)) => format!(", {}", s.name),
        _ => String::new(),
    };
    let mut o = MapOptions::new(mlevel, format!("{} by {by}{area} (central estimate)", value.title()));
    o.format = value.format();
    if level == Kind::County {
        o.within_state = fips.map(str::to_string);
    }
    // "Census … July 1 2019 (…)" already names its vintage.
    let data: Vec<String> = sources
        .iter()
        .map(|s| if s.source.contains(&s.vintage) { s.source.clone() } else { format!("{} ({})", s.source, s.vintage) })
        .collect();
    let coverage = if value == MapValue::Coverage {
        progress.warn(&format!("batch plans count nothing as existing (no inventories), so the need met today is 0% for every {each}"));
        " Nothing counts as existing in a batch (no inventories), so the need met today is 0% everywhere."
    } else {
        ""
    };
    o.note = Some(format!(
        "Source: safetygap, catalog {catalog_version}: each {each}'s plan from its embedded and imported data, without inventories; quintile classes.{coverage} Data: {}. {BOUNDARIES}",
        data.join("; ")
    ));
    let m = map::choropleth(values, &o).map_err(|source| BatchError::Map { doing: "cannot draw the map", source })?;
    if !m.unmatched.is_empty() {
        progress.warn(&format!("{} {by}(s) have no boundary on the map and are left out: {}", m.unmatched.len(), first_few(&m.unmatched)));
    }
    Ok(m.svg)
}
