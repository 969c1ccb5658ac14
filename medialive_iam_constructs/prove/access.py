"""Offline versions of IAM Access Analyzer's custom policy checks, for your own tests (issue 21, item 5).

* :func:`check_access_not_granted` / :func:`assert_access_not_granted` (``CheckAccessNotGranted``): may this group,
  user or role of a template ever be allowed one of these actions on one of these resources, whatever the rest of
  the request (every action the patterns name, every resource the patterns denote, every value of every condition
  key its policies read)?
* :func:`permissions_diff` (``CheckNoNewAccess``): which requests does a new template allow that the old one does
  not, per principal, with the catalog rows they come from; :func:`format_diff` renders the list for a pull request.

Both run on :class:`~medialive_iam_constructs.prove.symbolic.Prover` (z3, ``pip install
medialive-iam-constructs[prove]``) over the policies :class:`~medialive_iam_constructs.principals.TemplatePrincipals`
resolves (inline, ``AWS::IAM::Policy``, managed, AWS managed, group membership, permissions boundary). Every answer
is ``proved``, ``witness`` (a concrete request) or ``unknown`` (naming what could not be modelled or resolved); an
unknown never passes an assertion and is always reported by a diff.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import z3

from .. import catalog
from .._rows import ROWS_METADATA_KEY, sid_rows
from ..assembly import UNKNOWN_ENV, partition_of, stacks
from ..principals import (
    DEFAULT_ACCOUNT, DEFAULT_REGION, DEFAULT_STACK_NAME, NamedPolicy, PrincipalPolicies, TemplatePrincipals,
    TemplateResolutionError,
)
from ..template import listed, statements
from .symbolic import Answer, Prover, Request, action_matches, glob_regex, shipped_actions, spelled

__all__ = [
    "NewAccess",
    "assert_access_not_granted",
    "check_access_not_granted",
    "format_diff",
    "permissions_diff",
    "sid_rows",
]

#: A Stack, an ``aws_cdk.assertions.Template``, a template dict, or the path of a template file.
TemplateLike = Any
#: Documents of policies (a principal's identity policies, or its permissions boundary).
Documents = Sequence[Mapping[str, Any]]

_FIX_TEMPLATE = ("pass managed_policies={'PolicyName': document} for an AWS managed policy the package does not "
                 "ship, or overrides={'LogicalId': value, 'LogicalId.Attribute': value} for a Ref or Fn::GetAtt it "
                 "cannot resolve")


# --------------------------------------------------------------------------------------------------
# Templates, stacks and their environment
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """One stack's template, and what its origin says about it (None: not known)."""

    label: str
    template: Mapping[str, Any]
    artifact_id: str | None = None
    stack_name: str | None = None
    account: str | None = None
    region: str | None = None
    #: a nested stack of the assembly (part of its parent's deploy)
    nested: bool = False


@dataclass(frozen=True)
class _Env:
    account: str
    region: str
    partition: str
    stack_name: str


def _concrete(value: str | None) -> str | None:
    """A stack's account or region, None when it is a token or unknown."""
    from aws_cdk import Token

    if value is None or Token.is_unresolved(value) or value in UNKNOWN_ENV:
        return None
    return value


def _stack_source(stack: Any) -> _Source:
    from ..testing import template_of

    return _Source(stack.node.path, template_of(stack), stack.artifact_id, stack.stack_name,
                   _concrete(stack.account), _concrete(stack.region))


def _assembly_sources(directory: Path) -> list[_Source]:
    """Every stack of a cloud assembly (``cdk.out``), the stages' nested assemblies and the nested stacks included."""
    return [_Source(s.display_name, s.template, s.artifact_id, s.stack_name, s.account, s.region, s.parent is not None)
            for s in stacks(directory)]


def _sources(value: TemplateLike) -> list[_Source]:
    """The stacks of a Stack, Template, dict, template file or cloud-assembly directory."""
    from aws_cdk import Stack

    from ..testing import template_of

    if isinstance(value, Stack):
        return [_stack_source(value)]
    if isinstance(value, (str, os.PathLike)) and Path(value).is_dir():
        return _assembly_sources(Path(value))
    label = Path(value).name if isinstance(value, (str, os.PathLike)) else "template"
    return [_Source(label, template_of(value))]


def _environment(*sources: _Source | None, account: str | None, region: str | None,
                 partition: str | None) -> _Env:
    """The environment the policies resolve in: the arguments, else the first source's that has one, else the
    defaults of :mod:`medialive_iam_constructs.principals`."""
    known = [s for s in sources if s is not None]
    account = account or next((s.account for s in known if s.account), None) or DEFAULT_ACCOUNT
    region = region or next((s.region for s in known if s.region), None) or DEFAULT_REGION
    stack_name = next((s.stack_name for s in known if s.stack_name), None) or DEFAULT_STACK_NAME
    return _Env(account, region, partition or partition_of(region), stack_name)


def _reader(source: _Source, env: _Env, *, managed_policies: Mapping[str, Mapping[str, Any]] | None,
            overrides: Mapping[str, Any] | None) -> TemplatePrincipals:
    return TemplatePrincipals(source.template, account=env.account, region=env.region, partition=env.partition,
                              stack_name=env.stack_name, overrides=overrides, managed_policies=managed_policies)


# --------------------------------------------------------------------------------------------------
# Principals
# --------------------------------------------------------------------------------------------------


def _construct_logical_id(construct: Any) -> str:
    """The logical id of a construct's IAM resource: an ``iam.Role``/``Group``/``User`` (or its Cfn resource), or a
    construct of this library (its ``group``, ``role`` or ``user``)."""
    from aws_cdk import CfnResource, Stack

    target = construct
    for attr in ("group", "role", "user"):
        if not isinstance(target, CfnResource) and hasattr(target, attr):
            target = getattr(target, attr)
            break
    if not isinstance(target, CfnResource):
        target = getattr(getattr(target, "node", None), "default_child", None)
    if not isinstance(target, CfnResource):
        raise TypeError(f"{construct!r} is neither a logical id, a name, an ARN nor a construct with an IAM "
                        "group, role or user")
    return str(Stack.of(target).resolve(target.logical_id))


def _safe(call: Any, lid: str) -> str | None:
    try:
        return str(call(lid))
    except TemplateResolutionError:
        return None


def _listing(reader: TemplatePrincipals) -> str:
    rows = []
    for lid in reader.principals():
        kind = str(reader.resources[lid].get("Type", "")).rsplit("::", 1)[-1].lower()
        rows.append(f"{lid} ({kind} {_safe(reader.name_of, lid) or '?'}, {_safe(reader.arn_of, lid) or '?'})")
    return ", ".join(rows) or "none"


def _principal_id(reader: TemplatePrincipals, principal: Any) -> str:
    """The logical id of ``principal``: a logical id, a physical name (``RoleName``/``GroupName``/``UserName`` as
    resolved), an ARN, or a construct. ``ValueError`` (listing the template's principals) when nothing or several
    principals match."""
    candidates = reader.principals()
    wanted = principal if isinstance(principal, str) else _construct_logical_id(principal)
    if wanted in candidates:
        return wanted
    found = [lid for lid in candidates if wanted in (_safe(reader.name_of, lid), _safe(reader.arn_of, lid))]
    if len(found) == 1:
        return found[0]
    what = f"several principals match {wanted!r} ({', '.join(found)})" if found else \
        f"no group, user or role {wanted!r} (by logical id, name or ARN) in the template"
    raise ValueError(f"{what}; principals: {_listing(reader)}")


def _documents(policies: Iterable[NamedPolicy] | None) -> list[Mapping[str, Any]] | None:
    return None if policies is None else [p.document for p in policies]


def _label(p: PrincipalPolicies) -> str:
    return f"{p.kind} {p.name} ({p.logical_id})"


# --------------------------------------------------------------------------------------------------
# The action universe
# --------------------------------------------------------------------------------------------------


def _readable(request: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The witness with the action spelled as the IAM reference spells it."""
    if request is None:
        return None
    return {**request, "action": spelled(str(request["action"]))}


@functools.lru_cache(maxsize=1024)
def _names_some_action(pattern: str) -> bool:
    return any(action_matches(pattern, a) for a in shipped_actions())


def _check_patterns(actions: Sequence[str]) -> None:
    """Every pattern names some shipped action (a typo would make a check pass for nothing)."""
    for p in actions:
        if not _names_some_action(p.lower()):
            raise ValueError(f"action pattern {p!r} matches no action of the shipped IAM reference "
                             "(shipped_actions()): a typo would make the check pass for nothing")


# --------------------------------------------------------------------------------------------------
# CheckAccessNotGranted
# --------------------------------------------------------------------------------------------------


def _listed(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


#: A condition on the request: None (none), a z3 BoolRef, or ``callable(Request) -> BoolRef`` (see Prover.ask).
Where = Any


def _where(resources: Sequence[str]) -> Where:
    """The request's resource is one the patterns denote, or ``*`` (an action requested on no resource reaches
    them all)."""
    if "*" in resources:
        return None
    return lambda r: z3.Or(r.star, *[r.matches(p) for p in resources])

_PRINTABLE = z3.Star(z3.Range("!", "~"))


def _both(*conditions: Where) -> Where:
    """The conjunction of the conditions given (None: no condition)."""
    given = [c for c in conditions if c is not None]
    if not given:
        return None
    return lambda r: z3.And(*[c(r) if callable(c) else c for c in given])


def _familiar(env: _Env) -> Where:
    """A resource a reader recognises: ``*``, or an ARN of this partition, region (or none) and account (or none),
    printable. Asked only to re-state a witness already found; never to decide."""
    def holds(r: Request) -> z3.BoolRef:
        s = r.segments
        return z3.Or(r.star, z3.And(s[0] == z3.StringVal(env.partition),
                                    z3.Or(s[2] == z3.StringVal(env.region), s[2] == z3.StringVal("")),
                                    z3.Or(s[3] == z3.StringVal(env.account), s[3] == z3.StringVal("")),
                                    z3.InRe(s[1], _PRINTABLE), z3.InRe(s[4], _PRINTABLE)))
    return holds


def _looks_familiar(resource: str, env: _Env) -> bool:
    """What :func:`_familiar` asks for, on a witness already found."""
    if resource == "*":
        return True
    fields = resource.split(":", 5)
    return len(fields) == 6 and fields[1] == env.partition and fields[3] in ("", env.region) and \
        fields[4] in ("", env.account) and resource.isprintable() and "\\u{" not in resource and " " not in resource


#: At most this long to re-state one witness (:func:`_restated`); the first witness stands otherwise.
_RESTATE_MS = 1000


@contextlib.contextmanager
def _budget(prover: Prover, timeout_ms: int) -> Iterator[None]:
    """The prover's per-call timeout lowered for the questions asked inside."""
    before = getattr(prover, "timeout_ms", None)
    if before is not None:
        prover.timeout_ms = min(before, timeout_ms)
    try:
        yield
    finally:
        if before is not None:
            prover.timeout_ms = before


def _restated(prover: Prover, answer: Answer, where: Where, env: _Env) -> Answer:
    """A witness of the same action class in the template's own environment when there is one (the solver's
    first model may name another partition, or unprintable characters); the answer as it was otherwise."""
    if answer.verdict != "witness" or not answer.request or _looks_familiar(str(answer.request["resource"]), env):
        return _with_request(answer, _readable(answer.request))
    with _budget(prover, _RESTATE_MS):
        again = prover.ask((str(answer.request["action"]),), _both(where, _familiar(env)))
    chosen = again if again.verdict == "witness" else answer
    return _with_request(chosen, _readable(chosen.request))


def _with_request(answer: Answer, request: Mapping[str, Any] | None) -> Answer:
    """The answer with ``request`` (and, where the answer lists witnesses, that one)."""
    if request is not None and answer.verdict == "witness" and any(f.name == "witnesses" for f in fields(answer)):
        return replace(answer, request=request, witnesses=(request,))
    return replace(answer, request=request)


# --------------------------------------------------------------------------------------------------
# The search: coarse action classes first, then the precise ones
# --------------------------------------------------------------------------------------------------

_ALL = 1 << 30


@dataclass(frozen=True)
class _Question:
    """Some request for ``actions`` on ``resources`` that ``identity`` (under ``boundary``) allows and, for a diff,
    the ``old`` policy set (identity, boundary) does not."""

    identity: list[Mapping[str, Any]]
    boundary: list[Mapping[str, Any]] | None
    actions: tuple[str, ...] = ("*",)
    resources: tuple[str, ...] = ("*",)
    old: tuple[list[Mapping[str, Any]], list[Mapping[str, Any]] | None] | None = None

    def prover(self, universe: Any, timeout_ms: int) -> tuple[Prover, Where]:
        """A prover of the question over ``universe``, and the question's condition on the request."""
        others = [] if self.old is None else [self.old[0], self.old[1] or []]
        prover = Prover(self.identity, self.boundary, universe=universe, others=others, patterns=self.actions,
                        timeout_ms=timeout_ms)
        where = _where(self.resources)
        if self.old is not None:
            where = _both(where, z3.Not(prover.formula(*self.old)))
        return prover, where


def _candidates(prover: Prover, identity: Documents) -> list[int]:
    """The action classes some Allow of ``identity`` names (no request of another class is allowed)."""
    known = getattr(prover, "candidates", None)
    if known is not None:
        return list(known)
    allows = [st for st in statements(identity) if st.get("Effect", "Allow") == "Allow"]
    return [i for i, cls in enumerate(prover.request.classes) if any(_in_statement(st, cls[0]) for st in allows)]


def _asked(prover: Prover, question: _Question) -> list[int]:
    """The classes to search: named by an Allow, matched by the question's actions."""
    classes = prover.request.classes
    return [i for i in _candidates(prover, question.identity)
            if any(action_matches(p, classes[i][0]) for p in question.actions)]


@dataclass
class _Found:
    """The answers of a search, and when it may stop."""

    witnesses: int
    unknowns: int
    answers: list[Answer] = field(default_factory=list)

    def add(self, answer: Answer) -> None:
        self.answers.append(answer)

    @property
    def full(self) -> bool:
        return sum(a.verdict == "witness" for a in self.answers) >= self.witnesses or \
            sum(a.verdict == "unknown" for a in self.answers) >= self.unknowns


@functools.lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    """The shipped action names without their resources: the coarse universe."""
    return tuple(shipped_actions())


def _groups(coarse: Prover, fine: Prover, question: _Question) -> list[tuple[int, list[int]]]:
    """The coarse classes to search, one per set of statements that name their actions (the formulas of two coarse
    classes named by the same statements are the same formula: a proof for one is a proof for the other), each with
    the precise classes it stands for (the same actions split by SAR's resources), in the classes' order."""
    sts = statements(question.identity + (question.boundary or [])
                     + [d for docs in (question.old or ()) for d in (docs or [])])
    coarse_of: dict[str, int] = {}
    first: dict[tuple[bool, ...], int] = {}
    for c in _asked(coarse, question):
        named = tuple(_in_statement(st, coarse.request.classes[c][0]) for st in sts)
        for action in coarse.request.classes[c]:
            coarse_of[action] = first.setdefault(named, c)
    members: dict[int, list[int]] = {c: [] for c in first.values()}
    for i in _asked(fine, question):
        owner = coarse_of.get(fine.request.classes[i][0])
        if owner is not None:
            members[owner].append(i)
    return [(c, m) for c, m in members.items() if m]


def _answers(question: _Question, env: _Env, *, witnesses: int, unknowns: int, timeout_ms: int) -> list[Answer]:
    """Witnesses of distinct action classes and the unknowns met. The coarse classes (actions the policies cannot
    tell apart, any resource) are asked first, one per set of statements that name them: a proof there stands for
    every precise class (split by SAR's resources) they hold; the precise classes of the others are asked one by
    one."""
    coarse, coarse_where = question.prover(_names(), timeout_ms)
    fine, where = question.prover(shipped_actions(), timeout_ms)
    found = _Found(witnesses, unknowns)
    for c, members in _groups(coarse, fine, question):
        if len(members) > 1 and coarse.ask((coarse.request.classes[c][0],), coarse_where).verdict == "proved":
            continue
        for i in members:
            answer = fine.ask((fine.request.classes[i][0],), where)
            if answer.verdict != "proved":
                found.add(_restated(fine, answer, where, env))
            if found.full:
                return found.answers
    return found.answers


def _one_answer(answers: Sequence[Answer]) -> Answer:
    """A witness if there is one; else an unknown naming every feature met; else ``proved``."""
    witness = next((a for a in answers if a.verdict == "witness"), None)
    if witness is not None:
        return witness
    if answers:
        features = tuple(sorted({f for a in answers for f in a.features})) or ("solver: unknown",)
        return Answer("unknown", answers[0].request, features)
    return Answer("proved")


@dataclass(frozen=True)
class _Checked:
    answer: Answer
    principal: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]


def _check(template: TemplateLike, principal: Any, actions: str | Iterable[str], resources: str | Iterable[str], *,
           account: str | None, region: str | None, partition: str | None,
           managed_policies: Mapping[str, Mapping[str, Any]] | None, overrides: Mapping[str, Any] | None,
           timeout_ms: int) -> _Checked:
    acts, res = tuple(_listed(actions)), tuple(_listed(resources))
    if not acts or not res:
        raise ValueError("actions and resources must each name at least one pattern")
    _check_patterns(acts)
    source = _single_source(template)
    env = _environment(source, account=account, region=region, partition=partition)
    reader = _reader(source, env, managed_policies=managed_policies, overrides=overrides)
    lid = _principal_id(reader, principal)
    kind, name, _ = _identity_of(reader, lid)
    try:
        pol = reader.policies_for(lid)
    except TemplateResolutionError as e:
        return _Checked(Answer("unknown", None, (f"template: {e}",)), f"{kind} {name} ({lid})", acts, res)
    question = _Question(_documents(pol.identity_policies) or [], _documents(pol.permissions_boundary), acts, res)
    return _Checked(_one_answer(_answers(question, env, witnesses=1, unknowns=_ALL, timeout_ms=timeout_ms)),
                    _label(pol), acts, res)


def _single_source(template: TemplateLike) -> _Source:
    sources = [s for s in _sources(template) if not s.nested]
    if len(sources) != 1:
        raise ValueError(f"{template} holds {len(sources)} stacks ({', '.join(s.label for s in sources)}): pass "
                         "one stack's template file instead")
    return sources[0]


def check_access_not_granted(template: TemplateLike, principal: Any, actions: str | Iterable[str],
                             resources: str | Iterable[str] = ("*",), *, account: str | None = None,
                             region: str | None = None, partition: str | None = None,
                             managed_policies: Mapping[str, Mapping[str, Any]] | None = None,
                             overrides: Mapping[str, Any] | None = None, timeout_ms: int = 60_000) -> Answer:
    """Is ``principal`` never allowed any of ``actions`` on any of ``resources``? (Access Analyzer's
    ``CheckAccessNotGranted``, offline.)

    :param template: a Stack, an ``aws_cdk.assertions.Template``, a template dict, a template file, or a cloud
        assembly directory holding one stack.
    :param principal: a group, user or role: its logical id, its physical name, its ARN, or the construct (an
        ``iam.Role``/``Group``/``User``, or a construct of this library with a ``group``, ``role`` or ``user``).
    :param actions: action names or globs (``iam:*``, ``s3:Get*``), case-insensitive.
    :param resources: ARNs or ARN patterns (case-sensitive); a pattern stands for every resource it matches, and
        a request on ``*`` (an action that names no resource) counts as reaching them.
    :param account: the account the template's ARNs resolve in (default: the stack's, else ``111122223333``); same
        for ``region`` (else ``us-west-2``) and ``partition`` (default: the region's).
    :param managed_policies: documents of AWS managed policies the package does not ship, by name or ARN.
    :param overrides: values for ``Ref``/``Fn::GetAtt`` the reader cannot resolve (``"Id"``, ``"Id.Attribute"``).
    :returns: ``proved`` (no such request is allowed), ``witness`` (``request`` is one that is) or ``unknown``
        (``features`` names the unmodelled policy feature, or the template problem, the answer depends on).
    """
    return _check(template, principal, actions, resources, account=account, region=region, partition=partition,
                  managed_policies=managed_policies, overrides=overrides, timeout_ms=timeout_ms).answer


def _request_lines(request: Mapping[str, Any]) -> list[str]:
    lines = [f"  action:   {request['action']}", f"  resource: {request['resource']}"]
    if request.get("context"):
        lines.append(f"  context:  {json.dumps(request['context'], sort_keys=True)}")
    return lines


def _message(checked: _Checked) -> str:
    answer, asked = checked.answer, f"{list(checked.actions)} on {list(checked.resources)}"
    if answer.verdict == "witness":
        return "\n".join([f"{checked.principal} is granted {asked}; for example this request is allowed:",
                          *_request_lines(answer.request or {})])
    features = "; ".join(answer.features) or "none named"
    head = f"cannot prove that {checked.principal} is never granted {asked}"
    if any(f.startswith("template: ") for f in answer.features):
        problems = "; ".join(f.removeprefix("template: ") for f in answer.features)
        return f"{head}: the template could not be resolved: {problems}\nFix: {_FIX_TEMPLATE}."
    lines = [f"{head}: the answer depends on what the evaluator does not model: {features}."]
    if answer.request:
        lines += ["A request allowed if that feature allows it:", *_request_lines(answer.request)]
    lines.append("Ask IAM Access Analyzer's CheckAccessNotGranted, or write the policy without that feature.")
    return "\n".join(lines)


def assert_access_not_granted(template: TemplateLike, principal: Any, actions: str | Iterable[str],
                              resources: str | Iterable[str] = ("*",), *, account: str | None = None,
                              region: str | None = None, partition: str | None = None,
                              managed_policies: Mapping[str, Mapping[str, Any]] | None = None,
                              overrides: Mapping[str, Any] | None = None, timeout_ms: int = 60_000) -> None:
    """:func:`check_access_not_granted` as an assertion: ``AssertionError`` naming the principal and the witness
    request (action, resource, context), or what the answer depends on, unless the verdict is ``proved``."""
    checked = _check(template, principal, actions, resources, account=account, region=region, partition=partition,
                     managed_policies=managed_policies, overrides=overrides, timeout_ms=timeout_ms)
    if checked.answer.verdict != "proved":
        raise AssertionError(_message(checked))


# --------------------------------------------------------------------------------------------------
# CheckNoNewAccess
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAccess:
    """A request the new template allows one principal and the old one does not (``witness``), or a principal for
    which that could not be decided (``unknown``, with :attr:`features`)."""

    #: the stack (display name in a cloud assembly, else the stack name or file name)
    stack: str
    #: the principal's logical id
    logical_id: str
    #: the resource type's last part, lower-cased: ``group``, ``role`` or ``user``
    kind: str
    #: its name (the logical id when the template names none)
    name: str
    #: its ARN as the template resolves it (empty when it does not resolve)
    arn: str
    #: ``witness`` or ``unknown``
    verdict: str
    #: ``{"action", "resource", "context"}``; for an unknown, the request it rests on when there is one
    request: Mapping[str, Any] | None = None
    #: for an unknown: the policy features the evaluator does not model
    features: tuple[str, ...] = ()
    #: catalog rows the access comes from: the row ids in the Sids of the statements that allow the request, else
    #: the principal's ``medialive-iam:rows`` whose catalog row names the action
    rows: tuple[str, ...] = ()
    #: the statements that allow the request (policy and Sid), conditions not considered
    statements: tuple[str, ...] = ()
    #: the principal is not in the old template (compared with no policies at all)
    new_principal: bool = False


def _atoms(documents: Iterable[Mapping[str, Any]], effect: str) -> frozenset[str]:
    """A policy set's statements of one effect as atoms whose union is the same grant: one per action and resource
    of a plain statement (actions lower-cased), a whole statement with NotAction or NotResource; Sids dropped."""
    out = set()
    for st in statements(documents):
        if st.get("Effect", "Allow") != effect:
            continue
        cond = json.dumps(st.get("Condition", {}), sort_keys=True)
        if "Action" in st and "Resource" in st:
            out |= {json.dumps([str(a).lower(), r, cond], sort_keys=True)
                    for a in listed(st["Action"]) for r in listed(st["Resource"])}
        else:
            out.add(json.dumps({k: v for k, v in st.items() if k != "Sid"}, sort_keys=True))
    return frozenset(out)


def _within(new: Documents, old: Documents) -> bool:
    """Every Allow of ``new`` is one of ``old``'s, and every Deny of ``old`` one of ``new``'s."""
    return _atoms(new, "Allow") <= _atoms(old, "Allow") and _atoms(old, "Deny") <= _atoms(new, "Deny")


def _surely_nothing_new(new: PrincipalPolicies, old: PrincipalPolicies) -> bool:
    """A sufficient condition, decided on the documents alone: re-packed, re-ordered, Sids renamed, grants only
    removed. The solver decides every other case."""
    if not _within(_documents(new.identity_policies) or [], _documents(old.identity_policies) or []):
        return False
    if old.permissions_boundary is None:
        return True
    if new.permissions_boundary is None:
        return False
    return _within(_documents(new.permissions_boundary) or [], _documents(old.permissions_boundary) or [])


def _in_statement(st: Mapping[str, Any], action: str) -> bool:
    negate = "Action" not in st
    hit = any(action_matches(p, action) for p in listed(st.get("NotAction" if negate else "Action", []))
              if isinstance(p, str))
    return hit != negate


def _resource_matches(pattern: str, resource: str) -> bool:
    """IAM's Resource matching on one concrete resource (case-sensitive; a wildcard of the first five ARN fields
    stays in its field)."""
    if pattern == "*":
        return True
    if resource == "*":
        return False
    p, r = pattern.split(":", 5), resource.split(":", 5)
    if len(p) == 6 and len(r) == 6 and p[0] == "arn":
        return all(glob_regex(a).fullmatch(b) for a, b in zip(p, r))
    return glob_regex(pattern).fullmatch(resource) is not None


def _on_resource(st: Mapping[str, Any], resource: str) -> bool:
    negate = "Resource" not in st
    hit = any(isinstance(p, str) and _resource_matches(p, resource)
              for p in listed(st.get("NotResource" if negate else "Resource", [])))
    return hit != negate


def _allowing(policies: Iterable[NamedPolicy], request: Mapping[str, Any]) -> list[tuple[NamedPolicy, Mapping[str, Any]]]:
    """The Allow statements that match the request's action and resource (conditions not considered)."""
    return [(p, st) for p in policies for st in statements([p.document])
            if st.get("Effect", "Allow") == "Allow" and _in_statement(st, str(request["action"]))
            and _on_resource(st, str(request["resource"]))]


def _rows_naming(template: Mapping[str, Any], logical_id: str, action: str) -> tuple[str, ...]:
    recorded = ((template.get("Resources") or {}).get(logical_id, {}).get("Metadata") or {}).get(ROWS_METADATA_KEY)
    rows = [catalog.ROWS[r] for r in recorded or () if r in catalog.ROWS]
    return tuple(r.id for r in rows if any(action_matches(a, action) for a in r.actions))


def _attribute(pol: PrincipalPolicies, template: Mapping[str, Any], request: Mapping[str, Any]
               ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rows and statements a witness comes from."""
    found = _allowing(pol.identity_policies, request)
    allowing = tuple(dict.fromkeys(f"{p.source} (Sid {st['Sid']})" if st.get("Sid") else p.source
                                   for p, st in found))
    rows = tuple(dict.fromkeys(r for _, st in found for r in sid_rows(str(st.get("Sid", "")))))
    if not rows and pol.kind != "user":
        rows = _rows_naming(template, pol.logical_id, str(request["action"]))
    return rows, allowing


def _new_requests(new: PrincipalPolicies, old: PrincipalPolicies | None, env: _Env, *, limit: int,
                  timeout_ms: int) -> list[Answer]:
    """Up to ``limit`` witnesses of distinct action classes that ``new`` allows and ``old`` does not (everything
    ``new`` allows when there is no ``old``), and up to ``limit`` unknowns."""
    before = None if old is None else (_documents(old.identity_policies) or [], _documents(old.permissions_boundary))
    question = _Question(_documents(new.identity_policies) or [], _documents(new.permissions_boundary), old=before)
    return _answers(question, env, witnesses=limit, unknowns=limit, timeout_ms=timeout_ms)


def _pairs(old: list[_Source], new: list[_Source]) -> list[tuple[_Source | None, _Source]]:
    """Each new stack with the old stack of the same artifact id, else stack name, else the only one."""
    if len(old) == 1 and len(new) == 1:
        return [(old[0], new[0])]
    out = []
    for n in new:
        match = next((o for o in old if n.artifact_id and o.artifact_id == n.artifact_id), None) or \
            next((o for o in old if n.stack_name and o.stack_name == n.stack_name), None) or \
            next((o for o in old if o.label == n.label), None)
        out.append((match, n))
    return out


def _old_match(old: TemplatePrincipals | None, new: TemplatePrincipals, lid: str) -> str | None:
    """The old principal of the new ``lid``: the same logical id, else the same kind and physical name."""
    if old is None:
        return None
    candidates = old.principals()
    if lid in candidates and old.resources[lid].get("Type") == new.resources[lid].get("Type"):
        return lid
    name = _safe(new.name_of, lid)
    same = [o for o in candidates if old.resources[o].get("Type") == new.resources[lid].get("Type")
            and name is not None and _safe(old.name_of, o) == name]
    return same[0] if len(same) == 1 else None


def _identity_of(reader: TemplatePrincipals, lid: str) -> tuple[str, str, str]:
    kind = str(reader.resources[lid].get("Type", "")).rsplit("::", 1)[-1].lower()
    return kind, _safe(reader.name_of, lid) or lid, _safe(reader.arn_of, lid) or ""


def _diff_principal(stack: str, lid: str, new: TemplatePrincipals, old: TemplatePrincipals | None, env: _Env, *,
                    limit: int, timeout_ms: int) -> list[NewAccess]:
    kind, name, arn = _identity_of(new, lid)
    old_lid = _old_match(old, new, lid)
    base = NewAccess(stack, lid, kind, name, arn, "unknown", new_principal=old_lid is None)
    try:
        pol = new.policies_for(lid)
    except TemplateResolutionError as e:
        return [replace(base, features=(f"template: {e}",))]
    try:
        before = old.policies_for(old_lid) if old is not None and old_lid is not None else None
    except TemplateResolutionError as e:
        return [replace(base, features=(f"old template: {e}",))]
    if before is not None and _surely_nothing_new(pol, before):
        return []
    out = []
    for answer in _new_requests(pol, before, env, limit=limit, timeout_ms=timeout_ms):
        rows, allowing = _attribute(pol, new.template, answer.request) if answer.request else ((), ())
        out.append(replace(base, verdict=answer.verdict, request=answer.request, features=answer.features,
                           rows=rows, statements=allowing))
    return out


def permissions_diff(old: TemplateLike, new: TemplateLike, *, account: str | None = None, region: str | None = None,
                     partition: str | None = None, managed_policies: Mapping[str, Mapping[str, Any]] | None = None,
                     overrides: Mapping[str, Any] | None = None, per_principal: int = 10,
                     timeout_ms: int = 60_000) -> list[NewAccess]:
    """What ``new`` allows that ``old`` does not (Access Analyzer's ``CheckNoNewAccess``, offline), per group, user
    and role: up to ``per_principal`` witness requests of distinct action classes each, and every principal whose
    answer is unknown. Empty when only the packing, the order or the Sids changed, or when grants were only removed.

    :param old: a Stack, ``Template``, template dict, template file, or cloud assembly directory (``cdk.out``, its
        stages' nested assemblies included: stacks are matched by artifact id, then stack name).
    :param new: the same forms. A principal is matched by logical id, else by kind and physical name; one new in
        ``new`` is compared with no policies at all.
    :param account: the account both templates resolve in (default: the new stack's, else the old one's, else
        ``111122223333``); ``region`` and ``partition`` likewise.
    :param managed_policies: documents of AWS managed policies the package does not ship, by name or ARN.
    :param overrides: values for ``Ref``/``Fn::GetAtt`` the reader cannot resolve (for both templates).
    """
    out: list[NewAccess] = []
    for before, after in _pairs(_sources(old), _sources(new)):
        env = _environment(after, before, account=account, region=region, partition=partition)
        options = {"managed_policies": managed_policies, "overrides": overrides}
        new_reader = _reader(after, env, **options)
        old_reader = None if before is None else _reader(before, env, **options)
        for lid in new_reader.principals():
            out += _diff_principal(after.label, lid, new_reader, old_reader, env, limit=per_principal,
                                   timeout_ms=timeout_ms)
    return out


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_row(e: NewAccess) -> str:
    req = e.request or {}
    principal = f"{e.kind} `{e.name}`" + (" (new)" if e.new_principal else "")
    what = f"`{_cell(req['action'])}`" if req else "?"
    on = f"`{_cell(req['resource'])}`" if req else "?"
    context = f"`{_cell(req.get('context'))}`" if req.get("context") else ""
    because = ", ".join(e.features) if e.verdict == "unknown" else ", ".join(e.statements)
    return " | ".join(["", _cell(e.stack), principal, e.verdict, what, on, context, ", ".join(e.rows),
                       _cell(because), ""]).strip()


def format_diff(entries: Sequence[NewAccess], *, fmt: str = "markdown") -> str:
    """The diff for a pull request: a Markdown table (``fmt="markdown"``) or JSON (``fmt="json"``)."""
    if fmt == "json":
        return json.dumps([asdict(e) for e in entries], indent=2, sort_keys=True, default=list)
    if fmt != "markdown":
        raise ValueError(f"fmt must be 'markdown' or 'json', not {fmt!r}")
    if not entries:
        return "No new access: every request the new templates allow, the old ones allow too."
    principals = {(e.stack, e.logical_id) for e in entries}
    unknown = sum(e.verdict == "unknown" for e in entries)
    lines = [f"**New access** for {len(principals)} principal(s): {len(entries) - unknown} example request(s)"
             + (f", {unknown} undecided" if unknown else "") + ".", "",
             "| Stack | Principal | Verdict | Action | Resource | Context | Rows | Statements / unknown because |",
             "|---|---|---|---|---|---|---|---|"]
    return "\n".join(lines + [_markdown_row(e) for e in entries])
