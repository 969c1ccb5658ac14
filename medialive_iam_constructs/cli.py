"""``medialive-iam``: the package's command, over a cloud assembly (``cdk.out``) someone synthesized.

Subcommands (``medialive-iam SUBCOMMAND --help`` for each; ``docs/cli.md`` has examples and a CI job):

* ``handout [CDK_OUT]``: Step 6, who can do what, row by row, per group and role (:mod:`.handout`).
* ``check [CDK_OUT]``: the guard's findings and the quota report (:mod:`.checks`, the rules the
  ``MediaLiveIamGuard`` Aspect and the synth-time quota checks apply).
* ``diff OLD NEW``: what NEW grants that OLD does not, per group and role (:func:`.prove.access.permissions_diff`;
  the ``[prove]`` extra).
* ``prove [CDK_OUT]``: that a principal is never granted some actions (:func:`.prove.access.check_access_not_granted`),
  by default that every group and role the constructs made gets no catalog action beyond its recorded rows (the
  ``[prove]`` extra).

Exit codes: 0 nothing found (no finding, nothing new granted, proved); 1 found (a finding, new access, a witness or
an answer the evaluator could not decide); 2 the command could not run (usage, a missing or unreadable assembly, an
unknown stack, the ``[prove]`` extra missing). Every stack of the assembly by default (stages and nested stacks
included, :mod:`.assembly`); ``--stack NAME`` picks one (artifact id, display name ``Stage/Stack`` or stack name).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from .checks import DEFAULT_ROLES_PER_ACCOUNT, MAX_MANAGED_POLICIES, MAX_MANAGED_POLICIES_ADJUSTED

__all__ = ["main"]

PROG = "medialive-iam"
EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
PROVE_EXTRA = "pip install 'medialive-iam-constructs[prove]'"


class UsageError(Exception):
    """What the user must change (exit 2); the message says what to do."""


# --- reading the input ----------------------------------------------------------------------------------------------

def _assembly(path: Path, what: str = "CDK_OUT") -> Path:
    """``path`` when it is a cloud assembly; else a UsageError saying what to do."""
    if not path.exists():
        raise UsageError(f"{what}: {path} does not exist: run `cdk synth` first or pass the directory "
                         f"(`{PROG} ... path/to/cdk.out`)")
    if not path.is_dir() or not (path / "manifest.json").is_file():
        raise UsageError(f"{what}: {path} is not a cloud assembly (no manifest.json): run `cdk synth` first or pass "
                         "the directory `cdk synth` wrote (cdk.out, or its --output)")
    return path


def _stacks(out: Path, name: str | None) -> list[Any]:
    """The stacks to work on: every stack of the assembly (nested ones included), or ``name`` and its nested stacks."""
    from .assembly import find_stack, stacks

    try:
        found = stacks(out)
        if name is None:
            return found
        top = find_stack(out, name)
    except ValueError as e:
        raise UsageError(str(e)) from None
    return [s for s in found if s.artifact_id == top.artifact_id or s.artifact_id.startswith(top.artifact_id + "/")]


def _template_or_assembly(path: Path, what: str) -> Path:
    """An OLD/NEW argument of ``diff``: a cloud assembly directory or a template file."""
    if path.is_file():
        try:
            json.loads(path.read_text())
        except (OSError, ValueError) as e:
            raise UsageError(f"{what}: {path} is not a template (JSON): {e}") from None
        return path
    return _assembly(path, what)


def _require_prove() -> None:
    try:
        importlib.import_module("z3")
    except ImportError:
        raise UsageError(f"this command needs the [prove] extra (the z3 solver): {PROVE_EXTRA}") from None


def _write(text: str, write: Path | None) -> None:
    if write is None:
        print(text)
        return
    write.write_text(text if text.endswith("\n") else text + "\n")
    print(f"{PROG}: wrote {write}")


# --- handout ---------------------------------------------------------------------------------------------------------

def _handout(args: argparse.Namespace) -> int:
    from .handout import group_handouts, render, render_text

    chosen = [s for s in _stacks(_assembly(args.cdk_out), args.stack)
              if args.stack is not None or group_handouts(s.template)]
    if not chosen:
        raise UsageError(f"no stack of {args.cdk_out} holds a group or role made by these constructs "
                         "(no medialive-iam:rows metadata): pass --stack NAME to render one anyway")
    renderer = render if args.format == "markdown" else render_text
    parts = [renderer(s.template, title=s.display_name, environment=s.environment or None) for s in chosen]
    _write(("\n" if args.format == "markdown" else "\n\n").join(parts), args.write)
    return EXIT_OK


# --- check -----------------------------------------------------------------------------------------------------------

def _check(args: argparse.Namespace) -> int:
    from .checks import check_assembly

    out = _assembly(args.cdk_out)
    _stacks(out, args.stack)  # an unknown stack: the list of stacks
    report = check_assembly(out, args.stack, role_quota=args.role_quota, roles_per_account=args.roles_per_account)
    failing = report.errors if args.fail_on == "error" else report.findings
    if args.format == "json":
        from dataclasses import asdict

        print(json.dumps({"stacks": report.stacks, "findings": [asdict(f) for f in report.findings],
                          "quotas": [asdict(q) for q in report.quotas]}, indent=2))
        return EXIT_FOUND if failing else EXIT_OK
    lines = [f"{PROG} check: {len(report.stacks)} stack(s) of {out}: {len(report.errors)} error(s), "
             f"{len(report.warnings)} warning(s)"]
    for f in report.findings:
        lines.append(f"{f.level.upper()} {f.subject}: {f.message}")
    lines += ["", "Quotas (used / quota):"]
    shown = [q for q in report.quotas if args.all_quotas or q.used * 100 >= q.quota * args.quota_percent
             or q.subject == "resources" or q.stack == "app"]
    for q in shown:
        lines.append(f"  {q.stack}: {q.subject}: {q.used} / {q.quota} {q.unit} ({100 * q.used // max(q.quota, 1)}%)")
    hidden = len(report.quotas) - len(shown)
    if hidden:
        lines.append(f"  ({hidden} more under {args.quota_percent}% of their quota: --all-quotas shows them)")
    print("\n".join(lines))
    return EXIT_FOUND if failing else EXIT_OK


# --- diff ------------------------------------------------------------------------------------------------------------

def _diff(args: argparse.Namespace) -> int:
    old = _template_or_assembly(args.old, "OLD")
    new = _template_or_assembly(args.new, "NEW")
    if args.stack is not None and not new.is_dir():
        raise UsageError("--stack picks a stack of a cloud assembly; NEW is a template file")
    chosen = {s.display_name for s in _stacks(new, args.stack)} if args.stack is not None else None
    _require_prove()
    from .prove.access import format_diff, permissions_diff

    entries = permissions_diff(str(old), str(new), account=args.account, region=args.region,
                               per_principal=args.per_principal)
    if chosen is not None:
        entries = [e for e in entries if e.stack in chosen]
    _write(format_diff(entries, fmt=args.format), args.write)
    return EXIT_FOUND if entries else EXIT_OK


# --- prove -----------------------------------------------------------------------------------------------------------

def _not_granted_by_rows(rows: Sequence[str]) -> tuple[str, ...]:
    """The catalog's actions that no Allow of ``rows`` grants nor matches (IAM compares actions case-insensitively):
    what a principal given ``rows`` must never be allowed. Actions the prover's IAM reference does not list are left
    out (it refuses a pattern that names no action)."""
    import fnmatch

    from . import catalog

    from .prove.symbolic import shipped_actions

    given = {a.lower() for r in rows if r in catalog.ROWS for g in catalog.ROWS[r].grants if g.effect == "Allow"
             for a in g.actions}
    known = {a.lower() for a in shipped_actions()}  # the prover's IAM reference (a legacy action it lacks: left out)
    every = {a for r in catalog.ALL_ROWS for g in r.grants for a in g.actions if a.lower() in known}
    return tuple(sorted(a for a in every if not any(fnmatch.fnmatchcase(a.lower(), g) or fnmatch.fnmatchcase(
        g, a.lower()) for g in given)))


def _prove_one(template: Any, principal: str, actions: list[str], resources: list[str], label: str,
               env: dict[str, str | None]) -> int:
    from .prove.access import assert_access_not_granted

    try:
        assert_access_not_granted(template, principal, actions, resources, **env)
    except AssertionError as e:
        print(f"NOT PROVED {label}:\n{e}")
        return EXIT_FOUND
    except (ValueError, KeyError) as e:
        raise UsageError(f"{label}: {e}") from None
    print(f"proved {label}")
    return EXIT_OK


def _prove(args: argparse.Namespace) -> int:
    chosen = _stacks(_assembly(args.cdk_out), args.stack)
    _require_prove()
    from .testing import rows_of

    results = []
    for s in chosen:
        env = {"account": args.account or s.account, "region": args.region or s.region}
        template = dict(s.template)
        if args.principal is not None:
            if args.not_granted is None:
                raise UsageError("--principal needs --not-granted ACTION[,ACTION...] (the actions to prove it never "
                                 "gets)")
            actions = [a.strip() for a in args.not_granted.split(",") if a.strip()]
            resources = args.resource or ["*"]
            label = f"{s.display_name}: {args.principal} is never granted {', '.join(actions)} on {', '.join(resources)}"
            if len(chosen) > 1 and not _has_principal(template, args.principal):
                continue
            results.append(_prove_one(template, args.principal, actions, resources, label, env))
            continue
        for lid, rows in rows_of(template).items():
            actions = list(_not_granted_by_rows(rows))
            label = (f"{s.display_name}: {lid} is granted no catalog action beyond its {len(rows)} rows "
                     f"({len(actions)} actions checked)")
            results.append(_prove_one(template, lid, actions, ["*"], label, env))
    if not results:
        where = f"stack {args.stack}" if args.stack else f"any stack of {args.cdk_out}"
        raise UsageError(f"no principal {args.principal!r} in {where}" if args.principal
                         else f"no group or role made by these constructs in {where}: pass --principal NAME "
                              "--not-granted ACTIONS")
    return max(results)


def _has_principal(template: Any, principal: str) -> bool:
    resources = template.get("Resources") or {}
    return principal in resources or any(
        principal in json.dumps((r.get("Properties") or {}).get(k)) for r in resources.values()
        for k in ("GroupName", "RoleName", "UserName"))


# --- the parser ------------------------------------------------------------------------------------------------------

def _cdk_out(p: argparse.ArgumentParser) -> None:
    p.add_argument("cdk_out", metavar="CDK_OUT", nargs="?", type=Path, default=Path("cdk.out"),
                   help="the cloud assembly directory `cdk synth` wrote (default: cdk.out)")
    _stack_option(p)


def _stack_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stack", metavar="NAME",
                   help="one stack (artifact id, display name Stage/Stack, or stack name) and its nested stacks; "
                        "default: every stack")


def _env_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--account", help="the account the templates' ARNs resolve in (default: the stack's, else "
                                     "111122223333)")
    p.add_argument("--region", help="the region (default: the stack's, else us-west-2)")


def _sub(sub: Any, name: str, run: Callable[[argparse.Namespace], int], *, help: str, description: str,
         cdk_out: bool = True, formats: Sequence[str] = (), write: bool = False,
         env: bool = False) -> argparse.ArgumentParser:
    """A subcommand with the options it shares with others."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description)
    if cdk_out:
        _cdk_out(p)
    else:
        _stack_option(p)
    if formats:
        p.add_argument("--format", choices=formats, default=formats[0], help=f"default: {formats[0]}")
    if env:
        _env_options(p)
    if write:
        p.add_argument("--write", metavar="FILE", type=Path, help="write it to FILE instead of printing it")
    p.set_defaults(run=run)
    return p


def parser() -> argparse.ArgumentParser:
    """The command line (``medialive-iam --help``)."""
    top = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="MediaLive IAM: handouts, checks, permission diffs and proofs over a synthesized cloud assembly "
                    "(cdk.out).",
        epilog="exit codes: 0 nothing found; 1 something found (a finding, new access, a grant);\n"
               "            2 the command could not run (usage, no cdk.out, unknown stack, [prove] extra missing)\n"
               "COMMAND --help describes each; docs/cli.md in the source repository has examples")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _sub(sub, "handout", _handout, formats=("markdown", "terminal"), write=True,
         help="Step 6: who can do what, row by row, per group and role",
         description="The Step 6 handout of every group and role the constructs made: the catalog rows each was "
                     "given and the role ARNs each may pass. Exit 0, or 2 on errors.")

    p = _sub(sub, "check", _check, formats=("text", "json"), help="the guard's findings and the quota report",
             description="The MediaLiveIamGuard's findings (MediaLive roles outside the restricted administrator's "
                         "boundary or role path: errors; grants outside the catalog: warnings) and IAM's and "
                         "CloudFormation's quotas (managed policies per principal, policy size, inline budget, "
                         "resources per stack, roles per account), on templates someone else synthesized. Exit 0 "
                         "clean, 1 findings, 2 errors.")
    p.add_argument("--fail-on", choices=("warning", "error"), default="warning",
                   help="exit 1 on any finding (warning, the default) or on errors only")
    for option, default, what in (("--role-quota", MAX_MANAGED_POLICIES["role"],
                                   "managed policies per role your account allows (default %(default)s; up to "
                                   f"{MAX_MANAGED_POLICIES_ADJUSTED['role']} once raised)"),
                                  ("--roles-per-account", DEFAULT_ROLES_PER_ACCOUNT,
                                   "IAM roles per account your account allows (default %(default)s)"),
                                  ("--quota-percent", 80, "show principals and policies from N%% of a quota "
                                                          "(default 80)")):
        p.add_argument(option, type=int, default=default, metavar="N", help=what)
    p.add_argument("--all-quotas", action="store_true", help="show every line of the quota report")

    p = _sub(sub, "diff", _diff, cdk_out=False, formats=("markdown", "json"), write=True, env=True,
             help="what NEW grants that OLD does not, per group and role (needs [prove])",
             description="The permissions diff: for every group, user and role, example requests NEW allows and "
                         "OLD does not, with the catalog rows and statements they come from (repackaging, "
                         "reordering and removals are no difference). For a pull request: exit 0 nothing new is "
                         f"granted, 1 something is (or could not be decided), 2 errors. Needs the [prove] extra: "
                         f"{PROVE_EXTRA}.")
    p.add_argument("old", metavar="OLD", type=Path, help="the cloud assembly (cdk.out) or template file before")
    p.add_argument("new", metavar="NEW", type=Path, help="the cloud assembly (cdk.out) or template file after")
    p.add_argument("--per-principal", type=int, default=10, metavar="N",
                   help="example requests per principal (default 10)")

    p = _sub(sub, "prove", _prove, env=True, help="prove a principal is never granted some actions (needs [prove])",
             description="With --principal and --not-granted: prove that the group, user or role is never allowed "
                         "any of the actions on the resources, whatever the rest of the request (Access Analyzer's "
                         "CheckAccessNotGranted, offline). Without: prove that every group and role the constructs "
                         "made is granted no catalog action beyond the rows it records (medialive-iam:rows). Exit 0 "
                         "proved, 1 a witness request or an undecided answer (printed), 2 errors. Needs the [prove] "
                         f"extra: {PROVE_EXTRA}.")
    p.add_argument("--principal", metavar="NAME", help="logical id, name or ARN of a group, user or role")
    p.add_argument("--not-granted", metavar="ACTION[,ACTION]", help="actions or globs (iam:*, s3:Get*)")
    p.add_argument("--resource", metavar="ARN", action="append",
                   help="an ARN or ARN pattern (repeatable; default: every resource)")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns its exit code (``medialive-iam`` exits with it)."""
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UsageError as e:
        print(f"{PROG} {args.command}: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `medialive-iam check | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover - python -m medialive_iam_constructs.cli
    sys.exit(main())
