"""The frames of a player as one sprite sheet: the figure's still background and, per
step, the patch of pixels that step changes.

Every frame of an animation is its static drawing with the step's moving shapes on top,
so a frame is stored as the rectangle where it differs from the background, the pixels
that do not differ left transparent (as a GIF stores its frames). The background and
every patch are packed on one palette PNG, in the colours of the animation's GIF, so
that the player shows the GIF's pixels for about the GIF's bytes.

>>> from conv_anim import ConvSpec, animate
>>> sheet = sprite_sheet(animate(ConvSpec(3, 2)))
>>> sheet.frame_size, len(sheet.patches), sheet.png[:4]
((194, 309), 4, b'\\x89PNG')
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from conv_anim.export.frames import rgb_copy
from conv_anim.render.canvas import raster_page

if TYPE_CHECKING:
    from conv_anim.animation import Animation

#: Entries of a PNG palette.
MAX_PALETTE = 256
#: zlib level of the sheet: within 8% of the smallest (9) at a sixth of its time.
SHEET_LEVEL = 7
#: Transparent pixels between the pictures on the sheet, so that a browser scaling one
#: never blends in its neighbour's edge.
GAP = 2


@dataclass(frozen=True)
class Patch:
    """Where one step's changed pixels go on the frame and where they are on the sheet.

    Attributes
    ----------
    x, y : int
        The patch's top-left pixel on the frame.
    width, height : int
        Its size in pixels (0 by 0 when the step changes nothing).
    sheet_x, sheet_y : int
        Its top-left pixel on the sprite sheet.
    """

    x: int
    y: int
    width: int
    height: int
    sheet_x: int
    sheet_y: int


@dataclass(frozen=True)
class SpriteSheet:
    """The background (top-left of the sheet, the frame's size) and each step's patch.

    Attributes
    ----------
    png : bytes
        The sheet as a palette PNG (transparent where a patch leaves the background).
    frame_size : tuple of int
        ``(width, height)`` of a frame, in pixels.
    size : tuple of int
        ``(width, height)`` of the sheet.
    patches : tuple of Patch
        One per step, in order.
    """

    png: bytes
    frame_size: tuple[int, int]
    size: tuple[int, int]
    patches: tuple[Patch, ...]


def background_pixels(animation: Animation) -> np.ndarray:
    """The frame with no step drawn: the static shapes and texts, ``(H, W, 3)`` uint8."""
    # Frames are drawn opaque (Animation.rgba_frames): the background colour replaces
    # a transparent one here too.
    style = dataclasses.replace(animation.style, background=animation.style.background_rgb)
    figure, _ = raster_page(animation.scene, style)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]  # matplotlib's Agg canvas is untyped
    pixels: np.ndarray = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    return rgb_copy(pixels)


def _changed_box(changed: np.ndarray) -> tuple[slice, slice] | None:
    """Rows and columns bounding the true pixels of a mask; None if there are none."""
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(changed.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _patches(
    background: np.ndarray, frames: Iterable[np.ndarray], clear: int | None
) -> list[tuple[int, int, np.ndarray]]:
    """Per frame of palette indices: ``(x, y, indices)`` of the box where it differs
    from ``background``, unchanged pixels ``clear`` (when there is a spare index)."""
    patches = []
    for frame in frames:
        changed = frame != background
        box = _changed_box(changed)
        if box is None:
            patches.append((0, 0, np.zeros((0, 0), np.uint8)))
            continue
        rows, cols = box
        pixels = frame[rows, cols] if clear is None else np.where(
            changed[rows, cols], frame[rows, cols], np.uint8(clear)
        )
        patches.append((cols.start, rows.start, pixels))
    return patches


def _shelves(width: int, top: int, sizes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Top-left corners for boxes of ``sizes`` (width, height), placed left to right in
    rows ("shelves") of at most ``width`` pixels, below row ``top``, in order, with
    :data:`GAP` pixels around each.

    Examples
    --------
    >>> _shelves(10, 5, [(4, 1), (4, 3), (3, 1)])
    [(0, 7), (6, 7), (0, 12)]
    """
    corners = []
    x, y, shelf = 0, top + GAP, 0
    for w, h in sizes:
        if x + w > width:
            x, y, shelf = 0, y + shelf + GAP, 0
        corners.append((x, y))
        x, shelf = x + w + GAP, max(shelf, h)
    return corners


def sprite_sheet(animation: Animation) -> SpriteSheet:
    """Pack an animation's frames as its background and one patch per step.

    The pixels are the GIF's: each frame mapped to the animation's palette.

    Parameters
    ----------
    animation : Animation
        What to pack; its frames are drawn one at a time.

    Returns
    -------
    SpriteSheet
    """
    palette = animation.palette
    background = palette.indices(background_pixels(animation))
    height, width = background.shape
    clear = len(palette) if len(palette) < MAX_PALETTE else None
    frames = (palette.indices(rgba) for rgba, _ in animation.rgba_frames())
    found = _patches(background, frames, clear)
    area = sum(p.size for _, _, p in found) + background.size
    sheet_width = max(width, math.isqrt(area))
    corners = _shelves(sheet_width, height, [(p.shape[1], p.shape[0]) for _, _, p in found])
    sheet_height = max([height] + [y + p.shape[0] for (_, y), (_, _, p) in zip(
        corners, found, strict=True)])
    sheet = np.full((sheet_height, sheet_width), clear or 0, np.uint8)
    sheet[:height, :width] = background
    patches = []
    for (sx, sy), (x, y, pixels) in zip(corners, found, strict=True):
        h, w = pixels.shape
        sheet[sy:sy + h, sx:sx + w] = pixels
        patches.append(Patch(x, y, w, h, sx, sy))
    png = palette_png(sheet, palette.colors, clear, level=SHEET_LEVEL)
    return SpriteSheet(png, (width, height), (sheet_width, sheet_height), tuple(patches))


def palette_png(
    indices: np.ndarray, colors: np.ndarray, clear: int | None = None, *, level: int = 9
) -> bytes:
    """A palette PNG of ``indices`` into ``colors`` (index ``clear`` transparent), at
    zlib compression ``level`` (9: smallest; 1 to 3: several times faster).
    Deterministic.

    Examples
    --------
    >>> palette_png(np.zeros((2, 3), np.uint8), np.array([[255, 255, 255]]))[:4]
    b'\\x89PNG'
    """
    image = Image.fromarray(indices, "P")
    table = np.zeros((MAX_PALETTE, 3), np.uint8)
    table[: len(colors)] = colors
    image.putpalette(table.tobytes())
    stream = io.BytesIO()
    options = {} if clear is None else {"transparency": clear}
    image.save(stream, format="PNG", compress_level=level, **options)
    return stream.getvalue()


__all__ = [
    "GAP", "SHEET_LEVEL", "Patch", "SpriteSheet", "background_pixels", "palette_png",
    "sprite_sheet",
]
