"""Snapshots (syrupy, JSON serializer, one file per template under tests/__snapshots__/test_snapshots/) of the
sample app in each variant and of each construct on its own, through the testing kit users get
(medialive_iam_constructs.testing). A template change fails here with the diff; review it, then update the
files locally with ``pytest tests/test_snapshots.py --snapshot-update`` (never in CI: .ci/run compares only).
"""

from __future__ import annotations

import copy

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from medialive_iam_constructs import (
    MediaLiveAccessRole,
    MediaLiveOperatorGroup,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
    RestrictedAdmin,
    S3Location,
    VpcAccess,
)
from medialive_iam_constructs.testing import assert_rows, json_snapshot, normalized_template, snapshot_template
from tests.determinism_apps import SAMPLE_VARIANTS, issue_app, sample_variant_app
from tests.helpers import new_stack


@pytest.mark.parametrize("variant", list(SAMPLE_VARIANTS))
def test_sample_app(variant, snapshot):
    stacks = [c for c in sample_variant_app(variant).node.find_all() if isinstance(c, cdk.Stack)]
    assert stacks
    for stack in stacks:
        snapshot_template(snapshot, stack)


def test_trusted_role(snapshot):
    _, stack = new_stack()
    sources = s3.Bucket.from_bucket_name(stack, "Sources", "example-news-sources")
    role = MediaLiveTrustedRole(
        stack, "News", role_name="MediaLiveNewsWorkflow",
        source_buckets=[S3Location(sources, prefix="live/")],
        destination_buckets=[S3Location("example-news-archive", prefix="archive/")],
        mediapackage_v2_channels=[("live", "news")],
        password_parameter_paths=["/medialive/news/"],
        srt_secrets=["medialive/news/srt"],
        vpc_delivery=VpcAccess(subnets=["subnet-0123456789abcdef0"], security_groups=["sg-0123456789abcdef0"]),
    )
    snapshot_template(snapshot, stack)
    assert_rows(stack, role, ["T5", "T8", "T15", "T18.read", "T18.write", "T20", "T23"])


def test_access_role(snapshot):
    _, stack = new_stack()
    MediaLiveAccessRole(stack, "Console")
    snapshot_template(snapshot, stack)


@pytest.mark.parametrize("tier", list(OperatorTier), ids=lambda t: t.name)
def test_operator_group(tier, snapshot):
    _, stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Workflow", "arn:aws:iam::111122223333:role/medialive/MediaLiveNewsWorkflow",
                                  mutable=False)
    MediaLiveOperatorGroup(stack, "Operators", tier=tier, group_name=f"MediaLive{tier.name.title()}Users",
                           trusted_roles=() if tier is OperatorTier.BASIC else [role])
    snapshot_template(snapshot, stack)


def test_restricted_admin(snapshot):
    _, stack = new_stack()
    basic = MediaLiveOperatorGroup(stack, "Watchers", tier=OperatorTier.BASIC, group_name="MediaLiveBasicUsers")
    operators = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE, pass_roles_by_path="/medialive/",
                                       group_name="MediaLiveReadWriteUsers")
    admin = RestrictedAdmin(stack, "Admins", operator_groups=[basic, operators],
                            users=[iam.User.from_user_name(stack, "Alice", "alice")])
    snapshot_template(snapshot, stack)
    assert_rows(stack, admin, admin.rows)


def test_permissions_boundary(snapshot):
    _, stack = new_stack()
    MediaLivePermissionsBoundary(stack, "Boundary", managed_policy_name="MediaLiveTrustedRoleBoundary",
                                 path="/medialive-admin/")
    snapshot_template(snapshot, stack)


def test_a_changed_template_fails_its_snapshot(snapshot):
    """The issue's app against its snapshot; then the same template with one resource of one statement
    reordered (what the token-string sort used to do) does not match that stored snapshot, through syrupy's
    own matching API (so nothing is recorded, and nothing written even under --snapshot-update)."""
    stack = issue_app().node.find_child("MediaLiveIam")
    template = normalized_template(stack)
    snapshot_template(snapshot, template)

    assertion = json_snapshot(snapshot)
    # the stored snapshot of this test (or, in the run that creates it, the write syrupy has queued)
    stored = assertion.session.recall_snapshot(assertion.extension, assertion.test_location, 0)
    extension = assertion.extension
    assert extension.matches(serialized_data=extension.serialize(template), snapshot_data=stored)

    modified = copy.deepcopy(template)
    admin_policy = next(r for lid, r in modified["Resources"].items()
                        if lid.startswith("AdminsPolicy") and any(s["Sid"] == "A4" for s in
                                                                 r["Properties"]["PolicyDocument"]["Statement"]))
    a4 = next(s for s in admin_policy["Properties"]["PolicyDocument"]["Statement"] if s["Sid"] == "A4")
    assert len(a4["Resource"]) == 2
    a4["Resource"].reverse()  # the two operator groups, swapped
    assert not extension.matches(serialized_data=extension.serialize(modified), snapshot_data=stored)


class _Mismatch:
    """Stands in for syrupy's fixture: every comparison fails (syrupy's own state is left alone)."""

    diff = ["-   'A'", "+   'B'"]

    def use_extension(self, extension_class):
        return self

    def __call__(self, **kwargs):
        return self

    def __eq__(self, other):
        return False

    def get_assert_diff(self):
        return self.diff


def test_snapshot_template_raises_with_the_diff():
    with pytest.raises(AssertionError, match=r"differs from its snapshot 'Named'.*\n-   'A'\n\+   'B'"):
        snapshot_template(_Mismatch(), {"Resources": {}}, name="Named")
    missing = _Mismatch()
    missing.diff = ["Snapshot 'test_x[Named]' does not exist!"]
    with pytest.raises(AssertionError, match=r"has no snapshot 'Named' yet .*: create it locally with pytest "
                                             r"--snapshot-update, review the file and commit it"):
        snapshot_template(missing, {"Resources": {}}, name="Named")
