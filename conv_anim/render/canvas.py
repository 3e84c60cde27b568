"""Put a scene on a figure: a user's Axes, a figure of its own, or fast blitted frames."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from conv_anim.geometry import Step
from conv_anim.render.shapes import Shape, paint
from conv_anim.render.slanted import BORDER, CELL_INCHES, SlantedScene
from conv_anim.style import Style, to_unit_rgb

#: Pixels added around a moving shape's box for antialiasing and line widths.
DIRTY_MARGIN = 3


def add_scene(ax: Axes, scene: SlantedScene, step: Step | None) -> list[Artist]:
    """Add a scene's static shapes, texts and (if given) one step's shapes to ``ax``."""
    shapes = scene.static + (scene.moving(step) if step is not None else [])
    artists: list[Artist] = [shape.artist() for shape in shapes] + scene.texts()
    for artist in artists:
        ax.add_artist(artist)
    return artists


def pixel_size(scene: SlantedScene, style: Style) -> tuple[int, int]:
    """Width and height in pixels: the scene plus the 10 pt border, at the style's dpi."""
    per_cell = CELL_INCHES * style.dpi
    extent = scene.extent
    width = math.ceil((extent.x1 - extent.x0 + 2 * BORDER) * per_cell)
    height = math.ceil((extent.y1 - extent.y0 + 2 * BORDER) * per_cell)
    return width, height


def scene_figure(scene: SlantedScene, style: Style) -> tuple[Figure, Axes]:
    """A new figure (no pyplot) sized to the scene, with one undecorated Axes filling it."""
    width, height = pixel_size(scene, style)
    dpi = style.dpi
    # The epsilon keeps int(figsize * dpi) from rounding down a pixel.
    fig = Figure(figsize=((width + 1e-3) / dpi, (height + 1e-3) / dpi), dpi=dpi)
    fig.patch.set_facecolor("none" if style.transparent else to_unit_rgb(style.background_rgb))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    per_cell = CELL_INCHES * dpi
    x0, y0 = scene.extent.x0 - BORDER, scene.extent.y0 - BORDER
    ax.set_xlim(x0, x0 + width / per_cell)
    ax.set_ylim(y0, y0 + height / per_cell)
    return fig, ax


@dataclass(frozen=True)
class Region:
    """A pixel rectangle of a frame, rows ``y0:y1`` and columns ``x0:x1`` (top-down)."""

    y0: int
    y1: int
    x0: int
    x1: int

    @property
    def slices(self) -> tuple[slice, slice]:
        """``(rows, columns)`` slices selecting the region of a frame array."""
        return slice(self.y0, self.y1), slice(self.x0, self.x1)

    def union(self, other: Region) -> Region:
        """The smallest region holding both."""
        return Region(
            min(self.y0, other.y0), max(self.y1, other.y1),
            min(self.x0, other.x0), max(self.x1, other.x1),
        )


class BlitCanvas:
    """Render a scene frame by frame over a cached background (matplotlib blitting).

    The static shapes are drawn once. For each frame only the region that the
    previous frame's moving shapes covered is restored, and the step's moving shapes
    are painted straight onto the Agg renderer; frames are read from its buffer.
    """

    def __init__(self, scene: SlantedScene, style: Style) -> None:
        self.scene = scene
        self.figure, ax = scene_figure(scene, style)
        add_scene(ax, scene, None)
        self.canvas = FigureCanvasAgg(self.figure)
        self.canvas.draw()
        self._renderer = self.canvas.get_renderer()
        self._background = np.asarray(self.canvas.buffer_rgba()).copy()
        self._transform = ax.transData.frozen()
        width, height = self.canvas.get_width_height()
        self.shape = (height, width)
        self._dirty: Region | None = None  # what the last painted step covers

    def _region(self, shapes: list[Shape]) -> Region:
        """The pixel region the shapes may touch (every connecting line lies within the
        box of the footprint and the output cell it joins)."""
        bounds = np.array([shape.page_bounds() for shape in shapes])
        corners = self._transform.transform(
            [bounds[:, :2].min(axis=0), bounds[:, 2:].max(axis=0)]
        )
        height, width = self.shape
        (x0, y0), (x1, y1) = corners
        return Region(
            max(0, height - math.ceil(y1) - DIRTY_MARGIN),
            min(height, height - math.floor(y0) + DIRTY_MARGIN),
            max(0, math.floor(x0) - DIRTY_MARGIN),
            min(width, math.ceil(x1) + DIRTY_MARGIN),
        )

    def frames(self, steps: Iterable[Step]) -> Iterator[tuple[np.ndarray, Region]]:
        """Yield each step's (H, W, 4) RGBA frame and the region changed since the last.

        The frame is a view of the canvas buffer, overwritten by the next frame: copy
        it to keep it. The first frame's region is the whole frame. The canvas can be
        iterated again (one iteration at a time): each starts from the background.
        """
        height, width = self.shape
        buffer = np.asarray(self.canvas.buffer_rgba())
        first = True
        for step in steps:
            shapes = self.scene.moving(step)
            current = self._region(shapes)
            changed = Region(0, height, 0, width) if first else current
            if self._dirty is not None:
                rows, cols = self._dirty.slices
                buffer[rows, cols] = self._background[rows, cols]
                changed = changed.union(self._dirty)
            paint(self._renderer, shapes, self._transform)
            self._dirty, first = current, False
            yield buffer, changed
