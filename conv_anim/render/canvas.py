"""Put a scene on a figure: a user's Axes, a pixel-exact figure of its own, fast blitted
frames, or a file; and place its hotspots on the frame's pixels.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import (
    Affine2D,
    Bbox,
    BboxTransformFrom,
    BboxTransformTo,
    Transform,
    TransformedBbox,
)

from conv_anim.errors import ParameterError
from conv_anim.export import atomic_output
from conv_anim.render.base import BORDER, CELL_INCHES, Extent, Hotspot, Scene, StepHotspots
from conv_anim.render.shapes import Shape, paint
from conv_anim.style import Style, to_unit_rgb

StepT = TypeVar("StepT")
StepT_contra = TypeVar("StepT_contra", contravariant=True)

#: Pixels added around a moving shape's box for antialiasing and line widths.
DIRTY_MARGIN = 3
#: Formats of single figures (a frame, a filmstrip, a static figure).
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


class Drawable(Protocol[StepT_contra]):
    """What :func:`add_scene` and :func:`scene_figure` draw: a scene, or a page of shapes
    and texts drawn like a scene's first frame."""

    @property
    def extent(self) -> Extent:
        """The page rectangle of the drawing."""

    @property
    def static(self) -> Sequence[Shape]:
        """The shapes that never change."""

    def moving(self, step: StepT_contra) -> list[Shape]:
        """The shapes of one step."""

    def texts(self) -> list[Text]:
        """New Text artists."""


def add_scene(ax: Axes, scene: Drawable[StepT], step: StepT | None) -> list[Artist]:
    """Add a scene's static shapes, texts and (if given) one step's shapes to ``ax``."""
    shapes = list(scene.static) + (scene.moving(step) if step is not None else [])
    artists: list[Artist] = [shape.artist() for shape in shapes]
    artists += scene.texts()
    for artist in artists:
        ax.add_artist(artist)
    return artists


def pixel_size(extent: Extent, dpi: float, *, margin: float = BORDER,
               cell_inches: float = CELL_INCHES) -> tuple[int, int]:
    """Width and height in pixels of ``extent`` with ``margin`` cells around it (the
    standalone class's 10 pt border), at ``dpi``."""
    per_cell = cell_inches * dpi
    width = math.ceil((extent.x1 - extent.x0 + 2 * margin) * per_cell)
    height = math.ceil((extent.y1 - extent.y0 + 2 * margin) * per_cell)
    return width, height


def page_origin(extent: Extent, dpi: float, *, margin: float = BORDER,
                cell_inches: float = CELL_INCHES) -> tuple[float, float]:
    """The page point (cell units) at the bottom-left corner of the frame of ``extent``.

    The frame is whole pixels (:func:`pixel_size`); the drawing and its margins are
    centred in it, as in the published GIFs, whose rasteriser shares the rounding out
    between the sides.
    """
    per_cell = cell_inches * dpi
    width, height = pixel_size(extent, dpi, margin=margin, cell_inches=cell_inches)
    spare_x = width / per_cell - (extent.width + 2 * margin)
    spare_y = height / per_cell - (extent.height + 2 * margin)
    return extent.x0 - margin - spare_x / 2, extent.y0 - margin - spare_y / 2


def page_figure(
    extent: Extent, style: Style, *, margin: float = BORDER, cell_inches: float = CELL_INCHES,
    width: int | None = None,
) -> tuple[Figure, Axes]:
    """A new, pixel-exact figure (no pyplot) for ``extent`` and one undecorated Axes
    filling it, one cell ``cell_inches`` wide at the style's dpi.

    ``width``, when given, is the figure's width in pixels, showing the page from the
    extent's left edge on (a filmstrip: several panels side by side).
    """
    fig, (x0, y0, x1, y1) = _bare_page(extent, style, margin=margin,
                                       cell_inches=cell_inches, width=width)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return fig, ax


def _bare_page(
    extent: Extent, style: Style, *, margin: float = BORDER, cell_inches: float = CELL_INCHES,
    width: int | None = None,
) -> tuple[Figure, tuple[float, float, float, float]]:
    """A new pixel-exact figure for ``extent`` (see :func:`page_figure`) and the page
    limits ``(x0, y0, x1, y1)`` its whole area shows."""
    dpi = style.dpi
    natural, height = pixel_size(extent, dpi, margin=margin, cell_inches=cell_inches)
    width = natural if width is None else width
    per_cell = cell_inches * dpi
    # The epsilon keeps int(figsize * dpi) from rounding down a pixel.
    fig = Figure(figsize=((width + 1e-3) / dpi, (height + 1e-3) / dpi), dpi=dpi)
    fig.patch.set_facecolor("none" if style.transparent else to_unit_rgb(style.background_rgb))
    x0, y0 = page_origin(extent, dpi, margin=margin, cell_inches=cell_inches)
    return fig, (x0, y0, x0 + width / per_cell, y0 + height / per_cell)


def scene_figure(scene: Drawable[Any], style: Style) -> tuple[Figure, Axes]:
    """A new figure (no pyplot) sized to the scene, with one undecorated Axes filling it."""
    return page_figure(scene.extent, style)


def raster_page(scene: Drawable[Any], style: Style) -> tuple[Figure, Transform]:
    """A new figure holding the scene's static shapes and texts, for raster frames, and
    the transform from the scene's page to the figure's pixels.

    The figure has no Axes (making one costs about three milliseconds, as much as
    drawing a small scene): the artists get the very transform and clipping that the
    Axes of :func:`scene_figure` would give them, so the pixels are the same.
    """
    fig, limits = _bare_page(scene.extent, style)
    view = Bbox.from_extents(*limits)
    to_pixels = BboxTransformTo(TransformedBbox(Bbox.from_bounds(0, 0, 1, 1), fig.transSubfigure))
    transform = BboxTransformFrom(view) + to_pixels  # an Axes' transLimits + transAxes
    clip = TransformedBbox(Bbox.unit(), to_pixels)  # the Axes patch's box
    for artist in [shape.artist() for shape in scene.static] + scene.texts():
        if not artist.is_transform_set():
            artist.set_transform(transform)
        if artist.get_clip_path() is None:
            artist.set_clip_box(clip)
        fig.add_artist(artist)
    return fig, transform


def _metadata(suffix: str) -> dict[str, Any] | None:
    """Metadata that keeps vector files byte-identical from run to run."""
    if suffix == ".pdf":
        return {"CreationDate": None, "ModDate": None, "Producer": None}
    if suffix == ".svg":
        return {"Date": None}
    return None


def save_figure(fig: Figure, path: str | Path, *, transparent: bool = False) -> Path:
    """Save a figure atomically and deterministically (PNG, PDF or SVG, by suffix)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FIGURE_SUFFIXES:
        raise ParameterError(
            f"unsupported figure format {suffix or '(none)'!r} for path {str(path)!r}: "
            f"expected .png, .pdf or .svg",
            parameter="path", value=str(path), allowed=".png, .pdf or .svg",
        )
    # Text stays text: SVG <text> elements and PDF TrueType fonts (searchable,
    # selectable, read by screen readers), not glyph outlines.
    with mpl.rc_context({"svg.hashsalt": "conv_anim", "pdf.compression": 6,
                         "svg.fonttype": "none", "pdf.fonttype": 42}), \
            atomic_output(target) as temp, _quiet_font_dates():
        fig.savefig(temp, format=suffix[1:], dpi=fig.dpi, metadata=_metadata(suffix),
                    transparent=transparent)
    return target


@contextmanager
def _quiet_font_dates() -> Iterator[None]:
    """Silence fontTools' warning, while a PDF embeds matplotlib's Computer Modern
    fonts, that their creation dates (zero in the font files) "seem very low"."""
    logger = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


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


def page_to_pixels(extent: Extent, style: Style) -> Affine2D:
    """The transform from a scene's page coordinates to its frame's pixels (x to the
    right, y down from the top-left corner), as :func:`scene_figure` places them."""
    per_cell = CELL_INCHES * style.dpi
    _, height = pixel_size(extent, style.dpi)
    x0, y0 = page_origin(extent, style.dpi)
    return (Affine2D().translate(-x0, -y0).scale(per_cell, -per_cell)
            .translate(0, height))


def pixel_hotspots(scene: Scene[StepT], style: Style, steps: Sequence[StepT]
                   ) -> list[StepHotspots]:
    """Each step's hotspots with their polygons in frame pixels (rounded to 0.1 px)."""
    transform = page_to_pixels(scene.extent, style)

    def placed(spot: Hotspot) -> Hotspot:
        corners = transform.transform(np.asarray(spot.polygon, dtype=float))
        rounded = tuple((round(float(x), 1), round(float(y), 1)) for x, y in corners)
        return Hotspot(spot.role, spot.index, rounded)

    cache: dict[object, Hotspot] = {}

    def cached(spot: Hotspot) -> Hotspot:
        key = (spot.key, spot.polygon)
        if key not in cache:
            cache[key] = placed(spot)
        return cache[key]

    result = []
    for step in steps:
        spots = scene.hotspots(step)
        result.append(StepHotspots(cached(spots.key), tuple(cached(s) for s in spots.linked)))
    return result


class BlitCanvas:
    """Render a scene frame by frame over a cached background (matplotlib blitting).

    The static shapes are drawn once. For each frame only the region that the
    previous frame's moving shapes covered is restored, and the step's moving shapes
    are painted straight onto the Agg renderer; frames are read from its buffer.
    """

    def __init__(self, scene: Scene[Any], style: Style) -> None:
        self.scene = scene
        self.figure, transform = raster_page(scene, style)
        self.canvas = FigureCanvasAgg(self.figure)
        # matplotlib's Agg canvas methods are not annotated (a third-party boundary).
        self.canvas.draw()  # type: ignore[no-untyped-call]
        self._renderer = self.canvas.get_renderer()  # type: ignore[no-untyped-call]
        self._background = np.asarray(
            self.canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        ).copy()
        self._transform = Affine2D(transform.get_matrix())
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

    def frames(self, steps: Iterable[Any]) -> Iterator[tuple[np.ndarray, Region]]:
        """Yield each step's (H, W, 4) RGBA frame and the region changed since the last.

        The frame is a view of the canvas buffer, overwritten by the next frame: copy
        it to keep it. The first frame's region is the whole frame. The canvas can be
        iterated again (one iteration at a time): each starts from the background.
        """
        height, width = self.shape
        buffer = np.asarray(self.canvas.buffer_rgba())  # type: ignore[no-untyped-call]
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


__all__ = [
    "FIGURE_SUFFIXES", "BlitCanvas", "Region", "add_scene", "page_figure", "page_origin",
    "page_to_pixels",
    "pixel_hotspots", "pixel_size", "raster_page", "save_figure", "scene_figure",
]
