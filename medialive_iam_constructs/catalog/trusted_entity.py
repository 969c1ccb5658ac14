"""What MediaLive itself needs: rows T1-T23 of "Access requirements for the trusted entity" (CUR-TE,
reference §1.4), with the resource each action can be scoped to (SAR ARN formats).

The doc gives resources only for CloudWatch Logs, and prints those malformed (E9: ``arn:aws:logs:*``,
``arn:aws:log-group:*``); every other scope here is derived from SAR. ``*`` only where the action has no
resource type, or with a recorded reason (MediaConnect ``Managed*``, E14).

Rows that need no permission (T1-T4, T13, T17, T22) are kept so that the handout and docs can say so.
"""

from __future__ import annotations

from .activities import _a
from .model import Grant, Row
from .resources import (
    EC2_ELASTIC_IP,
    EC2_NETWORK_INTERFACE,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    INFERENCE_FEED,
    KMS_KEY,
    LOG_GROUP,
    LOG_STREAM,
    MP_CHANNEL,
    MPV2_CHANNEL,
    MPV2_CHANNEL_GROUP,
    MS_OBJECT,
    S3_BUCKET,
    S3_OBJECT,
    SECRET,
    SSM_PARAMETER,
)

_TE = "CUR-TE"
_T = "trusted"

#: The MediaLive user guide's pages on SRT inputs whose source is encrypted (T20.input's sources): the passphrase is
#: stored in a Secrets Manager secret whose ARN the input names.
SRT_INPUT_PREREQS = "https://docs.aws.amazon.com/medialive/latest/ug/input-listener-srt-prereqs.html"
SRT_INPUT_SECRETS = "https://docs.aws.amazon.com/medialive/latest/ug/requirements-for-secrets.html"

#: Rows whose grants are those of an older row (same actions, same resource kinds): where every row is granted on
#: one namespace (``MediaLiveNamespaces``: the boundary, the scoped simple role) the older row's statement covers
#: them, so that the templates of existing boundaries do not change when such a row is added.
SAME_GRANTS_AS: dict[str, str] = {"T20.input": "T20"}

MANAGED_STAR_REASON = (
    "mediaconnect:Managed* actions are not in the Service Authorization Reference (E14); MediaConnect rejects "
    "flow-scoped grants for them, so they can only be granted on '*'."
)


def _none(row_id: str, title: str) -> Row:
    return Row(row_id, title, _TE, (), _T, ("MediaLive needs no permission for this (users only).",))


TRUSTED_ROWS: tuple[Row, ...] = (
    _none("T1", "Working with MediaLive features"),
    _none("T2", "Capturing MediaLive activity in CloudTrail"),
    _none("T3", "CloudWatch metrics for channel health"),
    _none("T4", "CloudWatch Events and SNS for email notification"),
    Row("T5", "Send channel logs to CloudWatch Logs", _TE, (
        Grant(_a("logs", "CreateLogGroup", "PutMetricFilter", "PutRetentionPolicy", "DescribeLogStreams"), (LOG_GROUP,)),
        Grant(_a("logs", "CreateLogStream", "PutLogEvents"), (LOG_STREAM,)),
        Grant(_a("logs", "DescribeLogGroups")),
    ), _T, ("E9: the page prints the resources as arn:aws:logs:* and arn:aws:log-group:* (not valid ARNs). MediaLive "
            "always logs to the group ElementalMediaLive, streams arn_aws_medialive_<region>_<acct>_channel_<id>_<pipeline>.",)),
    Row("T6", "Create a CDI, RTP or RTMP-push VPC input (MediaLive creates ENIs in your subnets)", _TE, (
        Grant(_a("ec2", "CreateNetworkInterface"), (EC2_NETWORK_INTERFACE, EC2_SUBNET, EC2_SECURITY_GROUP), must_bind=True),
        Grant(_a("ec2", "CreateNetworkInterfacePermission"), (EC2_NETWORK_INTERFACE,), must_bind=True),
        Grant(_a("ec2", "DescribeNetworkInterfaces", "DescribeSecurityGroups", "DescribeSubnets")),
    ), _T, ("E7: the page prints `CreateNetwork InterfacePermission`.",
            "The construct scopes network-interface grants with the ec2:Subnet condition to the given subnets.")),
    Row("T7", "Delete such a VPC input", _TE, (
        Grant(_a("ec2", "DeleteNetworkInterface", "DeleteNetworkInterfacePermission"), (EC2_NETWORK_INTERFACE,),
              must_bind=True),
        Grant(_a("ec2", "DescribeNetworkInterfaces", "DescribeSubnets")),
    ), _T),
    Row("T8", "Deliver channel output through your VPC (ENIs in the pipelines' subnets)", _TE, (
        Grant(_a("ec2", "CreateNetworkInterface"), (EC2_NETWORK_INTERFACE, EC2_SUBNET, EC2_SECURITY_GROUP), must_bind=True),
        Grant(_a("ec2", "CreateNetworkInterfacePermission", "DeleteNetworkInterface"), (EC2_NETWORK_INTERFACE,),
              must_bind=True),
        Grant(_a("ec2", "DescribeNetworkInterfaces", "DescribeSubnets", "DescribeSecurityGroups", "DescribeAddresses")),
    ), _T, ("ec2:DescribeNetworkInterfaces (issue 13): AWS's table lists it for the VPC-input rows (T6, T7) and the "
            "console's MediaLiveAccessRole grants it for every VPC feature (reference §2.3); MediaLive describes the "
            "ENIs it creates for delivery as it does for inputs; the official alpha L2 grants it for VPC delivery "
            "(tests/test_trusted_role_alpha_parity.py).",)),
    Row("T9", "VPC delivery: associate Elastic IPs with those ENIs", _TE, (
        Grant(_a("ec2", "AssociateAddress"), (EC2_ELASTIC_IP, EC2_NETWORK_INTERFACE), must_bind=True),
        Grant(_a("ec2", "DescribeAddresses")),
    ), _T, ("The page: DisassociateAddress is not needed; the EIP is released when MediaLive deletes the ENI.",)),
    Row("T10", "Use AWS Elemental Inference features on a channel", _TE, (
        Grant(_a("elemental-inference", "GetMetadata", "PutMedia"), (INFERENCE_FEED,), must_bind=True),
    ), _T),
    Row("T11", "Create a MediaConnect input (MediaLive adds outputs to the flow)", _TE, (
        Grant(_a("mediaconnect", "ManagedDescribeFlow", "ManagedAddOutput"), star_reason=MANAGED_STAR_REASON),
    ), _T, ("E14: must be typed into the JSON; not offered by the visual editor and absent from SAR.",)),
    Row("T12", "Delete a MediaConnect input (MediaLive removes those outputs)", _TE, (
        Grant(_a("mediaconnect", "ManagedDescribeFlow", "ManagedRemoveOutput"), star_reason=MANAGED_STAR_REASON),
    ), _T, ("E6: the 2019 table printed `ManagedDeleteOutput`; the action is mediaconnect:ManagedRemoveOutput.",)),
    _none("T13", "Entitlement that MediaLive creates for a multiplex MPTS"),
    Row("T14", "MediaPackage (v1) output group: read the channel's ingest credentials", _TE, (
        Grant(_a("mediapackage", "DescribeChannel"), (MP_CHANNEL,), must_bind=True),
    ), _T),
    Row("T15", "HLS output group delivering to a MediaPackage v2 channel", _TE, (
        Grant(_a("mediapackagev2", "PutObject"), (MPV2_CHANNEL,), must_bind=True),
        Grant(_a("mediapackagev2", "GetChannel"), (MPV2_CHANNEL, MPV2_CHANNEL_GROUP), must_bind=True),
    ), _T, ("mediapackagev2:GetChannel: found missing from the official alpha L2's ingest grant (aws/aws-cdk#38581).",)),
    Row("T16.read", "MediaStore container as a source (read)", _TE, (
        Grant(_a("mediastore", "ListContainers")),
        Grant(_a("mediastore", "DescribeObject", "GetObject"), (MS_OBJECT,), must_bind=True),
    ), _T, ("MediaStore reached end of support on 2025-11-13; kept for existing workflows.",)),
    Row("T16.write", "MediaStore container as a destination (read/write)", _TE, (
        Grant(_a("mediastore", "ListContainers")),
        Grant(_a("mediastore", "DescribeObject", "GetObject", "PutObject", "DeleteObject"), (MS_OBJECT,), must_bind=True),
    ), _T, ("MediaStore reached end of support on 2025-11-13; kept for existing workflows.",)),
    _none("T17", "Tagging resources (Resource Groups Tagging API)"),
    Row("T18.read", "S3 bucket as a source (read)", _TE, (
        Grant(_a("s3", "ListBucket"), (S3_BUCKET,), must_bind=True),
        Grant(_a("s3", "GetObject"), (S3_OBJECT,), must_bind=True),
    ), _T),
    Row("T18.write", "S3 bucket as a destination (read/write)", _TE, (
        Grant(_a("s3", "ListBucket"), (S3_BUCKET,), must_bind=True),
        Grant(_a("s3", "GetObject", "PutObject", "DeleteObject"), (S3_OBJECT,), must_bind=True),
    ), _T),
    Row("T19", "Input thumbnails written to an S3 bucket", _TE, (
        Grant(_a("s3", "PutObject"), (S3_OBJECT,), must_bind=True),
    ), _T),
    Row("T20", "SRT caller output: passphrase stored in Secrets Manager", _TE, (
        Grant(_a("secretsmanager", "GetSecretValue"), (SECRET,), must_bind=True),
    ), _T),
    Row("T20.input", "SRT caller or listener input: decryption passphrase stored in Secrets Manager",
        f"inferred from {SRT_INPUT_PREREQS} and {SRT_INPUT_SECRETS}", (
            Grant(_a("secretsmanager", "GetSecretValue"), (SECRET,), must_bind=True),
        ), _T, ("[inferred] AWS's trusted-entity table lists secretsmanager:GetSecretValue only for SRT caller outputs "
                "(T20) and Irdeto (T21); the user guide has SRT caller and listener inputs name a Secrets Manager secret "
                "holding the passphrase the upstream system encrypts with (reference §9, open question 7), which MediaLive "
                "reads when the channel starts. Granted only for the secrets the workflow names (srt_input_secrets).",)),
    Row("T21", "Irdeto A/B watermarking licence stored in Secrets Manager", _TE, (
        Grant(_a("secretsmanager", "GetSecretValue"), (SECRET,), must_bind=True),
    ), _T, ("E21: the Link page's example secret ARNs are malformed; the form is secret:<name>-<6 chars>.",)),
    _none("T22", "Creating a password parameter on the console"),
    Row("T23", "Password parameters referenced by the channel (Parameter Store)", _TE, (
        Grant(_a("ssm", "GetParameter", "GetParameters", "GetParametersByPath"), (SSM_PARAMETER,), must_bind=True),
    ), _T, ("The page attaches AmazonSSMReadOnlyAccess (ssm:Describe*/Get*/List* on *; printed 'AmazonSSMRead OnlyAccess', "
            "E8). We grant the three read calls on the given parameters; which one MediaLive calls is undocumented "
            "(reference §9 Q4).",)),
    Row("T23.kms", "Password parameters encrypted with a customer managed KMS key", "inferred", (
        Grant(_a("kms", "Decrypt"), (KMS_KEY,), must_bind=True),
    ), _T, ("[inferred] A SecureString under a customer managed key needs kms:Decrypt on that key (reference §9 Q4); "
            "granted only for the keys the workflow names.",)),
)
