//! `safetygap report`: the HTML brief, the workbook, the memo and maps, run
//! through the real binary.

use crate::workbook::Book;
use crate::workdir::Workdir;
use std::collections::BTreeMap;
use std::process::Command;

const CITY: [&str; 6] = ["--population", "250000", "--name", "Snapshot City", "--set", "homicides=20"];
const HOSTILE: &str = "<script>alert(1)</script> & \"Co\" Ünïcode";

fn args<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(more);
    v
}

/// The page with the sources appendix cut out.
fn outside_appendix(html: &str) -> String {
    let start = html.find("<section class=\"appendix\">").expect("appendix");
    let end = start + html[start..].find("</section>").unwrap();
    format!("{}{}", &html[..start], &html[end..])
}

fn assert_offline(html: &str) {
    let lower = html.to_lowercase();
    for bad in ["<script", "<link", "@import", "url(", " src=", "<iframe", "<object", "<embed"] {
        assert!(!lower.contains(bad), "the brief must load nothing: found `{bad}`");
    }
    let outside = outside_appendix(html).to_lowercase();
    assert!(!outside.contains("http://") && !outside.contains("https://"), "URL outside the sources appendix");
}

#[test]
fn html_brief_is_well_formed_offline_and_flags_every_assumption() {
    let wd = Workdir::new("html");
    let err = wd.ok_stderr(&args(&["report"], &args(&CITY, &["--out", "brief.html"])));
    assert!(err.contains("wrote brief.html"), "{err}");
    let html = wd.read("brief.html");
    crate::well_formed(&html);
    assert_offline(&html);
    assert!(html.contains("@media print") && html.contains("break-before: page"), "print layout");

    let plan = wd.json(&args(&["plan"], &args(&CITY, &["--format", "json"])));
    // Headline figures.
    let total = plan["totals"]["annual_cost"]["mid"].as_f64().unwrap();
    assert!(html.contains(&safetygap_report::fmt::money_full(total)), "total annual cost");
    let per = plan["totals"]["annual_cost_per_resident"]["mid"].as_f64().unwrap();
    assert!(html.contains(&format!("${per:.2}")), "per resident");
    // Drivers with their basis and source.
    for d in plan["drivers"].as_array().unwrap() {
        assert!(html.contains(d["name"].as_str().unwrap()), "driver {}", d["id"]);
    }
    assert!(html.contains("local figure (--set)"));
    // Every program, every assumption flag, every benchmark cited.
    for p in plan["programs"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let id = p["id"].as_str().unwrap();
        let assumptions = p["assumptions"].as_array().unwrap();
        if assumptions.is_empty() {
            assert!(html.contains(&format!("<td>{name}</td>")), "{id} unflagged");
        } else {
            assert!(html.contains(&format!("<td>{name} <span class=\"warn\"")), "{id} flagged ⚠");
            for a in assumptions {
                let a = a.as_str().unwrap();
                let short = a.strip_prefix(&format!("{name}: ")).unwrap_or(a);
                assert!(html.contains(&format!("<li>⚠ {short}</li>")), "{id}: {a}");
            }
        }
        assert!(html.contains(&format!("({id})")), "appendix cites {id}");
    }
    // Charts and a paragraph per gap area.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 3);
    assert_eq!(html.matches("Closing the gap costs about").count(), 4);
    assert!(html.contains("Scaling Safety"));
    insta::assert_snapshot!("report_html", html);
}

#[test]
fn citation_urls_become_links_only_in_the_appendix() {
    let wd = Workdir::new("urls");
    wd.write(
        "mine.toml",
        b"[[benchmark]]\nid = \"dv_shelter_bed\"\ncitations = [\"Shelter study, https://example.org/shelters?a=1&b=2.\"]\n",
    );
    wd.ok(&["report", "--population", "100000", "--catalog", "mine.toml", "--out", "b.html"]);
    let html = wd.read("b.html");
    crate::well_formed(&html);
    assert_offline(&html);
    assert!(
        html.contains("<a href=\"https://example.org/shelters?a=1&amp;b=2\">https://example.org/shelters?a=1&amp;b=2</a>."),
        "linked citation"
    );
}

#[test]
fn hostile_names_render_safely_in_every_format() {
    let wd = Workdir::new("hostile");
    let base = ["--population", "100000", "--name", HOSTILE];
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot; Ünïcode";

    // HTML: escaped in the title, heading, paragraphs; still well-formed.
    wd.ok(&args(&["report"], &args(&base, &["--out", "h.html"])));
    let html = wd.read("h.html");
    crate::well_formed(&html);
    assert_offline(&html);
    assert!(html.contains(&format!("<title>Safety gap brief: {escaped}</title>")));
    assert!(html.contains(&format!("<h1>{escaped}</h1>")));

    // Markdown: every `<` is escaped so no renderer sees a tag.
    let md = wd.ok(&args(&["report"], &args(&base, &["--format", "markdown"])));
    assert!(md.contains("\\<script\\>alert(1)\\</script\\> & \"Co\" Ünïcode"), "{}", &md[..300]);
    for (i, _) in md.match_indices('<') {
        assert_eq!(&md[i - 1..i], "\\", "unescaped < in markdown at {i}");
    }
    wd.ok(&args(&["report"], &args(&base, &["--out", "m.md"])));
    assert_eq!(wd.read("m.md"), md);

    // CSV and JSON: the exact name survives a round trip.
    let csv_text = wd.ok(&args(&["plan"], &args(&base, &["--format", "csv"])));
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let col = rdr.headers().unwrap().iter().position(|h| h == "jurisdiction_name").unwrap();
    for rec in rdr.records() {
        assert_eq!(&rec.unwrap()[col], HOSTILE);
    }
    let plan = wd.json(&args(&["plan"], &args(&base, &["--format", "json"])));
    assert_eq!(plan["jurisdiction"]["name"], HOSTILE);

    // XLSX: stored as text, read back with calamine (and with openpyxl,
    // an independent reader, in CI).
    wd.ok(&args(&["report"], &args(&base, &["--out", "h.xlsx"])));
    let book = Book::read(&wd.dir.join("h.xlsx"));
    assert_eq!(book.text("Summary", "A1"), format!("Safety gap plan: {HOSTILE}"));
    if let Some(out) =
        python(&wd, "import openpyxl,sys\nwb=openpyxl.load_workbook(sys.argv[1])\nprint(wb['Summary']['A1'].value)\n", &["h.xlsx"])
    {
        assert_eq!(out.trim_end(), format!("Safety gap plan: {HOSTILE}"));
    }
}

/// Runs a Python script if python3 with openpyxl is available; `None` (with
/// a message) when it is not, and a failure when `CI` is set.
pub(crate) fn python(wd: &Workdir, script: &str, argv: &[&str]) -> Option<String> {
    let probe = Command::new("python3").args(["-c", "import openpyxl"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        // CI installs openpyxl (.ci/run): there, a missing reader is a failure,
        // not a silent skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with openpyxl is not installed (pip install openpyxl): the workbook read-back cannot run"
        );
        eprintln!("skipping openpyxl check: python3 with openpyxl is not installed (pip install openpyxl)");
        return None;
    }
    wd.write("check.py", script.as_bytes());
    let out = Command::new("python3").current_dir(&wd.dir).arg("check.py").args(argv).output().unwrap();
    assert!(
        out.status.success(),
        "python check failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

const OPENPYXL_CHECK: &str = r#"
import json, sys, openpyxl
book, plan = sys.argv[1], json.load(open(sys.argv[2]))
vals = openpyxl.load_workbook(book, data_only=True)
forms = openpyxl.load_workbook(book)
assert vals.sheetnames == ["Summary", "Programs", "Drivers", "Sources", "Who pays"], vals.sheetnames
def close(a, b, what):
    assert isinstance(a, (int, float)), (what, a)
    assert abs(a - b) <= 0.01 + 1e-9 * abs(b), (what, a, b)
# Who pays: one row per payer bucket, SUMIF over the line parts by payer ids
# (short: Excel's SUMIF criteria stop at 255 characters), then the total.
w, wf = vals["Who pays"], forms["Who pays"]
buckets = plan["cost_by_payer"]
for i, t in enumerate(buckets):
    r = 2 + i
    assert w.cell(r, 1).value == t["label"], (w.cell(r, 1).value, t["label"])
    assert w.cell(r, 7).value == ", ".join(t["payers"]) and len(w.cell(r, 7).value) < 255
    close(w.cell(r, 3).value, t["annual_cost"]["mid"], t["label"])
    assert str(wf.cell(r, 3).value).startswith("=SUMIF("), wf.cell(r, 3).value
tr = 2 + len(buckets)
assert w.cell(tr, 1).value == "Total"
for col, end in ((2, "low"), (3, "mid"), (4, "high")):
    close(w.cell(tr, col).value, plan["totals"]["annual_cost"][end], "who pays total " + end)
# Summary: totals and per gap area, cached formula results.
s, sf = vals["Summary"], forms["Summary"]
assert sf.freeze_panes == "A10", sf.freeze_panes
close(s["B4"].value, [d for d in plan["drivers"] if d["id"] == "population"][0]["value"]["mid"], "population")
titles = {"victim_services": "Victim services", "violence_prevention": "Violence prevention", "behavioral_health": "Behavioral health", "reentry": "Reentry"}
rows = {s.cell(r, 1).value: r for r in range(10, 15)}
for a in plan["gap_areas"]:
    r = rows[titles[a["gap_area"]]]
    for col, end in ((2, "low"), (3, "mid"), (4, "high")):
        close(s.cell(r, col).value, a["annual_cost"][end], a["gap_area"] + " " + end)
        assert str(sf.cell(r, col).value).startswith("=SUMIF("), sf.cell(r, col).value
    close(s.cell(r, 5).value, a["annual_cost_per_resident"]["mid"], "per resident")
close(s["C14"].value, plan["totals"]["annual_cost"]["mid"], "total mid")
close(s["E14"].value, plan["totals"]["annual_cost_per_resident"]["mid"], "total per resident")
assert sf["C14"].value == "=SUM(C10:C13)", sf["C14"].value
assert "$" in s["C14"].number_format and "%" in s["H14"].number_format
# Programs: one row per program, cost = formula with the plan's value.
p, pf = vals["Programs"], forms["Programs"]
assert pf.freeze_panes == "D2", pf.freeze_panes
header = [c.value for c in p[1]]
col = {h: i + 1 for i, h in enumerate(header)}
by_id = {p.cell(r, col["Program id"]).value: r for r in range(2, p.max_row + 1) if p.cell(r, col["Program id"]).value}
assert len(by_id) == len(plan["programs"]), (len(by_id), len(plan["programs"]))
for prog in plan["programs"]:
    r = by_id[prog["id"]]
    for end in ("low", "mid", "high"):
        close(p.cell(r, col["Annual cost " + end]).value, prog["annual_cost"][end], prog["id"] + " cost " + end)
        close(p.cell(r, col["Start-up cost " + end]).value, prog["startup_cost"][end], prog["id"] + " start-up " + end)
    f = str(pf.cell(r, col["Annual cost mid"]).value)
    assert f.startswith("="), f
    assert p.cell(r, col["Annual cost mid"]).number_format == "$#,##0"
    if prog["kind"] == "benchmark":
        close(p.cell(r, col["Need mid"]).value, prog["need"]["mid"], prog["id"] + " need")
        close(p.cell(r, col["Exists now"]).value, prog["existing"], prog["id"] + " exists")
        close(p.cell(r, col["Gap mid"]).value, prog["gap"]["mid"], prog["id"] + " gap")
        close(p.cell(r, col["Annual cost per unit mid"]).value, prog["unit_cost"]["mid"], prog["id"] + " unit cost")
        assert f == "=M%d*P%d" % (r, r), f
    flagged = p.cell(r, col["Program"]).value.endswith("⚠")
    assert flagged == bool(prog["assumptions"]), prog["id"]
# Recompute every Programs formula from the cached values of the cells it
# reads: the formulas really are gap = max(0, need - exists), cost = gap x
# unit cost, add-on = share x SUM(base), totals = SUM(column).
import re
from openpyxl.utils import range_boundaries, get_column_letter
def refs(a):
    if ":" in a:
        c0, r0, c1, r1 = range_boundaries(a)
        return [get_column_letter(c) + str(r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)]
    return [a]
def num(v):
    return v if isinstance(v, (int, float)) else 0
def evaluate(f):
    e = f[1:]
    e = re.sub(r"SUM\(([^)]*)\)", lambda m: "(" + "+".join(r for part in m.group(1).split(",") for r in refs(part)) + ")", e)
    e = e.replace("MAX(", "max(")
    e = re.sub(r"\b([A-Z]{1,2}[0-9]+)\b", lambda m: repr(num(p[m.group(1)].value)), e)
    return eval(e, {"max": max})
checked = 0
for row in pf.iter_rows(min_row=2):
    for c in row:
        if isinstance(c.value, str) and c.value.startswith("=") and "IF(" not in c.value:
            close(evaluate(c.value), num(p[c.coordinate].value), c.coordinate + " " + c.value)
            checked += 1
assert checked > 200, checked
# Drivers and Sources.
d = vals["Drivers"]
assert forms["Drivers"].freeze_panes == "C2"
ids = [d.cell(r, 1).value for r in range(2, d.max_row + 1)]
assert ids == [x["id"] for x in plan["drivers"]], ids
src = vals["Sources"]
assert forms["Sources"].freeze_panes == "A2"
cited = {src.cell(r, 1).value for r in range(2, src.max_row + 1)}
assert {x["id"] for x in plan["programs"]} <= cited
for ws in vals.worksheets:
    widths = [ws.column_dimensions[c].width for c in "ABC"]
    assert all(w and w > 8 for w in widths), (ws.title, widths)
print("ok", len(plan["programs"]))
"#;

/// The workbook's cells against the JSON plan, read with calamine: what
/// `cargo test` checks without Python (the same checks as OPENPYXL_CHECK
/// for values and formulas; styles, widths and frozen panes only there).
fn workbook_matches(book: &Book, plan: &serde_json::Value) {
    let close = |a: f64, b: &serde_json::Value, what: &str| {
        let b = b.as_f64().unwrap_or_else(|| panic!("{what}: {b} is not a number"));
        assert!((a - b).abs() <= 0.01 + 1e-9 * b.abs(), "{what}: workbook {a}, plan {b}");
    };
    assert_eq!(book.sheets, ["Summary", "Programs", "Drivers", "Sources", "Who pays"]);
    let population = plan["drivers"].as_array().unwrap().iter().find(|d| d["id"] == "population").unwrap();
    close(book.number("Summary", "B4"), &population["value"]["mid"], "population");
    let title = |area: &str| match area {
        "victim_services" => "Victim services",
        "violence_prevention" => "Violence prevention",
        "behavioral_health" => "Behavioral health",
        "reentry" => "Reentry",
        other => panic!("gap area {other}"),
    };
    for a in plan["gap_areas"].as_array().unwrap() {
        let area = a["gap_area"].as_str().unwrap();
        let r = (10..14).find(|r| book.text("Summary", &format!("A{r}")) == title(area)).unwrap_or_else(|| panic!("no row for {area}"));
        for (c, end) in [("B", "low"), ("C", "mid"), ("D", "high")] {
            close(book.number("Summary", &format!("{c}{r}")), &a["annual_cost"][end], &format!("{area} {end}"));
            assert!(book.formula("Summary", &format!("{c}{r}")).starts_with("=SUMIF("), "{area} {end} is a SUMIF");
        }
        close(book.number("Summary", &format!("E{r}")), &a["annual_cost_per_resident"]["mid"], &format!("{area} per resident"));
    }
    close(book.number("Summary", "C14"), &plan["totals"]["annual_cost"]["mid"], "total mid");
    close(book.number("Summary", "E14"), &plan["totals"]["annual_cost_per_resident"]["mid"], "total per resident");
    assert_eq!(book.formula("Summary", "C14"), "=SUM(C10:C13)");

    let rows = book.rows("Programs");
    let col: BTreeMap<&str, &str> = rows[0].iter().map(|(letter, name)| (name.as_str(), letter.as_str())).collect();
    let programs = plan["programs"].as_array().unwrap();
    let ids: Vec<&str> = rows[1..].iter().filter_map(|r| r.get(col["Program id"]).map(String::as_str)).collect();
    assert_eq!(ids.len(), programs.len(), "one row per program");
    for p in programs {
        let id = p["id"].as_str().unwrap();
        let r = ids.iter().position(|x| *x == id).unwrap_or_else(|| panic!("no row for {id}")) + 2;
        let cell = |name: &str| format!("{}{r}", col[name]);
        for end in ["low", "mid", "high"] {
            close(book.number("Programs", &cell(&format!("Annual cost {end}"))), &p["annual_cost"][end], &format!("{id} cost {end}"));
            close(
                book.number("Programs", &cell(&format!("Start-up cost {end}"))),
                &p["startup_cost"][end],
                &format!("{id} start-up {end}"),
            );
        }
        let f = book.formula("Programs", &cell("Annual cost mid"));
        assert!(f.starts_with('='), "{id}: annual cost mid is a formula, not {f:?}");
        if p["kind"] == "benchmark" {
            close(book.number("Programs", &cell("Need mid")), &p["need"]["mid"], &format!("{id} need"));
            close(book.number("Programs", &cell("Exists now")), &p["existing"], &format!("{id} exists"));
            close(book.number("Programs", &cell("Gap mid")), &p["gap"]["mid"], &format!("{id} gap"));
            close(book.number("Programs", &cell("Annual cost per unit mid")), &p["unit_cost"]["mid"], &format!("{id} unit cost"));
            assert_eq!(f, format!("=M{r}*P{r}"), "{id}: cost = gap × unit cost");
        }
        let flagged = book.text("Programs", &cell("Program")).ends_with('⚠');
        assert_eq!(flagged, !p["assumptions"].as_array().unwrap().is_empty(), "{id}: ⚠ marks assumptions");
    }
    let drivers: Vec<String> = book.rows("Drivers")[1..].iter().map(|r| r["A"].clone()).collect();
    let want: Vec<&str> = plan["drivers"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(drivers, want, "Drivers sheet in the plan's order");
    let cited: Vec<String> = book.rows("Sources")[1..].iter().filter_map(|r| r.get("A").cloned()).collect();
    for id in &ids {
        assert!(cited.iter().any(|c| c == id), "{id} has a row on Sources");
    }
}

#[test]
fn xlsx_matches_the_json_plan() {
    let wd = Workdir::new("xlsx");
    wd.write(
        "have.csv",
        b"program,quantity,source,verified\ndv_shelter_bed,12,County DV coalition 2024,yes\ncvi_street_outreach,20,OVP,yes\n",
    );
    let base = args(&CITY, &["--inventory", "have.csv"]);
    let err = wd.ok_stderr(&args(&["report"], &args(&base, &["--out", "plan.xlsx"])));
    assert!(err.contains("wrote plan.xlsx"), "{err}");
    let json = wd.ok(&args(&["plan"], &args(&base, &["--format", "json"])));
    wd.write("plan.json", json.as_bytes());
    workbook_matches(&Book::read(&wd.dir.join("plan.xlsx")), &serde_json::from_str(&json).unwrap());
    if let Some(out) = python(&wd, OPENPYXL_CHECK, &["plan.xlsx", "plan.json"]) {
        assert!(out.starts_with("ok"), "{out}");
    }
}

#[test]
fn named_places_get_a_county_map() {
    let wd = Workdir::new("place");
    wd.ok(&["report", "--geoid", "06001", "--out", "alameda.html"]);
    let html = wd.read("alameda.html");
    crate::well_formed(&html);
    assert_offline(&html);
    assert!(html.contains("Annual gap cost per resident across the counties of California"));
    assert!(html.contains("Alameda County, CA is outlined in red"));
    assert!(html.contains("stroke=\"#c62828\""));
    let map_start = html.find("<svg class=\"map\"").unwrap();
    assert_eq!(html[map_start..].matches("<path d=").count(), 58);
    // The brief is computed from the place's embedded figures.
    assert!(html.contains("county · GEOID 06001"));

    wd.ok(&["report", "Oakland, CA", "--no-map", "--out", "oakland.html"]);
    let html = wd.read("oakland.html");
    assert!(!html.contains("class=\"map\""));
    assert!(html.contains("<h1>Oakland, CA</h1>"));
}

#[test]
fn map_files_from_csv() {
    let wd = Workdir::new("map");
    // Leading zeros dropped by a spreadsheet are restored; blank values are no data.
    wd.write("states.csv", b"geoid,name,value\n6,California,12.5\n41,Oregon,8\n53,Washington,\n36,New York,\"1,200\"\n");
    let err = wd.ok_stderr(&["report", "--map", "states.csv", "--map-title", "Test <map>", "--out", "m.svg"]);
    assert!(err.contains("wrote m.svg"), "{err}");
    let svg = wd.read("m.svg");
    crate::well_formed(&svg);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "standalone SVG declares its namespace");
    assert!(svg.contains("California (06): 12.5") && svg.contains("New York (36): 1,200") && svg.contains("Washington (53): no data"));
    assert!(svg.contains("Test &lt;map&gt;"));
    assert_eq!(svg.matches("<path d=").count(), 51);

    // In a brief, after the charts.
    wd.ok(&["report", "--population", "1000", "--map", "states.csv", "--map-format", "money", "--out", "b.html"]);
    let html = wd.read("b.html");
    crate::well_formed(&html);
    assert_offline(&html);
    assert!(html.contains("California (06): $12.50") && html.contains("Values from states.csv"));

    // Counties of one state with fixed bins; unknown GEOIDs are reported.
    wd.write("counties.csv", b"geoid,value\n06001,3\n06075,7\n99999,1\n");
    let err = wd.ok_stderr(&["report", "--map", "counties.csv", "--map-state", "6", "--map-breaks", "2,5", "--out", "c.svg"]);
    assert!(err.contains("1 GEOID(s)") && err.contains("99999"), "{err}");
    let svg = wd.read("c.svg");
    assert_eq!(svg.matches("<path d=").count(), 58);
    assert!(svg.contains("2 – under 5"));

    // Bad files say where and why.
    wd.write("nocol.csv", b"fips,amount\n06,1\n");
    assert!(wd.fails(&["report", "--map", "nocol.csv", "--out", "x.svg"]).contains("`geoid` and `value`"));
    wd.write("badval.csv", b"geoid,value\n06,1\n41,lots\n");
    let e = wd.fails(&["report", "--map", "badval.csv", "--out", "x.svg"]);
    assert!(e.contains("line 3") && e.contains("lots"), "{e}");
    wd.write("mixed.csv", b"geoid,value\n06,1\n06001,2\n");
    assert!(wd.fails(&["report", "--map", "mixed.csv", "--out", "x.svg"]).contains("not a mix"));
    wd.write("dup.csv", b"geoid,value\n06,1\n6,2\n");
    assert!(wd.fails(&["report", "--map", "dup.csv", "--out", "x.svg"]).contains("twice"));
    assert!(wd.fails(&["report", "--map", "states.csv", "--map-breaks", "5,x", "--out", "x.svg"]).contains("--map-breaks"));
    assert!(wd.fails(&["report", "--map", "states.csv", "--map-breaks", "5,1", "--out", "x.svg"]).contains("increasing"));
    assert!(wd.fails(&["report", "--map", "states.csv", "--map-state", "06", "--out", "x.svg"]).contains("state GEOIDs"));
    assert!(wd.fails(&["report", "--format", "svg", "--out", "x.svg"]).contains("--map"));
}

#[test]
fn formats_follow_the_extension_and_errors_are_clear() {
    let wd = Workdir::new("formats");
    let html = wd.ok(&["report", "--population", "1000"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "HTML to stdout by default");
    let md = wd.ok(&["report", "--population", "1000", "--format", "md"]);
    assert!(md.starts_with("# Safety gap plan"));
    assert_eq!(md, wd.ok(&["plan", "--population", "1000", "--format", "markdown"]), "one memo renderer");
    wd.ok(&["report", "--population", "1000", "--format", "markdown", "--out", "memo.txt"]);
    assert!(wd.read("memo.txt").starts_with("# Safety gap plan"));

    assert!(wd.fails(&["report", "--population", "1000", "--format", "xlsx"]).contains("--out FILE.xlsx"));
    assert!(wd.fails(&["report", "--population", "1000", "--out", "b.pdf"]).contains("PDF is not built in"));
    assert!(wd.fails(&["report", "--population", "1000", "--out", "b.doc"]).contains(".html, .xlsx, .md or .svg"));
    assert!(wd.fails(&["report", "--population", "1000", "--format", "xlsx", "--out", "b.html"]).contains("does not match"));
    assert!(wd.fails(&["report", "--out", "b.html"]).contains("population"));
    assert!(wd.fails(&["report", "--population", "1000", "--out", "no/such/dir/b.html"]).contains("cannot write"));
}

#[test]
fn simulated_intervals_replace_the_whiskers() {
    let wd = Workdir::new("sim");
    let run = |out: &str| {
        wd.ok(&args(&["report"], &args(&CITY, &["--simulate", "500", "--seed", "7", "--out", out])));
        wd.read(out)
    };
    let html = run("a.html");
    crate::well_formed(&html);
    assert_offline(&html);
    assert!(html.contains("A Monte Carlo simulation of every ranged input (500 draws"), "sentence");
    assert!(html.contains("seed 7"));
    assert!(html.contains("whiskers: simulated 5th to 95th percentile"), "chart description");
    assert_eq!(html, run("b.html"), "same seed, same brief");
    let md = wd.ok(&args(&["report"], &args(&CITY, &["--simulate", "500", "--format", "markdown"])));
    assert!(md.contains("P5") || md.contains("percentile"), "memo gets the simulation section");
}
