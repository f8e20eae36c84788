//! Writes the embedded gazetteer's lookup indexes at compile time, so that a
//! single lookup (`plan "Oakland, CA"`) reads a few rows of the embedded
//! CSV instead of parsing all ~34,700 of them at start-up.
//!
//! Items are numbered as the gazetteer numbers them: 0 the nation, then the
//! rows of `states.csv`, `counties.csv` and `places.csv` in file order. The
//! files written to `OUT_DIR` (little-endian `u32` arrays, and text blobs):
//!
//! - `counts.rs`: the number of states, counties and places;
//! - `rows.bin`: each item's byte offset in its CSV file (0 for the nation);
//! - `keys.txt` + `key_off.bin`: each item's normalized name
//!   (`names::normalize`), item `i` at `key_off[i]..key_off[i + 1]`;
//! - `aliases.txt` + `alias_off.bin`: each item's normalized short name
//!   ("alameda" for Alameda County), empty if none;
//! - `exact.bin`: counties and places sorted by name key;
//! - `alias_idx.bin`: items with a short name, sorted by it;
//! - `by_geoid.bin`: items 1.. sorted by GEOID;
//! - `county_places.bin` + `county_place_off.bin`: the places with residents
//!   in each county (county `k`, in file order, at
//!   `county_place_off[k]..county_place_off[k + 1]`), in item order: a place
//!   within one county under its `county_geoid`, a place spanning counties
//!   under each county `place_counties.csv` gives it a share of (over 0).
//!
//! A malformed row fails the build, naming the file and line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/embedded/names.rs"]
mod names;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../data/embedded");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/embedded/names.rs");
    for f in ["states.csv", "counties.csv", "places.csv", "place_counties.csv"] {
        println!("cargo:rerun-if-changed={}", dir.join(f).display());
    }

    // (geoid, row offset, key, alias) per item.
    let mut items: Vec<(String, u32, String, String)> = vec![("US".into(), 0, names::normalize("United States"), String::new())];
    let states = rows(&dir, "states.csv", "geoid,abbr,name,population,poverty,poverty_universe");
    for (off, f) in &states {
        items.push((f[0].clone(), *off, names::normalize(&f[2]), String::new()));
    }
    let counties = rows(&dir, "counties.csv", "geoid,state_fips,name,population,poverty,poverty_universe");
    for (off, f) in &counties {
        let key = names::normalize(&f[2]);
        let alias = names::county_alias(&key).unwrap_or_default();
        items.push((f[0].clone(), *off, key, alias));
    }
    let places =
        rows(&dir, "places.csv", "geoid,name,alias,legal,type,state_fips,county_geoid,population,population_vintage,land_sqmi,lat,lon");
    for (off, f) in &places {
        let key = names::normalize(&f[1]);
        let alias = if f[2].is_empty() { names::place_alias(&key).unwrap_or_default() } else { names::normalize(&f[2]) };
        items.push((f[0].clone(), *off, key, alias));
    }

    let n = items.len();
    let counties_start = 1 + states.len();
    let mut exact: Vec<usize> = (counties_start..n).collect();
    exact.sort_by(|&a, &b| items[a].2.cmp(&items[b].2));
    let mut alias: Vec<usize> = (0..n).filter(|&i| !items[i].3.is_empty()).collect();
    alias.sort_by(|&a, &b| items[a].3.cmp(&items[b].3));
    let mut by_geoid: Vec<usize> = (1..n).collect();
    by_geoid.sort_by(|&a, &b| items[a].0.cmp(&items[b].0));
    for w in by_geoid.windows(2) {
        assert!(items[w[0]].0 != items[w[1]].0, "data/embedded: duplicate GEOID {}", items[w[0]].0);
    }

    let blob = |pick: fn(&(String, u32, String, String)) -> &String| {
        let mut text = String::new();
        let mut offs = Vec::with_capacity(n + 1);
        for it in &items {
            offs.push(text.len());
            text.push_str(pick(it));
        }
        offs.push(text.len());
        (text, offs)
    };
    let (keys, key_off) = blob(|it| &it.2);
    let (aliases, alias_off) = blob(|it| &it.3);
    write(&out, "keys.txt", keys.as_bytes());
    write(&out, "aliases.txt", aliases.as_bytes());
    write(&out, "key_off.bin", &le(key_off.iter().copied()));
    write(&out, "alias_off.bin", &le(alias_off.iter().copied()));
    write(&out, "rows.bin", &le(items.iter().map(|it| it.1 as usize)));
    write(&out, "exact.bin", &le(exact.iter().copied()));
    write(&out, "alias_idx.bin", &le(alias.iter().copied()));
    write(&out, "by_geoid.bin", &le(by_geoid.iter().copied()));
    let (county_places, county_place_off) = county_places(&dir, 1 + states.len(), &counties, &places);
    write(&out, "county_places.bin", &le(county_places.into_iter()));
    write(&out, "county_place_off.bin", &le(county_place_off.into_iter()));
    let mut counts = String::new();
    let _ = writeln!(counts, "const N_STATES: usize = {};", states.len());
    let _ = writeln!(counts, "const N_COUNTIES: usize = {};", counties.len());
    let _ = writeln!(counts, "const N_PLACES: usize = {};", places.len());
    write(&out, "counts.rs", counts.as_bytes());
}

type Rows = [(u32, Vec<String>)];

/// Each county's places (item numbers), concatenated, and where each
/// county's start: see the module's doc.
fn county_places(dir: &Path, first_county: usize, counties: &Rows, places: &Rows) -> (Vec<usize>, Vec<usize>) {
    let spans = rows(dir, "place_counties.csv", "place_geoid,county_geoid,share,population_2020");
    let county_k: std::collections::HashMap<&str, usize> = counties.iter().enumerate().map(|(k, (_, f))| (f[0].as_str(), k)).collect();
    let first_place = first_county + counties.len();
    let place_item: std::collections::HashMap<&str, usize> =
        places.iter().enumerate().map(|(k, (_, f))| (f[0].as_str(), first_place + k)).collect();
    let spanning: std::collections::HashSet<&str> = spans.iter().map(|(_, f)| f[0].as_str()).collect();
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); counties.len()];
    for (k, (_, f)) in places.iter().enumerate() {
        if let (false, Some(&c)) = (spanning.contains(f[0].as_str()), county_k.get(f[6].as_str())) {
            lists[c].push(first_place + k);
        }
    }
    for (_, f) in &spans {
        let share: f64 = f[2].parse().unwrap_or_else(|_| panic!("data/embedded/place_counties.csv: share {:?}", f[2]));
        if let (true, Some(&c), Some(&p)) = (share > 0.0, county_k.get(f[1].as_str()), place_item.get(f[0].as_str())) {
            lists[c].push(p);
        }
    }
    let mut all = Vec::new();
    let mut off = vec![0];
    for mut l in lists {
        l.sort_unstable();
        l.dedup();
        all.extend(l);
        off.push(all.len());
    }
    (all, off)
}

fn le(values: impl Iterator<Item = usize>) -> Vec<u8> {
    values.flat_map(|v| u32::try_from(v).expect("index fits in u32").to_le_bytes()).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    // Unchanged files keep their time stamp, so nothing recompiles needlessly.
    if std::fs::read(&path).ok().as_deref() != Some(bytes) {
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

/// The data rows of an embedded CSV file as (byte offset of the row, fields),
/// header and field count checked.
fn rows(dir: &Path, file: &str, header: &str) -> Vec<(u32, Vec<String>)> {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("data/embedded/{file}: {e}"));
    let width = header.split(',').count();
    let mut out = Vec::new();
    let mut off = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = off;
        off += line.len();
        let line = line.trim_end_matches('\n');
        assert!(!line.ends_with('\r'), "data/embedded/{file} line {}: CRLF line ending", i + 1);
        if i == 0 {
            assert_eq!(line, header, "data/embedded/{file}: header");
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let f = split(line);
        assert_eq!(f.len(), width, "data/embedded/{file} line {}: {} fields, expected {width}", i + 1, f.len());
        assert!(!f[0].is_empty() && f[0].bytes().all(|b| b.is_ascii_digit()), "data/embedded/{file} line {}: GEOID {:?}", i + 1, f[0]);
        out.push((u32::try_from(start).expect("file under 4 GB"), f));
    }
    out
}

/// One CSV line's fields (quoted when they hold a comma or quote).
fn split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}
