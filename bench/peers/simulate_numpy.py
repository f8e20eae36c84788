#!/usr/bin/env python3
"""numpy peer of safetygap's Monte Carlo simulation (`plan --simulate`, batch).

The same model as crates/core/src/simulate.rs, written the way an analyst
would in numpy: the shipped catalog is read from catalog/*.toml; every ranged
input (low < high) is drawn once per draw from a Beta-PERT over low/mid/high
(shape 4) and shared by every county; the plan arithmetic runs on
(counties × draws) arrays by broadcasting; percentiles are read with
np.percentile(..., method="inverted_cdf") (nearest rank, as in Rust).

Per county it produces P5/P50/P95 of need, gap, annual and start-up cost for
every program, annual / start-up / need cost per gap area and in total —
the same figures as the Rust engine — and writes the annual-cost
percentiles per program and the total as JSON for bench/compare-simulation.

    python3 bench/peers/simulate_numpy.py --populations pops.txt --draws 1000 \
        --seed 7 --repeat 3 --out numpy.json
"""

from __future__ import annotations

import argparse
import json
import time
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FILES = ["drivers", "victim_services", "violence_prevention", "behavioral_health", "reentry"]
AREAS = ["victim_services", "violence_prevention", "behavioral_health", "reentry"]
Q = [5, 50, 95]


def load_catalog():
    drivers, benches, addons = [], [], []
    for name in FILES:
        with open(ROOT / "catalog" / f"{name}.toml", "rb") as f:
            d = tomllib.load(f)
        drivers += d.get("driver", [])
        benches += d.get("benchmark", [])
        addons += d.get("addon", [])
    # Drivers in dependency order.
    ordered, done = [], set()
    while len(ordered) < len(drivers):
        for d in drivers:
            deps = {t["driver"] for t in d.get("estimate", [])}
            if d["id"] not in done and deps <= done:
                ordered.append(d)
                done.add(d["id"])
    # Add-ons name benchmarks or groups.
    for a in addons:
        a["of_ids"] = [b["id"] for b in benches if b["id"] in a["of"] or b.get("group") in a["of"]]
    # Plan order: benchmarks then add-ons, stably by gap area.
    lines = [("b", b) for b in benches] + [("a", a) for a in addons]
    lines.sort(key=lambda x: AREAS.index(x[1]["gap_area"]))
    return ordered, lines


def pert(rng, low, mid, high, n):
    """A (n,) array of PERT draws, or the fixed value when low == high."""
    if not low < high:
        return mid
    a = 1 + 4 * (mid - low) / (high - low)
    b = 1 + 4 * (high - mid) / (high - low)
    return low + (high - low) * rng.beta(a, b, n)


def rng_inputs(drivers, lines, n, seed):
    """Draws every ranged input once (shared across counties), in a fixed order."""
    rng = np.random.default_rng(seed)
    params = {}
    for d in drivers:
        for ti, t in enumerate(d.get("estimate", [])):
            for fi, f in enumerate(t["factors"]):
                params[(d["id"], ti, fi)] = pert(rng, f["low"], f["mid"], f["high"], n)
    for kind, x in lines:
        if kind == "b":
            s = x.get("ratio") or x.get("caseload")
            params[(x["id"], "scale")] = pert(rng, s["low"], s["mid"], s["high"], n)
            c = x["annual_cost"]
            params[(x["id"], "annual")] = pert(rng, c["low"], c["mid"], c["high"], n)
            if "startup_cost" in x:
                c = x["startup_cost"]
                params[(x["id"], "startup")] = pert(rng, c["low"], c["mid"], c["high"], n)
        else:
            s = x["share"]
            params[(x["id"], "share")] = pert(rng, s["low"], s["mid"], s["high"], n)
    return params


def pct(x, j):
    """P5/P50/P95 per county of a (counties × draws) or (counties × 1) array."""
    x = np.broadcast_to(x, (j, x.shape[1])) if np.ndim(x) == 2 else np.full((j, 1), x)
    return np.percentile(x, Q, axis=1, method="inverted_cdf")


def simulate(pop, drivers, lines, n, seed):
    j = pop.shape[0]
    params = rng_inputs(drivers, lines, n, seed)
    row = lambda v: v[None, :] if isinstance(v, np.ndarray) else v  # noqa: E731
    drv = {}
    for d in drivers:
        if d["id"] == "population":
            drv["population"] = pop[:, None]
            continue
        total = 0.0
        for ti, t in enumerate(d["estimate"]):
            acc = drv[t["driver"]]
            for fi, f in enumerate(t["factors"]):
                v = row(params[(d["id"], ti, fi)])
                acc = acc / v if f.get("divide") else acc * v
            total = total + acc
        drv[d["id"]] = total
    out = {}
    sums = {a: {"annual": 0.0, "startup": 0.0, "need_cost": 0.0} for a in AREAS + ["total"]}
    annual_of, need_cost_of = {}, {}
    existing = 0.0  # no inventory in the benchmark
    for kind, x in lines:
        if kind == "b":
            d = drv[x["driver"]]
            s = row(params[(x["id"], "scale")])
            need = d * s / x["ratio"]["per"] if "ratio" in x else d / s
            gap = np.maximum(need - existing, 0.0)
            cost = row(params[(x["id"], "annual")])
            annual = gap * cost
            startup = gap * row(params[(x["id"], "startup")]) if (x["id"], "startup") in params else np.zeros((1, 1))
            need_cost = need * cost
            annual_of[x["id"]], need_cost_of[x["id"]] = annual, need_cost
        else:
            share = row(params[(x["id"], "share")])
            need_cost = share * sum(need_cost_of[b] for b in x["of_ids"])
            annual = share * sum(annual_of[b] for b in x["of_ids"])
            need, gap, startup = need_cost, annual, np.zeros((1, 1))
        as2d = lambda v: v if np.ndim(v) == 2 else np.full((1, 1), v)  # noqa: E731
        need, gap, annual, startup, need_cost = map(as2d, (need, gap, annual, startup, need_cost))
        out[x["id"]] = {k: pct(v, j) for k, v in (("need", need), ("gap", gap), ("annual_cost", annual), ("startup_cost", startup))}
        for key in (x["gap_area"], "total"):
            sums[key]["annual"] = sums[key]["annual"] + annual
            sums[key]["startup"] = sums[key]["startup"] + startup
            sums[key]["need_cost"] = sums[key]["need_cost"] + need_cost
    areas = {a: {k: pct(v, j) for k, v in s.items()} for a, s in sums.items()}
    areas["total"]["per_resident"] = areas["total"]["annual"] / pop[None, :]
    return out, areas


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--populations", required=True, help="file with one population per line")
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out")
    args = ap.parse_args()
    pop = np.array([float(l) for l in Path(args.populations).read_text().split()], dtype=np.float64)
    drivers, lines = load_catalog()
    best = float("inf")
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        out, areas = simulate(pop, drivers, lines, args.draws, args.seed)
        best = min(best, time.perf_counter() - t)
    ids = [x["id"] for _, x in lines]
    series = lambda k: np.column_stack([out[i]["annual_cost"][k] for i in ids] + [areas["total"]["annual"][k]]).tolist()  # noqa: E731
    result = {
        "engine": f"numpy {np.__version__}",
        "counties": int(pop.shape[0]),
        "draws": args.draws,
        "programs": len(ids),
        "seconds": best,
        "throughput": pop.shape[0] * args.draws * len(ids) / best,
        "ids": ids,
        "p5": series(0),
        "p50": series(1),
        "p95": series(2),
    }
    text = json.dumps(result)
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
