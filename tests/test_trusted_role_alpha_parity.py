"""What AWS's official L2 (aws_medialive_alpha) grants a channel's role, against MediaLiveTrustedRole (issue 13,
item 4).

For each feature both support, the alpha's channel is built and every request its role allows (each action of its
Allow statements, wildcards expanded against SAR, on each resource of a type SAR gives that action) is evaluated
against our role for the same resources. Every request must be allowed by ours, except those decided against
(:data:`DECIDED_AGAINST`, each with its reason and source).
"""

from __future__ import annotations

import fnmatch
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_medialive_alpha as ml
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as sm
from aws_cdk import aws_ssm as ssm
from tools.iam_evaluator import EvaluationError, TemplateEvaluator
from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from medialive_iam_constructs import MediaLiveTrustedRole, VpcAccess
from tests import synthesized
from tests.helpers import ACCOUNT, REGION, new_stack, template_of

BUCKET = "medialive-parity"
SECRET_ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:medialive/srt-AbCdEf"
PARAMETER = "medialive/origin-password"
SUBNET, SG = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
TRUSTED_ENTITY = "https://docs.aws.amazon.com/medialive/latest/ug/trusted-entity-requirements.html"

#: (action pattern, resource pattern) -> why our role does not allow it although the alpha's does.
DECIDED_AGAINST: dict[tuple[str, str], str] = {
    ("s3:GetBucketLocation", "*"): f"AWS's trusted-entity table ({TRUSTED_ENTITY}) lists ListBucket, GetObject, PutObject "
    "and DeleteObject for S3 sources and destinations, and the console's MediaLiveAccessRole (kept current by its "
    "Update button) grants the same four: MediaLive is not documented to call GetBucketLocation.",
    ("s3:AbortMultipartUpload", "*"): "not in AWS's trusted-entity table nor in the console template; a multipart "
    "upload's parts are authorized by s3:PutObject, and an abandoned upload is removed by a lifecycle rule.",
    ("s3:PutObject", "arn:aws:s3:::x/*"): "the alpha grants thumbnails s3:PutObject on '*'; ours writes thumbnails only "
    "to the buckets the workflow names (T19, thumbnail_buckets).",
    ("s3:*", "*"): "CDK's generic grantRead/grantReadWrite (GetObject*, GetBucket*, List*, DeleteObject*, PutObject "
    "Legal hold/retention/tagging, Abort*): MediaLive needs only the four actions of AWS's table (T18), on the objects "
    "the workflow names.",
    ("secretsmanager:DescribeSecret", "*"): f"AWS's trusted-entity table ({TRUSTED_ENTITY}, SRT caller) lists "
    "secretsmanager:GetSecretValue only; DescribeSecret is part of CDK's generic grantRead.",
    ("ssm:GetParameterHistory", "*"): "AWS's table attaches AmazonSSMReadOnlyAccess; MediaLive reads the current "
    "value (GetParameter/GetParameters/GetParametersByPath, T23), and the history would expose a password's earlier "
    "values.",
}

_ENV = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::URLSuffix": "amazonaws.com"}


def _resolve(value):
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(_resolve(p) for p in parts)
    if isinstance(value, dict) and "Ref" in value:
        return _ENV[value["Ref"]]
    raise ValueError(f"cannot resolve {value!r}")


def _sar_formats(action: str) -> list[str]:
    service, name = action.split(":")
    data = get_action_data(service, name) or {}
    return [e["resource_arn_format"] for e in data.get(service, []) if e["action"].lower() == action.lower()]


def _format_regex(fmt: str) -> re.Pattern:
    fmt = fmt.replace("${Partition}", "aws").replace("${Region}", REGION).replace("${Account}", ACCOUNT)
    return re.compile("^" + re.sub(r"\\\$\\\{[A-Za-z]+\\\}", ".+", re.escape(fmt)) + "$")


def alpha_requests(template: dict) -> list[tuple[str, str]]:
    """(action, concrete resource) pairs the alpha role's Allow statements name, on resources of a type SAR gives."""
    out = []
    for r in template["Resources"].values():
        if r["Type"] != "AWS::IAM::Policy":
            continue
        for st in r["Properties"]["PolicyDocument"]["Statement"]:
            if st["Effect"] != "Allow":
                continue
            actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
            for pattern in actions:
                service = pattern.split(":")[0]
                for action in fnmatch.filter(get_actions_for_service(service), pattern) or [pattern]:
                    formats = [f for f in _sar_formats(action) if f != "*"]
                    for res in map(_resolve, resources):
                        concrete = res.replace("*", "x")
                        if res == "*":
                            if not formats:
                                out.append((action, "*"))
                                continue
                            for fmt in formats:  # a sample of every resource type the action takes
                                sample = re.sub(r"\$\{[A-Za-z]+\}", "x", fmt.replace("${Partition}", "aws").replace(
                                    "${Region}", REGION).replace("${Account}", ACCOUNT))
                                out.append((action, sample))
                            continue
                        elif formats and not any(_format_regex(f).match(concrete) for f in formats):
                            continue  # a resource IAM never authorizes this action on
                        out.append((action, concrete))
    return sorted(set(out))


def _decided(action: str, resource: str) -> str | None:
    for (a, r), why in DECIDED_AGAINST.items():
        if fnmatch.fnmatchcase(action, a) and fnmatch.fnmatchcase(resource, r.replace("x/*", "x/x")):
            return why
    return None


def _encodes():
    video = ml.EncodeConfiguration.video(name="v", width=1280, height=720, codec=ml.VideoCodecSettings.h264(
        rate_control=ml.H264RateControl.cbr(bitrate=cdk.Bitrate.mbps(3)), framerate=ml.Framerate.FPS_30))
    audio = ml.EncodeConfiguration.audio(name="a", codec=ml.AudioCodecSettings.aac(bitrate=cdk.Bitrate.kbps(192)))
    return [video, audio]


def _srt_input(stack):
    return ml.Input(stack, "In", input_name="i", input=ml.InputConfiguration.srt_caller([
        ml.SrtCallerSourceProps(srt_listener_address="203.0.113.10", srt_listener_port=5000)]))


def _hls(destination, https: bool = False):
    extra = {"hls_cdn_settings": ml.HlsCdnSettings.basic_put()} if https else {}
    return ml.OutputGroupConfiguration.hls(name="hls", destinations=[destination], **extra,
                                           outputs=[ml.HlsOutputDefinition(encodes=_encodes(), output_name="o")])


def alpha_s3_destination(stack):
    bucket = s3.Bucket.from_bucket_name(stack, "B", BUCKET)
    ml.Channel(stack, "Channel", inputs=[ml.InputAttachment(input=_srt_input(stack))],
               output_groups=[_hls(ml.OutputDestination.to_bucket(bucket, "live/stream"))])
    return dict(destination_buckets=[BUCKET])


def alpha_s3_source(stack):
    bucket = s3.Bucket.from_bucket_name(stack, "B", BUCKET)
    inp = ml.Input(stack, "In", input_name="i",
                   input=ml.InputConfiguration.ts_file([ml.InputSource.from_bucket(bucket, "in/source.ts")]))
    ml.Channel(stack, "Channel", inputs=[ml.InputAttachment(input=inp)],
               output_groups=[_hls(ml.OutputDestination.url("https://origin.example.com/live/out"), https=True)])
    return dict(source_buckets=[BUCKET])


def alpha_password_parameter(stack):
    param = ssm.StringParameter.from_string_parameter_name(stack, "P", "/" + PARAMETER)
    ml.Channel(stack, "Channel", inputs=[ml.InputAttachment(input=_srt_input(stack))], output_groups=[_hls(
        ml.OutputDestination.url("https://origin.example.com/live/out",
                                 username="medialive", password=param), https=True)])
    return dict(password_parameters=["/" + PARAMETER])


def alpha_vpc_delivery(stack):
    subnet = ec2.Subnet.from_subnet_id(stack, "S", SUBNET)
    sg = ec2.SecurityGroup.from_security_group_id(stack, "G", SG)
    ml.Channel(stack, "Channel", inputs=[ml.InputAttachment(input=_srt_input(stack))],
               output_groups=[_hls(ml.OutputDestination.url("https://origin.example.com/live/out"), https=True)],
               vpc=ml.VpcOutputSettings(subnets=[subnet], security_groups=[sg]))
    return dict(vpc_delivery=VpcAccess(subnets=[SUBNET], security_groups=[SG]))


def alpha_srt_caller(stack):
    secret = sm.Secret.from_secret_complete_arn(stack, "Sec", SECRET_ARN)
    ml.Channel(stack, "Channel", inputs=[ml.InputAttachment(input=_srt_input(stack))], output_groups=[
        ml.OutputGroupConfiguration.srt(name="srt", outputs=[ml.SrtOutputDefinition(
            output_name="o", encodes=_encodes(),
            destinations=[ml.SrtDestination.caller(address="198.51.100.7", port=7000,
                                                   encryption_passphrase_secret=secret)])])])
    return dict(srt_secrets=[SECRET_ARN])


FEATURES = {
    "srt_caller": alpha_srt_caller,
    "s3_destination": alpha_s3_destination,
    "s3_source": alpha_s3_source,
    "password_parameter": alpha_password_parameter,
    "vpc_delivery": alpha_vpc_delivery,
}


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_our_role_allows_what_the_alpha_allows(feature, iam_evaluator):
    _, alpha_stack = new_stack("Alpha")
    ours_kw = FEATURES[feature](alpha_stack)
    recording, synthesized.current_test = synthesized.current_test, None
    try:  # the alpha's own template is not this library's: cfn-lint (tests/test_tools_lint_synthesized.py) does not judge it
        alpha_t = template_of(alpha_stack)
    finally:
        synthesized.current_test = recording
    alpha_role = next(k for k, r in alpha_t["Resources"].items()
                      if r["Type"] == "AWS::IAM::Role" and "medialive" in str(r["Properties"]["AssumeRolePolicyDocument"]))
    _, our_stack = new_stack("Ours")
    ours = MediaLiveTrustedRole(our_stack, "Role", **ours_kw)
    our_t = template_of(our_stack)
    our_role = our_stack.get_logical_id(ours.role.node.default_child)
    alpha_te, our_te = TemplateEvaluator(alpha_t, iam_evaluator), TemplateEvaluator(our_t, iam_evaluator)
    context = {"ec2:Subnet": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{SUBNET}"}
    missing, decided = [], {}
    requests = alpha_requests(alpha_t)
    assert requests, "the alpha's role grants nothing: the comparison would prove nothing"
    for action, resource in requests:
        try:
            if alpha_te.decide(alpha_role, action, resource, context) != "Allowed":
                continue
        except EvaluationError:  # the evaluator's SAR has no such resource type for the action: IAM cannot allow it
            continue
        if our_te.decide(our_role, action, resource, context) == "Allowed":
            continue
        why = _decided(action, resource)
        if why is None:
            missing.append((action, resource))
        else:
            decided[(action, resource)] = why
    assert not missing, f"{feature}: the alpha allows, ours does not, and nothing decided it: {missing}"
    USED.update(decided.values())


USED: set[str] = set()


def test_every_decision_is_used():
    """Runs after the features (file order): each decision against is needed by some feature, none is stale."""
    if len(USED) == 0:
        pytest.skip("the feature comparisons did not run in this session")
    assert set(DECIDED_AGAINST.values()) <= USED, [k for k, v in DECIDED_AGAINST.items() if v not in USED]
