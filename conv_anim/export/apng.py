"""Animated PNG (APNG), streamed one frame at a time.

Pillow's APNG writer takes every frame at once; here each frame's changed rectangle is
compressed on its own (Pillow's PNG encoder gives the zlib data) and written as an
``fcTL`` + ``fdAT`` pair as it comes (https://wiki.mozilla.org/APNG_Specification).
The frame count in ``acTL`` is set at the end. Memory holds one frame, whatever the
frame count. The same frames give byte-identical files.

>>> import io
>>> frames = [np.zeros((4, 6, 3), np.uint8), np.full((4, 6, 3), 255, np.uint8)]
>>> stream = io.BytesIO()
>>> _stream_apng(stream, frames, centiseconds=50, loop=3)
2
>>> from PIL import Image
>>> with Image.open(stream) as im:
...     im.n_frames, im.info["duration"], im.info["loop"]
(2, 500.0, 3)
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Iterable
from typing import BinaryIO

import numpy as np
from PIL import Image

from conv_anim.export.atomic import atomic_output
from conv_anim.export.frames import Frame, changed_patches
from conv_anim.export.timing import check_loop, frame_centiseconds

__all__ = ["write_apng"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ACTL_OFFSET = len(_SIGNATURE) + 12 + 13  # after the IHDR chunk
_RGB_8BIT = (8, 2, 0, 0, 0)  # IHDR: bit depth, colour type RGB, compression, filter, interlace
_NO_DISPOSE, _SOURCE = 0, 0  # fcTL: keep the canvas; the rectangle replaces its pixels


def write_apng(
    path: str | os.PathLike[str],
    frames: Iterable[np.ndarray | Frame],
    *,
    fps: float = 1.0,
    loop: int = 0,
) -> int:
    """Write an animated PNG (``.apng``), one frame at a time, losslessly.

    Parameters
    ----------
    path
        The ``.apng`` file to write (atomically).
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames of one shape, or
        :class:`~conv_anim.export.frames.Frame` objects.
    fps
        Frames per second, at most 50; each frame lasts ``100 / fps`` centiseconds,
        rounded, like a GIF's.
    loop
        Repetitions; 0 loops forever.

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    ParameterError
        For an invalid argument or frame.
    WriteError
        If the file cannot be written.
    """
    centiseconds = frame_centiseconds(fps)
    check_loop(loop)
    with atomic_output(path) as temp, open(temp, "wb") as stream:
        return _stream_apng(stream, frames, centiseconds, loop)


def _stream_apng(
    stream: BinaryIO, frames: Iterable[np.ndarray | Frame], centiseconds: int, loop: int
) -> int:
    """Write a whole APNG to a seekable ``stream``; return the frame count.

    Frame 0 is the default image (``IDAT``); fcTL and fdAT chunks share one sequence
    number counter.
    """
    sequence = 0
    count = 0
    for patch in changed_patches(frames):
        height, width = patch.pixels.shape[:2]
        if count == 0:
            stream.write(_SIGNATURE)
            stream.write(_chunk(b"IHDR", struct.pack(">II5B", width, height, *_RGB_8BIT)))
            stream.write(_animation_control(0, loop))  # the count is set at the end
        control = struct.pack(">IIIIIHHBB", sequence, width, height, patch.left, patch.top,
                              centiseconds, 100, _NO_DISPOSE, _SOURCE)
        data = _zlib_data(patch.pixels)
        if count == 0:
            stream.write(_chunk(b"fcTL", control) + _chunk(b"IDAT", data))
            sequence += 1
        else:
            fdat = struct.pack(">I", sequence + 1) + data
            stream.write(_chunk(b"fcTL", control) + _chunk(b"fdAT", fdat))
            sequence += 2
        count += 1
    stream.write(_chunk(b"IEND", b""))
    end = stream.tell()
    stream.seek(_ACTL_OFFSET)
    stream.write(_animation_control(count, loop))
    stream.seek(end)
    return count


def _animation_control(frames: int, loop: int) -> bytes:
    return _chunk(b"acTL", struct.pack(">II", frames, loop))


def _zlib_data(pixels: np.ndarray) -> bytes:
    """The compressed, filtered scanlines of ``pixels``, as Pillow's PNG encoder makes them."""
    encoded = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(encoded, format="PNG")
    data = encoded.getvalue()
    parts, position = [], len(_SIGNATURE)
    while position + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, position)
        if kind == b"IDAT":
            parts.append(data[position + 8 : position + 8 + size])
        position += 12 + size
    return b"".join(parts)


def _chunk(kind: bytes, payload: bytes) -> bytes:
    """A PNG chunk: big-endian length, type, payload, CRC-32 of type and payload."""
    crc = zlib.crc32(payload, zlib.crc32(kind))
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)
