"""Catalog rows + the user's resources -> policy statements. The only place ARNs are built.

A :class:`Statement` is a small immutable value (effect, actions, resources, conditions, and the row ids
it traces to) so that :mod:`packing` can merge, sort and measure statements before CDK sees them.

Resources keep the order they were given in (duplicates dropped): a resource may be a token string
(``${Token[TOKEN.99]}``) whose number depends on how many tokens the process made before, so it is never
sorted here. The packer orders resources and statements by their resolved template values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, Sequence

from aws_cdk import aws_iam as iam
from constructs import IConstruct

from . import catalog
from .catalog.model import Grant, Row
from .catalog.activities import (CREDENTIAL_READS, TAG_IN_REQUEST, TAG_KEYS_KEY, TAG_ON_CREATE, TAG_SCOPED_KINDS,
                                 TAG_WRITE_ACTIONS)
from .catalog.resources import EC2_NETWORK_INTERFACE, IAM_ROLE, ML_CHANNEL, ML_INPUT, S3_BUCKET, Kind
from .errors import MediaLiveIamError, describe
from .tokens import stack_of, stack_tokens


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Statement:
    """One IAM statement and the catalog rows it comes from."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: str = "{}"  # canonical JSON, so that statements hash and compare
    effect: str = "Allow"
    rows: frozenset[str] = field(default_factory=frozenset)
    #: Set by the packer when two statements of one document trace to the same rows (Sids must be unique).
    sid_suffix: str = ""
    #: Its resources are a list the app grows and shrinks on day 2 (the roles a group passes, the channels it
    #: operates): the packer puts such statements last, so adding or removing one moves nothing else between
    #: policies (docs/decisions.md D15).
    volatile: bool = False

    @staticmethod
    def of(
        actions: Iterable[str],
        resources: Iterable[str],
        conditions: Mapping[str, Any] | None = None,
        *,
        effect: str = "Allow",
        rows: Iterable[str] = (),
        volatile: bool = False,
    ) -> "Statement":
        return Statement(
            actions=tuple(sorted(set(actions), key=str.lower)),
            resources=tuple(dict.fromkeys(resources)),  # given order; the packer sorts by resolved value
            conditions=_canon(conditions or {}),
            effect=effect,
            rows=frozenset(rows),
            volatile=volatile,
        )

    @property
    def condition_block(self) -> dict:
        return json.loads(self.conditions)

    @cached_property
    def sid(self) -> str:
        """Traceable statement id: the row ids, alphanumeric only (``S3.run`` -> ``S3run``)."""
        base = "".join(sorted("".join(c for c in r if c.isalnum()) for r in self.rows)) or "Custom"
        return base + self.sid_suffix

    def to_json(self) -> dict:
        doc: dict[str, Any] = {"Sid": self.sid, "Effect": self.effect}
        doc["Action"] = list(self.actions) if len(self.actions) > 1 else self.actions[0]
        doc["Resource"] = list(self.resources) if len(self.resources) > 1 else self.resources[0]
        if self.conditions != "{}":
            doc["Condition"] = self.condition_block
        return doc


def stack_env(scope: IConstruct) -> dict[str, str]:
    """The partition, region and account of ``scope``'s stack (tokens when the stack is env-agnostic), read
    once per stack."""
    return stack_tokens(stack_of(scope)).env


def render_kind(scope: IConstruct, kind: Kind, **identifiers: str) -> str:
    """The ARN of ``kind`` in ``scope``'s stack (partition/region/account), identifiers filled or ``*``."""
    return kind.render(**stack_env(scope), **identifiers)


_VALUE = __import__("re").compile(r"\$\{([A-Za-z]+)\}")


def _fill(value: Any, env: Mapping[str, str], values: Mapping[str, Any] | None = None) -> Any:
    """Fill ``${Partition}``, ``${Region}``, ``${Account}`` and the construct's ``values`` (``${NotificationPrefix}``)
    in a condition block. A string that is exactly one placeholder whose value is a list becomes that list."""
    if isinstance(value, str):
        filled = (
            value.replace("${Partition}", env["partition"])
            .replace("${Region}", env["region"])
            .replace("${Account}", env["account"])
        )
        if values:
            whole = _VALUE.fullmatch(filled)
            if whole and whole.group(1) in values and not isinstance(values[whole.group(1)], str):
                return list(values[whole.group(1)])
            filled = _VALUE.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), filled)
        return filled
    if isinstance(value, Mapping):
        return {k: _fill(v, env, values) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        out: list = []
        for v in value:
            filled = _fill(v, env, values)
            out.extend(filled if isinstance(filled, list) and isinstance(v, str) else [filled])
        return out
    return value


def _merge_conditions(a: Mapping[str, Any], b: Mapping[str, Any] | None) -> dict:
    out: dict[str, dict] = {op: dict(keys) for op, keys in a.items()}
    for op, keys in (b or {}).items():
        for key, val in keys.items():
            if key in out.get(op, {}):
                raise ValueError(f"condition {op} {key} given twice")
            out.setdefault(op, {})[key] = val
    return out


#: A hook that adds conditions to a grant (tag scoping of channel operations, for example).
ConditionHook = Callable[[Row, Grant], Mapping[str, Any] | None]
#: A hook that adds conditions per resource kind of a grant (``None`` for grants on ``*``); a grant on several
#: kinds becomes one statement per kind, so that, e.g., a new channel is conditioned on its request tags and the
#: existing input it attaches on its resource tag.
KindConditionHook = Callable[[Row, Grant, "Kind | None"], Mapping[str, Any] | None]


def row_statements(
    scope: IConstruct,
    row_ids: Iterable[str | Row],
    *,
    bindings: Mapping[Kind, Sequence[str]] | None = None,
    extra_conditions: ConditionHook | None = None,
    kind_conditions: KindConditionHook | None = None,
    values: Mapping[str, Any] | None = None,
    prop: str = "rows",
    volatile_kinds: Iterable[Kind] = (),
) -> list[Statement]:
    """Statements for catalog rows.

    :param bindings: for each kind, the ARNs the construct scopes it to (given buckets, role ARNs, a
        parameter path). A kind without a binding is rendered from the catalog (fixed identifiers, SAR
        defaults, ``*`` elsewhere, plus the kind's extra ARN forms); a grant marked ``must_bind`` without a
        binding raises.
    :param extra_conditions: called per grant; what it returns is added to the grant's conditions.
    :param kind_conditions: called per grant and resource kind (see :data:`KindConditionHook`).
    :param values: the construct's values of the placeholders in the catalog's conditions
        (``${NotificationPrefix}``); a placeholder left unfilled raises.
    :param volatile_kinds: kinds bound to lists the app changes on day 2 (a group's role ARNs): statements on
        them are ``volatile`` (packed last).
    """
    env = stack_env(scope)
    bindings = bindings or {}
    volatile = frozenset(volatile_kinds)
    resolved: list[Row] = []
    for r in row_ids:
        if isinstance(r, Row):
            resolved.append(r)
            continue
        try:
            resolved.extend(catalog.rows([r]))
        except KeyError:
            raise MediaLiveIamError(
                describe(scope), prop, f"unknown catalog row {r!r}",
                "use a row id of medialive-iam-requirements.md (S1..S42, F3, T5..T23, A1..) as listed in docs/catalog.md",
            ) from None
    out: list[Statement] = []
    for row in resolved:
        for grant in row.grants:
            if grant.on_star:
                by_kind: list[tuple[Kind | None, list[str]]] = [(None, ["*"])]
            else:
                by_kind = []
                for kind in grant.kinds:
                    if kind in bindings:
                        arns = list(bindings[kind])
                    elif grant.must_bind:
                        raise MediaLiveIamError(
                            describe(scope), prop,
                            f"row {row.id} ({row.title}) needs the {kind.key} resources it may use",
                            "name them in the construct's props (the catalog never grants them on '*')",
                        )
                    else:
                        arns = kind.render_all(**env, **grant.identifiers)
                    if arns:
                        by_kind.append((kind, arns))
                if not by_kind:
                    continue  # bound to nothing: the workflow uses none of these resources
            base = _fill(_merge_conditions(dict(grant.conditions),
                                           extra_conditions(row, grant) if extra_conditions else None), env, values)
            unfilled = _VALUE.findall(_canon(base))
            if unfilled:  # pragma: no cover - guards the wiring of rows and constructs
                raise RuntimeError(f"{describe(scope)}: no value for {sorted(set(unfilled))} in row {row.id}")
            groups = ([(k, arns) for k, arns in by_kind] if kind_conditions
                      else [(None, [a for _, arns in by_kind for a in arns])])
            for kind, arns in groups:
                conditions = base
                if kind_conditions:
                    conditions = _merge_conditions(base, kind_conditions(row, grant, kind))
                moving = any(k in volatile for k in ([kind] if kind else [k for k, _ in by_kind]))
                out.append(Statement.of(grant.actions, arns, conditions, effect=grant.effect, rows=[row.id],
                                        volatile=moving))
    return out


# --- condition hooks and the trust policy of the trusted-entity roles ----------------------------------------

def listing_under_prefix(pattern: str, row: Row, grant: Grant) -> Mapping[str, Any] | None:
    """s3:ListBucket is on the bucket: limit the listing to the prefix (T18)."""
    return {"StringLike": {"s3:prefix": [pattern]}} if grant.kinds == (S3_BUCKET,) else None


def enis_in_subnets(subnets: tuple[str, ...], row: Row, grant: Grant) -> Mapping[str, Any] | None:
    """Grants on network interfaces alone (create permission, delete) are limited to ENIs in the given subnets;
    CreateNetworkInterface is already limited by its subnet and security-group resources (T6-T8)."""
    return {"ArnEquals": {"ec2:Subnet": list(subnets)}} if grant.kinds == (EC2_NETWORK_INTERFACE,) else None


#: ``regions=`` of :func:`medialive_trust_principal`: every region of the account (the ARN's region is ``*``).
ANY_REGION = "*"


def medialive_trust_principal(scope: IConstruct, confused_deputy: bool, input_features: bool,
                              regions: Sequence[str] | None = None) -> iam.IPrincipal:
    """``medialive.amazonaws.com``, with ``aws:SourceAccount`` and ``aws:SourceArn`` (this account's channels, and
    inputs when the role serves input features) unless ``confused_deputy`` is off. ``regions``: the regions whose
    channels (and inputs) may make MediaLive assume the role; None: the stack's region; ``[ANY_REGION]``: every
    region, the ARN still pinned to the stack's partition and account."""
    if not confused_deputy:
        return iam.ServicePrincipal(catalog.MEDIALIVE_SERVICE)
    env = stack_env(scope)
    kinds = [ML_CHANNEL] + ([ML_INPUT] if input_features else [])
    # MediaLive assumes an input's role when it creates/deletes a MediaConnect or VPC input (T6/T7,
    # T11/T12); the official alpha L2 conditions input roles on input:* the same way.
    source_arns = [kind.render(**{**env, "region": region}) for region in (regions or [env["region"]]) for kind in kinds]
    return iam.ServicePrincipal(
        catalog.MEDIALIVE_SERVICE,
        conditions={
            "StringEquals": {"aws:SourceAccount": stack_of(scope).account},
            "ArnLike": {"aws:SourceArn": source_arns[0] if len(source_arns) == 1 else source_arns},
        },
    )


def tag_scope_conditions(tag: tuple[str, str], roles_by_path: bool):
    """Conditions per (row, grant, kind) of a tag-scoped group (issue 11 d). With ``pass_roles_by_path`` the roles it
    passes must carry its tag too: a path holds every team's workflow roles."""
    key, value = tag

    def conditions(row: Row, grant: Grant, kind: Kind | None) -> Mapping | None:
        if kind is IAM_ROLE and roles_by_path:
            return {"StringEquals": {f"aws:ResourceTag/{key}": value}}
        # tags the request sets (an update that takes tags): the group's key only with the group's value
        request_tag = ({"StringEqualsIfExists": {f"aws:RequestTag/{key}": value}}
                       if any(a in TAG_IN_REQUEST for a in grant.actions) else {})
        if kind is not None and grant.actions and all(CREDENTIAL_READS.get(a) is kind for a in grant.actions):
            return {"StringEquals": {f"aws:ResourceTag/{key}": value}}  # a read that returns the resource's secret
        if kind is None and grant.actions and all(TAG_ON_CREATE.get(a) in TAG_SCOPED_KINDS for a in grant.actions):
            return {"StringEquals": {f"aws:RequestTag/{key}": value}}  # a create SAR gives no resource type
        if kind not in TAG_SCOPED_KINDS:
            return request_tag or None
        if grant.actions and all(TAG_ON_CREATE.get(a) is kind for a in grant.actions):
            return {"StringEquals": {f"aws:RequestTag/{key}": value}}  # the resource the request creates
        out: dict = {"StringEquals": {f"aws:ResourceTag/{key}": value}, **request_tag}
        if any(a in TAG_WRITE_ACTIONS for a in grant.actions):
            out["ForAllValues:StringNotEqualsIgnoreCase"] = {TAG_KEYS_KEY: [key]}
        return out

    return conditions
