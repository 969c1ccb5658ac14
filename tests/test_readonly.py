"""medialive_iam_constructs/_readonly.py: ``ReadOnlyAfterInit`` seals a construct's public attributes at the end of
``__init__`` (what the construct created is not to be swapped); private attributes stay writable."""

from __future__ import annotations

import pytest

from medialive_iam_constructs import MediaLiveConsoleUsers, MediaLiveOperatorGroup, OperatorTier
from medialive_iam_constructs._readonly import ReadOnlyAfterInit
from tests.helpers import new_stack


class _Built(ReadOnlyAfterInit):
    """A construct-like class: sets its attributes in __init__, then seals, as the library's constructs do."""

    def __init__(self) -> None:
        self.group = "the group"
        self._cache = {"n": 1}
        self._seal()


def test_a_public_attribute_set_in_init_raises_after_the_seal_and_keeps_its_value():
    built = _Built()
    with pytest.raises(AttributeError) as info:
        built.group = "another group"
    assert str(info.value) == "_Built.group is read-only: it is what the construct created"
    assert built.group == "the group"


def test_a_new_public_attribute_cannot_be_added_after_the_seal():
    built = _Built()
    with pytest.raises(AttributeError, match=r"_Built\.extra is read-only"):
        built.extra = 1
    assert not hasattr(built, "extra")


def test_private_attributes_stay_writable_after_the_seal():
    built = _Built()
    built._cache = {"n": 2}
    built._added_later = "ok"
    assert built._cache == {"n": 2} and built._added_later == "ok"


def test_public_attributes_are_writable_until_the_seal():
    class Unsealed(ReadOnlyAfterInit):
        def __init__(self) -> None:
            self.group = "first"
            self.group = "second"  # __init__ may set an attribute twice before it seals

    unsealed = Unsealed()
    unsealed.group = "third"  # never sealed: still writable
    assert unsealed.group == "third"


def test_sealing_one_instance_leaves_the_class_and_other_instances_unsealed():
    class Late(ReadOnlyAfterInit):
        pass

    sealed, open_ = Late(), Late()
    sealed._seal()
    open_.group = "set"
    assert open_.group == "set" and ReadOnlyAfterInit._sealed is False and Late._sealed is False
    with pytest.raises(AttributeError, match="Late.group is read-only"):
        sealed.group = "set"


def test_a_library_construct_is_sealed_after_init_but_its_private_state_is_not():
    _, stack = new_stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    users = MediaLiveConsoleUsers(stack, "Users", users={"alice": ops})
    for attr in ("users", "rows", "password_change_group", "initial_password_secrets"):
        with pytest.raises(AttributeError, match=f"MediaLiveConsoleUsers.{attr} is read-only"):
            setattr(users, attr, None)
    assert list(users.users) == ["alice"] and users.rows == ("A9",)
    users._note = "private"
    assert users._note == "private"
