"""The one cloud-assembly reader (medialive_iam_constructs.assembly): the manifest's stacks, the stages' nested
assemblies and the nested stacks, found by artifact id, display name or stack name."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs.assembly import find_stack, partition_of, pseudo_parameters, stacks
from medialive_iam_constructs.handout import load_stack


def _app(outdir: Path, **context: object) -> str:
    """A stack with a nested stack (itself holding one), and a stage with a stack that holds a nested stack."""
    app = cdk.App(outdir=str(outdir), context=context)
    top = cdk.Stack(app, "Top")
    iam.Group(top, "TopGroup")
    nested = cdk.NestedStack(top, "Inner")
    iam.Group(nested, "InnerGroup")
    iam.Group(cdk.NestedStack(nested, "Deeper"), "DeeperGroup")
    stage = cdk.Stage(app, "Prod", env=cdk.Environment(account="111111111111", region="cn-north-1"))
    staged = cdk.Stack(stage, "Service", stack_name="ProdService")
    iam.Role(cdk.NestedStack(staged, "Roles"), "Worker", assumed_by=iam.AccountRootPrincipal())
    return app.synth().directory


@pytest.fixture(scope="module")
def assemblies(tmp_path_factory):
    return {"lib": _app(tmp_path_factory.mktemp("a") / "cdk.out"),
            "cli": _app(tmp_path_factory.mktemp("b") / "cdk.out", **{"aws:cdk:enable-asset-metadata": True})}


def _types(template) -> set[str]:
    return {r["Type"] for r in template["Resources"].values()}


@pytest.mark.parametrize("how", ["lib", "cli"])  # nested templates found by asset hash, and by aws:asset:path
def test_every_stack_stage_and_nested_stack(assemblies, how):
    found = stacks(assemblies[how])
    names = [s.display_name for s in found]
    assert names == ["Prod/Service", "Prod/Service/Roles", "Top", "Top/Inner", "Top/Inner/Deeper"]  # manifest order
    by_name = {s.display_name: s for s in found}
    assert by_name["Top/Inner"].parent == "Top"
    assert by_name["Top/Inner/Deeper"].parent == by_name["Top/Inner"].artifact_id
    assert by_name["Top/Inner"].stack_name is None and by_name["Prod/Service"].stack_name == "ProdService"
    assert "AWS::IAM::Group" in _types(by_name["Top/Inner/Deeper"].template)
    assert "AWS::IAM::Role" in _types(by_name["Prod/Service/Roles"].template)
    assert "AWS::IAM::Role" not in _types(by_name["Prod/Service"].template)  # the parent holds the nested stack
    staged = by_name["Prod/Service/Roles"]
    assert (staged.account, staged.region) == ("111111111111", "cn-north-1")  # its parent's environment
    assert by_name["Top"].account is None and by_name["Top"].region is None  # environment-agnostic


def test_find_a_stack_by_artifact_id_display_name_or_stack_name(assemblies):
    out = assemblies["lib"]
    assert find_stack(out, "Top").display_name == "Top"
    assert find_stack(out, "Prod/Service").stack_name == "ProdService"
    assert find_stack(out, "ProdService").display_name == "Prod/Service"
    assert find_stack(out, "Top/Inner/Deeper").parent == find_stack(out, "Top/Inner").artifact_id
    with pytest.raises(ValueError, match=r"several stacks; choose one: Prod/Service \(stack name ProdService\), "
                                         r"Prod/Service/Roles, Top"):
        find_stack(out)  # two stacks that are not nested
    with pytest.raises(KeyError, match="no stack 'Nope'.*Prod/Service \\(stack name ProdService\\)"):
        find_stack(out, "Nope", error=KeyError)
    with pytest.raises(ValueError, match="not a cloud assembly: no manifest.json"):
        stacks(Path(out) / "assembly-Prod" / "missing")


def test_the_handout_reads_a_nested_stack_of_a_stage(assemblies):
    template, environment = load_stack(Path(assemblies["lib"]), "Prod/Service/Roles")
    assert "AWS::IAM::Role" in _types(template) and environment == "aws://111111111111/cn-north-1"
    with pytest.raises(SystemExit, match="medialive_iam_constructs.handout: no stack 'Nope'"):
        load_stack(Path(assemblies["lib"]), "Nope")


def test_partition_of_a_region():
    assert partition_of("cn-north-1") == "aws-cn" and partition_of("us-gov-west-1") == "aws-us-gov"
    assert partition_of("eu-west-1") == "aws" and partition_of("us-isof-south-1") == "aws-iso-f"


def test_pseudo_parameters_of_an_environment():
    """What the manifest's ``aws://ACCOUNT/REGION`` fixes (the handout resolves ARNs with it, issue 23)."""
    assert pseudo_parameters("aws://444455556666/cn-north-1") == {
        "AWS::AccountId": "444455556666", "AWS::Region": "cn-north-1", "AWS::Partition": "aws-cn"}
    assert pseudo_parameters("aws://444455556666/unknown-region") == {"AWS::AccountId": "444455556666"}
    assert pseudo_parameters("aws://unknown-account/unknown-region") == {} == pseudo_parameters(None)
