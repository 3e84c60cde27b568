"""Helpers shared by the export tests: synthetic frames, leftovers, failing streams."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from conv_anim.export import Palette

WHITE = (255, 255, 255)
BLUE = (38, 139, 210)
CYAN = (42, 161, 152)
DARK = (0, 43, 54)
BLACK = (0, 0, 0)
BASE02 = (7, 54, 66)
SHADOW_ALPHA = 0.4


def over(color: tuple[int, int, int], alpha: float, background: tuple[int, int, int]):
    """``color`` composited at ``alpha`` over ``background``, rounded."""
    mixed = alpha * np.array(color) + (1 - alpha) * np.array(background)
    return tuple(int(v) for v in np.rint(mixed))


SHADOWS = [over(BASE02, SHADOW_ALPHA, c) for c in (WHITE, BLUE, CYAN)]
THEME = [WHITE, BLUE, CYAN, DARK, BLACK, *SHADOWS]


def theme_palette() -> Palette:
    return Palette.from_colors(THEME)


def synthetic_frames(count: int = 12, height: int = 95, width: int = 101) -> Iterator[np.ndarray]:
    """A grid of coloured squares, antialiased-looking edges, a moving shaded square."""
    base = np.full((height, width, 3), 255, np.uint8)
    for i in range(4):
        for j in range(4):
            y, x = 5 + 22 * i, 5 + 24 * j
            fill = np.array(BLUE if (i + j) % 2 else CYAN)
            base[y : y + 16, x : x + 16] = fill
            base[y : y + 16, x + 16] = np.rint(0.3 * fill + 0.7 * 255)  # soft right edge
            base[y + 16, x : x + 17] = DARK
    for k in range(count):
        frame = base.copy()
        y, x = 5 + 22 * (k // 4 % 4), 5 + 24 * (k % 4)
        region = frame[y : y + 30, x : x + 30].astype(float)
        frame[y : y + 30, x : x + 30] = np.rint(SHADOW_ALPHA * np.array(BASE02) + 0.6 * region)
        yield frame


def noise_frames(
    count: int, height: int = 100, width: int = 100, seed: int = 0
) -> Iterator[np.ndarray]:
    """Incompressible frames (random pixels): files of about ``count * height * width * 3``
    bytes."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def decoded_frames(path: Path) -> list[np.ndarray]:
    with Image.open(path) as im:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]


def leftovers(folder: Path) -> list[str]:
    """Hidden files (temporaries) left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def failing_after(frames: Iterator[np.ndarray], count: int) -> Iterator[np.ndarray]:
    for _ in range(count):
        yield next(frames)
    raise RuntimeError("renderer crashed")
