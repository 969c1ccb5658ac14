"""The logical ids (and IAM names) of the sample app's resources, written out literally.

CloudFormation replaces a resource whose logical id changes (delete + create), and IAM replaces a group, role, user
or managed policy whose name changes. In production that means: the group loses its members, a channel's role ARN
disappears for the seconds between delete and create, a console user loses its password and access keys. A refactor
that moves a construct (new ``id``, new parent, a wrapper construct) changes the hash in the logical id; this test
makes that change fail in review, where the snapshots would only show a large diff.

If a change here is intended, say in CHANGELOG.md / docs/upgrading.md what ``cdk deploy`` replaces, and how users
keep their resources (``Stack.rename_logical_id``, ``CfnElement.override_logical_id``, or a migration).

A resource the library adds (a new managed policy when a tier grows) is not a replacement: it fails only
``test_no_unlisted_resources``, whose message asks to list it.
"""

from __future__ import annotations

import pytest

from tests.helpers import sample_app, template_of

#: logical id -> (resource type, physical name or None when CloudFormation generates it)
COMMON = {
    "MediaLiveAdministratorsGroupA6FC7873": ("AWS::IAM::Group", "MediaLiveAdministrators"),
    "MediaLiveAdministratorsPolicy1464CA1F1": ("AWS::IAM::ManagedPolicy", "MediaLiveAdminAccess"),
    "MediaLiveAdministratorsPolicy28C3DED74": ("AWS::IAM::ManagedPolicy", "MediaLiveAdminAccess2"),
    "MediaLiveAdministratorsPolicy3B13A1DA8": ("AWS::IAM::ManagedPolicy", "MediaLiveAdminAccess3"),
    # 0.3: the administrators' explicit denies in a policy of their own (docs/decisions.md D15)
    "MediaLiveAdministratorsDenyPolicy1BC4FC3D7": ("AWS::IAM::ManagedPolicy", "MediaLiveAdminAccessDeny"),
    "MediaLiveAdvancedUsersGroup611A7D63": ("AWS::IAM::Group", "MediaLiveAdvancedUsers"),
    "MediaLiveAdvancedUsersPolicy1C7B3C337": ("AWS::IAM::ManagedPolicy", "MediaLiveAdvancedUserAccess"),
    "MediaLiveAdvancedUsersPolicy26267A94E": ("AWS::IAM::ManagedPolicy", "MediaLiveAdvancedUserAccess2"),
    "MediaLiveBasicUsersGroupF3580BF2": ("AWS::IAM::Group", "MediaLiveBasicUsers"),
    "MediaLiveBasicUsersPolicy1221D0DA6": ("AWS::IAM::ManagedPolicy", "MediaLiveBasicUserAccess"),
    "MediaLiveReadWriteUsersGroupB4BC653A": ("AWS::IAM::Group", "MediaLiveReadWriteUsers"),
    "MediaLiveReadWriteUsersPolicy10A9854C8": ("AWS::IAM::ManagedPolicy", "MediaLiveReadWriteUserAccess"),
    # issue 13's rows (W1-W3, N, M, S21.v2) split READ_WRITE into a second policy: a new resource, nothing replaced
    "MediaLiveReadWriteUsersPolicy2D22D912E": ("AWS::IAM::ManagedPolicy", "MediaLiveReadWriteUserAccess2"),
}

COMPLEX = {
    **COMMON,
    "TrustedRoleBoundaryPolicy1AA721E3D": ("AWS::IAM::ManagedPolicy", "MediaLiveTrustedRoleBoundary"),
    "WorkflowNewsPolicy1752828AF": ("AWS::IAM::ManagedPolicy", "MediaLiveNewsWorkflow-trusted-entity"),
    "WorkflowNewsRole4C1DDE8F": ("AWS::IAM::Role", "MediaLiveNewsWorkflow"),
    "WorkflowSportsPolicy1A1E62B40": ("AWS::IAM::ManagedPolicy", "MediaLiveSportsWorkflow-trusted-entity"),
    "WorkflowSportsRole55D84759": ("AWS::IAM::Role", "MediaLiveSportsWorkflow"),
}

SIMPLE = {
    **COMMON,
    "MediaLiveAccessRole418070E4": ("AWS::IAM::Role", "MediaLiveAccessRole"),
    "MediaLiveAccessRolePolicy120A27762": ("AWS::IAM::ManagedPolicy", None),
    "MediaLiveAdministratorsRoleBoundaryPolicy1FA84A767": ("AWS::IAM::ManagedPolicy", "MediaLiveTrustedRoleBoundary"),
}

#: the complex option with one console user per group (medialive-iam:users: MediaLiveConsoleUsers since 0.3): each
#: user and its one-time password secret under ConsoleUsers, ids independent of the group (a move is an update of
#: the user's Groups), one key, the users' own group with row A9. Before 0.3 they were under each group's construct
#: (MediaLiveBasicUsersUseralice7E3E971C...): docs/upgrading.md says how to move such users.
USERS_CONTEXT = {"basic": ["alice"], "readWrite": ["bob"], "advanced": ["carol"]}
WITH_USERS = {
    **COMPLEX,
    "ConsoleUsersInitialPasswordKey17DFC1F8": ("AWS::KMS::Key", None),
    "ConsoleUsersPasswordChange9CA391B2": ("AWS::IAM::Group", None),
    "ConsoleUsersPasswordChangePolicyF05A50BC": ("AWS::IAM::Policy", None),  # A9, inline (attacker review F1)
    "ConsoleUsersInitialPasswordaliceEC49BC89": ("AWS::SecretsManager::Secret", None),
    "ConsoleUsersUseraliceA2E9D2D3": ("AWS::IAM::User", "alice"),
    "ConsoleUsersInitialPasswordbob966BDE7E": ("AWS::SecretsManager::Secret", None),
    "ConsoleUsersUserbob8882ED36": ("AWS::IAM::User", "bob"),
    "ConsoleUsersInitialPasswordcarol05E03D2E": ("AWS::SecretsManager::Secret", None),
    "ConsoleUsersUsercarol4C8CF6E9": ("AWS::IAM::User", "carol"),
}

VARIANTS = {
    "complex": ({}, COMPLEX),
    "simple": ({"trustedEntity": "simple"}, SIMPLE),
    "complex-with-users": ({"users": USERS_CONTEXT}, WITH_USERS),
}
_NAME_PROPS = ("GroupName", "RoleName", "ManagedPolicyName", "UserName", "Name")
_TEMPLATES: dict[str, dict] = {}


def _resources(variant: str) -> dict[str, tuple[str, str | None]]:
    if variant not in _TEMPLATES:
        _, stacks = sample_app(**VARIANTS[variant][0])
        _TEMPLATES[variant] = template_of(stacks[0])
    out = {}
    for lid, r in _TEMPLATES[variant]["Resources"].items():
        props = r.get("Properties", {})
        out[lid] = (r["Type"], next((props[p] for p in _NAME_PROPS if p in props), None))
    return out


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_no_resource_would_be_replaced(variant):
    """Every pinned resource is still there under the same logical id, type and name."""
    actual = _resources(variant)
    expected = VARIANTS[variant][1]
    gone = {lid: want for lid, want in expected.items() if lid not in actual}
    changed = {lid: (want, actual[lid]) for lid, want in expected.items() if lid in actual and actual[lid] != want}
    assert not gone and not changed, (
        f"sample app ({variant}): this change would REPLACE production resources on cdk deploy.\n"
        f"logical ids gone (CloudFormation deletes them; a new id creates a new resource): {gone}\n"
        f"type or name changed (IAM replaces the resource): {changed}\n"
        "If intended, document the replacement in docs/upgrading.md and update tests/test_sample_logical_ids.py.")


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_no_unlisted_resources(variant):
    """A new resource is not a replacement, but it is listed here so that the next refactor cannot move it."""
    extra = {lid: v for lid, v in _resources(variant).items() if lid not in VARIANTS[variant][1]}
    assert not extra, f"sample app ({variant}): new resources, add them to tests/test_sample_logical_ids.py: {extra}"
