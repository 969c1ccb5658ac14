"""Records every template the test suite synthesizes, for the cfn-lint pass at the end of the session."""

from __future__ import annotations

import hashlib
import json

import aws_cdk as cdk
from aws_cdk.assertions import Template

#: node id of the running test, or None when recording is off (outside tests, or an invalid_template test)
current_test: str | None = None
#: digest -> (first test that synthesized it, template)
TEMPLATES: dict[str, tuple[str, dict]] = {}
_installed = False


class not_recorded:
    """``with synthesized.not_recorded():`` templates synthesized inside are not linted at the end: for tests
    whose templates only repeat, at scale, constructs other tests' templates already cover."""

    def __enter__(self):
        global current_test
        self._saved, current_test = current_test, None
        return self

    def __exit__(self, *exc):
        global current_test
        current_test = self._saved
        return False


#: digests of templates a test already linted clean in this process (``helpers.assert_cfn_lint_clean``): the pass
#: at the end does not lint them a second time
LINTED: set[str] = set()


def digest_of(template: dict) -> str:
    return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()


def record(template: dict) -> None:
    if current_test is None or not template.get("Resources"):
        return
    TEMPLATES.setdefault(digest_of(template), (current_test, template))


def _record_assembly(assembly) -> None:
    for stack in assembly.stacks:
        record(stack.template)
    for artifact in assembly.nested_assemblies:
        _record_assembly(artifact.nested_assembly)


def install() -> None:
    """Wrap Template.from_stack and App/Stage.synth once per session (the originals still do all the work)."""
    global _installed
    if _installed:
        return
    _installed = True
    original_from_stack = Template.__dict__["from_stack"].__func__

    def from_stack(cls, stack, *args, **kwargs):
        template = original_from_stack(cls, stack, *args, **kwargs)
        record(template.to_json())
        return template

    Template.from_stack = classmethod(from_stack)
    for cls in (cdk.App, cdk.Stage):
        original = cls.synth

        def synth(self, *args, _original=original, **kwargs):
            assembly = _original(self, *args, **kwargs)
            _record_assembly(assembly)
            return assembly

        cls.synth = synth
