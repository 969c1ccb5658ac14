"""What the API reference must hold, checked the way mkdocstrings reads the package (griffe, statically, with the
site's extensions): mkdocstrings renders an undocumented object as a bare heading, or not at all, without a warning.

``undocumented()`` lists each name in the ``__all__`` of an API module without a docstring, each public member of
an exported class without one (inherited ones included: they are rendered on the class's page), and each
constructor parameter the class's ``:param:`` list does not describe. ``missing_from_site(site)`` lists each of
those objects whose anchor no page of a built site has. Run ``python -m tools.docs_site.coverage [SITE_DIR]``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import griffe

from .griffe_roles import API_MODULES, SphinxRoles

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "medialive_iam_constructs"


def load() -> griffe.Module:
    """The package as the site sees it (the attribute comments ``#:`` read as docstrings, like the site)."""
    extensions = griffe.load_extensions("griffe_sphinx", SphinxRoles())
    return griffe.load(PACKAGE, search_paths=[str(ROOT)], extensions=extensions, docstring_parser="sphinx",
                       resolve_aliases=True)


def _module(pkg: griffe.Module, path: str) -> griffe.Module:
    return pkg if path == PACKAGE else pkg[path.removeprefix(PACKAGE + ".")]


def _exports(pkg: griffe.Module):
    """``(path on its page, object)`` for each API module (but the package) and each name of their ``__all__``."""
    for path in API_MODULES:
        module = _module(pkg, path)
        if path != PACKAGE:
            yield path, module
        for name in module.exports or ():
            yield f"{path}.{name}", module[name].final_target if module[name].is_alias else module[name]


def _params(cls: griffe.Class) -> list[str]:
    """The constructor's parameters a user passes (a construct's ``scope`` and ``id`` aside)."""
    init = cls.all_members.get("__init__")
    if init is None or not init.is_function:
        return []
    return [p.name for p in init.parameters if p.name not in ("self", "scope", "id") and not p.name.startswith("_")
            and p.kind not in (griffe.ParameterKind.var_positional, griffe.ParameterKind.var_keyword)]


def _param_docs(cls: griffe.Class) -> set[str]:
    """The names the class's (or its ``__init__``'s) ``:param:`` list describes, or a documented attribute of the
    same name (a dataclass field with its ``#:`` comment)."""
    names = {name for name, member in cls.all_members.items() if not name.startswith("_") and _has_doc(member)}
    for holder in (cls, cls.all_members.get("__init__")):
        if holder is not None and holder.docstring is not None:
            for section in holder.docstring.parsed:
                if section.kind is griffe.DocstringSectionKind.parameters:
                    names.update(p.name for p in section.value)
    return names


def _has_doc(obj: griffe.Object) -> bool:
    return bool(obj.docstring and obj.docstring.value.strip())


def api_objects(pkg: griffe.Module) -> tuple[dict[str, griffe.Object], dict[str, list[str]]]:
    """What the reference documents: the objects it gives a heading (by the anchor their page shows them under:
    ``module.name``, a class's public members under it, inherited ones included) and, per exported class, the
    constructor parameters its Parameters table lists. A dataclass field its ``:param:`` list describes is a
    parameter, not a member."""
    objects: dict[str, griffe.Object] = {}
    params: dict[str, list[str]] = {}
    for path, obj in _exports(pkg):
        objects[path] = obj
        if obj.is_class:
            params[path] = _params(obj)
            described = _param_docs(obj)
            for name, member in obj.all_members.items():
                if not name.startswith("_") and not (name in described and not _has_doc(member)):
                    objects[f"{path}.{name}"] = member
    return objects, params


def undocumented(pkg: griffe.Module | None = None) -> list[str]:
    """What a reader of the reference would find undocumented, one line each."""
    objects, params = api_objects(pkg or load())
    problems = [f"{path}: no docstring" for path, obj in objects.items() if not _has_doc(obj)]
    for path, names in params.items():
        described = _param_docs(objects[path])
        problems += [f"{path}: parameter {name!r} not in the :param: list" for name in names if name not in described]
    return problems


def missing_from_site(site: Path, pkg: griffe.Module | None = None) -> list[str]:
    """What no page of the built site shows: an object without its anchor (``id="<path>"``, as mkdocstrings
    writes it), a parameter not in its class's Parameters table."""
    objects, params = api_objects(pkg or load())
    pages = {page: page.read_text() for page in site.rglob("*.html")}
    ids = {anchor: text for text in pages.values() for anchor in re.findall(r'id="([\w.]+)"', text)}
    missing = [f"{path}: on no page" for path in objects if path not in ids]
    for path, names in params.items():
        page = ids.get(path, "")
        missing += [f"{path}: parameter {name!r} not on its page" for name in names
                    if f"<code>{name}</code>" not in page and f'id="{path}.{name}"' not in page]
    return missing


if __name__ == "__main__":
    found = undocumented()
    if len(sys.argv) > 1:
        found += missing_from_site(Path(sys.argv[1]))
    print("\n".join(found) or "every published object is documented")
    sys.exit(1 if found else 0)
