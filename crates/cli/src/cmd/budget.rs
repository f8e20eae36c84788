//! `safetygap budget`: allocate a yearly amount across the gaps.

use crate::inputs::{parse_number, PlanOpts};
use anyhow::{anyhow, Result};
use safetygap_core::budget::{self, Allocation, Strategy};
use safetygap_report::fmt::{count, fit, money, percent};

/// Allocate a yearly budget across the safety gaps and show what it funds,
/// the coverage it reaches and what is left unfunded.
///
/// Strategies: proportional (to each line's gap cost), priority (gap areas
/// in the order of --priority, each line in full before the next) or
/// equalize (raise the least-covered gap area first). Indivisible units
/// (a center, a bed) are funded whole, the remainder carried to the next
/// line; nothing affordable is left unfunded and nothing is over-spent.
/// Costs are mid annual costs in the plan's dollar year (--dollar-year).
///
/// Examples:
///   safetygap budget --population 250000 --amount 5000000
///   safetygap budget "Oakland, CA" --amount 5,000,000 --strategy priority --priority victim_services,reentry
///   safetygap budget --population 250000 --amount 20000000 --strategy equalize --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub opts: PlanOpts,
    #[command(flatten)]
    pub payer: crate::inputs::PayerOpt,
    /// Dollars available each year (e.g. 5000000 or 5,000,000).
    #[arg(long, value_name = "DOLLARS", allow_hyphen_values = true)]
    pub amount: String,
    /// proportional, priority or equalize.
    #[arg(long, default_value = "proportional")]
    pub strategy: String,
    /// Gap areas in funding order for --strategy priority, comma-separated
    /// (victim_services, violence_prevention, behavioral_health, reentry);
    /// areas not listed follow in that order.
    #[arg(long, value_name = "AREAS")]
    pub priority: Option<String>,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = super::TableOrJson::Table)]
    pub format: super::TableOrJson,
}

pub fn run(a: Args) -> Result<()> {
    let cleaned = a.amount.trim().trim_start_matches('$');
    let amount = parse_number(cleaned)
        .ok_or_else(|| anyhow!("--amount {}: not a number of dollars; give e.g. --amount 5000000 or 5,000,000.", a.amount))?;
    let strategy = Strategy::parse(&a.strategy, a.priority.as_deref())?;
    let catalog = a.opts.catalog()?;
    let input = a.opts.input(&catalog)?;
    let plan = a.payer.apply(safetygap_core::compute(&catalog, &input)?)?;
    let alloc = budget::allocate(&plan, amount, &strategy)?;
    if a.format == super::TableOrJson::Json {
        let mut v = serde_json::to_value(&alloc)?;
        v["jurisdiction"] = serde_json::to_value(&plan.jurisdiction)?;
        v["cost_years"] = serde_json::to_value(plan.cost_years)?;
        v["dollar_year"] = plan.dollar_year.into();
        v["tier"] = plan.tier.as_str().into();
        if let Some(pv) = &plan.payer_view {
            v["payer_view"] = serde_json::to_value(pv)?;
            let f = funded_by_payer(&plan, &alloc, &pv.payer);
            v["funded_by_payer"] = serde_json::json!({
                "payer": f.payer,
                "own": f.own,
                "shared_unknown": f.shared_unknown,
                "others": f.others,
                "shared_unknown_lines": f.shared_unknown_lines,
            });
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", table(&plan.jurisdiction.name, &alloc, plan.dollar_year, plan.tier.as_str()));
        if let Some(pv) = &plan.payer_view {
            print!("{}", payer_table(&plan, &alloc, pv));
        }
    }
    Ok(())
}

/// What the funded dollars buy, by who usually pays for them: the payer's
/// own costs, costs it shares with others in unknown proportions, and costs
/// other payers usually carry (each funded line split by its plan line's
/// payer shares).
struct FundedByPayer {
    payer: String,
    own: f64,
    shared_unknown: f64,
    others: f64,
    shared_unknown_lines: Vec<String>,
}

fn funded_by_payer(plan: &safetygap_core::Plan, a: &Allocation, payer: &str) -> FundedByPayer {
    let mut f = FundedByPayer { payer: payer.to_string(), own: 0.0, shared_unknown: 0.0, others: 0.0, shared_unknown_lines: Vec::new() };
    for l in a.lines.iter().filter(|l| l.funded > 0.0) {
        let Some(p) = plan.programs.iter().find(|p| p.id == l.id) else { continue };
        let total: f64 = p.payers.iter().map(|b| b.annual_cost.mid).sum();
        for b in &p.payers {
            let part = if total > 0.0 { l.funded * b.annual_cost.mid / total } else { 0.0 };
            if b.payers.len() == 1 && b.payers[0] == payer {
                f.own += part;
            } else if b.payers.len() > 1 && b.payers.iter().any(|x| x == payer) {
                f.shared_unknown += part;
                if !f.shared_unknown_lines.contains(&l.name) {
                    f.shared_unknown_lines.push(l.name.clone());
                }
            } else {
                f.others += part;
            }
        }
    }
    f
}

fn payer_table(plan: &safetygap_core::Plan, a: &Allocation, pv: &safetygap_core::payer::PayerView) -> String {
    let f = funded_by_payer(plan, a, &pv.payer);
    let mut o = format!("\nWHO USUALLY PAYS FOR WHAT THIS FUNDS (--payer {})\n", pv.payer);
    o.push_str(&format!("{:<44} {:>9}\n{}\n", "", "Funded/yr", "─".repeat(54)));
    o.push_str(&format!("{:<44} {:>9}\n", fit(&format!("{} alone", pv.name), 44), money(f.own)));
    o.push_str(&format!("{:<44} {:>9}\n", fit("shared with other payers, split unknown", 44), money(f.shared_unknown)));
    o.push_str(&format!("{:<44} {:>9}\n", fit("usually paid by other payers", 44), money(f.others)));
    if !f.shared_unknown_lines.is_empty() {
        o.push_str(&safetygap_report::payers::wrap_text(&format!("Split unknown: {}.", f.shared_unknown_lines.join(", ")), 79));
    }
    o.push_str("Each funded line is split by its usual funders and published shares\n(`safetygap plan --payer` shows them).\n");
    o
}

fn table(name: &str, a: &Allocation, dollar_year: u16, tier: &str) -> String {
    let mut o = format!("Budget for {name}: {} a year, strategy {}\n", money(a.amount), a.strategy.name());
    if let Strategy::Priority(order) = &a.strategy {
        o.push_str(&format!("Order: {}\n", order.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" → ")));
    }
    let why = if a.lines.iter().any(|l| l.unfunded > 0.0) { " (less than any unfunded unit costs)" } else { "" };
    o.push_str(&format!("Funds {} a year; {} left over{why}.\n", money(a.spent), money(a.left_over)));
    o.push_str(&format!("Start-up cost of what it funds: {} (one-off, not from the yearly amount).\n", money(a.startup)));
    o.push_str(&format!("Mid annual cost per unit, in {dollar_year} dollars (CPI-U); {tier} tier.\n"));
    o.push_str(&format!("\n{:<22} {:>9} {:>9} {:>9} {:>9}\n{}\n", "Gap area", "Gap/yr", "Funded", "Coverage", "→ reached", "─".repeat(62)));
    for g in a.gap_areas.iter().chain(std::iter::once(&a.total)) {
        let title = if std::ptr::eq(g, &a.total) { "Total" } else { g.gap_area.title() };
        o.push_str(&format!(
            "{:<22} {:>9} {:>9} {:>9} {:>9}\n",
            title,
            money(g.gap_cost),
            money(g.funded),
            percent(g.coverage_before),
            percent(g.coverage_after)
        ));
    }
    let funded: Vec<_> = a.lines.iter().filter(|l| l.funded > 0.0).collect();
    if !funded.is_empty() {
        o.push_str(&format!(
            "\nFUNDED\n{:<34} {:>8} {:>8}  {:<14} {:>9}\n{}\n",
            "Program",
            "Funded",
            "of gap",
            "Unit",
            "Per year",
            "─".repeat(77)
        ));
        for l in funded {
            let addon = l.unit == "USD a year";
            let (n, of, unit) = if addon {
                (String::new(), String::new(), "share of cost".to_string())
            } else {
                (count(l.funded_units), count(l.gap_units), fit(&l.unit, 14))
            };
            o.push_str(&format!("{} {:>8} {:>8}  {:<14} {:>9}\n", fit(&l.name, 34), n, of, unit, money(l.funded)));
        }
    }
    let loaded: Vec<_> = a.lines.iter().filter(|l| l.addon_share > 0.0).collect();
    if let Some(first) = loaded.first() {
        let others = match loaded.len() {
            1 => String::new(),
            n => format!(" and {} other line(s)", n - 1),
        };
        o.push_str(&format!(
            "\nUnit costs include the add-ons that apply to them (training, evaluation):\n+{:.0}% on {}{others}.\n",
            first.addon_share * 100.0,
            first.name
        ));
    }
    let unfunded: Vec<_> = a.lines.iter().filter(|l| l.unfunded > 0.0).collect();
    if !unfunded.is_empty() {
        o.push_str(&format!("\nLEFT UNFUNDED\n{:<34} {:>8}  {:<14} {:>9}\n{}\n", "Program", "Units", "Unit", "Per year", "─".repeat(68)));
        for l in unfunded {
            let addon = l.unit == "USD a year";
            let (n, unit) = if addon { (String::new(), "share of cost".to_string()) } else { (count(l.unfunded_units), fit(&l.unit, 14)) };
            o.push_str(&format!("{} {:>8}  {:<14} {:>9}\n", fit(&l.name, 34), n, unit, money(l.unfunded)));
        }
    }
    o
}
