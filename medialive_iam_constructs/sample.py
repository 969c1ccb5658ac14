"""The sample app: the guide's production set-up as one stack (``app.py`` builds it from ``cdk.json`` context).

* ``RestrictedAdmin`` (group ``MediaLiveAdministrators``) and the operator groups ``MediaLiveBasicUsers``,
  ``MediaLiveReadWriteUsers``, ``MediaLiveAdvancedUsers`` (the guide's naming advice, Step 2);
* on the complex option (default): one ``MediaLiveTrustedRole`` per workflow under the ``/medialive/`` path, as
  in the guide's Step 1 example of workflows that need different resources (``news`` and ``sports`` in
  ``cdk.json``, which names the existing buckets, channels, subnets they use), capped by the administrator's
  permissions boundary; on the simple option: the console's ``MediaLiveAccessRole``;
* CloudFormation outputs: the group names and each workflow's role ARN (the guide's Step 6 data).

Several accounts: ``build_app`` puts the same baseline in one CDK ``Stage`` per account listed under the
``medialive-iam:stages`` context key (the standard path to CDK Pipelines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import aws_cdk as cdk
from constructs import Construct

from ._synth_checks import add_check
from .catalog.tiers import OperatorTier, TrustedEntityOption
from .console_users import MediaLiveConsoleUsers
from .errors import MediaLiveIamError, describe
from .namespaces import MediaLiveNamespaces
from .operator_group import MediaLiveOperatorGroup
from .restricted_admin import MediaLivePermissionsBoundary, RestrictedAdmin
from .scale import StackResourceLimit, shards
from .trusted_role import MediaLiveAccessRole, MediaLiveTrustedRole, S3Location, VpcAccess

CONTEXT_PREFIX = "medialive-iam:"
DEFAULT_STACK_NAME = "MediaLiveIam"

#: The guide's group names (Step 2 naming advice), per tier.
GROUP_NAMES = {
    OperatorTier.BASIC: "MediaLiveBasicUsers",
    OperatorTier.READ_WRITE: "MediaLiveReadWriteUsers",
    OperatorTier.ADVANCED: "MediaLiveAdvancedUsers",
}
POLICY_PREFIXES = {
    OperatorTier.BASIC: "MediaLiveBasicUserAccess",
    OperatorTier.READ_WRITE: "MediaLiveReadWriteUserAccess",
    OperatorTier.ADVANCED: "MediaLiveAdvancedUserAccess",
}
#: Context key of the users to create per group.
USER_KEYS = {OperatorTier.BASIC: "basic", OperatorTier.READ_WRITE: "readWrite", OperatorTier.ADVANCED: "advanced"}

@dataclass(frozen=True)
class SampleConfig:
    """What ``cdk.json`` context (``medialive-iam:*``) can set; every field has a default."""

    trusted_entity: TrustedEntityOption = TrustedEntityOption.COMPLEX
    name_prefix: str = ""
    path: str = "/medialive/"
    #: Workflow name -> its resources (camelCase keys as in cdk.json); the sample's two are in cdk.json.
    workflows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    users: Mapping[str, Sequence[str]] = field(default_factory=dict)
    pass_roles_by_path: bool = False
    #: Workflow roles per stack; more workflows are sharded over sibling stacks ``<Stack>Workflows1..n``.
    roles_per_stack: int = 100
    #: The boundary's namespaces (camelCase keys of MediaLiveNamespaces); unset fields come from the workflows.
    namespaces: Mapping[str, Any] = field(default_factory=dict)
    #: Tag scoping per group, ``{"readWrite": ["Team", "news"]}`` (keys as in ``users``): the group's
    #: ``resource_tag``.
    resource_tags: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @staticmethod
    def from_context(node) -> "SampleConfig":
        def ctx(key: str, default: Any) -> Any:
            value = node.try_get_context(CONTEXT_PREFIX + key)
            if isinstance(value, str) and not isinstance(default, str):
                value = json.loads(value)  # `cdk -c key=value` passes strings; structured values are JSON
            return default if value is None else value

        return SampleConfig(
            trusted_entity=TrustedEntityOption(ctx("trustedEntity", "complex")),
            name_prefix=ctx("namePrefix", ""),
            path=ctx("path", "/medialive/"),
            workflows=ctx("workflows", {}),
            users=ctx("users", {}),
            pass_roles_by_path=bool(ctx("passRolesByPath", False)),
            roles_per_stack=int(ctx("rolesPerStack", 100)),
            namespaces=ctx("namespaces", {}),
            resource_tags=ctx("resourceTags", {}),
        )


def _location(value: Any) -> Any:
    if isinstance(value, Mapping):
        return S3Location(value["bucket"], value.get("prefix"))
    return value


def _vpc(value: Mapping[str, Any] | None) -> VpcAccess | None:
    if not value:
        return None
    return VpcAccess(subnets=value.get("subnets", ()), security_groups=value.get("securityGroups", ()),
                     elastic_ip_allocations=value.get("elasticIpAllocations", ()))


_WORKFLOW_KEYS = {
    "sourceBuckets", "destinationBuckets", "thumbnailBuckets", "mediaPackageChannels", "mediaPackageV2Channels",
    "mediaConnectInputs", "mediaStoreSourceContainers", "mediaStoreDestinationContainers", "passwordParameters",
    "passwordParameterPaths", "parameterKeys", "srtSecrets", "irdetoSecrets", "vpcInputs", "vpcDelivery",
    "inferenceFeeds", "logging",
}


_NAMESPACE_KEYS = {
    "bucketNames": "bucket_names", "bucketPrefixes": "bucket_prefixes", "secretPrefix": "secret_prefix",
    "parameterPath": "parameter_path", "kmsKeys": "kms_keys", "elasticIpAllocations": "elastic_ip_allocations",
    "mediaPackageChannelPrefix": "mediapackage_channel_prefix",
    "mediaPackageV2ChannelGroups": "mediapackage_v2_channel_groups", "mediaStoreContainerPrefix": "mediastore_container_prefix",
}


def sample_namespaces(config: SampleConfig) -> MediaLiveNamespaces:
    """The boundary's namespaces: what ``medialive-iam:namespaces`` declares, else what the workflows name (their
    buckets, MediaPackage v2 channel groups, parameter keys, Elastic IPs), the parameter path being the app's path."""
    unknown = set(config.namespaces) - set(_NAMESPACE_KEYS)
    if unknown:
        raise MediaLiveIamError("app (sample app)", f"{CONTEXT_PREFIX}namespaces", f"unknown key(s) {sorted(unknown)}",
                                f"use only {sorted(_NAMESPACE_KEYS)}")
    buckets: dict[str, None] = {}
    groups: dict[str, None] = {}
    keys: dict[str, None] = {}
    eips: dict[str, None] = {}
    for _, spec in sorted(config.workflows.items()):
        for prop in ("sourceBuckets", "destinationBuckets", "thumbnailBuckets"):
            for b in spec.get(prop, ()):
                buckets.setdefault(b["bucket"] if isinstance(b, Mapping) else b, None)
        for c in spec.get("mediaPackageV2Channels", ()):
            group = c[0] if isinstance(c, (list, tuple)) else c.split(":channelGroup/", 1)[-1].split("/", 1)[0]
            groups.setdefault(group, None)
        for k in spec.get("parameterKeys", ()):
            keys.setdefault(k, None)
        for a in (spec.get("vpcDelivery") or {}).get("elasticIpAllocations", ()):
            eips.setdefault(a, None)
    derived: dict[str, Any] = {"parameter_path": config.path, "bucket_names": tuple(buckets), "bucket_prefixes": (),
                               "kms_keys": tuple(keys), "elastic_ip_allocations": tuple(eips)}
    if groups:
        derived["mediapackage_v2_channel_groups"] = tuple(groups)
    derived.update({_NAMESPACE_KEYS[k]: tuple(v) if isinstance(v, list) else v for k, v in config.namespaces.items()})
    if not derived["bucket_names"] and not derived["bucket_prefixes"]:
        derived.pop("bucket_prefixes")  # the library's default prefix
    return MediaLiveNamespaces(**derived)


def workflow_role(scope: Construct, name: str, spec: Mapping[str, Any], *, role_name: str, path: str,
                  boundary: MediaLivePermissionsBoundary | None) -> MediaLiveTrustedRole:
    """A ``MediaLiveTrustedRole`` from a workflow's context entry (camelCase keys, as in cdk.json)."""
    unknown = set(spec) - _WORKFLOW_KEYS
    if unknown:
        raise MediaLiveIamError(
            f"{scope.node.path} (sample app)", f"{CONTEXT_PREFIX}workflows.{name}",
            f"unknown key(s) {sorted(unknown)}", f"use only {sorted(_WORKFLOW_KEYS)}",
        )
    return MediaLiveTrustedRole(
        scope, f"Workflow{name[:1].upper()}{name[1:]}",
        role_name=role_name, path=path, policy_path=f"{path}trusted-entity/", permissions_boundary=boundary,
        description=f"MediaLive trusted entity for the {name} workflow (complex option)",
        logging=spec.get("logging", True),
        source_buckets=[_location(b) for b in spec.get("sourceBuckets", ())],
        destination_buckets=[_location(b) for b in spec.get("destinationBuckets", ())],
        thumbnail_buckets=[_location(b) for b in spec.get("thumbnailBuckets", ())],
        mediapackage_channels=spec.get("mediaPackageChannels", ()),
        mediapackage_v2_channels=[tuple(c) if isinstance(c, list) else c for c in spec.get("mediaPackageV2Channels", ())],
        mediaconnect_inputs=spec.get("mediaConnectInputs", False),
        mediastore_source_containers=spec.get("mediaStoreSourceContainers", ()),
        mediastore_destination_containers=spec.get("mediaStoreDestinationContainers", ()),
        password_parameters=spec.get("passwordParameters", ()),
        password_parameter_paths=spec.get("passwordParameterPaths", ()),
        parameter_keys=spec.get("parameterKeys", ()),
        srt_secrets=spec.get("srtSecrets", ()),
        irdeto_secrets=spec.get("irdetoSecrets", ()),
        vpc_inputs=_vpc(spec.get("vpcInputs")),
        vpc_delivery=_vpc(spec.get("vpcDelivery")),
        inference_feeds=spec.get("inferenceFeeds", ()),
    )


class MediaLiveIamStack(cdk.Stack):
    """The guide's production IAM set-up for MediaLive, as one stack."""

    def __init__(self, scope: Construct, id: str, *, config: SampleConfig | None = None, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        config = config or SampleConfig.from_context(self.node)
        prefix, path = config.name_prefix, config.path
        complex_option = config.trusted_entity is TrustedEntityOption.COMPLEX

        #: The workflow roles (complex option) or the console role (simple option), by workflow name.
        self.trusted_roles: dict[str, Any] = {}
        #: The stacks holding the workflow roles: this stack, or shards when there are many workflows.
        self.role_stacks: list[cdk.Stack] = [self]
        boundary = None
        if complex_option:
            if not config.workflows:
                raise MediaLiveIamError(
                    describe(self), f"{CONTEXT_PREFIX}workflows",
                    "the complex option needs at least one workflow (one trusted role per workflow)",
                    "list the workflows and their resources under medialive-iam:workflows in cdk.json, or set "
                    "medialive-iam:trustedEntity to simple",
                )
            boundary = MediaLivePermissionsBoundary(
                self, "TrustedRoleBoundary", managed_policy_name=f"{prefix}MediaLiveTrustedRoleBoundary",
                path="/medialive-admin/", namespaces=sample_namespaces(config),
            )
            workflows = sorted(config.workflows.items())
            groups_of = shards(workflows, config.roles_per_stack)
            if len(groups_of) > 1 and not config.pass_roles_by_path:
                raise MediaLiveIamError(
                    describe(self), f"{CONTEXT_PREFIX}passRolesByPath",
                    f"{len(workflows)} workflows need {len(groups_of)} stacks of at most {config.roles_per_stack} roles, "
                    "and operator groups that list every role would reference all of them (and outgrow their quota)",
                    "set medialive-iam:passRolesByPath to true (PassRole on role<path>* to MediaLive only)",
                )
            if len(groups_of) > 1:
                self.role_stacks = [
                    cdk.Stack(scope, f"{id}Workflows{i}", env=kwargs.get("env"),
                              description=f"MediaLive workflow roles, shard {i} of {len(groups_of)}")
                    for i in range(1, len(groups_of) + 1)
                ]
            for stack, group in zip(self.role_stacks, groups_of):
                for name, spec in group:
                    self.trusted_roles[name] = workflow_role(
                        stack, name, spec, role_name=f"{prefix}MediaLive{name[:1].upper()}{name[1:]}Workflow",
                        path=path, boundary=boundary,
                    )
        else:
            self.trusted_roles["console"] = MediaLiveAccessRole(self, "MediaLiveAccessRole",
                                                                namespaces=sample_namespaces(config))

        role_objects = [r.role for r in self.trusted_roles.values()] if complex_option else []
        self.operator_groups: dict[OperatorTier, MediaLiveOperatorGroup] = {}
        tags = self._resource_tags(config)
        for tier in OperatorTier:
            self.operator_groups[tier] = MediaLiveOperatorGroup(
                self, f"{GROUP_NAMES[tier]}",
                tier=tier, trusted_entity=config.trusted_entity,
                trusted_roles=() if (tier is OperatorTier.BASIC or config.pass_roles_by_path) else role_objects,
                pass_roles_by_path=path if (config.pass_roles_by_path and complex_option and tier is not OperatorTier.BASIC) else None,
                group_name=f"{prefix}{GROUP_NAMES[tier]}", path=path,
                policy_name_prefix=f"{prefix}{POLICY_PREFIXES[tier]}",
                parameter_path=path, notification_prefix=f"{prefix}medialive".lower(),
                resource_tag=tags.get(tier),
            )
        #: The console users of ``medialive-iam:users``, movable between groups in one deploy.
        self.console_users = MediaLiveConsoleUsers(self, "ConsoleUsers", users=self._user_groups(config))
        self.admin = RestrictedAdmin(
            self, "MediaLiveAdministrators",
            operator_groups=list(self.operator_groups.values()), trusted_entity=config.trusted_entity,
            group_name=f"{prefix}MediaLiveAdministrators", policy_name_prefix=f"{prefix}MediaLiveAdminAccess",
            user_path=path, role_path=path, policy_path=f"{path}trusted-entity/", parameter_path=path, notification_prefix=f"{prefix}medialive".lower(),
            **({"permissions_boundary": boundary} if boundary else {}),
        )

        for stack in self.role_stacks if self in self.role_stacks else [self, *self.role_stacks]:
            add_check(stack, StackResourceLimit(
                stack, fix="lower medialive-iam:rolesPerStack so the workflow roles are sharded over more stacks"))

        for tier, group in self.operator_groups.items():
            cdk.CfnOutput(self, f"{GROUP_NAMES[tier]}Name", value=group.group.group_name,
                          description=f"IAM group of the {tier.value} operators")
        cdk.CfnOutput(self, "MediaLiveAdministratorsName", value=self.admin.group.group_name,
                      description="IAM group of the restricted administrators")
        for name, role in sorted(self.trusted_roles.items()):
            cdk.CfnOutput(cdk.Stack.of(role), f"TrustedRole{name[:1].upper()}{name[1:]}Arn", value=role.role_arn,
                          description=f"Role ARN to choose for the {name} workflow's channels (Step 6)")


    def _by_tier(self, key: str, value: Mapping[str, Any]) -> list[tuple[str, OperatorTier, Any]]:
        """A context mapping keyed like ``medialive-iam:users`` (basic, readWrite, advanced), as (key, tier, value)
        sorted by key; an unknown key is an error naming ``medialive-iam:<key>``."""
        tiers = {v: k for k, v in USER_KEYS.items()}
        unknown = set(value) - set(tiers)
        if unknown:
            raise MediaLiveIamError(describe(self), f"{CONTEXT_PREFIX}{key}", f"unknown key(s) {sorted(unknown)}",
                                    f"use only {sorted(tiers)}")
        return [(k, tiers[k], v) for k, v in sorted(value.items())]

    def _resource_tags(self, config: SampleConfig) -> dict[OperatorTier, tuple[str, str]]:
        """``medialive-iam:resourceTags`` ({"readWrite": ["Team", "news"]}) by tier."""
        out: dict[OperatorTier, tuple[str, str]] = {}
        for key, tier, tag in self._by_tier("resourceTags", config.resource_tags):
            if isinstance(tag, str) or len(tag) != 2:
                raise MediaLiveIamError(describe(self), f"{CONTEXT_PREFIX}resourceTags.{key}",
                                        f"{tag!r} is not [key, value]", f'write "{key}": ["Team", "news"]')
            out[tier] = (tag[0], tag[1])
        return out

    def _user_groups(self, config: SampleConfig) -> dict[str, MediaLiveOperatorGroup]:
        """``medialive-iam:users`` ({"basic": [...], "readWrite": [...], "advanced": [...]}) as user -> group."""
        out: dict[str, MediaLiveOperatorGroup] = {}
        for key, tier, names in self._by_tier("users", config.users):
            if isinstance(names, str):
                raise MediaLiveIamError(describe(self), f"{CONTEXT_PREFIX}users.{key}",
                                        f"{names!r} is a string, not a list", f'write "{key}": [{json.dumps(names)}]')
            for name in names:
                if name.lower() in {n.lower() for n in out}:
                    raise MediaLiveIamError(describe(self), f"{CONTEXT_PREFIX}users.{key}", f"user {name!r} is in two "
                                            "groups", "list each user under one key: moving a user is changing its key")
                out[name] = self.operator_groups[tier]
        return out


def register_nag_packs(app: cdk.App) -> None:
    """AwsSolutions, NIST 800-53 R5, HIPAA and PCI DSS for the whole app: synth fails on any unacknowledged finding."""
    import cdk_nag  # only the app needs the packs; importing the constructs does not load them

    cdk.Validations.of(app).add_plugins(
        cdk_nag.AwsSolutionsChecks(app), cdk_nag.NIST80053R5Checks(app),
        cdk_nag.HIPAASecurityChecks(app), cdk_nag.PCIDSS321Checks(app),
    )


def _env_from_context(node) -> cdk.Environment | None:
    account = node.try_get_context(CONTEXT_PREFIX + "account")
    region = node.try_get_context(CONTEXT_PREFIX + "region")
    if account or region:
        return cdk.Environment(account=account, region=region)
    return None


def build_app(app: cdk.App) -> list[MediaLiveIamStack]:
    """The sample app: one stack, or one stage per account listed under ``medialive-iam:stages``; the cdk-nag packs
    and the library's guard (``medialive_iam_constructs.guard``) registered for the whole app."""
    from .guard import MediaLiveIamGuard

    register_nag_packs(app)
    MediaLiveIamGuard.register(app)
    add_roles_per_account_limit(app)
    organization = app.node.try_get_context(CONTEXT_PREFIX + "organization")
    if organization:
        return build_organization(app, organization)
    stages = app.node.try_get_context(CONTEXT_PREFIX + "stages") or []
    if not stages:
        return [MediaLiveIamStack(app, DEFAULT_STACK_NAME, env=_env_from_context(app.node))]
    return build_stages(app, stages)


def build_stages(app: cdk.App, stages: Sequence[Mapping[str, Any]]) -> list[MediaLiveIamStack]:
    """One ``Stage`` per entry ``{"name", "account", "region", "namePrefix"?, "path"?}``. IAM names are global per
    account, and the administrator's reach is its IAM paths (users, roles, policies under ``path``): two entries in
    one account must have different name prefixes and paths that do not overlap, or synth fails here (issue 20,
    finding 6: with one path, each stage's administrator would manage the other's users, roles and policies)."""
    seen: dict[str, list[tuple[str, str, str]]] = {}
    checked: list[tuple[str, str, str, str, Any]] = []
    base = SampleConfig.from_context(app.node)
    for entry in stages:
        name, account = entry.get("name"), str(entry.get("account", ""))
        if not name or not account:
            raise MediaLiveIamError("app (sample app)", f"{CONTEXT_PREFIX}stages", f"entry {entry!r} lacks name or account",
                                    'give each stage {"name": ..., "account": ..., "region": ...}')
        prefix = entry.get("namePrefix", base.name_prefix)
        path = entry.get("path", base.path)
        for other, other_prefix, other_path in seen.get(account, []):
            if other_prefix.lower() == prefix.lower():
                raise MediaLiveIamError(
                    "app (sample app)", f"{CONTEXT_PREFIX}stages",
                    f"stages {other!r} and {name!r} would create the same IAM names in account {account} "
                    "(IAM names are global to an account and case-insensitive)",
                    "deploy the IAM baseline once per account, or give one of them a different namePrefix",
                )
            mine, theirs = f"{prefix}medialive".lower(), f"{other_prefix}medialive".lower()
            if mine.startswith(theirs) or theirs.startswith(mine):
                raise MediaLiveIamError(
                    "app (sample app)", f"{CONTEXT_PREFIX}stages",
                    f"stages {other!r} and {name!r} in account {account} have notification prefixes {theirs!r} and "
                    f"{mine!r}, one a prefix of the other: each stage's ADVANCED operators would manage the other's "
                    "SNS topics and EventBridge rules (S26, S40)",
                    "give namePrefix values of which neither starts with the other plus 'medialive' "
                    "(e.g. 'Dev' and 'Prod')",
                )
            if path.startswith(other_path) or other_path.startswith(path):
                raise MediaLiveIamError(
                    "app (sample app)", f"{CONTEXT_PREFIX}stages",
                    f"stages {other!r} and {name!r} share the IAM path {min(path, other_path, key=len)!r} in account "
                    f"{account}: each stage's administrator would manage the other's users, roles and workflow policies",
                    f'give each stage in one account a path of its own, e.g. "path": "/medialive-{name.lower()}/"',
                )
        seen.setdefault(account, []).append((name, prefix, path))
        checked.append((name, account, prefix, path, entry.get("region")))
    stacks: list[MediaLiveIamStack] = []
    for name, account, prefix, path, region in checked:  # built once every entry is checked
        stage = cdk.Stage(app, name, env=cdk.Environment(account=account, region=region))
        config = SampleConfig(**{**base.__dict__, "name_prefix": prefix, "path": path})
        stacks.append(MediaLiveIamStack(stage, DEFAULT_STACK_NAME, config=config))
    return stacks


#: Stack and stage names of the organization mode (``medialive-iam:organization``).
ORGANIZATION_STACK_NAME = "MediaLiveIamOrganization"
ORGANIZATION_BASELINE_STAGE = "OrganizationBaseline"
_ORGANIZATION_KEYS = {"organizationalUnits", "regions", "stackSetName", "callAs", "excludeAccounts",
                      "retainStacksOnAccountRemoval", "maxConcurrentPercentage", "failureTolerancePercentage"}


def build_organization(app: cdk.App, spec: Any) -> list[MediaLiveIamStack]:
    """The baseline across an AWS Organization (docs/organizations.md): a stack ``MediaLiveIamOrganization`` (in
    the management or delegated administrator account: ``medialive-iam:account``/``region``) holding one
    service-managed StackSet whose template is the sample stack synthesized without an environment (stage
    ``OrganizationBaseline``, stack ``MediaLiveIam``, same construct ids hence the same logical ids as the
    per-account stack). ``spec``: ``{"organizationalUnits": [...], "regions": [one region], "stackSetName"?,
    "callAs"?, "excludeAccounts"?, "retainStacksOnAccountRemoval"?, "maxConcurrentPercentage"?,
    "failureTolerancePercentage"?}``. Accounts listed under ``medialive-iam:stages`` keep their per-account
    stage and are excluded from the StackSet (their IAM names would collide)."""
    from .organization import OrganizationBaselineStackSet

    where = "app (sample app)"
    if isinstance(spec, str):
        spec = json.loads(spec)
    if not isinstance(spec, Mapping):
        raise MediaLiveIamError(where, f"{CONTEXT_PREFIX}organization", f"{spec!r} is not an object",
                                'give it as JSON: {"organizationalUnits": ["ou-..."], "regions": ["us-east-1"]}')
    unknown = set(spec) - _ORGANIZATION_KEYS
    if unknown:
        raise MediaLiveIamError(where, f"{CONTEXT_PREFIX}organization", f"unknown key(s) {sorted(unknown)}",
                                f"use only {sorted(_ORGANIZATION_KEYS)}")
    regions = list(spec.get("regions") or ())
    if len(regions) != 1:
        raise MediaLiveIamError(
            where, f"{CONTEXT_PREFIX}organization.regions", f"{regions!r}: the baseline needs exactly one region",
            "give one region: IAM names are global to an account, so a second region's stack instance would create "
            "the same groups, roles and policies again and fail")
    stages = app.node.try_get_context(CONTEXT_PREFIX + "stages") or []
    if isinstance(stages, str):
        stages = json.loads(stages)
    per_account = build_stages(app, stages) if stages else []
    excluded = [*spec.get("excludeAccounts", ()), *(str(s["account"]) for s in stages)]

    stage = cdk.Stage(app, ORGANIZATION_BASELINE_STAGE)
    baseline = MediaLiveIamStack(
        stage, DEFAULT_STACK_NAME, config=SampleConfig.from_context(app.node),
        synthesizer=cdk.BootstraplessSynthesizer(), analytics_reporting=False,
        description="MediaLive IAM baseline (deployed to each member account by the StackSet MediaLiveIamBaseline)",
    )
    host = cdk.Stack(app, ORGANIZATION_STACK_NAME, env=_env_from_context(app.node),
                     description="The StackSet that deploys the MediaLive IAM baseline to the organization's accounts")
    host.stack_set = OrganizationBaselineStackSet(
        host, "Baseline", baseline=baseline, organizational_units=spec.get("organizationalUnits") or (),
        region=regions[0], stack_set_name=spec.get("stackSetName", "MediaLiveIamBaseline"),
        call_as=spec.get("callAs", "SELF"), exclude_accounts=excluded,
        retain_stacks_on_account_removal=bool(spec.get("retainStacksOnAccountRemoval", True)),
        max_concurrent_percentage=spec.get("maxConcurrentPercentage", 25),
        failure_tolerance_percentage=spec.get("failureTolerancePercentage", 0),
    )
    baseline.organization_stack = host
    return [baseline, *per_account]


def add_roles_per_account_limit(app: cdk.App) -> None:
    """Synth fails when the app's roles in one account (all its stacks and stages there) pass
    ``medialive-iam:rolesPerAccount`` (default 1000, IAM's default quota)."""
    from .scale import DEFAULT_ROLES_PER_ACCOUNT, RolesPerAccountLimit

    value = app.node.try_get_context(CONTEXT_PREFIX + "rolesPerAccount")
    limit = DEFAULT_ROLES_PER_ACCOUNT if value is None else int(json.loads(value) if isinstance(value, str) else value)
    if limit < 1:
        raise MediaLiveIamError("app (sample app)", f"{CONTEXT_PREFIX}rolesPerAccount", f"{limit} is not positive",
                                "give the account's 'Roles per account' quota (IAM's default is 1000)")
    add_check(app, RolesPerAccountLimit(
        app, limit, prop=f"{CONTEXT_PREFIX}rolesPerAccount",
        fix=f"spread the workflows over more accounts ({CONTEXT_PREFIX}stages), or raise the account's 'Roles per "
            f"account' quota in Service Quotas and set {CONTEXT_PREFIX}rolesPerAccount to it"))
