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

# Issue 24's targets, one line each: met or missed, with the figure. Whole commands against their
# peers come from `benches/whole/run` (target/bench-results/whole/whole.json).
READ_ONLY = ("ls", "search phrase", "check", "codebook", "cooccur", "agree", "saturation", "matrix by role",
             "complete a code")
whole_path = os.path.join(results, "whole", "whole.json")
whole = json.load(open(whole_path)) if os.path.exists(whole_path) else {}
lines = []


def target(name, met, figure):
    lines.append(f"- {'met' if met else 'MISSED'}: {name}: {figure}")


def row_of(size, op):
    if size not in data:
        return None
    return next((r for r in data[size][1] if r["op"] == op and r["median"]), None)


for size in ("2k", "10k"):
    imp, idx = row_of(size, "import"), row_of(size, "index")
    if imp and idx:
        rate = data[size][0]["text_bytes"] / 1e6 / (imp["median"] + idx["median"])
        target(f"import + index >= 50 MB/s ({size})", rate >= 50,
               f"{rate:.1f} MB/s (import {seconds(imp['median'])} + first search building the index "
               f"{seconds(idx['median'])})")
if "import + index meetings" in whole:
    w = whole["import + index meetings"]
    target("import + index >= 40 MB/s (AMI/ICSI meetings)", w["mb_per_s"] >= 40,
           f"{w['mb_per_s']:.1f} MB/s ({seconds(w['thema_s'])} for {w['text_bytes'] / 1e6:.1f} MB of text)")
if "2k" in data:
    for op in READ_ONLY:
        r = row_of("2k", op)
        if r:
            target(f"`thema {r['command']}` < 200 ms (2k)", r["median"] < 0.2, seconds(r["median"]))
    r = row_of("2k", "words")
    if r:
        target("`thema words` < 1 s (2k)", r["median"] < 1, seconds(r["median"]))
for label in ("2k", "10k", "meetings"):
    w = whole.get(f"search {label}")
    if w:
        target(f"phrase search >= 2x faster than `rg -c -i -F` ({label})", w["ratio"] >= 2,
               f"{w['ratio']:.2f}x (thema {seconds(w['thema_s'])}, rg {seconds(w['peer_s'])})")
for op in ("cooccur", "agree"):
    r = row_of("10k", op)
    if r:
        target(f"`thema {op}` over {data['10k'][0]['codings']:,} codings < 1 s (10k)", r["median"] < 1,
               seconds(r["median"]))
if "10k" in data:
    heavy = [(int(r["peak_kib"]) / 1024, r["op"]) for r in data["10k"][1]]
    over = sorted((m, op) for m, op in heavy if m >= 1024)
    most = max(heavy)
    target("peak memory < 1 GB for every command (10k)", not over,
           f"largest {most[1]} {most[0]:,.0f} MB" + (f"; over: {', '.join(f'{op} {m:,.0f} MB' for m, op in over)}"
                                                      if over else ""))
w = whole.get("agree --data 1,000,000 x 4")
if w:
    target("`thema agree --data` >= 3x faster than python krippendorff with pyarrow (1,000,000 x 4)",
           w["ratio"] >= 3, f"{w['ratio']:.1f}x (thema {seconds(w['thema_s'])}, python {seconds(w['peer_s'])})")
w = whole.get("import meetings as txt")
if w and "ratio" in w:
    target("import of the 196 meetings >= 10x faster than `qc corpus import --recursive`", w["ratio"] >= 10,
           f"{w['ratio']:.1f}x (thema {seconds(w['thema_s'])}, qc {seconds(w['peer_s'])})")
if "2k" in data and "10k" in data:
    n_ratio = data["10k"][0]["codings"] / data["2k"][0]["codings"]
    ks = []
    for row in data["10k"][1]:
        before = row_of("2k", row["op"])
        if before and row["median"]:
            ks.append((math.log(row["median"] / before["median"]) / math.log(n_ratio), row["op"]))
    worst = [f"{op} {k:.2f}" for k, op in sorted(ks, reverse=True) if k > 1.05]
    target("growth k <= 1.05 from 2k to 10k for every command", not worst,
           f"largest k {max(ks)[0]:.2f} ({max(ks)[1]})" + (f"; over: {', '.join(worst)}" if worst else ""))
if lines:
    load = whole.get("load")
    print("\n### Targets of issue 24\n")
    if load:
        print(f"(whole-command comparisons: load average {load[0]:.1f} at their start)\n")
    print("\n".join(lines))
