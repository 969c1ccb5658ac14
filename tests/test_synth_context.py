"""The library's per-synth state (medialive_iam_constructs._synth_context): kept on one context per app, never in
module globals or on jsii objects. One test per cache that was a module global before issue 22 (tokens.py's
resolvers and stacks, _checks.py's marks and run counter, packing.py's table of attachments, _unique_names.py's
mark on the root): two apps, or two synths of one app, in one process do not share it."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier
from medialive_iam_constructs._synth_checks import add_check
from medialive_iam_constructs._synth_context import SynthContext, context_of, stack_state
from medialive_iam_constructs.tokens import stack_of, stack_tokens


def _app(account: str) -> tuple[cdk.App, cdk.Stack]:
    app = cdk.App()
    return app, cdk.Stack(app, "Same", env=cdk.Environment(account=account, region="us-east-1"))


def test_token_resolvers_and_stacks_are_per_app():
    """Was tokens._CACHES and tokens._STACKS: two apps with a stack of the same path, used in turn."""
    (app_a, stack_a), (_, stack_b) = _app("111111111111"), _app("222222222222")
    scope_a, scope_b = iam.Group(stack_a, "G"), iam.Group(stack_b, "G")
    for _ in range(2):  # interleaved: each lookup finds its own app's state
        assert stack_of(scope_a) is stack_a and stack_of(scope_b) is stack_b
        assert stack_tokens(stack_a).env["account"] == "111111111111"
        assert stack_tokens(stack_b).env["account"] == "222222222222"
    assert stack_tokens(stack_a) is not stack_tokens(stack_b) and stack_tokens(stack_a) is stack_tokens(stack_a)
    context_a, context_b = context_of(stack_a), context_of(stack_b)
    assert context_a is not context_b and context_a.stacks.keys() == context_b.stacks.keys() == {"Same"}
    assert isinstance(app_a.node.find_child(SynthContext.ID), SynthContext)  # a construct of the app's root


def test_checks_are_per_app_and_run_on_every_synth():
    """Was _checks' mark on the host and its global run counter: the app roots of two apps have the same node
    address, and a second synth must run the checks again."""
    runs: list[str] = []

    class Check:
        def __init__(self, name: str) -> None:
            self.name = name

        def validate(self) -> list[str]:
            runs.append(self.name)
            return []

    (app_a, stack_a), (app_b, stack_b) = _app("111111111111"), _app("222222222222")
    add_check(app_a, Check("app a"))
    add_check(stack_a, Check("stack a"))
    add_check(app_b, Check("app b"))
    add_check(stack_b, Check("stack b"))
    add_check(stack_b, Check("stack b, second"))
    app_a.synth()
    assert sorted(runs) == ["app a", "stack a"]
    runs.clear()
    app_b.synth()
    assert sorted(runs) == ["app b", "stack b", "stack b, second"]  # one validation per host, in order
    runs.clear()
    app_a.synth(force=True)
    assert sorted(runs) == ["app a", "stack a"]
    assert not [k for o in (app_a, stack_a) for k in vars(o) if k.startswith("_medialive")]  # no mark on jsii objects


def _ops(stack: cdk.Stack, extra: int) -> MediaLiveOperatorGroup:
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC, group_name="Ops", policy_name_prefix="Ops")
    for i in range(extra):
        iam.ManagedPolicy(stack, f"Extra{i}", groups=[ops.group],
                          statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"arn:aws:s3:::b{i}/*"])])
    return ops


def test_the_table_of_attachments_is_per_app_and_per_synth():
    """Was packing._ATTACHMENTS, keyed by id(stack) and the global run: the same stack path and group logical id in
    two apps, one over the quota of 10 managed policies, synthesized in turn."""
    (app_over, stack_over), (app_within, stack_within) = _app("111111111111"), _app("222222222222")
    _ops(stack_over, 10)  # BASIC holds one policy: 11 attached
    _ops(stack_within, 1)
    app_within.synth()
    with pytest.raises(Exception, match="the group has 11 managed policies attached"):
        app_over.synth()
    app_within.synth(force=True)  # not the other app's table
    assert stack_state(stack_over) is not stack_state(stack_within)


def test_the_check_of_iam_names_is_registered_once_per_app():
    """Was _unique_names' mark on the app's root object: each app registers its own check, once."""
    (app_a, stack_a), (app_b, stack_b) = _app("111111111111"), _app("111111111111")
    MediaLiveOperatorGroup(stack_a, "One", tier=OperatorTier.BASIC, group_name="Shared", policy_name_prefix="A")
    MediaLiveOperatorGroup(stack_b, "One", tier=OperatorTier.BASIC, group_name="Shared", policy_name_prefix="B")
    iam.Group(stack_b, "Two", group_name="shared")  # IAM names are case-insensitive
    assert context_of(stack_a).unique_names and context_of(stack_b).unique_names
    assert not [k for k in vars(app_a) if k.startswith("_medialive")]  # not a mark on the root
    app_a.synth()  # the same name in another app is no duplicate
    with pytest.raises(Exception, match="the group name 'shared' is also the name of Same/One"):
        app_b.synth()
