#!/usr/bin/env python3
"""Usage: scripts/zoo-ceiling.py [results/assay.sqlite], from the repository root (after assay demo).
The zoo's truth: expected quality and cost of the per-task table against a router that knows each
item's difficulty label exactly, from the simulator's own success probabilities (zoo.yaml)."""
import math, sqlite3, sys
from collections import defaultdict
import yaml
zoo = yaml.safe_load(open("Sources/AssaySimulator/Resources/zoo.yaml"))
slope, gains = zoo.get("difficulty_slope", 1.0), zoo["effort_gain"]
def p(model, effort, task, d):
    m = next(x for x in zoo["models"] if x["id"] == model)
    skill = m["skill"].get(task, m["skill"].get("default", 0))
    boost = m["efforts"][effort]["boost"] * gains.get(task, gains.get("default", 1))
    return 1 / (1 + math.exp(-(skill + boost - slope * ((d or 3) - 3))))
con = sqlite3.connect(sys.argv[1] if len(sys.argv) > 1 else "results/assay.sqlite")
rows = con.execute("""select s.task, i.item_key, i.difficulty, j.model, j.effort, avg(sm.cost_nusd)
  from sample sm join job j on sm.job_id = j.id join item i on sm.item_id = i.id join suite s on i.suite_id = s.id
  where sm.status = 'ok' and s.file not like '%private%' group by s.task, i.item_key, j.model, j.effort""").fetchall()
tasks = defaultdict(lambda: defaultdict(dict))
for task, key, d, model, effort, cost in rows: tasks[task][key][(model, effort, d)] = cost
T = defaultdict(float)
print(f"{'task':14} {'table q':>8} {'table $':>10} {'by-label q':>10} {'by-label $':>10}")
for task, items in sorted(tasks.items()):
    entries = {(m, e) for costs in items.values() for (m, e, _) in costs}
    diffs = {key: next(iter(costs))[2] for key, costs in items.items()}
    cost = lambda e, key: items[key].get((e[0], e[1], diffs[key]), 0)
    def rule(keys):
        q = {e: sum(p(e[0], e[1], task, diffs[k]) for k in keys) / len(keys) for e in entries}
        best = max(q.values())
        return min((sum(cost(e, k) for k in keys) / len(keys), e) for e in entries if q[e] >= best - 0.02)[1]
    table = rule(list(items))
    label = {d: rule([k for k in items if diffs[k] == d]) for d in set(diffs.values())}
    n = len(items)
    tq = sum(p(*table, task, diffs[k]) for k in items) / n; tc = sum(cost(table, k) for k in items) / n
    lq = sum(p(*label[diffs[k]], task, diffs[k]) for k in items) / n; lc = sum(cost(label[diffs[k]], k) for k in items) / n
    print(f"{task:14} {100*tq:7.1f}% {tc/1e9:10.6f} {100*lq:9.1f}% {lc/1e9:10.6f}")
    T["tq"] += tq * n; T["tc"] += tc * n; T["lq"] += lq * n; T["lc"] += lc * n; T["n"] += n
print(f"all: table {100*T['tq']/T['n']:.1f}% ${T['tc']/T['n']/1e9:.6f}/item; by-label {100*T['lq']/T['n']:.1f}% ${T['lc']/T['n']/1e9:.6f}/item = {100*T['lc']/T['tc']:.1f}% of the table's cost")
