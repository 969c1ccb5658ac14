"""``namespaces.uncovered``: the synth-time check of a workflow role against its boundary (issue 11 b), in every
kind of app: with and without ``@aws-cdk/core:enablePartitionLiterals`` (a user's test builds ``cdk.App()``
without ``cdk.json``), with and without ``env``, for names, ARNs and L2 imports (issue 23, item 3)."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as sm

from medialive_iam_constructs import MediaLiveNamespaces, MediaLivePermissionsBoundary, MediaLiveTrustedRole
from medialive_iam_constructs.errors import MediaLiveIamError

ACCOUNT, REGION = "123456789012", "eu-west-1"
SECRET_ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:medialive/srt-AbCdEf"
MPV2_ARN = f"arn:aws:mediapackagev2:{REGION}:{ACCOUNT}:channelGroup/medialive/channel/news"

#: Inside the default namespaces (bucket prefix ``medialive-``, secret prefix ``medialive/``, v2 group ``medialive``).
INSIDE = {
    "bucket name": lambda st: {"source_buckets": ["medialive-src"]},
    "bucket ARN": lambda st: {"source_buckets": ["arn:aws:s3:::medialive-src"]},
    "Bucket.from_bucket_arn": lambda st: {"source_buckets": [s3.Bucket.from_bucket_arn(st, "B", "arn:aws:s3:::medialive-src")]},
    "Bucket.from_bucket_name": lambda st: {"source_buckets": [s3.Bucket.from_bucket_name(st, "B", "medialive-src")]},
    "complete secret ARN": lambda st: {"srt_secrets": [SECRET_ARN]},
    "Secret.from_secret_complete_arn": lambda st: {"srt_secrets": [sm.Secret.from_secret_complete_arn(st, "S", SECRET_ARN)]},
    "secret name": lambda st: {"srt_secrets": ["medialive/srt"]},
    "MediaPackage v2 ARN": lambda st: {"mediapackage_v2_channels": [MPV2_ARN]},
}
#: Outside them, in every form.
OUTSIDE = {
    "bucket ARN": ({"source_buckets": ["arn:aws:s3:::other-src"]}, "other-src"),
    "Bucket.from_bucket_arn": ({"source_buckets": ["L2:arn:aws:s3:::other-src"]}, "other-src"),
    "complete secret ARN": ({"srt_secrets": [SECRET_ARN.replace("medialive/", "other/")]}, "secret:other/"),
    "MediaPackage v2 ARN": ({"mediapackage_v2_channels": [MPV2_ARN.replace("/medialive/", "/other/")]}, "channelGroup/other"),
}
APPS = {
    "flag, env": ({"@aws-cdk/core:enablePartitionLiterals": True}, True),
    "no flag, env": ({}, True),
    "flag, no env": ({"@aws-cdk/core:enablePartitionLiterals": True}, False),
    "no flag, no env": ({}, False),
}


def _stack(app_kind: str) -> cdk.Stack:
    context, with_env = APPS[app_kind]
    env = cdk.Environment(account=ACCOUNT, region=REGION) if with_env else None
    return cdk.Stack(cdk.App(context=context), "Stack", env=env)


def _props(stack: cdk.Stack, props: dict) -> dict:
    if props.get("source_buckets", [""])[0].startswith("L2:"):
        return {"source_buckets": [s3.Bucket.from_bucket_arn(stack, "B", props["source_buckets"][0][3:])]}
    return props


@pytest.mark.parametrize("app_kind", APPS)
@pytest.mark.parametrize("form", INSIDE)
def test_declared_resources_pass_in_every_app(app_kind, form):
    """Failed before (issue 23, item 3) for the L2 imports, complete secret ARNs and v2 ARNs without the flag, and
    for every literal ARN in a stack without env: 'grant(s) fall outside the boundary'."""
    stack = _stack(app_kind)
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    role = MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary, **INSIDE[form](stack))
    assert role.rows


@pytest.mark.parametrize("app_kind", APPS)
@pytest.mark.parametrize("form", OUTSIDE)
def test_undeclared_resources_fail_in_every_app(app_kind, form):
    props, shown = OUTSIDE[form]
    _assert_outside(app_kind, lambda stack: _props(stack, props), shown)


def _assert_outside(app_kind: str, props, shown: str) -> None:
    """A role whose ``props(stack)`` name something outside the default namespaces fails, showing ``shown``."""
    stack = _stack(app_kind)
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    with pytest.raises(MediaLiveIamError, match="fall outside the boundary") as raised:
        MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary, **props(stack))
    assert shown in str(raised.value) and "permissions_boundary" in str(raised.value)


@pytest.mark.parametrize("app_kind", ["flag, env", "no flag, env"])
@pytest.mark.parametrize("where", ["region", "account"])
def test_another_region_or_account_fails_where_the_stack_knows_its_own(app_kind, where):
    stack = _stack(app_kind)
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    arn = SECRET_ARN.replace(REGION, "us-east-1") if where == "region" else SECRET_ARN.replace(ACCOUNT, "210987654321")
    # another region is the ARN's mistake, not the namespaces' (issue 23, item 4): the prop that names it, the fix
    blamed = "is in region 'us-east-1', the stack in 'eu-west-1'" if where == "region" else "fall outside the boundary"
    with pytest.raises(MediaLiveIamError, match=blamed) as raised:
        MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary, srt_secrets=[arn])
    assert raised.value.prop == ("srt_secrets" if where == "region" else "permissions_boundary")


def test_a_region_named_in_a_stack_without_env_is_a_warning_not_an_error():
    """Covered only if the stack deploys to eu-west-1 and account 123456789012: synth says so, and goes on."""
    stack = _stack("no flag, no env")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary, srt_secrets=[SECRET_ARN])
    warnings = cdk.assertions.Annotations.from_stack(stack).find_warning(
        "*", cdk.assertions.Match.string_like_regexp("cannot be checked against the boundary"))
    assert len(warnings) == 1 and SECRET_ARN in str(warnings[0].entry.data)


def test_a_partition_named_in_a_stack_without_env_is_no_assumption():
    """A grant naming another partition than the deployment's reaches nothing anyway: no warning for it."""
    stack = _stack("no flag, no env")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary,
                         source_buckets=["arn:aws:s3:::medialive-src"])
    warnings = cdk.assertions.Annotations.from_stack(stack).find_warning(
        "*", cdk.assertions.Match.string_like_regexp("cannot be checked against the boundary"))
    assert warnings == []


# --- resources the app creates (tokens): checked by the name the app gives them ---------------------------------

from aws_cdk import aws_ssm as ssm  # noqa: E402

#: Resources this stack creates with a literal name: the grant is a token (Ref/GetAtt), the name is not.
CREATED_INSIDE = {
    "Bucket(bucket_name=)": lambda st: {"source_buckets": [s3.Bucket(st, "B", bucket_name="medialive-src")]},
    "Secret(secret_name=)": lambda st: {"srt_secrets": [sm.Secret(st, "S", secret_name="medialive/srt")]},
    "StringParameter(parameter_name=)": lambda st: {"password_parameters": [ssm.StringParameter(
        st, "P", parameter_name="/medialive/origin-password", string_value="x")]},
}
CREATED_OUTSIDE = {
    "Bucket(bucket_name=)": (lambda st: {"source_buckets": [s3.Bucket(st, "B", bucket_name="other-src")]}, "other-src"),
    "Secret(secret_name=)": (lambda st: {"srt_secrets": [sm.Secret(st, "S", secret_name="other/srt")]}, "secret:other/srt"),
}
#: Named by CloudFormation (or by a token): what they will be called is not known at synth.
CREATED_UNNAMED = {
    "Bucket()": lambda st: {"source_buckets": [s3.Bucket(st, "B")]},
    "Secret()": lambda st: {"srt_secrets": [sm.Secret(st, "S")]},
    "bucket name from a parameter": lambda st: {"source_buckets": [cdk.CfnParameter(st, "Name").value_as_string]},
}


def _unverified(stack: cdk.Stack) -> list:
    return cdk.assertions.Annotations.from_stack(stack).find_warning(
        "*", cdk.assertions.Match.string_like_regexp("cannot be checked against the boundary"))


@pytest.mark.parametrize("app_kind", APPS)
@pytest.mark.parametrize("form", CREATED_INSIDE)
def test_resources_the_app_creates_inside_the_namespaces_pass_without_a_warning(app_kind, form):
    """Warned before ('cannot be checked against the boundary'): the check read the token, not the name the app
    gives the resource."""
    stack = _stack(app_kind)
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary, **CREATED_INSIDE[form](stack))
    assert _unverified(stack) == []


@pytest.mark.parametrize("app_kind", APPS)
@pytest.mark.parametrize("form", CREATED_OUTSIDE)
def test_resources_the_app_creates_outside_the_namespaces_fail(app_kind, form):
    """Passed before with a warning only: a bucket the app itself names ``other-src`` is outside ``medialive-*``."""
    _assert_outside(app_kind, *CREATED_OUTSIDE[form])


@pytest.mark.parametrize("form", CREATED_UNNAMED)
def test_resources_named_at_deploy_are_a_warning_not_an_error(form):
    stack = _stack("no flag, env")
    boundary = MediaLivePermissionsBoundary(stack, "Boundary")
    MediaLiveTrustedRole(stack, "Role", role_name="News", permissions_boundary=boundary, **CREATED_UNNAMED[form](stack))
    assert len(_unverified(stack)) == 1


# --- issue 20: the boundary's ENI permissions within the app's VPCs ------------------------------------------------

def test_vpcs_keep_the_boundarys_network_interface_grants_in_those_vpcs(iam_evaluator):
    """Without vpcs, a role under the boundary may CreateNetworkInterfacePermission on any ENI of the account (the
    residual of docs/threat-model.md); with them, only on ENIs, subnets and security groups of those VPCs."""
    from tools.iam_evaluator import TemplateEvaluator

    from medialive_iam_constructs import MediaLiveNamespaces
    from tests.helpers import ACCOUNT as A, REGION as R, new_stack, template_of

    _, stack = new_stack("BoundaryVpcs")
    ns = MediaLiveNamespaces(vpcs=["vpc-0123456789abcdef0"])
    MediaLivePermissionsBoundary(stack, "Boundary", managed_policy_name="B", namespaces=ns)
    template = template_of(stack)
    (lid,) = [k for k, r in template["Resources"].items() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    te = TemplateEvaluator(template, iam_evaluator)
    admin_access = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    boundary_doc = template["Resources"][lid]["Properties"]["PolicyDocument"]
    eni = f"arn:aws:ec2:{R}:{A}:network-interface/eni-0abc"
    ours = {"ec2:Vpc": f"arn:aws:ec2:{R}:{A}:vpc/vpc-0123456789abcdef0"}
    theirs = {"ec2:Vpc": f"arn:aws:ec2:{R}:{A}:vpc/vpc-0fedcba9876543210"}
    for action in ("ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterfacePermission",
                   "ec2:DeleteNetworkInterface"):
        assert te.decide_with([admin_access], [boundary_doc], action, eni, ours) == "Allowed", action
        assert te.decide_with([admin_access], [boundary_doc], action, eni, theirs) != "Allowed", action


def test_a_vpc_that_is_not_one_fails_at_synth():
    from medialive_iam_constructs import MediaLiveNamespaces
    from tests.helpers import new_stack

    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match="namespaces.vpcs"):
        MediaLivePermissionsBoundary(stack, "B", namespaces=MediaLiveNamespaces(vpcs=["subnet-0123456789abcdef0"]))


@pytest.mark.parametrize("field, value, problem", [
    ("kms_keys", "1234abcd-12ab-34cd-56ef-1234567890ab", "is not a KMS key"),
    ("kms_keys", "arn:aws:kms:us-east-1:123456789012:key/1", "is in region 'us-east-1'"),
    ("elastic_ip_allocations", "arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-1", "is in region 'us-east-1'"),
    ("elastic_ip_allocations", "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1", "is not a ec2 elastic-ip ARN"),
    ("vpcs", "arn:aws-cn:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0", "is in partition 'aws-cn'"),
])
def test_namespace_arns_get_the_checks_of_the_trusted_roles_arns(field, value, problem):
    """Issue 23: the namespaces' keys, Elastic IPs and VPCs were taken unchecked (a key id, an ARN of another region
    or partition, another resource type) and scoped the boundary to nothing."""
    stack = _stack("flag, env")
    with pytest.raises(MediaLiveIamError, match=re.escape(problem)) as raised:
        MediaLivePermissionsBoundary(stack, "Boundary", namespaces=MediaLiveNamespaces(**{field: [value]}))
    assert raised.value.prop == f"namespaces.{field}"


# --- security review: roles the app makes, by their ARN token ----------------------------------------------------

@pytest.mark.parametrize("app_kind", APPS)
def test_roles_the_app_makes_are_named_by_path_and_name(app_kind):
    """``named_resources`` writes a role's ``Arn`` from its literal path and name (``*`` for a name CloudFormation
    generates); a role with a token path is not among them. Before, every role ARN token was unverifiable, and the
    administrator's check of its operator groups dropped it (an ``iam.Role`` outside its role path passed)."""
    from aws_cdk import aws_iam as iam

    from medialive_iam_constructs.namespaces import named_resources

    stack = _stack(app_kind)
    principal = iam.AccountRootPrincipal()
    roles = {
        "named": iam.Role(stack, "Named", assumed_by=principal, role_name="medialiveNews", path="/other/"),
        "unnamed": iam.Role(stack, "Unnamed", assumed_by=principal),
        "token path": iam.Role(stack, "TokenPath", assumed_by=principal, path=cdk.Fn.import_value("P")),
    }
    named = named_resources(stack)
    key = {k: f"{stack.resolve(r.node.default_child.logical_id)}.Arn" for k, r in roles.items()}
    assert named[key["named"]].endswith(":iam::" + ("${AccountId}" if "no env" in app_kind else ACCOUNT)
                                        + ":role/other/medialiveNews"), named[key["named"]]
    assert named[key["unnamed"]].endswith(":role/*"), named[key["unnamed"]]
    assert key["token path"] not in named
