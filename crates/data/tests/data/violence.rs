//! The embedded FBI city table and BJS releases against the real files.

use crate::shared::{bjs_releases, fbi_table8, shared_data};
use safetygap_data::violence;

/// Data rows of the real FBI file, counted here with the csv crate (the
/// header's names span lines inside quotes).
fn fbi_rows() -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(fbi_table8()).expect("FBI Table 8 in ../shared/data");
    r.records().map(|x| x.unwrap()).filter(|x| x.iter().any(|f| !f.trim().is_empty())).collect()
}

/// Every FBI row is either matched (embedded) or listed as unmatched in
/// data/embedded/city_violence_unmatched.csv with its reason; the match rate
/// is reported and cannot drop without this test and that list changing.
#[test]
fn fbi_city_table_match_rate() {
    let rows = fbi_rows();
    let matched = violence::all_cities().count();
    let unmatched = violence::unmatched_count();
    assert_eq!(matched + unmatched, rows.len(), "every FBI row is matched or listed as unmatched");
    let rate = matched as f64 / rows.len() as f64;
    eprintln!("FBI Table 8 2018: {matched} of {} rows matched to a Census place ({:.1}%)", rows.len(), rate * 100.0);
    assert!(rate >= 0.83, "match rate {:.1}% fell below 83%", rate * 100.0);
}

/// The embedded figures equal the real file's, row by row, for the big cities
/// the done-when list names.
#[test]
fn fbi_city_figures_are_the_fbi_s() {
    let rows = fbi_rows();
    let num = |s: &str| s.replace(',', "").trim().parse::<f64>().unwrap();
    for (state, city, geoid) in [
        ("CALIFORNIA", "Oakland", "0653000"),
        ("MISSOURI", "St. Louis", "2965000"),
        ("TEXAS", "Plano", "4858016"),
        ("NEW YORK", "New York", "3651000"),
    ] {
        let r = rows.iter().find(|r| &r[0] == state && &r[2] == city).unwrap_or_else(|| panic!("{city} in the FBI file"));
        let e = violence::city(geoid).unwrap_or_else(|| panic!("{city} embedded as {geoid}"));
        assert_eq!(e.population, num(&r[3]), "{city} population");
        assert_eq!(e.violent_crime, Some(num(&r[4])), "{city} violent crime");
        assert_eq!(e.murder, Some(num(&r[5])), "{city} murder");
    }
    assert_eq!(violence::city("0653000").unwrap().murder, Some(70.0), "Oakland 2018: 70 murders (data README)");
}

/// The script reproduces the committed files byte for byte from the shared
/// data (needs python3; fails under CI when it is missing).
#[test]
fn extract_violence_is_reproducible() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/extract-violence");
    match std::process::Command::new("python3").args([script, "--check", "--data", shared_data()]).output() {
        Ok(o) => assert!(
            o.status.success(),
            "scripts/extract-violence --check: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) if std::env::var_os("CI").is_none() => eprintln!("skipped: python3 not runnable ({e})"),
        Err(e) => panic!("python3 is needed under CI: {e}"),
    }
}

/// The embedded state releases are table 9's 2022 totals.
#[test]
fn state_releases_match_bjs_table_9() {
    let bytes = std::fs::read(bjs_releases()).unwrap();
    let text: String = bytes.iter().map(|&b| b as char).collect(); // Latin-1
                                                                   // Expected: the "State/d" row's 2022 total, and Texas's row, read here.
    let field = |prefix: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}"));
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        rec[3].replace(',', "").parse().unwrap()
    };
    assert_eq!(violence::state_releases_total(), field("State/d,"));
    assert_eq!(violence::state_releases("48"), Some(field(",Texas,")));
    assert_eq!(violence::state_releases("11"), None, "DC's sentenced felons are federal prisoners");
}

mod incidents {
    use crate::shared::{fbi_table8, nypd_shootings, temp_dir};
    use safetygap_data::embedded::gazetteer;
    use safetygap_data::import::incidents::{count_path, prepare, Mapping};
    use safetygap_data::store::{DataDir, Store};

    /// NYPD publishes 754 shooting incidents for 2018; the file has one row
    /// per victim × suspect pair, so only distinct INCIDENT_KEYs count.
    /// Expected values from the file itself:
    /// awk -F, '$2 ~ /2018$/ {print $1}' NYPD...csv | sort -u | wc -l  → 754
    #[test]
    fn nypd_2018_has_754_incidents_and_imports_for_new_york_city() {
        let c = count_path(nypd_shootings().as_ref(), &Mapping::default(), 2).unwrap();
        assert_eq!(c.years[&2018].incidents, 754);
        assert_eq!(c.rows, 20_659);
        assert_eq!((c.first.as_str(), c.last.as_str()), ("2006-01-01", "2018-12-31"));
        assert!(c.shootings);
        // One thread or two: the same counts.
        assert_eq!(count_path(nypd_shootings().as_ref(), &Mapping::default(), 1).unwrap().years, c.years);
        let g = gazetteer();
        let nyc = g.resolve("New York, NY").or_else(|_| g.resolve("New York City, NY")).unwrap();
        let p = prepare("NYPD.csv", "test", &c, nyc, None).unwrap();
        let dir = temp_dir("incidents");
        let mut store = Store::open(DataDir::at(&dir)).unwrap();
        let e = store.save(p).unwrap();
        assert_eq!((e.vintage.as_str(), e.sha256.len()), ("2018", 64));
        assert!(e.notes.iter().any(|n| n.contains("2006-01-01 to 2018-12-31")), "{:?}", e.notes);
        let data = store.load().unwrap();
        let local = data.local(&nyc.geoid).unwrap();
        // Shooting murders (151 in 2018, the incidents flagged
        // STATISTICAL_MURDER_FLAG true) are a subset of homicides: never
        // stored as homicides, which stay the FBI's 295 for New York city.
        assert_eq!(c.years[&2018].homicides, Some(151));
        assert!(!local.contains_key("homicides"), "shooting murders never replace homicides");
        assert_eq!(local["nonfatal_shootings"].value, 754.0 - 151.0);
        assert!(local["nonfatal_shootings"].source.contains("incident file"), "{}", local["nonfatal_shootings"].source);
        assert!(e.summary.contains("151 fatal (shooting murders, not stored as homicides)"), "{}", e.summary);
        let input = safetygap_data::inputs::plan_input_with(&data, g, nyc);
        assert_eq!(input.drivers["homicides"].value, 295.0);
    }

    fn write(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = temp_dir("inc-bad").join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn bad_incident_files_are_refused_with_file_and_line() {
        let real = std::fs::read(nypd_shootings()).unwrap();
        // Truncated in the middle of a row.
        let cut = real.len() / 2;
        let cut = cut + real[cut..].iter().position(|&b| b == b',').unwrap();
        let e = count_path(&write("cut.csv", &real[..cut]), &Mapping::default(), 2).unwrap_err().to_string();
        let line = real[..cut].iter().filter(|&&b| b == b'\n').count() + 1;
        assert!(e.starts_with(&format!("cut.csv:{line}:")) && e.contains("cut short"), "{e}");
        // Binary (a zip/xlsx signature).
        let e = count_path(&write("x.csv", b"PK\x03\x04\x00\x00binary"), &Mapping::default(), 2).unwrap_err().to_string();
        assert!(e.contains("binary"), "{e}");
        // Wrong kind: the FBI city table has no date or incident key.
        let e = count_path(fbi_table8().as_ref(), &Mapping::default(), 2).unwrap_err().to_string();
        assert!(e.contains("no date column") && e.contains("--map"), "{e}");
        // Missing column named in --map.
        let m = Mapping::parse("key=NOPE").unwrap();
        let e = count_path(nypd_shootings().as_ref(), &m, 2).unwrap_err().to_string();
        assert!(e.contains("NOPE") && e.contains("no such column"), "{e}");
        // A bad date deep in the file names its line.
        let mut bad = real.clone();
        let at = bad.windows(11).position(|w| w == b",01/01/2018").unwrap();
        bad[at + 1..at + 11].copy_from_slice(b"13/45/2018");
        let line = bad[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let e = count_path(&write("d.csv", &bad), &Mapping::default(), 2).unwrap_err().to_string();
        assert!(e.starts_with(&format!("d.csv:{line}:")) && e.contains("13/45/2018"), "{e}");
    }
}

mod county_health_rankings {
    use crate::shared::{chr_v015, chr_v148};
    use safetygap_data::embedded::gazetteer;
    use safetygap_data::import::chr::prepare;

    fn numerator(file: &str, code: &str) -> f64 {
        // grep '^06,001,' v015_r2026.csv | cut -d, -f4
        let text = std::fs::read_to_string(file).unwrap();
        let line = text.lines().find(|l| l.starts_with(code)).unwrap();
        line.split(',').nth(3).unwrap().parse().unwrap()
    }

    #[test]
    fn homicides_are_yearly_averages_and_firearm_deaths_never_homicides() {
        let g = gazetteer();
        let p = prepare("v015_r2026.csv", "t", &std::fs::read(chr_v015()).unwrap(), g).unwrap();
        let stored = String::from_utf8(p.stored_bytes_for_tests()).unwrap();
        let want = numerator(chr_v015(), "06,001,") / 7.0;
        assert!(stored.lines().any(|l| l == format!("06001,homicides,{want}")), "Alameda County: {want}");
        assert_eq!(p.entry.vintage, "2017-2023");
        assert!(p.entry.notes.iter().any(|n| n.contains("suppressed")));
        let p = prepare("v148_r2026.csv", "t", &std::fs::read(chr_v148()).unwrap(), g).unwrap();
        let stored = String::from_utf8(p.stored_bytes_for_tests()).unwrap();
        assert!(!stored.contains(",homicides,"), "v148 includes suicides: never homicides");
        let want = numerator(chr_v148(), "06,001,") / 5.0;
        assert!(stored.lines().any(|l| l == format!("06001,firearm_deaths,{want}")));
    }

    #[test]
    fn bad_chr_files_name_the_line() {
        let g = gazetteer();
        let real = std::fs::read_to_string(chr_v015()).unwrap();
        // Leading zeros lost in a spreadsheet.
        let bad = real.replacen("\n06,001,", "\n6,1,", 1);
        let line = real[..real.find("\n06,001,").unwrap()].lines().count() + 1;
        let e = prepare("x.csv", "t", bad.as_bytes(), g).unwrap_err();
        assert!(e.starts_with(&format!("x.csv:{line}:")) && e.contains("leading zeros"), "{e}");
        // Truncated mid-row.
        let e = prepare("x.csv", "t", &real.as_bytes()[..real.len() / 2], g).unwrap_err();
        assert!(e.contains("fields where the header has"), "{e}");
        // Wrong kind and binary.
        assert!(prepare("x.csv", "t", b"geoid,homicides\n06001,3\n", g).unwrap_err().contains("not a County Health Rankings"));
        assert!(prepare("x.csv", "t", b"PK\x03\x04\xff\xfe", g).unwrap_err().contains("not UTF-8"));
    }
}

/// A county with FBI-reporting cities: their own 2018 counts plus the
/// state's rate × the residents outside them. Expected values computed from
/// the source files, not the code (Census populations: the 486 estimated
/// places' V2023 figure, else us_geo's):
/// python3 -c "import csv;D='../shared/data/';R=lambda p:list(csv.reader(open(D+p,encoding='latin-1')));P={r[0]:r for r in R('census/us_geo_2023_places.csv')[1:] if r[5]=='06001' and r[7][0]=='C'};V={r[1]+r[2]:float(r[5]) for r in R('census/urban/place-populations.csv')[1:] if r[0]=='2023'};F={r[2].rstrip('0123456789'):r for r in R('crime/fbi_table8_2018/offenses_city.csv') if r and r[0]=='CALIFORNIA'};C=R('census/co-est2023-alldata.csv');i=C[0].index('POPESTIMATE2023');st=[float(r[i]) for r in C if r[3]=='6' and r[4]=='0'][0];co=[float(r[i]) for r in C if r[3]=='6' and r[4]=='1'][0];H=[r for r in R('crime/estimated_crimes_1979_2023.csv') if r[0]=='2019' and r[1]=='CA'][0];ins=sum(V.get(g,float(p[8] or 0)) for g,p in P.items() if p[3] in F);print(sum(float(F[p[3]][5]) for p in P.values() if p[3] in F)+float(H[5])/st*(co-ins),sum(float(F[p[3]][4].replace(',','')) for p in P.values() if p[3] in F)+float(H[4])/st*(co-ins))"
/// → 87.7948 homicides, 9481.79 violent crimes (14 reporting cities, 82 murders).
/// (The embedded 2019 state figures come from an earlier FBI release, with
/// 174,331 violent crimes in California where that file has 174,341: 0.03
/// fewer here.)
#[test]
fn alameda_county_violence_is_its_cities_plus_the_state_rate_outside() {
    use safetygap_data::embedded::gazetteer;
    let g = gazetteer();
    let input = safetygap_data::inputs::embedded_plan_input(g, g.get("06001").unwrap());
    let h = &input.drivers["homicides"];
    assert!((h.value - 87.7948).abs() < 0.001, "Alameda homicides {}", h.value);
    assert!(h.estimated);
    assert!(h.source.contains("14 FBI-reporting cities") && h.source.contains("Oakland 70"), "{}", h.source);
    assert!(h.source.contains("residents outside those cities"), "{}", h.source);
    assert_eq!(h.vintage.as_deref(), Some("2018 (cities), 2019 (state rate)"));
    let v = &input.drivers["violent_crimes"];
    assert!((v.value - (9481.79 - 10.0 * 133_607.0 / 38_965_193.0)).abs() < 0.01, "Alameda violent crimes {}", v.value);
}

/// A city spanning counties counts in each by its residents' share: Kings
/// County, NY is all New York city (31.08% of its residents, Geocorr), so
/// its homicides are 295 × 0.3108, and no residents are left outside (the
/// city's V2023 population × share exceeds the county's, clamped to 0):
/// grep '^36047,36,51000' geocorr2022_county_place_2022_onwards.csv → afact2 0.3108;
/// grep '^NEW YORK,NY,New York' offenses_city.csv → 295 murders. 295 × 0.3108 = 91.686.
/// A county without reporting cities keeps the state's share.
#[test]
fn spanning_city_counts_by_share_and_non_reporting_county_keeps_state_share() {
    use safetygap_data::embedded::gazetteer;
    let g = gazetteer();
    let kings = safetygap_data::inputs::embedded_plan_input(g, g.get("36047").unwrap());
    let h = &kings.drivers["homicides"];
    assert!((h.value - 91.686).abs() < 1e-6, "Kings homicides {}", h.value);
    assert!(h.source.contains("New York 295 × 31.1% living here"), "{}", h.source);
    // Counties without any matched FBI city keep the plain state share.
    let lone =
        g.counties(None).find(|c| violence::county_reporting_places(&c.geoid).is_empty()).expect("some county has no reporting city");
    let input = safetygap_data::inputs::embedded_plan_input(g, lone);
    assert!(input.drivers["homicides"].source.contains("count shared by population"), "{}", input.drivers["homicides"].source);
}

mod urban_rates {
    use crate::shared::{chr_v015, temp_dir, urban_county_rates, urban_place_rates};
    use safetygap_data::embedded::gazetteer;
    use safetygap_data::import::urban::{prepare, Level, Options};
    use safetygap_data::inputs::plan_input_with;
    use safetygap_data::store::{DataDir, Store};

    fn stored(p: &safetygap_data::store::Prepared) -> String {
        String::from_utf8(p.stored_bytes_for_tests()).unwrap()
    }

    fn value(stored: &str, geoid: &str) -> Option<f64> {
        stored.lines().find(|l| l.starts_with(&format!("{geoid},violent_crimes,"))).map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
    }

    /// Quality 1 only by default: St. Louis city (place and county, both
    /// quality 1 in 2023) is imported, Oakland (quality 3: its police barely
    /// reported) is not unless --max-quality 3.
    /// grep '^2023,29,65000,' rates_crime_place_all.csv → 2109.7953321119444, quality 1;
    /// grep '^2023,29,510,' rates_crime_county_all.csv → 2055.208130763641, quality 1;
    /// grep '^2023,29,65000' place-populations.csv → 281,754 (also the county's POPESTIMATE2023);
    /// grep '^2023,06,53000,' rates_crime_place_all.csv → 54.78551470991069, quality 3.
    #[test]
    fn quality_one_rates_become_violent_crimes() {
        let g = gazetteer();
        let place = std::fs::read(urban_place_rates()).unwrap();
        let county = std::fs::read(urban_county_rates()).unwrap();
        let first = |b: &[u8]| String::from_utf8_lossy(&b[..b.iter().position(|&c| c == b'\n').unwrap()]).into_owned();
        assert_eq!(Level::detect(&first(&place)), Some(Level::Place));
        assert_eq!(Level::detect(&first(&county)), Some(Level::County));
        let p = prepare("rates_crime_place_all.csv", "t", &place, g, Options::default()).unwrap();
        assert_eq!(p.entry.vintage, "2023");
        let s = stored(&p);
        assert!((value(&s, "2965000").unwrap() - 2109.7953321119444 * 281_754.0 / 1e5).abs() < 1e-6);
        assert_eq!(value(&s, "0653000"), None, "Oakland's quality-3 rate is left out");
        // awk -F, '$1==2023 && $6==1' rates_crime_place_all.csv | wc -l → 288 (all match a Census place)
        assert_eq!(p.entry.records, 288);
        let c = prepare("rates_crime_county_all.csv", "t", &county, g, Options::default()).unwrap();
        assert!((value(&stored(&c), "29510").unwrap() - 2055.208130763641 * 281_754.0 / 1e5).abs() < 1e-6);
        let all = prepare("rates_crime_place_all.csv", "t", &place, g, Options { max_quality: 3, year: None }).unwrap();
        assert!((value(&stored(&all), "0653000").unwrap() - 54.78551470991069 * 436_504.0 / 1e5).abs() < 1e-6);
        // 2022: Oakland's 2.28 per 100,000 only with --max-quality 3.
        let y22 = prepare("rates_crime_place_all.csv", "t", &place, g, Options { max_quality: 3, year: Some(2022) }).unwrap();
        assert!((value(&stored(&y22), "0653000").unwrap() - 2.2840175869354193 * 436_504.0 / 1e5).abs() < 1e-6);
        assert!(p.entry.notes.iter().any(|n| n.contains("2.28")), "{:?}", p.entry.notes);
    }

    /// Imported rates win over the embedded FBI city figure, with source and vintage.
    #[test]
    fn imported_rates_take_precedence() {
        let g = gazetteer();
        let mut s = Store::open(DataDir::at(temp_dir("urban").join("data"))).unwrap();
        s.save(prepare("rates_crime_place_all.csv", "t", &std::fs::read(urban_place_rates()).unwrap(), g, Options::default()).unwrap())
            .unwrap();
        let data = s.load().unwrap();
        let input = plan_input_with(&data, g, g.get("2965000").unwrap());
        let v = &input.drivers["violent_crimes"];
        assert!((v.value - 2109.7953321119444 * 281_754.0 / 1e5).abs() < 1e-6);
        assert_eq!(v.vintage.as_deref(), Some("2023"));
        assert!(!v.estimated);
        assert!(v.source.contains("Urban Institute") && v.source.contains("quality flag 1"), "{}", v.source);
        // Homicides are not in the file: St. Louis keeps its FBI count.
        assert_eq!(input.drivers["homicides"].value, 187.0);
    }

    #[test]
    fn bad_rate_files_are_refused_with_the_line() {
        let g = gazetteer();
        let real = std::fs::read_to_string(urban_county_rates()).unwrap();
        let o = Options::default();
        // Truncated mid-row.
        let cut = &real[..real.len() / 2];
        let cut = &cut[..cut.rfind(',').unwrap()];
        let line = cut.lines().count();
        let e = prepare("r.csv", "t", cut.as_bytes(), g, o).unwrap_err();
        assert!(e.starts_with(&format!("r.csv:{line}:")) && e.contains("truncated"), "{e}");
        // Binary.
        assert!(prepare("r.csv", "t", b"PK\x03\x04\x00\x00", g, o).unwrap_err().contains("binary"));
        // Wrong kind: a County Health Rankings file.
        let e = prepare("v015.csv", "t", &std::fs::read(chr_v015()).unwrap(), g, o).unwrap_err();
        assert!(e.contains("not an Urban Institute crime rates file"), "{e}");
        // Missing column.
        let no_q = real.replacen("rate_crime_violent_quality", "quality_v", 1);
        let e = prepare("r.csv", "t", no_q.as_bytes(), g, o).unwrap_err();
        assert!(e.contains("missing column(s) rate_crime_violent_quality"), "{e}");
        // Leading zeros lost, a bad quality flag, a year the file lacks.
        let e = prepare("r.csv", "t", real.replacen("\n2021,01,001,", "\n2021,1,1,", 1).as_bytes(), g, o).unwrap_err();
        assert!(e.starts_with("r.csv:2:") && e.contains("leading zeros"), "{e}");
        let e = prepare("r.csv", "t", real.replacen(",1,1\n", ",7,1\n", 1).as_bytes(), g, o).unwrap_err();
        assert!(e.contains("rate_crime_violent_quality \"7\""), "{e}");
        let e = prepare("r.csv", "t", real.as_bytes(), g, Options { max_quality: 1, year: Some(2019) }).unwrap_err();
        assert!(e.contains("no rows for 2019; the file has 2021, 2022, 2023"), "{e}");
        assert!(prepare("r.csv", "t", real.as_bytes(), g, Options { max_quality: 4, year: None }).is_err());
    }
}

/// A city's imported figure replaces its FBI 2018 count in its county's
/// figure, and a place with an imported figure but no FBI row counts too
/// (its residents then no longer get the state's rate). Expected values
/// from the source files:
/// grep '^CALIFORNIA,CA,Oakland,' offenses_city.csv → 70 murders;
/// grep '^06001,06,53000' geocorr2022_county_place_2022_onwards.csv → afact2 1 (all in Alameda), same for 11964 (Castro Valley CDP);
/// grep '^0611964,' us_geo_2023_places.csv → population 66,324 (a CDP: no Census estimate);
/// grep '^2019,CA' estimated_crimes_1979_2023.csv → 1,690 homicides; California V2023 38,965,193 (co-est2023, as above).
/// So Alameda moves by (100 − 70) + (5 − 1,690 / 38,965,193 × 66,324).
#[test]
fn imported_city_figures_roll_up_into_their_county() {
    use safetygap_data::embedded::gazetteer;
    use safetygap_data::inputs::{embedded_plan_input, plan_input_with};
    use safetygap_data::store::{DataDir, ImportOptions, Store};
    let g = gazetteer();
    let alameda = g.get("06001").unwrap();
    let before = embedded_plan_input(g, alameda).drivers["homicides"].value;
    let dir = crate::shared::temp_dir("rollup-imported");
    let mut s = Store::open(DataDir::at(dir.join("data"))).unwrap();
    let f = dir.join("ours.csv");
    std::fs::write(&f, "geoid,homicides\n0653000,100\n0611964,5\n").unwrap();
    s.import_path(&f, &ImportOptions { vintage: Some("2024".into()), ..Default::default() }, g).unwrap();
    let data = s.load().unwrap();
    let input = plan_input_with(&data, g, alameda);
    let h = &input.drivers["homicides"];
    let want = before + (100.0 - 70.0) + (5.0 - 1690.0 / 38_965_193.0 * 66_324.0);
    assert!((h.value - want).abs() < 1e-6, "Alameda homicides {} want {want}", h.value);
    assert!(h.estimated);
    assert!(
        h.source.contains("15 cities with residents here and a count of their own") && h.source.contains("Oakland 100 imported"),
        "{}",
        h.source
    );
    assert!(h.source.contains("2 of them imported: ours.csv") && h.source.contains("the other 13: FBI"), "{}", h.source);
    assert_eq!(h.vintage.as_deref(), Some("2018, 2024 (cities), 2019 (state rate)"));
    // Violent crimes were not imported: the county's figure is unchanged.
    let v = input.drivers["violent_crimes"].value;
    let v0 = embedded_plan_input(g, alameda).drivers["violent_crimes"].value;
    assert_eq!(v, v0);
}
