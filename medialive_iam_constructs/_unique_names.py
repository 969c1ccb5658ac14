"""Duplicate IAM names within an app fail at synth (aws-cdk-lib only warns, and only with
``@aws-cdk/core:validateAgainstDefaultRules``; CloudFormation fails at deploy, half-way through).

IAM role, group and user names are unique per account and case-insensitive. Every construct of the library
registers one validation on the app (once per app) that checks all ``AWS::IAM::Role``, ``Group`` and ``User``
resources with literal names, the app's own as well as the library's, per account (stacks without an account
count as one account).
"""

from __future__ import annotations

import jsii
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct, IValidation

from .catalog.console_template import CONSOLE_MADE_NAMES
from ._synth_checks import add_check
from ._synth_context import stack_state
from .tokens import is_token, stack_of, stack_tokens

_KINDS = ((iam.CfnRole, "role", "role_name"), (iam.CfnGroup, "group", "group_name"), (iam.CfnUser, "user", "user_name"))


def ensure_unique_names(scope: Construct) -> None:
    """Registers the app-wide check once for the app that holds ``scope`` (recorded in the app's synth context)."""
    context = stack_state(stack_of(scope)).context
    if context.unique_names:
        return
    context.unique_names = True
    add_check(context.root, _UniqueIamNames(context.root))


#: The warning a name the console or the non-production chapter made gets (docs/adopting.md).
CONSOLE_NAME_WARNING = "medialive-iam:console-name"


def warn_console_made_name(scope: IConstruct, prop: str, kind: str, name: str | None, fix: str) -> bool:
    """A warning on ``scope`` when the stack would create an IAM ``kind`` (``role``, ``group``, ``policy``) named as one
    the console or the guide's non-production chapter makes (``CONSOLE_MADE_NAMES``, case-insensitive): synth cannot
    know whether the account has it, and if it has, the deploy fails with ``EntityAlreadyExists``. ``fix`` says how to
    reference or import it; acknowledging the warning (``Annotations.of(scope).acknowledge_warning(...)``) says the
    account has none. Returns whether it warned."""
    if not isinstance(name, str) or is_token(name):
        return False
    made = {n.lower(): n for n in CONSOLE_MADE_NAMES.get(kind, ())}
    if name.lower() not in made:
        return False
    from aws_cdk import Annotations

    Annotations.of(scope).add_warning_v2(
        CONSOLE_NAME_WARNING,
        f"{scope.node.path}: {prop}: the {kind} name {name!r} is one the MediaLive console or the guide's "
        f"non-production chapter creates{'' if made[name.lower()] == name else f' ({made[name.lower()]})'}; if this "
        "account has it, the deploy fails with "
        f"EntityAlreadyExists and rolls back. Fix: {fix}. If the account has no such {kind}, acknowledge this "
        f"warning (Annotations.of(construct).acknowledge_warning('{CONSOLE_NAME_WARNING}', reason)). "
        "See docs/adopting.md.")
    return True


@jsii.implements(IValidation)
class _UniqueIamNames:
    def __init__(self, root: IConstruct) -> None:
        self._root = root

    def validate(self) -> list[str]:
        from aws_cdk import Token

        seen: dict[tuple[str, str, str], IConstruct] = {}
        errors: list[str] = []
        for node in self._root.node.find_all():
            for cls, kind, attr in _KINDS:
                if not isinstance(node, cls):
                    continue
                name = getattr(node, attr)
                if not isinstance(name, str) or (is_token(name) and Token.is_unresolved(name)):  # is_token: no round trip for literals
                    continue
                account = stack_tokens(stack_of(node)).env["account"]  # read once per stack
                key = (kind, account, name.lower())
                first = seen.setdefault(key, node)
                if first is not node:
                    owner = node.node.scope or node
                    where = "" if Token.is_unresolved(account) else f" in account {account}"
                    errors.append(
                        f"{owner.node.path} ({type(owner).__name__}): {attr}: the {kind} name {name!r} is also the name "
                        f"of {(first.node.scope or first).node.path}{where}; IAM {kind} names are unique per account "
                        "and case-insensitive, so the deploy would fail. Fix: give one of them another name (a name "
                        "prefix, e.g. the sample app's medialive-iam:namePrefix)")
        return errors
