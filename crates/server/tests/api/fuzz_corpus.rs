//! Fuzz corpus.

use super::*;

/// The fuzz targets' entry points (fuzz/src/lib.rs), compiled here on the
/// stable toolchain.
#[path = "../../../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_entries;

/// Replays every committed fuzz input (the seed corpus and the minimised
/// inputs that once crashed, `fuzz/seeds/<target>/` and
/// `fuzz/regressions/<target>/`) through the same entry points the fuzzer
/// runs, so a regression fails `cargo test` without nightly.
#[test]
pub(super) fn fuzz_corpus_replays_without_a_crash() {
    hermetic();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    for (target, run) in fuzz_entries::TARGETS {
        let mut n = 0;
        for dir in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                let bytes = std::fs::read(&f).unwrap();
                let r = std::panic::catch_unwind(|| run(&bytes));
                assert!(r.is_ok(), "fuzz input {} crashes target `{target}`", f.display());
                n += 1;
            }
        }
        assert!(n > 0, "no committed inputs for fuzz target `{target}`");
    }
}
