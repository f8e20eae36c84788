//! TopoJSON decoding, shared by the SVG maps ([`crate::map`], projected
//! canvas coordinates) and GeoJSON output ([`crate::geojson`], longitude and
//! latitude).
//!
//! Arcs are delta-decoded when the topology is quantized (it has a
//! `transform`), scaled and translated, and turned into the caller's point
//! type once; each polygon's rings are then stitched from its arcs (a
//! negative index −i−1 is arc i reversed; an arc's first point repeats the
//! previous arc's last and is skipped).

use crate::map::MapError;

/// One geometry of a TopoJSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry<P> {
    /// Its `id`: a string, or a number written as text.
    pub id: String,
    /// `properties.name`, or empty.
    pub name: String,
    /// Polygons (each a list of rings, exterior first) for a `Polygon` or
    /// `MultiPolygon`; `None` for any other geometry type.
    pub polygons: Option<Vec<Vec<Vec<P>>>>,
}

fn pair(v: &serde_json::Value) -> Option<[f64; 2]> {
    let a = v.as_array()?;
    Some([a.first()?.as_f64()?, a.get(1)?.as_f64()?])
}

/// Decodes the named `objects` of a topology, one list of geometries per
/// object, in order. `point` turns a decoded (x, y) into the caller's point
/// type (rounded, narrowed). Geometries without an `id` are skipped.
pub fn decode<P: Clone>(text: &str, objects: &[&str], point: impl Fn(f64, f64) -> P) -> Result<Vec<Vec<Geometry<P>>>, MapError> {
    let err = |m: &str| MapError::Data(m.to_string());
    let topo: serde_json::Value = serde_json::from_str(text).map_err(|e| MapError::Data(e.to_string()))?;
    let (scale, translate, quantized) = match topo.get("transform") {
        Some(t) => (
            pair(&t["scale"]).ok_or_else(|| err("bad transform.scale"))?,
            pair(&t["translate"]).ok_or_else(|| err("bad transform.translate"))?,
            true,
        ),
        None => ([1.0, 1.0], [0.0, 0.0], false),
    };
    let raw_arcs = topo["arcs"].as_array().ok_or_else(|| err("no arcs"))?;
    let mut arcs: Vec<Vec<P>> = Vec::with_capacity(raw_arcs.len());
    for a in raw_arcs {
        let pts = a.as_array().ok_or_else(|| err("arc is not an array"))?;
        let (mut x, mut y) = (0.0_f64, 0.0_f64);
        let mut out = Vec::with_capacity(pts.len());
        for p in pts {
            let [dx, dy] = pair(p).ok_or_else(|| err("arc point is not a pair of numbers"))?;
            (x, y) = if quantized { (x + dx, y + dy) } else { (dx, dy) };
            out.push(point(x * scale[0] + translate[0], y * scale[1] + translate[1]));
        }
        arcs.push(out);
    }
    let mut layers = Vec::with_capacity(objects.len());
    for object in objects {
        let geoms = topo["objects"][*object]["geometries"].as_array().ok_or_else(|| MapError::Data(format!("no object `{object}`")))?;
        let mut out = Vec::with_capacity(geoms.len());
        for g in geoms {
            let id = match &g["id"] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let name = g["properties"]["name"].as_str().unwrap_or("").to_string();
            let polys: Option<Vec<&serde_json::Value>> = match g["type"].as_str() {
                Some("Polygon") => Some(vec![&g["arcs"]]),
                Some("MultiPolygon") => Some(g["arcs"].as_array().map(|v| v.iter().collect()).unwrap_or_default()),
                _ => None,
            };
            let polygons = match polys {
                None => None,
                Some(polys) => Some(
                    polys
                        .into_iter()
                        .map(|poly| poly.as_array().into_iter().flatten().map(|ring| stitch(ring, &arcs)).collect::<Result<Vec<_>, _>>())
                        .collect::<Result<Vec<_>, _>>()?,
                ),
            };
            out.push(Geometry { id, name, polygons });
        }
        layers.push(out);
    }
    Ok(layers)
}

/// One ring's points from its arc indices.
fn stitch<P: Clone>(ring: &serde_json::Value, arcs: &[Vec<P>]) -> Result<Vec<P>, MapError> {
    let mut pts: Vec<P> = Vec::new();
    for idx in ring.as_array().into_iter().flatten() {
        let i = idx.as_i64().ok_or_else(|| MapError::Data("arc index is not an integer".into()))?;
        let (k, rev) = if i < 0 { ((!i) as usize, true) } else { (i as usize, false) };
        let arc = arcs.get(k).ok_or_else(|| MapError::Data(format!("arc {k} out of range")))?;
        let skip = usize::from(!pts.is_empty());
        if rev {
            pts.extend(arc.iter().rev().skip(skip).cloned());
        } else {
            pts.extend(arc.iter().skip(skip).cloned());
        }
    }
    Ok(pts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantized_arcs_are_delta_decoded_and_stitched() {
        // Two arcs of a unit square, quantized with scale 2 and translate 10:
        // arc 0 (0,0)→(1,0)→(1,1), arc 1 (1,1)→(0,1)→(0,0) in deltas.
        let topo = r#"{"type":"Topology","transform":{"scale":[2,2],"translate":[10,10]},
            "arcs":[[[0,0],[1,0],[0,1]],[[1,1],[-1,0],[0,-1]]],
            "objects":{"o":{"geometries":[{"type":"Polygon","id":7,"properties":{"name":"Sq"},"arcs":[[0,1]]},
                                          {"type":"Point","id":"p"},{"type":"Polygon","arcs":[[0]]}]}}}"#;
        let l = decode(topo, &["o"], |x, y| [x, y]).unwrap();
        assert_eq!(l[0].len(), 2, "the geometry without an id is skipped");
        let sq = &l[0][0];
        assert_eq!((sq.id.as_str(), sq.name.as_str()), ("7", "Sq"));
        assert_eq!(sq.polygons.as_ref().unwrap()[0][0], vec![[10.0, 10.0], [12.0, 10.0], [12.0, 12.0], [10.0, 12.0], [10.0, 10.0]]);
        assert_eq!(l[0][1].polygons, None);
        // Arc 0 reversed (index -1).
        let rev = topo.replace("\"arcs\":[[0,1]]", "\"arcs\":[[-1]]");
        assert_eq!(
            decode(&rev, &["o"], |x, y| [x, y]).unwrap()[0][0].polygons.as_ref().unwrap()[0][0],
            vec![[12.0, 12.0], [12.0, 10.0], [10.0, 10.0]]
        );
    }

    #[test]
    fn bad_topologies_are_errors() {
        assert!(decode("{}", &["o"], |x, y| [x, y]).is_err());
        assert!(decode(r#"{"arcs":[]}"#, &["o"], |x, y| [x, y]).is_err());
        assert!(decode(r#"{"arcs":[],"objects":{"o":{"geometries":[{"type":"Polygon","id":1,"arcs":[[3]]}]}}}"#, &["o"], |x, y| [x, y])
            .is_err());
    }
}
