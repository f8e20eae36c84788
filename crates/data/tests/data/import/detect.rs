//! Detection and dispatch.

use super::*;

#[test]
pub(super) fn detects_every_real_file_from_content() {
    let cases = [
        (co_est_2023(), ImportKind::CensusCounties),
        (sub_est_2019(), ImportKind::CensusSubcounty),
        (fbi(), ImportKind::FbiEstimatedCrimes),
        (bjs_releases(), ImportKind::BjsPrisoners),
        (bjs_admissions(), ImportKind::BjsPrisoners),
    ];
    for (path, kind) in cases {
        let bytes = read(path);
        let head = &bytes[..bytes.len().min(4096)];
        // Renamed: the content alone decides.
        assert_eq!(detect_kind("download (3).csv", head), Some(kind), "{path}");
        // Only a few bytes: still the header line.
        assert_eq!(detect_kind("x.csv", &bytes[..bytes.len().min(1500)]), Some(kind), "{path}");
    }
    assert_eq!(detect_kind("mine.csv", b"GEOID,population\n06,1\n"), Some(ImportKind::Drivers));
    // No content to go by: the official file name decides.
    assert_eq!(detect_kind("co-est2022-alldata.csv", b""), Some(ImportKind::CensusCounties));
    assert_eq!(detect_kind("SUB-EST2020_ALL.csv", b""), Some(ImportKind::CensusSubcounty));
    assert_eq!(detect_kind("p23stt09.csv", b""), Some(ImportKind::BjsPrisoners));
    assert_eq!(detect_kind("mystery.csv", b"a,b,c\n1,2,3\n"), None);
    // Content wins over a misleading name.
    assert_eq!(detect_kind("co-est2023-alldata.csv", &read(fbi())[..2000]), Some(ImportKind::FbiEstimatedCrimes));
}

#[test]
pub(super) fn import_file_dispatches_paths_and_bytes() {
    match import_file(co_est_2023(), None).unwrap() {
        Imported::CensusCounties(est) => {
            assert_eq!(est.get("06037").unwrap().population, 9_663_345)
        }
        other => panic!("wrong kind {:?}", other.kind()),
    }
    let bytes = read(bjs_releases());
    let imported = import_file(("download.csv", bytes.as_slice()), None).unwrap();
    assert_eq!(imported.kind(), ImportKind::BjsPrisoners);
    match imported {
        Imported::BjsPrisoners(t) => assert_eq!(t.file, "download.csv"),
        _ => unreachable!(),
    }
    let path = PathBuf::from(fbi());
    assert_eq!(import_file(&path, Some(ImportKind::FbiEstimatedCrimes)).unwrap().kind(), ImportKind::FbiEstimatedCrimes);
    assert_eq!(import_file(sub_est_2019(), None).unwrap().kind(), ImportKind::CensusSubcounty);

    // Forcing the wrong kind is refused with an explanation.
    let e = import_file(fbi(), Some(ImportKind::CensusCounties)).unwrap_err();
    assert!(matches!(e, ImportError::MissingColumns { .. }), "{e}");
}

#[test]
pub(super) fn unknown_and_unreadable_inputs() {
    let e = import_bytes("mystery.csv", b"a,b,c\n1,2,3\n", None).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, ImportError::UnknownKind { .. }), "{msg}");
    assert!(msg.contains("\"a,b,c\"") && msg.contains("census-counties"), "{msg}");

    let e = import_file("/nonexistent/dir/co-est2023-alldata.csv", None).unwrap_err();
    assert!(matches!(e, ImportError::Io { .. }), "{e}");
    assert!(e.to_string().contains("co-est2023-alldata.csv"), "{e}");

    let dir = temp_dir("import");
    let empty = dir.join("co-est2023-alldata.csv");
    std::fs::write(&empty, b"").unwrap();
    let e = import_file(&empty, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "co-est2023-alldata.csv: the file is empty; it was probably not downloaded \
         completely, so download it again"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
pub(super) fn every_importer_rejects_empty_and_binary_input() {
    let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00";
    let mut garbage = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..5000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage.push((x >> 24) as u8);
    }
    let html = b"\n<!DOCTYPE html><html><body>404 Not Found</body></html>";
    for kind in ImportKind::ALL {
        let e = import_bytes("f.csv", b"", Some(kind)).unwrap_err();
        assert!(matches!(e, ImportError::Empty { .. }), "{kind}: {e}");
        let e = import_bytes("f.csv", b"\r\n  \r\n", Some(kind)).unwrap_err();
        assert!(matches!(e, ImportError::Empty { .. }), "{kind}: {e}");
        let e = import_bytes("f.csv", xlsx, Some(kind)).unwrap_err();
        assert!(e.to_string().contains("save the sheet as CSV"), "{kind}: {e}");
        let e = import_bytes("f.csv", &garbage, Some(kind)).unwrap_err();
        assert!(matches!(e, ImportError::NotText { .. }), "{kind}: {e}");
        let e = import_bytes("f.csv", html, Some(kind)).unwrap_err();
        assert!(e.to_string().contains("web page"), "{kind}: {e}");
    }
    let e = import_bytes("f.csv", &garbage, None).unwrap_err();
    assert!(matches!(e, ImportError::NotText { .. }), "{e}");
}
