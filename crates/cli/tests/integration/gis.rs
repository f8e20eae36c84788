//! `safetygap batch --out FILE.geojson`: read back with a strict GeoJSON
//! parser (the `geojson` crate) and checked as RFC 7946 asks — longitude /
//! latitude, closed rings, the right-hand rule — plus a topology check (a
//! place's point lies inside its county's polygon) and, with GDAL's
//! `ogrinfo` (Debian's gdal-bin, installed by .ci/run), that GDAL opens it.

use crate::workdir::Workdir;
use geojson::{FeatureCollection, GeometryValue, Position};
use std::collections::BTreeMap;
use std::process::Command;

fn read(wd: &Workdir, name: &str) -> FeatureCollection {
    wd.read(name).parse::<FeatureCollection>().unwrap_or_else(|e| panic!("{name} is not strict GeoJSON: {e}"))
}

/// Twice the signed area (positive: counter-clockwise, x east, y north).
fn area(ring: &[Position]) -> f64 {
    ring.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum()
}

/// Polygons of a feature's geometry (exterior ring first).
fn polygons(v: &GeometryValue) -> Vec<&Vec<Vec<Position>>> {
    match v {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => panic!("expected a polygon, got {}", other.type_name()),
    }
}

/// RFC 7946 §3.1.6 and §4: closed rings of 4+ positions in degrees,
/// exterior counter-clockwise, holes clockwise; no two consecutive equal
/// positions; segments of a ring do not cross (checked pairwise).
fn check_polygon(id: &str, poly: &[Vec<Position>]) {
    for (k, ring) in poly.iter().enumerate() {
        assert!(ring.len() >= 4, "{id} ring {k}: {} positions", ring.len());
        assert_eq!(ring.first(), ring.last(), "{id} ring {k} not closed");
        assert_eq!(area(ring) > 0.0, k == 0, "{id} ring {k}: exterior rings counter-clockwise, holes clockwise");
        for p in ring {
            assert_eq!(p.as_slice().len(), 2, "{id}: two coordinates");
            assert!((-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]), "{id}: {p:?} is not longitude/latitude");
        }
        let seg: Vec<[f64; 4]> = ring.windows(2).map(|w| [w[0][0], w[0][1], w[1][0], w[1][1]]).collect();
        for (i, a) in seg.iter().enumerate() {
            assert!(a[0] != a[2] || a[1] != a[3], "{id} ring {k}: repeated position");
            for (j, b) in seg.iter().enumerate().skip(i + 2) {
                if i == 0 && j == seg.len() - 1 {
                    continue; // first and last segments share the closing point
                }
                assert!(!crosses(a, b), "{id} ring {k}: segments {i} and {j} cross");
            }
        }
    }
}

fn crosses(a: &[f64; 4], b: &[f64; 4]) -> bool {
    let o = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| ((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])).signum();
    let (p1, p2, q1, q2) = ([a[0], a[1]], [a[2], a[3]], [b[0], b[1]], [b[2], b[3]]);
    let (d1, d2, d3, d4) = (o(q1, q2, p1), o(q1, q2, p2), o(p1, p2, q1), o(p1, p2, q2));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// Even-odd point in polygon over every ring.
fn inside(pt: [f64; 2], polys: &[&Vec<Vec<Position>>]) -> bool {
    let mut c = false;
    for ring in polys.iter().flat_map(|p| p.iter()) {
        for w in ring.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0] - a[0]) * (pt[1] - a[1]) / (b[1] - a[1]) + a[0] {
                c = !c;
            }
        }
    }
    c
}

/// The CSV's `total` rows: GEOID → annual_cost_mid as written.
fn csv_totals(wd: &Workdir, name: &str) -> BTreeMap<String, f64> {
    let mut rdr = csv::Reader::from_path(wd.dir.join(name)).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (id, kind, mid) = (col("jurisdiction_id"), col("row_kind"), col("annual_cost_mid"));
    rdr.records().map(Result::unwrap).filter(|r| &r[kind] == "total").map(|r| (r[id].to_string(), r[mid].parse().unwrap())).collect()
}

#[test]
fn states_geojson_is_strict_rfc7946_and_agrees_with_the_csv() {
    let wd = Workdir::new("gis_states");
    wd.ok(&["batch", "--level", "state", "--out", "s.geojson"]);
    wd.ok(&["batch", "--level", "state", "--out", "s.csv"]);
    let fc = read(&wd, "s.geojson");
    let totals = csv_totals(&wd, "s.csv");
    assert_eq!(fc.features.len(), 51);
    assert_eq!(fc.features.len(), totals.len());
    let meta = &fc.foreign_members.as_ref().unwrap()["metadata"];
    assert!(meta["sources"].to_string().contains("us-atlas-2023"), "boundaries named: {meta}");
    for f in &fc.features {
        let id = f.property("geoid").unwrap().as_str().unwrap();
        assert_eq!(f.property("kind").unwrap(), "state");
        let mid = f.property("annual_cost_mid").unwrap().as_f64().unwrap();
        assert!((mid - totals[id]).abs() <= 0.005, "{id}: {mid} vs CSV {}", totals[id]);
        let g = f.geometry.as_ref().unwrap_or_else(|| panic!("{id} has no boundary"));
        for p in polygons(&g.value) {
            check_polygon(id, p);
        }
    }
}

#[test]
fn counties_are_polygons_and_places_points_inside_them() {
    let wd = Workdir::new("gis_ca");
    let err = wd.ok_stderr(&["batch", "--level", "county,place", "--state", "CA", "--out", "ca.geojson"]);
    assert!(!err.contains("null geometry"), "every California county and place is located: {err}");
    let fc = read(&wd, "ca.geojson");
    let mut counties = BTreeMap::new();
    let mut places = Vec::new();
    for f in &fc.features {
        let id = f.property("geoid").unwrap().as_str().unwrap().to_string();
        let g = &f.geometry.as_ref().unwrap().value;
        match f.property("kind").unwrap().as_str().unwrap() {
            "county" => {
                for p in polygons(g) {
                    check_polygon(&id, p);
                }
                counties.insert(id, g.clone());
            }
            "place" => {
                let GeometryValue::Point { coordinates } = g else { panic!("{id}: a place is a point") };
                let county = f.property("county_geoid").and_then(|c| c.as_str()).map(str::to_string);
                places.push((id, [coordinates[0], coordinates[1]], county, f.property("name").unwrap().as_str().unwrap().to_string()));
            }
            k => panic!("unexpected kind {k}"),
        }
    }
    // python3 -c "import csv;print(sum(1 for r in csv.DictReader(open('data/embedded/counties.csv')) if r['state_fips']=='06'))"
    assert_eq!(counties.len(), 58);
    assert!(places.len() > 400, "{} places", places.len());
    // Topology: a place's point lies in the polygon of the county the data
    // gives it (the boundaries are simplified, so allow a few shore points).
    let mut outside = Vec::new();
    for (id, pt, county, name) in &places {
        let Some(c) = county.as_ref().and_then(|c| counties.get(c)) else { continue };
        if !inside(*pt, &polygons(c)) {
            outside.push(format!("{name} ({id})"));
        }
    }
    assert!(outside.len() * 50 <= places.len(), "{} of {} points outside their county: {outside:?}", outside.len(), places.len());
    let oakland = places.iter().find(|p| p.3.starts_with("Oakland")).unwrap();
    assert!(inside(oakland.1, &polygons(&counties["06001"])), "Oakland lies in Alameda County");
}

#[test]
fn gdal_opens_the_geojson() {
    let Ok(probe) = Command::new("ogrinfo").arg("--version").output() else {
        assert!(std::env::var_os("CI").is_none(), "CI is set but ogrinfo is missing: .ci/run installs gdal-bin");
        eprintln!("skipping: ogrinfo not installed (apt-get install gdal-bin)");
        return;
    };
    assert!(probe.status.success());
    let wd = Workdir::new("gis_gdal");
    wd.ok(&["batch", "--level", "state", "--out", "s.geojson"]);
    let out = Command::new("ogrinfo").current_dir(&wd.dir).args(["-al", "-so", "s.geojson"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ogrinfo failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("using driver `GeoJSON' successful"), "{text}");
    assert!(text.contains("Feature Count: 51"), "{text}");
    assert!(text.contains("WGS 84"), "longitude/latitude: {text}");
    for field in ["annual_cost_mid: Real", "population: Real", "quality_grade: Integer", "geoid: String"] {
        assert!(text.contains(field), "{field} in {text}");
    }
    // Extent inside longitude/latitude, not projected metres.
    let ext = text.lines().find(|l| l.starts_with("Extent:")).unwrap();
    let nums: Vec<f64> = ext.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).filter_map(|t| t.parse().ok()).collect();
    assert!(nums.iter().all(|v| v.abs() <= 180.0), "{ext}");
}

#[test]
fn connecticut_planning_regions_have_their_2023_boundaries() {
    let wd = Workdir::new("gis_ct");
    wd.ok(&["batch", "--level", "county", "--state", "CT", "--out", "ct.geojson"]);
    let fc = read(&wd, "ct.geojson");
    // The nine planning regions, Census county equivalents since 2022:
    // python3 -c "import csv;print([r['geoid'] for r in csv.DictReader(open('data/embedded/counties.csv')) if r['state_fips']=='09'])"
    let ids: Vec<String> = fc.features.iter().map(|f| f.property("geoid").unwrap().as_str().unwrap().to_string()).collect();
    assert_eq!(ids, (11..=19).map(|n| format!("09{n}0")).collect::<Vec<_>>());
    let capitol = fc.features.iter().find(|f| f.property("geoid").unwrap() == "09110").unwrap();
    assert!(capitol.property("name").unwrap().as_str().unwrap().starts_with("Capitol Planning Region"));
    for f in &fc.features {
        let id = f.property("geoid").unwrap().as_str().unwrap();
        let g = f.geometry.as_ref().unwrap_or_else(|| panic!("{id} has no boundary"));
        for p in polygons(&g.value) {
            check_polygon(id, p);
        }
    }
    // And the SVG map draws them.
    wd.ok(&["batch", "--level", "county", "--state", "CT", "--map", "ct.svg"]);
    let svg = wd.read("ct.svg");
    assert_eq!(svg.matches("<path d=").count(), 9, "nine regions drawn");
    assert!(svg.contains("(09110)"), "Capitol Planning Region on the map");
}
