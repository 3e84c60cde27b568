"""Checkerboards: how many kernel taps touch each output unit of transposed convolutions.

:func:`overlap_figure` draws :meth:`ConvSpec.overlap` of one or more transposed
convolutions as heatmaps in the paper's look: flat grids of output cells, each shaded
by its count (:func:`~conv_anim.render.overlap.heat_colors`, one scale for every
panel) with the count written in, each panel titled with its parameters and whether
it overlaps evenly, and a legend of the shades. By default the classic cases of
Odena et al. (Distill 2016), three ways to upsample 4×4 to 8×8:
:data:`CHECKERBOARD_SPECS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.figures.board import Board
from conv_anim.geometry import ConvSpec
from conv_anim.render.base import THICK, Extent, rgba
from conv_anim.render.grids import cell_centre, cell_square, grid_lines, plane_size
from conv_anim.render.labels import CAPTION_SIZE, LABEL_GAP
from conv_anim.render.numbers import VALUE_SIZE, CellText, numbers_path
from conv_anim.render.overlap import heat_colors
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.style import Style, make_style

#: Three transposed convolutions that upsample 4×4 to 8×8: kernel 3 overlaps unevenly
#: (a checkerboard), kernels 4 and 2 evenly.
CHECKERBOARD_SPECS = (
    ConvSpec(4, 3, stride=2, padding=1, output_padding=1, transposed=True),
    ConvSpec(4, 4, stride=2, padding=1, transposed=True),
    ConvSpec(4, 2, stride=2, transposed=True),
)
#: Space between panels and before the legend, in cells; the titles' size in points.
PANEL_GAP = 2.0
TITLE_SIZE = 8.0
#: Narrowest a panel's title wraps to, in cells.
TITLE_WIDTH = 10.0


def _check_specs(specs: object) -> tuple[ConvSpec, ...]:
    if specs is None:
        return CHECKERBOARD_SPECS
    chosen = (specs,) if isinstance(specs, ConvSpec) else specs
    allowed = "a transposed 1-D or 2-D ConvSpec, or a non-empty sequence of them"
    if not isinstance(chosen, Sequence) or not chosen or any(
        not isinstance(s, ConvSpec) or not s.transposed or s.ndim == 3 for s in chosen
    ):
        raise ParameterError.invalid("specs", specs, allowed)
    return tuple(chosen)


def _heatmap(board: Board, counts: np.ndarray, shades: Sequence[tuple[int, int, int]],
             left: float, top: float, style: Style) -> Extent:
    """A grid of counts, shaded, its top-left corner at (left, top)."""
    rows, cols = plane_size(counts.shape)
    grid = counts.reshape(rows, cols)
    bottom = top - rows
    shapes = []
    for count in np.unique(grid):
        cells = np.argwhere(grid == count)
        squares = np.array([cell_square(left + c, top - 1 - r) for r, c in cells])
        shapes.append(Shape(quads_path(squares), face=rgba(shades[int(count)])))
    texts = [CellText(str(int(grid[r, c])), "output", (r, c),
                      *cell_centre((left + c, top - 1 - r)), VALUE_SIZE)
             for r in range(rows) for c in range(cols)]
    shapes += [
        Shape(segments_path(grid_lines(rows, cols, (left, bottom))),
              edge=rgba(style.line_color), linewidth=THICK, zorder=2),
        Shape(numbers_path(texts), face=rgba(style.text_color), zorder=3),
    ]
    box = Extent(left, left + cols, bottom, top)
    board.shapes(shapes, box)
    return box


def overlap_figure(specs: ConvSpec | Sequence[ConvSpec] | None = None, **style: Any) -> Figure:
    """Heatmaps of the overlap of transposed convolutions: the checkerboard, or none.

    Each panel is one convolution's :meth:`ConvSpec.overlap`: per output unit, the
    kernel taps that touch it (``conv_transpose`` of ones with a kernel of ones),
    shaded and written in, under the convolution's parameters and
    :func:`conv_anim.notation.evenness`; a legend of the shades follows.

    Parameters
    ----------
    specs : ConvSpec or sequence of ConvSpec, optional
        Transposed convolutions over 1 or 2 axes. Default
        :data:`CHECKERBOARD_SPECS`: kernels 3, 4 and 2 with stride 2, each
        upsampling 4×4 to 8×8.
    **style
        Options of :class:`conv_anim.style.Style` (``output_color`` sets the
        shades); ``caption=True`` adds each convolution in the paper's symbols.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ParameterError
        If ``specs`` is not a transposed 1-D or 2-D ConvSpec or a sequence of them,
        above the limits of :meth:`ConvSpec.overlap`, or for an invalid style option.

    Examples
    --------
    >>> fig = overlap_figure(ConvSpec((4,), 3, stride=2, transposed=True))
    >>> len(fig.axes[0].texts)  # the title, the legend's
    2
    """
    chosen = _check_specs(specs)
    resolved = make_style(**style)
    counts = [spec.overlap() for spec in chosen]
    shades = heat_colors(resolved, max(int(c.max()) for c in counts))
    board = Board(resolved)
    left = 0.0
    top = max(plane_size(c.shape)[0] for c in counts)
    for spec, count in zip(chosen, counts, strict=True):
        box = _heatmap(board, count, shades, left, float(top), resolved)
        middle = (box.x0 + box.x1) / 2
        title = f"{notation.parameters(spec)}\n{notation.evenness(spec)}"
        width = max(box.width + PANEL_GAP, TITLE_WIDTH)
        board.note(middle, box.y1 + LABEL_GAP, title, TITLE_SIZE, va="bottom", width=width)
        if resolved.caption is True:
            board.note(middle, box.y0 - LABEL_GAP, notation.symbols(spec), CAPTION_SIZE,
                       width=width)
        left = box.x1 + max(PANEL_GAP, (TITLE_WIDTH - box.width) / 2 + PANEL_GAP / 2)
    legend = np.arange(len(shades)).reshape(len(shades), 1)
    box = _heatmap(board, legend, shades, left, float(top), resolved)
    board.note((box.x0 + box.x1) / 2, box.y1 + LABEL_GAP, "taps", TITLE_SIZE, va="bottom")
    if isinstance(resolved.caption, str) and resolved.caption:
        extent = board.extent
        board.note((extent.x0 + extent.x1) / 2, extent.y0 - LABEL_GAP, resolved.caption,
                   CAPTION_SIZE, width=extent.width)
    return board.figure()


__all__ = ["CHECKERBOARD_SPECS", "overlap_figure"]
