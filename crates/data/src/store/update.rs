//! Downloading the current official files (`safetygap data update`).
//!
//! The files are fetched over HTTPS into memory (never more than
//! [`MAX_DOWNLOAD_BYTES`]), run through the same importer as `data import`,
//! and only then stored, atomically; any failure leaves the stored data as
//! it was. Plain `http://` is accepted only for the loopback addresses, so
//! tests can serve files from a local server.

use std::io::Read;
use std::time::Duration;

use super::{prepare, ImportOptions, SourceEntry, Store, StoreError};
use crate::embedded::Gazetteer;
use crate::import::ImportKind;

/// A file `data update` knows how to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateSource {
    /// The importer that checks and reads it.
    pub kind: ImportKind,
    /// Its official file name; with `--url-base B` it is fetched from
    /// `B/<file>`.
    pub file: &'static str,
    /// Its official address.
    pub url: &'static str,
}

/// The official files `data update` fetches, newest vintage published at
/// the time of this release: the Census Bureau's Vintage 2024 county and
/// state estimates, and its city and town estimates. A mirror can be used
/// with `--url-base`, which must serve the same file names.
pub const UPDATE_SOURCES: [UpdateSource; 2] = [
    UpdateSource {
        kind: ImportKind::CensusCounties,
        file: "co-est2024-alldata.csv",
        url: "https://www2.census.gov/programs-surveys/popest/datasets/2020-2024/counties/totals/co-est2024-alldata.csv",
    },
    UpdateSource {
        kind: ImportKind::CensusSubcounty,
        file: "sub-est2024.csv",
        url: "https://www2.census.gov/programs-surveys/popest/datasets/2020-2024/cities/totals/sub-est2024.csv",
    },
];

/// The largest download accepted: the official files are a few megabytes.
pub const MAX_DOWNLOAD_BYTES: u64 = 64 * 1024 * 1024;

/// The address to fetch `source` from: its official URL, or `base/<file>`.
pub fn url_for(source: &UpdateSource, base: Option<&str>) -> String {
    match base {
        Some(b) => format!("{}/{}", b.trim_end_matches('/'), source.file),
        None => source.url.to_string(),
    }
}

/// The update sources selected by a comma-separated list of kinds
/// (`census-counties,census-places`; any spelling `--kind` accepts), or all.
pub fn select_sources(only: Option<&str>) -> Result<Vec<UpdateSource>, String> {
    let Some(only) = only else {
        return Ok(UPDATE_SOURCES.to_vec());
    };
    let mut out = Vec::new();
    for part in only.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let kind: ImportKind = part.parse()?;
        let Some(src) = UPDATE_SOURCES.iter().find(|s| s.kind == kind) else {
            let known: Vec<&str> = UPDATE_SOURCES.iter().map(|s| s.kind.slug()).collect();
            return Err(format!(
                "{} cannot be downloaded automatically (the update covers {}); download it by hand and run `safetygap data import FILE`",
                kind.slug(),
                known.join(", ")
            ));
        };
        if !out.contains(src) {
            out.push(*src);
        }
    }
    if out.is_empty() {
        return Err("--only needs at least one kind, such as census-counties".into());
    }
    Ok(out)
}

/// Checks that a URL may be fetched: `https://`, or `http://` to loopback.
pub fn check_url(url: &str) -> Result<(), StoreError> {
    let bad = |problem: &str| StoreError::BadUrl { url: url.into(), problem: problem.into() };
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return Err(bad("only https:// addresses can be downloaded"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    if matches!(host, "127.0.0.1" | "localhost" | "::1") {
        Ok(())
    } else {
        Err(bad("plain http:// is not allowed, because the download could be altered on the way"))
    }
}

/// Fetches `url` into memory, refusing more than `limit` bytes.
pub fn download(url: &str, limit: u64) -> Result<Vec<u8>, StoreError> {
    check_url(url)?;
    let loopback = url.to_ascii_lowercase().starts_with("http://");
    let mut cfg = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_global(Some(Duration::from_secs(600)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("safetygap/", env!("CARGO_PKG_VERSION")));
    if loopback {
        cfg = cfg.proxy(None);
    } else {
        // Never follow a redirect to plain http.
        cfg = cfg.https_only(true);
    }
    let agent: ureq::Agent = cfg.build().into();
    let unreachable = |detail: String| StoreError::Unreachable { url: url.into(), detail };
    let mut resp = agent.get(url).call().map_err(|e| unreachable(describe(&e)))?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(StoreError::HttpStatus { url: url.into(), status });
    }
    if resp.body().content_length().is_some_and(|n| n > limit) {
        return Err(StoreError::TooLarge { url: url.into(), limit });
    }
    let mut bytes = Vec::new();
    let mut reader = resp.body_mut().as_reader().take(limit + 1);
    reader.read_to_end(&mut bytes).map_err(|e| unreachable(format!("the transfer broke off: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(StoreError::TooLarge { url: url.into(), limit });
    }
    Ok(bytes)
}

/// Downloads one source (from its official URL, or `base/<file>`), checks
/// it with its importer and stores it, replacing the stored source of the
/// same kind. On any error the stored data is unchanged.
pub fn update_one(
    store: &mut Store,
    source: &UpdateSource,
    base: Option<&str>,
    limit: u64,
    g: &Gazetteer,
) -> Result<SourceEntry, StoreError> {
    let url = url_for(source, base);
    let bytes = download(&url, limit)?;
    let opts = ImportOptions { kind: Some(source.kind), origin: url.clone(), vintage: None };
    let prepared = prepare(source.file, &bytes, &opts, g).map_err(|e| StoreError::BadDownload {
        url: url.clone(),
        detail: match e {
            StoreError::Import(ie) => ie.to_string(),
            other => other.to_string(),
        },
    })?;
    store.save(prepared)
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::HostNotFound => "the host name could not be resolved".into(),
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::Timeout(_) => "the server did not answer in time".into(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(check_url("https://example.org/x.csv").is_ok());
        assert!(check_url("http://127.0.0.1:8080/x.csv").is_ok());
        assert!(check_url("http://localhost/x").is_ok());
        assert!(check_url("http://[::1]:9/x").is_ok());
        assert!(check_url("http://example.org/x.csv").is_err());
        assert!(check_url("http://127.0.0.1.evil.example/x").is_err());
        assert!(check_url("ftp://127.0.0.1/x").is_err());
        assert_eq!(url_for(&UPDATE_SOURCES[0], Some("http://127.0.0.1:1/m/")), "http://127.0.0.1:1/m/co-est2024-alldata.csv");
    }

    #[test]
    fn selection() {
        assert_eq!(select_sources(None).unwrap().len(), 2);
        let s = select_sources(Some("counties")).unwrap();
        assert_eq!(s[0].kind, ImportKind::CensusCounties);
        assert_eq!(s.len(), 1);
        assert!(select_sources(Some("fbi")).unwrap_err().contains("by hand"));
        assert!(select_sources(Some("bogus")).is_err());
    }
}
