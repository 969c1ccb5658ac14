"""Silent mistakes (issue 14, item 5): each bad input of the table below must be reported at synth, naming the
construct, the prop and the fix: a ``MediaLiveIamError`` (``error``), an error annotation of the guard or a
failed app validation (``synth-error``), or a warning annotation (``warning``, only where the input can be meant).

Counted with ``PYTHONPATH=<checkout> python -m tests.test_validation_at_synth`` on the code before issue 14 (main at
40aae23): 0 of 18 reported (the two enum cases raised a bare ``ValueError`` naming neither construct, prop nor
fix; the three guard cases had no guard to run; the other 13 synthesized silently); after: 18 of 18.
Issue 23 (cases ``23.*``), counted the same way on main at fa9ab59: 0 of 13 reported (12 synthesized silently; the
MediaPackage v2 ARN of another region in a boundary blamed the boundary's namespaces); after: 13 of 13.
Security review (cases ``rv.*``), counted the same way on main at cdf2912: 0 of 7 reported (all synthesized); after:
7 of 7.
"""

from __future__ import annotations

from typing import Callable

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from medialive_iam_constructs import (
    MediaLiveIamError,
    MediaLiveOperatorGroup,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
    RestrictedAdmin,
    S3Location,
)
from tests.helpers import new_stack

pytestmark = pytest.mark.invalid_template


def _guard(app: cdk.App) -> None:
    from medialive_iam_constructs.guard import MediaLiveIamGuard

    MediaLiveIamGuard.register(app)


def _admin_app(stack: cdk.Stack) -> tuple[MediaLivePermissionsBoundary, MediaLiveOperatorGroup]:
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    role = MediaLiveTrustedRole(stack, "News", permissions_boundary=boundary)
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[role])
    RestrictedAdmin(stack, "Admin", operator_groups=[ops], permissions_boundary=boundary)
    return boundary, ops


def prefix_without_slash(app, stack):
    MediaLiveTrustedRole(stack, "R", source_buckets=[S3Location("medialive-news", prefix="live")])


def prefix_with_leading_slash(app, stack):
    MediaLiveTrustedRole(stack, "R", source_buckets=[S3Location("medialive-news", prefix="/live/")])


def uppercase_imported_bucket(app, stack):
    MediaLiveTrustedRole(stack, "R", source_buckets=[s3.Bucket.from_bucket_name(stack, "B", "MediaLive-News")])


def uppercase_imported_bucket_with_prefix(app, stack):
    bucket = s3.Bucket.from_bucket_name(stack, "B", "medialive_news")
    MediaLiveTrustedRole(stack, "R", destination_buckets=[S3Location(bucket, prefix="out/")])


def boundary_name_with_permissions_boundary(app, stack):
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier="basic")
    RestrictedAdmin(stack, "Admin", operator_groups=[ops], permissions_boundary=boundary, boundary_name="MyBoundary")


def trusted_roles_with_pass_roles_by_path(app, stack):
    role = MediaLiveTrustedRole(stack, "News")
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[role],
                           pass_roles_by_path="/medialive/")


def admin_user_under_managed_path(app, stack):
    ops = MediaLiveOperatorGroup(stack, "Ops", tier="basic")
    alice = iam.User(stack, "Alice", user_name="alice", path="/medialive/")
    RestrictedAdmin(stack, "Admin", operator_groups=[ops], users=[alice])


def admin_imported_user_under_managed_path(app, stack):
    ops = MediaLiveOperatorGroup(stack, "Ops", tier="basic")
    bob = iam.User.from_user_arn(stack, "Bob", "arn:aws:iam::111122223333:user/medialive/bob")
    RestrictedAdmin(stack, "Admin", operator_groups=[ops], users=[bob])


def role_without_boundary(app, stack):
    _admin_app(stack)
    MediaLiveTrustedRole(stack, "Sports")  # no permissions_boundary
    _guard(app)


def plain_medialive_role_outside_path(app, stack):
    _admin_app(stack)
    iam.Role(stack, "Hand", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"), path="/teams/")
    _guard(app)


def grant_outside_catalog(app, stack):
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    role = MediaLiveTrustedRole(stack, "News", permissions_boundary=boundary)
    s3.Bucket(stack, "Extra", enforce_ssl=True).grant_read(role)
    _guard(app)


def imported_user_invalid_name_group(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="basic", users=[iam.User.from_user_name(stack, "U", "alice smith")])


def imported_user_invalid_name_admin(app, stack):
    ops = MediaLiveOperatorGroup(stack, "Ops", tier="basic")
    RestrictedAdmin(stack, "Admin", operator_groups=[ops], users=[iam.User.from_user_name(stack, "U", "bob:admin")])


def duplicate_role_names(app, stack):
    MediaLiveTrustedRole(stack, "A", role_name="MediaLiveNews")
    MediaLiveTrustedRole(stack, "B", role_name="medialivenews")


def duplicate_group_names_across_stacks(app, stack):
    MediaLiveOperatorGroup(stack, "A", tier="basic", group_name="MediaLiveOps")
    other = cdk.Stack(app, "Other", env=stack.environment and cdk.Environment(account=stack.account, region=stack.region))
    MediaLiveOperatorGroup(other, "B", tier="basic", group_name="MediaLiveOps")


def duplicate_user_names(app, stack):
    MediaLiveOperatorGroup(stack, "A", tier="basic", console_users=["alice"])
    MediaLiveOperatorGroup(stack, "B", tier="basic", group_name="Other", console_users=["Alice"])


def misspelled_tier(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="READ_WRTIE")


def bogus_trusted_entity(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="basic", trusted_entity="bogus")


# --- issue 23: silent mistakes left ---

OTHER_REGION_MPV2 = "arn:aws:mediapackagev2:eu-west-1:111122223333:channelGroup/medialive/channel/news"


def secret_name_with_console_suffix(app, stack):
    MediaLiveTrustedRole(stack, "R", srt_secrets=["medialive/srt-AbCdEf"])


def secret_name_maybe_with_suffix(app, stack):
    MediaLiveTrustedRole(stack, "R", irdeto_secrets=["medialive/licence-prod01"])


def partial_secret_arn_maybe_with_suffix(app, stack):
    MediaLiveTrustedRole(stack, "R", srt_secrets=["arn:aws:secretsmanager:us-west-2:111122223333:secret:srt-backup"])


def channel_of_another_region(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="basic", channel_arns=["arn:aws:medialive:eu-west-1:111122223333:channel:1"])


def channel_of_another_account(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="basic", channel_arns=["arn:aws:medialive:us-west-2:444455556666:channel:1"])


def mpv2_of_another_region(app, stack):
    MediaLiveTrustedRole(stack, "R", mediapackage_v2_channels=[OTHER_REGION_MPV2])


def mpv2_of_another_region_in_the_boundary(app, stack):
    boundary = MediaLivePermissionsBoundary(stack, "Boundary", path="/medialive-admin/")
    MediaLiveTrustedRole(stack, "R", permissions_boundary=boundary, mediapackage_v2_channels=[OTHER_REGION_MPV2])


def key_of_another_region(app, stack):
    from aws_cdk import aws_kms as kms

    key = kms.Key.from_key_arn(stack, "K", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    MediaLiveTrustedRole(stack, "R", password_parameter_paths=["/medialive/news/"], parameter_keys=[key])


def secret_of_another_region(app, stack):
    from aws_cdk import aws_secretsmanager as sm

    secret = sm.Secret.from_secret_complete_arn(
        stack, "S", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:medialive/srt-AbCdEf")
    MediaLiveTrustedRole(stack, "R", srt_secrets=[secret])


def channel_of_another_partition(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="basic",
                           channel_arns=["arn:aws-cn:medialive:us-west-2:111122223333:channel:1"])


def role_of_another_partition(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE,
                           trusted_roles=["arn:aws-cn:iam::111122223333:role/medialive/news"])


def tag_scoped_group_listed_role_without_tag(app, stack):
    role = MediaLiveTrustedRole(stack, "News", path="/teams/")
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[role],
                           pass_roles_by_path="/medialive/", resource_tag=("Team", "news"))


def tag_scoped_group_role_under_path_without_tag(app, stack):
    MediaLiveTrustedRole(stack, "News")  # under /medialive/, untagged
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, pass_roles_by_path="/medialive/",
                           resource_tag=("Team", "news"))


# --- security review: a takeover and checks a token or an ARN of another account bypassed ---

def _simple_power_group(stack, **members):
    return MediaLiveOperatorGroup(stack, "Power", tier=OperatorTier.READ_WRITE, trusted_entity="SIMPLE",
                                  simple_role_write_equals_iam_admin=True, group_name="SimpleWriters", **members)


def unmanaged_console_user_under_admin_path(app, stack):
    _simple_power_group(stack, console_users=["carol"])
    RestrictedAdmin(stack, "Admin", operator_groups=[MediaLiveOperatorGroup(stack, "Basic", tier="basic")])


def plain_user_under_admin_path_in_plain_group(app, stack):
    RestrictedAdmin(stack, "Admin", operator_groups=[MediaLiveOperatorGroup(stack, "Basic", tier="basic")])
    iam.User(stack, "Carol", path="/medialive/", groups=[iam.Group(stack, "Other")])


def complex_group_with_access_role_arn_token(app, stack):
    from medialive_iam_constructs import MediaLiveAccessRole

    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE,
                           trusted_roles=[MediaLiveAccessRole(stack, "Access").role_arn])


def admin_over_group_with_l2_role_outside_role_path(app, stack):
    role = iam.Role(stack, "Other", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"), path="/other/",
                    role_name="otherRole")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[role])
    RestrictedAdmin(stack, "Admin", operator_groups=[ops])


def admin_over_group_with_imported_token_role(app, stack):
    role = iam.Role.from_role_arn(stack, "Imp", cdk.Fn.import_value("RoleArn"))
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[role])
    RestrictedAdmin(stack, "Admin", operator_groups=[ops])


def console_role_arn_from_a_parameter(app, stack):
    from medialive_iam_constructs import MediaLiveAccessRole

    MediaLiveAccessRole.from_console_role(stack, "Console", role_arn=cdk.CfnParameter(stack, "P").value_as_string)


def existing_user_of_another_account(app, stack):
    MediaLiveOperatorGroup(stack, "Ops", tier="basic", existing_users=[
        iam.User.from_user_arn(stack, "U", "arn:aws:iam::999999999999:user/alice")])


#: (case, build, outcome, prop or text the report must contain)
CASES: list[tuple[str, Callable, str, str]] = [
    ("1 S3 prefix without trailing slash", prefix_without_slash, "warning", "source_buckets.prefix"),
    ("1 S3 prefix with leading slash", prefix_with_leading_slash, "error", "source_buckets.prefix"),
    ("2 uppercase bucket from_bucket_name", uppercase_imported_bucket, "error", "source_buckets"),
    ("2 invalid bucket from_bucket_name in S3Location", uppercase_imported_bucket_with_prefix, "error",
     "destination_buckets"),
    ("3 boundary_name with permissions_boundary", boundary_name_with_permissions_boundary, "error", "boundary_name"),
    ("4 trusted_roles under pass_roles_by_path", trusted_roles_with_pass_roles_by_path, "error", "trusted_roles"),
    ("5 admin user under the managed user path", admin_user_under_managed_path, "error", "users"),
    ("5 imported admin user under the managed user path", admin_imported_user_under_managed_path, "error", "users"),
    ("6 MediaLive role without the admin's boundary", role_without_boundary, "synth-error", "permissions boundary"),
    ("6 MediaLive role outside the admin's role path", plain_medialive_role_outside_path, "synth-error", "role_path"),
    ("6 grant to a library role outside the catalog", grant_outside_catalog, "warning", "s3:GetObject"),
    ("7 imported user with an invalid name (group)", imported_user_invalid_name_group, "error", "users"),
    ("7 imported user with an invalid name (admin)", imported_user_invalid_name_admin, "error", "users"),
    ("8 duplicate role names", duplicate_role_names, "synth-error", "role_name"),
    ("8 duplicate group names across stacks", duplicate_group_names_across_stacks, "synth-error", "group_name"),
    ("8 duplicate user names across groups", duplicate_user_names, "synth-error", "user_name"),
    ("9 tier READ_WRTIE", misspelled_tier, "error", "tier"),
    ("9 trusted_entity bogus", bogus_trusted_entity, "error", "trusted_entity"),
    ("23.1 secret name with the console's suffix", secret_name_with_console_suffix, "error", "srt_secrets"),
    ("23.1 secret name maybe with the suffix", secret_name_maybe_with_suffix, "warning", "irdeto_secrets"),
    ("23.1 partial secret ARN maybe with the suffix", partial_secret_arn_maybe_with_suffix, "warning",
     "from_secret_partial_arn"),
    ("23.2 channel ARN of another region", channel_of_another_region, "error", "channel_arns"),
    ("23.2 channel ARN of another account", channel_of_another_account, "error", "channel_arns"),
    ("23.2 KMS key (IKey) of another region", key_of_another_region, "error", "parameter_keys"),
    ("23.2 secret (ISecret) of another region", secret_of_another_region, "error", "srt_secrets"),
    ("23.3 tag-scoped group, listed role without the tag", tag_scoped_group_listed_role_without_tag, "synth-error",
     "Tags.of(role).add('Team', 'news')"),
    ("23.3 tag-scoped group, role under the path without the tag", tag_scoped_group_role_under_path_without_tag,
     "warning", "Tags.of(role).add('Team', 'news')"),
    ("23.4 MediaPackage v2 ARN of another region", mpv2_of_another_region, "error", "mediapackage_v2_channels"),
    ("23.4 MediaPackage v2 ARN of another region, boundary", mpv2_of_another_region_in_the_boundary, "error",
     "mediapackage_v2_channels"),
    ("23.5 channel ARN of another partition", channel_of_another_partition, "error", "channel_arns"),
    ("23.5 role ARN of another partition", role_of_another_partition, "error", "trusted_roles"),
    ("rv.1 console user of an unmanaged group under the admin's user path", unmanaged_console_user_under_admin_path,
     "synth-error", "Bad/Admin (RestrictedAdmin): user_path: user Bad/Power/User-carol"),
    ("rv.1 iam.User under the admin's user path in a plain group", plain_user_under_admin_path_in_plain_group,
     "synth-error", "Bad/Admin (RestrictedAdmin): user_path: user Bad/Carol"),
    ("rv.2 COMPLEX group given MediaLiveAccessRole's role_arn token", complex_group_with_access_role_arn_token,
     "error", "trusted_roles"),
    ("rv.2 iam.Role outside the admin's role path", admin_over_group_with_l2_role_outside_role_path, "error",
     "operator_groups"),
    ("rv.2 imported role unknown at synth under an admin", admin_over_group_with_imported_token_role, "error",
     "operator_groups"),
    ("rv.2 console role ARN from a CfnParameter", console_role_arn_from_a_parameter, "error", "role_arn"),
    ("rv.3 existing user of another account", existing_user_of_another_account, "error", "existing_users"),
]


def outcome(build: Callable) -> tuple[str, str]:
    """What the library reported: ``("error", prop)``, ``("synth-error", text)``, ``("warning", text)``,
    ``("other", text)`` for an unhelpful exception, or ``("nothing", "")``."""
    app, stack = new_stack("Bad")
    try:
        build(app, stack)
    except MediaLiveIamError as e:
        return "error", f"{e.prop} | {e}"
    except Exception as e:  # noqa: BLE001 - a bare error without construct, prop and fix is not a report
        return "other", f"{type(e).__name__}: {e}"
    try:
        assembly = app.synth()
    except Exception as e:  # noqa: BLE001 - app validations (duplicate names) fail the synth
        return "synth-error", str(e)
    messages = [(m.level.name, str(m.entry.data)) for s in assembly.stacks for m in s.messages]
    errors = [text for level, text in messages if level == "ERROR"]
    if errors:
        return "synth-error", "\n".join(errors)
    warnings = [text for level, text in messages if level == "WARNING"]
    return ("warning", "\n".join(warnings)) if warnings else ("nothing", "")


def reported(case: tuple[str, Callable, str, str]) -> bool:
    _, build, kind, needle = case
    got, text = outcome(build)
    if got != kind:
        return False
    return text.split(" | ")[0] == needle if kind == "error" else needle in text


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported(case):
    got = outcome(case[1])
    assert reported(case), f"{case[0]}: expected {case[2]} about {case[3]!r}, got {got}"


def test_error_messages_name_construct_prop_and_fix():
    for name, build, kind, _ in CASES:
        if kind != "error":
            continue
        _, text = outcome(build)
        assert "Bad/" in text and "Fix: " in text, (name, text)


def test_misspelled_enums_list_the_valid_values():
    _, text = outcome(misspelled_tier)
    assert all(v in text for v in ("BASIC", "READ_WRITE", "ADVANCED")), text
    _, text = outcome(bogus_trusted_entity)
    assert "SIMPLE" in text and "COMPLEX" in text, text


@pytest.mark.parametrize("tier", ["BASIC", "basic", OperatorTier.BASIC, "Read_Write", "read_write", "ADVANCED"])
def test_enums_accept_names_and_values(tier):
    _, stack = new_stack()
    role = MediaLiveTrustedRole(stack, "R")
    group = MediaLiveOperatorGroup(stack, "Ops", tier=tier, trusted_roles=[] if "basic" in str(tier).lower() else [role],
                                   trusted_entity="COMPLEX")
    assert isinstance(group.tier, OperatorTier)
    assert RestrictedAdmin(stack, "Admin", operator_groups=[group], trusted_entity="complex").trusted_entity.value == "complex"


def test_prefix_and_roles_outside_the_path_stay_accepted():
    """The valid neighbours of the bad inputs: a prefix with a slash, a role outside pass_roles_by_path."""
    for build in (
        lambda app, stack: MediaLiveTrustedRole(stack, "R", source_buckets=[S3Location("medialive-news", prefix="live/")]),
        lambda app, stack: MediaLiveOperatorGroup(
            stack, "Ops", tier=OperatorTier.READ_WRITE, pass_roles_by_path="/medialive/",
            trusted_roles=[iam.Role(stack, "Own", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
                                    path="/teams/")]),
    ):
        assert outcome(build) == ("nothing", "")


def _tagged_roles(app, stack):
    news, sports = MediaLiveTrustedRole(stack, "News"), MediaLiveTrustedRole(stack, "Sports")
    cdk.Tags.of(news).add("team", "news")  # IAM compares tag keys without regard to case
    cdk.Tags.of(sports).add("Team", "sports")  # another team's role under the same path
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, pass_roles_by_path="/medialive/",
                           resource_tag=("Team", "news"))


def test_issue_23_valid_neighbours_stay_silent():
    """What the issue-23 checks must not report: secret names and ARNs that say which they are, ARNs of the stack's
    region, account and partition, roles tagged for the group or for another team."""
    from aws_cdk import aws_secretsmanager as sm

    for build in (
        lambda app, stack: MediaLiveTrustedRole(stack, "R", srt_secrets=[
            "medialive/srt", "srt/news-passphrase", "arn:aws:secretsmanager:us-west-2:111122223333:secret:srt-AbC123",
            sm.Secret.from_secret_name_v2(stack, "S", "medialive/srt-backup")]),
        lambda app, stack: MediaLiveTrustedRole(stack, "R", mediapackage_v2_channels=[
            OTHER_REGION_MPV2.replace("eu-west-1", "us-west-2")]),
        lambda app, stack: MediaLiveOperatorGroup(stack, "Ops", tier="basic", channel_arns=[
            "arn:aws:medialive:us-west-2:111122223333:channel:1"]),
        _tagged_roles,
    ):
        assert outcome(build) == ("nothing", "")


def test_issue_23_a_stack_without_region_checks_no_region():
    """An environment-agnostic stack may deploy anywhere: an ARN's region is not compared."""
    app = cdk.App()
    stack = cdk.Stack(app, "Agnostic")
    MediaLiveOperatorGroup(stack, "Ops", tier="basic", channel_arns=["arn:aws:medialive:eu-west-1:111122223333:channel:1"])
    MediaLiveTrustedRole(stack, "R", mediapackage_v2_channels=[OTHER_REGION_MPV2])


def main(argv: list[str]) -> None:
    """``python -m tests.test_validation_at_synth``: how many cases the code on ``sys.path`` reports."""
    count = 0
    for case in CASES:
        ok = reported(case)
        count += ok
        print(("reported  " if ok else "MISSED    ") + case[0] + "   " + outcome(case[1])[0])
    print(f"{count} of {len(CASES)} bad inputs reported")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])


def test_guard_skips_a_construct_whose_init_raised():
    """A caught MediaLiveIamError leaves a half-built construct in the tree; the guard and synth still run."""
    from medialive_iam_constructs.guard import MediaLiveIamGuard

    app, stack = new_stack()
    with pytest.raises(MediaLiveIamError):
        MediaLiveOperatorGroup(stack, "Bad", tier="READ_WRTIE")
    MediaLiveIamGuard.register(app)
    app.synth()
