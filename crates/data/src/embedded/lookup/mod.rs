//! Finding jurisdictions by name or GEOID, with disambiguation and
//! suggestions for misspellings.

use super::names::normalize;
use super::{Gazetteer, Jurisdiction, Kind, PlaceType};
use safetygap_core::drivers::fmt_thousands as thousands;

mod error;

pub use error::{Candidate, LookupError};

/// How many candidates an ambiguity message lists before "and N more".
const LISTED: usize = 8;
/// How many suggestions a not-found error carries.
const SUGGESTIONS: usize = 5;

/// A jurisdiction found for a query, with a one-line notice when the query
/// named something that is not itself a Census jurisdiction: a `GN` place
/// id of an earlier release, or a GeoNames place name such as
/// "Brooklyn, NY".
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<'a> {
    /// What the query opens.
    pub jurisdiction: &'a Jurisdiction,
    /// Why it is not exactly what was asked for; show it to the user.
    pub notice: Option<String>,
}

/// Result of looking a normalized name up in the name indexes.
enum Found {
    One(usize),
    Many(Vec<usize>),
    None,
}

impl Gazetteer {
    /// Finds the one jurisdiction a user means.
    ///
    /// Accepts GEOIDs (`"06"`, `"06001"`, `"0653000"`, `"US"`; old
    /// `"GN5378538"` ids too, see [`resolve_noted`](Self::resolve_noted)), state
    /// names and abbreviations (`"California"`, `"CA"`), and county or
    /// place names, optionally followed by a state (`"Oakland, CA"`,
    /// `"Oakland, California"`, `"Oakland CA"`, `"Alameda County, CA"`) and,
    /// for places, a county before the state (`"Oakland, Alameda County, CA"`).
    /// Case, accents, periods, extra spaces and "St."/"Saint" do not matter.
    ///
    /// A bare state name is the state ("Washington"); a name that is exactly a
    /// place's name is preferred to a county known by the same short name
    /// ("Los Angeles" is the city, "Los Angeles County" the county). Counties
    /// are also found without their suffix ("Kern, CA"), and places ending in
    /// "City" without it ("New York, NY").
    pub fn resolve(&self, query: &str) -> Result<&Jurisdiction, LookupError> {
        self.resolve_noted(query).map(|r| r.jurisdiction)
    }

    /// Like [`resolve`](Self::resolve), with a notice to show when the
    /// query is an old `GN…` place id (earlier releases used GeoNames ids
    /// for places) or a GeoNames place name that is not a Census place
    /// ("Brooklyn, NY"): these open the Census place they lie in, or their
    /// county or state, and the notice says which and how it was judged.
    pub fn resolve_noted(&self, query: &str) -> Result<Resolved<'_>, LookupError> {
        let q = query.trim();
        if let Some(r) = self.migrate_gn(q) {
            return r;
        }
        match self.resolve_names(query) {
            Err(LookupError::NotFound { query: nq, suggestions }) => match self.former_geonames_name(query) {
                Some(r) => r,
                None => Err(LookupError::NotFound { query: nq, suggestions }),
            },
            other => other.map(|jurisdiction| Resolved { jurisdiction, notice: None }),
        }
    }

    fn resolve_names(&self, query: &str) -> Result<&Jurisdiction, LookupError> {
        let q = query.trim();
        if let Some(r) = self.resolve_geoid(q) {
            return r;
        }
        let not_found = |suggestions| LookupError::NotFound { query: query.to_owned(), suggestions };
        let parts: Vec<&str> = q.split(',').map(str::trim).collect();
        let (name, county, state) = match parts.as_slice() {
            [name] => (*name, None, None),
            [name, state] => (*name, None, Some(*state)),
            [name, county, state] => (*name, Some(*county), Some(*state)),
            _ => return Err(not_found(Vec::new())),
        };
        let key = normalize(name);
        if key.is_empty() {
            return Err(not_found(Vec::new()));
        }

        let Some(state_part) = state else {
            // Unqualified: nation, state, then names anywhere.
            if matches!(key.as_str(), "us" | "usa" | "united states" | "united states of america" | "nation") {
                return Ok(self.nation());
            }
            if let Some(&i) = self.state_keys.get(&key) {
                return Ok(self.item(i));
            }
            match self.find(&key, None, None) {
                Found::None => {}
                found => return self.finish(query, found),
            }
            // "Oakland CA", "Springfield Illinois": a trailing state without comma.
            let words: Vec<&str> = key.split(' ').collect();
            for k in (1..words.len().min(5)).rev() {
                let (head, tail) = words.split_at(words.len() - k);
                if let Some(&si) = self.state_keys.get(&tail.join(" ")) {
                    let fips = self.item(si).geoid.as_str();
                    match self.find(&head.join(" "), Some(fips), None) {
                        Found::None => {}
                        found => return self.finish(query, found),
                    }
                }
            }
            return Err(not_found(self.suggest(&key, None)));
        };

        let Some(&si) = self.state_keys.get(&normalize(state_part)) else {
            return Err(LookupError::UnknownState {
                query: query.to_owned(),
                state: state_part.to_owned(),
                suggestions: self.suggest_states(&normalize(state_part)),
            });
        };
        let fips = self.item(si).geoid.clone();
        let county_geoid = match county {
            None => None,
            Some(c) => {
                let ckey = normalize(c);
                let hit = [self.exact_hits(&ckey), self.alias_hits(&ckey)].into_iter().find_map(|hits| {
                    let hits: Vec<usize> = hits
                        .iter()
                        .copied()
                        .filter(|&i| {
                            let j = self.item(i);
                            j.kind == Kind::County && j.state_fips.as_deref() == Some(&fips)
                        })
                        .collect();
                    (hits.len() == 1).then(|| hits[0])
                });
                match hit {
                    Some(i) => Some(self.item(i).geoid.clone()),
                    None => {
                        let county_query = format!("{c}, {}", state_part);
                        return Err(LookupError::NotFound { query: county_query, suggestions: self.suggest(&ckey, Some(&fips)) });
                    }
                }
            }
        };
        match self.find(&key, Some(&fips), county_geoid.as_deref()) {
            Found::None => Err(not_found(self.suggest(&key, Some(&fips)))),
            found => self.finish(query, found),
        }
    }

    /// Handles GEOID-shaped queries; `None` if the query is not one.
    fn resolve_geoid(&self, q: &str) -> Option<Result<&Jurisdiction, LookupError>> {
        let bad = |reason: String| Some(Err(LookupError::BadGeoid { geoid: q.to_owned(), reason }));
        if q.eq_ignore_ascii_case("US") {
            return Some(Ok(self.nation()));
        }
        if q.is_empty() || !q.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match (q.len(), self.get(q)) {
            (2 | 5 | 7, Some(j)) => Some(Ok(j)),
            (2, None) => bad(format!(
                "no state has FIPS code {q}; state codes run from 01 (Alabama) to 56 (Wyoming), \
                 e.g. 06 for California"
            )),
            (5, None) => bad(format!(
                "no county has FIPS code {q} in the Census Vintage 2023 county list; \
                 a county GEOID is the 2-digit state code and the 3-digit county code, \
                 e.g. 06001 for Alameda County, CA (Connecticut's counties are its planning \
                 regions since 2022, 09110 to 09190)"
            )),
            (7, None) => bad(format!(
                "no Census place has code {q} in the embedded list (2023 places of the 50 states \
                 and DC); a place GEOID is the 2-digit state code and the 5-digit place code, \
                 e.g. 0653000 for Oakland, CA"
            )),
            _ => bad(format!(
                "a GEOID has 2 digits (state, e.g. 06), 5 digits (county, e.g. 06001) \
                 or 7 digits (Census place, e.g. 0653000); \"{q}\" has {} digits",
                q.len()
            )),
        }
    }

    /// An old `GN…` place id: what it opens now, with a notice; `None` if
    /// the query is not shaped like one.
    fn migrate_gn(&self, q: &str) -> Option<Result<Resolved<'_>, LookupError>> {
        let rest = q.strip_prefix("GN").or_else(|| q.strip_prefix("gn"))?;
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let table = self.gn.get_or_init(super::load::gn_places);
        let found = rest.parse::<u64>().ok().and_then(|id| table.binary_search_by_key(&id, |g| g.id).ok()).map(|i| &table[i]);
        let Some(gn) = found else {
            return Some(Err(LookupError::BadGeoid {
                geoid: q.to_owned(),
                reason: format!(
                    "earlier releases used GN + a GeoNames id for places of 1,000+ people, and no such \
                     place has GeoNames id {rest}; places are now Census places with 7-digit GEOIDs \
                     (e.g. 0653000 for Oakland, CA): find one with `safetygap search NAME`"
                ),
            }));
        };
        let what = format!("GN{}", gn.id);
        Some(self.gn_target(
            gn,
            &what,
            &format!("{what} (the GeoNames place {}, {}, of earlier releases)", gn.name, self.abbr(gn.state_fips)),
        ))
    }

    fn abbr<'a>(&'a self, state_fips: &'a str) -> &'a str {
        self.get(state_fips).and_then(|s| s.state_abbr.as_deref()).unwrap_or(state_fips)
    }

    /// `gn`'s jurisdiction now, with a notice that begins with `old`.
    fn gn_target(&self, gn: &super::load::GnPlace, what: &str, old: &str) -> Result<Resolved<'_>, LookupError> {
        let Some(j) = self.get(gn.geoid) else {
            return Err(LookupError::BadGeoid {
                geoid: what.to_owned(),
                reason: format!(
                    "the embedded table maps it to {}, which is not in the gazetteer (a build defect; please report it)",
                    gn.geoid
                ),
            });
        };
        let to = format!("{} (GEOID {})", j.display_name(), j.geoid);
        let notice = match gn.how {
            "name" => format!("{old} is now the Census place {to}."),
            "within" => format!(
                "{old} is not a Census place; using {to}, the Census place it lies in (judged from the \
                 place's land area and internal point: place boundaries are not embedded)."
            ),
            "county" => format!("{old} is not a Census place, and no Census place was found around it; using {to}, the county it lies in."),
            _ => format!("{old} is not a Census place; using {to}, the state it lies in."),
        };
        Ok(Resolved { jurisdiction: j, notice: Some(notice) })
    }

    /// A name that is not a Census jurisdiction but was a GeoNames place of
    /// earlier releases ("Brooklyn, NY"), with its state: what it opens now.
    fn former_geonames_name(&self, query: &str) -> Option<Result<Resolved<'_>, LookupError>> {
        let (name, state) = query.trim().rsplit_once(',')?;
        let &si = self.state_keys.get(&normalize(state))?;
        let fips = self.item(si).geoid.as_str();
        let key = normalize(name);
        let table = self.gn.get_or_init(super::load::gn_places);
        let mut hits: Vec<&super::load::GnPlace> = table.iter().filter(|g| g.state_fips == fips && normalize(g.name) == key).collect();
        hits.sort_by_key(|g| g.geoid);
        hits.dedup_by_key(|g| g.geoid);
        match hits.as_slice() {
            [] => None,
            [one] => {
                let q = query.trim();
                Some(self.gn_target(one, q, &format!("\"{q}\" (a GeoNames place of earlier releases)")))
            }
            many => Some(Err(LookupError::Ambiguous {
                query: query.to_owned(),
                candidates: many.iter().filter_map(|g| super::load::find_geoid(g.geoid).map(|i| self.candidate(i))).collect(),
            })),
        }
    }

    /// Counties and places whose normalized name is `key`.
    fn exact_hits(&self, key: &str) -> Vec<usize> {
        super::load::exact_hits(key)
    }

    /// Counties and places whose normalized short name is `key`.
    fn alias_hits(&self, key: &str) -> Vec<usize> {
        super::load::alias_hits(key)
    }

    /// Looks a normalized name up: exact names first, then short names.
    fn find(&self, key: &str, state: Option<&str>, county: Option<&str>) -> Found {
        for hits in [self.exact_hits(key), self.alias_hits(key)] {
            let hits: Vec<usize> = hits
                .iter()
                .copied()
                .filter(|&i| {
                    let j = self.item(i);
                    (state.is_none() || j.state_fips.as_deref() == state) && (county.is_none() || j.county_geoid.as_deref() == county)
                })
                .collect();
            match hits.len() {
                0 => continue,
                1 => return Found::One(hits[0]),
                _ => return self.pick(hits),
            }
        }
        Found::None
    }

    /// Several matches. Among places only, one ten times larger than the
    /// others together, or the only incorporated place when it is the
    /// largest, is taken. One county and the places inside it with the same
    /// name are one jurisdiction: a consolidated city-county (Carson City,
    /// NV) when their populations are within 10% of each other, which is
    /// taken as the county (official figures, poverty known); otherwise the
    /// larger one (New York City rather than New York County). Anything else
    /// is ambiguous.
    fn pick(&self, mut hits: Vec<usize>) -> Found {
        let counties: Vec<usize> = hits.iter().copied().filter(|&i| self.item(i).kind == Kind::County).collect();
        if let [c] = counties.as_slice() {
            let county = self.item(*c);
            let nested = hits.iter().all(|&i| i == *c || self.item(i).county_geoid.as_deref() == Some(&county.geoid));
            if nested {
                let largest =
                    hits.iter().copied().max_by(|&a, &b| self.item(a).population.total_cmp(&self.item(b).population)).unwrap_or(*c);
                let same = (self.item(largest).population - county.population).abs() <= 0.1 * county.population;
                return Found::One(if same { *c } else { largest });
            }
        }
        hits.sort_by(|&a, &b| {
            self.item(b).population.total_cmp(&self.item(a).population).then_with(|| self.item(a).geoid.cmp(&self.item(b).geoid))
        });
        // Places only: one that dwarfs the others (ten times their
        // combined population: "Los Angeles" is the city of 3.8 million,
        // not the Texas CDP of 366), or the only incorporated place when it
        // is also the largest ("Burbank, CA" is the city, not the CDP).
        if hits.iter().all(|&i| self.item(i).kind == Kind::Place) {
            let top = hits[0];
            let rest: f64 = hits[1..].iter().map(|&i| self.item(i).population).sum();
            let incorporated = hits.iter().filter(|&&i| self.item(i).place_type == Some(PlaceType::Incorporated)).count();
            let top_incorporated = self.item(top).place_type == Some(PlaceType::Incorporated);
            if self.item(top).population >= 10.0 * rest || (incorporated == 1 && top_incorporated) {
                return Found::One(top);
            }
        }
        Found::Many(hits)
    }

    fn finish(&self, query: &str, found: Found) -> Result<&Jurisdiction, LookupError> {
        match found {
            Found::One(i) => Ok(self.item(i)),
            Found::Many(hits) => {
                Err(LookupError::Ambiguous { query: query.to_owned(), candidates: hits.iter().map(|&i| self.candidate(i)).collect() })
            }
            Found::None => Err(LookupError::NotFound { query: query.to_owned(), suggestions: Vec::new() }),
        }
    }

    fn candidate(&self, i: usize) -> Candidate {
        let j = self.item(i);
        Candidate {
            display: j.display_name(),
            geoid: j.geoid.clone(),
            kind: j.kind,
            legal: j.legal.clone(),
            place_type: j.place_type,
            population: j.population,
            county: match j.kind {
                Kind::Place => j.county_geoid.as_deref().and_then(|g| self.get(g)).map(|c| c.name.clone()),
                _ => None,
            },
        }
    }

    /// Closest names by edit distance: same state first, then closest,
    /// then largest.
    fn suggest(&self, key: &str, state: Option<&str>) -> Vec<String> {
        let len = key.chars().count();
        let max = match len {
            0..=3 => 1,
            4..=7 => 2,
            _ => 3,
        };
        let mut scored: Vec<(bool, usize, usize)> = Vec::new();
        // Edit distance is at least the difference in length: skip the
        // computation when that alone is too far.
        let dist = |other: &str| {
            let n = other.chars().count();
            if n.abs_diff(len) > max {
                usize::MAX
            } else {
                strsim::levenshtein(key, other)
            }
        };
        for i in 1..self.items.len() {
            let mut d = dist(self.key(i));
            if let Some(a) = self.alias_key(i) {
                d = d.min(dist(a));
            }
            if d <= max {
                let other_state = state.is_some_and(|s| self.item(i).state_fips.as_deref() != Some(s));
                scored.push((other_state, d, i));
            }
        }
        scored.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| self.item(b.2).population.total_cmp(&self.item(a.2).population)));
        let mut out: Vec<String> = Vec::new();
        for (_, _, i) in scored {
            let name = self.item(i).display_name();
            if !out.contains(&name) {
                out.push(name);
            }
            if out.len() == SUGGESTIONS {
                break;
            }
        }
        out
    }

    /// Closest state names: names starting with `key`, then by edit distance.
    fn suggest_states(&self, key: &str) -> Vec<String> {
        let mut scored: Vec<(usize, &str)> = self
            .states()
            .filter_map(|s| {
                let name = normalize(&s.name);
                let d = if key.len() >= 3 && name.starts_with(key) { 0 } else { strsim::levenshtein(key, &name) };
                (d <= 3).then_some((d, s.name.as_str()))
            })
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, n)| n.to_owned()).collect()
    }

    /// Jurisdictions whose name contains `text` (normalized like
    /// [`resolve`](Self::resolve)): exact names first, then names starting
    /// with it, then names with a word starting with it, then any substring;
    /// within each group, largest population first. A
    /// trailing ", ST" or ", State" limits the search to that state.
    pub fn search(&self, text: &str, limit: usize) -> Vec<&Jurisdiction> {
        let (text, state) = match text.rsplit_once(',') {
            Some((head, tail)) => match self.state_keys.get(&normalize(tail)) {
                Some(&si) => (head, Some(self.item(si).geoid.as_str())),
                None => (text, None),
            },
            None => (text, None),
        };
        let key = normalize(text);
        if key.is_empty() || limit == 0 {
            return Vec::new();
        }
        let word = format!(" {key}");
        let mut hits: Vec<(u8, usize)> = Vec::new();
        for i in 0..self.items.len() {
            // The name first: it needs no parsing of the row.
            let name = self.key(i);
            let class = if name == key {
                0
            } else if name.starts_with(&key) {
                1
            } else if name.contains(&word) {
                2
            } else if name.contains(&key) {
                3
            } else {
                continue;
            };
            if state.is_some_and(|s| self.item(i).state_fips.as_deref() != Some(s)) {
                continue;
            }
            hits.push((class, i));
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| self.item(b.1).population.total_cmp(&self.item(a.1).population)));
        hits.into_iter().take(limit).map(|(_, i)| self.item(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer;
    use super::*;

    #[test]
    fn geoids() {
        let g = gazetteer();
        assert_eq!(g.resolve("06").unwrap().name, "California");
        assert_eq!(g.resolve(" 06001 ").unwrap().name, "Alameda County");
        assert_eq!(g.resolve("0653000").unwrap().name, "Oakland");
        // An old GeoNames id opens the Census place, with a notice.
        let r = g.resolve_noted("GN5378538").unwrap();
        assert_eq!(r.jurisdiction.geoid, "0653000");
        assert!(r.notice.unwrap().contains("GN5378538"));
        assert_eq!(g.resolve("us").unwrap().kind, Kind::Nation);
        assert!(matches!(g.resolve("99"), Err(LookupError::BadGeoid { .. })));
        assert!(matches!(g.resolve("0699999"), Err(LookupError::BadGeoid { .. })));
        assert!(matches!(g.resolve("GN1"), Err(LookupError::BadGeoid { .. })));
    }

    #[test]
    fn states_by_name_and_abbreviation() {
        let g = gazetteer();
        for q in ["California", "california", "CA", "ca", "  CALIFORNIA ", "Calif."] {
            assert_eq!(g.resolve(q).unwrap().geoid, "06", "{q}");
        }
        assert!(g.resolve("Calif ornia").is_err());
        assert_eq!(g.resolve("Washington").unwrap().geoid, "53");
        assert_eq!(g.resolve("District of Columbia").unwrap().geoid, "11");
        assert_eq!(g.resolve("D.C.").unwrap().geoid, "11");
    }

    #[test]
    fn city_versus_county() {
        let g = gazetteer();
        let city = g.resolve("Los Angeles").unwrap();
        assert_eq!((city.kind, city.state_abbr.as_deref()), (Kind::Place, Some("CA")));
        assert_eq!(g.resolve("Los Angeles County").unwrap().geoid, "06037");
        assert_eq!(g.resolve("Kern, CA").unwrap().geoid, "06029");
        assert_eq!(g.resolve("Baltimore city, MD").unwrap().geoid, "24510");
        assert_eq!(g.resolve("Baltimore County, MD").unwrap().geoid, "24005");
        assert_eq!(g.resolve("Baltimore, MD").unwrap().kind, Kind::Place);
        // A consolidated city-county is the county.
        assert_eq!(g.resolve("Carson City, NV").unwrap().geoid, "32510");
        let nyc = g.resolve("New York, NY").unwrap();
        assert_eq!(nyc.geoid, "3651000");
        assert_eq!(g.resolve("New York City, NY").unwrap().geoid, "3651000");
        assert_eq!(g.resolve("New York").unwrap().geoid, "36");
    }

    #[test]
    fn saint_and_st() {
        let g = gazetteer();
        let a = g.resolve("St. Louis, MO").unwrap();
        let b = g.resolve("saint louis, missouri").unwrap();
        assert_eq!(a.geoid, b.geoid);
        assert_eq!(a.kind, Kind::Place);
        assert_eq!(g.resolve("St. Louis city, MO").unwrap().geoid, "29510");
        assert_eq!(g.resolve("St Louis County, MO").unwrap().geoid, "29189");
    }

    #[test]
    fn without_comma_and_with_county() {
        let g = gazetteer();
        assert_eq!(g.resolve("Oakland CA").unwrap().geoid, "0653000");
        assert_eq!(g.resolve("oakland   california").unwrap().geoid, "0653000");
        assert_eq!(g.resolve("Oakland, Alameda County, CA").unwrap().geoid, "0653000");
        // Two Live Oaks in California (a CDP and a smaller city), told apart by county.
        assert!(matches!(g.resolve("Live Oak, CA"), Err(LookupError::Ambiguous { .. })));
        let sutter = g.resolve("Live Oak, Sutter, CA").unwrap();
        assert_eq!(sutter.geoid, "0641936");
    }

    #[test]
    fn ap_state_abbreviations() {
        let g = gazetteer();
        assert_eq!(g.resolve("Boston, Mass.").unwrap().state_abbr.as_deref(), Some("MA"));
        assert_eq!(g.resolve("Oakland, Calif.").unwrap().geoid, "0653000");
        assert_eq!(g.resolve("Albany, N.Y.").unwrap().state_abbr.as_deref(), Some("NY"));
        assert_eq!(g.resolve("Charleston, W.Va.").unwrap().state_abbr.as_deref(), Some("WV"));
    }

    #[test]
    fn one_state_ambiguity_suggests_county() {
        let g = gazetteer();
        let e = g.resolve("Live Oak, CA").unwrap_err().to_string();
        assert!(e.contains("Add the county (\"Live Oak, "), "{e}");
        assert!(e.contains("CDP, not a government"), "{e}");
        let e = g.resolve("").unwrap_err().to_string();
        assert!(e.starts_with("No jurisdiction given"), "{e}");
    }

    #[test]
    fn unknown_state() {
        let g = gazetteer();
        match g.resolve("Oakland, Calfornia") {
            Err(e @ LookupError::UnknownState { .. }) => {
                let LookupError::UnknownState { suggestions, .. } = &e else { unreachable!() };
                assert_eq!(suggestions.first().map(String::as_str), Some("California"));
                assert!(e.to_string().contains("California"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accents() {
        let g = gazetteer();
        assert_eq!(g.resolve("Dona Ana County, NM").unwrap().geoid, "35013");
        assert_eq!(g.resolve("Española, NM").unwrap().name, "Española");
        assert_eq!(g.resolve("espanola nm").unwrap().name, "Española");
    }

    #[test]
    fn messages_are_one_paragraph() {
        let g = gazetteer();
        for q in ["Springfield", "Oaklnd, CA", "Oakland, Calfornia", "0699999", "Live Oak, CA", "GN1"] {
            let e = g.resolve(q).unwrap_err().to_string();
            assert!(!e.contains('\n'), "{e}");
            assert!(e.len() < 1200, "{e}");
        }
    }
}
