//! The Excel workbook, read back with calamine: a valid zip with the
//! expected sheets, frozen headers, numbers as numbers, live formulas with
//! cached results that agree with the plan.

use crate::workbook::{parts, Book};
use safetygap_core::plan::PlanInput;
use safetygap_core::{shipped, SuppliedDriver};

fn plan_and_catalog(name: &str) -> (safetygap_core::Plan, safetygap_core::Catalog) {
    let catalog = shipped::catalog().unwrap();
    let mut input = PlanInput::custom(name, 250_000.0, "given on the command line");
    input.drivers.insert("homicides".into(), SuppliedDriver::given(20.0, "local figure (--set)"));
    let text = "program,quantity,source,verified\ndv_shelter_bed,12,County DV coalition 2024,yes\ntrauma_recovery_center,1,,no\n";
    input.inventory = safetygap_core::Inventory::parse("have.csv", text, &catalog).unwrap();
    (safetygap_core::compute(&catalog, &input).unwrap(), catalog)
}

#[test]
fn workbook_has_sheets_frozen_headers_formulas_and_results() {
    let (plan, catalog) = plan_and_catalog("Snapshot City");
    let bytes = safetygap_report::xlsx::render(&plan, &catalog).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let book = Book::from_bytes(&bytes);
    let parts = parts(&bytes);
    assert_eq!(book.sheets, ["Summary", "Programs", "Drivers", "Sources", "Who pays"]);
    for n in 1..=4 {
        let xml = &parts[&format!("xl/worksheets/sheet{n}.xml")];
        assert!(xml.contains("state=\"frozen\""), "sheet {n} has a frozen header");
        assert!(xml.contains("<col "), "sheet {n} sets column widths");
    }
    assert!(parts["xl/styles.xml"].contains("formatCode=\"$#,##0\""));
    assert!(parts["xl/workbook.xml"].contains("fullCalcOnLoad=\"1\""), "Excel recalculates on open");

    // Programs: annual cost = gap × unit cost, with the plan's value cached.
    let n = plan.programs.len();
    for (i, p) in plan.programs.iter().enumerate() {
        let row = i + 2;
        let cost = format!("S{row}");
        assert!(book.formula("Programs", &cost).starts_with('='), "{} {cost}: no formula", p.id);
        let cached = book.number("Programs", &cost);
        assert!((cached - p.annual_cost.mid).abs() < 0.01, "{} {cost} = {cached} vs {}", p.id, p.annual_cost.mid);
        assert!(book.text("Programs", &format!("B{row}")).contains(&p.id));
    }
    let dv = plan.programs.iter().position(|p| p.id == "dv_shelter_bed").unwrap() + 2;
    assert_eq!(book.formula("Programs", &format!("S{dv}")), format!("=M{dv}*P{dv}"));
    assert_eq!(book.number("Programs", &format!("S{dv}")), plan.programs[dv - 2].annual_cost.mid);
    assert_eq!(book.formula("Programs", &format!("M{dv}")), format!("=MAX(0,H{dv}-K{dv})"));
    assert_eq!(book.number("Programs", &format!("M{dv}")), 38.0);
    let total = format!("S{}", n + 2);
    assert_eq!(book.formula("Programs", &total), format!("=SUM(S2:S{})", n + 1));
    assert!((book.number("Programs", &total) - plan.totals.annual_cost.mid).abs() < 0.01);
    // Add-ons are a share of the cost of the programs they support.
    let ta = plan.programs.iter().position(|p| p.id == "cvi_training_ta").unwrap() + 2;
    let f = book.formula("Programs", &format!("S{ta}"));
    assert!(f.contains(&format!("=P{ta}*SUM(")), "{f}");

    // Summary sums Programs by gap area.
    assert_eq!(book.formula("Summary", "C14"), "=SUM(C10:C13)");
    assert!((book.number("Summary", "C14") - plan.totals.annual_cost.mid).abs() < 0.01);
    let f = book.formula("Summary", "C10");
    assert!(f.contains("=SUMIF(Programs!$A$2:$A$"), "{f}");
    assert_eq!((book.formula("Summary", "B4"), book.number("Summary", "B4")), ("=Drivers!E2".to_string(), 250_000.0));

    insta::assert_snapshot!("xlsx_summary", book.lines("Summary").join("\n"));
    insta::assert_snapshot!("xlsx_programs", book.lines("Programs").join("\n"));
}

#[test]
fn hostile_names_are_stored_as_text() {
    let name = "<script>alert(1)</script> & \"Co\" Ünïcode =1+1";
    let (plan, catalog) = plan_and_catalog(name);
    let bytes = safetygap_report::xlsx::render(&plan, &catalog).unwrap();
    let book = Book::from_bytes(&bytes);
    assert_eq!(book.text("Summary", "A1"), format!("Safety gap plan: {name}"));
    assert!(book.text("Summary", "B3").contains(name));
    // The XML itself stays escaped.
    assert!(!parts(&bytes)["xl/sharedStrings.xml"].contains("<script>"));
}
