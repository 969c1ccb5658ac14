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


def test_a_key_read_from_a_channel_url_does_not_warn(scope):
    """The key of a channel's destination URL (``live/stream``) is where MediaLive writes: no sibling warning."""
    v.check_key_prefix(scope, "p.prefix", "live/stream", warn_siblings=False)
    assert _warnings(scope) == []
    with pytest.raises(MediaLiveIamError):
        v.check_key_prefix(scope, "p.prefix", "/live/stream", warn_siblings=False)
