"""Animated GIF encoding, streamed one frame at a time with a fixed palette.

Memory stays flat however long the animation is: the encoder keeps only the palette
indices shown so far. The same frames give byte-identical files.

>>> import numpy as np
>>> from conv_anim.export.palette import Palette
>>> palette = Palette.from_colors([(255, 255, 255), (0, 0, 0)])
>>> frames = [np.full((4, 6, 3), 255, np.uint8), np.zeros((4, 6, 3), np.uint8)]
>>> data = gif_bytes(frames, palette=palette, fps=2)
>>> data[:6], data[-1:]
(b'GIF89a', b';')
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterable
from typing import BinaryIO

import numpy as np
from PIL import Image

from conv_anim.errors import ParameterError
from conv_anim.export.atomic import atomic_output
from conv_anim.export.frames import Frame, bounding_box, checked_frames
from conv_anim.export.palette import MAX_PALETTE, Palette
from conv_anim.export.timing import check_loop, frame_centiseconds

__all__ = ["MAX_GIF_SIDE", "gif_bytes", "write_gif"]

#: GIF widths and heights are 16-bit.
MAX_GIF_SIDE = 65535


def write_gif(
    path: str | os.PathLike[str],
    frames: Iterable[np.ndarray | Frame],
    *,
    palette: Palette,
    fps: float = 1.0,
    loop: int = 0,
) -> int:
    """Stream frames to an animated GIF, one frame at a time.

    Parameters
    ----------
    path
        The ``.gif`` file to write (atomically, see
        :func:`~conv_anim.export.atomic.atomic_output`).
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames, all of the same shape (H, W <= 65535), or
        :class:`~conv_anim.export.frames.Frame` objects that also say where each frame
        changed.
    palette
        The global colour table; pixels are mapped with
        :meth:`~conv_anim.export.palette.Palette.indices`.
    fps
        Frames per second, at most 50 (see :mod:`conv_anim.export.timing`). Every
        frame lasts ``100 / fps`` centiseconds, rounded.
    loop
        How many times to repeat the animation; 0 (the default) loops forever.

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    ParameterError
        On an invalid ``path``, ``fps`` or ``loop``, no frames, or a frame whose shape
        differs from the first frame's. Nothing is left at ``path`` (an existing file
        is kept).
    WriteError
        If the file cannot be written (full disk, permissions...).

    Notes
    -----
    After the first frame, each frame stores only the bounding box of the pixels that
    changed (disposal "do not dispose"), with the unchanged pixels inside the box set
    to a spare transparent palette entry (long runs of one index compress well); an
    unchanged frame stores one pixel, keeping the frame count and timing. The index
    codes are as narrow as the palette allows. No dithering.
    """
    delay = frame_centiseconds(fps)
    check_loop(loop)
    with atomic_output(path) as temp, open(temp, "wb") as stream:
        return _stream_gif(stream, frames, palette, delay, loop)


def gif_bytes(
    frames: Iterable[np.ndarray | Frame], *, palette: Palette, fps: float = 1.0, loop: int = 0
) -> bytes:
    """Encode frames as an animated GIF in memory (as :func:`write_gif`, without a file).

    Returns
    -------
    bytes
        The GIF file's bytes.
    """
    delay = frame_centiseconds(fps)
    check_loop(loop)
    stream = io.BytesIO()
    _stream_gif(stream, frames, palette, delay, loop)
    return stream.getvalue()


def _stream_gif(
    stream: BinaryIO,
    frames: Iterable[np.ndarray | Frame],
    palette: Palette,
    delay: int,
    loop: int,
) -> int:
    """Write a whole GIF to ``stream``; return the number of frames.

    Keeps the palette indices the GIF shows so far; per frame maps the pixels of the
    hinted box (the whole frame without a hint) and encodes only the box where the
    indices changed, unchanged pixels in it transparent.
    """
    checked = checked_frames(frames)
    first, _ = next(checked)
    shown = palette.indices(first)
    height, width = shown.shape
    bits = _code_bits(palette)
    clear = np.uint8(len(palette)) if len(palette) < MAX_PALETTE else None
    stream.write(_gif_header(shown.shape, palette, loop))
    stream.write(_gif_frame(shown, 0, 0, delay, bits))
    count = 1
    for rgb, hint in checked:
        rows, cols = hint if hint is not None else (slice(0, height), slice(0, width))
        fresh = palette.indices(rgb[rows, cols])
        changed = fresh != shown[rows, cols]
        local = bounding_box(changed) or (slice(0, 1), slice(0, 1))
        top = rows.indices(height)[0] + local[0].start
        left = cols.indices(width)[0] + local[1].start
        patch = fresh[local] if clear is None else np.where(changed[local], fresh[local], clear)
        shown[rows, cols][local] = fresh[local]
        transparent = None if clear is None else int(clear)
        stream.write(_gif_frame(patch, left, top, delay, bits, transparent))
        count += 1
    stream.write(b";")
    return count


def _gif_header(shape: tuple[int, ...], palette: Palette, loop: int) -> bytes:
    """GIF89a header, logical screen descriptor, global colour table, loop extension."""
    height, width = shape[:2]
    if max(height, width) > MAX_GIF_SIDE:
        raise ParameterError(
            f"frames of {width}x{height} pixels exceed the GIF limit of {MAX_GIF_SIDE}",
            parameter="frames", value=f"{width}x{height} pixels",
            allowed=f"at most {MAX_GIF_SIDE} pixels a side",
        )
    size_code = _code_bits(palette) - 1  # a table of 2 ** (size_code + 1) colours
    table = palette.colors.tobytes().ljust(3 << (size_code + 1), b"\0")
    screen = struct.pack("<HHBBB", width, height, 0xF0 | size_code, 0, 0)
    looping = b"!\xff\x0bNETSCAPE2.0" + struct.pack("<BBHB", 3, 1, loop, 0)
    return b"GIF89a" + screen + table + looping


def _code_bits(palette: Palette) -> int:
    """Bits per index: enough for the palette and its spare transparent entry (2 to 8)."""
    entries = min(len(palette) + 1, MAX_PALETTE)
    return max(2, (entries - 1).bit_length())


def _gif_frame(
    indices: np.ndarray, left: int, top: int, delay: int, bits: int, clear: int | None = None
) -> bytes:
    """Graphic control extension, image descriptor and LZW data of one frame.

    Pillow's GIF encoder (``Image.tobytes("gif", ...)``) provides only the LZW data,
    already split into length-prefixed sub-blocks.
    """
    height, width = indices.shape
    flags = 1 << 2 | (clear is not None)  # do not dispose; transparency if given
    control = struct.pack("<3sBHBB", b"!\xf9\x04", flags, delay, clear or 0, 0)
    descriptor = struct.pack("<cHHHHB", b",", left, top, width, height, 0)
    data = Image.fromarray(np.ascontiguousarray(indices)).tobytes("gif", "L", bits, 0)
    return control + descriptor + bytes([bits]) + data + b"\x00"
