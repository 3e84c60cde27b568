"""PNG output: one frame as a file, or every frame as a folder of numbered PNG files.

Files hold no timestamp or other varying metadata (Pillow writes none), so the same
pixels give byte-identical files. A folder of frames is written frame file by frame
file, each renamed into place once every frame is drawn; files that are not frames are
never touched.

>>> import tempfile
>>> from pathlib import Path
>>> frames = [np.zeros((2, 2, 3), np.uint8), np.ones((2, 2, 3), np.uint8)]
>>> with tempfile.TemporaryDirectory() as folder:
...     [path.name for path in write_png_frames(Path(folder) / "frames", frames)]
['frame_000.png', 'frame_001.png']
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

import numpy as np
from PIL import Image

from conv_anim.errors import ParameterError
from conv_anim.export.atomic import atomic_output, staged_files
from conv_anim.export.errors import WriteError
from conv_anim.export.frames import Frame, checked_frames, rgb_copy, rgb_frame
from conv_anim.export.paths import check_path, write_through
from conv_anim.export.temporaries import TEMPORARY_NAME
from conv_anim.params import is_int

__all__ = ["FRAME_NAME", "write_png", "write_png_frames"]

#: The name of a frame file in a folder of frames.
FRAME_NAME = re.compile(r"frame_\d+\.png")
_MIN_DIGITS = 3


def write_png(path: str | os.PathLike[str], frame: np.ndarray) -> Path:
    """Write one RGB frame as a PNG file, atomically.

    Parameters
    ----------
    path
        The ``.png`` file to write.
    frame
        ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8`` pixels (alpha dropped).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ParameterError
        For an invalid path or frame.
    WriteError
        If the file cannot be written.
    """
    target = check_path(path)
    rgb = rgb_frame(frame)
    with atomic_output(target) as temp:
        _save_png(temp, rgb)
    return target


def write_png_frames(
    folder: str | os.PathLike[str],
    frames: Iterable[np.ndarray | Frame],
    *,
    digits: int | None = None,
) -> list[Path]:
    """Write frames as a folder of numbered PNG files, each atomically.

    Parameters
    ----------
    folder
        The folder to write into, created if missing (its parent must exist). A
        symbolic link to a folder is written through. It may hold only frame files
        (``frame_<n>.png``, from a previous export) when the save starts.
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames, all of the same shape.
    digits
        Zero-padding of the frame numbers. Default: as many digits as the last frame
        number needs, at least 3 (``frame_000.png``, ...; 1001 frames give
        ``frame_0000.png`` to ``frame_1000.png``), chosen once all frames are seen.

    Returns
    -------
    list of Path
        The frame files, in order, numbered from 0.

    Raises
    ------
    ParameterError
        If ``folder`` is not a path, ``digits`` is not an int >= 1 or is too small for
        the frame count, there are no frames, or a frame's shape differs from the
        first frame's.
    WriteError
        If ``folder`` is a file, holds anything but frame files, or cannot be written.

    Notes
    -----
    Each frame goes to a temporary file in the folder; once every frame is written,
    each is renamed over ``frame_<n>.png`` and frame files beyond the new count (left by
    a longer export) are deleted. Until then the previous frames are untouched, and on
    any failure the temporaries are removed (and a folder this call created, if still
    empty). Files put into the folder while the save runs are left alone, and two
    saves into one folder at once both succeed (the folder then holds a mix of frames
    from both: the last rename of each name wins).
    """
    requested = check_path(folder, "folder")
    if digits is not None and (not is_int(digits) or digits < 1):
        raise ParameterError.invalid("digits", digits, "None or an int >= 1")
    real = write_through(requested)
    created = _prepare_folder(requested, real)
    try:
        names = _write_frames(requested, real, frames, digits)
    except BaseException:
        if created:
            _remove_if_empty(real)
        raise
    return [requested / name for name in names]


def _write_frames(
    requested: Path, real: Path, frames: Iterable[np.ndarray | Frame], digits: int | None
) -> list[str]:
    """Stage every frame in ``real``, then rename them into place; return their names."""
    with staged_files(real, requested) as stage:
        temps: list[Path] = []
        for rgb, _ in checked_frames(frames):
            if digits is not None and len(temps) == 10**digits:
                raise ParameterError(
                    f"digits={digits} cannot number more than {10**digits} frames",
                    parameter="digits", value=digits,
                    allowed=f"an int >= {len(str(len(temps)))} for this many frames",
                )
            temps.append(stage.new(".png"))
            _save_png(temps[-1], rgb)
        width = digits if digits is not None else max(_MIN_DIGITS, len(str(len(temps) - 1)))
        names = [f"frame_{number:0{width}d}.png" for number in range(len(temps))]
        for temp, name in zip(temps, names, strict=True):
            stage.commit(temp, real / name)
        _remove_other_frames(real, set(names))
    return names


def _prepare_folder(requested: Path, real: Path) -> bool:
    """Check the folder, creating it if missing; return whether it was created."""
    if real.exists() and not real.is_dir():
        raise WriteError(requested, "it is a file, expected a folder", errno.ENOTDIR)
    if not real.parent.is_dir():
        raise WriteError(
            requested, f"its folder {str(real.parent)!r} does not exist", errno.ENOENT
        )
    try:
        real.mkdir()
    except FileExistsError:
        _check_only_frames(requested, real)
        return False
    except OSError as error:
        raise WriteError.from_error(requested, error) from error
    return True


def _check_only_frames(requested: Path, real: Path) -> None:
    """Refuse up front a folder holding anything but frames (and temporaries of saves)."""
    try:
        names = os.listdir(real)
    except OSError as error:
        raise WriteError.from_error(requested, error) from error
    others = sorted(
        name for name in names
        if not FRAME_NAME.fullmatch(name) and not TEMPORARY_NAME.fullmatch(name)
    )
    if others:
        listed = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        raise WriteError(
            requested,
            f"the folder holds files that are not PNG frames ({listed}): write the frames "
            f"to a new or empty folder",
            errno.EEXIST,
        )


def _remove_other_frames(folder: Path, keep: set[str]) -> None:
    """Delete the frame files that are not part of this export."""
    for name in os.listdir(folder):
        if FRAME_NAME.fullmatch(name) and name not in keep:
            (folder / name).unlink(missing_ok=True)


def _remove_if_empty(folder: Path) -> None:
    with suppress(OSError):  # not empty (someone else's files) or already gone: leave it
        folder.rmdir()


def _save_png(path: Path, rgb: np.ndarray) -> None:
    """Save RGB pixels (alpha dropped) as PNG (Pillow writes no time or software chunks)."""
    pixels = rgb if rgb.shape[2] == 3 and rgb.flags.c_contiguous else rgb_copy(rgb)
    Image.fromarray(pixels).save(path, format="PNG")
