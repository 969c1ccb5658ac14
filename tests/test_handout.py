"""The shipped handout (medialive_iam_constructs.handout, Step 6 for any app) says what the policies do: each
row it lists for a group is allowed (or, for a guard rail, enforced) by the IAM evaluator on the synthesized
template, and each user/admin row it does not list is denied. The one renderer's PassRole extractor, and the
evaluated handout a ``decide`` hook turns it into (the dev tool tools.permissions_doc supplies decisions from the IAM
evaluator; here a hook that needs no evaluator)."""

from __future__ import annotations

import pytest

from tools.permissions_doc import evaluate_groups
from medialive_iam_constructs import catalog
from medialive_iam_constructs.handout import evaluated_groups, group_handouts, main, pass_role_targets, render, render_terminal
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

def test_pass_role_targets_are_the_resources_of_allow_statements_naming_pass_role():
    statements = [
        {"Effect": "Allow", "Action": "IAM:passrole", "Resource": "arn:aws:iam::1:role/a"},  # actions ignore case
        {"Effect": "Allow", "Action": ["s3:GetObject", "iam:PassRole"], "Resource": ["r/b", "r/c"]},
        {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "r/d"},
        {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "r/e"},
    ]
    assert pass_role_targets(statements) == ["arn:aws:iam::1:role/a", "r/b", "r/c"]


def test_the_decide_hook_adds_the_evaluated_column():
    template = sample_template()
    seen = []

    def decide(policies, statements):
        seen.append((policies.logical_id, len(statements)))
        return {"S10": "yes", "S1": "no" if "Basic" in policies.name else "partly", "A8.self": "enforced"}

    views = evaluated_groups(template, decide)
    assert [v.logical_id for v in views] == [lid for lid, _ in seen] and all(n > 0 for _, n in seen)
    text = render(template, title="Sample", evaluated=views, display_account="<account>")
    basic = [v.name for v in views].index("MediaLiveBasicUsers")
    s1 = next(line for line in text.splitlines() if line.startswith("| S1 |"))
    assert s1.split(" | ")[2 + basic] == "❌ no" and s1.count("◐ partly") == len(views) - 1
    assert "| A8.self |" in text and "| S2 |" not in text  # the rows decided, no others
    assert "Duties: starts and stops channels." in text  # S10 yes and S1 not: the one duty it carries
    assert "arn:aws:iam::<account>:role/medialive/MediaLiveNewsWorkflow" in text  # the role a group passes, shown
    assert "111122223333" not in text
    assert render_terminal(views).splitlines()[-3].startswith("A8.self")
    assert render(template, title="Sample") != text  # without decisions: the shipped handout


# --- issue 23, item 5: a user's app (tag-scoped group, env set) ---------------------------------------------------

def _user_app(tmp_path, env):
    """A user-shaped app: `cdk.App()` without cdk.json's flags (no partition literals), one stack, a workflow role
    tagged for the news team, and a news operator group scoped to Team=news that passes roles by path."""
    import aws_cdk as cdk

    from medialive_iam_constructs import MediaLiveOperatorGroup, MediaLiveTrustedRole, OperatorTier

    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(app, "NewsIam", env=env)
    role = MediaLiveTrustedRole(stack, "News", role_name="medialiveNews", destination_buckets=["medialive-news"])
    cdk.Tags.of(role).add("Team", "news")
    MediaLiveOperatorGroup(stack, "NewsOps", tier=OperatorTier.READ_WRITE, group_name="NewsOperators",
                           pass_roles_by_path="/medialive/", resource_tag=("Team", "news"))
    return app.synth().directory, stack


def test_handout_of_a_user_app_says_the_tag_and_the_accounts_arns(tmp_path, capsys):
    """Failed on fa9ab59: 'S1 yes' for a group that may only touch Team=news, and role ARNs with
    <AWS::Partition> although the stack's account and region are set."""
    import aws_cdk as cdk

    directory, _ = _user_app(tmp_path, cdk.Environment(account="444455556666", region="eu-west-1"))
    assert main([directory, "--stack", "NewsIam"]) == 0
    text = capsys.readouterr().out
    assert "| S1 | partly: tagged `Team=news` for channels, input security groups, inputs; creates them only tagged " \
           "`Team=news`; untagged: input devices (7 actions) |" in text  # input devices take no tag (review)
    assert "| S10 | yes, only channels tagged `Team=news` |" in text
    assert "| S25 | yes | Monitor channel health" in text  # CloudWatch metrics take no tag: not scoped, not said
    assert "- `arn:aws:iam::444455556666:role/medialive/*` (only roles tagged `Team=news`)" in text
    assert "<AWS::" not in text


def test_handout_of_an_environment_agnostic_stack_keeps_placeholders(tmp_path, capsys):
    directory, _ = _user_app(tmp_path, None)
    assert main([directory, "--stack", "NewsIam"]) == 0
    text = capsys.readouterr().out
    assert "- `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/medialive/*` (only roles tagged `Team=news`)" in text


def test_the_tag_a_row_names_is_what_the_evaluator_enforces(tmp_path, iam_evaluator):
    """What the handout says of S10 (only channels tagged Team=news) holds in the IAM evaluator: StartChannel on a
    channel without the tag is denied, with it allowed."""
    import aws_cdk as cdk

    from tools.iam_evaluator import TemplateEvaluator
    from medialive_iam_constructs.assembly import find_stack

    directory, _ = _user_app(tmp_path, cdk.Environment(account="444455556666", region="eu-west-1"))
    found = find_stack(directory, "NewsIam")
    (group,) = [h for h in group_handouts(found.template, environment=found.environment) if h.kind == "group"]
    assert group.scopes["S10"] == "only channels tagged `Team=news`"
    te = TemplateEvaluator(dict(found.template), iam_evaluator, account=found.account, region=found.region)
    channel = "arn:aws:medialive:eu-west-1:444455556666:channel:1"  # the stack's account and region
    assert te.decide(group.logical_id, "medialive:StartChannel", channel) == "ImplicitlyDenied"
    assert te.decide(group.logical_id, "medialive:StartChannel", channel, {"aws:ResourceTag/Team": "news"}) == "Allowed"


def test_tag_scopes_read_the_conditions_only():
    statements = [
        {"Sid": "S10", "Effect": "Allow", "Action": "medialive:StartChannel",
         "Resource": "arn:aws:medialive:r:1:channel:*", "Condition": {"StringEquals": {"aws:ResourceTag/Dept": "news"}}},
        {"Sid": "S1No2", "Effect": "Allow", "Action": "medialive:CreateInput", "Resource": "arn:aws:medialive:r:1:input:*",
         "Condition": {"StringEquals": {"aws:RequestTag/Dept": ["news", "sport"]}}},
        {"Sid": "S13", "Effect": "Allow", "Action": "medialive:CreateTags", "Resource": "*",
         "Condition": {"StringEqualsIfExists": {"aws:RequestTag/Dept": "news"}}},  # requires nothing
        {"Sid": "S2", "Effect": "Deny", "Action": "medialive:Describe*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/Dept": "x"}}},
    ]
    from medialive_iam_constructs.handout import tag_scopes

    assert tag_scopes(statements) == {"S10": "only channels tagged `Dept=news`",
                                      "S1": "creates them only tagged `Dept=news or sport`"}


def test_tag_scopes_say_partly_when_a_statement_of_the_row_names_a_resource_or_writes_untagged():
    from medialive_iam_constructs.handout import tag_scopes

    tagged = {"StringEquals": {"aws:ResourceTag/Team": "news"}}
    statements = [
        {"Sid": "S41No2", "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:r:1:parameter/m/*",
         "Condition": tagged},
        {"Sid": "S41", "Effect": "Allow", "Action": ["ssm:PutParameter", "ssm:DeleteParameter"],
         "Resource": "arn:aws:ssm:r:1:parameter/m/*"},  # names a resource, untagged
        {"Sid": "S8S10S41", "Effect": "Allow", "Action": ["medialive:ListChannels", "ssm:DescribeParameters"],
         "Resource": "*"},  # reads on *: name no resource, so no tag could limit them
        {"Sid": "S10", "Effect": "Allow", "Action": "medialive:StartChannel",
         "Resource": "arn:aws:medialive:r:1:channel:*", "Condition": tagged},
        {"Sid": "S8", "Effect": "Allow", "Action": "medialive:DescribeMultiplex",
         "Resource": "arn:aws:medialive:r:1:multiplex:*", "Condition": tagged},
        {"Sid": "S3runS8", "Effect": "Allow", "Action": ["medialive:BatchStart", "medialive:ListMultiplexes"],
         "Resource": "*"},  # a write on *
        {"Sid": "S1", "Effect": "Allow", "Action": [f"medialive:UpdateInputDevice{i}" for i in range(4)],
         "Resource": "arn:aws:medialive:r:1:inputDevice:*"},
        {"Sid": "S1No2", "Effect": "Allow", "Action": "medialive:CreateInput",
         "Resource": "arn:aws:medialive:r:1:input:*", "Condition": {"StringEquals": {"aws:RequestTag/Team": "news"}}},
    ]
    assert tag_scopes(statements) == {
        "S10": "only channels tagged `Team=news`",
        "S41": "partly: tagged `Team=news` for ssm parameters; untagged: ssm parameters (ssm:DeleteParameter, "
               "ssm:PutParameter)",
        "S8": "partly: tagged `Team=news` for multiplexes; untagged: any resource (medialive:BatchStart)",
        "S1": "partly: creates them only tagged `Team=news`; untagged: input devices (4 actions)",
    }


def test_the_evaluated_handout_names_the_tag_too(tmp_path):
    import aws_cdk as cdk

    from medialive_iam_constructs.assembly import find_stack

    directory, _ = _user_app(tmp_path, cdk.Environment(account="444455556666", region="eu-west-1"))
    template = dict(find_stack(directory, "NewsIam").template)
    text = render(template, title="News", evaluated=evaluated_groups(template, lambda policies, held: {"S10": "yes"}))
    line = next(t for t in text.splitlines() if t.startswith("Tag-scoped"))
    assert "S10" in line and "only channels tagged `Team=news`" in line


# --- security review: "only ... tagged" for rows that also reach untagged resources --------------------------------

def _untagged_requests(held, row, *, loose_only=False):
    """(action, resource) of every Allow statement whose Sid names ``row``, on a resource its ARN pattern matches
    (``channel:*`` -> ``channel:x``) and no tag; a read on ``*`` (it names no resource) left out; ``loose_only``:
    only the statements without a condition."""
    from medialive_iam_constructs._rows import sid_rows
    from medialive_iam_constructs.template import listed

    return [(a, r.replace("*", "x") if r != "*" else r) for s in held
            if s["Effect"] == "Allow" and row in sid_rows(s.get("Sid", "")) and not (loose_only and "Condition" in s)
            for a in listed(s["Action"]) for r in listed(s["Resource"])
            if not (r == "*" and a.split(":")[1].startswith(("List", "Describe", "Get", "BatchGet")))]


@pytest.mark.parametrize("batch", [True, False])
def test_only_tagged_rows_are_denied_untagged_and_partly_rows_are_allowed_some(iam_evaluator, batch):
    """The reviewer's group (ADVANCED, Team=news, allow_batch_operations): on cdf2912 the handout said S2, S6, S7,
    S8 act "only on channels, inputs tagged Team=news" and S41 "only on ssm parameters tagged", although the
    statements of those rows grant Batch* on `*`, ssm:DeleteParameter/PutParameter and input devices untagged.
    Checked against the evaluator: each "only" row's actions on an untagged resource are denied; each "partly"
    row has a request on an untagged resource that is allowed."""
    from tools.iam_evaluator import EvaluationError, TemplateEvaluator
    from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier
    from medialive_iam_constructs.handout import _row_lines
    from medialive_iam_constructs.template import statements
    from tests.helpers import new_stack

    _, stack = new_stack("TagScoped")
    MediaLiveOperatorGroup(stack, "News", tier=OperatorTier.ADVANCED, resource_tag=("Team", "news"),
                           allow_batch_operations=batch, pass_roles_by_path="/medialive/")
    template = template_of(stack)
    (group,) = [h for h in group_handouts(template) if h.kind == "group"]
    batch_ops = "any resource (medialive:BatchDelete, medialive:BatchStart, medialive:BatchStop)"
    for row in ("S2", "S6", "S7", "S8", "S41") if batch else ("S2", "S41"):
        assert group.scopes[row].startswith("partly: tagged `Team=news` for "), row
        assert (batch_ops in group.scopes[row]) == batch, row
    assert "input devices (11 actions)" in group.scopes["S2"]
    assert "ssm parameters (ssm:DeleteParameter, ssm:DeleteParameters, ssm:PutParameter)" in group.scopes["S41"]
    assert group.scopes["S10"] == "only channels tagged `Team=news`"
    if not batch:
        assert group.scopes["S7"] == "only multiplexes tagged `Team=news`"
    may = {row: text for row, text, _ in _row_lines(group)}
    assert may["S41"].startswith("partly: ") and may["S10"] == "yes, only channels tagged `Team=news`"

    te = TemplateEvaluator(template, iam_evaluator)

    def decide(action, resource):  # a pair the packer merged that IAM never authorizes (DeleteInput on an ISG)
        try:
            return te.decide(group.logical_id, action, resource)
        except EvaluationError as e:
            assert "no.resource.types" in str(e), e
            return "NotApplicable"

    held = statements(p.document for p in te.policies(group.logical_id).identity_policies)
    only = [row for row, scope in group.scopes.items() if scope.startswith("only")]
    partly = [row for row, scope in group.scopes.items() if scope.startswith("partly")]
    assert len(only) >= 10 and len(partly) >= 4, (only, partly)
    asked = 0
    for row in only:  # every action of the row's statements on an untagged resource they name: denied
        for action, resource in _untagged_requests(held, row):
            asked += 1
            assert decide(action, resource) != "Allowed", (row, action, resource)
    for row in partly:  # some request of the row's statements on an untagged resource: allowed
        requests = _untagged_requests(held, row, loose_only=True)
        assert any(decide(a, r) == "Allowed" for a, r in requests), row
    assert asked >= 50
