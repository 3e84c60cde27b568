"""MP4 video through ffmpeg (the binary that the optional ``imageio-ffmpeg`` package ships).

Frames are piped to an ffmpeg process one at a time (raw RGB in, H.264 out), so memory
stays flat. ffmpeg is run directly rather than through imageio so that its exit status
and messages are seen: a full disk or an encoder failure becomes the one-line
:class:`~conv_anim.export.errors.WriteError` and never a committed broken file, and
ffmpeg prints nothing to the terminal. Output is deterministic (single-threaded,
``bitexact``).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import importlib.util
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import IO

import numpy as np

from conv_anim.export.atomic import atomic_output
from conv_anim.export.errors import MissingDependency
from conv_anim.export.frames import Frame, checked_frames
from conv_anim.export.timing import frame_centiseconds

__all__ = ["FFMPEG_MODULE", "FFMPEG_PACKAGE", "MP4_EXTRA", "ffmpeg_available", "write_mp4"]

#: The module, pip package and conv-anim extra that provide ffmpeg.
FFMPEG_MODULE, FFMPEG_PACKAGE, MP4_EXTRA = "imageio_ffmpeg", "imageio-ffmpeg", "mp4"
_CONTEXT = re.compile(r"^(\[[^\]]*\]\s*)+")
#: Single-threaded and bit-exact (deterministic); x264 looks 10 frames ahead instead of
#: 40, which at 1648x2036 pixels lowers ffmpeg's memory from about 800 to 490 MB
#: (files come out no larger: the animations change little from frame to frame).
_OPTIONS = ["-threads", "1", "-rc-lookahead", "10", "-fflags", "+bitexact", "-flags:v", "+bitexact"]


def ffmpeg_available() -> bool:
    """Whether ``imageio-ffmpeg`` is installed (found without importing it).

    >>> isinstance(ffmpeg_available(), bool)
    True
    """
    return importlib.util.find_spec(FFMPEG_MODULE) is not None


def missing_ffmpeg() -> MissingDependency:
    """The error for writing ``.mp4`` without ``imageio-ffmpeg``."""
    return MissingDependency(
        "writing .mp4", package=FFMPEG_PACKAGE, module=FFMPEG_MODULE, extra=MP4_EXTRA
    )


def write_mp4(
    path: str | os.PathLike[str],
    frames: Iterable[np.ndarray | Frame],
    *,
    fps: float = 1.0,
) -> int:
    """Write an H.264 MP4 video (needs ``imageio-ffmpeg``: the ``mp4`` extra).

    Parameters
    ----------
    path
        The ``.mp4`` file to write (atomically).
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames of one shape, or
        :class:`~conv_anim.export.frames.Frame` objects. Frames of odd width or height
        are padded by one pixel (repeating the edge): the video's pixel format needs
        even sizes.
    fps
        Frames per second, at most 50; the video runs at ``100 / d`` frames a second
        where ``d`` is the GIF's delay in centiseconds, so that it plays like the GIF.

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    MissingDependency
        If imageio-ffmpeg is not installed (before anything is read or written).
    ParameterError
        For an invalid argument or frame.
    WriteError
        If ffmpeg cannot be found or fails (full disk, encoder error): the reason is
        the last line ffmpeg printed.
    """
    centiseconds = frame_centiseconds(fps)
    if not ffmpeg_available():
        raise missing_ffmpeg()
    count = 0
    with atomic_output(path) as temp:
        checked = checked_frames(frames)
        first, _ = next(checked)
        height, width = first.shape[:2]
        with tempfile.TemporaryFile() as messages:
            process = _start(temp, width + width % 2, height + height % 2,
                             Fraction(100, centiseconds), messages)
            try:
                _send(process, first, messages)
                count = 1
                for rgb, _ in checked:
                    _send(process, rgb, messages)
                    count += 1
                _finish(process, messages)
            finally:
                if process.poll() is None:  # interrupted, or a frame was refused
                    process.kill()
                    process.wait()
    return count


def _start(
    temp: Path, width: int, height: int, rate: Fraction, messages: IO[bytes]
) -> subprocess.Popen[bytes]:
    """Launch ffmpeg reading raw RGB frames from its stdin and writing ``temp``."""
    # Imported only here: an optional dependency, not needed for any other format.
    imageio_ffmpeg = importlib.import_module(FFMPEG_MODULE)
    try:
        executable = str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as error:  # a broken install: the package without its binary
        raise OSError(errno.ENOENT, f"ffmpeg not found: {error}") from error
    command = [
        executable, "-y", "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{width}x{height}",
        "-pix_fmt", "rgb24", "-r", str(rate), "-i", "-", "-an",
        "-vcodec", "libx264", "-pix_fmt", "yuv420p",
        "-v", "error", *_OPTIONS, "-f", "mp4", str(temp),
    ]
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=messages,
        start_new_session=True,  # a Ctrl-C reaches Python, which stops ffmpeg in order
    )


def _send(process: subprocess.Popen[bytes], rgb: np.ndarray, messages: IO[bytes]) -> None:
    """Pipe one frame (RGB, padded to even sizes) to ffmpeg."""
    height, width = rgb.shape[:2]
    padding = ((0, height % 2), (0, width % 2), (0, 0))
    pixels = np.pad(rgb[..., :3], padding, "edge") if height % 2 or width % 2 else rgb[..., :3]
    assert process.stdin is not None
    try:
        process.stdin.write(np.ascontiguousarray(pixels).data)
    except BrokenPipeError:  # ffmpeg stopped: its messages say why
        process.wait()
        _raise_failure(process, messages)


def _finish(process: subprocess.Popen[bytes], messages: IO[bytes]) -> None:
    """Close ffmpeg's input, wait for it, and raise ``OSError`` if it failed."""
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()
    if process.wait() != 0:
        _raise_failure(process, messages)


def _raise_failure(process: subprocess.Popen[bytes], messages: IO[bytes]) -> None:
    """Raise ``OSError`` with the last line ffmpeg printed (its reason for stopping)."""
    messages.seek(0)
    lines = [line.strip() for line in messages.read().decode(errors="replace").splitlines()]
    last = next((line for line in reversed(lines) if line), f"exit status {process.returncode}")
    last = _CONTEXT.sub("", last)  # "[out#0/mp4 @ 0x55d...] Error ...": drop the context
    code = errno.ENOSPC if "No space left on device" in last else None
    raise OSError(code, f"ffmpeg failed: {last}")
