//! What the test modules share: the real files in `shared/data/`,
//! scratch directories and directory snapshots. The CLI's tests include
//! this file too (`#[path]`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

macro_rules! shared {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/", $rel)
    };
}

/// Census county and state estimates, Vintage 2023.
pub const CO_EST_2023: &str = shared!("census/co-est2023-alldata.csv");
/// Census city and town estimates, Vintage 2019.
pub const SUB_EST_2019: &str = shared!("census/sub-est2019_all.csv");
/// FBI state estimated crimes 1979-2023.
pub const FBI: &str = shared!("crime/estimated_crimes_1979_2023.csv");
/// BJS Prisoners in 2022, table 9 (releases).
pub const BJS_RELEASES: &str = shared!("corrections/p22stt09.csv");
/// BJS Prisoners in 2022, table 8 (admissions).
pub const BJS_ADMISSIONS: &str = shared!("corrections/p22stt08.csv");

/// A fresh, empty directory under the system temp dir, unique per call.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("safetygap-data-test-{}-{tag}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
/// FBI Crime in the United States 2018, Table 8 (offenses by city).
pub const FBI_TABLE8: &str = shared!("crime/fbi_table8_2018/offenses_city.csv");
/// The shared data directory itself.
pub const SHARED_DATA: &str = shared!("");
/// NYPD shooting incidents 2006-2018 (one row per victim × suspect pair).
pub const NYPD_SHOOTINGS: &str = shared!("incidents/NYPD_Shooting_Incident_Data__Historic_.csv");
/// County Health Rankings v015 (homicide deaths 2017-2023) and v148 (firearm deaths 2019-2023).
pub const CHR_V015: &str = shared!("violence/v015_r2026.csv");
/// County Health Rankings v148.
pub const CHR_V148: &str = shared!("violence/v148_r2026.csv");

/// Every file under a directory with its bytes, sorted, to show that a
/// failed operation changed nothing.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
/// Urban Institute crime rates by county and by place, 2021-2023, with quality flags.
pub const URBAN_COUNTY_RATES: &str = shared!("crime/urban/rates_crime_county_all.csv");
/// Urban Institute crime rates by place.
pub const URBAN_PLACE_RATES: &str = shared!("crime/urban/rates_crime_place_all.csv");
