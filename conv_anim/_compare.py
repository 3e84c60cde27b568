"""Compare two renderings of a file within a pixel tolerance (for the gallery's --check)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

_MEDIABOX = re.compile(rb"/MediaBox\s*\[([^\]]*)\]")


def rms(a: np.ndarray, b: np.ndarray) -> float:
    """Root mean square difference of two same-shape uint8 images, in 0-255 levels."""
    return float(np.sqrt(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


def _gif_frames(path: Path) -> tuple[list[np.ndarray], list[int], int | None]:
    with Image.open(path) as gif:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(gif):
            frames.append(np.asarray(frame.convert("RGB")))
            durations.append(frame.info.get("duration", 0))
        return frames, durations, gif.info.get("loop")


def _gif_difference(old: Path, new: Path, tolerance: float) -> str | None:
    old_frames, old_durations, old_loop = _gif_frames(old)
    new_frames, new_durations, new_loop = _gif_frames(new)
    if len(old_frames) != len(new_frames):
        return f"{len(old_frames)} frames, expected {len(new_frames)}"
    if old_durations != new_durations or old_loop != new_loop:
        return f"frame durations or loop differ ({old_durations[:3]}..., loop {old_loop})"
    for number, (a, b) in enumerate(zip(old_frames, new_frames, strict=True)):
        difference = _image_difference(a, b, tolerance)
        if difference:
            return f"frame {number}: {difference}"
    return None


def _image_difference(old: np.ndarray, new: np.ndarray, tolerance: float) -> str | None:
    if old.shape != new.shape:
        return f"size {old.shape[1]}x{old.shape[0]}, expected {new.shape[1]}x{new.shape[0]}"
    distance = rms(old, new)
    if distance > tolerance:
        return f"pixels differ (RMS {distance:.2f} > {tolerance})"
    return None


def _png_difference(old: Path, new: Path, tolerance: float) -> str | None:
    with Image.open(old) as a, Image.open(new) as b:
        return _image_difference(np.asarray(a.convert("RGBA")), np.asarray(b.convert("RGBA")),
                                 tolerance)


def _pdf_difference(old: Path, new: Path) -> str | None:
    a, b = old.read_bytes(), new.read_bytes()
    if not a.startswith(b"%PDF"):
        return "not a PDF file"
    boxes_a = [m.split() for m in _MEDIABOX.findall(a)]
    boxes_b = [m.split() for m in _MEDIABOX.findall(b)]
    if boxes_a != boxes_b:
        return "page size or page count differs"
    return None


def difference(old: Path, new: Path, tolerance: float = 2.0) -> str | None:
    """Why ``old`` does not match ``new`` (a short phrase), or None when it does.

    GIFs: frame count, durations, loop and each frame's pixels; PNGs: pixels; PDFs:
    page sizes; anything else: bytes.
    """
    suffix = new.suffix.lower()
    try:
        if suffix == ".gif":
            return _gif_difference(old, new, tolerance)
        if suffix == ".png":
            return _png_difference(old, new, tolerance)
        if suffix == ".pdf":
            return _pdf_difference(old, new)
    except (OSError, SyntaxError, ValueError) as error:
        return f"unreadable ({error})"
    return None if old.read_bytes() == new.read_bytes() else "content differs"
