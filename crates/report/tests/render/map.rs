//! The choropleth map: decoding the embedded us-atlas boundaries, bins,
//! legend, zoom to a state, escaping and speed.

use crate::well_formed;
use safetygap_report::map::{self, Bins, Level, MapOptions, ValueFormat, CANVAS_H, CANVAS_W};
use std::collections::BTreeMap;

/// Replaces each path's `d` data by a fingerprint and its length, so the
/// snapshot shows structure (fills, titles, legend) yet still changes when
/// the geometry does.
fn redact_paths(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find(" d=\"") {
        out.push_str(&rest[..i + 4]);
        let tail = &rest[i + 4..];
        let end = tail.find('"').unwrap();
        let d = &tail[..end];
        let mut h: u64 = 0xcbf29ce484222325;
        for b in d.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
        out.push_str(&format!("#{h:016x} {} bytes", d.len()));
        rest = &tail[end..];
    }
    out.push_str(rest);
    // One element per line for readable diffs.
    out.replace("><", ">\n<")
}

fn state_values() -> BTreeMap<String, f64> {
    map::states().unwrap().iter().map(|s| (s.id.clone(), s.id.parse::<f64>().unwrap() * 10.0)).filter(|(id, _)| id != "15").collect()
}

#[test]
fn every_county_and_state_decodes_inside_the_canvas() {
    let counties = map::counties().unwrap();
    // 2023 boundaries: 3,144 counties and equivalents of the 50 states and
    // DC; the count of `counties` geometries in the embedded file:
    // python3 -c "import json;print(len(json.load(open('data/embedded/atlas/counties-albers-10m.json'))['objects']['counties']['geometries']))"
    assert_eq!(counties.len(), 3144);
    let states = map::states().unwrap();
    assert_eq!(states.len(), 51);
    // At this resolution one tiny independent city (Lexington, VA, 51678)
    // collapses to a point; every other area has an outline.
    let empty: Vec<&str> = counties.iter().chain(states).filter(|f| f.rings.is_empty()).map(|f| f.id.as_str()).collect();
    assert_eq!(empty, ["51678"]);
    for f in counties.iter().chain(states).filter(|f| !f.rings.is_empty()) {
        // The atlas's own bounding box: the far Aleutians run off the
        // left edge of the 975 × 610 canvas (d3's maps clip them too).
        let [x0, y0, x1, y1] = f.bbox;
        assert!(x0 >= -58.0 && y0 >= 12.0 && x1 <= CANVAS_W as f32 && y1 <= CANVAS_H as f32, "{} {:?}", f.id, f.bbox);
    }
    let ca = states.iter().find(|s| s.id == "06").unwrap();
    assert_eq!(ca.name, "California");
    // California lies in the west of the canvas, Maine in the north-east.
    let me = states.iter().find(|s| s.id == "23").unwrap();
    assert!(ca.bbox[2] < 300.0 && me.bbox[0] > 850.0 && me.bbox[3] < 200.0, "{:?} {:?}", ca.bbox, me.bbox);
    let alameda = counties.iter().find(|c| c.id == "06001").unwrap();
    assert_eq!(alameda.name, "Alameda");
    assert!(alameda.bbox[0] >= ca.bbox[0] && alameda.bbox[2] <= ca.bbox[2]);
}

#[test]
fn state_map_snapshot() {
    let mut opts = MapOptions::new(Level::State, "Test figure by state");
    opts.format = ValueFormat::Money;
    opts.highlight = Some("06".into());
    let m = map::choropleth(&state_values(), &opts).unwrap();
    assert!(m.unmatched.is_empty());
    assert_eq!(m.no_data, 1, "Hawaii has no value");
    well_formed(&m.svg);
    insta::assert_snapshot!("state_map", redact_paths(&m.svg));
}

#[test]
fn all_counties_draw_with_a_legend() {
    // Every county with a value: all 3,144 are drawn, none is left without
    // data, and the SVG stays a size a browser opens. (Speed is measured
    // with whole runs, never asserted in a test.)
    let values: BTreeMap<String, f64> = map::counties().unwrap().iter().enumerate().map(|(i, c)| (c.id.clone(), (i % 97) as f64)).collect();
    let opts = MapOptions::new(Level::County, "Every county");
    let m = map::choropleth(&values, &opts).unwrap();
    assert_eq!(m.no_data, 0);
    assert_eq!(m.svg.matches("<path d=").count(), 3144);
    assert!(m.svg.len() < 2_500_000, "{} bytes", m.svg.len());
    // Five quantile classes in the legend.
    assert_eq!(m.svg.matches(" – ").count(), 5, "{}", &m.svg[m.svg.len() - 2000..]);
    well_formed(&m.svg);
}

#[test]
fn county_map_zooms_to_one_state_and_outlines_the_place() {
    let values: BTreeMap<String, f64> = map::counties()
        .unwrap()
        .iter()
        .filter(|c| c.id.starts_with("06"))
        .map(|c| (c.id.clone(), c.id[2..].parse::<f64>().unwrap()))
        .collect();
    let mut opts = MapOptions::new(Level::County, "California counties");
    opts.within_state = Some("06".into());
    opts.highlight = Some("06001".into());
    opts.bins = Bins::Fixed(vec![20.0, 60.0]);
    let m = map::choropleth(&values, &opts).unwrap();
    assert_eq!(m.svg.matches("<path d=").count(), 58, "California has 58 counties");
    assert!(m.svg.contains("Alameda, California (06001): 1"), "tooltip names county and state");
    assert!(m.svg.contains("stroke=\"#c62828\""), "outline");
    assert!(!m.svg.contains("viewBox=\"0.00 0.00 975.00 610.00\""), "zoomed in");
    for label in ["under 20", "20 – under 60", "60 – 115"] {
        assert!(m.svg.contains(label), "legend {label}");
    }
    let err = map::choropleth(&values, &MapOptions { within_state: Some("99".into()), ..opts.clone() }).unwrap_err();
    assert!(err.to_string().contains("99"));
    assert!(map::choropleth(&values, &MapOptions { bins: Bins::Fixed(vec![5.0, 1.0]), ..opts }).is_err());
}

#[test]
fn unknown_ids_are_reported_and_text_is_escaped() {
    let mut values = state_values();
    values.insert("99".into(), 1.0);
    values.insert("06001".into(), 1.0);
    let m = map::choropleth(&values, &MapOptions::new(Level::State, "<script>alert(1)</script> & \"Co\"")).unwrap();
    assert_eq!(m.unmatched, vec!["06001".to_string(), "99".to_string()]);
    assert!(!m.svg.contains("<script"));
    assert!(m.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
    well_formed(&m.svg);
}

#[test]
fn locator_for_states_and_counties_only() {
    let s = map::locator("06001", "Alameda County, CA").unwrap();
    assert!(s.contains("Where: Alameda County, CA") && s.matches("<path d=").count() == 58);
    assert!(map::locator("06", "California").unwrap().matches("<path d=").count() == 51);
    assert!(map::locator("custom", "X").is_none());
    assert!(map::locator("GN5378538", "Oakland").is_none());
    assert!(map::locator("99999", "Nowhere").is_none());
}

#[test]
fn connecticut_draws_its_nine_planning_regions() {
    // Census 2023 county equivalents of Connecticut (Federal Register notice
    // of 2022): planning regions 09110-09190 replaced the eight counties.
    let regions: Vec<String> = (11..=19).map(|n| format!("09{n}0")).collect();
    let counties = map::counties().unwrap();
    let ct: Vec<&str> = counties.iter().filter(|c| c.id.starts_with("09")).map(|c| c.id.as_str()).collect();
    let mut sorted = ct.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, regions, "Connecticut's county equivalents");
    let capitol = counties.iter().find(|c| c.id == "09110").unwrap();
    assert_eq!(capitol.name, "Capitol");
    let values: BTreeMap<String, f64> = regions.iter().enumerate().map(|(i, id)| (id.clone(), i as f64)).collect();
    let mut opts = MapOptions::new(Level::County, "Connecticut planning regions");
    opts.within_state = Some("09".into());
    opts.highlight = Some("09110".into());
    let m = map::choropleth(&values, &opts).unwrap();
    assert!(m.unmatched.is_empty(), "{:?}", m.unmatched);
    assert_eq!(m.no_data, 0);
    assert_eq!(m.svg.matches("<path d=").count(), 9);
    assert!(m.svg.contains("Capitol, Connecticut (09110)"), "tooltip names the planning region");
    well_formed(&m.svg);
}
