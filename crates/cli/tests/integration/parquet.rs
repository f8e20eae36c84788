//! `safetygap batch --out FILE.parquet` (feature `parquet`): read back with
//! pyarrow (installed by .ci/run) and compared cell by cell with the CSV of
//! the same batch: the same rows and columns, typed, nulls where the CSV is
//! empty, figures equal to the CSV's after rounding to cents.

use crate::workdir::Workdir;
use std::process::Command;

const CHECK: &str = r#"
import csv, json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
meta = {k.decode(): v.decode() for k, v in (pq.read_metadata(sys.argv[1]).metadata or {}).items()}
types = {f.name: str(f.type) for f in t.schema}
assert list(types) == list(rows[0].keys()), (list(types), list(rows[0].keys()))
assert t.num_rows == len(rows), (t.num_rows, len(rows))
cols = t.to_pydict()
bad = 0
for i, r in enumerate(rows):
    for name, text in r.items():
        v = cols[name][i]
        if text == "":
            ok = v is None
        elif types[name] == "double":
            # The CSV rounds to cents (coverage to 4 decimals).
            tol = 0.00005 if name == "coverage" else 0.005
            ok = v is not None and abs(v - float(text)) <= tol * (1 + 1e-9) + 1e-9 * abs(v)
        elif types[name] == "int32":
            ok = v == int(text)
        else:
            ok = v == text
        if not ok:
            bad += 1
            if bad < 5:
                print("mismatch", i, name, repr(text), repr(v), file=sys.stderr)
assert bad == 0, bad
print(json.dumps({"rows": t.num_rows, "types": types, "meta": meta}))
"#;

#[test]
fn parquet_reads_back_in_pyarrow_as_the_csv_typed() {
    let probe = Command::new("python3").args(["-c", "import pyarrow"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI is set but pyarrow is missing: .ci/run installs it");
        eprintln!("skipping: pyarrow not installed (pip install pyarrow)");
        return;
    }
    let wd = Workdir::new("parquet_states");
    wd.ok(&["batch", "--level", "state", "--out", "s.parquet"]);
    wd.ok(&["batch", "--level", "state", "--out", "s.csv"]);
    wd.write("check.py", CHECK.as_bytes());
    let out = Command::new("python3").current_dir(&wd.dir).args(["check.py", "s.parquet", "s.csv"]).output().unwrap();
    assert!(
        out.status.success(),
        "pyarrow check failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["types"]["annual_cost_mid"], "double");
    assert_eq!(v["types"]["quality_grade"], "int32");
    assert_eq!(v["types"]["jurisdiction_id"], "string");
    assert!(v["meta"]["title"].as_str().unwrap().contains("Every state"), "{}", v["meta"]);
    // Compressed: smaller than the CSV of the same rows.
    let (pq, csv) = (std::fs::metadata(wd.dir.join("s.parquet")).unwrap().len(), std::fs::metadata(wd.dir.join("s.csv")).unwrap().len());
    assert!(pq * 4 < csv, "parquet {pq} bytes, CSV {csv}");
}
