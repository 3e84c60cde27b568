"""Animated WebP, lossless, streamed one frame at a time.

Pillow's animated WebP writer (libwebp's ``WebPAnimEncoder``) takes every frame at
once; here each frame's changed rectangle is encoded on its own by Pillow's still-image
WebP encoder (lossless VP8L) and wrapped in an ``ANMF`` chunk of the WebP container
(RIFF; https://developers.google.com/speed/webp/docs/riff_container), written as it
comes. Memory holds one frame, whatever the frame count. The same frames give
byte-identical files.

>>> import io
>>> frames = [np.zeros((4, 6, 3), np.uint8), np.full((4, 6, 3), 255, np.uint8)]
>>> stream = io.BytesIO()
>>> _stream_webp(stream, frames, duration=500, loop=0)
2
>>> from PIL import Image, ImageSequence
>>> with Image.open(stream) as im:
...     pixels = [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(im)]
...     im.n_frames, im.info["loop"], im.info["duration"], [int(p.max()) for p in pixels]
(2, 0, 500, [0, 255])
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
from conv_anim.export.frames import Frame, changed_patches
from conv_anim.export.timing import check_loop, frame_centiseconds

__all__ = ["MAX_WEBP_SIDE", "write_webp"]

#: The largest width or height of a lossless WebP frame.
MAX_WEBP_SIDE = 16384
_ANIMATION_FLAG = 0x02  # VP8X: the file is an animation
_DO_NOT_BLEND = 0x02  # ANMF: the rectangle replaces the canvas pixels; no disposal
_BITSTREAM_CHUNKS = (b"ALPH", b"VP8 ", b"VP8L")
#: Lossless compression effort (cwebp's default, with method 4): within about 1% of the
#: smallest file at less than half the time of effort 100.
_EFFORT = 75


def write_webp(
    path: str | os.PathLike[str],
    frames: Iterable[np.ndarray | Frame],
    *,
    fps: float = 1.0,
    loop: int = 0,
) -> int:
    """Write an animated, lossless WebP, one frame at a time.

    Parameters
    ----------
    path
        The ``.webp`` file to write (atomically).
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames of one shape (H, W <= 16384), or
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
        If the file cannot be written or the WebP encoder fails (an ``OSError``
        raised by the encoder becomes this too).
    """
    duration = 10 * frame_centiseconds(fps)
    check_loop(loop)
    with atomic_output(path) as temp, open(temp, "wb") as stream:
        return _stream_webp(stream, frames, duration, loop)


def _stream_webp(
    stream: BinaryIO, frames: Iterable[np.ndarray | Frame], duration: int, loop: int
) -> int:
    """Write a whole animated WebP to a seekable ``stream``; return the frame count."""
    count = 0
    for patch in changed_patches(frames, align=2):
        if count == 0:
            height, width = patch.pixels.shape[:2]
            _check_size(width, height)
            stream.write(b"RIFF\0\0\0\0WEBP")  # the size is set at the end
            stream.write(_chunk(b"VP8X", struct.pack("<I", _ANIMATION_FLAG)
                                + _u24(width - 1) + _u24(height - 1)))
            stream.write(_chunk(b"ANIM", struct.pack("<IH", 0, loop)))
        height, width = patch.pixels.shape[:2]
        header = (_u24(patch.left // 2) + _u24(patch.top // 2) + _u24(width - 1)
                  + _u24(height - 1) + _u24(duration) + bytes([_DO_NOT_BLEND]))
        stream.write(_chunk(b"ANMF", header + _lossless_bitstream(patch.pixels)))
        count += 1
    size = stream.tell()
    stream.seek(4)
    stream.write(struct.pack("<I", size - 8))
    stream.seek(size)
    return count


def _check_size(width: int, height: int) -> None:
    if max(width, height) > MAX_WEBP_SIDE:
        raise ParameterError(
            f"frames of {width}x{height} pixels exceed the WebP limit of {MAX_WEBP_SIDE}",
            parameter="frames", value=f"{width}x{height} pixels",
            allowed=f"at most {MAX_WEBP_SIDE} pixels a side",
        )


def _lossless_bitstream(pixels: np.ndarray) -> bytes:
    """The frame-data chunks (``VP8L``, with its header) of a lossless WebP of ``pixels``."""
    encoded = io.BytesIO()
    image = Image.fromarray(np.ascontiguousarray(pixels))
    try:
        image.save(encoded, format="WEBP", lossless=True, quality=_EFFORT, method=4)
    except (RuntimeError, ValueError) as error:  # e.g. "could not create encoder object"
        raise OSError(f"the WebP encoder failed: {error}") from error
    data = encoded.getvalue()
    chunks, position = [], 12  # after "RIFF", the size and "WEBP"
    while position + 8 <= len(data):
        kind, size = data[position : position + 4], struct.unpack_from("<I", data, position + 4)[0]
        end = position + 8 + size + (size & 1)
        if kind in _BITSTREAM_CHUNKS:
            chunks.append(data[position:end])
        position = end
    if not chunks:
        raise OSError("the WebP encoder failed: it gave no image data")
    return b"".join(chunks)


def _chunk(kind: bytes, payload: bytes) -> bytes:
    """A RIFF chunk: type, little-endian size, payload, padded to an even length."""
    return kind + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) & 1)


def _u24(value: int) -> bytes:
    return value.to_bytes(3, "little")
