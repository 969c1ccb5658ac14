"""cfn-lint over every template in a cloud assembly: ``python -m tools.lint.lint_out cdk.out``. Exit 1 on findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .cfn import lint_template


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "cdk.out")
    templates = sorted(out.glob("**/*.template.json"))
    if not templates:
        print(f"cfn-lint: no templates under {out}", file=sys.stderr)
        return 1
    problems = 0
    for path in templates:
        findings = lint_template(json.loads(path.read_text()))
        problems += len(findings)
        for f in findings:
            print(f"{path.name}: {f}")
    print(f"cfn-lint: {len(templates)} template(s), {problems} finding(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
