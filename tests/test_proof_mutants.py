"""Policies with deliberate holes: every attack closed so far, reopened in the synthesized policy, must give a
witness (issue 21). Each mutant edits the statements of one persona of the proof (``tests/proof/personas.py``) the
way a regression would (a condition dropped, a resource widened, a guard removed, an action added), asks the question
that must catch it (an invariant of ``tests/proof/questions.py``, or ``scope``: the persona's declared rows), and
replays the witness through iam-simulate with the mutated policies: it must be allowed there too. Before the
mutation, the same question is proved (or is the persona's named residual), so each mutant shows the question
telling the two apart.

The attacks are those of ``docs/threat-model.md`` ("The attacks and how they are closed": a-g; the opt-ins table:
issue 20's findings 1-8) and the three widenings the sampled proof let through (issue 21)."""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Callable

import pytest

z3 = pytest.importorskip("z3")

from tools.iam_evaluator import NamedPolicy  # noqa: E402
from tests.proof import personas as P  # noqa: E402
from tests.proof import questions as Q  # noqa: E402

Statement = dict[str, Any]


def _list(v: Any) -> list:
    return v if isinstance(v, list) else [v]


@dataclass(frozen=True)
class Edit:
    """One change to the statements of ``effect`` whose Action names ``action`` (and whose text holds ``having``)."""

    action: str
    effect: str
    change: Callable[[Statement], Statement | list[Statement] | None]  # None: the statement goes
    having: str = ""

    def selects(self, st: Statement) -> bool:
        return (st.get("Effect") == self.effect and self.having in json.dumps(st)
                and self.action.lower() in (a.lower() for a in _list(st.get("Action", []))))


def drop_condition(key: str) -> Callable[[Statement], Statement]:
    def change(st: Statement) -> Statement:
        st = copy.deepcopy(st)
        for op in list(st.get("Condition", {})):
            st["Condition"][op] = {k: v for k, v in st["Condition"][op].items() if k.lower() != key.lower()}
            if not st["Condition"][op]:
                del st["Condition"][op]
        if not st.get("Condition"):
            st.pop("Condition", None)
        return st
    return change


def replace(old: str, new: str) -> Callable[[Statement], Statement]:
    return lambda st: json.loads(json.dumps(st).replace(old, new))


def add_action(action: str) -> Callable[[Statement], Statement]:
    return lambda st: {**st, "Action": _list(st["Action"]) + [action]}


def add_resource(arn: str) -> Callable[[Statement], Statement]:
    return lambda st: {**st, "Resource": _list(st["Resource"]) + [arn]}


def drop_resources(containing: str) -> Callable[[Statement], Statement]:
    return lambda st: {**st, "Resource": [r for r in _list(st["Resource"]) if containing not in r]}


def drop(st: Statement) -> None:
    return None


def also(changes: dict[str, Any]) -> Callable[[Statement], list[Statement]]:
    """The statement stays, and a copy with ``changes`` (without its conditions) is added: a row granted beside it."""
    return lambda st: [st, {**{k: v for k, v in st.items() if k not in ("Condition", "Sid")}, **changes}]


ACCOUNT = Q.ACCOUNT
BOUNDARY = "sample-complex/AdministratorAccess-under-boundary"
ADMIN = "sample-complex/RestrictedAdmin"
TAGGED = "tag-scoped/READ_WRITE"
WIZARD = "opt-in/workflow_wizard/ADVANCED"
MONITOR = "opt-in/workflow_monitor_deploy/ADVANCED"
ADVANCED = "sample-complex/ADVANCED"
_WIZARD_STACKS = "stack/MediaLiveWorkflow-*/*"

#: (name: the attack reopened, persona, question, edits)
MUTANTS: list[tuple[str, str, str, tuple[Edit, ...]]] = [
    # issue 21: the three widenings the sampled proof let through
    ("21: boundary secret prefix loses its separator", BOUNDARY, "secrets-outside-namespace",
     (Edit("secretsmanager:GetSecretValue", "Allow", replace(":secret:medialive/*", ":secret:medialive*")),)),
    ("21: administrator's policy path widened", ADMIN, "operator-policies",
     (Edit("iam:CreatePolicyVersion", "Allow", replace(":policy/medialive/trusted-entity/*", ":policy/medialive/*")),)),
    ("21: tag-key guard ForAllValues -> ForAnyValue", TAGGED, "tag-key",
     (Edit("medialive:CreateTags", "Allow", replace("ForAllValues:StringNotEqualsIgnoreCase",
                                                    "ForAnyValue:StringNotEqualsIgnoreCase")),)),
    # a-g: the attacks of the threat model's table
    ("a: a tier writes MediaLiveAccessRole's policy (S31 without the opt-in)", "sample-simple/ADVANCED",
     "console-role-writes", (Edit("iam:PassRole", "Allow", also({"Action": ["iam:PutRolePolicy"]})),)),
    ("b: the administrator creates a role without the boundary", ADMIN, "unbounded-role-writes",
     (Edit("iam:CreateRole", "Allow", drop_condition("iam:PermissionsBoundary")),
      Edit("iam:CreateRole", "Deny", drop, having="iam:PermissionsBoundary"))),
    ("c: CloudFormation on any stack (CDKToolkit, the app's own)", WIZARD, "crown-stacks",
     (Edit("cloudformation:DeleteStack", "Allow", replace(_WIZARD_STACKS, "stack/*/*")),
      Edit("cloudformation:DeleteStack", "Deny", drop))),
    ("c: stacks created or deleted under a service role", WIZARD, "stack-service-role",
     (Edit("cloudformation:CreateStack", "Allow", drop_condition("cloudformation:RoleArn")),)),
    ("d: tag scoping dropped from channel writes", TAGGED, "other-teams-resources",
     (Edit("medialive:DeleteChannel", "Allow", drop_condition("aws:ResourceTag/Team")),)),
    ("d: creates without the team's tag", TAGGED, "create-with-others-tag",
     (Edit("medialive:CreateChannel", "Allow", drop_condition("aws:RequestTag/Team")),)),
    ("d: Batch* on * for a tag-scoped team", TAGGED, "other-teams-resources",
     (Edit("cloudwatch:GetMetricData", "Allow", add_action("medialive:BatchStart")),)),
    ("e: rules for any event source", ADVANCED, "rules-for-other-events",
     (Edit("events:PutRule", "Allow", drop_condition("events:source")),)),
    ("e: rule targets on another account's topics", ADVANCED, "targets-outside",
     (Edit("events:PutTargets", "Allow", replace(f"us-west-2:{ACCOUNT}:medialive*", "*:*:medialive*")),)),
    ("e: subscriptions to any endpoint", ADVANCED, "subscribe-outside",
     (Edit("sns:Subscribe", "Allow", drop_condition("sns:Protocol")),)),
    ("e: rules of others (rule ARN prefix widened)", ADVANCED, "rules-of-others",
     (Edit("events:PutTargets", "Allow", replace(":rule/medialive*", ":rule/*")),)),
    ("g: the boundary's buckets in any account (aws:ResourceAccount dropped)", BOUNDARY, "other-account",
     (Edit("s3:GetObject", "Allow", drop_condition("aws:ResourceAccount")),)),
    ("g: keys used directly, not through Parameter Store", BOUNDARY, "kms-directly",
     (Edit("kms:Decrypt", "Allow", drop_condition("kms:ViaService")),)),
    # issue 20's findings
    ("20.1: workflow monitor rule writes without aws:CalledVia", MONITOR, "rules-of-others-directly",
     (Edit("events:PutTargets", "Allow", drop_condition("aws:CalledVia")),)),
    ("20.2: alarm actions on any account's topics", MONITOR, "alarm-actions-outside",
     (Edit("cloudwatch:PutMetricAlarm", "Allow", replace(f"arn:aws:sns:us-west-2:{ACCOUNT}:*", "arn:aws:sns:*:*:*")),)),
    ("20.3: monitor stacks with any resource type", MONITOR, "scope",
     (Edit("cloudformation:CreateStack", "Allow", drop_condition("cloudformation:ResourceTypes")),)),
    ("20.4: the administrator writes the policies of unbounded roles", ADMIN, "unbounded-policy-path",
     (Edit("iam:CreatePolicyVersion", "Allow", add_resource(f"arn:aws:iam::{ACCOUNT}:policy/medialive-unbounded/*")),
      Edit("iam:CreatePolicyVersion", "Deny", drop_resources("medialive-unbounded")))),
    ("20.5: StackSet instances under a prefix that reaches them", WIZARD, "crown-stacks",
     (Edit("cloudformation:DeleteStack", "Allow", replace(_WIZARD_STACKS, "stack/*/*")),
      Edit("cloudformation:DeleteStack", "Deny", drop_resources("StackSet-")))),
    ("20.8: another team's MediaPackage ingest credentials", TAGGED, "cross-team-credentials",
     (Edit("mediapackage:DescribeChannel", "Allow", drop_condition("aws:ResourceTag/Team")),)),
    # the rest of the "Never" column
    ("roles passed to any service", TAGGED, "pass-role-elsewhere",
     (Edit("iam:PassRole", "Allow", drop_condition("iam:PassedToService")),)),
    ("the administrator removes a boundary", ADMIN, "boundary-removal",
     (Edit("iam:CreateRole", "Allow", add_action("iam:DeleteRolePermissionsBoundary"), having="iam:PermissionsBoundary"),
      Edit("iam:CreateRole", "Allow", drop_condition("iam:PermissionsBoundary")),
      Edit("iam:DeleteRolePermissionsBoundary", "Deny", drop))),
    ("the administrator adds a user to its own group", ADMIN, "self-escalation",
     (Edit("iam:AddUserToGroup", "Allow",
           add_resource(f"arn:aws:iam::{ACCOUNT}:group/medialive-admin/MediaLiveAdministrators")),
      Edit("iam:AddUserToGroup", "Deny", drop))),
]


def _named_resource(r) -> z3.BoolRef:
    """A resource iam-simulate can evaluate: ``*`` or an ARN whose identifier is not empty (SAR's formats let the
    solver leave ``channel:`` without an id, which no real request names)."""
    part = r.segments[4]
    return z3.Or(r.star, z3.And(z3.Not(z3.SuffixOf(z3.StringVal(":"), part)),
                                z3.Not(z3.SuffixOf(z3.StringVal("/"), part)), z3.Length(part) > 0))


def _mutated(p: P.Persona, edits: tuple[Edit, ...]) -> P.Persona:
    used = [0] * len(edits)

    def doc(d: dict) -> dict:
        out = []
        for st in _list(d.get("Statement", [])):
            for i, e in enumerate(edits):
                if isinstance(st, dict) and e.selects(st):
                    st = e.change(st)
                    used[i] += 1
            out += [] if st is None else st if isinstance(st, list) else [st]
        return {**d, "Statement": out}

    def swap(policies):
        return None if policies is None else tuple(NamedPolicy(n.name, doc(n.document), n.source) for n in policies)

    principal = dataclasses.replace(p.principal, identity_policies=swap(p.principal.identity_policies),
                                    permissions_boundary=swap(p.principal.permissions_boundary))
    unused = [e for e, n in zip(edits, used) if not n]
    assert not unused, f"edits that select no statement of {p.id}: {unused} (the mutant would test nothing)"
    return dataclasses.replace(p, principal=principal)


def _ask(p: P.Persona, question: str, *, named: bool):
    prover, declared = Q.prover_for(p)
    if question == "scope":
        where = (lambda r: z3.And(z3.Not(declared), _named_resource(r))) if named else z3.Not(declared)
        return prover.ask(("*",), where), None
    inv = next(i for i in Q.INVARIANTS if i.id == question)
    assert inv.applies(p), f"{question} does not apply to {p.id}"
    if named:
        return prover.ask(inv.actions, lambda r: z3.And(inv.where(p, r), _named_resource(r))), inv
    return prover.ask(inv.actions, lambda r: inv.where(p, r)), inv


@pytest.mark.parametrize("name, pid, question, edits", MUTANTS, ids=[m[0].split(":")[0] + ":" + m[2] for m in MUTANTS])
def test_each_reopened_hole_gives_a_witness(name, pid, question, edits, iam_evaluator):
    built = P.build(iam_evaluator)
    original = built.personas[pid]
    before, inv = _ask(original, question, named=False)
    assert before.verdict == "proved" or (inv is not None and Q.residual_for(original, inv)), (
        f"{pid} does not hold {question} before the mutation: {before}")
    mutant = _mutated(original, edits)
    answer, _ = _ask(mutant, question, named=True)
    assert answer.verdict == "witness", f"{name}: {answer}"
    assert Q.replay(mutant, answer.request, iam_evaluator) == "Allowed", (
        f"{name}: the witness {answer.request} is not allowed by iam-simulate")


def test_every_invariant_has_a_mutant():
    """Each "Never" the proof asks is shown to catch a hole (``assume-role``: no Allow of any persona names
    ``sts:AssumeRole``, so no edit of a statement reopens it short of writing a new grant; ``boundary-writes``: the
    boundary's ARN is outside every policy path the administrator writes, which ``operator-policies`` covers)."""
    asked = {m[2] for m in MUTANTS}
    missing = {i.id for i in Q.INVARIANTS} - asked - {"assume-role", "boundary-writes"}
    assert not missing, f"invariants no mutant shows catching a hole: {sorted(missing)}"
