"""The baseline across an AWS Organization (``medialive-iam:organization``, docs/organizations.md): one
service-managed StackSet whose template is the sample stack synthesized without an environment. The StackSet's
properties, the template it carries (environment-agnostic, same logical ids as the per-account stack) and the
IAM evaluator on that template in a member account of our choosing, as on the single-account stack."""

from __future__ import annotations

import json
import re

import aws_cdk as cdk
import pytest

from tools.iam_evaluator import TemplateEvaluator
from medialive_iam_constructs.errors import MediaLiveIamError
from medialive_iam_constructs.organization import TEMPLATE_BODY_MAX_BYTES, OrganizationBaselineStackSet
from tests.helpers import sample_app
from tests.test_sample_logical_ids import COMPLEX

OU = "ou-abcd-11111111"
ORG = {"organizationalUnits": [OU], "regions": ["us-east-1"]}
MEMBER, REGION = "444455556666", "us-east-1"


def _host_template(app: cdk.App) -> dict:
    return app.synth().get_stack_by_name("MediaLiveIamOrganization").template


def _stack_set(template: dict) -> dict:
    (props,) = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::CloudFormation::StackSet"]
    return props


@pytest.fixture(scope="module")
def org():
    app, stacks = sample_app(organization=json.dumps(ORG))  # as `cdk synth -c key=<json>` passes it
    template = _host_template(app)
    props = _stack_set(template)
    if "TemplateBody" in props:
        baseline = json.loads(props["TemplateBody"])
    else:  # past 51,200 bytes the baseline is a TemplateURL asset: read the template the construct wrote
        from medialive_iam_constructs.organization import OrganizationBaselineStackSet

        (construct,) = [c for c in app.node.find_all() if isinstance(c, OrganizationBaselineStackSet)]
        assert construct.template_source == "TemplateURL"
        baseline = construct.template
    return app, stacks, template, props, baseline


def test_stack_set_properties(org):
    _, _, template, props, _ = org
    assert props["PermissionModel"] == "SERVICE_MANAGED"
    assert props["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": True}
    assert props["Capabilities"] == ["CAPABILITY_NAMED_IAM"]
    assert props["CallAs"] == "SELF"
    assert props["StackInstancesGroup"] == [{"DeploymentTargets": {"OrganizationalUnitIds": [OU]}, "Regions": ["us-east-1"]}]
    assert props["OperationPreferences"] == {"ConcurrencyMode": "STRICT_FAILURE_TOLERANCE", "FailureTolerancePercentage": 0,
                                             "MaxConcurrentPercentage": 25, "RegionConcurrencyType": "SEQUENTIAL"}
    # exactly one of the two template forms: inline up to 51,200 bytes, else an asset (issue 13's rows made the
    # sample's baseline 5% larger than the inline quota)
    assert ("TemplateBody" in props) != ("TemplateURL" in props)
    if "TemplateBody" in props:
        assert len(props["TemplateBody"].encode()) <= TEMPLATE_BODY_MAX_BYTES
    # the host stack holds the StackSet only (and CDK's metadata)
    assert {r["Type"] for r in template["Resources"].values()} <= {"AWS::CloudFormation::StackSet", "AWS::CDK::Metadata"}


def test_baseline_is_environment_agnostic(org):
    _, _, _, props, body = org
    text = json.dumps(body, separators=(",", ":"))
    assert not re.search(r"(?<![0-9])[0-9]{12}(?![0-9])", text), "a literal account id"
    assert '{"Ref":"AWS::AccountId"}' in text
    assert "Parameters" not in body and "Rules" not in body  # no bootstrap version: member accounts are not bootstrapped
    assert not any("Metadata" in r for r in body["Resources"].values())


def test_baseline_has_the_per_account_logical_ids(org):
    """Same construct ids as the per-account stack: same logical ids, types and names (so an existing per-account
    stack can be imported into the StackSet, docs/organizations.md)."""
    _, _, _, _, body = org
    NAMES = ("GroupName", "RoleName", "ManagedPolicyName", "UserName")
    actual = {lid: (r["Type"], next((r["Properties"][p] for p in NAMES if p in r["Properties"]), None))
              for lid, r in body["Resources"].items()}
    assert actual == COMPLEX


def test_cdk_synth_writes_the_baseline_stage_and_no_deployable_baseline_at_top_level(org):
    app, stacks, _, _, _ = org
    assembly = app.synth()
    assert [s.stack_name for s in assembly.stacks] == ["MediaLiveIamOrganization"]
    nested = assembly.get_nested_assembly("assembly-OrganizationBaseline")
    assert [s.stack_name for s in nested.stacks] == ["OrganizationBaseline-MediaLiveIam"]
    assert stacks[0].organization_stack.stack_name == "MediaLiveIamOrganization"


# --- the evaluator on the StackSet's template, in a member account -------------------------------------

P = f"arn:aws:iam::{MEMBER}:"
ML = f"arn:aws:medialive:{REGION}:{MEMBER}:"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
BOUNDARY = P + "policy/medialive-admin/MediaLiveTrustedRoleBoundary"


@pytest.fixture(scope="module")
def member(org, iam_evaluator):
    _, _, _, _, body = org
    te = TemplateEvaluator(body, iam_evaluator, account=MEMBER, region=REGION, stack_name="StackSet-MediaLiveIamBaseline-x")
    lid = {r["Properties"].get("GroupName"): k for k, r in body["Resources"].items() if r["Type"] == "AWS::IAM::Group"}
    return lambda group, action, resource, context=None: te.decide(lid[group], action, resource, context)


ADMIN_DENIED = [
    ("iam:AttachGroupPolicy", P + "group/medialive-admin/MediaLiveAdministrators", {"iam:PolicyARN": ADMIN_ACCESS}),
    ("iam:PutGroupPolicy", P + "group/medialive-admin/MediaLiveAdministrators", None),
    ("iam:AddUserToGroup", P + "group/medialive-admin/MediaLiveAdministrators", None),
    ("iam:CreatePolicyVersion", P + "policy/medialive-admin/MediaLiveAdminAccess", None),
    ("iam:DeleteRolePermissionsBoundary", P + "role/medialive/MediaLiveNewsWorkflow", None),
    ("iam:CreateRole", P + "role/medialive/x", None),  # without the boundary
    ("iam:AttachRolePolicy", P + "role/medialive/MediaLiveNewsWorkflow", {"iam:PolicyARN": ADMIN_ACCESS}),
]


@pytest.mark.parametrize("action,resource,context", ADMIN_DENIED, ids=[f"{a} {r.rsplit(':', 1)[-1]}" for a, r, _ in ADMIN_DENIED])
def test_admin_cannot_escalate_in_a_member_account(member, action, resource, context):
    assert member("MediaLiveAdministrators", action, resource, context) != "Allowed"


def test_admin_creates_roles_only_with_the_boundary_in_a_member_account(member):
    role = P + "role/medialive/MediaLiveNewWorkflow"
    assert member("MediaLiveAdministrators", "iam:CreateRole", role, {"iam:PermissionsBoundary": BOUNDARY}) == "Allowed"
    other = "arn:aws:iam::999988887777:policy/medialive-admin/MediaLiveTrustedRoleBoundary"  # another account's
    assert member("MediaLiveAdministrators", "iam:CreateRole", role, {"iam:PermissionsBoundary": other}) != "Allowed"


TIERS = [  # (action, resource, BASIC, READ_WRITE, ADVANCED)
    ("medialive:StartChannel", ML + "channel:1234567", True, True, True),
    ("medialive:DescribeChannel", ML + "channel:1234567", True, True, True),
    ("medialive:UpdateChannel", ML + "channel:1234567", False, True, True),
    ("medialive:CreateChannel", ML + "channel:*", False, True, True),
    ("iam:PassRole", P + "role/medialive/MediaLiveNewsWorkflow", False, True, True),
]


@pytest.mark.parametrize("action,resource,basic,rw,adv", TIERS, ids=[t[0] for t in TIERS])
def test_operator_tiers_in_a_member_account(member, action, resource, basic, rw, adv):
    ctx = {"iam:PassedToService": "medialive.amazonaws.com"} if action == "iam:PassRole" else None
    got = [member(g, action, resource, ctx) == "Allowed"
           for g in ("MediaLiveBasicUsers", "MediaLiveReadWriteUsers", "MediaLiveAdvancedUsers")]
    assert got == [basic, rw, adv]


def test_same_decisions_as_the_per_account_stack(org, member, iam_evaluator):
    """The StackSet's template decides as the per-account stack (synthesized without env, as cdk.json has it)."""
    from tests.helpers import sample_template

    single = sample_template()
    te = TemplateEvaluator(single, iam_evaluator, account=MEMBER, region=REGION)
    lid = {r["Properties"].get("GroupName"): k for k, r in single["Resources"].items() if r["Type"] == "AWS::IAM::Group"}
    probes = [(a, r, c) for a, r, c in ADMIN_DENIED] + [(a, r, {"iam:PassedToService": "medialive.amazonaws.com"}
                                                          if a == "iam:PassRole" else None) for a, r, *_ in TIERS]
    for group in lid:
        for action, resource, context in probes:
            assert member(group, action, resource, context) == te.decide(lid[group], action, resource, context), \
                (group, action, resource)


def test_grants_stay_in_the_member_account(member):
    """What a member account's operators hold is scoped to that account: not to the next member's channels."""
    other = "arn:aws:medialive:us-east-1:777766665555:channel:1234567"
    for group in ("MediaLiveBasicUsers", "MediaLiveReadWriteUsers", "MediaLiveAdvancedUsers"):
        assert member(group, "medialive:StartChannel", other) != "Allowed", group


# --- options and refusals ----------------------------------------------------------------------------


def test_stage_accounts_and_excluded_accounts_are_left_out():
    stages = [{"name": "Legacy", "account": "111111111111", "region": "us-east-1"}]
    app, stacks = sample_app(organization={**ORG, "excludeAccounts": ["222222222222"], "callAs": "DELEGATED_ADMIN"},
                             stages=stages)
    props = _stack_set(_host_template(app))
    assert props["StackInstancesGroup"][0]["DeploymentTargets"] == {
        "AccountFilterType": "DIFFERENCE", "Accounts": ["111111111111", "222222222222"], "OrganizationalUnitIds": [OU]}
    assert props["CallAs"] == "DELEGATED_ADMIN"
    assert [s.account for s in stacks[1:]] == ["111111111111"]  # the per-account stage is still there


@pytest.mark.parametrize("bad,match", [
    ({**ORG, "regions": ["us-east-1", "eu-west-1"]}, "exactly one region"),
    ({**ORG, "regions": []}, "exactly one region"),
    ({**ORG, "organizationalUnits": ["sales"]}, "organizational_units"),
    ({**ORG, "callAs": "ME"}, "call_as"),
    ({**ORG, "ous": [OU]}, "unknown key"),
])
def test_bad_organization_context_fails_at_synth(bad, match):
    with pytest.raises(MediaLiveIamError, match=match) as e:
        sample_app(organization=bad)
    assert "Fix:" in str(e.value)


def _baseline(app, env=None):
    from medialive_iam_constructs.sample import MediaLiveIamStack, SampleConfig

    stage = cdk.Stage(app, "Base")
    return MediaLiveIamStack(stage, "MediaLiveIam", config=SampleConfig.from_context(app.node), env=env,
                             synthesizer=cdk.BootstraplessSynthesizer(), analytics_reporting=False)


def test_baseline_with_an_environment_is_refused():
    from tests.helpers import cdk_json_context

    app = cdk.App(context=cdk_json_context())
    base = _baseline(app, env=cdk.Environment(account="111122223333", region="us-east-1"))
    with pytest.raises(MediaLiveIamError, match="has an environment"):
        OrganizationBaselineStackSet(cdk.Stack(app, "Host"), "Set", baseline=base, organizational_units=[OU],
                                     region="us-east-1")


def test_template_over_the_inline_limit_goes_to_s3_as_an_asset():
    from tests.helpers import cdk_json_context

    app = cdk.App(context=cdk_json_context())
    host = cdk.Stack(app, "Host")
    ss = OrganizationBaselineStackSet(host, "Set", baseline=_baseline(app), organizational_units=[OU],
                                      region="us-east-1", template_body_max_bytes=1000)
    assert ss.template_source == "TemplateURL"
    assembly = app.synth()
    props = _stack_set(assembly.get_stack_by_name("Host").template)
    assert "TemplateBody" not in props and "Fn::Sub" in json.dumps(props["TemplateURL"])
    import os

    manifest = json.load(open(os.path.join(assembly.directory, "Host.assets.json")))
    sources = [f["source"]["path"] for f in manifest["files"].values()]
    stackset_files = [p for p in sources if p.endswith(".stackset.template.json")]
    assert len(stackset_files) == 1
    published = json.load(open(os.path.join(assembly.directory, stackset_files[0])))  # what cdk deploy uploads
    assert published == ss.template and "Parameters" not in published
