"""A page of artists in cell units, sized to what it holds: the static figures' canvas.

A :class:`Page` collects grids, shading, lines, arrows and mathtext placed in cell
units (x to the right, y upwards), records the box each covers, and makes a new
pixel-exact matplotlib Figure holding them all with a margin around
(:meth:`Page.figure`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

from conv_anim.render.base import THICK, THIN, Extent, Point, rgba
from conv_anim.render.canvas import page_figure
from conv_anim.render.grids import grid_lines
from conv_anim.render.shapes import quads_path, segments_path
from conv_anim.style import RGB, Style

#: One grid cell on the page: the paper's static figures use TikZ ``scale=.35``.
PAPER_CELL_CM = 0.35
#: Blank space around everything drawn, in points.
MARGIN_PT = 6.0


class Page:
    """Artists placed in cell units (x to the right, y upwards) and the box they cover.

    Parameters
    ----------
    style : Style
        Colours, resolution and background.
    cell_cm : float
        The side of one unit on the page, in centimetres.
    """

    def __init__(self, style: Style, cell_cm: float = PAPER_CELL_CM) -> None:
        self.style = style
        self.cell_inches = cell_cm / 2.54
        self._artists: list[Artist] = []
        self._boxes: list[Extent] = []
        self._line = rgba(style.line_color)

    def cells(self, points: float) -> float:
        """A length in points, in cell units."""
        return points / 72 / self.cell_inches

    def _add(self, artist: Artist, box: Extent) -> None:
        self._artists.append(artist)
        self._boxes.append(box)

    def _patch(self, path: Path, **options: Any) -> None:
        vertices = np.asarray(path.vertices)
        (x0, y0), (x1, y1) = vertices.min(axis=0), vertices.max(axis=0)
        options.setdefault("facecolor", "none")
        options.setdefault("edgecolor", "none")
        patch = PathPatch(path, joinstyle="miter", capstyle="butt", zorder=1, **options)
        self._add(patch, Extent(float(x0), float(x1), float(y0), float(y1)))

    def grid(self, x: float, y: float, rows: int, cols: int, face: RGB | None = None) -> None:
        """A ``rows`` x ``cols`` grid of unit cells, lower-left at (x, y), filled with ``face``."""
        if face is not None:
            corners = np.array([[x, y], [x + cols, y], [x + cols, y + rows], [x, y + rows]])
            self._patch(quads_path(corners), facecolor=rgba(face))
        self._patch(segments_path(grid_lines(rows, cols, (x, y))), edgecolor=self._line,
                    linewidth=THICK)

    def shade(self, x: float, y: float, rows: int, cols: int) -> None:
        """The kernel's footprint: base02 at the style's opacity over ``rows`` x ``cols`` cells."""
        corners = np.array([[x, y], [x + cols, y], [x + cols, y + rows], [x, y + rows]])
        style = self.style
        self._patch(quads_path(corners), facecolor=rgba(style.shadow_color, style.shadow_alpha))

    def cross(self, x: float, y: float) -> None:
        """Cross out the unit cell whose lower-left corner is (x, y)."""
        diagonals = np.array([[[x, y], [x + 1, y + 1]], [[x, y + 1], [x + 1, y]]])
        self._patch(segments_path(diagonals), edgecolor=self._line, linewidth=THIN)

    def curve(self, start: Point, control: Point, end: Point) -> None:
        """A quadratic Bezier stroke (a matrix's parenthesis)."""
        path = Path([start, control, end], [Path.MOVETO, Path.CURVE3, Path.CURVE3])
        self._patch(path, edgecolor=self._line, linewidth=THICK)

    def line(self, start: Point, end: Point) -> None:
        """A thick line without a head."""
        self._patch(segments_path(np.array([start, end])), edgecolor=self._line, linewidth=THICK)

    def arrow(self, start: Point, end: Point) -> None:
        """A thick arrow, TikZ's ``->``, from ``start`` to ``end``."""
        arrow = FancyArrowPatch(
            start, end, arrowstyle="->,head_length=0.45,head_width=0.25", mutation_scale=8,
            shrinkA=0, shrinkB=0, color=self._line, linewidth=THICK, zorder=1,
            capstyle="butt", joinstyle="miter",
        )
        (x0, y0), (x1, y1) = np.minimum(start, end), np.maximum(start, end)
        head = self.cells(3.0)
        self._add(arrow, Extent(float(x0 - head), float(x1 + head), float(y0 - head),
                                float(y1 + head)))

    def text(
        self, x: float, y: float, tex: str, size: float,
        ha: str = "center", va: str = "center", alpha: float = 1.0,
    ) -> None:
        """Mathtext ``tex`` (without its ``$``) in Computer Modern, anchored at (x, y)."""
        width, height = (self.cells(points) for points in measure(tex, size))
        left = {"left": x, "center": x - width / 2, "right": x - width}[ha]
        bottom = {"bottom": y, "center": y - height / 2, "center_baseline": y - height / 2,
                  "top": y - height}[va]
        text = Text(x, y, f"${tex}$", fontproperties=math_font(size), ha=ha, va=va, zorder=2,
                    color=rgba(self.style.line_color, alpha))
        self._add(text, Extent(left, left + width, bottom, bottom + height))

    def figure(self) -> Figure:
        """A new Figure holding everything, sized to it plus a margin, one unit square."""
        first, *others = self._boxes
        fig, ax = page_figure(first.union(others), self.style, margin=self.cells(MARGIN_PT),
                              cell_inches=self.cell_inches)
        for artist in self._artists:
            ax.add_artist(artist)
        return fig


def math_font(size: float) -> FontProperties:
    """The paper's font: Computer Modern mathtext at ``size`` points."""
    return FontProperties(size=size, math_fontfamily="cm")


@lru_cache(maxsize=1024)
def measure(tex: str, size: float) -> tuple[float, float]:
    """Width and height (descent included) in points of the mathtext ``tex``.

    Remembered: the paper's figures measure the same symbols many times, and parsing
    mathtext costs about a millisecond. The font is Computer Modern whatever the
    settings (:func:`math_font`), so the text and size are the whole key.
    """
    width, height, _ = text_to_path.get_text_width_height_descent(
        f"${tex}$", math_font(size), ismath=True
    )
    return width, height


__all__ = ["MARGIN_PT", "PAPER_CELL_CM", "Page", "math_font", "measure"]
