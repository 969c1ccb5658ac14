"""The role derived from an aws_medialive_alpha channel (``MediaLiveTrustedRole(channels=[...])``), proved with the
IAM evaluator against the alpha's own auto-role, on a channel of every destination kind the alpha supports (and the
inputs that need a permission): issue 23, item 2.

For each feature the same channel is built twice: once with the alpha's auto-role, once given a role by its ARN and
our role derived from it. Then, on the derived role:

* every request the alpha's roles allow (tests/test_trusted_role_alpha_parity.alpha_requests) is allowed, except
  those decided against (the parity module's ``DECIDED_AGAINST`` and :data:`DERIVED_DECIDED`, each with its reason);
* the requests the channel needs (:data:`FEATURES`' ``needs``: the objects under the prefix it writes, the secret,
  the parameter, the MediaPackage channel) are allowed;
* requests on what the channel does not name (another bucket, another prefix, another secret, another parameter,
  another MediaPackage channel: ``denies``) are denied.
"""

from __future__ import annotations

import contextlib
import fnmatch
from typing import Any, Callable, NamedTuple

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_medialive_alpha as ml
from aws_cdk import aws_mediapackagev2_alpha as mpv2
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as sm
from aws_cdk import aws_ssm as ssm
from tools.iam_evaluator import EvaluationError, TemplateEvaluator

from medialive_iam_constructs import MediaLiveTrustedRole
from tests import synthesized
from tests.helpers import ACCOUNT, REGION, new_stack, template_of
from tests.test_trusted_role_alpha_parity import DECIDED_AGAINST, _encodes, _hls, alpha_requests

BUCKET, OTHER_BUCKET = "medialive-parity", "medialive-elsewhere"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:medialive/srt-AbCdEf"
OTHER_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:medialive/other-GhIjKl"
PARAMETER = "/medialive/origin-password"
PARAM_ARN = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{PARAMETER}"
OTHER_PARAM = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/other"
SUBNET, SG = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
ROLE_NAME = "derived-workflow"

#: (action pattern, resource pattern) -> why the derived role does not allow what the alpha's auto-role allows,
#: beyond the parity module's DECIDED_AGAINST (docs/trusted-role.md, "Compared with aws-medialive-alpha").
DERIVED_DECIDED: dict[tuple[str, str], str] = {
    ("s3:*", f"arn:aws:s3:::{BUCKET}/x"): "the alpha grants the whole bucket (grantRead/grantReadWrite on bucket/*); "
    "the derived role grants the objects under the key the channel names (destination URL's key, the input's "
    "object key), and s3:ListBucket only with s3:prefix under it: what a hand-written S3Location(bucket, prefix) "
    "grants.",
    ("s3:ListBucket", f"arn:aws:s3:::{BUCKET}"): "s3:ListBucket is allowed with the s3:prefix condition of the key "
    "the channel names (tested with that prefix); the alpha lists the whole bucket.",
}


class Feature(NamedTuple):
    build: Callable[[cdk.Stack, Any], Any]
    #: (action, resource, context) the derived role must allow.
    needs: tuple[tuple[str, str, dict], ...]
    #: (action, resource, context) it must deny: what the channel does not name.
    denies: tuple[tuple[str, str, dict], ...]


def _srt_input(stack, decryption=None):
    return ml.Input(stack, "In", input_name="i", input=ml.InputConfiguration.srt_caller([ml.SrtCallerSourceProps(
        srt_listener_address="203.0.113.10", srt_listener_port=5000, decryption=decryption)]))


def _channel(stack, role, output_groups, inputs=None, **props):
    return ml.Channel(stack, "Channel", role=role, inputs=inputs or [ml.InputAttachment(input=_srt_input(stack))],
                      output_groups=output_groups, **props)


def _bucket(stack):
    return s3.Bucket.from_bucket_name(stack, "B", BUCKET)


def hls_s3(stack, role):
    return _channel(stack, role, [_hls(ml.OutputDestination.to_bucket(_bucket(stack), "live/stream"))])


def archive_s3(stack, role):
    return _channel(stack, role, [ml.OutputGroupConfiguration.archive(
        name="archive", destinations=[ml.S3OutputDestination.to_bucket(_bucket(stack), "live/stream")],
        outputs=[ml.ArchiveOutputDefinition(encodes=_encodes(), output_name="o")])])


def frame_capture_s3(stack, role):
    video = ml.EncodeConfiguration.video(name="f", width=640, height=360,
                                         codec=ml.VideoCodecSettings.frame_capture(capture_interval=cdk.Duration.seconds(10)))
    return _channel(stack, role, [ml.OutputGroupConfiguration.frame_capture(
        name="frames", destinations=[ml.S3OutputDestination.to_bucket(_bucket(stack), "live/stream")],
        outputs=[ml.FrameCaptureOutputDefinition(encodes=[video], output_name="o")])])


def hls_url_password(stack, role):
    param = ssm.StringParameter.from_string_parameter_name(stack, "P", PARAMETER)
    return _channel(stack, role, [_hls(ml.OutputDestination.url("https://origin.example.com/live/out",
                                                                username="medialive", password=param), https=True)])


def rtmp_password(stack, role):
    param = ssm.StringParameter.from_string_parameter_name(stack, "P", PARAMETER)
    return _channel(stack, role, [ml.OutputGroupConfiguration.rtmp(name="rtmp", outputs=[ml.RtmpOutputDefinition(
        encodes=_encodes(), output_name="o", destinations=[ml.RtmpDestination.url(
            "rtmp://origin.example.com/live", "stream", username="medialive", password=param)])])])


def _srt_output(stack, role, destination, **props):
    return _channel(stack, role, [ml.OutputGroupConfiguration.srt(name="srt", outputs=[ml.SrtOutputDefinition(
        output_name="o", encodes=_encodes(), destinations=[destination])])], **props)


def srt_caller_output(stack, role):
    secret = sm.Secret.from_secret_complete_arn(stack, "Sec", SECRET)
    return _srt_output(stack, role, ml.SrtDestination.caller(address="198.51.100.7", port=7000,
                                                             encryption_passphrase_secret=secret))


def srt_listener_output(stack, role):
    secret = sm.Secret.from_secret_complete_arn(stack, "Sec", SECRET)
    group = ml.InputSecurityGroup(stack, "Callers", allowlist_rules=["198.51.100.0/24"])
    return _srt_output(stack, role, ml.SrtDestination.listener(listener_port=5100, encryption_passphrase_secret=secret),
                       channel_security_groups=[group])


def mediapackage_v2(stack, role):
    channel = mpv2.Channel.from_channel_attributes(stack, "Mp", channel_group_name="news-group", channel_name="news")
    return _channel(stack, role, [ml.OutputGroupConfiguration.media_package_v2(
        name="mpv2", channel=channel,
        outputs=[ml.MediaPackageV2OutputDefinition(encode=e, output_name=f"o{i}") for i, e in enumerate(_encodes())])])


def cmaf_ingest_mpv2_url(stack, role):
    url = f"https://abc-1.ingest.xyz.mediapackagev2.{REGION}.amazonaws.com/in/v1/news-group/1/news/"
    return _channel(stack, role, [ml.OutputGroupConfiguration.cmaf_ingest(
        name="cmaf", destinations=[ml.OutputDestination.url(url)],
        outputs=[ml.CmafIngestOutputDefinition(encode=e, output_name=f"o{i}") for i, e in enumerate(_encodes())])])


def udp(stack, role):
    return _channel(stack, role, [ml.OutputGroupConfiguration.udp(
        name="udp", destinations=[ml.UdpOutputDestination.udp(address="198.51.100.9", port=5000)],
        outputs=[ml.UdpOutputDefinition(encodes=_encodes(), output_name="o")])])


def ms_smooth(stack, role):
    return _channel(stack, role, [ml.OutputGroupConfiguration.ms_smooth(
        name="smooth", destinations=[ml.OutputDestination.url("https://origin.example.com/smooth/out")],
        outputs=[ml.MsSmoothOutputDefinition(encodes=_encodes(), output_name="o")])])


def ts_file_s3_input(stack, role):
    source = ml.Input(stack, "Src", input_name="src", input=ml.InputConfiguration.ts_file(
        [ml.InputSource.from_bucket(_bucket(stack), "in/source.ts")]))
    return _channel(stack, role, [_hls(ml.OutputDestination.url("https://origin.example.com/live/out"), https=True)],
                    inputs=[ml.InputAttachment(input=source)])


def srt_caller_input_secret(stack, role):
    secret = sm.Secret.from_secret_complete_arn(stack, "Sec", SECRET)
    return _channel(stack, role, [_hls(ml.OutputDestination.url("https://origin.example.com/live/out"), https=True)],
                    inputs=[ml.InputAttachment(input=_srt_input(stack, ml.SrtDecryptionProps(passphrase_secret=secret)))])


def vpc_delivery_logging(stack, role):
    subnet = ec2.Subnet.from_subnet_id(stack, "S", SUBNET)
    sg = ec2.SecurityGroup.from_security_group_id(stack, "G", SG)
    return _channel(stack, role, [_hls(ml.OutputDestination.url("https://origin.example.com/live/out"), https=True)],
                    vpc=ml.VpcOutputSettings(subnets=[subnet], security_groups=[sg]), log_level=ml.LogLevel.INFO)


_OBJ = f"arn:aws:s3:::{BUCKET}"
_WRITE = (("s3:PutObject", f"{_OBJ}/live/stream.m3u8", {}), ("s3:GetObject", f"{_OBJ}/live/stream_1.ts", {}),
          ("s3:DeleteObject", f"{_OBJ}/live/stream_1.ts", {}), ("s3:ListBucket", _OBJ, {"s3:prefix": "live/stream"}))
_NOT_ELSEWHERE = (("s3:PutObject", f"{_OBJ}/vod/stream.m3u8", {}), ("s3:PutObject", f"arn:aws:s3:::{OTHER_BUCKET}/live/a", {}),
                  ("s3:ListBucket", _OBJ, {"s3:prefix": "vod/"}), ("s3:ListBucket", f"arn:aws:s3:::{OTHER_BUCKET}", {}))
_SECRETS = (("secretsmanager:GetSecretValue", SECRET, {}),)
_NO_OTHER_SECRET = (("secretsmanager:GetSecretValue", OTHER_SECRET, {}),)
_PARAMS = (("ssm:GetParameters", PARAM_ARN, {}),)
_NO_OTHER_PARAM = (("ssm:GetParameters", OTHER_PARAM, {}), ("s3:GetObject", f"{_OBJ}/x", {}))
_NOTHING = (("s3:GetObject", f"{_OBJ}/x", {}), ("secretsmanager:GetSecretValue", OTHER_SECRET, {}),
            ("ssm:GetParameter", OTHER_PARAM, {}))

_MPV2_ARN = f"arn:aws:mediapackagev2:{REGION}:{ACCOUNT}:channelGroup/news-group"
_MPV2 = (("mediapackagev2:PutObject", f"{_MPV2_ARN}/channel/news", {}),
         ("mediapackagev2:GetChannel", f"{_MPV2_ARN}/channel/news", {}))
_NO_OTHER_MPV2 = (("mediapackagev2:PutObject", f"{_MPV2_ARN}/channel/sport", {}),
                  ("mediapackagev2:PutObject", f"arn:aws:mediapackagev2:{REGION}:{ACCOUNT}:channelGroup/other/channel/news", {}))

FEATURES: dict[str, Feature] = {
    "hls_s3": Feature(hls_s3, _WRITE, _NOT_ELSEWHERE),
    "archive_s3": Feature(archive_s3, _WRITE, _NOT_ELSEWHERE),
    "frame_capture_s3": Feature(frame_capture_s3, _WRITE, _NOT_ELSEWHERE),
    "hls_url_password": Feature(hls_url_password, _PARAMS, _NO_OTHER_PARAM),
    "rtmp_password": Feature(rtmp_password, _PARAMS, _NO_OTHER_PARAM),
    "srt_caller_output": Feature(srt_caller_output, _SECRETS, _NO_OTHER_SECRET),
    "srt_listener_output": Feature(srt_listener_output, _SECRETS, _NO_OTHER_SECRET),
    "mediapackage_v2": Feature(mediapackage_v2, _MPV2, _NO_OTHER_MPV2),
    "cmaf_ingest_mpv2_url": Feature(cmaf_ingest_mpv2_url, _MPV2, _NO_OTHER_MPV2),
    "udp": Feature(udp, (), _NOTHING),
    "ms_smooth": Feature(ms_smooth, (), _NOTHING),
    "ts_file_s3_input": Feature(ts_file_s3_input, (
        ("s3:GetObject", f"{_OBJ}/in/source.ts", {}), ("s3:ListBucket", _OBJ, {"s3:prefix": "in/source.ts"})),
        (("s3:GetObject", f"{_OBJ}/in/other.ts", {}), ("s3:PutObject", f"{_OBJ}/in/source.ts", {}))),
    "srt_caller_input_secret": Feature(srt_caller_input_secret, _SECRETS, _NO_OTHER_SECRET),
    "vpc_delivery_logging": Feature(vpc_delivery_logging, (
        ("ec2:CreateNetworkInterface", f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{SUBNET}", {}),
        ("logs:PutLogEvents", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:ElementalMediaLive:log-stream:x", {})),
        (("ec2:CreateNetworkInterface", f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/subnet-0fedcba9876543210", {}),)),
}

_CONTEXT = {"ec2:Subnet": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{SUBNET}"}


def _decided(action: str, resource: str) -> str | None:
    for (a, r), why in [*DERIVED_DECIDED.items(), *DECIDED_AGAINST.items()]:  # the narrower decisions first
        if fnmatch.fnmatchcase(action, a) and fnmatch.fnmatchcase(resource, r.replace("x/*", "x/x")):
            return why
    return None


def _alpha(feature: Feature) -> tuple[dict, list[str]]:
    _, stack = new_stack("Alpha")
    feature.build(stack, None)
    recording, synthesized.current_test = synthesized.current_test, None
    try:  # the alpha's own template is not this library's (cfn-lint does not judge it)
        template = template_of(stack)
    finally:
        synthesized.current_test = recording
    roles = [k for k, r in template["Resources"].items()
             if r["Type"] == "AWS::IAM::Role" and "medialive" in str(r["Properties"]["AssumeRolePolicyDocument"])]
    return template, roles


def _derived(feature: Feature) -> tuple[dict, str, MediaLiveTrustedRole]:
    _, stack = new_stack("Ours")
    named = iam.Role.from_role_arn(stack, "Named", f"arn:aws:iam::{ACCOUNT}:role/medialive/{ROLE_NAME}", mutable=False)
    channel = feature.build(stack, named)
    # a channel that needs no permission (UDP, Smooth to an HTTP origin) keeps T5 only if asked: a role must grant something
    role = MediaLiveTrustedRole(stack, "Role", role_name=ROLE_NAME, channels=[channel], logging=True if not feature.needs else None)
    # cfn-lint's W2501 reads a channel's PasswordParam (the parameter's name) as a hardcoded password: the alpha's
    # channel is not this library's resource, so a stack holding one is not recorded for the lint pass
    linted = synthesized.not_recorded() if feature.needs is _PARAMS else contextlib.nullcontext()
    with linted:
        template = template_of(stack)
    return template, stack.get_logical_id(role.role.node.default_child), role


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_the_derived_role_allows_what_the_channel_needs_and_nothing_else(name, iam_evaluator):
    feature = FEATURES[name]
    alpha_t, alpha_roles = _alpha(feature)
    ours_t, our_role, _ = _derived(feature)
    alpha_te, our_te = TemplateEvaluator(alpha_t, iam_evaluator), TemplateEvaluator(ours_t, iam_evaluator)
    missing, decided = [], set()
    for action, resource in alpha_requests(alpha_t):
        try:
            if not any(alpha_te.decide(r, action, resource, _CONTEXT) == "Allowed" for r in alpha_roles):
                continue
        except EvaluationError:  # no such resource type for the action in the evaluator's SAR: IAM cannot allow it
            continue
        if our_te.decide(our_role, action, resource, _CONTEXT) == "Allowed":
            continue
        why = _decided(action, resource)
        (missing.append((action, resource)) if why is None else decided.add(why))
    assert not missing, f"{name}: the alpha allows, the derived role does not, nothing decided it: {missing}"
    for action, resource, context in feature.needs:
        assert our_te.decide(our_role, action, resource, {**_CONTEXT, **context}) == "Allowed", (name, action, resource)
    for action, resource, context in feature.denies:
        assert our_te.decide(our_role, action, resource, {**_CONTEXT, **context}) != "Allowed", (name, action, resource)
    USED.update(decided)


USED: set[str] = set()


def test_every_derived_decision_is_used():
    """Runs after the features (file order): each decision of DERIVED_DECIDED is needed by some feature."""
    if not USED:
        pytest.skip("the feature comparisons did not run in this session")
    assert set(DERIVED_DECIDED.values()) <= USED, [k for k, v in DERIVED_DECIDED.items() if v not in USED]


def test_the_derived_role_is_the_hand_written_one():
    """Never wider than the equivalent hand-written props: the same template as the role given them by hand."""
    from medialive_iam_constructs import S3Location

    _, derived_stack = new_stack("Derived")
    named = iam.Role.from_role_arn(derived_stack, "Named", f"arn:aws:iam::{ACCOUNT}:role/medialive/{ROLE_NAME}")
    MediaLiveTrustedRole(derived_stack, "Role", role_name=ROLE_NAME, channels=[hls_s3(derived_stack, named)])
    _, hand_stack = new_stack("Hand")
    MediaLiveTrustedRole(hand_stack, "Role", role_name=ROLE_NAME, logging=False,
                         destination_buckets=[S3Location(BUCKET, "live/stream")])

    def policies(stack):
        t = template_of(stack)
        return sorted(str(r["Properties"]["PolicyDocument"]) for r in t["Resources"].values()
                      if r["Type"] == "AWS::IAM::ManagedPolicy")

    assert policies(derived_stack) == policies(hand_stack)


def _router(stack, role, settings):
    return _channel(stack, role, [ml.OutputGroupConfiguration.media_connect_router(
        name="router", availability_zones=[f"{REGION}a"], router_settings=settings,
        outputs=[ml.MediaConnectRouterOutputDefinition(encodes=_encodes(), output_name="o")])])


def test_a_mediaconnect_router_output_with_a_secret_fails_the_derivation():
    """The alpha grants a router output's encryption secret; no catalog row covers MediaLive reading it (AWS's
    trusted-entity table has none), so deriving fails at synth, naming the setting (docs/trusted-role.md)."""
    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    named = iam.Role.from_role_arn(stack, "Named", f"arn:aws:iam::{ACCOUNT}:role/medialive/{ROLE_NAME}")
    secret = sm.Secret.from_secret_complete_arn(stack, "Sec", SECRET)
    channel = _router(stack, named, ml.MediaConnectRouterSettings.shared(encryption_secret=secret))
    with pytest.raises(MediaLiveIamError, match=r"mediaConnectRouterSettings\[0\]\.secretArn.*no catalog row"):
        MediaLiveTrustedRole(stack, "Role", role_name=ROLE_NAME, channels=[channel])
    _, plain = new_stack("Plain")
    named = iam.Role.from_role_arn(plain, "Named", f"arn:aws:iam::{ACCOUNT}:role/medialive/{ROLE_NAME}")
    role = MediaLiveTrustedRole(plain, "Role", role_name=ROLE_NAME, logging=True,
                                channels=[_router(plain, named, ml.MediaConnectRouterSettings.shared())])
    assert role.rows == ("T5",)  # automatic encryption: nothing of the role's
