"""The animation writers by path suffix, and whether each one can run here.

A caller asks :func:`writer_for` (or :func:`require_writer`) before drawing anything,
so that an unsupported suffix or a missing optional package is reported at once, not
after minutes of rendering; :func:`write_frames` then writes with it.

>>> writer = writer_for("anim.webp")
>>> writer.suffix, writer.available(), writer.needs is None
('.webp', True, True)
>>> writer_for("frames/").description
'a folder of PNG frames'
>>> writer_for("video.mp4").needs.package
'imageio-ffmpeg'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from conv_anim.errors import ParameterError
from conv_anim.export.apng import write_apng
from conv_anim.export.errors import MissingDependency
from conv_anim.export.ffmpeg import (
    FFMPEG_MODULE,
    FFMPEG_PACKAGE,
    MP4_EXTRA,
    ffmpeg_available,
    write_mp4,
)
from conv_anim.export.frames import Frame
from conv_anim.export.gif import write_gif
from conv_anim.export.palette import Palette
from conv_anim.export.paths import check_path, suffix_of
from conv_anim.export.png import write_png_frames
from conv_anim.export.timing import check_fps, check_loop
from conv_anim.export.webp import write_webp

__all__ = ["WRITERS", "Dependency", "Writer", "require_writer", "write_frames", "writer_for"]

Frames = Iterable[np.ndarray | Frame]
#: ``write(path, frames, palette, fps, loop)`` returns the number of frames written.
WriteFunction = Callable[[str | os.PathLike[str], Frames, Palette, float, int], int]


@dataclass(frozen=True)
class Dependency:
    """An optional package a writer needs.

    Attributes
    ----------
    module : str
        The module to import (``"imageio_ffmpeg"``).
    package : str
        The name to install with pip (``"imageio-ffmpeg"``).
    extra : str
        The conv-anim extra that installs it (``"mp4"``).
    available : callable
        Whether it is installed, found without importing it.
    """

    module: str
    package: str
    extra: str
    available: Callable[[], bool]


@dataclass(frozen=True)
class Writer:
    """How to write one kind of animation file.

    Attributes
    ----------
    suffix : str
        The lower-case path suffix (``".gif"``), ``""`` for a folder of PNG frames.
    description : str
        What it writes, in words.
    write : callable
        ``write(path, frames, palette, fps, loop)``; returns the frame count.
    needs : Dependency or None
        The optional package it needs, if any.
    """

    suffix: str
    description: str
    write: WriteFunction
    needs: Dependency | None = None

    def available(self) -> bool:
        """Whether this writer can run here (its optional package, if any, is installed)."""
        return self.needs is None or self.needs.available()

    def require(self) -> None:
        """Raise :class:`~conv_anim.export.errors.MissingDependency` unless available.

        >>> WRITERS[".gif"].require()
        """
        if self.needs is not None and not self.needs.available():
            raise MissingDependency(
                f"writing {self.suffix}", package=self.needs.package,
                module=self.needs.module, extra=self.needs.extra,
            )


def _gif(path: str | os.PathLike[str], frames: Frames, palette: Palette, fps: float,
         loop: int) -> int:
    return write_gif(path, frames, palette=palette, fps=fps, loop=loop)


def _webp(path: str | os.PathLike[str], frames: Frames, palette: Palette, fps: float,
          loop: int) -> int:
    return write_webp(path, frames, fps=fps, loop=loop)  # truecolour: no palette


def _apng(path: str | os.PathLike[str], frames: Frames, palette: Palette, fps: float,
          loop: int) -> int:
    return write_apng(path, frames, fps=fps, loop=loop)  # truecolour: no palette


def _mp4(path: str | os.PathLike[str], frames: Frames, palette: Palette, fps: float,
         loop: int) -> int:
    return write_mp4(path, frames, fps=fps)  # players decide whether a video loops


def _png_folder(path: str | os.PathLike[str], frames: Frames, palette: Palette, fps: float,
                loop: int) -> int:
    return len(write_png_frames(path, frames))  # truecolour and untimed


_FFMPEG = Dependency(FFMPEG_MODULE, FFMPEG_PACKAGE, MP4_EXTRA, ffmpeg_available)

#: The writers by lower-case path suffix; ``""`` is a folder of PNG frames.
WRITERS: dict[str, Writer] = {
    writer.suffix: writer
    for writer in (
        Writer(".gif", "an animated GIF", _gif),
        Writer(".webp", "an animated lossless WebP", _webp),
        Writer(".apng", "an animated PNG", _apng),
        Writer(".mp4", "an H.264 MP4 video", _mp4, _FFMPEG),
        Writer("", "a folder of PNG frames", _png_folder),
    )
}


def writer_for(path: object) -> Writer:
    """The writer that ``path``'s suffix selects (whether or not it is available).

    Parameters
    ----------
    path : str or os.PathLike
        ``*.gif``, ``*.webp``, ``*.apng``, ``*.mp4`` (any case), or a folder path (no
        suffix, or ending with ``/``) for PNG frames.

    Returns
    -------
    Writer

    Raises
    ------
    ParameterError
        (parameter ``path``) if ``path`` is not a path or has another suffix.
    """
    text = os.fspath(check_path(path))
    suffix = suffix_of(path)  # type: ignore[arg-type]  # a str or PathLike, checked above
    if suffix not in WRITERS:
        formats = ", ".join(key for key in WRITERS if key)
        allowed = f"a path ending with {formats}, or a folder path for PNG frames"
        raise ParameterError(
            f"unsupported output format {suffix!r} for path {text!r}: use one of {formats}, "
            f"or a folder path (no suffix, or ending with '/') for PNG frames",
            parameter="path", value=path, allowed=allowed,
        )
    return WRITERS[suffix]


def require_writer(path: object) -> Writer:
    """:func:`writer_for`, also raising if the writer's optional package is missing.

    Call it before drawing anything.

    Raises
    ------
    ParameterError
        As :func:`writer_for`.
    MissingDependency
        If the writer needs a package that is not installed; the error names the
        pip package (``error.package``) and the conv-anim extra (``error.extra``).
    """
    writer = writer_for(path)
    writer.require()
    return writer


def write_frames(
    path: str | os.PathLike[str],
    frames: Frames,
    *,
    palette: Palette,
    fps: float = 1.0,
    loop: int = 0,
) -> int:
    """Write frames with the writer that the path's suffix selects.

    Parameters
    ----------
    path
        See :func:`writer_for`.
    frames, palette, fps, loop
        As for :func:`~conv_anim.export.gif.write_gif` (only ``frames`` matters for PNG
        frames; ``loop`` not for MP4; ``palette`` only for GIF).

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    ParameterError
        For an unsupported suffix, and as raised by the selected writer.
    MissingDependency
        If the writer's optional package is missing (nothing is read or written).
    WriteError
        If the file cannot be written.
    """
    writer = writer_for(path)
    check_fps(fps)  # every format follows the same rule, even untimed PNG frames
    check_loop(loop)
    writer.require()
    return writer.write(path, frames, palette, fps, loop)
