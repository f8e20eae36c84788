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

/// With `--payer`, the Who pays sheet says what falls on that payer's own
/// budget with live SUMIFs over the line parts: exactly its id (its own)
/// and its id among others (split unknown). Recomputed here from the
/// parts' cached values and compared with the engine's payer view.
#[test]
fn payer_view_rows_sum_the_parts_as_the_engine_does() {
    // The wildcard SUMIF relies on it: no id is found inside another.
    let ids: Vec<&str> = safetygap_core::payer::PAYERS.iter().map(|(id, _)| *id).collect();
    for a in &ids {
        for b in &ids {
            assert!(a == b || !b.contains(a), "payer id {a} is part of {b}");
        }
    }
    let (plan, catalog) = plan_and_catalog("Payer City");
    let plain = Book::from_bytes(&safetygap_report::xlsx::render(&plan, &catalog).unwrap());
    assert!(!plain.rows("Who pays").iter().any(|r| r.get("A").is_some_and(|a| a.starts_with("On the "))));
    for payer in ["city", "state", "medicaid", "philanthropy"] {
        let plan = plan.clone().with_payer(payer).unwrap();
        let v = plan.payer_view.clone().unwrap();
        let book = Book::from_bytes(&safetygap_report::xlsx::render(&plan, &catalog).unwrap());
        let rows = book.rows("Who pays");
        let at = rows.iter().position(|r| r.get("A").is_some_and(|a| a.starts_with("On the "))).expect("a payer view row");
        assert!(rows[at]["A"].contains(&v.name), "{}", rows[at]["A"]);
        let head = rows.iter().position(|r| r.get("A").is_some_and(|a| a == "Program id")).unwrap();
        let (mut own, mut shared) = (0.0, 0.0);
        for r in &rows[head + 1..] {
            let cost: f64 = r["H"].parse().unwrap();
            let list: Vec<&str> = r.get("F").map_or(vec![], |f| f.split(", ").collect());
            if list == [payer] {
                own += cost;
            } else if list.contains(&payer) {
                shared += cost;
            }
        }
        let row = |i: usize| (at + i + 1).to_string();
        let (own_cell, shared_cell) = (format!("C{}", row(1)), format!("C{}", row(2)));
        let close = |a: f64, b: f64| (a - b).abs() <= 0.01 + 1e-9 * b.abs();
        assert!(close(own, v.annual_cost.mid) && close(book.number("Who pays", &own_cell), v.annual_cost.mid), "{payer} own");
        assert!(
            close(shared, v.shared_unknown.mid) && close(book.number("Who pays", &shared_cell), v.shared_unknown.mid),
            "{payer} shared"
        );
        assert!(book.formula("Who pays", &own_cell).starts_with("=SUMIF(F"), "{}", book.formula("Who pays", &own_cell));
    }
}
