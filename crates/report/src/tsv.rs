//! Tab-separated values: the CSV rows with tabs between fields, for pasting
//! straight into a spreadsheet (a paste splits on tabs, not commas).
//!
//! The same columns and figures as [`crate::csv_out`]; a field that holds a
//! tab, a quote or a line break is quoted as in CSV.

use crate::csv_out;
use safetygap_core::plan::Plan;

/// Renders a plan as TSV.
pub fn render(plan: &Plan) -> String {
    from_csv(&csv_out::render(std::slice::from_ref(plan)))
}

/// Rewrites CSV text (as the CSV renderers write it) with tabs between fields.
pub fn from_csv(csv: &str) -> String {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
    let mut w = csv::WriterBuilder::new().delimiter(b'\t').flexible(true).from_writer(Vec::new());
    for rec in r.byte_records() {
        // Both ends are in memory and the text came from the csv crate.
        let Ok(rec) = rec else { break };
        let _ = w.write_byte_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_tab_separated_and_quoted_only_when_needed() {
        let csv = "a,b c,\"d,e\",\"f\tg\"\n1,,\"x \"\"y\"\"\",2\n";
        assert_eq!(from_csv(csv), "a\tb c\td,e\t\"f\tg\"\n1\t\t\"x \"\"y\"\"\"\t2\n");
    }
}
