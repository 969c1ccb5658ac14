"""The one handout renderer (medialive_iam_constructs.handout): its PassRole extractor, and the evaluated handout a
``decide`` hook turns it into (the dev tool tools.permissions_doc supplies decisions from the IAM evaluator; here a
hook that needs no evaluator)."""

from __future__ import annotations

from medialive_iam_constructs.handout import evaluated_groups, pass_role_targets, render, render_terminal
from tests.helpers import sample_template


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
