"""The IAM baseline across an AWS Organization: one service-managed CloudFormation StackSet.

``OrganizationBaselineStackSet`` takes a stack built in its own environment-agnostic ``Stage`` (every account-
specific ARN from ``AWS::AccountId``/``AWS::Region``/``AWS::Partition``, no literal account), synthesizes that
stage and inlines the stack's template as the StackSet's ``TemplateBody`` (docs/decisions.md D12: why inline, not
cdk-stacksets and an asset). The StackSet deploys the template to every account of the given OUs, in one region
(IAM names are global to an account: a second region would collide with the first), and to each account that joins
those OUs later (``AutoDeployment``). ``docs/organizations.md`` says how to deploy it and what a member account sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Sequence

import aws_cdk as cdk
from constructs import Construct

from .errors import MediaLiveIamError, describe

#: CloudFormation quota: a TemplateBody passed inline (CreateStackSet, UpdateStackSet).
TEMPLATE_BODY_MAX_BYTES = 51_200
#: CloudFormation quota: a template read from S3 (TemplateURL).
TEMPLATE_URL_MAX_BYTES = 1_000_000
_OU = re.compile(r"^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$")
_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_STACK_SET_NAME = re.compile(r"^[a-zA-Z][-a-zA-Z0-9]{0,127}$")
_LITERAL_ACCOUNT = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def template_body(template: dict) -> str:
    """The template as the compact JSON CloudFormation receives (keys in template order)."""
    return json.dumps(template, separators=(",", ":"), ensure_ascii=False)


def stackset_template(template: dict) -> dict:
    """``template`` without the resources' tool metadata (``aws:cdk:path``, ``medialive-iam:rows``, cdk-nag
    acknowledgements): ~5% of the sample's bytes, read by no member account (the synthesized copy in cdk.out keeps
    them for the handout and the testing kit). CloudFormation's own ``AWS::*`` metadata keys are kept."""
    out = dict(template)
    resources = {}
    for lid, resource in template.get("Resources", {}).items():
        resource = dict(resource)
        kept = {k: v for k, v in resource.pop("Metadata", {}).items() if k.startswith("AWS::")}
        if kept:
            resource["Metadata"] = kept
        resources[lid] = resource
    out["Resources"] = resources
    return out


class OrganizationBaselineStackSet(Construct):
    """A ``SERVICE_MANAGED`` StackSet whose template is ``baseline`` (a stack of an environment-agnostic stage).

    Decisions (docs/organizations.md):

    * ``retain_stacks_on_account_removal=True``: an account moved out of the OUs (or out of the organization) keeps
      its groups, users and roles; a running channel keeps its role. Removing the baseline is a deliberate
      ``DeleteStackInstances``.
    * ``OperationPreferences``: ``max_concurrent_percentage`` (25) of the accounts at a time, the operation stops
      once more than ``failure_tolerance_percentage`` (0: the first failed account) fail, with
      ``STRICT_FAILURE_TOLERANCE``. An IAM baseline that fails in one account (a name that already exists) fails
      the same way in the next: stop and look.
    * ``Capabilities: [CAPABILITY_NAMED_IAM]``: the template names its groups, roles and policies.
    * ``exclude_accounts``: accounts of the OUs the StackSet must not touch (``AccountFilterType: DIFFERENCE``),
      e.g. an account that already runs the per-account stack (its IAM names would collide).
    """

    def __init__(self, scope: Construct, id: str, *, baseline: cdk.Stack, organizational_units: Sequence[str],
                 region: str, stack_set_name: str = "MediaLiveIamBaseline", call_as: str = "SELF",
                 exclude_accounts: Sequence[str] = (), retain_stacks_on_account_removal: bool = True,
                 max_concurrent_percentage: int = 25, failure_tolerance_percentage: int = 0,
                 description: str | None = None, template_body_max_bytes: int = TEMPLATE_BODY_MAX_BYTES) -> None:
        super().__init__(scope, id)
        me = describe(self)
        ous = list(organizational_units)
        if not ous or any(not isinstance(o, str) or not _OU.match(o) for o in ous):
            raise MediaLiveIamError(me, "organizational_units", f"{ous!r} is not a non-empty list of OU or root ids",
                                    "give ids such as 'ou-abcd-11111111' (or the root 'r-abcd')")
        if not isinstance(region, str) or not _REGION.match(region):
            raise MediaLiveIamError(me, "region", f"{region!r} is not a region name", "give one region such as 'us-east-1'")
        if not _STACK_SET_NAME.match(stack_set_name):
            raise MediaLiveIamError(me, "stack_set_name", f"{stack_set_name!r} is not a StackSet name",
                                    "start with a letter; use letters, digits and '-' (at most 128)")
        if call_as not in ("SELF", "DELEGATED_ADMIN"):
            raise MediaLiveIamError(me, "call_as", f"{call_as!r} is neither SELF nor DELEGATED_ADMIN",
                                    "SELF from the management account, DELEGATED_ADMIN from a delegated administrator")
        excluded = sorted({str(a) for a in exclude_accounts})
        if any(not _ACCOUNT.match(a) for a in excluded):
            raise MediaLiveIamError(me, "exclude_accounts", f"{excluded!r} holds a value that is not a 12-digit account id",
                                    "list account ids such as '111111111111'")
        for prop, value, low in (("max_concurrent_percentage", max_concurrent_percentage, 1),
                                 ("failure_tolerance_percentage", failure_tolerance_percentage, 0)):
            if not isinstance(value, int) or not low <= value <= 100:
                raise MediaLiveIamError(me, prop, f"{value!r} is not a percentage from {low} to 100",
                                        f"give an integer from {low} to 100")

        stage = cdk.Stage.of(baseline)
        if not cdk.Token.is_unresolved(baseline.account) or not cdk.Token.is_unresolved(baseline.region):
            raise MediaLiveIamError(me, "baseline", f"stack {baseline.node.path} has an environment "
                                    f"(account {baseline.account}, region {baseline.region})",
                                    "build the baseline in a Stage and Stack without env: every member account "
                                    "deploys the same template, its ARNs from AWS::AccountId and AWS::Region")
        if stage is None or cdk.App.is_app(stage):
            raise MediaLiveIamError(me, "baseline", f"stack {baseline.node.path} is not inside a Stage of its own",
                                    "create it in a cdk.Stage (without env) so its template is synthesized apart")
        assembly = stage.synth()
        artifact = assembly.get_stack_artifact(baseline.artifact_id)
        if artifact.assets:
            raise MediaLiveIamError(me, "baseline", f"stack {baseline.node.path} has {len(artifact.assets)} asset(s), "
                                    "which member accounts cannot read from this account's bootstrap bucket",
                                    "keep the baseline free of assets (use cdk.BootstraplessSynthesizer)")
        others = [s.stack_name for s in assembly.stacks if s.stack_name != artifact.stack_name]
        if others:
            raise MediaLiveIamError(me, "baseline", f"the baseline's stage also holds stacks {others}, which one "
                                    "StackSet cannot deploy (nor their cross-stack references)",
                                    "keep every baseline resource in one stack (e.g. raise medialive-iam:rolesPerStack)")
        #: the baseline's template as the StackSet deploys it (resource Metadata left out: see stackset_template).
        self.template: dict = stackset_template(artifact.template)
        body = template_body(self.template)
        literal = sorted(set(_LITERAL_ACCOUNT.findall(body)))
        if literal:
            raise MediaLiveIamError(me, "baseline", f"the baseline template names account(s) {literal} literally",
                                    "build account-specific ARNs from cdk.Aws.ACCOUNT_ID (every member account "
                                    "deploys the same template)")
        self.template_bytes = len(body.encode())
        if self.template_bytes > TEMPLATE_URL_MAX_BYTES:
            raise MediaLiveIamError(me, "baseline", f"the baseline template has {self.template_bytes} bytes, over "
                                    f"CloudFormation's {TEMPLATE_URL_MAX_BYTES} for a template in S3",
                                    "deploy the workflow roles with a second StackSet")
        #: ``"TemplateBody"`` (inline, up to 51,200 bytes) or ``"TemplateURL"`` (an asset of this stack).
        self.template_source = "TemplateBody" if self.template_bytes <= template_body_max_bytes else "TemplateURL"
        template_kwargs: dict = {"template_body": body}
        if self.template_source == "TemplateURL":
            # Published by `cdk deploy` to this (management) account's bootstrap bucket, where the StackSet service
            # reads it once; member accounts never read the bucket.
            path = os.path.join(assembly.directory, f"{baseline.artifact_id}.stackset.template.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            host = cdk.Stack.of(self)
            location = host.synthesizer.add_file_asset(
                file_name=os.path.relpath(path, cdk.Stage.of(host).outdir),
                packaging=cdk.FileAssetPackaging.FILE,
                source_hash=hashlib.sha256(body.encode()).hexdigest(),
            )
            template_kwargs = {"template_url": location.http_url}

        targets = cdk.CfnStackSet.DeploymentTargetsProperty(
            organizational_unit_ids=ous,
            **({"account_filter_type": "DIFFERENCE", "accounts": excluded} if excluded else {}),
        )
        self.stack_set = cdk.CfnStackSet(
            self, "Resource",
            stack_set_name=stack_set_name,
            permission_model="SERVICE_MANAGED",
            call_as=call_as,
            auto_deployment=cdk.CfnStackSet.AutoDeploymentProperty(
                enabled=True, retain_stacks_on_account_removal=retain_stacks_on_account_removal),
            capabilities=["CAPABILITY_NAMED_IAM"],
            description=description or f"IAM baseline of {baseline.stack_name} for every account of {', '.join(ous)}",
            operation_preferences=cdk.CfnStackSet.OperationPreferencesProperty(
                concurrency_mode="STRICT_FAILURE_TOLERANCE",
                max_concurrent_percentage=max_concurrent_percentage,
                failure_tolerance_percentage=failure_tolerance_percentage,
                region_concurrency_type="SEQUENTIAL",
            ),
            stack_instances_group=[cdk.CfnStackSet.StackInstancesProperty(
                deployment_targets=targets, regions=[region])],
            **template_kwargs,
        )
