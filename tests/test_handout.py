"""The shipped handout (medialive_iam_constructs.handout, Step 6 for any app) says what the policies do: each
row it lists for a group is allowed (or, for a guard rail, enforced) by the IAM evaluator on the synthesized
template, and each user/admin row it does not list is denied."""

from __future__ import annotations

import pytest

from tools.permissions_doc import evaluate_groups
from medialive_iam_constructs import catalog
from medialive_iam_constructs.handout import group_handouts, main, render
from tests.helpers import sample_app, sample_template, template_of


@pytest.fixture(scope="module")
def templates():
    _, simple = sample_app(trustedEntity="simple")
    _, tagged = sample_app(passRolesByPath=True)
    return {"complex": sample_template(), "simple": template_of(simple[0]), "byPath": template_of(tagged[0])}


@pytest.mark.parametrize("variant", ["complex", "simple", "byPath"])
def test_shipped_handout_matches_the_evaluator(templates, iam_evaluator, variant):
    template = templates[variant]
    shipped = {h.logical_id: h for h in group_handouts(template) if h.kind == "group"}
    views = {v.logical_id: v for v in evaluate_groups(template, iam_evaluator)}
    assert shipped and set(shipped) == set(views)
    for lid, view in views.items():
        listed = set(shipped[lid].rows)
        listed_actions = {a.lower() for r in listed if r in catalog.ROWS for a in catalog.ROWS[r].actions}
        for row_id, decision in view.decisions.items():
            row = catalog.ROWS[row_id]
            if row_id in listed:
                assert decision in ("yes", "partly", "enforced"), (view.name, row_id, decision)
                continue
            if all(g.effect == "Deny" for g in row.grants):
                continue  # a guard rail the principal does not carry: nothing to allow
            own = {a.lower() for a in row.actions} - listed_actions
            if own:  # an action only this unlisted row holds must be denied: the row cannot be "yes"
                assert decision != "yes", (view.name, row_id, decision, "not in the handout")
            if not (set(a.lower() for a in row.actions) & listed_actions):
                assert decision == "no", (view.name, row_id, decision, "not in the handout")
        # the role ARNs it prints are the ones the policies let the group pass
        assert len(shipped[lid].passable) == len(view.role_arns), view.name


def test_cli_on_a_cloud_assembly(tmp_path, capsys):
    import aws_cdk as cdk

    from medialive_iam_constructs.sample import build_app
    from tests.helpers import cdk_json_context

    context = {**cdk_json_context(), "medialive-iam:account": "444455556666", "medialive-iam:region": "eu-west-1"}
    app = cdk.App(outdir=str(tmp_path / "cdk.out"), context=context)
    stacks = build_app(app)
    assembly = app.synth()
    assert main([assembly.directory, "--stack", stacks[0].stack_name]) == 0
    text = capsys.readouterr().out
    assert "## group `MediaLiveReadWriteUsers`" in text and "S32" in text
    assert "MediaLiveNewsWorkflow" in text  # the role ARN the group chooses (Step 6)
    assert "aws://444455556666/eu-west-1" in text  # the stack's own environment, not a test default


def test_render_names_every_row_once(templates):
    text = render(templates["complex"], title="MediaLiveIam")
    for h in group_handouts(templates["complex"]):
        section = text.split(f"## {h.kind} `{h.name}`", 1)[1].split("\n## ", 1)[0]
        for row_id in h.rows:
            assert section.count(f"| {row_id} |") == 1, (h.name, row_id)
