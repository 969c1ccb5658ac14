"""The library's own questions, answered symbolically for every persona of every configuration (issue 21).

Every persona of the generated proof (``tests/proof/personas.py``: the sample in both options, a tag-scoped group,
a user-shaped app, every opt-in of ``catalog/opt_ins.py`` and the organization baseline) is asked, over every
request rather than a sample (``tests/proof/questions.py``):

* nothing outside the scope its catalog rows declare is allowed;
* every "Never" of ``docs/threat-model.md`` holds (:data:`tests.proof.questions.INVARIANTS`), or the residual is
  named there with its reason (:data:`tests.proof.questions.RESIDUALS`);
* every row it is given allows some request, and under a boundary every grant the library wrote is allowed.

A witness is replayed through iam-simulate before a failure reports it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

z3 = pytest.importorskip("z3")

from tests.proof import personas as P  # noqa: E402
from tests.proof import questions as Q  # noqa: E402

PERSONA_IDS = P.persona_ids()
THREAT_MODEL = (Path(__file__).resolve().parent.parent / "docs" / "threat-model.md").read_text()
#: persona id -> [(question, verdict, seconds)], for the summary.
ASKED: dict[str, list[tuple[str, str, float]]] = {}
_PROVERS: dict[str, tuple] = {}


@pytest.fixture(scope="module")
def built(iam_evaluator) -> P.Built:
    return P.build(iam_evaluator)


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    start = time.perf_counter()
    yield
    if not ASKED:
        return
    times = [s for rows in ASKED.values() for _, _, s in rows]
    verdicts: dict[str, int] = {}
    for rows in ASKED.values():
        for _, v, _ in rows:
            verdicts[v] = verdicts.get(v, 0) + 1
    lines = ["", f"symbolic proof: {len(ASKED)} personas, {len(times)} questions "
             f"({', '.join(f'{n} {v}' for v, n in sorted(verdicts.items()))}); per question median "
             f"{statistics.median(times) * 1000:.0f} ms, worst {max(times):.1f} s; module {time.perf_counter() - start:.1f} s"]
    for pid, rows in ASKED.items():
        counts = {v: sum(1 for _, x, _ in rows if x == v) for v in ("proved", "witness", "unknown", "residual")}
        lines.append(f"  {pid:55s} " + " ".join(f"{v} {n:2d}" for v, n in counts.items())
                     + f"  {sum(s for _, _, s in rows):5.1f} s")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            for line in lines:
                reporter.write_line(line)


def _prover(p: P.Persona):
    if p.id not in _PROVERS:
        _PROVERS[p.id] = Q.prover_for(p)
    return _PROVERS[p.id]


def _ask(p: P.Persona, question: str, prover, actions, where):
    start = time.perf_counter()
    answer = prover.ask(actions, where)
    ASKED.setdefault(p.id, []).append((question, answer.verdict, time.perf_counter() - start))
    return answer


def _explain(p: P.Persona, answer, evaluator) -> str:
    if answer.verdict == "unknown":
        return f"unknown ({'; '.join(answer.features)})" + (f", e.g. {answer.request}" if answer.request else "")
    return f"witness {answer.request}; iam-simulate replays it as {Q.replay(p, answer.request, evaluator)}"


@pytest.mark.parametrize("pid", PERSONA_IDS)
def test_nothing_is_allowed_outside_the_declared_rows(built, pid, iam_evaluator):
    p = built.personas[pid]
    prover, declared = _prover(p)
    answer = _ask(p, "scope", prover, ("*",), z3.Not(declared))
    assert answer.verdict == "proved", (
        f"{P.describe_principal(p)} is allowed a request its rows {list(p.rows)} do not declare: "
        f"{_explain(p, answer, iam_evaluator)}")


@pytest.mark.parametrize("pid", PERSONA_IDS)
def test_the_threat_models_never_holds(built, pid, iam_evaluator):
    p = built.personas[pid]
    prover, _ = _prover(p)
    failures = []
    for inv in Q.INVARIANTS:
        if not inv.applies(p):
            continue
        answer = _ask(p, inv.id, prover, inv.actions, lambda r, inv=inv: inv.where(p, r))
        if answer.verdict == "proved":
            continue
        residual = Q.residual_for(p, inv)
        if residual is not None and answer.verdict == "witness":
            assert residual in THREAT_MODEL, f"{inv.id}: the residual for {pid} is not in docs/threat-model.md: {residual!r}"
            assert Q.replay(p, answer.request, iam_evaluator) == "Allowed", (
                f"{inv.id} on {pid}: the residual's witness {answer.request} is not allowed by iam-simulate: the "
                "encoder and the evaluator disagree")
            ASKED[p.id][-1] = (inv.id, "residual", ASKED[p.id][-1][2])
            continue
        failures.append(f"{inv.id} (never: {inv.never}): {_explain(p, answer, iam_evaluator)}")
    assert not failures, f"{P.describe_principal(p)}:\n  " + "\n  ".join(failures)


BOUNDED = [pid for pid in PERSONA_IDS if ":role:" in pid or "/role:" in pid or "under-boundary" in pid]


@pytest.mark.parametrize("pid", [pid for pid in BOUNDED if "under-boundary" in pid])
def test_every_row_allows_what_it_names(built, pid):
    """The boundary's rows, under AdministratorAccess (the boundary is the only cap). A workflow role's statements
    are rendered from its rows, and the next test proves each of them allowed through the boundary; the groups' rows are
    asked inside their namespaces by the generated proof."""
    p = built.personas[pid]
    prover, _ = _prover(p)
    start = time.perf_counter()
    dead = {row: actions for row, actions in Q.dead_actions(p, prover).items()
            if not Q.dead_by_design(p, row, actions)}
    ASKED.setdefault(p.id, []).append(("rows", "proved" if not dead else "witness", time.perf_counter() - start))
    assert not dead, f"{P.describe_principal(p)}: rows whose actions no request is allowed: {dead}"


@pytest.mark.parametrize("pid", [pid for pid in BOUNDED if "under-boundary" not in pid])
def test_the_boundary_cuts_no_grant_of_the_library(built, pid, iam_evaluator):
    """A workflow role that cannot reach its own bucket is a broken channel (issue 21: the user-shaped app's two
    roles could not, while they were given ``boundary.policy`` and the synth-time check was skipped)."""
    p = built.personas[pid]
    start = time.perf_counter()
    answer = Q.broken_grants(p)
    ASKED.setdefault(p.id, []).append(("inside", answer.verdict, time.perf_counter() - start))
    assert answer.verdict == "proved", (
        f"{P.describe_principal(p)}: a grant of the role is refused by its boundary or a Deny: "
        f"{_explain(p, answer, iam_evaluator)}")
