"""Dev tooling shared by the tests and the main job: cfn-lint, cdk-nag and checkov runners. Not shipped."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence


def run_over_assembly(argv: Sequence[str], tool: str, what: str,
                      check: Callable[[Mapping[str, Any]], tuple[int, list[str]]]) -> int:
    """The command line of a lint runner: ``check`` on every ``*.template.json`` under the cloud assembly ``argv[0]``
    (default ``cdk.out``; files, so a StackSet's template asset is linted too), each giving its problem count and
    the lines to print; a summary naming ``tool`` and ``what`` it counts. Exit 1 on any problem or no template."""
    out = Path(argv[0] if argv else "cdk.out")
    templates = sorted(out.glob("**/*.template.json"))
    if not templates:
        print(f"{tool}: no templates under {out}", file=sys.stderr)
        return 1
    problems = 0
    for path in templates:
        count, lines = check(json.loads(path.read_text()))
        problems += count
        for line in lines:
            print(f"{path.name}: {line}")
    print(f"{tool}: {len(templates)} template(s), {problems} {what}")
    return 1 if problems else 0
