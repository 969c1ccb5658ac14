"""What a ``cdk deploy`` from one template to the next does to the permissions of each IAM group, role and user,
read from the two templates alone: :func:`update_windows` (also in :mod:`medialive_iam_constructs.testing`).

CloudFormation updates a stack in dependency order: a resource is created or updated only after every resource
it depends on (``DependsOn``, ``Ref``, ``Fn::GetAtt``) is complete, independent resources in parallel, in any
order; resources that are no longer in the template are deleted last, in the update's clean-up phase. A
permission that moves from managed policy A to managed policy B is therefore never missing when B is certain to
be complete before A is updated (A depends on B), or when A is deleted (clean-up); otherwise there is an order
CloudFormation may choose in which the principal holds neither copy. The constructs order their policies so that
growth is make-before-break (docs/decisions.md D15); this function checks any change, yours included::

    from medialive_iam_constructs.testing import update_windows

    assert update_windows(template_before, template_after) == []

Permissions are compared as atoms (effect, action, resource, conditions) of the principal's managed and inline
policies; an atom in both templates must be held at every moment between them. ``Ref``/``Fn::GetAtt`` to the
stack's own resources are compared by logical id, so a replaced resource (same logical id, new physical id)
is not seen here: ``tests/test_sample_logical_ids.py`` guards logical ids.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

__all__ = ["permission_atoms", "update_windows"]

from .template import Symbolic, listed, policy_holders, references, statements

#: Intrinsics as stable strings: ``Ref`` -> ``${Id}``, ``Fn::GetAtt`` -> ``${Id.Attr}``, joins joined.
_STABLE = Symbolic(opaque=False)


def permission_atoms(document: Mapping[str, Any]) -> frozenset[tuple[str, ...]]:
    """A policy document as atoms ``(effect, Action|NotAction, action, Resource|NotResource, resource, conditions)``;
    intrinsics rendered as stable strings (``${Id}``)."""
    out = set()
    for st in statements([_STABLE.render(document)]):
        akey = "Action" if "Action" in st else "NotAction"
        rkey = "Resource" if "Resource" in st else "NotResource"
        cond = json.dumps(st.get("Condition", {}), sort_keys=True)
        for action in listed(st.get(akey, [])):
            for resource in listed(st.get(rkey, ["*"])):
                out.add((st.get("Effect", "Allow"), akey, str(action), rkey, json.dumps(resource, sort_keys=True), cond))
    return frozenset(out)


def _holders(template: Mapping[str, Any]) -> dict[str, dict[str, frozenset]]:
    """principal logical id -> {holder logical id -> atoms} (:func:`~medialive_iam_constructs.template.policy_holders`:
    its managed policies, attached from either side, and its inline policies)."""
    return {principal: {holder: permission_atoms(document) for holder, document in held.items()}
            for principal, held in policy_holders(template).items()}


def _depends(template: Mapping[str, Any]) -> dict[str, set[str]]:
    """logical id -> every logical id it (transitively) depends on in ``template``."""
    res = template.get("Resources", {})
    edges = {lid: set(listed(r.get("DependsOn", []))) | (references(r.get("Properties", {})) & res.keys())
             for lid, r in res.items()}
    closure: dict[str, set[str]] = {}

    def visit(lid: str, stack: tuple[str, ...] = ()) -> set[str]:
        if lid not in closure:
            seen: set[str] = set()
            for d in edges.get(lid, ()):
                if d not in stack:
                    seen |= {d} | visit(d, stack + (lid,))
            closure[lid] = seen
        return closure[lid]

    for lid in edges:
        visit(lid)
    return closure


def update_windows(before: Mapping[str, Any], after: Mapping[str, Any],
                   principals: Iterable[str] | None = None) -> list[str]:
    """Every way a ``cdk deploy`` from template ``before`` to template ``after`` can leave a principal that is in
    both without a permission it has in both, or without any policy, for a moment; ``[]`` when none can.

    A permission held by a policy (or inline policy) in both templates is never missing: CloudFormation switches
    a document in one call. One that moves from holder A to holder B is safe when A is deleted (clean-up runs
    after every create and update) or when A depends on B in ``after`` (B completes first). ``principals``:
    logical ids to check (default: every group, role and user in both templates)."""
    old, new = _holders(before), _holders(after)
    depends = _depends(after)
    in_after = set(after.get("Resources", {}))
    problems: list[str] = []
    names = sorted(set(old) & set(new)) if principals is None else sorted(principals)
    for principal in names:
        old_h, new_h = old.get(principal, {}), new.get(principal, {})
        if old_h and not (set(old_h) & set(new_h)) and new_h and not any(
                a not in in_after or any(b in depends.get(a, ()) for b in new_h) for a in old_h):
            problems.append(f"{principal}: every policy it holds is replaced, and none of the new ones is certain to "
                            "exist before the old ones go")
        atoms_old: dict[tuple, set[str]] = {}
        for holder, atoms in old_h.items():
            for atom in atoms:
                atoms_old.setdefault(atom, set()).add(holder)
        atoms_new: dict[tuple, set[str]] = {}
        for holder, atoms in new_h.items():
            for atom in atoms:
                atoms_new.setdefault(atom, set()).add(holder)
        moved: dict[tuple[str, str], int] = {}
        for atom in atoms_old.keys() & atoms_new.keys():
            sources, targets = atoms_old[atom], atoms_new[atom]
            if sources & targets:
                continue
            if any(a not in in_after or any(b in depends.get(a, ()) for b in targets) for a in sources):
                continue
            for a in sorted(sources):
                for b in sorted(targets):
                    moved[(a, b)] = moved.get((a, b), 0) + 1
        for (a, b), count in sorted(moved.items()):
            problems.append(f"{principal}: {count} permission(s) move from {a} to {b}, and {a} does not depend on {b}: "
                            f"CloudFormation may update {a} first, and the principal holds neither copy until {b} is done")
    return problems
