"""The one reader of synthesized CloudFormation templates: intrinsics written as text or resolved to values, policy
documents flattened into statements, and the policies each principal holds.

Every part of the package and of the repository's dev tools that reads a template reads it here (the policies of a
principal, resolved for an evaluator or a proof, are :class:`~medialive_iam_constructs.principals.TemplatePrincipals`,
built on :class:`TemplateValues`). Pure Python: no CDK, no node.

One walk (:meth:`Text.render`) visits a template value; a *style* says how each intrinsic is written. The styles
differ on purpose, each for the reader that needs it:

* :class:`WorstCase` (the packer's sizes, :func:`~medialive_iam_constructs.packing.document_size`, reference §7.1):
  a string of the intrinsic's longest real length: a pseudo parameter its longest value (:data:`PSEUDO_LENGTHS`),
  anything else :data:`UNRESOLVED_TOKEN_CHARS`, so that a policy that fits at synth fits in every partition and
  region (D6).
* :class:`Symbolic` (the packer's order with ``opaque=True``, day-2 permission atoms with ``opaque=False``): text as
  ``Fn::Sub`` writes it (``${Id}``, ``${Id.Attr}``, ``${AWS::Region}``), joins joined: stable, never a token's
  number. What cannot be written so becomes ``${<canonical JSON>}`` (``opaque``: every value orders as text) or is
  kept as it is (an ``Fn::Sub`` then keeps its own text).
* :class:`Placeholders` (cdk-nag's finding ids with ``fallback=str``; the handout with ``fallback=`` sorted JSON and
  ``roles=``): ``<Id>``, ``<Id.Attr>``, ``<AWS::Partition>``, ``<ImportedName>`` as cdk-nag prints them; with
  ``roles`` a role's ``Arn`` is its ARN with the role's literal name, as the handout lists the roles to choose.
* :class:`Pseudo` (a boundary's coverage, :func:`~medialive_iam_constructs.namespaces.uncovered`): text with only
  the pseudo parameters of an ARN's fields left, as ``${Partition}``, ``${Region}``, ``${AccountId}`` (no ``:``);
  ``None`` when any other intrinsic is left.
* :class:`TemplateValues` (the IAM evaluator and the proofs through
  :class:`~medialive_iam_constructs.principals.TemplatePrincipals`, the local-deploy verifier): concrete values in
  one account, region and partition. ``physical_ids`` (a deployed stack) names resources only through that map;
  ``conditions`` evaluates ``Fn::If`` and the template's conditions (the verifier knows where the stack runs; a proof
  leaves them unresolved rather than choose a branch for an environment it only assumes).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Mapping

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_PARTITION",
    "DEFAULT_REGION",
    "DEFAULT_STACK_NAME",
    "NO_VALUE",
    "PSEUDO_LENGTHS",
    "UNRESOLVED_TOKEN_CHARS",
    "Placeholders",
    "Pseudo",
    "Symbolic",
    "TemplateResolutionError",
    "TemplateValues",
    "Text",
    "WorstCase",
    "canonical",
    "listed",
    "policy_holders",
    "references",
    "statements",
]

DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-west-2"
DEFAULT_PARTITION = "aws"
DEFAULT_STACK_NAME = "TestStack"

#: Longest real value of each pseudo parameter, in characters (partition ``aws-us-gov``, region 14, account 12, URL
#: suffix ``amazonaws.com.cn``): what the packer counts for them (reference §7.1).
PSEUDO_LENGTHS = {
    "AWS::Partition": 10,
    "AWS::Region": 14,
    "AWS::AccountId": 12,
    "AWS::URLSuffix": 16,
    "AWS::StackName": 128,
    "AWS::StackId": 128,
    "AWS::NoValue": 0,
}
#: What any other unresolved intrinsic counts for: an ARN with a 64-character name and a short path.
UNRESOLVED_TOKEN_CHARS = 128

#: ``{"Ref": "AWS::NoValue"}`` resolved: dropped from the list or mapping that holds it.
NO_VALUE: Any = type("NoValue", (), {"__repr__": lambda self: "AWS::NoValue"})()

PRINCIPAL_TYPES = {"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group"}
#: The property that names each IAM resource (unnamed: CloudFormation names it).
NAME_PROPS = {"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName", "AWS::IAM::Group": "GroupName",
              "AWS::IAM::ManagedPolicy": "ManagedPolicyName"}
_ARN_KINDS = {"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group",
              "AWS::IAM::ManagedPolicy": "policy"}
#: Which property of a policy resource lists the principals of each kind it is attached to.
POLICY_LISTS = {"group": "Groups", "role": "Roles", "user": "Users"}


class TemplateResolutionError(ValueError):
    """The template cannot be turned into concrete policies (unknown intrinsic, unknown policy...)."""


def listed(value: Any) -> list:
    """A policy field that may be one value or a list of them (``Action``, ``Resource``, ``Statement``), as a list."""
    return value if isinstance(value, list) else [value]


def statements(documents: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The statements of policy documents, in order (a document's ``Statement`` may be one statement or a list)."""
    return [st for d in documents for st in listed(d.get("Statement", []))]


def canonical(value: Any) -> str:
    """``value`` as compact JSON with sorted keys: equal template values, equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _get_att_target(arg: Any) -> tuple[str, str] | None:
    """``(logical id, attribute)`` of ``Fn::GetAtt``'s argument (``["Id", "Attr"]`` or ``"Id.Attr"``)."""
    if isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
        return arg[0], arg[1]
    if isinstance(arg, str) and "." in arg:
        target, attribute = arg.split(".", 1)
        return target, attribute
    return None


class Text:
    """How one reader writes a template value: one method per intrinsic, the walk (:meth:`render`) shared.

    The defaults keep a value as it is: lists and mappings are walked, an intrinsic the style does not write is
    left as its mapping, ``Fn::Join`` of parts that are all text is joined."""

    def render(self, value: Any) -> Any:
        """``value`` with every intrinsic written in this style."""
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            if len(value) == 1:
                (name, arg), = value.items()
                if name == "Ref" and isinstance(arg, str):
                    return self.ref(arg, value)
                if name == "Fn::GetAtt" and (target := _get_att_target(arg)) is not None:
                    return self.get_att(target[0], target[1], value)
                if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
                    items = arg[1]
                    parts = [self.render(p) for p in items] if isinstance(items, list) else self.render(items)
                    return self.join(arg[0], parts, value)
                if name == "Fn::Sub":
                    return self.sub(arg, value)
                if name == "Ref" or name.startswith("Fn::"):
                    return self.function(name, arg, value)
            return self.mapping(value)
        if isinstance(value, list):
            return self.sequence(value)
        return self.scalar(value)

    def ref(self, name: str, value: Mapping[str, Any]) -> Any:
        return self.function("Ref", name, value)

    def get_att(self, target: str, attribute: str, value: Mapping[str, Any]) -> Any:
        return self.function("Fn::GetAtt", value["Fn::GetAtt"], value)

    def join(self, separator: Any, parts: Any, value: Mapping[str, Any]) -> Any:
        if isinstance(separator, str) and isinstance(parts, list) and all(isinstance(p, str) for p in parts):
            return separator.join(parts)
        return self.function("Fn::Join", value["Fn::Join"], value)

    def sub(self, arg: Any, value: Mapping[str, Any]) -> Any:
        return self.function("Fn::Sub", arg, value)

    def function(self, name: str, arg: Any, value: Mapping[str, Any]) -> Any:
        """An intrinsic the style has no other method for (or could not write that way)."""
        return self.mapping(value)

    def mapping(self, value: Mapping[str, Any]) -> Any:
        return {k: self.render(v) for k, v in value.items()}

    def sequence(self, value: list) -> Any:
        return [self.render(v) for v in value]

    def scalar(self, value: Any) -> Any:
        return value


class WorstCase(Text):
    """Each intrinsic as a string of its longest real length, for IAM's size quotas (reference §7.1, D6)."""

    def ref(self, name: str, value: Mapping[str, Any]) -> Any:
        return "x" * PSEUDO_LENGTHS.get(name, UNRESOLVED_TOKEN_CHARS)

    def join(self, separator: Any, parts: Any, value: Mapping[str, Any]) -> Any:
        if not isinstance(parts, list):
            return self.function("Fn::Join", value["Fn::Join"], value)
        return separator.join(p if isinstance(p, str) else "x" * UNRESOLVED_TOKEN_CHARS for p in parts)

    def function(self, name: str, arg: Any, value: Mapping[str, Any]) -> Any:
        return "x" * UNRESOLVED_TOKEN_CHARS


class Symbolic(Text):
    """Intrinsics as ``Fn::Sub`` writes them (``${Id}``, ``${Id.Attr}``, ``${AWS::Region}``), joins joined: stable
    text (logical ids and pseudo parameters, never a token's number).

    ``opaque=True`` (the packer's sort keys): an intrinsic that cannot be written so becomes ``${<canonical JSON>}``,
    so that every value orders as text. ``opaque=False`` (day-2 permission atoms): it is kept as it is, and an
    ``Fn::Sub`` keeps its text."""

    def __init__(self, *, opaque: bool) -> None:
        self.opaque = opaque

    def ref(self, name: str, value: Mapping[str, Any]) -> Any:
        return "${" + name + "}"

    def get_att(self, target: str, attribute: str, value: Mapping[str, Any]) -> Any:
        return "${" + target + "." + attribute + "}"

    def sub(self, arg: Any, value: Mapping[str, Any]) -> Any:
        if not self.opaque and isinstance(arg, str):
            return arg
        return self.function("Fn::Sub", arg, value)

    def function(self, name: str, arg: Any, value: Mapping[str, Any]) -> Any:
        if self.opaque and name.startswith("Fn::"):
            return "${" + canonical(value) + "}"
        return self.mapping(value)


class Placeholders(Text):
    """Text with intrinsics as ``<Id>``, ``<Id.Attr>``, ``<AWS::Partition>``, ``<ImportedName>`` (cdk-nag's finding
    ids); any other value ``fallback(value)`` (cdk-nag: ``str``; the handout: sorted JSON).

    ``roles``: the template's resources; a role's ``Arn`` is then written as its ARN when the role has a literal
    name (``arn:<AWS::Partition>:iam::<AWS::AccountId>:role/path/name``), as the handout shows the roles to choose.

    ``pseudo``: values of pseudo parameters known for the stack (``{"AWS::AccountId": "111122223333"}``, from its
    environment: :meth:`~medialive_iam_constructs.assembly.StackTemplate.pseudo_parameters`), written instead of
    their placeholders; the others stay ``<AWS::...>``."""

    def __init__(self, *, fallback: Callable[[Any], str], roles: Mapping[str, Any] | None = None,
                 pseudo: Mapping[str, str] | None = None) -> None:
        self.fallback = fallback
        self.roles = roles
        self.pseudo = dict(pseudo or {})

    def ref(self, name: str, value: Mapping[str, Any]) -> Any:
        return self.pseudo.get(name, f"<{name}>")

    def get_att(self, target: str, attribute: str, value: Mapping[str, Any]) -> Any:
        if self.roles is not None and attribute == "Arn":
            props = (self.roles.get(target) or {}).get("Properties") or {}
            name = props.get("RoleName")
            if isinstance(name, str):
                return (f"arn:{self.ref('AWS::Partition', value)}:iam::{self.ref('AWS::AccountId', value)}:"
                        f"role{props.get('Path', '/')}{name}")
        return f"<{target}.{attribute}>"

    def function(self, name: str, arg: Any, value: Mapping[str, Any]) -> Any:
        if name == "Fn::ImportValue":
            return f"<{self.render(arg)}>"
        return self.fallback(value)

    def mapping(self, value: Mapping[str, Any]) -> Any:
        return self.fallback(value)

    sequence = scalar = mapping


class Pseudo(Text):
    """Text with the pseudo parameters of an ARN's fields kept as ``${Partition}``, ``${Region}``, ``${AccountId}``
    (no ``:``, so that the fields can still be split); ``None`` when any other intrinsic is left."""

    NAMES = {"AWS::Partition": "${Partition}", "AWS::Region": "${Region}", "AWS::AccountId": "${AccountId}"}

    def __init__(self, named: Mapping[str, str] | None = None):
        #: Text of resources the app names literally, keyed ``"LogicalId"`` (Ref) or ``"LogicalId.Attribute"``
        #: (GetAtt): a bucket the stack creates with a ``bucket_name`` is that name, its ARN that bucket's ARN.
        self.named = named or {}

    def ref(self, name: str, value: Mapping[str, Any]) -> Any:
        return self.NAMES.get(name, self.named.get(name))

    def get_att(self, target: str, attribute: str, value: Mapping[str, Any]) -> Any:
        return self.named.get(f"{target}.{attribute}")

    def mapping(self, value: Any) -> Any:
        return None

    def function(self, name: str, arg: Any, value: Mapping[str, Any]) -> Any:
        return None

    sequence = scalar = mapping


class TemplateValues(Text):
    """Concrete values of a template's intrinsics in one account, region and partition.

    ``Ref`` of a pseudo parameter, a parameter's ``Default``, an IAM role, user, group (its name) or managed policy
    (its ARN), an S3 bucket (its name); ``Fn::GetAtt`` of their ARNs; ``Fn::Join``, ``Fn::Sub``, ``Fn::Select``,
    ``Fn::Split``; ``AWS::NoValue`` drops the value that holds it. ``overrides`` gives values the reader does not
    know, keyed ``"LogicalId"`` (Ref) or ``"LogicalId.Attribute"`` (GetAtt).

    ``physical_ids`` (the local-deploy verifier: a deployed stack): a resource's ``Ref`` and name are its physical id
    from this map, never derived from the template (CloudFormation generated the unnamed ones). ``conditions``:
    ``Fn::If``, ``Fn::Equals``, ``Fn::Not``, ``Fn::And``, ``Fn::Or`` and ``{"Condition": name}`` are evaluated with
    the template's ``Conditions`` (the verifier, which knows where the stack was deployed); without it they raise
    (the proofs and the evaluator: a branch chosen for an environment they only assume could pass what fails)."""

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        account: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        partition: str = DEFAULT_PARTITION,
        stack_name: str = DEFAULT_STACK_NAME,
        url_suffix: str | None = None,
        overrides: Mapping[str, Any] | None = None,
        physical_ids: Mapping[str, str] | None = None,
        conditions: bool = False,
    ):
        self.template = template
        self.resources: Mapping[str, Mapping[str, Any]] = template.get("Resources", {}) or {}
        self.parameters: Mapping[str, Mapping[str, Any]] = template.get("Parameters", {}) or {}
        self.account = account
        self.region = region
        self.partition = partition
        self.stack_name = stack_name
        self.overrides = dict(overrides or {})
        self.physical_ids = None if physical_ids is None else dict(physical_ids)
        self.conditions = conditions
        self._pseudo: dict[str, Any] = {
            "AWS::Partition": partition,
            "AWS::Region": region,
            "AWS::AccountId": account,
            "AWS::URLSuffix": url_suffix or ("amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"),
            "AWS::StackName": stack_name,
            "AWS::NoValue": NO_VALUE,
        }
        if physical_ids is None:  # a deployed stack's id is CloudFormation's
            self._pseudo["AWS::StackId"] = (f"arn:{partition}:cloudformation:{region}:{account}:stack/{stack_name}/"
                                            "00000000-0000-0000-0000-000000000000")
        self._evaluated: dict[str, bool] = {}

    def resolve(self, value: Any) -> Any:
        """Replace every CloudFormation intrinsic in ``value`` by its concrete value."""
        return self.render(value)

    # ---- resources -------------------------------------------------------------------------------

    def _resource(self, logical_id: str) -> Mapping[str, Any]:
        try:
            return self.resources[logical_id]
        except KeyError:
            raise TemplateResolutionError(f"no resource {logical_id!r} in the template") from None

    def _physical(self, logical_id: str) -> str:
        assert self.physical_ids is not None
        if logical_id not in self.physical_ids:
            raise TemplateResolutionError(f"Ref {logical_id}: no physical id (resource not in the deployed stack?)")
        return self.physical_ids[logical_id]

    def _typed(self, logical_id: str, table: Mapping[str, str], missing: str) -> tuple[Mapping[str, Any], str]:
        res = self._resource(logical_id)
        if res.get("Type") not in table:
            raise TemplateResolutionError(missing.format(f"{logical_id} ({res.get('Type')})"))
        return res, table[res["Type"]]

    def name_of(self, logical_id: str) -> str:
        """Physical name of a Role/User/Group/ManagedPolicy (deterministic: the logical id if unnamed)."""
        res, prop = self._typed(logical_id, NAME_PROPS, "{} has no IAM name")
        if self.physical_ids is not None:
            return self._physical(logical_id).rsplit("/", 1)[-1]  # a managed policy's physical id is its ARN
        name = (res.get("Properties") or {}).get(prop)
        return self.resolve(name) if name is not None else logical_id

    def arn_of(self, logical_id: str) -> str:
        res, kind = self._typed(logical_id, _ARN_KINDS, "no ARN rule for {}")
        if kind == "policy" and self.physical_ids is not None:
            return self._physical(logical_id)
        path = self.resolve((res.get("Properties") or {}).get("Path", "/")) or "/"
        return f"arn:{self.partition}:iam::{self.account}:{kind}{path}{self.name_of(logical_id)}"

    def condition(self, name: str) -> bool:
        """The value of the template's condition ``name`` (with ``conditions=True``)."""
        if name not in self._evaluated:
            if not self.conditions:
                raise TemplateResolutionError(f"condition {name}: conditions are not evaluated by this reader")
            defined = self.template.get("Conditions", {}) or {}
            if name not in defined:
                raise TemplateResolutionError(f"condition {name} not in template")
            self._evaluated[name] = bool(self.resolve(defined[name]))
        return self._evaluated[name]

    # ---- intrinsics ------------------------------------------------------------------------------

    def ref(self, name: str, value: Any = None) -> Any:
        if name in self._pseudo:
            return self._pseudo[name]
        if name in self.overrides:
            return self.overrides[name]
        if name in self.parameters:
            param = self.parameters[name]
            if str(param.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
                raise TemplateResolutionError(f"Ref to parameter {name!r}: an SSM-backed parameter, its value is read "
                                              "at deploy (use overrides)")
            if "Default" in param:
                return param["Default"]
            raise TemplateResolutionError(f"Ref to parameter {name!r} without Default (use overrides)")
        if name not in self.resources:
            raise TemplateResolutionError(f"Ref to unknown logical id or pseudo parameter {name!r}")
        if self.physical_ids is not None:
            return self._physical(name)
        rtype = self.resources[name].get("Type")
        if rtype == "AWS::IAM::ManagedPolicy":
            return self.arn_of(name)
        if rtype in PRINCIPAL_TYPES:
            return self.name_of(name)
        if rtype == "AWS::S3::Bucket":
            bucket = (self.resources[name].get("Properties") or {}).get("BucketName")
            return self.resolve(bucket) if bucket is not None else name.lower()
        raise TemplateResolutionError(f"cannot resolve Ref to {name} ({rtype}); pass overrides={{{name!r}: ...}}")

    def get_att(self, target: str, attribute: str, value: Any = None) -> Any:
        key = f"{target}.{attribute}"
        if key in self.overrides:
            return self.overrides[key]
        if target not in self.resources:
            raise TemplateResolutionError(f"Fn::GetAtt on unknown logical id {target!r}")
        rtype = self.resources[target].get("Type")
        if (rtype in PRINCIPAL_TYPES and attribute == "Arn") or \
                (rtype == "AWS::IAM::ManagedPolicy" and attribute == "PolicyArn"):
            return self.arn_of(target)
        if rtype == "AWS::S3::Bucket" and attribute == "Arn":
            return f"arn:{self.partition}:s3:::{self.ref(target)}"
        raise TemplateResolutionError(f"cannot resolve Fn::GetAtt {key} ({rtype}); pass overrides={{{key!r}: ...}}")

    def join(self, separator: Any, parts: Any, value: Mapping[str, Any]) -> Any:
        if not isinstance(parts, list):
            raise TemplateResolutionError(f"Fn::Join of {json.dumps(value)[:200]}: its parts are not a list")
        return str(self.resolve(separator)).join(str(p) for p in parts if p is not NO_VALUE)

    def sub(self, arg: Any, value: Mapping[str, Any]) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (self.resolve(arg[0]), arg[1])

        def replace(match: re.Match[str]) -> str:
            expr = match.group(1)
            if expr.startswith("!"):
                return "${" + expr[1:] + "}"
            if expr in variables:
                return str(self.resolve(variables[expr]))
            if "." in expr and not expr.startswith("AWS::"):
                target, attribute = expr.split(".", 1)
                return str(self.get_att(target, attribute))
            return str(self.ref(expr))

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def function(self, name: str, arg: Any, value: Mapping[str, Any]) -> Any:
        if name == "Fn::GetAtt" and isinstance(arg, list) and len(arg) == 2:
            return self.get_att(str(self.resolve(arg[0])), str(self.resolve(arg[1])))
        if name == "Fn::Select":
            index, items = arg
            return self.resolve(items)[int(self.resolve(index))]
        if name == "Fn::Split":
            separator, text = arg
            return str(self.resolve(text)).split(self.resolve(separator))
        if self.conditions and name in _CONDITION_FUNCTIONS:
            return _CONDITION_FUNCTIONS[name](self, arg)
        raise TemplateResolutionError(f"unsupported intrinsic {name}: {json.dumps(value)[:200]}")

    def mapping(self, value: Mapping[str, Any]) -> Any:
        if self.conditions and len(value) == 1 and isinstance(value.get("Condition"), str):
            return self.condition(value["Condition"])
        out = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not NO_VALUE}

    def sequence(self, value: list) -> Any:
        return [v for v in (self.resolve(v) for v in value) if v is not NO_VALUE]


def _if(values: TemplateValues, arg: Any) -> Any:
    name, yes, no = arg
    return values.resolve(yes if values.condition(name) else no)


def _equals(values: TemplateValues, arg: Any) -> bool:
    a, b = (values.resolve(x) for x in arg)
    return str(a) == str(b)


_CONDITION_FUNCTIONS: dict[str, Callable[[TemplateValues, Any], Any]] = {
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": lambda values, arg: not values.resolve(arg[0]),
    "Fn::And": lambda values, arg: all(values.resolve(x) for x in arg),
    "Fn::Or": lambda values, arg: any(values.resolve(x) for x in arg),
}


# --------------------------------------------------------------------------------------------------
# Which policies each principal holds, by logical id
# --------------------------------------------------------------------------------------------------


def references(value: Any) -> set[str]:
    """The names ``value`` refers to through ``Ref`` and ``Fn::GetAtt`` (logical ids, parameters, pseudo parameters),
    at any depth (the text of an ``Fn::Sub`` is not read): for the logical ids, what a resource depends on."""
    found: set[str] = set()
    if isinstance(value, dict):
        if isinstance(value.get("Ref"), str):
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else str(target).split(".", 1)[0])
        for v in value.values():
            found |= references(v)
    elif isinstance(value, list):
        for v in value:
            found |= references(v)
    return found


def _ref_ids(value: Any) -> list[str]:
    return [v["Ref"] for v in listed(value or []) if isinstance(v, dict) and "Ref" in v]


def policy_holders(template: Mapping[str, Any]) -> dict[str, dict[str, Mapping[str, Any]]]:
    """principal logical id -> {holder -> policy document as the template holds it}, for every group, role and user
    of the template: its inline policies (holder ``"<principal>#inline:<PolicyName>"``), the template's managed
    policies it names in ``ManagedPolicyArns`` and the managed policies and ``AWS::IAM::Policy`` resources that name
    it (holder: their logical id). Attachments are read by ``Ref`` (logical id), without resolving anything; for
    the policies that apply to a principal, names and AWS managed policies included, resolved to concrete values:
    :class:`~medialive_iam_constructs.principals.TemplatePrincipals`."""
    res = template.get("Resources", {}) or {}
    out: dict[str, dict[str, Mapping[str, Any]]] = {
        lid: {} for lid, r in res.items() if r.get("Type") in PRINCIPAL_TYPES}
    for lid, r in res.items():
        props = r.get("Properties", {}) or {}
        rtype = r.get("Type")
        if rtype in PRINCIPAL_TYPES:
            for i, p in enumerate(props.get("Policies", []) or []):
                out[lid][f"{lid}#inline:{p.get('PolicyName', i)}"] = p["PolicyDocument"]
            for ref in _ref_ids(props.get("ManagedPolicyArns")):
                if res.get(ref, {}).get("Type") == "AWS::IAM::ManagedPolicy":
                    out[lid][ref] = res[ref]["Properties"]["PolicyDocument"]
        elif rtype in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            for key in POLICY_LISTS.values():
                for principal in _ref_ids(props.get(key)):
                    if principal in out:
                        out[principal][lid] = props["PolicyDocument"]
    return out
