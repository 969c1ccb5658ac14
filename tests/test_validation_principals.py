"""The validators of ``validation.py`` that the operator groups and the restricted administrator share (section
``principals and channels``): each alone, on a bare construct, with the message a construct raises."""

from __future__ import annotations

import re

import pytest
from aws_cdk import Token
from aws_cdk import aws_iam as iam
from constructs import Construct

from medialive_iam_constructs import MediaLiveIamError, MediaLiveNamespaces
from medialive_iam_constructs import validation as v
from medialive_iam_constructs.catalog.opt_ins import BY_PROP
from medialive_iam_constructs.catalog.tiers import OperatorTier, TrustedEntityOption
from medialive_iam_constructs.statements import Statement
from tests.helpers import ACCOUNT, new_stack

B, RW, ADV = OperatorTier.BASIC, OperatorTier.READ_WRITE, OperatorTier.ADVANCED
COMPLEX, SIMPLE = TrustedEntityOption.COMPLEX, TrustedEntityOption.SIMPLE
NO_OPT_INS = {"workflow_wizard": False, "simple_role_write_equals_iam_admin": False, "medialive_anywhere": False,
              "workflow_monitor_deploy": False, "allow_device_transfer": False}
ROLE = f"arn:aws:iam::{ACCOUNT}:role/medialive/News"


@pytest.fixture()
def scope():
    _, stack = new_stack()
    return Construct(stack, "X")


def raises(prop: str, problem: str):
    """The MediaLiveIamError of ``scope`` for ``prop`` whose problem contains ``problem``."""
    return pytest.raises(MediaLiveIamError, match=rf"^Test/X \(Construct\): {re.escape(prop)}: .*{re.escape(problem)}")


# --- lists, contradictions, dedicated paths -------------------------------------------------------------------

def test_check_list_refuses_a_string(scope):
    with pytest.raises(MediaLiveIamError) as err:
        v.check_list(scope, "channel_arns", "arn:x")
    assert str(err.value) == ("Test/X (Construct): channel_arns: 'arn:x' is a string, not a list. "
                              "Fix: write channel_arns=['arn:x']")
    v.check_list(scope, "channel_arns", ["arn:x"])
    v.check_list(scope, "channel_arns", ())


def test_check_exclusive(scope):
    with raises("channel_tag", "both given"):
        v.check_exclusive(scope, "channel_tag", ("a", "b"), ("c", "d"), problem="both given", fix="give one")
    for value, other in ((None, ("c", "d")), (("a", "b"), None), (None, None)):
        v.check_exclusive(scope, "channel_tag", value, other, problem="both given", fix="give one")


@pytest.mark.parametrize("value", ["/", "/media*/", "/medi?/"])
def test_check_dedicated_path_refuses_the_root_and_patterns(scope, value):
    with pytest.raises(MediaLiveIamError) as err:
        v.check_dedicated_path(scope, "role_path", value, would="reach every role", fix="give '/medialive/'")
    assert err.value.problem == f"{value!r} would reach every role" and err.value.fix == "give '/medialive/'"


def test_check_dedicated_path_takes_a_dedicated_path_and_a_token(scope):
    v.check_dedicated_path(scope, "role_path", "/medialive/", would="x", fix="y")
    v.check_dedicated_path(scope, "role_path", Token.as_string({"Ref": "Path"}), would="x", fix="y")


# --- parameter path, notification endpoints, stack prefixes (both constructs) -------------------------------

def test_check_parameter_path(scope):
    with raises("parameter_path", "'/' would scope the password parameters (S41) to every parameter of the account"):
        v.check_parameter_path(scope, "parameter_path", "/")
    with raises("parameter_path", "must start and end with '/'"):
        v.check_parameter_path(scope, "parameter_path", "medialive")
    v.check_parameter_path(scope, "parameter_path", "/medialive/news/")
    v.check_parameter_path(scope, "parameter_path", Token.as_string({"Ref": "Path"}))


@pytest.mark.parametrize("endpoints,problem", [
    ("https://hooks.example.com/", "is a string, not a list"),
    ([Token.as_string({"Ref": "Hook"})], "is known only at deploy"),
    (["*"], "would allow subscriptions to any endpoint"),
    (["  "], "would allow subscriptions to any endpoint"),
    (["https://hooks.example.com*"], "leaves the host open"),
    (["https://hooks.example.com"], "leaves the host open"),
    (["*@example.com"], "is a pattern that is not an https URL"),
])
def test_check_notification_endpoints_refuses(scope, endpoints, problem):
    with raises("notification_endpoints", problem):
        v.check_notification_endpoints(scope, "notification_endpoints", endpoints)


def test_check_notification_endpoints_takes_fixed_hosts_and_addresses(scope):
    v.check_notification_endpoints(scope, "notification_endpoints",
                                   ["https://hooks.example.com/*", "alerts@example.com", "https://h.example.com/a"])
    v.check_notification_endpoints(scope, "notification_endpoints", [])


def test_check_operator_props_checks_each_prop(scope):
    ok = dict(parameter_path="/medialive/", notification_prefix="medialive", notification_endpoints=())
    v.check_operator_props(scope, **ok)
    with raises("parameter_path", "'/' would scope"):
        v.check_operator_props(scope, **{**ok, "parameter_path": "/"})
    with raises("notification_prefix", "contains a wildcard"):
        v.check_operator_props(scope, **{**ok, "notification_prefix": "media*"})
    with raises("notification_endpoints", "is a string"):
        v.check_operator_props(scope, **{**ok, "notification_endpoints": "a@example.com"})


OPERATOR_PROPS = dict(parameter_path="/medialive/", notification_prefix="medialive", notification_endpoints=[])


def test_check_operator_props_the_root_parameter_path_fails_its_neighbour_passes(scope):
    with pytest.raises(MediaLiveIamError) as info:
        v.check_operator_props(scope, **{**OPERATOR_PROPS, "parameter_path": "/"})
    assert info.value.prop == "parameter_path" and "every parameter of the account" in info.value.problem
    assert "'/medialive/'" in info.value.fix
    assert v.check_operator_props(scope, **{**OPERATOR_PROPS, "parameter_path": "/m/"}) is None


def test_check_operator_props_endpoints_given_as_one_string_fail_with_the_list_to_write(scope):
    with pytest.raises(MediaLiveIamError) as info:
        v.check_operator_props(scope, **{**OPERATOR_PROPS, "notification_endpoints": "alerts@example.com"})
    assert info.value.prop == "notification_endpoints" and "is a string, not a list" in info.value.problem
    assert info.value.fix == "write notification_endpoints=['alerts@example.com']"
    assert v.check_operator_props(scope, **{**OPERATOR_PROPS, "notification_endpoints": ["alerts@example.com"]}) is None


@pytest.mark.parametrize("endpoint", ["", "   ", "*", "?*", None])
def test_check_notification_endpoints_an_endpoint_that_matches_anything_fails(scope, endpoint):
    with pytest.raises(MediaLiveIamError) as info:
        v.check_notification_endpoints(scope, "notification_endpoints", [endpoint])
    assert info.value.prop == "notification_endpoints"
    assert info.value.problem == f"{endpoint!r} would allow subscriptions to any endpoint"


@pytest.mark.parametrize("endpoint,problem,neighbour", [
    ("https://hooks.example.com", "leaves the host open", "https://hooks.example.com/"),
    ("https://hooks.example.co?/x", "leaves the host open", "https://hooks.example.co/?"),
    ("alert?@example.com", "is a pattern that is not an https URL", "alerts@example.com"),
])
def test_check_notification_endpoints_a_pattern_that_reaches_other_hosts_fails_its_fixed_host_neighbour_passes(
        scope, endpoint, problem, neighbour):
    with pytest.raises(MediaLiveIamError) as info:
        v.check_notification_endpoints(scope, "notification_endpoints", [endpoint])
    assert info.value.problem.startswith(f"{endpoint!r} {problem}")
    assert "(sns:Endpoint is matched as text)" in info.value.problem
    assert v.check_notification_endpoints(scope, "notification_endpoints", [neighbour]) is None


def test_check_notification_endpoints_checks_every_endpoint_not_only_the_first(scope):
    with pytest.raises(MediaLiveIamError, match=r"'\*@example.com' is a pattern"):
        v.check_notification_endpoints(scope, "notification_endpoints", ["alerts@example.com", "*@example.com"])


@pytest.mark.parametrize("prefix,problem", [
    ("", "an empty prefix would reach every stack of the account"),
    ("Media*", "'Media*' contains a wildcard or separator"),
    ("a/b", "contains a wildcard or separator"),
    ("CDK", "also matches the stack 'CDKToolkit'"),
    ("Te", "or this app's stack 'Test'"),
    ("stackset-x", "overlaps 'StackSet-'"),
    ("Stack", "overlaps 'StackSet-'"),
])
def test_check_stack_prefix_refuses(scope, prefix, problem):
    with raises("workflow_wizard_stack_prefix", problem):
        v.check_stack_prefix(scope, BY_PROP["workflow_wizard"], prefix)


def test_check_stack_prefix_needs_a_prefix_where_aws_documents_none(scope):
    monitor = BY_PROP["workflow_monitor_deploy"]
    with raises("workflow_monitor_stack_prefix", "workflow_monitor_deploy=True needs the name prefix"):
        v.check_stack_prefix(scope, monitor, None)
    with pytest.raises(MediaLiveIamError, match="as a first deployment names them"):
        v.check_stack_prefix(scope, monitor, "CDKT")
    with pytest.raises(MediaLiveIamError, match="e.g. 'MediaLiveWorkflow-'"):
        v.check_stack_prefix(scope, BY_PROP["workflow_wizard"], "CDKT")
    v.check_stack_prefix(scope, monitor, "MediaLiveMonitor-")


# --- tag scoping -------------------------------------------------------------------------------------------

def test_check_tag_scope(scope):
    off = {"allow_batch_operations": False, "mediapackage_channel_listing": False}
    assert v.check_tag_scope(scope, None, None, off) is None
    assert v.check_tag_scope(scope, ("Team", "news"), None, off) == ("resource_tag", ("Team", "news"))
    assert v.check_tag_scope(scope, None, ("Team", "news"), off) == ("channel_tag", ("Team", "news"))
    with raises("channel_tag", "both resource_tag and channel_tag are given"):
        v.check_tag_scope(scope, ("Team", "news"), ("Team", "news"), off)
    for prop in off:
        with raises(prop, "given without tag scoping"):
            v.check_tag_scope(scope, None, None, {**off, prop: True})
        assert v.check_tag_scope(scope, ("Team", "news"), None, {**off, prop: True}) is not None


def test_check_tag_pair(scope):
    assert v.check_tag_pair(scope, "resource_tag", ("Team", "news")) == ("Team", "news")
    for bad in ("Team", ("Team",), ("a", "b", "c")):
        with raises("resource_tag", "is not a (key, value) pair"):
            v.check_tag_pair(scope, "resource_tag", bad)
    with raises("channel_tag", "tag key 'aws:x' is not a valid tag key"):
        v.check_tag_pair(scope, "channel_tag", ("aws:x", "news"))


# --- rows ---------------------------------------------------------------------------------------------------

def test_check_row_ids_expands_base_ids(scope):
    ids = v.check_row_ids(scope, "rows", ["S3", "S2", "S3.run"])
    assert set(ids[:2]) == {"S3.run", "S3.delete"} and ids[2:] == ("S2",)
    assert v.check_row_ids(scope, "rows", ["S2", "S2"]) == ("S2",) and v.check_row_ids(scope, "rows", []) == ()


@pytest.mark.parametrize("ids,prop,problem", [
    ("S1", "rows", "'S1' is a string, not a list of row ids"),
    (["S99"], "add_rows", "unknown catalog row 'S99'"),
    (["A1"], "rows", "row A1 belongs to the admin table, not to non-administrator users"),
    (["T5"], "remove_rows", "row T5 belongs to the trusted table"),
])
def test_check_row_ids_refuses(scope, ids, prop, problem):
    with raises(prop, problem):
        v.check_row_ids(scope, prop, ids)


def _rows(scope, tier=B, option=COMPLEX, rows=(), add_rows=(), remove_rows=(), **opted):
    v.check_group_rows(scope, tier, option, rows=rows, add_rows=add_rows, remove_rows=remove_rows,
                       opted={**NO_OPT_INS, **opted})


@pytest.mark.parametrize("kw,prop,problem", [
    (dict(rows=["S2"]), "rows", "rows are given together with tier BASIC"),
    (dict(tier=None), "rows", "neither a tier nor rows are given"),
    (dict(add_rows=["S1"]), "add_rows", "tier BASIC must never get S1 ("),
    (dict(tier=ADV, add_rows=["S15"]), "add_rows", "S15 are granted only with workflow_wizard=True"),
    (dict(tier=None, rows=["S2", "W4"]), "rows", "W4 are granted only with workflow_monitor_deploy=True"),
    (dict(tier=ADV, simple_role_write_equals_iam_admin=True), "simple_role_write_equals_iam_admin",
     "belong to the simple option"),
    (dict(tier=RW, workflow_wizard=True), "workflow_wizard", "tier READ_WRITE must never get the workflow wizard's"),
    (dict(tier=ADV, add_rows=["S38"]), "add_rows", "S38 contradict trusted_entity=COMPLEX"),
    (dict(tier=None, rows=["S29"], option=COMPLEX, simple_role_write_equals_iam_admin=True),
     "simple_role_write_equals_iam_admin", "belong to the simple option"),
    (dict(tier=None, rows=["S32"], option=SIMPLE), "rows", "S32 contradict trusted_entity=SIMPLE"),
    (dict(remove_rows=["S2", "S2.thumbnails", "F3", "S8", "S5", "S10", "S3", "S12", "S25", "S27", "W1", "M2"]),
     "remove_rows", "every row is removed"),
])
def test_check_group_rows_refuses(scope, kw, prop, problem):
    with raises(prop, problem):
        _rows(scope, **kw)


def test_check_group_rows_takes_consistent_rows(scope):
    _rows(scope, add_rows=["S25"], remove_rows=["S27"])
    _rows(scope, tier=None, rows=["S2", "S15"], workflow_wizard=True)
    _rows(scope, tier=ADV, option=SIMPLE, simple_role_write_equals_iam_admin=True)
    _rows(scope, tier=B, medialive_anywhere=True)


# --- roles an operator group passes (S32) --------------------------------------------------------------------

def test_role_path_of(scope):
    made = iam.Role(scope, "Made", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"), path="/medialive/x/")
    bare = iam.Role(scope, "Bare", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    assert v.role_path_of(made) == "/medialive/x/" and v.role_path_of(bare) == "/"
    assert v.role_path_of(type("Trusted", (), {"role": made})()) == "/medialive/x/"
    assert v.role_path_of(ROLE) == "/medialive/" and v.role_path_of(f"arn:aws:iam::{ACCOUNT}:role/News") == "/"
    assert v.role_path_of(iam.Role.from_role_arn(scope, "Imported", ROLE)) == "/medialive/"
    assert v.role_path_of(Token.as_string({"Ref": "Role"})) is None


def test_policy_path_of(scope):
    made = iam.ManagedPolicy(scope, "P", path="/medialive-admin/", statements=[
        iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"])])
    assert v.policy_path_of(made) == "/medialive-admin/"
    imported = iam.ManagedPolicy.from_managed_policy_arn(scope, "I", f"arn:aws:iam::{ACCOUNT}:policy/a/b/Boundary")
    assert v.policy_path_of(imported) == "/a/b/"
    top = iam.ManagedPolicy.from_managed_policy_arn(scope, "T", f"arn:aws:iam::{ACCOUNT}:policy/Boundary")
    assert v.policy_path_of(top) == "/"
    by_token = iam.ManagedPolicy.from_managed_policy_arn(scope, "K", Token.as_string({"Ref": "Arn"}))
    assert v.policy_path_of(by_token) is None


@pytest.mark.parametrize("kw,problem", [
    (dict(trusted_roles=[ROLE], pass_roles_by_path="/medialive/"), f"{ROLE!r} lies under pass_roles_by_path"),
    (dict(option=SIMPLE, trusted_roles=[ROLE]), "trusted roles are given with trusted_entity=SIMPLE"),
    (dict(option=SIMPLE, pass_roles_by_path="/medialive/"), "trusted roles are given with trusted_entity=SIMPLE"),
    (dict(tier=B, rows=("S2",), trusted_roles=[ROLE]),
     "tier BASIC does not pass roles (S32 is not granted: BASIC operators create no channels)"),
    (dict(tier=None, rows=("S2",), trusted_roles=[ROLE]), "this custom category does not pass roles (S32 is not "
     "granted)"),
    (dict(), "neither trusted_roles nor pass_roles_by_path is given"),
])
def test_check_trusted_roles_refuses(scope, kw, problem):
    args = {"tier": ADV, "option": COMPLEX, "rows": ("S2", "S32"), "trusted_roles": (), "pass_roles_by_path": None,
            **kw}
    with raises("trusted_roles", problem):
        v.check_trusted_roles(scope, args["tier"], args["option"], args["rows"], args["trusted_roles"],
                              args["pass_roles_by_path"])


def test_check_trusted_roles_takes_roles_outside_the_path(scope):
    v.check_trusted_roles(scope, ADV, COMPLEX, ("S32",), [ROLE], "/medialive-other/")
    v.check_trusted_roles(scope, ADV, COMPLEX, ("S32",), [], "/medialive/")
    v.check_trusted_roles(scope, B, COMPLEX, ("S2",), [], None)
    v.check_trusted_roles(scope, ADV, SIMPLE, ("S30",), [], None)


def test_check_complex_role_name(scope):
    with raises("trusted_roles", "the complex option's roles must not be named MediaLiveAccessRole"):
        v.check_complex_role_name(scope, "trusted_roles", "MediaLiveAccessRole")
    for name in ("News", None, Token.as_string({"Ref": "Name"})):
        v.check_complex_role_name(scope, "trusted_roles", name)


def test_check_pass_roles_path(scope):
    with raises("pass_roles_by_path", "'/' would let the group pass every role of the account"):
        v.check_pass_roles_path(scope, "pass_roles_by_path", "/")
    with raises("pass_roles_by_path", "would let the group pass every role"):
        v.check_pass_roles_path(scope, "pass_roles_by_path", "/media*/")
    with raises("pass_roles_by_path", "is not a valid IAM path"):
        v.check_pass_roles_path(scope, "pass_roles_by_path", "medialive")
    v.check_pass_roles_path(scope, "pass_roles_by_path", "/medialive/")


# --- the restricted administrator's paths, users and groups ------------------------------------------------

ADMIN_PATHS = dict(user_path="/medialive/", role_path="/medialive/", policy_path="/medialive/trusted-entity/",
                   admin_policy_path="/medialive-admin/")


@pytest.mark.parametrize("prop", list(ADMIN_PATHS))
def test_check_admin_paths_refuses_the_root(scope, prop):
    with raises(prop, "'/' would scope the administrator to every IAM entity of the account"):
        v.check_admin_paths(scope, **{**ADMIN_PATHS, prop: "/"})


@pytest.mark.parametrize("kw,prop,problem", [
    (dict(user_path="medialive"), "user_path", "is not a valid IAM path"),
    (dict(admin_policy_path="/a b/"), "admin_policy_path", "is not a valid IAM policy path"),
    (dict(policy_path="/medialive-admin/x/"), "policy_path", "overlaps admin_policy_path '/medialive-admin/'"),
    (dict(policy_path="/medialive-unbounded/"), "policy_path", "overlaps '/medialive-unbounded/'"),
])
def test_check_admin_paths_refuses(scope, kw, prop, problem):
    with raises(prop, problem):
        v.check_admin_paths(scope, **{**ADMIN_PATHS, **kw})


def test_check_admin_paths_takes_the_defaults(scope):
    v.check_admin_paths(scope, **ADMIN_PATHS)


def test_check_admins_outside(scope):
    inside = iam.User(scope, "In", path="/medialive/ops/")
    outside = iam.User(scope, "Out", path="/medialive-admin/")
    with raises("users", "user Test/X/In is under user_path '/medialive/'"):
        v.check_admins_outside(scope, "users", [outside, inside], "/medialive/", "/medialive-admin/")
    v.check_admins_outside(scope, "users", [outside, iam.User.from_user_name(scope, "N", "n")], "/medialive/",
                           "/medialive-admin/")


def test_check_users_of_other_groups(scope):
    members = [("carol", "/medialive/ops/", "Power"), ("dan", "/simple/", "Power"), ("bob", None, "Power")]
    (error,) = v.check_users_of_other_groups(scope, "user_path", members, "/medialive/")
    assert error.startswith("Test/X (Construct): user_path: user carol is under '/medialive/' and in the group Power")
    assert "Fix: create that group's users under a path of their own" in error
    assert v.check_users_of_other_groups(scope, "user_path", members[1:], "/medialive/") == []


def test_check_console_user_path(scope):
    kw = dict(user_path="/medialive/", admin_policy_path="/medialive-admin/")
    with raises("console_user_path", "'/medialive/ops/' is under user_path '/medialive/'"):
        v.check_console_user_path(scope, "console_user_path", "/medialive/ops/", console_users=["carol"], **kw)
    v.check_console_user_path(scope, "console_user_path", "/medialive/ops/", console_users=[], **kw)
    v.check_console_user_path(scope, "console_user_path", "/medialive-admin/", console_users=["carol"], **kw)
    with raises("console_user_path", "is not a valid IAM path"):
        v.check_console_user_path(scope, "console_user_path", "x", console_users=[], **kw)


def test_check_operator_groups(scope):
    group = iam.Group(scope, "G")
    policy = iam.ManagedPolicy(scope, "P", path="/medialive/trusted-entity/ops/", statements=[
        iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"])])
    with raises("operator_groups", "no operator group given"):
        v.check_operator_groups(scope, "operator_groups", [], [], "/medialive/trusted-entity/")
    with raises("policy_path", "the operator group Test/X/G (Group) keeps its policies under "
                "'/medialive/trusted-entity/ops/', inside policy_path"):
        v.check_operator_groups(scope, "operator_groups", [group], [(group, policy)], "/medialive/trusted-entity/")
    v.check_operator_groups(scope, "operator_groups", [group], [(group, policy)], "/medialive/te/")


def test_check_boundary_props(scope):
    boundary = object()
    with raises("boundary_name", "given together with permissions_boundary: boundary_name names the boundary"):
        v.check_boundary_props(scope, boundary_name="B", boundary_namespaces=None, permissions_boundary=boundary)
    with raises("boundary_namespaces", "given together with permissions_boundary, which has its own"):
        v.check_boundary_props(scope, boundary_name=None, boundary_namespaces=MediaLiveNamespaces(),
                               permissions_boundary=boundary)
    v.check_boundary_props(scope, boundary_name="B", boundary_namespaces=MediaLiveNamespaces(),
                           permissions_boundary=None)


def test_check_boundary_path(scope):
    inside = iam.ManagedPolicy.from_managed_policy_arn(scope, "In", f"arn:aws:iam::{ACCOUNT}:policy/medialive-admin/B")
    outside = iam.ManagedPolicy.from_managed_policy_arn(scope, "Out", f"arn:aws:iam::{ACCOUNT}:policy/B")
    v.check_boundary_path(scope, "permissions_boundary", inside, "/medialive-admin/")
    with raises("permissions_boundary", "the boundary's path '/' is outside admin_policy_path '/medialive-admin/'"):
        v.check_boundary_path(scope, "permissions_boundary", outside, "/medialive-admin/")
    assert not [m for m in scope.node.metadata if "boundary-path-unknown" in str(m.data)]
    unknown = iam.ManagedPolicy.from_managed_policy_arn(scope, "Unknown", Token.as_string({"Ref": "Arn"}))
    v.check_boundary_path(scope, "permissions_boundary", unknown, "/medialive-admin/")
    (warning,) = [m for m in scope.node.metadata if "boundary-path-unknown" in str(m.data)]
    assert warning.type == "aws:cdk:warning" and "is not known at synth" in str(warning.data)


def test_check_user_boundary_option(scope):
    with raises("require_user_boundary", "does not fit one policy of 6,144 characters with the simple option"):
        v.check_user_boundary_option(scope, "require_user_boundary", True, SIMPLE)
    v.check_user_boundary_option(scope, "require_user_boundary", True, COMPLEX)
    v.check_user_boundary_option(scope, "require_user_boundary", False, SIMPLE)


class _Group(Construct):
    """What ``check_groups_within`` reads of an operator group: its rows and statements."""

    def __init__(self, scope: Construct, id: str, rows, statements) -> None:
        super().__init__(scope, id)
        self.rows, self.statements = tuple(rows), tuple(statements)


def _on(*resources: str, rows=("S2",)) -> Statement:
    return Statement.of(["medialive:DescribeChannel"], resources, rows=rows)


def test_check_groups_within(scope):
    admin = [_on("*")]
    held = _Group(scope, "Held", ["S2", "A9"], [_on("*"), Statement.of(["iam:ChangePassword"], ["*"], rows=["A9"])])
    v.check_groups_within(scope, "operator_groups", [held], ("S2",), admin)  # A9 is the group's own
    extra = _Group(scope, "Extra", ["S2", "S29"], [_on("*")])
    with raises("operator_groups", "the operator group Test/X/Extra (_Group) holds S29, which the administrator "
                "does not"):
        v.check_groups_within(scope, "operator_groups", [held, extra], ("S2",), admin)
    with pytest.raises(MediaLiveIamError, match=r"give the RestrictedAdmin the same opt-in \(workflow_wizard=True\)"):
        v.check_groups_within(scope, "operator_groups", [_Group(scope, "Wizard", ["S15"], [])], ("S2",), admin)
    wider = _Group(scope, "Wider", ["S2"], [_on("*")])
    with raises("operator_groups", "the operator group Test/X/Wider (_Group) reaches 1 grant(s) the administrator's"):
        v.check_groups_within(scope, "operator_groups", [wider], ("S2",), [_on("arn:aws:medialive:*:*:channel:1")])
