"""Writes the schemathesis configuration for a running server.

Realistic values come from the server itself, so they cannot go stale when
the catalog or the gazetteer changes: program ids from /api/catalog, a place
GEOID from /api/search. Usage: st_config.py BASE_URL OUT.toml
"""
import json
import sys
import urllib.request

base, out = sys.argv[1], sys.argv[2]


def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)


catalog = get("/api/catalog")
programs = [b["id"] for b in catalog["benchmarks"]][:6] + [a["id"] for a in catalog["addons"]][:2]
place = next(h["geoid"] for h in get("/api/search?q=Oakland&limit=10") if h["kind"] == "place")
doc = get("/api/openapi.json")
charts = doc["paths"]["/api/charts/{chart}"]["post"]["parameters"][0]["schema"]["enum"]
formats = doc["paths"]["/api/export/{format}"]["post"]["parameters"][0]["schema"]["enum"]
# A small valid catalog override: the generated text of `catalog` would
# almost never be a catalog, and the server rightly refuses it (422).
override = (
    '[[benchmark]]\nid = "psychiatric_bed"\nratio = { per = 100000, low = 40, mid = 50, high = 60 }\n'
    'evidence = "published"\ncitations = ["Treatment Advocacy Center: 40-60 beds per 100,000"]\n'
)


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


# An old place id of an earlier release too: saved plans hold them, and
# they still open (as the Census place they now are).
geoids = ["06", "06001", place, "US", "36061", "GN5378538"]
states = ["06", "CA", "California", "US", "48"]
lines = [
    "# Written by scripts/api/st_config.py for one run; do not edit.",
    "[dictionaries.geoids]",
    f"values = {toml_list(geoids)}",
    "[dictionaries.states]",
    f"values = {toml_list(states)}",
    "[dictionaries.programs]",
    f"values = {toml_list(programs)}",
    "[parameters]",
    '"path.geoid" = { dictionary = "geoids", probability = 0.8 }',
    '"path.state" = { dictionary = "states", probability = 0.8 }',
    '"path.program" = { dictionary = "programs", probability = 0.8 }',
    '"body.geoid" = { dictionary = "geoids", probability = 0.7 }',
    '"body.scenario.geoid" = { dictionary = "geoids", probability = 0.7 }',
    f'"body.catalog" = {json.dumps(override)}',
    f'"body.scenario.catalog" = {json.dumps(override)}',
    "",
    "# A PUT whose If-Match names another revision is refused with 412 by",
    "# design (a lost-update guard), whatever the body.",
    "[[operations]]",
    'include-name = "PUT /api/saved-plans/{id}"',
    'checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "412"]',
]
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print(f"st_config: {len(programs)} programs, place {place}, charts {charts}, formats {formats}", file=sys.stderr)
