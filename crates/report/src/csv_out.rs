//! CSV: one row per program per jurisdiction, then subtotal and total rows,
//! so a spreadsheet can filter by `row_kind`.

use safetygap_core::payer::PayerCost;
use safetygap_core::plan::{Plan, ProgramPlan, Subtotal};
use safetygap_core::quality::Flag;

const HEADER: &[&str] = &[
    "jurisdiction_id",
    "jurisdiction_name",
    "row_kind",
    "gap_area",
    "program_id",
    "program_name",
    "unit",
    "evidence",
    "cost_evidence",
    "need_low",
    "need_mid",
    "need_high",
    "need_whole",
    "existing",
    "gap_low",
    "gap_mid",
    "gap_high",
    "coverage",
    "annual_cost_low",
    "annual_cost_mid",
    "annual_cost_high",
    "startup_cost_low",
    "startup_cost_mid",
    "startup_cost_high",
    "cost_year",
    "assumptions",
    "catalog_version",
    "quality_grade",
    "quality_flags",
    "grade",
    "payers",
];

/// Neutralises text a spreadsheet would run as a formula: a cell that is
/// not a number and starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'` (OWASP's advice for CSV injection), so a plan
/// named `=HYPERLINK("http://…")` stays text. Numbers, negative ones
/// included, are left alone.
pub fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A record with every field passed through [`cell`].
pub fn safe_record<I, S>(fields: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    fields.into_iter().map(|f| cell(f.as_ref()).into_owned()).collect()
}

#[cfg(test)]
fn num(v: f64) -> String {
    num_text(v)
}

/// [`num`] written onto `out`. Rounded to cents/hundredths: enough for any
/// reader, stable in snapshots. Written from the whole number of cents,
/// which gives the same text as formatting the rounded `f64` (shortest
/// round-trip form) whenever the cents have at most 15 digits (every
/// decimal of 15 significant digits has its own `f64`); larger and
/// non-finite values go through the formatter.
fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    let c = (v * 100.0).round();
    if c.is_finite() && c.abs() < 1e15 {
        if c.is_sign_negative() {
            out.push('-');
        }
        let a = c.abs() as u64;
        let (int, frac) = (a / 100, (a % 100) as u8);
        push_digits(out, int);
        if frac != 0 {
            out.push('.');
            out.push(char::from(b'0' + frac / 10));
            if frac % 10 != 0 {
                out.push(char::from(b'0' + frac % 10));
            }
        }
        return;
    }
    let r = c / 100.0;
    let _ = if r == r.trunc() { write!(out, "{r:.0}") } else { write!(out, "{r}") };
}

/// The decimal digits of `n` (what `{n}` writes, without the formatter).
fn push_digits(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// A coverage share with four decimals (0 and 1, the common values in
/// batches, without the exact-decimal formatter).
fn push_share(out: &mut String, c: f64) {
    use std::fmt::Write as _;
    if c == 0.0 && c.is_sign_positive() {
        out.push_str("0.0000");
    } else if c == 1.0 {
        out.push_str("1.0000");
    } else {
        let _ = write!(out, "{c:.4}");
    }
}

/// Renders plans (one or many jurisdictions) as CSV text: the rows of
/// [`render_into`], then one `driver` row per driver of each plan, so the
/// figures the plan rests on (homicides and the other violence figures
/// above all) travel with their source, vintage and basis. A driver row
/// holds `given`/`estimated` in `evidence`, the value in `need_low/mid/high`,
/// the vintage in `cost_year` and the source in `assumptions`; its other
/// cells are empty. Batches (which write through [`render_into`]) leave
/// these rows out.
pub fn render(plans: &[Plan]) -> String {
    let mut out = Vec::new();
    render_into(plans, true, &mut out);
    drivers_into(plans, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The `driver` rows of [`render`].
fn drivers_into(plans: &[Plan], out: &mut Vec<u8>) {
    let mut w = csv::Writer::from_writer(out);
    for p in plans {
        for d in &p.drivers {
            let basis = match d.basis {
                safetygap_core::drivers::Basis::Given => "given",
                safetygap_core::drivers::Basis::Estimated => "estimated",
            };
            let mut row: Vec<String> = vec![String::new(); HEADER.len()];
            let mut set = |col: &str, v: String| {
                if let Some(i) = HEADER.iter().position(|h| *h == col) {
                    row[i] = v;
                }
            };
            set("jurisdiction_id", p.jurisdiction.id.clone());
            set("jurisdiction_name", p.jurisdiction.name.clone());
            set("row_kind", "driver".into());
            set("program_id", d.id.clone());
            set("program_name", d.name.clone());
            set("unit", d.unit.clone());
            set("evidence", basis.into());
            set("need_low", num_text(d.value.low));
            set("need_mid", num_text(d.value.mid));
            set("need_high", num_text(d.value.high));
            set("cost_year", d.vintage.clone().unwrap_or_default());
            set("assumptions", d.source.clone());
            set("catalog_version", p.catalog_version.clone());
            let _ = w.write_record(safe_record(&row));
        }
    }
    let _ = w.flush();
}

fn num_text(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends plans as CSV to `out`, with the header line first when `header`
/// is set: what [`render`] returns, without a `String` per field (a batch
/// writes every place's rows through here).
pub fn render_into(plans: &[Plan], header: bool, out: &mut Vec<u8>) {
    let mut w = csv::Writer::from_writer(out);
    if header {
        let _ = w.write_record(HEADER);
    }
    // One scratch buffer for the numbers and joined lists of a row.
    let mut s = String::new();
    // Every field through `cell`: names and sources reach spreadsheets.
    let field = |w: &mut csv::Writer<&mut Vec<u8>>, f: &str| {
        let _ = w.write_field(cell(f).as_bytes());
    };
    let write = |w: &mut csv::Writer<&mut Vec<u8>>, s: &mut String, row: &[Field<'_>]| {
        for f in row {
            s.clear();
            match *f {
                Field::Text(t) => s.push_str(t.unwrap_or("")),
                Field::Num(v) => v.into_iter().for_each(|v| push_num(s, v)),
                Field::Share(v) => v.into_iter().for_each(|c| push_share(s, c)),
                Field::Int(v) => v.into_iter().for_each(|v| {
                    use std::fmt::Write as _;
                    let _ = write!(s, "{v}");
                }),
                Field::List(l) => join_into(s, l.iter().map(String::as_str)),
                Field::Flags(fl) => join_into(s, fl.iter().map(|f| f.detail.as_str())),
                Field::Payers(b) => push_payers(s, b),
            }
            field(w, s);
        }
        let _ = w.write_record(None::<&[u8]>);
    };
    for p in plans {
        for l in &p.programs {
            write(&mut w, &mut s, &program_row(p, l));
        }
        for a in &p.gap_areas {
            write(&mut w, &mut s, &subtotal_row(p, "subtotal", Some(a.gap_area.as_str()), &a.totals));
        }
        write(&mut w, &mut s, &subtotal_row(p, "total", None, &p.totals));
    }
    let _ = w.flush();
}

/// One field of a row of the plan table, typed: the CSV writes it as text,
/// Parquet as a typed column (empty text and empty lists are null there).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field<'a> {
    /// Text, or an empty field.
    Text(Option<&'a str>),
    /// A figure.
    Num(Option<f64>),
    /// A coverage share (four decimals in the CSV).
    Share(Option<f64>),
    /// A whole number.
    Int(Option<i32>),
    /// Texts joined with `; `.
    List(&'a [String]),
    /// Quality flags' details joined with `; `.
    Flags(&'a [Flag]),
    /// A line's payer buckets, compactly ([`push_payers`]).
    Payers(&'a [PayerCost]),
}

/// A line's payer buckets as one compact cell, `; `-separated: a single
/// payer as its id and share (`city 40%`), several payers whose split no
/// source gives as `split unknown 60%: state, medicaid` (the wording of the
/// table's "Who pays"), a line without recorded payers as `payer not
/// recorded 100%`. Shares are whole percents of the line's annual cost.
pub(crate) fn push_payers(out: &mut String, buckets: &[PayerCost]) {
    for (i, b) in buckets.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let pct = |out: &mut String| {
            let v = (b.share * 100.0).round();
            push_digits(out, if v.is_finite() && v > 0.0 { v as u64 } else { 0 });
            out.push('%');
        };
        match b.payers.as_slice() {
            [] => {
                out.push_str("payer not recorded ");
                pct(out);
            }
            [one] => {
                out.push_str(one);
                out.push(' ');
                pct(out);
            }
            many => {
                out.push_str("split unknown ");
                pct(out);
                out.push_str(": ");
                for (k, p) in many.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(p);
                }
            }
        }
    }
}

/// A program line's row, column for column [`HEADER`].
pub(crate) fn program_row<'a>(p: &'a Plan, l: &'a ProgramPlan) -> [Field<'a>; 31] {
    use Field::*;
    let j = &p.jurisdiction;
    // Estimated drivers, small numbers, assumptions, old vintages: a
    // spreadsheet user sees on every row what the plan says.
    let flags = p.quality.lines.iter().find(|q| q.id == l.id).map_or(&[][..], |q| &q.flags[..]);
    [
        Text(Some(&j.id)),
        Text(Some(&j.name)),
        Text(Some("program")),
        Text(Some(l.gap_area.as_str())),
        Text(Some(&l.id)),
        Text(Some(&l.name)),
        Text(Some(&l.unit)),
        Text(Some(l.evidence.as_str())),
        Text(Some(l.cost_evidence.as_str())),
        Num(Some(l.need.low)),
        Num(Some(l.need.mid)),
        Num(Some(l.need.high)),
        Num(l.need_whole),
        Num(Some(l.existing)),
        Num(Some(l.gap.low)),
        Num(Some(l.gap.mid)),
        Num(Some(l.gap.high)),
        Share(l.coverage),
        Num(Some(l.annual_cost.low)),
        Num(Some(l.annual_cost.mid)),
        Num(Some(l.annual_cost.high)),
        Num(Some(l.startup_cost.low)),
        Num(Some(l.startup_cost.mid)),
        Num(Some(l.startup_cost.high)),
        Int(Some(i32::from(l.cost_year))),
        List(&l.assumptions),
        Text(Some(&p.catalog_version)),
        Int(Some(i32::from(p.quality.grade))),
        Flags(flags),
        Text(Some(l.grade.as_str())),
        Payers(&l.payers),
    ]
}

/// A gap area's subtotal row (`kind` "subtotal") or the plan's total
/// ("total", no area), column for column [`HEADER`].
pub(crate) fn subtotal_row<'a>(p: &'a Plan, kind: &'a str, area: Option<&'a str>, t: &Subtotal) -> [Field<'a>; 31] {
    use Field::*;
    [
        Text(Some(&p.jurisdiction.id)),
        Text(Some(&p.jurisdiction.name)),
        Text(Some(kind)),
        Text(area),
        Text(None),
        Text(None),
        Text(None),
        Text(None),
        Text(None),
        Num(None),
        Num(None),
        Num(None),
        Num(None),
        Num(None),
        Num(None),
        Num(None),
        Num(None),
        Share(t.coverage),
        Num(Some(t.annual_cost.low)),
        Num(Some(t.annual_cost.mid)),
        Num(Some(t.annual_cost.high)),
        Num(Some(t.startup_cost.low)),
        Num(Some(t.startup_cost.mid)),
        Num(Some(t.startup_cost.high)),
        Int(None),
        List(&[]),
        Text(Some(&p.catalog_version)),
        Int(Some(i32::from(p.quality.grade))),
        Flags(&[]),
        Text(None),
        Payers(&[]),
    ]
}

fn join_into<'a>(out: &mut String, parts: impl Iterator<Item = &'a str>) {
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safetygap_core::{compute, shipped, PlanInput};

    /// Issue 12 row 7: a plan named `=HYPERLINK(...)` became a formula.
    #[test]
    fn formula_text_is_neutralised_and_numbers_are_not() {
        let c = shipped::catalog().unwrap();
        for name in ["=HYPERLINK(\"http://x.example/\",\"click\")", "+1+cmd", "-2+3", "@SUM(A1)", "\tx"] {
            let plan = compute(&c, &PlanInput::custom(name, 100_000.0, "given on the command line")).unwrap();
            let text = render(std::slice::from_ref(&plan));
            let mut r = csv::Reader::from_reader(text.as_bytes());
            for rec in r.records() {
                let rec = rec.unwrap();
                assert_eq!(&rec[1], format!("'{name}"), "{name}");
                for f in rec.iter() {
                    assert!(!f.starts_with(['=', '+', '@', '\t']), "{f}");
                }
            }
        }
        assert_eq!(cell("-12.5"), "-12.5");
        assert_eq!(cell("Oakland, CA"), "Oakland, CA");
    }

    /// The formula `num` used before it wrote cents: the rounded `f64`
    /// through the standard formatter.
    fn by_formatter(v: f64) -> String {
        let r = (v * 100.0).round() / 100.0;
        if r == r.trunc() {
            format!("{r:.0}")
        } else {
            format!("{r}")
        }
    }

    #[test]
    fn numbers_match_the_standard_formatter() {
        let mut fixed = vec![0.0, -0.0, -0.001, 0.004, 0.005, 0.015, 1.005, 2.675, 0.1, 0.2, 0.3, 1e13 - 0.01, 9.99e12, 1e13, 1.5e13, 2e15];
        fixed.extend([123_456_789.125, -42.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE]);
        // A fixed xorshift sequence over many magnitudes (no clock, no seed file).
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..400_000_i32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            let v = (unit - 0.3) * 10f64.powi(i % 17 - 2);
            fixed.push(v);
            fixed.push((v * 100.0).round() / 100.0);
        }
        for v in fixed {
            assert_eq!(num(v), by_formatter(v), "{v:e}");
        }
    }

    #[test]
    fn shares_match_the_standard_formatter() {
        for c in [0.0, -0.0, 1.0, 0.5, 0.123_45, 0.999_95, 2.0 / 3.0, 1.5] {
            let mut s = String::new();
            push_share(&mut s, c);
            assert_eq!(s, format!("{c:.4}"));
        }
    }
}

#[cfg(test)]
mod payer_tests {
    use super::*;
    use safetygap_core::range::Range3;

    fn bucket(payers: &[&str], share: f64, published: bool) -> PayerCost {
        PayerCost {
            payers: payers.iter().map(|p| p.to_string()).collect(),
            share,
            share_published: published,
            annual_cost: Range3::point(share),
        }
    }

    #[test]
    fn payer_cells_read_as_the_who_pays_table_does() {
        let cases: [(Vec<PayerCost>, &str); 4] = [
            (vec![bucket(&["city"], 1.0, false)], "city 100%"),
            (vec![bucket(&["state"], 0.6, true), bucket(&["city"], 0.4, false)], "state 60%; city 40%"),
            (
                vec![bucket(&["medicaid"], 0.355, true), bucket(&["state", "city"], 0.645, false)],
                "medicaid 36%; split unknown 65%: state, city",
            ),
            (vec![bucket(&[], 1.0, false)], "payer not recorded 100%"),
        ];
        for (b, want) in cases {
            let mut s = String::new();
            push_payers(&mut s, &b);
            assert_eq!(s, want);
        }
    }

    /// Every program row's `payers` cell names exactly the payers of the
    /// line's buckets, and its percents add up to about 100.
    #[test]
    fn every_program_row_carries_its_payers() {
        use safetygap_core::{compute, shipped, PlanInput};
        let c = shipped::catalog().unwrap();
        let plan = compute(&c, &PlanInput::custom("Town", 100_000.0, "given on the command line")).unwrap();
        let text = render(std::slice::from_ref(&plan));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let col = r.headers().unwrap().iter().position(|h| h == "payers").unwrap();
        let kind = r.headers().unwrap().iter().position(|h| h == "row_kind").unwrap();
        let mut seen = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            if &rec[kind] != "program" {
                assert_eq!(&rec[col], "", "{rec:?}");
                continue;
            }
            let line = plan.programs.iter().find(|p| p.id == rec[4]).unwrap();
            let mut sum = 0;
            for part in rec[col].split("; ") {
                let pct = part.split('%').next().unwrap().rsplit(' ').next().unwrap();
                sum += pct.parse::<i32>().unwrap();
                for p in line.payers.iter().flat_map(|b| &b.payers) {
                    assert!(rec[col].contains(p.as_str()), "{} lacks {p}", &rec[col]);
                }
            }
            assert!((sum - 100).abs() <= 2, "{}: {}", line.id, &rec[col]);
            seen += 1;
        }
        assert_eq!(seen, plan.programs.len());
    }
}
