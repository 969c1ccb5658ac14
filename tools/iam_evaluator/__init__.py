"""Test/dev-only IAM policy evaluator for synthesized CloudFormation templates.

Every Allow/Deny decision is made by ``@cloud-copilot/iam-simulate`` (a node library, AGPL, test
tooling only: it is never shipped in ``medialive_iam_constructs``). This module only

* resolves, from a synthesized template, which policy documents apply to a group, user or role
  (inline, customer managed, AWS managed, group membership, permissions boundary), resolving the
  CloudFormation intrinsics in them to concrete values for a fixed test account/region/partition;
* talks to one long-lived ``node tools/iam_evaluator/driver.cjs`` process (one JSON line per request).

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
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

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
PROJECT_DIR = PACKAGE_DIR.parent.parent
DRIVER = PACKAGE_DIR / "driver.cjs"

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

from medialive_iam_constructs.principals import (  # noqa: E402 - the one template reader, shared with the package
    DEFAULT_ACCOUNT,
    DEFAULT_PARTITION,
    DEFAULT_REGION,
    DEFAULT_STACK_NAME,
    NamedPolicy,
    PrincipalPolicies,
    TemplatePrincipals,
    TemplateResolutionError,
    aws_managed_policy,
    principal_policies,
)


class EvaluatorUnavailable(RuntimeError):
    """node or the iam-simulate node module is missing (run ``bash scripts/setup.sh``)."""


class EvaluationError(RuntimeError):
    """iam-simulate refused to evaluate the request (unknown action, invalid policy, bad ARN...)."""

    def __init__(self, message: str, errors: Any = None, request: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.errors = errors
        self.request = request


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
