//! Loading catalog files: parse, merge user overrides, validate.

use crate::catalog::error::{CatalogError, CatalogErrors};
use crate::catalog::model::*;
use crate::catalog::raw::*;
use std::collections::HashMap;

mod build;
mod check;

use build::*;

/// One catalog file's text and the name to show in errors.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSource<'a> {
    /// Name shown in errors (usually the path).
    pub name: &'a str,
    /// The TOML text.
    pub text: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Driver,
    Benchmark,
    Addon,
}

impl Kind {
    pub(super) fn word(self) -> &'static str {
        match self {
            Kind::Driver => "driver",
            Kind::Benchmark => "benchmark",
            Kind::Addon => "addon",
        }
    }
}

/// An entry after merging: its table and every place it was written.
pub(super) struct Entry {
    pub(super) kind: Kind,
    pub(super) id: String,
    pub(super) table: toml::Table,
    /// (source index, byte span), first definition first.
    pub(super) origins: Vec<(usize, std::ops::Range<usize>)>,
}

pub(super) struct Ctx<'a> {
    pub(super) sources: Vec<CatalogSource<'a>>,
    /// Byte offsets of each source's line starts, so finding an entry's
    /// line is a binary search, not a scan from the top (which made loading
    /// quadratic in the number of entries).
    pub(super) lines: Vec<Vec<usize>>,
    pub(super) errors: Vec<CatalogError>,
}

pub(super) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)).collect()
}

/// 1-based line of `offset`, given the line starts of its text.
pub(super) fn line_at(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).max(1)
}

impl<'a> Ctx<'a> {
    pub(super) fn origin(&self, e: &Entry) -> Origin {
        let (src, span) = &e.origins[e.origins.len() - 1];
        Origin { file: self.sources[*src].name.to_string(), line: line_at(&self.lines[*src], span.start) }
    }

    /// The line where `field` (its first path segment) is written in the
    /// newest definition that mentions it; falls back to the entry header.
    pub(super) fn field_location(&self, e: &Entry, field: &str) -> (String, usize) {
        let key = field.split(['.', '[']).next().unwrap_or(field);
        for (src, span) in e.origins.iter().rev() {
            let s = &self.sources[*src];
            let body = &s.text[span.start.min(s.text.len())..span.end.min(s.text.len())];
            let mut offset = span.start;
            for line in body.split_inclusive('\n') {
                let t = line.trim_start();
                let header = t.starts_with('[') && t.trim_start_matches('[').contains(&format!(".{key}]"));
                let assign = t.strip_prefix(key).is_some_and(|rest| {
                    let rest = rest.trim_start();
                    rest.starts_with('=') || rest.starts_with('.')
                });
                if header || assign {
                    return (s.name.to_string(), line_at(&self.lines[*src], offset));
                }
                offset += line.len();
            }
        }
        let o = self.origin(e);
        (o.file, o.line)
    }

    pub(super) fn err(&mut self, e: &Entry, field: &str, message: impl Into<String>, hint: impl Into<String>) {
        let (file, line) = self.field_location(e, field);
        self.errors.push(CatalogError {
            file,
            line: Some(line),
            entry: Some(format!("{} `{}`", e.kind.word(), e.id)),
            field: if field.is_empty() { None } else { Some(field.to_string()) },
            message: message.into(),
            hint: hint.into(),
        });
    }
}

/// Loads the shipped catalog files and then the user's override files.
///
/// Within one layer an id may appear once. An entry in an override file
/// with the id of a shipped entry replaces just the fields it writes, so an
/// organization holding better figures can change one coefficient without
/// copying the whole entry; a new id extends the catalog.
pub fn load(shipped: &[CatalogSource<'_>], overrides: &[CatalogSource<'_>]) -> Result<Catalog, CatalogErrors> {
    let mut ctx = Ctx { sources: Vec::new(), lines: Vec::new(), errors: Vec::new() };
    // Where each entry is in `entries`, by (is a driver, id).
    let mut index: HashMap<(bool, String), usize> = HashMap::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut version: Option<String> = None;
    for (layer, files) in [shipped, overrides].into_iter().enumerate() {
        let mut seen_in_layer: HashMap<(bool, String), (String, usize)> = HashMap::new();
        for src in files {
            let idx = ctx.sources.len();
            ctx.sources.push(*src);
            ctx.lines.push(line_starts(src.text));
            let starts = &ctx.lines[idx];
            let line_of = |_: &str, offset: usize| line_at(starts, offset);
            let raw: RawFile = match toml::from_str(src.text) {
                Ok(r) => r,
                Err(e) => {
                    let line = e.span().map(|s| line_of(src.text, s.start));
                    ctx.errors.push(CatalogError {
                        file: src.name.to_string(),
                        line,
                        entry: None,
                        field: None,
                        message: format!("this is not a valid catalog file: {}", e.message().trim_end_matches('\n')),
                        hint: "check the TOML syntax at that line; a catalog holds only [catalog], [[driver]], [[benchmark]] and [[addon]] sections (see docs/CATALOG.md)".into(),
                    });
                    continue;
                }
            };
            if let Some(meta) = raw.catalog {
                if layer == 0 {
                    version = Some(meta.version);
                }
            }
            let tables = raw
                .driver
                .into_iter()
                .map(|t| (Kind::Driver, t))
                .chain(raw.benchmark.into_iter().map(|t| (Kind::Benchmark, t)))
                .chain(raw.addon.into_iter().map(|t| (Kind::Addon, t)));
            for (kind, spanned) in tables {
                let span = entry_extent(src.text, spanned.span(), kind);
                let table = spanned.into_inner();
                let line = line_of(src.text, span.start);
                let Some(id) = table.get("id").and_then(|v| v.as_str()).map(str::to_string) else {
                    ctx.errors.push(CatalogError {
                        file: src.name.to_string(),
                        line: Some(line),
                        entry: Some(format!("a {} entry", kind.word())),
                        field: Some("id".into()),
                        message: "has no `id`.".into(),
                        hint: "add `id = \"some_name\"` (lower-case letters, digits and underscores)".into(),
                    });
                    continue;
                };
                // Benchmarks and add-ons share one namespace: both are programs.
                let ns = (kind == Kind::Driver, id.clone());
                if let Some((file, first)) = seen_in_layer.get(&ns) {
                    ctx.errors.push(CatalogError {
                        file: src.name.to_string(),
                        line: Some(line),
                        entry: Some(format!("{} `{id}`", kind.word())),
                        field: Some("id".into()),
                        message: format!("duplicate id: `{id}` is already defined at {file}:{first}."),
                        hint: "give each entry its own id, or delete one of the two".into(),
                    });
                    continue;
                }
                seen_in_layer.insert(ns.clone(), (src.name.to_string(), line));
                let existing = index.get(&ns).copied().map(|i| &mut entries[i]);
                match existing {
                    Some(e) if layer > 0 => {
                        if e.kind != kind {
                            ctx.errors.push(CatalogError {
                                file: src.name.to_string(),
                                line: Some(line),
                                entry: Some(format!("{} `{id}`", kind.word())),
                                field: None,
                                message: format!("overrides a {} with a {}.", e.kind.word(), kind.word()),
                                hint: format!("use [[{}]] to override it, or choose a new id", e.kind.word()),
                            });
                            continue;
                        }
                        merge(&mut e.table, table);
                        e.origins.push((idx, span));
                    }
                    _ => {
                        index.insert(ns, entries.len());
                        entries.push(Entry { kind, id, table, origins: vec![(idx, span)] })
                    }
                }
            }
        }
    }
    let catalog = build(&mut ctx, entries, version);
    if ctx.errors.is_empty() {
        check_outputs(&mut ctx, &catalog);
    }
    if ctx.errors.is_empty() {
        // Every cost year was checked against the CPI series above.
        let mut catalog = catalog.rebase(Tier::Standard, None).unwrap_or(catalog);
        if !overrides.is_empty() {
            let mut h = crate::hash::Fnv::new();
            for o in overrides {
                h.write(o.text.as_bytes());
            }
            catalog.version = format!("{}+user.{:08x}", catalog.version, h.finish() as u32);
        }
        Ok(catalog)
    } else {
        Err(CatalogErrors(ctx.errors))
    }
}

/// Rejects a catalog whose needs or costs overflow or exceed their bounds
/// at the largest driver values (see [`super::bounds`]), naming the entry
/// and field that do.
pub(super) fn check_outputs(ctx: &mut Ctx<'_>, catalog: &Catalog) {
    for f in super::bounds::check(catalog) {
        let (kind, origin) = if f.driver {
            (Kind::Driver, catalog.driver(&f.id).map(|d| d.origin.clone()))
        } else if let Some(b) = catalog.benchmark(&f.id) {
            (Kind::Benchmark, Some(b.origin.clone()))
        } else {
            (Kind::Addon, catalog.addon(&f.id).map(|a| a.origin.clone()))
        };
        let origin = origin.unwrap_or(Origin { file: String::new(), line: 0 });
        ctx.errors.push(CatalogError {
            file: origin.file,
            line: Some(origin.line),
            entry: Some(format!("{} `{}`", kind.word(), f.id)),
            field: Some(f.field.to_string()),
            message: f.message,
            hint: f.hint,
        });
    }
}

/// The toml crate spans only an entry's `[[kind]]` header; extend it to the
/// entry's body (up to the next header that is not one of its sub-tables) so
/// field lines can be found.
pub(super) fn entry_extent(text: &str, header: std::ops::Range<usize>, kind: Kind) -> std::ops::Range<usize> {
    let sub = format!("[{}.", kind.word());
    let mut offset = header.end.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') && !t.starts_with(&sub) && offset > header.end {
            break;
        }
        offset += line.len();
    }
    header.start..offset
}

/// Deep merge: tables merge key by key, everything else is replaced.
pub(super) fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}
