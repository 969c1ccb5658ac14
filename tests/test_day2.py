"""Day-2 updates without a window, proven on generated cases (fast, no emulator).

The packer (``packing.plan_policies``: next-fit over a fixed order, volatile statements last, a principal's denies in
policies of their own) and the dependencies among a principal's managed policies (``packing.policy_dependencies``:
each depends on the next, and every allow policy on the deny policies) make a growing change make-before-break. ``medialive_iam_constructs.day2.update_windows`` models CloudFormation's update (dependency
order, parallel where independent, deletes in the clean-up phase) and reports every permission that may be
missing for a moment. Here, on 600 generated principals and changes:

- growth (an allow statement gains resources, conditions or actions; a new statement; the volatile list grows):
  no window;
- the volatile list (a group's role ARNs) shrinks back: no window;
- any change of allows only: no deny ever moves between policies;
- a shrink elsewhere can move statements back to an earlier policy: the model reports it (that is the documented
  residual, docs/decisions.md D15), and it is never a deny (the generated changes are of allows).

The same checks fail without the dependencies or with denies packed last (shown below on the templates such a
packer makes). The sample app's real day-2 templates are checked with update_windows by
tests/test_tools_localdeploy_day2.py, which also deploys them.
"""

from __future__ import annotations

import json
import random


from medialive_iam_constructs.day2 import update_windows
from medialive_iam_constructs.packing import plan_policies, policy_dependencies
from medialive_iam_constructs.statements import Statement

LIMIT = 1500  # small documents, so that a principal holds several policies (the logic is that of 6,144)
CASES = 600


def _resolve(s: Statement) -> dict:
    return s.to_json()


def _template(chunks: list[list[Statement]], dependencies=(), ids: list[str] | None = None) -> dict:
    ids = ids or [f"P{i + 1}" for i in range(len(chunks))]
    res: dict = {"G": {"Type": "AWS::IAM::Group", "Properties": {}}}
    for lid, chunk in zip(ids, chunks):
        res[lid] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "Groups": [{"Ref": "G"}], "PolicyDocument": {"Statement": [s.to_json() for s in chunk]}}}
    for earlier, later in dependencies:
        res[ids[earlier]].setdefault("DependsOn", []).append(ids[later])
    return {"Resources": res}


def _layout(statements: list[Statement], chain: bool = True) -> dict:
    """The template the library makes for one group holding ``statements`` (P1.. allows, D1.. denies, as
    Policy1.. and DenyPolicy1..)."""
    allows, denies = plan_policies(statements, _resolve, limit=LIMIT)
    deps = policy_dependencies(len(allows), len(denies)) if chain else []
    ids = [f"P{i + 1}" for i in range(len(allows))] + [f"D{j + 1}" for j in range(len(denies))]
    return _template(allows + denies, deps, ids)


def _statement(rng: random.Random, n: int, volatile: bool = False) -> Statement:
    actions = [f"svc{rng.randrange(4)}:Action{rng.randrange(40):02d}" for _ in range(rng.randint(1, 4))]
    resources = [f"arn:aws:svc:us-east-1:111122223333:thing/{n}-{i}" for i in range(rng.randint(1, 12))]
    conditions = {"StringEquals": {"aws:ResourceTag/Team": f"t{rng.randrange(3)}"}} if rng.random() < 0.3 else None
    effect = "Deny" if not volatile and rng.random() < 0.15 else "Allow"
    return Statement.of(actions, resources, conditions, effect=effect, rows=[f"S{n}"], volatile=volatile)


def _principal(rng: random.Random) -> list[Statement]:
    out = [_statement(rng, n) for n in range(rng.randint(4, 25))]
    out.append(_statement(rng, 99, volatile=True))
    return out


def _grow(rng: random.Random, statements: list[Statement]) -> tuple[str, list[Statement]]:
    out = list(statements)
    allows = [i for i, s in enumerate(out) if s.effect == "Allow" and not s.volatile]
    kind = rng.choice(["resources", "conditions", "actions", "new", "volatile"] if allows else ["new", "volatile"])
    if kind == "new":
        out.append(_statement(rng, 100 + rng.randrange(50)))
        out[-1] = Statement.of(out[-1].actions, out[-1].resources, out[-1].condition_block or None, rows=out[-1].rows)
    elif kind == "volatile":
        v = next(i for i, s in enumerate(out) if s.volatile)
        extra = [f"arn:aws:iam::111122223333:role/medialive/Workflow{rng.randrange(10**6)}" for _ in range(rng.randint(1, 15))]
        out[v] = Statement.of(out[v].actions, out[v].resources + tuple(extra), rows=out[v].rows, volatile=True)
    else:
        i = rng.choice(allows)
        s = out[i]
        if kind == "resources":
            s = Statement.of(s.actions, s.resources + (f"arn:aws:svc:us-east-1:111122223333:more/{rng.randrange(10**6)}",),
                             s.condition_block or None, rows=s.rows)
        elif kind == "conditions":
            s = Statement.of(s.actions, s.resources, {**s.condition_block, "Bool": {"aws:SecureTransport": "true"}},
                             rows=s.rows)
        else:
            s = Statement.of(s.actions + (f"svc9:Extra{rng.randrange(10**6)}",), s.resources, s.condition_block or None,
                             rows=s.rows)
        out[i] = s
    return kind, out


def _deny_problems(before: dict, after: dict, problems: list[str]) -> list[str]:
    """The problems that concern a deny: a deny atom in both templates, in different policies."""
    def denies(t: dict) -> dict[str, str]:
        out = {}
        for lid, r in t["Resources"].items():
            if r["Type"] == "AWS::IAM::ManagedPolicy":
                for st in r["Properties"]["PolicyDocument"]["Statement"]:
                    if st["Effect"] == "Deny":
                        out[json.dumps({k: v for k, v in st.items() if k != "Sid"}, sort_keys=True)] = lid
        return out
    b, a = denies(before), denies(after)
    return [f"deny moved {b[k]} -> {a[k]}" for k in b.keys() & a.keys() if b[k] != a[k]]


def test_generated_growth_and_volatile_shrink_have_no_window():
    rng = random.Random(20261201)
    seen = {"resources": 0, "conditions": 0, "actions": 0, "new": 0, "volatile": 0}
    split_cases = 0
    for case in range(CASES):
        statements = _principal(rng)
        kind, grown = _grow(rng, statements)
        seen[kind] += 1
        before, after = _layout(statements), _layout(grown)
        split_cases += len(before["Resources"]) > 3
        assert update_windows(before, after) == [], (case, kind)
        assert _deny_problems(before, after, []) == [], (case, kind)
        if kind == "volatile":  # and back: the roles removed again
            assert update_windows(after, before) == [], (case, "volatile shrink")
    assert min(seen.values()) >= 50 and split_cases >= CASES // 2, (seen, split_cases)


def test_generated_shrinks_never_move_a_deny_and_are_reported():
    """Shrinking an allow other than the volatile list can move statements back to an earlier policy: the model
    reports those moves (the documented residual, D15), and no deny is ever among them."""
    rng = random.Random(7)
    reported = 0
    for case in range(CASES // 2):
        statements = _principal(rng)
        _, grown = _grow(rng, statements)
        before, after = _layout(grown), _layout(statements)
        problems = update_windows(before, after)
        reported += bool(problems)
        assert _deny_problems(before, after, problems) == [], case
    assert reported > 0  # the model does see backward moves: it is not a check that always passes


def test_without_the_chain_or_with_denies_last_growth_has_windows():
    """What the measures buy: the same generated growths, checked on templates without the dependencies, and
    packed as before 0.3 (allows then denies in one sequence), show windows and moved denies."""
    rng = random.Random(20261201)
    no_chain = deny_moves = 0
    for _ in range(CASES // 2):
        statements = _principal(rng)
        _, grown = _grow(rng, statements)
        no_chain += bool(update_windows(_layout(statements, chain=False), _layout(grown, chain=False)))
        old_small, old_large = _repack_denies_last(statements), _repack_denies_last(grown)
        deny_moves += bool(_deny_problems(_template(old_small), _template(old_large), []))
    assert no_chain > 0 and deny_moves > 0, (no_chain, deny_moves)


def _repack_denies_last(statements: list[Statement]) -> list[list[Statement]]:
    """The packer's order before 0.3 (allows, then denies): pack the allows and the denies as one sequence with
    the denies at the end, through the same next-fit."""
    from medialive_iam_constructs import packing

    merged = packing.merge(statements)
    ordered = [s for s in merged if s.effect == "Allow"] + [s for s in merged if s.effect != "Allow"]
    original = packing.merge
    try:
        packing.merge = lambda ss, key=packing.literal_key: ordered  # type: ignore[assignment]
        return packing.pack(statements, _resolve, limit=LIMIT)
    finally:
        packing.merge = original


def test_policy_dependencies():
    assert policy_dependencies(3, 0) == [(0, 1), (1, 2)]
    assert policy_dependencies(2, 2) == [(0, 1), (2, 3), (0, 2), (0, 3), (1, 2), (1, 3)]
    assert policy_dependencies(1, 0) == [] and policy_dependencies(0, 1) == []


def test_sample_policies_depend_on_the_next_and_on_the_denies():
    from tests.helpers import sample_template

    res = sample_template()["Resources"]
    by_group: dict[str, list[str]] = {}
    for lid, r in res.items():
        if r["Type"] == "AWS::IAM::ManagedPolicy":
            for g in r["Properties"].get("Groups", []):
                by_group.setdefault(g["Ref"], []).append(lid)
    edges = 0
    for group, policies in by_group.items():
        allows = sorted((p for p in policies if "DenyPolicy" not in p), key=lambda lid: int(lid.split("Policy")[-1][:-8]))
        denies = [p for p in policies if "DenyPolicy" in p]
        for lid in policies:
            kinds = {st["Effect"] for st in res[lid]["Properties"]["PolicyDocument"]["Statement"]}
            assert kinds == ({"Deny"} if lid in denies else {"Allow"}), (group, lid, kinds)
        for earlier, later in zip(allows, allows[1:]):
            assert later in res[earlier].get("DependsOn", []), (group, earlier, later)
            edges += 1
        for allow in allows:
            assert set(denies) <= set(res[allow].get("DependsOn", [])), (group, allow)
            edges += len(denies)
    assert edges >= 5, edges


def test_denies_over_several_policies_warn_and_their_shrink_is_reported():
    """The residual the attacker's review found (D15): an administrator protecting 60 operator groups needs
    three deny policies; synth warns, and switching the workflow wizard off moves denies back, which
    update_windows reports."""
    from aws_cdk.assertions import Annotations, Match

    from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier, RestrictedAdmin
    from tests.helpers import new_stack, template_of

    def build(wizard: bool):
        _, stack = new_stack("Test")
        groups = [MediaLiveOperatorGroup(stack, f"B{i}", tier=OperatorTier.BASIC, group_name=f"OpsBasic{i}",
                                         policy_name_prefix=f"OpsBasic{i}") for i in range(60)]
        RestrictedAdmin(stack, "Admin", operator_groups=groups, workflow_wizard=wizard)
        return stack, template_of(stack)

    from tests import synthesized

    with synthesized.not_recorded():  # 60 BASIC groups and an administrator: ~13 s of cfn-lint each, no new shape
        stack, before = build(True)
        _, after = build(False)
    warnings = Annotations.from_stack(stack).find_warning("/Test/Admin", Match.string_like_regexp("denies need"))
    assert warnings and "docs/decisions.md D15" in warnings[0].entry.data
    problems = update_windows(before, after)
    assert any("move from AdminDenyPolicy2" in p and "to AdminDenyPolicy1" in p for p in problems), problems
