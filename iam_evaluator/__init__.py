"""Test/dev-only IAM policy evaluator for synthesized CloudFormation templates.

Every Allow/Deny decision is made by ``@cloud-copilot/iam-simulate`` (a node library, AGPL, test
tooling only: it is never shipped in ``medialive_iam_constructs``). This module only

* resolves, from a synthesized template, which policy documents apply to a group, user or role
  (inline, customer managed, AWS managed, group membership, permissions boundary), resolving the
  CloudFormation intrinsics in them to concrete values for a fixed test account/region/partition;
* talks to one long-lived ``node iam_evaluator/driver.cjs`` process (one JSON line per request).

Typical use::

    with Evaluator() as ev:
        te = TemplateEvaluator(Template.from_stack(stack).to_json(), ev)
        assert te.decide("OperatorsGroup1234", "medialive:StartChannel", channel_arn) == "Allowed"
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

__all__ = [
    "Decision",
    "EvaluationError",
    "EvaluationResult",
    "Evaluator",
    "EvaluatorUnavailable",
    "NamedPolicy",
    "PrincipalPolicies",
    "TemplateEvaluator",
    "TemplatePrincipals",
    "TemplateResolutionError",
    "UNSAFE_ACTIONS",
    "aws_managed_policy",
    "principal_policies",
]

Decision = Literal["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DRIVER = PACKAGE_DIR / "driver.cjs"
AWS_MANAGED_DIR = PACKAGE_DIR / "aws_managed"

#: Real actions that iam-data lacks; the driver evaluates exactly these with iam-simulate's
#: ``runUnsafeSimulation`` (no action/resource/context-key validation) and flags ``unsafe``.
#: Must match UNSAFE_ALLOWED_ACTIONS in driver.cjs.
UNSAFE_ACTIONS = frozenset(
    {
        "mediaconnect:ManagedDescribeFlow",
        "mediaconnect:ManagedAddOutput",
        "mediaconnect:ManagedRemoveOutput",
    }
)

DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-west-2"
DEFAULT_PARTITION = "aws"
DEFAULT_STACK_NAME = "TestStack"


class EvaluatorUnavailable(RuntimeError):
    """node or the iam-simulate node module is missing (run ``bash scripts/setup.sh``)."""


class EvaluationError(RuntimeError):
    """iam-simulate refused to evaluate the request (unknown action, invalid policy, bad ARN...)."""

    def __init__(self, message: str, errors: Any = None, request: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.errors = errors
        self.request = request


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


@dataclass(frozen=True)
class EvaluationResult:
    result: Decision
    #: True when the action is one of UNSAFE_ACTIONS, evaluated without iam-data validation.
    unsafe: bool = False
    #: Context keys iam-simulate dropped as not applicable to the action/resource (debug aid:
    #: a condition on such a key behaves as if the key were absent).
    ignored_context_keys: tuple[str, ...] = ()
    result_type: str = "single"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def allowed(self) -> bool:
        return self.result == "Allowed"


def aws_managed_policy(arn_or_name: str) -> dict[str, Any]:
    """The document of an AWS managed policy shipped in ``aws_managed/``; raises if not shipped."""
    name = arn_or_name.rsplit("/", 1)[-1]
    path = AWS_MANAGED_DIR / f"{name}.json"
    if not re.fullmatch(r"[A-Za-z0-9+=,.@_-]+", name) or not path.is_file():
        shipped = sorted(p.stem for p in AWS_MANAGED_DIR.glob("*.json"))
        raise TemplateResolutionError(
            f"AWS managed policy {arn_or_name!r} is not shipped in {AWS_MANAGED_DIR} "
            f"(shipped: {shipped}); add its document as {name}.json"
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
    ):
        self.template = template
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
) -> PrincipalPolicies:
    """The policies that apply to the Role/User/Group ``logical_id`` of a synthesized template."""
    return TemplatePrincipals(
        template, account=account, region=region, partition=partition, stack_name=stack_name,
        overrides=overrides,
    ).policies_for(logical_id)


# --------------------------------------------------------------------------------------------------
# The node process
# --------------------------------------------------------------------------------------------------


def _as_named(policies: Sequence[NamedPolicy | Mapping[str, Any]] | None, prefix: str) -> list[dict[str, Any]] | None:
    if policies is None:
        return None
    out = []
    for i, p in enumerate(policies):
        if isinstance(p, NamedPolicy):
            out.append(p.to_request())
        elif isinstance(p, Mapping) and set(p) == {"name", "policy"}:
            out.append({"name": p["name"], "policy": p["policy"]})
        elif isinstance(p, Mapping):  # a bare policy document
            out.append({"name": f"{prefix}{i}", "policy": p})
        else:
            raise TypeError(f"not a policy: {p!r}")
    return out


def _account_of(arn: str, default: str) -> str:
    parts = arn.split(":")
    if len(parts) >= 5 and re.fullmatch(r"\d{12}", parts[4]):
        return parts[4]
    return default


class Evaluator:
    """One long-lived ``node driver.cjs`` process; thread-safe; use as a context manager.

    ``strict_context=True`` makes :meth:`check` raise when iam-simulate ignores a context key
    (useful to catch a misspelled key that would otherwise be treated as absent).
    """

    def __init__(self, *, node: str | None = None, timeout: float = 60.0, strict_context: bool = False):
        from .project_node import node_executable

        self.node = node or node_executable()
        if not self.node:
            raise EvaluatorUnavailable("node is not on PATH")
        module = PROJECT_DIR / "node_modules" / "@cloud-copilot" / "iam-simulate" / "package.json"
        if not module.is_file():
            raise EvaluatorUnavailable(f"{module} is missing: run `bash scripts/setup.sh`")
        self.timeout = timeout
        self.strict_context = strict_context
        self._lock = threading.Lock()
        self._buffer = b""
        self._next_id = 0
        self._stderr = tempfile.TemporaryFile()
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [self.node, str(DRIVER)],
            cwd=str(PROJECT_DIR),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            bufsize=0,
            env=dict(os.environ),
        )

    # ---- process plumbing ------------------------------------------------------------------------

    def __enter__(self) -> "Evaluator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # best effort
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()
            self._stderr.close()

    def _stderr_tail(self) -> str:
        try:
            self._stderr.seek(0)
            return self._stderr.read()[-4000:].decode(errors="replace")
        except Exception:
            return ""

    def _read_line(self) -> bytes:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([fd], [], [], self.timeout)
            if not ready:
                raise EvaluationError(f"iam-simulate driver did not answer within {self.timeout}s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EvaluationError(f"iam-simulate driver exited: {self._stderr_tail()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _roundtrip(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send requests (pipelined: written by a thread while answers are read) and collect answers."""
        with self._lock:
            if self._proc is None:
                raise EvaluationError("evaluator is closed")
            for req in requests:
                req["id"] = self._next_id
                self._next_id += 1
            payload = b"".join(json.dumps(r).encode() + b"\n" for r in requests)
            stdin = self._proc.stdin
            assert stdin is not None
            write_error: list[BaseException] = []

            def write() -> None:
                try:
                    stdin.write(payload)
                    stdin.flush()
                except BaseException as e:  # reported below
                    write_error.append(e)

            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            answers = []
            try:
                for req in requests:
                    answer = json.loads(self._read_line())
                    if answer.get("id") != req["id"]:
                        raise EvaluationError(f"driver answered out of order: {answer} for {req['id']}")
                    answers.append(answer)
            finally:
                writer.join(self.timeout)
            if write_error:
                raise EvaluationError(f"could not write to driver: {write_error[0]}: {self._stderr_tail()}")
            return answers

    # ---- evaluation ------------------------------------------------------------------------------

    @staticmethod
    def build_request(
        *,
        identity_policies: Sequence[NamedPolicy | Mapping[str, Any]],
        action: str,
        resource: str,
        principal: str,
        account_id: str | None = None,
        context: Mapping[str, str | Sequence[str]] | None = None,
        permission_boundaries: Sequence[NamedPolicy | Mapping[str, Any]] | None = None,
        resource_policy: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        principal_account = _account_of(principal, DEFAULT_ACCOUNT)
        return {
            "identityPolicies": _as_named(identity_policies, "identity-"),
            "permissionBoundaries": _as_named(permission_boundaries, "boundary-"),
            "resourcePolicy": resource_policy,
            "action": action,
            "resource": resource,
            "accountId": account_id or _account_of(resource, principal_account),
            "principal": principal,
            "contextVariables": {k: (v if isinstance(v, str) else list(v)) for k, v in (context or {}).items()},
        }

    @staticmethod
    def _to_result(answer: Mapping[str, Any], request: Mapping[str, Any]) -> EvaluationResult:
        if answer.get("errors") or answer.get("result") not in ("Allowed", "ExplicitlyDenied", "ImplicitlyDenied"):
            errors = answer.get("errors")
            message = (errors or {}).get("message", "unknown error") if isinstance(errors, dict) else str(errors)
            raise EvaluationError(
                f"iam-simulate could not evaluate {request['action']} on {request['resource']}: {message}"
                f" {json.dumps(errors)[:2000]}",
                errors,
                request,
            )
        return EvaluationResult(
            result=answer["result"],
            unsafe=bool(answer.get("unsafe")),
            ignored_context_keys=tuple(answer.get("ignoredContextKeys") or ()),
            result_type=answer.get("resultType", ""),
            raw=dict(answer),
        )

    def evaluate(self, **request: Any) -> EvaluationResult:
        """Evaluate one request; keyword arguments as :meth:`build_request`. Raises EvaluationError."""
        req = self.build_request(**request)
        return self._to_result(self._roundtrip([req])[0], req)

    def evaluate_many(self, requests: Sequence[Mapping[str, Any]]) -> list[EvaluationResult]:
        """Evaluate many requests (each a :meth:`build_request` kwargs dict) in one pipelined batch."""
        reqs = [self.build_request(**r) for r in requests]
        return [self._to_result(a, r) for a, r in zip(self._roundtrip(reqs), reqs)]

    def check_result(
        self,
        principal: PrincipalPolicies,
        action: str,
        resource: str,
        context: Mapping[str, str | Sequence[str]] | None = None,
        *,
        strict_context: bool | None = None,
    ) -> EvaluationResult:
        """Full result for ``principal``; ``strict_context`` overrides the evaluator's default."""
        result = self.evaluate(
            identity_policies=principal.identity_policies,
            permission_boundaries=principal.permissions_boundary,
            action=action,
            resource=resource,
            principal=principal.principal_arn,
            context=context,
        )
        strict = self.strict_context if strict_context is None else strict_context
        if strict and result.ignored_context_keys:
            raise EvaluationError(
                f"iam-simulate ignored context keys {list(result.ignored_context_keys)} for {action}"
                f" on {resource} (not applicable to this action/resource)",
                {"ignoredContextKeys": list(result.ignored_context_keys)},
            )
        return result

    def check(
        self,
        principal: PrincipalPolicies,
        action: str,
        resource: str,
        context: Mapping[str, str | Sequence[str]] | None = None,
        *,
        strict_context: bool | None = None,
    ) -> Decision:
        """"Allowed", "ExplicitlyDenied" or "ImplicitlyDenied" for ``principal`` doing ``action``."""
        return self.check_result(principal, action, resource, context, strict_context=strict_context).result


class TemplateEvaluator:
    """Decisions for the principals of one synthesized template."""

    #: Principal used by :meth:`decide_with` (a role created outside our template).
    EXTERNAL_ROLE_NAME = "test-external-role"

    def __init__(
        self,
        template: Mapping[str, Any],
        evaluator: Evaluator,
        *,
        account: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        partition: str = DEFAULT_PARTITION,
        stack_name: str = DEFAULT_STACK_NAME,
        overrides: Mapping[str, Any] | None = None,
    ):
        self.principals = TemplatePrincipals(
            template, account=account, region=region, partition=partition, stack_name=stack_name,
            overrides=overrides,
        )
        self.evaluator = evaluator

    def policies(self, logical_id: str) -> PrincipalPolicies:
        return self.principals.policies_for(logical_id)

    def resolve(self, value: Any) -> Any:
        return self.principals.resolve(value)

    def result(self, logical_id: str, action: str, resource: str,
               context: Mapping[str, str | Sequence[str]] | None = None) -> EvaluationResult:
        return self.evaluator.check_result(self.policies(logical_id), action, resource, context)

    def decide(self, logical_id: str, action: str, resource: str,
               context: Mapping[str, str | Sequence[str]] | None = None) -> Decision:
        return self.evaluator.check(self.policies(logical_id), action, resource, context)

    def allowed(self, logical_id: str, action: str, resource: str,
                context: Mapping[str, str | Sequence[str]] | None = None) -> bool:
        return self.decide(logical_id, action, resource, context) == "Allowed"

    def external_role(
        self,
        policies: Sequence[Mapping[str, Any]],
        boundary: Sequence[Mapping[str, Any]] | None = None,
        *,
        role_name: str | None = None,
    ) -> PrincipalPolicies:
        """A role made by someone else: its identity policies and boundary given as (unresolved or
        concrete) documents; intrinsics in them are resolved against this template."""
        p = self.principals
        name = role_name or self.EXTERNAL_ROLE_NAME
        arn = f"arn:{p.partition}:iam::{p.account}:role/{name}"
        return PrincipalPolicies(
            logical_id=name, kind="external", name=name, arn=arn, principal_arn=arn, account=p.account,
            identity_policies=tuple(
                NamedPolicy(f"external-{i}", p.resolve(doc), "decide_with") for i, doc in enumerate(policies)
            ),
            permissions_boundary=None if boundary is None else tuple(
                NamedPolicy(f"boundary-{i}", p.resolve(doc), "decide_with") for i, doc in enumerate(boundary)
            ),
        )

    def decide_with(
        self,
        policies: Sequence[Mapping[str, Any]],
        boundary: Sequence[Mapping[str, Any]] | None,
        action: str,
        resource: str,
        context: Mapping[str, str | Sequence[str]] | None = None,
    ) -> Decision:
        """Decision for a role created by someone else with ``policies`` and boundary ``boundary``."""
        return self.evaluator.check(self.external_role(policies, boundary), action, resource, context)
