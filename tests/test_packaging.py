"""The package as a CDK team gets it (issue 14): build the wheel and the sdist, install the wheel into a fresh
virtualenv with only its declared dependencies, import it from there, synthesize a small app with every public
construct (tests/packaging/user_app.py) and type-check that app with ``mypy --strict``: 0 errors, no
``import-untyped``; run the installed ``medialive-iam`` command on the cdk.out that app wrote (``--help``, ``handout``,
``check``, and ``diff`` without the ``[prove]`` extra). Takes about 5 minutes on the 2-core machine (2026-12-01: build, fresh virtualenv and install
~100 s, most of it installing aws-cdk-lib; synth ~15 s; mypy --strict ~190 s, most of it reading aws-cdk-lib's
type information without a cache); deselect with ``-m "not packaging"``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = [pytest.mark.packaging, pytest.mark.invalid_template]

PINS = {m.group(1): m.group(2) for m in re.finditer(r"^(build|mypy)==(\S+)", (ROOT / "requirements-dev.txt").read_text(), re.M)}


def _run(args: list, cwd: Path, timeout: int = 600, *, code: int = 0,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``args`` with the project's Node first on PATH; assert it exits with ``code``."""
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")} | (env or {})
    full["PATH"] = f"{ROOT / 'node_modules' / 'node' / 'bin'}{os.pathsep}{full.get('PATH', '')}"
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=full, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == code, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _venv(path: Path) -> Path:
    _run([sys.executable, "-m", "venv", path], cwd=path.parent)
    return path / "bin" / "python"


def _tools(tmp: Path) -> Path:
    """A Python with the pinned build and mypy: this one when it has them (setup.sh installs them), else a venv."""
    try:
        from importlib.metadata import version

        if all(version(name) == pin for name, pin in PINS.items()):
            return Path(sys.executable)
    except Exception:  # noqa: BLE001 - not installed here
        pass
    python = _venv(tmp / "tools")
    _run([python, "-m", "pip", "install", "-q", "--no-compile", *(f"{n}=={v}" for n, v in sorted(PINS.items()))], cwd=tmp)
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(tmp dir, dist dir, the fresh venv's python, the tools' python, seconds taken)."""
    start = time.monotonic()
    tmp = tmp_path_factory.mktemp("packaging")
    tools = _tools(tmp)
    src = tmp / "src"  # a copy of the tracked files: the build never writes into the checkout
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = tmp / "dist"
    _run([tools, "-m", "build", "--outdir", dist, src], cwd=tmp)
    user = _venv(tmp / "user")
    (wheel,) = dist.glob("*.whl")
    _run([user, "-m", "pip", "install", "-q", "--no-compile", wheel], cwd=tmp)
    return tmp, dist, user, tools, time.monotonic() - start


def test_wheel_and_sdist_contents(installed):
    _, dist, *_ = installed
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    assert "medialive_iam_constructs/py.typed" in names
    # the [prove] extra's data: the IAM action table with its licence, and the AWS managed policies the reader knows
    for data in ("prove/data/iam-actions.json.gz", "prove/data/LICENSE-iam-data.txt",
                 "data/aws_managed/AdministratorAccess.json"):
        assert f"medialive_iam_constructs/{data}" in names, data
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.split("/")[0] in ("tests", "tools")]  # the dev tools live under tools/
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: Apache-2.0" in metadata
    description = metadata.split("\n\n", 1)[1]
    assert description.startswith("# medialive-iam-constructs") and "scripts/" not in description
    members = tarfile.open(sdist).getnames()
    assert not [m for m in members if any(f"/{d}/" in m or m.endswith(f"/{d}") for d in ("tests", "tools"))], \
        "the sdist leaves the tests and the dev tools out"
    assert any(m.endswith("/LICENSE") for m in members) and any(m.endswith("/py.typed") for m in members)
    assert "Apache License" in (ROOT / "LICENSE").read_text() and "Version 2.0" in (ROOT / "LICENSE").read_text()


def test_fresh_venv_has_only_the_declared_dependencies(installed):
    tmp, _, user, *_ = installed
    out = _run([user, "-m", "pip", "list", "--format=freeze"], cwd=tmp).stdout
    names = {line.split("==")[0].lower().replace("_", "-") for line in out.split()}
    assert {"aws-cdk-lib", "constructs", "cdk-nag", "medialive-iam-constructs"} <= names
    assert not names & {"pytest", "syrupy", "cfn-lint", "boto3", "mypy", "checkov"}


@pytest.fixture(scope="module")
def user_app(installed):
    """(the app's directory, holding the cdk.out it synthesized; the synth's result), from the installed wheel."""
    tmp, _, user, *_ = installed
    app_dir = tmp / "app"
    app_dir.mkdir()
    shutil.copy(ROOT / "tests" / "packaging" / "user_app.py", app_dir)
    return app_dir, _run([user, "user_app.py"], cwd=app_dir, env={"CDK_OUTDIR": str(app_dir / "cdk.out")})


def test_import_and_synth_from_the_wheel(installed, user_app):
    tmp, _, user, *_ = installed
    app_dir, result = user_app
    where = _run([user, "-c", "import medialive_iam_constructs as m; print(m.__file__)"], cwd=app_dir).stdout
    assert str(tmp / "user") in where, where
    assert "synthesized" in result.stdout and "rejected: tier" in result.stdout, result.stdout
    assert "end-of-life" not in result.stderr.lower(), result.stderr[-2000:]


def test_the_console_script_from_the_wheel(installed, user_app):
    """``medialive-iam`` as pip installs it, on the cdk.out the user's app synthesized (docs/cli.md)."""
    _, _, user, *_ = installed
    app_dir, _ = user_app
    command = user.parent / "medialive-iam"
    assert "handout" in _run([command, "--help"], cwd=app_dir).stdout
    handout = _run([command, "handout"], cwd=app_dir).stdout  # ./cdk.out, every stack
    assert "# Who can do what: Complex" in handout and "# Who can do what: Simple" in handout
    # the guard's one finding (archive.grant_read(news): a grant outside the catalog), as the Aspect reported it
    check = _run([command, "check", "cdk.out"], cwd=app_dir, code=1).stdout
    assert "0 error(s), 1 warning(s)" in check and "medialive-iam-guard: the role of Complex/" in check, check
    _run([command, "check", "--fail-on", "error", "--stack", "Simple"], cwd=app_dir)
    missing = _run([command, "check", "elsewhere"], cwd=app_dir, code=2).stderr
    assert "run `cdk synth` first or pass the directory" in missing
    # the [prove] extra is not installed: diff and prove say how to get it
    no_z3 = _run([command, "diff", "cdk.out", "cdk.out"], cwd=app_dir, code=2).stderr
    assert "pip install 'medialive-iam-constructs[prove]'" in no_z3


def test_mypy_strict_on_a_users_app(installed):
    tmp, _, user, tools, seconds = installed
    check_dir = tmp / "mypy"
    check_dir.mkdir()
    shutil.copy(ROOT / "tests" / "packaging" / "user_app.py", check_dir)
    env_tools = [tools, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", user, "user_app.py"]
    start = time.monotonic()
    result = subprocess.run([str(a) for a in env_tools], cwd=check_dir, capture_output=True, text=True, timeout=900)
    mypy_seconds = time.monotonic() - start
    assert "import-untyped" not in result.stdout
    assert result.returncode == 0, result.stdout[-4000:]
    assert result.stdout.startswith("Success: no issues found in 1 source file"), result.stdout
    print(f"\npackaging: build + fresh venv + install {seconds:.0f} s, mypy --strict {mypy_seconds:.0f} s")
