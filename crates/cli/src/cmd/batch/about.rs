//! What a batch says about itself: titles, data sources, the workbook's
//! About sheet and the map.

use super::*;

/// What the batch covers, in words: "Every county", "Places of California",
/// "Every county and every place of 1,000+ people".
pub(super) fn coverage_title(levels: &[Level], fips: Option<&str>, g: &Gazetteer) -> String {
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

pub(super) fn level_title(level: Level, fips: Option<&str>, g: &Gazetteer) -> String {
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
pub(super) fn data_sources(g: &Gazetteer, imported: &[safetygap_data::store::SourceEntry], levels: &[Level]) -> Vec<DataSource> {
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

pub(super) fn workbook(
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

pub(super) const BOUNDARIES: &str = "Boundaries: U.S. Census Bureau 2023 cartographic boundaries via us-atlas-2023 4.0.0 (ISC).";

pub(super) fn draw_map(
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
