"""Statements -> customer managed policies that fit IAM's quotas (reference §7.1).

* deterministic: statements are merged where that is lossless, then sorted, so a synth is stable. Resources
  and conditions are compared and ordered by their resolved template values (canonical JSON), never by
  token strings, whose numbers depend on how many tokens the process made before;
* each managed policy stays within 6,144 characters (white space not counted, as IAM counts);
  a statement too large on its own is split by resources, then by actions;
* a principal that would need more managed policies than its quota (group 10, not adjustable; role and
  user 10 by default) fails at synth with an error that names the construct, the prop and the fix;
* a synth-time validation re-counts what is attached to the principal in the whole stack (policies a user
  adds later included) and checks the inline budgets (user 2,048, group 5,120, role 10,240).

Sizes are measured on the resolved template value. CloudFormation pseudo parameters count at their longest
real value (partition ``aws-us-gov`` 10, region 14, account 12, URL suffix ``amazonaws.com.cn`` 16); any
other unresolved token (a role ARN from ``Fn::GetAtt``, a parameter) counts as
:data:`UNRESOLVED_TOKEN_CHARS`, enough for an ARN with a 64-character name and a short path.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable, Sequence

import jsii
from aws_cdk import Annotations, CfnResource, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct, IValidation

from ._synth_context import stack_state
# the quotas and the measure live with the checks (one implementation for synth and cloud assemblies); kept importable
from .checks import (  # noqa: F401
    INLINE_BUDGET, MANAGED_POLICY_MAX_CHARS, MAX_MANAGED_POLICIES, MAX_MANAGED_POLICIES_ADJUSTED, attachment_table,
    document_size, principal_quota_errors, principal_usage,
)
from .errors import QuotaExceededError, describe
from .nag import acknowledge_wildcards
from .statements import Statement
from .template import PSEUDO_LENGTHS, UNRESOLVED_TOKEN_CHARS, Symbolic, canonical  # noqa: F401 - the sizes' constants
from .tokens import stack_of, stack_tokens
from .validation import check_name

_SORT_TEXT = Symbolic(opaque=True)


# --- measuring -----------------------------------------------------------------------------------

def _doc(statements: Sequence[dict]) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# --- merging and ordering ------------------------------------------------------------------------

#: ``key(value) -> (text, canonical JSON)``: how resources and conditions are compared and ordered.
ValueKey = Callable[[Any], tuple[str, str]]


def sort_text(value: Any) -> Any:
    """A resolved template value with its intrinsics written as ``Fn::Sub`` writes them (``arn:${AWS::Partition}:
    s3:::b``, ``${Workflow1Role.Arn}``): the text a reader sees, stable (logical ids and pseudo parameters, no
    token numbers). A token string (``${Token[...]}``) sorted among literals the same way, so the order of
    literal ARNs and ARNs that hold only pseudo parameters is what it always was."""
    return _SORT_TEXT.render(value)


def _key_of(resolved: Any) -> tuple[str, str]:
    text = sort_text(resolved)
    return (text if isinstance(text, str) else canonical(text), canonical(resolved))


def literal_key(value: Any) -> tuple[str, str]:
    """The key of a value without tokens; a token string has no stable key of its own (its number depends on
    how many tokens the process made before), so one raises."""
    if "${Token[" in canonical(value):
        raise ValueError(f"{value!r} holds a CDK token: order it by its resolved value (pass key=value_key(scope))")
    return _key_of(value)


def value_key(scope: IConstruct) -> ValueKey:
    """Keys of the values of ``scope``'s stack, from ``stack_of(scope).resolve(value)``: the value as text
    (:func:`sort_text`), then its canonical JSON (equal keys: equal template values)."""
    tokens = stack_tokens(stack_of(scope))
    cache: dict[str, tuple[str, str]] = {}

    def key(value: Any) -> tuple[str, str]:
        text = value if isinstance(value, str) else canonical(value)
        if text not in cache:
            cache[text] = _key_of(tokens.resolve(value))
        return cache[text]

    return key


def _normalized(s: Statement, key: ValueKey) -> Statement:
    """Resources without duplicates (same resolved value) and in the order of their resolved values."""
    by_key: dict[tuple[str, str], str] = {}
    for r in s.resources:
        by_key.setdefault(key(r), r)
    resources = tuple(by_key[k] for k in sorted(by_key))
    return s if resources == s.resources else replace(s, resources=resources)


def merge(statements: Iterable[Statement], key: ValueKey = literal_key) -> list[Statement]:
    """Lossless merges, to a fixed point: same effect, conditions and resources -> one statement with the
    union of the actions; same effect, conditions and actions -> union of the resources. Sorted: volatile
    statements last, denies before allows in each part (D15), then by rows, actions, resources and conditions.

    Resources and conditions are compared and ordered by ``key`` (their resolved values); the default takes
    values without tokens only."""
    def conditions(s: Statement) -> tuple[str, str]:
        return key(s.condition_block) if s.conditions != "{}" else ("", "")

    def resources(s: Statement) -> tuple[tuple[str, str], ...]:
        return tuple(key(r) for r in s.resources)

    current = [_normalized(s, key) for s in statements]
    while True:
        before = len(current)
        for key_of, combine in (
            (lambda s: (s.effect, conditions(s), resources(s)), lambda a, b: Statement.of(
                a.actions + b.actions, a.resources, a.condition_block, effect=a.effect, rows=a.rows | b.rows,
                volatile=a.volatile or b.volatile)),
            (lambda s: (s.effect, conditions(s), s.actions), lambda a, b: Statement.of(
                a.actions, a.resources + b.resources, a.condition_block, effect=a.effect, rows=a.rows | b.rows,
                volatile=a.volatile or b.volatile)),
        ):
            grouped: dict[tuple, Statement] = {}
            for s in current:
                k = key_of(s)
                grouped[k] = _normalized(combine(grouped[k], s), key) if k in grouped else s
            current = list(grouped.values())
        if len(current) == before:
            # Volatile last, and denies before allows in each part (D15): a day-2 change of a volatile list moves
            # no other statement, and the fixed denies never move because an allow grew.
            # Then by the rows (the Sid): a statement keeps its place when its row gains an action or resource.
            return sorted(current, key=lambda s: (s.volatile, s.effect == "Allow", sorted(s.rows), s.actions[0].lower(),
                                                  s.actions, resources(s), conditions(s)))


# --- splitting -----------------------------------------------------------------------------------

def _split_oversized(stmt: Statement, resolve, limit: int) -> list[Statement]:
    if document_size(_doc([resolve(stmt)])) <= limit:
        return [stmt]
    if len(stmt.resources) > 1:
        half = len(stmt.resources) // 2
        parts = [replace(stmt, resources=stmt.resources[:half]), replace(stmt, resources=stmt.resources[half:])]
    elif len(stmt.actions) > 1:
        half = len(stmt.actions) // 2
        parts = [replace(stmt, actions=stmt.actions[:half]), replace(stmt, actions=stmt.actions[half:])]
    else:
        raise ValueError(f"statement {stmt.sid} alone exceeds {limit} characters")
    return [p for part in parts for p in _split_oversized(part, resolve, limit)]


def pack(statements: Iterable[Statement], resolve, *, limit: int = MANAGED_POLICY_MAX_CHARS,
         key: ValueKey = literal_key) -> list[list[Statement]]:
    """Merge, sort and split statements into documents of at most ``limit`` characters each.

    ``resolve(statement) -> dict`` gives the statement as the template will hold it (tokens resolved);
    ``key`` orders resources and conditions (:func:`value_key` of the stack when they hold tokens).
    Sids are made unique within each document (the second statement of rows S1 becomes ``S1No2``)
    before it is measured.
    """
    chunks: list[list[Statement]] = []
    empty = document_size(_doc([]))
    size = empty
    for stmt in merge(statements, key):
        for part in _split_oversized(stmt, resolve, limit):
            candidate = _unique_in(part, chunks[-1] if chunks else [])
            added = document_size(resolve(candidate)) + (1 if chunks and chunks[-1] else 0)  # "," between statements
            if chunks and size + added > limit:
                chunks.append([])
                candidate = _unique_in(part, [])
                size, added = empty, document_size(resolve(candidate))
            if not chunks:
                chunks.append([])
            chunks[-1].append(candidate)
            size += added
    return chunks


def _unique_in(stmt: Statement, chunk: list[Statement]) -> Statement:
    stmt = replace(stmt, sid_suffix="")
    taken = {s.sid for s in chunk}
    n = 1
    while stmt.sid in taken:
        n += 1
        stmt = replace(stmt, sid_suffix=f"No{n}")
    return stmt


# --- creating managed policies --------------------------------------------------------------------

def statement_resolver(scope: IConstruct):
    """``resolve(statement) -> dict``: the statement as ``scope``'s template will hold it. Memoized (the packer
    measures a statement several times); the result is read, never changed."""
    tokens = stack_tokens(stack_of(scope))
    memo: dict[Statement, dict] = {}

    def resolve(s: Statement) -> dict:
        if s not in memo:
            memo[s] = tokens.resolve(s.to_json())
        return memo[s]

    return resolve


def policy_names(prefix: str | None, count: int) -> list[str | None]:
    """``prefix``, ``prefix2``, ``prefix3``...: the first name never changes when a policy is added."""
    if prefix is None:
        return [None] * count
    return [prefix if i == 0 else f"{prefix}{i + 1}" for i in range(count)]


def create_managed_policies(
    scope: Construct,
    statements: Iterable[Statement],
    *,
    principal_kind: str,
    name_prefix: str | None,
    path: str | None = None,
    groups: Sequence[iam.IGroup] = (),
    roles: Sequence[iam.IRole] = (),
    users: Sequence[iam.IUser] = (),
    max_policies: int | None = None,
    already_attached: int = 0,
    prop: str = "rows",
    description: str | None = None,
    id_prefix: str = "Policy",
) -> list[iam.ManagedPolicy]:
    """Customer managed policies holding ``statements``, attached to the given principals.

    Construct ids are ``Policy1``, ``Policy2``... (allows) and ``DenyPolicy1``... (the denies of a principal)
    under ``scope`` (stable logical ids). The cdk-nag
    findings that the catalog's wildcards cause are acknowledged on each policy, citing their rows.
    """
    limit = max_policies if max_policies is not None else MAX_MANAGED_POLICIES[principal_kind]
    tokens = stack_tokens(stack_of(scope))
    chunks, deny_chunks = plan_policies(statements, statement_resolver(scope), key=value_key(scope),
                                        attached=bool(groups or roles or users))
    needed = len(chunks) + len(deny_chunks) + already_attached
    if needed > limit:
        raise QuotaExceededError(
            describe(scope), prop,
            f"the {principal_kind} needs {len(chunks) + len(deny_chunks)} managed policies of "
            f"{MANAGED_POLICY_MAX_CHARS} characters"
            + (f" plus {already_attached} already attached" if already_attached else "")
            + f", over the quota of {limit} per {principal_kind}",
            "grant fewer rows or resources, split the principals over two constructs, or pass roles by path "
            "(pass_roles_by_path) so the PassRole statement does not grow with every role"
            + ("; for a role, raise the account quota and max_managed_policies (up to 25)" if principal_kind == "role" else ""),
        )

    def make(chunk: list[Statement], construct_id: str, name: str | None) -> iam.ManagedPolicy:
        if name is not None:
            check_name(scope, "policy_name_prefix", name, "policy")
        policy = iam.ManagedPolicy(
            scope,
            construct_id,
            managed_policy_name=name,
            path=path,
            description=description,
            document=iam.PolicyDocument.from_json({"Version": "2012-10-17", "Statement": [s.to_json() for s in chunk]}),
            groups=list(groups) or None,
            roles=list(roles) or None,
            users=list(users) or None,
        )
        acknowledge_wildcards(policy, chunk, tokens)
        return policy

    out = [make(chunk, f"{id_prefix}{i}", name)
           for i, (chunk, name) in enumerate(zip(chunks, policy_names(name_prefix, len(chunks))), start=1)]
    deny_names = policy_names(f"{name_prefix}Deny" if name_prefix is not None else None, len(deny_chunks))
    deny_policies = [make(chunk, f"Deny{id_prefix}{i}", name)
                     for i, (chunk, name) in enumerate(zip(deny_chunks, deny_names), start=1)]
    if len(deny_policies) > 1:
        Annotations.of(scope).add_warning_v2(
            "medialive-iam:denies-span-policies",
            f"{describe(scope)}: {prop}: the {principal_kind}'s explicit denies need {len(deny_policies)} managed "
            "policies; a later deploy that shrinks them can move a deny back to an earlier policy, leaving it out of "
            "force for the seconds between two updates (docs/decisions.md D15). Fix: fewer protected principals per "
            "construct (e.g. one RestrictedAdmin per set of operator groups), or check each change with "
            "medialive_iam_constructs.testing.update_windows")
    policies = out + deny_policies
    for earlier, later in policy_dependencies(len(out), len(deny_policies)):
        policies[earlier].node.add_dependency(policies[later])
    return policies


def plan_policies(statements: Iterable[Statement], resolve, *, key: ValueKey = literal_key, attached: bool = True,
                  limit: int = MANAGED_POLICY_MAX_CHARS) -> tuple[list[list[Statement]], list[list[Statement]]]:
    """The documents of a principal's managed policies: (allow documents, deny documents). A principal's
    explicit denies get documents of their own (D15), so that no allow that grows or shrinks ever moves a deny;
    without a principal (a permissions boundary, exactly one document) everything is in the first list."""
    statements = list(statements)
    denies = [s for s in statements if s.effect != "Allow"] if attached else []
    allows = [s for s in statements if s.effect == "Allow"] if denies else statements
    return (pack(allows, resolve, limit=limit, key=key) if allows else [],
            pack(denies, resolve, limit=limit, key=key) if denies else [])


def policy_dependencies(allows: int, denies: int) -> list[tuple[int, int]]:
    """Make before break (D15), as (index, index it depends on) over ``allow policies + deny policies``: each
    allow policy depends on the next (PolicyN completes first, Policy1 last) and on every deny policy; each deny
    policy on the next. A day-2 change that grows a principal's statements moves statements only to later
    policies (next-fit in a fixed order), so a moved statement is in its new policy before it leaves the old
    one; a policy no longer needed is deleted in the update's clean-up, after every other change; and the
    denies are in force before any allow changes."""
    edges = [(i, i + 1) for i in range(allows - 1)]
    edges += [(allows + j, allows + j + 1) for j in range(denies - 1)]
    edges += [(i, allows + j) for i in range(allows) for j in range(denies)]
    return edges


# --- synth-time validation of the whole principal -------------------------------------------------

def _attachments(stack: Stack) -> dict[str, dict[str, int]]:
    """For every principal a policy of the stack names: managed policies attached and inline characters.

    One pass over the stack per synth (validations run on the finished tree; the table is kept with the stack's
    state in its app, :meth:`~medialive_iam_constructs._synth_context.StackState.attachments`), so that hundreds of
    principals with a validation each do not walk the tree hundreds of times; the policies' attachments (lazy
    lists) and inline documents are resolved in one ``stack.resolve``, not one round trip each.
    """
    policies = [(child, isinstance(child, iam.CfnManagedPolicy)) for child in stack.node.find_all()
                if isinstance(child, (iam.CfnManagedPolicy, iam.CfnPolicy))]
    # resolve drops undefined values: each policy is a map with its index, read by key
    resolved = stack.resolve([{"i": i, "document": None if managed else child.policy_document,
                               "groups": child.groups, "roles": child.roles, "users": child.users}
                              for i, (child, managed) in enumerate(policies)]) if policies else []
    if [r["i"] for r in resolved] != list(range(len(policies))):
        raise AssertionError("stack.resolve changed the list of policies")  # cannot happen: maps stay
    return attachment_table((managed, values.get("document"), values) for (_, managed), values in zip(policies, resolved))


@jsii.implements(IValidation)
class PrincipalQuotaValidation:
    """Counts, at synth, every managed policy attached to a principal anywhere in its stack and the size of
    its inline policies, and reports what exceeds IAM's quotas."""

    def __init__(self, owner: IConstruct, principal: CfnResource, principal_kind: str, max_policies: int | None = None):
        self._owner = owner
        self._principal = principal
        self._kind = principal_kind
        self._max = max_policies if max_policies is not None else MAX_MANAGED_POLICIES[principal_kind]

    def validate(self) -> list[str]:
        stack = stack_of(self._principal)
        values = stack.resolve({  # one round trip; resolve drops the undefined ones
            "ref": self._principal.ref, "managed": getattr(self._principal, "managed_policy_arns", None),
            "inline": getattr(self._principal, "policies", None)})
        table = stack_state(stack).attachments(lambda: _attachments(stack), reader=self)
        attached, inline = principal_usage(values["ref"], values.get("managed"), values.get("inline"), table)
        return principal_quota_errors(describe(self._owner), self._kind, attached, inline, self._max)
