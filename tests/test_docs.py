"""The documentation site: built as the README says, warnings as errors, and what it holds;
and the pages' examples, run by Sphinx's doctest builder."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

from PIL import Image
from sphinx.util.inventory import InventoryFile

import conv_anim
from conv_anim import catalog

pytestmark = [
    pytest.mark.slow,  # seconds long: started first (see conftest.py)
    # Found, not imported: only the build, a child process, uses them.
    pytest.mark.skipif(importlib.util.find_spec("furo") is None, reason="no furo"),
    pytest.mark.skipif(importlib.util.find_spec("myst_parser") is None, reason="no myst_parser"),
]

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: The public modules, each with a page of the API reference.
PUBLIC_MODULES = ("catalog", "figures", "export", "explain", "gallery", "layers", "numerics",
                  "receptive", "stack", "style", "errors")


#: ``python -m sphinx`` twice in one interpreter (each build is the ``build_main`` that
#: command runs): the site as the README builds it, then, if it built, the pages'
#: examples by the doctest builder, which reads the site's saved doctrees, from the
#: folder given (where the examples would leave their files). Starting Sphinx once, not
#: twice, saves a second.
BUILDS = """
import os, sys
from sphinx.cmd.build import build_main
docs, html, examples, here = sys.argv[1:]
status = build_main(["-W", "--keep-going", "-q", "-b", "html", docs, html])
if status == 0:
    print(SEPARATOR, file=sys.stderr, flush=True)
    os.chdir(here)
    status = build_main(["-q", "-b", "doctest", "-d", os.path.join(html, ".doctrees"),
                         docs, examples])
sys.exit(status)
"""
#: What the builds' script writes on stderr between the site's build and the examples'.
SEPARATOR = "--- the site is built; the examples run ---"


@dataclass(frozen=True)
class Builds:
    """The site, and the doctest builder's run of the pages' examples."""

    site: Path
    examples: subprocess.CompletedProcess[str]
    report: Path  # the doctest builder's output.txt
    here: Path  # the folder it ran from


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    folder = tmp_path_factory.mktemp("docs")
    site, examples, here = folder / "html", folder / "examples", folder / "cwd"
    here.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", f"SEPARATOR = {SEPARATOR!r}\n{BUILDS}",
         str(DOCS), str(site), str(examples), str(here)],
        capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    html_errors, built, _ = result.stderr.partition(SEPARATOR + "\n")
    assert built, f"the site did not build:\n{html_errors}"
    assert html_errors == ""
    return Builds(site, result, examples / "output.txt", here)


@pytest.fixture(scope="module")
def site(builds: Builds) -> Path:
    """The HTML site, built by the README's command into a temporary folder (warnings
    are errors, and there are none)."""
    return builds.site


def test_the_pages_examples_give_their_outputs(builds: Builds) -> None:
    # The ``.. doctest::`` blocks of the tutorials and the arithmetic page; docs/conf.py
    # runs them in a temporary folder.
    report = builds.report.read_text()
    assert builds.examples.returncode == 0, report + builds.examples.stderr
    assert " 0 failures in tests" in report
    tested = int(report.split("Doctest summary")[1].split("tests")[0].split()[-1])
    assert tested >= 60  # the tutorials' and the arithmetic page's examples all ran
    assert list(builds.here.iterdir()) == []  # the files they write went to a temporary folder


def inventory(site: Path) -> dict[str, dict[str, object]]:
    with open(site / "objects.inv", "rb") as stream:
        loaded = InventoryFile.load(stream, "", lambda base, uri: uri)
    return dict(getattr(loaded, "data", loaded))


def test_readme_gives_the_build_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "python -m sphinx -W --keep-going -b html docs docs/_build/html" in readme


def test_every_public_name_is_documented(site: Path) -> None:
    objects = inventory(site)
    documented = {name for entries in objects.values() for name in entries}
    missing = [name for name in conv_anim.__all__ if f"conv_anim.{name}" not in documented]
    assert missing == []
    modules = set(objects["py:module"])
    assert {f"conv_anim.{name}" for name in PUBLIC_MODULES} <= modules


def test_arithmetic_has_the_fifteen_relationships_each_drawn(site: Path) -> None:
    page = (site / "arithmetic.html").read_text()
    sections = re.split(r"<h3>Relationship ", page)[1:]
    assert [int(section.split(":", 1)[0]) for section in sections] == list(range(1, 16))
    for section in sections:
        gifs = re.findall(r'<img alt="[^"]*" src="([^"]+\.gif)"', section.split("<h2", 1)[0])
        assert gifs
        for gif in gifs:
            with Image.open(site / gif) as image:
                assert image.format == "GIF" and image.n_frames > 1


def test_gallery_draws_every_catalogue_figure(site: Path) -> None:
    page = (site / "gallery.html").read_text()
    shown = re.findall(r'<img alt="[^"]*" src="([^"]+)"', page)
    assert len(shown) == len(catalog.everything())
    for figure in catalog.everything():
        assert f"<code class=\"docutils literal notranslate\"><span class=\"pre\">{figure.name}" \
            in page
    assert all((site / src).is_file() for src in shown)


def test_cross_references_to_numpy_matplotlib_and_python(site: Path) -> None:
    api = (site / "api" / "conv_anim.html").read_text()
    assert "https://numpy.org/doc/stable/reference/generated/numpy.ndarray.html" in api
    assert "https://matplotlib.org/stable/api/_as_gen/matplotlib.axes.Axes.html" in api
    assert "https://docs.python.org/3/library/pathlib.html#pathlib.Path" in api


def test_intersphinx_reads_only_shipped_inventories() -> None:
    spec = importlib.util.spec_from_file_location("docs_conf", DOCS / "conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    for _, location in conf.intersphinx_mapping.values():
        assert Path(location).is_file(), location


def test_shipped_inventories_are_up_to_date(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_inventories", DOCS / "_inventories" / "make_inventories.py")
    assert spec is not None and spec.loader is not None
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    for path in maker.write(tmp_path):
        assert path.read_bytes() == (DOCS / "_inventories" / path.name).read_bytes(), path.name


def test_changelog_and_tutorials_are_in_the_site(site: Path) -> None:
    assert "Keep a Changelog" in (site / "changelog.html").read_text()
    for name in ("teacher", "notebook", "docs-author"):
        assert (site / "tutorials" / f"{name}.html").is_file()
    assert "Beamer" in (site / "tutorials" / "teacher.html").read_text()
