"""docs/adopting.md, step 6: a user under the RestrictedAdmin's user path holds nothing the administrator does not
manage.

The administrator resets the passwords of the users under its user path (A2) and so acts as any of them. A user moved
there while still in a group the administrator does not manage (the console's ``MediaLivePowerUsers``:
``iam:CreateRole``, ``iam:AttachRolePolicy`` on ``*``, the AWS managed ``*FullAccess`` policies), or holding policies
of its own, hands those grants to whoever holds the administrator: reset alice's password, sign in as alice, create
a role with ``AdministratorAccess``. Read through the IAM API (``GetAccountAuthorizationDetails``, as
``tools.localdeploy.effective``); the administrator's user path and groups from its own Allow statements (the
resources of ``iam:UpdateLoginProfile``, A2, and of ``iam:AddUserToGroup``, A4).

    python -m tools.localdeploy.adopt_check [ADMIN_GROUP]   # exit 1 if a user holds more (validate-in-account.sh adopt)
"""

from __future__ import annotations

import fnmatch
import sys
from typing import Any

from medialive_iam_constructs.template import listed, statements
from tools.localdeploy.effective import AccountIam

__all__ = ["admin_reach", "users_under_admin", "users_beyond_admin", "main"]

ADMIN_GROUP = "MediaLiveAdministrators"


def _resources(acct: AccountIam, admin_group: str, action: str) -> tuple[str, ...]:
    """The resources of the admin group's Allow statements that name ``action`` (no wildcard actions: the library
    spells each IAM action of the administrator)."""
    docs = [p.document for p in acct.group(admin_group).identity_policies]
    return tuple(str(r) for s in statements(docs) if s.get("Effect") == "Allow"
                 and any(str(a).lower() == action.lower() for a in listed(s.get("Action", [])))
                 for r in listed(s.get("Resource", [])))


def admin_reach(acct: AccountIam, admin_group: str = ADMIN_GROUP) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(user ARN patterns whose passwords the administrator resets, group ARN patterns it adds users to)."""
    return _resources(acct, admin_group, "iam:UpdateLoginProfile"), _resources(acct, admin_group, "iam:AddUserToGroup")


def _matches(arn: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(arn, p) for p in patterns)


def users_under_admin(acct: AccountIam, admin_group: str = ADMIN_GROUP) -> list[str]:
    """The users whose passwords the administrator may reset (under its user path), by name."""
    users, _ = admin_reach(acct, admin_group)
    return sorted(name for name, u in acct.users.items() if _matches(u["Arn"], users))


def users_beyond_admin(acct: AccountIam, admin_group: str = ADMIN_GROUP) -> list[str]:
    """One line per grant a user under the administrator's path holds that the administrator does not manage: a group
    outside its ``iam:AddUserToGroup`` resources, an inline or attached policy of the user's own."""
    _, groups = admin_reach(acct, admin_group)
    out = []
    for name in users_under_admin(acct, admin_group):
        u = acct.users[name]
        out += [f"{name} ({u['Arn']}) is in group {g}, which {admin_group} does not manage"
                for g in u.get("GroupList", []) if not _matches(acct.groups[g]["Arn"], groups)]
        out += [f"{name} ({u['Arn']}) has an inline policy of its own: {p['PolicyName']}"
                for p in u.get("UserPolicyList", [])]
        out += [f"{name} ({u['Arn']}) has an attached policy of its own: {p['PolicyArn']}"
                for p in u.get("AttachedManagedPolicies", [])]
    return out


def main(argv: list[str] | None = None, iam: Any = None, account: str | None = None) -> int:
    """Print the users under the administrator's path that hold more than it manages; 1 if any, 2 without the group."""
    args = sys.argv[1:] if argv is None else argv
    admin_group = args[0] if args else ADMIN_GROUP
    if iam is None:  # a real account (scripts/validate-in-account.sh adopt)
        import boto3

        iam, account = boto3.client("iam"), boto3.client("sts").get_caller_identity()["Account"]
    acct = AccountIam(iam, account or "")
    if admin_group not in acct.groups:
        print(f"adopt_check: no group {admin_group} in this account: give the RestrictedAdmin's group name")
        return 2
    under, found = users_under_admin(acct, admin_group), users_beyond_admin(acct, admin_group)
    print(f"adopt_check: {len(under)} user(s) under {admin_group}'s user path: {', '.join(under) or 'none'}")
    for line in found:
        print(f"FAIL: {line}")
    if found:
        print("fix: take them out of those groups and detach their own policies before moving them under the path"
              " (docs/adopting.md, step 6), or move them back: aws iam update-user --user-name NAME --new-path /")
        return 1
    print("OK: they hold only what the administrator manages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
