"""docs/testing.md runs: its files (the python and toml blocks that start with ``# file: <path>``) are written
into an empty project and tested there as the page says: ``--snapshot-update`` creates the snapshots (their initial creation, in that
temporary project), pytest passes, and a change to the app fails its snapshot with the diff. (What the first
run without snapshots says is tested in tests/test_snapshots.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.helpers import ROOT

DOC = ROOT / "docs" / "testing.md"
_BLOCK = re.compile(r"^```(python|toml)\n(.*?)^```", re.S | re.M)


def doc_files() -> dict[str, str]:
    files = {}
    for lang, body in _BLOCK.findall(DOC.read_text()):
        first, _, rest = body.partition("\n")
        assert first.startswith("# file: "), f"a {lang} block of {DOC.name} does not start with '# file: <path>'"
        files[first.removeprefix("# file: ").strip()] = rest
    return files


def _pytest(project, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key in ("CDK_OUTDIR", "CDK_CONTEXT_JSON", "PYTEST_ADDOPTS"):
        env.pop(key, None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_walkthrough_runs(tmp_path):
    files = doc_files()
    assert {"my_app/stacks.py", "pyproject.toml", "tests/test_my_app.py", "tests/test_my_app_day2.py",
            "tests/test_my_app_access.py", "scripts/new_access.py"} <= set(files)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)

    created = _pytest(tmp_path, "--snapshot-update")
    assert created.returncode == 0, created.stdout[-3000:]
    written = sorted(p.name for p in (tmp_path / "tests" / "__snapshots__" / "test_my_app").iterdir())
    assert written == ["test_template[MediaLiveIam].json", "test_template_with_plain_assert.json"]

    again = _pytest(tmp_path)
    assert again.returncode == 0 and "6 passed" in again.stdout, again.stdout[-3000:]
    assert f"{ROOT}/medialive_iam_constructs" in _package_of(tmp_path)

    stacks = tmp_path / "my_app" / "stacks.py"
    app = stacks.read_text()
    stacks.write_text(app.replace('prefix="live/"', 'prefix="live/news/"'))
    changed = _pytest(tmp_path)
    # the snapshots fail; the day-2 check passes (a changed prefix moves no statement between policies), and so do
    # the access tests (a narrower prefix is no new access)
    assert changed.returncode != 0 and "2 failed, 4 passed" in changed.stdout, changed.stdout[-3000:]
    assert "differs from its snapshot 'MediaLiveIam'" in changed.stdout and "live/news/" in changed.stdout

    stacks.write_text(app.replace('S3Location(sources, prefix="live/")', "S3Location(sources)"))
    widened = _pytest(tmp_path)
    # the whole bucket: the snapshots and both access tests fail, saying what is new and from which row
    assert widened.returncode != 0 and "4 failed, 2 passed" in widened.stdout, widened.stdout[-3000:]
    out = widened.stdout
    assert "is granted ['s3:GetObject'] on ['arn:aws:s3:::my-news-sources/archive/*']" in out, out[-3000:]
    assert "| role `MediaLiveNewsWorkflow` | witness | `s3:GetObject` |" in out and "| T18.read |" in out, out[-3000:]


def _package_of(project) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "import medialive_iam_constructs as m; print(m.__file__)"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120).stdout
