//! The state lookup the importers share.
//!
//! Official files disagree on how they name a state: the Census writes the
//! full name and an unpadded FIPS number, the FBI a postal abbreviation (and
//! since 2023 nothing else), BJS the full name with footnote letters glued on.
//! Every importer normalises to the same three keys through this one table so
//! that records from different sources join on the same GEOID.

/// A U.S. state, the District of Columbia or an inhabited territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UsState {
    /// The full name as the Census Bureau writes it ("District of Columbia").
    pub name: &'static str,
    /// The two-letter USPS abbreviation ("DC").
    pub abbr: &'static str,
    /// The two-digit, zero-padded FIPS code, which is also the state GEOID.
    pub fips: &'static str,
}

const fn s(name: &'static str, abbr: &'static str, fips: &'static str) -> UsState {
    UsState { name, abbr, fips }
}

/// Sorted by FIPS code.
pub(crate) const STATES: &[UsState] = &[
    s("Alabama", "AL", "01"),
    s("Alaska", "AK", "02"),
    s("Arizona", "AZ", "04"),
    s("Arkansas", "AR", "05"),
    s("California", "CA", "06"),
    s("Colorado", "CO", "08"),
    s("Connecticut", "CT", "09"),
    s("Delaware", "DE", "10"),
    s("District of Columbia", "DC", "11"),
    s("Florida", "FL", "12"),
    s("Georgia", "GA", "13"),
    s("Hawaii", "HI", "15"),
    s("Idaho", "ID", "16"),
    s("Illinois", "IL", "17"),
    s("Indiana", "IN", "18"),
    s("Iowa", "IA", "19"),
    s("Kansas", "KS", "20"),
    s("Kentucky", "KY", "21"),
    s("Louisiana", "LA", "22"),
    s("Maine", "ME", "23"),
    s("Maryland", "MD", "24"),
    s("Massachusetts", "MA", "25"),
    s("Michigan", "MI", "26"),
    s("Minnesota", "MN", "27"),
    s("Mississippi", "MS", "28"),
    s("Missouri", "MO", "29"),
    s("Montana", "MT", "30"),
    s("Nebraska", "NE", "31"),
    s("Nevada", "NV", "32"),
    s("New Hampshire", "NH", "33"),
    s("New Jersey", "NJ", "34"),
    s("New Mexico", "NM", "35"),
    s("New York", "NY", "36"),
    s("North Carolina", "NC", "37"),
    s("North Dakota", "ND", "38"),
    s("Ohio", "OH", "39"),
    s("Oklahoma", "OK", "40"),
    s("Oregon", "OR", "41"),
    s("Pennsylvania", "PA", "42"),
    s("Rhode Island", "RI", "44"),
    s("South Carolina", "SC", "45"),
    s("South Dakota", "SD", "46"),
    s("Tennessee", "TN", "47"),
    s("Texas", "TX", "48"),
    s("Utah", "UT", "49"),
    s("Vermont", "VT", "50"),
    s("Virginia", "VA", "51"),
    s("Washington", "WA", "53"),
    s("West Virginia", "WV", "54"),
    s("Wisconsin", "WI", "55"),
    s("Wyoming", "WY", "56"),
    s("American Samoa", "AS", "60"),
    s("Guam", "GU", "66"),
    s("Northern Mariana Islands", "MP", "69"),
    s("Puerto Rico", "PR", "72"),
    s("U.S. Virgin Islands", "VI", "78"),
];

/// Finds a state by full name, postal abbreviation or FIPS code (padded or
/// not), ignoring case and surrounding spaces, so that any of the spellings
/// found in official files resolves to the same state.
pub fn us_state(key: &str) -> Option<&'static UsState> {
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    if key.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = key.parse().ok()?;
        let padded = format!("{n:02}");
        return STATES.iter().find(|st| st.fips == padded);
    }
    if key.len() == 2 {
        return STATES.iter().find(|st| st.abbr.eq_ignore_ascii_case(key));
    }
    let folded = fold_name(key);
    STATES.iter().find(|st| fold_name(st.name) == folded)
}

/// Folds the spelling differences seen in the wild ("Virgin Islands, U.S.",
/// doubled spaces, "St." periods) down to one comparable form.
fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().filter(|c| *c != '.') {
            out.extend(c.to_lowercase());
        }
    }
    match out.as_str() {
        "virgin islands" | "virgin islands, us" | "us virgin islands" => "us virgin islands".into(),
        "washington dc" | "dc" => "district of columbia".into(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_every_key() {
        assert_eq!(us_state("6").unwrap().abbr, "CA");
        assert_eq!(us_state("06").unwrap().name, "California");
        assert_eq!(us_state("ca").unwrap().fips, "06");
        assert_eq!(us_state(" new  york ").unwrap().abbr, "NY");
        assert_eq!(us_state("Virgin Islands").unwrap().fips, "78");
        assert!(us_state("").is_none());
        assert!(us_state("Atlantis").is_none());
        assert!(us_state("99999999999999999999999").is_none());
    }

    #[test]
    fn table_is_consistent() {
        for (i, st) in STATES.iter().enumerate() {
            assert_eq!(st.fips.len(), 2);
            assert_eq!(st.abbr.len(), 2);
            assert_eq!(us_state(st.name), Some(st));
            if i > 0 {
                assert!(STATES[i - 1].fips < st.fips);
            }
        }
    }
}
