"""Matching places: name keys, distances, legal descriptions, and which
county a point lies in (TopoJSON point-in-polygon)."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# --------------------------------------------------------------------------
# TopoJSON point-in-polygon (for matching places to counties)
# --------------------------------------------------------------------------


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode quantized, delta-encoded TopoJSON arcs into lon/lat lists."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts = []
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(pts)
    return arcs


def ring_coords(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in ring:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


@dataclass
class Shape:
    geoid: str
    polygons: list[list[list[tuple[float, float]]]]  # polygon -> rings -> points
    bbox: tuple[float, float, float, float]


def shapes_from_topology(topo: dict, obj: str) -> list[Shape]:
    arcs = decode_arcs(topo)
    shapes = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        polygons = [[ring_coords(r, arcs) for r in poly] for poly in polys]
        xs = [p[0] for poly in polygons for ring in poly for p in ring]
        ys = [p[1] for poly in polygons for ring in poly for p in ring]
        shapes.append(Shape(g["id"], polygons, (min(xs), min(ys), max(xs), max(ys))))
    return shapes


def in_ring(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_shape(x: float, y: float, s: Shape) -> bool:
    b = s.bbox
    if not (b[0] <= x <= b[2] and b[1] <= y <= b[3]):
        return False
    for poly in s.polygons:
        # Even-odd over the outer ring and its holes: inside the outer ring and
        # outside every hole.
        if in_ring(x, y, poly[0]) and not any(in_ring(x, y, h) for h in poly[1:]):
            return True
    return False


class ShapeIndex:
    """A coarse 1-degree grid over shape bounding boxes."""

    def __init__(self, shapes: list[Shape]):
        self.cells: dict[tuple[int, int], list[Shape]] = {}
        for s in shapes:
            x0, y0, x1, y1 = s.bbox
            for cx in range(int(x0 // 1), int(x1 // 1) + 1):
                for cy in range(int(y0 // 1), int(y1 // 1) + 1):
                    self.cells.setdefault((cx, cy), []).append(s)

    def find(self, x: float, y: float) -> list[str]:
        return sorted(s.geoid for s in self.cells.get((int(x // 1), int(y // 1)), []) if in_shape(x, y, s))


def normalize(name: str) -> str:
    """Name key for matching, as the program's lookups do
    (crates/data/src/embedded/names.rs): lower case, accents folded,
    apostrophes and periods dropped, other punctuation a space, St/Ste/Mt/Ft
    spelled out."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['\u2019\u2018\u02bb\u02bc`\u00b4.]", "", s)
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    expand = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
    return " ".join(expand.get(w, w) for w in s.split())


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# The Census appends a legal or statistical description to a place's name;
# us_geo writes it around the short name ("City of Oakland", "Castro Valley
# Census Designated Place"). The program shows the short name and this word.
def legal_description(full: str, short: str) -> str:
    if short and short in full:
        rest = full.replace(short, "{}", 1)
    else:
        rest = full
    if "Census Designated Place" in rest or rest.endswith(" CDP") or rest.endswith("Designated Place"):
        return "CDP"
    rest = rest.replace("{}", "").strip()
    rest = re.sub(r"\s+of$", "", rest).strip()
    return rest.lower()


def strip_balance(name: str) -> tuple[str, str]:
    """"Nashville-Davidson metropolitan government (balance)" ->
    ("Nashville-Davidson", "metropolitan government (balance)")."""
    s = name.strip()
    suffix = ""
    if s.endswith("(balance)"):
        s, suffix = s[: -len("(balance)")].strip(), "(balance)"
    words = s.split()
    legal: list[str] = []
    while len(words) > 1 and words[-1][:1].islower():
        legal.insert(0, words.pop())
    return " ".join(words), " ".join(legal + ([suffix] if suffix else []))
