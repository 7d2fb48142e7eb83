#!/usr/bin/env python3
"""The traffic loop's before and after figures, from a scripts/traffic-loop.sh work folder.

For each phase (the fixture replayed through the shipped suites' catalog, then through the
catalog after from-traffic + nightly): what the routed requests cost (the traffic log), and their
judged quality, estimated as the mean over requests of the answering model@effort's measured mean
judge score on the traffic suites (suites/private). Always-best is the entry with the highest
measured quality on those suites (ties: the cheapest); its cost for the same requests is its mean
measured cost per traffic item times the requests. Writes loop.json and prints it.
With DEFAULT_ENTRY (the serve.unknown_prompts default entry, as model@effort), also what sending
every request to it would cost, and each phase's spend against that. `targets` says which of the
traffic issue's targets the run meets.
Usage: python3 scripts/traffic-loop-figures.py WORKDIR [DEFAULT_ENTRY]"""
import json
import sqlite3
import sys

work = sys.argv[1]
measured = sqlite3.connect(f"{work}/results/assay.sqlite")
entries = {}
for model, effort, quality, cost, n in measured.execute("""
        SELECT j.provider || '/' || j.model, j.effort, avg(x.score), avg(x.cost_nusd), count(*)
        FROM sample x JOIN job j ON j.id = x.job_id JOIN suite s ON s.id = j.suite_id
        WHERE s.name LIKE 'traffic-%' AND x.status = 'ok' GROUP BY 1, 2"""):
    entries[f"{model}@{effort}"] = {"quality": quality, "cost_nusd_per_item": cost, "samples": n}
if not entries:
    sys.exit("no samples of the traffic suites: did the nightly measure suites/private?")
top = max(e["quality"] for e in entries.values())
best_key = min((k for k, e in entries.items() if e["quality"] >= top - 1e-9), key=lambda k: entries[k]["cost_nusd_per_item"])
best = entries[best_key]


def phase(name):
    log = sqlite3.connect(f"{work}/results/traffic-{name}.sqlite")
    rows = log.execute("SELECT model, effort, count(*), sum(cost_nusd), sum(baseline_cost_nusd) FROM request WHERE status = 200 GROUP BY 1, 2").fetchall()
    requests = sum(r[2] for r in rows)
    spend = sum(r[3] or 0 for r in rows)
    quality = sum(entries.get(f"{m}@{e}", {"quality": 0})["quality"] * n for m, e, n, _, _ in rows) / requests
    always_best_cost = best["cost_nusd_per_item"] * requests
    return {"requests": requests, "spend_usd": spend / 1e9, "report_baseline_spend_usd": sum(r[4] or 0 for r in rows) / 1e9,
            "estimated_quality": round(quality, 4), "quality_vs_always_best": round(quality / best["quality"], 4),
            "always_best_cost_usd": round(always_best_cost / 1e9, 6), "cost_vs_always_best": round(spend / always_best_cost, 4),
            "mix": {f"{m}@{e}": n for m, e, n, _, _ in sorted(rows, key=lambda r: -r[2])}}


loop = {"always_best": {"entry": best_key, **{k: round(v, 6) for k, v in best.items()}},
        "before": phase("before"), "after": phase("after")}
try:
    evaluation = json.load(open(f"{work}/router-eval.json"))
    loop["router_eval_traffic_suites"] = {"held_out_items": evaluation["held_out_items"], "policies": evaluation["policies"],
                                          "classifier_accuracy": evaluation["classifier_accuracy"]}
except (OSError, KeyError, ValueError):
    pass
if len(sys.argv) > 2 and sys.argv[2] in entries:
    default = entries[sys.argv[2]]
    loop["default_entry"] = {"entry": sys.argv[2], **{k: round(v, 6) for k, v in default.items()}}
    for name in ("before", "after"):
        cost = default["cost_nusd_per_item"] * loop[name]["requests"]
        loop[name]["default_entry_cost_usd"] = round(cost / 1e9, 6)
        loop[name]["cost_vs_default_entry"] = round(loop[name]["spend_usd"] * 1e9 / cost, 4)
# The targets, as this run meets them: before the loop no dearer than the configured
# default (the unknown-prompt default entry, or serve.baseline without one); after one cycle at
# least 95% of always-best's judged quality; the aim, half its cost or less.
before_vs_default = loop["before"].get("cost_vs_default_entry",
                                       loop["before"]["spend_usd"] / max(loop["before"]["report_baseline_spend_usd"], 1e-12))
loop["targets"] = {"before_cost_vs_default": round(before_vs_default, 4), "before_within_default": before_vs_default <= 1,
                   "after_quality_at_least_95pct": loop["after"]["quality_vs_always_best"] >= 0.95,
                   "after_cost_at_most_half": loop["after"]["cost_vs_always_best"] <= 0.5}
json.dump(loop, open(f"{work}/loop.json", "w"), indent=2)
print(json.dumps(loop, indent=2))
