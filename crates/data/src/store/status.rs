//! What `safetygap data status` reports: every source in use and which one
//! each figure comes from.

use serde::Serialize;

use super::manifest::SourceEntry;
use crate::embedded::Gazetteer;
use crate::import::ImportKind;

/// An embedded data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmbeddedSource {
    /// What it gives ("population of states and counties").
    pub figures: String,
    /// Where it comes from, with package and version.
    pub source: String,
    /// The year or period it describes.
    pub vintage: String,
    /// Attribution that must be shown with it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

/// The embedded data sets, read from the gazetteer itself (package, version
/// and vintage are in each source's name; the sha256 of every file is in
/// `data/PROVENANCE.md`).
pub fn embedded_sources(g: &Gazetteer) -> Vec<EmbeddedSource> {
    let mut out = Vec::new();
    let mut push = |figures: &str, src: &crate::embedded::Source| {
        out.push(EmbeddedSource {
            figures: figures.into(),
            source: src.name.clone(),
            vintage: src.vintage.clone(),
            attribution: src.attribution.clone(),
        });
    };
    if let Some(s) = g.states().next() {
        push("population of states", &s.population_source);
    }
    if let Some(c) = g.counties(None).next() {
        push("population of counties", &c.population_source);
        if let Some((_, p)) = &c.poverty {
            push("population in poverty of counties and states (places: their county's rate; counties created after 2019: their state's remainder)", p);
        }
    }
    // Places: the Census estimate where published, else the ACS figure.
    let mut seen: Vec<&str> = Vec::new();
    for p in g.places(None) {
        let v = p.population_source.vintage.as_str();
        if !seen.contains(&v) {
            seen.push(v);
            let what = if v == "2023" { "population of the places the Census estimates cover" } else { "population of the other places" };
            push(what, &p.population_source);
        }
        if seen.len() == 2 {
            break;
        }
    }
    let c = g.national_crime();
    push("homicides and violent crimes of states and the nation (counties and places: state count by population share)", &c.source);
    out
}

/// A registry package the embedded data was extracted from, as listed in
/// `data/PROVENANCE.md`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmbeddedPackage {
    /// "PyPI" or "npm".
    pub registry: String,
    /// The package name.
    pub package: String,
    /// The pinned version.
    pub version: String,
    /// SHA-256 of the package archive.
    pub sha256: String,
}

/// The packages listed in the "Packages" table of `data/PROVENANCE.md`.
pub fn embedded_packages() -> Vec<EmbeddedPackage> {
    let mut out = Vec::new();
    let mut in_table = false;
    for line in crate::embedded::PROVENANCE.lines() {
        if line.starts_with("## ") {
            in_table = line.trim() == "## Packages";
            continue;
        }
        if !in_table || !line.starts_with('|') || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(|c| c.trim().trim_matches('`')).collect();
        if cells.len() < 6 || cells[0] == "registry" {
            continue;
        }
        out.push(EmbeddedPackage {
            registry: cells[0].into(),
            package: cells[1].into(),
            version: cells[2].into(),
            sha256: cells[cells.len() - 1].into(),
        });
    }
    out
}

/// Which source a kind of figure comes from, highest precedence first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureSources {
    /// The figure ("population of counties").
    pub figure: String,
    /// The sources that give it, the one used first.
    pub sources: Vec<String>,
}

/// For each kind of figure, the sources that give it in precedence order:
/// drivers files, imported local violence files (Urban Institute rates,
/// County Health Rankings, incident files, each named with what it gave),
/// imported official files, embedded data, catalog defaults.
pub fn precedence(g: &Gazetteer, imported: &[SourceEntry]) -> Vec<FigureSources> {
    let emb = embedded_sources(g);
    let embedded = |starts: &str| -> Option<String> {
        emb.iter().find(|e| e.figures.starts_with(starts)).map(|e| format!("embedded: {} ({})", e.source, e.vintage))
    };
    let of_kind = |k: ImportKind| -> Option<String> {
        imported
            .iter()
            .rev()
            .find(|s| s.import_kind() == Some(k))
            .map(|s| format!("imported: {} ({}, vintage {})", s.file, s.kind, s.vintage))
    };
    let local: Vec<String> = imported
        .iter()
        .rev()
        .filter(|s| s.import_kind() == Some(ImportKind::Drivers) && s.kind_label() == "drivers")
        .map(|s| format!("imported: {} (drivers file, where it gives a figure)", s.file))
        .collect();
    // Importers stored like a drivers file, each giving only violence
    // figures: named with what they gave (its summary holds the figures,
    // the year and, for Urban Institute rates, the quality limit).
    let violence: Vec<String> = imported
        .iter()
        .rev()
        .filter(|s| s.import_kind() == Some(ImportKind::Drivers) && s.kind_label() != "drivers")
        .map(|s| format!("imported: {} ({}, vintage {}): {}", s.file, s.kind_label(), s.vintage, s.summary))
        .collect();
    let chain = |figure: &str, extra: &[String], official: Option<String>, embedded: Vec<Option<String>>, default: Option<&str>| {
        let mut sources = local.clone();
        sources.extend(extra.iter().cloned());
        sources.extend(official);
        sources.extend(embedded.into_iter().flatten());
        sources.extend(default.map(str::to_string));
        FigureSources { figure: figure.into(), sources }
    };
    const CATALOG: &str = "catalog default: the national rate in catalog/drivers.toml × population";
    let city_violence = Some(format!(
        "embedded: {} ({}), the place's own count; counties: their reporting cities plus the state rate outside them",
        crate::violence::CITY_SOURCE,
        crate::violence::CITY_VINTAGE
    ));
    let releases = Some(format!("embedded: {} ({})", crate::violence::RELEASES_SOURCE, crate::violence::RELEASES_VINTAGE));
    vec![
        chain(
            "population of states and the nation",
            &[],
            of_kind(ImportKind::CensusCounties),
            vec![embedded("population of states")],
            None,
        ),
        chain("population of counties", &[], of_kind(ImportKind::CensusCounties), vec![embedded("population of counties")], None),
        chain(
            "population of places",
            &[],
            of_kind(ImportKind::CensusSubcounty),
            vec![embedded("population of the places the Census"), embedded("population of the other places")],
            None,
        ),
        chain("population in poverty", &[], None, vec![embedded("population in poverty")], Some(CATALOG)),
        chain(
            "homicides and violent crimes",
            &violence,
            of_kind(ImportKind::FbiEstimatedCrimes),
            vec![city_violence, embedded("homicides and violent crimes")],
            Some(CATALOG),
        ),
        chain("prison releases", &[], of_kind(ImportKind::BjsPrisoners), vec![releases], Some(CATALOG)),
        chain("all other drivers", &[], None, vec![], Some("catalog default estimators (`safetygap catalog drivers`)")),
    ]
}
