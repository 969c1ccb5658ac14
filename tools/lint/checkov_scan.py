"""checkov on a synthesized template: ``python -m tools.lint.checkov_scan cdk.out`` (exit 1 on failed checks).

checkov's CloudFormation runner is used as a library (no subprocess, no platform download: without an API key
it sends nothing). It honours the skips written in a resource's ``Metadata`` (``{"checkov": {"skip": [{"id":
..., "comment": ...}]}}``, added by :func:`acknowledge_checkov`); a skipped check
is reported as skipped, never as passed.

The template is written to a file named after the digest of its content: checkov caches the policy documents
it builds per file path and resource (``BaseCloudsplainingIAMCheck.policy_document_cache``), so one path must
never hold two different templates within a process.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from constructs import IConstruct

from medialive_iam_constructs.nag import CITATION

from . import run_over_assembly


CHECKOV_ID = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


def acknowledge_checkov(resource: IConstruct, check_id: str, reason: str) -> None:
    """Skip one checkov check on ``resource``'s CloudFormation resource (an L1, or the ``node.default_child``
    of an L2), written where checkov reads it: ``Metadata: {"checkov": {"skip": [{"id", "comment"}]}}``.

    Skips already on the resource are kept; a second reason for the same check joins the first (`` | ``);
    skips are sorted by id, so the template does not depend on the order of the calls. Like
    :func:`medialive_iam_constructs.nag.acknowledge`, the reason must cite the catalog row (S.., T.., F.., A..) or doc error (E..) that
    forces it."""
    from aws_cdk import CfnResource

    cfn = resource if isinstance(resource, CfnResource) else resource.node.default_child
    if not isinstance(cfn, CfnResource):
        raise ValueError(f"{resource.node.path}: no CloudFormation resource to hold a checkov skip")
    if not CHECKOV_ID.match(check_id):
        raise ValueError(f"{check_id!r} is not a checkov check id (CKV_AWS_111, CKV2_AWS_56)")
    if not CITATION.search(reason):
        raise ValueError(f"the reason for {check_id} must cite a catalog row (S13, T18, A2) or doc error (E14)")
    metadata = dict(cfn.get_metadata("checkov") or {})
    comments: dict[str, list[str]] = {}
    for skip in metadata.get("skip") or []:
        parts = [c for c in str(skip.get("comment", "")).split(" | ") if c]
        comments.setdefault(skip["id"], []).extend(parts)
    comments.setdefault(check_id, []).append(reason)
    metadata["skip"] = [{"id": cid, "comment": " | ".join(sorted(set(parts)))} for cid, parts in sorted(comments.items())]
    cfn.add_metadata("checkov", metadata)


@dataclass(frozen=True, order=True)
class CheckovFinding:
    """One check on one resource: ``CKV_AWS_111`` on ``MediaLiveAccessRole418070E4``."""

    check_id: str
    logical_id: str
    resource_type: str
    check_name: str = ""

    def __str__(self) -> str:
        return f"{self.check_id} {self.resource_type} {self.logical_id}: {self.check_name}"


@dataclass(frozen=True)
class CheckovReport:
    passed: tuple[CheckovFinding, ...]
    failed: tuple[CheckovFinding, ...]
    skipped: tuple[CheckovFinding, ...]
    parsing_errors: tuple[str, ...]
    checkov_version: str

    @property
    def failed_ids(self) -> list[tuple[str, str]]:
        """(check id, resource logical id) of every failed check, sorted."""
        return sorted((f.check_id, f.logical_id) for f in self.failed)

    def summary(self) -> dict[str, int]:
        return {"passed": len(self.passed), "failed": len(self.failed), "skipped": len(self.skipped),
                "parsing_errors": len(self.parsing_errors)}


def _finding(record: Any) -> CheckovFinding:
    rtype, _, logical_id = record.resource.partition(".")  # "AWS::IAM::Role.MyRole1234"
    return CheckovFinding(record.check_id, logical_id, rtype, record.check_name or "")


def scan_template(template: Mapping[str, Any]) -> CheckovReport:
    """Every checkov CloudFormation check (resource and graph checks) on ``template``."""
    from checkov import version as checkov_version
    from checkov.cloudformation.runner import Runner
    from checkov.runner_filter import RunnerFilter

    text = json.dumps(template, indent=1, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    with tempfile.TemporaryDirectory(prefix="checkov-") as tmp:
        path = Path(tmp) / f"{digest}.template.json"
        path.write_text(text)
        report = Runner().run(
            root_folder=None,
            files=[str(path)],
            runner_filter=RunnerFilter(framework=["cloudformation"], show_progress_bar=False),
        )
    if isinstance(report, list):  # one runner, one file: one report; merge defensively
        passed = [r for rep in report for r in rep.passed_checks]
        failed = [r for rep in report for r in rep.failed_checks]
        skipped = [r for rep in report for r in rep.skipped_checks]
        errors = [e for rep in report for e in rep.parsing_errors]
    else:
        passed, failed, skipped, errors = (report.passed_checks, report.failed_checks, report.skipped_checks,
                                           report.parsing_errors)
    return CheckovReport(
        passed=tuple(sorted(_finding(r) for r in passed)),
        failed=tuple(sorted(_finding(r) for r in failed)),
        skipped=tuple(sorted(_finding(r) for r in skipped)),
        parsing_errors=tuple(errors),
        checkov_version=checkov_version.version,
    )


def failed_checks(template: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(check id, resource logical id) of every failed checkov check on ``template`` (empty when clean).

    A template checkov cannot parse raises: an unparsed template would otherwise pass every check."""
    report = scan_template(template)
    if report.parsing_errors:
        raise ValueError(f"checkov could not parse the template: {report.parsing_errors}")
    return report.failed_ids


def _scan(template: Mapping[str, Any]) -> tuple[int, list[str]]:
    report = scan_template(template)
    lines = [str(f) for f in report.failed] + [f"parsing error {e}" for e in report.parsing_errors]
    return len(report.failed) + len(report.parsing_errors), lines + [report.summary()]


def main(argv: list[str]) -> int:
    return run_over_assembly(argv, "checkov", "failed check(s) or parsing error(s)", _scan)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
