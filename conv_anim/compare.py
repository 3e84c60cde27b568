"""Whether a committed output still matches a fresh rendering (the gallery's ``--check``).

Every file is compared by its whole content, in the way that tolerates what may
legitimately move (antialiasing by a level when a drawing library changes) and
nothing else:

- **GIF**: the block structure must be intact with nothing after the trailer; then the
  extension blocks, frame count, durations, loop and each frame's pixels (RMS within
  a tolerance, computed by :func:`matplotlib.testing.compare.calculate_rms`, and no
  pixel moved by more than :data:`MOST_LEVELS`: a few wrong pixels are not
  antialiasing, however small their share of the frame).
- **PNG**: every chunk whole with a valid CRC and nothing after ``IEND``; then pixels.
- **PDF**: the file must be whole (cross-reference offsets right, ``%%EOF`` last);
  then its normalised byte stream: every compressed stream decompressed, and what
  depends on compressed sizes (lengths, offsets) or on the library's version left out.
- Anything else (pages, text): bytes.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     old, new = Path(folder) / "a.md", Path(folder) / "b.md"
...     _ = old.write_text("a"), new.write_text("b")
...     difference(old, new)
'content differs'
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import numpy as np
from matplotlib.testing.compare import calculate_rms
from PIL import Image, ImageSequence

__all__ = ["MOST_LEVELS", "difference"]

#: The most any one pixel channel may move (of 255 levels) for two images to match.
MOST_LEVELS = 32

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_LENGTH = re.compile(rb"/Length (\d+) 0 R")
_DIRECT_LENGTH = re.compile(rb"/Length \d+(?! \d+ R)")
_XREF = re.compile(rb"\nxref\n.*?(?=\ntrailer\n)", re.DOTALL)
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_OBJECT = re.compile(rb"(\d+) 0 obj\n")
_VERSION = re.compile(rb"(Matplotlib) v[0-9][0-9A-Za-z.+]*")


def difference(old: Path, new: Path, tolerance: float = 2.0) -> str | None:
    """Why ``old`` does not match ``new`` (a short phrase), or None when it does.

    Parameters
    ----------
    old : Path
        The committed file.
    new : Path
        The fresh rendering (assumed valid).
    tolerance : float
        The largest RMS pixel difference accepted, in 0-255 levels.

    Returns
    -------
    str or None
    """
    suffix = new.suffix.lower()
    try:
        if suffix == ".gif":
            return _gif_difference(old, new, tolerance)
        if suffix == ".png":
            return _png_difference(old, new, tolerance)
        if suffix == ".pdf":
            return _pdf_difference(old.read_bytes(), new.read_bytes())
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        reason = str(error)
        return f"unreadable ({reason[:80]}{'...' if len(reason) > 80 else ''})"
    return None if old.read_bytes() == new.read_bytes() else "content differs"


def _image_difference(old: np.ndarray, new: np.ndarray, tolerance: float) -> str | None:
    if old.shape != new.shape:
        return f"size {old.shape[1]}x{old.shape[0]}, expected {new.shape[1]}x{new.shape[0]}"
    old16, new16 = old.astype(np.int16), new.astype(np.int16)
    distance = float(calculate_rms(old16, new16))
    if distance > tolerance:
        return f"pixels differ (RMS {distance:.2f} > {tolerance})"
    moved = np.abs(old16 - new16)
    if moved.max(initial=0) > MOST_LEVELS:
        count = int(np.count_nonzero(moved.max(axis=-1) > MOST_LEVELS))
        return f"{count} pixels differ by up to {moved.max()} levels (> {MOST_LEVELS})"
    return None


# --------------------------------------------------------------------------- GIF


def _gif_blocks(data: bytes) -> tuple[list[int], int]:
    """The labels of a GIF's extension blocks (0x2C for an image) and the trailer's offset.

    Raises ``ValueError`` if the block structure is broken or truncated.
    """
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise ValueError("not a GIF file")
    position = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    labels: list[int] = []
    while True:
        if position >= len(data):
            raise ValueError("truncated GIF: no trailer")
        kind = data[position]
        if kind == 0x3B:
            return labels, position
        if kind == 0x21:
            labels.append(data[position + 1])
            position += 2
        elif kind == 0x2C:
            labels.append(kind)
            flags = data[position + 9]
            position += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1
        else:
            raise ValueError(f"broken GIF: unexpected byte {kind:#04x} at {position}")
        while position < len(data) and data[position]:  # data sub-blocks
            position += data[position] + 1
        position += 1


def _gif_frames(path: Path) -> tuple[list[np.ndarray], list[int], int | None]:
    with Image.open(path) as gif:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(gif):
            frames.append(np.asarray(frame.convert("RGB")))
            durations.append(frame.info.get("duration", 0))
        return frames, durations, gif.info.get("loop")


def _gif_difference(old: Path, new: Path, tolerance: float) -> str | None:
    data = old.read_bytes()
    labels, trailer = _gif_blocks(data)
    if trailer != len(data) - 1:
        return f"{len(data) - 1 - trailer} bytes after the GIF trailer"
    old_frames, old_durations, old_loop = _gif_frames(old)
    new_frames, new_durations, new_loop = _gif_frames(new)
    if len(old_frames) != len(new_frames):
        return f"{len(old_frames)} frames, expected {len(new_frames)}"
    if labels != _gif_blocks(new.read_bytes())[0]:
        return "GIF extension blocks differ"
    if old_durations != new_durations or old_loop != new_loop:
        return f"frame durations or loop differ ({old_durations[:3]}..., loop {old_loop})"
    for number, (a, b) in enumerate(zip(old_frames, new_frames, strict=True)):
        found = _image_difference(a, b, tolerance)
        if found:
            return f"frame {number}: {found}"
    return None


# --------------------------------------------------------------------------- PNG


def _png_intact(data: bytes) -> str | None:
    """Why a PNG file's chunk structure is broken, or None."""
    if not data.startswith(_PNG_SIGNATURE):
        return "not a PNG file"
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, position)
        end = position + 12 + size
        if end > len(data):
            return "truncated PNG"
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(data[position + 4 : end - 4]) != crc:
            return f"corrupt PNG chunk {kind.decode('latin-1')!r} (CRC)"
        if kind == b"IEND":
            extra = len(data) - end
            return f"{extra} bytes after the PNG end" if extra else None
        position = end
    return "truncated PNG: no IEND"


def _png_difference(old: Path, new: Path, tolerance: float) -> str | None:
    broken = _png_intact(old.read_bytes())
    if broken:
        return broken
    with Image.open(old) as a, Image.open(new) as b:
        return _image_difference(
            np.asarray(a.convert("RGBA")), np.asarray(b.convert("RGBA")), tolerance
        )


# --------------------------------------------------------------------------- PDF


def _pdf_intact(data: bytes) -> str | None:
    """Why a PDF file is not whole (header, ``%%EOF``, cross-reference offsets), or None."""
    if not data.startswith(b"%PDF-"):
        return "not a PDF file"
    end = _STARTXREF.search(data[-64:])
    if end is None:
        return "PDF does not end with startxref and %%EOF (truncated, or bytes appended)"
    xref = int(end[1])
    if data[xref : xref + 4] != b"xref":
        return "corrupt PDF: startxref does not point at the cross-reference table"
    lines = data[xref:].split(b"\n")
    try:
        first, count = (int(v) for v in lines[1].split())
        entries = [line.split() for line in lines[2 : 2 + count]]
        offsets = [(number, int(entry[0])) for number, entry in enumerate(entries, start=first)
                   if entry[2] == b"n"]
    except (ValueError, IndexError):
        return "corrupt PDF: unreadable cross-reference table"
    for number, offset in offsets:
        if not data.startswith(b"%d 0 obj" % number, offset):
            return f"corrupt PDF: object {number} is not where the cross-reference says"
    return None


def _normalised_pdf(data: bytes) -> tuple[bytes, list[bytes]]:
    """A PDF's skeleton (streams, lengths, offsets and library version left out) and its
    decompressed streams."""
    length_objects = {int(n) for n in _LENGTH.findall(data)}
    streams: list[bytes] = []

    def take(match: re.Match[bytes]) -> bytes:
        try:
            streams.append(zlib.decompress(match[1]))
        except zlib.error:  # not compressed, or corrupt: compared as it is
            streams.append(match[1])
        return b"stream\n<%d>\nendstream" % (len(streams) - 1)

    skeleton = _STREAM.sub(take, data)
    skeleton = _XREF.sub(b"\nxref", skeleton)
    skeleton = _STARTXREF.sub(b"startxref %%EOF", skeleton)
    skeleton = _DIRECT_LENGTH.sub(b"/Length ?", skeleton)
    skeleton = _VERSION.sub(rb"\1", skeleton)
    for number in length_objects:
        skeleton = re.sub(rb"(\n%d 0 obj\n)\d+(\nendobj)" % number, rb"\1?\2", skeleton)
    return skeleton, streams


def _pdf_difference(old: bytes, new: bytes) -> str | None:
    broken = _pdf_intact(old)
    if broken:
        return broken
    old_skeleton, old_streams = _normalised_pdf(old)
    new_skeleton, new_streams = _normalised_pdf(new)
    if len(old_streams) != len(new_streams):
        return f"PDF has {len(old_streams)} streams, expected {len(new_streams)}"
    for number, (a, b) in enumerate(zip(old_streams, new_streams, strict=True)):
        if a != b:
            return f"PDF drawing differs (stream {number})"
    if old_skeleton != new_skeleton:
        return "PDF structure differs (pages, fonts or resources)"
    return None
