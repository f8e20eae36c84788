//! "Did you mean" suggestions for mistyped ids (Levenshtein distance from
//! `strsim`, as the gazetteer's place suggestions use).

/// The closest candidate within a third of the word's length, if any.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    // Every word of the query appearing in the candidate also counts as
    // close: `trauma_center` → `trauma_recovery_center`.
    let words: Vec<&str> = word.split(['_', ' ', '-']).filter(|w| w.len() >= 3).collect();
    let covers = |c: &str| !words.is_empty() && words.iter().all(|w| c.contains(w));
    candidates.map(|c| (strsim::levenshtein(word, c), c)).filter(|(d, c)| *d <= limit || covers(c)).min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_near_ids() {
        assert_eq!(super::closest("homicide", ["homicides", "population"].into_iter()), Some("homicides"));
        assert_eq!(super::closest("xyz", ["homicides"].into_iter()), None);
    }
}
