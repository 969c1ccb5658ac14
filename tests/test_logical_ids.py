"""The logical ids of the sample app's IAM resources, written out: a logical id that changes makes CloudFormation
replace the resource (a named group, role or policy cannot even be replaced in place). A refactoring that moves a
construct fails here first; docs/upgrading.md must then say what `cdk deploy` does."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from medialive_iam_constructs.testing import normalized_template
from tests.determinism_apps import sample_variant_app

COMMON = {
    "MediaLiveAdministratorsGroupA6FC7873",
    "MediaLiveAdministratorsPolicy1464CA1F1",
    "MediaLiveAdministratorsPolicy28C3DED74",
    "MediaLiveAdministratorsPolicy3B13A1DA8",
    "MediaLiveAdvancedUsersGroup611A7D63",
    "MediaLiveAdvancedUsersPolicy1C7B3C337",
    "MediaLiveAdvancedUsersPolicy26267A94E",
    "MediaLiveBasicUsersGroupF3580BF2",
    "MediaLiveBasicUsersPolicy1221D0DA6",
    "MediaLiveReadWriteUsersGroupB4BC653A",
    "MediaLiveReadWriteUsersPolicy10A9854C8",
}

EXPECTED = {
    "complex": COMMON | {
        "TrustedRoleBoundaryPolicy1AA721E3D",
        "WorkflowNewsPolicy1752828AF",
        "WorkflowNewsRole4C1DDE8F",
        "WorkflowSportsPolicy1A1E62B40",
        "WorkflowSportsRole55D84759",
    },
    "simple": COMMON | {
        "MediaLiveAccessRole418070E4",
        "MediaLiveAccessRolePolicy120A27762",
        "MediaLiveAdministratorsRoleBoundaryPolicy1FA84A767",
    },
}


@pytest.mark.parametrize("variant", sorted(EXPECTED))
def test_iam_logical_ids_of_the_sample_app(variant):
    app = sample_variant_app(variant)
    (stack,) = [c for c in app.node.find_all() if isinstance(c, cdk.Stack)]
    resources = normalized_template(stack)["Resources"]
    ids = {k for k, r in resources.items() if r["Type"].startswith("AWS::IAM::")}
    assert ids == EXPECTED[variant]
