"""MediaLiveConsoleUsers: users that move between operator groups in place, and what an attacker cannot do with it.

The moves themselves are deployed on LocalStack by tests/test_tools_localdeploy_day2.py; here the template and the IAM
evaluator (account 111122223333).
"""

from __future__ import annotations

import pytest

from tools.iam_evaluator import TemplateEvaluator
from medialive_iam_constructs import (
    MediaLiveConsoleUsers, MediaLiveIamError, MediaLiveOperatorGroup, OperatorTier, RestrictedAdmin,
)
from tests.helpers import new_stack, template_of

ARN = "arn:aws:iam::111122223333:"


def _app(users_of, *, path: str = "/"):
    """BASIC, READ_WRITE, the restricted administrator and MediaLiveConsoleUsers(users=users_of(groups, admin))."""
    app, stack = new_stack("Test")
    basic = MediaLiveOperatorGroup(stack, "Basic", tier=OperatorTier.BASIC, group_name="OpsBasic")
    rw = MediaLiveOperatorGroup(stack, "ReadWrite", tier=OperatorTier.READ_WRITE, group_name="OpsReadWrite",
                                pass_roles_by_path="/medialive/")
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[basic, rw])
    users = MediaLiveConsoleUsers(stack, "ConsoleUsers", users=users_of({"basic": basic, "rw": rw}, admin), path=path)
    return stack, users, admin


def _logical_ids(stack, users: MediaLiveConsoleUsers) -> dict[str, tuple[str, str]]:
    return {name: (stack.get_logical_id(u.node.default_child),
                   stack.get_logical_id(users.initial_password_secrets[name].node.default_child))
            for name, u in users.users.items()}


def test_a_move_between_operator_groups_keeps_the_user_and_its_secret():
    s1, u1, _ = _app(lambda g, a: {"alice": g["basic"], "carol": g["rw"]})
    s2, u2, _ = _app(lambda g, a: {"alice": g["rw"], "carol": g["rw"]})
    assert _logical_ids(s1, u1) == _logical_ids(s2, u2)
    t1, t2 = template_of(s1)["Resources"], template_of(s2)["Resources"]
    alice = _logical_ids(s1, u1)["alice"][0]
    assert {k for k in t1.keys() | t2.keys() if t1.get(k) != t2.get(k)} == {alice}
    assert t1[alice]["Properties"]["LoginProfile"] == t2[alice]["Properties"]["LoginProfile"]


def test_promotion_to_administrator_is_never_in_place():
    """An in-place promotion would keep what the administrators could set on the operator user (a password they
    know, access keys, groups: A2-A4) on an administrator they can no longer see (attacker's review, F2)."""
    s1, u1, _ = _app(lambda g, a: {"alice": g["basic"]})
    s2, u2, admin = _app(lambda g, a: {"alice": a})
    before, after = _logical_ids(s1, u1)["alice"], _logical_ids(s2, u2)["alice"]
    assert before[0] != after[0] and before[1] != after[1], (before, after)
    props = template_of(s2)["Resources"][after[0]]["Properties"]
    assert props["Path"] == admin.console_user_path != admin.user_path


@pytest.mark.parametrize("path", ["/", "/medialive/", "/medialive/trusted-entity/"])
def test_the_administrator_cannot_change_what_console_users_may_do(iam_evaluator, path):
    """Whatever ``path`` (the last is the administrator's policy_path, where A6 lets it write policies): the
    administrator can neither edit the users' own group (PasswordChange) nor any policy that group holds
    (attacker's review, F1: with a managed policy under policy_path it could rewrite it to Action "*")."""
    stack, users, admin = _app(lambda g, a: {"alice": g["basic"], "dan": a}, path=path)
    template = template_of(stack)
    te = TemplateEvaluator(template, iam_evaluator)
    group_lid = stack.get_logical_id(users.password_change_group.node.default_child)
    admin_lid = stack.get_logical_id(admin.group.node.default_child)
    group_arn = te.principals.arn_of(group_lid)
    requests = [(f"iam:{a}", group_arn) for a in (
        "AddUserToGroup", "RemoveUserFromGroup", "AttachGroupPolicy", "DetachGroupPolicy", "PutGroupPolicy",
        "DeleteGroupPolicy", "UpdateGroup", "DeleteGroup")]
    held = [lid for lid, r in template["Resources"].items() if r["Type"] == "AWS::IAM::ManagedPolicy"
            and {"Ref": group_lid} in r["Properties"].get("Groups", [])]
    held_arns = [te.resolve({"Ref": lid}) for lid in held]
    requests += [(f"iam:{a}", arn) for arn in held_arns for a in (
        "CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion", "DeletePolicy")]
    decisions = {(a, r): te.decide(admin_lid, a, r, {"aws:username": "mallory"}) for a, r in requests}
    assert {k: d for k, d in decisions.items() if d == "Allowed"} == {}
    assert len(decisions) == 8 + 4 * len(held_arns)
    # the A9 policy is inline on the group: no managed policy at all, so none under a path the admin writes
    assert held == [] and any(r["Type"] == "AWS::IAM::Policy" and {"Ref": group_lid} in r["Properties"]["Groups"]
                              for r in template["Resources"].values())


def test_a9_lets_each_user_change_only_its_own_password(iam_evaluator):
    stack, users, _ = _app(lambda g, a: {"alice": g["basic"], "carol": g["rw"], "dan": a})
    te = TemplateEvaluator(template_of(stack), iam_evaluator)
    group = stack.get_logical_id(users.password_change_group.node.default_child)
    arn = {n: te.principals.arn_of(stack.get_logical_id(u.node.default_child)) for n, u in users.users.items()}
    for me in arn:
        for whose in arn:
            want = "Allowed" if me == whose else "ImplicitlyDenied"
            assert te.decide(group, "iam:ChangePassword", arn[whose], {"aws:username": me}) == want, (me, whose)
        assert te.decide(group, "iam:GetAccountPasswordPolicy", "*", {"aws:username": me}) == "Allowed"
        assert te.decide(group, "iam:UpdateAccountPasswordPolicy", "*", {"aws:username": me}) == "ImplicitlyDenied"


def test_bad_users_fail_at_synth_naming_the_prop():
    with pytest.raises(MediaLiveIamError, match=r"ConsoleUsers \(MediaLiveConsoleUsers\): users: .* is not a mapping"):
        _app(lambda g, a: ["alice"])
    with pytest.raises(MediaLiveIamError, match=r"users\['alice'\]: .* is not a MediaLiveOperatorGroup or RestrictedAdmin"):
        _app(lambda g, a: {"alice": g["basic"].group})
    with pytest.raises(MediaLiveIamError, match=r"users: a user name is given twice"):
        _app(lambda g, a: {"alice": g["basic"], "Alice": g["rw"]})
    with pytest.raises(MediaLiveIamError, match=r"users: .*bad name"):
        _app(lambda g, a: {"bad name": g["basic"]})
    with pytest.raises(MediaLiveIamError, match=r"path"):
        _app(lambda g, a: {"alice": g["basic"]}, path="no-slashes")


def test_no_users_create_nothing():
    stack, users, _ = _app(lambda g, a: {})
    assert users.users == {} and users.password_change_group is None and users.password_encryption_key is None
    assert not [k for k in template_of(stack)["Resources"] if k.startswith("ConsoleUsers")]


def test_add_members_adds_users_creates_console_users_or_acknowledges_an_empty_group():
    """``_console_users.add_members``: what both constructs do with ``users`` and ``console_users``."""
    from aws_cdk import aws_iam as iam

    from medialive_iam_constructs._console_users import add_members

    def acked(group: iam.Group) -> dict:
        return {k: v for m in group.node.metadata if m.type == "aws:cdk:acknowledged-rules" for k, v in m.data.items()}

    _, stack = new_stack()
    with_user, empty, with_console = (iam.Group(stack, name) for name in ("WithUser", "Empty", "WithConsole"))
    user = iam.User(stack, "Alice")
    assert add_members(stack, with_user, [user], [], "/ops/", None, ("S2",), empty_reason="nobody") == ((), {}, None)
    assert acked(with_user) == {}
    assert add_members(stack, empty, [], [], "/ops/", None, ("S2",), empty_reason="after deploy (A4)") == ((), {}, None)
    assert acked(empty) == {"Annotation::HIPAA.Security-IAMGroupHasUsers": "after deploy (A4)",
                            "Annotation::PCI.DSS.321-IAMGroupHasUsers": "after deploy (A4)"}
    users, secrets, key = add_members(stack, with_console, [], ["carol"], "/ops/", None, ("S2",), empty_reason="x")
    assert [u.node.id for u in users] == ["User-carol"] and set(secrets) == {"carol"} and key is not None
    assert acked(with_console) == {}
    resources = template_of(stack)["Resources"]
    groups_of = {stack.get_logical_id(u.node.default_child): resources[stack.get_logical_id(u.node.default_child)]
                 ["Properties"]["Groups"] for u in (user, *users)}
    assert list(groups_of.values()) == [[{"Ref": stack.get_logical_id(g.node.default_child)}]
                                        for g in (with_user, with_console)]
