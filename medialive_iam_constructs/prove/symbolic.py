"""A symbolic evaluator of IAM identity policies and permissions boundaries on z3 (issue 21, first part).

A request is a set of z3 variables: the action (one of finitely many action *classes*: the actions of the IAM
reference that the policies' ``Action``/``NotAction`` patterns and the question cannot tell apart), the resource
(``*`` or an ARN of five ``:``-free segments and a resource part), and each condition key the policies name (a
presence flag and a value, or a bounded set of values for the multi-valued operators). A policy set becomes one
formula ``allowed(request)``: some identity Allow and some boundary Allow apply, and no Deny of either does.

Every answer is one of three: ``proved`` (no request satisfies the question: unsat), ``witness`` (a concrete
request that does) or ``unknown`` (naming the feature the encoder does not model). An unmodelled condition counts
as true in an Allow and false in a Deny, so the formula allows at least what IAM allows: a ``proved`` stays a
proof; a witness that rests on an unmodelled condition is reported ``unknown``, never trusted.

Semantics modelled (AWS's *Policy evaluation logic* and *IAM JSON policy elements* pages):

* Action/NotAction: case-insensitive globs over the IAM reference's action names (``*`` and ``?``).
* Resource/NotResource: ``*``, or ARN globs split into partition, service, region, account (a wildcard there does
  not cross ``:``) and the resource part (``*`` and ``?`` match any character, ``:`` and ``/`` included).
* Conditions: String(Not)Equals[IgnoreCase], String(Not)Like, Arn(Not)Equals/Arn(Not)Like, Null, Bool, the
  ``...IfExists`` forms, ``ForAllValues:`` / ``ForAnyValue:`` over sets of at most :data:`SET_BOUND` values.
  A positive operator is false on an absent key, a negated one true, ``...IfExists`` true; ``ForAllValues`` is
  true on an empty or absent set, ``ForAnyValue`` false. ``IgnoreCase`` folds ASCII letters (a value with other
  letters is unmodelled). Policy variables (``${aws:username}``) are unmodelled, except the escapes ``${*}``,
  ``${?}``, ``${$}``.
* Not modelled (answered as above, and named): Numeric*, Date*, IpAddress, NotIpAddress, Binary*, policy variables.

The alphabet is z3's full character sort (``z3.AllChar``): ``Range(chr(0), chr(0x10FFFF))`` matches only the empty
string in z3 >= 5.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import z3

#: Values a multi-valued key (ForAllValues/ForAnyValue) may hold in a request. A set operator is decided by its
#: elements one at a time, so a witness never needs more elements than the set conditions that mention the key;
#: the bound keeps the formulas small (docs: sound-proof notes, small-model argument).
SET_BOUND = 3

_ANY = z3.AllChar(z3.ReSort(z3.StringSort()))
_COLON = z3.Re(":")
_NOT_COLON = z3.Diff(_ANY, _COLON)
_ESCAPES = {"${*}": "*", "${?}": "?", "${$}": "$"}
_VARIABLE = re.compile(r"\$\{(?![*?$]\})")
_STRING_OPS = frozenset({"stringequals", "stringnotequals", "stringequalsignorecase", "stringnotequalsignorecase",
                         "stringlike", "stringnotlike", "arnequals", "arnlike", "arnnotequals", "arnnotlike", "bool"})


def _listify(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _concat(parts: list[z3.ReRef]) -> z3.ReRef:
    if not parts:
        return z3.Re("")
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def _literal(text: str, fold: bool) -> z3.ReRef:
    """``text`` as a regex; ``fold`` matches each ASCII letter in either case."""
    if not fold:
        return z3.Re(text)
    return _concat([z3.Union(z3.Re(c.lower()), z3.Re(c.upper())) if c.lower() != c.upper() else z3.Re(c)
                    for c in text])


def glob(pattern: str, *, star: z3.ReRef = _ANY, fold: bool = False, wildcards: bool = True) -> z3.ReRef:
    """The regex of an IAM glob: ``*`` any run of ``star``'s characters, ``?`` one of them (unless ``wildcards`` is
    off); the escapes ``${*}``, ``${?}``, ``${$}`` stand for the literal character."""
    parts: list[z3.ReRef] = []
    buf = ""
    i = 0
    while i < len(pattern):
        esc = pattern[i:i + 4]
        if esc in _ESCAPES:
            buf += _ESCAPES[esc]
            i += 4
            continue
        ch = pattern[i]
        if wildcards and ch in "*?":
            if buf:
                parts.append(_literal(buf, fold))
                buf = ""
            parts.append(z3.Star(star) if ch == "*" else star)
        else:
            buf += ch
        i += 1
    if buf:
        parts.append(_literal(buf, fold))
    return _concat(parts)


def arn_glob(pattern: str) -> z3.ReRef | None:
    """The regex of an ARN pattern: wildcards in the first five segments stay within their segment, in the
    resource part they span ``:`` and ``/``. None for a pattern that is neither ``*`` nor an ARN."""
    if pattern == "*":
        return z3.Star(_ANY)
    fields = pattern.split(":", 5)
    if len(fields) < 6:
        return None
    parts: list[z3.ReRef] = []
    for f in fields[:5]:
        parts += [glob(f, star=_NOT_COLON), _COLON]
    parts.append(glob(fields[5]))
    return z3.Concat(*parts)


#: Any ARN: five ``:``-free segments, then the resource part.
ANY_ARN = z3.Concat(*[x for _ in range(5) for x in (z3.Star(_NOT_COLON), _COLON)], z3.Star(_ANY))


# --- the request ------------------------------------------------------------------------------------------------


@dataclass
class Key:
    """A condition key of the request: whether it is present, its value, and its values as a bounded set."""

    name: str
    present: z3.BoolRef
    value: z3.SeqRef
    count: z3.ArithRef
    values: tuple[z3.SeqRef, ...]


@dataclass
class Request:
    """The request's variables. ``action`` indexes :attr:`classes` (see :func:`action_classes`)."""

    classes: tuple[tuple[str, ...], ...]
    action: z3.ArithRef = field(default_factory=lambda: z3.Int("action"))
    resource: z3.SeqRef = field(default_factory=lambda: z3.String("resource"))
    keys: dict[str, Key] = field(default_factory=dict)

    def key(self, name: str) -> Key:
        low = name.lower()  # condition key names are case-insensitive
        if low not in self.keys:
            tag = re.sub(r"[^a-z0-9]", "_", low)
            self.keys[low] = Key(name, z3.Bool(f"has_{tag}"), z3.String(f"val_{tag}"), z3.Int(f"n_{tag}"),
                                 tuple(z3.String(f"set_{tag}_{i}") for i in range(SET_BOUND)))
        return self.keys[low]

    def well_formed(self) -> z3.BoolRef:
        """An existing action class, a resource that is ``*`` or an ARN, each key's set within the bound, empty when
        the key is absent, and holding the key's value first when present."""
        out = [self.action >= 0, self.action < len(self.classes),
               z3.Or(self.resource == z3.StringVal("*"), z3.InRe(self.resource, ANY_ARN))]
        for k in self.keys.values():
            out += [k.count >= 0, k.count <= SET_BOUND, k.present == (k.count >= 1),
                    z3.Implies(k.present, k.values[0] == k.value)]
        return z3.And(*out)


def action_classes(universe: Iterable[str], patterns: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """The actions of ``universe`` (lower case) grouped by which ``patterns`` (case-insensitive globs) match them:
    the actions of one class are indistinguishable to the policies and the question."""
    pats = sorted({p.lower() for p in patterns})
    groups: dict[tuple[bool, ...], list[str]] = {}
    for action in sorted({a.lower() for a in universe}):
        groups.setdefault(tuple(fnmatch.fnmatchcase(action, p) for p in pats), []).append(action)
    return tuple(sorted((tuple(v) for v in groups.values()), key=lambda c: c[0]))


def policy_action_patterns(documents: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every Action/NotAction pattern of ``documents``."""
    out = []
    for d in documents:
        for st in _listify(d.get("Statement", [])):
            out += [p for p in _listify(st.get("Action", st.get("NotAction", []))) if isinstance(p, str)]
    return out


# --- policies ---------------------------------------------------------------------------------------------------


@dataclass
class Encoder:
    """Builds ``allowed(request)`` for one principal; ``unknowns`` names what it could not model, and ``assumed``
    holds a flag per unmodelled Allow condition (a witness with one of them set is not trusted)."""

    request: Request
    unknowns: set[str] = field(default_factory=set)
    assumed: list[z3.BoolRef] = field(default_factory=list)

    def _unmodelled(self, what: str, effect: str) -> z3.BoolRef:
        self.unknowns.add(what)
        if effect != "Allow":
            return z3.BoolVal(False)  # a Deny that may apply is assumed not to
        flag = z3.Bool(f"assumed_{len(self.assumed)}")
        self.assumed.append(flag)
        return flag  # free: the solver may take it true (the Allow applies), and a witness shows that it did

    def _action(self, st: Mapping[str, Any]) -> z3.BoolRef:
        r = self.request
        negate = "Action" not in st
        pats = [p.lower() for p in _listify(st.get("NotAction" if negate else "Action", []))]
        hit = [i for i, cls in enumerate(r.classes) if any(fnmatch.fnmatchcase(cls[0], p) for p in pats)]
        match = z3.Or(*[r.action == i for i in hit]) if hit else z3.BoolVal(False)
        return z3.Not(match) if negate else match

    def _resource(self, st: Mapping[str, Any]) -> z3.BoolRef:
        negate = "Resource" not in st
        pats = _listify(st.get("NotResource" if negate else "Resource", []))
        effect = st.get("Effect", "Allow")
        ors = []
        for p in pats:
            if not isinstance(p, str) or _VARIABLE.search(p):
                # an unmodelled pattern may match (Allow, Resource) or may not (NotResource): widen an Allow
                flag = self._unmodelled(f"Resource {p!r}", effect if not negate else "Deny")
                ors.append(flag)
                continue
            rx = arn_glob(p)
            ors.append(z3.InRe(self.request.resource, rx) if rx is not None else self.request.resource == z3.StringVal(p))
        match = z3.Or(*ors) if ors else z3.BoolVal(False)
        return z3.Not(match) if negate else match

    def _matcher(self, op: str, values: list, effect: str) -> Callable[[z3.SeqRef], z3.BoolRef] | z3.BoolRef:
        """``value -> it matches one of values`` for a string-like ``op``; a Bool for an unmodelled one."""
        if op not in _STRING_OPS:
            return self._unmodelled(f"condition operator {op}", effect)
        fold = op.endswith("ignorecase") or op == "bool"
        like = "like" in op
        regexes = []
        for v in values:
            v = str(v).lower() if isinstance(v, bool) else str(v)
            if _VARIABLE.search(v):
                return self._unmodelled(f"policy variable in condition value {v!r}", effect)
            if fold and any(ord(c) > 127 and c.isalpha() for c in v):
                return self._unmodelled(f"IgnoreCase on non-ASCII letters {v!r}", effect)
            if op.startswith("arn"):
                rx = arn_glob(v)
                regexes.append(rx if rx is not None else glob(v, wildcards=False))
            else:
                regexes.append(glob(v, fold=fold, wildcards=like))
        union = regexes[0] if len(regexes) == 1 else z3.Union(*regexes) if regexes else None
        return (lambda s: z3.InRe(s, union)) if union is not None else (lambda s: z3.BoolVal(False))

    def _condition(self, st: Mapping[str, Any]) -> z3.BoolRef:
        effect = st.get("Effect", "Allow")
        clauses = []
        for raw_op, body in (st.get("Condition") or {}).items():
            op = raw_op.lower()
            quant = None
            if op.startswith(("forallvalues:", "foranyvalue:")):
                quant, op = op.split(":", 1)
            if_exists = op.endswith("ifexists")
            op = op[: -len("ifexists")] if if_exists else op
            for key, values in (body or {}).items():
                k = self.request.key(key)
                values = _listify(values)
                if op == "null":
                    clauses.append(z3.Or(*[z3.Not(k.present) if str(v).lower() == "true" else k.present
                                           for v in values]))
                    continue
                matcher = self._matcher(op, values, effect)
                if not callable(matcher):
                    clauses.append(matcher)
                    continue
                negated = "not" in op
                test = (lambda s, m=matcher: z3.Not(m(s))) if negated else matcher
                if quant == "forallvalues":
                    clauses.append(z3.And(*[z3.Implies(i < k.count, test(k.values[i])) for i in range(SET_BOUND)]))
                elif quant == "foranyvalue":
                    clauses.append(z3.Or(*[z3.And(i < k.count, test(k.values[i])) for i in range(SET_BOUND)]))
                elif negated or if_exists:
                    clauses.append(z3.Or(z3.Not(k.present), test(k.value)))
                else:
                    clauses.append(z3.And(k.present, test(k.value)))
        return z3.And(*clauses) if clauses else z3.BoolVal(True)

    def statement(self, st: Mapping[str, Any]) -> z3.BoolRef:
        return z3.And(self._action(st), self._resource(st), self._condition(st))

    def effect(self, documents: Sequence[Mapping[str, Any]], effect: str) -> z3.BoolRef:
        sts = [s for d in documents for s in _listify(d.get("Statement", [])) if s.get("Effect") == effect]
        return z3.Or(*[self.statement(s) for s in sts]) if sts else z3.BoolVal(False)

    def allowed(self, identity: Sequence[Mapping[str, Any]],
                boundary: Sequence[Mapping[str, Any]] | None = None) -> z3.BoolRef:
        """No explicit Deny in either layer, an identity Allow, and (with a boundary) a boundary Allow."""
        parts = [self.effect(identity, "Allow"), z3.Not(self.effect(identity, "Deny"))]
        if boundary is not None:
            parts += [self.effect(boundary, "Allow"), z3.Not(self.effect(boundary, "Deny"))]
        return z3.And(*parts)


# --- questions ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """``proved``, ``witness`` (with :attr:`request`) or ``unknown`` (with :attr:`features`)."""

    verdict: str
    request: Mapping[str, Any] | None = None
    features: tuple[str, ...] = ()


def find_allowed(identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None, *,
                 universe: Iterable[str], actions: Sequence[str] = ("*",),
                 where: Callable[[Request], z3.BoolRef] | None = None, timeout_ms: int = 60_000) -> Answer:
    """Is some request for one of ``actions`` (globs over ``universe``) that satisfies ``where`` allowed?
    ``proved``: none is; ``witness``: this one is (resting on no unmodelled condition); ``unknown``: only requests
    that rest on an unmodelled condition are (or the solver gave up)."""
    docs = list(identity) + list(boundary or ())
    request = Request(action_classes(universe, policy_action_patterns(docs) + list(actions)))
    enc = Encoder(request)
    asked = [i for i, cls in enumerate(request.classes) if any(fnmatch.fnmatchcase(cls[0], a.lower()) for a in actions)]
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(enc.allowed(identity, boundary))
    solver.add(z3.Or(*[request.action == i for i in asked]) if asked else z3.BoolVal(False))
    if where is not None:
        solver.add(where(request))
    solver.add(request.well_formed())
    result = solver.check()
    if result == z3.unsat:
        return Answer("proved")
    if result != z3.sat:
        return Answer("unknown", features=("solver: " + str(solver.reason_unknown()),))
    model = solver.model()
    used = [str(f) for f in enc.assumed if z3.is_true(model.eval(f, model_completion=True))]
    concrete = _concrete(request, model)
    if used:
        return Answer("unknown", concrete, tuple(sorted(enc.unknowns)))
    return Answer("witness", concrete)


def _concrete(request: Request, model: z3.ModelRef) -> dict[str, Any]:
    cls = request.classes[model.eval(request.action, model_completion=True).as_long()]
    context: dict[str, Any] = {}
    for k in request.keys.values():
        if z3.is_true(model.eval(k.present, model_completion=True)):
            n = model.eval(k.count, model_completion=True).as_long()
            vals = [model.eval(k.values[i], model_completion=True).as_string() for i in range(n)]
            context[k.name] = vals if n > 1 else vals[0]
    return {"action": cls[0], "resource": model.eval(request.resource, model_completion=True).as_string(),
            "context": context}


class ConcreteDecider:
    """Decides concrete requests against one principal's policies with one solver (push/pop per request): the
    symbolic evaluator asked about single requests, for differential tests against a concrete evaluator."""

    def __init__(self, identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None,
                 universe: Iterable[str]) -> None:
        docs = list(identity) + list(boundary or ())
        self.request = Request(action_classes(universe, policy_action_patterns(docs)))
        self.encoder = Encoder(self.request)
        #: ``allowed(request)``; a request's well-formedness is its own business (every variable is given).
        self.formula = self.encoder.allowed(identity, boundary)
        self._index = {a: i for i, cls in enumerate(self.request.classes) for a in cls}

    def decide(self, action: str, resource: str, context: Mapping[str, Any] | None = None) -> str:
        """``Allowed``, ``Denied`` or ``unknown`` (the answer rests on an unmodelled condition, the action is not in
        the universe, or a key holds more values than :data:`SET_BOUND`). Every variable is made ground and the
        formula simplified to a constant; the unmodelled conditions' flags are tried false, then true."""
        index = self._index.get(action.lower())
        if index is None:
            return "unknown"
        context = {k.lower(): v for k, v in (context or {}).items()}
        r = self.request
        pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = [(r.action, z3.IntVal(index)),
                                                     (r.resource, z3.StringVal(resource))]
        for low, key in r.keys.items():
            given = context.get(low)
            values = [] if given is None else [str(v).lower() if isinstance(v, bool) else str(v)
                                               for v in _listify(given)]
            if len(values) > SET_BOUND:
                return "unknown"
            padded = values + [""] * (SET_BOUND - len(values))  # unused slots: any value, never read
            pairs += [(key.present, z3.BoolVal(bool(values))), (key.count, z3.IntVal(len(values))),
                      (key.value, z3.StringVal(padded[0]))]
            pairs += [(key.values[i], z3.StringVal(v)) for i, v in enumerate(padded)]
        ground = z3.substitute(self.formula, *pairs)
        outcomes = []
        for assumed in (False, True) if self.encoder.assumed else (False,):
            flags = [(f, z3.BoolVal(assumed)) for f in self.encoder.assumed]
            value = z3.simplify(z3.substitute(ground, *flags) if flags else ground)
            if not (z3.is_true(value) or z3.is_false(value)):
                solver = z3.Solver()
                solver.add(value)
                value = z3.BoolVal(solver.check() == z3.sat)
            outcomes.append(z3.is_true(value))
        if outcomes[0]:
            return "Allowed"
        return "unknown" if any(outcomes) else "Denied"
