"""``python -m tools.iam_evaluator <cdk.out> --stack NAME --principal NAME --action A --resource ARN``: one decision
for a group, user or role of your own synthesized app (dev tooling of this repository, AGPL evaluator: run it
from a clone, never ship it).

The account and region come from the stack's environment in ``<cdk.out>/manifest.json``
(``aws://ACCOUNT/REGION``); an environment-agnostic stack needs ``--account`` and ``--region``, and values that
contradict a concrete environment are refused. The partition follows the region (``cn-*`` -> ``aws-cn``,
``us-gov-*`` -> ``aws-us-gov``) unless ``--partition`` says otherwise.

Exit status: 0 Allowed, 1 ImplicitlyDenied or ExplicitlyDenied, 2 a usage or template problem.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from medialive_iam_constructs.assembly import StackTemplate, partition_of
from medialive_iam_constructs.assembly import find_stack as assembly_stack

from . import EvaluationError, Evaluator, EvaluatorUnavailable, TemplatePrincipals, TemplateResolutionError


class UsageError(Exception):
    """A message for the user; exit status 2."""


#: A stack of the assembly (the package's cloud-assembly reader).
StackArtifact = StackTemplate


def find_stack(out: Path, name: str | None) -> StackArtifact:
    """The stack named ``name`` (artifact id, display name such as ``Prod/MediaLiveIam``, or stack name); with
    no name, the only stack."""
    return assembly_stack(out, name, error=UsageError)


def environment(stack: StackArtifact, account: str | None, region: str | None) -> tuple[str, str]:
    """The account and region to evaluate in: the stack's, or the ones given for an environment-agnostic stack."""
    for what, given, known in (("account", account, stack.account), ("region", region, stack.region)):
        if given is not None and known is not None and given != known:
            raise UsageError(f"stack {stack.display_name} is synthesized for {what} {known} (manifest.json); "
                             f"--{what} {given} contradicts it")
    account, region = account or stack.account, region or stack.region
    missing = [f"--{w}" for w, v in (("account", account), ("region", region)) if v is None]
    if missing:
        raise UsageError(f"stack {stack.display_name} is environment-agnostic (manifest.json environment "
                         "aws://unknown-account/unknown-region): give the account and region its ARNs resolve to "
                         f"with {' and '.join(missing)}")
    if not re.fullmatch(r"\d{12}", account):
        raise UsageError(f"account {account!r} is not 12 digits")
    return account, region


def find_principal(principals: TemplatePrincipals, name: str) -> str:
    """A group, user or role by logical id, physical name or construct path (``aws:cdk:path`` metadata,
    with or without its ``/Resource`` end)."""
    candidates = principals.principals()
    if name in candidates:
        return name
    matches = []
    for lid in candidates:
        res = principals.resources[lid]
        path = str((res.get("Metadata") or {}).get("aws:cdk:path", ""))
        names = {path, path.removesuffix("/Resource"), path.removesuffix("/Group/Resource"),
                 path.removesuffix("/Role/Resource")} - {""}
        try:
            names.add(str(principals.name_of(lid)))
        except TemplateResolutionError:
            pass
        if name in names:
            matches.append(lid)
    if len(matches) != 1:
        listed = ", ".join(f"{lid} ({principals.resources[lid]['Type'].split('::')[-1].lower()} "
                           f"{_safe_name(principals, lid)})" for lid in candidates) or "none"
        raise UsageError(f"{'several principals match' if matches else 'no group, user or role'} {name!r}; "
                         f"principals: {listed}")
    return matches[0]


def _safe_name(principals: TemplatePrincipals, lid: str) -> str:
    try:
        return str(principals.name_of(lid))
    except TemplateResolutionError:
        return lid


def _context(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--context {pair!r}: write KEY=VALUE (e.g. iam:PassedToService=medialive.amazonaws.com)")
        if key in out:  # a key given twice is a multi-valued context key
            out[key] = (out[key] if isinstance(out[key], list) else [out[key]]) + [value]
        else:
            out[key] = value
    return out


def main(argv: list[str] | None = None, evaluator: Evaluator | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.iam_evaluator", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the cloud assembly directory (cdk.out)")
    parser.add_argument("--stack", help="artifact id, display name (Stage/Stack) or stack name; optional if only one")
    parser.add_argument("--principal", required=True, help="logical id, physical name or construct path")
    parser.add_argument("--action", required=True, help="e.g. medialive:StartChannel")
    parser.add_argument("--resource", required=True, help="the resource ARN of the request")
    parser.add_argument("--context", action="append", default=[], metavar="KEY=VALUE",
                        help="request context (repeat; a key twice makes a list)")
    parser.add_argument("--account", help="only for an environment-agnostic stack (or the same as its own)")
    parser.add_argument("--region", help="only for an environment-agnostic stack (or the same as its own)")
    parser.add_argument("--partition", help="default: from the region")
    args = parser.parse_args(argv)
    try:
        stack = find_stack(args.out, args.stack)
        account, region = environment(stack, args.account, args.region)
        partition = args.partition or partition_of(region)
        principals = TemplatePrincipals(stack.template, account=account, region=region, partition=partition,
                                        stack_name=stack.stack_name or stack.display_name)
        logical_id = find_principal(principals, args.principal)
        policies = principals.policies_for(logical_id)
        context = _context(args.context)
    except (UsageError, TemplateResolutionError) as e:
        print(f"iam_evaluator: {e}", file=sys.stderr)
        return 2
    own = evaluator is None
    try:
        evaluator = evaluator or Evaluator()
    except EvaluatorUnavailable as e:
        print(f"iam_evaluator: {e}", file=sys.stderr)
        return 2
    try:
        result = evaluator.check_result(policies, args.action, args.resource, context)
    except EvaluationError as e:
        print(f"iam_evaluator: {e}", file=sys.stderr)
        return 2
    finally:
        if own:
            evaluator.close()
    print(f"{stack.display_name} in aws://{account}/{region} ({partition}): {policies.kind} {policies.name} "
          f"({logical_id}), {len(policies.identity_policies)} "
          + ("policy" if len(policies.identity_policies) == 1 else "policies")
          + (", with a permissions boundary" if policies.permissions_boundary else ""))
    note = f" (context keys not applicable, ignored: {', '.join(result.ignored_context_keys)})" \
        if result.ignored_context_keys else ""
    print(f"{args.action} on {args.resource}: {result.result}{note}")
    return 0 if result.allowed else 1


if __name__ == "__main__":
    sys.exit(main())
