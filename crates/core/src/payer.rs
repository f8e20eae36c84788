//! Who pays: each program's usual funders (catalog data) and a plan's cost
//! split by payer.
//!
//! A catalog entry lists the payers that usually fund a program (`who`) and,
//! only where a source gives them, the shares some of them pay (`shares`).
//! A plan line's annual cost is split into buckets: one per share, and the
//! rest (1 − the shares' sum) into one bucket "shared among" the listed
//! payers not named in a share, whose split is unknown. A bucket with one
//! payer is that payer's cost; a bucket with several is never assigned to
//! any one of them (least of all to the city).

use crate::evidence::Evidence;
use crate::range::Range3;
use serde::{Deserialize, Serialize};

/// Every payer id a catalog may name, with its name for people.
pub const PAYERS: &[(&str, &str)] = &[
    ("city", "City or county general fund"),
    ("state", "State"),
    ("medicaid", "Medicaid (federal and state)"),
    ("medicare", "Medicare"),
    ("federal_voca", "Federal VOCA victim assistance"),
    ("federal_vawa", "Federal VAWA grants"),
    ("federal_fvpsa", "Federal FVPSA grants"),
    ("federal_samhsa", "Federal SAMHSA block grants"),
    ("federal_second_chance", "Federal Second Chance Act grants"),
    ("federal_lsc", "Legal Services Corporation (federal)"),
    ("federal_hud", "Federal HUD homeless grants (CoC, ESG)"),
    ("federal_arpa", "Federal ARPA funds (one-off)"),
    ("federal_other", "Other federal grants"),
    ("iolta", "IOLTA (interest on lawyers' trust accounts)"),
    ("philanthropy", "Philanthropy"),
    ("private", "Private insurance and self-pay"),
];

/// The name of a payer id (the id itself if unknown).
pub fn payer_name(id: &str) -> &str {
    PAYERS.iter().find(|(p, _)| *p == id).map_or(id, |(_, n)| n)
}

/// True when `id` is a known payer id.
pub fn is_payer(id: &str) -> bool {
    PAYERS.iter().any(|(p, _)| *p == id)
}

/// A share of a program's cost a source gives for one payer or a group of
/// payers (e.g. "state and local, 36%" when the source does not split them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerShare {
    /// The payer ids the share belongs to, together.
    pub payers: Vec<String>,
    /// Fraction of the program's cost (0–1).
    pub share: f64,
}

/// A program's usual funders, as the catalog records them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payers {
    /// Payer ids that usually fund the program.
    pub who: Vec<String>,
    /// Shares a source gives; they sum to at most 1. Empty when no source
    /// gives shares (the whole cost is then shared among `who`, split unknown).
    pub shares: Vec<PayerShare>,
    /// How the list and shares are known.
    pub evidence: Evidence,
    /// Where they come from.
    pub citations: Vec<String>,
    /// Reasoning or caveats (e.g. a temporary federal match).
    pub note: Option<String>,
}

/// One bucket of a plan line's annual cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerCost {
    /// Who pays this part: one payer id, several (split unknown), or none
    /// (the catalog records no payers for the line).
    pub payers: Vec<String>,
    /// Fraction of the line's annual cost.
    pub share: f64,
    /// True when a source gives this share; false for the remainder.
    pub share_published: bool,
    /// The part of the line's annual gap cost.
    pub annual_cost: Range3,
}

impl PayerCost {
    /// True when one payer pays the whole bucket.
    pub fn is_single(&self) -> bool {
        self.payers.len() == 1
    }
}

/// Words for a bucket's payers: a payer's name, "shared among: …, split
/// unknown", or "payer not recorded in the catalog".
pub fn bucket_label(payers: &[String]) -> String {
    match payers {
        [] => "payer not recorded in the catalog".to_string(),
        [one] => payer_name(one).to_string(),
        many => format!("shared among: {}, split unknown", many.iter().map(|p| payer_name(p)).collect::<Vec<_>>().join(", ")),
    }
}

/// A short label for narrow tables: a payer's name, or "split unknown:"
/// and the payer ids.
pub fn bucket_short(payers: &[String]) -> String {
    match payers {
        [] => "payer not recorded".to_string(),
        [one] => payer_name(one).to_string(),
        many => format!("split unknown: {}", many.join(", ")),
    }
}

/// Splits a line's annual cost into buckets by the catalog's payers.
pub fn split(payers: Option<&Payers>, annual: Range3) -> Vec<PayerCost> {
    let Some(p) = payers else {
        return vec![PayerCost { payers: Vec::new(), share: 1.0, share_published: false, annual_cost: annual }];
    };
    let mut out: Vec<PayerCost> = p
        .shares
        .iter()
        .filter(|s| s.share > 0.0)
        .map(|s| PayerCost { payers: s.payers.clone(), share: s.share, share_published: true, annual_cost: annual.scale(s.share) })
        .collect();
    let given: f64 = out.iter().map(|b| b.share).sum();
    let rest = (1.0 - given).max(0.0);
    if rest > 1e-9 || out.is_empty() {
        let named: Vec<&String> = p.shares.iter().flat_map(|s| &s.payers).collect();
        let mut others: Vec<String> = p.who.iter().filter(|w| !named.contains(w)).cloned().collect();
        if others.is_empty() {
            others = p.who.clone();
        }
        out.push(PayerCost { payers: others, share: rest, share_published: false, annual_cost: annual.scale(rest) });
    }
    out
}

/// Merges buckets with the same payers (used for add-ons, whose cost is a
/// share of several lines').
pub fn merge(parts: impl IntoIterator<Item = PayerCost>) -> Vec<PayerCost> {
    let mut out: Vec<PayerCost> = Vec::new();
    for b in parts {
        match out.iter_mut().find(|o| o.payers == b.payers) {
            Some(o) => {
                o.annual_cost = o.annual_cost + b.annual_cost;
                o.share_published &= b.share_published;
            }
            None => out.push(b),
        }
    }
    out
}

/// An add-on's buckets: its base lines' buckets, each cost scaled by the
/// add-on's `share`, merged by payers. Each bucket's `share` is its part of
/// the add-on's cost; when that cost is zero (every base line's gap closed)
/// it is the base lines' catalog shares averaged by their need cost (equally
/// when that is zero too), so a zero cost still says who would pay it,
/// rather than 0% for everyone. `annual` is the add-on's cost; when it is
/// not zero, a share is the bucket's cost divided by it, as before.
pub fn addon(base: &[(&[PayerCost], Range3)], share: Range3, annual: Range3) -> Vec<PayerCost> {
    let merged = merge(base.iter().flat_map(|(b, _)| b.iter()).map(|b| PayerCost { annual_cost: b.annual_cost * share, ..b.clone() }));
    let need: f64 = base.iter().map(|(_, n)| n.mid).sum();
    let weight = |n: Range3| if need > 0.0 { n.mid / need } else { 1.0 / base.len() as f64 };
    merged
        .into_iter()
        .map(|b| {
            let s = if annual.mid > 0.0 {
                b.annual_cost.mid / annual.mid
            } else {
                base.iter()
                    .map(|(buckets, n)| weight(*n) * buckets.iter().filter(|x| x.payers == b.payers).map(|x| x.share).sum::<f64>())
                    .sum()
            };
            PayerCost { share: s, ..b }
        })
        .collect()
}

/// A plan's cost for one bucket of payers, summed over its lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerTotal {
    /// One payer id, several (split unknown), or none (not recorded).
    pub payers: Vec<String>,
    /// In words ([`bucket_label`]).
    pub label: String,
    /// Annual cost to close the gap that falls in this bucket.
    pub annual_cost: Range3,
    /// The program lines that contribute to it.
    pub lines: Vec<String>,
}

/// Sums every line's buckets into the plan's cost by payer: single payers
/// first (in [`PAYERS`] order), then shared buckets, then unrecorded.
pub fn totals<'a>(lines: impl Iterator<Item = (&'a str, &'a [PayerCost])>) -> Vec<PayerTotal> {
    let mut out: Vec<PayerTotal> = Vec::new();
    for (id, buckets) in lines {
        for b in buckets {
            match out.iter_mut().find(|o| o.payers == b.payers) {
                Some(o) => {
                    o.annual_cost = o.annual_cost + b.annual_cost;
                    if !o.lines.iter().any(|l| l == id) {
                        o.lines.push(id.to_string());
                    }
                }
                None => out.push(PayerTotal {
                    payers: b.payers.clone(),
                    label: bucket_label(&b.payers),
                    annual_cost: b.annual_cost,
                    lines: vec![id.to_string()],
                }),
            }
        }
    }
    let rank = |p: &PayerTotal| match p.payers.as_slice() {
        [] => (2, 0),
        [one] => (0, PAYERS.iter().position(|(id, _)| id == one).unwrap_or(PAYERS.len())),
        _ => (1, 0),
    };
    out.sort_by_key(rank);
    out
}

/// What falls on one payer's budget (`--payer city`): the lines it pays
/// alone or by a published share, and the lines where it is one of several
/// payers whose split is unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerView {
    /// The payer id.
    pub payer: String,
    /// Its name.
    pub name: String,
    /// Cost that is this payer's alone (single-payer buckets).
    pub annual_cost: Range3,
    /// Per line: (program id, cost that is this payer's).
    pub lines: Vec<(String, Range3)>,
    /// Cost in buckets this payer shares with others, split unknown: not
    /// counted in `annual_cost`, at most all of it could fall on the payer.
    pub shared_unknown: Range3,
    /// Per line: (program id, the shared bucket's cost, the other payers).
    pub unknown_lines: Vec<(String, Range3, Vec<String>)>,
    /// Annual gap cost of the whole plan, for comparison.
    pub plan_annual_cost: Range3,
}

/// The part of a plan's lines that falls on `payer`.
pub fn view<'a>(payer: &str, lines: impl Iterator<Item = (&'a str, &'a [PayerCost])>, plan_annual_cost: Range3) -> PayerView {
    let mut v = PayerView {
        payer: payer.to_string(),
        name: payer_name(payer).to_string(),
        annual_cost: Range3::ZERO,
        lines: Vec::new(),
        shared_unknown: Range3::ZERO,
        unknown_lines: Vec::new(),
        plan_annual_cost,
    };
    for (id, buckets) in lines {
        let own: Range3 = buckets.iter().filter(|b| b.payers.len() == 1 && b.payers[0] == payer).map(|b| b.annual_cost).sum();
        if own.high > 0.0 {
            v.annual_cost = v.annual_cost + own;
            v.lines.push((id.to_string(), own));
        }
        for b in buckets.iter().filter(|b| b.payers.len() > 1 && b.payers.iter().any(|p| p == payer)) {
            if b.annual_cost.high > 0.0 {
                v.shared_unknown = v.shared_unknown + b.annual_cost;
                v.unknown_lines.push((id.to_string(), b.annual_cost, b.payers.iter().filter(|p| *p != payer).cloned().collect()));
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payers(who: &[&str], shares: &[(&[&str], f64)]) -> Payers {
        Payers {
            who: who.iter().map(|s| s.to_string()).collect(),
            shares: shares.iter().map(|(p, s)| PayerShare { payers: p.iter().map(|x| x.to_string()).collect(), share: *s }).collect(),
            evidence: Evidence::Derived,
            citations: vec!["test".into()],
            note: None,
        }
    }

    #[test]
    fn a_list_without_shares_is_one_shared_bucket() {
        let b = split(Some(&payers(&["city", "state"], &[])), Range3::point(100.0));
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].payers, vec!["city", "state"]);
        assert_eq!(bucket_label(&b[0].payers), "shared among: City or county general fund, State, split unknown");
    }

    #[test]
    fn shares_and_the_rest_add_up_to_the_cost() {
        let b = split(Some(&payers(&["medicaid", "state", "private"], &[(&["medicaid"], 0.33)])), Range3::new(10.0, 100.0, 200.0));
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].payers, vec!["state", "private"]);
        let sum: Range3 = b.iter().map(|x| x.annual_cost).sum();
        assert!((sum.mid - 100.0).abs() < 1e-9 && (sum.high - 200.0).abs() < 1e-9);
    }

    #[test]
    fn a_city_view_counts_only_what_is_the_city_alone() {
        let lines =
            [split(Some(&payers(&["city"], &[])), Range3::point(10.0)), split(Some(&payers(&["city", "state"], &[])), Range3::point(5.0))];
        let v = view("city", [("a", lines[0].as_slice()), ("b", lines[1].as_slice())].into_iter(), Range3::point(15.0));
        assert_eq!(v.annual_cost.mid, 10.0);
        assert_eq!(v.shared_unknown.mid, 5.0);
        assert_eq!(v.unknown_lines[0].2, vec!["state"]);
    }

    /// An add-on over closed gaps costs nothing, yet says who would pay it:
    /// its base lines' shares averaged by their need cost, not 0% for all.
    #[test]
    fn a_zero_cost_addon_keeps_the_catalog_shares() {
        let a = split(Some(&payers(&["city", "state"], &[(&["city"], 0.5)])), Range3::ZERO);
        let b = split(Some(&payers(&["city"], &[])), Range3::ZERO);
        let base = [(a.as_slice(), Range3::point(300.0)), (b.as_slice(), Range3::point(100.0))];
        let out = addon(&base, Range3::point(0.25), Range3::ZERO);
        // city: 300/400 × 50% + 100/400 × 100% = 62.5%; state: 300/400 × 50% = 37.5%.
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].payers.as_slice(), out[0].share), (&["city".to_string()][..], 0.625));
        assert_eq!((out[1].payers.as_slice(), out[1].share), (&["state".to_string()][..], 0.375));
        assert!(out.iter().all(|b| b.annual_cost == Range3::ZERO));
        // No need either: the base lines count equally.
        let none = [(a.as_slice(), Range3::ZERO), (b.as_slice(), Range3::ZERO)];
        assert_eq!(addon(&none, Range3::point(0.25), Range3::ZERO)[0].share, 0.75);
    }

    #[test]
    fn a_costed_addon_splits_by_cost_as_before() {
        let a = split(Some(&payers(&["city", "state"], &[(&["city"], 0.5)])), Range3::point(200.0));
        let b = split(Some(&payers(&["city"], &[])), Range3::point(200.0));
        let base = [(a.as_slice(), Range3::point(300.0)), (b.as_slice(), Range3::point(200.0))];
        let out = addon(&base, Range3::point(0.25), Range3::point(100.0));
        // city: (100 + 200) × 0.25 = 75 of 100; state: 100 × 0.25 = 25.
        assert_eq!((out[0].share, out[0].annual_cost.mid), (0.75, 75.0));
        assert_eq!((out[1].share, out[1].annual_cost.mid), (0.25, 25.0));
    }
}
