"""medialive_iam_constructs.testing: what normalized_template drops, rows_of and assert_rows, and that the kit
imports nothing a deployment does not have."""

from __future__ import annotations

import ast
import sys

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_assets as s3_assets

from medialive_iam_constructs import MediaLiveOperatorGroup, MediaLiveTrustedRole, OperatorTier, RestrictedAdmin
from medialive_iam_constructs.testing import ASSET_HASH, assert_rows, normalized_template, rows_of
from tests.helpers import ENV, ROOT, new_stack


def _asset_app(tmp_path, content: str) -> dict:
    """A stack with an asset, version reporting (AWS::CDK::Metadata) and path metadata, as `cdk synth` makes it."""
    (tmp_path / "payload.txt").write_text(content)
    app = cdk.App(context={"aws:cdk:version-reporting": True, "aws:cdk:enable-path-metadata": True})
    stack = cdk.Stack(app, "Assets", env=cdk.Environment(account="123456789012", region="eu-west-1"))
    asset = s3_assets.Asset(stack, "Payload", path=str(tmp_path / "payload.txt"))
    cdk.CfnOutput(stack, "Key", value=asset.s3_object_key)
    iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    return app.synth().get_stack_by_name("Assets").template


def test_normalized_template_drops_what_changes_between_synths(tmp_path):
    (tmp_path / "a").mkdir()
    raw = _asset_app(tmp_path / "a", "one")
    assert "BootstrapVersion" in raw["Parameters"] and "CheckBootstrapVersion" in raw["Rules"]
    assert any(r["Type"] == "AWS::CDK::Metadata" for r in raw["Resources"].values())
    assert any("aws:cdk:path" in r.get("Metadata", {}) for r in raw["Resources"].values())

    norm = normalized_template(raw)
    assert "Parameters" not in norm and "Rules" not in norm and "Conditions" not in norm
    assert [r["Type"] for r in norm["Resources"].values()] == ["AWS::IAM::Role"]
    assert all("Metadata" not in r for r in norm["Resources"].values())
    assert norm["Outputs"]["Key"]["Value"] == f"{ASSET_HASH}.txt"
    assert raw["Parameters"]  # the input is not modified

    (tmp_path / "b").mkdir()
    other = _asset_app(tmp_path / "b", "two")  # another asset content: another hash
    assert other != raw and normalized_template(other) == norm


def test_normalized_template_takes_a_stack_a_template_a_dict_or_a_file(tmp_path):
    _, stack = new_stack()
    MediaLiveOperatorGroup(stack, "Watchers", tier=OperatorTier.BASIC)
    from_stack = normalized_template(stack)
    path = tmp_path / "t.json"
    path.write_text(__import__("json").dumps(from_stack))
    assert normalized_template(path) == normalized_template(str(path)) == normalized_template(from_stack) == from_stack
    with pytest.raises(TypeError):
        normalized_template(42)


@pytest.fixture(scope="module")
def built():
    app = cdk.App()
    stack = cdk.Stack(app, "Kit", env=ENV)
    role = MediaLiveTrustedRole(stack, "News", role_name="MediaLiveNewsWorkflow", source_buckets=["example-news"])
    watchers = MediaLiveOperatorGroup(stack, "Watchers", tier=OperatorTier.BASIC, group_name="MediaLiveBasicUsers")
    operators = MediaLiveOperatorGroup(stack, "Operators", tier=None, rows=["S3", "S10", "S32"], trusted_roles=[role])
    admin = RestrictedAdmin(stack, "Admins", operator_groups=[watchers, operators])
    iam.Role(stack, "Other", assumed_by=iam.AccountRootPrincipal())
    return stack, normalized_template(stack), {"role": role, "watchers": watchers, "operators": operators, "admin": admin}


def test_rows_of_reads_every_principal_the_constructs_made(built):
    stack, template, c = built
    rows = rows_of(template)
    lid = lambda cfn: stack.get_logical_id(cfn)  # noqa: E731
    assert rows == {
        lid(c["role"].role.node.default_child): c["role"].rows,
        lid(c["watchers"].group.node.default_child): c["watchers"].rows,
        lid(c["operators"].group.node.default_child): ("S3.run", "S3.delete", "S10", "S32"),
        lid(c["admin"].group.node.default_child): c["admin"].rows,
    }
    assert rows[lid(c["role"].role.node.default_child)] == ("T5", "T18.read")


def test_assert_rows_by_construct_logical_id_or_name(built):
    stack, template, c = built
    assert_rows(template, c["operators"], ["S3", "S10", "S32"])  # a base id stands for its parts
    assert_rows(template, "MediaLiveNewsWorkflow", ["T18.read", "T5"])  # by role name, any order
    assert_rows(stack, "MediaLiveBasicUsers", c["watchers"].rows)
    assert_rows(template, stack.get_logical_id(c["admin"].group.node.default_child), c["admin"].rows)


def test_assert_rows_says_what_is_missing_and_what_is_not_expected(built):
    _, template, c = built
    with pytest.raises(AssertionError, match=r"missing: S1; not expected: S32"):
        assert_rows(template, c["operators"], ["S1", "S3", "S10"])
    with pytest.raises(AssertionError, match="no group or role with logical id or name 'Nobody'"):
        assert_rows(template, "Nobody", [])
    with pytest.raises(AssertionError, match="has no medialive-iam:rows metadata"):
        assert_rows(template, built[0].node.find_child("Other"), [])
    with pytest.raises(ValueError, match="unknown catalog row 'S99'"):
        assert_rows(template, c["operators"], ["S99"])
    with pytest.raises(TypeError, match="is a string"):
        assert_rows(template, c["operators"], "S3")


def test_the_kit_imports_only_what_the_package_depends_on():
    """No pytest, syrupy or other dev-only module at import time (syrupy is imported inside the two
    snapshot helpers only)."""
    tree = ast.parse((ROOT / "medialive_iam_constructs" / "testing.py").read_text())
    modules = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    assert modules - set(sys.stdlib_module_names) <= {"aws_cdk", "constructs", "__future__"}
