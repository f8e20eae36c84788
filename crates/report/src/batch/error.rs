//! What can go wrong in a batch: each error says what it was doing, and
//! keeps the cause as its [`source`](std::error::Error::source).

use std::fmt;

/// A batch that could not be computed or written.
#[derive(Debug)]
pub enum BatchError {
    /// A jurisdiction's plan could not be computed; the cause says why.
    Plan {
        /// The jurisdiction's display name.
        jurisdiction: String,
        /// Why.
        source: safetygap_core::plan::PlanError,
    },
    /// The simulation of every jurisdiction failed.
    Simulate(safetygap_core::simulate::SimError),
    /// Writing the output failed.
    Io(std::io::Error),
    /// A plan could not be written as JSON.
    Json(serde_json::Error),
    /// The workbook could not be built.
    Workbook(crate::xlsx::XlsxError),
    /// The boundaries of a GeoJSON file or map could not be read, or the
    /// map not drawn.
    Map {
        /// What was being done ("cannot read the boundaries").
        doing: &'static str,
        /// Why.
        source: crate::map::MapError,
    },
    /// Places asked for on a map: no place boundaries are embedded.
    PlacesOnMap,
    /// The Parquet table could not be written.
    #[cfg(feature = "parquet")]
    Parquet {
        /// What was being done ("cannot write the Parquet table").
        doing: &'static str,
        /// Why.
        source: crate::parquet::Error,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Plan { jurisdiction, .. } => f.write_str(jurisdiction),
            BatchError::Simulate(e) => e.fmt(f),
            BatchError::Io(e) => e.fmt(f),
            BatchError::Json(e) => e.fmt(f),
            BatchError::Workbook(_) => f.write_str("cannot build the workbook"),
            BatchError::Map { doing, .. } => f.write_str(doing),
            BatchError::PlacesOnMap => f.write_str("places cannot be mapped"),
            #[cfg(feature = "parquet")]
            BatchError::Parquet { doing, .. } => f.write_str(doing),
        }
    }
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BatchError::Plan { source, .. } => Some(source),
            BatchError::Workbook(e) => Some(e),
            BatchError::Map { source, .. } => Some(source),
            #[cfg(feature = "parquet")]
            BatchError::Parquet { source, .. } => Some(source),
            BatchError::Simulate(_) | BatchError::Io(_) | BatchError::Json(_) | BatchError::PlacesOnMap => None,
        }
    }
}

impl From<std::io::Error> for BatchError {
    fn from(e: std::io::Error) -> Self {
        BatchError::Io(e)
    }
}

impl From<serde_json::Error> for BatchError {
    fn from(e: serde_json::Error) -> Self {
        BatchError::Json(e)
    }
}

impl From<crate::xlsx::XlsxError> for BatchError {
    fn from(e: crate::xlsx::XlsxError) -> Self {
        BatchError::Workbook(e)
    }
}
