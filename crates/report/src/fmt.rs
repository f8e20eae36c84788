//! Number formatting shared by the renderers.

use safetygap_core::Range3;

/// Adds thousands separators to an integer.
pub fn thousands(v: f64) -> String {
    safetygap_core::drivers::fmt_thousands(v)
}

/// A count: one decimal below 100 (so 0.4 centers shows), whole above.
pub fn count(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() < 10.0 {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else if v.abs() < 100.0 {
        let s = format!("{v:.1}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        thousands(v)
    }
}

/// Compact money: $950, $12.3K, $4.5M, $1.23B.
pub fn money(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e9 {
        format!("${:.2}B", a / 1e9)
    } else if a >= 1e6 {
        format!("${:.1}M", a / 1e6)
    } else if a >= 1e3 {
        format!("${:.0}K", a / 1e3)
    } else {
        format!("${a:.0}")
    };
    if v < 0.0 {
        format!("-{s}")
    } else {
        s
    }
}

/// Full-precision money with separators: $19,889,880.
pub fn money_full(v: f64) -> String {
    format!("${}", thousands(v))
}

/// "low–high" in compact money.
pub fn money_range(r: Range3) -> String {
    let (low, high) = (money(r.low), money(r.high));
    // Ends that round to the same text read as a point, not "$1.6M–$1.6M".
    if low == high {
        money(r.mid)
    } else {
        format!("{low}–{high}")
    }
}

/// Cuts text to `max` characters, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Text in a fixed-width column: cut to `width` characters and padded.
pub fn fit(s: &str, width: usize) -> String {
    format!("{:<width$}", truncate(s, width))
}

/// A percentage with no decimals.
pub fn percent(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.0}%", v * 100.0))
}

/// Coverage labelled with what it covers: "40% of lines with an inventory
/// (2 of 5)", or "existing not counted" when no line has an inventory.
pub fn coverage_label(t: &safetygap_core::plan::Subtotal) -> String {
    if t.lines_with_inventory == 0 {
        return "existing not counted (no inventory)".into();
    }
    let of = if t.lines_with_inventory == t.lines { String::new() } else { format!(" ({} of {})", t.lines_with_inventory, t.lines) };
    format!("{} of lines with an inventory{of}", percent(t.coverage))
}

/// The years the catalog's cost figures are written in: "2022–2023" or "2023".
pub fn source_years(plan: &safetygap_core::Plan) -> String {
    let [a, b] = plan.cost_years;
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

/// Which tier a plan applies, and what the goal tier would add: "Standard
/// tier; the goal tier adds $3.7M a year (1 line) for $44.6M in all."
pub fn tier_sentence(plan: &safetygap_core::Plan) -> String {
    let tier = plan.tier.as_str();
    let mut t = format!("{}{} tier", tier[..1].to_uppercase(), &tier[1..]);
    let extra = plan.goal_tier_annual_cost.mid - plan.totals.annual_cost.mid;
    if !plan.beyond_tier.is_empty() {
        let n = plan.beyond_tier.len();
        t.push_str(&format!(
            "; the goal tier adds {} a year ({n} line{}{}) for {} in all",
            money(extra),
            if n == 1 { "" } else { "s" },
            if n <= 3 {
                format!(": {}", plan.beyond_tier.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(", "))
            } else {
                String::new()
            },
            money(plan.goal_tier_annual_cost.mid)
        ));
    }
    t.push('.');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(19889880.0), "19,889,880");
        assert_eq!(count(0.44), "0.44");
        assert_eq!(count(2.5), "2.5");
        assert_eq!(count(15.87), "15.9");
        assert_eq!(count(1234.4), "1,234");
        assert_eq!(money(19_889_880.0), "$19.9M");
        assert_eq!(money(45_001.0), "$45K");
    }
}
