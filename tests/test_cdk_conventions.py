"""Issue 14, item 3: the library's roles and groups work where CDK expects ``iam.IGrantable``; RestrictedAdmin
takes console users (the groups' code) and a boundary construct or IManagedPolicy."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from medialive_iam_constructs import (
    MediaLiveAccessRole,
    MediaLiveIamError,
    MediaLiveOperatorGroup,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
    RestrictedAdmin,
)
from tests.helpers import ROOT, new_stack, template_of

pytestmark = pytest.mark.invalid_template  # the grants below are deliberately outside the catalog


def _policies_of(template: dict, ref: str, key: str) -> list[dict]:
    return [r for r in template["Resources"].values()
            if r["Type"] == "AWS::IAM::Policy" and {"Ref": ref} in r["Properties"].get(key, [])]


def test_bucket_grant_read_to_the_role_constructs_synthesizes():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "News")
    console = MediaLiveAccessRole(stack, "Console")
    bucket = s3.Bucket(stack, "Bucket", enforce_ssl=True)
    assert bucket.grant_read(role).success and bucket.grant_read(console).success
    assert role.grant_principal is role.role and role.role_name == role.role.role_name
    template = template_of(stack)
    for construct in (role, console):
        ref = stack.resolve(construct.role.role_name)["Ref"]
        (policy,) = _policies_of(template, ref, "Roles")
        actions = policy["Properties"]["PolicyDocument"]["Statement"][0]["Action"]
        assert "s3:GetObject*" in actions


def test_bucket_grant_read_to_the_groups_synthesizes():
    app, stack = new_stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops])
    bucket = s3.Bucket(stack, "Bucket", enforce_ssl=True)
    bucket.grant_read(ops)
    bucket.grant_read(admin)
    assert ops.grant_principal is ops.group and admin.grant_principal is admin.group
    template = template_of(stack)
    for construct in (ops, admin):
        assert _policies_of(template, stack.resolve(construct.group.group_name)["Ref"], "Groups")


def test_grant_pass_role_takes_the_group_construct():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "News")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    role.grant_pass_role(ops)
    (policy,) = _policies_of(template_of(stack), stack.resolve(ops.group.group_name)["Ref"], "Groups")
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "iam:PassRole"
    assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "medialive.amazonaws.com"}}


def test_guard_warns_about_grants_outside_the_catalog_and_not_about_pass_role():
    from medialive_iam_constructs.guard import MediaLiveIamGuard

    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "News")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    role.grant_pass_role(ops)
    s3.Bucket(stack, "Bucket", enforce_ssl=True).grant_read(role)
    MediaLiveIamGuard.register(app)
    messages = [(m.id, m.level.name, str(m.entry.data)) for m in app.synth().get_stack_by_name("Test").messages]
    guard = [m for m in messages if "medialive-iam-guard" in m[2]]
    assert len(guard) == 1, guard
    path, level, text = guard[0]
    assert path == "/Test/News" and level == "WARNING"
    assert "the role of Test/News (MediaLiveTrustedRole)" in text and "s3:GetObject*" in text and "DefaultPolicy" in text


def test_restricted_admin_console_users():
    app, stack = new_stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops], console_users=["carol"])
    assert [u.node.id for u in admin.users] == ["User-carol"] and "carol" in admin.initial_password_secrets
    assert "A9" in admin.rows
    template = template_of(stack)
    (user,) = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::IAM::User"]
    assert user["UserName"] == "carol" and user["Path"] == "/medialive-admin/"
    assert user["LoginProfile"]["PasswordResetRequired"] is True
    with pytest.raises(MediaLiveIamError, match="console_user_path"):
        RestrictedAdmin(new_stack()[1], "Admin", operator_groups=[iam.Group(stack, "G")], console_users=["dave"],
                        console_user_path="/medialive/ops/")


def test_restricted_admin_takes_a_boundary_construct_or_a_managed_policy():
    _, stack = new_stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    construct = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    assert RestrictedAdmin(stack, "A1", operator_groups=[ops], permissions_boundary=construct, group_name="A1",
                           policy_name_prefix="A1").permissions_boundary is construct.policy
    admin = RestrictedAdmin(stack, "A2", operator_groups=[ops], permissions_boundary=construct.policy, group_name="A2",
                            policy_name_prefix="A2")
    assert admin.permissions_boundary is construct.policy and admin.boundary is None
    imported = iam.ManagedPolicy.from_managed_policy_arn(
        stack, "Imported", "arn:aws:iam::111122223333:policy/medialive-admin/Boundary")
    assert RestrictedAdmin(stack, "A3", operator_groups=[ops], permissions_boundary=imported, group_name="A3",
                           policy_name_prefix="A3").permissions_boundary is imported
    outside = iam.ManagedPolicy.from_managed_policy_arn(stack, "Outside", "arn:aws:iam::111122223333:policy/Boundary")
    with pytest.raises(MediaLiveIamError, match="outside admin_policy_path"):
        RestrictedAdmin(stack, "A4", operator_groups=[ops], permissions_boundary=outside, group_name="A4")
    # The trusted role takes the same two forms.
    MediaLiveTrustedRole(stack, "R1", permissions_boundary=construct)
    MediaLiveTrustedRole(stack, "R2", permissions_boundary=imported)


def test_stages_in_different_accounts_may_reuse_names():
    app = cdk.App()
    for name, account in (("Dev", "111111111111"), ("Prod", "222222222222")):
        stack = cdk.Stack(cdk.Stage(app, name, env=cdk.Environment(account=account, region="us-east-1")), "S")
        MediaLiveTrustedRole(stack, "News", role_name="MediaLiveNews")
    assembly = app.synth()  # the app-wide name check counts names per account: no duplicate reported
    names = [r["Properties"]["RoleName"] for stage in ("Dev", "Prod")
             for r in assembly.get_nested_assembly(f"assembly-{stage}").get_stack_by_name(f"{stage}-S").template["Resources"].values()
             if r["Type"] == "AWS::IAM::Role"]
    assert names == ["MediaLiveNews", "MediaLiveNews"]


CONSTRUCT_MODULES = ["trusted_role", "operator_group", "restricted_admin", "console_users", "_group", "_console_users"]
#: A quoted IAM action or condition key (``"medialive:StartChannel"``, ``f"aws:ResourceTag/{key}"``) or ARN; the
#: library's own annotation ids (``medialive-iam:...``) are not policy content.
POLICY_TEXT = re.compile(r"""f?["'](?!medialive-iam:)(?:arn:|[a-z0-9-]+:[A-Za-z*{$])""")


@pytest.mark.parametrize("module", CONSTRUCT_MODULES)
def test_constructs_spell_no_action_condition_key_or_arn(module):
    """A construct validates, converts and composes catalog rows: actions, condition keys and ARNs are spelled in
    the catalog, statements.py and converters.py only (docs/architecture.md). Failed before issue 22 for
    trusted_role (the trust policy's aws:SourceAccount, s3:prefix, ec2:Subnet) and operator_group (the tag scope's
    aws:ResourceTag)."""
    source = (ROOT / "medialive_iam_constructs" / f"{module}.py").read_text()
    assert POLICY_TEXT.findall(source) == []
