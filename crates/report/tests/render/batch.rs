//! The batch workbook (many jurisdictions, streamed in low-memory mode) and
//! the batch map's note, read back with calamine.

use crate::well_formed;
use crate::workbook::{parts, Book};
use calamine::Data;
use safetygap_core::plan::PlanInput;
use safetygap_core::{shipped, Catalog, Plan};
use safetygap_report::batch::{self, BatchInfo, BatchWorkbook, DataSource, MapValue};
use safetygap_report::map::{self, Level, MapOptions};
use std::collections::BTreeMap;

fn plan(catalog: &Catalog, id: &str, name: &str, population: f64) -> Plan {
    let mut input = PlanInput::custom(name, population, "given on the command line");
    input.jurisdiction.id = id.into();
    input.jurisdiction.kind = "county".into();
    safetygap_core::compute(catalog, &input).unwrap()
}

fn info() -> BatchInfo {
    BatchInfo {
        title: "Test counties".into(),
        generator: "safetygap test".into(),
        data_sources: vec![DataSource {
            figures: "population of counties".into(),
            source: "Census Vintage 2019 county estimates".into(),
            vintage: "2019".into(),
            attribution: None,
        }],
        attributions: vec!["Place populations from GeoNames (geonames.org), CC BY 4.0.".into()],
    }
}

fn num(c: Option<&Data>) -> f64 {
    match c {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn workbook_lists_every_jurisdiction_and_program_line() {
    let catalog = shipped::catalog().unwrap();
    let plans: Vec<Plan> = [
        ("06001", "Alameda County, CA", 1_671_329.0),
        ("06003", "Alpine County, CA", 1_129.0),
        ("36061", "New York County, NY", 1_628_706.0),
    ]
    .iter()
    .map(|(id, name, pop)| plan(&catalog, id, name, *pop))
    .collect();
    let mut book = BatchWorkbook::new(&catalog, info(), None).unwrap();
    for p in &plans {
        book.add(p, Some(&p.jurisdiction.name[p.jurisdiction.name.len() - 2..])).unwrap();
    }
    assert_eq!(book.jurisdictions(), 3);
    let bytes = book.save_to_buffer().unwrap();
    let (b, parts) = (Book::from_bytes(&bytes), parts(&bytes));
    let xml = |n: usize| &parts[&format!("xl/worksheets/sheet{n}.xml")];
    assert_eq!(b.sheets, batch::SHEETS);

    // Jurisdictions: header + one row each, GEOIDs as text (leading zeros kept).
    let rows = b.cells("Jurisdictions");
    assert_eq!(rows.len(), 1 + plans.len());
    let headers = batch::jurisdiction_headers();
    assert_eq!(rows[0].len(), headers.len());
    assert_eq!(rows[0]["A"], Data::String("GEOID".into()));
    for (row, p) in rows[1..].iter().zip(&plans) {
        assert_eq!(row["A"], Data::String(p.jurisdiction.id.clone()));
        assert_eq!(row["B"], Data::String(p.jurisdiction.name.clone()));
        assert_eq!(row["C"], Data::String("county".into()));
        let pop = p.drivers.iter().find(|d| d.id == "population").unwrap().value.mid;
        assert_eq!(num(row.get("E")), pop);
        assert!((num(row.get("F")) - p.totals.annual_cost.low).abs() < 1e-6);
        assert!((num(row.get("G")) - p.totals.annual_cost.mid).abs() < 1e-6);
        assert!((num(row.get("H")) - p.totals.annual_cost.high).abs() < 1e-6);
        assert!((num(row.get("I")) - p.totals.annual_cost_per_resident.mid).abs() < 1e-9);
        assert!((num(row.get("K")) - p.totals.startup_cost.mid).abs() < 1e-6);
        // The four gap areas add up to the total.
        let areas: f64 = ["L", "M", "N", "O"].iter().map(|c| num(row.get(*c))).sum();
        assert!((areas - p.totals.annual_cost.mid).abs() < 1e-3, "{areas} vs {}", p.totals.annual_cost.mid);
        assert_eq!(num(row.get("P")), f64::from(p.quality.grade));
        let flagged = p.programs.iter().filter(|l| !l.assumptions.is_empty()).count();
        assert_eq!(num(row.get("R")), flagged as f64);
    }

    // Programs: one row per program line, in plan order.
    let prog = b.cells("Programs");
    let lines = plans[0].programs.len();
    assert_eq!(prog.len(), 1 + lines * plans.len());
    let alpine_dv = prog
        .iter()
        .find(|r| r.get("A") == Some(&Data::String("06003".into())) && r.get("D") == Some(&Data::String("dv_shelter_bed".into())))
        .unwrap();
    let line = plans[1].programs.iter().find(|l| l.id == "dv_shelter_bed").unwrap();
    assert!((num(alpine_dv.get("G")) - line.need.mid).abs() < 1e-9);
    assert!((num(alpine_dv.get("J")) - line.annual_cost.mid).abs() < 1e-6);
    assert_eq!(alpine_dv["C"], Data::String("Victim services".into()));

    // Frozen headers, autofilters over the data, widths, number formats.
    for n in [1, 2] {
        assert!(xml(n).contains("state=\"frozen\""), "sheet {n} frozen");
        assert!(xml(n).contains("<col "), "sheet {n} widths");
    }
    assert!(xml(1).contains("<autoFilter ref=\"A1:R4\""), "{}", &xml(1)[..600]);
    assert!(xml(2).contains(&format!("<autoFilter ref=\"A1:K{}\"", 1 + lines * plans.len())));
    let styles = &parts["xl/styles.xml"];
    for code in ["$#,##0", "$#,##0.00", "#,##0"] {
        assert!(styles.contains(&format!("formatCode=\"{code}\"")), "{code}");
    }
    // Coverage (a percentage) is written only for plans with an inventory.
    assert_eq!(styles.contains("formatCode=\"0%\""), plans.iter().any(|p| p.totals.coverage.is_some()));

    // Sources and About.
    let text = |sheet: &str| -> String {
        b.cells(sheet)
            .iter()
            .flat_map(|r| r.values())
            .filter_map(|c| if let Data::String(t) = c { Some(t.clone()) } else { None })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let sources = text("Sources");
    assert!(sources.contains("Census Vintage 2019 county estimates") && sources.contains("2019"));
    assert!(sources.contains("trauma_recovery_center") && sources.contains(&catalog.version), "benchmarks with citations");
    let about = text("About");
    assert!(about.contains("3 counties") && about.contains(&catalog.version), "{about}");
    assert!(about.contains("GeoNames") && about.contains("CC BY 4.0"));
}

#[test]
fn hostile_names_stay_text() {
    let catalog = shipped::catalog().unwrap();
    let name = "<script>alert(1)</script> & \"Co\" Ünïcode =1+1";
    let mut book = BatchWorkbook::new(&catalog, info(), None).unwrap();
    book.add(&plan(&catalog, "00001", name, 10_000.0), None).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(Book::from_bytes(&bytes).cells("Jurisdictions")[1]["B"], Data::String(name.into()));
    assert!(!parts(&bytes).values().any(|x| x.contains("<script>")));
}

#[test]
fn an_empty_batch_is_still_a_workbook() {
    let catalog = shipped::catalog().unwrap();
    let bytes = BatchWorkbook::new(&catalog, info(), None).unwrap().save_to_buffer().unwrap();
    let (b, parts) = (Book::from_bytes(&bytes), parts(&bytes));
    for (n, sheet) in [(1, "Jurisdictions"), (2, "Programs")] {
        let xml = &parts[&format!("xl/worksheets/sheet{n}.xml")];
        let rows = b.cells(sheet);
        assert_eq!(rows.len(), 2, "header and a note: {xml}");
        assert_eq!(rows[1]["A"], Data::String("No jurisdictions".into()));
        // Every row once (rust_xlsxwriter repeats a lone header row
        // otherwise, which a cell reader would not show): the raw rows.
        let numbers: Vec<&str> = xml.split("<row r=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
        assert_eq!(numbers, ["1", "2"]);
    }
    assert!(b.cells("About").iter().any(|r| r.values().any(|c| *c == Data::String("none".into()))));
}

#[test]
fn many_rows_stream_into_one_workbook() {
    // 300 jurisdictions × every program line through the streaming writer
    // (kept small: debug builds compress slowly). How fast the release build
    // writes every place is measured in docs/PERFORMANCE.md, not here.
    let catalog = shipped::catalog().unwrap();
    let base = plan(&catalog, "00000", "Base", 50_000.0);
    let mut book = BatchWorkbook::new(&catalog, info(), None).unwrap();
    for i in 0..300 {
        let mut p = base.clone();
        p.jurisdiction.id = format!("GN{i}");
        p.jurisdiction.name = format!("Place {i}, ST");
        book.add(&p, Some("ST")).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let b = Book::from_bytes(&bytes);
    assert_eq!(b.rows("Jurisdictions").len(), 301);
    assert_eq!(b.rows("Programs").len(), 1 + 300 * base.programs.len());
}

#[test]
fn map_values_follow_the_plan() {
    let catalog = shipped::catalog().unwrap();
    let p = plan(&catalog, "06001", "Alameda County, CA", 1_671_329.0);
    assert_eq!(MapValue::GapPerResident.of(&p), Some(p.totals.annual_cost_per_resident.mid));
    assert_eq!(MapValue::Gap.of(&p), Some(p.totals.annual_cost.mid));
    assert_eq!(MapValue::Coverage.of(&p), p.totals.coverage);
}

#[test]
fn map_note_wraps_under_the_legend_and_is_escaped() {
    let values: BTreeMap<String, f64> = map::states().unwrap().iter().map(|s| (s.id.clone(), s.id.parse::<f64>().unwrap())).collect();
    let plain = map::choropleth(&values, &MapOptions::new(Level::State, "Figure")).unwrap();
    let mut opts = MapOptions::new(Level::State, "Figure");
    let note = format!("Source: <safetygap> & \"friends\", catalog 1.2.3. {}", "More words to wrap. ".repeat(12));
    opts.note = Some(note);
    let m = map::choropleth(&values, &opts).unwrap();
    well_formed(&m.svg);
    let note_part = &m.svg[m.svg.find("class=\"map-note\"").expect("a note group")..];
    assert_eq!(note_part.matches("<text ").count(), 3, "wrapped to three lines: {note_part}");
    assert!(note_part.contains("Source: &lt;safetygap&gt; &amp; &quot;friends&quot;, catalog 1.2.3."));
    // The picture grows to fit the note; without one nothing changes.
    let height = |svg: &str| -> f64 {
        let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        roxmltree::Document::parse_with_options(svg, opts).unwrap().root_element().attribute("height").unwrap().parse().unwrap()
    };
    assert!(height(&m.svg) > height(&plain.svg) + 40.0);
    assert!(!plain.svg.contains("map-note"));
}
