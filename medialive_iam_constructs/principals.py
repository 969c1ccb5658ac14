"""Which IAM policies apply to a group, user or role of a synthesized CloudFormation template.

The template reader for IAM questions (on :class:`~medialive_iam_constructs.template.TemplateValues`, the one reader
of templates), shared by the package's symbolic prover (:mod:`medialive_iam_constructs.prove`), the handout
(:mod:`medialive_iam_constructs.handout`) and the repository's test evaluator (``tools.iam_evaluator``, which
re-exports it): inline policies, ``AWS::IAM::Policy``, customer managed policies, AWS managed policies (the documents
under ``data/aws_managed/``, or given by the caller), group membership and the permissions boundary, with the
CloudFormation intrinsics of their documents resolved to concrete values for one account, region and partition.
Pure Python: no CDK, no node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from .template import (
    DEFAULT_ACCOUNT,
    DEFAULT_PARTITION,
    DEFAULT_REGION,
    DEFAULT_STACK_NAME,
    POLICY_LISTS,
    PRINCIPAL_TYPES,
    TemplateResolutionError,
    TemplateValues,
)

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_PARTITION",
    "DEFAULT_REGION",
    "DEFAULT_STACK_NAME",
    "NamedPolicy",
    "PrincipalPolicies",
    "TemplatePrincipals",
    "TemplateResolutionError",
    "aws_managed_policy",
    "principal_policies",
]

#: AWS managed policies whose documents the package carries (the ones its constructs and tests name).
AWS_MANAGED_DIR = Path(__file__).resolve().parent / "data" / "aws_managed"


# --------------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedPolicy:
    """One policy document, with a name unique within one request and where it came from."""

    name: str
    document: Mapping[str, Any]
    source: str = ""

    def to_request(self) -> dict[str, Any]:
        return {"name": self.name, "policy": self.document}


@dataclass(frozen=True)
class PrincipalPolicies:
    """Everything iam-simulate needs about one principal of a template."""

    logical_id: str
    kind: Literal["role", "user", "group", "external"]
    name: str
    arn: str
    #: ARN used as the request's principal (for a group: a synthetic member user).
    principal_arn: str
    account: str
    identity_policies: tuple[NamedPolicy, ...]
    #: None when the principal has no permissions boundary.
    permissions_boundary: tuple[NamedPolicy, ...] | None = None
    #: For a user: the logical ids of the groups it belongs to.
    groups: tuple[str, ...] = ()


def aws_managed_policy(arn_or_name: str) -> dict[str, Any]:
    """The document of an AWS managed policy the package carries (``data/aws_managed/``); raises if it does not."""
    name = arn_or_name.rsplit("/", 1)[-1]
    path = AWS_MANAGED_DIR / f"{name}.json"
    if not re.fullmatch(r"[A-Za-z0-9+=,.@_-]+", name) or not path.is_file():
        shipped = sorted(p.stem for p in AWS_MANAGED_DIR.glob("*.json"))
        raise TemplateResolutionError(
            f"AWS managed policy {arn_or_name!r} is not shipped in {AWS_MANAGED_DIR} "
            f"(shipped: {shipped}); pass its document as managed_policies={{{name!r}: document}}"
        )
    return json.loads(path.read_text())


# --------------------------------------------------------------------------------------------------
# Template resolution
# --------------------------------------------------------------------------------------------------

_AWS_MANAGED_ARN = re.compile(r"^arn:[a-z-]+:iam::aws:policy/(?:.*/)?([^/]+)$")


class TemplatePrincipals(TemplateValues):
    """Resolves the policies attached to the groups, users and roles of a synthesized template.

    ``overrides`` gives values for ``Ref``/``Fn::GetAtt`` the resolver does not know, keyed
    ``"LogicalId"`` (Ref) or ``"LogicalId.Attribute"`` (GetAtt), e.g. ``{"Bucket.Arn": "arn:..."}``.
    """

    def __init__(self, template: Mapping[str, Any], *,
                 managed_policies: Mapping[str, Mapping[str, Any]] | None = None, **environment: Any):
        """``environment``: ``account``, ``region``, ``partition``, ``stack_name`` and ``overrides``, as
        :class:`~medialive_iam_constructs.template.TemplateValues` takes them (the test account, region and partition
        by default)."""
        super().__init__(template, **environment)
        #: documents of AWS managed policies the package does not carry, by name or ARN
        self.managed_policies = {k.rsplit("/", 1)[-1]: v for k, v in (managed_policies or {}).items()}
        self._cache: dict[str, PrincipalPolicies] = {}

    # ---- helpers ---------------------------------------------------------------------------------

    def _props(self, logical_id: str) -> Mapping[str, Any]:
        return self._resource(logical_id).get("Properties", {}) or {}

    def _of_type(self, *types: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
        for lid, res in self.resources.items():
            if res.get("Type") in types:
                yield lid, res

    # ---- policy collection -----------------------------------------------------------------------

    def _policy_by_arn(self, arn: str, where: str) -> NamedPolicy:
        for lid, res in self._of_type("AWS::IAM::ManagedPolicy"):
            if self.arn_of(lid) == arn:
                self._reject_conditional(lid)
                doc = self.resolve(res["Properties"]["PolicyDocument"])
                return NamedPolicy(f"managed:{lid}", doc, f"AWS::IAM::ManagedPolicy {lid} ({where})")
        match = _AWS_MANAGED_ARN.match(arn)
        if match and match.group(1) in self.managed_policies:
            return NamedPolicy(f"aws-managed:{match.group(1)}", self.managed_policies[match.group(1)],
                               f"{arn} ({where}, given)")
        if match:
            return NamedPolicy(f"aws-managed:{match.group(1)}", aws_managed_policy(arn), f"{arn} ({where})")
        raise TemplateResolutionError(
            f"managed policy {arn!r} ({where}) is neither in the template nor an AWS managed policy"
        )

    def _reject_conditional(self, logical_id: str) -> None:
        if "Condition" in self._resource(logical_id):
            raise TemplateResolutionError(
                f"{logical_id} has a CloudFormation Condition; conditional resources are not supported"
            )

    def _names(self, value: Any) -> list[str]:
        return [str(v) for v in (self.resolve(value) or [])]

    def _own_policies(self, logical_id: str) -> list[NamedPolicy]:
        """Inline, managed and AWS managed policies attached directly to one Role/User/Group."""
        res = self._resource(logical_id)
        rtype = res["Type"]
        kind = PRINCIPAL_TYPES[rtype]
        list_prop = POLICY_LISTS[kind]
        props = res.get("Properties") or {}
        name = self.name_of(logical_id)
        out: list[NamedPolicy] = []
        for i, inline in enumerate(props.get("Policies") or []):
            pname = self.resolve(inline.get("PolicyName", str(i)))
            out.append(NamedPolicy(f"inline:{logical_id}:{pname}", self.resolve(inline["PolicyDocument"]),
                                   f"{rtype} {logical_id} Policies[{i}]"))
        for lid, pres in self._of_type("AWS::IAM::Policy"):
            if name in self._names((pres.get("Properties") or {}).get(list_prop)):
                self._reject_conditional(lid)
                out.append(NamedPolicy(f"policy:{lid}", self.resolve(pres["Properties"]["PolicyDocument"]),
                                       f"AWS::IAM::Policy {lid}"))
        for lid, pres in self._of_type("AWS::IAM::ManagedPolicy"):
            if name in self._names((pres.get("Properties") or {}).get(list_prop)):
                self._reject_conditional(lid)
                out.append(NamedPolicy(f"managed:{lid}", self.resolve(pres["Properties"]["PolicyDocument"]),
                                       f"AWS::IAM::ManagedPolicy {lid} {list_prop}"))
        for arn in self._names(props.get("ManagedPolicyArns")):
            out.append(self._policy_by_arn(arn, f"{logical_id}.ManagedPolicyArns"))
        return out

    def _group_by_name(self, group_name: str, where: str) -> str:
        for lid, _ in self._of_type("AWS::IAM::Group"):
            if self.name_of(lid) == group_name:
                return lid
        raise TemplateResolutionError(
            f"group {group_name!r} ({where}) is not defined in the template; its policies are unknown"
        )

    def groups_of_user(self, logical_id: str) -> list[str]:
        user_name = self.name_of(logical_id)
        groups: list[str] = []
        for gname in self._names(self._props(logical_id).get("Groups")):
            groups.append(self._group_by_name(gname, f"{logical_id}.Groups"))
        for lid, res in self._of_type("AWS::IAM::UserToGroupAddition"):
            props = res.get("Properties") or {}
            if user_name in self._names(props.get("Users")):
                self._reject_conditional(lid)
                groups.append(self._group_by_name(self.resolve(props["GroupName"]), lid))
        return list(dict.fromkeys(groups))

    def policies_for(self, logical_id: str) -> PrincipalPolicies:
        if logical_id in self._cache:
            return self._cache[logical_id]
        res = self._resource(logical_id)
        rtype = res.get("Type")
        if rtype not in PRINCIPAL_TYPES:
            raise TemplateResolutionError(f"{logical_id} is a {rtype}, not an IAM Role, User or Group")
        self._reject_conditional(logical_id)
        kind = PRINCIPAL_TYPES[rtype]
        name = self.name_of(logical_id)
        arn = self.arn_of(logical_id)
        policies = self._own_policies(logical_id)
        groups: list[str] = []
        if kind == "user":
            groups = self.groups_of_user(logical_id)
            for g in groups:
                policies.extend(self._own_policies(g))
        # Same document attached through two routes (e.g. user and group): keep one copy.
        unique = list({p.name: p for p in policies}.values())
        boundary = None
        pb = (res.get("Properties") or {}).get("PermissionsBoundary")
        if pb is not None:
            if kind == "group":
                raise TemplateResolutionError(f"group {logical_id} cannot have a PermissionsBoundary")
            boundary = (self._policy_by_arn(self.resolve(pb), f"{logical_id}.PermissionsBoundary"),)
        principal_arn = (
            f"arn:{self.partition}:iam::{self.account}:user/test-member-of-{name}" if kind == "group" else arn
        )
        result = PrincipalPolicies(
            logical_id=logical_id, kind=kind, name=name, arn=arn, principal_arn=principal_arn,
            account=self.account, identity_policies=tuple(unique), permissions_boundary=boundary,
            groups=tuple(groups),
        )
        self._cache[logical_id] = result
        return result

    def principals(self) -> list[str]:
        """Logical ids of every Role, User and Group of the template."""
        return [lid for lid, _ in self._of_type(*PRINCIPAL_TYPES)]


def principal_policies(
    template: Mapping[str, Any],
    logical_id: str,
    *,
    account: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
    partition: str = DEFAULT_PARTITION,
    stack_name: str = DEFAULT_STACK_NAME,
    overrides: Mapping[str, Any] | None = None,
    managed_policies: Mapping[str, Mapping[str, Any]] | None = None,
) -> PrincipalPolicies:
    """The policies that apply to the Role/User/Group ``logical_id`` of a synthesized template."""
    return TemplatePrincipals(
        template, account=account, region=region, partition=partition, stack_name=stack_name,
        overrides=overrides, managed_policies=managed_policies,
    ).policies_for(logical_id)


