"""Which IAM policies apply to a group, user or role of a synthesized CloudFormation template.

The one reader of templates for IAM questions, shared by the package's symbolic prover
(:mod:`medialive_iam_constructs.prove`) and the repository's test evaluator (``tools.iam_evaluator``, which re-exports it):
inline policies, ``AWS::IAM::Policy``, customer managed policies, AWS managed policies (the documents under
``data/aws_managed/``, or given by the caller), group membership and the permissions boundary, with the
CloudFormation intrinsics of their documents resolved to concrete values for one account, region and partition.
Pure Python: no CDK, no node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

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

DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-west-2"
DEFAULT_PARTITION = "aws"
DEFAULT_STACK_NAME = "TestStack"

class TemplateResolutionError(ValueError):
    """The template cannot be turned into concrete policies (unknown intrinsic, unknown policy...)."""


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

_PRINCIPAL_TYPES = {"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group"}
_NAME_PROPS = {"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName", "AWS::IAM::Group": "GroupName"}
_AWS_MANAGED_ARN = re.compile(r"^arn:[a-z-]+:iam::aws:policy/(?:.*/)?([^/]+)$")


class TemplatePrincipals:
    """Resolves the policies attached to the groups, users and roles of a synthesized template.

    ``overrides`` gives values for ``Ref``/``Fn::GetAtt`` the resolver does not know, keyed
    ``"LogicalId"`` (Ref) or ``"LogicalId.Attribute"`` (GetAtt), e.g. ``{"Bucket.Arn": "arn:..."}``.
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        account: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        partition: str = DEFAULT_PARTITION,
        stack_name: str = DEFAULT_STACK_NAME,
        overrides: Mapping[str, Any] | None = None,
        managed_policies: Mapping[str, Mapping[str, Any]] | None = None,
    ):
        self.template = template
        #: documents of AWS managed policies the package does not carry, by name or ARN
        self.managed_policies = {k.rsplit("/", 1)[-1]: v for k, v in (managed_policies or {}).items()}
        self.resources: Mapping[str, Mapping[str, Any]] = template.get("Resources", {}) or {}
        self.parameters: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {}) or {}
        self.account = account
        self.region = region
        self.partition = partition
        self.stack_name = stack_name
        self.overrides = dict(overrides or {})
        self._pseudo = {
            "AWS::Partition": partition,
            "AWS::Region": region,
            "AWS::AccountId": account,
            "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:{partition}:cloudformation:{region}:{account}:stack/{stack_name}/"
            "00000000-0000-0000-0000-000000000000",
        }
        self._cache: dict[str, PrincipalPolicies] = {}

    # ---- helpers ---------------------------------------------------------------------------------

    def _resource(self, logical_id: str) -> Mapping[str, Any]:
        try:
            return self.resources[logical_id]
        except KeyError:
            raise TemplateResolutionError(f"no resource {logical_id!r} in the template") from None

    def _props(self, logical_id: str) -> Mapping[str, Any]:
        return self._resource(logical_id).get("Properties", {}) or {}

    def _of_type(self, *types: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
        for lid, res in self.resources.items():
            if res.get("Type") in types:
                yield lid, res

    def name_of(self, logical_id: str) -> str:
        """Physical name of a Role/User/Group/ManagedPolicy (deterministic: the logical id if unnamed)."""
        res = self._resource(logical_id)
        rtype = res.get("Type")
        prop = _NAME_PROPS.get(rtype) or ("ManagedPolicyName" if rtype == "AWS::IAM::ManagedPolicy" else None)
        if prop is None:
            raise TemplateResolutionError(f"{logical_id} ({rtype}) has no IAM name")
        name = (res.get("Properties") or {}).get(prop)
        return self.resolve(name) if name is not None else logical_id

    def arn_of(self, logical_id: str) -> str:
        res = self._resource(logical_id)
        rtype = res.get("Type")
        path = self.resolve((res.get("Properties") or {}).get("Path", "/"))
        kind = {"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group",
                "AWS::IAM::ManagedPolicy": "policy"}.get(rtype)
        if kind is None:
            raise TemplateResolutionError(f"no ARN rule for {logical_id} ({rtype})")
        return f"arn:{self.partition}:iam::{self.account}:{kind}{path}{self.name_of(logical_id)}"

    def _ref(self, target: str) -> Any:
        if target in self._pseudo:
            return self._pseudo[target]
        if target in self.overrides:
            return self.overrides[target]
        if target in self.parameters:
            param = self.parameters[target]
            if "Default" in param:
                return param["Default"]
            raise TemplateResolutionError(f"Ref to parameter {target!r} without Default (use overrides)")
        if target not in self.resources:
            raise TemplateResolutionError(f"Ref to unknown logical id or pseudo parameter {target!r}")
        rtype = self.resources[target].get("Type")
        if rtype == "AWS::IAM::ManagedPolicy":
            return self.arn_of(target)
        if rtype in _NAME_PROPS:
            return self.name_of(target)
        if rtype == "AWS::S3::Bucket":
            name = self._props(target).get("BucketName")
            return self.resolve(name) if name is not None else target.lower()
        raise TemplateResolutionError(
            f"cannot resolve Ref to {target} ({rtype}); pass overrides={{{target!r}: ...}}"
        )

    def _get_att(self, target: str, attribute: str) -> Any:
        key = f"{target}.{attribute}"
        if key in self.overrides:
            return self.overrides[key]
        if target not in self.resources:
            raise TemplateResolutionError(f"Fn::GetAtt on unknown logical id {target!r}")
        rtype = self.resources[target].get("Type")
        if rtype in _NAME_PROPS and attribute == "Arn":
            return self.arn_of(target)
        if rtype == "AWS::IAM::ManagedPolicy" and attribute == "PolicyArn":
            return self.arn_of(target)
        if rtype == "AWS::S3::Bucket" and attribute == "Arn":
            return f"arn:{self.partition}:s3:::{self._ref(target)}"
        raise TemplateResolutionError(
            f"cannot resolve Fn::GetAtt {key} ({rtype}); pass overrides={{{key!r}: ...}}"
        )

    def _sub(self, template: str, variables: Mapping[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            expr = match.group(1)
            if expr.startswith("!"):
                return "${" + expr[1:] + "}"
            if expr in variables:
                return str(self.resolve(variables[expr]))
            if "." in expr and not expr.startswith("AWS::"):
                target, attribute = expr.split(".", 1)
                return str(self._get_att(target, attribute))
            return str(self._ref(expr))

        return re.sub(r"\$\{([^}]+)\}", replace, template)

    def resolve(self, value: Any) -> Any:
        """Replace every CloudFormation intrinsic in ``value`` by its concrete value."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                target, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
                return self._get_att(self.resolve(target), self.resolve(attribute))
            if key == "Fn::Join":
                delimiter, items = arg
                items = self.resolve(items)
                return self.resolve(delimiter).join(str(i) for i in items)
            if key == "Fn::Sub":
                if isinstance(arg, str):
                    return self._sub(arg, {})
                text, variables = arg
                return self._sub(self.resolve(text), variables)
            if key == "Fn::Select":
                index, items = arg
                items = self.resolve(items)
                return items[int(self.resolve(index))]
            if key == "Fn::Split":
                delimiter, text = arg
                return str(self.resolve(text)).split(self.resolve(delimiter))
            if key.startswith("Fn::"):
                raise TemplateResolutionError(f"unsupported intrinsic {key}: {json.dumps(value)[:200]}")
        return {k: self.resolve(v) for k, v in value.items()}

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
        kind = _PRINCIPAL_TYPES[rtype]
        list_prop = {"role": "Roles", "user": "Users", "group": "Groups"}[kind]
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
        if rtype not in _PRINCIPAL_TYPES:
            raise TemplateResolutionError(f"{logical_id} is a {rtype}, not an IAM Role, User or Group")
        self._reject_conditional(logical_id)
        kind = _PRINCIPAL_TYPES[rtype]
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
        return [lid for lid, _ in self._of_type(*_PRINCIPAL_TYPES)]


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


