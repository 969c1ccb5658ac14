"""medialive_iam_constructs.channels: a trusted role derived from the channels it serves, and the channels whose
role is ours checked against it at synth (issue 23, item 2)."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_medialive as cml
from aws_cdk import aws_medialive_alpha as ml
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as sm

from medialive_iam_constructs import MediaLiveAccessRole, MediaLiveIamError, MediaLiveTrustedRole, S3Location, VpcAccess
from medialive_iam_constructs.channels import channel_uses, workflow_props_from_channels
from medialive_iam_constructs.trusted_role import WorkflowProps
from tests import synthesized
from tests.helpers import ACCOUNT, REGION, new_stack
from tests.test_trusted_role_alpha_parity import _hls

SECRET_OUT = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:medialive/srt-out-AbCdEf"
SECRET_IN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:medialive/srt-in-GhIjKl"
SUBNET, SG, EIP = "subnet-0123456789abcdef0", "sg-0123456789abcdef0", "eipalloc-0123456789abcdef0"
D = cml.CfnChannel


def _input(stack, id="In", **props):
    return cml.CfnInput(stack, id, name=id, **props)


def _channel(stack, *, destinations=(), inputs=(), role_arn=None, id="Channel", **props):
    return cml.CfnChannel(stack, id, name=id, role_arn=role_arn, destinations=list(destinations),
                          input_attachments=[D.InputAttachmentProperty(input_id=i.ref) for i in inputs], **props)


def _dest(id, url=None, password_param=None):
    return D.OutputDestinationProperty(id=id, settings=[D.OutputDestinationSettingsProperty(
        url=url, password_param=password_param)])


def _every_kind(stack):
    """A CfnChannel that names one resource of every kind a row covers (literal values)."""
    inputs = [
        _input(stack, "S3In", type="MP4_FILE", sources=[cml.CfnInput.InputSourceRequestProperty(url="s3ssl://src-bucket/in/a.mp4")]),
        _input(stack, "PullIn", type="URL_PULL", sources=[cml.CfnInput.InputSourceRequestProperty(
            url="https://origin.example.com/in.m3u8", username="u", password_param="/medialive/in-pw")]),
        _input(stack, "FlowIn", type="MEDIACONNECT", media_connect_flows=[cml.CfnInput.MediaConnectFlowRequestProperty(
            flow_arn=f"arn:aws:mediaconnect:{REGION}:{ACCOUNT}:flow:1-abc:news")]),
        _input(stack, "VpcIn", type="RTP_PUSH", vpc=cml.CfnInput.InputVpcRequestProperty(subnet_ids=[SUBNET],
                                                                                        security_group_ids=[SG])),
        _input(stack, "SrtIn", type="SRT_CALLER", srt_settings=cml.CfnInput.SrtSettingsRequestProperty(srt_caller_sources=[
            cml.CfnInput.SrtCallerSourceRequestProperty(srt_listener_address="203.0.113.1", srt_listener_port="5000",
                                                        decryption=cml.CfnInput.SrtCallerDecryptionRequestProperty(
                                                            algorithm="AES256", passphrase_secret_arn=SECRET_IN))])),
    ]
    destinations = [
        _dest("hls", "s3ssl://dest-bucket/live/stream"),
        _dest("archive", "s3://dest-bucket/archive/$dt$/a"),
        _dest("webdav", "https://origin.example.com/live/out", password_param="/medialive/out-pw"),
        _dest("mpv2", "https://abc-1.ingest.xyz.mediapackagev2.us-west-2.amazonaws.com/in/v1/news-group/1/news/index"),
        D.OutputDestinationProperty(id="mp", media_package_settings=[D.MediaPackageOutputDestinationSettingsProperty(
            channel_id="news-mp")]),
        D.OutputDestinationProperty(id="mpv2b", media_package_settings=[D.MediaPackageOutputDestinationSettingsProperty(
            channel_group="sport-group", channel_name="sport")]),
        D.OutputDestinationProperty(id="srt", srt_settings=[D.SrtOutputDestinationSettingsProperty(
            url="srt://198.51.100.7:7000", encryption_passphrase_secret_arn=SECRET_OUT)]),
        _dest("udp", "udp://198.51.100.8:5000"),
    ]
    return _channel(stack, destinations=destinations, inputs=inputs, log_level="INFO",
                    vpc=D.VpcOutputSettingsProperty(subnet_ids=[SUBNET], security_group_ids=[SG],
                                                    public_address_allocation_ids=[EIP]))


def test_every_kind_of_setting_maps_to_its_prop():
    _, stack = new_stack()
    channel = _every_kind(stack)
    props = workflow_props_from_channels(stack, [channel])
    assert props.logging is True
    assert [(x.bucket, x.prefix) for x in props.source_buckets] == [("src-bucket", "in/a.mp4")]
    assert [(x.bucket, x.prefix) for x in props.destination_buckets] == [("dest-bucket", "live/stream"),
                                                                        ("dest-bucket", "archive/")]
    assert props.password_parameters == ("/medialive/out-pw", "/medialive/in-pw")  # the channel, then its inputs
    assert props.mediaconnect_inputs is True
    assert props.vpc_inputs == VpcAccess(subnets=(SUBNET,), security_groups=(SG,))
    assert props.vpc_delivery == VpcAccess(subnets=(SUBNET,), security_groups=(SG,), elastic_ip_allocations=(EIP,))
    assert props.srt_input_secrets == (SECRET_IN,) and props.srt_secrets == (SECRET_OUT,)
    assert props.mediapackage_channels == ("news-mp",)
    assert props.mediapackage_v2_channels == (("news-group", "news"), ("sport-group", "sport"))
    role = MediaLiveTrustedRole(stack, "Role", channels=[channel])
    assert role.rows == ("T5", "T6", "T7", "T8", "T9", "T11", "T12", "T14", "T15", "T18.read", "T18.write",
                         "T20", "T20.input", "T23")


def test_workflow_props_from_channels_is_the_function():
    _, stack = new_stack()
    channel = _channel(stack, destinations=[_dest("hls", "s3ssl://dest-bucket/live/stream")])
    given = WorkflowProps(srt_secrets=["medialive/out"])
    assert WorkflowProps.from_channels(stack, [channel], given=given) == workflow_props_from_channels(
        stack, [channel], given=given)


def test_each_use_names_its_channel_and_setting():
    _, stack = new_stack()
    channel = _every_kind(stack)
    where = {(u.prop, u.where) for u in channel_uses(stack, [channel])}
    assert ("destination_buckets", "Test/Channel: destinations[0].settings[0].url") in where
    assert ("srt_input_secrets", "Test/SrtIn: srtSettings.srtCallerSources[0].decryption.passphraseSecretArn") in where
    assert ("mediapackage_channels", "Test/Channel: destinations[4].mediaPackageSettings[0].channelId") in where


def test_derived_props_join_the_given_ones():
    _, stack = new_stack()
    channel = _channel(stack, destinations=[_dest("hls", "s3ssl://dest-bucket/live/stream")])
    role = MediaLiveTrustedRole(stack, "Role", channels=[channel], thumbnail_buckets=["thumbs"],
                                destination_buckets=[S3Location("other", "x/")])
    props = role.workflow_props
    assert [(x.bucket, x.prefix) for x in props.destination_buckets] == [("other", "x/"), ("dest-bucket", "live/stream")]
    assert list(props.thumbnail_buckets) == ["thumbs"]
    assert role.rows == ("T18.write", "T19")  # the channel does not log (no logLevel): no T5


def test_logging_follows_the_channel_unless_given():
    _, stack = new_stack()
    quiet = _channel(stack, destinations=[_dest("hls", "s3ssl://abc-bucket/live/")], log_level="DISABLED")
    assert "T5" not in MediaLiveTrustedRole(stack, "Quiet", channels=[quiet]).rows
    assert "T5" in MediaLiveTrustedRole(stack, "Forced", channels=[quiet], logging=True).rows
    assert "T5" in MediaLiveTrustedRole(stack, "NoChannels", destination_buckets=["abc-bucket"]).rows  # default unchanged


def test_alpha_channel_and_its_inputs_with_tokens_of_the_stack():
    _, stack = new_stack()
    bucket = s3.Bucket(stack, "Media")
    secret = sm.Secret(stack, "Pass")
    source = ml.Input(stack, "Src", input_name="src",
                      input=ml.InputConfiguration.ts_file([ml.InputSource.from_bucket(bucket, "in/source.ts")]))
    srt = ml.Input(stack, "Srt", input_name="srt", input=ml.InputConfiguration.srt_caller([ml.SrtCallerSourceProps(
        srt_listener_address="203.0.113.10", srt_listener_port=5000,
        decryption=ml.SrtDecryptionProps(passphrase_secret=secret))]))
    channel = ml.Channel(stack, "Channel", inputs=[ml.InputAttachment(input=source), ml.InputAttachment(input=srt)],
                         output_groups=[_hls(ml.OutputDestination.to_bucket(bucket, "live/stream"))],
                         role=iam.Role.from_role_arn(stack, "Named", f"arn:aws:iam::{ACCOUNT}:role/medialive/news",
                                                     mutable=False))
    role = MediaLiveTrustedRole(stack, "Role", role_name="news", channels=[channel])
    assert role.rows == ("T18.read", "T18.write", "T20.input")
    props = role.workflow_props
    assert stack.resolve(props.destination_buckets[0].bucket) == {"Ref": stack.get_logical_id(bucket.node.default_child)}
    assert stack.resolve(props.srt_input_secrets[0]) == {"Ref": stack.get_logical_id(secret.node.default_child)}
    template = cdk.assertions.Template.from_stack(stack).to_json()
    channel_id = stack.get_logical_id(channel.node.default_child)
    assert stack.get_logical_id(role.role.node.default_child) in template["Resources"][channel_id]["DependsOn"]


@pytest.mark.parametrize("setting, fix", [
    ({"destinations": [_dest("x", "ftp://host/a")]}, "the scheme 'ftp'"),
    ({"destinations": [_dest("x", "mediastoressl://abc.data.mediastore.us-west-2.amazonaws.com/live")]},
     "mediastore_destination_containers="),
    ({"destinations": [D.OutputDestinationProperty(id="r", media_connect_router_settings=[
        D.MediaConnectRouterOutputDestinationSettingsProperty(encryption_type="SECRETS_MANAGER", secret_arn=SECRET_OUT)])]},
     "no catalog row covers them"),
    ({"destinations": [_dest("x", cdk.Fn.import_value("SomeUrl"))]}, "known only at deploy"),
    ({"input_attachments": [D.InputAttachmentProperty(input_id="1234567")]}, "attach the input by reference"),
])
def test_an_unreadable_setting_fails_with_the_setting_and_the_fix(setting, fix):
    _, stack = new_stack()
    channel = cml.CfnChannel(stack, "Channel", name="c", **setting)
    with pytest.raises(MediaLiveIamError) as e:
        MediaLiveTrustedRole(stack, "Role", channels=[channel])
    text = str(e.value)
    assert "Test/Role (MediaLiveTrustedRole)" in text and "channels (Test/Channel: " in text and fix in text


def test_a_mediastore_destination_is_accepted_with_its_containers_named():
    _, stack = new_stack()
    channel = _channel(stack, destinations=[_dest("x", "mediastoressl://abc.data.mediastore.us-west-2.amazonaws.com/a")])
    role = MediaLiveTrustedRole(stack, "Role", channels=[channel], mediastore_destination_containers=["live"])
    assert role.rows == ("T16.write",)


def test_not_a_channel_fails():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match=r"channels\[0\].*is not a MediaLive channel"):
        MediaLiveTrustedRole(stack, "Role", channels=[s3.Bucket(stack, "B")])


# --- the other way round: the channel's role must cover what it uses (fails on fa9ab59: no such check) --------

def _synth_errors(app) -> str:
    with pytest.raises(Exception) as e:
        app.synth()
    return str(e.value)


def test_a_bucket_the_role_does_not_name_fails_at_synth():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "Role", destination_buckets=[S3Location("dest-bucket", "live/")])
    _channel(stack, role_arn=role.role_arn, destinations=[_dest("hls", "s3ssl://other-bucket/live/stream")])
    text = _synth_errors(app)
    assert "Test/Channel (CfnChannel): destinations[0].settings[0].url" in text
    assert "T18.write" in text and "other-bucket" in text
    assert "Fix: add destination_buckets=[S3Location('other-bucket', 'live/stream')] to Test/Role" in text


def test_another_prefix_of_the_same_bucket_fails_at_synth():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "Role", destination_buckets=[S3Location("dest-bucket", "live/")])
    _channel(stack, role_arn=role.role_arn, destinations=[_dest("hls", "s3ssl://dest-bucket/vod/stream")])
    assert "destinations[0].settings[0].url: needs row(s) T18.write" in _synth_errors(app)


def test_a_secret_parameter_and_input_kind_the_role_lacks_fail_at_synth():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "Role", destination_buckets=["dest-bucket"], srt_secrets=["medialive/other"])
    flow = _input(stack, "FlowIn", type="MEDIACONNECT", media_connect_flows=[
        cml.CfnInput.MediaConnectFlowRequestProperty(flow_arn=f"arn:aws:mediaconnect:{REGION}:{ACCOUNT}:flow:1-a:f")])
    _channel(stack, role_arn=role.role_arn, inputs=[flow], destinations=[
        _dest("hls", "s3ssl://dest-bucket/live/stream", password_param="/medialive/pw"),
        D.OutputDestinationProperty(id="srt", srt_settings=[D.SrtOutputDestinationSettingsProperty(
            url="srt://198.51.100.7:7000", encryption_passphrase_secret_arn=SECRET_OUT)])])
    text = _synth_errors(app)
    assert "destinations[0].settings[0].passwordParam: needs row(s) T23" in text
    assert "destinations[1].srtSettings[0].encryptionPassphraseSecretArn: needs row(s) T20 on " + SECRET_OUT in text
    assert "mediaConnectFlows (of the input Test/FlowIn): needs row(s) T11, T12" in text
    assert "Fix: add mediaconnect_inputs=True" in text


def test_an_alpha_channel_given_our_role_is_checked():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "Role", destination_buckets=["dest-bucket"])
    bucket = s3.Bucket.from_bucket_name(stack, "Other", "other-bucket")
    srt = ml.Input(stack, "In", input_name="i", input=ml.InputConfiguration.srt_caller([ml.SrtCallerSourceProps(
        srt_listener_address="203.0.113.10", srt_listener_port=5000)]))
    ml.Channel(stack, "Channel", role=role.role, inputs=[ml.InputAttachment(input=srt)],
               output_groups=[_hls(ml.OutputDestination.to_bucket(bucket, "live/stream"))])
    assert "Test/Channel/Resource (CfnChannel): destinations[0].settings[0].url" in _synth_errors(app)


def test_a_covered_channel_and_the_derived_role_synthesize():
    app, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "Role", destination_buckets=[S3Location("dest-bucket", "live/")],
                                password_parameter_paths=["/medialive/"])
    _channel(stack, role_arn=role.role_arn, destinations=[_dest("hls", "s3ssl://dest-bucket/live/stream",
                                                                password_param="/medialive/pw")])
    channel = _every_kind(cdk.Stack(app, "Every", env=cdk.Environment(account=ACCOUNT, region=REGION)))
    derived = MediaLiveTrustedRole(channel.stack, "Role", channels=[channel])
    channel.role_arn = derived.role_arn
    with synthesized.not_recorded():  # cfn-lint W2501 reads PasswordParam (a parameter's name) as a password
        app.synth()


def test_channels_of_other_roles_are_not_checked():
    app, stack = new_stack()
    MediaLiveTrustedRole(stack, "Role", destination_buckets=["dest-bucket"])
    console = MediaLiveAccessRole(stack, "Console")
    _channel(stack, id="ConsoleChannel", role_arn=console.role_arn, destinations=[_dest("a", "s3ssl://xyz-bucket/y")])
    _channel(stack, id="Imported", role_arn=f"arn:aws:iam::{ACCOUNT}:role/someone-else",
             destinations=[_dest("a", "s3ssl://xyz-bucket/y")])
    app.synth()


def test_a_channel_naming_our_role_by_its_literal_arn_is_checked():
    app, stack = new_stack()
    MediaLiveTrustedRole(stack, "Role", role_name="news", destination_buckets=["dest-bucket"])
    _channel(stack, role_arn=f"arn:aws:iam::{ACCOUNT}:role/medialive/news", destinations=[_dest("a", "s3ssl://xyz-bucket/y")])
    assert re.search(r"Test/Channel \(CfnChannel\): destinations\[0\]\.settings\[0\]\.url: needs row\(s\) T18\.write",
                     _synth_errors(app))
