//! The embedded Consumer Price Index (CPI-U, annual averages) for turning a
//! benchmark's dollars of one year into another year's dollars.
//!
//! Source: the PyPI package `cpi` 2.1.0, series CUUR0000SA0 (all items, U.S.
//! city average, all urban consumers, not seasonally adjusted); provenance in
//! `data/embedded/cpi/PROVENANCE.md`, extracted by `scripts/extract-cpi`.

/// The embedded CSV (`year,cpi_u`).
pub const CSV: &str = include_str!("../../../data/embedded/cpi/cpi-u-annual.csv");

/// Where the series comes from, for output footers.
pub const SOURCE: &str = "CPI-U annual averages (BLS series CUUR0000SA0) as shipped in PyPI cpi 2.1.0";

/// Annual CPI-U index values for a contiguous run of years.
#[derive(Debug, Clone, PartialEq)]
pub struct Cpi {
    first: u16,
    values: Vec<f64>,
}

/// A year the series does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpiError {
    /// The year asked for.
    pub year: u16,
    /// First year covered.
    pub first: u16,
    /// Last year covered.
    pub last: u16,
}

impl std::fmt::Display for CpiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no CPI-U annual average for {}: the embedded series covers {}–{}. Choose a dollar year in that range (e.g. --dollar-year {}).",
            self.year, self.first, self.last, self.last
        )
    }
}

impl std::error::Error for CpiError {}

impl Cpi {
    /// Parses `year,value` lines (a header line is skipped). Years must be
    /// contiguous and increasing; values positive.
    pub fn parse(text: &str) -> Result<Cpi, String> {
        let mut first = None;
        let mut values = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || (i == 0 && line.starts_with("year")) {
                continue;
            }
            let (y, v) = line.split_once(',').ok_or_else(|| format!("CPI line {}: expected year,value", i + 1))?;
            let y: u16 = y.trim().parse().map_err(|_| format!("CPI line {}: bad year `{y}`", i + 1))?;
            let v: f64 = v.trim().parse().map_err(|_| format!("CPI line {}: bad value `{v}`", i + 1))?;
            if !(v.is_finite() && v > 0.0) {
                return Err(format!("CPI line {}: value must be positive", i + 1));
            }
            let f = *first.get_or_insert(y);
            if y as usize != f as usize + values.len() {
                return Err(format!("CPI line {}: year {y} breaks the run of years", i + 1));
            }
            values.push(v);
        }
        let first = first.ok_or("CPI series is empty")?;
        Ok(Cpi { first, values })
    }

    /// The embedded series.
    pub fn embedded() -> Cpi {
        Cpi::parse(CSV).expect("the embedded CPI series is checked by tests")
    }

    /// First year covered.
    pub fn first_year(&self) -> u16 {
        self.first
    }

    /// Last year covered.
    pub fn last_year(&self) -> u16 {
        self.first + self.values.len() as u16 - 1
    }

    /// The index value for a year.
    pub fn get(&self, year: u16) -> Result<f64, CpiError> {
        year.checked_sub(self.first).and_then(|i| self.values.get(i as usize)).copied().ok_or(CpiError {
            year,
            first: self.first,
            last: self.last_year(),
        })
    }

    /// Multiplier from `from`-year dollars to `to`-year dollars.
    pub fn factor(&self, from: u16, to: u16) -> Result<f64, CpiError> {
        Ok(self.get(to)? / self.get(from)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_series_is_contiguous_and_rising_overall() {
        let c = Cpi::embedded();
        assert_eq!(c.first_year(), 1990);
        assert!(c.last_year() >= 2024);
        assert_eq!(c.get(2023).unwrap(), 304.702);
        assert!((c.factor(2022, 2023).unwrap() - 304.702 / 292.655).abs() < 1e-12);
        assert_eq!(c.factor(2023, 2023).unwrap(), 1.0);
        assert!(c.get(1989).is_err());
        assert!(c.get(c.last_year() + 1).is_err());
    }

    #[test]
    fn rejects_gaps() {
        assert!(Cpi::parse("year,cpi_u\n2000,1\n2002,2\n").is_err());
        assert!(Cpi::parse("").is_err());
    }
}
