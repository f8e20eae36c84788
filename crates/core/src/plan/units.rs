//! Whole and shared units: a need below one viable unit becomes a share of
//! a unit held by the county or a region; staff lines follow their units.

use super::*;

/// Units that can be staffed: a need below one viable unit becomes a share
/// of a unit held by the county (its share of the county's units, in
/// proportion to its share of the county's need) or a region; staff lines
/// follow their unit line (staff = units × staff per unit).
pub(super) fn provision(catalog: &Catalog, programs: &mut [ProgramPlan], host: Option<&HostNeeds>, inv: &Inventory) {
    for i in 0..programs.len() {
        let Some(b) = catalog.benchmark(&programs[i].id) else { continue };
        let l = &mut programs[i];
        if let Some(m) = b.min_viable {
            if l.need.mid > 0.0 && l.need.mid < m {
                let host_line = host.and_then(|h| h.line(&l.id).map(|x| (h, x)));
                let shared = match host_line {
                    Some((h, (host_need, host_whole))) if host_need >= m => {
                        let units = host_whole.unwrap_or_else(|| whole_units(host_need)).max(m);
                        SharedUnit {
                            host: h.name.clone(),
                            host_kind: "county".into(),
                            share: (l.need.mid / host_need * units).min(units),
                            host_need: Some(host_need),
                            host_units: Some(units),
                            min_viable: m,
                        }
                    }
                    Some((_, (host_need, _))) => SharedUnit {
                        host: "a region (the county's own need is below one unit too)".into(),
                        host_kind: "region".into(),
                        share: l.need.mid,
                        host_need: Some(host_need),
                        host_units: None,
                        min_viable: m,
                    },
                    None => SharedUnit {
                        host: "the county or a region".into(),
                        host_kind: "region".into(),
                        share: l.need.mid,
                        host_need: None,
                        host_units: None,
                        min_viable: m,
                    },
                };
                let k = shared.share / l.need.mid;
                set_share(l, shared, k, b);
            }
        }
        let has_team = catalog.benchmarks.iter().any(|x| x.team_of.as_deref() == Some(b.id.as_str()));
        if has_team && programs[i].shared.is_none() {
            if let Some(w) = programs[i].need_whole {
                cost_whole(&mut programs[i], w, b);
            }
        }
        let Some(parent_id) = &b.team_of else { continue };
        let Some(parent) = programs.iter().find(|p| &p.id == parent_id).cloned() else { continue };
        let l = &mut programs[i];
        let per = team_ratio(catalog, b);
        l.team_of = Some(parent.id.clone());
        l.team_per_unit = Some(per);
        if let Some(ps) = &parent.shared {
            let shared = SharedUnit {
                share: ps.share * per,
                min_viable: ps.min_viable * per,
                host_need: ps.host_need.map(|n| n * per),
                host_units: ps.host_units.map(|n| n * per),
                ..ps.clone()
            };
            let k = if l.need.mid > 0.0 { shared.share / l.need.mid } else { 1.0 };
            set_share(l, shared, k, b);
        } else if let Some(w) = parent.need_whole {
            let whole = w * per;
            l.need_whole = Some(whole);
            l.gap_whole = Some((whole - inv.quantity(&l.id)).max(0.0));
            cost_whole(l, whole, b);
        }
    }
}

/// Costs of a unit line with a team, and of the team, follow the whole
/// units that can be staffed (1 mobile crisis unit and its 24 staff), not
/// the fractional need (1.32 units, 31.7 staff): need, gap and costs are
/// scaled by whole ÷ mid need, so the range keeps its spread.
pub(super) fn cost_whole(l: &mut ProgramPlan, whole: f64, b: &Benchmark) {
    if l.need.mid <= 0.0 || whole <= 0.0 {
        return;
    }
    let staffed = l.need.scale(whole / l.need.mid);
    l.gap = staffed.saturating_sub(l.existing);
    l.need_cost = staffed * l.unit_cost;
    l.annual_cost = l.gap * l.unit_cost;
    l.startup_cost = l.gap * b.startup_cost.as_ref().map_or(Range3::ZERO, |c| c.amount);
}

/// Staff per unit from the two ratios (for a zero need, where it cannot be
/// read off the needs).
pub(super) fn team_ratio(catalog: &Catalog, b: &Benchmark) -> f64 {
    let per_driver = |x: &Benchmark| match &x.scale {
        Scale::Ratio { per, units } => safe_div(units.mid, *per),
        Scale::Caseload { caseload } => safe_div(1.0, caseload.mid),
    };
    let parent = b.team_of.as_deref().and_then(|id| catalog.benchmark(id)).map_or(1.0, per_driver);
    safe_div(per_driver(b), parent)
}

/// Turns a line into a share of a host's unit: need and costs scaled by `k`
/// (the share ÷ the place's own need), no whole units.
pub(super) fn set_share(l: &mut ProgramPlan, shared: SharedUnit, k: f64, b: &Benchmark) {
    let need = l.need.scale(k);
    l.gap = need.saturating_sub(l.existing);
    l.need_whole = None;
    l.gap_whole = None;
    l.need_cost = need * l.unit_cost;
    l.annual_cost = l.gap * l.unit_cost;
    l.startup_cost = l.gap * b.startup_cost.as_ref().map_or(Range3::ZERO, |c| c.amount);
    l.coverage = (need.mid > 0.0).then(|| safe_div(l.existing, need.mid));
    l.shared = Some(shared);
}
