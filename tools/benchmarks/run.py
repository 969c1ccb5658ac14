"""Benchmarks: synth time and peak memory, whole-process, medians over several runs, each figure as a ratio
against a baseline measured in the same run; and the IAM footprint per persona.

    .venv/bin/python -m tools.benchmarks.run            # writes docs/benchmarks.md (about 6 minutes on 2 cores)
    .venv/bin/python -m tools.benchmarks.run --runs 3   # fewer runs
    .venv/bin/python -m tools.benchmarks.run --against REV   # this checkout's synth against git REV's, 30 rounds

Every timed case is a fresh ``python`` process that builds its app and calls ``app.synth()`` (what
``cdk synth`` runs), so jsii start-up and the node runtime are included. Peak memory is the process's own
peak RSS (``getrusage``) plus the peak RSS of its node (jsii) descendants (``VmHWM`` in ``/proc``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable

_PRELUDE = """
import json, os, resource, sys, time
sys.path.insert(0, {tools_root!r})
sys.path.insert(0, {root!r})  # the checkout whose library is timed (--against: an older one, first on the path)
from tools.iam_evaluator.project_node import use_project_node
use_project_node()

def template_digest(template):
    # the template as CloudFormation reads it, CDK's own metadata apart: Resources (without their Metadata
    # and CDKMetadata) and Outputs
    import hashlib
    resources = {{k: {{p: v for p, v in r.items() if p != "Metadata"}} for k, r in template["Resources"].items()
                 if r["Type"] != "AWS::CDK::Metadata"}}
    body = json.dumps({{"Resources": resources, "Outputs": template.get("Outputs", {{}})}}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()

t0 = time.perf_counter()
import aws_cdk as cdk
ctx = json.load(open({root!r} + "/cdk.json"))["context"]
"""
_EPILOGUE = """
assembly = app.synth()
elapsed = time.perf_counter() - t0
extra = globals().get("extra_metrics", lambda a: {{}})(assembly)  # after the clock: not part of the timing

def _children_peak_kb():
    # the jsii node runtime (a child that starts a node grandchild) is still running: the peak RSS of every
    # descendant (VmHWM) is read from /proc, not from getrusage
    parent = {{}}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            parent[pid] = open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            pass
    mine, total = {{str(os.getpid())}}, 0
    changed = True
    while changed:
        changed = False
        for pid, ppid in parent.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                changed = True
    for pid in mine - {{str(os.getpid())}}:
        try:
            total += next(int(l.split()[1]) for l in open(f"/proc/{{pid}}/status") if l.startswith("VmHWM:"))
        except (OSError, StopIteration, IndexError):
            pass
    return total

me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "peak_mb": (me + _children_peak_kb()) / 1024, **extra}}))
"""

#: Appended to the two bodies whose templates are compared: the digest of the MediaLiveIam stack's template.
_DIGEST = """
def extra_metrics(assembly):
    return {{"digest": template_digest(assembly.get_stack_by_name("MediaLiveIam").template)}}
"""

#: The sample app as ``cdk synth`` builds it, without the cdk-nag packs (the library's own cost).
LIBRARY = """
from medialive_iam_constructs.sample import MediaLiveIamStack
app = cdk.App(context=ctx, outdir=OUT)
MediaLiveIamStack(app, "MediaLiveIam")
""" + _DIGEST
#: The same, with the four cdk-nag packs registered (what the main job runs).
LIBRARY_NAG = """
from medialive_iam_constructs.sample import build_app
app = cdk.App(context=ctx, outdir=OUT)
build_app(app)
"""
#: A plain aws-cdk-lib app writing the same template by hand: the sample's groups, roles (trust conditions,
#: description, permissions boundary), managed policies (names, paths, descriptions, documents with their
#: intrinsics, attachments, the DependsOn order) and outputs, under the sample's logical ids. Every run checks
#: that its Resources and Outputs equal the library's, CDK's own metadata apart (``extra_metrics``).
PLAIN = """
from aws_cdk import aws_iam as iam
spec = json.load(open(SPEC))
app = cdk.App(context=ctx, outdir=OUT)  # same feature flags as the sample app
stack = cdk.Stack(app, "MediaLiveIam")
made = {{}}
# strings as a hand-written app has them: f"arn:{{cdk.Aws.PARTITION}}:..." and other resources' attributes
pseudo = {{"AWS::Partition": cdk.Aws.PARTITION, "AWS::Region": cdk.Aws.REGION, "AWS::AccountId": cdk.Aws.ACCOUNT_ID}}

def hand_written(v):
    if isinstance(v, list):
        return [hand_written(x) for x in v]
    if isinstance(v, dict) and len(v) == 1 and next(iter(v)) in ("Ref", "Fn::Join", "Fn::GetAtt"):
        (fn, arg), = v.items()
        if fn == "Ref":
            return pseudo[arg] if arg in pseudo else cdk.Fn.ref(arg)
        if fn == "Fn::GetAtt":
            return cdk.Fn.get_att(*arg).to_string()
        return arg[0].join(hand_written(x) for x in arg[1])
    if isinstance(v, dict):
        return {{k: hand_written(x) for k, x in v.items()}}
    return v

for lid, g in spec["groups"].items():
    made[lid] = iam.Group(stack, lid, group_name=g["name"], path=g["path"])
for lid, p in spec["policies"].items():
    made[lid] = iam.ManagedPolicy(stack, lid, managed_policy_name=p["name"], path=p["path"],
        description=p["description"], document=iam.PolicyDocument.from_json(hand_written(p["document"])))
for lid, r in spec["roles"].items():
    principal = iam.ServicePrincipal("medialive.amazonaws.com")
    made[lid] = iam.Role(stack, lid, role_name=r["name"], path=r["path"], description=r["description"],
        assumed_by=principal.with_conditions(hand_written(r["conditions"])) if r["conditions"] else principal,
        permissions_boundary=made[r["boundary"]] if r["boundary"] else None)
for lid, p in spec["policies"].items():
    for g in p["groups"]:
        made[lid].attach_to_group(made[g])
    for r in p["roles"]:
        made[lid].attach_to_role(made[r])
    for d in p["depends_on"]:
        made[lid].node.add_dependency(made[d])
for lid, o in spec["outputs"].items():
    target = made[o["of"]]
    cdk.CfnOutput(stack, lid, description=o["description"],
                  value=target.role_arn if o["attribute"] == "Arn" else target.group_name)
for lid, thing in made.items():
    thing.node.default_child.override_logical_id(lid)
""" + _DIGEST
#: N workflows, operator groups that pass them by path, and the administrator.
SCALED = """
from medialive_iam_constructs.sample import build_app
ctx = dict(ctx)
ctx["medialive-iam:passRolesByPath"] = True
ctx["medialive-iam:namespaces"] = {{"bucketPrefixes": ["example-"], "bucketNames": []}}
ctx["medialive-iam:workflows"] = {{f"w{{i:03d}}": {{"sourceBuckets": [f"example-source-{{i:03d}}"],
    "destinationBuckets": [f"example-archive-{{i:03d}}"]}} for i in range({n})}}
app = cdk.App(context=ctx, outdir=OUT)
build_app(app)

def extra_metrics(assembly):
    from medialive_iam_constructs.packing import document_size
    stacks, roles, policies, largest = 0, 0, 0, (0, "")
    for s in assembly.stacks:
        stacks += 1
        for lid, r in s.template["Resources"].items():
            roles += r["Type"] == "AWS::IAM::Role"
            if r["Type"] == "AWS::IAM::ManagedPolicy":
                policies += 1
                size = document_size(r["Properties"]["PolicyDocument"])
                largest = max(largest, (size, r["Properties"].get("ManagedPolicyName", lid)))
    return {{"stacks": stacks, "roles": roles, "policies": policies, "largest_chars": largest[0],
            "largest_name": largest[1]}}
"""


#: Written under the overhead table.
OVERHEAD_METHOD = [
    "How it is measured: the three cases run side by side, each round runs each once in a fresh process, in "
    "turn, after one warm-up round that is not counted; × baseline is the case's time over the baseline's in "
    "the same round. One process is about 3.5 s, of which the library's share is a few tenths; on this shared "
    "2-core virtual machine one run varies by ±15%, so a 5% question needs tens of rounds (the quartiles say "
    "how wide the rounds spread).",
    "",
    "- The baseline writes the sample's template by hand with aws-cdk-lib's L2s: the same groups, roles (trust "
    "conditions, descriptions, permissions boundary), managed policies (names, paths, descriptions, the same "
    "documents with their intrinsics, attachments, DependsOn) and outputs, under the same logical ids. Every run "
    "checks that its Resources and Outputs equal the library's (a SHA-256 of both, CDK's own metadata apart); "
    "the library's extra is the rows metadata and the cdk-nag acknowledgements.",
    "- Byte code as an installation has it: pip compiles a wheel's modules, a checkout writes `__pycache__` on "
    "its first run. This machine sets PYTHONDONTWRITEBYTECODE; the timed processes write and read byte code "
    "under a temporary prefix instead (filled by the warm-up round), or every library run would compile its 28 "
    "modules again (about 0.1 s) that the baseline does not import.",
]

#: Written under the workflows table (docs/decisions.md D13).
HEADROOM_NOTE = [
    "Workflows are sharded at `rolesPerStack` (100) roles per stack; 1,000 workflows are 1,000 roles in one account, "
    "exactly IAM's default quota, which `medialive-iam:rolesPerAccount` checks at synth (the 1,001st fails). "
    "The largest managed policy does not grow with the workflows (operator groups and the administrator pass "
    "roles by path). It is close to 6,144 because the packer fills each policy before opening the next: the "
    "first of a principal's policies is always nearly full, so its headroom is not a measure of room to grow; the "
    "room is the policies left of the 10 a group or role may attach (the footprint table below). Sizes are counted "
    "with worst-case pseudo-parameter lengths (D6), so a policy that fits at synth fits in every partition and "
    "region: the packer keeps no extra margin (D13).",
    "",
    "A margin would not prevent a split either, only postpone it. What makes the next split harmless is how it is "
    "deployed (D15): the new policy is created before the one it takes statements from is updated, the denies are "
    "in a policy of their own, and tests/test_tools_localdeploy_day2.py grows READ_WRITE into one more policy and back "
    "on LocalStack with no moment in which the group misses a permission (update_windows finds no order "
    "CloudFormation could choose with one either). A split is announced: the new policy is a new resource in "
    "`cdk diff`, and docs/upgrading.md says when a release adds one to the sample (0.3: the administrators' deny "
    "policy).",
]


#: Byte code as a user's installation has it: ``pip install`` compiles every module of a wheel, and a
#: checkout writes ``__pycache__`` on its first run. This machine sets PYTHONDONTWRITEBYTECODE, which would
#: make every timed process compile the library's 28 modules (about 0.1 s) that the baseline does not
#: import; the children write and read byte code under one temporary prefix instead (the warm-up round
#: fills it), and nothing is written into the tree.
_ENV: dict[str, str] = {}


def _child_env() -> dict[str, str]:
    """The timed processes' environment: this one's, byte code written under one temporary prefix (made on the
    first run, not when the module is imported)."""
    if not _ENV:
        _ENV.update({k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
        _ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="benchmarks-pycache-")
    return _ENV


def _once(body: str, root: Path = ROOT, **params) -> dict:
    """One fresh process running ``body`` with the library of the checkout ``root``: its seconds, peak MB and
    extra metrics."""
    with tempfile.TemporaryDirectory() as out:
        code = _PRELUDE.format(root=str(root), tools_root=str(ROOT)) + f"OUT = {out!r}\n" + "".join(
            f"{k.upper()} = {v!r}\n" for k, v in params.items() if k != "n"
        ) + textwrap.dedent(body.format(n=params.get("n", 0))) + _EPILOGUE.format()
        proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=root, env=_child_env())
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-3000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(results: list[dict]) -> dict:
    times, peaks = [r["seconds"] for r in results], [r["peak_mb"] for r in results]
    return {**results[-1], "seconds": statistics.median(times), "peak_mb": statistics.median(peaks),
            "runs": len(results), "all_seconds": times}


def run_case(body: str, runs: int, **params) -> dict:
    """Median seconds and peak MB of ``runs`` fresh processes running ``body`` (after one warm-up run)."""
    _once(body, **params)
    return _summary([_once(body, **params) for _ in range(runs)])


def run_side_by_side(cases: dict[str, tuple[str, dict]], runs: int) -> tuple[dict[str, dict], dict[str, list[float]]]:
    """The cases interleaved (one round runs each case once, in turn), so that a change of the machine's load
    hits every case alike; returns each case's medians, and for each case its time divided by the first case's
    time in the same round, one ratio per round."""
    results: dict[str, list[dict]] = {name: [] for name in cases}
    for body, params in cases.values():  # warm-up round: byte code written, files cached; not counted
        _once(body, **params)
    for _ in range(runs):
        for name, (body, params) in cases.items():
            results[name].append(_once(body, **params))
    first = next(iter(cases))
    ratios = {name: [r["seconds"] / b["seconds"] for r, b in zip(rs, results[first])] for name, rs in results.items()}
    return {name: _summary(rs) for name, rs in results.items()}, ratios


def against(rev: str, rounds: int) -> dict:
    """The sample app's synth (no cdk-nag) with this checkout's library and with the library of git ``rev``, in
    interleaved rounds: this one's time over ``rev``'s per round (median and quartiles). Both must write the same
    template (Resources and Outputs): a refactoring that changes the template is not one to time."""
    with tempfile.TemporaryDirectory() as where:
        old = Path(where) / "rev"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), rev], cwd=ROOT, check=True)
        try:
            side, ratio = run_side_by_side({rev: (LIBRARY, {"root": old}), "this": (LIBRARY, {})}, rounds)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=True)
    if side[rev]["digest"] != side["this"]["digest"]:
        raise SystemExit(f"the sample's template differs from {rev}'s (Resources and Outputs)")
    q1, median, q3 = _quartiles(ratio["this"])
    return {"against": rev, "rounds": rounds, "ratio_median": round(median, 4), "ratio_quartiles": [round(q1, 4), round(q3, 4)],
            "seconds_median": {k: round(v["seconds"], 3) for k, v in side.items()}}


def plain_spec() -> dict:
    """The sample app's groups, roles, managed policies and outputs, with their properties as the template
    has them (intrinsics included), for ``PLAIN`` to write by hand."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers import sample_template

    template = sample_template()
    res = template["Resources"]
    refs = lambda props, key: [x["Ref"] for x in props.get(key, [])]  # noqa: E731
    spec: dict = {"groups": {}, "roles": {}, "policies": {}, "outputs": {}}
    for lid, r in res.items():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::IAM::Group":
            spec["groups"][lid] = {"name": props["GroupName"], "path": props.get("Path", "/")}
        elif r["Type"] == "AWS::IAM::Role":
            (trust,) = props["AssumeRolePolicyDocument"]["Statement"]
            spec["roles"][lid] = {"name": props["RoleName"], "path": props.get("Path", "/"),
                                  "description": props.get("Description"), "conditions": trust.get("Condition"),
                                  "boundary": props.get("PermissionsBoundary", {}).get("Ref")}
        elif r["Type"] == "AWS::IAM::ManagedPolicy":
            spec["policies"][lid] = {"name": props["ManagedPolicyName"], "path": props.get("Path", "/"),
                                     "description": props.get("Description"), "document": props["PolicyDocument"],
                                     "groups": refs(props, "Groups"), "roles": refs(props, "Roles"),
                                     "depends_on": r.get("DependsOn", [])}
        elif r["Type"] not in ("AWS::CDK::Metadata",):
            raise ValueError(f"the plain baseline does not write {r['Type']} ({lid})")
    for lid, o in template.get("Outputs", {}).items():
        value = o["Value"]
        of, attribute = (value["Ref"], "Ref") if "Ref" in value else value["Fn::GetAtt"]
        spec["outputs"][lid] = {"description": o.get("Description"), "of": of, "attribute": attribute}
    return spec


def footprint() -> list[dict]:
    """Per persona of the sample app: distinct actions, statements on '*', largest policy, policies per group."""
    from tools.iam_evaluator import TemplatePrincipals
    from medialive_iam_constructs.packing import MANAGED_POLICY_MAX_CHARS, document_size
    from medialive_iam_constructs.template import listed, statements
    from tests.helpers import sample_template

    template = sample_template()
    p = TemplatePrincipals(template)
    rows = []
    for lid, r in sorted(template["Resources"].items()):
        if r["Type"] not in ("AWS::IAM::Group", "AWS::IAM::Role"):
            continue
        pol = p.policies_for(lid)
        docs = [n.document for n in pol.identity_policies]
        stmts = statements(docs)
        actions = {a.lower() for s in stmts if s["Effect"] == "Allow" for a in listed(s["Action"])}
        star = sum(1 for s in stmts if s["Effect"] == "Allow" and "*" in listed(s["Resource"]))
        largest = max(document_size(d) for d in docs)
        rows.append({"principal": pol.name, "kind": pol.kind, "actions": len(actions), "star_statements": star,
                     "largest_chars": largest, "largest_pct": 100 * largest / MANAGED_POLICY_MAX_CHARS,
                     "policies": len(docs)})
    return rows


#: AWS's pre-production recipe (reference §5): MediaLivePowerAccess (medialive:*) + MediaConnectPowerAccess
#: (mediaconnect:*) + MediaLiveTrustedEntityAccess (6 IAM actions) + seven AWS managed *FullAccess policies,
#: all on '*'; and the console's MediaLiveAccessRole (reference §2.3).
def references() -> list[dict]:
    from tools.iam_evaluator.reference import install

    install()  # the newest pinned IAM reference, as the tests read it
    from policy_sentry.querying.actions import get_actions_for_service

    from medialive_iam_constructs.catalog.console_template import CONSOLE_TEMPLATE_STATEMENTS

    full = ["medialive", "mediaconnect", "cloudwatch", "events", "logs", "sns", "ssm", "mediapackage", "mediastore", "s3"]
    n = sum(len(get_actions_for_service(s)) for s in full) + 6
    console = {a.lower() for s in CONSOLE_TEMPLATE_STATEMENTS for a in s["Action"]}
    return [
        {"principal": "pre-production recipe (MediaLivePowerAccess + *FullAccess)", "actions": f"≥{n} (service wildcards)",
         "star_statements": "all", "policies": 10},
        {"principal": "console MediaLiveAccessRole + AmazonSSMReadOnlyAccess", "actions": f"{len(console)} + ssm:Describe*/Get*/List*",
         "star_statements": f"{len(CONSOLE_TEMPLATE_STATEMENTS)} of {len(CONSOLE_TEMPLATE_STATEMENTS)} (+ managed)", "policies": 2},
    ]


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, q2, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else (values[0],) * 3
    return q1, statistics.median(values), q3


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmarks.run")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per workflow size")
    parser.add_argument("--overhead-runs", type=int, default=30,
                        help="rounds of the side-by-side overhead measurement (its spread is wider than 5%%)")
    parser.add_argument("--sizes", default="1,10,50,200,500,1000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--overhead-only", action="store_true",
                        help="measure the library overhead only; print it, write nothing")
    parser.add_argument("--against", metavar="REV",
                        help="time the sample's synth with this checkout's library against the library of git REV, "
                             "side by side (--overhead-runs rounds); print the ratio, write nothing")
    args = parser.parse_args(argv)
    if args.against:
        print(json.dumps(against(args.against, args.overhead_runs), indent=1))
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    started = time.time()

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(plain_spec(), f)
        spec_path = f.name
    side, ratio = run_side_by_side({"plain": (PLAIN, {"spec": spec_path}), "library": (LIBRARY, {}),
                                    "library_nag": (LIBRARY_NAG, {})}, args.overhead_runs)
    plain, library, library_nag = side["plain"], side["library"], side["library_nag"]
    os.unlink(spec_path)
    if plain["digest"] != library["digest"]:
        raise SystemExit("the baseline's template differs from the sample's (Resources and Outputs): fix PLAIN "
                         "or plain_spec before comparing their times")
    spread = {name: _quartiles(r) for name, r in ratio.items()}
    if args.overhead_only:
        print(json.dumps({"ratio_quartiles": spread, **{k: v["all_seconds"] for k, v in side.items()}}))
        return 0
    scaled = {n: run_case(SCALED, args.runs, n=n) for n in sizes}

    lines = [
        "# Benchmarks",
        "",
        f"Produced by `.venv/bin/python -m tools.benchmarks.run --runs {args.runs} --overhead-runs {args.overhead_runs} "
        f"--sizes {args.sizes}` on "
        f"{os.cpu_count()} cores ({platform.machine()}, Python {platform.python_version()}), "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, in {time.time() - started:.0f} s.",
        "Each figure is the median of the runs, whole process (`python` building the app and calling `app.synth()`,",
        "jsii and its node runtime included); peak memory is the Python process's peak RSS plus its node descendants'.",
        "",
        "## Library overhead",
        "",
        "| Case | Synth (s), median | × baseline, median of the rounds | × baseline, quartiles | Peak memory (MB) | × baseline |",
        "|---|---|---|---|---|---|",
        f"| baseline: plain aws-cdk-lib writing the same template by hand | {plain['seconds']:.2f} | 1.00 | – | "
        f"{plain['peak_mb']:.0f} | 1.00 |",
        f"| sample app with the library (no cdk-nag) | {library['seconds']:.2f} | {spread['library'][1]:.3f} | "
        f"{spread['library'][0]:.3f}–{spread['library'][2]:.3f} | {library['peak_mb']:.0f} | "
        f"{library['peak_mb'] / plain['peak_mb']:.2f} |",
        f"| sample app with the library and 4 cdk-nag packs (the main job) | {library_nag['seconds']:.2f} | "
        f"{spread['library_nag'][1]:.3f} | {spread['library_nag'][0]:.3f}–{spread['library_nag'][2]:.3f} | "
        f"{library_nag['peak_mb']:.0f} | {library_nag['peak_mb'] / plain['peak_mb']:.2f} |",
        "",
        *OVERHEAD_METHOD,
        "",
        f"Target: library ≤ 1.05 × baseline (issue 15): {'met' if spread['library'][1] <= 1.05 else 'NOT met'} "
        f"(median of {args.overhead_runs} rounds {spread['library'][1]:.3f}; half of the rounds fall between "
        f"{spread['library'][0]:.3f} and {spread['library'][2]:.3f}). cdk-nag's four packs are not the library's "
        "cost; they are reported apart. What the library's path costs, what 0.3.1 removed and what is left: "
        "docs/decisions.md D16.",
        "",
        "## Workflows (one trusted role each; operator groups pass roles by path; the administrator; cdk-nag on)",
        "",
        "| Workflows | Stacks | Roles | Managed policies | Synth (s) | × 1 workflow | Peak memory (MB) | × 1 workflow | s per workflow above 1 | Largest policy (chars, % of 6,144) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = scaled[sizes[0]]
    for n in sizes:
        s = scaled[n]
        per = (s["seconds"] - base["seconds"]) / (n - sizes[0]) if n != sizes[0] else 0
        lines.append(f"| {n} | {s['stacks']} | {s['roles']} | {s['policies']} | {s['seconds']:.2f} | "
                     f"{s['seconds'] / base['seconds']:.2f} | {s['peak_mb']:.0f} | "
                     f"{s['peak_mb'] / base['peak_mb']:.2f} | {per:.3f} | {s['largest_chars']} "
                     f"(`{s['largest_name']}`, {100 * s['largest_chars'] / 6144:.1f}%) |")
    lines += ["", "Growth is linear when the last column is roughly constant.", "", *HEADROOM_NOTE, "",
              "## IAM footprint per persona (the sample app)", "",
              "| Principal | Kind | Distinct actions | Allow statements on `*` | Largest policy (chars) | % of 6,144 | Managed policies (of 10) |",
              "|---|---|---|---|---|---|---|"]
    for r in footprint():
        lines.append(f"| `{r['principal']}` | {r['kind']} | {r['actions']} | {r['star_statements']} | {r['largest_chars']} | "
                     f"{r['largest_pct']:.0f}% | {r['policies']} |")
    lines += ["", "Compared with AWS's own recipes:", "", "| Reference | Actions | Statements on `*` | Policies |", "|---|---|---|---|"]
    for r in references():
        lines.append(f"| {r['principal']} | {r['actions']} | {r['star_statements']} | {r['policies']} |")
    lines.append("")
    from tools.benchmarks import prove  # in-process, after the synth timings (its own section)

    lines += prove.section(prove.measure())
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
