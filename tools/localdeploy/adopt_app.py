"""The deploys of docs/adopting.md as one CDK app: the state the guide's non-production chapter leaves (the console's
``MediaLiveAccessRole``, the group ``MediaLivePowerUsers``, users at ``/``; created through the IAM API by
tests/test_tools_localdeploy_adopt.py, never by this app) taken to the library's production set-up.

    npx cdk synth --app "python -m tools.localdeploy.adopt_app" -c medialive-iam:adoptStep=1   (stack: MediaLiveAdopt)

Steps (context ``medialive-iam:adoptStep``, numbered as docs/adopting.md's steps), each one ``cdk deploy`` (steps
2, 5 and 6 are other calls: tagging, then the IAM API):

1. reference: the console's role referenced (``MediaLiveAccessRole.from_console_role``); alice joins a SIMPLE
   READ_WRITE group (her channels keep ``MediaLiveAccessRole``), bob a BASIC group, both as ``existing_users``
   (still in ``MediaLivePowerUsers``, still at ``/``); the ``RestrictedAdmin`` manages users under ``/medialive/``
   and the BASIC group (the SIMPLE group stays outside it: the COMPLEX administrator does not hold S30).
3. workflow roles: + the per-workflow role ``medialiveNews`` and a COMPLEX READ_WRITE group that may pass it; alice
   in both groups (SIMPLE refuses ``trusted_roles``, COMPLEX refuses the console role: two groups while channels move).
4. retire: every channel runs on a per-workflow role: the SIMPLE group goes; the console role stays, untouched.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from medialive_iam_constructs import (MediaLiveAccessRole, MediaLiveOperatorGroup, MediaLiveTrustedRole, OperatorTier,
                                      RestrictedAdmin)

STACK_NAME = "MediaLiveAdopt"
STEP_KEY = "medialive-iam:adoptStep"
#: The console's users (path ``/``) and the tier each ends in.
READ_WRITE_USER, BASIC_USER = "alice", "bob"
NEWS_ROLE = "medialiveNews"


class AdoptionStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, *, step: int, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        groups = [MediaLiveOperatorGroup(self, "Basic", tier=OperatorTier.BASIC, group_name="MediaLiveBasicUsers",
                                         existing_users=[BASIC_USER])]
        if step < 4:
            console = MediaLiveAccessRole.from_console_role(self, "ConsoleRole")
            simple = MediaLiveOperatorGroup(self, "Simple", tier=OperatorTier.READ_WRITE, trusted_entity="SIMPLE",
                                            group_name="MediaLiveSimpleUsers", existing_users=[READ_WRITE_USER])
            console.grant_pass_role(simple)  # S30 already passes it by name; shown as the docs show it
            # outside the RestrictedAdmin: a COMPLEX administrator does not hold S30 (docs/adopting.md)
        if step >= 3:
            news = MediaLiveTrustedRole(self, "WorkflowNews", role_name=NEWS_ROLE,
                                        source_buckets=["example-news-sources"],
                                        destination_buckets=["example-news-outputs"])
            groups.append(MediaLiveOperatorGroup(self, "Workflow", tier=OperatorTier.READ_WRITE,
                                                 group_name="MediaLiveWorkflowUsers", trusted_roles=[news],
                                                 existing_users=[READ_WRITE_USER]))
        RestrictedAdmin(self, "Admin", operator_groups=groups)


#: ``-c medialive-iam:adoptStep=import``: the stack scripts/validate-in-account.sh imports the console role into.
IMPORT_STACK_NAME = "MediaLiveAdoptImport"


class ImportStack(cdk.Stack):
    """The console's role taken over with ``cdk import`` (docs/adopting.md, "Import instead of reference"): the
    console's plain trust kept (``confused_deputy_conditions=False``) so that the import changes nothing; Retain, so
    that destroying this stack keeps the role."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        MediaLiveAccessRole(self, "MediaLiveAccessRole", adopt_existing=True, confused_deputy_conditions=False)


def build(app: cdk.App) -> cdk.Stack:
    step = app.node.try_get_context(STEP_KEY) or "1"
    if step == "import":  # a real account: the CLI's account and region
        import os

        return ImportStack(app, IMPORT_STACK_NAME, env=cdk.Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")))
    return AdoptionStack(app, STACK_NAME, step=int(step),
                         env=cdk.Environment(account="000000000000", region="us-east-1"))


if __name__ == "__main__":
    app = cdk.App()
    build(app)
    app.synth()
