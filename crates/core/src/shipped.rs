//! The shipped catalog, compiled into every binary so a plan needs no files.

use crate::catalog::{self, Catalog, CatalogErrors, CatalogSource};

/// The shipped catalog files as (name, text), in load order.
pub const FILES: &[(&str, &str)] = &[
    ("catalog/drivers.toml", include_str!("../../../catalog/drivers.toml")),
    ("catalog/victim_services.toml", include_str!("../../../catalog/victim_services.toml")),
    ("catalog/violence_prevention.toml", include_str!("../../../catalog/violence_prevention.toml")),
    ("catalog/behavioral_health.toml", include_str!("../../../catalog/behavioral_health.toml")),
    ("catalog/reentry.toml", include_str!("../../../catalog/reentry.toml")),
];

/// The shipped files as loader sources.
pub fn sources() -> Vec<CatalogSource<'static>> {
    FILES.iter().map(|(name, text)| CatalogSource { name, text }).collect()
}

/// The shipped catalog with optional user overrides on top.
pub fn load_with(overrides: &[CatalogSource<'_>]) -> Result<Catalog, CatalogErrors> {
    catalog::load(&sources(), overrides)
}

/// The shipped catalog alone. It is validated by the test suite, so this
/// only fails if the binary was built from an invalid catalog.
pub fn catalog() -> Result<Catalog, CatalogErrors> {
    load_with(&[])
}
