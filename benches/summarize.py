#!/usr/bin/env python3
"""Turn the results of `benches/scale.rs` (target/bench-results/scale-SIZE.tsv and criterion's
estimates in target/criterion/) into the Markdown tables of BENCHMARKS.md: per command and size,
the median, throughput and peak memory; and how each command's time grows from the 2,000- to the
10,000-document study (the exponent k of time ~ size^k).

Usage: python3 benches/summarize.py [TARGET_DIR]   (prints Markdown)
"""
import json
import math
import os
import sys

target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "target")
results = os.path.join(target, "bench-results")

# What each command's throughput is counted in: (fact, unit, scale).
THROUGHPUT = {
    "import": ("text_bytes", "MB/s of text", 1e6),
    "index": ("text_bytes", "MB/s of text", 1e6),
    "words": ("text_bytes", "MB/s of text", 1e6),
    "ls": ("documents", "documents/s", 1),
    "check": ("turns", "M turns/s", 1e6),
    "search phrase": ("turns", "M turns/s", 1e6),
}
DEFAULT = ("codings", "k codings/s", 1e3)


def criterion_median(size, op):
    path = os.path.join(target, "criterion", f"scale_{size}", op, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] / 1e9
    except FileNotFoundError:
        return None


def read(size):
    path = os.path.join(results, f"scale-{size}.tsv")
    if not os.path.exists(path):
        return None
    facts, rows = {}, []
    with open(path) as f:
        lines = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    header = None
    for cells in lines:
        if cells[0] == "op":
            header = cells
            continue
        if header is None:
            facts[cells[0]] = cells[1] if cells[0] == "size" else int(cells[1])
        else:
            row = dict(zip(header, cells))
            median = criterion_median(size, row["op"]) if row["timed_by"] == "criterion" else float(row["median_s"])
            row["median"] = median
            rows.append(row)
    return facts, rows


def seconds(s):
    if s is None:
        return "n/a"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def throughput(op, facts, median):
    fact, unit, scale = THROUGHPUT.get(op, DEFAULT)
    if not median or not facts.get(fact) or facts["documents"] < 100:
        return ""
    value = facts[fact] / median / scale
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


sizes = [s for s in ("example", "2k", "10k") if read(s)]
data = {s: read(s) for s in sizes}
for size in sizes:
    facts, rows = data[size]
    print(f"\n### {size}: {facts['documents']:,} documents, {facts['turns']:,} turns, "
          f"{facts['text_bytes'] / 1e6:,.1f} MB of text, {facts['codings']:,} codings\n")
    print("| operation | command | median | throughput | peak memory | timed by |")
    print("|---|---|---:|---:|---:|---|")
    for row in rows:
        print(f"| {row['op']} | `{row['command']}` | {seconds(row['median'])} | {throughput(row['op'], facts, row['median'])} | "
              f"{int(row['peak_kib']) / 1024:,.0f} MB | {row['timed_by']} |")

if "2k" in data and "10k" in data:
    small, large = data["2k"], data["10k"]
    n_ratio = large[0]["codings"] / small[0]["codings"]
    print(f"\n### Growth from 2k to 10k (data × {n_ratio:.1f}; k in time ∝ size^k)\n")
    print("| command | 2k | 10k | ratio | k | memory 2k → 10k |")
    print("|---|---:|---:|---:|---:|---:|")
    by_op = {r["op"]: r for r in small[1]}
    for row in large[1]:
        before = by_op.get(row["op"])
        if not before or not before["median"] or not row["median"]:
            continue
        ratio = row["median"] / before["median"]
        k = math.log(ratio) / math.log(n_ratio)
        print(f"| {row['op']} | {seconds(before['median'])} | {seconds(row['median'])} | ×{ratio:.1f} | {k:.2f} | "
              f"{int(before['peak_kib']) / 1024:,.0f} → {int(row['peak_kib']) / 1024:,.0f} MB |")

# The formerly quadratic paths (issue 19): each command at its three sizes, and k between the
# smallest and the largest (time ∝ size^k; 1 is linear, 2 quadratic).
PATHS = ("paths-s", "paths-m", "paths-l")
SIZE_OF = {"import speakers": "speakers", "import survey": "respondents", "autocode turns": "turns"}
paths = {s: read(s) for s in PATHS if read(s)}
if paths:
    print("\n### Formerly quadratic paths at three sizes (k in time ∝ size^k)\n")
    print("| operation | command (largest size) | " + " | ".join(f"{s}: size, median, memory" for s in paths)
          + " | k |")
    print("|---|---|" + "---:|" * len(paths) + "---:|")
    ops = [r["op"] for r in next(iter(paths.values()))[1]]
    for op in ops:
        cells, points, command = [], [], ""
        for size, (facts, rows) in paths.items():
            row = next((r for r in rows if r["op"] == op), None)
            if row is None or not row["median"]:
                cells.append("n/a")
                continue
            n = facts[SIZE_OF.get(op, "turns")]
            points.append((n, row["median"]))
            command = row["command"]
            cells.append(f"{n:,}: {seconds(row['median'])}, {int(row['peak_kib']) / 1024:,.0f} MB")
        k = ""
        if len(points) >= 2 and points[0][1] > 0:
            k = f"{math.log(points[-1][1] / points[0][1]) / math.log(points[-1][0] / points[0][0]):.2f}"
        print(f"| {op} | `{command}` | " + " | ".join(cells) + f" | {k} |")
