"""cfn-lint over every template in a cloud assembly: ``python -m tools.lint.lint_out cdk.out``. Exit 1 on findings."""

from __future__ import annotations

import sys

from . import run_over_assembly
from .cfn import lint_template


def _lint(template):
    findings = lint_template(template)
    return len(findings), [str(f) for f in findings]


def main(argv: list[str]) -> int:
    return run_over_assembly(argv, "cfn-lint", "finding(s)", _lint)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
