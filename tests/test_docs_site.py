"""The documentation site (mkdocs.yml): built with ``--strict`` (a broken link or a cross-reference that resolves
nowhere fails the build), every published object and constructor prop documented and on its page
(tools/docs_site/coverage.py), and the built site checked in Debian's Chromium (tools/docs_site/site_check.cjs):
every page loads without a console error or a failed request, the search finds a construct and leads to its page,
each construct's page lists its props. ``bash scripts/test.sh`` installs Chromium; without it these tests fail.

Marked ``site``: scripts/test.sh runs them in the lane of the packaging and LocalStack tests (it finishes earlier).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.site

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: the construct whose page is photographed (SITE_SCREENSHOT=path keeps the picture)
SCREENSHOT_PAGE = "reference/MediaLiveTrustedRole/"


def build(site: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of the repository's site into ``site``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's notice about MkDocs 2, not a warning of ours
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("site") / "site"
    start = time.monotonic()
    done = build(out)
    print(f"site build: {time.monotonic() - start:.1f} s")
    return out, done


@pytest.fixture(scope="module")
def site(built) -> Path:
    out, done = built
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return out


def test_the_site_builds_strict_without_a_warning(built):
    # --strict fails on warnings; this also refuses one that a plugin logs without counting it
    out, done = built
    assert done.returncode == 0 and "WARNING" not in done.stderr, done.stderr[-5000:]
    assert (out / "index.html").exists() and (out / "reference" / "MediaLiveTrustedRole" / "index.html").exists()


@pytest.fixture(scope="module")
def package():
    from tools.docs_site.coverage import load

    return load()


def test_every_published_object_and_prop_is_documented(package):
    from tools.docs_site.coverage import undocumented

    assert undocumented(package) == []


def test_every_published_object_and_prop_is_on_its_page(site, package):
    from tools.docs_site.coverage import missing_from_site

    assert missing_from_site(site, package) == []


def test_the_coverage_check_reports_an_undocumented_prop_and_member(package, tmp_path):
    """What mkdocstrings would render silently: a prop missing from ``:param:``, a member without a docstring, a
    member whose anchor no page has."""
    from tools.docs_site.coverage import missing_from_site, undocumented

    import griffe

    init = package["trusted_role"]["MediaLiveTrustedRole"].members["__init__"]
    saved = init.docstring
    init.docstring = griffe.Docstring(saved.value.replace(":param srt_secrets:", ":param srt_secret:"), parent=init,
                                      parser=saved.parser)
    try:
        found = undocumented(package)
    finally:
        init.docstring = saved
    assert found == ["medialive_iam_constructs.MediaLiveTrustedRole: parameter 'srt_secrets' not in the :param: list"]

    boundary = package["restricted_admin"]["MediaLivePermissionsBoundary"]
    member = boundary.all_members["policy"]
    docstring, member.docstring = member.docstring, None
    try:
        assert undocumented(package) == ["medialive_iam_constructs.MediaLivePermissionsBoundary.policy: no docstring"]
    finally:
        member.docstring = docstring

    (tmp_path / "page.html").write_text('<h2 id="medialive_iam_constructs.RestrictedAdmin"><code>role_path</code>')
    missing = missing_from_site(tmp_path, package)
    assert "medialive_iam_constructs.MediaLiveTrustedRole: on no page" in missing
    assert "medialive_iam_constructs.RestrictedAdmin: parameter 'role_path' not on its page" not in missing
    assert "medialive_iam_constructs.RestrictedAdmin: parameter 'user_path' not on its page" in missing


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The built site on 127.0.0.1, a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


#: the constructs of the package's ``__all__``, each on its page ``reference/<name>/``
CONSTRUCTS = ("MediaLiveTrustedRole", "MediaLiveAccessRole", "MediaLivePermissionsBoundary", "MediaLiveNamespaces",
              "MediaLiveOperatorGroup", "MediaLiveConsoleUsers", "RestrictedAdmin")


def page_props(package) -> dict[str, list[str]]:
    """Each reference page's props: the constructor parameters of the classes it documents (``::: path``)."""
    from tools.docs_site.coverage import api_objects

    _, params = api_objects(package)
    pages = {}
    for page in sorted((ROOT / "docs" / "reference").glob("*.md")):
        documented = [line.removeprefix("::: ").strip() for line in page.read_text().splitlines() if line.startswith("::: ")]
        names = [name for path in documented for name in params.get(path, [])]
        if names:
            pages[f"reference/{page.stem}/"] = names
    return pages


def test_the_site_in_a_headless_browser(site, served, package, tmp_path):
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (bash scripts/test.sh installs it); "
        "the browser check does not skip")
    node = shutil.which("node")
    assert node, "no node on PATH"
    pages = sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html"))
    pages = ["" if p == "./" else p for p in pages]
    props = page_props(package)
    assert {f"reference/{name}/" for name in CONSTRUCTS} <= set(props), props
    screenshot = Path(os.environ.get("SITE_SCREENSHOT") or tmp_path / "site.png")
    spec = {"base": served, "pages": pages, "props": props, "chromium": CHROMIUM,
            "search": {"query": "MediaLiveOperatorGroup", "page": "reference/MediaLiveOperatorGroup/"},
            "screenshot": {"page": SCREENSHOT_PAGE, "path": str(screenshot)}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    start = time.monotonic()
    done = subprocess.run([node, str(ROOT / "tools" / "docs_site" / "site_check.cjs"), str(tmp_path / "spec.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    print(f"browser check: {time.monotonic() - start:.1f} s")
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-3000:]
    report = json.loads(lines[-1])
    assert report["problems"] == [] and done.returncode == 0, (report, done.stderr[-3000:])
    assert report["pages"] == len(pages) >= 30
    assert screenshot.stat().st_size > 20_000
