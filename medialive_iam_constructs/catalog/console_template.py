"""The console's "Create role from template" result for ``MediaLiveAccessRole`` (the simple option).

AWS does not publish it (reference §2.2); this is snapshot B of reference §2.3 (third-party captures of the
console result; the later snapshot, with the VPC-delivery EC2 actions of T8/T9), with the duplicated logs
statement of that capture removed. The inline policy is named ``MediaLiveCustomPolicy``; the template also
attaches the AWS managed policy ``AmazonSSMReadOnlyAccess`` (T23). Everything is on ``*``: this is why the
complex option exists. EC2 action names are written in lower camel case as the console writes them (IAM
action names are case-insensitive).
"""

from __future__ import annotations

CONSOLE_INLINE_POLICY_NAME = "MediaLiveCustomPolicy"

CONSOLE_TEMPLATE_STATEMENTS: tuple[dict, ...] = (
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "Resource": "*"},
    {
        "Effect": "Allow",
        "Action": [
            "mediastore:ListContainers",
            "mediastore:PutObject",
            "mediastore:GetObject",
            "mediastore:DeleteObject",
            "mediastore:DescribeObject",
        ],
        "Resource": "*",
    },
    {
        "Effect": "Allow",
        "Action": [
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogStreams",
            "logs:DescribeLogGroups",
        ],
        "Resource": "arn:${Partition}:logs:*:*:*",
    },
    {
        "Effect": "Allow",
        "Action": ["mediaconnect:ManagedDescribeFlow", "mediaconnect:ManagedAddOutput", "mediaconnect:ManagedRemoveOutput"],
        "Resource": "*",
    },
    {
        "Effect": "Allow",
        "Action": [
            "ec2:describeSubnets",
            "ec2:describeNetworkInterfaces",
            "ec2:createNetworkInterface",
            "ec2:createNetworkInterfacePermission",
            "ec2:deleteNetworkInterface",
            "ec2:deleteNetworkInterfacePermission",
            "ec2:describeSecurityGroups",
            "ec2:describeAddresses",
            "ec2:associateAddress",
        ],
        "Resource": "*",
    },
    {"Effect": "Allow", "Action": ["mediapackage:DescribeChannel"], "Resource": "*"},
)
#: AWS managed policies the console template attaches (names; ARNs are built per partition).
CONSOLE_TEMPLATE_MANAGED_POLICIES: tuple[str, ...] = ("AmazonSSMReadOnlyAccess",)

#: IAM names that already exist in an account that followed the console and the guide's non-production
#: (pre-production) chapter, by kind: a stack that creates one again fails at deploy with ``EntityAlreadyExists``
#: and rolls back. The console's "Create role from template" makes the role (reference §2.2); the pre-production
#: chapter makes the group ``MediaLivePowerUsers`` with the policies ``MediaLivePowerAccess``,
#: ``MediaConnectPowerAccess`` and ``MediaLiveTrustedEntityAccess``, and the full-access administrators' group
#: ``Administrators`` (reference §5). Names are compared case-insensitively (IAM's rule); docs/adopting.md.
CONSOLE_MADE_NAMES: dict[str, tuple[str, ...]] = {
    "role": ("MediaLiveAccessRole",),
    "group": ("MediaLivePowerUsers", "Administrators"),
    "policy": ("MediaLivePowerAccess", "MediaConnectPowerAccess", "MediaLiveTrustedEntityAccess"),
}
