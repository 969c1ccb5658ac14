"""Public attributes that are read-only once a construct is built (what it created is not to be swapped)."""

from __future__ import annotations


class ReadOnlyAfterInit:
    """Mixin: after ``_seal()`` (the last line of ``__init__``), setting a public attribute raises."""

    _sealed = False

    def _seal(self) -> None:
        object.__setattr__(self, "_sealed", True)

    def __setattr__(self, name: str, value: object) -> None:
        if self._sealed and not name.startswith("_"):
            raise AttributeError(f"{type(self).__name__}.{name} is read-only: it is what the construct created")
        super().__setattr__(name, value)
