"""Writing frames to files: animated GIF, WebP, APNG, MP4, PNG files and folders of frames.

Frames arrive one at a time as ``(H, W, 3)`` ``uint8`` arrays (or
:class:`~conv_anim.export.frames.Frame` values with a hint of where they changed) and
every format is written as they arrive, so memory stays flat however long the
animation is. Every file is written atomically (a failed or interrupted save leaves
the previous file untouched and no temporary behind), through symbolic links, keeping
the replaced file's permissions. Output is deterministic.

Errors: a bad argument raises :class:`~conv_anim.errors.ParameterError` (a
``ValueError``); a file that cannot be written, :class:`WriteError` (an ``OSError``,
``cannot write PATH: reason``); a missing optional package, :class:`MissingDependency`
(an ``ImportError``). Ask :func:`require_writer` before drawing to learn early.

One job per module:

- :mod:`~conv_anim.export.errors`: :class:`WriteError`, :class:`MissingDependency`.
- :mod:`~conv_anim.export.paths`: path arguments, writing through symbolic links.
- :mod:`~conv_anim.export.temporaries`: temporary names; removing stale ones.
- :mod:`~conv_anim.export.signals`: termination signals unwind a save.
- :mod:`~conv_anim.export.atomic`: atomic output.
- :mod:`~conv_anim.export.frames`: frame validation and change boxes.
- :mod:`~conv_anim.export.timing`: the fps and loop rules.
- :mod:`~conv_anim.export.palette`: the GIF palette and its lookup table.
- :mod:`~conv_anim.export.gif`, :mod:`~conv_anim.export.png`,
  :mod:`~conv_anim.export.webp`, :mod:`~conv_anim.export.apng`,
  :mod:`~conv_anim.export.ffmpeg`: the formats.
- :mod:`~conv_anim.export.registry`: the writers by suffix, and their availability.

>>> require_writer("anim.gif").description
'an animated GIF'
"""

from __future__ import annotations

from conv_anim.export.atomic import atomic_output
from conv_anim.export.errors import MissingDependency, WriteError
from conv_anim.export.frames import Frame, rgb_copy
from conv_anim.export.gif import gif_bytes, write_gif
from conv_anim.export.palette import Palette
from conv_anim.export.paths import check_path
from conv_anim.export.png import write_png, write_png_frames
from conv_anim.export.registry import (
    WRITERS,
    Dependency,
    Writer,
    require_writer,
    write_frames,
    writer_for,
)
from conv_anim.export.temporaries import remove_stale_temporaries
from conv_anim.export.timing import MAX_FPS, check_fps, check_loop

__all__ = [
    "MAX_FPS",
    "WRITERS",
    "Dependency",
    "Frame",
    "MissingDependency",
    "Palette",
    "WriteError",
    "Writer",
    "atomic_output",
    "check_fps",
    "check_loop",
    "check_path",
    "gif_bytes",
    "remove_stale_temporaries",
    "require_writer",
    "rgb_copy",
    "write_frames",
    "write_gif",
    "write_png",
    "write_png_frames",
    "writer_for",
]
