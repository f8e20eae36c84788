//! Field checks of one catalog entry: decoding, ids, evidence grades,
//! citations, ranges, costs, payers and gap areas, each error naming the
//! file, line and field.

use super::{Ctx, Entry};
use crate::catalog::model::*;
use crate::catalog::raw::*;
use crate::evidence::{Evidence, GapArea};
use crate::range::Range3;

pub(super) fn decode<T: serde::de::DeserializeOwned>(ctx: &mut Ctx<'_>, e: &Entry) -> Option<T> {
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

pub(super) fn check_id(ctx: &mut Ctx<'_>, e: &Entry) {
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

pub(super) fn check_evidence(ctx: &mut Ctx<'_>, e: &Entry, field: &str, s: &str) -> Evidence {
    Evidence::parse(s).unwrap_or_else(|| {
        ctx.err(e, field, format!("unknown evidence grade `{s}`."), "use one of report, published, derived, assumption");
        Evidence::Assumption
    })
}

pub(super) fn check_citations(ctx: &mut Ctx<'_>, e: &Entry, field: &str, c: &[String]) {
    if c.iter().all(|s| s.trim().is_empty()) {
        ctx.err(
            e,
            field,
            "has no citation.",
            "add `citations = [\"Author, title, year, where published\"]`; for an assumption, cite the reasoning it rests on",
        );
    }
}

pub(super) fn check_range(ctx: &mut Ctx<'_>, e: &Entry, field: &str, r: Range3, positive: bool) -> Range3 {
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

pub(super) fn check_cost(ctx: &mut Ctx<'_>, e: &Entry, field: &str, c: &RawCost) -> Cost {
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
pub(super) fn check_payers(ctx: &mut Ctx<'_>, e: &Entry, p: &RawPayers) -> crate::payer::Payers {
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

pub(super) fn gap_area(ctx: &mut Ctx<'_>, e: &Entry, s: &str) -> GapArea {
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
