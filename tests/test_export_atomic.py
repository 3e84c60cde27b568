"""Tests for atomic writes: temporaries, links, permissions, long names, full disks.

Full-disk and read-only cases mount a small tmpfs, which needs root; they are skipped
where mounting is not permitted.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from export_support import (
    leftovers,
    noise_frames,
    synthetic_frames,
    theme_palette,
)
from PIL import Image

from conv_anim.export import (
    WriteError,
    atomic_output,
    remove_stale_temporaries,
    write_frames,
    write_gif,
    write_png,
    write_png_frames,
)
from conv_anim.export.temporaries import STALE_SECONDS, TEMPORARY_NAME

PALETTE = theme_palette()
FORMATS = [".gif", ".webp", ".apng", ".mp4", ""]


def save(path: Path | str, frames=None) -> int:
    """Write ``frames`` (default: 3 synthetic ones) with the writer of ``path``'s suffix."""
    frames = synthetic_frames(3) if frames is None else frames
    return write_frames(path, frames, palette=PALETTE, fps=2)


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --------------------------------------------------------------------------- atomic output


def test_atomic_output_replaces_file_on_success(tmp_path):
    target = tmp_path / "anim.gif"
    target.write_bytes(b"old")
    with atomic_output(target) as temp:
        assert temp.parent == tmp_path and TEMPORARY_NAME.fullmatch(temp.name)
        assert temp.name.startswith(f".conv_anim-{os.getpid()}-")
        assert temp.suffix == ".gif" and temp.exists()
        assert target.read_bytes() == b"old"
        temp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_atomic_output_keeps_file_on_error(tmp_path):
    target = tmp_path / "anim.gif"
    target.write_bytes(b"old")
    for error in (KeyError("boom"), KeyboardInterrupt(), SystemExit(3)):
        with pytest.raises(type(error)), atomic_output(target) as temp:
            temp.write_bytes(b"partial")
            raise error
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_atomic_output_turns_os_errors_into_write_errors(tmp_path):
    target = tmp_path / "anim.gif"
    with pytest.raises(WriteError) as caught, atomic_output(target):
        raise OSError(errno.ENOSPC, "No space left on device")
    error = caught.value
    assert str(error) == f"cannot write {str(target)!r}: No space left on device"
    assert isinstance(error, OSError) and error.errno == errno.ENOSPC
    assert error.strerror == "No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_refuses_a_folder_or_a_missing_folder(tmp_path):
    with pytest.raises(WriteError, match="it is a folder") as caught, atomic_output(tmp_path):
        pass
    assert caught.value.errno == errno.EISDIR
    with pytest.raises(WriteError, match="does not exist") as caught:
        write_gif(tmp_path / "no" / "a.gif", synthetic_frames(1), palette=PALETTE)
    assert caught.value.errno == errno.ENOENT
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_writer_leaves_nothing_when_the_frames_fail(tmp_path, suffix):
    if suffix == ".mp4":
        pytest.importorskip("imageio_ffmpeg")

    def failing() -> Iterator[np.ndarray]:
        yield from synthetic_frames(2)
        raise RuntimeError("renderer crashed")

    target = tmp_path / f"anim{suffix}"
    save(target)
    before = _snapshot(tmp_path)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        save(target, failing())
    assert _snapshot(tmp_path) == before


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


# --------------------------------------------------------------------------- temporaries


def test_a_244_character_name_works(tmp_path):
    for suffix in (".gif", ".webp", ".apng"):
        name = "a" * (244 - len(suffix)) + suffix
        assert save(tmp_path / name) == 3
        assert (tmp_path / name).stat().st_size > 0
    name = "b" * 251 + ".png"  # the longest name the file system takes
    write_png(tmp_path / name, next(synthetic_frames(1)))
    assert leftovers(tmp_path) == []


def test_stale_temporaries_are_removed_by_the_next_save(tmp_path):
    dead, alive = dead_pid(), os.getppid()
    stale = [
        tmp_path / f".conv_anim-{dead}-0123abcd.tmp.gif",  # its writer has exited
        tmp_path / f".conv_anim-{os.getpid()}-0123abcd.tmp.gif",  # this pid, not writing it
        tmp_path / f".conv_anim-{alive}-89abcdef.tmp",  # alive but untouched for 2 days
    ]
    running = tmp_path / f".conv_anim-{alive}-0123abcd.tmp.webp"  # another save, running
    unrelated = [tmp_path / ".conv_anim-notes.txt", tmp_path / f".x-{dead}-0123abcd.tmp.gif"]
    for path in [*stale, running, *unrelated]:
        path.write_bytes(b"partial")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale[2], (two_days_ago, two_days_ago))
    assert STALE_SECONDS < 2 * 24 * 3600
    save(tmp_path / "anim.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["anim.gif", running.name, *(p.name for p in unrelated)]
    )
    assert remove_stale_temporaries(tmp_path) == []


def test_stale_temporaries_in_a_frames_folder_are_removed(tmp_path):
    folder = tmp_path / "frames"
    write_png_frames(folder, synthetic_frames(2))
    stale = folder / f".conv_anim-{dead_pid()}-0123abcd.tmp.png"
    stale.write_bytes(b"partial")
    write_png_frames(folder, synthetic_frames(2))
    assert sorted(p.name for p in folder.iterdir()) == ["frame_000.png", "frame_001.png"]


def test_a_temporary_left_by_sigkill_is_removed_by_the_next_save(tmp_path):
    code = (
        "import sys, time\n"
        "from export_support import synthetic_frames, theme_palette\n"
        "from conv_anim.export import write_gif\n"
        "def frames():\n"
        "    for number, frame in enumerate(synthetic_frames(1000)):\n"
        "        if number == 2: print('writing', flush=True)\n"
        "        time.sleep(0.01)\n"
        "        yield frame\n"
        "write_gif(sys.argv[1], frames(), palette=theme_palette())\n"
    )
    process = _python(code, tmp_path / "anim.gif")
    assert process.stdout.readline() == "writing\n"
    process.kill()
    process.wait()
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and TEMPORARY_NAME.fullmatch(left[0])
    save(tmp_path / "other.gif")
    assert [p.name for p in tmp_path.iterdir()] == ["other.gif"]


def _python(code: str, *args: Path) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], text=True,
                            stdout=subprocess.PIPE, env=environment)


# --------------------------------------------------------------------------- links, permissions


@pytest.mark.parametrize("suffix", [".gif", ".webp", ".apng", ".png"])
def test_a_symbolic_link_is_written_through(tmp_path, suffix):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / f"anim{suffix}"
    target.write_bytes(b"old")
    link = tmp_path / f"link{suffix}"
    link.symlink_to(target)
    if suffix == ".png":
        write_png(link, next(synthetic_frames(1)))
    else:
        save(link)
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() != b"old"
    with Image.open(link) as im:
        assert im.size == (101, 95)
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "link.gif"
    link.symlink_to(tmp_path / "new.gif")
    save(link)
    assert link.is_symlink() and (tmp_path / "new.gif").stat().st_size > 0


def test_permissions_of_the_replaced_file_are_kept(tmp_path):
    private = tmp_path / "private.gif"
    private.write_bytes(b"old")
    private.chmod(0o600)
    save(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    shared = tmp_path / "shared.webp"
    shared.write_bytes(b"old")
    shared.chmod(0o664)
    save(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664


def test_a_new_file_gets_the_default_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        save(tmp_path / "new.gif")
        write_png_frames(tmp_path / "frames", synthetic_frames(1))
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.gif").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "frames" / "frame_000.png").stat().st_mode) == 0o644


def test_a_hard_link_is_broken_as_documented(tmp_path):
    original = tmp_path / "anim.gif"
    original.write_bytes(b"old")
    other = tmp_path / "other-name.gif"
    os.link(original, other)
    save(original)
    assert other.read_bytes() == b"old"  # the other name keeps the old content
    assert original.stat().st_ino != other.stat().st_ino
    assert original.stat().st_nlink == 1 and other.stat().st_nlink == 1


def test_a_frames_folder_that_is_a_link_is_written_through(tmp_path):
    real = tmp_path / "real_frames"
    write_png_frames(real, synthetic_frames(3))
    link = tmp_path / "frames"
    link.symlink_to(real, target_is_directory=True)
    paths = write_png_frames(link, synthetic_frames(2))
    assert paths == [link / "frame_000.png", link / "frame_001.png"]
    assert link.is_symlink()
    assert sorted(p.name for p in real.iterdir()) == ["frame_000.png", "frame_001.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frames", "real_frames"]


def test_concurrent_frames_folder_writers_all_succeed(tmp_path):
    folder = tmp_path / "frames"
    errors: list[BaseException] = []

    def write(seed: int) -> None:
        try:
            write_png_frames(folder, noise_frames(8, 40, 40, seed=seed))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in folder.iterdir()) == [f"frame_00{i}.png" for i in range(8)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frames"]


# --------------------------------------------------------------------------- full disk


@contextmanager
def small_mount(folder: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted at ``folder`` with ``options``; skips the test where not permitted."""
    folder.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.fixture
def full_disk(tmp_path) -> Iterator[Path]:
    """A 200 KiB file system holding a small old file of each kind."""
    with small_mount(tmp_path / "disk", "size=200k") as disk:
        yield disk


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_full_disk_gives_one_write_error_and_keeps_the_old_file(full_disk, suffix):
    if suffix == ".mp4":
        pytest.importorskip("imageio_ffmpeg")
    target = full_disk / f"anim{suffix}"
    save(target, noise_frames(2, 20, 20))  # a small file, or folder of frames, that fits
    before = _snapshot(full_disk)
    with pytest.raises(WriteError) as caught:
        save(target, noise_frames(40, 100, 100, seed=1))  # about 1.2 MB of noise
    error = caught.value
    assert isinstance(error, OSError)
    assert str(error).startswith(f"cannot write {str(target)!r}: ")
    assert "No space left on device" in str(error) and "\n" not in str(error)
    assert _snapshot(full_disk) == before
    assert leftovers(full_disk) == []
    if suffix == "":
        assert leftovers(target) == []


def test_a_full_disk_for_a_single_png(full_disk):
    target = full_disk / "frame.png"
    write_png(target, next(noise_frames(1, 10, 10)))
    before = target.read_bytes()
    with pytest.raises(WriteError, match="No space left on device"):
        write_png(target, next(noise_frames(1, 300, 300)))
    assert target.read_bytes() == before and leftovers(full_disk) == []


def test_a_read_only_file_system_gives_a_write_error(tmp_path):
    with small_mount(tmp_path / "ro", "ro,size=100k") as read_only:
        for suffix in FORMATS:
            if suffix == ".mp4":
                continue  # ffmpeg is not needed to see the folder refuse the temporary
            with pytest.raises(WriteError, match="Read-only file system") as caught:
                save(read_only / f"anim{suffix}")
            assert caught.value.errno == errno.EROFS
        assert list(read_only.iterdir()) == []
