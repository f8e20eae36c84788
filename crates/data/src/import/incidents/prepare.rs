//! Counts to a stored source for one place.

use super::{IncidentCounts, IncidentError};

impl IncidentCounts {
    /// The year to store: the latest with incidents through December, else
    /// the latest year.
    pub fn latest_complete_year(&self) -> Option<u16> {
        self.years.iter().rev().find(|(_, c)| c.last_month == 12).or_else(|| self.years.iter().next_back()).map(|(y, _)| *y)
    }
}

/// Turns a file's counts into a stored source for `place` (a gazetteer
/// GEOID): for a general crime file the chosen year's `homicides`; for a
/// shootings file its `nonfatal_shootings` only (shooting murders are a
/// subset of homicides and never replace them), as local figures (drivers form), with every year's
/// counts, the file's name, SHA-256 and date range in the manifest entry.
/// Nothing is written.
pub fn prepare(
    file: &str,
    origin: &str,
    counts: &IncidentCounts,
    place: &crate::embedded::Jurisdiction,
    year: Option<u16>,
) -> Result<crate::store::Prepared, IncidentError> {
    let year = match year {
        Some(y) if counts.years.contains_key(&y) => y,
        Some(y) => {
            let have: Vec<String> = counts.years.keys().map(u16::to_string).collect();
            return Err(IncidentError::Column(
                file.into(),
                format!("--year {y}: the file has no incidents in {y}; it covers {}", have.join(", ")),
            ));
        }
        None => counts.latest_complete_year().ok_or_else(|| IncidentError::NotCsv(file.into(), "no dated rows".into()))?,
    };
    let c = counts.years[&year];
    let key_col = &counts.header[counts.columns.key];
    let what = if counts.shootings { "shooting incidents" } else { "incidents" };
    let mut csv = String::from(crate::store::DRIVERS_FORM_HEADER);
    csv.push('\n');
    let mut records = 0;
    // A shootings file's fatal incidents are shooting murders, a subset of
    // homicides (NYPD 2018: 151 against the FBI's 295 murders): they are
    // not stored as `homicides`, which keep their other source; only the
    // non-fatal shootings are stored. A general crime file's murder
    // offenses are homicides.
    if let Some(h) = c.homicides {
        if counts.shootings {
            csv.push_str(&format!("{},nonfatal_shootings,{}\n", place.geoid, c.incidents - h));
        } else {
            csv.push_str(&format!("{},homicides,{h}\n", place.geoid));
        }
        records += 1;
    }
    if records == 0 {
        return Err(IncidentError::Column(
            file.into(),
            "no fatal-flag or offense column, so neither homicides nor shootings can be counted; name one with --map fatal=COLUMN or --map offense=COLUMN".into(),
        ));
    }
    let stored_sha256 = crate::store::sha256_of(csv.as_bytes());
    let id_file: String = file.chars().map(|ch| if ch.is_ascii_alphanumeric() { ch.to_ascii_lowercase() } else { '_' }).take(40).collect();
    let id = format!("incidents:{id_file}:{}", place.geoid);
    let mut notes = vec![format!(
        "{} rows from {} to {}; incidents counted by distinct {key_col} within each year; {}",
        counts.rows,
        counts.first,
        counts.last,
        if counts.shootings {
            "non-fatal shootings are the incidents not flagged fatal; the fatal ones (shooting murders) are a subset of homicides, so they are NOT stored as homicides: the place's homicides keep their other source (FBI figures, --set homicides=, or a drivers file)"
        } else {
            "homicides are the incidents whose offense names murder or homicide"
        }
    )];
    for (y, yc) in &counts.years {
        notes.push(match yc.homicides {
            Some(h) if counts.shootings => format!("{y}: {} {what}, {h} fatal, {} non-fatal", yc.incidents, yc.incidents - h),
            Some(h) => format!("{y}: {} {what}, {h} homicides", yc.incidents),
            None => format!("{y}: {} {what}", yc.incidents),
        });
    }
    let summary = if counts.shootings {
        format!(
            "{what} for {} ({}): {year}: {} {what}, {} fatal (shooting murders, not stored as homicides), {} non-fatal shootings stored",
            place.display_name(),
            place.geoid,
            c.incidents,
            c.homicides.unwrap_or(0),
            c.incidents - c.homicides.unwrap_or(0)
        )
    } else {
        format!(
            "{what} for {} ({}): {year} figures stored ({} {what}, {} homicides)",
            place.display_name(),
            place.geoid,
            c.incidents,
            c.homicides.unwrap_or(0)
        )
    };
    Ok(crate::store::Prepared {
        entry: crate::store::SourceEntry {
            stored: format!("{}-{}.csv", id.replace(':', "-"), &stored_sha256[..12]),
            id,
            kind: "drivers".into(),
            file: file.into(),
            origin: origin.into(),
            sha256: counts.sha256.clone(),
            imported_at: String::new(),
            vintage: year.to_string(),
            records,
            stored_sha256,
            summary,
            notes,
        },
        stored_bytes: csv.into_bytes(),
    })
}
