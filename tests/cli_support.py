"""What the command line's tests share: running ``conv-anim`` and reading what it says."""

from __future__ import annotations

import subprocess
import sysconfig
from pathlib import Path

import pytest
from PIL import Image

from conv_anim.cli import main

#: Small, quiet drawings: the tests read files, not the success line.
SMALL = ["--scale", "0.3", "--quiet"]
SCRIPT = Path(sysconfig.get_path("scripts")) / "conv-anim"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``main(args)`` in-process: exit status, stdout, stderr."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_process(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A command as a subprocess, with its output captured as text."""
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_error(status: int, out: str, err: str, expected_status: int, *fragments: str) -> None:
    """One line ``conv-anim: error: ...`` on stderr naming ``fragments``; nothing on stdout."""
    assert status == expected_status, err
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("conv-anim: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def gif_frames(path: Path) -> int:
    """The number of frames of an animated file."""
    with Image.open(path) as image:
        return int(image.n_frames)
