//! Urban Institute crime rates by county and place (mobility metrics,
//! `rates_crime_county_all.csv`, `rates_crime_place_all.csv`): violent and
//! property crimes per 100,000 residents, 2021-2023, computed from FBI
//! incident-based reporting (NIBRS), each with a quality flag 1-3. Import
//! only, never embedded (the files carry no licence).
//!
//! Only quality-1 rates are used unless the user allows more: a rate comes
//! from the incidents an agency submitted, so a place whose police barely
//! reported gets a meaningless rate (Oakland's 2022 place rate is 2.28
//! violent crimes per 100,000, quality 3, when the city's police counted
//! over 5,000 violent crimes a year).
//!
//! Layout: `year,state,county|place,rate_crime_violent,rate_crime_property,
//! rate_crime_violent_quality,rate_crime_property_quality`; codes keep their
//! leading zeros; missing values are `NA`. One year is imported (the latest
//! in the file unless chosen), and each rate becomes `violent_crimes` =
//! rate × the jurisdiction's embedded Census population ÷ 100,000.

use crate::embedded::Gazetteer;
use crate::store::{Prepared, SourceEntry};

/// Which geography a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `rates_crime_county_all.csv`: state + county codes.
    County,
    /// `rates_crime_place_all.csv`: state + place codes (7-digit Census place GEOIDs).
    Place,
}

impl Level {
    /// Recognises a file from its first line: a `year`, `state`, `county` or
    /// `place` column and a `rate_crime_…` column.
    pub fn detect(first_line: &str) -> Option<Level> {
        let cells = cells(first_line);
        let has = |n: &str| cells.iter().any(|c| c == n);
        if !(has("year") && has("state") && cells.iter().any(|c| c.starts_with("rate_crime_"))) {
            return None;
        }
        if has("county") {
            Some(Level::County)
        } else if has("place") {
            Some(Level::Place)
        } else {
            None
        }
    }

    fn column(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Place => "place",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Level::County => "counties",
            Level::Place => "places",
        }
    }

    fn width(self) -> usize {
        match self {
            Level::County => 3,
            Level::Place => 5,
        }
    }
}

fn cells(line: &str) -> Vec<String> {
    line.trim_end_matches(['\r', '\n']).split(',').map(|c| c.trim().trim_matches('"').trim().to_ascii_lowercase()).collect()
}

/// What to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The worst quality flag accepted (1 by default: only rates the
    /// Urban Institute judged complete).
    pub max_quality: u8,
    /// The year to import (the latest in the file when `None`).
    pub year: Option<u16>,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_quality: 1, year: None }
    }
}

/// The stored source id, `urban:county` or `urban:place`: importing a file
/// of the same level again (another year or quality) replaces it.
pub fn source_id(level: Level) -> String {
    format!("urban:{}", level.column())
}

/// Parses a file and prepares its stored form (local `violent_crimes` per
/// county or place). Errors name the file and line; nothing is returned
/// unless the whole file is good.
pub fn prepare(file: &str, origin: &str, bytes: &[u8], g: &Gazetteer, opts: Options) -> Result<Prepared, String> {
    if !(1..=3).contains(&opts.max_quality) {
        return Err(format!("--max-quality {}: the quality flags are 1, 2 and 3", opts.max_quality));
    }
    if bytes.contains(&0) {
        return Err(format!(
            "{file}: a binary file, not CSV text; give the Urban Institute's rates_crime_county_all.csv or rates_crime_place_all.csv"
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("{file}:{line}: not UTF-8 text; save the file as CSV (UTF-8)")
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().enumerate();
    let (_, head) = lines.next().filter(|(_, l)| !l.trim().is_empty()).ok_or_else(|| format!("{file}: the file is empty"))?;
    let level = Level::detect(head).ok_or_else(|| {
        format!("{file} line 1: not an Urban Institute crime rates file (the header should read year,state,county (or place),rate_crime_violent,rate_crime_property,rate_crime_violent_quality,rate_crime_property_quality)")
    })?;
    let cols = cells(head);
    let need = ["year", "state", level.column(), "rate_crime_violent", "rate_crime_violent_quality"];
    let missing: Vec<&str> = need.iter().copied().filter(|n| !cols.iter().any(|c| c == n)).collect();
    if !missing.is_empty() {
        return Err(format!("{file} line 1: missing column(s) {}; the Urban Institute's file has year,state,{},rate_crime_violent,rate_crime_property,rate_crime_violent_quality,rate_crime_property_quality", missing.join(", "), level.column()));
    }
    let at = |n: &str| cols.iter().position(|c| c == n).unwrap_or(0);
    let (iy, is, ic, ir, iq) = (at("year"), at("state"), at(level.column()), at("rate_crime_violent"), at("rate_crime_violent_quality"));

    // Every row is checked before anything is kept.
    struct Row {
        year: u16,
        geoid: String,
        rate: Option<f64>,
        quality: Option<u8>,
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').map(str::trim).collect();
        if f.len() != cols.len() {
            return Err(format!(
                "{file}:{n}: {} fields where the header has {} (a truncated file ends like this; download it again)",
                f.len(),
                cols.len()
            ));
        }
        let year: u16 = f[iy]
            .parse()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| format!("{file}:{n}: year \"{}\" is not a year", f[iy]))?;
        let (st, code) = (f[is].trim_matches('"'), f[ic].trim_matches('"'));
        if st.len() != 2 || code.len() != level.width() || !st.bytes().chain(code.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{file}:{n}: codes \"{st}\",\"{code}\" are not a 2-digit state and {}-digit {} code (a spreadsheet may have dropped the leading zeros; re-export them as text)",
                level.width(),
                level.column()
            ));
        }
        let rate = match f[ir] {
            "NA" | "" => None,
            r => Some(
                r.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| format!("{file}:{n}: rate_crime_violent \"{r}\" is not a rate"))?,
            ),
        };
        let quality = match f[iq] {
            "NA" | "" => None,
            q => Some(
                q.parse::<u8>()
                    .ok()
                    .filter(|q| (1..=3).contains(q))
                    .ok_or_else(|| format!("{file}:{n}: rate_crime_violent_quality \"{q}\" is not 1, 2 or 3"))?,
            ),
        };
        rows.push(Row { year, geoid: format!("{st}{code}"), rate, quality });
    }
    let latest = rows.iter().map(|r| r.year).max().ok_or_else(|| format!("{file}: no data rows"))?;
    let year = opts.year.unwrap_or(latest);
    if !rows.iter().any(|r| r.year == year) {
        let mut years: Vec<u16> = rows.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        let list: Vec<String> = years.iter().map(u16::to_string).collect();
        return Err(format!("{file}: no rows for {year}; the file has {}", list.join(", ")));
    }

    let mut csv = format!("{}\n", crate::store::DRIVERS_FORM_HEADER);
    let (mut records, mut no_rate, mut poorer, mut unknown) = (0usize, 0usize, 0usize, Vec::new());
    for r in rows.iter().filter(|r| r.year == year) {
        let (Some(rate), Some(q)) = (r.rate, r.quality) else {
            no_rate += 1;
            continue;
        };
        if q > opts.max_quality {
            poorer += 1;
            continue;
        }
        let Some(j) = g.get(&r.geoid) else {
            unknown.push(r.geoid.clone());
            continue;
        };
        csv.push_str(&format!("{},violent_crimes,{}\n", r.geoid, rate * j.population / 100_000.0));
        records += 1;
    }
    if records == 0 {
        return Err(format!(
            "{file}: no {year} rate of quality {} or better matches a {} ({poorer} of poorer quality, {no_rate} without a rate); nothing to import (--max-quality 2 or 3 accepts poorer rates)",
            opts.max_quality,
            level.column()
        ));
    }
    let mut notes = vec![
        format!(
            "Urban Institute violent crime rates per 100,000 for {year}, from FBI incident-based reporting (NIBRS); each becomes violent_crimes = rate × the embedded Census population (Vintage 2023) ÷ 100,000; import only (no licence)"
        ),
        format!(
            "only quality {} is used{}: {poorer} {} with a poorer quality flag and {no_rate} without a rate keep their other figures (a place that barely reported gets a meaningless rate: Oakland's 2022 rate is 2.28 per 100,000, quality 3)",
            if opts.max_quality == 1 { "1".to_string() } else { format!("1 to {}", opts.max_quality) },
            if opts.max_quality == 1 { " (--max-quality 2 or 3 accepts poorer rates)" } else { "" },
            level.plural()
        ),
        "NIBRS counts every offense in an incident, where the FBI's older summary counts (the embedded 2018 city figures) count only the most serious, so NIBRS rates run slightly higher".to_string(),
    ];
    if !unknown.is_empty() {
        notes.push(format!(
            "{} codes match no {} of the gazetteer and are not used: {}",
            unknown.len(),
            level.column(),
            unknown.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let stored_sha256 = crate::store::sha256_of(csv.as_bytes());
    Ok(Prepared {
        entry: SourceEntry {
            stored: format!("urban-{}-{}.csv", level.column(), &stored_sha256[..12]),
            id: source_id(level),
            kind: "drivers".into(),
            file: file.into(),
            origin: origin.into(),
            sha256: crate::store::sha256_of(bytes),
            imported_at: String::new(),
            vintage: year.to_string(),
            records,
            stored_sha256,
            summary: format!(
                "Urban Institute crime rates: violent crimes of {} {} in {year} (quality ≤ {})",
                safetygap_core::drivers::fmt_thousands(records as f64),
                level.plural(),
                opts.max_quality
            ),
            notes,
        },
        stored_bytes: csv.into_bytes(),
    })
}
