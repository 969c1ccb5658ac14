"""The questions the library asks of itself, symbolically, for every persona of the proof (issue 21).

Each persona's policies (as the generated proof builds them: ``tests/proof/personas.py``) go into one
:class:`~medialive_iam_constructs.prove.symbolic.Prover`, which answers over *every* request (every action of the
shipped IAM reference, every resource string, every value of every condition key the policies name), not a sample:

* **scope** (:func:`declared_documents`): is any request allowed that the persona's own catalog rows do not declare?
  The declared scope is built from the rows themselves (each grant's actions, its resource kinds' ARN formats with
  the identifiers open, this account and region, its conditions), not written again.
* **invariants** (:data:`INVARIANTS`): the "Never" column of ``docs/threat-model.md`` asked directly, because a hole
  can sit inside a row as well as outside it. Each answer must be ``proved``, or the invariant's residual for that
  persona (:data:`RESIDUALS`) must be named in the threat model with its reason.
* **inside** (:func:`inside_questions`): every Allow the library wrote for a role under a boundary is allowed by the
  boundary too (a workflow role that cannot reach its own bucket is a broken channel), and every row of every
  persona allows some request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import z3

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.activities import (CREDENTIAL_READS, TAG_ON_CREATE, TAG_SCOPED_KINDS,
                                                         UNSCOPABLE_CREDENTIAL_READS, UNSCOPABLE_ROWS)
from medialive_iam_constructs.prove.symbolic import Answer, Prover, Request, arn_matches, glob, spelled
from medialive_iam_constructs.template import listed, statements

from . import personas as P
from . import universe as U

ACCOUNT, REGION, PARTITION = U.TEST_ACCOUNT, U.REGION, U.PARTITION
_ENV = {"${Partition}": PARTITION, "${Region}": REGION, "${Account}": ACCOUNT}
_PLACEHOLDER = re.compile(r"\$\{[A-Za-z]+\}")


# --------------------------------------------------------------------------------------------------
# The declared scope: the persona's rows as policy statements
# --------------------------------------------------------------------------------------------------


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for k, v in {**_ENV, **values}.items():
            value = value.replace(k, v)
        return value
    if isinstance(value, Mapping):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fill(v, values) for v in value]
    return value


def _open(value: Any) -> bool:
    return bool(_PLACEHOLDER.search(str(value)))


def declared_documents(p: P.Persona) -> list[dict]:
    """The persona's catalog rows as one policy document: per grant, its actions on its kinds' ARN formats (every
    identifier open but those the catalog fixes, this account and region, the kinds' extra forms) or ``*``, under
    its conditions. A condition on a value only the construct knows (a notification prefix, a policy path) is left
    out of an Allow (the scope is wider), and a Deny that needs one, or whose resources the construct names, is left
    out (wider again): the invariants ask about those values directly."""
    values = {}
    boundary = p.namespace.context.get("iam:PermissionsBoundary")
    if boundary:
        values["${MediaLiveRoleBoundaryArn}"] = boundary
    declared = []
    for row in catalog.rows(p.rows):
        for grant in row.grants:
            if grant.on_star:
                resources = ["*"]
            else:
                resources = [a for k in grant.kinds
                             for a in k.render_all(partition=PARTITION, region=REGION, account=ACCOUNT,
                                                   **grant.identifiers)]
            conditions: dict[str, dict] = {}
            complete = True
            for op, keys in _fill(dict(grant.conditions), values).items():
                kept = {k: v for k, v in keys.items() if not _open(v)}
                complete &= len(kept) == len(keys)
                if kept:
                    conditions[op] = kept
            bound = all(set(k.identifier_names) <= set(grant.identifiers) | set(k.defaults) for k in grant.kinds)
            if grant.effect == "Deny" and not (complete and bound):
                continue  # a Deny the construct binds to its own resources would deny too much here
            st = {"Effect": grant.effect, "Action": list(grant.actions), "Resource": resources}
            if conditions:
                st["Condition"] = conditions
            declared.append(st)
    return [{"Version": "2012-10-17", "Statement": declared}]


# --------------------------------------------------------------------------------------------------
# Invariants: the threat model's "Never" column
# --------------------------------------------------------------------------------------------------


def _in(r: Request, pattern: str) -> z3.BoolRef:
    return r.matches(pattern)


def _key_is(r: Request, key: str, *values: str, fold: bool = False, multi: bool = False) -> z3.BoolRef:
    """``key`` is present and its value (every value, for a set: ``multi``) is one of ``values``."""
    k = r.key(key, multi=multi, test=("stringequals" + ("ignorecase" if fold else ""), values) if multi else None)
    rx = z3.Union(*[glob(v, wildcards=False, fold=fold) for v in values]) if len(values) > 1 else \
        glob(values[0], wildcards=False, fold=fold)
    if not multi:
        return z3.And(k.present, z3.InRe(k.value, rx))
    return z3.And(k.present, *[z3.Implies(i < k.count, z3.InRe(k.values[i], rx)) for i in range(len(k.values))])


def _any_value(r: Request, key: str, holds: Callable[[z3.SeqRef], z3.BoolRef], test: tuple) -> z3.BoolRef:
    """Some value of the multi-valued ``key`` ``holds`` (``test``: the set test it makes, see ``Key.tests``)."""
    k = r.key(key, multi=True, test=test)
    return z3.Or(*[z3.And(i < k.count, holds(k.values[i])) for i in range(len(k.values))])


_DIGITS = z3.Plus(z3.Range("0", "9"))


def _other_account(r: Request) -> z3.BoolRef:
    """An ARN whose account field is another 12-digit account, or an ARN that names no account (an S3 bucket's)
    of a resource that another account owns (``aws:ResourceAccount``: a bucket name is global, and the bucket of
    that name may be someone else's)."""
    owner = r.key("aws:ResourceAccount")
    account = r.segments[3]
    return z3.And(z3.Not(r.star), z3.Or(
        z3.And(z3.InRe(account, _DIGITS), account != z3.StringVal(ACCOUNT)),
        z3.And(account == z3.StringVal(""), owner.present, z3.InRe(owner.value, _DIGITS),
               owner.value != z3.StringVal(ACCOUNT))))
_OWN_SNS = f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:*"


def _outside_own_sns(v: z3.SeqRef) -> z3.BoolRef:
    """Not one of this account's topics, as an ARN condition compares (an ARN without the topic name included)."""
    return z3.Not(arn_matches(v, _OWN_SNS))


_OWN_SNS_TEST = ("arnlike", (f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:*",))


_NAMED: dict[int, z3.BoolRef] = {}


def _named(p: P.Persona, r: Request) -> z3.BoolRef:
    """The request is allowed by a statement that names resources (not ``*``): set by :func:`prover_for`."""
    return _NAMED[id(r)]


def _tag(p: P.Persona) -> tuple[str, str]:
    assert p.namespace.tag is not None
    return p.namespace.tag


@dataclass(frozen=True)
class Invariant:
    """One "Never" of the threat model: for the personas it ``applies`` to, no allowed request for ``actions``
    satisfies ``where``."""

    id: str
    never: str
    actions: tuple[str, ...]
    where: Callable[[P.Persona, Request], z3.BoolRef]
    applies: Callable[[P.Persona], bool] = lambda p: True


_ROLE_POLICY_WRITES = ("iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy",
                       "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:CreateRole")
_POLICY_WRITES = ("iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion",
                  "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy")
_STACK_WRITES = ("cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DeleteStack",
                 "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:ContinueUpdateRollback",
                 "cloudformation:RollbackStack", "cloudformation:SetStackPolicy", "cloudformation:CancelUpdateStack",
                 "cloudformation:ImportStacksToStackSet", "cloudformation:UpdateTerminationProtection")
#: The actions of the rows IAM cannot scope to a resource (``Batch*``).
_UNSCOPABLE_WRITES = tuple(a for rid in UNSCOPABLE_ROWS for g in catalog.ROWS[rid].grants for a in g.actions)
_ROLE_READS = ("iam:get*", "iam:list*", "iam:passrole", "iam:generate*", "iam:simulate*")


def _boundary_or_nothing(p: P.Persona, r: Request) -> z3.BoolRef:
    arn = p.namespace.context.get("iam:PermissionsBoundary")
    if not arn:
        return z3.BoolVal(True)
    k = r.key("iam:PermissionsBoundary")
    return z3.Not(z3.And(k.present, k.value == z3.StringVal(arn)))


#: Every persona of the proof keeps the default secret prefix of ``MediaLiveNamespaces`` and the administrator's
#: default ``policy_path`` (the sample's path is ``/medialive/`` too).
SECRET_PREFIX = "medialive/"
ADMIN_POLICY_PATH = "/medialive/trusted-entity/"
#: Every persona of the proof keeps the constructs' default ``notification_prefix``.
NOTIFICATION_PREFIX = "medialive"


def _not_own_rule(p: P.Persona, r: Request) -> z3.BoolRef:
    return z3.Not(_in(r, f"arn:{PARTITION}:events:{REGION}:{ACCOUNT}:rule/{NOTIFICATION_PREFIX}*"))


def _own_principal(p: P.Persona, r: Request) -> z3.BoolRef:
    return r.matches(p.principal.arn)


INVARIANTS: tuple[Invariant, ...] = (
    Invariant("other-account", "no grant that names resources reaches another account's", ("*",),
              lambda p, r: z3.And(_other_account(r), _named(p, r))),
    Invariant("pass-role-elsewhere", "a role is passed to MediaLive only", ("iam:PassRole",),
              lambda p, r: z3.Not(_key_is(r, "iam:PassedToService", "medialive.amazonaws.com"))),
    Invariant("unbounded-role-writes", "no role is created, re-trusted or given a policy without the boundary",
              _ROLE_POLICY_WRITES, _boundary_or_nothing),
    Invariant("boundary-removal", "no permissions boundary is ever removed",
              ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"), lambda p, r: z3.BoolVal(True)),
    Invariant("unbounded-policy-path", "no policy of a role without the MediaLive boundary is written "
              "(/medialive-unbounded/)", _POLICY_WRITES,
              lambda p, r: _in(r, f"arn:{PARTITION}:iam::{ACCOUNT}:policy/medialive-unbounded/*")),
    Invariant("boundary-writes", "the boundary policy itself is never rewritten or deleted", _POLICY_WRITES,
              lambda p, r: r.matches(p.namespace.context["iam:PermissionsBoundary"]),
              lambda p: "iam:PermissionsBoundary" in p.namespace.context),
    Invariant("self-escalation", "no persona writes its own group or role", ("iam:*",),
              lambda p, r: z3.And(_own_principal(p, r), z3.Not(r.action_in(_ROLE_READS))),
              lambda p: p.principal.kind in ("group", "role")),
    Invariant("assume-role", "no persona assumes a role", ("sts:AssumeRole*",), lambda p, r: z3.BoolVal(True)),
    Invariant("console-role-writes", "MediaLiveAccessRole's trust and policies are never written", ("iam:*",),
              lambda p, r: z3.And(r.matches(f"arn:{PARTITION}:iam::{ACCOUNT}:role/MediaLiveAccessRole"),
                                  z3.Not(r.action_in(_ROLE_READS)))),
    Invariant("crown-stacks", "CDKToolkit, StackSet instances and the app's own stack are never written",
              ("cloudformation:*",),
              lambda p, r: z3.And(z3.Or(*[_in(r, f"arn:{PARTITION}:cloudformation:*:{ACCOUNT}:stack/{n}/*")
                                          for n in ("CDKToolkit", "StackSet-*", p.namespace.stack_name)]),
                                  z3.Not(r.action_in(("cloudformation:describe*", "cloudformation:list*",
                                                            "cloudformation:get*", "cloudformation:detect*",
                                                            "cloudformation:validate*", "cloudformation:estimate*"))))),
    Invariant("stack-service-role", "no stack is created, updated or deleted with a service role", _STACK_WRITES,
              lambda p, r: r.key("cloudformation:RoleArn").present),
    Invariant("rules-for-other-events", "no rule watches events other than the media services'", ("events:PutRule",),
              lambda p, r: z3.Not(_key_is(r, "events:source", "aws.medialive", "aws.mediaconnect", "aws.mediapackage",
                                              multi=True))),
    Invariant("rules-of-others", "no persona forwards the events of a rule it did not create",
              ("events:PutTargets", "events:RemoveTargets", "events:PutRule", "events:DeleteRule",
               "events:DisableRule", "events:EnableRule"), _not_own_rule),
    Invariant("rules-of-others-directly", "no persona changes a rule it did not create by a direct call (not "
              "through CloudFormation)", ("events:PutTargets", "events:RemoveTargets", "events:PutRule",
                                          "events:DeleteRule", "events:DisableRule", "events:EnableRule"),
              lambda p, r: z3.And(_not_own_rule(p, r), z3.Not(r.key("aws:CalledVia", multi=True).present))),
    Invariant("targets-outside", "rule targets and alarm actions stay on this account's SNS topics",
              ("events:PutTargets",),
              lambda p, r: z3.Or(z3.Not(r.key("events:TargetArn").present),
                                 _any_value(r, "events:TargetArn", _outside_own_sns, _OWN_SNS_TEST))),
    Invariant("alarm-actions-outside", "alarm actions stay on this account's SNS topics", ("cloudwatch:PutMetricAlarm",),
              lambda p, r: _any_value(r, "cloudwatch:AlarmActions", _outside_own_sns, _OWN_SNS_TEST)),
    Invariant("subscribe-outside", "notifications are e-mailed (or sent to the listed endpoints) only",
              ("sns:Subscribe",),
              lambda p, r: z3.Not(_key_is(r, "sns:Protocol", "email", "email-json"))),
    Invariant("kms-directly", "no key is used but through Parameter Store", ("kms:Decrypt", "kms:GenerateDataKey*",
                                                                             "kms:Encrypt", "kms:ReEncrypt*"),
              lambda p, r: z3.Not(_key_is(r, "kms:ViaService", f"ssm.{REGION}.amazonaws.com",
                                          f"secretsmanager.{REGION}.amazonaws.com"))),
    Invariant("secrets-outside-namespace", "a role under the boundary reads no secret outside the namespaces' prefix",
              ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
              lambda p, r: z3.Not(_in(r, f"arn:{PARTITION}:secretsmanager:{REGION}:{ACCOUNT}:secret:{SECRET_PREFIX}*")),
              lambda p: p.principal.permissions_boundary is not None),
    Invariant("operator-policies", "the administrator writes no policy outside its policy path (operator groups' "
              "policies, its own, the boundary)", _POLICY_WRITES,
              lambda p, r: z3.And(_in(r, f"arn:{PARTITION}:iam::{ACCOUNT}:policy/*"),
                                  z3.Not(_in(r, f"arn:{PARTITION}:iam::{ACCOUNT}:policy{ADMIN_POLICY_PATH}*"))),
              lambda p: p.kind == "admin"),
    # tag-scoped teams
    # a read that returns every resource's credentials and takes no resource (UNSCOPABLE_CREDENTIAL_READS) reads
    # another team's whatever the tag
    Invariant("cross-team-credentials", "no tag-scoped team reads another team's credentials",
              tuple(CREDENTIAL_READS) + ("secretsmanager:GetSecretValue",) + UNSCOPABLE_CREDENTIAL_READS,
              lambda p, r: z3.Or(z3.Not(_key_is(r, f"aws:ResourceTag/{_tag(p)[0]}", _tag(p)[1])),
                                 r.action_in(UNSCOPABLE_CREDENTIAL_READS)),
              lambda p: p.namespace.tag is not None),
    # a write IAM cannot scope to a resource (the rows of UNSCOPABLE_ROWS: Batch* on *) acts on every team's
    Invariant("other-teams-resources", "no tag-scoped team writes or reads another team's MediaLive resources",
              ("medialive:*",),
              lambda p, r: z3.Or(
                  z3.And(z3.Or(*[_in(r, k.render(partition=PARTITION, region=REGION, account=ACCOUNT))
                                 for k in TAG_SCOPED_KINDS]),
                         z3.Not(_key_is(r, f"aws:ResourceTag/{_tag(p)[0]}", _tag(p)[1])),
                         z3.Not(r.action_in(tuple(TAG_ON_CREATE)))),
                  r.action_in(_UNSCOPABLE_WRITES)),
              lambda p: p.namespace.tag is not None),
    Invariant("create-with-others-tag", "no tag-scoped team creates a resource without its own tag",
              tuple(TAG_ON_CREATE),
              lambda p, r: z3.And(z3.Or(*[z3.And(r.action_in((a,)), _in(r, k.render(
                  partition=PARTITION, region=REGION, account=ACCOUNT))) for a, k in TAG_ON_CREATE.items()]),
                  z3.Not(_key_is(r, f"aws:RequestTag/{_tag(p)[0]}", _tag(p)[1]))),
              lambda p: p.namespace.tag is not None),
    Invariant("tag-key", "no tag-scoped team changes its tag key", ("medialive:CreateTags", "medialive:DeleteTags"),
              lambda p, r: _any_value(r, "aws:TagKeys",
                                      lambda v: z3.InRe(v, glob(_tag(p)[0], wildcards=False, fold=True)),
                                      ("stringequalsignorecase", (_tag(p)[0],))),
              lambda p: p.namespace.tag is not None),
)


def exclusion_patterns() -> list[str]:
    """Action patterns the invariants exclude (they shape the action classes too)."""
    return list(_ROLE_READS) + list(TAG_ON_CREATE) + [
        "cloudformation:describe*", "cloudformation:list*", "cloudformation:get*", "cloudformation:detect*",
        "cloudformation:validate*", "cloudformation:estimate*"]


# --------------------------------------------------------------------------------------------------
# Residuals: an invariant that does not hold for a persona, and the threat model's words for why
# --------------------------------------------------------------------------------------------------

#: ``(invariant id, opt-in prop or persona kind)`` -> a passage ``docs/threat-model.md`` must contain.
RESIDUALS: dict[tuple[str, str], str] = {
    # S29/S31: writing the console role is what the opt-in is, by its very name
    ("unbounded-role-writes", "simple_role_write_equals_iam_admin"): "write `MediaLiveAccessRole`'s trust and policy: IAM administration",
    ("console-role-writes", "simple_role_write_equals_iam_admin"): "write `MediaLiveAccessRole`'s trust and policy: IAM administration",
    # W4: rule writes only through CloudFormation (aws:CalledVia); which rules a stack under the prefix names is
    # not something IAM sees
    # the two props that give a tag-scoped team back what IAM cannot scope to a tag, at their stated cost
    ("other-teams-resources", "allow_batch_operations"): "batch start, stop or delete every channel, input and multiplex of the account",
    ("cross-team-credentials", "mediapackage_channel_listing"): "`mediapackage_channel_listing=True` returns every v1 channel's credentials",
    ("rules-of-others", "workflow_monitor_deploy"): "CloudFormation adopting an existing rule or alarm by name (undocumented)",
}


def residual_for(p: P.Persona, invariant: Invariant) -> str | None:
    for key in (*p.opt_ins, p.kind, p.id):
        text = RESIDUALS.get((invariant.id, key))
        if text:
            return text
    return None


# --------------------------------------------------------------------------------------------------
# Asking
# --------------------------------------------------------------------------------------------------


@dataclass
class Asked:
    persona: str
    question: str
    answer: Answer
    seconds: float


def prover_for(p: P.Persona, *, extra: Iterable[str] = ()) -> tuple[Prover, Any]:
    """The persona's prover and its declared-scope formula (narrowed: the question negates it)."""
    identity = [n.document for n in p.principal.identity_policies]
    boundary = None if p.principal.permissions_boundary is None else [n.document for n in p.principal.permissions_boundary]
    declared = declared_documents(p)
    patterns = [a for inv in INVARIANTS for a in inv.actions] + exclusion_patterns() + list(extra)
    named = _naming_resources(identity)
    prover = Prover(identity, boundary, others=[declared], patterns=patterns)
    scope = prover.formula(declared)
    named_by_identity = prover.formula(named, boundary, widen=True)
    if boundary is None:
        _NAMED[id(prover.request)] = named_by_identity
    else:  # under a boundary, a grant that names resources may sit in either layer (AdministratorAccess names none)
        _NAMED[id(prover.request)] = z3.Or(named_by_identity,
                                           prover.formula(identity, _naming_resources(boundary), widen=True))
    return prover, scope


def _naming_resources(documents: Iterable[Mapping[str, Any]]) -> list[dict]:
    """The documents' statements that name resources (no ``*`` among their Resource)."""
    return [{"Statement": [st for st in statements([d]) if "*" not in listed(st.get("Resource", []))]}
            for d in documents]


# --------------------------------------------------------------------------------------------------
# Inside must work
# --------------------------------------------------------------------------------------------------


def _identity(p: P.Persona) -> list[Mapping[str, Any]]:
    return [n.document for n in p.principal.identity_policies]


def _boundary(p: P.Persona) -> list[Mapping[str, Any]] | None:
    return None if p.principal.permissions_boundary is None else [n.document for n in p.principal.permissions_boundary]


def broken_grants(p: P.Persona) -> Answer:
    """A request the library's own Allow statements give the persona that the persona is not allowed (its boundary
    or a Deny refuses it): ``proved`` means every grant the library wrote works. For principals under a boundary."""
    own = [{"Statement": [st for st in statements([n.document]) if st.get("Effect") == "Allow"]}
           for n in p.principal.identity_policies if not n.name.startswith("aws-managed:")]
    prover = Prover(own, None, others=[_identity(p), _boundary(p) or []])
    in_account = lambda r: z3.And(_own_resources(r), z3.Not(prover.formula(_identity(p), _boundary(p))))  # noqa: E731
    return prover.ask(where=in_account)


def _own_resources(r: Request) -> z3.BoolRef:
    """The resource is this account's (a bucket ARN names no account: ``aws:ResourceAccount`` does)."""
    owner = r.key("aws:ResourceAccount")
    return z3.Or(r.star, z3.And(owner.present, owner.value == z3.StringVal(ACCOUNT)))


def dead_actions(p: P.Persona, prover: Prover, alive: Iterable[str] = ()) -> dict[str, list[str]]:
    """Row id -> the actions of its Allow grants that no request is allowed (a row reported and not working).
    ``alive``: actions already seen allowed on this account's resources (a concrete request iam-simulate allowed is
    a witness too); the solver looks for the others."""
    seen = {a.lower() for a in alive}
    out: dict[str, list[str]] = {}
    for row in catalog.rows(p.rows):
        actions = [a for g in row.grants if g.effect == "Allow" for a in g.actions if a.lower() not in seen]
        if not actions:
            continue
        answer = prover.ask(actions, _own_resources, every=True)
        alive = {w["action"] for w in answer.witnesses}
        live_classes = {i for i, cls in enumerate(prover.request.classes) if alive & set(cls)}
        dead = [a for a in actions if not any(a.lower() in prover.request.classes[i] for i in live_classes)]
        if dead:
            out[row.id] = dead
    return out


# --------------------------------------------------------------------------------------------------
# Replaying a witness through iam-simulate
# --------------------------------------------------------------------------------------------------


def replay(p: P.Persona, witness: Mapping[str, Any], evaluator) -> str:
    """iam-simulate's decision on a symbolic witness (the caller's account as the resource account, so that the
    decision is the identity policies' and boundary's alone, as in the generated proof); ``error: ...`` when it
    cannot evaluate it."""
    from tools.iam_evaluator import EvaluationError

    resource = witness["resource"]
    # a KMS key is authorized by its key policy too: the proof's default one delegates to the account's IAM policies
    key_policy = (U.RESOURCE_POLICIES["kms-default-key-policy"] if re.match(r"arn:[^:]+:kms:[^:]*:[^:]*:key/", resource)
                  else None)
    try:
        return evaluator.evaluate(
            identity_policies=p.principal.identity_policies, permission_boundaries=p.principal.permissions_boundary,
            action=spelled(witness["action"]), resource=resource, principal=p.principal.principal_arn,
            account_id=ACCOUNT, context={"aws:ResourceAccount": ACCOUNT, **dict(witness.get("context") or {})},
            resource_policy=key_policy).result
    except EvaluationError as e:
        return f"error: {str(e)[:200]}"


def dead_by_design(p: P.Persona, row: str, actions: list[str]) -> str | None:
    """Why a row's actions are left out on purpose for this persona (tag scoping takes out what IAM cannot scope to
    a tag: ``catalog/activities.py`` PATH_READS, UNSCOPABLE_CREDENTIAL_READS, UNSCOPABLE_ROWS); None: not by design."""
    from medialive_iam_constructs.catalog.activities import PATH_READS, UNSCOPABLE_CREDENTIAL_READS, UNSCOPABLE_ROWS

    from medialive_iam_constructs.prove.symbolic import shipped_actions

    known = {a.lower() for a in shipped_actions()}
    if all(a.lower() not in known for a in actions):
        return "not in the shipped IAM reference (MediaConnect's Managed* actions, E14: no request can name them)"
    if p.namespace.tag is None:
        return None
    left_out = set(PATH_READS) | set(UNSCOPABLE_CREDENTIAL_READS)
    if row in UNSCOPABLE_ROWS or set(actions) <= left_out:
        return "tag scoping leaves out what IAM cannot scope to a tag (catalog/activities.py)"
    return None
