"""MediaLiveOperatorGroup, proven through the IAM evaluator (iam-simulate) against the synthesized template.

Table-driven per tier and trusted-entity option: every action of every granted row is allowed on a matching
resource; every row the tier must never get is denied (each of its actions that no granted row also holds);
the complex option's forbidden IAM actions are denied. Then PassRole, the simple option's console flow, tag
and channel scoping, users, bad input, cdk-nag and cfn-lint.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam

from tools.iam_evaluator import TemplateEvaluator
from medialive_iam_constructs import MediaLiveIamError, catalog
from medialive_iam_constructs.catalog.model import Grant, Row
from medialive_iam_constructs.catalog.resources import (
    CFN_STACK,
    EVENTS_RULE,
    IAM_ROLE,
    ML_CHANNEL,
    SNS_TOPIC,
    SSM_PARAMETER,
    Kind,
)
from medialive_iam_constructs.catalog.tiers import (
    FORBIDDEN_BY_OPTION,
    TIER_NEVER,
    OperatorTier,
    TrustedEntityOption,
    tier_rows,
)
from medialive_iam_constructs.operator_group import MediaLiveOperatorGroup
from medialive_iam_constructs.packing import MANAGED_POLICY_MAX_CHARS, document_size
from tests.helpers import (ACCOUNT, PARTITION, REGION, assert_cfn_lint_clean, assert_nag_clean, new_stack,
                           raises_named, template_of)

ENV = {"partition": PARTITION, "region": REGION, "account": ACCOUNT}
ROLE_A = f"arn:aws:iam::{ACCOUNT}:role/medialive/workflow-a"
ROLE_B = f"arn:aws:iam::{ACCOUNT}:role/medialive/workflow-b"
UNLISTED_ROLE = f"arn:aws:iam::{ACCOUNT}:role/medialive/workflow-unlisted"
SIMPLE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/MediaLiveAccessRole"
OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/SomeOtherRole"
SSM_READ_ONLY = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
TO_MEDIALIVE = {"iam:PassedToService": "medialive.amazonaws.com"}
CHANNEL = f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:1234567"
OTHER_CHANNEL = f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:7654321"

#: A resource of each kind the construct binds, inside what it binds by default (and the given roles).
BOUND_SAMPLES: dict[Kind, str] = {
    IAM_ROLE: ROLE_A,
    SSM_PARAMETER: f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/srt-passphrase",
    EVENTS_RULE: f"arn:aws:events:{REGION}:{ACCOUNT}:rule/medialive-channel-alerts",
    SNS_TOPIC: f"arn:aws:sns:{REGION}:{ACCOUNT}:medialive-alerts",
    CFN_STACK: f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/MediaLiveWorkflow-news/abc",
}
#: The four IAM actions the complex option must never allow (reference §6).
COMPLEX_FORBIDDEN = ("iam:ListRoles", "iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy")

TIER_OPTIONS = [(t, o) for t in OperatorTier for o in TrustedEntityOption]


# --- helpers --------------------------------------------------------------------------------------

class Built:
    """One synthesized stack with one operator group, and its evaluator."""

    def __init__(self, app, stack: Stack, group: MediaLiveOperatorGroup, evaluator) -> None:
        self.app, self.stack, self.construct = app, stack, group
        self.template = template_of(stack)
        self.group_id = stack.get_logical_id(group.group.node.default_child)
        self.te = TemplateEvaluator(self.template, evaluator)

    def decide(self, action: str, resource: str, context: Mapping[str, Any] | None = None, principal: str | None = None):
        return self.te.decide(principal or self.group_id, action, resource, context)

    def decide_many(self, requests: list[tuple[str, str, Mapping[str, Any]]], principal: str | None = None) -> list[str]:
        p = self.te.policies(principal or self.group_id)
        results = self.te.evaluator.evaluate_many([
            dict(identity_policies=p.identity_policies, permission_boundaries=p.permissions_boundary, action=a,
                 resource=r, principal=p.principal_arn, context=c)
            for a, r, c in requests
        ])
        return [r.result for r in results]

    def managed_policy_docs(self) -> list[tuple[str, dict]]:
        return [(r["Properties"].get("ManagedPolicyName"), r["Properties"]["PolicyDocument"])
                for r in self.template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]


def _fill(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${Partition}", PARTITION).replace("${Region}", REGION).replace("${Account}", ACCOUNT)
    if isinstance(value, (list, tuple)):
        return [_fill(v) for v in value]
    return value


def sample_resource(grant: Grant, samples: Mapping[Kind, str] = BOUND_SAMPLES) -> str:
    """A resource the grant's first kind matches: for a grant the construct binds, a sample inside the
    binding; else the SAR format with the catalog's fixed identifiers and ``example`` for the others."""
    if grant.on_star:
        return "*"
    kind = grant.kinds[0]
    if grant.must_bind:
        return samples[kind]
    ids = {n: "example" for n in kind.identifier_names if n not in kind.defaults and n not in grant.identifiers}
    return kind.render(**ENV, **dict(grant.identifiers), **ids)


def _concrete(value: Any) -> Any:
    """A request value that satisfies a condition value: placeholders filled as the fixture's constructs fill them,
    a trailing pattern ``*`` replaced by a name."""
    if isinstance(value, list):
        return [_concrete(v) for v in value]
    value = _fill(value).replace("${NotificationPrefix}", "medialive")
    return value[:-1] + "alerts" if value.endswith("*") else value


def request_context(grant: Grant) -> dict[str, Any]:
    """The request context that satisfies the grant's own conditions (PassedToService, PolicyARN, events:source...);
    ``Null`` conditions are met by the key the other operators give."""
    return {key: _concrete(value) for op, keys in grant.conditions.items() if op != "Null"
            for key, value in keys.items()}


def grant_requests(row: Row) -> list[tuple[str, str, dict]]:
    return [(a, sample_resource(g), request_context(g)) for g in row.grants for a in g.actions]


def requests_keys(requests) -> list[tuple[str, str]]:
    return [(a, r) for a, r, _ in requests]


def granted_actions(row_ids) -> set[str]:
    return {a for rid in row_ids for a in catalog.ROWS[rid].actions}


def complex_kwargs(tier: OperatorTier) -> dict:
    return {"trusted_roles": [ROLE_A, ROLE_B]} if tier is not OperatorTier.BASIC else {}


@pytest.fixture(scope="module")
def tier_stacks(iam_evaluator):
    """(tier, option) -> Built, each synthesized once per module."""
    cache: dict[tuple, Built] = {}

    def get(tier: OperatorTier, option: TrustedEntityOption) -> Built:
        if (tier, option) not in cache:
            app, stack = new_stack(f"Ops{tier.name.title().replace('_', '')}{option.name.title()}")
            kw = complex_kwargs(tier) if option is TrustedEntityOption.COMPLEX else {}
            group = MediaLiveOperatorGroup(stack, "Operators", tier=tier, trusted_entity=option, **kw)
            cache[(tier, option)] = Built(app, stack, group, iam_evaluator)
        return cache[(tier, option)]

    return get


def _granted_cases():
    for tier, option in TIER_OPTIONS:
        for rid in tier_rows(tier, option):
            yield pytest.param(tier, option, rid, id=f"{tier.name}-{option.name}-{rid}")


def _never_cases():
    for tier, option in TIER_OPTIONS:
        never = dict.fromkeys(TIER_NEVER[tier] + FORBIDDEN_BY_OPTION[option])
        for rid in never:
            if rid in tier_rows(tier, option):
                continue
            yield pytest.param(tier, option, rid, id=f"{tier.name}-{option.name}-{rid}")


# --- table-driven: granted rows allowed, never-rows denied -----------------------------------------

@pytest.mark.parametrize("tier,option,row_id", list(_granted_cases()))
def test_every_action_of_every_granted_row_is_allowed(tier_stacks, tier, option, row_id):
    built = tier_stacks(tier, option)
    assert row_id in built.construct.rows
    requests = grant_requests(catalog.ROWS[row_id])
    decisions = built.decide_many(requests)
    refused = [(a, r, d) for (a, r, _), d in zip(requests, decisions) if d != "Allowed"]
    assert not refused, refused


@pytest.mark.parametrize("tier,option,row_id", list(_never_cases()))
def test_rows_the_tier_must_never_get_are_denied(tier_stacks, tier, option, row_id):
    built = tier_stacks(tier, option)
    assert row_id not in built.construct.rows
    others = granted_actions(built.construct.rows)
    requests = grant_requests(catalog.ROWS[row_id])
    decisions = dict(zip(requests_keys(requests), built.decide_many(requests)))
    # at least one action of the row is denied on the row's own resources ...
    assert "ImplicitlyDenied" in decisions.values(), decisions
    # ... and every action that no granted row also holds is denied
    leaked = [k for k, d in decisions.items() if k[0] not in others and d != "ImplicitlyDenied"]
    assert not leaked, leaked


@pytest.mark.parametrize("tier", list(OperatorTier), ids=lambda t: t.name)
def test_complex_option_never_lists_creates_or_changes_roles(tier_stacks, tier):
    built = tier_stacks(tier, TrustedEntityOption.COMPLEX)
    requests = [("iam:ListRoles", "*", {})]
    for role in (SIMPLE_ROLE, ROLE_A, UNLISTED_ROLE):
        requests += [("iam:CreateRole", role, {}), ("iam:PutRolePolicy", role, {}),
                     ("iam:AttachRolePolicy", role, {"iam:PolicyARN": SSM_READ_ONLY})]
    assert {a for a, _, _ in requests} == set(COMPLEX_FORBIDDEN)
    assert set(built.decide_many(requests)) == {"ImplicitlyDenied"}


@pytest.mark.parametrize("option", list(TrustedEntityOption), ids=lambda o: o.name)
def test_basic_gets_no_trusted_entity_rows(tier_stacks, option):
    built = tier_stacks(OperatorTier.BASIC, option)
    assert not {"S29", "S30", "S31", "S32"} & set(built.construct.rows)
    for role in (SIMPLE_ROLE, ROLE_A):
        assert built.decide("iam:PassRole", role, TO_MEDIALIVE) == "ImplicitlyDenied"


# --- PassRole (complex option) ----------------------------------------------------------------------

def test_complex_pass_role_only_listed_roles_only_to_medialive(tier_stacks):
    built = tier_stacks(OperatorTier.READ_WRITE, TrustedEntityOption.COMPLEX)
    assert built.decide("iam:PassRole", ROLE_A, TO_MEDIALIVE) == "Allowed"
    assert built.decide("iam:PassRole", ROLE_B, TO_MEDIALIVE) == "Allowed"
    assert built.decide("iam:PassRole", ROLE_A, {"iam:PassedToService": "ec2.amazonaws.com"}) == "ImplicitlyDenied"
    assert built.decide("iam:PassRole", ROLE_A) == "ImplicitlyDenied"
    assert built.decide("iam:PassRole", UNLISTED_ROLE, TO_MEDIALIVE) == "ImplicitlyDenied"
    assert built.decide("iam:PassRole", SIMPLE_ROLE, TO_MEDIALIVE) == "ImplicitlyDenied"


@pytest.fixture(scope="module")
def by_path(iam_evaluator):
    """Roles passed by path, plus a role object of the same stack (its ARN is a Fn::GetAtt)."""
    app, stack = new_stack("OpsByPath")
    own = iam.Role(stack, "WorkflowRole", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
                   role_name="newsWorkflow", path="/teams/news/")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED, trusted_roles=[own],
                                   pass_roles_by_path="/medialive/")
    return Built(app, stack, group, iam_evaluator)


def test_pass_roles_by_path(by_path):
    for i in (1, 137, 200):
        assert by_path.decide("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/medialive/workflow-{i}", TO_MEDIALIVE) == "Allowed"
    assert by_path.decide("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/medialive/team/x", TO_MEDIALIVE) == "Allowed"
    assert by_path.decide("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/medialive2/x", TO_MEDIALIVE) == "ImplicitlyDenied"
    assert by_path.decide("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/x", TO_MEDIALIVE) == "ImplicitlyDenied"
    assert by_path.decide("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/medialive/x",
                          {"iam:PassedToService": "lambda.amazonaws.com"}) == "ImplicitlyDenied"


def test_pass_role_object_of_the_same_stack(by_path):
    own = f"arn:aws:iam::{ACCOUNT}:role/teams/news/newsWorkflow"
    assert by_path.decide("iam:PassRole", own, TO_MEDIALIVE) == "Allowed"
    assert by_path.decide("iam:PassRole", own, {"iam:PassedToService": "ec2.amazonaws.com"}) == "ImplicitlyDenied"


def test_pass_role_by_path_does_not_grow_the_policy(by_path, iam_evaluator):
    """The policy size is the same for one role path whatever the number of roles under it."""
    sizes = sum(document_size(d) for _, d in by_path.managed_policy_docs())
    app, stack = new_stack("OpsByPathOnly")
    MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED, pass_roles_by_path="/medialive/")
    only_path = Built(app, stack, stack.node.find_child("Operators"), iam_evaluator)
    assert sum(document_size(d) for _, d in only_path.managed_policy_docs()) < sizes
    assert len(only_path.managed_policy_docs()) <= 2


# --- Simple option ---------------------------------------------------------------------------------

SIMPLE_WRITE_FLOW = [
    ("iam:CreateRole", SIMPLE_ROLE, {}),
    ("iam:PutRolePolicy", SIMPLE_ROLE, {}),
    ("iam:AttachRolePolicy", SIMPLE_ROLE, {"iam:PolicyARN": SSM_READ_ONLY}),
    ("iam:GetRolePolicy", SIMPLE_ROLE, {}),
]


@pytest.mark.parametrize("tier", [OperatorTier.READ_WRITE, OperatorTier.ADVANCED], ids=lambda t: t.name)
def test_simple_option_sees_and_passes_medialive_access_role_only(tier_stacks, tier):
    """Issue 11 a: S30 only. Creating or rewriting MediaLiveAccessRole (S29/S31) is IAM administration: denied."""
    built = tier_stacks(tier, TrustedEntityOption.SIMPLE)
    see_and_pass = [("iam:ListRoles", "*", {}), ("iam:PassRole", SIMPLE_ROLE, TO_MEDIALIVE)]
    assert set(built.decide_many(see_and_pass)) == {"Allowed"}
    assert set(built.decide_many(SIMPLE_WRITE_FLOW)) == {"ImplicitlyDenied"}
    for other in (OTHER_ROLE, ROLE_A):
        assert built.decide("iam:PassRole", other, TO_MEDIALIVE) == "ImplicitlyDenied", other


@pytest.fixture(scope="module")
def simple_writer(iam_evaluator):
    app, stack = new_stack("OpsSimpleWriter")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED,
                                   trusted_entity=TrustedEntityOption.SIMPLE, simple_role_write_equals_iam_admin=True)
    return Built(app, stack, group, iam_evaluator)


def test_simple_role_write_only_with_the_explicit_opt_in(simple_writer):
    assert {"S29", "S31"} <= set(simple_writer.construct.rows)
    assert set(simple_writer.decide_many(SIMPLE_WRITE_FLOW)) == {"Allowed"}
    for other in (OTHER_ROLE, ROLE_A):
        assert set(simple_writer.decide_many([(a, other, c) for a, _, c in SIMPLE_WRITE_FLOW])) == {"ImplicitlyDenied"}


def test_simple_attach_only_ssm_read_only(simple_writer):
    built = simple_writer
    for policy in (ADMIN_POLICY, "arn:aws:iam::aws:policy/AmazonSSMFullAccess", f"arn:aws:iam::{ACCOUNT}:policy/Mine"):
        assert built.decide("iam:AttachRolePolicy", SIMPLE_ROLE, {"iam:PolicyARN": policy}) == "ImplicitlyDenied"
    assert built.decide("iam:AttachRolePolicy", SIMPLE_ROLE) == "ImplicitlyDenied"


def test_simple_pass_role_only_to_medialive(tier_stacks):
    built = tier_stacks(OperatorTier.READ_WRITE, TrustedEntityOption.SIMPLE)
    assert built.decide("iam:PassRole", SIMPLE_ROLE, {"iam:PassedToService": "ec2.amazonaws.com"}) == "ImplicitlyDenied"


# --- scoping: tags, channels, parameters, notifications ---------------------------------------------

@pytest.fixture(scope="module")
def tagged(iam_evaluator):
    app, stack = new_stack("OpsTagged")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE_A],
                                   channel_tag=("Department", "news"))
    return Built(app, stack, group, iam_evaluator)


def test_tag_scoping_start_channel(tagged):
    assert tagged.decide("medialive:StartChannel", CHANNEL, {"aws:ResourceTag/Department": "news"}) == "Allowed"
    assert tagged.decide("medialive:StartChannel", CHANNEL) == "ImplicitlyDenied"
    assert tagged.decide("medialive:StartChannel", CHANNEL, {"aws:ResourceTag/Department": "sport"}) == "ImplicitlyDenied"
    assert tagged.decide("medialive:StartChannel", CHANNEL, {"aws:ResourceTag/Team": "news"}) == "ImplicitlyDenied"


def test_tag_scoping_covers_channel_only_grants(tagged):
    """Every grant scoped only to channels carries the tag condition; mixed grants (S1 create, S13) do not."""
    for rid in tagged.construct.rows:
        for grant in catalog.ROWS[rid].grants:
            if grant.kinds and all(k is ML_CHANNEL for k in grant.kinds):
                for action in grant.actions:
                    ctx = request_context(grant)
                    assert tagged.decide(action, CHANNEL, ctx) == "ImplicitlyDenied", action
                    assert tagged.decide(action, CHANNEL, {**ctx, "aws:ResourceTag/Department": "news"}) == "Allowed", action
    # not channel-only: listing stays possible
    assert tagged.decide("medialive:ListChannels", "*") == "Allowed"


@pytest.fixture(scope="module")
def by_channel(iam_evaluator):
    app, stack = new_stack("OpsChannels")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.BASIC, channel_arns=[CHANNEL])
    return Built(app, stack, group, iam_evaluator)


def test_channel_arns_scope_channel_operations(by_channel):
    for action in ("medialive:StartChannel", "medialive:StopChannel", "medialive:DescribeChannel",
                   "medialive:DescribeSchedule"):
        assert by_channel.decide(action, CHANNEL) == "Allowed", action
        assert by_channel.decide(action, OTHER_CHANNEL) == "ImplicitlyDenied", action


def test_password_parameters_scoped_to_the_path(tier_stacks, iam_evaluator):
    built = tier_stacks(OperatorTier.ADVANCED, TrustedEntityOption.COMPLEX)
    inside = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/news/srt"
    outside = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/prod/db-password"
    assert built.decide("ssm:PutParameter", inside) == "Allowed"
    assert built.decide("ssm:GetParameter", outside) == "ImplicitlyDenied"
    app, stack = new_stack("OpsParamPath")
    g = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A],
                               parameter_path="/media/news/")
    custom = Built(app, stack, g, iam_evaluator)
    assert custom.decide("ssm:PutParameter", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/media/news/x") == "Allowed"
    assert custom.decide("ssm:PutParameter", inside) == "ImplicitlyDenied"


def test_notifications_scoped_to_the_prefix(tier_stacks):
    """S26/S40 deviation: rules and topics under the prefix, not CloudWatchEventsFullAccess/AmazonSNSFullAccess."""
    built = tier_stacks(OperatorTier.ADVANCED, TrustedEntityOption.COMPLEX)
    medialive_events = {"events:source": ["aws.medialive"]}
    assert built.decide("events:PutRule", BOUND_SAMPLES[EVENTS_RULE], medialive_events) == "Allowed"
    assert built.decide("events:PutRule", f"arn:aws:events:{REGION}:{ACCOUNT}:rule/billing",
                        medialive_events) == "ImplicitlyDenied"
    assert built.decide("sns:CreateTopic", BOUND_SAMPLES[SNS_TOPIC]) == "Allowed"
    assert built.decide("sns:DeleteTopic", f"arn:aws:sns:{REGION}:{ACCOUNT}:billing") == "ImplicitlyDenied"
    for action in ("sns:Publish", "events:PutEvents", "scheduler:CreateSchedule", "pipes:CreatePipe"):
        assert built.decide(action, "*") == "ImplicitlyDenied", action


# --- custom category, add/remove ----------------------------------------------------------------------

def test_custom_category_is_exactly_its_rows(iam_evaluator):
    app, stack = new_stack("OpsCustom")
    g = MediaLiveOperatorGroup(stack, "Operators", rows=["S2", "S10"])
    assert set(g.rows) == set(catalog.expand(["S2", "S10"]))
    assert g.tier is None
    built = Built(app, stack, g, iam_evaluator)
    assert built.decide("medialive:StartChannel", CHANNEL) == "Allowed"
    assert built.decide("medialive:CreateChannel", CHANNEL) == "ImplicitlyDenied"
    assert built.decide("cloudwatch:GetMetricData", "*") == "ImplicitlyDenied"
    assert [n for n, _ in built.managed_policy_docs()][0].startswith("MediaLiveCustomUserAccess-")


def test_add_and_remove_rows(iam_evaluator):
    app, stack = new_stack("OpsAdjusted")
    g = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE_A],
                               add_rows=["S4"], remove_rows=["S13"])
    assert "S4" in g.rows and "S13" not in g.rows
    built = Built(app, stack, g, iam_evaluator)
    device = f"arn:aws:medialive:{REGION}:{ACCOUNT}:inputDevice:hd-0123456789abcdef01234567"
    assert built.decide("medialive:AcceptInputDeviceTransfer", device) == "Allowed"
    assert built.decide("medialive:CreateTags", CHANNEL) == "ImplicitlyDenied"
    assert built.decide("medialive:DeleteTags", CHANNEL) == "ImplicitlyDenied"


def test_removing_the_pass_role_row_needs_no_roles():
    _, stack = new_stack()
    g = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, remove_rows=["S32"])
    assert "S32" not in g.rows


# --- users ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def with_users(iam_evaluator):
    app, stack = new_stack("OpsUsers")
    existing = iam.User.from_user_name(stack, "Bob", "bob")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.BASIC, users=[existing],
                                   console_users=["alice", "carol"], user_path="/medialive/operators/")
    return Built(app, stack, group, iam_evaluator)


def test_console_users_get_the_group_permissions_only(with_users):
    assert [u.node.id for u in with_users.construct.users] == ["User-alice", "User-carol"]
    alice = with_users.stack.get_logical_id(with_users.construct.users[0].node.default_child)
    props = with_users.template["Resources"][alice]["Properties"]
    assert props["Groups"] == [{"Ref": with_users.group_id}]
    assert props["Path"] == "/medialive/operators/"
    assert "Policies" not in props and "ManagedPolicyArns" not in props
    assert with_users.decide("medialive:StartChannel", CHANNEL, principal=alice) == "Allowed"
    assert with_users.decide("medialive:DeleteChannel", CHANNEL, principal=alice) == "ImplicitlyDenied"


def test_console_users_can_replace_only_their_own_password(with_users):
    """A9: the forced reset at first sign-in needs iam:ChangePassword on the user's own ARN, nobody else's."""
    alice = with_users.stack.get_logical_id(with_users.construct.users[0].node.default_child)
    own = f"arn:{PARTITION}:iam::{ACCOUNT}:user/medialive/operators/alice"
    other = f"arn:{PARTITION}:iam::{ACCOUNT}:user/medialive/operators/carol"
    me = {"aws:username": "alice"}
    assert "A9" in with_users.construct.rows
    assert with_users.decide("iam:ChangePassword", own, me, principal=alice) == "Allowed"
    assert with_users.decide("iam:ChangePassword", other, me, principal=alice) == "ImplicitlyDenied"
    assert with_users.decide("iam:GetAccountPasswordPolicy", "*", principal=alice) == "Allowed"


def test_initial_password_is_a_secret_never_in_the_template(with_users):
    secrets = with_users.construct.initial_password_secrets
    assert set(secrets) == {"alice", "carol"}
    resources = with_users.template["Resources"]
    assert not [r for r in resources.values() if r["Type"] == "AWS::IAM::AccessKey"]
    for lid, res in resources.items():
        if res["Type"] != "AWS::IAM::User":
            continue
        profile = res["Properties"]["LoginProfile"]
        assert profile["PasswordResetRequired"] is True
        joined = profile["Password"]["Fn::Join"][1]
        assert joined[0] == "{{resolve:secretsmanager:" and joined[2] == ":SecretString:::}}"
        assert joined[1]["Ref"] in resources and resources[joined[1]["Ref"]]["Type"] == "AWS::SecretsManager::Secret"
    for res in resources.values():
        if res["Type"] == "AWS::SecretsManager::Secret":
            assert "SecretString" not in res["Properties"]
            assert "GenerateSecretString" in res["Properties"] and "KmsKeyId" in res["Properties"]


def test_existing_users_join_the_group(with_users):
    additions = [r for r in with_users.template["Resources"].values() if r["Type"] == "AWS::IAM::UserToGroupAddition"]
    assert additions and additions[0]["Properties"]["Users"] == ["bob"]


def test_group_with_users_needs_no_acknowledgement(with_users):
    acks = [m for m in with_users.construct.group.node.metadata if m.type == "aws:cdk:acknowledged-rules"]
    assert acks == []
    assert_nag_clean(with_users.app, with_users.stack)
    assert_cfn_lint_clean(with_users.template)


def test_group_without_users_acknowledges_only_group_has_users(tier_stacks):
    group = tier_stacks(OperatorTier.BASIC, TrustedEntityOption.COMPLEX).construct.group
    acked = {k for m in group.node.metadata if m.type == "aws:cdk:acknowledged-rules" for k in m.data}
    assert acked == {"Annotation::HIPAA.Security-IAMGroupHasUsers", "Annotation::PCI.DSS.321-IAMGroupHasUsers"}


# --- policies: customer managed only, within quotas, named medialive ---------------------------------

@pytest.mark.parametrize("tier,option", TIER_OPTIONS, ids=lambda v: v.name)
def test_policies_within_quotas_and_named(tier_stacks, tier, option):
    built = tier_stacks(tier, option)
    docs = built.managed_policy_docs()
    assert 1 <= len(docs) <= 10
    assert all(document_size(d) <= MANAGED_POLICY_MAX_CHARS for _, d in docs)
    names = [n for n, _ in docs]
    words = {OperatorTier.BASIC: "Basic", OperatorTier.READ_WRITE: "ReadWrite", OperatorTier.ADVANCED: "Advanced"}[tier]
    assert all(n.startswith(f"MediaLive{words}UserAccess-{REGION}-") for n in names)
    group = built.template["Resources"][built.group_id]
    assert "ManagedPolicyArns" not in group["Properties"] and "Policies" not in group["Properties"]
    assert "FullAccess" not in str(built.template)
    assert not [r for r in built.template["Resources"].values() if r["Type"] == "AWS::IAM::Policy"]
    assert all(len(n) <= 128 for n in names)


@pytest.mark.parametrize("tier,option", TIER_OPTIONS, ids=lambda v: v.name)
def test_nag_and_cfn_lint_clean(tier_stacks, tier, option):
    built = tier_stacks(tier, option)
    assert_nag_clean(built.app, built.stack)
    if tier is OperatorTier.ADVANCED:
        assert_cfn_lint_clean(built.template)
    else:
        assert_cfn_lint_clean(built.template)


def test_scoped_stacks_nag_and_cfn_lint_clean(tagged, by_channel, by_path):
    for built in (tagged, by_channel):
        assert_nag_clean(built.app, built.stack)
        assert_cfn_lint_clean(built.template)
    assert_nag_clean(by_path.app, by_path.stack)
    assert_cfn_lint_clean(by_path.template)  # ADVANCED


def test_explicit_names_and_paths():
    _, stack = new_stack()
    g = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.BASIC, group_name="x" * 128, path="/media/ops/",
                               policy_name_prefix="medialiveBasicNews")
    t = template_of(stack)
    group = t["Resources"][stack.get_logical_id(g.group.node.default_child)]["Properties"]
    assert group == {"GroupName": "x" * 128, "Path": "/media/ops/"}
    policies = [r["Properties"] for r in t["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert [p["ManagedPolicyName"] for p in policies] == ["medialiveBasicNews"]
    assert {p["Path"] for p in policies} == {"/media/ops/"}


def test_construct_spells_no_action_name():
    source = (Path(__file__).parents[1] / "medialive_iam_constructs" / "operator_group.py").read_text()
    assert not re.findall(r"[\"'][a-z0-9-]+:[A-Z][A-Za-z*]+[\"']", source)


# --- bad input fails at synth -------------------------------------------------------------------------

BAD_INPUT = [
    ("basic-plus-write", dict(tier=OperatorTier.BASIC, add_rows=["S1"]), "add_rows", "must never get S1"),
    ("rw-plus-password-params", dict(tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE_A], add_rows=["S41"]),
     "add_rows", "must never get S41"),
    ("basic-plus-pass-role", dict(tier=OperatorTier.BASIC, add_rows=["S32"]), "add_rows", "must never get S32"),
    ("complex-plus-create-role", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], add_rows=["S29"]),
     "add_rows", "granted only with simple_role_write_equals_iam_admin=True"),
    ("simple-plus-create-role", dict(tier=OperatorTier.ADVANCED, trusted_entity=TrustedEntityOption.SIMPLE,
                                     add_rows=["S29"]), "add_rows", "granted only with simple_role_write_equals_iam_admin"),
    ("wizard-without-opt-in", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], add_rows=["S15"]),
     "add_rows", "granted only with workflow_wizard=True"),
    ("rw-with-wizard", dict(tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE_A], workflow_wizard=True),
     "workflow_wizard", "must never get the workflow wizard"),
    ("wizard-prefix-cdk", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], workflow_wizard=True,
                               workflow_wizard_stack_prefix="CDK"), "workflow_wizard_stack_prefix", "CDKToolkit"),
    ("wizard-prefix-empty", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], workflow_wizard=True,
                                 workflow_wizard_stack_prefix=""), "workflow_wizard_stack_prefix", "every stack"),
    ("wizard-prefix-star", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], workflow_wizard=True,
                                workflow_wizard_stack_prefix="a*"), "workflow_wizard_stack_prefix", "wildcard"),
    ("two-tag-props", dict(tier=OperatorTier.BASIC, resource_tag=("T", "a"), channel_tag=("T", "a")),
     "channel_tag", "both resource_tag and channel_tag"),
    ("batch-without-tag", dict(tier=OperatorTier.BASIC, allow_batch_operations=True), "allow_batch_operations",
     "without tag scoping"),
    ("endpoint-star", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], notification_endpoints=["*"]),
     "notification_endpoints", "any endpoint"),
    ("simple-write-complex", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A],
                                  simple_role_write_equals_iam_admin=True), "simple_role_write_equals_iam_admin",
     "belong to the simple option"),
    ("complex-plus-list-roles", dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A], add_rows=["S38"]),
     "add_rows", "contradict trusted_entity=COMPLEX"),
    ("simple-custom-pass-role", dict(rows=["S2", "S32"], trusted_entity=TrustedEntityOption.SIMPLE),
     "rows", "contradict trusted_entity=SIMPLE"),
    ("complex-without-roles", dict(tier=OperatorTier.READ_WRITE), "trusted_roles",
     "neither trusted_roles nor pass_roles_by_path"),
    ("simple-with-roles", dict(tier=OperatorTier.READ_WRITE, trusted_entity=TrustedEntityOption.SIMPLE,
                               trusted_roles=[ROLE_A]), "trusted_roles", "trusted_entity=SIMPLE"),
    ("basic-with-roles", dict(tier=OperatorTier.BASIC, trusted_roles=[ROLE_A]), "trusted_roles",
     "BASIC operators create no channels"),
    ("group-name-129", dict(tier=OperatorTier.BASIC, group_name="g" * 129), "group_name", "IAM allows 1 to 128"),
    ("group-name-chars", dict(tier=OperatorTier.BASIC, group_name="media live"), "group_name", "characters IAM"),
    ("ssm-path-no-slash", dict(tier=OperatorTier.BASIC, parameter_path="medialive/"), "parameter_path",
     "must start and end with '/'"),
    ("ssm-path-root", dict(tier=OperatorTier.BASIC, parameter_path="/"), "parameter_path", "every parameter"),
    ("unknown-row", dict(tier=OperatorTier.BASIC, add_rows=["S99"]), "add_rows", "unknown catalog row 'S99'"),
    ("unknown-removed-row", dict(tier=OperatorTier.BASIC, remove_rows=["X1"]), "remove_rows", "unknown catalog row"),
    ("rows-as-string", dict(rows="S2"), "rows", "is a string"),
    ("rows-with-tier", dict(tier=OperatorTier.BASIC, rows=["S2"]), "rows", "together with tier"),
    ("nothing", dict(), "rows", "neither a tier nor rows"),
    ("trusted-table-row", dict(rows=["T5"]), "rows", "trusted table"),
    ("everything-removed", dict(rows=["S10"], remove_rows=["S10"]), "remove_rows", "every row is removed"),
    ("role-wildcard", dict(tier=OperatorTier.READ_WRITE, trusted_roles=[f"arn:aws:iam::{ACCOUNT}:role/medialive/*"]),
     "trusted_roles", "not the ARN of one IAM role"),
    ("not-a-role", dict(tier=OperatorTier.READ_WRITE, trusted_roles=[f"arn:aws:iam::{ACCOUNT}:user/bob"]),
     "trusted_roles", "not the ARN of one IAM role"),
    ("s3-arn-as-role", dict(tier=OperatorTier.READ_WRITE, trusted_roles=["arn:aws:s3:::bucket"]),
     "trusted_roles", "not a iam ARN"),
    ("other-account", dict(tier=OperatorTier.READ_WRITE, trusted_roles=["arn:aws:iam::444455556666:role/x"]),
     "trusted_roles", "in account 444455556666"),
    ("complex-simple-role", dict(tier=OperatorTier.READ_WRITE, trusted_roles=[SIMPLE_ROLE]), "trusted_roles",
     "must not be named MediaLiveAccessRole"),
    ("path-root", dict(tier=OperatorTier.READ_WRITE, pass_roles_by_path="/"), "pass_roles_by_path", "every role"),
    ("path-invalid", dict(tier=OperatorTier.READ_WRITE, pass_roles_by_path="medialive"), "pass_roles_by_path",
     "not a valid IAM path"),
    ("prefix-wildcard", dict(tier=OperatorTier.BASIC, notification_prefix="medialive*"), "notification_prefix",
     "wildcard"),
    ("prefix-dot", dict(tier=OperatorTier.BASIC, notification_prefix="media.live"), "notification_prefix",
     "not valid for both"),
    ("tag-aws", dict(tier=OperatorTier.BASIC, channel_tag=("aws:team", "x")), "channel_tag", "not a valid tag key"),
    ("tag-not-pair", dict(tier=OperatorTier.BASIC, channel_tag=("team",)), "channel_tag", "not a (key, value) pair"),
    ("channel-not-channel", dict(tier=OperatorTier.BASIC, channel_arns=[f"arn:aws:medialive:{REGION}:{ACCOUNT}:input:1"]),
     "channel_arns", "not the ARN of one MediaLive channel"),
    ("user-twice", dict(tier=OperatorTier.BASIC, console_users=["alice", "Alice"]), "console_users", "given twice"),
    ("user-name-long", dict(tier=OperatorTier.BASIC, console_users=["u" * 65]), "console_users", "IAM allows 1 to 64"),
    ("policy-prefix-long", dict(tier=OperatorTier.BASIC, policy_name_prefix="m" * 127), "policy_name_prefix",
     "IAM allows 1 to 128"),
    ("roles-as-string", dict(tier=OperatorTier.READ_WRITE, trusted_roles=ROLE_A), "trusted_roles", "is a string"),
    ("tag-newline", dict(tier=OperatorTier.BASIC, channel_tag=("team\nx", "news")), "channel_tag", "not a valid tag key"),
    ("group-path", dict(tier=OperatorTier.BASIC, path="medialive"), "path", "not a valid IAM path"),
]


@pytest.mark.parametrize("kwargs,prop,message", [pytest.param(k, p, m, id=i) for i, k, p, m in BAD_INPUT])
def test_bad_input_fails_at_synth(kwargs, prop, message):
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        MediaLiveOperatorGroup(stack, "Operators", **kwargs)
    assert info.value.prop == prop
    assert message in str(info.value)
    assert str(info.value).startswith("Test/Operators (MediaLiveOperatorGroup): ")
    assert "Fix: " in str(info.value)


def test_docs_tier_table_matches_the_catalog():
    doc = (Path(__file__).parents[1] / "docs" / "operator-groups.md").read_text()
    previous: tuple[str, ...] = ()
    for tier in OperatorTier:
        line = next(l for l in doc.splitlines() if l.startswith(f"| `{tier.name}` |"))
        added = [r.strip() for r in line.split("|")[2].split(",")]
        rows = tier_rows(tier, TrustedEntityOption.SIMPLE)
        expected = [r for r in rows if r not in previous and r not in ("S29", "S30", "S31")]
        assert added == expected, tier
        previous = rows


def test_policies_attached_later_are_counted_at_synth():
    """The group holds 1 policy (BASIC); 9 more attached elsewhere fit, a 10th fails synth (quota 10)."""
    app, stack = new_stack()
    g = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.BASIC)
    doc = iam.PolicyDocument(statements=[iam.PolicyStatement.from_json(
        {"Effect": "Allow", "Action": "medialive:ListChannels", "Resource": "*"})])
    for i in range(9):
        iam.ManagedPolicy(stack, f"Extra{i}", document=doc, groups=[g.group])
    app.synth()
    app, stack = new_stack()
    g = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.BASIC)
    for i in range(10):
        iam.ManagedPolicy(stack, f"Extra{i}", document=doc, groups=[g.group])
    with pytest.raises(Exception, match="11 managed policies attached"):
        app.synth()


# --- issue 11: the attacker's paths, closed -------------------------------------------------------------

ML = f"arn:aws:medialive:{REGION}:{ACCOUNT}:"
NEWS = {"aws:ResourceTag/Department": "news"}
SPORTS = {"aws:ResourceTag/Department": "sports"}


@pytest.mark.parametrize("kind", ["channel:1", "input:2", "inputSecurityGroup:3", "multiplex:4"])
def test_tag_scope_covers_every_kind(tagged, kind):
    """Issue 11 d: channels, inputs, input security groups and multiplexes of another team are out of reach."""
    action = {"channel": "medialive:DeleteChannel", "input": "medialive:DeleteInput",
              "inputSecurityGroup": "medialive:DeleteInputSecurityGroup", "multiplex": "medialive:DeleteMultiplex"}
    a = action[kind.split(":")[0]]
    assert tagged.decide(a, ML + kind, NEWS) == "Allowed"
    assert tagged.decide(a, ML + kind, SPORTS) == "ImplicitlyDenied"
    assert tagged.decide(a, ML + kind) == "ImplicitlyDenied"


def test_tag_scope_creates_only_with_its_tag(tagged):
    for action, kind in (("medialive:CreateChannel", "channel:new"), ("medialive:CreateInput", "input:new"),
                         ("medialive:CreateInputSecurityGroup", "inputSecurityGroup:new"),
                         ("medialive:CreateMultiplex", "multiplex:new")):
        assert tagged.decide(action, ML + kind, {"aws:RequestTag/Department": "news"}) == "Allowed", action
        assert tagged.decide(action, ML + kind, {"aws:RequestTag/Department": "sports"}) == "ImplicitlyDenied", action
        assert tagged.decide(action, ML + kind) == "ImplicitlyDenied", action
    # a channel attaches only the team's own inputs
    assert tagged.decide("medialive:CreateChannel", ML + "input:2", NEWS) == "Allowed"
    assert tagged.decide("medialive:CreateChannel", ML + "input:2", SPORTS) == "ImplicitlyDenied"


def test_tag_scope_cannot_retag(tagged):
    retag = {"aws:TagKeys": ["Department"], "aws:RequestTag/Department": "news"}
    assert tagged.decide("medialive:CreateTags", ML + "channel:9", {**SPORTS, **retag}) == "ImplicitlyDenied"
    assert tagged.decide("medialive:CreateTags", ML + "channel:9", {**NEWS, **retag}) == "ImplicitlyDenied"
    assert tagged.decide("medialive:DeleteTags", ML + "channel:9", {**NEWS, "aws:TagKeys": ["Department"]}) == "ImplicitlyDenied"
    assert tagged.decide("medialive:CreateTags", ML + "channel:9", {**NEWS, "aws:TagKeys": ["Owner"]}) == "Allowed"
    assert tagged.decide("medialive:CreateTags", ML + "channel:9", {"aws:TagKeys": ["Owner"]}) == "ImplicitlyDenied"


def test_tag_scope_drops_batch_unless_opted_in(tagged, iam_evaluator):
    for action in ("medialive:BatchStart", "medialive:BatchStop", "medialive:BatchDelete"):
        assert tagged.decide(action, "*") == "ImplicitlyDenied", action
    assert not set(tagged.construct.rows) & {"S3.run", "S3.delete"}
    app, stack = new_stack("OpsTaggedBatch")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE_A],
                                   resource_tag=("Department", "news"), allow_batch_operations=True)
    assert Built(app, stack, group, iam_evaluator).decide("medialive:BatchStart", "*") == "Allowed"


def test_notifications_stay_in_the_account(tier_stacks):
    """Issue 11 e: MediaLive's events only, SNS targets of this account under the prefix, e-mail subscriptions."""
    built = tier_stacks(OperatorTier.ADVANCED, TrustedEntityOption.COMPLEX)
    rule = BOUND_SAMPLES[EVENTS_RULE]
    assert built.decide("events:PutRule", rule, {"events:source": ["aws.iam"]}) == "ImplicitlyDenied"
    assert built.decide("events:PutRule", rule, {"events:source": ["aws.medialive", "aws.secretsmanager"]}) == "ImplicitlyDenied"
    assert built.decide("events:PutRule", rule) == "ImplicitlyDenied"
    own_topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:medialive-alerts"
    assert built.decide("events:PutTargets", rule, {"events:TargetArn": [own_topic]}) == "Allowed"
    for target in (f"arn:aws:events:{REGION}:999988887777:event-bus/default", f"arn:aws:sns:{REGION}:999988887777:medialive-x",
                   f"arn:aws:sns:{REGION}:{ACCOUNT}:billing", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:medialive-x"):
        assert built.decide("events:PutTargets", rule, {"events:TargetArn": [own_topic, target]}) == "ImplicitlyDenied", target
    assert built.decide("events:PutTargets", rule) == "ImplicitlyDenied"
    topic = BOUND_SAMPLES[SNS_TOPIC]
    assert built.decide("sns:Subscribe", topic, {"sns:Protocol": "email", "sns:Endpoint": "ops@example.com"}) == "Allowed"
    for protocol, endpoint in (("https", "https://attacker.example/x"), ("http", "http://x"), ("lambda", "arn:aws:lambda:x"),
                               ("sqs", f"arn:aws:sqs:{REGION}:999988887777:q")):
        assert built.decide("sns:Subscribe", topic, {"sns:Protocol": protocol, "sns:Endpoint": endpoint}) == "ImplicitlyDenied"


def test_notification_endpoint_allowlist(iam_evaluator):
    app, stack = new_stack("OpsEndpoints")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A],
                                   notification_endpoints=["https://hooks.example.com/*"])
    built = Built(app, stack, group, iam_evaluator)
    topic = BOUND_SAMPLES[SNS_TOPIC]
    ok = {"sns:Protocol": "https", "sns:Endpoint": "https://hooks.example.com/medialive"}
    bad = {"sns:Protocol": "https", "sns:Endpoint": "https://attacker.example/x"}
    assert built.decide("sns:Subscribe", topic, ok) == "Allowed"
    assert built.decide("sns:Subscribe", topic, bad) == "ImplicitlyDenied"


@pytest.fixture(scope="module")
def wizard(iam_evaluator):
    app, stack = new_stack("OpsWizard")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A],
                                   workflow_wizard=True)
    return Built(app, stack, group, iam_evaluator)


def test_wizard_is_opt_in(tier_stacks):
    built = tier_stacks(OperatorTier.ADVANCED, TrustedEntityOption.COMPLEX)
    assert not set(built.construct.rows) & {"S15", "S16", "S20", "S22", "S23"}
    assert built.decide("cloudformation:DeleteStack", BOUND_SAMPLES[CFN_STACK]) == "ImplicitlyDenied"


def test_wizard_stacks_only_under_the_prefix(wizard):
    """Issue 11 c: the wizard's CloudFormation rights reach its stacks only; never CDKToolkit or the app's stack."""
    stack = lambda name: f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{name}/0000"  # noqa: E731
    assert wizard.decide("cloudformation:DeleteStack", stack("MediaLiveWorkflow-news")) == "Allowed"
    assert wizard.decide("cloudformation:CreateStack", stack("MediaLiveWorkflow-news")) == "Allowed"
    assert wizard.decide("cloudformation:CreateStack", stack("MediaLiveWorkflow-news"),
                         {"cloudformation:RoleArn": f"arn:aws:iam::{ACCOUNT}:role/cdk-deploy"}) == "ImplicitlyDenied"
    for other in ("CDKToolkit", "OpsWizard", "OpsWizardWorkflows1", "billing"):
        assert wizard.decide("cloudformation:DeleteStack", stack(other)) != "Allowed", other
    assert wizard.decide("cloudformation:DeleteStack", stack("CDKToolkit")) == "ExplicitlyDenied"
    assert wizard.decide("cloudformation:DeleteStack", stack("OpsWizard")) == "ExplicitlyDenied"


def test_tag_scope_key_case_cannot_be_smuggled(tagged):
    """IAM matches aws:ResourceTag/<key> without regard to case: adding 'DEPARTMENT' is the same key."""
    for key in ("DEPARTMENT", "department"):
        assert tagged.decide("medialive:CreateTags", ML + "channel:9", {**NEWS, "aws:TagKeys": [key]}) == "ImplicitlyDenied"


def test_tag_scope_with_roles_by_path_passes_only_the_teams_roles(iam_evaluator):
    """Attacker review: a path holds every team's workflow roles; a tag-scoped group passes only those with its tag."""
    app, stack = new_stack("OpsTaggedByPath")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, pass_roles_by_path="/medialive/",
                                   resource_tag=("Department", "news"))
    built = Built(app, stack, group, iam_evaluator)
    role = f"arn:aws:iam::{ACCOUNT}:role/medialive/SportsWorkflow"
    assert built.decide("iam:PassRole", role, {**TO_MEDIALIVE, **NEWS}) == "Allowed"
    assert built.decide("iam:PassRole", role, {**TO_MEDIALIVE, **SPORTS}) == "ImplicitlyDenied"
    assert built.decide("iam:PassRole", role, TO_MEDIALIVE) == "ImplicitlyDenied"


def test_tag_scope_with_roles_by_path_needs_the_tag_on_listed_roles_too(iam_evaluator):
    """Issue 23: with pass_roles_by_path, S32's tag condition holds for the listed trusted_roles as well (one
    statement): the evaluator denies passing a listed role without the tag, and the synth says so, naming the role and
    the tag to add; tagged, it synthesizes and the evaluator allows it."""
    app, stack = new_stack("OpsTaggedListed")
    role = iam.Role(stack, "Own", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"), path="/teams/",
                    role_name="NewsOwn")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, trusted_roles=[role],
                                   pass_roles_by_path="/medialive/", resource_tag=("Department", "news"))
    with pytest.raises(RuntimeError, match=r"the role OpsTaggedListed/Own has no tag 'Department'.*"
                                           r"Fix: tag the role: Tags.of\(role\).add\('Department', 'news'\)"):
        app.synth()
    import aws_cdk as cdk

    cdk.Tags.of(role).add("Department", "news")
    built = Built(app, stack, group, iam_evaluator)
    own = f"arn:aws:iam::{ACCOUNT}:role/teams/NewsOwn"
    assert built.decide("iam:PassRole", own, TO_MEDIALIVE) == "ImplicitlyDenied"  # untagged: what the synth refused
    assert built.decide("iam:PassRole", own, {**TO_MEDIALIVE, **NEWS}) == "Allowed"


def test_device_transfer_is_opt_in(tier_stacks, iam_evaluator):
    device = f"arn:aws:medialive:{REGION}:{ACCOUNT}:inputDevice:hd-123456789012"
    built = tier_stacks(OperatorTier.ADVANCED, TrustedEntityOption.COMPLEX)
    assert built.decide("medialive:TransferInputDevice", device) == "ImplicitlyDenied"
    assert built.decide("medialive:AcceptInputDeviceTransfer", device) == "Allowed"
    app, stack = new_stack("OpsTransfer")
    group = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE_A],
                                   allow_device_transfer=True)
    assert Built(app, stack, group, iam_evaluator).decide("medialive:TransferInputDevice", device) == "Allowed"
    with pytest.raises(MediaLiveIamError, match="must never get the rows that transfer Link devices"):
        MediaLiveOperatorGroup(stack, "Rw", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE_A], allow_device_transfer=True)


NEVER_CASES = [(t, r) for t in OperatorTier for r in TIER_NEVER[t]]


@pytest.mark.parametrize("tier,row_id", NEVER_CASES, ids=[f"{t.name}-{r}" for t, r in NEVER_CASES])
def test_operator_group_rejects_a_never_row_of_its_tier(tier, row_id):
    _, stack = new_stack()
    e = raises_named(lambda: MediaLiveOperatorGroup(stack, "Ops", tier=tier, add_rows=[row_id]),
                construct="Test/Ops (MediaLiveOperatorGroup)", prop="add_rows")
    assert row_id in e.problem
    from medialive_iam_constructs.catalog.opt_ins import OPT_INS

    opt_in = [o for o in OPT_INS if row_id in o.rows]
    if opt_in and "must never get" not in e.problem:
        # A row behind an opt-in prop is refused for want of the opt-in first; following that fix must still
        # not give the row to a tier that must never get it.
        (entry,) = opt_in
        prop = entry.prop
        option = entry.option or TrustedEntityOption.COMPLEX
        again = raises_named(lambda: MediaLiveOperatorGroup(stack, "Ops2", tier=tier, add_rows=[row_id], trusted_entity=option,
                                                       **{prop: True}),
                        construct="Test/Ops2 (MediaLiveOperatorGroup)", prop=prop)
        assert tier.name in again.problem
        return
    assert f"tier {tier.name} must never get {row_id}" in e.problem
    assert catalog.ROWS[row_id].title in e.problem
    assert "higher tier" in e.fix and "tier=None" in e.fix


def test_operator_group_rejects_a_base_id_with_a_never_part():
    _, stack = new_stack()
    e = raises_named(lambda: MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC, add_rows=["S3"]),
                construct="Test/Ops (MediaLiveOperatorGroup)", prop="add_rows")
    assert "must never get S3.delete" in e.problem and "S3.run" not in e.problem


# --- issue 23: adopting what the console made ----------------------------------------------------------------------

def test_complex_group_refuses_the_simple_role_however_it_is_given():
    """A COMPLEX group refused trusted_roles=[iam.Role.from_role_name(..., 'MediaLiveAccessRole')] but took the
    stack-made MediaLiveAccessRole construct (its role_name is a Ref token) and the lower-case name, which IAM
    treats as the same role (fa9ab59: both accepted)."""
    from medialive_iam_constructs import MediaLiveAccessRole

    _, stack = new_stack("ComplexRefusesConsoleRole")
    for i, role in enumerate((MediaLiveAccessRole(stack, "Access", adopt_existing=True),
                              MediaLiveAccessRole.from_console_role(stack, "Console"),
                              iam.Role.from_role_name(stack, "Lower", "medialiveaccessrole"))):
        with pytest.raises(MediaLiveIamError, match="trusted_roles: the complex option's roles must not be named"):
            MediaLiveOperatorGroup(stack, f"G{i}", tier=OperatorTier.READ_WRITE, trusted_roles=[role])


def _access_role(stack):
    from medialive_iam_constructs import MediaLiveAccessRole

    return MediaLiveAccessRole(stack, "Access")


def _console_role(stack, role_arn):
    from medialive_iam_constructs import MediaLiveAccessRole

    return MediaLiveAccessRole.from_console_role(stack, "Console", role_arn=role_arn)


_SIMPLE_ROLE_FORMS = {
    "role_arn token": lambda stack: _access_role(stack).role_arn,
    "re-imported role_arn": lambda stack: iam.Role.from_role_arn(stack, "I", _access_role(stack).role_arn),
    "console role, token ARN of the app's role": lambda stack: _console_role(stack, _access_role(stack).role_arn),
    "console role, literal ARN": lambda stack: _console_role(stack, SIMPLE_ROLE),
}


@pytest.mark.parametrize("form", list(_SIMPLE_ROLE_FORMS))
def test_complex_group_refuses_the_simple_role_given_by_token_or_type(form):
    """Security review (MEDIUM): the stack-made MediaLiveAccessRole's role_arn (a GetAtt token), re-imported or
    not, hid its name from the refusal above: failed on cdf2912, the group synthesized and could pass
    MediaLiveAccessRole to MediaLive (evaluator: Allowed, /tmp/rv_exp4.py). Its CfnRole's literal name is read now; a MediaLiveConsoleRole is refused by
    type, whatever ARN it carries."""
    _, stack = new_stack("ComplexRefusesTokens")
    role = _SIMPLE_ROLE_FORMS[form](stack)
    raises_named(lambda: MediaLiveOperatorGroup(stack, "G", tier=OperatorTier.READ_WRITE, trusted_roles=[role]),
                 construct="ComplexRefusesTokens/G (MediaLiveOperatorGroup)", prop="trusted_roles")


def test_complex_group_takes_a_workflow_role_by_its_token_arn(iam_evaluator):
    """The neighbour that stays accepted: a per-workflow role the app makes, given as its role_arn token; the group
    passes that role to MediaLive and not MediaLiveAccessRole (evaluator)."""
    from medialive_iam_constructs import MediaLiveTrustedRole

    _, stack = new_stack("ComplexTakesToken")
    role = MediaLiveTrustedRole(stack, "News", role_name="medialiveNews")
    group = MediaLiveOperatorGroup(stack, "G", tier=OperatorTier.READ_WRITE, trusted_roles=[role.role_arn])
    te = TemplateEvaluator(template_of(stack), iam_evaluator)
    gid = stack.get_logical_id(group.group.node.default_child)
    to_medialive = {"iam:PassedToService": "medialive.amazonaws.com"}
    assert te.decide(gid, "iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/medialive/medialiveNews", to_medialive) == "Allowed"
    assert te.decide(gid, "iam:PassRole", SIMPLE_ROLE, to_medialive) != "Allowed"


def test_simple_group_and_existing_users_join_without_being_created(iam_evaluator):
    """The console's role referenced, the console's users added as they are: one UserToGroupAddition per user and
    group, no AWS::IAM::User, and the group passes the console role to MediaLive (S30)."""
    from medialive_iam_constructs import MediaLiveAccessRole

    _, stack = new_stack("SimpleAdoption")
    console = MediaLiveAccessRole.from_console_role(stack, "Console")
    alice, bob = (iam.User.from_user_name(stack, n.title(), n) for n in ("alice", "bob"))
    group = MediaLiveOperatorGroup(stack, "Simple", tier=OperatorTier.READ_WRITE, trusted_entity="SIMPLE",
                                   users=[alice, bob])
    template = template_of(stack)
    types = [r["Type"] for r in template["Resources"].values()]
    assert "AWS::IAM::User" not in types and "AWS::IAM::Role" not in types
    additions = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::IAM::UserToGroupAddition"]
    assert sorted(u for a in additions for u in a["Users"]) == ["alice", "bob"]
    te = TemplateEvaluator(template, iam_evaluator)
    gid = stack.get_logical_id(group.group.node.default_child)
    assert te.decide(gid, "iam:PassRole", te.resolve(stack.resolve(console.role_arn)),
                     {"iam:PassedToService": "medialive.amazonaws.com"}) == "Allowed"


def test_group_named_as_the_non_production_chapter_warns():
    from aws_cdk.assertions import Annotations, Match

    _, stack = new_stack("PowerUsersName")
    MediaLiveOperatorGroup(stack, "Power", tier=OperatorTier.BASIC, group_name="medialivepowerusers",
                           policy_name_prefix="MediaLivePowerAccess")
    warnings = [m.entry.data for m in Annotations.from_stack(stack).find_warning("*", Match.any_value())
                if "medialive-iam:console-name" in m.entry.data]
    assert len(warnings) == 2, warnings
    assert any("group_name" in w and "iam.User.from_user_name" in w for w in warnings), warnings
    assert any("policy_name_prefix" in w for w in warnings), warnings


def test_existing_users_join_with_one_addition_each_whose_id_names_group_and_user():
    """Issue 23: the console's users join without being created; the membership's logical id depends on the group
    and the user, so dropping another group (the simple-option group at the end of docs/adopting.md) renumbers
    nothing (users=[iam.User.from_user_name] gives aliceGroup0, aliceGroup1 by order in the stack)."""
    def additions(both: bool) -> dict:
        _, stack = new_stack(f"Existing{both}")
        if both:
            MediaLiveOperatorGroup(stack, "Simple", tier=OperatorTier.BASIC, existing_users=["alice"])
        MediaLiveOperatorGroup(stack, "Complex", tier=OperatorTier.BASIC,
                               existing_users=[iam.User.from_user_name(stack, "Alice", "alice"), "bob"])
        template = template_of(stack)
        assert not [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::User"]
        return {k: v["Properties"] for k, v in template["Resources"].items()
                if v["Type"] == "AWS::IAM::UserToGroupAddition"}

    both, complex_only = additions(True), additions(False)
    assert len(both) == 3 and len(complex_only) == 2
    assert set(complex_only) < set(both)  # the same logical ids with or without the other group
    assert sorted(p["Users"][0] for p in complex_only.values()) == ["alice", "bob"]


@pytest.mark.parametrize("props, fragment", [
    ({"existing_users": ["alice", "ALICE"]}, "given twice"),
    ({"existing_users": ["alice"], "console_users": ["alice"]}, "EntityAlreadyExists"),
    ({"existing_users": ["bad name"]}, "existing_users"),
    ({"existing_users": "alice"}, "is a string"),
])
def test_existing_users_are_checked(props, fragment):
    _, stack = new_stack(f"ExistingBad{abs(hash(str(props)))}")
    with pytest.raises(MediaLiveIamError, match="existing_users") as err:
        MediaLiveOperatorGroup(stack, "G", tier=OperatorTier.BASIC, **props)
    assert fragment in str(err.value), str(err.value)
