"""The library's own questions, answered symbolically for every persona of every configuration (issue 21).

Every persona of the generated proof (``tests/proof/personas.py``: the sample in both options, a tag-scoped group,
a user-shaped app, every opt-in of ``catalog/opt_ins.py`` and the organization baseline) is asked, over every
request rather than a sample (``tests/proof/questions.py``):

* nothing outside the scope its catalog rows declare is allowed;
* every "Never" of ``docs/threat-model.md`` holds (:data:`tests.proof.questions.INVARIANTS`), or the residual is
  named there with its reason (:data:`tests.proof.questions.RESIDUALS`);
* every row it is given allows some request (actions the generated proof saw allowed need no solver), and under a
  boundary every grant the library wrote is allowed.

A witness is replayed through iam-simulate before a failure reports it.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from pathlib import Path
from typing import Any, Callable

import pytest

z3 = pytest.importorskip("z3")

from tests.proof import personas as P  # noqa: E402
from tests.proof import questions as Q  # noqa: E402

PERSONA_IDS = P.persona_ids()
THREAT_MODEL = (Path(__file__).resolve().parent.parent / "docs" / "threat-model.md").read_text()
#: persona id -> [(question, verdict, seconds)], for the summary.
ASKED: dict[str, list[tuple[str, str, float]]] = {}


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


#: processes answering the personas' questions in parallel (default: 2, the machine's cores; 1: in this process).
WORKERS = max(1, int(os.environ.get("PROVE_WORKERS", str(min(2, os.cpu_count() or 1)))))
#: persona id -> question -> (answer, seconds): "scope", each invariant's id, "rows" (the dead actions), "inside".
ANSWERS: dict[str, dict[str, tuple[Any, float]]] = {}


def _timed(ask: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    answer = ask()
    return answer, time.perf_counter() - start


def answer_persona(pid: str, alive: frozenset[str]) -> dict[str, tuple[Any, float]]:
    """Every question of the module for one persona (run in a worker process, or here)."""
    p = P.build(None).personas[pid]  # built before the workers were forked: no synth here
    prover, declared = Q.prover_for(p)
    out = {"scope": _timed(lambda: prover.ask(("*",), z3.Not(declared)))}
    for inv in Q.INVARIANTS:
        if inv.applies(p):
            out[inv.id] = _timed(lambda inv=inv: prover.ask(inv.actions, lambda r: inv.where(p, r)))
    out["rows"] = _timed(lambda: {row: actions for row, actions in Q.dead_actions(p, prover, alive).items()
                                  if not Q.dead_by_design(p, row, actions)})
    if pid in BOUNDED and "under-boundary" not in pid:
        out["inside"] = _timed(lambda: Q.broken_grants(p))
    return out


def _answer(args: tuple[str, frozenset[str]]) -> tuple[str, dict[str, tuple[Any, float]]]:
    return args[0], answer_persona(*args)


@pytest.fixture(scope="module")
def answers(built, request) -> dict[str, dict[str, tuple[Any, float]]]:
    """The questions of every persona the selected tests need, answered up front in ``WORKERS`` processes (forked
    after the synth, so that each starts with the personas built), the largest policies first."""
    wanted = sorted({item.callspec.params["pid"] for item in request.session.items
                     if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
                     and "pid" in item.callspec.params} - set(ANSWERS),
                    key=lambda pid: -sum(len(str(d.document)) for d in built.personas[pid].principal.identity_policies))
    jobs = [(pid, _seen_allowed(pid)) for pid in wanted]
    if WORKERS > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            ANSWERS.update(pool.imap_unordered(_answer, jobs))
    else:
        ANSWERS.update(map(_answer, jobs))
    return ANSWERS


def _answered(answers, p: P.Persona, question: str) -> Any:
    if p.id not in answers:
        answers[p.id] = answer_persona(p.id, _seen_allowed(p.id))
    answer, seconds = answers[p.id][question]
    verdict = getattr(answer, "verdict", None) or ("proved" if not answer else "witness")
    ASKED.setdefault(p.id, []).append((question, verdict, seconds))
    return answer


def _explain(p: P.Persona, answer, evaluator) -> str:
    if answer.verdict == "unknown":
        return f"unknown ({'; '.join(answer.features)})" + (f", e.g. {answer.request}" if answer.request else "")
    return f"witness {answer.request}; iam-simulate replays it as {Q.replay(p, answer.request, evaluator)}"


@pytest.mark.parametrize("pid", PERSONA_IDS)
def test_nothing_is_allowed_outside_the_declared_rows(built, answers, pid, iam_evaluator):
    p = built.personas[pid]
    answer = _answered(answers, p, "scope")
    assert answer.verdict == "proved", (
        f"{P.describe_principal(p)} is allowed a request its rows {list(p.rows)} do not declare: "
        f"{_explain(p, answer, iam_evaluator)}")


@pytest.mark.parametrize("pid", PERSONA_IDS)
def test_the_threat_models_never_holds(built, answers, pid, iam_evaluator):
    p = built.personas[pid]
    failures = []
    for inv in Q.INVARIANTS:
        if not inv.applies(p):
            continue
        answer = _answered(answers, p, inv.id)
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


def _seen_allowed(pid: str) -> frozenset[str]:
    """The actions the generated proof saw iam-simulate allow for the persona on this account's resources (inside
    its namespaces or on ``*``), when that module ran first in this process: each is a concrete witness that the
    action is alive, so the solver looks only for the others."""
    import sys

    from tests.proof import universe as U

    module = sys.modules.get("tests.test_proof_generated")
    outcome = getattr(module, "_OUTCOMES", {}).get(pid) if module else None
    if outcome is None:
        return frozenset()
    return frozenset(probe.action for probe, _ in outcome.allowed(U.INSIDE, U.STAR))


@pytest.mark.parametrize("pid", PERSONA_IDS)
def test_every_row_allows_what_it_names(built, answers, pid):
    """Every action of every Allow row the persona is given is allowed on some resource of the account (a row the
    handout reports and that does not work is a broken promise; a workflow role that cannot reach its bucket is a
    broken channel). Actions the generated proof saw allowed need no solver; the rest are asked symbolically."""
    p = built.personas[pid]
    dead = _answered(answers, p, "rows")
    assert not dead, f"{P.describe_principal(p)}: rows whose actions no request is allowed: {dead}"


@pytest.mark.parametrize("pid", [pid for pid in BOUNDED if "under-boundary" not in pid])
def test_the_boundary_cuts_no_grant_of_the_library(built, answers, pid, iam_evaluator):
    """A workflow role that cannot reach its own bucket is a broken channel (issue 21: the user-shaped app's two
    roles could not, while they were given ``boundary.policy`` and the synth-time check was skipped)."""
    p = built.personas[pid]
    answer = _answered(answers, p, "inside")
    assert answer.verdict == "proved", (
        f"{P.describe_principal(p)}: a grant of the role is refused by its boundary or a Deny: "
        f"{_explain(p, answer, iam_evaluator)}")
