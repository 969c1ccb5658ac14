"""``python -m tools.permissions_doc cdk.out --write docs/permissions.md --print``: the handout from a cloud assembly."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialive_iam_constructs.assembly import find_stack
from tools.iam_evaluator import Evaluator

from . import evaluate_groups, render_markdown, render_terminal

#: The sample app's stack (app.py).
DEFAULT_STACK = "MediaLiveIam"


def load_template(out: Path, stack: str) -> tuple[dict, str | None]:
    """The template of ``stack`` in a cloud assembly, and its account if the environment names one."""
    found = find_stack(out, stack, error=lambda message: SystemExit(f"handout: {message}"))
    return dict(found.template), found.account


def generate(template: dict, account: str | None, evaluator: Evaluator, title: str = DEFAULT_STACK) -> tuple[str, str]:
    views = evaluate_groups(template, evaluator)
    return render_markdown(template, views, title=title, display_account=account or "<account>"), render_terminal(views)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.permissions_doc")
    parser.add_argument("out", type=Path, help="cloud assembly directory (cdk.out)")
    parser.add_argument("--stack", default=DEFAULT_STACK)
    parser.add_argument("--write", type=Path, help="write the Markdown handout here")
    parser.add_argument("--print", action="store_true", help="print the compact table")
    args = parser.parse_args(argv)
    template, account = load_template(args.out, args.stack)
    with Evaluator() as ev:
        markdown, table = generate(template, account, ev, args.stack)
    if args.write:
        args.write.write_text(markdown)
        print(f"handout: wrote {args.write}")
    if args.print:
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
