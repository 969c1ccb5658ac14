"""Console users with a one-time initial password in Secrets Manager: the one piece of code behind
``MediaLiveOperatorGroup(console_users=...)`` and ``RestrictedAdmin(console_users=...)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from aws_cdk import Acknowledgment, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:  # loaded only where console users are created: importing them costs ~0.2 s per process
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_secretsmanager as secretsmanager

from .errors import MediaLiveIamError, describe
from .nag import acknowledge
from .validation import check_list, check_name


def check_console_users(scope: Construct, names: Sequence[str], prop: str = "console_users") -> list[str]:
    """The names as a list: each a valid IAM user name, none given twice (IAM names are case-insensitive)."""
    check_list(scope, prop, names)
    user_names = list(names)
    for name in user_names:
        check_name(scope, prop, name, "user")
    if len({n.lower() for n in user_names}) != len(user_names):
        raise MediaLiveIamError(describe(scope), prop, "a user name is given twice (IAM names are "
                                "case-insensitive)", "give each user once")
    return user_names


def create_console_users(
    scope: Construct, group: iam.Group, names: Sequence[str], user_path: str, key: "kms.IKey | None",
    rows: Sequence[str],
) -> tuple[tuple[iam.User, ...], dict[str, "secretsmanager.Secret"], "kms.IKey"]:
    """Users ``names`` under ``user_path`` in ``group``, console access only: a generated initial password in a
    Secrets Manager secret (encrypted with ``key``, or a key created here with rotation), reset required at first
    sign-in, no access keys. Returns the users, the secrets by user name and the key."""
    key = password_key(scope, key)
    created = []
    secrets: dict[str, secretsmanager.Secret] = {}
    for name in names:
        user, secrets[name] = create_console_user(scope, name, user_path, [group], key, rows)
        created.append(user)
    return tuple(created), secrets, key


def check_existing_users(scope: Construct, prop: str, values: Sequence, *, users: Sequence[iam.IUser],
                         console_users: Sequence[str]) -> list[str]:
    """``existing_users``: names (or ``iam.IUser`` with a literal name) of users that exist outside the app, each a
    valid IAM user name, given once (case-insensitively), a literal ARN (here or in ``users``) of the stack's account
    and partition (:func:`~.converters.user_arn`), neither created here (``console_users``: the deploy would
    fail with ``EntityAlreadyExists``) nor also in ``users``. Returns the names."""
    from .converters import user_arn
    from .tokens import is_token

    check_list(scope, prop, values)
    for other, given in ((prop, values), ("users", users)):
        for value in given:
            if not isinstance(value, str):
                user_arn(scope, other, value)  # another account's or partition's user: refused (security review)
    names = []
    for value in values:
        name = value if isinstance(value, str) else getattr(value, "user_name", None)
        if not isinstance(name, str) or is_token(name):
            raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not a user name known at synth",
                                    "give the names of the existing users ('alice'), or iam.User.from_user_name(...)")
        check_name(scope, prop, name, "user")
        names.append(name)
    others = {"console_users": {n.lower() for n in console_users},
              "users": {u.user_name.lower() for u in users if isinstance(u.user_name, str)}}
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise MediaLiveIamError(describe(scope), prop, f"{name!r} is given twice (IAM names are case-insensitive)",
                                    "give each user once")
        seen.add(name.lower())
        for other, taken in others.items():
            if name.lower() in taken:
                raise MediaLiveIamError(
                    describe(scope), prop, f"{name!r} is also in {other}" + (
                        ", which creates it: the deploy would fail with EntityAlreadyExists" if other == "console_users"
                        else ", which adds it to the group already"),
                    f"keep {name!r} in one of the two (an existing user: existing_users)")
    return names


def add_members(
    scope: Construct, group: iam.Group, users: Sequence[iam.IUser], names: Sequence[str], user_path: str,
    key: "kms.IKey | None", rows: Sequence[str], *, empty_reason: str, existing: Sequence[str] = (),
) -> tuple[tuple[iam.User, ...], dict[str, "secretsmanager.Secret"], "kms.IKey | None"]:
    """``users`` added to ``group``, the ``existing`` users (names) added each with its own
    ``AWS::IAM::UserToGroupAddition`` (construct id ``Member-<name>`` under ``scope``: it depends on the group and
    the user only), and the console users ``names`` created in it (:func:`create_console_users`); a group left
    without members acknowledges the 'group has users' findings with ``empty_reason``. Returns the created users,
    their secrets by user name and the key of the secrets (``key`` as given without console users)."""
    for user in users:
        group.add_user(user)
    for name in existing:
        iam.CfnUserToGroupAddition(scope, f"Member-{name}", group_name=group.group_name, users=[name])
    if names:
        return create_console_users(scope, group, names, user_path, key, rows)
    if not users and not existing:
        for finding in ("HIPAA.Security-IAMGroupHasUsers", "PCI.DSS.321-IAMGroupHasUsers"):
            acknowledge(group, finding, empty_reason)
    return (), {}, key


def password_key(scope: Construct, key: "kms.IKey | None") -> "kms.IKey":
    """``key``, or a KMS key with rotation created under ``scope`` (id ``InitialPasswordKey``)."""
    from aws_cdk import aws_kms as kms

    if key is not None:
        return key
    return kms.Key(
        scope, "InitialPasswordKey", enable_key_rotation=True,
        description="Encrypts the initial console passwords of MediaLive operators (medialive-iam-constructs)",
    )


def create_console_user(
    scope: Construct, name: str, user_path: str, groups: Sequence[iam.IGroup], key: "kms.IKey", rows: Sequence[str],
    id_prefix: str = "",
) -> tuple[iam.User, "secretsmanager.Secret"]:
    """One console user ``name`` (construct id ``<id_prefix>User-<name>``) in ``groups``, with its one-time initial
    password in the secret ``<id_prefix>InitialPassword-<name>``: both ids depend on ``scope``, the prefix and the
    name only."""
    from aws_cdk import aws_secretsmanager as secretsmanager

    secret = secretsmanager.Secret(
        scope, f"{id_prefix}InitialPassword-{name}",
        description=f"Initial console password of IAM user {name}; IAM requires a new password at first "
        "sign-in. Hand it over, then delete this secret.",
        encryption_key=key,
        generate_secret_string=secretsmanager.SecretStringGenerator(
            password_length=32, require_each_included_type=True, exclude_characters="\"'`\\/@ ",
        ),
    )
    user = iam.User(
        scope, f"{id_prefix}User-{name}", user_name=name, path=user_path, groups=list(groups),
        password=secret.secret_value, password_reset_required=True,
    )
    _acknowledge_secret(secret, name, rows)
    return user, secret


def _acknowledge_secret(secret: "secretsmanager.Secret", user: str, rows: Sequence[str]) -> None:
    shown = ", ".join(r for r in rows[:3])
    reason = (f"The secret is the one-time initial console password of operator {user} (rows {shown}...): IAM "
              "forces a new password at first sign-in (PasswordResetRequired), so the value is dead after the "
              "hand-over and the secret is deleted then; rotating it would not change the user's password.")
    # AwsSolutions-SMG4 has no granular form; nag.acknowledge accepts granular AwsSolutions ids only.
    Validations.of(secret).acknowledge(Acknowledgment(id="AwsSolutions-SMG4", reason=reason))
    for finding in ("NIST.800.53.R5-SecretsManagerRotationEnabled", "HIPAA.Security-SecretsManagerRotationEnabled",
                    "PCI.DSS.321-SecretsManagerRotationEnabled"):
        acknowledge(secret, finding, reason)
