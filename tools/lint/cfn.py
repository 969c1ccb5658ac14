"""cfn-lint on a synthesized template, with the one recorded exception the catalog needs.

cfn-lint's W3037 checks action names against the Service Authorization Reference. The three
``mediaconnect:Managed*`` actions of T11/T12 are real (the console template uses them) but absent from it
(reference §8 E14); W3037 findings about exactly those names are dropped, any other finding is kept.
"""

from __future__ import annotations

import json

import cfnlint.api

NOT_IN_SAR = ("manageddescribeflow", "managedaddoutput", "managedremoveoutput")


def _is_e14(match) -> bool:
    return match.rule.id == "W3037" and any(f"'{name}'" in match.message for name in NOT_IN_SAR)


def lint_template(template: dict, regions: tuple[str, ...] = ("us-west-2",)) -> list[str]:
    """cfn-lint findings as ``RULE path: message`` lines (empty when clean)."""
    matches = cfnlint.api.lint(json.dumps(template), config=cfnlint.api.ManualArgs(regions=list(regions)))
    return [f"{m.rule.id} {'/'.join(str(p) for p in m.path)}: {m.message}" for m in matches if not _is_e14(m)]
