"""What the library keeps while an app is built and synthesized lives on one object per app: :class:`SynthContext`,
a construct of the app's root (id ``MediaLiveIamSynthContext``; it synthesizes to nothing).

Per stack (:class:`StackState`, by the stack's construct path): the stack's token resolver (tokens resolved once per
stack, :mod:`medialive_iam_constructs.tokens`), the validation that runs the library's checks of the stack
(:mod:`medialive_iam_constructs._synth_checks`) and the table of policy attachments of the current synthesis
(:mod:`medialive_iam_constructs.packing`). Per app: the checks of other hosts (the app's root), and whether the
app-wide check of IAM names is registered, and the trusted roles whose channels are checked (:mod:`medialive_iam_constructs.channels`). Nothing is kept in module globals or set on a jsii object: two apps in
one process, or two synths of one app, never see each other's state.

Finding the context costs jsii round trips (a fraction of a millisecond each): ``Stack.of``, the app's root and its
child. The constructs ask for the stack of the same scopes hundreds of times, so the context remembers the stack of
every scope it was asked about (by the scope's Python object) and the state of every stack object, and the module
remembers which context was used last (:data:`_last`, a weak reference): a scope that context has seen is answered
without a round trip; any other scope is looked up the slow way, which finds its own app's context.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

from aws_cdk import Stack
from constructs import Construct, IConstruct


class StackState:
    """The library's state of one stack of one app."""

    def __init__(self, context: "SynthContext") -> None:
        self.context = context
        #: the stack's token resolver (``tokens.stack_tokens``), made on first use
        self.tokens: Any = None
        #: the validation that runs the library's checks of the stack (``_synth_checks.add_check``)
        self.checks: Any = None
        self._attachments: Any = None
        self._readers: "weakref.WeakSet[Any]" = weakref.WeakSet()

    def new_synthesis(self) -> None:
        """The stack is validated again (a new ``app.synth()``): what was derived from its tree is derived again."""
        self._attachments = None

    def attachments(self, compute: Callable[[], Any], reader: Any) -> Any:
        """The table of the stack's policy attachments in this synthesis, computed once for all the readers. A reader
        that asks twice is in a new synthesis (each validation runs once per synth), even one that no check of the
        stack announced (:meth:`new_synthesis`)."""
        if self._attachments is None or reader in self._readers:
            self._attachments = compute()
            self._readers = weakref.WeakSet()
        self._readers.add(reader)
        return self._attachments


class SynthContext(Construct):
    """The library's state for one app: a child of the app's root (it synthesizes to nothing)."""

    ID = "MediaLiveIamSynthContext"

    def __init__(self, root: IConstruct) -> None:
        super().__init__(root, self.ID)
        self.root = root
        #: the state of each stack, by its construct path (unique in the app)
        self.stacks: dict[str, StackState] = {}
        #: the checks of hosts that are not stacks (the app's root), by construct path
        self.host_checks: dict[str, Any] = {}
        #: the app-wide check of IAM names is registered (``_unique_names``)
        self.unique_names = False
        #: the app's ``MediaLiveTrustedRole`` s, whose channels are checked against them (``channels.register_role``)
        self.trusted_roles: list[Any] = []
        self._by_stack: "weakref.WeakKeyDictionary[Stack, StackState]" = weakref.WeakKeyDictionary()
        self._scopes: "weakref.WeakKeyDictionary[IConstruct, Stack]" = weakref.WeakKeyDictionary()


def _no_context() -> SynthContext | None:
    return None


#: The context used last (a weak reference; not state: a scope it has not seen is looked up the slow way).
_last: Callable[[], SynthContext | None] = _no_context


def context_of(scope: IConstruct) -> SynthContext:
    """The context of the app that holds ``scope`` (made on first use)."""
    global _last
    root = scope.node.root
    context = _last()
    if context is None or context.root is not root:  # an implicit App's proxy differs on every read: look it up
        found = root.node.try_find_child(SynthContext.ID)
        context = found if isinstance(found, SynthContext) else SynthContext(root)
        _last = weakref.ref(context)
    return context


def stack_state(stack: Stack) -> StackState:
    """The state of ``stack`` in its app."""
    context = _last()
    state = context._by_stack.get(stack) if context is not None else None
    if state is None:
        context = context_of(stack)
        state = context._by_stack.get(stack)
        if state is None:  # a new Python object for a stack the context may know by its path
            path = stack.node.path
            state = context.stacks.get(path) or context.stacks.setdefault(path, StackState(context))
            context._by_stack[stack] = state
    return state


def stack_of(scope: IConstruct) -> Stack:
    """``Stack.of(scope)``, remembered by the context for as long as ``scope`` lives (a construct never moves to
    another stack): the constructs ask it of the same scopes many times, each a jsii round trip."""
    context = _last()
    stack = context._scopes.get(scope) if context is not None else None
    if stack is None:
        stack = Stack.of(scope)
        stack_state(stack).context._scopes[scope] = stack
    return stack
