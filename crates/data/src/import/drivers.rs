//! A user's own drivers file: a `geoid` column, an optional `name`, and one
//! column per driver (`population,population_in_poverty,homicides,...`).
//!
//! This is how people bring local figures the official files lack, usually
//! typed or pasted into a spreadsheet, so the importer is strict about what
//! spreadsheets get wrong silently: GEOIDs that lost their leading zero,
//! decimal commas, negative or non-numeric figures, the same place twice.
//! An empty cell means "not given", never zero, so a missing figure cannot
//! quietly shrink a plan.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{parse_amount, ImportError, ImportKind, Row, Table};

/// One place's drivers.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverRecord {
    /// A Census GEOID (2, 5 or 7 digits) or a custom id starting with a
    /// letter, as written.
    pub geoid: String,
    /// The name from the `name` column, if the file has one and it is filled.
    pub name: Option<String>,
    /// Each driver given for the place; drivers left empty are absent.
    pub values: BTreeMap<String, f64>,
    /// The line of the file the record came from.
    pub line: u64,
}

/// The records of one drivers file.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverTable {
    /// The file's name, for provenance.
    pub file: String,
    /// The driver columns in file order, normalised (lower case, spaces and
    /// hyphens as underscores) so "Population in poverty" and
    /// `population_in_poverty` name the same driver.
    pub drivers: Vec<String>,
    /// The records in file order.
    pub records: Vec<DriverRecord>,
}

impl DriverTable {
    /// The record for an id, if present.
    pub fn get(&self, geoid: &str) -> Option<&DriverRecord> {
        self.records.iter().find(|r| r.geoid == geoid)
    }

    /// One driver's value for an id, if given.
    pub fn value(&self, geoid: &str, driver: &str) -> Option<f64> {
        self.get(geoid)?.values.get(&normalize(driver)).copied()
    }
}

/// Reads a drivers file from disk.
pub fn from_path(path: impl AsRef<Path>) -> Result<DriverTable, ImportError> {
    super::parse_path(path.as_ref(), parse)
}

/// Parses a drivers file; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<DriverTable, ImportError> {
    let table = Table::read(file, bytes)?;
    let header = &table.header;

    let Some(geoid_col) = header.find("geoid") else {
        return Err(table.missing_columns(ImportKind::Drivers, vec!["geoid".to_string()]));
    };
    let name_col = header.find("name");
    let mut driver_cols: Vec<(usize, String)> = Vec::new();
    let mut first_column_of: HashMap<String, usize> = HashMap::new();
    for (idx, raw) in header.names.iter().enumerate() {
        if idx == geoid_col || Some(idx) == name_col {
            continue;
        }
        let column_used = || table.data().iter().any(|r| r.fields.get(idx).is_some_and(|c| !c.trim().is_empty()));
        if raw.is_empty() {
            if column_used() {
                return Err(ImportError::BadHeader {
                    file: file.into(),
                    line: header.line,
                    column: header.name(idx).into(),
                    problem: "the column has figures but no name".into(),
                    fix: "write the driver's name (such as population) in the header".into(),
                });
            }
            // Spreadsheets often export trailing empty columns.
            continue;
        }
        let driver = normalize(raw);
        let first = match driver.as_str() {
            "geoid" => Some(geoid_col),
            "name" => name_col,
            _ => first_column_of.get(&driver).copied(),
        };
        if let Some(first) = first {
            return Err(ImportError::BadHeader {
                file: file.into(),
                line: header.line,
                column: header.name(idx).into(),
                problem: format!("{driver} already has column {} ({})", first + 1, header.name(first)).into(),
                fix: "keep one column per driver".into(),
            });
        }
        first_column_of.insert(driver.clone(), idx);
        driver_cols.push((idx, driver));
    }
    if driver_cols.is_empty() {
        return Err(table.missing_columns(ImportKind::Drivers, vec!["at least one driver column (such as population)".to_string()]));
    }

    let mut records = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in table.rows() {
        // Trailing empty cells may be left off by hand-made files.
        row.check_width(0)?;
        let geoid = check_geoid(&row, geoid_col)?;
        let mut values = BTreeMap::new();
        for (idx, driver) in &driver_cols {
            let t = row.text(*idx);
            if t.is_empty() {
                continue;
            }
            let v = parse_amount(t).map_err(|p| row.bad_number(*idx, p, VALUE_FIX))?;
            values.insert(driver.clone(), v);
        }
        if let Some(first) = seen.insert(geoid.clone(), row.line()) {
            return Err(row.duplicate(geoid_col, "GEOID", &geoid, first));
        }
        records.push(DriverRecord {
            geoid,
            name: name_col.map(|c| row.text(c)).filter(|t| !t.is_empty()).map(str::to_string),
            values,
            line: row.line(),
        });
    }
    if records.is_empty() {
        return Err(ImportError::NoData { file: file.into(), detail: "the file has a header but no rows of drivers".into() });
    }
    Ok(DriverTable { file: file.to_string(), drivers: driver_cols.into_iter().map(|(_, d)| d).collect(), records })
}

const VALUE_FIX: &str = "driver values must be plain numbers from 0 to 1,000,000,000 such as 12,345 or 0.5 (leave the cell empty when the value is not known, and delete the column if it is not a driver)";

/// Lower case with spaces and hyphens as underscores, so headers typed by
/// hand match the catalog's driver names.
fn normalize(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).map(str::to_lowercase).collect::<Vec<_>>().join("_")
}

/// Census GEOIDs are 2 (state), 5 (county) or 7 (place) digits; anything
/// else made of digits is almost always a GEOID a spreadsheet stripped of
/// its leading zero, which would silently point at the wrong place.
fn check_geoid(row: &Row<'_>, idx: usize) -> Result<String, ImportError> {
    const FIX: &str = "a GEOID has 2 digits for a state, 5 for a county or 7 for a place (such as 06, 06037, 0653000); an id of your own must start with a letter and use only letters, digits, \"-\", \"_\" and \".\"";
    let t = row.required_text(idx, FIX)?;
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.len() {
            2 | 5 | 7 => Ok(t.to_string()),
            1 | 4 | 6 => Err(row.bad_code(
                idx,
                &format!("has {} digits and looks like GEOID 0{t} with its leading zero lost", t.len()),
                &format!("format the column as text in your spreadsheet and write 0{t}"),
            )),
            n => Err(row.bad_code(idx, &format!("has {n} digits"), FIX)),
        };
    }
    let mut chars = t.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if starts_with_letter && rest_ok {
        Ok(t.to_string())
    } else {
        Err(row.bad_code(idx, "is not a GEOID", FIX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_skips_empty() {
        let text = "GEOID,Name,Population,Population in poverty,,\n06037,Los Angeles County,\"9,663,345\",,,\n0653000,Oakland city,440646,55000.5\nmy-district,Custom,10,\n";
        let t = parse("d.csv", text.as_bytes()).unwrap();
        assert_eq!(t.drivers, ["population", "population_in_poverty"]);
        assert_eq!(t.value("06037", "population"), Some(9_663_345.0));
        assert_eq!(t.value("06037", "population_in_poverty"), None);
        assert_eq!(t.value("0653000", "Population in poverty"), Some(55_000.5));
        assert_eq!(t.get("my-district").unwrap().name.as_deref(), Some("Custom"));
    }

    #[test]
    fn geoid_rules() {
        let e = parse("d.csv", b"geoid,population\n6037,1\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("d.csv line 2, column geoid") && msg.contains("06037"), "{msg}");
        assert!(parse("d.csv", b"geoid,population\n060370,1\n").is_err());
        assert!(parse("d.csv", b"geoid,population\n-06,1\n").is_err());
        assert!(parse("d.csv", b"geoid,population\nx 1,1\n").is_err());
        assert!(parse("d.csv", b"geoid,population\n,1\n").is_err());
    }

    #[test]
    fn header_problems() {
        let e = parse("d.csv", b"geoid,population,Population\n06,1,2\n").unwrap_err();
        assert!(matches!(e, ImportError::BadHeader { .. }), "{e}");
        let e = parse("d.csv", b"geoid,population,GEOID\n06,1,07\n").unwrap_err();
        assert!(e.to_string().contains("geoid already has column 1"), "{e}");
        let e = parse("d.csv", b"geoid,,population\n06,5,2\n").unwrap_err();
        assert!(matches!(e, ImportError::BadHeader { .. }), "{e}");
        let e = parse("d.csv", b"geoid,name\n06,California\n").unwrap_err();
        assert!(matches!(e, ImportError::MissingColumns { .. }), "{e}");
    }
}
