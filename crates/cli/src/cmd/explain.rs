//! `safetygap explain`: one program's derivation.

use crate::inputs::PlanOpts;
use anyhow::{anyhow, Result};

/// Show, step by step, how one program's need, gap and cost are computed:
/// the formula, each input with its value and source, and the arithmetic.
///
/// Example:
///   safetygap explain cvi_street_outreach --population 238005 --set homicides=50
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Program id (see `safetygap catalog list`).
    pub program: String,
    #[command(flatten)]
    pub opts: PlanOpts,
}

pub fn run(a: Args) -> Result<()> {
    let catalog = a.opts.catalog()?;
    if catalog.any_benchmark(&a.program).is_none() && catalog.addon(&a.program).is_none() {
        let hint = safetygap_core::suggest::closest(&a.program, catalog.program_ids())
            .map(|s| format!(" Did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(anyhow!("`{}` is not a program in the catalog.{hint} `safetygap catalog list` shows the ids.", a.program));
    }
    let input = a.opts.input(&catalog)?;
    let plan = safetygap_core::compute(&catalog, &input)?;
    let ex = safetygap_core::explain::explain(&catalog, &plan, &a.program).map_err(|e| anyhow!(e))?;
    print!("{ex}");
    Ok(())
}
