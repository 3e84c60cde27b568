"""The gallery build under faults: killed and interrupted builds, concurrent builds,
corrupt manifests and pages, leftovers, and the check's comparison of every file.

Builds run as real subprocesses of ``scripts/build_gallery.py`` on a few figures each.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conv_anim import gallery
from conv_anim.gallery import folder as gallery_folder
from conv_anim.gallery import manifest as gallery_manifest
from conv_anim.gallery import workers
from conv_anim.gallery.pages import write_text_if_changed

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

psutil = pytest.importorskip("psutil")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_gallery.py"
GALLERY = ROOT / "gallery"
#: Animations long enough (36 to 49 frames) that a build of them is caught mid-way.
LONG = ["full_padding_no_strides", "arbitrary_padding_no_strides", "padding_strides_odd_transposed"]
SMALL = ["no_padding_no_strides", "kernel"]
ENV = {**os.environ, "MPLBACKEND": "Agg"}


def start_build(folder: Path, *args: str) -> subprocess.Popen[str]:
    """The build script as a subprocess, in a session of its own (as in a terminal)."""
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), "--out", str(folder), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        start_new_session=True,
    )


def run_build(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(folder), *args],
                          capture_output=True, text=True, env=ENV, timeout=300)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if gallery_folder.is_leftover(p.name))


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def alive(process: psutil.Process) -> bool:
    """Whether a process still runs (a zombie waiting to be reaped has ended)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture(scope="module")
def small_gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small_gallery")
    gallery.build(folder, only=SMALL, jobs=1)
    return folder


@pytest.fixture
def mid_build(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[psutil.Process], Path]]:
    """A forced ``--jobs 2`` build of long figures into a copy of the committed gallery,
    caught while a worker writes a temporary file."""
    folder = tmp_path / "gallery"
    shutil.copytree(GALLERY, folder)
    build = start_build(folder, "--force", "--jobs", "2", "--only", *LONG)
    try:
        wait_for(lambda: temporaries(folder) or build.poll() is not None, 120,
                 "a worker to start writing")
        assert build.poll() is None, build.communicate()
        children = psutil.Process(build.pid).children()
        assert len(children) == 2
        yield build, children, folder
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
        build.communicate()


# --------------------------------------------------------------------------- workers


def test_workers_end_with_a_killed_build_and_a_rebuild_leaves_a_clean_gallery(
    mid_build
):
    build, children, folder = mid_build
    build.send_signal(signal.SIGKILL)  # no code of the build runs
    build.wait(10)
    wait_for(lambda: not any(alive(child) for child in children), 5, "the workers to end")
    left = temporaries(folder)  # what the killed workers were writing (if between files: none)
    rebuilt = run_build(folder, "--jobs", "2", "--only", *LONG)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert ("temporary files left by an interrupted build" in rebuilt.stderr) == bool(left)
    assert temporaries(folder) == []
    assert gallery.check(folder, fresh=GALLERY) == []


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGHUP, False)],
    ids=["ctrl-c", "sigterm", "sighup"],
)
def test_an_interrupted_build_says_so_in_one_line_and_leaves_nothing(mid_build, signum, to_group):
    build, children, folder = mid_build
    before = sorted(p.name for p in GALLERY.iterdir())
    if to_group:  # Ctrl-C: the terminal signals every process of the group
        os.killpg(build.pid, signum)
    else:
        build.send_signal(signum)
    out, err = build.communicate(timeout=30)
    assert build.returncode == 128 + signum
    assert err == f"build_gallery: interrupted ({signal.Signals(signum).name})\n"
    assert not any(alive(child) for child in children)
    assert sorted(p.name for p in folder.iterdir()) == before  # no temporary, nothing lost


def test_a_killed_worker_stops_the_build_with_one_line_and_no_litter(mid_build):
    build, children, folder = mid_build
    before = sorted(p.name for p in GALLERY.iterdir())
    children[0].kill()  # as the OOM killer would
    out, err = build.communicate(timeout=60)
    assert build.returncode == 1
    assert err == "build_gallery: error: a drawing process ended abruptly; the build stopped\n"
    assert not alive(children[1])
    assert sorted(p.name for p in folder.iterdir()) == before


def test_workers_end_with_their_build_through_the_lifeline_alone(tmp_path):
    # The portable mechanism, without Linux's parent-death signal.
    code = (
        "import sys, time\n"
        "from conv_anim.gallery import workers\n"
        "workers._ask_to_die_with_parent = lambda: None\n"
        "workers.run_in_workers(time.sleep, [60, 60], 2, print)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", code], env=ENV, start_new_session=True)
    children: list[psutil.Process] = []
    try:
        wait_for(lambda: len(psutil.Process(build.pid).children()) == 2, 30, "two workers")
        children = psutil.Process(build.pid).children()
        time.sleep(0.5)  # past their start
        build.kill()
        build.wait(10)
        wait_for(lambda: not any(alive(child) for child in children), 5, "the workers to end")
    finally:
        if build.poll() is None:
            build.kill()
        for child in children:
            if alive(child):
                child.kill()


def test_a_failing_callback_stops_the_workers_at_once():
    done: list[object] = []

    def finished(result: object) -> None:
        done.append(result)
        raise KeyboardInterrupt

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        workers.run_in_workers(time.sleep, [0, 60, 60], 2, finished)
    assert time.monotonic() - start < 20 and done == [None]
    assert multiprocessing.active_children() == []


def test_an_error_in_a_worker_reaches_the_build():
    with pytest.raises(ValueError, match="math domain error"):
        workers.run_in_workers(_square_root, [4.0, -1.0, 9.0], 2, lambda result: None)
    assert multiprocessing.active_children() == []


def _square_root(value: float) -> float:
    import math

    return math.sqrt(value)


# --------------------------------------------------------------------------- leftovers


def test_a_build_removes_what_killed_builds_left_and_nothing_else(tmp_path, small_gallery):
    folder = tmp_path / "gallery"
    shutil.copytree(small_gallery, folder)
    left = [".conv_anim-999999-0a1b2c3d.tmp.gif", ".kernel.png.0a1b2c3d.tmp.png", ".README.md.tmp"]
    mine = ["notes.txt", ".hidden", ".kernel.png.tmp"]
    for name in left + mine:
        (folder / name).write_text("x")
    problems = gallery.compare(folder, small_gallery)
    assert [p.split(":")[0] for p in problems if "interrupted build" in p] == sorted(left)
    result = gallery.build(folder, only=SMALL, jobs=1)
    assert result.drawn == ()
    assert temporaries(folder) == []
    assert all((folder / name).exists() for name in mine)
    assert gallery.compare(folder, small_gallery) == [
        f"{name}: not part of the gallery" for name in sorted(mine)
    ]


def test_a_second_build_of_a_folder_waits_for_the_first(tmp_path, small_gallery):
    folder = tmp_path / "gallery"
    shutil.copytree(small_gallery, folder)
    with gallery_folder.locked(folder):
        waiting = start_build(folder, "--only", *SMALL)
        assert waiting.stderr is not None
        note = waiting.stderr.readline()  # written before it blocks
        assert note == f"build_gallery: waiting for another build of {folder} to finish\n"
        time.sleep(0.5)
        assert waiting.poll() is None  # still waiting
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "drew 0 figures, 2 up to date" in out


# --------------------------------------------------------------------------- concurrency

_WRITER = """
import sys
from pathlib import Path
from conv_anim.gallery.pages import write_text_if_changed
path, texts = Path(sys.argv[1]), [sys.argv[2] * 20000, sys.argv[3] * 20000]
for number in range(100):
    write_text_if_changed(path, texts[number % 2])
"""


def test_concurrent_page_writers_never_fail_and_readers_never_see_a_torn_page(tmp_path):
    page = tmp_path / "README.md"
    texts = {"a" * 20000, "b" * 20000}
    write_text_if_changed(page, "a" * 20000)
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(page), *order],
                         stderr=subprocess.PIPE, text=True)
        for order in (("a", "b"), ("b", "a"))
    ]
    reads = 0
    while any(writer.poll() is None for writer in writers):
        assert page.read_text() in texts
        reads += 1
    assert reads > 10
    for writer in writers:
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]


def test_concurrent_builds_of_one_folder_both_succeed(tmp_path, small_gallery):
    folder = tmp_path / "gallery"
    builds = [start_build(folder, "--jobs", "2", "--only", *SMALL) for _ in range(2)]
    while any(build.poll() is None for build in builds):
        readme = folder / gallery.README
        if readme.exists():
            text = readme.read_text()
            assert text.startswith("# Gallery") and text.endswith("conv_anim.\n")
        time.sleep(0.01)
    for build in builds:
        out, err = build.communicate()
        assert build.returncode == 0, err
        assert "Traceback" not in err
    assert gallery.compare(folder, small_gallery) == []


# --------------------------------------------------------------------------- corrupt files


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"null", "not a gallery manifest"),
        (b"[]", "not a gallery manifest"),
        (b'{"figures": []}', "not a gallery manifest"),
        (b'{"figures": {"x": 3}}', "1 malformed entry ignored"),
        (b'{"figures": {"kernel": {"key": "k", "files": {"kernel.png": 7}}}}',
         "1 malformed entry ignored"),
        (b"\xff\xfe{}", "unreadable (not UTF-8)"),
        (b'{"figures": {"kern', "not valid JSON"),
    ],
    ids=["null", "list", "figures-list", "entry-int", "hash-int", "not-utf8", "truncated"],
)
def test_a_corrupt_manifest_is_rebuilt_with_a_one_line_note(
    tmp_path, small_gallery, caplog, content, problem
):
    folder = tmp_path / "gallery"
    shutil.copytree(small_gallery, folder)
    (folder / gallery.MANIFEST).write_bytes(content)
    problems = gallery.compare(folder, small_gallery)
    assert len(problems) == 1 and problems[0].startswith(f"manifest.json: {problem}")
    with caplog.at_level(logging.INFO, logger="conv_anim.gallery"):
        result = gallery.build(folder, only=["kernel"], jobs=1)
    assert result.drawn == ("kernel",)
    notes = [record.getMessage() for record in caplog.records]
    assert len(notes) == 1 and problem in notes[0] and "\n" not in notes[0]
    entries, trouble = gallery_manifest.load_manifest(folder)
    assert trouble is None and "kernel" in entries
    assert gallery.compare(folder, small_gallery) == []


def test_the_script_notes_a_corrupt_manifest_on_one_line(tmp_path, small_gallery):
    folder = tmp_path / "gallery"
    shutil.copytree(small_gallery, folder)
    (folder / gallery.MANIFEST).write_text("null")
    result = run_build(folder, "--jobs", "1", "--only", "kernel")
    assert result.returncode == 0
    assert result.stderr == (
        f"build_gallery: {folder / gallery.MANIFEST}: not a gallery manifest "
        '(no "figures" object); rebuilding it\n'
    )
    assert json.loads((folder / gallery.MANIFEST).read_text())["figures"]["kernel"]["key"]


def test_pages_that_are_not_utf8_are_rewritten(tmp_path, small_gallery):
    folder = tmp_path / "gallery"
    shutil.copytree(small_gallery, folder)
    (folder / gallery.README).write_bytes(b"\xff\xfe# Gallery")
    (folder / gallery.INDEX).write_bytes(b"<html>\xe9")
    result = gallery.build(folder, only=SMALL, jobs=1)
    assert result.drawn == () and result.pages == (gallery.README, gallery.INDEX)
    assert gallery.compare(folder, small_gallery) == []


# --------------------------------------------------------------------------- the check


def test_compare_decodes_only_files_that_differ(tmp_path, small_gallery, monkeypatch):
    from conv_anim import compare as _compare

    folder = tmp_path / "gallery"
    shutil.copytree(small_gallery, folder)
    compared: list[str] = []

    def spy(old: Path, new: Path, tolerance: float = 2.0) -> str | None:
        compared.append(new.name)
        return "differs"

    monkeypatch.setattr(_compare, "difference", spy)
    assert gallery.compare(folder, small_gallery) == []
    assert compared == []  # byte-identical: nothing decoded
    fresh = tmp_path / "fresh"
    shutil.copytree(small_gallery, fresh)
    (fresh / "kernel.html").write_text("<p>a player</p>")
    (folder / "kernel.html").write_text("<p>an older player</p>")
    for path in folder.iterdir():
        if path.name != gallery.MANIFEST:
            path.write_bytes(path.read_bytes() + b"\0")
    problems = gallery.compare(folder, fresh)
    expected = sorted(p.name for p in fresh.iterdir() if p.name != gallery.MANIFEST)
    assert compared == expected and problems == [f"{name}: differs" for name in expected]


def test_a_build_step_that_is_not_drawing_does_not_make_the_gallery_stale():
    modules = {f"gallery/{p.name}" for p in (ROOT / "conv_anim" / "gallery").glob("*.py")}
    assert modules - gallery_manifest.NOT_DRAWING == {"gallery/draw.py"}


# --------------------------------------------------------------------------- the script


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "argument --jobs: invalid value '0'"),
        (["--jobs", "two"], "argument --jobs: invalid value 'two'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--check", "--only", "kernel"], "--check rebuilds every figure"),
        (["--only", "nope"], "name='nope' is not a figure"),
        (["--out", str(SCRIPT)], "is a file"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, message):
    result = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                            text=True, env=ENV)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("build_gallery: error:")
    assert message in result.stderr


def test_a_folder_that_cannot_be_written_exits_1_with_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_build(tmp_path / "file" / "gallery", "--only", "kernel")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("build_gallery: error:")


def test_help_states_the_exit_statuses():
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True,
                            text=True, env=ENV)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for status in ("Exit status: 0", "1 the gallery is out of date", "2 bad arguments",
                   "130 interrupted"):
        assert status in text
