"""The documentation's examples run: the ``.. doctest::`` blocks of the tutorials and the
arithmetic page, through Sphinx's doctest builder (``docs/conf.py`` runs them in a
temporary folder)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("furo")
pytest.importorskip("myst_parser")

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_pages_examples_give_their_outputs(tmp_path: Path) -> None:
    here = tmp_path / "cwd"
    here.mkdir()
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "doctest", str(DOCS), str(out)],
        capture_output=True, text=True, cwd=here, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    report = (out / "output.txt").read_text()
    assert result.returncode == 0, report + result.stderr
    assert " 0 failures in tests" in report
    tested = int(report.split("Doctest summary")[1].split("tests")[0].split()[-1])
    assert tested >= 60  # the tutorials' and the arithmetic page's examples all ran
    assert list(here.iterdir()) == []  # the files they write went to a temporary folder
