//! Reading numbers the way publishers and spreadsheets write them.
//!
//! Figures arrive as `1253813`, `"1,253,813"`, `1 253 813` or `1234.0`; all
//! are accepted, while anything ambiguous (a decimal comma, misplaced
//! separators, text) is refused rather than guessed, because a silently
//! misread figure would flow straight into a plan.

/// What is wrong with a number cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumProblem {
    NotNumber,
    /// Written with an exponent (`1e5`); `true` when the value is also
    /// beyond any real figure (over a billion, or an overflow like `1e400`).
    Exponent(bool),
    Negative,
    Fraction,
    TooLarge,
}

impl NumProblem {
    pub fn phrase(self) -> &'static str {
        match self {
            NumProblem::NotNumber => "is not a number",
            NumProblem::Exponent(false) => "is written with an exponent; write the figure in plain digits",
            NumProblem::Exponent(true) => {
                "is a number written with an exponent, and far too large to be a real figure (over 1,000,000,000)"
            }
            NumProblem::Negative => "is negative",
            NumProblem::Fraction => "is not a whole number",
            NumProblem::TooLarge => "is too large to be a real figure",
        }
    }
}

/// Splits a number into digits before and after the decimal point, checking
/// that thousands separators sit every three digits, so that "1,253,813"
/// is accepted while a decimal comma like "1,5" is refused rather than
/// silently read as fifteen.
fn split_number(s: &str) -> Result<(bool, String, &str), NumProblem> {
    let s = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    let (negative, body) = match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumProblem::NotNumber);
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(NumProblem::NotNumber);
    }
    let is_sep = |c: char| matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}');
    let mut digits = String::with_capacity(int_part.len());
    let groups: Vec<&str> = int_part.split(is_sep).collect();
    for (i, g) in groups.iter().enumerate() {
        if !g.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumProblem::NotNumber);
        }
        let ok_len = if groups.len() == 1 {
            true
        } else if i == 0 {
            (1..=3).contains(&g.len())
        } else {
            g.len() == 3
        };
        if !ok_len {
            return Err(NumProblem::NotNumber);
        }
        digits.push_str(g);
    }
    Ok((negative, digits, frac_part))
}

/// Tells a number written with an exponent (`1e308`, `2.5E3`) from text:
/// it is refused either way, but the message says what is wrong with it.
fn exponent(s: &str, problem: NumProblem) -> NumProblem {
    let t = s.trim();
    let has_exponent = t.contains(['e', 'E']) && t.bytes().all(|b| b.is_ascii_digit() || b"eE+-.".contains(&b));
    match t.parse::<f64>() {
        Ok(v) if problem == NumProblem::NotNumber && has_exponent => NumProblem::Exponent(!v.is_finite() || v.abs() > 1.0e9),
        _ => problem,
    }
}

/// Parses a whole, non-negative count such as `"1,253,813"` or `1253813`.
/// A zero fraction (`"1234.0"`, as spreadsheets sometimes write) is allowed.
pub(crate) fn parse_count(s: &str) -> Result<u64, NumProblem> {
    let (negative, digits, frac) = split_number(s).map_err(|p| exponent(s, p))?;
    if digits.is_empty() && frac.is_empty() {
        return Err(NumProblem::NotNumber);
    }
    let value: u64 = if digits.is_empty() {
        0
    } else if digits.len() > 19 {
        return Err(NumProblem::TooLarge);
    } else {
        digits.parse().map_err(|_| NumProblem::TooLarge)?
    };
    if frac.bytes().any(|b| b != b'0') {
        return Err(if negative { NumProblem::Negative } else { NumProblem::Fraction });
    }
    if negative && (value != 0) {
        return Err(NumProblem::Negative);
    }
    Ok(value)
}

/// Parses a non-negative decimal amount such as `"12,345.5"` or `".25"`.
pub(crate) fn parse_amount(s: &str) -> Result<f64, NumProblem> {
    let (negative, digits, frac) = split_number(s).map_err(|p| exponent(s, p))?;
    let text = format!("{}.{}", if digits.is_empty() { "0" } else { &digits }, if frac.is_empty() { "0" } else { frac });
    let value: f64 = text.parse().map_err(|_| NumProblem::NotNumber)?;
    if !value.is_finite() {
        return Err(NumProblem::TooLarge);
    }
    if negative && value != 0.0 {
        return Err(NumProblem::Negative);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_and_without_separators() {
        assert_eq!(parse_count("1,253,813"), Ok(1_253_813));
        assert_eq!(parse_count(" 1253813 "), Ok(1_253_813));
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count("1 253 813"), Ok(1_253_813));
        assert_eq!(parse_count("1234.0"), Ok(1234));
        assert_eq!(parse_count("12x4"), Err(NumProblem::NotNumber));
        assert_eq!(parse_count("1,5"), Err(NumProblem::NotNumber));
        assert_eq!(parse_count("12,34,567"), Err(NumProblem::NotNumber));
        assert_eq!(parse_count(",123"), Err(NumProblem::NotNumber));
        assert_eq!(parse_count("-394"), Err(NumProblem::Negative));
        assert_eq!(parse_count("-1,749"), Err(NumProblem::Negative));
        assert_eq!(parse_count("1.5"), Err(NumProblem::Fraction));
        assert_eq!(parse_count("."), Err(NumProblem::NotNumber));
        assert_eq!(parse_count(""), Err(NumProblem::NotNumber));
        assert_eq!(parse_count("99999999999999999999999"), Err(NumProblem::TooLarge));
        assert_eq!(parse_count("1e5"), Err(NumProblem::Exponent(false)));
        assert_eq!(parse_count("1e308"), Err(NumProblem::Exponent(true)));
        assert_eq!(parse_count("e5"), Err(NumProblem::NotNumber));
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("12,345.5"), Ok(12_345.5));
        assert_eq!(parse_amount(".25"), Ok(0.25));
        assert_eq!(parse_amount("7"), Ok(7.0));
        assert_eq!(parse_amount("-0"), Ok(0.0));
        assert_eq!(parse_amount("-2"), Err(NumProblem::Negative));
        assert_eq!(parse_amount("NaN"), Err(NumProblem::NotNumber));
        assert_eq!(parse_amount("inf"), Err(NumProblem::NotNumber));
        assert_eq!(parse_amount("1e308"), Err(NumProblem::Exponent(true)));
        assert_eq!(parse_amount("1e400"), Err(NumProblem::Exponent(true)));
        assert_eq!(parse_amount("2.5E3"), Err(NumProblem::Exponent(false)));
        assert_eq!(parse_amount("5%"), Err(NumProblem::NotNumber));
        let huge = "9".repeat(400);
        assert_eq!(parse_amount(&huge), Err(NumProblem::TooLarge));
    }
}
