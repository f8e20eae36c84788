//! `safetygap sensitivity`: which inputs move the total cost most.

use crate::inputs::PlanOpts;
use anyhow::Result;
use safetygap_core::sensitivity::{self, Tornado};
use safetygap_report::fmt::{fit, money, thousands};

/// Rank the catalog's ranged inputs by how much the total annual cost moves
/// when each goes from its low to its high value alone (a tornado table).
///
/// Every other input stays at its mid value. The share is each input's swing
/// over the sum of all swings.
///
/// Examples:
///   safetygap sensitivity --population 250000
///   safetygap sensitivity "Oakland, CA" --top 5 --format json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub opts: PlanOpts,
    /// Show only the N inputs with the largest swing (0 = all).
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = super::TableOrJson::Table)]
    pub format: super::TableOrJson,
}

pub fn run(a: Args) -> Result<()> {
    let catalog = a.opts.catalog()?;
    let input = a.opts.input(&catalog)?;
    let mut t = sensitivity::tornado(&catalog, &input)?;
    let shown = t.swings.len();
    if a.top > 0 {
        t.swings.truncate(a.top);
    }
    if a.format == super::TableOrJson::Json {
        let mut v = serde_json::to_value(&t)?;
        v["jurisdiction"] = serde_json::to_value(&input.jurisdiction)?;
        v["inputs_with_swing"] = shown.into();
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let pop = input.drivers.get("population").map_or(0.0, |d| d.value);
        print!("{}", table(&input.jurisdiction.name, pop, &t, shown));
    }
    Ok(())
}

fn table(name: &str, pop: f64, t: &Tornado, shown: usize) -> String {
    let mut o = format!("Sensitivity: {name} ({} residents)\n", thousands(pop));
    o.push_str(&format!(
        "Total annual cost to close the gap with every input at mid: {} a year.\nEach input moved from low to high alone, the others at mid; {shown} of {} ranged\ninputs move the total here.\n\n",
        money(t.base),
        t.ranged_inputs
    ));
    o.push_str(&format!("{:>3} {:<38} {:>8} {:>8} {:>8} {:>5}\n{}\n", "#", "Input", "At low", "At high", "Swing", "Share", "─".repeat(75)));
    for (i, s) in t.swings.iter().enumerate() {
        let flag = if s.input.evidence == safetygap_core::Evidence::Assumption { "⚠ " } else { "" };
        o.push_str(&format!(
            "{:>3} {} {:>8} {:>8} {:>8} {:>4.0}%\n",
            i + 1,
            fit(&format!("{flag}{}", s.input.label), 38),
            money(s.at_low),
            money(s.at_high),
            money(s.swing),
            s.share * 100.0
        ));
    }
    if shown > t.swings.len() {
        o.push_str(&format!("… {} more (--top 0 shows all)\n", shown - t.swings.len()));
    }
    o.push_str("\n⚠ = an assumption with no published figure. A local figure narrows the range\nmost where the swing is largest (`safetygap catalog show ID`, `--set`,\n`--catalog`).\n");
    o
}
