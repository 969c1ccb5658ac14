"""Scale: hundreds of workflows (policy sizes that do not grow, sharded stacks, quotas at synth) and several accounts.
Behaviour only; the timings live in benchmarks/ (docs/benchmarks.md)."""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
import pytest

from medialive_iam_constructs.errors import MediaLiveIamError
from medialive_iam_constructs.packing import MANAGED_POLICY_MAX_CHARS, document_size
from medialive_iam_constructs.scale import MAX_RESOURCES_PER_STACK, StackResourceLimit, shards
from medialive_iam_constructs.validation import NAME_LIMITS
from tests.helpers import sample_app, template_of


#: Hundreds of workflows declare their buckets as a prefix: the boundary is one policy (issue 11 b).
SCALE_NAMESPACES = {"bucketPrefixes": ["example-"], "bucketNames": []}


def _workflows(n: int) -> dict:
    return {f"w{i:03d}": {"sourceBuckets": [f"example-source-{i:03d}"], "destinationBuckets": [f"example-archive-{i:03d}"]}
            for i in range(n)}


def _group_policy_sizes(template: dict) -> dict[str, list[int]]:
    res = template["Resources"]
    groups = {k: v["Properties"]["GroupName"] for k, v in res.items() if v["Type"] == "AWS::IAM::Group"}
    out: dict[str, list[int]] = {name: [] for name in groups.values()}
    for v in res.values():
        if v["Type"] == "AWS::IAM::ManagedPolicy":
            for ref in v["Properties"].get("Groups", []):
                out[groups[ref["Ref"]]].append(document_size(v["Properties"]["PolicyDocument"]))
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def scaled():
    """1 and 200 workflows, operator groups passing roles by path."""
    return {n: sample_app(workflows=_workflows(n), passRolesByPath=True, namespaces=SCALE_NAMESPACES) for n in (1, 200)}


def test_operator_group_policies_do_not_grow_with_workflows(scaled):
    one = _group_policy_sizes(template_of(scaled[1][1][0]))
    many = _group_policy_sizes(template_of(scaled[200][1][0]))
    assert one == many
    assert set(one) == {"MediaLiveAdministrators", "MediaLiveBasicUsers", "MediaLiveReadWriteUsers", "MediaLiveAdvancedUsers"}


def test_200_workflows_synthesize_within_every_quota(scaled):
    app, stacks = scaled[200]
    assembly = app.synth()  # validations (quotas, resources per stack, cdk-nag) run here and would raise
    templates = {s.stack_name: s.template for s in assembly.stacks}
    assert set(templates) == {"MediaLiveIam", "MediaLiveIamWorkflows1", "MediaLiveIamWorkflows2"}
    roles = 0
    for name, template in templates.items():
        res = template["Resources"]
        assert len(res) <= MAX_RESOURCES_PER_STACK, name
        roles += sum(1 for v in res.values() if v["Type"] == "AWS::IAM::Role")
        for v in res.values():
            if v["Type"] == "AWS::IAM::ManagedPolicy":
                assert document_size(v["Properties"]["PolicyDocument"]) <= MANAGED_POLICY_MAX_CHARS
    assert roles == 200
    per_group = _group_policy_sizes(templates["MediaLiveIam"])
    assert all(1 <= len(sizes) <= 10 for sizes in per_group.values())


def test_many_workflows_without_pass_by_path_fail_at_synth():
    with pytest.raises(MediaLiveIamError, match="passRolesByPath") as e:
        sample_app(workflows=_workflows(3), rolesPerStack=2)
    assert "Fix: set medialive-iam:passRolesByPath to true" in str(e.value)


def test_stack_over_500_resources_fails_at_synth_not_deploy():
    app = cdk.App()
    stack = cdk.Stack(app, "Big")
    for i in range(MAX_RESOURCES_PER_STACK + 1):
        cdk.CfnWaitConditionHandle(stack, f"H{i}")
    stack.node.add_validation(StackResourceLimit(stack, fix="shard it"))
    with pytest.raises(Exception, match="501 CloudFormation resources, over the quota of 500 per stack. Fix: shard it"):
        app.synth()


def test_resource_count_is_the_stacks_own_template():
    """Resources of a nested stack, a child stack or a stage inside the stack are not the stack's (found by the
    review of 0.3.1's first resource_count: jsii hands out a new Python object for a construct made on the
    JavaScript side, such as an L2's CfnGroup, on each find_all, so matching by object identity counted the
    children's resources in the parent: 11 instead of 2)."""
    from aws_cdk.assertions import Template

    from medialive_iam_constructs.scale import resource_count

    app = cdk.App()
    parent = cdk.Stack(app, "P")
    iam.Group(parent, "Own")
    nested = cdk.NestedStack(parent, "N")
    child = cdk.Stack(parent, "Child")
    stage_stack = cdk.Stack(cdk.Stage(parent, "St"), "SS")
    for where in (nested, child, stage_stack):
        for i in range(3):
            iam.Group(where, f"G{i}")
    own = len(Template.from_stack(parent).to_json()["Resources"])  # the group and the nested stack's CfnStack
    assert own == 2
    assert resource_count(parent) == own
    assert resource_count(nested) == 3 and resource_count(child) == 3 and resource_count(stage_stack) == 3


def test_shards_are_stable():
    assert shards(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert shards(list(range(6)), 2)[:2] == shards(list(range(5)), 2)[:2]


# --- several accounts ---------------------------------------------------------------------------------

_NAME_PROPS = {"GroupName": "group", "RoleName": "role", "ManagedPolicyName": "policy", "UserName": "user"}


def _names(template: dict) -> list[tuple[str, str]]:
    return [(kind, v["Properties"][prop]) for v in template["Resources"].values()
            for prop, kind in _NAME_PROPS.items() if isinstance(v.get("Properties", {}).get(prop), str)]


def _assert_valid_and_distinct(names: list[tuple[str, str]]) -> None:
    for kind, name in names:
        assert re.fullmatch(r"[\w+=,.@-]+", name) and len(name) <= NAME_LIMITS[kind], (kind, name)
    for kind in {k for k, _ in names}:
        lowered = [n.lower() for k, n in names if k == kind]
        assert len(lowered) == len(set(lowered)), kind


STAGES = [
    {"name": "Dev", "account": "111111111111", "region": "us-west-2"},
    {"name": "Staging", "account": "222222222222", "region": "eu-west-1"},
    {"name": "Prod", "account": "333333333333", "region": "us-east-1"},
]


def test_one_stage_per_account_with_valid_distinct_names():
    app, stacks = sample_app(stages=STAGES)
    assembly = app.synth()
    assert [s.node.scope.node.id for s in stacks] == ["Dev", "Staging", "Prod"]
    for entry, stack in zip(STAGES, stacks):
        assert stack.account == entry["account"] and stack.region == entry["region"]
        stage_assembly = assembly.get_nested_assembly(f"assembly-{entry['name']}")
        template = stage_assembly.get_stack_by_name(stack.stack_name).template
        _assert_valid_and_distinct(_names(template))
        assert any(n == "MediaLiveAdministrators" for _, n in _names(template))


def test_two_stages_in_one_account_need_different_prefixes():
    same = [{"name": "Blue", "account": "111111111111", "region": "us-west-2"},
            {"name": "Green", "account": "111111111111", "region": "eu-west-1"}]
    with pytest.raises(MediaLiveIamError, match="would create the same IAM names in account 111111111111"):
        sample_app(stages=same)
    app, stacks = sample_app(stages=[{**same[0], "namePrefix": "Blue", "path": "/medialive-blue/"},
                                     {**same[1], "namePrefix": "Green", "path": "/medialive-green/"}],
                             workflows=WORKFLOWS_WITHOUT_PARAMETERS)
    assembly = app.synth()
    names = []
    for stage, stack in zip(("Blue", "Green"), stacks):
        names += _names(assembly.get_nested_assembly(f"assembly-{stage}").get_stack_by_name(stack.stack_name).template)
    _assert_valid_and_distinct(names)


# --- roles per account ----------------------------------------------------------------------------------

from medialive_iam_constructs.scale import ENV_AGNOSTIC, RolesPerAccountLimit, roles_per_account  # noqa: E402


def test_roles_are_counted_per_account_across_stacks_and_stages():
    from aws_cdk import aws_iam as iam

    app = cdk.App()
    for stage_name, account, n in (("A1", "111111111111", 3), ("A2", "111111111111", 2), ("B", "222222222222", 4)):
        stack = cdk.Stack(cdk.Stage(app, stage_name, env=cdk.Environment(account=account, region="us-east-1")), "S")
        for i in range(n):
            iam.Role(stack, f"R{i}", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    agnostic = cdk.Stack(app, "Agnostic")
    iam.Role(agnostic, "R", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    assert roles_per_account(app) == {"111111111111": {"A1/S": 3, "A2/S": 2}, "222222222222": {"B/S": 4},
                                      ENV_AGNOSTIC: {"Agnostic": 1}}
    assert RolesPerAccountLimit(app, 5).validate() == []
    (error,) = RolesPerAccountLimit(app, 4, fix="shard it").validate()
    assert "account 111111111111 would hold 5 IAM roles from this app (A1/S 3, A2/S 2), over the quota of 4" in error
    assert error.endswith("Fix: shard it")


def test_sample_app_fails_at_synth_past_the_roles_per_account_quota():
    app, _ = sample_app(rolesPerAccount=1)  # the sample's two workflow roles
    with pytest.raises(Exception, match=r"medialive-iam:rolesPerAccount: account environment-agnostic .* would hold 2 "
                                        r"IAM roles .*over the quota of 1 roles per account.*Fix: spread the workflows"):
        app.synth()
    sample_app(rolesPerAccount=2)[0].synth()


#: Two workflows whose resources sit in no stage's path (the sample's own name parameters under /medialive/, which a
#: stage with a path of its own does not cover: its boundary's parameter path is that path).
WORKFLOWS_WITHOUT_PARAMETERS = {"news": {"sourceBuckets": ["example-news-sources"]},
                                "sports": {"sourceBuckets": ["example-sports-sources"]}}


def test_two_stages_in_one_account_need_notification_prefixes_apart():
    """Attack review: '' and 'MediaLiveProd' give notification prefixes 'medialive' and 'medialiveprodmedialive':
    Dev's ADVANCED operators managed Prod's topics and rules. Failed before."""
    stages = [{"name": "Dev", "account": "111111111111", "region": "us-west-2", "namePrefix": "", "path": "/dev/"},
              {"name": "Prod", "account": "111111111111", "region": "us-west-2", "namePrefix": "MediaLiveProd",
               "path": "/prod/"}]
    with pytest.raises(MediaLiveIamError, match="notification prefixes 'medialive' and 'medialiveprodmedialive'"):
        sample_app(stages=stages, workflows=WORKFLOWS_WITHOUT_PARAMETERS)


@pytest.mark.parametrize("paths", [(None, None), ("/medialive/", "/medialive/green/"), ("/blue/", "/blue/")])
def test_two_stages_in_one_account_need_paths_of_their_own(paths):
    """Issue 20, finding 6. Failed before: two stages differing only by namePrefix synthesized, and each stage's
    administrator managed the other's users, roles and workflow policies (one path)."""
    same = [{"name": "Blue", "account": "111111111111", "region": "us-west-2", "namePrefix": "Blue"},
            {"name": "Green", "account": "111111111111", "region": "eu-west-1", "namePrefix": "Green"}]
    stages = [{**entry, **({"path": p} if p else {})} for entry, p in zip(same, paths)]
    with pytest.raises(MediaLiveIamError, match="share the IAM path .* in account 111111111111.*path of its own"):
        sample_app(stages=stages)


def test_two_stages_in_one_account_share_its_role_quota():
    same = [{"name": "Blue", "account": "111111111111", "region": "us-west-2", "namePrefix": "Blue", "path": "/blue/"},
            {"name": "Green", "account": "111111111111", "region": "eu-west-1", "namePrefix": "Green",
             "path": "/green/"}]
    app, _ = sample_app(stages=same, rolesPerAccount=3, workflows=WORKFLOWS_WITHOUT_PARAMETERS)
    with pytest.raises(Exception, match=r"account 111111111111 would hold 4 IAM roles from this app "
                                        r"\(Blue/MediaLiveIam 2, Green/MediaLiveIam 2\)"):
        app.synth()
    other = [same[0], {**same[1], "account": "222222222222"}]
    sample_app(stages=other, rolesPerAccount=3, workflows=WORKFLOWS_WITHOUT_PARAMETERS)[0].synth()  # 2 + 2 in two accounts
