"""The validators (``medialive_iam_constructs/validation.py``) a construct's own props go through, one per kind of
input, each raising the error that names the construct, the prop and the fix (or returning None). Unit tests,
without a construct of the library; the messages are the ones the construct tests match."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from constructs import Construct

from medialive_iam_constructs import MediaLiveIamError
from medialive_iam_constructs import validation as v
from tests.helpers import new_stack


@pytest.fixture
def scope() -> Construct:
    _, stack = new_stack()
    return Construct(stack, "Role")


def raises(fn, *args, **kwargs) -> MediaLiveIamError:
    with pytest.raises(MediaLiveIamError) as e:
        fn(*args, **kwargs)
    return e.value


# --- role name ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [None, "medialiveWorkflow15", "MediaLiveAccessRole2", cdk.Aws.STACK_NAME])
def test_role_names_iam_accepts(scope, name):
    assert v.check_role_name(scope, "role_name", name) is None


@pytest.mark.parametrize("name", ["MediaLiveAccessRole", "medialiveaccessrole"])
def test_the_simple_options_role_name_is_reserved_in_any_case(scope, name):
    e = raises(v.check_role_name, scope, "role_name", name)
    assert str(e) == (
        f"Test/Role (Construct): role_name: {name!r} is reserved for the simple option's console role (reference §6). "
        "Fix: choose another name that includes 'medialive' and no sensitive data (e.g. 'medialiveWorkflow15'), "
        "or use MediaLiveAccessRole for the simple option")


@pytest.mark.parametrize("name, problem", [
    ("x" * 65, f"role name {'x' * 65!r} has 65 characters; IAM allows 1 to 64"),
    ("media live", "role name 'media live' has characters IAM does not allow: ' '"),
])
def test_role_names_iam_refuses(scope, name, problem):
    assert raises(v.check_role_name, scope, "role_name", name).problem == problem


# --- description, max_managed_policies ---------------------------------------------------------------------------

def test_description_up_to_1000_characters(scope):
    assert v.check_description(scope, "description", "x" * 1000) is None
    assert v.check_description(scope, "description", None) is None
    e = raises(v.check_description, scope, "description", "x" * 1001)
    assert (e.problem, e.fix) == ("has 1001 characters", "use at most 1,000 characters")
    assert raises(v.check_description, scope, "description", "xy", max_len=1).fix == "use at most 1 characters"


@pytest.mark.parametrize("value", [1, 10, 25])
def test_max_managed_policies_in_range(scope, value):
    assert v.check_max_managed_policies(scope, "max_managed_policies", value, "role") is None


@pytest.mark.parametrize("value", [0, 26, -1])
def test_max_managed_policies_out_of_range(scope, value):
    e = raises(v.check_max_managed_policies, scope, "max_managed_policies", value, "role")
    assert (e.problem, e.fix) == (f"{value} is out of range", "IAM allows 10 managed policies per role by default, "
                                                              "up to 25 by quota increase")


def test_max_managed_policies_of_a_user(scope):
    assert raises(v.check_max_managed_policies, scope, "m", 21, "user").fix == \
        "IAM allows 10 managed policies per user by default, up to 20 by quota increase"


# --- what the props add up to ------------------------------------------------------------------------------------

def test_a_role_that_grants_nothing(scope):
    assert v.check_role_grants_something(scope, "logging", ["T5"]) is None
    e = raises(v.check_role_grants_something, scope, "logging", [])
    assert e.prop == "logging"
    assert e.problem.startswith("the role would grant nothing: logging is off and no feature")
    assert e.fix == "keep logging=True or declare the resources the workflow uses"


def test_one_partition(scope):
    assert v.check_one_partition(scope, {}) is None
    assert v.check_one_partition(scope, {"aws": "source_buckets"}) is None
    e = raises(v.check_one_partition, scope, {"aws": "source_buckets", "aws-cn": "srt_secrets", "aws-us-gov": "b"})
    assert (e.prop, e.problem) == ("srt_secrets", "the ARNs given are in several partitions (aws, aws-cn, aws-us-gov)")
    assert e.fix == "a role lives in one partition: give every ARN in the stack's partition"


# --- S3 key prefix -------------------------------------------------------------------------------------------------

def _warnings(scope: Construct) -> list[str]:
    return [m.data for m in scope.node.metadata if m.type == "aws:cdk:warning"]


@pytest.mark.parametrize("prefix", [None, "", "live/", cdk.Aws.STACK_NAME])
def test_key_prefixes_taken_silently(scope, prefix):
    v.check_key_prefix(scope, "p.prefix", prefix)
    assert _warnings(scope) == []


def test_a_key_prefix_starting_with_a_slash_matches_nothing(scope):
    e = raises(v.check_key_prefix, scope, "p.prefix", "/live/")
    assert (e.problem, e.fix) == ("key prefix '/live/' starts with '/': S3 keys do not, so it matches no object",
                                  "write 'live/'")


def test_a_key_prefix_without_a_trailing_slash_warns(scope):
    v.check_key_prefix(scope, "p.prefix", "live")
    assert _warnings(scope) == [
        "Test/Role (Construct): p.prefix: key prefix 'live' has no trailing '/', so it also grants keys such as "
        "'live2/...'. Fix: write 'live/' if you mean the folder (or keep it if the siblings are meant). "
        "[ack: medialive-iam:prefix-without-slash]"]


# --- issue 23: regions of the console role's confused-deputy condition; the simple role's name in any case -------

def test_check_regions():
    _, stack = new_stack("Regions")
    assert v.check_regions(stack, "regions", None, "us-east-1") is None
    assert v.check_regions(stack, "regions", ["*"], "us-east-1") == ["*"]
    assert v.check_regions(stack, "regions", ["eu-west-1", "eu-west-1"], "us-east-1") == ["eu-west-1"]
    for bad in ([], ["*", "eu-west-1"], ["eu-west"], ["cn-north-1"], "eu-west-1"):
        with pytest.raises(MediaLiveIamError, match="regions: "):
            v.check_regions(stack, "regions", bad, "us-east-1")
    assert v.check_regions(stack, "regions", ["cn-north-1"], "cn-northwest-1") == ["cn-north-1"]


def test_check_complex_role_name_ignores_case():
    _, stack = new_stack("ComplexName")
    for name in ("MediaLiveAccessRole", "medialiveaccessrole", "MEDIALIVEACCESSROLE"):
        with pytest.raises(MediaLiveIamError, match="must not be named"):
            v.check_complex_role_name(stack, "trusted_roles", name)
    v.check_complex_role_name(stack, "trusted_roles", "medialiveWorkflow15")


# --- issue 23: the console's secret suffix, regions, tag-scoped PassRole -----------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("medialive/srt-AbCdEf", "surely"), ("srt-x7Qp2M", "surely"), ("srt-aBC123", "surely"),  # mixed case
    ("srt-backup", "maybe"), ("srt-prod01", "maybe"), ("srt-Backup", "maybe"), ("srt-ABC123", "maybe"),
    ("medialive/srt", None), ("srt/news-passphrase", None), ("srt-AbCdEfX", None), ("srt_AbCdEf", None),
])
def test_secret_suffix_tells_the_consoles_suffix_from_a_name(name, kind):
    assert v.secret_suffix(name) == kind


def test_a_secret_name_with_the_consoles_suffix_fails(scope):
    e = raises(v.check_secret_name, scope, "srt_secrets", "medialive/srt-AbCdEf")
    assert e.prop == "srt_secrets" and "'medialive/srt-AbCdEf-??????'" in e.problem
    assert "'medialive/srt'" in e.fix and "from_secret_name_v2" in e.fix


def test_a_secret_name_that_may_end_with_the_suffix_warns(scope):
    v.check_secret_name(scope, "irdeto_secrets", "licence-prod01")
    (text,) = _warnings(scope)
    assert text.startswith("Test/Role (Construct): irdeto_secrets: secret name 'licence-prod01' ends with '-prod01'")
    assert "'licence'" in text and f"[ack: {v.SECRET_SUFFIX_WARNING}]" in text


@pytest.mark.parametrize("name", ["medialive/srt", "srt/news-passphrase", cdk.Aws.STACK_NAME])
def test_secret_names_without_a_suffix_pass_silently(scope, name):
    v.check_secret_name(scope, "srt_secrets", name)
    assert _warnings(scope) == []


def test_a_secret_arn_that_may_be_partial_warns(scope):
    arn = "arn:aws:secretsmanager:us-west-2:111122223333:secret:srt-backup"
    v.check_secret_arn_suffix(scope, "srt_secrets", arn, "srt-backup")
    (text,) = _warnings(scope)
    assert "taken as a complete secret ARN" in text and "from_secret_partial_arn" in text
    v.check_secret_arn_suffix(scope, "srt_secrets", arn.replace("backup", "AbCdEf"), "srt-AbCdEf")
    assert len(_warnings(scope)) == 1  # surely the suffix: complete, silently


def test_an_arn_of_another_region_fails(scope):
    arn = "arn:aws:medialive:eu-west-1:111122223333:channel:1"
    e = raises(v.parse_arn, scope, "channel_arns", arn, service="medialive", partition="aws", region="us-west-2")
    assert e.problem.startswith(f"{arn!r} is in region 'eu-west-1', the stack in 'us-west-2'")
    assert "env=cdk.Environment(region='eu-west-1')" in e.fix
    assert v.parse_arn(scope, "p", arn, region="eu-west-1")["region"] == "eu-west-1"
    assert v.parse_arn(scope, "p", arn, region=cdk.Aws.REGION) is not None  # a token region: not compared
    assert v.parse_arn(scope, "p", "arn:aws:iam::111122223333:role/x", region="us-west-2")  # global: no region


def test_check_passable_roles(scope):
    tag = ("Team", "news")
    roles = [
        ("App/News", "/medialive/", {"team": "news"}, True),  # tagged (keys compare without case)
        ("App/Sports", "/medialive/", {"Team": "sports"}, False),  # another team's
        ("App/Imported", "/medialive/", None, True),  # tags unknown
        ("App/Outside", "/other/", {}, False),  # not under the path, not listed
    ]
    assert v.check_passable_roles(scope, tag, "/medialive/", roles) == [] and _warnings(scope) == []
    errors = v.check_passable_roles(scope, tag, "/medialive/", [("App/Listed", "/other/", {"Team": "sports"}, True)])
    assert errors == ["Test/Role (Construct): trusted_roles: the role App/Listed has the tag Team='sports', and this "
                      "tag-scoped group passes only roles tagged Team='news' (S32 with pass_roles_by_path carries "
                      "aws:ResourceTag/Team): its operators could not choose it for a channel. Fix: tag the role: "
                      "Tags.of(role).add('Team', 'news'), or drop it from trusted_roles"]
    assert v.check_passable_roles(scope, tag, "/medialive/", [("App/Untagged", "/medialive/a/", {}, False)]) == []
    (text,) = _warnings(scope)
    assert "the role App/Untagged lies under '/medialive/' without the tag 'Team'" in text
    assert f"[ack: {v.UNTAGGED_ROLE_WARNING}]" in text


def test_a_key_read_from_a_channel_url_does_not_warn(scope):
    """The key of a channel's destination URL (``live/stream``) is where MediaLive writes: no sibling warning."""
    v.check_key_prefix(scope, "p.prefix", "live/stream", warn_siblings=False)
    assert _warnings(scope) == []
    with pytest.raises(MediaLiveIamError):
        v.check_key_prefix(scope, "p.prefix", "/live/stream", warn_siblings=False)
