"""Byte-identical templates on every synth.

CDK encodes a deploy-time value as a token string (``${Token[TOKEN.99]}``) whose number is a process-wide
counter: it depends on how many tokens were made before (other apps or stacks in the same process, a test
session's earlier tests) and, in a fresh process, on ``PYTHONHASHSEED`` (``import aws_cdk`` alone makes 0 to 5
tokens depending on it). Anything ordered by those strings changes order when two numbers straddle a power of
ten (``TOKEN.101`` sorts before ``TOKEN.99``). Two tests:

* in one process, the same app built with the counter placed so that the ARN tokens the constructs list
  (operator groups, their policies, the trusted roles) straddle a power of ten, then compared;
* four processes with different ``PYTHONHASHSEED`` synthesizing every app of ``tests/determinism_apps.py``
  (the sample app in each variant, two user-shaped apps), comparing the bytes of every template file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import aws_cdk as cdk
from aws_cdk.assertions import Template

from tests.determinism_apps import APPS, issue_app
from tests.helpers import ROOT

_NUMBER = re.compile(r"\$\{Token\[TOKEN\.(\d+)\]\}")


def _number(token: str) -> int:
    m = _NUMBER.fullmatch(token)
    assert m, f"{token!r} is not a plain CDK string token"
    return int(m.group(1))


def _next_token_number() -> int:
    """The number the next token will get (making one unrelated token to find out)."""
    return _number(cdk.Token.as_string({"Ref": "Probe"})) + 1


def _advance_to(target: int) -> None:
    """Make unrelated tokens until the next token made is ``TOKEN.<target>``."""
    n = _next_token_number()
    assert n <= target, f"the token counter is already at {n}, past {target}"
    while target - n > 20:  # one jsii call makes many tokens: Fn.split of a token into assumed_length selects
        cdk.Fn.split(",", cdk.Token.as_string({"Ref": "Shift"}), assumed_length=min(target - n - 10, 200_000))
        n = _next_token_number()
    while (n := _next_token_number()) < target:
        pass
    assert n == target


def _build_issue_app():
    """The issue's app; returns its template and, in order, the ARN tokens that the constructs put in lists."""
    app = issue_app()
    stack = app.node.find_child("MediaLiveIam")
    operators, watchers = stack.node.find_child("Operators"), stack.node.find_child("Watchers")
    listed = {
        "operator groups (RestrictedAdmin A4)": operators.group.group_arn,
        "operator group policies (RestrictedAdmin A8.self)": operators.managed_policies[0].managed_policy_arn,
        "trusted roles (READ_WRITE S32)": stack.node.find_child("Reader").role_arn,
    }
    assert _number(watchers.group.group_arn) > _number(operators.group.group_arn)
    return Template.from_stack(stack).to_json(), listed


def test_same_app_same_template_whatever_the_token_counter():
    reference, _ = _build_issue_app()  # the first build in a process also makes CDK's one-time tokens
    start = _next_token_number()
    template, listed = _build_issue_app()
    assert template == reference
    offsets = {what: _number(token) - start for what, token in listed.items()}
    changed = {}
    for what, offset in offsets.items():
        # Place this token at 10^k - 1: the next token of its list (made right after it) gets a number of one
        # more digit, which sorts before it as a string.
        here = _next_token_number()
        boundary = 10 ** len(str(here + offset + 50))
        _advance_to(boundary - 1 - offset)
        template, placed = _build_issue_app()
        assert _number(placed[what]) == boundary - 1, "the counter was not placed where the test meant it"
        if template != reference:
            changed[f"{what} at TOKEN.{boundary - 1}"] = _differing_resources(reference, template)
    # and after a few hundred unrelated tokens in a throwaway stack, as an app with more stacks would make
    throwaway = cdk.Stack(cdk.App(), "Throwaway")
    for i in range(300):
        cdk.Fn.join("-", [throwaway.stack_id, str(i)])
    template, _ = _build_issue_app()
    if template != reference:
        changed["after 300 unrelated tokens"] = _differing_resources(reference, template)
    assert changed == {}, "the template changed when the token counter moved (ordered by token strings):\n" + \
        json.dumps(changed, indent=1)


def _differing_resources(a: dict, b: dict) -> list[str]:
    ra, rb = a.get("Resources", {}), b.get("Resources", {})
    return sorted(k for k in set(ra) | set(rb) if ra.get(k) != rb.get(k)) or ["(outside Resources)"]


#: Seeds whose ``import aws_cdk`` makes different numbers of tokens (0, 5, 5 and 4 with aws-cdk-lib 2.275.0).
SEEDS = ("1", "2", "3", "4")


def _synthesize_all(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    env.pop("CDK_OUTDIR", None)
    env.pop("CDK_CONTEXT_JSON", None)
    proc = subprocess.run([sys.executable, "-m", "tests.determinism_apps"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0] == f"# package {ROOT / 'medialive_iam_constructs' / '__init__.py'}", lines[0]
    return dict(line.rsplit(" ", 1) for line in lines[1:])


def test_every_app_byte_identical_across_processes_and_hash_seeds():
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores; each process synthesizes every app
        runs = dict(zip(SEEDS, pool.map(_synthesize_all, SEEDS)))
    files = runs[SEEDS[0]]
    apps = {path.split("/", 1)[0] for path in files}
    assert apps == set(APPS), f"apps without templates: {set(APPS) - apps}"
    differing = {}
    for path in files:
        digests = {seed: run.get(path) for seed, run in runs.items()}
        if len(set(digests.values())) > 1:
            differing[path] = digests
    assert all(set(run) == set(files) for run in runs.values())
    assert differing == {}, "templates differ between processes:\n" + json.dumps(differing, indent=1)
