"""A workflow described once (issue 23, item 2): the trusted role's props read from the channels it serves, and the
channels whose role is a :class:`~medialive_iam_constructs.MediaLiveTrustedRole` of the app checked against it.

* :func:`channel_uses` reads one ``aws_medialive.CfnChannel`` (an ``aws_medialive_alpha.Channel`` is read through
  its ``CfnChannel``) and the ``CfnInput`` s it attaches: every setting that needs a permission of MediaLive's role
  becomes a :class:`ChannelUse` (where it is, the prop of :data:`~medialive_iam_constructs.trusted_role.TRUSTED_ROLE_PROPS`
  it maps to, the value that prop gets). A setting the library cannot read (a URL known only at deploy, a kind of
  destination no row covers) fails with the channel, the setting and the fix: never a silent gap.
* :func:`workflow_props_from_channels` turns the uses into a :class:`~medialive_iam_constructs.trusted_role.WorkflowProps`
  (added to the props given), which the props table grants as it grants hand-written props: the derived role is
  never wider than those props would be.
* :func:`register_role` adds, once per app, the synth check of every ``CfnChannel`` whose ``roleArn`` is one of
  the app's trusted roles (the role's ARN token, or its literal ARN for a role with a ``role_name``): each use the
  role does not grant fails, naming the channel, the setting, the missing row and the prop to add. Channels whose
  role is not one of ours (an imported ARN, the console's ``MediaLiveAccessRole``) are not checked.

The properties are read resolved (``stack.resolve``, camelCase as CloudFormation's schema); an intrinsic of the
channel's stack (``Ref`` or ``Fn::GetAtt`` of a bucket, a secret, a parameter) becomes that resource's reference
again, so that the role's ARNs follow the resource across stacks. Property overrides (``add_property_override``)
are not read.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, fields, replace
from typing import Any, Iterable, Sequence

import jsii
from aws_cdk import Aws, CfnResource, Token
from aws_cdk import aws_medialive as medialive
from constructs import IConstruct, IValidation

from .catalog import resources as kinds
from .errors import MediaLiveIamError, describe
from ._synth_checks import add_check
from ._synth_context import stack_state
from .template import Text
from .tokens import is_token, stack_of, stack_tokens

__all__ = ["ChannelUse", "channel_uses", "depend_on_role", "register_role", "workflow_props_from_channels"]

#: The fix every unreadable setting offers besides its own.
_EXPLICIT = ("or build the role without channels= and name the resource with the prop itself")


@dataclass(frozen=True)
class ChannelUse:
    """One setting of a channel (or of an input it attaches) that needs MediaLive's role.

    :param source: the ``CfnChannel`` or ``CfnInput`` that holds it (its construct path).
    :param setting: where, in CloudFormation's property names (``destinations[0].settings[0].url``).
    :param prop: the prop of ``MediaLiveTrustedRole`` (a field of ``WorkflowProps``) it maps to.
    :param value: what that prop gets (a bucket location, a name, an ARN, a ``VpcAccess``, ``True``).
    """

    source: str
    setting: str
    prop: str
    value: Any

    @property
    def where(self) -> str:
        return f"{self.source}: {self.setting}"


# --- reading a channel ------------------------------------------------------------------------------------------

def cfn_of(scope: IConstruct, prop: str, value: Any) -> CfnResource:
    """The ``CfnChannel`` (or ``CfnInput``) of ``value``: itself, or an L2's default child (the alpha's ``Channel``
    and ``Input``)."""
    if isinstance(value, (medialive.CfnChannel, medialive.CfnInput)):
        return value
    child = getattr(getattr(value, "node", None), "default_child", None)
    if isinstance(child, (medialive.CfnChannel, medialive.CfnInput)):
        return child
    raise MediaLiveIamError(
        describe(scope), prop, f"{value!r} is not a MediaLive channel or input",
        "give an aws_medialive_alpha.Channel, an aws_medialive.CfnChannel, or their inputs (alpha Input, CfnInput)",
    )


class _Stack:
    """One stack's resolver and its resources by logical id (made on first use)."""

    def __init__(self, stack: Any) -> None:
        self.stack = stack
        self._by_id: dict[str, CfnResource] | None = None

    def element(self, logical_id: str) -> CfnResource | None:
        if self._by_id is None:
            self._by_id = {}
            for node in self.stack.node.find_all():
                if isinstance(node, CfnResource) and stack_of(node) is self.stack:
                    self._by_id[self.stack.resolve(node.logical_id)] = node
        return self._by_id.get(logical_id)


class _Tokens(Text):
    """A resolved value as a string: literals as they are, ``Fn::Join`` joined, a ``Ref``/``Fn::GetAtt`` of a
    resource of the stack as that resource's reference (a token), any other intrinsic as a token of itself."""

    _PSEUDO = {"AWS::Partition": Aws.PARTITION, "AWS::Region": Aws.REGION, "AWS::AccountId": Aws.ACCOUNT_ID,
               "AWS::URLSuffix": Aws.URL_SUFFIX}

    def __init__(self, stack: _Stack) -> None:
        self.stack = stack

    def ref(self, name: str, value: Any) -> Any:
        if name in self._PSEUDO:
            return self._PSEUDO[name]
        element = self.stack.element(name)
        return element.ref if element is not None else Token.as_string(value)

    def get_att(self, target: str, attribute: str, value: Any) -> Any:
        element = self.stack.element(target)
        return Token.as_string(element.get_att(attribute)) if element is not None else Token.as_string(value)

    def join(self, separator: Any, parts: Any, value: Any) -> Any:
        if isinstance(separator, str) and isinstance(parts, list):
            return separator.join(p if isinstance(p, str) else Token.as_string(p) for p in parts)
        return Token.as_string(value)

    def function(self, name: str, arg: Any, value: Any) -> Any:
        return Token.as_string(value)

    def mapping(self, value: Any) -> Any:
        return value

    sequence = scalar = mapping


_SCHEME = re.compile(r"^([a-z0-9]+)://(.*)$", re.IGNORECASE)
#: MediaPackage v2 ingest endpoints: ``https://<id>.ingest.<x>.mediapackagev2.<region>.amazonaws.com/in/v1/<group>/<n>/<channel>/...``
_MPV2_INGEST = re.compile(r"^[^/]*\.mediapackagev2\.[^/]*/in/v1/([^/]+)/[^/]+/([^/]+)(/.*)?$")
#: A MediaLive variable identifier (``$dt$``, ``$sn$``...) in a key: the literal prefix ends before it.
_VARIABLE = re.compile(r"\$(?!\{Token\[)")
#: Schemes that reach a network endpoint, not an AWS resource: no permission of MediaLive's role (their
#: credentials, ``passwordParam``, are read separately).
_NETWORK = ("http", "https", "rtmp", "rtmps", "rtp", "udp", "srt")
_S3 = ("s3", "s3ssl")
_MEDIASTORE = ("mediastore", "mediastoressl")


class _Reader:
    """Walks one channel's (or input's) resolved properties into :class:`ChannelUse` s."""

    def __init__(self, scope: IConstruct, prop: str, given: Any) -> None:
        self.scope, self.prop, self.given = scope, prop, given
        self.uses: list[ChannelUse] = []
        self._inputs: set[str] = set()
        self._stacks: dict[int, _Stack] = {}

    # -- entry points --

    def read(self, cfn: CfnResource) -> None:
        stack = stack_of(cfn)
        helper = self._stacks.setdefault(id(stack), _Stack(stack))
        props = stack.resolve(cfn._cfn_properties)
        text = _Tokens(helper)
        source = cfn.node.path
        if isinstance(cfn, medialive.CfnInput):
            self._inputs.add(source)
            self._input(source, props, text)
        else:
            self._channel(source, props, text, helper)

    # -- helpers --

    def _fail(self, source: str, setting: str, problem: str, fix: str) -> None:
        raise MediaLiveIamError(describe(self.scope), f"{self.prop} ({source}: {setting})", problem, f"{fix}; {_EXPLICIT}")

    def _use(self, source: str, setting: str, prop: str, value: Any) -> None:
        self.uses.append(ChannelUse(source, setting, prop, value))

    def _string(self, source: str, setting: str, value: Any, text: _Tokens) -> str:
        out = text.render(value)
        if not isinstance(out, str):
            self._fail(source, setting, f"{value!r} is not a string", "give the setting as a string")
        return out

    def _location(self, source: str, setting: str, url: str, *, write: bool) -> None:
        """A URL or URI: S3 (T18), MediaStore (T16), MediaPackage v2 ingest (T15), or a network endpoint."""
        m = _SCHEME.match(url)
        if m is None:
            if is_token(url):
                self._fail(source, setting, f"the URL {url!r} is known only at deploy, so the bucket or endpoint it "
                           "names cannot be read", "write the URL as a literal with only the bucket's name as a token "
                           "(f's3ssl://{bucket.bucket_name}/live/stream')")
            self._fail(source, setting, f"{url!r} is not a URL MediaLive reads", "give scheme://host/path")
        scheme, rest = m.group(1).lower(), m.group(2)
        if scheme in _S3:
            bucket, _, key = rest.partition("/")
            if not bucket or (is_token(bucket) and not re.fullmatch(r"\$\{Token\[[^\]]*\]\}", bucket)):
                self._fail(source, setting, f"the bucket of {url!r} cannot be read", "name the bucket literally or as "
                           "one token (bucket.bucket_name)")
            cut = _VARIABLE.search(key)
            key = key[: cut.start()] if cut else key
            token_at = key.find("${Token[")
            key = key[:token_at] if token_at >= 0 else key
            from .trusted_role import S3Location

            location = S3Location(bucket, key or None, setting=f"{source}: {setting}")
            self._use(source, setting, "destination_buckets" if write else "source_buckets", location)
        elif scheme in _MEDIASTORE:
            field = "mediastore_destination_containers" if write else "mediastore_source_containers"
            if not getattr(self.given, field):
                self._fail(source, setting, f"a MediaStore URL ({url!r}) names the container's data endpoint, not "
                           "its name, so the container (T16) cannot be read from the channel",
                           f"name the container in {field}= next to channels=")
        elif scheme in ("http", "https") and (mp := _MPV2_INGEST.match(rest)):
            self._use(source, setting, "mediapackage_v2_channels", (mp.group(1), mp.group(2)))
        elif scheme not in _NETWORK:
            self._fail(source, setting, f"the scheme {scheme!r} of {url!r} is not one this library reads",
                       "use s3ssl://, mediastoressl://, http(s)://, rtmp(s)://, rtp://, udp:// or srt://")

    def _parameter(self, source: str, setting: str, value: Any, text: _Tokens) -> None:
        name = self._string(source, setting, value, text)
        name = name[len("ssm://"):] if name.startswith("ssm://") else name
        if name:
            self._use(source, setting, "password_parameters", name if is_token(name) or name.startswith("arn:")
                      else "/" + name.lstrip("/"))

    def _secret(self, source: str, setting: str, value: Any, text: _Tokens, prop: str) -> None:
        arn = self._string(source, setting, value, text)
        if arn:
            self._use(source, setting, prop, arn)

    def _vpc(self, source: str, setting: str, vpc: dict, text: _Tokens, prop: str) -> None:
        from .trusted_role import VpcAccess

        def ids(key: str) -> list[str]:
            values = vpc.get(key) or []
            if not isinstance(values, list):
                self._fail(source, f"{setting}.{key}", "a list known only at deploy", "give the ids as a list")
            return [self._string(source, f"{setting}.{key}[{i}]", x, text) for i, x in enumerate(values)]

        subnets, groups = ids("subnetIds"), ids("securityGroupIds")
        eips = ids("publicAddressAllocationIds") if prop == "vpc_delivery" else []
        if subnets or groups:
            self._use(source, setting, prop, VpcAccess(subnets=tuple(subnets), security_groups=tuple(groups),
                                                       elastic_ip_allocations=tuple(eips)))

    # -- a channel --

    def _channel(self, source: str, props: dict, text: _Tokens, helper: _Stack) -> None:
        level = props.get("logLevel")
        if level not in (None, "DISABLED"):
            self._use(source, "logLevel", "logging", True)
        if isinstance(props.get("vpc"), dict):
            self._vpc(source, "vpc", props["vpc"], text, "vpc_delivery")
        feed = (props.get("inferenceSettings") or {}).get("feedArn")
        if feed:
            self._use(source, "inferenceSettings.feedArn", "inference_feeds",
                      self._string(source, "inferenceSettings.feedArn", feed, text))
        for i, dest in enumerate(props.get("destinations") or []):
            self._destination(source, f"destinations[{i}]", dest, text)
        self._walk(source, "encoderSettings", props.get("encoderSettings"), text, write=False)
        for i, attachment in enumerate(props.get("inputAttachments") or []):
            where = f"inputAttachments[{i}]"
            self._attached(source, f"{where}.inputId", attachment.get("inputId"), text, helper)
            failover = attachment.get("automaticInputFailoverSettings") or {}
            if failover.get("secondaryInputId"):
                self._attached(source, f"{where}.automaticInputFailoverSettings.secondaryInputId",
                               failover["secondaryInputId"], text, helper)
            self._walk(source, f"{where}.inputSettings", attachment.get("inputSettings"), text, write=False)

    def _endpoints(self, source: str, where: str, items: Any, text: _Tokens, *, write: bool) -> None:
        """A list of ``{url, passwordParam, username}``: a channel's destination settings, an input's sources."""
        for j, s in enumerate(items or []):
            at = f"{where}[{j}]"
            if s.get("url"):
                self._location(source, f"{at}.url", self._string(source, f"{at}.url", s["url"], text), write=write)
            if s.get("passwordParam"):
                self._parameter(source, f"{at}.passwordParam", s["passwordParam"], text)

    def _destination(self, source: str, where: str, dest: dict, text: _Tokens) -> None:
        self._endpoints(source, f"{where}.settings", dest.get("settings"), text, write=True)
        for j, s in enumerate(dest.get("srtSettings") or []):
            if s.get("encryptionPassphraseSecretArn"):
                self._secret(source, f"{where}.srtSettings[{j}].encryptionPassphraseSecretArn",
                             s["encryptionPassphraseSecretArn"], text, "srt_secrets")
        for j, s in enumerate(dest.get("mediaPackageSettings") or []):
            at = f"{where}.mediaPackageSettings[{j}]"
            region = s.get("mediaPackageRegionName")
            if region and region != stack_tokens(stack_of(self.scope)).env["region"]:
                self._fail(source, f"{at}.mediaPackageRegionName", f"a MediaPackage channel in {region!r}, another "
                           "region than the role's stack", "name the channel's ARN in mediapackage_v2_channels=")
            if s.get("channelId"):
                self._use(source, f"{at}.channelId", "mediapackage_channels",
                          self._string(source, f"{at}.channelId", s["channelId"], text))
            elif s.get("channelGroup") and s.get("channelName"):
                self._use(source, at, "mediapackage_v2_channels",
                          (self._string(source, f"{at}.channelGroup", s["channelGroup"], text),
                           self._string(source, f"{at}.channelName", s["channelName"], text)))
            else:
                self._fail(source, at, "a MediaPackage destination without channelId (v1) or channelGroup and "
                           "channelName (v2)", "name the MediaPackage channel")
        for j, s in enumerate(dest.get("mediaConnectRouterSettings") or []):
            if s.get("secretArn"):
                self._fail(source, f"{where}.mediaConnectRouterSettings[{j}].secretArn", "MediaConnect router "
                           "outputs encrypted with a Secrets Manager secret: no catalog row covers them yet",
                           "use encryptionType AUTOMATIC")

    def _attached(self, source: str, setting: str, value: Any, text: _Tokens, helper: _Stack) -> None:
        target = value if isinstance(value, dict) else None
        element = None
        if target is not None and set(target) == {"Ref"}:
            element = helper.element(target["Ref"])
        if not isinstance(element, medialive.CfnInput):
            self._fail(source, setting, f"the input {value!r} is not a CfnInput of the channel's stack, so what it "
                       "reads cannot be known", "attach the input by reference (input_id=cfn_input.ref, or the alpha's "
                       "InputAttachment(input=...)) in the channel's stack")
        if element.node.path not in self._inputs:
            self.read(element)

    # -- an input --

    def _input(self, source: str, props: dict, text: _Tokens) -> None:
        self._endpoints(source, "sources", props.get("sources"), text, write=False)
        if props.get("mediaConnectFlows") or props.get("type") == "MEDIACONNECT":
            self._use(source, "mediaConnectFlows" if props.get("mediaConnectFlows") else "type", "mediaconnect_inputs",
                      True)
        if isinstance(props.get("vpc"), dict):
            self._vpc(source, "vpc", props["vpc"], text, "vpc_inputs")
        srt = props.get("srtSettings") or {}
        for i, s in enumerate(srt.get("srtCallerSources") or []):
            secret = (s.get("decryption") or {}).get("passphraseSecretArn")
            if secret:
                self._secret(source, f"srtSettings.srtCallerSources[{i}].decryption.passphraseSecretArn", secret, text,
                             "srt_input_secrets")
        secret = ((srt.get("srtListenerSettings") or {}).get("decryption") or {}).get("passphraseSecretArn")
        if secret:
            self._secret(source, "srtSettings.srtListenerSettings.decryption.passphraseSecretArn", secret, text,
                         "srt_input_secrets")
        if (props.get("routerSettings") or {}).get("secretArn"):
            self._fail(source, "routerSettings.secretArn", "MediaConnect router inputs encrypted with a Secrets "
                       "Manager secret: no catalog row covers them yet", "use encryptionType AUTOMATIC")

    # -- the encoder's files and credentials --

    def _walk(self, source: str, where: str, value: Any, text: _Tokens, *, write: bool) -> None:
        """Files MediaLive reads while encoding (slates, fonts, LUTs, audio-only images: ``uri``) and credentials
        (``passwordParam``: ESAM, key providers); any other secret-like setting fails (no row reads it)."""
        if isinstance(value, list):
            for i, x in enumerate(value):
                self._walk(source, f"{where}[{i}]", x, text, write=write)
            return
        if not isinstance(value, dict):
            return
        for key, x in value.items():
            at = f"{where}.{key}"
            if key == "uri" and x:
                self._location(source, at, self._string(source, at, x, text), write=write)
            elif key == "passwordParam" and x:
                self._parameter(source, at, x, text)
            elif re.search(r"secret|license", key, re.IGNORECASE) and x:
                self._fail(source, at, f"the setting {key!r} names a credential that no catalog row grants the role",
                           "remove it, or ask for a row (docs/catalog.md)")
            else:
                self._walk(source, at, x, text, write=write)


def channel_uses(scope: IConstruct, channels: Iterable[Any], *, prop: str = "channels", given: Any = None) -> list[ChannelUse]:
    """Every setting of ``channels`` (alpha ``Channel``/``Input``, ``CfnChannel``/``CfnInput``; a channel's inputs
    through its attachments) that needs MediaLive's role, in the order they are read. ``given``: the props given
    next to them (a MediaStore URL is accepted when its containers are named there). Errors name ``scope``."""
    from .trusted_role import WorkflowProps

    reader = _Reader(scope, prop, given if given is not None else WorkflowProps())
    for i, channel in enumerate(channels):
        cfn = cfn_of(scope, f"{prop}[{i}]", channel)
        if cfn.node.path not in reader._inputs:
            reader.read(cfn)
    return reader.uses


def workflow_props_from_channels(scope: IConstruct, channels: Sequence[Any], *, given: Any = None) -> Any:
    """The :class:`~medialive_iam_constructs.trusted_role.WorkflowProps` that grant what ``channels`` use, added to
    ``given`` (the props given by hand): lists are joined (each value once), switches or'ed, VPC accesses merged;
    ``logging`` None follows the channels' ``logLevel``."""
    from .trusted_role import VpcAccess, WorkflowProps

    base = given if given is not None else WorkflowProps()
    uses = channel_uses(scope, channels, given=base)
    updates: dict[str, Any] = {}
    for f in fields(WorkflowProps):
        found = [u.value for u in uses if u.prop == f.name]
        current = getattr(base, f.name)
        if f.name == "logging":
            updates[f.name] = current if current is not None else bool(found)
        elif f.name == "mediaconnect_inputs":
            updates[f.name] = bool(current) or bool(found)
        elif f.name in ("vpc_inputs", "vpc_delivery"):
            accesses = ([current] if current is not None else []) + found
            updates[f.name] = None if not accesses else VpcAccess(
                subnets=tuple(_once(x for a in accesses for x in a.subnets)),
                security_groups=tuple(_once(x for a in accesses for x in a.security_groups)),
                elastic_ip_allocations=tuple(_once(x for a in accesses for x in a.elastic_ip_allocations)))
        elif found:
            updates[f.name] = tuple(_once([*current, *found]))
    return replace(base, **updates)


def _once(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if not any(v is o or (type(v) is type(o) and v == o) for o in out):
            out.append(v)
    return out


# --- the other way round: a channel whose role is ours, checked against it ------------------------------------

def register_role(role: Any) -> None:
    """Adds ``role`` (a ``MediaLiveTrustedRole``) to its app's roles whose channels are checked at synth (the check
    is registered once per app)."""
    context = stack_state(stack_of(role)).context
    if not context.trusted_roles:
        add_check(context.root, _ChannelsCovered(context))
    context.trusted_roles.append(role)


class _Flat(Text):
    """A resolved ARN as comparable text: pseudo parameters as ``${Partition}``..., a bucket's ``Fn::GetAtt`` Arn as
    its ARN from its ``Ref`` (as a bucket name is written), any other intrinsic as its JSON."""

    def __init__(self, stack: _Stack) -> None:
        self.stack = stack

    def ref(self, name: str, value: Any) -> Any:
        return "${" + name + "}"

    def get_att(self, target: str, attribute: str, value: Any) -> Any:
        element = self.stack.element(target)
        if attribute == "Arn" and element is not None and element.cfn_resource_type == "AWS::S3::Bucket":
            return kinds.S3_BUCKET.arn_format.replace("${Partition}", "${AWS::Partition}").replace(
                "${BucketName}", "${" + target + "}")
        return "${" + json.dumps(value, sort_keys=True) + "}"

    def join(self, separator: Any, parts: Any, value: Any) -> Any:
        if isinstance(separator, str) and isinstance(parts, list):
            return separator.join(p if isinstance(p, str) else self.function("", None, p) for p in parts)
        return self.function("", None, value)

    def function(self, name: str, arg: Any, value: Any) -> Any:
        return "${" + json.dumps(value, sort_keys=True) + "}"

    def mapping(self, value: Any) -> Any:
        return self.function("", None, value)

    sequence = mapping

    def scalar(self, value: Any) -> Any:
        return str(value)


#: A grant of these rows satisfies a use that needs the key (a read/write grant covers a read).
_SATISFIES = {"T18.read": ("T18.read", "T18.write"), "T16.read": ("T16.read", "T16.write")}


@jsii.implements(IValidation)
class _ChannelsCovered:
    """Every CfnChannel of the app whose ``roleArn`` is one of the app's ``MediaLiveTrustedRole`` s uses only what
    that role grants."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def validate(self) -> list[str]:
        roles = list(self._context.trusted_roles)
        by_token = {r.role_arn: r for r in roles}
        errors: list[str] = []
        for node in self._context.root.node.find_all():
            if not isinstance(node, medialive.CfnChannel):
                continue
            role = self._role_of(node, by_token, roles)
            if role is not None:
                errors += _uncovered(role, node)
        return errors

    @staticmethod
    def _role_of(channel: Any, by_token: dict, roles: list) -> Any:
        arn = channel.role_arn
        if not isinstance(arn, str):
            return None
        if arn in by_token:
            return by_token[arn]
        if is_token(arn) and not arn.startswith("arn:"):
            return None
        for role in roles:  # a literal ARN (or an ARN built from tokens) that names a role given a literal name
            name = role.role.node.default_child.role_name
            path = role.role.node.default_child.path or "/"
            if isinstance(name, str) and not is_token(name) and arn.endswith(f":role{path}{name}"):
                return role
        return None


def _uncovered(role: Any, channel: Any) -> list[str]:
    """The errors of ``channel`` (whose role is ``role``): each use the role's grants do not cover."""
    from .trusted_role import TRUSTED_ROLE_PROPS, WorkflowProps
    from .converters import Partitions

    head = f"{channel.node.path} (CfnChannel)"
    try:
        uses = channel_uses(role, [channel], given=role.workflow_props)
    except MediaLiveIamError as error:
        return [f"{head}: its role {describe(role)} cannot be checked against it: {error}"]
    stack = _Stack(stack_of(role))
    tokens = stack_tokens(stack.stack)
    flat = _Flat(stack)

    literal = {"${AWS::Partition}": tokens.env["partition"], "${AWS::Region}": tokens.env["region"],
               "${AWS::AccountId}": tokens.env["account"]}

    def text(arn: Any) -> str:
        out = flat.render(tokens.resolve(arn))
        for pseudo, value in literal.items():
            if isinstance(value, str) and not is_token(value):
                out = out.replace(pseudo, value)
        return out

    held = [(g.rows, {k: [text(a) for a in arns] for k, arns in g.bindings.items()}) for g in role._grants]
    errors = []
    for use in uses:
        probe = replace(WorkflowProps(logging=False), **{use.prop: use.value if use.prop in (
            "logging", "mediaconnect_inputs", "vpc_inputs", "vpc_delivery") else (use.value,)})
        try:
            needed = [g for e in TRUSTED_ROLE_PROPS if e.prop.split(".")[0] == use.prop
                      for g in e.parser(role, e, probe, Partitions.of(role))]
        except MediaLiveIamError as error:
            errors.append(f"{head}: {use.setting}: {error}")
            continue
        missing = []
        for grant in needed:
            for row in grant.rows:
                ok_rows = _SATISFIES.get(row, (row,))
                holders = [b for rows, b in held if any(r in ok_rows for r in rows)]
                if not holders:
                    missing.append((row, "(the role has no grant of this row)"))
                    continue
                for kind, arns in grant.bindings.items():
                    for arn in map(text, arns):
                        if kind is kinds.EC2_NETWORK_INTERFACE:
                            continue  # ENIs are bound as the kind's pattern, scoped by subnet (checked with the subnets)
                        if not any(_covers(p, arn) for b in holders for p in b.get(kind, [])):
                            missing.append((row, arn))
        if missing:
            rows = ", ".join(sorted({r for r, _ in missing}))
            on = "; ".join(sorted({a for _, a in missing}))
            errors.append(
                f"{head}: {use.setting}{'' if use.source == channel.node.path else f' (of the input {use.source})'}: "
                f"needs row(s) {rows} on {on}, which its role {describe(role)} does not grant, so the channel would "
                f"fail at run time. Fix: add {use.prop}={_show(use.value)} to {role.node.path}, or derive the role from "
                f"the channel: MediaLiveTrustedRole(..., channels=[channel])")
    return errors


def depend_on_role(role: Any, channels: Sequence[Any]) -> None:
    """Each ``CfnChannel`` of ``channels`` whose role is ``role`` by its literal ARN (the alpha's channel made before
    the role, given ``role=iam.Role.from_role_arn(...)``) is created after the role and its policies."""
    for channel in channels:
        cfn = cfn_of(role, "channels", channel)
        if isinstance(cfn, medialive.CfnChannel) and cfn.role_arn != role.role_arn and \
                _ChannelsCovered._role_of(cfn, {}, [role]) is role:
            cfn.node.add_dependency(role)


def _covers(pattern: str, arn: str) -> bool:
    return fnmatch.fnmatchcase(arn, pattern.replace("[", "[[]"))


def _show(value: Any) -> str:
    from .trusted_role import S3Location

    if isinstance(value, S3Location):
        return f"[S3Location({value.bucket!r}, {value.prefix!r})]"
    if value is True:
        return "True"
    if type(value).__name__ == "VpcAccess":
        return repr(value)
    return f"[{value!r}]"
