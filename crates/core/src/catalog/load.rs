//! Loading catalog files: parse, merge user overrides, validate.

use super::error::{CatalogError, CatalogErrors};
use super::model::*;
use super::raw::*;
use crate::evidence::{Evidence, GapArea};
use crate::range::Range3;
use std::collections::{BTreeMap, HashMap};

/// One catalog file's text and the name to show in errors.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSource<'a> {
    /// Name shown in errors (usually the path).
    pub name: &'a str,
    /// The TOML text.
    pub text: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Driver,
    Benchmark,
    Addon,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Driver => "driver",
            Kind::Benchmark => "benchmark",
            Kind::Addon => "addon",
        }
    }
}

/// An entry after merging: its table and every place it was written.
struct Entry {
    kind: Kind,
    id: String,
    table: toml::Table,
    /// (source index, byte span), first definition first.
    origins: Vec<(usize, std::ops::Range<usize>)>,
}

struct Ctx<'a> {
    sources: Vec<CatalogSource<'a>>,
    /// Byte offsets of each source's line starts, so finding an entry's
    /// line is a binary search, not a scan from the top (which made loading
    /// quadratic in the number of entries).
    lines: Vec<Vec<usize>>,
    errors: Vec<CatalogError>,
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)).collect()
}

/// 1-based line of `offset`, given the line starts of its text.
fn line_at(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).max(1)
}

impl<'a> Ctx<'a> {
    fn origin(&self, e: &Entry) -> Origin {
        let (src, span) = &e.origins[e.origins.len() - 1];
        Origin { file: self.sources[*src].name.to_string(), line: line_at(&self.lines[*src], span.start) }
    }

    /// The line where `field` (its first path segment) is written in the
    /// newest definition that mentions it; falls back to the entry header.
    fn field_location(&self, e: &Entry, field: &str) -> (String, usize) {
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

    fn err(&mut self, e: &Entry, field: &str, message: impl Into<String>, hint: impl Into<String>) {
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
fn check_outputs(ctx: &mut Ctx<'_>, catalog: &Catalog) {
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
fn entry_extent(text: &str, header: std::ops::Range<usize>, kind: Kind) -> std::ops::Range<usize> {
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
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(ctx: &mut Ctx<'_>, e: &Entry) -> Option<T> {
    match toml::Value::Table(e.table.clone()).try_into::<T>() {
        Ok(v) => Some(v),
        Err(err) => {
            let msg = err.message().trim().to_string();
            // serde names the offending field in backticks; point at it.
            let field = msg.split('`').nth(1).unwrap_or("").to_string();
            let field = if e.table.contains_key(&field) || msg.starts_with("unknown field") { field } else { String::new() };
            ctx.err(e, &field, format!("{msg}."), "see docs/CATALOG.md for the fields each entry takes and their types");
            None
        }
    }
}

fn check_id(ctx: &mut Ctx<'_>, e: &Entry) {
    let ok = !e.id.is_empty()
        && e.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && e.id.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !ok {
        ctx.err(
            e,
            "id",
            format!("`{}` is not a valid id.", e.id),
            "use lower-case letters, digits and underscores, starting with a letter",
        );
    }
}

fn check_evidence(ctx: &mut Ctx<'_>, e: &Entry, field: &str, s: &str) -> Evidence {
    Evidence::parse(s).unwrap_or_else(|| {
        ctx.err(e, field, format!("unknown evidence grade `{s}`."), "use one of report, published, derived, assumption");
        Evidence::Assumption
    })
}

fn check_citations(ctx: &mut Ctx<'_>, e: &Entry, field: &str, c: &[String]) {
    if c.iter().all(|s| s.trim().is_empty()) {
        ctx.err(
            e,
            field,
            "has no citation.",
            "add `citations = [\"Author, title, year, where published\"]`; for an assumption, cite the reasoning it rests on",
        );
    }
}

fn check_range(ctx: &mut Ctx<'_>, e: &Entry, field: &str, r: Range3, positive: bool) -> Range3 {
    if !r.is_finite() {
        ctx.err(e, field, "low, mid and high must be finite numbers.", "replace nan/inf with a number");
    } else if r.low < 0.0 {
        ctx.err(e, field, format!("{} is negative.", r.low), "benchmarks, costs and shares are never negative");
    } else if positive && r.low <= 0.0 {
        ctx.err(e, field, "must be greater than zero (it divides).", "use a positive number");
    } else if !r.is_ordered() {
        ctx.err(
            e,
            field,
            format!("low {} ≤ mid {} ≤ high {} does not hold.", r.low, r.mid, r.high),
            "order the values so low ≤ mid ≤ high",
        );
    }
    r
}

fn check_cost(ctx: &mut Ctx<'_>, e: &Entry, field: &str, c: &RawCost) -> Cost {
    let amount = check_range(ctx, e, field, Range3::new(c.low, c.mid, c.high), false);
    if !(1990..=2100).contains(&c.year) {
        ctx.err(
            e,
            &format!("{field}.year"),
            format!("{} is not a plausible dollar year.", c.year),
            "write the year whose dollars the cost is in, e.g. 2023",
        );
    }
    let cpi = crate::cpi::Cpi::embedded();
    if (1990..=2100).contains(&c.year) && cpi.get(c.year as u16).is_err() {
        ctx.err(
            e,
            &format!("{field}.year"),
            format!(
                "{} is outside the embedded CPI-U series ({}–{}), so its dollars cannot be converted.",
                c.year,
                cpi.first_year(),
                cpi.last_year()
            ),
            "write the year whose dollars the source figure is in, within that range",
        );
    }
    let evidence = check_evidence(ctx, e, &format!("{field}.evidence"), &c.evidence);
    check_citations(ctx, e, &format!("{field}.citations"), &c.citations);
    let year = c.year.clamp(0, u16::MAX as i64) as u16;
    Cost {
        amount,
        year,
        source_amount: amount,
        source_year: year,
        cpi_factor: 1.0,
        evidence,
        citations: c.citations.clone(),
        note: c.note.clone(),
    }
}

/// Who pays: known payer ids, shares in (0, 1] summing to at most 1, each
/// share's payers among `who`, a grade and a citation.
fn check_payers(ctx: &mut Ctx<'_>, e: &Entry, p: &RawPayers) -> crate::payer::Payers {
    let known = || crate::payer::PAYERS.iter().map(|(id, _)| *id).collect::<Vec<_>>().join(", ");
    if p.who.is_empty() {
        ctx.err(
            e,
            "payers.who",
            "lists no payers.",
            format!("list the usual funders, e.g. who = [\"state\", \"city\"]; known payers: {}", known()),
        );
    }
    for (i, w) in p.who.iter().enumerate() {
        if !crate::payer::is_payer(w) {
            ctx.err(e, &format!("payers.who[{i}]"), format!("unknown payer `{w}`."), format!("use one of: {}", known()));
        } else if p.who[..i].contains(w) {
            ctx.err(e, &format!("payers.who[{i}]"), format!("`{w}` is listed twice."), "list each payer once");
        }
    }
    let mut sum = 0.0;
    for (i, s) in p.shares.iter().enumerate() {
        let field = format!("payers.shares[{i}]");
        if !(s.share.is_finite() && s.share > 0.0 && s.share <= 1.0) {
            ctx.err(
                e,
                &field,
                format!("share {} is not a fraction in (0, 1].", s.share),
                "write the share a source gives as a fraction, e.g. share = 0.33 for 33%",
            );
        } else {
            sum += s.share;
        }
        if s.payers.is_empty() {
            ctx.err(e, &field, "names no payers.", "write payers = [\"medicaid\"] (several when the source does not split them)");
        }
        for w in &s.payers {
            if !crate::payer::is_payer(w) {
                ctx.err(e, &field, format!("unknown payer `{w}`."), format!("use one of: {}", known()));
            } else if !p.who.contains(w) {
                ctx.err(
                    e,
                    &field,
                    format!("payer `{w}` is not in `who`."),
                    "add it to `who`: every payer with a share is one of the usual funders",
                );
            }
        }
    }
    if sum > 1.0 + 1e-9 {
        ctx.err(
            e,
            "payers.shares",
            format!("the shares sum to {sum:.3}, more than the whole cost."),
            "shares are fractions of the line's cost and sum to at most 1; leave out shares no source gives",
        );
    }
    let evidence = check_evidence(ctx, e, "payers.evidence", &p.evidence);
    check_citations(ctx, e, "payers.citations", &p.citations);
    crate::payer::Payers {
        who: p.who.clone(),
        shares: p.shares.iter().map(|s| crate::payer::PayerShare { payers: s.payers.clone(), share: s.share }).collect(),
        evidence,
        citations: p.citations.clone(),
        note: p.note.clone(),
    }
}

fn gap_area(ctx: &mut Ctx<'_>, e: &Entry, s: &str) -> GapArea {
    GapArea::parse(s).unwrap_or_else(|| {
        ctx.err(
            e,
            "gap_area",
            format!("unknown gap area `{s}`."),
            "use one of victim_services, violence_prevention, behavioral_health, reentry",
        );
        GapArea::VictimServices
    })
}

fn build(ctx: &mut Ctx<'_>, entries: Vec<Entry>, version: Option<String>) -> Catalog {
    let mut drivers = Vec::new();
    let mut benchmarks = Vec::new();
    let mut raw_addons = Vec::new();
    for e in &entries {
        check_id(ctx, e);
        match e.kind {
            Kind::Driver => {
                let Some(r) = decode::<RawDriver>(ctx, e) else { continue };
                let mut estimate = Vec::new();
                for (ti, t) in r.estimate.iter().enumerate() {
                    let mut factors = Vec::new();
                    for (fi, f) in t.factors.iter().enumerate() {
                        let field = format!("estimate[{ti}].factors[{fi}]");
                        let value = check_range(ctx, e, &field, Range3::new(f.low, f.mid, f.high), f.divide);
                        let evidence = check_evidence(ctx, e, &field, &f.evidence);
                        check_citations(ctx, e, &field, &f.citations);
                        factors.push(Factor { name: f.name.clone(), value, divide: f.divide, evidence, citations: f.citations.clone() });
                    }
                    let condition = match (&t.if_known, &t.unless_known) {
                        (None, None) => Condition::Always,
                        (Some(d), None) => Condition::IfKnown(d.clone()),
                        (None, Some(d)) => Condition::UnlessKnown(d.clone()),
                        (Some(d), Some(_)) => {
                            ctx.err(
                                e,
                                &format!("estimate[{ti}].if_known"),
                                "a term can have `if_known` or `unless_known`, not both.",
                                "write two terms: one with `if_known`, the other with `unless_known`",
                            );
                            Condition::IfKnown(d.clone())
                        }
                    };
                    estimate.push(Term { driver: t.driver.clone(), factors, condition });
                }
                drivers.push(DriverDef {
                    id: r.id,
                    name: r.name,
                    unit: r.unit,
                    description: r.description,
                    estimate,
                    vintage: r.vintage,
                    origin: ctx.origin(e),
                });
            }
            Kind::Benchmark => {
                let Some(r) = decode::<RawBenchmark>(ctx, e) else { continue };
                let gap_area = gap_area(ctx, e, &r.gap_area);
                let scale = match (&r.ratio, &r.caseload) {
                    (Some(ratio), None) => {
                        if !(ratio.per.is_finite() && ratio.per > 0.0) {
                            ctx.err(
                                e,
                                "ratio.per",
                                format!("{} must be a positive number.", ratio.per),
                                "write how much of the driver the units serve, e.g. per = 100000",
                            );
                        }
                        let units = check_range(ctx, e, "ratio", Range3::new(ratio.low, ratio.mid, ratio.high), false);
                        Scale::Ratio { per: ratio.per, units }
                    }
                    (None, Some(c)) => {
                        Scale::Caseload { caseload: check_range(ctx, e, "caseload", Range3::new(c.low, c.mid, c.high), true) }
                    }
                    _ => {
                        ctx.err(e, "ratio", "needs exactly one of `ratio` or `caseload`.", "write `ratio = { per = 100000, low = 1, mid = 1, high = 1 }` or `caseload = { low = 15, mid = 15, high = 20 }`");
                        Scale::Ratio { per: 1.0, units: Range3::ZERO }
                    }
                };
                let evidence = check_evidence(ctx, e, "evidence", &r.evidence);
                check_citations(ctx, e, "citations", &r.citations);
                let kind = match r.kind.as_deref() {
                    None => Tier::Standard,
                    Some(k) => Tier::parse(k).unwrap_or_else(|| {
                        ctx.err(
                            e,
                            "kind",
                            format!("unknown benchmark kind `{k}`."),
                            "use standard (what a system needs), goal (an aspirational target) or floor (a minimum)",
                        );
                        Tier::Standard
                    }),
                };
                let annual_cost = check_cost(ctx, e, "annual_cost", &r.annual_cost);
                let startup_cost = r.startup_cost.as_ref().map(|c| check_cost(ctx, e, "startup_cost", c));
                benchmarks.push(Benchmark {
                    id: r.id,
                    gap_area,
                    name: r.name,
                    description: r.description,
                    unit: r.unit,
                    whole_units: r.whole_units,
                    driver: r.driver,
                    kind,
                    scale,
                    evidence,
                    citations: r.citations,
                    annual_cost,
                    startup_cost,
                    group: r.group,
                    min_viable: match r.min_viable {
                        Some(m) if !(m.is_finite() && m > 0.0) => {
                            ctx.err(
                                e,
                                "min_viable",
                                format!("{m} must be a positive number of units."),
                                "write the smallest number of units that can exist, e.g. min_viable = 1",
                            );
                            None
                        }
                        m => m,
                    },
                    team_of: r.team_of,
                    payers: r.payers.as_ref().map(|p| check_payers(ctx, e, p)),
                    origin: ctx.origin(e),
                    seq: benchmarks.len(),
                });
            }
            Kind::Addon => {
                let Some(r) = decode::<RawAddon>(ctx, e) else { continue };
                raw_addons.push((e, r));
            }
        }
    }

    // References between entries.
    let driver_ids: BTreeMap<&str, usize> = drivers.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let entry_of = |kind: Kind, id: &str| entries.iter().find(|e| e.kind == kind && e.id == id);
    let known_drivers = driver_ids.keys().copied().collect::<Vec<_>>().join(", ");
    for b in &benchmarks {
        if !driver_ids.contains_key(b.driver.as_str()) {
            let e = entry_of(Kind::Benchmark, &b.id).expect("benchmark came from an entry");
            ctx.err(
                e,
                "driver",
                format!("unknown driver `{}`.", b.driver),
                format!("use one of: {known_drivers}; or define it with [[driver]]"),
            );
        }
    }
    for b in &benchmarks {
        let Some(parent) = &b.team_of else { continue };
        let e = entry_of(Kind::Benchmark, &b.id).expect("benchmark came from an entry");
        match benchmarks.iter().find(|p| &p.id == parent) {
            None => ctx.err(e, "team_of", format!("unknown benchmark `{parent}`."), "name the benchmark whose units these staff make up"),
            Some(p) if p.driver != b.driver || p.team_of.is_some() || p.seq > b.seq => ctx.err(
                e,
                "team_of",
                format!(
                    "`{parent}` must come earlier in the catalog, scale with the same driver (`{}`) and not be a team itself.",
                    b.driver
                ),
                "a team line scales with its unit line's driver, so staff = units × staff per unit",
            ),
            Some(_) => {}
        }
    }
    for d in &drivers {
        for (ti, t) in d.estimate.iter().enumerate() {
            if !driver_ids.contains_key(t.driver.as_str()) {
                let e = entry_of(Kind::Driver, &d.id).expect("driver came from an entry");
                ctx.err(
                    e,
                    &format!("estimate[{ti}].driver"),
                    format!("unknown driver `{}`.", t.driver),
                    format!("use one of: {known_drivers}"),
                );
            }
            if let Some(c) = t.condition.driver() {
                if !driver_ids.contains_key(c) {
                    let e = entry_of(Kind::Driver, &d.id).expect("driver came from an entry");
                    let field = if matches!(t.condition, Condition::IfKnown(_)) { "if_known" } else { "unless_known" };
                    ctx.err(
                        e,
                        &format!("estimate[{ti}].{field}"),
                        format!("unknown driver `{c}`."),
                        format!("use one of: {known_drivers}"),
                    );
                }
            }
        }
    }
    if !drivers.iter().any(|d| d.id == "population") {
        ctx.errors.push(CatalogError {
            file: ctx.sources.first().map(|s| s.name.to_string()).unwrap_or_default(),
            line: None,
            entry: None,
            field: None,
            message: "the catalog defines no `population` driver, which every plan needs.".into(),
            hint: "keep the shipped drivers file, or define [[driver]] id = \"population\"".into(),
        });
    }
    let drivers = topo_sort(ctx, &entries, drivers);

    let mut addons = Vec::new();
    for (e, r) in raw_addons {
        let gap_area = gap_area(ctx, e, &r.gap_area);
        let share = check_range(ctx, e, "share", Range3::new(r.share.low, r.share.mid, r.share.high), false);
        let evidence = check_evidence(ctx, e, "evidence", &r.evidence);
        check_citations(ctx, e, "citations", &r.citations);
        let mut of = Vec::new();
        for name in &r.of {
            let matched: Vec<&Benchmark> = benchmarks.iter().filter(|b| &b.id == name || b.group.as_deref() == Some(name)).collect();
            if matched.is_empty() {
                ctx.err(
                    e,
                    "of",
                    format!("`{name}` is neither a benchmark id nor a benchmark group."),
                    "list benchmark ids or `group` names defined in the catalog",
                );
            }
            for b in matched {
                if !of.contains(&b.id) {
                    of.push(b.id.clone());
                }
            }
        }
        if r.of.is_empty() {
            ctx.err(e, "of", "lists no benchmarks.", "write `of = [\"some_benchmark\"]` or a group name");
        }
        let cost_year = benchmarks.iter().filter(|b| of.contains(&b.id)).map(|b| b.annual_cost.year).max().unwrap_or(0);
        addons.push(Addon {
            id: r.id,
            gap_area,
            name: r.name,
            description: r.description,
            share,
            of,
            evidence,
            citations: r.citations,
            cost_year,
            origin: ctx.origin(e),
        });
    }

    let version = version.unwrap_or_else(|| {
        ctx.errors.push(CatalogError {
            file: ctx.sources.first().map(|s| s.name.to_string()).unwrap_or_default(),
            line: None,
            entry: None,
            field: Some("catalog.version".into()),
            message: "no catalog version.".into(),
            hint: "add `[catalog]` with `version = \"...\"` to one shipped file".into(),
        });
        String::new()
    });
    Catalog {
        version,
        drivers,
        benchmarks,
        addons,
        tier: Tier::Goal,
        dollar_year: 0,
        beyond_tier: Vec::new(),
        beyond_tier_addons: Vec::new(),
    }
}

/// Orders drivers so each comes after the drivers its estimate uses, and
/// reports cycles (which would make an estimate depend on itself).
fn topo_sort(ctx: &mut Ctx<'_>, entries: &[Entry], drivers: Vec<DriverDef>) -> Vec<DriverDef> {
    let index: HashMap<String, usize> = drivers.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
    // 0 = unvisited, 1 = on the path, 2 = done. Iterative depth-first
    // search: a chain of 100,000 derived drivers must not overflow the
    // stack.
    let mut state = vec![0u8; drivers.len()];
    let mut order = Vec::with_capacity(drivers.len());
    // A term depends on its driver and on the driver its condition reads.
    let deps = |i: usize| -> Vec<usize> {
        drivers[i]
            .estimate
            .iter()
            .flat_map(|t| std::iter::once(t.driver.as_str()).chain(t.condition.driver()))
            .filter_map(|dep| index.get(dep).copied())
            .collect()
    };
    let mut cycle: Option<Vec<usize>> = None;
    'roots: for root in 0..drivers.len() {
        if state[root] != 0 {
            continue;
        }
        // (node, its dependencies, next dependency to visit)
        let mut path: Vec<(usize, Vec<usize>, usize)> = vec![(root, deps(root), 0)];
        state[root] = 1;
        while let Some((node, ds, next)) = path.last_mut() {
            if let Some(&j) = ds.get(*next) {
                *next += 1;
                match state[j] {
                    0 => {
                        state[j] = 1;
                        path.push((j, deps(j), 0));
                    }
                    1 => {
                        let start = path.iter().position(|(p, ..)| *p == j).unwrap_or(0);
                        let mut c: Vec<usize> = path[start..].iter().map(|(p, ..)| *p).collect();
                        c.push(j);
                        cycle = Some(c);
                        break 'roots;
                    }
                    _ => {}
                }
            } else {
                state[*node] = 2;
                order.push(*node);
                path.pop();
            }
        }
    }
    if let Some(cycle) = cycle {
        let names: Vec<&str> = cycle.iter().map(|&k| drivers[k].id.as_str()).collect();
        let e = entries.iter().find(|e| e.kind == Kind::Driver && e.id == drivers[cycle[0]].id).expect("driver entry");
        ctx.err(
            e,
            "estimate",
            format!("the driver estimates form a cycle: {}.", names.join(" → ")),
            "break the cycle: one of these drivers must be estimated from something else (or be given)",
        );
        // Leave the rest unordered; the catalog is rejected anyway.
        return drivers;
    }
    let mut slots: Vec<Option<DriverDef>> = drivers.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
