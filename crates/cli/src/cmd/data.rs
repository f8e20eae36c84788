//! `safetygap data`: import official files into the user's data directory,
//! list the sources in use, download current Census files, reset.

use anyhow::{anyhow, bail, Context, Result};
use safetygap_data::embedded::gazetteer;
use safetygap_data::import::ImportKind;
use safetygap_data::store::status::{embedded_packages, embedded_sources, precedence};
use safetygap_data::store::update::{self, MAX_DOWNLOAD_BYTES};
use safetygap_data::store::{default_dir, ImportOptions, SourceEntry, Store};
use std::path::PathBuf;

/// Manage imported data: official files and local figures that take
/// precedence over the embedded data.
///
/// Data is kept in --data-dir DIR, else $SAFETYGAP_DATA_DIR, else
/// $XDG_DATA_HOME/safetygap, else ~/.local/share/safetygap.
#[derive(clap::Subcommand, Debug)]
#[command(verbatim_doc_comment)]
pub enum Command {
    /// Import an official file or a drivers file
    ///
    /// Its figures then take precedence over the embedded data.
    ///
    /// Examples:
    ///   safetygap data import co-est2023-alldata.csv
    ///   safetygap data import sub-est2019_all.csv
    ///   safetygap data import estimated_crimes_1979_2023.csv
    ///   safetygap data import p22stt09.csv
    ///   safetygap data import rates_crime_place_all.csv --max-quality 2
    ///   safetygap data import our-figures.csv --kind drivers --vintage 2024
    #[command(verbatim_doc_comment)]
    Import(ImportArgs),
    /// List every data source in use, and which takes precedence.
    Status(StatusArgs),
    /// Download the current official Census population files
    ///
    /// Examples:
    ///   safetygap data update
    ///   safetygap data update --only census-counties
    ///   safetygap data update --url-base https://mirror.example.org/census
    #[command(verbatim_doc_comment)]
    Update(UpdateArgs),
    /// Remove all imported data, so the embedded data is used again.
    Reset(ResetArgs),
}

/// `data import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The file: co-estYYYY-alldata.csv, sub-estYYYY_all.csv,
    /// estimated_crimes_*.csv, a BJS releases table (p22stt09.csv) or a
    /// drivers file (geoid plus one column per driver).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The kind of file, if it is not recognised: census-counties,
    /// census-subcounty, fbi, bjs, drivers, urban-crime-rates (the Urban
    /// Institute's rates_crime_county_all.csv or rates_crime_place_all.csv),
    /// or incidents (a city's incident-level file; needs --place).
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<KindArg>,
    /// For an incident file: the place it covers (a GEOID, see `safetygap search`).
    #[arg(long, value_name = "GEOID")]
    pub place: Option<String>,
    /// For an incident file: which columns hold what, overriding detection,
    /// e.g. date=OCCUR_DATE,key=INCIDENT_KEY,fatal=STATISTICAL_MURDER_FLAG
    /// (or offense=Primary Type).
    #[arg(long, value_name = "ROLE=COLUMN,...")]
    pub map: Option<String>,
    /// For an incident file: the year to store (default: the latest year
    /// with incidents through December); for Urban Institute crime rates,
    /// the year to import (default: the latest in the file).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// For Urban Institute crime rates: the worst quality flag to accept
    /// (1, 2 or 3; default 1, the rates of places that reported fully).
    #[arg(long, value_name = "N")]
    pub max_quality: Option<u8>,
    /// For a drivers file: the year its figures describe.
    #[arg(long, value_name = "YEAR")]
    pub vintage: Option<String>,
}

/// `data status`.
#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = super::TableOrJson::Table)]
    pub format: super::TableOrJson,
}

/// `data update`.
#[derive(clap::Args, Debug)]
pub struct UpdateArgs {
    /// Fetch the files from this address instead of the Census Bureau's
    /// (a mirror serving the same file names, e.g. co-est2024-alldata.csv).
    #[arg(long, value_name = "URL")]
    pub url_base: Option<String>,
    /// Only these kinds, comma-separated: census-counties, census-subcounty.
    #[arg(long, value_name = "KINDS")]
    pub only: Option<String>,
}

/// `data reset`.
#[derive(clap::Args, Debug)]
pub struct ResetArgs {
    /// Confirm removing the imported data.
    #[arg(long)]
    pub yes: bool,
}

/// `--kind`: an official kind, or `incidents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindArg {
    /// One of the importers' kinds.
    Official(ImportKind),
    /// An incident-level file.
    Incidents,
    /// Urban Institute crime rates by county or place.
    UrbanRates,
}

fn parse_kind(s: &str) -> Result<KindArg, String> {
    match s {
        "incidents" => return Ok(KindArg::Incidents),
        "urban-crime-rates" | "urban" | "urban-rates" => return Ok(KindArg::UrbanRates),
        _ => {}
    }
    s.parse().map(KindArg::Official).map_err(|e: String| format!("{e} (or incidents, urban-crime-rates)"))
}

/// Runs a `data` subcommand.
pub fn run(c: Command) -> Result<()> {
    match c {
        Command::Import(a) => import(a),
        Command::Status(a) => status(a),
        Command::Update(a) => update(a),
        Command::Reset(a) => reset(a),
    }
}

fn open() -> Result<Store> {
    let dir = default_dir()?;
    Ok(Store::open(dir)?)
}

fn describe_entry(e: &SourceEntry) -> String {
    let mut s = format!(
        "{} ({}, vintage {}, {} records): {}\n",
        e.file,
        e.kind_label(),
        e.vintage,
        safetygap_report::fmt::thousands(e.records as f64),
        e.summary
    );
    for n in &e.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    s
}

/// What `data import` was given, once recognised: the importer-specific
/// flags each takes are checked against it ([`check_flags`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Importing {
    Incidents,
    UrbanRates,
    CountyHealth,
    /// An official file or a drivers file (`None`: recognised later, by the store).
    Official(Option<ImportKind>),
}

impl Importing {
    fn description(self) -> &'static str {
        match self {
            Importing::Incidents => "an incident file (--kind incidents)",
            Importing::UrbanRates => "an Urban Institute crime rates file",
            Importing::CountyHealth => "a County Health Rankings measure file",
            Importing::Official(Some(k)) => k.description(),
            Importing::Official(None) => "not an incident or Urban Institute crime rates file",
        }
    }
}

/// Refuses an importer-specific flag given for a file it does nothing for,
/// naming the kinds that take it (a flag silently ignored would let a user
/// believe it was applied).
fn check_flags(what: Importing, a: &ImportArgs) -> Result<()> {
    use Importing::*;
    const INCIDENTS: &str = "incident files (--kind incidents)";
    let flags: [(&str, bool, &[Importing], &str); 5] = [
        ("--place", a.place.is_some(), &[Incidents], INCIDENTS),
        ("--map", a.map.is_some(), &[Incidents], INCIDENTS),
        (
            "--year",
            a.year.is_some(),
            &[Incidents, UrbanRates],
            "incident files (--kind incidents) and Urban Institute crime rates files (--kind urban-crime-rates)",
        ),
        (
            "--max-quality",
            a.max_quality.is_some(),
            &[UrbanRates],
            "Urban Institute crime rates files (--kind urban-crime-rates: rates_crime_county_all.csv, rates_crime_place_all.csv), whose rates carry quality flags",
        ),
        (
            "--vintage",
            // Official files are checked by the store, which knows their kind.
            a.vintage.is_some() && !matches!(what, Official(_)),
            &[Official(Some(ImportKind::Drivers))],
            "drivers files (--kind drivers); other files carry their own year",
        ),
    ];
    for (flag, given, takes, who) in flags {
        if given && !takes.contains(&what) {
            bail!("{flag} applies only to {who}, and this is {}; leave {flag} out. Nothing stored was changed", what.description());
        }
    }
    Ok(())
}

fn import(a: ImportArgs) -> Result<()> {
    if a.kind == Some(KindArg::Incidents) {
        check_flags(Importing::Incidents, &a)?;
        return import_incidents(a);
    }
    // A file without --kind is recognised by its header (in its first 64 KB).
    let header = match a.kind {
        None => {
            use std::io::Read;
            let mut bytes = Vec::new();
            if let Ok(f) = std::fs::File::open(&a.file) {
                let _ = f.take(64 * 1024).read_to_end(&mut bytes);
            }
            let end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
            Some(String::from_utf8_lossy(&bytes[..end]).trim_start_matches('\u{feff}').to_string())
        }
        Some(_) => None,
    };
    if a.kind == Some(KindArg::UrbanRates) || header.as_deref().is_some_and(|h| safetygap_data::import::urban::Level::detect(h).is_some()) {
        check_flags(Importing::UrbanRates, &a)?;
        return import_urban(a);
    }
    let kind = match a.kind {
        Some(KindArg::Official(k)) => Some(k),
        _ => None,
    };
    // Only a County Health Rankings measure file is read whole here; any
    // other file is read once, by the store.
    if header.as_deref().is_some_and(|h| safetygap_data::import::chr::Measure::detect(h).is_some()) {
        check_flags(Importing::CountyHealth, &a)?;
        let bytes = std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
        let name = a.file.file_name().map_or_else(|| a.file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let origin = std::fs::canonicalize(&a.file).unwrap_or_else(|_| a.file.clone()).display().to_string();
        let prepared = safetygap_data::import::chr::prepare(&name, &origin, &bytes, gazetteer())
            .map_err(|e| anyhow!("{e}. Nothing stored was changed"))?;
        let mut store = open()?;
        let entry = store.save(prepared)?;
        print!("Imported {}", describe_entry(&entry));
        println!("Stored in {}; these figures now take precedence over the embedded data.", store.dir().path.display());
        return Ok(());
    }
    check_flags(Importing::Official(kind), &a)?;
    let mut store = open()?;
    let opts = ImportOptions { kind, origin: String::new(), vintage: a.vintage };
    let entry = store.import_path(&a.file, &opts, gazetteer())?;
    print!("Imported {}", describe_entry(&entry));
    println!(
        "Stored in {}; these figures now take precedence over the embedded data. `safetygap data status` lists every source in use.",
        store.dir().path.display()
    );
    Ok(())
}

fn status(a: StatusArgs) -> Result<()> {
    let g = gazetteer();
    let dir = default_dir()?;
    let opened = Store::open(dir.clone());
    let (sources, problem) = match &opened {
        Ok(s) => (s.sources().to_vec(), s.load().err().map(|e| e.to_string())),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let embedded = embedded_sources(g);
    let order = precedence(g, &sources);
    if a.format == super::TableOrJson::Json {
        let v = serde_json::json!({
            "data_dir": dir.path.display().to_string(),
            "data_dir_from": dir.origin.describe(),
            "imported": sources,
            "embedded": embedded,
            "embedded_packages": embedded_packages(),
            "precedence": order,
            "problem": problem,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let mut out = format!("Data directory: {} (from {})\n\n", dir.path.display(), dir.origin.describe());
        out.push_str("IMPORTED (takes precedence over the embedded data)\n");
        if sources.is_empty() {
            out.push_str("  nothing imported: `safetygap data import FILE` or `safetygap data update`\n");
        }
        for s in &sources {
            out.push_str(&format!(
                "  {:<16} {}  vintage {}  {} records  sha256 {}  imported {}\n",
                s.kind_label(),
                s.file,
                s.vintage,
                safetygap_report::fmt::thousands(s.records as f64),
                s.sha256_prefix(),
                s.imported_at
            ));
            out.push_str(&format!("  {:<16} {}\n", "", s.summary));
            for n in &s.notes {
                out.push_str(&format!("  {:<16} note: {n}\n", ""));
            }
            if s.origin != s.file {
                out.push_str(&format!("  {:<16} from {}\n", "", s.origin));
            }
        }
        out.push_str("\nEMBEDDED (built in; package, version and sha256 of each file in data/PROVENANCE.md)\n");
        for e in &embedded {
            out.push_str(&format!("  {}\n      {}, vintage {}\n", e.figures, e.source, e.vintage));
            if let Some(at) = &e.attribution {
                out.push_str(&format!("      {at}\n"));
            }
        }
        let packages: Vec<String> = embedded_packages()
            .iter()
            .map(|p| format!("{} {} {} (sha256 {})", p.registry, p.package, p.version, p.sha256.get(..12).unwrap_or(&p.sha256)))
            .collect();
        if !packages.is_empty() {
            out.push_str(&format!("  packages: {}\n", packages.join("; ")));
        }
        out.push_str("\nPRECEDENCE (the first source that gives a figure is used)\n");
        for f in &order {
            out.push_str(&format!("  {}\n", f.figure));
            for (i, s) in f.sources.iter().enumerate() {
                out.push_str(&format!("    {}. {s}\n", i + 1));
            }
        }
        print!("{out}");
    }
    match problem {
        Some(p) => Err(anyhow!("{p}")),
        None => Ok(()),
    }
}

fn update(a: UpdateArgs) -> Result<()> {
    let sources = update::select_sources(a.only.as_deref()).map_err(anyhow::Error::msg)?;
    let mut store = open()?;
    let g = gazetteer();
    let mut done: Vec<String> = Vec::new();
    for src in &sources {
        let url = update::url_for(src, a.url_base.as_deref());
        eprintln!("Downloading {url} ...");
        match update::update_one(&mut store, src, a.url_base.as_deref(), MAX_DOWNLOAD_BYTES, g) {
            Ok(entry) => {
                print!("Updated {}", describe_entry(&entry));
                done.push(format!("{} (vintage {})", entry.kind, entry.vintage));
            }
            Err(e) if done.is_empty() => bail!("{e}"),
            Err(e) => bail!("{} updated; then: {e}", done.join(", ")),
        }
    }
    println!("Stored in {}. `safetygap data status` lists every source in use.", store.dir().path.display());
    Ok(())
}

fn reset(a: ResetArgs) -> Result<()> {
    let dir = default_dir()?;
    if !a.yes {
        let what = match Store::open(dir.clone()) {
            Ok(s) if s.sources().is_empty() => {
                println!("Nothing is imported in {}; plans use the embedded data.", dir.path.display());
                return Ok(());
            }
            Ok(s) => {
                let files: Vec<&str> = s.sources().iter().map(|e| e.file.as_str()).collect();
                format!("this removes {} imported source(s): {}", files.len(), files.join(", "))
            }
            Err(_) => "this removes the damaged imported data".to_string(),
        };
        bail!("{what} in {}; run `safetygap data reset --yes` to confirm", dir.path.display());
    }
    let removed = Store::reset(&dir)?;
    if removed == 0 {
        println!("Nothing was imported in {}; plans use the embedded data.", dir.path.display());
    } else {
        println!("Removed the imported data from {}; plans use the embedded data again.", dir.path.display());
    }
    Ok(())
}

/// `data import FILE --kind incidents --place GEOID`: streams the file,
/// counts distinct incidents per year and stores the chosen year's figures
/// for the place. Nothing is stored when anything is wrong.
fn import_incidents(a: ImportArgs) -> Result<()> {
    use safetygap_data::import::incidents;
    let Some(place) = a.place.as_deref() else {
        anyhow::bail!("an incident file needs --place GEOID (the city it covers; `safetygap search NAME` shows GEOIDs)");
    };
    let g = gazetteer();
    let Some(j) = g.get(place) else {
        anyhow::bail!("--place {place}: no such GEOID; `safetygap search NAME` shows GEOIDs");
    };
    let map = match &a.map {
        Some(m) => incidents::Mapping::parse(m).map_err(|e| anyhow::anyhow!("--map: {e}"))?,
        None => incidents::Mapping::default(),
    };
    let counts = incidents::count_path(&a.file, &map, 0).map_err(|e| anyhow!("{e}. Nothing stored was changed"))?;
    let name = a.file.file_name().map_or_else(|| a.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let origin = std::fs::canonicalize(&a.file).unwrap_or_else(|_| a.file.clone()).display().to_string();
    let prepared = incidents::prepare(&name, &origin, &counts, j, a.year).map_err(|e| anyhow!("{e}. Nothing stored was changed"))?;
    let mut store = open()?;
    let entry = store.save(prepared)?;
    print!("Imported {}", describe_entry(&entry));
    println!(
        "Stored in {}; these figures now take precedence over the embedded data for {}.",
        store.dir().path.display(),
        j.display_name()
    );
    Ok(())
}

/// `data import rates_crime_*_all.csv`: the Urban Institute's county or
/// place crime rates, quality 1 only unless --max-quality allows more.
fn import_urban(a: ImportArgs) -> Result<()> {
    use safetygap_data::import::urban;
    let bytes = std::fs::read(&a.file).with_context(|| a.file.display().to_string())?;
    let name = a.file.file_name().map_or_else(|| a.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let origin = std::fs::canonicalize(&a.file).unwrap_or_else(|_| a.file.clone()).display().to_string();
    let opts = urban::Options { max_quality: a.max_quality.unwrap_or(1), year: a.year };
    let prepared = urban::prepare(&name, &origin, &bytes, gazetteer(), opts).map_err(|e| anyhow!("{e}. Nothing stored was changed"))?;
    let mut store = open()?;
    let entry = store.save(prepared)?;
    print!("Imported {}", describe_entry(&entry));
    println!("Stored in {}; these figures now take precedence over the embedded data.", store.dir().path.display());
    Ok(())
}
