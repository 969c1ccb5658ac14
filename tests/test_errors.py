"""medialive_iam_constructs/errors.py: the synth-time errors read ``<construct path> (<class>): <prop>: <problem>.
Fix: <fix>``, keep each part as an attribute, and are ``ValueError`` s; ``describe`` names a construct that way."""

from __future__ import annotations

import pytest
from aws_cdk import aws_iam as iam
from constructs import Construct

from medialive_iam_constructs import MediaLiveIamError, MediaLiveOperatorGroup, QuotaExceededError
from medialive_iam_constructs.errors import describe
from tests.helpers import new_stack


def test_the_message_joins_construct_prop_problem_and_fix():
    error = MediaLiveIamError("Test/Ops (MediaLiveOperatorGroup)", "tier", "'x' is not a tier", "use BASIC")
    assert str(error) == "Test/Ops (MediaLiveOperatorGroup): tier: 'x' is not a tier. Fix: use BASIC"
    assert (error.construct, error.prop, error.problem, error.fix) == (
        "Test/Ops (MediaLiveOperatorGroup)", "tier", "'x' is not a tier", "use BASIC")


def test_errors_are_value_errors_and_a_quota_error_is_a_medialive_iam_error():
    quota = QuotaExceededError("Test/R (MediaLiveTrustedRole)", "max_managed_policies", "11 policies", "raise it")
    assert isinstance(quota, MediaLiveIamError) and isinstance(quota, ValueError)
    assert str(quota) == "Test/R (MediaLiveTrustedRole): max_managed_policies: 11 policies. Fix: raise it"
    with pytest.raises(ValueError, match="tier"):  # an app may catch bad input as ValueError
        raise MediaLiveIamError("c", "tier", "p", "f")


def test_describe_names_the_construct_path_and_class():
    _, stack = new_stack()
    outer = Construct(stack, "Outer")
    role = iam.Role(outer, "Role", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    assert describe(stack) == "Test (Stack)"
    assert describe(outer) == "Test/Outer (Construct)"
    assert describe(role) == "Test/Outer/Role (Role)"


def test_describe_passes_a_string_through():
    assert describe("Test/Ops (MediaLiveOperatorGroup)") == "Test/Ops (MediaLiveOperatorGroup)"
    assert describe("") == ""


def test_a_construct_raises_with_its_own_description_and_the_prop():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        MediaLiveOperatorGroup(stack, "Ops", tier="READ_WRTIE")
    error = info.value
    assert error.construct == "Test/Ops (MediaLiveOperatorGroup)" and error.prop == "tier"
    assert str(error).startswith("Test/Ops (MediaLiveOperatorGroup): tier: ")
    assert str(error).endswith(f". Fix: {error.fix}") and error.fix
