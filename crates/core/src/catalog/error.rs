//! Catalog errors that point at the file, line and field to edit.

/// One problem in a catalog file.
///
/// Every problem carries a fix hint because the people who edit catalogs
/// are analysts replacing a coefficient, not Rust developers.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogError {
    /// File name as given to the loader.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Id of the entry (`benchmark dv_shelter_bed`), when known.
    pub entry: Option<String>,
    /// Field path within the entry (`annual_cost.low`), when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(entry) = &self.entry {
            write!(f, "{entry}")?;
            if let Some(field) = &self.field {
                write!(f, ", field `{field}`")?;
            }
            f.write_str(": ")?;
        } else if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " Fix: {}", self.hint)?;
        }
        Ok(())
    }
}

/// All problems found in a catalog; validation reports every one at once so
/// a user can fix a file in one pass.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl std::fmt::Display for CatalogErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.len();
        if n > 1 {
            writeln!(f, "the catalog has {n} problems:")?;
        }
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if n > 1 {
                write!(f, "  - ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogErrors {}
