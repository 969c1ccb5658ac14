"""Benchmarks of the offline access checks (``medialive_iam_constructs.prove.access``) on the sample app's template:
one assertion, one witness, and ``permissions_diff`` between sample-sized templates. In-process, after one warm-up
call (the template is synthesized and the shipped action list read once per process, not per question); each
figure is the median of the runs.

    .venv/bin/python -m tools.benchmarks.prove             # prints the section of docs/benchmarks.md
    .venv/bin/python -m tools.benchmarks.prove --runs 5

``benchmarks.run`` writes the same section at the end of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]

#: The question of the assertion case: IAM writes, which no operator tier has.
IAM_WRITES = ["iam:Create*", "iam:Put*", "iam:Attach*", "iam:Delete*", "iam:Update*", "iam:AddUserToGroup"]
GROUP = "MediaLiveReadWriteUsers"


def _narrowed(resource: Any) -> Any | None:
    """A pattern inside ``resource`` (``...*`` -> ``...x*``), or None: added beside it, it changes no grant."""
    if isinstance(resource, str):
        return resource[:-1] + "x*" if resource.endswith("*") and resource != "*" else None
    join = resource.get("Fn::Join") if isinstance(resource, dict) else None
    if join and isinstance(join[1][-1], str) and join[1][-1].endswith("*"):
        return {"Fn::Join": [join[0], [*join[1][:-1], join[1][-1][:-1] + "x*"]]}
    return None


def rewritten(template: dict) -> dict:
    """The same grants written otherwise: Sids renamed and, beside every resource pattern, a narrower one. The
    documents differ statement by statement, so the diff runs the solver on every principal."""
    out = copy.deepcopy(template)
    for res in out["Resources"].values():
        for st in (res.get("Properties", {}).get("PolicyDocument") or {}).get("Statement", []):
            st["Sid"] = "Rewritten" + st.get("Sid", "")
            if "Resource" in st and st["Effect"] == "Allow":
                resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
                st["Resource"] = resources + [n for n in map(_narrowed, resources) if n is not None]
    return out


def widened(template: dict) -> dict:
    """The READ_WRITE group given ``s3:*`` on ``*`` in its first managed policy."""
    out = copy.deepcopy(template)
    res = out["Resources"]
    group = next(lid for lid, r in res.items() if r["Properties"].get("GroupName") == GROUP)
    policy = next(r for r in res.values() if r["Type"] == "AWS::IAM::ManagedPolicy"
                  and {"Ref": group} in r["Properties"].get("Groups", []))
    policy["Properties"]["PolicyDocument"]["Statement"].append({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    return out


def _median(call: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = call()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(runs: int = 15) -> dict[str, Any]:
    """Median seconds of each case on the sample template, and what each answered."""
    sys.path.insert(0, str(ROOT))
    from medialive_iam_constructs.prove import access
    from tests.helpers import sample_template

    template = sample_template()
    start = time.perf_counter()
    access.check_access_not_granted(template, GROUP, IAM_WRITES)
    first = time.perf_counter() - start
    same, rewrite, wide = copy.deepcopy(template), rewritten(template), widened(template)
    principals = sum(r["Type"] in ("AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User")
                     for r in template["Resources"].values())
    cases = {
        "assert": lambda: access.assert_access_not_granted(template, GROUP, IAM_WRITES),
        "witness": lambda: access.check_access_not_granted(template, GROUP, "iam:PassRole").verdict,
        "diff_same": lambda: len(access.permissions_diff(template, same)),
        "diff_rewritten": lambda: len(access.permissions_diff(template, rewrite)),
        "diff_widened": lambda: len(access.permissions_diff(template, wide)),
    }
    out: dict[str, Any] = {"first": first, "principals": principals, "runs": runs}
    for name, call in cases.items():
        out[name] = _median(call, runs if not name.startswith("diff") else max(3, runs // 3))
    return out


def section(r: dict[str, Any]) -> list[str]:
    """The Markdown section of docs/benchmarks.md."""
    n = r["principals"]
    return [
        "## Offline access checks (`medialive_iam_constructs.prove`)",
        "",
        f"Produced by `.venv/bin/python -m tools.benchmarks.prove --runs {r['runs']}` (also run by `benchmarks.run`): the "
        f"sample app's template ({n} groups and roles), in one process, medians after one warm-up call. The first "
        f"question of a process also reads the shipped action list and builds its classes: "
        f"{r['first']:.2f} s once.",
        "",
        "| Case | Answer | Seconds (median) |",
        "|---|---|---|",
        f"| `assert_access_not_granted` on `{GROUP}`: IAM writes ({len(IAM_WRITES)} patterns) | proved | "
        f"{r['assert'][0]:.3f} |",
        f"| `check_access_not_granted` on `{GROUP}`: `iam:PassRole` | {r['witness'][1]} | {r['witness'][0]:.3f} |",
        f"| `permissions_diff`, the template against itself | {r['diff_same'][1]} entries | {r['diff_same'][0]:.3f} |",
        f"| `permissions_diff`, every statement rewritten (Sids, a redundant narrower pattern beside each): the solver "
        f"on all {n} principals | {r['diff_rewritten'][1]} entries | {r['diff_rewritten'][0]:.3f} |",
        f"| `permissions_diff`, `s3:*` added to `{GROUP}` (10 example requests) | "
        f"{r['diff_widened'][1]} entries | {r['diff_widened'][0]:.3f} |",
        "",
        "A diff decides a principal whose documents only lost or re-packed statements without the solver. Any other "
        "principal costs one question per set of statements that name the same actions, and one per action "
        "(per kind of resource it names) where such a question finds something or covers a single action.",
        "",
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmarks.prove")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print("\n".join(section(measure(args.runs))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
