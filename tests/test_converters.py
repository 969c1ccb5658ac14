"""The converters (``medialive_iam_constructs/converters.py``): one function per kind of input, each turning the
forms a prop accepts (CDK L2 objects, names, ids, ARNs, pairs) into ARNs, or raising the error that names the
construct, the prop and the fix. Unit tests, without a construct of the library."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as sm
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from medialive_iam_constructs import MediaLiveIamError, MediaLivePermissionsBoundary
from medialive_iam_constructs import converters as c
from medialive_iam_constructs.catalog.resources import MP_CHANNEL
from medialive_iam_constructs.tokens import is_token
from tests.helpers import ACCOUNT, REGION, new_stack

S3 = "arn:aws:s3:::"
SSM = f"arn:aws:ssm:{REGION}:{ACCOUNT}"
KMS = f"arn:aws:kms:{REGION}:{ACCOUNT}"
SM = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}"
MPV2 = f"arn:aws:mediapackagev2:{REGION}:{ACCOUNT}"
EC2 = f"arn:aws:ec2:{REGION}:{ACCOUNT}"


@pytest.fixture
def scope() -> Construct:
    _, stack = new_stack()
    return Construct(stack, "Role")


def plain(scope: Construct, arn: str) -> str:
    """``arn`` with the stack's partition token written as ``aws`` (the test stack's region is in ``aws``)."""
    return arn.replace(cdk.Stack.of(scope).partition, "aws")


def raises(fn, *args, **kwargs) -> MediaLiveIamError:
    with pytest.raises(MediaLiveIamError) as e:
        fn(*args, **kwargs)
    return e.value


# --- Partitions, is_arn, arn_parts, arn_or_identifier ---------------------------------------------------------

def test_partitions_expect_the_partition_of_the_stacks_region():
    app = cdk.App()
    china = cdk.Stack(app, "Cn", env=cdk.Environment(account=ACCOUNT, region="cn-north-1"))
    assert c.Partitions.of(Construct(china, "R")) == c.Partitions("aws-cn", region="cn-north-1")
    assert c.Partitions.of(Construct(cdk.Stack(app, "Agnostic"), "R")) == c.Partitions(None, region=None)
    _, stack = new_stack()
    assert c.Partitions.of(stack).expected == "aws"


def test_is_arn_takes_arns_and_tokens_only(scope):
    assert c.is_arn("arn:aws:s3:::b")
    assert c.is_arn(s3.Bucket.from_bucket_name(scope, "B", "bucket").bucket_arn)  # a token
    assert not c.is_arn("medialive-news")
    assert not c.is_arn(None)


def test_arn_parts_records_the_first_prop_per_partition(scope):
    seen = c.Partitions(None)
    assert c.arn_parts(scope, "a", f"{KMS}:key/1", "kms", "key/", partitions=seen)["resource"] == "key/1"
    c.arn_parts(scope, "b", f"{KMS}:key/2", "kms", "key/", partitions=seen)
    c.arn_parts(scope, "c", f"arn:aws-cn:kms:cn-north-1:{ACCOUNT}:key/3", "kms", partitions=seen)
    assert seen.seen == {"aws": "a", "aws-cn": "c"}
    assert c.arn_parts(scope, "d", cdk.Aws.PARTITION, "kms", partitions=seen) is None  # a token: checked at deploy


def test_arn_parts_refuses_another_resource_type_a_wildcard_and_another_partition(scope):
    e = raises(c.arn_parts, scope, "keys", f"{KMS}:alias/news", "kms", "key/", partitions=c.Partitions(None))
    assert (e.prop, e.problem) == ("keys", f"'{KMS}:alias/news' is not a kms key ARN")
    assert "contains a wildcard" in str(raises(c.arn_parts, scope, "keys", f"{KMS}:key/*", "kms", "key/"))
    e = raises(c.arn_parts, scope, "keys", f"arn:aws-cn:kms:cn-north-1:{ACCOUNT}:key/1", "kms", "key/")
    assert "is in partition 'aws-cn', the stack is in 'aws'" in e.problem  # without partitions: the stack's region
    assert e.construct == "Test/Role (Construct)"


def test_arn_parts_with_one_refuses_another_type_and_a_wildcard_as_not_one_resource(scope):
    one = ("KMS key", "give a key ARN")
    for value in (f"{KMS}:alias/news", f"{KMS}:key/*"):
        e = raises(c.arn_parts, scope, "keys", value, "kms", "key/", one=one)
        assert (e.problem, e.fix) == (f"{value!r} is not the ARN of one KMS key", "give a key ARN")
    assert "is a s3 ARN, not a kms ARN" in raises(c.arn_parts, scope, "keys", "arn:aws:s3:::b", "kms", one=one).problem
    assert c.arn_parts(scope, "keys", f"{KMS}:key/1", "kms", "key/", one=one)["resource"] == "key/1"


def test_arn_or_identifier_renders_an_id_and_keeps_an_arn(scope):
    kw = dict(service="mediapackage", resource_prefix="channels/", what="MediaPackage channel id", max_len=128,
              kind=MP_CHANNEL, identifier="ChannelIdentifier")
    assert plain(scope, c.arn_or_identifier(scope, "p", "news", **kw)) == \
        f"arn:aws:mediapackage:{REGION}:{ACCOUNT}:channels/news"
    arn = f"arn:aws:mediapackage:{REGION}:{ACCOUNT}:channels/news"
    assert c.arn_or_identifier(scope, "p", arn, **kw) == arn
    assert "has characters that do not belong" in raises(c.arn_or_identifier, scope, "p", "news:1", **kw).problem


# --- permissions boundaries ---------------------------------------------------------------------------------------

def test_a_boundary_is_a_managed_policy_or_none(scope):
    policy = iam.ManagedPolicy.from_managed_policy_name(scope, "B", "Boundary")
    assert c.permissions_boundary(scope, "permissions_boundary", policy) == (None, policy)
    assert c.permissions_boundary(scope, "permissions_boundary", None) == (None, None)
    assert c.permissions_boundary(scope, "permissions_boundary", None, own_policy=True) == (None, None)
    e = raises(c.permissions_boundary, scope, "permissions_boundary", "Boundary")
    assert (e.prop, e.problem, e.fix) == ("permissions_boundary", "'Boundary' is not a policy",
                                          "give a MediaLivePermissionsBoundary or an iam.IManagedPolicy")


def test_the_boundary_error_names_what_was_given(scope):
    given = type("Boundary", (), {"statements": (), "namespaces": None, "policy": "resolved"})()
    assert raises(c.permissions_boundary, scope, "permissions_boundary", given).problem == \
        f"{given!r} is not a policy"
    grants = type("Group", (), {"statements": ()})()  # statements without namespaces: not a boundary
    assert raises(c.permissions_boundary, scope, "permissions_boundary", grants, own_policy=True).problem == \
        f"{grants!r} is not a policy"


def test_a_boundarys_own_policy_stands_for_it_with_own_policy_only(scope):
    boundary = MediaLivePermissionsBoundary(scope, "Boundary")
    assert c.permissions_boundary(scope, "p", boundary, own_policy=True) == (boundary, boundary.policy)
    assert c.permissions_boundary(scope, "p", boundary.policy, own_policy=True) == (boundary, boundary.policy)
    assert c.permissions_boundary(scope, "p", boundary.policy) == (None, boundary.policy)
    aws_managed = iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")  # no construct node
    assert c.permissions_boundary(scope, "p", aws_managed, own_policy=True) == (None, aws_managed)
    made = iam.ManagedPolicy(scope, "Made", statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"])])
    assert c.permissions_boundary(scope, "p", made, own_policy=True) == (None, made)


# --- S3 -----------------------------------------------------------------------------------------------------------

def test_bucket_by_name_arn_and_prefix(scope):
    arns = c.bucket_arns(scope, "source_buckets", "medialive-news", "live/")
    assert (plain(scope, arns.bucket), plain(scope, arns.objects), arns.prefix_pattern) == \
        (f"{S3}medialive-news", f"{S3}medialive-news/live/*", "live/*")
    seen = c.Partitions("aws")
    arns = c.bucket_arns(scope, "source_buckets", f"{S3}medialive-news", partitions=seen)
    assert (plain(scope, arns.objects), arns.prefix_pattern, seen.seen) == \
        (f"{S3}medialive-news/*", None, {"aws": "source_buckets"})


def test_bucket_as_an_ibucket(scope):
    bucket = s3.Bucket.from_bucket_name(scope, "B", "medialive-news")
    arns = c.bucket_arns(scope, "destination_buckets", bucket, "out/")
    assert arns.bucket == bucket.bucket_arn
    assert cdk.Stack.of(scope).resolve(arns.objects) == cdk.Stack.of(scope).resolve(bucket.arn_for_objects("out/*"))
    bad = s3.Bucket.from_bucket_name(scope, "Bad", "MediaLive-News")
    assert "bucket name 'MediaLive-News'" in raises(c.bucket_arns, scope, "destination_buckets", bad).problem


@pytest.mark.parametrize("bucket, prefix, prop, problem", [
    (42, None, "source_buckets", "42 is neither an IBucket nor a bucket name"),
    ("medialive-news", "/live/", "source_buckets.prefix", "key prefix '/live/' starts with '/'"),
    ("medialive-news", "live/*", "source_buckets.prefix", "prefix 'live/*' contains a wildcard"),
    ("Medialive_News", None, "source_buckets", "bucket name 'Medialive_News' may hold only lowercase letters"),
    ("arn:aws:s3:::b*", None, "source_buckets", "contains a wildcard"),
])
def test_bad_buckets_name_the_prop(scope, bucket, prefix, prop, problem):
    e = raises(c.bucket_arns, scope, "source_buckets", bucket, prefix)
    assert e.prop == prop and problem in e.problem


def test_a_prefix_without_a_slash_warns(scope):
    c.bucket_arns(scope, "source_buckets", "medialive-news", "live")
    (warning,) = [m.data for m in scope.node.metadata if m.type == "aws:cdk:warning"]
    assert "source_buckets.prefix: key prefix 'live' has no trailing '/'" in warning


# --- MediaPackage, MediaStore, Elemental Inference ------------------------------------------------------------

def test_mediapackage_channel(scope):
    assert plain(scope, c.mediapackage_channel_arn(scope, "channels", "news")).endswith(":channels/news")
    e = raises(c.mediapackage_channel_arn, scope, "channels", f"arn:aws:mediapackage:{REGION}:{ACCOUNT}:origin/x")
    assert e.problem.endswith("is not a mediapackage channels ARN")


def test_mediapackage_v2_channel_as_pair_or_arn(scope):
    channel, group = c.mediapackage_v2_channel_arns(scope, "v2", ("live", "news"))
    assert (plain(scope, channel), plain(scope, group)) == \
        (f"{MPV2}:channelGroup/live/channel/news", f"{MPV2}:channelGroup/live")
    arn = f"{MPV2}:channelGroup/live/channel/news"
    assert c.mediapackage_v2_channel_arns(scope, "v2", arn) == (arn, f"{MPV2}:channelGroup/live")
    token = cdk.Token.as_string(cdk.Fn.ref("ChannelArn"))
    channel, group = c.mediapackage_v2_channel_arns(scope, "v2", token)
    assert channel == token and is_token(group)


@pytest.mark.parametrize("value, problem", [
    (f"{MPV2}:channelGroup/live", "is not a MediaPackage v2 channel ARN"),
    ("news", "is neither an ARN nor a (group, channel) pair"),
    (("live", "news*"), "channel name 'news*' has characters"),
])
def test_bad_mediapackage_v2_channels(scope, value, problem):
    assert problem in raises(c.mediapackage_v2_channel_arns, scope, "v2", value).problem


def test_mediastore_objects(scope):
    assert plain(scope, c.mediastore_objects_arn(scope, "ms", "news")) == \
        f"arn:aws:mediastore:{REGION}:{ACCOUNT}:container/news/*"
    arn = f"arn:aws:mediastore:{REGION}:{ACCOUNT}:container/news"
    assert c.mediastore_objects_arn(scope, "ms", arn) == f"{arn}/*"


def test_inference_feed(scope):
    assert plain(scope, c.inference_feed_arn(scope, "feeds", "abc")) == \
        f"arn:aws:elemental-inference:{REGION}:{ACCOUNT}:feed/abc"
    assert "is not a elemental-inference feed ARN" in \
        raises(c.inference_feed_arn, scope, "feeds", f"arn:aws:elemental-inference:{REGION}:{ACCOUNT}:x/abc").problem


# --- Parameter Store, KMS, Secrets Manager ------------------------------------------------------------------------

def test_parameter_as_object_name_or_arn(scope):
    param = ssm.StringParameter.from_string_parameter_name(scope, "P", "/medialive/news/pw")
    assert c.parameter_arn(scope, "pw", param) == param.parameter_arn
    assert plain(scope, c.parameter_arn(scope, "pw", "/medialive/news/pw")) == f"{SSM}:parameter/medialive/news/pw"
    assert c.parameter_arn(scope, "pw", f"{SSM}:parameter/x") == f"{SSM}:parameter/x"
    assert raises(c.parameter_arn, scope, "pw", 3).problem == "3 is not a parameter"
    assert "is not a Parameter Store name or path" in raises(c.parameter_arn, scope, "pw", "/medialive/*").problem


def test_parameter_path(scope):
    assert plain(scope, c.parameter_path_arn(scope, "paths", "/medialive/news/")) == \
        f"{SSM}:parameter/medialive/news/*"
    e = raises(c.parameter_path_arn, scope, "paths", "/medialive/news")
    assert (e.prop, e.problem) == ("paths", "parameter path '/medialive/news' must start and end with '/'")


def test_key(scope):
    key = kms.Key.from_key_arn(scope, "K", f"{KMS}:key/1")
    assert c.key_arn(scope, "keys", key) == key.key_arn
    assert c.key_arn(scope, "keys", f"{KMS}:key/2") == f"{KMS}:key/2"
    assert raises(c.key_arn, scope, "keys", "alias/news").problem == "'alias/news' is not a KMS key"


def test_secret_forms(scope):
    complete = f"{SM}:secret:medialive/srt-AbC123"
    assert c.secret_arn(scope, "srt", complete) == complete
    assert c.secret_arn(scope, "srt", f"{SM}:secret:medialive/srt") == f"{SM}:secret:medialive/srt-??????"  # E21
    assert plain(scope, c.secret_arn(scope, "srt", "medialive/srt")) == f"{SM}:secret:medialive/srt-??????"
    assert c.secret_arn(scope, "srt", sm.Secret.from_secret_complete_arn(scope, "S", complete)) == complete
    by_name = sm.Secret.from_secret_name_v2(scope, "N", "medialive/srt")
    assert c.secret_arn(scope, "srt", by_name) == f"{by_name.secret_arn}-??????"
    assert raises(c.secret_arn, scope, "srt", 1).problem == "1 is not a secret"


# --- EC2 ----------------------------------------------------------------------------------------------------------

def test_subnet_and_security_group_as_object_id_or_arn(scope):
    subnet = ec2.Subnet.from_subnet_id(scope, "S", "subnet-0123456789abcdef0")
    assert plain(scope, c.subnet_arn(scope, "vpc.subnets", subnet)) == f"{EC2}:subnet/subnet-0123456789abcdef0"
    group = ec2.SecurityGroup.from_security_group_id(scope, "G", "sg-0123456789abcdef0")
    assert plain(scope, c.security_group_arn(scope, "vpc.security_groups", group)) == \
        f"{EC2}:security-group/sg-0123456789abcdef0"
    assert c.subnet_arn(scope, "vpc.subnets", f"{EC2}:subnet/subnet-1") == f"{EC2}:subnet/subnet-1"


@pytest.mark.parametrize("convert, value, problem", [
    (c.subnet_arn, "sg-0123", "subnet id 'sg-0123' does not start with 'subnet-'"),
    (c.security_group_arn, f"{EC2}:subnet/subnet-1", "is not a ec2 security-group ARN"),
    (c.subnet_arn, 7, "7 is not an id or ARN"),
    (c.elastic_ip_arn, "eipalloc-*", "has characters that do not belong"),
])
def test_bad_ec2_ids(scope, convert, value, problem):
    assert problem in raises(convert, scope, "vpc", value).problem


def test_elastic_ip(scope):
    assert plain(scope, c.elastic_ip_arn(scope, "eips", "eipalloc-0123")) == f"{EC2}:elastic-ip/eipalloc-0123"
    assert c.elastic_ip_arn(scope, "eips", f"{EC2}:elastic-ip/eipalloc-1") == f"{EC2}:elastic-ip/eipalloc-1"


def test_role_name_of_a_role_made_in_the_app_is_its_literal_name():
    """Issue 23: a role made in the app has a Ref token as role_name; its CfnRole holds the literal name, which the
    COMPLEX group's check needs (fa9ab59: None-like token, the check skipped)."""
    from aws_cdk import aws_iam as iam

    from medialive_iam_constructs import MediaLiveAccessRole
    from medialive_iam_constructs.converters import role_arn, role_name

    _, stack = new_stack("RoleNames")
    made = MediaLiveAccessRole(stack, "Access", adopt_existing=True)
    assert role_name(made, role_arn(stack, "trusted_roles", made)) == "MediaLiveAccessRole"
    plain = iam.Role(stack, "Plain", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    assert role_name(plain, role_arn(stack, "trusted_roles", plain)).startswith("${Token")  # generated: unknown
    imported = iam.Role.from_role_name(stack, "Imp", "medialiveWorkflow15")
    assert role_name(imported, role_arn(stack, "trusted_roles", imported)) == "medialiveWorkflow15"


# --- issue 23: regions, partitions, accounts, the console's secret suffix ------------------------------------------

@pytest.mark.parametrize("convert, value, prop", [
    (c.mediapackage_v2_channel_arns, "arn:aws:mediapackagev2:eu-west-1:111122223333:channelGroup/g/channel/c", "mpv2"),
    (c.channel_arn, "arn:aws:medialive:eu-west-1:111122223333:channel:1", "channel_arns"),
    (c.secret_arn, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:srt-AbCdEf", "srt"),
    (c.mediapackage_channel_arn, "arn:aws:mediapackage:eu-west-1:111122223333:channels/news", "mp"),
])
def test_an_arn_of_another_region_fails(scope, convert, value, prop):
    e = raises(convert, scope, prop, value)
    assert e.prop == prop and "is in region 'eu-west-1', the stack in 'us-west-2'" in e.problem


def test_cdk_objects_with_a_literal_arn_are_checked_as_strings(scope):
    other = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:srt-AbCdEf"
    assert "region 'eu-west-1'" in raises(
        c.secret_arn, scope, "srt", sm.Secret.from_secret_complete_arn(scope, "S", other)).problem
    key = kms.Key.from_key_arn(scope, "K", "arn:aws-cn:kms:us-west-2:111122223333:key/1")
    assert "partition 'aws-cn'" in raises(c.key_arn, scope, "keys", key).problem


def test_operator_group_arns_are_checked_for_partition_and_account(scope):
    assert "partition 'aws-cn'" in raises(c.channel_arn, scope, "channel_arns",
                                          "arn:aws-cn:medialive:us-west-2:111122223333:channel:1").problem
    assert "partition 'aws-cn'" in raises(c.role_arn, scope, "trusted_roles",
                                          "arn:aws-cn:iam::111122223333:role/medialive/news").problem
    e = raises(c.channel_arn, scope, "channel_arns", "arn:aws:medialive:us-west-2:444455556666:channel:1")
    assert "account 444455556666" in e.problem and "no resource policies" in e.fix


def test_a_secret_name_with_the_consoles_suffix_is_refused(scope):
    assert raises(c.secret_arn, scope, "srt", "medialive/srt-AbCdEf").prop == "srt"
    arn = f"{SM}:secret:medialive/srt-backup"
    assert c.secret_arn(scope, "srt", arn) == arn  # taken as complete, with a warning
    assert any("from_secret_partial_arn" in m.data for m in scope.node.metadata)
