//! County Health Rankings measure files (import only: CC BY-NC-SA 4.0, never
//! embedded): v015 homicide deaths (7 years, county of residence) and v148
//! firearm deaths (5 years; suicides and accidents included, so never used
//! as homicides: they feed `firearm_deaths`).
//!
//! Layout: `statecode,countycode,vNNN_denominator,vNNN_numerator,vNNN_rawvalue,...`;
//! codes are split across two columns and keep their leading zeros;
//! `countycode` 000 is the state (state 00 the nation); counts under 10 are
//! blank (suppressed), and such rows are skipped. The yearly figure is the
//! numerator (deaths over the window) ÷ the window's years.

use crate::embedded::Gazetteer;
use crate::store::{Prepared, SourceEntry};

/// Which measure a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// v015: homicide deaths, 7 years.
    Homicides,
    /// v148: firearm deaths, 5 years.
    FirearmDeaths,
}

impl Measure {
    /// Recognises a file from its first line.
    pub fn detect(first_line: &str) -> Option<Measure> {
        let l = first_line.to_ascii_lowercase();
        if !l.starts_with("statecode,countycode,") {
            return None;
        }
        if l.contains("v015_numerator") {
            Some(Measure::Homicides)
        } else if l.contains("v148_numerator") {
            Some(Measure::FirearmDeaths)
        } else {
            None
        }
    }

    fn code(self) -> &'static str {
        match self {
            Measure::Homicides => "v015",
            Measure::FirearmDeaths => "v148",
        }
    }

    fn driver(self) -> &'static str {
        match self {
            Measure::Homicides => "homicides",
            Measure::FirearmDeaths => "firearm_deaths",
        }
    }

    fn years(self) -> (u16, u16) {
        match self {
            Measure::Homicides => (2017, 2023),
            Measure::FirearmDeaths => (2019, 2023),
        }
    }
}

/// Parses the file and prepares its stored form (local figures per county
/// and state, yearly averages). Errors name the file and line.
pub fn prepare(file: &str, origin: &str, bytes: &[u8], g: &Gazetteer) -> Result<Prepared, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{file}: not UTF-8 text; save the file as CSV (UTF-8)"))?;
    let mut lines = text.lines().enumerate();
    let (_, head) = lines.next().ok_or_else(|| format!("{file}: the file is empty"))?;
    let m = Measure::detect(head).ok_or_else(|| format!("{file} line 1: not a County Health Rankings v015 or v148 file (the header should start statecode,countycode,v015_denominator,v015_numerator or the v148 equivalent)"))?;
    let cols: Vec<&str> = head.split(',').map(str::trim).collect();
    let num_col = cols
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&format!("{}_numerator", m.code())))
        .ok_or_else(|| format!("{file} line 1: no {}_numerator column", m.code()))?;
    let (y0, y1) = m.years();
    let span = f64::from(y1 - y0 + 1);
    let mut csv = format!("{}\n", crate::store::DRIVERS_FORM_HEADER);
    let (mut records, mut suppressed, mut unknown) = (0usize, 0usize, Vec::new());
    for (i, line) in lines {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != cols.len() {
            return Err(format!(
                "{file}:{line_no}: {} fields where the header has {} (a truncated file ends like this)",
                f.len(),
                cols.len()
            ));
        }
        let (st, co) = (f[0].trim(), f[1].trim());
        if st.len() != 2 || co.len() != 3 || !st.bytes().chain(co.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{file}:{line_no}: codes \"{st}\",\"{co}\" are not a 2-digit state and 3-digit county code (a spreadsheet may have dropped the leading zeros; re-export them as text)"
            ));
        }
        let geoid = match (st, co) {
            ("00", _) => "US".to_string(),
            (s, "000") => s.to_string(),
            (s, c) => format!("{s}{c}"),
        };
        let n = f[num_col].trim();
        if n.is_empty() {
            suppressed += 1;
            continue;
        }
        let v: f64 = n
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("{file}:{line_no}: {}_numerator \"{n}\" is not a count", m.code()))?;
        if g.get(&geoid).is_none() {
            unknown.push(geoid);
            continue;
        }
        csv.push_str(&format!("{geoid},{},{}\n", m.driver(), v / span));
        records += 1;
    }
    if records == 0 {
        return Err(format!("{file}: no usable rows"));
    }
    let stored_sha256 = crate::store::sha256_of(csv.as_bytes());
    let id = format!("chr:{}", m.code());
    let mut notes = vec![format!(
        "County Health Rankings {} ({}): deaths {y0}-{y1} by county of residence ÷ {span} years = a yearly average{}; CC BY-NC-SA 4.0 (import only)",
        m.code(),
        if m == Measure::Homicides { "homicide deaths" } else { "firearm deaths, including suicides and accidents: never used as homicides" },
        if m == Measure::Homicides { "" } else { " (drives firearm_deaths)" }
    )];
    if suppressed > 0 {
        notes.push(format!("{suppressed} rows suppressed in the file (fewer than 10 deaths): those areas keep their other figures"));
    }
    if !unknown.is_empty() {
        notes.push(format!(
            "{} codes match no county of the gazetteer and are not used (e.g. Connecticut's old counties or new planning regions): {}",
            unknown.len(),
            unknown.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(Prepared {
        entry: SourceEntry {
            stored: format!("chr-{}-{}.csv", m.code(), &stored_sha256[..12]),
            id,
            kind: "drivers".into(),
            file: file.into(),
            origin: origin.into(),
            sha256: crate::store::sha256_of(bytes),
            imported_at: String::new(),
            vintage: format!("{y0}-{y1}"),
            records,
            stored_sha256,
            summary: format!(
                "County Health Rankings {}: yearly {} of {} counties and states",
                m.code(),
                m.driver().replace('_', " "),
                safetygap_core::drivers::fmt_thousands(records as f64)
            ),
            notes,
        },
        stored_bytes: csv.into_bytes(),
    })
}
