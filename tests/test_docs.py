"""Generated docs stay current."""

from pathlib import Path

from medialive_iam_constructs.catalog.__main__ import render

ROOT = Path(__file__).resolve().parent.parent


def test_catalog_doc_is_current():
    assert (ROOT / "docs" / "catalog.md").read_text() == render(), (
        "docs/catalog.md is out of date: run `.venv/bin/python -m medialive_iam_constructs.catalog > docs/catalog.md`"
    )


def test_getting_started_example_synthesizes():
    """The getting-started example, run as written: it synthesizes with the four nag packs clean."""
    import re

    import aws_cdk as cdk

    from tools.lint.nag import nag_findings

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "getting-started.md").read_text(), re.S)
    namespace: dict = {}
    exec(blocks[0], namespace)  # the stack class
    app = cdk.App()
    stack = namespace["MediaLiveIam"](app, "MediaLiveIam", env=cdk.Environment(account="111122223333", region="us-west-2"))
    assert nag_findings(app, stack) == []


def test_package_readme_example_synthesizes(tmp_path):
    """The package description's example, run as written (its app.synth() included, into tmp_path), guard
    registered: no error."""
    import re

    text = (ROOT / "docs" / "package-readme.md").read_text()
    (block,) = re.findall(r"```python\n(.*?)```", text, re.S)
    assert "scripts/" not in text.split("\n## ", 1)[0], "the description does not start with the repo's dev scripts"
    assert block.count("cdk.App()") == 1
    exec(block.replace("cdk.App()", f"cdk.App(outdir={str(tmp_path)!r})"), {})
    assert list(tmp_path.glob("*.template.json"))


def test_adopting_example_synthesizes_at_every_step():
    """docs/adopting.md's stack, run as written, at steps 1, 3 and 4: it synthesizes; the console role is referenced,
    never created; the users are added, never created; the SIMPLE group goes at step 4."""
    import re

    import aws_cdk as cdk

    (block,) = [b for b in re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "adopting.md").read_text(), re.S)
                if "class Adoption" in b]
    namespace: dict = {}
    exec(block, namespace)
    groups = {}
    for step, props in ((1, {}), (3, {"workflows": True}), (4, {"workflows": True, "console_channels": False})):
        app = cdk.App()
        stack = namespace["Adoption"](app, "Adoption", env=cdk.Environment(account="111122223333", region="us-east-1"),
                                      **props)
        resources = app.synth().get_stack_by_name("Adoption").template["Resources"].values()
        types = [r["Type"] for r in resources]
        assert "AWS::IAM::User" not in types
        roles = [r["Properties"].get("RoleName") for r in resources if r["Type"] == "AWS::IAM::Role"]
        assert "MediaLiveAccessRole" not in roles and (roles == ["medialiveNews"]) == (step > 1), roles
        groups[step] = sorted(r["Properties"]["GroupName"] for r in resources if r["Type"] == "AWS::IAM::Group")
        assert types.count("AWS::IAM::UserToGroupAddition") == (2 if step == 1 else 3 if step == 3 else 2)
        del stack
    assert "MediaLiveSimpleUsers" in groups[3] and "MediaLiveSimpleUsers" not in groups[4], groups
