"""``MediaLiveIamGuard``: a CDK Aspect that reports, at synth, what the constructs cannot see from inside.

Register it once for the app, next to the cdk-nag packs::

    MediaLiveIamGuard.register(app)

It reports, on the construct concerned:

* **errors** (``cdk synth`` fails) in an app that has a :class:`~medialive_iam_constructs.RestrictedAdmin`: a role
  MediaLive may assume (its trust policy names ``medialive.amazonaws.com``) that does not carry the administrator's
  permissions boundary, or that lies outside the administrator's ``role_path``. The administrator can maintain
  neither, and a role without the boundary is not capped by it. The simple option's console role
  (:class:`~medialive_iam_constructs.MediaLiveAccessRole`) is exempt: the administrator is denied every write on it
  (A8.access-role).
* **warnings** for statements added to the library's principals (the roles of ``MediaLiveTrustedRole`` and
  ``MediaLiveAccessRole``, the groups of ``MediaLiveOperatorGroup`` and ``RestrictedAdmin``) outside the catalog:
  an inline policy (``bucket.grant_read(role)`` writes the role's ``DefaultPolicy``), a managed policy attached by
  other code, or an extra managed policy ARN. Each names the principal, the policy and its statements. Such grants
  work, but nothing in ``docs/catalog.md`` or the row metadata accounts for them.
"""

from __future__ import annotations

import json
from typing import Any

import jsii
from aws_cdk import Annotations, Aspects, IAspect, Stack
from aws_cdk import aws_iam as iam
from constructs import IConstruct

from .checks import (
    EXTRA_MANAGED_POLICY, OUTSIDE_CATALOG, AdminScope, extra_managed_policy_warnings, outside_catalog_warning,
    principal_name, role_errors, trusts_medialive,
)

__all__ = ["MediaLiveIamGuard"]


@jsii.implements(IAspect)
class MediaLiveIamGuard:
    """The guard as a CDK Aspect; see the module's documentation. ``register(app)`` adds it to the app."""

    def __init__(self) -> None:
        self._done: list[IConstruct] = []

    @staticmethod
    def register(scope: IConstruct) -> "MediaLiveIamGuard":
        """Adds a guard to ``scope`` (normally the app) and returns it."""
        guard = MediaLiveIamGuard()
        Aspects.of(scope).add(guard)
        return guard

    def visit(self, node: IConstruct) -> None:
        """``IAspect.visit``: checks the whole app once, from the first construct CDK visits."""
        # Aspects visit every construct top-down; the whole tree is checked once, from the first node visited
        # (the scope the guard was added to), because the checks relate constructs anywhere in the app.
        root = node.node.root
        if any(r is root for r in self._done):  # every app's root has the same node.addr: compare the objects
            return
        self._done.append(root)
        self.check(node)

    # --- the checks ---------------------------------------------------------------------------------------

    def check(self, scope: IConstruct) -> None:
        """Runs every check on the tree under ``scope`` (what ``visit`` does once per app)."""
        from .operator_group import MediaLiveOperatorGroup
        from .restricted_admin import RestrictedAdmin
        from .trusted_role import MediaLiveAccessRole, MediaLiveTrustedRole

        # Constructs whose __init__ raised (a caught MediaLiveIamError) stay in the tree half-built: skipped.
        nodes = [n for n in scope.node.find_all()
                 if not isinstance(n, (MediaLiveOperatorGroup, RestrictedAdmin, MediaLiveTrustedRole, MediaLiveAccessRole))
                 or _complete(n)]
        admins = [n for n in nodes if isinstance(n, RestrictedAdmin)]
        console_roles = {n.role.node.default_child.node.addr for n in nodes if isinstance(n, MediaLiveAccessRole)}
        if admins:
            for cfn in (n for n in nodes if isinstance(n, iam.CfnRole)):
                if cfn.node.addr not in console_roles and _trusts_medialive(cfn):
                    self._check_role(cfn, admins)

        principals: list[tuple[Any, Any, set[str], set[str]]] = []  # (construct, L1, own policy addrs, allowed ARNs)
        for n in nodes:
            if isinstance(n, (MediaLiveTrustedRole, MediaLiveAccessRole)):
                allowed = set()
                if isinstance(n, MediaLiveAccessRole) and n.namespaces is None:
                    from .catalog.console_template import CONSOLE_TEMPLATE_MANAGED_POLICIES
                    allowed = set(CONSOLE_TEMPLATE_MANAGED_POLICIES)
                principals.append((n, n.role.node.default_child, {p.node.addr for p in n.managed_policies}, allowed))
            elif isinstance(n, (MediaLiveOperatorGroup, RestrictedAdmin)):
                principals.append((n, n.group.node.default_child, {p.node.addr for p in n.managed_policies}, set()))
        if principals:
            self._check_extra_statements(nodes, principals)

    def _check_role(self, cfn: iam.CfnRole, admins: list) -> None:
        from .trusted_role import MediaLiveTrustedRole

        stack = Stack.of(cfn)
        target = cfn.node.scope or cfn
        if isinstance(target.node.scope, MediaLiveTrustedRole):
            target = target.node.scope
        boundary = stack.resolve(cfn.permissions_boundary)
        path = cfn.path if isinstance(cfn.path, str) else "/"
        scopes = [AdminScope(a.node.path, stack.resolve(a.permissions_boundary.managed_policy_arn), a.role_path)
                  for a in admins]
        for message in role_errors(target.node.path, boundary, path, scopes):
            Annotations.of(target).add_error(message)

    def _check_extra_statements(self, nodes: list, principals: list) -> None:
        by_ref: dict[tuple[str, str], tuple[Any, Any, set[str], set[str]]] = {}
        for entry in principals:
            cfn = entry[1]
            stack = Stack.of(cfn)
            by_ref[(stack.node.addr, json.dumps(stack.resolve(cfn.ref), sort_keys=True))] = entry
        own = set().union(*(e[2] for e in principals))
        for n in nodes:
            if isinstance(n, (iam.CfnPolicy, iam.CfnManagedPolicy)):
                owner = n.node.scope
                if owner is not None and owner.node.addr in own:
                    continue
                stack = Stack.of(n)
                targets = list(stack.resolve(n.roles) or []) + list(stack.resolve(n.groups) or [])
                for t in targets:
                    entry = by_ref.get((stack.node.addr, json.dumps(t, sort_keys=True)))
                    if entry is not None:
                        self._warn(entry[0], (owner or n).node.path, stack.resolve(n.policy_document))
        for construct, cfn, _, allowed in principals:
            stack = Stack.of(cfn)
            arns = stack.resolve(cfn.managed_policy_arns) or []
            own_arns = [stack.resolve(p.managed_policy_arn) for p in construct.managed_policies]
            for message in extra_managed_policy_warnings(_principal_name(construct), arns, own_arns, allowed):
                Annotations.of(construct).add_warning_v2(EXTRA_MANAGED_POLICY, message)

    def _warn(self, construct: Any, policy_path: str, document: Any) -> None:
        message = outside_catalog_warning(_principal_name(construct), policy_path, document)
        if message is not None:
            Annotations.of(construct).add_warning_v2(OUTSIDE_CATALOG, message)


def _complete(construct: Any) -> bool:
    """Whether a library construct finished its ``__init__`` (its role or group and policies exist)."""
    try:
        construct.role if hasattr(type(construct), "role") else construct.group  # noqa: B018
        construct.managed_policies  # noqa: B018
        return True
    except AttributeError:
        return False


def _principal_name(construct: Any) -> str:
    kind = "role" if hasattr(construct, "role") and not hasattr(construct, "group") else "group"
    return principal_name(kind, construct.node.path, type(construct).__name__)


def _trusts_medialive(cfn: iam.CfnRole) -> bool:
    return trusts_medialive(Stack.of(cfn).resolve(cfn.assume_role_policy_document))

