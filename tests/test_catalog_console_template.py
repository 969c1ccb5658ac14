"""medialive_iam_constructs/catalog/console_template.py: the console's "Create role from template" result, which
``MediaLiveAccessRole`` copies, is snapshot B of reference §2.3 (the duplicated logs statement of that capture
removed), and what it grants relates to the trusted-entity rows as the reference says.

(tests/test_trusted_role.py checks that the synthesized role holds these statements.)"""

from __future__ import annotations

import copy

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.activities import SSM_READ_ONLY_POLICY_ARN
from medialive_iam_constructs.catalog.console_template import (
    CONSOLE_INLINE_POLICY_NAME,
    CONSOLE_TEMPLATE_MANAGED_POLICIES,
    CONSOLE_TEMPLATE_STATEMENTS,
)

#: Reference §2.3, snapshot A (iamsouravin/mediaLive IamRoleInlinePolicyDocument.json and two other copies), with
#: the logs resource's partition as the catalog writes it.
SNAPSHOT_A = [
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
     "Resource": "*"},
    {"Effect": "Allow", "Action": ["mediastore:ListContainers", "mediastore:PutObject", "mediastore:GetObject",
                                   "mediastore:DeleteObject", "mediastore:DescribeObject"],
     "Resource": "*"},
    {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                   "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
     "Resource": "arn:${Partition}:logs:*:*:*"},
    {"Effect": "Allow", "Action": ["mediaconnect:ManagedDescribeFlow", "mediaconnect:ManagedAddOutput",
                                   "mediaconnect:ManagedRemoveOutput"],
     "Resource": "*"},
    {"Effect": "Allow", "Action": ["ec2:describeSubnets", "ec2:describeNetworkInterfaces", "ec2:createNetworkInterface",
                                   "ec2:createNetworkInterfacePermission", "ec2:deleteNetworkInterface",
                                   "ec2:deleteNetworkInterfacePermission", "ec2:describeSecurityGroups"],
     "Resource": "*"},
    {"Effect": "Allow", "Action": ["mediapackage:DescribeChannel"], "Resource": "*"},
]


def _snapshot_b() -> list[dict]:
    """Snapshot B: as A, the EC2 statement with ec2:describeAddresses and ec2:associateAddress (T8/T9)."""
    b = copy.deepcopy(SNAPSHOT_A)
    b[4]["Action"] += ["ec2:describeAddresses", "ec2:associateAddress"]
    return b


def test_the_statements_are_snapshot_b_in_order():
    assert [dict(s) for s in CONSOLE_TEMPLATE_STATEMENTS] == _snapshot_b()


def test_the_logs_statement_of_the_capture_appears_once():
    logs = [s for s in CONSOLE_TEMPLATE_STATEMENTS if any(a.startswith("logs:") for a in s["Action"])]
    assert len(logs) == 1
    actions = [a for s in CONSOLE_TEMPLATE_STATEMENTS for a in s["Action"]]
    assert len(actions) == len(set(actions)) == 27  # 4 + 5 + 5 + 3 + 9 + 1


def test_the_inline_policy_name_and_the_managed_policy_are_the_consoles():
    assert CONSOLE_INLINE_POLICY_NAME == "MediaLiveCustomPolicy"
    assert CONSOLE_TEMPLATE_MANAGED_POLICIES == ("AmazonSSMReadOnlyAccess",)
    (name,) = CONSOLE_TEMPLATE_MANAGED_POLICIES
    assert SSM_READ_ONLY_POLICY_ARN.endswith(f":policy/{name}")  # the one policy S29/S31 may attach


def test_everything_but_the_logs_is_on_star_and_ec2_is_written_as_the_console_writes_it():
    assert [s["Resource"] for s in CONSOLE_TEMPLATE_STATEMENTS if s["Resource"] != "*"] == ["arn:${Partition}:logs:*:*:*"]
    assert {s["Effect"] for s in CONSOLE_TEMPLATE_STATEMENTS} == {"Allow"}
    ec2 = [a.split(":")[1] for s in CONSOLE_TEMPLATE_STATEMENTS for a in s["Action"] if a.startswith("ec2:")]
    assert ec2 and all(name[0].islower() for name in ec2)


def test_every_console_action_belongs_to_a_trusted_entity_row():
    """The complex option's rows cover what the console role can do (IAM compares actions case-insensitively)."""
    trusted = {a.lower() for r in catalog.TRUSTED_ROWS for a in r.actions}
    console = {a.lower() for s in CONSOLE_TEMPLATE_STATEMENTS for a in s["Action"]}
    assert sorted(console - trusted) == []


def test_trusted_entity_actions_the_snapshots_lack_are_not_in_the_template():
    """Reference §2.3: 'Actions in CUR-TE but in none of the snapshots'."""
    console = {a.lower() for s in CONSOLE_TEMPLATE_STATEMENTS for a in s["Action"]}
    for action in ("logs:PutMetricFilter", "logs:PutRetentionPolicy", "elemental-inference:GetMetadata",
                   "elemental-inference:PutMedia", "secretsmanager:GetSecretValue", "mediapackagev2:PutObject"):
        assert action.lower() not in console
