//! Issue 12: each reproduction from the outside attack on the release
//! build, run against the real binary.

use crate::workdir::Workdir;

/// Row 1/3's 192-byte override: finite values whose product overflows.
const OVERFLOW: &[u8] = b"[[benchmark]]\nid=\"psychiatric_bed\"\nratio={per=1e-300,low=1e300,mid=1e300,high=1e300}\nevidence=\"published\"\ncitations=[\"x\"]\n";

/// Row 3: `plan`, `budget`, `sensitivity` and `catalog validate` printed
/// "$infB" / NaN or said valid; each now refuses the catalog, naming the
/// benchmark and field.
#[test]
fn an_overflowing_catalog_is_refused_by_every_command() {
    let wd = Workdir::new("ovf");
    wd.write("ovf.toml", OVERFLOW);
    for args in [
        &["plan", "--population", "100000", "--catalog", "ovf.toml"][..],
        &["plan", "--population", "100000", "--catalog", "ovf.toml", "--format", "json"],
        &["budget", "--amount", "1000000", "--population", "100000", "--catalog", "ovf.toml"],
        &["sensitivity", "--population", "100000", "--catalog", "ovf.toml"],
        &["catalog", "validate", "ovf.toml"],
    ] {
        let out = wd.cmd(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} accepted the catalog:\n{}", String::from_utf8_lossy(&out.stdout));
        assert!(err.contains("benchmark `psychiatric_bed`, field `ratio`"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Row 9: `--population` and `--set population=` together are refused, as
/// the API refuses "given twice".
#[test]
fn population_given_twice_is_refused() {
    let wd = Workdir::new("pop-twice");
    let err = wd.fails(&["plan", "--population", "100000", "--set", "population=5000"]);
    assert!(err.contains("given twice"), "{err}");
    // Either alone still works.
    wd.ok(&["plan", "--population", "100000", "--format", "json"]);
}

/// Row 10: names with escape codes, line breaks, separators or bidi
/// overrides are refused.
#[test]
fn names_with_controls_separators_or_bidi_overrides_are_refused() {
    let wd = Workdir::new("names");
    for name in ["a\u{1b}[31mRED\nline2", "evil\u{202e}fdp.exe", "a\u{2028}b", "a\u{2029}b"] {
        let err = wd.fails(&["plan", "--population", "1000", "--name", name]);
        assert!(err.contains("--name contains"), "{name:?}: {err}");
        assert!(!err.contains('\u{1b}'), "the escape code is echoed back: {err:?}");
    }
    let plan = wd.json(&["plan", "--population", "1000", "--name", "Saint-Étienne", "--format", "json"]);
    assert_eq!(plan["jurisdiction"]["name"], "Saint-Étienne");
}

/// Row 11: `--vintage abc` or `99999` was stored.
#[test]
fn vintage_must_be_a_year() {
    let wd = Workdir::new("vintage");
    wd.write("x.csv", b"geoid,homicides\n06001,90\n");
    for v in ["abc", "99999"] {
        let err = wd.fails(&["data", "import", "x.csv", "--kind", "drivers", "--vintage", v]);
        assert!(err.contains("is not a year"), "{v}: {err}");
    }
    assert!(!wd.data_dir().join("manifest.json").exists() || !wd.read("xdg-data/safetygap/manifest.json").contains("abc"));
    wd.ok(&["data", "import", "x.csv", "--kind", "drivers", "--vintage", "2024"]);
}

/// Row 12: extra columns, a repeated `quantity` column and an unclosed
/// quote were ignored or misreported.
#[test]
fn inventory_files_are_read_strictly() {
    let wd = Workdir::new("inv-strict");
    let cases: [(&str, &[u8], &str); 5] = [
        ("extra.csv", b"program,quantity\ndv_shelter_bed,12,oops\n", "3 fields but the header has 2"),
        ("twice.csv", b"program,quantity,quantity\ndv_shelter_bed,12,99\n", "`quantity` twice"),
        ("quote.csv", b"program,quantity,source\ndv_shelter_bed,12,\"County\ncvi_mediator,3,x\n", "closing `\"` is missing"),
        // Found re-running the table: a quote left open on the last line
        // was read as the figure (trimming dropped the run-on newline).
        ("quote-end.csv", b"program,quantity\ndv_shelter_bed,\"3\n", "line 2: a quoted field opened on this line is never closed"),
        ("unknown.csv", b"program,quantity,verfied\ndv_shelter_bed,12,yes\n", "column `verfied`"),
    ];
    for (name, text, want) in cases {
        wd.write(name, text);
        let err = wd.fails(&["plan", "--population", "100000", "--inventory", name]);
        assert!(err.contains(want), "{name}: {err}");
        assert!(err.contains(name), "{name}: the file is not named: {err}");
    }
    wd.write("empty.csv", b"program,quantity\ndv_shelter_bed,\n");
    let err = wd.fails(&["plan", "--population", "100000", "--inventory", "empty.csv"]);
    assert!(err.contains("quantity is empty"), "{err}");
    wd.write("value.toml", b"dv_shelter_bed = 12\n");
    let err = wd.fails(&["plan", "--population", "100000", "--inventory", "value.toml"]);
    assert!(!err.contains("struct Raw"), "{err}");
}

/// Row 13: `--db /etc/passwd` said "file is not a database" without the
/// path.
#[test]
fn a_database_that_cannot_be_used_is_named() {
    let wd = Workdir::new("db-path");
    let not_db = wd.write("notes.txt", &[b'x'; 4096]);
    let out = wd.cmd(&["serve", "--addr", "127.0.0.1:0", "--db", not_db.to_str().unwrap()]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains(not_db.to_str().unwrap()), "{err}");
}

/// Row 6: 200 benchmarks and `--simulate 1000000` tried a 3.4 GB
/// allocation and aborted; now a clean error gives this catalog's limit.
#[test]
fn the_draw_limit_scales_with_the_catalog() {
    let wd = Workdir::new("draws");
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!(
            "[[benchmark]]\nid = \"extra_{i}\"\ngap_area = \"reentry\"\nname = \"Extra {i}\"\ndescription = \"d\"\nunit = \"slots\"\ndriver = \"population\"\nratio = {{ per = 100000, low = 1, mid = 2, high = 3 }}\nevidence = \"assumption\"\ncitations = [\"x\"]\nannual_cost = {{ low = 1, mid = 2, high = 3, year = 2023, evidence = \"assumption\", citations = [\"x\"] }}\n\n"
        ));
    }
    wd.write("wide.toml", text.as_bytes());
    let err = wd.fails(&["plan", "--population", "100000", "--catalog", "wide.toml", "--simulate", "1000000"]);
    assert!(err.contains("use at most"), "{err}");
}

/// Issue 12 (tests): the API's "equals the CLI" claim, black-box: the real
/// binary serving on an ephemeral port, against `safetygap plan --format
/// json` run as a separate process, both with the same empty data
/// directory.
#[test]
fn the_served_api_equals_the_cli_process() {
    use std::io::{BufRead, BufReader, Read, Write};
    let wd = Workdir::new("serve-vs-cli");
    let mut server = wd
        .cmd(&["serve", "--addr", "127.0.0.1:0", "--db", ":memory:"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.split("listening on http://").nth(1).map(|a| a.trim_end_matches('/').to_string()))
        .expect("the server prints its address");
    let post = |body: &str| -> serde_json::Value {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            s,
            "POST /api/plan HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut res = String::new();
        s.read_to_string(&mut res).unwrap();
        let (head, body) = res.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}\n{body}");
        serde_json::from_str(body).unwrap()
    };
    for (api, cli) in [
        (r#"{"geoid":"06001"}"#, &["plan", "--geoid", "06001", "--format", "json"][..]),
        (
            r#"{"population":250000,"name":"Testville","drivers":{"homicides":40}}"#,
            &["plan", "--population", "250000", "--name", "Testville", "--set", "homicides=40", "--format", "json"],
        ),
        // Issue 11: the web page's tier and payer are the CLI's.
        (
            r#"{"geoid":"06001","payer":"city","tier":"goal"}"#,
            &["plan", "--geoid", "06001", "--format", "json", "--payer", "city", "--tier", "goal"],
        ),
        (
            r#"{"geoid":"0653000","dollar_year":2019,"inventory_defaults":"state","tier":"floor","payer":"medicaid"}"#,
            &[
                "plan",
                "--geoid",
                "0653000",
                "--format",
                "json",
                "--dollar-year",
                "2019",
                "--inventory-defaults",
                "state",
                "--tier",
                "floor",
                "--payer",
                "medicaid",
            ],
        ),
    ] {
        let mut served = post(api);
        let mut printed = wd.json(cli);
        // The source text of a figure says where it was typed.
        for v in [&mut served, &mut printed] {
            for d in v["drivers"].as_array_mut().unwrap() {
                d["source"] = serde_json::Value::Null;
            }
            v["input_hash"] = serde_json::Value::Null;
        }
        assert_eq!(served, printed, "{api}");
        if api.contains("payer") {
            assert!(
                served["payer_view"]["annual_cost"].is_object() && served["cost_by_payer"].as_array().is_some_and(|a| !a.is_empty()),
                "{api}"
            );
        }
    }
    let _ = server.kill();
    let _ = server.wait();
}
