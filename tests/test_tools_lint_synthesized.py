"""cfn-lint on every distinct template the suite synthesized (recorded by tests/synthesized.py), run last.

Two worker processes: cfn-lint spends seconds per IAM-heavy template (it validates every policy document).
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from tools.lint.cfn import lint_template
from tests import synthesized


def test_every_synthesized_template_is_cfn_lint_clean():
    assert synthesized.TEMPLATES, "no template was recorded: the recorder in tests/synthesized.py is not installed"
    recorded = [entry for digest, entry in synthesized.TEMPLATES.items() if digest not in synthesized.LINTED]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lint_template, [t for _, t in recorded], chunksize=1))
    print(f"cfn-lint: {len(recorded)} distinct templates from {len({t for t, _ in recorded})} tests "
          f"({len(synthesized.TEMPLATES) - len(recorded)} more already linted clean by their own test)")
    problems = [f"{test}: {finding}" for (test, _), findings in zip(recorded, results) for finding in findings]
    assert problems == [], f"{len(problems)} cfn-lint finding(s) in {len(recorded)} templates:\n" + "\n".join(problems)
