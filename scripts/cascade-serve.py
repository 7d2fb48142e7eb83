#!/usr/bin/env python3
"""The cascade objective through the live server, against the plan that chose it.

After `assay demo` (results/assay.sqlite): writes results/cascade-plan.json with
`assay cascade plan --json`, starts `assay serve --demo --cascade-plan results/cascade-plan.json`
on a free port, and sends every report-half item (the half the plan did not choose on:
StableHash.unit("cascade-plan", suite, item) >= 0.5, as CascadePlan.inSelectionHalf) of each task
with a served cascade as `model: auto:<task>` with `x-assay-tradeoff: cascade`. Per task it prints
the live server's quality, cost per request and share sent to the advisor, next to the plan's
offline figures on the same items and always-best's. Quality: the stored score of the entry that
answered (the simulator answers a known item the same way every time; the share of live answers
identical to the stored one is printed as `same`). Cost: the `total` of `x-assay-route`, every call
of the cascade priced. The offline estimate check reads a catalog built without the item; the
server's catalog holds every item, so their escalations can differ: both are printed.

Then, to check that the server decides as the offline replay does, every task's chosen cascade is
served whatever its verdict (a copy of the plan, results/cascade-plan-forced.json, marks each as
served) on the same items: for an `agreement` check the per-item path is compared with the one the
stored answers give and with the one the same check gives on live answers (each entry asked
directly through the server, unrouted) (`paths equal`); an `estimate` check's path cannot be (see above).

Usage: scripts/cascade-serve.py [path/to/assay]   (default .build/debug/assay; run from the repo root)
"""
import glob, json, re, sqlite3, subprocess, sys, urllib.request
from collections import defaultdict
import yaml

ASSAY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/assay"
MASK = (1 << 64) - 1


def stable_hash(parts):
    """AssayCore.StableHash.hash: FNV-1a over the parts with a separator, SplitMix64 finaliser."""
    h = 0xcbf29ce484222325
    for part in parts:
        for byte in part.encode():
            h = ((h ^ byte) * 0x100000001b3) & MASK
        h = ((h ^ 0xff) * 0x100000001b3) & MASK
    z = (h + 0x9e3779b97f4a7c15) & MASK
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK
    return z ^ (z >> 31)


def unit(*parts):
    return (stable_hash(parts) >> 11) / float(1 << 53)


def normalised(text):
    """AnswerFingerprint's normal form: lower-cased, whitespace collapsed, final full stops dropped."""
    text = " ".join((text or "").lower().split())
    return text.rstrip(".")


def served(task):
    """CascadeRoutes: a chosen cascade at or above the best single pick for less, not the judge check."""
    chosen = task.get("cascade")
    return (chosen is not None and chosen["versus_best_single"]["mean"] >= -1e-12
            and (chosen.get("cost_ratio_to_best_single") or 1) < 1 and chosen["spec"]["check"] != "judge")


plan = json.loads(subprocess.run([ASSAY, "cascade", "plan", "--json"], check=True, capture_output=True, text=True).stdout)
with open("results/cascade-plan.json", "w") as out:
    json.dump(plan, out)
tasks = {t["task"]: t for t in plan["tasks"] if served(t)}

messages = {}  # (suite, item) -> the messages `assay run` sent (Runner.execute: the suite's system, the rendered prompt)
for path in glob.glob("suites/**/*.yaml", recursive=True):
    doc = yaml.safe_load(open(path))
    if isinstance(doc, dict) and "items" in doc:
        for item in doc["items"]:
            prompt, choices = item.get("prompt", ""), item.get("choices") or []
            if choices:  # SuiteItem.renderedPrompt
                prompt = prompt.strip(" \n") + "\n\n" + "\n".join(f"{chr(65 + i)}) {c}" for i, c in enumerate(choices))
            system = [{"role": "system", "content": doc["system"]}] if doc.get("system") else []
            messages[(doc["suite"], str(item["id"]))] = system + [{"role": "user", "content": prompt}]

con = sqlite3.connect("results/assay.sqlite")
chosen_tasks = {t["task"]: t for t in plan["tasks"] if t.get("cascade")}
stored = defaultdict(dict)  # (task, suite, key) -> entry -> (score, response)
for task, suite, key, entry, score, response in con.execute("""
        select s.task, s.name, i.item_key, j.provider || '/' || j.model || '@' || j.effort, coalesce(sm.score, 0), sm.response
        from sample sm join job j on sm.job_id = j.id join item i on sm.item_id = i.id join suite s on i.suite_id = s.id
        where sm.status = 'ok' and sm.epoch = 0"""):
    if task in chosen_tasks:
        stored[(task, suite, key)][entry] = (score, response)


def offline_path(key, spec):
    """CascadeSpec.step for an agreement check on stored answers: advisor when an answer is missing or they differ."""
    check = spec["check"]
    partner = check.split(":", 1)[1] if ":" in check else None
    worker = stored[key].get(spec["worker"])
    other = stored[key].get(partner) if partner else None
    if worker is None or other is None:
        return "advisor"
    return "advisor" if normalised(worker[1]) != normalised(other[1]) else "worker"


def ask(base, key, entry):
    """`entry`'s live answer to item `key`, passed through the server unrouted."""
    model, effort = entry.rsplit("@", 1)
    body = {"model": model, "messages": messages[(key[1], key[2])], "max_tokens": 32768, "seed": 0, "reasoning_effort": effort}
    request = urllib.request.Request(base, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)["choices"][0]["message"]["content"]


def measure(plan_path, served_tasks, title):
    server = subprocess.Popen([ASSAY, "serve", "--demo", "--port", "0", "--cascade-plan", plan_path],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        port = re.search(r"http://127\.0\.0\.1:(\d+)/v1", line)
        if not port:
            sys.exit(f"assay serve did not start: {line!r}")
        base = f"http://127.0.0.1:{port.group(1)}/v1/chat/completions"
        print(title)
        print(f"{'task':<14}{'items':>6}  {'live quality':>12} {'live $/req':>12} {'to advisor':>10} {'same':>6}   "
              f"{'plan quality':>12} {'plan $/req':>12} {'to advisor':>10}   {'always-best':>11} {'$/req':>10}  {'live ÷ always-best':>18}  paths equal")
        for name, task in sorted(served_tasks.items()):
            spec, point = task["cascade"]["spec"], task["cascade"]["point"]
            keys = [k for k in stored if k[0] == name and unit("cascade-plan", k[1], k[2]) >= 0.5]
            score_sum = cost_sum = advised = same = equal = live_equal = 0.0
            for key in keys:
                body = json.dumps({"model": f"auto:{name}", "messages": messages[(key[1], key[2])], "max_tokens": 32768, "seed": 0}).encode()
                request = urllib.request.Request(base, data=body, headers={"content-type": "application/json", "x-assay-tradeoff": "cascade"})
                with urllib.request.urlopen(request, timeout=120) as response:
                    route = response.headers["x-assay-route"]
                    answer = json.load(response)["choices"][0]["message"]["content"]
                path = re.search(r"path=(\w+)", route).group(1)
                total = re.search(r"total \$([0-9.]+)", route)
                entry = spec["advisor"] if path == "advisor" else spec["worker"]
                score, text = stored[key].get(entry, (0.0, None))
                score_sum += score
                cost_sum += float(total.group(1)) if total else 0.0
                advised += path == "advisor"
                same += normalised(text) == normalised(answer)
                if spec["check"].startswith("agreement"):
                    equal += offline_path(key, spec) == path
                    # The same check on live answers (each entry asked directly, passed through): the server must agree with it.
                    live = [ask(base, key, e) for e in (spec["worker"], spec["check"].split(":", 1)[1] if ":" in spec["check"] else spec["worker"])]
                    live_equal += ("advisor" if normalised(live[0]) != normalised(live[1]) else "worker") == path
            n = max(1, len(keys))
            always = next(b for b in task["baselines"] if b["policy"] == "always-best")
            paths = (f"{int(equal)}/{len(keys)} stored, {int(live_equal)}/{len(keys)} live" if spec["check"].startswith("agreement")
                     else "n/a (estimate)")
            print(f"{name:<14}{len(keys):>6}  {score_sum / n:>12.3f} {cost_sum / n:>12.6f} {advised / n:>10.1%} {same / n:>6.1%}   "
                  f"{point['quality']:>12.3f} {point['cost_nusd'] / 1e9:>12.6f} {point['escalated']:>10.1%}   "
                  f"{always['quality']:>11.3f} {always['cost_nusd'] / 1e9:>10.6f}  {cost_sum / n / (always['cost_nusd'] / 1e9):>18.1%}  {paths}")
            print(f"{'':<14}{spec['worker']} → {spec['advisor']}, check {spec['check']} at {point['threshold']}; "
                  f"check {point['check_cost_nusd'] / max(1e-9, point['worker_cost_nusd']):.1%} of the worker's cost offline")
    finally:
        server.terminate()
        server.wait(timeout=30)


measure("results/cascade-plan.json", tasks, "served cascades (the plan's verdict: beats the best single pick)")
forced = json.loads(json.dumps(plan))
for task in forced["tasks"]:
    if task.get("cascade"):
        task["cascade"]["versus_best_single"]["mean"] = max(0.0, task["cascade"]["versus_best_single"]["mean"])
        task["cascade"]["cost_ratio_to_best_single"] = min(0.99, task["cascade"].get("cost_ratio_to_best_single") or 0.99)
with open("results/cascade-plan-forced.json", "w") as out:
    json.dump(forced, out)
print()
measure("results/cascade-plan-forced.json", {name: task for name, task in chosen_tasks.items() if task["cascade"]["spec"]["check"] != "judge"},
        "every chosen cascade served whatever its verdict (reproduction check)")
