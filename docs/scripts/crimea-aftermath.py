#!/usr/bin/env python3
# Usage: python3 docs/scripts/crimea-aftermath.py RUN_FOLDER
# (the folder of `entrench run backcast-1997-2016 ...`; docs/validation.md)
"""Crimea aftermath in a backcast run folder (events.csv, timeseries.csv):
per replicate, whether each channel is suspended at Crimea (2014-03) by the
given sides, and the months until every side that suspended it there has
resumed it (censored at the end: not counted as resumed)."""
import csv, sys, statistics
from collections import defaultdict
d = sys.argv[1]
crimea = None
ev = defaultdict(list)
for r in csv.DictReader(open(d + "/events.csv")):
    ev[int(r["replicate"])].append(r)
    if r["name"] == "Crimea":
        crimea = int(r["tick"])
n = len(ev)
def aftermath(chan, sides):
    susp, months = 0, []
    for rep, rs in ev.items():
        who = {r["name"].split()[0] for r in rs if int(r["tick"]) == crimea and r["kind"] == "suspension"
               and r["name"].endswith(" " + chan) and r["name"].split()[0] in sides}
        if not who:
            continue
        susp += 1
        pending, back = set(who), None
        for r in rs:
            t = int(r["tick"])
            if t <= crimea or not r["name"].endswith(" " + chan):
                continue
            s = r["name"].split()[0]
            if r["kind"] == "resumption":
                pending.discard(s)
            elif r["kind"] == "suspension" and s in sides:
                pending.add(s)
            if not pending:
                back = t - crimea
                break
        if back is not None:
            months.append(back)
    med = statistics.median(months) if months else float("nan")
    return susp, len(months), med
for chan, sides in [("nrc", {"moscow", "washington", "brussels"}), ("mistral", {"paris", "berlin", "rome"})]:
    s, b, m = aftermath(chan, sides)
    print(f"{chan}: suspended at Crimea (by {sorted(sides)}) in {s} of {n} runs; all of them resumed in {b}, median {m} months after")
q = {}
for r in csv.DictReader(open(d + "/timeseries.csv")):
    if r["metric"] == "cooperation" and r["date"] in ("2014-02", "2016-12"):
        q[r["date"]] = float(r["q50"])
print(f"cooperation median: 2014-02 {q.get('2014-02'):.3f}, 2016-12 {q.get('2016-12'):.3f}")
