"""cdk-nag packs on a stack: unacknowledged findings as readable lines."""

from __future__ import annotations

import cdk_nag

#: The packs this project is held to. HIPAA and PCI add IAM rules (groups with users, no inline policies).
PACKS = (cdk_nag.AwsSolutionsChecks, cdk_nag.NIST80053R5Checks, cdk_nag.HIPAASecurityChecks, cdk_nag.PCIDSS321Checks)


def nag_findings(app, stack, packs=PACKS) -> list[str]:
    """``rule-id construct-path`` for every unacknowledged finding of ``packs`` on ``stack``."""
    out = []
    for pack in packs:
        report = pack(app).validate_scope(stack)
        for v in report.violations:
            for r in v.violating_resources:
                out.append(f"{v.rule_name} {r.construct_path}")
    return sorted(out)
