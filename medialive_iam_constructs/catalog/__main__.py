"""Writes the catalog as Markdown: ``python -m medialive_iam_constructs.catalog > docs/catalog.md``."""

from __future__ import annotations

from . import ALL_ROWS
from .model import Row

_TABLES = (
    ("user", "User activities (S1–S42 of CUR-SUM, F3 of CUR-FEAT; reference §1.3, §1.2; W, N, M rows: issue 13)"),
    ("trusted", "What MediaLive itself needs (T1–T23 of CUR-TE; reference §1.4)"),
    ("admin", "Restricted administrator (reconstructed; reference §1.1; M4: issue 13)"),
    ("node", "MediaLive Anywhere nodes' instance role (no construct grants it; issue 13)"),
)


def _resources(row: Row, grant) -> str:
    if grant.on_star:
        return "`*`" + (f" ({grant.star_reason})" if grant.star_reason else "")
    out = []
    for k in grant.kinds:
        fmt = k.arn_format
        for name, value in {**k.defaults, **grant.identifiers}.items():
            fmt = fmt.replace("${" + name + "}", value)
        out.append(f"`{fmt}`" + (" (bound by the construct)" if grant.must_bind else ""))
    return "<br>".join(out)


def render() -> str:
    lines = [
        "# The permission catalog",
        "",
        "Generated from `medialive_iam_constructs/catalog` by `python -m medialive_iam_constructs.catalog`;",
        "a test fails when this file is out of date. Row ids are those of `medialive-iam-requirements.md`;",
        "a part (`S3.run`) is the piece of a row a persona needs. Identifiers left as `${...}` become `*`",
        "unless the construct binds given resources.",
        "",
    ]
    for table, title in _TABLES:
        rows = [r for r in ALL_ROWS if r.table == table]
        if not rows:
            continue
        lines += [f"## {title}", "", "| Row | Activity | Effect | Actions | Resources | Conditions | Notes |",
                  "|---|---|---|---|---|---|---|"]
        for r in rows:
            notes = " ".join(r.notes).replace("|", "\\|")
            if not r.grants:
                lines.append(f"| {r.id} | {r.title} | | none | | | {notes} |")
                continue
            for i, g in enumerate(r.grants):
                cond = "`" + str(dict(g.conditions)) + "`" if g.conditions else ""
                lines.append(
                    f"| {r.id if i == 0 else ''} | {r.title if i == 0 else ''} | {getattr(g, 'effect', 'Allow')} | "
                    f"{'<br>'.join(f'`{a}`' for a in g.actions)} | {_resources(r, g)} | {cond} | {notes if i == 0 else ''} |"
                )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
