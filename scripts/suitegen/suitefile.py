"""What every suite generator here shares: the suite file's hand-written head and generated tail
(split at the generator's marker line), YAML quoting, the item-id checks, the report line and the
command line (`NAME.py` rewrites the generated tail; `NAME.py --check [PATH]` checks a file)."""
import re
import sys


def split(path, marker):
    """The hand-written part of the suite at `path` (everything above `marker`) and its whole text."""
    with open(path) as f:
        content = f.read()
    return content.split(marker + "\n")[0], content


def regenerated(path, marker, render, script):
    """The suite's text at `path` and a list of problems holding one when its generated part is not
    what `render` (the generator `script`) writes from its hand-written head."""
    head, content = split(path, marker)
    expected, _ = render(head)
    problems = [] if content == expected else [f"{path}: the generated part differs from what {script} writes; run it again"]
    return content, problems


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def report(path, content, problems, generated, how):
    """Adds the id checks to `problems` (unique ids, at least 150 items), prints each problem and
    one summary line ending in `how`; true when there are none."""
    ids = re.findall(r"^  - id: (\S+)$", content, re.M)
    if len(ids) != len(set(ids)):
        problems.append("duplicate item ids")
    if len(ids) < 150:
        problems.append(f"only {len(ids)} items")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{path}: {len(ids)} items, {generated} generated, {how}: "
          + ("ok" if not problems else f"{len(problems)} problems"))
    return not problems


def main(path, marker, render, check):
    """`--check [PATH]` exits 0 when `check` finds nothing wrong; otherwise rewrites the suite at
    `path` with `render(head)`'s generated items below the hand-written head."""
    if "--check" in sys.argv:
        rest = sys.argv[sys.argv.index("--check") + 1:]
        sys.exit(0 if check(rest[0] if rest else path) else 1)
    head, _ = split(path, marker)
    content, items = render(head)
    with open(path, "w") as f:
        f.write(content)
    print(f"{path}: {len(items)} generated items appended to the hand-written ones")
