//! Matching Census incorporated places to the gazetteer's GeoNames places.
//!
//! The gazetteer's places come from GeoNames and carry no Census place code,
//! so a Census place population can only reach them by name. A match needs
//! the same state and the same normalised name (case, accents, punctuation
//! and "St."/"Saint" ignored; the Census's trailing legal description such
//! as "city", "town", "village", "CDP" or "(balance)" removed), and it must
//! be unique both ways: a name shared by two GeoNames places of a state, or
//! claimed by two Census places, is left unmatched rather than guessed.

use crate::embedded::names::normalize;
use std::collections::HashMap;

use crate::embedded::Gazetteer;
use crate::import::census::PopulationRecord;

/// For each record, the GEOID (`GN…`) of the gazetteer place it matches.
pub(crate) fn match_places(g: &Gazetteer, records: &[&PopulationRecord]) -> Vec<Option<String>> {
    // (state FIPS, normalised name) → gazetteer places; names ending in
    // "city" are also known without it ("New York City" = "New York").
    let mut exact: HashMap<(String, String), Vec<&str>> = HashMap::new();
    let mut alias: HashMap<(String, String), Vec<&str>> = HashMap::new();
    for p in g.places(None) {
        let Some(st) = p.state_fips.clone() else {
            continue;
        };
        let key = normalize(&p.name);
        if let Some(short) = key.strip_suffix(" city").filter(|s| !s.is_empty()) {
            alias.entry((st.clone(), short.to_string())).or_default().push(&p.geoid);
        }
        exact.entry((st, key)).or_default().push(&p.geoid);
    }
    let unique = |map: &HashMap<(String, String), Vec<&str>>, st: &str, key: &str| -> Lookup {
        match map.get(&(st.to_string(), key.to_string())).map(Vec::as_slice) {
            None | Some([]) => Lookup::None,
            Some([one]) => Lookup::One(one.to_string()),
            Some(_) => Lookup::Many,
        }
    };

    let mut out: Vec<Option<String>> = Vec::with_capacity(records.len());
    for r in records {
        let st = &r.geoid[..2.min(r.geoid.len())];
        let (base, consolidated) = strip_legal_description(&r.name);
        let key = normalize(&base);
        let mut tries: Vec<(bool, String)> = vec![(true, key.clone()), (false, key.clone())];
        if let Some(short) = key.strip_suffix(" city").filter(|s| !s.is_empty()) {
            tries.push((true, short.to_string()));
        }
        if consolidated {
            // "Nashville-Davidson", "Louisville/Jefferson County": the city's
            // own name comes first.
            if let Some(first) = base.split(['-', '/']).next().filter(|f| *f != base) {
                tries.push((true, normalize(first)));
            }
        }
        let mut found = None;
        for (use_exact, k) in tries {
            match unique(if use_exact { &exact } else { &alias }, st, &k) {
                Lookup::None => continue,
                Lookup::One(geoid) => {
                    found = Some(geoid);
                    break;
                }
                Lookup::Many => break,
            }
        }
        out.push(found);
    }

    // A gazetteer place claimed by two Census places is ambiguous.
    let mut claims: HashMap<String, usize> = HashMap::new();
    for m in out.iter().flatten() {
        *claims.entry(m.clone()).or_default() += 1;
    }
    for m in &mut out {
        if m.as_ref().is_some_and(|g| claims.get(g).copied().unwrap_or(0) > 1) {
            *m = None;
        }
    }
    out
}

enum Lookup {
    None,
    One(String),
    Many,
}

/// Legal descriptions that mark a consolidated city–county government,
/// whose common name is the first part of the Census name.
const CONSOLIDATED_WORDS: &[&str] = &["government", "metropolitan", "metro", "consolidated", "unified", "urban", "county"];

/// "Oakland city" → "Oakland"; "Nashville-Davidson metropolitan government
/// (balance)" → ("Nashville-Davidson", consolidated); "Urban Honolulu CDP"
/// → "Urban Honolulu". The Census appends the legal description in lower
/// case (or "CDP") after the name, so trailing lower-case words are dropped,
/// keeping at least one word.
pub(crate) fn strip_legal_description(name: &str) -> (String, bool) {
    let mut s = name.trim();
    let mut consolidated = false;
    for suffix in ["(balance)", "(pt.)"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            consolidated |= suffix == "(balance)";
        }
    }
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while words.len() > 1 {
        let last = words[words.len() - 1];
        let lower = last.chars().next().is_some_and(|c| c.is_lowercase());
        if lower || last == "CDP" {
            consolidated |= CONSOLIDATED_WORDS.contains(&last);
            words.pop();
        } else {
            break;
        }
    }
    (words.join(" "), consolidated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_descriptions() {
        assert_eq!(strip_legal_description("Oakland city"), ("Oakland".into(), false));
        assert_eq!(strip_legal_description("Oakland"), ("Oakland".into(), false));
        assert_eq!(strip_legal_description("Boise City city"), ("Boise City".into(), false));
        assert_eq!(strip_legal_description("Urban Honolulu CDP"), ("Urban Honolulu".into(), false));
        assert_eq!(strip_legal_description("Nashville-Davidson metropolitan government (balance)"), ("Nashville-Davidson".into(), true));
        assert_eq!(strip_legal_description("Lexington-Fayette urban county"), ("Lexington-Fayette".into(), true));
    }

    #[test]
    fn names() {
        assert_eq!(normalize("St. Louis"), "saint louis");
        assert_eq!(normalize("Cañon City"), "canon city");
        assert_eq!(normalize("Coeur d'Alene"), "coeur dalene");
        assert_eq!(normalize("Winston-Salem"), "winston salem");
    }
}
