#!/usr/bin/env python3
"""bench/scaling.sh's summary: reads the runs' logs in the folder given and prints one Markdown table, the median
over the rounds of each figure and its ratio to SQLite's median in the same run."""
import glob, os, re, statistics, sys

folder = sys.argv[1]
setups = [("sqlite", "1", "SQLite"), ("postgres", "1", "PostgreSQL, 1 replica"), ("postgres", "2", "PostgreSQL, 2 replicas")]

def runs(kind, database, replicas):
    return [open(path).read() for path in sorted(glob.glob(os.path.join(folder, f"{kind}-{database}-{replicas}-*.log")))]

def median(values):
    return statistics.median(values) if values else float("nan")

def figures(database, replicas):
    paced_p50, paced_p99, achieved, stored = [], [], [], []
    for text in runs("intake", database, replicas):
        m = re.search(r"intake webhook\s+\d+/s: \d+ requests, (\d+) failed, (\d+)/s achieved, p50 ([\d.]+) ms, p99 ([\d.]+) ms", text)
        if m:
            achieved.append(float(m.group(2))); paced_p50.append(float(m.group(3))); paced_p99.append(float(m.group(4)))
        m = re.search(r"rows stored during the run: \d+ = (\d+)/s", text)
        if m:
            stored.append(float(m.group(1)))
    one, many, one_p50, many_p50 = [], [], [], []
    for text in runs("e2e", database, replicas):
        m = re.search(r"one swap at a time: .*?= (\d+) swaps/min; end to end p50 (\d+) ms", text)
        if m:
            one.append(float(m.group(1))); one_p50.append(float(m.group(2)))
        m = re.search(r"users at once: .*?= (\d+) swaps/min; end to end p50 (\d+) ms", text)
        if m:
            many.append(float(m.group(1))); many_p50.append(float(m.group(2)))
    return {"stored/s (wrk)": median(stored), "paced achieved/s": median(achieved), "paced p50 ms": median(paced_p50),
            "paced p99 ms": median(paced_p99), "e2e one at a time p50 ms": median(one_p50), "e2e one at a time swaps/min": median(one),
            "e2e at once swaps/min": median(many), "e2e at once p50 ms": median(many_p50)}

table = [(label, figures(database, replicas)) for database, replicas, label in setups]
base = table[0][1]
print("| " + " | ".join(["figure (median of the rounds)"] + [label for label, _ in table]) + " |")
print("|---" + "|---:" * len(table) + "|")
for key in base:
    cells = []
    for _, values in table:
        value = values[key]
        ratio = value / base[key] if base[key] and base[key] == base[key] and value == value else float("nan")
        cells.append(f"{value:,.0f}" if value != value or value >= 10 else f"{value:.2f}")
        if values is not base and ratio == ratio:
            cells[-1] += f" ({ratio:.2f}x)"
    print(f"| {key} | " + " | ".join(cells) + " |")
