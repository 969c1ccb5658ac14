"""Policies with deliberate holes: each closed attack, reopened in the synthesized policy, must give a witness
(issue 21). The three widenings the sampled proof let through (a boundary prefix without its separator, the
administrator's policy path widened, the tag-key guard's ForAllValues turned into ForAnyValue) and the holes of
issue 20 (W4 rule writes without aws:CalledVia) are each asked the question that must catch them; the
witness is replayed through iam-simulate with the mutated policy and must be allowed there too."""

from __future__ import annotations

import dataclasses
import json

import pytest

z3 = pytest.importorskip("z3")

from iam_evaluator import NamedPolicy  # noqa: E402
from tests.proof import personas as P  # noqa: E402
from tests.proof import questions as Q  # noqa: E402

#: (name, persona, invariant, text in the policy, its replacement)
MUTANTS = [
    ("boundary secret prefix loses its separator", "sample-complex/AdministratorAccess-under-boundary",
     "secrets-outside-namespace",
     ":secret:medialive/*", ":secret:medialive*"),
    ("administrator's policy path widened", "sample-complex/RestrictedAdmin", "operator-policies",
     ":policy/medialive/trusted-entity/*", ":policy/medialive/*"),
    ("tag-key guard ForAllValues -> ForAnyValue", "tag-scoped/READ_WRITE", "tag-key",
     "ForAllValues:StringNotEqualsIgnoreCase", "ForAnyValue:StringNotEqualsIgnoreCase"),
    ("workflow monitor rule writes without aws:CalledVia", "opt-in/workflow_monitor_deploy/ADVANCED",
     "rules-of-others-directly",
     '"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}', '"Null": {"aws:CalledVia": "false"}'),
]


def _named_resource(r) -> z3.BoolRef:
    """A resource iam-simulate can evaluate: ``*`` or an ARN whose identifier is not empty (SAR's formats let the
    solver leave ``channel:`` without an id, which no real request names)."""
    part = r.segments[4]
    return z3.Or(r.star, z3.And(z3.Not(z3.SuffixOf(z3.StringVal(":"), part)),
                                z3.Not(z3.SuffixOf(z3.StringVal("/"), part)), z3.Length(part) > 0))


def _mutated(p: P.Persona, old: str, new: str) -> P.Persona:
    def swap(policies):
        if policies is None:
            return None
        return tuple(NamedPolicy(n.name, json.loads(json.dumps(n.document).replace(old, new)), n.source)
                     for n in policies)

    principal = dataclasses.replace(p.principal, identity_policies=swap(p.principal.identity_policies),
                                    permissions_boundary=swap(p.principal.permissions_boundary))
    changed = json.dumps([n.document for n in principal.identity_policies + (principal.permissions_boundary or ())])
    original = json.dumps([n.document for n in p.principal.identity_policies + (p.principal.permissions_boundary or ())])
    assert changed != original, f"the mutation {old!r} -> {new!r} does not apply to {p.id}: the mutant would test nothing"
    return dataclasses.replace(p, principal=principal)


@pytest.mark.parametrize("name, pid, invariant, old, new", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_each_reopened_hole_gives_a_witness(name, pid, invariant, old, new, iam_evaluator):
    built = P.build(iam_evaluator)
    original = built.personas[pid]
    inv = next(i for i in Q.INVARIANTS if i.id == invariant)
    prover, _ = Q.prover_for(original)
    assert prover.ask(inv.actions, lambda r: inv.where(original, r)).verdict == "proved" or \
        Q.residual_for(original, inv), f"{pid} does not hold {invariant} before the mutation"
    mutant = _mutated(original, old, new)
    prover, _ = Q.prover_for(mutant)
    answer = prover.ask(inv.actions, lambda r: z3.And(inv.where(mutant, r), _named_resource(r)))
    assert answer.verdict == "witness", f"{name}: {answer}"
    assert Q.replay(mutant, answer.request, iam_evaluator) == "Allowed", (
        f"{name}: the witness {answer.request} is not allowed by iam-simulate")
