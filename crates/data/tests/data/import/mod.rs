//! The importers against the real published files in `shared/data/`, and
//! against the broken inputs users actually produce.

use crate::shared::*;
use std::collections::HashMap;
use std::path::PathBuf;

use safetygap_data::import::bjs::{self, BjsMeasure, Jurisdiction};
use safetygap_data::import::census::{self, GeoLevel};
use safetygap_data::import::{detect_kind, drivers, fbi, import_bytes, import_file, subcounty, ImportError, ImportKind, Imported};

mod bjs_tables;
mod city_estimates;
mod county_estimates;
mod detect;
mod driver_files;
mod fbi_crimes;
mod no_panic;

pub(super) fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Replaces the `col`-th (0-based) field of 1-based line `line`; the real
/// files have no quoted commas on the lines this is used on.
pub(super) fn replace_field(bytes: &[u8], line: usize, col: usize, value: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut fields: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    fields[col] = value.to_string();
    lines[line - 1] = fields.join(",");
    lines.join("\n").into_bytes()
}

pub(super) fn find_bytes(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)))
}

/// Replaces the first occurrence of `from`, byte for byte (BJS files are
/// not UTF-8, so no string round trip).
pub(super) fn replace_bytes(hay: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = find_bytes(hay, from.as_bytes());
    let mut out = hay[..at].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&hay[at + from.len()..]);
    out
}
