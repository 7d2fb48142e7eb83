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

Per task it also prints the paired difference of live quality against always-best (the entry
`RouterEvaluation.bestSingle` picks on catalog/catalog.json; its stored answers to the same items)
with its 95% interval, the cost against always-best's stored cost on those items, and what the
check's calls add to the worker's (the header's check cost over its worker cost); then the mean of
that share over the served tasks, beside the plan's own `check_cost` figures.

Usage: scripts/cascade-serve.py [path/to/assay] [cascade plan flags, e.g. --max-check-share 0.2]
(default .build/debug/assay; run from the repo root; run `assay regrade --judge-check` first for a judge check)
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
    """CascadeRoutes: a chosen cascade at or above the best single pick for less."""
    chosen = task.get("cascade")
    return (chosen is not None and chosen["versus_best_single"]["mean"] >= -1e-12
            and (chosen.get("cost_ratio_to_best_single") or 1) < 1)


def interval(differences):
    """CascadeEvaluation.Interval: the mean and its normal-approximation 95% interval."""
    n = len(differences)
    if n == 0:
        return 0.0, 0.0, 0.0
    mean = sum(differences) / n
    variance = sum((d - mean) ** 2 for d in differences) / (n - 1) if n > 1 else 0.0
    half = 1.96 * (variance / n) ** 0.5
    return mean, mean - half, mean + half


def always_best_entry():
    """RouterEvaluation.bestSingle on the demo's catalog: the entry measured on every task with the
    highest item-weighted quality, the cheapest (summed cost per task) among ties."""
    catalog = json.load(open("catalog/catalog.json"))
    totals = {}
    for section in catalog["tasks"]:
        for entry in section["entries"]:
            if entry.get("quality") is None:
                continue
            name = f"{entry['model']}@{entry['effort']}"
            score, items, count, cost = totals.get(name, (0.0, 0, 0, 0))
            totals[name] = (score + entry["quality"] * entry["items"], items + entry["items"], count + 1,
                                     cost + entry["cost_per_task_nusd"])
    complete = {k: v for k, v in totals.items() if v[2] == len(catalog["tasks"]) and v[1] > 0}
    return max(complete, key=lambda k: (complete[k][0] / complete[k][1], -complete[k][3], [-ord(c) for c in k]))


plan = json.loads(subprocess.run([ASSAY, "cascade", "plan", "--json"] + sys.argv[2:], check=True, capture_output=True, text=True).stdout)
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
stored = defaultdict(dict)  # (task, suite, key) -> entry -> (score, response, cost in USD)
for task, suite, key, entry, score, response, cost in con.execute("""
        select s.task, s.name, i.item_key, j.provider || '/' || j.model || '@' || j.effort, coalesce(sm.score, 0), sm.response,
               coalesce(sm.cost_nusd, 0)
        from sample sm join job j on sm.job_id = j.id join item i on sm.item_id = i.id join suite s on i.suite_id = s.id
        where sm.status = 'ok' and sm.epoch = 0"""):
    if task in chosen_tasks:
        stored[(task, suite, key)][entry] = (score, response, cost / 1e9)
ALWAYS_BEST = always_best_entry()
check_shares = {}  # task -> live check cost / live worker cost (served cascades)


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
        print(title + f" (always-best: {ALWAYS_BEST}, its stored answers to the same items)")
        print(f"{'task':<14}{'items':>6}  {'live quality':>12} {'live $/req':>12} {'to advisor':>10} {'same':>6}   "
              f"{'plan quality':>12} {'plan $/req':>12} {'to advisor':>10}   {'always-best':>11} {'$/req':>10}  {'live ÷ always-best':>18}  "
              f"{'live − always-best, pts [95%]':>30}  {'check ÷ worker':>14}  paths equal")
        for name, task in sorted(served_tasks.items()):
            spec, point = task["cascade"]["spec"], task["cascade"]["point"]
            keys = [k for k in stored if k[0] == name and unit("cascade-plan", k[1], k[2]) >= 0.5]
            score_sum = cost_sum = advised = same = equal = live_equal = 0.0
            worker_paid = check_paid = best_cost = 0.0
            differences = []
            for key in keys:
                body = json.dumps({"model": f"auto:{name}", "messages": messages[(key[1], key[2])], "max_tokens": 32768, "seed": 0}).encode()
                request = urllib.request.Request(base, data=body, headers={"content-type": "application/json", "x-assay-tradeoff": "cascade"})
                with urllib.request.urlopen(request, timeout=120) as response:
                    route = response.headers["x-assay-route"]
                    answer = json.load(response)["choices"][0]["message"]["content"]
                path = re.search(r"path=(\w+)", route).group(1)
                total = re.search(r"total \$([0-9.]+)", route)
                entry = spec["advisor"] if path == "advisor" else spec["worker"]
                score, text, _ = stored[key].get(entry, (0.0, None, 0.0))
                best_score, _, paid = stored[key].get(ALWAYS_BEST, (0.0, None, 0.0))
                differences.append(score - best_score)
                best_cost += paid
                worker = re.search(r"; worker \S+ \$([0-9.]+)", route)
                check = re.search(r"; check [^;]* \$([0-9.]+);", route)
                worker_paid += float(worker.group(1)) if worker else 0.0
                check_paid += float(check.group(1)) if check else 0.0
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
            paths = (f"{int(equal)}/{len(keys)} stored, {int(live_equal)}/{len(keys)} live" if spec["check"].startswith("agreement")
                     else f"n/a ({spec['check']})")
            mean, low, high = interval(differences)
            share = check_paid / worker_paid if worker_paid > 0 else None
            if served_tasks is tasks and share is not None:
                check_shares[name] = share
            always_quality = sum(stored[k].get(ALWAYS_BEST, (0.0,))[0] for k in keys) / n
            print(f"{name:<14}{len(keys):>6}  {score_sum / n:>12.3f} {cost_sum / n:>12.6f} {advised / n:>10.1%} {same / n:>6.1%}   "
                  f"{point['quality']:>12.3f} {point['cost_nusd'] / 1e9:>12.6f} {point['escalated']:>10.1%}   "
                  f"{always_quality:>11.3f} {best_cost / n:>10.6f}  {cost_sum / max(1e-12, best_cost):>18.1%}  "
                  f"{f'{mean * 100:+.1f} [{low * 100:+.1f}, {high * 100:+.1f}]':>30}  {(f'{share:.1%}' if share is not None else 'n/a'):>14}  {paths}")
            print(f"{'':<14}{spec['worker']} → {spec['advisor']}, check {spec['check']} at {point['threshold']}; "
                  f"check {point['check_cost_nusd'] / max(1e-9, point['worker_cost_nusd']):.1%} of the worker's cost offline")
    finally:
        server.terminate()
        server.wait(timeout=30)


measure("results/cascade-plan.json", tasks, "served cascades (the plan's verdict: beats the best single pick)")
if check_shares:
    print(f"check cost ÷ worker cost, live, served cascades: mean of tasks {sum(check_shares.values()) / len(check_shares):.1%} "
          f"(target ≤ 20%); plan's own figures: {json.dumps(plan.get('check_cost'))}")
forced = json.loads(json.dumps(plan))
for task in forced["tasks"]:
    if task.get("cascade"):
        task["cascade"]["versus_best_single"]["mean"] = max(0.0, task["cascade"]["versus_best_single"]["mean"])
        task["cascade"]["cost_ratio_to_best_single"] = min(0.99, task["cascade"].get("cost_ratio_to_best_single") or 0.99)
with open("results/cascade-plan-forced.json", "w") as out:
    json.dump(forced, out)
print()
measure("results/cascade-plan-forced.json", chosen_tasks, "every chosen cascade served whatever its verdict (reproduction check)")
