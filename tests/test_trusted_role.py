"""MediaLiveTrustedRole (complex option) and MediaLiveAccessRole (simple option).

Every allow/deny below is decided by the IAM evaluator (``@cloud-copilot/iam-simulate``, fixture
``tools.iam_evaluator``) on the synthesized template; stacks are synthesized once per module.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import aws_cdk as cdk
import aws_cdk.aws_medialive_alpha as medialive_alpha
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm

from tools.lint.nag import nag_findings
from tests.helpers import ACCOUNT, REGION, assert_cfn_lint_clean, assert_nag_clean, new_stack, raises_named, template_of
from tools.iam_evaluator import TemplateEvaluator
from medialive_iam_constructs import MediaLiveIamError, MediaLivePermissionsBoundary, QuotaExceededError
from medialive_iam_constructs.catalog import ALL_ROWS, CONSOLE_TEMPLATE_STATEMENTS, ROWS
from medialive_iam_constructs.catalog.console_template import CONSOLE_INLINE_POLICY_NAME
from medialive_iam_constructs.trusted_role import (
    SIMPLE_ROLE_INLINE_FINDINGS,
    MediaLiveAccessRole,
    MediaLiveTrustedRole,
    S3Location,
    VpcAccess,
)

P = "arn:aws"
ML = f"{P}:medialive:{REGION}:{ACCOUNT}"
OTHER_ACCOUNT = "444455556666"
EC2 = f"{P}:ec2:{REGION}:{ACCOUNT}"
KEY_ARN = f"{P}:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY_ARN = f"{P}:kms:{REGION}:{ACCOUNT}:key/9999abcd-12ab-34cd-56ef-1234567890ab"
LOG_GROUP = f"{P}:logs:{REGION}:{ACCOUNT}:log-group:ElementalMediaLive"


# --- helpers ---------------------------------------------------------------------------------------

def _logical_id(stack: cdk.Stack, construct) -> str:
    return stack.resolve((construct.node.default_child or construct).logical_id)


def _resources(template: dict, rtype: str) -> dict:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == rtype}


def _acks(construct) -> dict[str, str]:
    out = {}
    for entry in construct.node.metadata:
        if entry.type == "aws:cdk:acknowledged-rules":
            for key, reason in entry.data.items():
                out[key.removeprefix("Annotation::")] = reason
    return out


class Synth:
    """One synthesized stack, its template and an evaluator bound to it."""

    def __init__(self, app, stack, construct, evaluator):
        self.app, self.stack, self.construct = app, stack, construct
        self.template = template_of(stack)
        self.te = TemplateEvaluator(self.template, evaluator)
        self.role_id = _logical_id(stack, construct.role)

    def decide(self, action: str, resource: str, context=None, principal: str | None = None,
               resource_policy: dict | None = None) -> str:
        if resource_policy is None:
            return self.te.decide(principal or self.role_id, action, resource, context)
        p = self.te.policies(principal or self.role_id)
        return self.te.evaluator.evaluate(
            identity_policies=p.identity_policies, permission_boundaries=p.permissions_boundary, action=action,
            resource=resource, principal=p.principal_arn, context=context, resource_policy=resource_policy,
        ).result

    @property
    def role_arn(self) -> str:
        return self.te.principals.arn_of(self.role_id)

    def assume(self, source_account: str | None, source_arn: str | None) -> str:
        """sts:AssumeRole by medialive.amazonaws.com, decided on the role's trust policy."""
        trust = self.te.resolve(self.template["Resources"][self.role_id]["Properties"]["AssumeRolePolicyDocument"])
        context = {}
        if source_account:
            context["aws:SourceAccount"] = source_account
        if source_arn:
            context["aws:SourceArn"] = source_arn
        return self.te.evaluator.evaluate(
            identity_policies=[], action="sts:AssumeRole", resource=self.role_arn,
            principal="medialive.amazonaws.com", resource_policy=trust, context=context,
        ).result


def _full_role(stack: cdk.Stack) -> MediaLiveTrustedRole:
    """A workflow with every feature on, mixing CDK objects and plain names/ARNs."""
    return MediaLiveTrustedRole(
        stack, "Workflow",
        role_name="medialiveWorkflow15",
        source_buckets=[s3.Bucket.from_bucket_name(stack, "BucketA", "bucket-a"), S3Location("bucket-c", "ingest/")],
        destination_buckets=[S3Location(s3.Bucket.from_bucket_name(stack, "BucketD", "bucket-d"), "live/")],
        thumbnail_buckets=["thumbs-bucket"],
        mediapackage_channels=["news-v1"],
        mediapackage_v2_channels=[("live-group", "channel-x"),
                                  f"{P}:mediapackagev2:{REGION}:{ACCOUNT}:channelGroup/other-group/channel/channel-z"],
        mediaconnect_inputs=True,
        mediastore_source_containers=["ms-source"],
        mediastore_destination_containers=[f"{P}:mediastore:{REGION}:{ACCOUNT}:container/ms-dest"],
        password_parameters=[ssm.StringParameter.from_string_parameter_name(stack, "Pw", "/medialive/news/pull-pw"),
                             "/medialive/sports/pw"],
        password_parameter_paths=["/medialive/shared/"],
        parameter_keys=[kms.Key.from_key_arn(stack, "Key", KEY_ARN)],
        srt_secrets=[secretsmanager.Secret.from_secret_name_v2(stack, "Srt", "srt/passphrase")],
        irdeto_secrets=["irdeto-licence"],
        vpc_inputs=VpcAccess(subnets=[ec2.Subnet.from_subnet_id(stack, "SubnetA", "subnet-aaaa1111")],
                             security_groups=["sg-0aaa1111"]),
        vpc_delivery=VpcAccess(subnets=["subnet-bbbb2222"],
                               security_groups=[ec2.SecurityGroup.from_security_group_id(stack, "SgB", "sg-0bbb2222")],
                               elastic_ip_allocations=["eipalloc-0123456789"]),
        inference_feeds=["feed-1"],
    )


@pytest.fixture(scope="module")
def full(iam_evaluator) -> Synth:
    app, stack = new_stack("Full")
    return Synth(app, stack, _full_role(stack), iam_evaluator)


@pytest.fixture(scope="module")
def bare(iam_evaluator) -> Synth:
    app, stack = new_stack("Bare")
    return Synth(app, stack, MediaLiveTrustedRole(stack, "Logging"), iam_evaluator)


@pytest.fixture(scope="module")
def simple(iam_evaluator) -> Synth:
    app, stack = new_stack("Simple")
    return Synth(app, stack, MediaLiveAccessRole(stack, "AccessRole"), iam_evaluator)


@pytest.fixture(scope="module")
def passing(iam_evaluator) -> Synth:
    """A trusted role, an operator role it is passed by, and an unrelated role."""
    app, stack = new_stack("Pass")
    trusted = MediaLiveTrustedRole(stack, "Workflow", source_buckets=["bucket-a"])
    operator = iam.Role(stack, "Operator", assumed_by=iam.AccountRootPrincipal())
    other = iam.Role(stack, "Other", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    grant = trusted.grant_pass_role(operator)
    synth = Synth(app, stack, trusted, iam_evaluator)
    synth.operator_id = _logical_id(stack, operator)
    synth.other_arn = synth.te.principals.arn_of(_logical_id(stack, other))
    synth.grant = grant
    return synth


# --- the complex option: scoped grants, through the evaluator -------------------------------------

def test_rows_list_every_feature(full):
    assert full.construct.rows == ("T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "T14", "T15", "T16.read",
                                   "T16.write", "T18.read", "T18.write", "T19", "T20", "T21", "T23", "T23.kms")
    assert [p.node.id for p in full.construct.managed_policies] == ["Policy1"]


def test_s3_source_bucket_is_read_only_and_only_that_bucket(full):
    assert full.decide("s3:GetObject", f"{P}:s3:::bucket-a/media/in.mp4") == "Allowed"
    assert full.decide("s3:ListBucket", f"{P}:s3:::bucket-a") == "Allowed"
    assert full.decide("s3:GetObject", f"{P}:s3:::bucket-b/media/in.mp4") == "ImplicitlyDenied"
    assert full.decide("s3:PutObject", f"{P}:s3:::bucket-a/media/in.mp4") == "ImplicitlyDenied"
    assert full.decide("s3:DeleteObject", f"{P}:s3:::bucket-a/media/in.mp4") == "ImplicitlyDenied"


def test_s3_prefix_limits_objects_and_listing(full):
    assert full.decide("s3:GetObject", f"{P}:s3:::bucket-c/ingest/a.ts") == "Allowed"
    assert full.decide("s3:GetObject", f"{P}:s3:::bucket-c/private/a.ts") == "ImplicitlyDenied"
    assert full.decide("s3:ListBucket", f"{P}:s3:::bucket-c", {"s3:prefix": "ingest/"}) == "Allowed"
    assert full.decide("s3:ListBucket", f"{P}:s3:::bucket-c", {"s3:prefix": "private/"}) == "ImplicitlyDenied"


def test_s3_destination_is_read_write_under_its_prefix(full):
    for action in ("s3:PutObject", "s3:GetObject", "s3:DeleteObject"):
        assert full.decide(action, f"{P}:s3:::bucket-d/live/index.m3u8") == "Allowed"
        assert full.decide(action, f"{P}:s3:::bucket-d/other/index.m3u8") == "ImplicitlyDenied"


def test_thumbnails_put_only(full):
    assert full.decide("s3:PutObject", f"{P}:s3:::thumbs-bucket/t.jpg") == "Allowed"
    assert full.decide("s3:GetObject", f"{P}:s3:::thumbs-bucket/t.jpg") == "ImplicitlyDenied"


def test_mediapackage_v2_channel_x_not_y(full):
    mp = f"{P}:mediapackagev2:{REGION}:{ACCOUNT}:channelGroup"
    assert full.decide("mediapackagev2:PutObject", f"{mp}/live-group/channel/channel-x") == "Allowed"
    assert full.decide("mediapackagev2:GetChannel", f"{mp}/live-group/channel/channel-x") == "Allowed"
    assert full.decide("mediapackagev2:PutObject", f"{mp}/other-group/channel/channel-z") == "Allowed"
    assert full.decide("mediapackagev2:PutObject", f"{mp}/live-group/channel/channel-y") == "ImplicitlyDenied"
    assert full.decide("mediapackagev2:PutObject", f"{mp}/other-group/channel/channel-x") == "ImplicitlyDenied"


def test_mediapackage_v1_channel(full):
    mp = f"{P}:mediapackage:{REGION}:{ACCOUNT}:channels"
    assert full.decide("mediapackage:DescribeChannel", f"{mp}/news-v1") == "Allowed"
    assert full.decide("mediapackage:DescribeChannel", f"{mp}/sports-v1") == "ImplicitlyDenied"


def test_ssm_parameters_by_object_name_and_path(full):
    ssm_arn = f"{P}:ssm:{REGION}:{ACCOUNT}:parameter"
    assert full.decide("ssm:GetParameter", f"{ssm_arn}/medialive/news/pull-pw") == "Allowed"
    assert full.decide("ssm:GetParameters", f"{ssm_arn}/medialive/sports/pw") == "Allowed"
    assert full.decide("ssm:GetParameter", f"{ssm_arn}/medialive/shared/a/b") == "Allowed"
    assert full.decide("ssm:GetParameter", f"{ssm_arn}/medialive/news/other") == "ImplicitlyDenied"
    assert full.decide("ssm:GetParameter", f"{ssm_arn}/prod/db-password") == "ImplicitlyDenied"
    assert full.decide("ssm:PutParameter", f"{ssm_arn}/medialive/sports/pw") == "ImplicitlyDenied"


#: A KMS key's default key policy ("enable IAM policies"): KMS needs it before any identity policy counts.
DEFAULT_KEY_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"{P}:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}]}


def test_kms_decrypt_only_on_the_named_key(full):
    def decide(action, key):
        return full.decide(action, key, resource_policy=DEFAULT_KEY_POLICY)

    assert decide("kms:Decrypt", KEY_ARN) == "Allowed"
    assert decide("kms:Decrypt", OTHER_KEY_ARN) == "ImplicitlyDenied"
    assert decide("kms:Encrypt", KEY_ARN) == "ImplicitlyDenied"


def test_secrets_srt_and_irdeto(full):
    sec = f"{P}:secretsmanager:{REGION}:{ACCOUNT}:secret"
    assert full.decide("secretsmanager:GetSecretValue", f"{sec}:srt/passphrase-AbC123") == "Allowed"
    assert full.decide("secretsmanager:GetSecretValue", f"{sec}:irdeto-licence-XyZ789") == "Allowed"
    assert full.decide("secretsmanager:GetSecretValue", f"{sec}:prod/db-AbC123") == "ImplicitlyDenied"
    assert full.decide("secretsmanager:GetSecretValue", f"{sec}:srt/passphrase-extra-AbC123") == "ImplicitlyDenied"
    assert full.decide("secretsmanager:PutSecretValue", f"{sec}:srt/passphrase-AbC123") == "ImplicitlyDenied"


def test_mediastore_containers(full):
    ms = f"{P}:mediastore:{REGION}:{ACCOUNT}:container"
    assert full.decide("mediastore:GetObject", f"{ms}/ms-source/a/b.ts") == "Allowed"
    assert full.decide("mediastore:PutObject", f"{ms}/ms-source/a/b.ts") == "ImplicitlyDenied"
    assert full.decide("mediastore:PutObject", f"{ms}/ms-dest/a/b.ts") == "Allowed"
    assert full.decide("mediastore:GetObject", f"{ms}/other/a/b.ts") == "ImplicitlyDenied"


def test_network_interfaces_only_in_given_subnets_and_security_groups(full):
    assert full.decide("ec2:CreateNetworkInterface", f"{EC2}:subnet/subnet-aaaa1111") == "Allowed"
    assert full.decide("ec2:CreateNetworkInterface", f"{EC2}:subnet/subnet-bbbb2222") == "Allowed"
    assert full.decide("ec2:CreateNetworkInterface", f"{EC2}:subnet/subnet-cccc3333") == "ImplicitlyDenied"
    assert full.decide("ec2:CreateNetworkInterface", f"{EC2}:security-group/sg-0aaa1111") == "Allowed"
    assert full.decide("ec2:CreateNetworkInterface", f"{EC2}:security-group/sg-0ccc3333") == "ImplicitlyDenied"
    eni = f"{EC2}:network-interface/eni-0123"
    # VPC input ENIs (T7) and delivery ENIs (T8) may be deleted only in their subnets.
    assert full.decide("ec2:DeleteNetworkInterface", eni, {"ec2:Subnet": f"{EC2}:subnet/subnet-aaaa1111"}) == "Allowed"
    assert full.decide("ec2:DeleteNetworkInterface", eni, {"ec2:Subnet": f"{EC2}:subnet/subnet-bbbb2222"}) == "Allowed"
    assert full.decide("ec2:DeleteNetworkInterface", eni, {"ec2:Subnet": f"{EC2}:subnet/subnet-cccc3333"}) \
        == "ImplicitlyDenied"
    assert full.decide("ec2:DeleteNetworkInterfacePermission", eni,
                       {"ec2:Subnet": f"{EC2}:subnet/subnet-aaaa1111"}) == "Allowed"
    # T7 is for VPC inputs only: delivery subnets do not get DeleteNetworkInterfacePermission.
    assert full.decide("ec2:DeleteNetworkInterfacePermission", eni,
                       {"ec2:Subnet": f"{EC2}:subnet/subnet-bbbb2222"}) == "ImplicitlyDenied"


def test_elastic_ips_only_the_given_allocation(full):
    assert full.decide("ec2:AssociateAddress", f"{EC2}:elastic-ip/eipalloc-0123456789") == "Allowed"
    assert full.decide("ec2:AssociateAddress", f"{EC2}:elastic-ip/eipalloc-9999999999") == "ImplicitlyDenied"


def test_inference_feed(full):
    feed = f"{P}:elemental-inference:{REGION}:{ACCOUNT}:feed"
    assert full.decide("elemental-inference:PutMedia", f"{feed}/feed-1") == "Allowed"
    assert full.decide("elemental-inference:PutMedia", f"{feed}/feed-2") == "ImplicitlyDenied"


def test_mediaconnect_managed_actions_on_star(full, bare):
    flow = f"{P}:mediaconnect:{REGION}:{ACCOUNT}:flow:1-abc:live"
    assert full.decide("mediaconnect:ManagedAddOutput", flow) == "Allowed"
    assert bare.decide("mediaconnect:ManagedAddOutput", flow) == "ImplicitlyDenied"


def test_nothing_beyond_the_workflow(full):
    assert full.decide("medialive:StartChannel", f"{ML}:channel:123") == "ImplicitlyDenied"
    assert full.decide("iam:PassRole", f"{P}:iam::{ACCOUNT}:role/x") == "ImplicitlyDenied"
    assert full.decide("s3:PutObject", f"{P}:s3:::other-bucket/x") == "ImplicitlyDenied"


# --- logging only ---------------------------------------------------------------------------------

def test_role_without_features_holds_only_the_logging_grant(bare):
    assert bare.construct.rows == ("T5",)
    policies = _resources(bare.template, "AWS::IAM::ManagedPolicy")
    statements = [s for p in policies.values() for s in p["Properties"]["PolicyDocument"]["Statement"]]
    assert {re.sub(r"No\d+$", "", s["Sid"]) for s in statements} == {"T5"}
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == set(ROWS["T5"].actions)
    assert not _resources(bare.template, "AWS::IAM::Policy")
    assert "Policies" not in bare.template["Resources"][bare.role_id]["Properties"]
    stream = f"{LOG_GROUP}:log-stream:arn_aws_medialive_{REGION}_{ACCOUNT}_channel_123_0"
    assert bare.decide("logs:PutLogEvents", stream) == "Allowed"
    assert bare.decide("logs:CreateLogGroup", LOG_GROUP) == "Allowed"
    assert bare.decide("logs:DescribeLogGroups", "*") == "Allowed"
    assert bare.decide("logs:PutLogEvents", f"{P}:logs:{REGION}:{ACCOUNT}:log-group:Other:log-stream:x") \
        == "ImplicitlyDenied"
    assert bare.decide("logs:DeleteLogGroup", LOG_GROUP) == "ImplicitlyDenied"
    assert bare.decide("s3:GetObject", f"{P}:s3:::bucket-a/x") == "ImplicitlyDenied"


def test_default_path(bare):
    assert bare.template["Resources"][bare.role_id]["Properties"]["Path"] == "/medialive/"


# --- trust policy ---------------------------------------------------------------------------------

def test_trust_policy_holds_confused_deputy_conditions(bare):
    (stmt,) = bare.te.resolve(bare.template["Resources"][bare.role_id]["Properties"]["AssumeRolePolicyDocument"])[
        "Statement"]
    assert stmt["Principal"] == {"Service": "medialive.amazonaws.com"}
    assert stmt["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"{ML}:channel:*"},
    }
    assert bare.assume(ACCOUNT, f"{ML}:channel:1234567") == "Allowed"
    assert bare.assume(OTHER_ACCOUNT, f"{P}:medialive:{REGION}:{OTHER_ACCOUNT}:channel:1") == "ImplicitlyDenied"
    assert bare.assume(ACCOUNT, f"{P}:medialive:eu-west-1:{ACCOUNT}:channel:1") == "ImplicitlyDenied"
    assert bare.assume(ACCOUNT, f"{ML}:input:1") == "ImplicitlyDenied"  # no input feature declared
    assert bare.assume(None, None) == "ImplicitlyDenied"


def test_trust_policy_admits_inputs_when_input_features_are_declared(full):
    assert full.assume(ACCOUNT, f"{ML}:input:7654321") == "Allowed"
    assert full.assume(ACCOUNT, f"{ML}:channel:1234567") == "Allowed"
    assert full.assume(ACCOUNT, f"{ML}:multiplex:1") == "ImplicitlyDenied"


def test_trust_conditions_can_be_turned_off(iam_evaluator):
    app, stack = new_stack("NoConditions")
    synth = Synth(app, stack, MediaLiveTrustedRole(stack, "Weak", confused_deputy_conditions=False), iam_evaluator)
    (stmt,) = synth.template["Resources"][synth.role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert "Condition" not in stmt
    # Weaker: a channel of any account now makes MediaLive assume the role.
    assert synth.assume(OTHER_ACCOUNT, f"{P}:medialive:{REGION}:{OTHER_ACCOUNT}:channel:1") == "Allowed"


# --- grant_pass_role --------------------------------------------------------------------------------

def test_grant_pass_role_to_medialive_only(passing):
    op = passing.operator_id
    to_medialive = {"iam:PassedToService": "medialive.amazonaws.com"}
    assert passing.decide("iam:PassRole", passing.role_arn, to_medialive, principal=op) == "Allowed"
    assert passing.decide("iam:PassRole", passing.role_arn, {"iam:PassedToService": "ec2.amazonaws.com"},
                          principal=op) == "ImplicitlyDenied"
    assert passing.decide("iam:PassRole", passing.other_arn, to_medialive, principal=op) == "ImplicitlyDenied"
    assert passing.decide("iam:PassRole", passing.role_arn, None, principal=op) == "ImplicitlyDenied"
    assert passing.grant.success


def test_the_construct_spells_no_action_name():
    """Actions come from the catalog (S32 for PassRole, T rows, the console template), never from the construct."""
    source = (Path(__file__).parents[1] / "medialive_iam_constructs" / "trusted_role.py").read_text().lower()
    actions = {a.lower() for row in ALL_ROWS for a in row.actions}
    actions |= {a.lower() for s in CONSOLE_TEMPLATE_STATEMENTS for a in s["Action"]}
    assert "iam:passrole" in actions and "s3:getobject" in actions
    spelled = sorted(a for a in actions if f'"{a}"' in source or f"'{a}'" in source)
    assert spelled == []


# --- invalid input ------------------------------------------------------------------------------------

INVALID = [
    ("bad bucket", {"source_buckets": ["Bad_Bucket"]}, "source_buckets", "bucket name"),
    ("bucket too short", {"destination_buckets": ["ab"]}, "destination_buckets", "characters"),
    ("long role name", {"role_name": "m" * 65}, "role_name", "65 characters"),
    ("illegal char", {"role_name": "medialive/workflow"}, "role_name", "does not allow"),
    ("reserved name", {"role_name": "MediaLiveAccessRole"}, "role_name", "reserved"),
    ("reserved any case", {"role_name": "medialiveaccessrole"}, "role_name", "reserved"),
    ("prefix wildcard", {"source_buckets": [S3Location("bucket-a", "live/*")]}, "source_buckets.prefix", "wildcard"),
    ("ssm other partition", {"password_parameters": ["arn:aws-cn:ssm:cn-north-1:111122223333:parameter/pw"]},
     "password_parameters", "partition"),
    ("ssm path wildcard", {"password_parameter_paths": ["/medialive/*/"]}, "password_parameter_paths", "wildcard"),
    ("ssm path form", {"password_parameter_paths": ["medialive"]}, "password_parameter_paths", "start and end"),
    ("nothing granted", {"logging": False}, "logging", "grant nothing"),
    ("bad path", {"path": "medialive"}, "path", "path"),
    ("secret wrong service", {"srt_secrets": [f"{P}:ssm:{REGION}:{ACCOUNT}:parameter/x"]}, "srt_secrets",
     "not a secretsmanager ARN"),
    ("mpv2 bad", {"mediapackage_v2_channels": ["channel-x"]}, "mediapackage_v2_channels", "neither an ARN"),
    ("mp v1 wildcard", {"mediapackage_channels": ["*"]}, "mediapackage_channels", "characters"),
    ("subnet id", {"vpc_inputs": VpcAccess(subnets=["sg-123"], security_groups=["sg-1"])}, "vpc_inputs.subnets",
     "subnet-"),
    ("vpc without sg", {"vpc_delivery": VpcAccess(subnets=["subnet-1"], security_groups=[])}, "vpc_delivery",
     "security group"),
    ("eip on inputs", {"vpc_inputs": VpcAccess(["subnet-1"], ["sg-1"], ["eipalloc-1"])},
     "vpc_inputs.elastic_ip_allocations", "T9"),
    ("keys alone", {"parameter_keys": [KEY_ARN]}, "parameter_keys", "without any password parameter"),
    ("quota", {"max_managed_policies": 30}, "max_managed_policies", "out of range"),
]


@pytest.mark.parametrize("kwargs,prop,problem", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_input_fails_at_synth_naming_construct_prop_and_fix(kwargs, prop, problem):
    _, stack = new_stack("Invalid")
    with pytest.raises(MediaLiveIamError) as info:
        MediaLiveTrustedRole(stack, "Workflow", **kwargs)
    err = info.value
    assert err.construct == "Invalid/Workflow (MediaLiveTrustedRole)"
    assert err.prop == prop
    assert problem in err.problem
    assert err.fix and "Fix:" in str(err)


def test_partition_in_an_env_agnostic_stack():
    """The region is unknown: any one partition is accepted, a mix is not (docs/trusted-role.md)."""
    stack = cdk.Stack(cdk.App(), "Agnostic")
    cn = "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/pw"
    assert MediaLiveTrustedRole(stack, "Cn", password_parameters=[cn]).rows == ("T5", "T23")
    with pytest.raises(MediaLiveIamError, match="several partitions"):
        MediaLiveTrustedRole(stack, "Mixed", password_parameters=[cn],
                             srt_secrets=["arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbC123"])


def test_partition_of_a_china_region_stack():
    stack = cdk.Stack(cdk.App(), "China", env=cdk.Environment(account=ACCOUNT, region="cn-north-1"))
    with pytest.raises(MediaLiveIamError, match="partition 'aws'"):
        MediaLiveTrustedRole(stack, "W", password_parameters=[f"{P}:ssm:{REGION}:{ACCOUNT}:parameter/pw"])
    ok = MediaLiveTrustedRole(stack, "Ok", password_parameters=["arn:aws-cn:ssm:cn-north-1:111122223333:parameter/pw"])
    assert ok.rows == ("T5", "T23")


def test_quota_error_when_the_workflow_outgrows_max_managed_policies():
    _, stack = new_stack("Quota")
    buckets = [f"bucket-{i:03d}-{'x' * 40}" for i in range(120)]
    with pytest.raises(QuotaExceededError) as info:
        MediaLiveTrustedRole(stack, "Big", source_buckets=buckets, destination_buckets=buckets, max_managed_policies=1)
    assert info.value.prop == "max_managed_policies" and "over the quota of 1" in info.value.problem


# --- cdk-nag, cfn-lint, snapshot ---------------------------------------------------------------------

def test_nag_clean_full(full):
    assert_nag_clean(full.app, full.stack)


def test_nag_clean_bare_and_simple(bare, simple):
    assert_nag_clean(bare.app, bare.stack)
    assert_nag_clean(simple.app, simple.stack)


def test_acknowledgements_sit_on_the_policies_that_cause_them(full):
    construct = full.construct
    assert _acks(construct) == {} and _acks(construct.role) == {} and _acks(full.stack) == {}
    acks = _acks(construct.managed_policies[0])
    assert "AwsSolutions-IAM5[Resource::*]" in acks
    for finding, reason in acks.items():
        assert finding.startswith("AwsSolutions-IAM5["), finding
        assert re.search(r"\b(T\d+|E\d+)", reason), reason
    assert "E14" in acks["AwsSolutions-IAM5[Resource::*]"]  # MediaConnect Managed* forces '*'


def test_simple_role_acknowledgements_are_needed_and_exact(simple):
    """The same role without our acknowledgements has exactly the findings we acknowledge, on the role."""
    acks = _acks(simple.construct.role)
    assert _acks(simple.construct) == {} and _acks(simple.stack) == {}
    for reason in acks.values():
        assert "simple option" in reason and "broad by design" in reason and re.search(r"\bT\d+", reason)
    app, stack = new_stack("SimpleRaw")
    statements = [{k: (v.replace("${Partition}", cdk.Aws.PARTITION) if isinstance(v, str) else v) for k, v in s.items()}
                  for s in CONSOLE_TEMPLATE_STATEMENTS]
    iam.Role(stack, "Raw", role_name="MediaLiveAccessRole", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
             inline_policies={"P": iam.PolicyDocument.from_json({"Version": "2012-10-17", "Statement": statements})},
             managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMReadOnlyAccess")])
    found = {line.split(" ", 1)[0] for line in nag_findings(app, stack)}
    granular = {f for f in found if "[" in f}
    assert granular == {k for k in acks if k.startswith("AwsSolutions")}
    assert set(SIMPLE_ROLE_INLINE_FINDINGS) <= found
    assert set(acks) == granular | set(SIMPLE_ROLE_INLINE_FINDINGS)


def test_cfn_lint_clean(full, bare, simple, passing):
    for synth in (full, bare, simple, passing):
        assert_cfn_lint_clean(synth.template)


def test_snapshot_every_feature(full, snapshot):
    assert full.template == snapshot


# --- the official alpha L2 with our role ---------------------------------------------------------------

def test_alpha_channel_with_our_role_grants_nothing_itself(iam_evaluator):
    def build(with_channel: bool):
        app, stack = new_stack("Alpha")
        src = s3.Bucket.from_bucket_name(stack, "Src", "bucket-a")
        dst = s3.Bucket.from_bucket_name(stack, "Dst", "bucket-d")
        role = MediaLiveTrustedRole(stack, "Workflow", source_buckets=[S3Location(src, "media/")],
                                    destination_buckets=[S3Location(dst, "live/")])
        if with_channel:
            source = medialive_alpha.InputSource.from_bucket(src, "media/input.mp4")
            inp = medialive_alpha.Input(stack, "In", input=medialive_alpha.InputConfiguration.mp4_file([source]))
            video = medialive_alpha.EncodeConfiguration.video(
                name="video", width=1280, height=720,
                codec=medialive_alpha.VideoCodecSettings.h264(
                    rate_control=medialive_alpha.H264RateControl.cbr(bitrate=cdk.Bitrate.mbps(3)),
                    framerate=medialive_alpha.Framerate.FPS_30),
            )
            medialive_alpha.Channel(
                stack, "Channel", role=role.role, log_level=medialive_alpha.LogLevel.INFO,
                inputs=[medialive_alpha.InputAttachment(input=inp)],
                output_groups=[medialive_alpha.OutputGroupConfiguration.hls(
                    name="hls", destinations=[medialive_alpha.OutputDestination.to_bucket(dst, "live/stream")],
                    outputs=[medialive_alpha.HlsOutputDefinition(encodes=[video], output_name="out")])],
            )
        return Synth(app, stack, role, iam_evaluator)

    alone, with_channel = build(False), build(True)
    iam_types = ("AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::S3::BucketPolicy")
    for rtype in iam_types:
        assert _resources(with_channel.template, rtype) == _resources(alone.template, rtype), rtype
    (channel,) = _resources(with_channel.template, "AWS::MediaLive::Channel").values()
    assert channel["Properties"]["RoleArn"] == {"Fn::GetAtt": [with_channel.role_id, "Arn"]}
    # Our role alone covers what the channel is wired to (URLs read from the synthesized channel and input).
    (inp,) = _resources(with_channel.template, "AWS::MediaLive::Input").values()
    (source_url,) = [s["Url"] for s in inp["Properties"]["Sources"]]
    dest_urls = [s["Url"] for d in channel["Properties"]["Destinations"] for s in d["Settings"]]

    def s3_arn(url: str, suffix: str = "") -> str:
        u = urlparse(url)
        return f"{P}:s3:::{u.netloc}{u.path}{suffix}"

    assert with_channel.decide("s3:GetObject", s3_arn(source_url)) == "Allowed"
    for url in dest_urls:
        assert with_channel.decide("s3:PutObject", s3_arn(url, ".m3u8")) == "Allowed"
        assert with_channel.decide("s3:PutObject", s3_arn(url.replace("/live/", "/elsewhere/"))) == "ImplicitlyDenied"
    assert with_channel.decide("logs:PutLogEvents", f"{LOG_GROUP}:log-stream:x") == "Allowed"


# --- the simple option ---------------------------------------------------------------------------------

def test_simple_role_is_the_console_template(simple):
    props = simple.template["Resources"][simple.role_id]["Properties"]
    assert props["RoleName"] == "MediaLiveAccessRole"
    assert "Path" not in props and "PermissionsBoundary" not in props
    (policy,) = props["Policies"]
    assert policy["PolicyName"] == CONSOLE_INLINE_POLICY_NAME
    expected = [{k: (v.replace("${Partition}", "aws") if isinstance(v, str) else v) for k, v in s.items()}
                for s in CONSOLE_TEMPLATE_STATEMENTS]

    def as_lists(statement: dict) -> dict:  # CDK writes a one-element Action list as a string (same policy)
        return {k: ([v] if k == "Action" and isinstance(v, str) else v) for k, v in statement.items()}

    document = simple.te.resolve(policy["PolicyDocument"])
    assert document["Version"] == "2012-10-17"
    assert [as_lists(s) for s in document["Statement"]] == expected  # same statements, same order
    assert simple.te.resolve(props["ManagedPolicyArns"]) == [f"{P}:iam::aws:policy/AmazonSSMReadOnlyAccess"]
    (trust,) = props["AssumeRolePolicyDocument"]["Statement"]
    # issue 11 a: the console's plain trust plus the confused-deputy conditions (docs/deviations.md)
    assert simple.te.resolve(trust) == {
        "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "medialive.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                      "ArnLike": {"aws:SourceArn": [f"{P}:medialive:*:{ACCOUNT}:channel:*",
                                                    f"{P}:medialive:*:{ACCOUNT}:input:*"]}}}
    assert not _resources(simple.template, "AWS::IAM::ManagedPolicy")


def test_simple_role_trust_opt_out_is_the_console_copy():
    app, stack = new_stack("SimplePlain")
    MediaLiveAccessRole(stack, "Console", confused_deputy_conditions=False)
    (role,) = _resources(template_of(stack), "AWS::IAM::Role").values()
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust == {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "medialive.amazonaws.com"}}


def test_scoped_simple_role_reaches_only_the_namespaces(iam_evaluator):
    """Issue 11 g: the scoped variant of MediaLiveAccessRole reads only the app's namespaces."""
    from tools.iam_evaluator import TemplateEvaluator
    from medialive_iam_constructs import MediaLiveNamespaces

    app, stack = new_stack("SimpleScoped")
    MediaLiveAccessRole(stack, "Console", namespaces=MediaLiveNamespaces(bucket_names=["news-sources"]))
    template = template_of(stack)
    (role_id,) = _resources(template, "AWS::IAM::Role")
    assert "Policies" not in template["Resources"][role_id]["Properties"]
    te = TemplateEvaluator(template, iam_evaluator)
    acct = {"aws:ResourceAccount": ACCOUNT}
    assert te.decide(role_id, "s3:GetObject", f"{P}:s3:::news-sources/x", acct) == "Allowed"
    assert te.decide(role_id, "s3:GetObject", f"{P}:s3:::any-bucket-at-all/x", acct) == "ImplicitlyDenied"
    ssm = f"{P}:ssm:{REGION}:{ACCOUNT}:parameter/"
    assert te.decide(role_id, "ssm:GetParameter", ssm + "medialive/news/pw") == "Allowed"
    assert te.decide(role_id, "ssm:GetParameter", ssm + "prod/db") == "ImplicitlyDenied"


def test_simple_role_is_broad(simple):
    assert simple.decide("s3:GetObject", f"{P}:s3:::any-bucket-at-all/x") == "Allowed"
    assert simple.decide("s3:DeleteObject", f"{P}:s3:::another-bucket/x") == "Allowed"
    assert simple.decide("ec2:DeleteNetworkInterface", f"{EC2}:network-interface/eni-1",
                         {"ec2:Subnet": f"{EC2}:subnet/subnet-any"}) == "Allowed"
    assert simple.decide("ssm:GetParameter", f"{P}:ssm:{REGION}:{ACCOUNT}:parameter/prod/db-password") == "Allowed"
    assert simple.decide("logs:PutLogEvents", f"{P}:logs:eu-west-1:{ACCOUNT}:log-group:x:log-stream:y") == "Allowed"
    assert simple.decide("secretsmanager:GetSecretValue",
                         f"{P}:secretsmanager:{REGION}:{ACCOUNT}:secret:x-AbC123") == "ImplicitlyDenied"
    assert simple.decide("iam:CreateRole", f"{P}:iam::{ACCOUNT}:role/x") == "ImplicitlyDenied"


def test_simple_role_pass_role(iam_evaluator):
    app, stack = new_stack("SimplePass")
    access = MediaLiveAccessRole(stack, "AccessRole")
    user = iam.Role(stack, "User", assumed_by=iam.AccountRootPrincipal())
    access.grant_pass_role(user)
    synth = Synth(app, stack, access, iam_evaluator)
    uid = _logical_id(stack, user)
    assert synth.decide("iam:PassRole", synth.role_arn, {"iam:PassedToService": "medialive.amazonaws.com"},
                        principal=uid) == "Allowed"
    assert synth.decide("iam:PassRole", synth.role_arn, {"iam:PassedToService": "ec2.amazonaws.com"},
                        principal=uid) == "ImplicitlyDenied"


# --- issue 11 b, f: the boundary checked at synth; logs on both ARN forms; the admin maintains the policies ---

def test_grant_outside_the_boundary_fails_at_synth():
    from medialive_iam_constructs import MediaLiveNamespaces, MediaLivePermissionsBoundary

    _, stack = new_stack("OutsideBoundary")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/",
                                            namespaces=MediaLiveNamespaces(bucket_names=["news-sources"]))
    MediaLiveTrustedRole(stack, "Inside", source_buckets=["news-sources"], permissions_boundary=boundary)
    for props, fragment in ((dict(source_buckets=["prod-backups"]), "s3:GetObject"),
                            (dict(srt_secrets=["prod/db"]), "secretsmanager:GetSecretValue"),
                            (dict(password_parameters=["/prod/db"]), "ssm:GetParameter"),
                            (dict(mediapackage_v2_channels=[("prod", "x")]), "mediapackagev2:PutObject")):
        with pytest.raises(MediaLiveIamError) as err:
            MediaLiveTrustedRole(stack, f"Outside{len(fragment)}{len(str(props))}", permissions_boundary=boundary, **props)
        message = str(err.value)
        assert "permissions_boundary" in message and fragment in message and "MediaLiveNamespaces" in message, message


def test_a_boundary_given_as_its_policy_is_checked_too():
    """``permissions_boundary=boundary.policy`` used to skip the synth-time check (issue 21: the proof's user-shaped
    app synthesized two roles that could not reach their own bucket and MediaPackage channel); it fails now, with
    the same fix as the construct."""
    from medialive_iam_constructs import MediaLivePermissionsBoundary

    _, stack = new_stack("BoundaryPolicy")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    for props, fragment in ((dict(source_buckets=["example-user-archive"]), "s3:GetObject"),
                            (dict(mediapackage_channels=["vod-channel"]), "mediapackage:DescribeChannel")):
        with pytest.raises(MediaLiveIamError) as err:
            MediaLiveTrustedRole(stack, f"Role{len(fragment)}", permissions_boundary=boundary.policy, **props)
        message = str(err.value)
        assert "permissions_boundary" in message and fragment in message and "MediaLiveNamespaces" in message, message


def test_boundary_construct_is_set_as_the_boundary():
    """A MediaLivePermissionsBoundary given to the role becomes its PermissionsBoundary (issue 14: it used to be
    dropped silently)."""
    from medialive_iam_constructs import MediaLivePermissionsBoundary

    _, stack = new_stack("BoundaryConstruct")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", managed_policy_name="B", path="/medialive-admin/")
    MediaLiveTrustedRole(stack, "Role", permissions_boundary=boundary)
    (role,) = _resources(template_of(stack), "AWS::IAM::Role").values()
    assert "PermissionsBoundary" in role["Properties"]


def test_logs_granted_on_both_arn_forms(iam_evaluator):
    _, stack = new_stack("LogsForms")
    MediaLiveTrustedRole(stack, "Role")
    template = template_of(stack)
    (role_id,) = _resources(template, "AWS::IAM::Role")
    te = TemplateEvaluator(template, iam_evaluator)
    group = f"{P}:logs:{REGION}:{ACCOUNT}:log-group:ElementalMediaLive"
    for resource in (group, group + ":*"):
        assert te.decide(role_id, "logs:CreateLogGroup", resource) == "Allowed", resource
    assert te.decide(role_id, "logs:CreateLogGroup", f"{P}:logs:{REGION}:{ACCOUNT}:log-group:Other:*") == "ImplicitlyDenied"


def test_workflow_policies_sit_under_the_admins_policy_path():
    _, stack = new_stack("PolicyPath")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    role = MediaLiveTrustedRole(stack, "Role", role_name="medialiveNews", permissions_boundary=boundary)
    (policy,) = [r["Properties"] for r in _resources(template_of(stack), "AWS::IAM::ManagedPolicy").values()
                 if r["Properties"].get("Roles")]
    assert policy["Path"] == "/medialive/trusted-entity/"
    assert policy["ManagedPolicyName"] == "medialiveNews-trusted-entity"
    assert role.role.node.default_child.path == "/medialive/"


def test_policies_of_a_role_without_a_boundary_sit_where_no_administrator_writes():
    """Issue 20, finding 4: under /medialive-unbounded/ (A8.self denies the administrator there), named apart from
    the bounded role's (a renamed policy is replaced without a name clash on upgrade)."""
    _, stack = new_stack("UnboundedPolicyPath")
    MediaLiveTrustedRole(stack, "Role", role_name="medialiveNews")
    (policy,) = [r["Properties"] for r in _resources(template_of(stack), "AWS::IAM::ManagedPolicy").values()]
    assert policy["Path"] == "/medialive-unbounded/"
    assert policy["ManagedPolicyName"] == "medialiveNews-unbounded"


ROLE = "Test/Role (MediaLiveTrustedRole)"


WILDCARD_PREFIXES = ["live/*", "live/?", "*", "?", "li*ve/", "li?ve/"]


@pytest.mark.parametrize("prop", ["source_buckets", "destination_buckets", "thumbnail_buckets"])
@pytest.mark.parametrize("prefix", WILDCARD_PREFIXES)
def test_s3_key_prefix_with_wildcard_is_rejected(prop, prefix):
    _, stack = new_stack()
    e = raises_named(lambda: MediaLiveTrustedRole(stack, "Role", **{prop: [S3Location("bucket-a", prefix)]}),
                construct=ROLE, prop=f"{prop}.prefix")
    assert "wildcard" in e.problem and repr(prefix) in e.problem
    assert "literal prefix" in e.fix


@pytest.mark.parametrize("prop", ["source_buckets", "destination_buckets", "thumbnail_buckets"])
def test_s3_literal_key_prefix_is_accepted(prop):
    _, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "Role", **{prop: [S3Location("bucket-a", "live/news/")]})
    assert role.role is not None


@pytest.mark.parametrize("name", ["/medialive/news/pw*", "/medialive/news/pw?", "/medialive/*/pw", "/medialive/?/pw"])
def test_password_parameter_name_with_wildcard_is_rejected(name):
    _, stack = new_stack()
    e = raises_named(lambda: MediaLiveTrustedRole(stack, "Role", password_parameters=[name]),
                construct=ROLE, prop="password_parameters")
    assert repr(name) in e.problem


@pytest.mark.parametrize("path", ["/medialive/*/", "/medialive/?/", "/medialive/news*/", "/medialive/news?/"])
def test_password_parameter_path_with_wildcard_is_rejected(path):
    _, stack = new_stack()
    e = raises_named(lambda: MediaLiveTrustedRole(stack, "Role", password_parameter_paths=[path]),
                construct=ROLE, prop="password_parameter_paths")
    assert "wildcard" in e.problem and repr(path) in e.problem


SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret"


@pytest.fixture(scope="module")
def srt_by_name(iam_evaluator):
    _, stack = new_stack("SrtByName")
    role = MediaLiveTrustedRole(stack, "Workflow", srt_secrets=["medialive/news/srt"])
    te = TemplateEvaluator(template_of(stack), iam_evaluator)
    return te, stack.resolve(role.role.node.default_child.logical_id)


@pytest.mark.parametrize("secret,decision", [
    ("medialive/news/srt-AbCdEf", "Allowed"),
    ("medialive/news/srt-AbCdEfX", "ImplicitlyDenied"),   # a 7-character suffix is another secret
    ("medialive/news/srtX-AbCdEf", "ImplicitlyDenied"),   # another name
    ("medialive/news/srt-extra-AbCdEf", "ImplicitlyDenied"),  # the name plus a dash suffix
    ("medialive/news/srt-AbCdE", "ImplicitlyDenied"),     # too short a suffix
])
def test_secret_by_name_is_granted_with_six_character_suffix(srt_by_name, secret, decision):
    te, role = srt_by_name
    assert te.decide(role, "secretsmanager:GetSecretValue", f"{SECRET}:{secret}") == decision


# --- issue 23: one MediaLiveAccessRole per account serves every region; adopting the console's role --------------

def _source_arns(stack: cdk.Stack) -> list[str]:
    from medialive_iam_constructs.template import TemplateValues

    (role,) = _resources(template_of(stack), "AWS::IAM::Role").values()
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    values = TemplateValues(template_of(stack), account=ACCOUNT, region=REGION, partition="aws")
    arns = values.resolve(trust["Condition"]["ArnLike"]["aws:SourceArn"])
    return [arns] if isinstance(arns, str) else arns


def _admits(patterns: list[str], arn: str) -> bool:
    import fnmatch

    return any(fnmatch.fnmatchcase(arn, p) for p in patterns)


def test_simple_role_admits_channels_of_every_region_of_its_account_only():
    """Deployed once per account (docs/trusted-role.md), the role served only its stack's region on fa9ab59: a
    channel of eu-west-1 could not start with it. Any region now; account and partition still pinned."""
    _, stack = new_stack("SimpleRegions")
    MediaLiveAccessRole(stack, "Access")
    arns = _source_arns(stack)
    assert _admits(arns, f"arn:aws:medialive:eu-west-1:{ACCOUNT}:channel:123")
    assert _admits(arns, f"arn:aws:medialive:{REGION}:{ACCOUNT}:input:9")
    assert not _admits(arns, "arn:aws:medialive:eu-west-1:999988887777:channel:123")
    assert not _admits(arns, f"arn:aws-cn:medialive:cn-north-1:{ACCOUNT}:channel:123")


def test_simple_role_regions_narrow_the_trust():
    _, stack = new_stack("SimpleTwoRegions")
    MediaLiveAccessRole(stack, "Access", regions=["us-west-2", "eu-west-1"])
    arns = _source_arns(stack)
    assert _admits(arns, f"arn:aws:medialive:eu-west-1:{ACCOUNT}:channel:1")
    assert _admits(arns, f"arn:aws:medialive:us-west-2:{ACCOUNT}:input:1")
    assert not _admits(arns, f"arn:aws:medialive:ap-south-1:{ACCOUNT}:channel:1")


def test_workflow_role_keeps_its_stack_region():
    _, stack = new_stack("WorkflowRegion")
    MediaLiveTrustedRole(stack, "Workflow")
    arns = _source_arns(stack)
    assert not _admits(arns, f"arn:aws:medialive:eu-west-1:{ACCOUNT}:channel:1")
    assert _admits(arns, f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:1")


@pytest.mark.parametrize("regions, fragment", [
    ([], "no region"), (["*", "us-east-1"], "mixes"), (["us-east"], "not a region"),
    (["cn-north-1"], "partition aws-cn"), ("us-east-1", "is a string"),
])
def test_simple_role_regions_are_checked(regions, fragment):
    _, stack = new_stack(f"BadRegions{abs(hash(str(regions)))}")
    err = raises_named(lambda: MediaLiveAccessRole(stack, "Access", regions=regions),
                       construct=f"{stack.stack_name}/Access (MediaLiveAccessRole)", prop="regions")
    assert fragment in str(err), str(err)


def _warnings(stack: cdk.Stack) -> list[str]:
    from aws_cdk.assertions import Annotations, Match

    return [m.entry.data for m in Annotations.from_stack(stack).find_warning("*", Match.any_value())]


def test_stack_made_access_role_warns_that_the_console_may_have_made_it():
    """Issue 23: MediaLiveAccessRole in a stack synthesized silently and failed at deploy with EntityAlreadyExists
    where the console had made the role (fa9ab59: no warning)."""
    _, stack = new_stack("ConsoleNameWarning")
    MediaLiveAccessRole(stack, "Access")
    (warning,) = [w for w in _warnings(stack) if "medialive-iam:console-name" in w]
    assert "EntityAlreadyExists" in warning and "from_console_role" in warning and "cdk import" in warning, warning


def test_adopt_existing_keeps_the_role_and_drops_the_warning():
    _, stack = new_stack("AdoptExisting")
    MediaLiveAccessRole(stack, "Access", adopt_existing=True)
    (role,) = _resources(template_of(stack), "AWS::IAM::Role").values()
    assert role["DeletionPolicy"] == "Retain" and role["UpdateReplacePolicy"] == "Retain"
    assert not [w for w in _warnings(stack) if "console-name" in w]


def test_console_role_is_referenced_not_created():
    from medialive_iam_constructs import MediaLiveConsoleRole

    _, stack = new_stack("ConsoleRef")
    console = MediaLiveAccessRole.from_console_role(stack, "Console")
    assert isinstance(console, MediaLiveConsoleRole)
    user = iam.Role(stack, "User", assumed_by=iam.AccountRootPrincipal())
    console.grant_pass_role(user)
    console.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"]))  # dropped
    template = template_of(stack)
    assert list(_resources(template, "AWS::IAM::Role")) == [_logical_id(stack, user)]
    (policy,) = _resources(template, "AWS::IAM::Policy").values()
    (stmt,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert stmt["Action"] == "iam:PassRole" and stmt["Condition"] == {
        "StringEquals": {"iam:PassedToService": "medialive.amazonaws.com"}}
    assert stack.resolve(stmt["Resource"]) == {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, f":iam::{ACCOUNT}:role/MediaLiveAccessRole"]]}


@pytest.mark.parametrize("arn, fragment", [
    (f"arn:aws:iam::{ACCOUNT}:role/medialiveWorkflow15", "not the console's role"),
    (f"arn:aws:iam::{ACCOUNT}:role/team/MediaLiveAccessRole", "not the console's role"),
    ("arn:aws:iam::999988887777:role/MediaLiveAccessRole", "in account 999988887777"),
    (f"arn:aws:iam::{ACCOUNT}:role/*", "wildcard"),
])
def test_console_role_arn_is_checked(arn, fragment):
    _, stack = new_stack(f"ConsoleArn{abs(hash(arn))}")
    err = raises_named(lambda: MediaLiveAccessRole.from_console_role(stack, "Console", role_arn=arn),
                       construct=f"{stack.stack_name}/Console (MediaLiveConsoleRole)", prop="role_arn")
    assert fragment in str(err), str(err)


@pytest.mark.parametrize("make, fragment", [
    (lambda stack: cdk.CfnParameter(stack, "P").value_as_string, "is a token that is not the ARN of a role"),
    (lambda stack: cdk.Fn.import_value("ConsoleRoleArn"), "is a token that is not the ARN of a role"),
    (lambda stack: iam.Role(stack, "Other", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
                            role_name="other").role_arn, "not the console's role"),
    (lambda stack: iam.Role(stack, "Pathed", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
                            role_name="MediaLiveAccessRole", path="/team/").role_arn, "not the console's role"),
], ids=["CfnParameter", "import_value", "app role of another name", "app role of another path"])
def test_console_role_token_arn_is_checked(make, fragment):
    """Security review (MEDIUM): a token role_arn skipped the account, name and path checks above (failed on
    cdf2912: accepted). A token of a role the app makes is checked by its CfnRole; any other token is refused."""
    _, stack = new_stack("ConsoleToken")
    arn = make(stack)
    err = raises_named(lambda: MediaLiveAccessRole.from_console_role(stack, "Console", role_arn=arn),
                       construct="ConsoleToken/Console (MediaLiveConsoleRole)", prop="role_arn")
    assert fragment in str(err), str(err)


def test_console_role_takes_the_token_arn_of_the_apps_access_role():
    _, stack = new_stack("ConsoleTokenOk")
    access = MediaLiveAccessRole(stack, "Access")
    console = MediaLiveAccessRole.from_console_role(stack, "Console", role_arn=access.role_arn)
    assert stack.resolve(console.role_arn) == stack.resolve(access.role_arn)


def test_srt_input_secrets_grant_t20_input_and_srt_secrets_keep_t20(iam_evaluator):
    """SRT input passphrases (T20.input, issue 23) are their own prop; srt_secrets stays T20 (outputs)."""
    _, stack = new_stack("SrtInput")
    both = MediaLiveTrustedRole(stack, "Both", srt_secrets=["medialive/out"], srt_input_secrets=["medialive/in"])
    assert MediaLiveTrustedRole(stack, "Out", srt_secrets=["medialive/out"]).rows == ("T5", "T20")
    assert MediaLiveTrustedRole(stack, "In", srt_input_secrets=["medialive/in"]).rows == ("T5", "T20.input")
    assert both.rows == ("T5", "T20", "T20.input")
    te = TemplateEvaluator(template_of(stack), iam_evaluator)
    role = stack.resolve(both.role.node.default_child.logical_id)
    assert te.decide(role, "secretsmanager:GetSecretValue", f"{SECRET}:medialive/in-AbCdEf") == "Allowed"
    assert te.decide(role, "secretsmanager:GetSecretValue", f"{SECRET}:medialive/other-AbCdEf") == "ImplicitlyDenied"
