"""Console users that can change group: ``MediaLiveConsoleUsers``.

``MediaLiveOperatorGroup(console_users=...)`` and ``RestrictedAdmin(console_users=...)`` create their users under
the group's construct, so a user's logical id names its group: moving the user to another group is a new
logical id with the same ``UserName``, which CloudFormation creates before it deletes the old one
(``EntityAlreadyExists``, the update rolls back; found by tests/test_tools_localdeploy_day2.py). Here each user's
construct id depends on its name only and its group is a property: a move between operator groups is an in-place
update of the user's ``Groups`` (and ``Path``, when the groups' user paths differ); the user, its login profile and
its initial password secret stay. Administrators' users have ids of their own (see the class).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Union

from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_secretsmanager as secretsmanager

from ._console_users import check_console_users, create_console_user, password_key
from ._readonly import ReadOnlyAfterInit
from ._rows import record_rows
from ._unique_names import ensure_unique_names
from .catalog.resources import IAM_USER
from .converters import own_user_arn
from .errors import MediaLiveIamError, describe
from .operator_group import MediaLiveOperatorGroup
from .nag import acknowledge, acknowledge_wildcards
from .packing import pack, statement_resolver, value_key
from .restricted_admin import RestrictedAdmin
from .statements import row_statements
from .validation import check_path

#: What a console user can be a member of.
ConsoleUserGroup = Union[MediaLiveOperatorGroup, RestrictedAdmin]

_ROWS = ("A9",)


class MediaLiveConsoleUsers(ReadOnlyAfterInit, Construct):
    """IAM users with console access only, each in the group you name, movable between groups in one deploy.

    Each user gets what ``console_users=`` gives: a generated initial password in a Secrets Manager secret (never
    in the template), reset required at first sign-in, no access keys. The user's path is its group's
    (``MediaLiveOperatorGroup.user_path``, or ``RestrictedAdmin.console_user_path`` for administrators, outside
    the paths the administrator manages). Moving a user between operator groups (``{"alice": basic}`` to
    ``{"alice": read_write}``) changes the user's ``Groups`` in place; removing one deletes it with its secret.

    The users are also members of one group created here, ``password_change_group``, whose inline policy is row
    A9 (``iam:ChangePassword`` on the user itself, ``iam:GetAccountPasswordPolicy``): the forced reset at first
    sign-in works whatever tier the user is in. Inline, so that no administrator's policy path can hold it.

    Moving a user between operator groups is in place. Promoting an operator to administrator (or back) is not:
    administrators' users have construct ids of their own (``AdminUser-<name>``), because the operator user
    carries whatever the administrators set on it (a password, access keys, groups: A2-A4). Promote in two
    deploys: without the user (it is deleted), then under the ``RestrictedAdmin`` (created anew, with a new
    one-time password). In one deploy CloudFormation fails with ``EntityAlreadyExists`` and rolls back.

    :param users: user name -> the ``MediaLiveOperatorGroup`` or ``RestrictedAdmin`` it belongs to. Each name a
        valid IAM user name, unique case-insensitively in the account. Empty: nothing is created.
    :param password_encryption_key: KMS key of the initial-password secrets; default: a key created here (with
        rotation) when there are users.
    :param path: IAM path of ``password_change_group``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        users: Mapping[str, ConsoleUserGroup],
        password_encryption_key: "kms.IKey | None" = None,
        path: str = "/",
    ) -> None:
        super().__init__(scope, id)
        ensure_unique_names(self)
        check_path(self, "path", path)
        if not isinstance(users, Mapping):
            raise MediaLiveIamError(describe(self), "users", f"{users!r} is not a mapping of user name to group",
                                    "give users={'alice': basic_group, 'bob': admin}")
        names = check_console_users(self, list(users), "users")
        paths: dict[str, str] = {}
        for name in names:
            target = users[name]
            if isinstance(target, RestrictedAdmin):
                if target.console_user_path.startswith(target.user_path):
                    raise MediaLiveIamError(
                        describe(self), f"users[{name!r}]", f"the administrators' console_user_path "
                        f"{target.console_user_path!r} is under their user_path {target.user_path!r}: the "
                        "administrators could reset each other's passwords (A1-A3)",
                        "give the RestrictedAdmin another console_user_path (default: its admin_policy_path)")
                paths[name] = target.console_user_path
            elif isinstance(target, MediaLiveOperatorGroup):
                paths[name] = target.user_path
            else:
                raise MediaLiveIamError(
                    describe(self), f"users[{name!r}]", f"{target!r} is not a MediaLiveOperatorGroup or RestrictedAdmin",
                    "map each user name to the operator group or restricted administrator it belongs to (an other "
                    "iam.Group: create the user with iam.User and add it there)")
        #: The rows the users' own group grants.
        self.rows: tuple[str, ...] = _ROWS
        #: The users, by user name.
        self.users: dict[str, iam.User] = {}
        #: Initial console password of each user, by user name.
        self.initial_password_secrets: dict[str, "secretsmanager.Secret"] = {}
        #: The KMS key of the initial-password secrets (None without users).
        self.password_encryption_key: "kms.IKey | None" = password_encryption_key
        #: The group every user is in beside its own (row A9); None without users.
        self.password_change_group: iam.Group | None = None
        if names:
            key = password_key(self, password_encryption_key)
            self.password_encryption_key = key
            group = iam.Group(self, "PasswordChange", path=path)
            record_rows(group.node.default_child, _ROWS)
            own = [own_user_arn(self, p) for p in sorted(set(paths.values()))]
            # Inline, not a managed policy: a managed policy could sit under a path a RestrictedAdmin writes
            # (its policy_path, A6), and whoever rewrites it rewrites every console user's permissions. An inline
            # policy is changed only through the group (iam:PutGroupPolicy), which no administrator is granted.
            (statements,) = pack(row_statements(self, list(_ROWS), bindings={IAM_USER: own}),
                                 statement_resolver(self), key=value_key(self))  # a few hundred characters
            policy = iam.Policy(self, "PasswordChangePolicy", groups=[group], document=iam.PolicyDocument.from_json(
                {"Version": "2012-10-17", "Statement": [s.to_json() for s in statements]}))
            acknowledge_wildcards(policy, statements)
            reason = ("Row A9 is inline on purpose (attacker's review): as a managed policy it could sit under a "
                      "path a RestrictedAdmin writes (A6), and whoever rewrites it rewrites every console user's "
                      "permissions. The inline policy changes only through iam:PutGroupPolicy on this group, which "
                      "no administrator or operator is granted (tests/test_console_users.py).")
            for finding in ("NIST.800.53.R5-IAMNoInlinePolicy", "HIPAA.Security-IAMNoInlinePolicy",
                            "PCI.DSS.321-IAMNoInlinePolicy"):
                acknowledge(policy, finding, reason)
            self.password_change_group = group
            for name in names:
                # An administrator's construct ids differ from an operator's: promoting an operator is never an
                # in-place update, which would keep the password, access keys and groups the administrators could
                # set on the operator user (A2, A3, A4) for an administrator they cannot manage.
                self.users[name], self.initial_password_secrets[name] = create_console_user(
                    self, name, paths[name], [users[name].group, group], key, _ROWS,
                    id_prefix="Admin" if isinstance(users[name], RestrictedAdmin) else "")
        self._seal()
