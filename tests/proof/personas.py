"""The personas of the proof, built with the library's public constructs and synthesized once per process.

* the sample app (``tests.helpers.sample_app()``, complex and simple option): its BASIC, READ_WRITE and ADVANCED
  groups, its ``RestrictedAdmin``, and (complex) each workflow role with its permissions boundary, plus a role
  holding ``AdministratorAccess`` under the sample's boundary (the most a restricted administrator can build);
* a tag-scoped READ_WRITE group (``resource_tag=("Team", "news")``, or ``channel_tag`` where the constructor
  does not take ``resource_tag`` yet);
* a user-shaped app: ``RestrictedAdmin`` given two ``MediaLiveOperatorGroup`` s, a bucket imported with
  ``s3.Bucket.from_bucket_name``, a tag-scoped group and two ``MediaLiveTrustedRole`` s.

Each :class:`Persona` carries the rows its construct reports (``rows``), the namespace it declares (what is
"inside" for it) and the principal the evaluator decides for. Persona ids are known without synthesizing
(:func:`persona_ids`), so tests can be parametrized at collection.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Mapping

from tools.iam_evaluator import NamedPolicy, PrincipalPolicies, TemplateEvaluator, aws_managed_policy

from . import universe as U

SAMPLE_STACK = "MediaLiveIam"
TAG_STACK = "ProofTagScoped"
USER_STACK = "ProofUserApp"
TIERS = ("BASIC", "READ_WRITE", "ADVANCED")


@dataclass
class Persona:
    id: str
    #: ``operator``, ``tag-operator``, ``admin``, ``workflow-role`` or ``admin-access-under-boundary``.
    kind: str
    option: str
    tier: str | None
    principal: PrincipalPolicies
    #: the catalog rows the construct reports (``.rows``).
    rows: tuple[str, ...]
    namespace: U.Namespace
    template: dict
    #: the documents the library wrote for this persona (checked for grants on ``*``).
    library_documents: tuple[NamedPolicy, ...]
    #: ``(chain, rank)``: within one chain, allowed(rank i) must be within allowed(rank j) for i < j.
    chain: tuple[str, int] | None = None
    logical_id: str = ""
    notes: tuple[str, ...] = ()
    #: the opt-ins (props of ``catalog/opt_ins.py``) the construct was built with: their open kinds and
    #: permissions-management actions are added to the persona's expectations.
    opt_ins: tuple[str, ...] = ()

    @property
    def table_key(self) -> str:
        """The key of the hand-written expectation tables (``operator:complex:READ_WRITE``, ``admin:simple``)."""
        if self.kind in ("operator", "tag-operator"):
            return f"{self.kind}:{self.option}:{self.tier}"
        if self.kind == "admin":
            return f"admin:{self.option}"
        return self.kind


def _cdk_workflows() -> dict[str, Any]:
    from tests.helpers import cdk_json_context

    return dict(cdk_json_context().get("medialive-iam:workflows") or {})


OPT_IN_STACK = "ProofOptIns"


def opt_in_configs() -> list[tuple[str, str, str | None, tuple[str, ...], bool]]:
    """The configurations the proof enumerates from ``catalog/opt_ins.py`` (issue 20), without synthesizing:
    ``(persona id, kind, tier or None for the administrator, opt-ins, tag-scoped)``. Every opt-in on its own at the
    highest tier that may take it (a lower tier gets a subset of its rows: ``test_catalog_newer_features_tiers.py`` keeps the
    tiers monotonic with every opt-in) and on the administrator that takes it, tag-scoped at that tier, and every
    pair of opt-ins that shares an IAM service (besides MediaLive's own) on ADVANCED. A new entry of the table enters
    here with nobody writing a case."""
    from medialive_iam_constructs.catalog.opt_ins import OPT_INS, TAG_SCOPE_OPT_INS

    out: list[tuple[str, str, str | None, tuple[str, ...], bool]] = []
    for o in OPT_INS:
        top = [t.name for t in o.tier_rows][-1]
        out.append((f"opt-in/{o.prop}/{top}", "operator", top, (o.prop,), False))
        out.append((f"opt-in/{o.prop}/{top}+tag", "tag-operator", top, (o.prop,), True))
        if o.admin:
            out.append((f"opt-in/{o.prop}/RestrictedAdmin", "admin", None, (o.prop,), False))
    for entry in TAG_SCOPE_OPT_INS:  # what tag scoping leaves out, given back: only meaningful tag-scoped
        out.append((f"opt-in/{entry.prop}/READ_WRITE+tag", "tag-operator", "READ_WRITE", (entry.prop,), True))
    for i, a in enumerate(OPT_INS):
        for b in OPT_INS[i + 1:]:
            shared = set(a.services) & set(b.services) - {"medialive"}
            if shared and "ADVANCED" in {t.name for t in a.tier_rows} & {t.name for t in b.tier_rows}:
                out.append((f"opt-in/{a.prop}+{b.prop}/ADVANCED", "operator", "ADVANCED", (a.prop, b.prop), False))
    return out


def persona_ids() -> list[str]:
    """Every persona id, without synthesizing anything."""
    ids = []
    for option in ("complex", "simple"):
        ids += [f"sample-{option}/{t}" for t in TIERS] + [f"sample-{option}/RestrictedAdmin"]
    ids += [f"sample-complex/role:{name}" for name in sorted(_cdk_workflows())]
    ids += ["sample-complex/AdministratorAccess-under-boundary", "tag-scoped/READ_WRITE"]
    ids += [f"user-app/{p}" for p in ("RestrictedAdmin", "Operators", "Engineers", "SportsTeam", "role:live",
                                      "role:vod")]
    ids += [c[0] for c in opt_in_configs()]
    ids += [f"organization/{p}" for p in ("ADVANCED", "RestrictedAdmin")]
    return ids


def tag_kwargs(tag: tuple[str, str]) -> dict[str, Any]:
    """``resource_tag=`` where the constructor takes it (the new name), else ``channel_tag=``."""
    from medialive_iam_constructs import MediaLiveOperatorGroup

    params = inspect.signature(MediaLiveOperatorGroup.__init__).parameters
    return {"resource_tag": tag} if "resource_tag" in params else {"channel_tag": tag}


def _logical_id(stack, construct) -> str:
    return stack.resolve(construct.node.default_child.logical_id)


def _ref(stack, value) -> str:
    resolved = stack.resolve(value)
    if isinstance(resolved, dict) and "Ref" in resolved:
        return resolved["Ref"]
    raise ValueError(f"{resolved!r} is not a Ref")


def _library_documents(principal: PrincipalPolicies) -> tuple[NamedPolicy, ...]:
    docs = [p for p in principal.identity_policies if not p.name.startswith("aws-managed:")]
    docs += [p for p in principal.permissions_boundary or () if not p.name.startswith("aws-managed:")]
    return tuple(docs)


def _workflow_inside(spec: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Inside identifiers of a workflow role, from its cdk.json entry: the first resource of each kind it names."""
    inside: dict[str, str] = {}
    context: dict[str, Any] = {}
    for key in ("sourceBuckets", "destinationBuckets", "thumbnailBuckets"):
        for b in spec.get(key, ()):
            bucket, prefix = (b["bucket"], b.get("prefix") or "") if isinstance(b, Mapping) else (b, "")
            inside.setdefault("BucketName", bucket)
            inside.setdefault("ObjectName", prefix + "x.ts")
    for c in spec.get("mediaPackageV2Channels", ()):
        inside.setdefault("ChannelGroupName", c[0])
        inside.setdefault("ChannelName", c[1])
    for c in spec.get("mediaPackageChannels", ()):
        inside.setdefault("ChannelIdentifier", c)
    for p in spec.get("passwordParameterPaths", ()):
        inside.setdefault("ParameterNameWithoutLeadingSlash", p.lstrip("/") + "pw")
    for p in spec.get("passwordParameters", ()):
        inside.setdefault("ParameterNameWithoutLeadingSlash", p.lstrip("/"))
    for s in list(spec.get("srtSecrets", ())) + list(spec.get("irdetoSecrets", ())):
        inside.setdefault("SecretId", f"{s}-AbCdEf")
    for vpc in ("vpcInputs", "vpcDelivery"):
        v = spec.get(vpc) or {}
        for s in v.get("subnets", ()):
            inside.setdefault("SubnetId", s)
            context.setdefault("ec2:Subnet", f"arn:{U.PARTITION}:ec2:{U.REGION}:{U.TEST_ACCOUNT}:subnet/{s}")
        for g in v.get("securityGroups", ()):
            inside.setdefault("SecurityGroupId", g)
        for e in v.get("elasticIpAllocations", ()):
            inside.setdefault("AllocationId", e)
    for f in spec.get("inferenceFeeds", ()):
        inside.setdefault("Id", f)
    return inside, context


@dataclass
class Built:
    personas: dict[str, Persona] = field(default_factory=dict)
    #: every synthesized template, by name (for the trust-policy check).
    templates: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0


def _sample(built: Built, ev, option: str) -> None:
    from tests.helpers import sample_app, template_of

    app, stacks = sample_app() if option == "complex" else sample_app(trustedEntity="simple")
    stack = stacks[0]
    template = template_of(stack)
    built.templates[f"sample-{option}"] = template
    te = TemplateEvaluator(template, ev, stack_name=stack.stack_name)
    boundary_arn = te.resolve(stack.resolve(stack.admin.permissions_boundary.managed_policy_arn))
    ns = U.Namespace(stack_name=stack.stack_name, context={"iam:PermissionsBoundary": boundary_arn})
    chain = f"sample-{option}"
    for rank, (tier, group) in enumerate(stack.operator_groups.items()):
        lid = _logical_id(stack, group.group)
        principal = te.policies(lid)
        built.personas[f"sample-{option}/{tier.name}"] = Persona(
            f"sample-{option}/{tier.name}", "operator", option, tier.name, principal, tuple(group.rows), ns, template,
            _library_documents(principal), (chain, rank), lid)
    lid = _logical_id(stack, stack.admin.group)
    principal = te.policies(lid)
    built.personas[f"sample-{option}/RestrictedAdmin"] = Persona(
        f"sample-{option}/RestrictedAdmin", "admin", option, None, principal, tuple(stack.admin.rows), ns, template,
        _library_documents(principal), (chain, 3), lid)
    if option != "complex":
        return
    workflows = _cdk_workflows()
    for name, role in sorted(stack.trusted_roles.items()):
        lid = _ref(stack, role.role.role_name)  # the role's logical id in the template
        principal = te.policies(lid)
        assert principal.permissions_boundary, f"sample workflow role {name} ({lid}) has no permissions boundary"
        inside, context = _workflow_inside(workflows.get(name, {}))
        role_ns = U.Namespace(inside=inside, stack_name=stack.stack_name,
                              context={"iam:PermissionsBoundary": boundary_arn, **context})
        built.personas[f"sample-complex/role:{name}"] = Persona(
            f"sample-complex/role:{name}", "workflow-role", option, None, principal, tuple(role.rows), role_ns,
            template, _library_documents(principal), None, lid)
    # A role someone builds with AdministratorAccess under the sample's boundary: the boundary is the only cap.
    boundary_lid = _ref(stack, stack.admin.permissions_boundary.managed_policy_arn)
    boundary_doc = template["Resources"][boundary_lid]["Properties"]["PolicyDocument"]
    principal = te.external_role([aws_managed_policy("AdministratorAccess")], [boundary_doc],
                                 role_name="medialive/AdminAccessUnderBoundary")
    built.personas["sample-complex/AdministratorAccess-under-boundary"] = Persona(
        "sample-complex/AdministratorAccess-under-boundary", "admin-access-under-boundary", option, None, principal,
        tuple(stack.admin.boundary.rows), ns, template, tuple(principal.permissions_boundary or ()), None, boundary_lid,
        ("identity: AWS managed AdministratorAccess; boundary: the sample's MediaLivePermissionsBoundary",))


def _tag_scoped(built: Built, ev) -> None:
    from medialive_iam_constructs import MediaLiveOperatorGroup, MediaLiveTrustedRole, OperatorTier
    from tests.helpers import new_stack, template_of

    _, stack = new_stack(TAG_STACK)
    role = MediaLiveTrustedRole(stack, "NewsRole", role_name="MediaLiveNewsWorkflow",
                                source_buckets=["example-news-sources"])
    tag = tag_kwargs(("Team", "news"))
    group = MediaLiveOperatorGroup(stack, "NewsTeam", tier=OperatorTier.READ_WRITE, trusted_roles=[role],
                                   group_name="MediaLiveNewsTeam", **tag)
    template = template_of(stack)
    built.templates["tag-scoped"] = template
    te = TemplateEvaluator(template, ev, stack_name=TAG_STACK)
    lid = _logical_id(stack, group.group)
    principal = te.policies(lid)
    ns = U.Namespace(stack_name=TAG_STACK, tag=("Team", "news"))
    built.personas["tag-scoped/READ_WRITE"] = Persona(
        "tag-scoped/READ_WRITE", "tag-operator", "complex", "READ_WRITE", principal, tuple(group.rows), ns, template,
        _library_documents(principal), None, lid, (f"built with {next(iter(tag))}=('Team', 'news')",))


def _user_app(built: Built, ev) -> None:
    from aws_cdk import aws_s3 as s3

    from medialive_iam_constructs import (
        MediaLiveNamespaces,
        MediaLiveOperatorGroup,
        MediaLivePermissionsBoundary,
        MediaLiveTrustedRole,
        OperatorTier,
        RestrictedAdmin,
        S3Location,
    )
    from tests.helpers import new_stack, template_of

    _, stack = new_stack(USER_STACK)
    # the namespaces cover the roles' bucket and MediaPackage channel (issue 21: before, the roles were given
    # boundary.policy, which skipped the synth-time check, and could not reach either through the boundary)
    boundary = MediaLivePermissionsBoundary(
        stack, "Boundary", managed_policy_name="MediaLiveTrustedRoleBoundary", path="/medialive-admin/",
        namespaces=MediaLiveNamespaces(bucket_names=["example-user-archive"], mediapackage_channel_prefix="vod-"))
    archive = s3.Bucket.from_bucket_name(stack, "Archive", "example-user-archive")
    live = MediaLiveTrustedRole(stack, "LiveRole", role_name="MediaLiveLiveWorkflow",
                                permissions_boundary=boundary, source_buckets=[S3Location(archive, "live/")], srt_secrets=["medialive/live/srt"],
                                srt_input_secrets=["medialive/live/srt-input"],
                                password_parameter_paths=["/medialive/live/"])
    vod = MediaLiveTrustedRole(stack, "VodRole", role_name="MediaLiveVodWorkflow", permissions_boundary=boundary.policy,
                               destination_buckets=[archive], mediapackage_channels=["vod-channel"])
    ops = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.BASIC, group_name="MediaLiveOperators")
    eng = MediaLiveOperatorGroup(stack, "Engineers", tier=OperatorTier.ADVANCED, trusted_roles=[live, vod],
                                 group_name="MediaLiveEngineers")
    team = MediaLiveOperatorGroup(stack, "SportsTeam", tier=OperatorTier.READ_WRITE, trusted_roles=[vod],
                                  group_name="MediaLiveSportsTeam", **tag_kwargs(("Team", "sports")))
    admin = RestrictedAdmin(stack, "Admins", operator_groups=[ops, eng], permissions_boundary=boundary)
    template = template_of(stack)
    built.templates["user-app"] = template
    te = TemplateEvaluator(template, ev, stack_name=USER_STACK)
    boundary_arn = te.resolve(stack.resolve(boundary.policy.managed_policy_arn))
    common = {"BucketName": "example-user-archive", "ObjectName": "live/x.ts",
              "RoleNameWithPath": "medialive/MediaLiveLiveWorkflow",
              "GroupNameWithPath": "medialive/MediaLiveOperators",
              "ParameterNameWithoutLeadingSlash": "medialive/live/pw", "SecretId": "medialive/live/srt-AbCdEf",
              "ChannelIdentifier": "vod-channel"}
    ctx = {"iam:PermissionsBoundary": boundary_arn}
    ns = U.Namespace(inside=common, stack_name=USER_STACK, context=ctx)

    def add(pid, kind, tier, construct, rows, namespace, chain=None):
        lid = _logical_id(stack, construct)
        principal = te.policies(lid)
        built.personas[pid] = Persona(pid, kind, "complex", tier, principal, tuple(rows), namespace, template,
                                      _library_documents(principal), chain, lid)

    add("user-app/RestrictedAdmin", "admin", None, admin.group, admin.rows, ns, ("user-app", 3))
    add("user-app/Operators", "operator", "BASIC", ops.group, ops.rows, ns, ("user-app", 0))
    add("user-app/Engineers", "operator", "ADVANCED", eng.group, eng.rows, ns, ("user-app", 2))
    add("user-app/SportsTeam", "tag-operator", "READ_WRITE", team.group, team.rows,
        U.Namespace(inside=common, stack_name=USER_STACK, tag=("Team", "sports"), context=ctx))
    add("user-app/role:live", "workflow-role", None, live.role, live.rows, ns)
    add("user-app/role:vod", "workflow-role", None, vod.role, vod.rows,
        U.Namespace(inside={**common, "ObjectName": "x.ts"}, stack_name=USER_STACK, context=ctx))
    for pid in ("user-app/role:live", "user-app/role:vod"):
        assert built.personas[pid].principal.permissions_boundary, f"{pid} has no permissions boundary"


#: The stack prefixes the opt-in personas are built with (props the table names in ``stack_prefix_prop``).
OPT_IN_STACK_PREFIXES = {"workflow_wizard_stack_prefix": "MediaLiveWorkflow-",
                         "workflow_monitor_stack_prefix": "MediaLiveMonitor-"}


def _opt_ins(built: Built, ev) -> None:
    """The configurations of :func:`opt_in_configs`, one stack, one construct each."""
    from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier, RestrictedAdmin, TrustedEntityOption
    from medialive_iam_constructs.catalog.opt_ins import BY_PROP
    from tests.helpers import new_stack, template_of

    _, stack = new_stack(OPT_IN_STACK)
    role_arn = f"arn:{U.PARTITION}:iam::{U.TEST_ACCOUNT}:role/medialive/ProofOptInWorkflow"
    made = []
    admin_ops = None
    for pid, kind, tier, props, tagged in opt_in_configs():
        entries = [BY_PROP[p] for p in props if p in BY_PROP]
        option = next((e.option for e in entries if e.option is not None), TrustedEntityOption.COMPLEX)
        kw: dict[str, Any] = {p: True for p in props}
        kw.update({e.stack_prefix_prop: OPT_IN_STACK_PREFIXES[e.stack_prefix_prop] for e in entries
                   if e.stack_prefix_prop})
        cid = pid.replace("opt-in/", "").replace("/", "-").replace("+", "-").replace("_", "")
        if kind == "admin":
            if admin_ops is None:
                admin_ops = MediaLiveOperatorGroup(stack, "AdminOps", tier=OperatorTier.READ_WRITE,
                                                   trusted_roles=[role_arn])
            construct = RestrictedAdmin(stack, cid, operator_groups=[admin_ops], trusted_entity=option,
                                        group_name=f"Proof{cid}"[:128], policy_name_prefix=f"Proof{cid}"[:60],
                                        admin_policy_path=f"/proof-admin-{len(made)}/",
                                        policy_path="/medialive/trusted-entity/", **kw)
        else:
            t = OperatorTier[tier]
            if t is not OperatorTier.BASIC:
                kw["trusted_entity"] = option
                if option is TrustedEntityOption.COMPLEX:
                    kw["trusted_roles"] = [role_arn]
            if tagged:
                kw.update(tag_kwargs(("Team", "news")))
            construct = MediaLiveOperatorGroup(stack, cid, tier=t, **kw)
        made.append((pid, kind, tier, props, tagged, option, construct))
    template = template_of(stack)
    built.templates["opt-ins"] = template
    te = TemplateEvaluator(template, ev, stack_name=OPT_IN_STACK)
    for pid, kind, tier, props, tagged, option, construct in made:
        lid = _logical_id(stack, construct.group)
        principal = te.policies(lid)
        context = {}
        if kind == "admin":
            context["iam:PermissionsBoundary"] = te.resolve(stack.resolve(construct.permissions_boundary.managed_policy_arn))
        ns = U.Namespace(stack_name=OPT_IN_STACK, tag=("Team", "news") if tagged else None, context=context)
        built.personas[pid] = Persona(pid, kind, option.value, tier, principal, tuple(construct.rows), ns, template,
                                      _library_documents(principal), None, lid, (f"opt-ins {', '.join(props)}",),
                                      opt_ins=props)


def _organization(built: Built, ev) -> None:
    """The organization mode's baseline (the sample stack synthesized without an environment for a StackSet): its
    tiers and administrator as a member account runs them."""
    import json

    import aws_cdk as cdk

    from medialive_iam_constructs.sample import ORGANIZATION_BASELINE_STAGE, build_app
    from tests.helpers import cdk_json_context

    org = {"organizationalUnits": ["ou-abcd-12345678"], "regions": [U.REGION]}
    app = cdk.App(context={**cdk_json_context(), "medialive-iam:organization": json.dumps(org)})
    build_app(app)
    stage = app.node.find_child(ORGANIZATION_BASELINE_STAGE)
    stack = next(c for c in stage.node.children if isinstance(c, cdk.Stack))
    template = stage.synth().get_stack_by_name(stack.stack_name).template
    built.templates["organization"] = template
    te = TemplateEvaluator(template, ev, stack_name=f"StackSet-MediaLiveIamBaseline-{U.TEST_ACCOUNT}")
    boundary_arn = te.resolve(stack.resolve(stack.admin.permissions_boundary.managed_policy_arn))
    ns = U.Namespace(stack_name=stack.stack_name, context={"iam:PermissionsBoundary": boundary_arn})
    group = stack.operator_groups[next(t for t in stack.operator_groups if t.name == "ADVANCED")]
    lid = _logical_id(stack, group.group)
    principal = te.policies(lid)
    built.personas["organization/ADVANCED"] = Persona(  # the widest tier: the others hold subsets (monotonic)
        "organization/ADVANCED", "operator", "complex", "ADVANCED", principal, tuple(group.rows), ns, template,
        _library_documents(principal), ("organization", 2), lid)
    lid = _logical_id(stack, stack.admin.group)
    principal = te.policies(lid)
    built.personas["organization/RestrictedAdmin"] = Persona(
        "organization/RestrictedAdmin", "admin", "complex", None, principal, tuple(stack.admin.rows), ns, template,
        _library_documents(principal), ("organization", 3), lid)


_BUILT: dict[str, Built] = {}


def build(evaluator) -> Built:
    """Every persona (synthesized once per process)."""
    if "all" not in _BUILT:
        import time

        start = time.perf_counter()
        built = Built()
        _sample(built, evaluator, "complex")
        _sample(built, evaluator, "simple")
        _tag_scoped(built, evaluator)
        _user_app(built, evaluator)
        _opt_ins(built, evaluator)
        _organization(built, evaluator)
        missing = set(persona_ids()) ^ set(built.personas)
        if missing:
            raise AssertionError(f"persona ids and built personas differ: {sorted(missing)}")
        built.seconds = time.perf_counter() - start
        _BUILT["all"] = built
    return _BUILT["all"]


def describe_principal(p: Persona) -> str:
    docs = ", ".join(n.name for n in p.principal.identity_policies)
    boundary = ", ".join(n.name for n in p.principal.permissions_boundary or ()) or "none"
    return f"{p.id} ({p.principal.kind} {p.principal.arn}; policies {docs}; boundary {boundary})"
