"""Shapes: what a scene draws, as matplotlib paths with colours, and two ways to paint them.

A scene describes its picture as :class:`Shape` values in page coordinates. The same
shapes become matplotlib artists (for a user's Axes and for vector output) or are
painted straight onto an Agg renderer (for fast frames), so both agree by construction.
The shapes every arithmetic figure draws at each step, the kernel's footprint and the
current output cell, are built here too (:func:`footprint_shapes`, :func:`current_cell`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Affine2DBase, TransformedPath

from conv_anim.render.base import RGBA, THICK, Z_CURRENT, Z_FOOTPRINT, blend, rgba
from conv_anim.render.numbers import CellText, number_texts
from conv_anim.style import Style

_QUAD_CODES = np.array([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])
_SEGMENT_CODES = np.array([Path.MOVETO, Path.LINETO])


def quads_path(quads: np.ndarray) -> Path:
    """One compound path of closed quadrilaterals (N, 4, 2)."""
    quads = np.asarray(quads, dtype=float).reshape(-1, 4, 2)
    closed = np.concatenate([quads, quads[:, :1]], axis=1).reshape(-1, 2)
    return Path(closed, np.tile(_QUAD_CODES, len(quads)))


def segments_path(segments: np.ndarray) -> Path:
    """One compound path of line segments (N, 2, 2)."""
    segments = np.asarray(segments, dtype=float).reshape(-1, 2, 2)
    return Path(segments.reshape(-1, 2), np.tile(_SEGMENT_CODES, len(segments)))


@dataclass(frozen=True, eq=False)
class Shape:
    """A path in page coordinates with its fill and stroke.

    Attributes
    ----------
    path : Path
        Page coordinates (cell units).
    face : RGBA or None
        Fill colour (with its alpha), or None for no fill.
    edge : RGBA or None
        Stroke colour, or None for no stroke.
    linewidth : float
        Stroke width in points.
    dashes : tuple of float or None
        On/off dash lengths in points, or None for a solid line.
    zorder : float
        Stacking order among a scene's shapes.
    clip : Path or None
        Page region outside which nothing is painted, when painting directly over a
        cached background (artists rely on ``zorder`` instead).
    offset : tuple of float
        Page translation applied to ``path``: moving shapes are one template path
        placed at each step.
    numbers : tuple of CellText
        When ``path`` is the glyph outlines of numbers (:mod:`~conv_anim.render.numbers`),
        those numbers: vector files draw them as text, frames as outlines.
    """

    path: Path
    face: RGBA | None = None
    edge: RGBA | None = None
    linewidth: float = 0.0
    dashes: tuple[float, float] | None = None
    zorder: float = 1.0
    clip: Path | None = None
    offset: tuple[float, float] = (0.0, 0.0)
    numbers: tuple[CellText, ...] = ()

    @property
    def page_path(self) -> Path:
        """The path translated by ``offset``."""
        if self.offset == (0.0, 0.0):
            return self.path
        return Path(self.path.vertices + np.asarray(self.offset), self.path.codes)

    def page_bounds(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)`` of the translated path's vertices."""
        vertices = np.asarray(self.path.vertices)
        (x0, y0), (x1, y1) = vertices.min(axis=0), vertices.max(axis=0)
        dx, dy = self.offset
        return x0 + dx, y0 + dy, x1 + dx, y1 + dy

    def artist(self) -> PathPatch:
        """This shape as a matplotlib artist (data coordinates); numbers as an artist
        drawing outlines in frames and text in vector files (:class:`NumbersPatch`)."""
        kind = NumbersPatch if self.numbers else PathPatch
        patch = kind(
            self.page_path,
            facecolor=self.face if self.face is not None else "none",
            edgecolor=self.edge if self.edge is not None else "none",
            linewidth=self.linewidth if self.edge is not None else 0.0,
            joinstyle="miter",
            capstyle="butt",
            zorder=self.zorder,
        )
        if self.dashes is not None:
            # Dash lengths are absolute points, whatever the user's lines.scale_dashes says
            # (matplotlib scales them by the line width when the pattern is set).
            with mpl.rc_context({"lines.scale_dashes": False}):
                patch.set_linestyle((0, self.dashes))
        if isinstance(patch, NumbersPatch):
            color = self.face if self.face is not None else (0.0, 0.0, 0.0, 1.0)
            patch.texts = number_texts(self.numbers, color, self.offset)
        return patch


class NumbersPatch(PathPatch):
    """Numbers drawn as their glyph outlines by raster renderers (so that a figure's
    pixels are its frames' exactly) and as real text by vector ones (PDF, SVG: the
    numbers are searchable, selectable and read by screen readers)."""

    def __init__(self, path: Path, **options: Any) -> None:
        super().__init__(path, **options)
        self.texts: list[Text] = []

    def draw(self, renderer: RendererBase) -> None:
        """Draw the outlines with Agg, the texts with any other renderer."""
        if isinstance(renderer, RendererAgg) or not self.get_visible():
            super().draw(renderer)
            return
        for text in self.texts:
            figure = self.get_figure()
            if figure is not None:
                text.set_figure(figure)
            text.set_transform(self.get_transform())
            text.set_zorder(self.get_zorder())
            text.draw(renderer)


def footprint_shapes(
    fill: Path, grid: Path, style: Style, offset: tuple[float, float], *,
    clip: Path | None = None, zorder: float = Z_FOOTPRINT,
    grid_offset: tuple[float, float] | None = None,
) -> list[Shape]:
    """The kernel's footprint at one step: its taps shaded, its window's grid over them.

    Parameters
    ----------
    fill, grid : Path
        The taps' cells and the window's grid lines, at the first step.
    style : Style
        ``shadow_color`` and ``shadow_alpha`` shade the taps; ``line_color`` draws
        the grid.
    offset : tuple of float
        Page translation from the first step's footprint to this step's.
    clip : Path, optional
        Page region the footprint may be painted in.
    zorder : float
        Stacking order of both shapes.
    grid_offset : tuple of float, optional
        Page translation of ``grid`` when it differs from ``offset`` (a grid built
        for this step is placed already: ``(0, 0)``).

    Returns
    -------
    list of Shape
        The shaded taps, then the grid (unless it is empty).
    """
    shapes = [
        Shape(fill, face=rgba(style.shadow_color, style.shadow_alpha), zorder=zorder,
              clip=clip, offset=offset),
    ]
    if np.asarray(grid.vertices).size:
        shapes.append(Shape(grid, edge=rgba(style.line_color), linewidth=THICK, zorder=zorder,
                            clip=clip, offset=offset if grid_offset is None else grid_offset))
    return shapes


def current_cell(
    path: Path, style: Style, offset: tuple[float, float] = (0.0, 0.0), *,
    zorder: float = Z_CURRENT,
) -> Shape:
    """The output cell computed at a step: the shadow over the output colour, outlined.

    Parameters
    ----------
    path : Path
        The cell's outline, placed by ``offset``.
    style : Style
        Its colours: ``shadow_color`` at ``shadow_alpha`` over ``output_color``,
        outlined in ``line_color``.
    offset : tuple of float
        Page translation of ``path``.
    zorder : float
        Stacking order.

    Returns
    -------
    Shape
        The shaded, outlined cell.
    """
    return Shape(path, face=blend(style.shadow_color, style.shadow_alpha, style.output_color),
                 edge=rgba(style.line_color), linewidth=THICK, zorder=zorder, offset=offset)


def paint(renderer: RendererBase, shapes: Iterable[Shape], transform: Affine2DBase) -> None:
    """Paint shapes directly with a renderer, in order, using an affine ``transform``."""
    matrix = transform.get_matrix()
    for shape in shapes:
        gc = renderer.new_gc()
        gc.set_antialiased(True)
        gc.set_joinstyle("miter")
        gc.set_capstyle("butt")
        if shape.edge is not None:
            gc.set_foreground(shape.edge, isRGBA=True)
            gc.set_linewidth(shape.linewidth)
            if shape.dashes is not None:
                gc.set_dashes(0, shape.dashes)
        else:
            gc.set_linewidth(0)
        if shape.clip is not None:
            gc.set_clip_path(TransformedPath(shape.clip, transform))
        placed = matrix.copy()
        placed[:2, 2] += matrix[:2, :2] @ shape.offset
        renderer.draw_path(gc, shape.path, Affine2D(placed), shape.face)
        gc.restore()
