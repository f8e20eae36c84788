//! docs/METHODOLOGY.md, generated from the catalog so the two cannot
//! disagree (a test compares the committed file with this output).

use safetygap_core::catalog::{Catalog, Cost, Scale};
use safetygap_core::drivers::{describe_estimate, fmt_num, fmt_range};
use safetygap_core::GapArea;

fn cost_line(label: &str, c: &Cost) -> String {
    let mut s = format!(
        "- **{label}:** ${} a year per unit ({} dollars; evidence: {}); × {:.4} (CPI-U) = ${} in {} dollars",
        fmt_range(c.source_amount),
        c.source_year,
        c.evidence,
        c.cpi_factor,
        fmt_range(c.amount),
        c.year
    );
    if c.evidence == safetygap_core::Evidence::Assumption {
        s.push_str(" ⚠ assumption");
    }
    s.push('\n');
    if let Some(n) = &c.note {
        s.push_str(&format!("  - Basis: {n}\n"));
    }
    for cit in &c.citations {
        s.push_str(&format!("  - Source: {cit}\n"));
    }
    s
}

/// How violence figures are chosen and what the CVI model does with them.
const VIOLENCE: &str = "\
### Violence figures: precedence, and the CVI model

Which homicide and violent-crime figure a plan uses, highest precedence first: \
(1) `--set homicides=...` on the command line; \
(2) files the user imported (`safetygap data import`: a drivers file; County Health Rankings homicide deaths for counties; \
Urban Institute violent crime rates, quality 1 only by default; an incident file for the place, whose shooting murders are a \
subset of homicides and are never stored as homicides, only its non-fatal shootings); \
(3) the embedded place figures (the FBI's 2018 *Offenses Known to Law Enforcement by City*, Table 8, matched to Census places: \
the place's own count, flagged as old: 2018 is 5 or more years before the costs); \
(4) county and state estimates: a county with FBI-reporting cities gets their own 2018 counts, or the figures imported for them \
(a city spanning counties by its residents' share) plus the state's rate × its Census residents outside them; other counties and places get the state's count \
shared by population; both are marked *estimated*. \
Every driver line prints its source, its vintage and whether it is the place's own figure (*given*) or *estimated*.\n\n\
CVI is sized the CVI Ecosystem way: staff per role = highest-risk population ÷ caseload. The highest-risk population follows \
violence when the place has a homicide figure (its own, or its county's or state's rate shared by population): homicides × 4.76 (the ratio in CVI Ecosystem's Norfolk example, \
238 people for 50 homicides; problem analyses that counted people found 2.6 per annual homicide in Oakland and 1.2-2.9 in Washington, DC, \
so the low end is 2.6; graded `derived`: applying Norfolk's ratio elsewhere is our inference). With no homicide figure at all (a custom area, \
only the catalog's national rate), CVI Ecosystem's default of 0.1% of residents is used, and the driver's source says so. `safetygap explain cvi_street_outreach` shows \
both estimates side by side and which one the plan used.\n\n\
**Not modelled: economies of scale.** CVI Ecosystem adjusts its per-role caseloads \"for economies of scale for larger cities\", \
but its method note publishes no rule and none was found elsewhere, so safetygap keeps the caseloads fixed; for very large cities \
the staffing may be overstated.\n\n";

/// Renders the methodology document for a catalog.
pub fn render(catalog: &Catalog) -> String {
    let mut o = String::new();
    o.push_str("# safetygap methodology\n\n");
    o.push_str("<!-- Generated from the catalog by `safetygap catalog methodology`; do not edit by hand. A test fails when this file and the catalog disagree. -->\n\n");
    o.push_str(&format!("Catalog version **{}**.\n\n", catalog.version));
    o.push_str(
        "safetygap implements the population-based formulas of *Scaling Safety* (Alliance for Safety and Justice, 2022) \
and fills the gaps the report's announcement leaves with published benchmarks, each cited below. For every program:\n\n\
- **need** = driver × ratio ÷ per (or driver ÷ caseload), as low / mid / high; a caseload range pairs the high caseload with the low need;\n\
- **whole units** = mid need rounded half up (0.5 → 1), for programs whose units are indivisible;\n\
- **gap** = max(0, need − existing), end by end;\n\
- **coverage** = existing ÷ mid need; for a gap area or the total, 1 − gap cost ÷ need cost (mid) over the lines with an \
inventory only — a line with no inventory line has its existing capacity **not counted** (taken as 0, flagged \
`existing_not_counted` in every output), so it is left out of coverage rather than read as \"nothing exists\";\n\
- **annual cost** = gap × annual cost per unit (low × low, mid × mid, high × high), in the plan's one dollar year (CPI-U);\n\
- **start-up cost** = gap × start-up cost per unit, where the catalog gives one;\n\
- **add-ons** (training, evaluation) = a share of the annual cost of the programs they name;\n\
- **per resident** = annual cost ÷ population.\n\n\
Evidence grades: `report` (stated in the Scaling Safety announcement), `published` (a published standard or study), \
`derived` (our arithmetic from a published worked example, shown), `assumption` (a placeholder with no published figure; \
flagged ⚠ in every output — replace it with a local figure).\n\n\
**Units that can be staffed.** A benchmark may name its smallest viable unit (`min_viable`: one center, one \
round-the-clock mobile crisis unit). When a place's need is below it, the plan recommends no whole unit and no \
fraction no one can hire: it reports the place's **share of a unit held by its county** — the place's share of the \
county's need times the county's whole units — with that share of the cost, or, when the county's own need is below \
one unit too (or the area is custom), a share of a regional unit equal to its need. Staff lines tied to a unit line \
(`team_of`: mobile crisis staff are 24 per unit) follow its units: staff = whole units × staff per unit, or the same \
share of the host's team. The costs of a unit line with a team and of its team follow those whole staffed units \
(Oakland's 1.32 mobile crisis units and 31.7 staff are costed as 1 unit and 24 staff), so these two lines do not add \
up across areas the way the others do. `budget` prices a unit with its team and funds staff only with their unit; `phase-in` \
opens staff with their units. Shares are divisible (money to the host's unit); simulations use the fractional need.\n\n\
**Standards, goals and floors.** Every benchmark declares its kind: `standard` (what a system needs, e.g. the report's \
per-100,000 figures), `goal` (an aspirational target, e.g. the Justice Index's 10 civil legal aid attorneys per 10,000 \
low-income residents, which most states are far below) or `floor` (a published minimum, e.g. the Council of Europe's \
one rape crisis centre per 200,000 women). `--tier floor|standard|goal` (default `standard`) chooses which apply: a \
tier applies every benchmark of its kind and below. Outputs name the tier and show what the goal tier would add.\n\n\
**One dollar year.** Each cost is written in the catalog in its source's dollars and year. Every plan converts every \
cost into one dollar year with the embedded CPI-U annual averages (BLS series CUUR0000SA0): amount × CPI(dollar year) \
÷ CPI(source year). The default is the latest year the series covers; `--dollar-year` chooses another. Below, each \
cost shows its source figure and year and the converted figure in the shipped default year; `safetygap explain ID` \
shows the conversion for a plan.\n\n\
**Overall grade.** Each benchmark below carries the grade of its own ratio; a plan line's *overall* grade is the weakest \
of everything the line rests on — its ratio, its annual and start-up costs, and every factor of each catalog driver \
estimate down its driver chain (a figure given for the place replaces the estimate and its factors). An add-on's overall \
grade is the weakest of its share and its base lines. Tables, the brief, the JSON (`grade`) and the web page show the \
overall grade; `safetygap explain ID` lists each input with its grade. The crisis lines, for example, rest on the assumed \
reading of Crisis Now's 230 episodes per 100,000 as monthly and on assumed lengths of stay and responses per unit, so \
their overall grade is `assumption` although their ratios are published.\n\n\
**Who pays.** Each benchmark lists its usual funders (city or county general fund, state, Medicaid, federal grants \
such as VOCA, VAWA, FVPSA, SAMHSA block grants and Second Chance Act, philanthropy, ...) and, only where a source \
gives them, the shares some of them pay. A line's annual cost is split into one part per published share and one \
part for the rest, **shared among** the listed funders not named in a share, **split unknown**: that part is never \
assigned to any one of them, least of all to the city. An add-on is paid as its base lines are. Plans show the cost by \
payer (the parts add up to the total), and `--payer city` (plan, report, budget) shows what is the city's alone and, \
apart, the lines whose split with other payers is unknown. No national share table exists for most programs; most \
lists below rest on second-hand summaries and are graded `derived`.\n\n\
**Default inventories.** `--inventory-defaults state` starts a named place from public counts of existing capacity \
instead of \"existing not counted\": domestic violence shelter beds = its state's DV-dedicated emergency shelter beds \
in HUD's 2024 Housing Inventory Count (total minus non-DV year-round ES beds; California 1,986) × the place's share of \
the state's population — a floor, since only DV providers reporting to their Continuum of Care are counted; state \
psychiatric hospital beds at the national 10.8 per 100,000 (Treatment Advocacy Center 2023, as summarised by \
Behavioral Health Business) — no per-state file was found. Both are `derived`, marked `existing_default` and named in \
the data-quality reasons of every output; a line of the user's own `--inventory` replaces the default.\n\n",
    );

    o.push_str("## Drivers\n\nA local figure (`--set id=value`, a driver file, or data for a named place) always replaces the default estimate.\n\n");
    o.push_str(VIOLENCE);
    for d in &catalog.drivers {
        o.push_str(&format!("### `{}` — {}\n\nUnit: {}. {}\n\n", d.id, d.name, d.unit, d.description));
        if d.is_required() {
            o.push_str("Required: no default estimate.\n\n");
            continue;
        }
        let vintage = d.vintage.as_ref().map(|v| format!(" (vintage {v})")).unwrap_or_default();
        o.push_str(&format!("Default{vintage}: {}\n\n", describe_estimate(d).trim_start_matches("estimated: ")));
        for t in &d.estimate {
            if t.condition != safetygap_core::catalog::Condition::Always {
                o.push_str(&format!("- Term `{}`{}:\n", t.driver, t.condition.describe()));
            }
            for f in &t.factors {
                let flag = if f.evidence == safetygap_core::Evidence::Assumption { " ⚠ assumption" } else { "" };
                o.push_str(&format!(
                    "- {} = {} ({}{flag}){}\n",
                    f.name,
                    fmt_range(f.value),
                    f.evidence,
                    if f.divide { ", divides" } else { "" }
                ));
                for c in &f.citations {
                    o.push_str(&format!("  - Source: {c}\n"));
                }
            }
        }
        o.push('\n');
    }

    for area in GapArea::ALL {
        o.push_str(&format!("## {}\n\n", area.title()));
        let mut all: Vec<_> = catalog.benchmarks.iter().chain(&catalog.beyond_tier).collect();
        all.sort_by_key(|b| b.seq);
        for b in all.into_iter().filter(|b| b.gap_area == area) {
            let flag = if b.evidence == safetygap_core::Evidence::Assumption { " ⚠" } else { "" };
            o.push_str(&format!("### `{}` — {}{flag}\n\n{}\n\n", b.id, b.name, b.description));
            let formula = match &b.scale {
                Scale::Ratio { per, units } => format!("{} {} per {} `{}`", fmt_range(*units), b.unit, fmt_num(*per), b.driver),
                Scale::Caseload { caseload } => format!("one of {} per {} `{}` (caseload)", b.unit, fmt_range(*caseload), b.driver),
            };
            o.push_str(&format!("- **Kind:** {}\n", b.kind));
            if let Some(m) = b.min_viable {
                o.push_str(&format!(
                    "- **Smallest viable unit:** {} {}; below it, a share of a county or regional unit\n",
                    fmt_num(m),
                    b.unit
                ));
            }
            if let Some(t) = &b.team_of {
                o.push_str(&format!("- **Team of:** `{t}` — staff = its units × staff per unit\n"));
            }
            o.push_str(&format!("- **Need:** {formula} (evidence: {}){}\n", b.evidence, if b.whole_units { "; whole units" } else { "" }));
            for c in &b.citations {
                o.push_str(&format!("  - Source: {c}\n"));
            }
            o.push_str(&cost_line("Annual cost", &b.annual_cost));
            if let Some(s) = &b.startup_cost {
                o.push_str(&cost_line("Start-up cost", s).replace(" a year per unit", " per new unit"));
            }
            if let Some(p) = &b.payers {
                let shares: Vec<String> = p
                    .shares
                    .iter()
                    .map(|s| {
                        format!("{} {:.1}%", s.payers.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(" + "), s.share * 100.0)
                    })
                    .collect();
                o.push_str(&format!(
                    "- **Who pays:** {} (evidence: {}); {}\n",
                    p.who.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", "),
                    p.evidence,
                    if shares.is_empty() {
                        "no published shares: split unknown".to_string()
                    } else {
                        format!("published shares: {}; the rest split unknown", shares.join(", "))
                    }
                ));
                if let Some(n) = &p.note {
                    o.push_str(&format!("  - {n}\n"));
                }
                for c in &p.citations {
                    o.push_str(&format!("  - Source: {c}\n"));
                }
            }
            o.push('\n');
        }
        for a in catalog.addons.iter().filter(|a| a.gap_area == area) {
            o.push_str(&format!(
                "### `{}` — {} (add-on)\n\n{}\n\n- **Cost:** {} of the annual cost of {} (evidence: {})\n",
                a.id,
                a.name,
                a.description,
                fmt_range(a.share),
                a.of.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                a.evidence
            ));
            for c in &a.citations {
                o.push_str(&format!("  - Source: {c}\n"));
            }
            o.push('\n');
        }
    }
    o
}
