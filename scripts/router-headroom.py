#!/usr/bin/env python3
"""What a router that knew each item's difficulty label could save over the per-task table.

Reads results/assay.sqlite (after `assay demo` or a run) and the suites, and for each task, with
items split in 3 folds by a hash of their key (train on two, test on the third):
  table      the cheapest entry within 2 points of the best over the training items (the catalog's rule)
  by-label   the same rule per difficulty label (what a perfect prompt-based difficulty signal allows)
  oracle     the cheapest entry with the item's best score
and how well the prompt's length alone tracks the label (Spearman). Usage: headroom.py [db] [suites]
"""
import glob, hashlib, math, sqlite3, sys
from collections import defaultdict
import yaml

db = sys.argv[1] if len(sys.argv) > 1 else "results/assay.sqlite"
suites_dir = sys.argv[2] if len(sys.argv) > 2 else "suites"
prompts = {}
for path in glob.glob(f"{suites_dir}/**/*.yaml", recursive=True):
    doc = yaml.safe_load(open(path))
    if not isinstance(doc, dict) or "items" not in doc: continue
    for item in doc["items"]:
        prompts[(doc["suite"], str(item["id"]))] = item.get("prompt", "")
con = sqlite3.connect(db)
rows = con.execute("""select s.task, s.name, i.item_key, i.difficulty, j.model || '@' || j.effort, avg(coalesce(sm.score, 0)), avg(sm.cost_nusd)
  from sample sm join job j on sm.job_id = j.id join item i on sm.item_id = i.id join suite s on i.suite_id = s.id
  where sm.status = 'ok' group by s.task, s.name, i.item_key, j.model, j.effort""").fetchall()
items = defaultdict(dict)   # (task, suite, key) -> entry -> (score, cost)
labels = {}
for task, suite, key, difficulty, entry, score, cost in rows:
    items[(task, suite, key)][entry] = (score, cost)
    labels[(task, suite, key)] = difficulty
fold = lambda key: int(hashlib.sha256("/".join(key[1:]).encode()).hexdigest(), 16) % 3

def pick(train):
    sums = defaultdict(lambda: [0.0, 0.0, 0])
    for key in train:
        for entry, (score, cost) in items[key].items():
            s = sums[entry]; s[0] += score; s[1] += cost; s[2] += 1
    means = {e: (s[0] / s[2], s[1] / s[2]) for e, s in sums.items() if s[2] == len(train)}
    if not means: return None
    best = max(q for q, _ in means.values())
    return min((c, e) for e, (q, c) in means.items() if q >= best - 0.02)[1]

def spearman(xs, ys):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i]); r = [0.0] * len(v); i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]: j += 1
            for k in range(i, j + 1): r[order[k]] = (i + j) / 2
            i = j + 1
        return r
    a, b = ranks(xs), ranks(ys); n = len(a); ma, mb = sum(a) / n, sum(b) / n
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b)); den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den if den else float("nan")

totals = defaultdict(lambda: [0.0, 0.0])
print(f"{'task':14} {'items':>5} {'rho(len,label)':>14} {'table q/cost':>22} {'by-label q/cost':>22} {'oracle q/cost':>22}")
for task in sorted({k[0] for k in items}):
    keys = sorted(k for k in items if k[0] == task)
    out = defaultdict(lambda: [0.0, 0.0])
    for f in range(3):
        train = [k for k in keys if fold(k) != f]; test = [k for k in keys if fold(k) == f]
        table = pick(train)
        by_label = {d: pick([k for k in train if labels[k] == d]) for d in {labels[k] for k in train}}
        for key in test:
            for name, entry in (("table", table), ("label", by_label.get(labels[key]) or table)):
                score, cost = items[key].get(entry, (0.0, 0.0))
                out[name][0] += score; out[name][1] += cost
            score, cost = max(items[key].values(), key=lambda sc: (sc[0], -sc[1]))
            out["oracle"][0] += score; out["oracle"][1] += cost
    n = len(keys)
    with_label = [k for k in keys if labels[k] is not None and k[1:] in prompts]
    rho = spearman([len(prompts[k[1:]]) for k in with_label], [labels[k] for k in with_label]) if len(with_label) > 2 else float("nan")
    cells = " ".join(f"{100 * out[p][0] / n:8.1f}% ${out[p][1] / n / 1e9:11.6f}" for p in ("table", "label", "oracle"))
    print(f"{task:14} {n:5d} {rho:14.2f} {cells}")
    for p in out: totals[p][0] += out[p][0]; totals[p][1] += out[p][1]
n = len(items)
print("all: " + ", ".join(f"{p} {100 * totals[p][0] / n:.1f}% ${totals[p][1] / n / 1e9:.6f}/item" for p in ("table", "label", "oracle")))
t, l, o = (totals[p][1] for p in ("table", "label", "oracle"))
print(f"by-label cost {100 * l / t:.1f}% of the table's; oracle {100 * o / t:.1f}%; by-label captures {100 * (t - l) / (t - o):.1f}% of the oracle's saving")
