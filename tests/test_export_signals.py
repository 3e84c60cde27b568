"""A save killed by a signal leaves nothing behind, and the process still ends by that signal.

Each test runs a real process that is saving a large GIF, sends it a signal mid-save,
then checks the exit status and the folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from export_support import synthetic_frames, theme_palette

from conv_anim.export import write_gif
from conv_anim.export.temporaries import TEMPORARY_NAME

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT]

#: A plain script writing a large, slow GIF through the export package.
EXPORT_SCRIPT = """
import sys, time
from export_support import noise_frames, theme_palette
from conv_anim.export import write_gif
def frames():
    for frame in noise_frames(2000, 300, 300):
        time.sleep(0.005)
        yield frame
write_gif(sys.argv[1], frames(), palette=theme_palette())
"""

#: A plain script saving a large animation through the library's Animation.save.
LIBRARY_SCRIPT = """
import sys
from conv_anim import ConvSpec, animate
animate(ConvSpec(40, 3)).save(sys.argv[1])
"""


def start(code: str, target: Path, *arguments: str) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(TESTS), "MPLBACKEND": "Agg"}
    return subprocess.Popen(
        [sys.executable, *(["-c", code] if code else []), *arguments, str(target)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    )


def wait_for_temporary(folder: Path, process: subprocess.Popen[bytes]) -> None:
    """Wait until the save has a temporary with content (mid-save), at most 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for path in folder.iterdir():
            if TEMPORARY_NAME.fullmatch(path.name) and path.stat().st_size > 50_000:
                return
        if process.poll() is not None:
            pytest.fail(f"the save ended first: {process.stderr.read().decode()}")
        time.sleep(0.02)
    process.kill()
    pytest.fail("no temporary appeared")


def interrupt(code: str, tmp_path: Path, signum: int, *arguments: str) -> tuple[int, str]:
    """Run a save over an existing file, signal it mid-save; return its exit status and
    what it wrote on stderr."""
    target = tmp_path / "big.gif"
    target.write_bytes(b"old")
    process = start(code, target, *arguments)
    wait_for_temporary(tmp_path, process)
    process.send_signal(signum)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.gif"]
    assert target.read_bytes() == b"old"
    return process.returncode, err.decode()


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: s.name)
def test_a_signal_during_a_save_leaves_nothing_and_still_ends_the_process(tmp_path, signum):
    assert interrupt(EXPORT_SCRIPT, tmp_path, signum)[0] == -signum


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_library_save_from_a_script_leaves_nothing(tmp_path, signum):
    assert interrupt(LIBRARY_SCRIPT, tmp_path, signum)[0] == -signum


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: s.name)
def test_a_cli_save_leaves_nothing(tmp_path, signum):
    # The command line handles these signals itself: it unwinds, says "interrupted" on
    # one line and exits 130.
    arguments = ("-m", "conv_anim", "conv", "-i", "30", "-k", "3", "-o")
    status, err = interrupt("", tmp_path, signum, *arguments)
    assert (status, err) == (130, "conv-anim: interrupted\n")


def test_handlers_are_installed_only_during_a_save_and_only_over_defaults(tmp_path):
    seen: list[object] = []

    def frames() -> Iterator[np.ndarray]:
        for frame in synthetic_frames(2):
            seen.append((signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)))
            yield frame

    def mine(signum: int, frame: object) -> None:
        pass

    previous = signal.signal(signal.SIGHUP, mine)
    try:
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        write_gif(tmp_path / "a.gif", frames(), palette=theme_palette())
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        assert signal.getsignal(signal.SIGHUP) is mine
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert all(term not in (signal.SIG_DFL, None) and hup is mine for term, hup in seen)
