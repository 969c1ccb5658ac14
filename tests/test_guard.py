"""medialive_iam_constructs/guard.py: ``MediaLiveIamGuard`` reports, as annotations on the construct concerned,

* errors (with a ``RestrictedAdmin`` in the app) for a role MediaLive may assume that lacks the administrator's
  permissions boundary or lies outside its ``role_path``, the simple option's console role exempt;
* warnings for grants to the library's principals outside the catalog (an inline or other managed policy, an
  extra managed policy ARN), the row-S32 ``iam:PassRole`` statement exempt;

each with its negative neighbour. (tests/test_validation_at_synth.py checks that three such cases are reported at all;
tests/test_cdk_conventions.py the warning for ``bucket.grant_read(role)``.)"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match

from medialive_iam_constructs import (
    MediaLiveAccessRole,
    MediaLiveOperatorGroup,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
    RestrictedAdmin,
)
from medialive_iam_constructs.guard import MediaLiveIamGuard
from tests.helpers import new_stack

MEDIALIVE = iam.ServicePrincipal("medialive.amazonaws.com")


def _with_admin(stack: cdk.Stack):
    """A boundary, a role that carries it, an operator group passing the role and a restricted administrator."""
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    news = MediaLiveTrustedRole(stack, "News", permissions_boundary=boundary)
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[news])
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops], permissions_boundary=boundary)
    return boundary, news, ops, admin


def _guarded(app: cdk.App, stack: cdk.Stack) -> dict[str, list[tuple[str, str]]]:
    """Register the guard and synthesize: the guard's annotations, ``{"error"|"warning": [(path, text)]}``."""
    returned = MediaLiveIamGuard.register(app)
    assert isinstance(returned, MediaLiveIamGuard)
    found = Annotations.from_stack(stack)
    return {level: [(m.id, str(m.entry.data)) for m in finder("*", Match.string_like_regexp("medialive-iam-guard"))]
            for level, finder in (("error", found.find_error), ("warning", found.find_warning))}


# --- errors: MediaLive roles the restricted administrator cannot maintain -------------------------------------------

def test_a_medialive_role_without_the_boundary_is_an_error_on_that_role_only():
    app, stack = new_stack()
    _with_admin(stack)
    MediaLiveTrustedRole(stack, "Sports")  # no permissions_boundary
    report = _guarded(app, stack)
    assert report["warning"] == []
    ((path, text),) = report["error"]  # News carries the boundary: no error on it
    assert path == "/Test/Sports"
    assert "the MediaLive role Test/Sports (trusts medialive.amazonaws.com) does not carry the permissions boundary " \
           "of the restricted administrator (Test/Admin)" in text
    assert "Fix: give it permissions_boundary= the administrator's boundary" in text


def test_a_plain_medialive_role_outside_the_role_path_is_an_error_on_the_role():
    app, stack = new_stack()
    boundary, *_ = _with_admin(stack)
    iam.Role(stack, "Hand", assumed_by=MEDIALIVE, path="/teams/", permissions_boundary=boundary.policy)
    iam.Role(stack, "Kept", assumed_by=MEDIALIVE, path="/medialive/workflows/", permissions_boundary=boundary.policy)
    ((path, text),) = _guarded(app, stack)["error"]  # Kept: under the role path, with the boundary
    assert path == "/Test/Hand"
    assert ("the MediaLive role Test/Hand has path '/teams/', outside the restricted administrator's role_path "
            "'/medialive/'") in text
    assert "Fix: create it with path='/medialive/'" in text


def test_a_role_path_of_the_administrator_is_the_one_named():
    app, stack = new_stack()
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    RestrictedAdmin(stack, "Admin", operator_groups=[ops], permissions_boundary=boundary, role_path="/media/")
    MediaLiveTrustedRole(stack, "News", permissions_boundary=boundary, path="/media/live/")
    MediaLiveTrustedRole(stack, "Sports", permissions_boundary=boundary)  # default path /medialive/
    ((path, text),) = _guarded(app, stack)["error"]
    assert path == "/Test/Sports" and "role_path '/media/'" in text and "path='/media/'" in text


def test_without_a_restricted_administrator_no_role_is_an_error():
    app, stack = new_stack()
    MediaLiveTrustedRole(stack, "Sports")
    iam.Role(stack, "Hand", assumed_by=MEDIALIVE, path="/teams/")
    assert _guarded(app, stack) == {"error": [], "warning": []}


def test_the_console_role_and_roles_medialive_cannot_assume_are_exempt():
    app, stack = new_stack()
    _with_admin(stack)
    MediaLiveAccessRole(stack, "Access")  # no boundary, path '/': the administrator is denied every write on it
    iam.Role(stack, "Ec2", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"), path="/teams/")
    assert _guarded(app, stack) == {"error": [], "warning": []}


# --- warnings: grants outside the catalog ----------------------------------------------------------------------------

def test_an_extra_managed_policy_arn_on_an_operator_group_is_a_warning_on_the_group():
    app, stack = new_stack()
    _, _, ops, _ = _with_admin(stack)
    ops.group.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess"))
    ops.group.add_managed_policy(ops.managed_policies[0])  # the construct's own policy, by ARN too: the catalog's
    report = _guarded(app, stack)
    assert report["error"] == []
    ((path, text),) = report["warning"]
    assert path == "/Test/Ops"
    assert text.startswith("medialive-iam-guard: the group of Test/Ops (MediaLiveOperatorGroup) has the managed policy ")
    assert ":iam::aws:policy/ReadOnlyAccess" in text and "attached outside the catalog" in text
    assert "[ack: medialive-iam-guard:extra-managed-policy]" in text


def test_the_console_roles_own_managed_policy_is_allowed_another_is_a_warning():
    app, stack = new_stack()
    access = MediaLiveAccessRole(stack, "Access")  # attaches AmazonSSMReadOnlyAccess (T23): not reported
    access.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess"))
    ((path, text),) = _guarded(app, stack)["warning"]
    assert path == "/Test/Access"
    assert "the role of Test/Access (MediaLiveAccessRole)" in text and "policy/AdministratorAccess" in text
    assert "AmazonSSMReadOnlyAccess" not in text


def test_a_managed_policy_attached_by_other_code_is_a_warning_naming_it_and_its_statements():
    app, stack = new_stack()
    _, _, _, admin = _with_admin(stack)
    iam.ManagedPolicy(stack, "Extra", groups=[admin.group], statements=[
        iam.PolicyStatement(actions=["s3:GetObject"], resources=["arn:aws:s3:::media/*"])])
    ((path, text),) = _guarded(app, stack)["warning"]
    assert path == "/Test/Admin"
    assert ("the group of Test/Admin (RestrictedAdmin) gets statements outside the catalog from Test/Extra: Allow "
            "s3:GetObject on arn:aws:s3:::media/*.") in text
    assert "[ack: medialive-iam-guard:outside-catalog]" in text


def test_pass_role_to_medialive_is_the_catalogs_row_pass_role_to_another_service_is_not():
    app, stack = new_stack()
    _, news, ops, _ = _with_admin(stack)
    for service in ("medialive.amazonaws.com", "ec2.amazonaws.com"):
        ops.group.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=[news.role_arn],
                                                    conditions={"StringEquals": {"iam:PassedToService": service}}))
    ((path, text),) = _guarded(app, stack)["warning"]
    assert path == "/Test/Ops"
    assert "from Test/Ops/Group/DefaultPolicy: Allow iam:PassRole on " in text
    assert text.count("iam:PassRole") == 1  # the statement to MediaLive (S32's shape) is left out of the report


def test_a_clean_app_with_every_principal_has_no_guard_annotation():
    app, stack = new_stack()
    _, news, ops, _ = _with_admin(stack)
    news.grant_pass_role(ops)  # writes S32's statement into the group's DefaultPolicy: the catalog's row
    MediaLiveAccessRole(stack, "Access")
    assert _guarded(app, stack) == {"error": [], "warning": []}


def test_the_tree_is_checked_once_per_app_from_the_first_node_visited(monkeypatch):
    """Aspects visit every construct; the guard relates constructs anywhere in the app, so it checks the whole tree
    once (a check per node would cost a walk of the tree per node, quadratic in the app's size)."""
    checked: list[str] = []
    check = MediaLiveIamGuard.check
    monkeypatch.setattr(MediaLiveIamGuard, "check", lambda self, scope: checked.append(scope.node.path) or check(self, scope))
    app, stack = new_stack()
    _with_admin(stack)
    MediaLiveTrustedRole(stack, "Sports")
    report = _guarded(app, stack)
    assert checked == [""]  # the app's root, once
    assert [path for path, _ in report["error"]] == ["/Test/Sports"]
