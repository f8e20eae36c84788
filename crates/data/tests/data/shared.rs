//! What the test modules share: the real files in `shared/data/`,
//! scratch directories and directory snapshots. The CLI's tests include
//! this file too (`#[path]`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The shared data folder: `<repo>/../shared/data` (where CI clones the
/// repository), else `$SAFETYGAP_SHARED_DATA`. Missing both is a test
/// failure with one message that says what to put there.
pub fn shared_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        if beside.is_dir() {
            return beside;
        }
        match std::env::var_os("SAFETYGAP_SHARED_DATA").map(PathBuf::from) {
            Some(d) if d.is_dir() => d,
            given => panic!(
                "the shared data files are missing: put the `shared` folder beside the repository (so that {} exists, with census/, crime/, corrections/, incidents/ and violence/ as listed in shared/data/README.md), or set SAFETYGAP_SHARED_DATA to that data folder{}",
                beside.display(),
                given.map(|d| format!(" (it is set to {}, which is not a folder)", d.display())).unwrap_or_default()
            ),
        }
    })
}

/// A file of the shared data folder, as the path text the tests pass around.
macro_rules! shared {
    ($(#[$doc:meta])* $name:ident, $rel:literal) => {
        $(#[$doc])*
        pub fn $name() -> &'static str {
            static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            PATH.get_or_init(|| shared_dir().join($rel).to_string_lossy().into_owned())
        }
    };
}

shared!(
    /// Census county and state estimates, Vintage 2023.
    co_est_2023,
    "census/co-est2023-alldata.csv"
);
shared!(
    /// Census city and town estimates, Vintage 2019.
    sub_est_2019,
    "census/sub-est2019_all.csv"
);
shared!(
    /// FBI state estimated crimes 1979-2023.
    fbi,
    "crime/estimated_crimes_1979_2023.csv"
);
shared!(
    /// BJS Prisoners in 2022, table 9 (releases).
    bjs_releases,
    "corrections/p22stt09.csv"
);
shared!(
    /// BJS Prisoners in 2022, table 8 (admissions).
    bjs_admissions,
    "corrections/p22stt08.csv"
);

/// A fresh, empty directory under the system temp dir, unique per call.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("safetygap-data-test-{}-{tag}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
shared!(
    /// FBI Crime in the United States 2018, Table 8 (offenses by city).
    fbi_table8,
    "crime/fbi_table8_2018/offenses_city.csv"
);
shared!(
    /// The shared data directory itself.
    shared_data,
    ""
);
shared!(
    /// NYPD shooting incidents 2006-2018 (one row per victim × suspect pair).
    nypd_shootings,
    "incidents/NYPD_Shooting_Incident_Data__Historic_.csv"
);
shared!(
    /// County Health Rankings v015 (homicide deaths 2017-2023) and v148 (firearm deaths 2019-2023).
    chr_v015,
    "violence/v015_r2026.csv"
);
shared!(
    /// County Health Rankings v148.
    chr_v148,
    "violence/v148_r2026.csv"
);

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
shared!(
    /// Urban Institute crime rates by county and by place, 2021-2023, with quality flags.
    urban_county_rates,
    "crime/urban/rates_crime_county_all.csv"
);
shared!(
    /// Urban Institute crime rates by place.
    urban_place_rates,
    "crime/urban/rates_crime_place_all.csv"
);
