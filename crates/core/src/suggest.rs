//! "Did you mean" suggestions for mistyped ids.

/// Levenshtein distance (ids are short, so the quadratic version is fine).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a third of the word's length, if any.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    // Every word of the query appearing in the candidate also counts as
    // close: `trauma_center` → `trauma_recovery_center`.
    let words: Vec<&str> = word.split(['_', ' ', '-']).filter(|w| w.len() >= 3).collect();
    let covers = |c: &str| !words.is_empty() && words.iter().all(|w| c.contains(w));
    candidates.map(|c| (distance(word, c), c)).filter(|(d, c)| *d <= limit || covers(c)).min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_near_ids() {
        assert_eq!(super::closest("homicide", ["homicides", "population"].into_iter()), Some("homicides"));
        assert_eq!(super::closest("xyz", ["homicides"].into_iter()), None);
    }
}
