"""A griffe extension for the site's API reference (mkdocs.yml loads it by path): the package's docstrings are
reST (``:param x:``, ``:class:`X```, ``::`` before a literal block), mkdocstrings renders their text as Markdown.

Each Sphinx role naming an object the reference publishes (a name in the ``__all__`` of a module in
:data:`API_MODULES`, a public member of such a class, or one of those modules) becomes a Markdown cross-reference
to its canonical path, so a published name whose page is missing fails ``mkdocs build --strict``; a role naming
anything else (a private helper, a catalog table) becomes inline code. ``text::`` before an indented block becomes
``text:`` (the block stays a code block).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

#: The modules the API reference renders, each on its own page (``docs/reference/``).
API_MODULES = (
    "medialive_iam_constructs",
    "medialive_iam_constructs.guard",
    "medialive_iam_constructs.nag",
    "medialive_iam_constructs.handout",
    "medialive_iam_constructs.testing",
    "medialive_iam_constructs.prove",
)

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|mod|obj|exc|const):`(~?)([\w.]+)(\(\))?`")
_LITERAL = re.compile(r"(\S)::(\n\n)")


def published(pkg: griffe.Module) -> set[str]:
    """The canonical paths of the objects the reference renders: each API module, the names of its ``__all__``
    and their public members."""
    out: set[str] = set()
    for path in API_MODULES:
        module = pkg if path == pkg.path else pkg[path.removeprefix(pkg.path + ".")]
        out.add(module.canonical_path)
        for name in module.exports or ():
            obj = module[name]
            out.add(obj.canonical_path)
            if obj.is_class:
                out.update(m.canonical_path for n, m in obj.all_members.items() if not n.startswith("_"))
    return out


def _resolve(obj: griffe.Object, target: str, modules: griffe.ModulesCollection) -> griffe.Object | None:
    """What ``target`` names, seen from ``obj``'s docstring: a member, a name in scope, or a dotted path."""
    head, _, rest = target.partition(".")
    for scope in [obj, *_parents(obj)]:
        if head in scope.all_members:
            found = scope.all_members[head]
            try:
                return found[rest] if rest else found
            except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
                return None
    try:
        return modules.get_member(target)
    except (KeyError, ValueError):
        return None


def _parents(obj: griffe.Object):
    parent = obj.parent
    while parent is not None:
        yield parent
        parent = parent.parent


class SphinxRoles(griffe.Extension):
    """Rewrites the package's docstrings once it is loaded (see the module's documentation)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if pkg.path != "medialive_iam_constructs":
            return
        for obj in list(_walk(pkg)):
            if obj.is_class:
                _inherit_docstrings(obj)
        targets = published(pkg)
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj, obj.docstring.value, targets, loader.modules_collection)


def _inherit_docstrings(cls: griffe.Class) -> None:
    """A member a subclass sets again without a docstring (``self.group = ...`` in its ``__init__``) keeps the
    docstring of the base class's declaration (``#: The IAM group.``)."""
    for name, member in cls.members.items():
        if member.is_alias or (member.docstring and member.docstring.value.strip()):
            continue
        for base in cls.mro():
            declared = base.members.get(name)
            if declared is not None and not declared.is_alias and declared.docstring is not None:
                member.docstring = griffe.Docstring(declared.docstring.value, parent=member,
                                                    parser=declared.docstring.parser,
                                                    parser_options=declared.docstring.parser_options)
                break


def rewrite(obj: griffe.Object, text: str, targets: set[str], modules: griffe.ModulesCollection) -> str:
    """``text`` with its roles as cross-references or code and its ``::`` as ``:``."""

    def role(match: re.Match) -> str:
        short, target, call = match.group(1), match.group(2), match.group(3) or ""
        label = (target.rsplit(".", 1)[-1] if short else target) + call
        found = _resolve(obj, target, modules)
        try:
            path = found.canonical_path if found is not None else None
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            path = None
        return f"[`{label}`][{path}]" if path in targets else f"`{label}`"

    return _LITERAL.sub(r"\1:\2", _ROLE.sub(role, text))


def _walk(obj: griffe.Object):
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)
