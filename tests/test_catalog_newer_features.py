"""medialive_iam_constructs/catalog/newer_features.py: the MediaLive features
the production-IAM chapter does not cover — workflow monitor (W), MediaLive Anywhere (N), other SAR actions (M) and
the MediaPackage v2 dropdown (S21.v2).

Checked here: each prefix names its source page, the rows reach the personas the module says (and N4 none), and
W4 keeps the library's security rule where AWS's page grants on '*'. (Actions and kinds against SAR:
tests/test_catalog.py; the constructs' use: tests/test_catalog_newer_features_tiers.py.)"""

from __future__ import annotations

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog import newer_features as features
from medialive_iam_constructs.catalog.newer_features import (
    FEATURE_ADMIN_ROWS,
    FEATURE_NODE_ROWS,
    FEATURE_USER_ROWS,
    VIA_CLOUDFORMATION,
    WORKFLOW_MONITOR_EVENT_SOURCES,
    WORKFLOW_MONITOR_RESOURCE_TYPES,
)
from medialive_iam_constructs.catalog.opt_ins import OPT_INS
from medialive_iam_constructs.catalog.resources import CFN_STACK
from medialive_iam_constructs.catalog.tiers import TIER_ROWS

#: Row id -> the page it must come from (the module's docstring: "each prefix names its source").
SOURCES = {
    **{f"W{i}": features.WORKFLOW_MONITOR_IAM for i in (1, 2, 3)}, "W4": features.WORKFLOW_MONITOR_DEPLOY,
    **{f"N{i}": features.ANYWHERE_REQUIREMENTS for i in (1, 2, 3)}, "N4": features.ANYWHERE_INSTANCE_ROLE,
    **{f"M{i}": features.SAR_MEDIALIVE for i in (1, 2, 3, 4)}, "S21.v2": features.SAR_MEDIAPACKAGEV2,
}
W4 = catalog.ROWS["W4"]


def _w4_grants(*actions: str) -> list:
    return [g for g in W4.grants if set(actions) & set(g.actions)]


def test_the_rows_their_order_and_their_tables():
    assert [r.id for r in FEATURE_USER_ROWS] == ["W1", "W2", "W3", "W4", "N1", "N2", "N3", "M1", "M2", "M3", "S21.v2"]
    assert {r.table for r in FEATURE_USER_ROWS} == {"user"}
    assert [(r.id, r.table) for r in FEATURE_ADMIN_ROWS] == [("M4", "admin")]
    assert [(r.id, r.table) for r in FEATURE_NODE_ROWS] == [("N4", "node")]


@pytest.mark.parametrize("row_id", sorted(SOURCES))
def test_each_prefix_names_its_source_page(row_id):
    assert catalog.ROWS[row_id].source == SOURCES[row_id]
    assert SOURCES[row_id].startswith("https://docs.aws.amazon.com/")


def test_rows_no_aws_page_assigns_record_the_librarys_decision_as_inferred():
    for row_id in ("M1", "M2", "M3", "M4", "W2", "W3", "S21.v2"):
        assert catalog.ROWS[row_id].notes[0].startswith("[inferred]"), row_id


def test_the_personas_each_row_reaches():
    """W1-W3, M1-M3 and S21.v2 through the tiers; N1-N3 and W4 only through their opt-ins; M4 the administrator
    only; N4 (the nodes' own role) no construct."""
    in_tiers = {r for rows in TIER_ROWS.values() for r in rows}
    in_opt_ins = {r: o.prop for o in OPT_INS for r in o.rows}
    assert {"W1", "W2", "W3", "M1", "M2", "M3", "S21.v2"} <= in_tiers
    assert {r: in_opt_ins.get(r) for r in ("N1", "N2", "N3", "W4")} == {
        "N1": "medialive_anywhere", "N2": "medialive_anywhere", "N3": "medialive_anywhere",
        "W4": "workflow_monitor_deploy"}
    assert not {"N1", "N2", "N3", "W4", "M4", "N4"} & in_tiers
    assert "M4" not in in_opt_ins and "N4" not in in_opt_ins


def test_viewing_rows_only_read_and_anywhere_rows_grant_only_medialive():
    assert all(a.split(":")[1].startswith(("Get", "List")) for a in catalog.ROWS["W1"].actions)
    assert all(a.split(":")[1].startswith(("Describe", "List")) for a in catalog.ROWS["N1"].actions)
    for row_id in ("N1", "N2", "N3", "N4"):  # N3's notes: no ECS forward-access-session policies, no PassRole
        assert catalog.ROWS[row_id].services == ("medialive",), row_id


def test_w4_cloudformation_is_bound_to_its_stacks_and_never_runs_under_a_service_role():
    grants = [g for g in W4.grants if g.actions[0].startswith("cloudformation:")]
    assert {a for g in grants for a in g.actions} >= {"cloudformation:CreateStack", "cloudformation:UpdateStack",
                                                      "cloudformation:DeleteStack"}
    for grant in grants:
        assert grant.kinds == (CFN_STACK,) and grant.must_bind, grant.actions
        if any(a.split(":")[1] in ("CreateStack", "UpdateStack", "DeleteStack") for a in grant.actions):
            assert grant.conditions["Null"]["cloudformation:RoleArn"] == "true", grant.actions
    (create,) = _w4_grants("cloudformation:CreateStack")
    assert create.conditions["ForAllValues:StringEquals"]["cloudformation:ResourceTypes"] == list(
        WORKFLOW_MONITOR_RESOURCE_TYPES) == ["AWS::CloudWatch::Alarm", "AWS::Events::Rule"]
    assert create.conditions["Null"]["cloudformation:ResourceTypes"] == "false"  # a template must declare its types


def test_w4_alarm_and_rule_writes_only_through_cloudformation_and_to_this_accounts_topics():
    writes = [g for g in W4.grants if any(a.split(":")[1].startswith(("Put", "Delete", "Remove")) for a in g.actions)
              and g.actions[0].split(":")[0] in ("cloudwatch", "events")]
    assert {a for g in writes for a in g.actions} == {"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms",
                                                     "events:PutRule", "events:PutTargets", "events:DeleteRule",
                                                     "events:RemoveTargets"}
    assert VIA_CLOUDFORMATION == {"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}}
    for grant in writes:
        assert grant.conditions["ForAnyValue:StringEquals"] == VIA_CLOUDFORMATION["ForAnyValue:StringEquals"]
    sns = ["arn:${Partition}:sns:${Region}:${Account}:*"]
    (alarm,) = _w4_grants("cloudwatch:PutMetricAlarm")
    (targets,) = _w4_grants("events:PutTargets")
    (rule,) = _w4_grants("events:PutRule")
    assert alarm.conditions["ForAllValues:ArnLike"] == {"cloudwatch:AlarmActions": sns}
    assert targets.conditions["ForAllValues:ArnLike"] == {"events:TargetArn": sns}
    assert rule.conditions["ForAllValues:StringEquals"] == {"events:source": list(WORKFLOW_MONITOR_EVENT_SOURCES)}
    assert WORKFLOW_MONITOR_EVENT_SOURCES == ("aws.medialive", "aws.mediaconnect", "aws.mediapackage")
    assert rule.conditions["Null"] == {"events:source": "false"} and targets.conditions["Null"] == {
        "events:TargetArn": "false"}

