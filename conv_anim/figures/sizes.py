"""The input sizes that give the same output size: the ambiguity output padding resolves.

With a stride ``s``, ``s`` consecutive input sizes give one output size (the floor in
``(i + p_b + p_a - e) // s + 1``): the windows simply never reach the last rows or
columns of the larger inputs. Going back, a transposed convolution must be told which
size to produce, and its output padding ``a`` is that choice.

:func:`same_output_sizes_figure` draws each of those inputs as the paper draws grids
(flat, padding dashed, units in the input colour), one panel per combination of the
sizes of :func:`conv_anim.solve.same_output_sizes` (rows of panels: sizes along the
first axis; columns: along the second), with the last window's footprint shaded and
the cells no window reads marked in the mark colour, each panel saying its size, the
output size and the output padding that gives it back.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.figures.board import Board
from conv_anim.geometry import ConvSpec
from conv_anim.render.base import DASHES, MARK_ALPHA, THICK, Extent, rgba
from conv_anim.render.grids import cell_square, grid_lines, plane, plane_size
from conv_anim.render.labels import CAPTION_SIZE, LABEL_GAP, text_height
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.solve import SizeChoice, same_output_sizes
from conv_anim.style import Style, make_style

#: The convolution of :func:`same_output_sizes_figure`: the paper's padding_strides,
#: whose 5×5 and (padding_strides_odd) 6×6 inputs both give 3×3.
SIZES_SPEC = ConvSpec(5, 3, stride=2, padding=1)
#: Space between panels, in cells; the panels' notes' size in points.
PANEL_GAP = 2.0
NOTE_SIZE = 8.0


def _check_spec(spec: object) -> ConvSpec:
    if spec is None:
        return SIZES_SPEC
    if not isinstance(spec, ConvSpec) or spec.ndim == 3:
        raise ParameterError.invalid("spec", spec, "a 1-D or 2-D ConvSpec")
    return spec


def _direct(spec: ConvSpec, size: tuple[int, ...]) -> ConvSpec:
    """The direct convolution (of ``spec``, or the one it transposes) of input ``size``."""
    return ConvSpec(size, spec.kernel_size, spec.stride, spec.padding, spec.dilation)


def _panel(board: Board, direct: ConvSpec, left: float, top: float, style: Style) -> Extent:
    """The padded input of ``direct``, its last window shaded, its unread cells marked."""
    rows, cols = plane_size(direct.grid.size)
    bottom = top - rows

    def square(position: tuple[int, int]) -> np.ndarray:
        return cell_square(left + position[1], top - 1 - position[0])

    units = [square(plane(p)) for p in direct.grid.unit_positions()]
    marked = [square(plane(p)) for p in direct.uncovered_positions()]
    last = direct.steps()[-1]
    taps = [square(plane(p)) for p in last.positions]
    er, ec = plane_size(direct.effective_kernel_size)
    r0, c0 = plane(last.window_start)
    line = rgba(style.line_color)
    shapes = [
        Shape(segments_path(grid_lines(rows, cols, (left, bottom))), edge=line,
              linewidth=THICK, dashes=DASHES, zorder=1),
        Shape(quads_path(np.array(units)), face=rgba(style.input_color), edge=line,
              linewidth=THICK, zorder=1),
        Shape(quads_path(np.array(taps)), face=rgba(style.shadow_color, style.shadow_alpha),
              zorder=2),
        Shape(segments_path(grid_lines(er, ec, (left + c0, top - r0 - er))), edge=line,
              linewidth=THICK, zorder=2),
    ]
    if marked:
        shapes.insert(2, Shape(quads_path(np.array(marked)),
                               face=rgba(style.mark_color, MARK_ALPHA), zorder=1))
    box = Extent(left, left + cols, bottom, top)
    board.shapes(shapes, box)
    return box


def same_output_sizes_figure(spec: ConvSpec | None = None, **style: Any) -> Figure:
    """The input sizes that a convolution maps to one output size, side by side.

    One panel per input size (per combination of sizes along the axes), drawn as the
    paper draws an input: padding dashed, units in the input colour, the last
    window's footprint shaded; the cells that no window reads (units or padding)
    are marked: units there get no gradient, and a transposed convolution going
    back produces them only with output padding. Under each: its size, the output
    size, and the output padding ``a`` that gives it back.

    Parameters
    ----------
    spec : ConvSpec, optional
        A 1-D or 2-D convolution; for a transposed one, the direct convolution it
        transposes is drawn (the sizes are those it can produce). Default
        :data:`SIZES_SPEC`, the paper's padding_strides (i = 5, k = 3, s = 2,
        p = 1): 5 and 6 both give 3.
    **style
        Options of :class:`conv_anim.style.Style` (``mark_color`` marks the unread
        units); ``caption=True`` adds the convolution in the paper's symbols.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ParameterError
        If ``spec`` is not a 1-D or 2-D ConvSpec, or for an invalid style option.

    Examples
    --------
    >>> fig = same_output_sizes_figure(ConvSpec((5,), 3, stride=2))
    >>> [t.get_text() for t in fig.axes[0].texts][:2]
    ['5 → 2, a = 0', '6 → 2, a = 1']
    """
    spec = _check_spec(spec)
    resolved = make_style(**style)
    choices = same_output_sizes(spec)
    output = spec.input_size if spec.transposed else spec.output_size
    shapes = [plane_size([c.size for c in combo]) for combo in itertools.product(*choices)]
    cell_rows = max(rows for rows, _ in shapes)
    cell_cols = max(cols for _, cols in shapes)
    pad = [sum(spec.padding[a]) for a in range(spec.ndim)]
    rows_pad, cols_pad = plane_size(pad)
    board = Board(resolved)
    lines = 1.0 + text_height(2, NOTE_SIZE)
    across = choices[-1]
    for n, combo in enumerate(itertools.product(*choices)):
        row, col = divmod(n, len(across))
        left = col * (cell_cols + cols_pad + PANEL_GAP)
        top = -row * (cell_rows + rows_pad + lines)
        box = _panel(board, _direct(spec, tuple(c.size for c in combo)), left, top, resolved)
        board.note((box.x0 + box.x1) / 2, box.y0 - LABEL_GAP, _note(combo, output),
                   NOTE_SIZE)
    extent = board.extent
    text = (f"{notation.symbols(_direct(spec, tuple(c[0].size for c in choices)))}\n"
            if resolved.caption is True else
            f"{resolved.caption}\n" if resolved.caption else "")
    board.note((extent.x0 + extent.x1) / 2, extent.y0 - LABEL_GAP,
               f"{text}marked: cells no window reads (output padding a gives them back)",
               CAPTION_SIZE, width=max(extent.width, 12.0))
    return board.figure()


def _note(combo: tuple[SizeChoice, ...], output: tuple[int, ...]) -> str:
    """``'6×6 → 3×3, a = 1'``: a panel's size, the output size, the output padding."""
    size = notation.size_text([c.size for c in combo])
    padding = notation.axis_text([c.output_padding for c in combo])
    return f"{size} {notation.ARROW} {notation.size_text(output)}, a = {padding}"


__all__ = ["SIZES_SPEC", "same_output_sizes_figure"]
