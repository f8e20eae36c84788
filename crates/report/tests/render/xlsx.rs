//! The Excel workbook, read back in pure Rust: a valid zip with the
//! expected sheets, frozen headers, numbers as numbers, live formulas with
//! cached results that agree with the plan.

use crate::ooxml::Book;
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

fn cached(line: &str) -> f64 {
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn workbook_has_sheets_frozen_headers_formulas_and_results() {
    let (plan, catalog) = plan_and_catalog("Snapshot City");
    let bytes = safetygap_report::xlsx::render(&plan, &catalog).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let book = Book::read(&bytes);
    assert_eq!(book.sheets, ["Summary", "Programs", "Drivers", "Sources", "Who pays"]);
    for n in 1..=4 {
        let xml = book.xml(n);
        assert!(xml.contains("state=\"frozen\""), "sheet {n} has a frozen header");
        assert!(xml.contains("<col "), "sheet {n} sets column widths");
    }
    assert!(book.parts["xl/styles.xml"].contains("formatCode=\"$#,##0\""));
    assert!(book.parts["xl/workbook.xml"].contains("fullCalcOnLoad=\"1\""), "Excel recalculates on open");

    // Programs: annual cost = gap × unit cost, with the plan's value cached.
    let programs = book.sheet(2);
    let n = plan.programs.len();
    for (i, p) in plan.programs.iter().enumerate() {
        let row = i + 2;
        let cost = book.cell(2, &format!("S{row}"));
        assert!(cost.starts_with(&format!("S{row} =")), "{cost}");
        assert!((cached(&cost) - p.annual_cost.mid).abs() < 0.01, "{} {cost} vs {}", p.id, p.annual_cost.mid);
        assert!(book.cell(2, &format!("B{row}")).contains(&p.id));
    }
    let dv = plan.programs.iter().position(|p| p.id == "dv_shelter_bed").unwrap() + 2;
    assert_eq!(book.cell(2, &format!("S{dv}")), format!("S{dv} =M{dv}*P{dv} → {}", plan.programs[dv - 2].annual_cost.mid));
    assert_eq!(book.cell(2, &format!("M{dv}")), format!("M{dv} =MAX(0,H{dv}-K{dv}) → 38"));
    let total = book.cell(2, &format!("S{}", n + 2));
    assert_eq!(total.split(" → ").next().unwrap(), format!("S{} =SUM(S2:S{})", n + 2, n + 1));
    assert!((cached(&total) - plan.totals.annual_cost.mid).abs() < 0.01);
    // Add-ons are a share of the cost of the programs they support.
    let ta = plan.programs.iter().position(|p| p.id == "cvi_training_ta").unwrap() + 2;
    assert!(book.cell(2, &format!("S{ta}")).contains(&format!("=P{ta}*SUM(")), "{}", book.cell(2, &format!("S{ta}")));

    // Summary sums Programs by gap area.
    let total_mid = book.cell(1, "C14");
    assert_eq!(total_mid.split(" → ").next().unwrap(), "C14 =SUM(C10:C13)");
    assert!((cached(&total_mid) - plan.totals.annual_cost.mid).abs() < 0.01);
    assert!(book.cell(1, "C10").contains("=SUMIF(Programs!$A$2:$A$"), "{}", book.cell(1, "C10"));
    assert_eq!(book.cell(1, "B4"), format!("B4 =Drivers!E2 → 250000"));

    insta::assert_snapshot!("xlsx_summary", book.sheet(1).join("\n"));
    insta::assert_snapshot!("xlsx_programs", programs.join("\n"));
}

#[test]
fn hostile_names_are_stored_as_text() {
    let name = "<script>alert(1)</script> & \"Co\" Ünïcode =1+1";
    let (plan, catalog) = plan_and_catalog(name);
    let book = Book::read(&safetygap_report::xlsx::render(&plan, &catalog).unwrap());
    assert_eq!(book.cell(1, "A1"), format!("A1 'Safety gap plan: {name}'"));
    assert!(book.cell(1, "B3").contains(name));
    // The XML itself stays escaped.
    assert!(!book.parts["xl/sharedStrings.xml"].contains("<script>"));
}
