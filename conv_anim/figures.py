"""The paper's static figures: its kernel, Figures 1.3, 1.4 and 2.8, and the matrix C.

Every function returns a new matplotlib :class:`~matplotlib.figure.Figure`, created
without pyplot and without touching rcParams, drawn in the paper's look: flat grids
with thick base03 lines, blue inputs, cyan outputs, the kernel's footprint shaded in
base02 at opacity 0.4, and Computer Modern mathtext. What a figure says about a
convolution (where the kernel goes, which outputs are kept, the entries of C) is
computed from :class:`~conv_anim.geometry.ConvSpec`, so picture and arithmetic
cannot disagree.

Save a figure with :func:`conv_anim.animation.save_figure` for deterministic PNG,
PDF or SVG files.

>>> from conv_anim.figures import matrix_figure
>>> fig = matrix_figure(scale=0.5)
>>> len(fig.axes[0].texts)  # 4 x 16 entries and the label "C ="
65
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from numpy.typing import ArrayLike

from conv_anim.catalog import PAPER_SEED, paper_data
from conv_anim.geometry import ConvSpec
from conv_anim.render.canvas import add_scene, scene_figure
from conv_anim.render.flat import (
    FIT_WIDTH,
    OUTPUT_DECIMALS,
    SMALL_SIZE,
    CellText,
    FlatScene,
    Numbers,
    fitted_size,
    format_number,
    grid_lines,
    text_path,
)
from conv_anim.render.scatter import ScatterScene, ScatterStep, scatter_steps
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.render.slanted import (
    CAPTION_SIZE,
    CELL_INCHES,
    LABEL_GAP,
    THICK,
    THIN,
    Extent,
    caption_text,
    rgba,
    text_width,
)
from conv_anim.style import RGB, Style, check_color, make_style, to_unit_rgb

Point = tuple[float, float]
Box = tuple[float, float, float, float]

#: The paper's violet (Solarized), the second input feature map of Figure 1.3.
VIOLET: RGB = (108, 113, 196)
#: One grid cell on the page: the paper's static figures use TikZ ``scale=.35``.
PAPER_CELL_CM = 0.35
#: Blank space around everything drawn, in points.
MARGIN_PT = 6.0
#: Text sizes in points.
VALUE_SIZE = 7.0
LABEL_SIZE = 8.0
ENTRY_SIZE = 9.0
#: Offset between stacked feature maps, in cells (the paper's 0.5 cm at scale 1).
STACK_OFFSET = 0.5
#: Gap left between an arrow's end and what it points at, in cells.
ARROW_GAP = 0.4
#: Figures 1.3, 1.4 and 2.8 convolve a 3x3 kernel over a 5x5 input.
FIGURE_INPUT, FIGURE_KERNEL = 5, 3
#: Figure 1.3: horizontal distance between the centres of its three pathways, in cells.
PATHWAY_SPREAD = 11.0


class _Page:
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
        self._boxes: list[Box] = []
        self._line = rgba(style.line_color)

    def cells(self, points: float) -> float:
        """A length in points, in cell units."""
        return points / 72 / self.cell_inches

    def _add(self, artist: Artist, box: Box) -> None:
        self._artists.append(artist)
        self._boxes.append(box)

    def _patch(self, path: Path, **options: Any) -> None:
        (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        options.setdefault("facecolor", "none")
        options.setdefault("edgecolor", "none")
        patch = PathPatch(path, joinstyle="miter", capstyle="butt", zorder=1, **options)
        self._add(patch, (x0, y0, x1, y1))

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
        self._add(arrow, (x0 - head, y0 - head, x1 + head, y1 + head))

    def text(
        self, x: float, y: float, tex: str, size: float,
        ha: str = "center", va: str = "center", alpha: float = 1.0,
    ) -> None:
        """Mathtext ``tex`` (without its ``$``) in Computer Modern, anchored at (x, y)."""
        width, height = (self.cells(points) for points in _measure(tex, size))
        left = {"left": x, "center": x - width / 2, "right": x - width}[ha]
        bottom = {"bottom": y, "center": y - height / 2, "center_baseline": y - height / 2,
                  "top": y - height}[va]
        text = Text(x, y, f"${tex}$", fontproperties=_font(size), ha=ha, va=va, zorder=2,
                    color=rgba(self.style.line_color, alpha))
        self._add(text, (left, bottom, left + width, bottom + height))

    def figure(self) -> Figure:
        """A new Figure holding everything, sized to it plus a margin, one unit square."""
        boxes = np.array(self._boxes)
        margin = self.cells(MARGIN_PT)
        x0, y0 = boxes[:, :2].min(axis=0) - margin
        x1, y1 = boxes[:, 2:].max(axis=0) + margin
        dpi = self.style.dpi
        per_cell = self.cell_inches * dpi
        width, height = math.ceil((x1 - x0) * per_cell), math.ceil((y1 - y0) * per_cell)
        # The epsilon keeps int(figsize * dpi) from rounding down a pixel.
        fig = Figure(figsize=((width + 1e-3) / dpi, (height + 1e-3) / dpi), dpi=dpi)
        style = self.style
        fig.patch.set_facecolor("none" if style.transparent else to_unit_rgb(style.background_rgb))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(x0, x0 + width / per_cell)
        ax.set_ylim(y0, y0 + height / per_cell)
        for artist in self._artists:
            ax.add_artist(artist)
        return fig


def _font(size: float) -> FontProperties:
    """The paper's font: Computer Modern mathtext at ``size`` points."""
    return FontProperties(size=size, math_fontfamily="cm")


def _measure(tex: str, size: float) -> tuple[float, float]:
    """Width and height (descent included) in points of the mathtext ``tex``."""
    width, height, _ = text_to_path.get_text_width_height_descent(
        f"${tex}$", _font(size), ismath=True
    )
    return width, height


def _number(value: float) -> str:
    """A kernel value as mathtext: ``2`` for 2.0, ``0.5``, ``-1``, ``1 \\times 10^{6}``."""
    mantissa, _, exponent = f"{value + 0.0:g}".partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def _kernel_values(kernel: ArrayLike | None) -> np.ndarray:
    """The kernel to draw as a float array, the paper's when ``kernel`` is None."""
    if kernel is None:
        return paper_data()[1].astype(np.float64)
    try:
        array = np.asarray(kernel)
    except (ValueError, TypeError) as error:  # ragged nested sequences
        raise ValueError(
            f"kernel={kernel!r} could not be read as an array ({error}): expected a 2-D "
            f"array of numbers"
        ) from None
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"kernel has dtype {array.dtype}, which is not numeric: expected a 2-D array "
            f"of bool, integer or floating numbers"
        )
    if array.ndim != 2 or array.size == 0:
        raise ValueError(
            f"kernel has shape {array.shape}: expected a non-empty 2-D array "
            f"(rows, columns), e.g. the paper's (3, 3)"
        )
    if not np.isfinite(array).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"kernel holds non-finite values (first at index {bad}: {array[bad]}): "
            f"expected finite numbers, no NaN or infinity"
        )
    return array.astype(np.float64)


def kernel_figure(kernel: ArrayLike | None = None, **style: Any) -> Figure:
    """The kernel of the paper's introduction: a flat grid, shaded, its values written in.

    Parameters
    ----------
    kernel : array_like, optional
        A 2-D array of finite numbers (bool, integer or floating). Default: the
        paper's 3x3 kernel, :func:`conv_anim.catalog.paper_data`'s
        ``[[0, 1, 2], [2, 2, 0], [0, 1, 2]]``.
    **style
        Options of :class:`conv_anim.style.Style`: ``shadow_color``,
        ``shadow_alpha`` and ``line_color`` colour it, ``scale`` sets the
        resolution, ``background`` may be ``"transparent"``.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        If ``kernel`` is not a non-empty 2-D array of finite numbers, or for an
        invalid style option.
    """
    values = _kernel_values(kernel)
    resolved = make_style(**style)
    labels = [[_number(v) for v in row] for row in values]
    widest = max(_measure(label, VALUE_SIZE)[0] for row in labels for label in row)
    # Cells grow with the widest value so that every value fits in its cell.
    cell_cm = max(0.5, (widest + 6.0) / 72 * 2.54)
    page = _Page(resolved, cell_cm)
    rows, cols = values.shape
    page.shade(0, 0, rows, cols)
    page.grid(0, 0, rows, cols)
    for r, row in enumerate(labels):
        for c, label in enumerate(row):
            page.text(c + 0.5, rows - r - 0.5, label, VALUE_SIZE, va="center_baseline")
    return page.figure()


def _stack(page: _Page, x: float, y: float, size: int, colors: Sequence[RGB]) -> None:
    """Square feature maps stacked back to front, each one offset up and to the right."""
    for n, color in enumerate(colors):
        page.grid(x + n * STACK_OFFSET, y + n * STACK_OFFSET, size, size, color)


def feature_maps_figure(*, second_input_color: RGB | str = VIOLET, **style: Any) -> Figure:
    """Figure 1.3: two input feature maps to three output feature maps.

    The 3x2x3x3 kernel collection w convolves each of the two 5x5 input maps (blue:
    map 1, in front; violet: map 2, behind) with its own 3x3 kernel in each of three
    pathways; a pathway's two results are summed elementwise ("+") into a 3x3 output
    map, and the three output maps are stacked into the output.

    Parameters
    ----------
    second_input_color : tuple or str
        Colour of input feature map 2 and its kernels, an (r, g, b) tuple of ints
        0-255 or ``'#rrggbb'``. Default the paper's violet (108, 113, 196).
    **style
        Options of :class:`conv_anim.style.Style`: ``input_color`` (map 1),
        ``output_color``, ``line_color``, ``scale``, ``background``.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        For an invalid colour or style option.
    """
    resolved = make_style(**style)
    back = check_color("second_input_color", second_input_color)
    spec = ConvSpec(FIGURE_INPUT, FIGURE_KERNEL)
    i, k, o = spec.input_size[0], spec.kernel_size[0], spec.output_size[0]
    maps = (back, resolved.input_color)
    page = _Page(resolved)

    # Bottom to top: the input maps, each pathway's kernels, "+", output map, the output.
    side = i + STACK_OFFSET
    center = side / 2
    kernel_y = side + 3.5
    plus_y = kernel_y + k + STACK_OFFSET + 2.0
    output_y = plus_y + 2.0
    stack_y = output_y + o + 4.0
    _stack(page, 0, 0, i, maps)
    starts = ((-ARROW_GAP, center), (center, side + ARROW_GAP), (side + ARROW_GAP, center))
    for j, start in enumerate(starts, start=1):
        x = center + (j - 2) * PATHWAY_SPREAD
        left = x - (k + STACK_OFFSET) / 2
        page.arrow(start, (x, kernel_y - ARROW_GAP))
        _stack(page, left, kernel_y, k, maps)
        page.text(left + k + STACK_OFFSET + 0.3, kernel_y + STACK_OFFSET + k / 2,
                  rf"\mathbf{{w}}_{{{j},1}}", LABEL_SIZE, ha="left")
        page.text(left - 0.3, kernel_y + k / 2, rf"\mathbf{{w}}_{{{j},2}}", LABEL_SIZE,
                  ha="right")
        page.line((x, kernel_y + k + STACK_OFFSET + ARROW_GAP), (x, plus_y - 0.6))
        page.text(x, plus_y, "+", LABEL_SIZE + 2)
        page.arrow((x, plus_y + 0.6), (x, output_y - ARROW_GAP))
        page.grid(x - o / 2, output_y, o, o, resolved.output_color)
        page.arrow((x, output_y + o + ARROW_GAP),
                   (center + (j - 2) * STACK_OFFSET, stack_y - ARROW_GAP))
    _stack(page, center - (o + 2 * STACK_OFFSET) / 2, stack_y, o, (resolved.output_color,) * 3)
    return page.figure()


def _slides(page: _Page, x: float, y: float, spec: ConvSpec, numbered: bool = False) -> None:
    """The input of ``spec`` at (x, y), the kernel at its first position and its slides.

    As the paper draws it: horizontal arrows follow the footprint's last column along
    the first row of steps, vertical arrows its last row down the first column. With
    ``numbered``, each arrow's head is labelled with its step number.
    """
    rows, cols = spec.grid.size
    kr, kc = spec.kernel_size
    page.grid(x, y, rows, cols, page.style.input_color)
    page.shade(x, y + rows - kr, kr, kc)
    page.grid(x, y + rows - kr, kr, kc)
    starts = [step.window_start for step in spec.steps()]
    first_row, first_col = starts[0]
    across = sorted({c for r, c in starts if r == first_row})
    down = sorted({r for r, c in starts if c == first_col})
    middle_row = y + rows - kr // 2 - 0.5
    middle_col = x + kc // 2 + 0.5
    for n, (a, b) in enumerate(pairwise(across), start=1):
        start, end = x + a + kc - 0.5 + 0.1, x + b + kc - 0.5
        page.arrow((start, middle_row), (end, middle_row))
        if numbered:
            page.text(end - 0.1, middle_row + 0.15, str(n), VALUE_SIZE - 1, va="bottom")
    top = y + rows
    for n, (a, b) in enumerate(pairwise(down), start=1):
        start, end = top - (a + kr - 0.5) - 0.1, top - (b + kr - 0.5)
        page.arrow((middle_col, start), (middle_col, end))
        if numbered:
            page.text(middle_col + 0.2, end + 0.1, str(n), VALUE_SIZE - 1, ha="left")


def _labelled_arrow(page: _Page, x0: float, x1: float, y: float, label: str) -> None:
    """A horizontal arrow between two grids, its label above it."""
    page.arrow((x0 + ARROW_GAP, y), (x1 - ARROW_GAP, y))
    page.text((x0 + x1) / 2, y + 0.3, label, LABEL_SIZE, va="bottom")


def strides_subsampling_figure(**style: Any) -> Figure:
    """Figure 1.4: strides as subsampling, a 3x3 kernel over a 5x5 input.

    Top: the kernel moves by steps of 2 (``s = 2``) and gives a 2x2 output. Bottom:
    it moves by steps of 1 (``s = 1``), giving a 3x3 output of which only one
    element in two along each axis is kept (the others crossed out): the same 2x2
    output, drawn in the same column. The kept elements are those whose kernel
    position the strided convolution also visits.

    Parameters
    ----------
    **style
        Options of :class:`conv_anim.style.Style`: ``input_color``,
        ``output_color``, ``line_color``, ``shadow_color``, ``shadow_alpha``,
        ``scale``, ``background``.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        For an invalid style option.
    """
    resolved = make_style(**style)
    unit = ConvSpec(FIGURE_INPUT, FIGURE_KERNEL)
    strided = ConvSpec(FIGURE_INPUT, FIGURE_KERNEL, stride=2)
    strided_starts = {step.window_start for step in strided.steps()}
    i, full, kept = FIGURE_INPUT, unit.output_size[0], strided.output_size[0]
    page = _Page(resolved)

    full_x, full_y = i + 3.5, (i - full) / 2
    kept_x = full_x + full + 3.0
    _slides(page, 0, 0, unit)
    _labelled_arrow(page, i, full_x, i / 2, "s = 1")
    page.grid(full_x, full_y, full, full, resolved.output_color)
    for step in unit.steps():
        if step.window_start not in strided_starts:
            r, c = step.output_index
            page.cross(full_x + c, full_y + full - 1 - r)
    page.text(full_x + full / 2, full_y - 0.4, r"\mathrm{keep\ 1\ in\ 2}", LABEL_SIZE, va="top")
    page.arrow((full_x + full + ARROW_GAP, i / 2), (kept_x - ARROW_GAP, i / 2))
    page.grid(kept_x, (i - kept) / 2, kept, kept, resolved.output_color)

    top = i + 2.0
    _slides(page, 0, top, strided)
    _labelled_arrow(page, i, kept_x, top + i / 2, "s = 2")
    page.grid(kept_x, top + (i - kept) / 2, kept, kept, resolved.output_color)
    return page.figure()


def kernel_positions_figure(**style: Any) -> Figure:
    """Figure 2.8: counting kernel positions, a 3x3 kernel over a 5x5 input.

    Left, unit strides: the kernel slides two steps of one to the right (and down)
    to reach the input's edge, so the output is 2 + 1 = 3 wide. Right, strides of
    2: one step of two, so the output is 1 + 1 = 2 wide. Each arrow is one step,
    numbered; the steps are those of :meth:`ConvSpec.steps`.

    Parameters
    ----------
    **style
        Options of :class:`conv_anim.style.Style`: ``input_color``,
        ``line_color``, ``shadow_color``, ``shadow_alpha``, ``scale``,
        ``background``.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        For an invalid style option.
    """
    resolved = make_style(**style)
    page = _Page(resolved, cell_cm=0.5)  # room for the step numbers
    i, k = FIGURE_INPUT, FIGURE_KERNEL
    line = page.cells(LABEL_SIZE * 1.5)
    for panel, stride in enumerate((1, 2)):
        spec = ConvSpec(i, k, stride=stride)
        x = panel * (i + 3.0)
        _slides(page, x, 0, spec, numbered=True)
        o = spec.output_size[1]
        steps = rf"{o - 1}\ \mathrm{{step{'s' if o > 2 else ''}}}"
        page.text(x + i / 2, -0.4, rf"i = {i},\ k = {k},\ s = {stride}", LABEL_SIZE, va="top")
        page.text(x + i / 2, -0.4 - line, rf"o = {steps} + 1 = {o}", LABEL_SIZE, va="top")
    return page.figure()


def _weight(code: int, kernel_cols: int) -> str:
    """The mathtext of a matrix entry: ``0``, or ``w_{i,j}`` for the kernel code ``code``."""
    if code == 0:
        return "0"
    row, col = divmod(code - 1, kernel_cols)
    return f"w_{{{row},{col}}}"


def _matrix_entries(transposed: bool) -> list[list[str]]:
    """Chapter 4's matrix C (or C^T) as mathtext entries, computed from the geometry.

    The kernel holds distinct codes 1..9, so each non-zero entry of
    :meth:`ConvSpec.matrix` names the weight it came from. C^T is the matrix of the
    transposed convolution itself, not a transposed array.
    """
    spec = ConvSpec(4, 3)
    rows, cols = spec.kernel_size
    codes = np.arange(1, rows * cols + 1).reshape(rows, cols)
    if transposed:
        spec = ConvSpec(spec.output_size, spec.kernel_size, transposed=True)
    return [[_weight(int(code), cols) for code in row] for row in spec.matrix(codes)]


def matrix_figure(transposed: bool = False, **style: Any) -> Figure:
    """Chapter 4's sparse matrix C of the 4x4-input, 3x3-kernel convolution, or its transpose.

    C has one row per output cell (4) and one column per input cell (16), both
    unrolled row-major; its non-zero entries are the kernel's weights ``w_{i,j}``.
    The transposed convolution's matrix is C^T (16 x 4). Entries come from
    :meth:`ConvSpec.matrix`; zeros are drawn lighter so the sparsity shows.

    Parameters
    ----------
    transposed : bool
        Draw C^T, the matrix of the transposed convolution (2x2 input, 4x4 output).
    **style
        Options of :class:`conv_anim.style.Style`: ``line_color`` (the text),
        ``scale``, ``background``.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        If ``transposed`` is not a bool, or for an invalid style option.
    """
    if not isinstance(transposed, bool):
        raise ValueError(f"transposed={transposed!r} is not valid: expected True or False")
    resolved = make_style(**style)
    entries = _matrix_entries(transposed)
    page = _Page(resolved, cell_cm=2.54 / 72)  # one unit is one point
    widest = max(_measure(entry, ENTRY_SIZE)[0] for row in entries for entry in row)
    column, row_height = widest + 7.0, ENTRY_SIZE * 1.9
    for r, row in enumerate(entries):
        for c, entry in enumerate(row):
            page.text((c + 0.5) * column, -(r + 0.5) * row_height, entry, ENTRY_SIZE,
                      va="center_baseline", alpha=0.45 if entry == "0" else 1.0)
    width, height = len(entries[0]) * column, len(entries) * row_height
    _parentheses(page, width, height)
    name = r"\mathbf{C}^T" if transposed else r"\mathbf{C}"
    page.text(-10.0, -height / 2, f"{name} =", ENTRY_SIZE + 1, ha="right")
    return page.figure()


def _parentheses(page: _Page, width: float, height: float) -> None:
    """Round brackets around a block ``width`` x ``height`` points whose top-left is (0, 0)."""
    bulge = min(5.0, 0.05 * height + 1.5)
    top, bottom = 2.0, -height - 2.0
    for edge, outward in ((-1.0, -1.0), (width + 1.0, 1.0)):
        page.curve((edge, top), (edge + 2 * outward * bulge, (top + bottom) / 2), (edge, bottom))


def matrix_transposed_figure(**style: Any) -> Figure:
    """Chapter 4's C^T, the transposed convolution's matrix: ``matrix_figure(True)``.

    Parameters
    ----------
    **style
        As for :func:`matrix_figure`.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.
    """
    return matrix_figure(True, **style)


#: The transposed convolution of :func:`transposed_views_figure`: the paper's
#: padding_strides_transposed (i = 5, k = 3, s = 2, p = 1) transposed, a 3x3 input.
VIEWS_SPEC = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
#: Space between the two views, and between the views and their completed outputs, in cells.
VIEWS_GAP = 2.0
#: Text sizes in points: the views' titles and the "=" between the two outputs.
TITLE_SIZE = 9.0
EQUALS_SIZE = 20.0
#: Line spacing of multi-line texts.
LINE_SPACING = 1.3


@dataclass(frozen=True)
class _Board:
    """Shapes and texts placed on one page, drawn as a scene without moving parts.

    :func:`~conv_anim.render.canvas.scene_figure` and
    :func:`~conv_anim.render.canvas.add_scene` draw it like a scene's first frame.
    """

    static: list[Shape]
    labels: tuple[Text, ...]
    extent: Extent

    def texts(self) -> list[Text]:
        """The Text artists (each may be added to one figure only)."""
        return list(self.labels)


class _Composer:
    """Scenes, grids and notes gathered on one page (cell units), and the box they cover."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.shapes: list[Shape] = []
        self.texts: list[Text] = []
        self.boxes: list[Extent] = []

    def scene(self, scene: FlatScene | ScatterScene, moving: list[Shape], left: float,
              top: float) -> None:
        """A scene and one step's shapes, its extent's top-left corner at (left, top)."""
        dx, dy = left - scene.extent.x0, top - scene.extent.y1
        self.shapes += [dataclasses.replace(s, offset=(s.offset[0] + dx, s.offset[1] + dy))
                        for s in [*scene.static, *moving]]
        for text in scene.texts():
            x, y = text.get_position()
            text.set_position((x + dx, y + dy))
            self.texts.append(text)
        width, height = scene.extent.x1 - scene.extent.x0, scene.extent.y1 - scene.extent.y0
        self.boxes.append(Extent(left, left + width, top - height, top))

    def output(self, output: np.ndarray, centre: float, top: float) -> None:
        """A completed output: cyan cells, their grid and values, centred at ``centre``."""
        rows, cols = output.shape
        left, bottom = centre - cols / 2, top - rows
        strings = [format_number(v, OUTPUT_DECIMALS) for v in output.ravel()]
        size = fitted_size(strings, SMALL_SIZE, FIT_WIDTH)
        cells = [(r, c) for r in range(rows) for c in range(cols)]
        texts = [CellText(text, "output", (r, c), left + c + 0.5, top - r - 0.5, size)
                 for text, (r, c) in zip(strings, cells, strict=True)]
        outline = np.array([[left, bottom], [left + cols, bottom], [left + cols, top],
                            [left, top]])
        self.shapes += [
            Shape(quads_path(outline), face=rgba(self.style.output_color)),
            Shape(segments_path(grid_lines(rows, cols, (left, bottom))),
                  edge=rgba(self.style.line_color), linewidth=THICK),
            Shape(text_path(texts)[0], face=rgba(self.style.text_color), zorder=2),
        ]
        self.boxes.append(Extent(left, left + cols, bottom, top))

    def note(self, x: float, y: float, text: str, size: float, va: str = "top") -> None:
        """A text centred at ``x``, anchored at ``y`` by ``va``, in the line colour."""
        lines = text.split("\n")
        half = max(text_width(line, size) for line in lines) / 2
        height = len(lines) * size * LINE_SPACING / 72 / CELL_INCHES
        bottom = {"top": y - height, "center": y - height / 2, "bottom": y}[va]
        self.texts.append(Text(x, y, text, fontsize=size, ha="center", va=va,
                               linespacing=LINE_SPACING,
                               color=to_unit_rgb(self.style.line_color), zorder=20))
        self.boxes.append(Extent(x - half, x + half, bottom, bottom + height))

    @property
    def bottom(self) -> float:
        """The lowest point of everything placed so far."""
        return min(box.y0 for box in self.boxes)

    def figure(self) -> Figure:
        """A new Figure holding everything, with the scenes' border around it."""
        extent = Extent(min(b.x0 for b in self.boxes), max(b.x1 for b in self.boxes),
                        self.bottom, max(b.y1 for b in self.boxes))
        board = _Board(self.shapes, tuple(self.texts), extent)
        fig, ax = scene_figure(board, self.style)
        add_scene(ax, board, None)
        return fig


@dataclass(frozen=True, eq=False)
class _View:
    """One view of :func:`transposed_views_figure`: a scene at one step, its title, its
    completed output and what it took."""

    scene: FlatScene | ScatterScene
    moving: list[Shape]
    title: str
    output: np.ndarray
    note: str

    @property
    def width(self) -> float:
        """The scene's width on the page, in cells."""
        return self.scene.extent.x1 - self.scene.extent.x0

    @property
    def height(self) -> float:
        """The scene's height on the page, in cells."""
        return self.scene.extent.y1 - self.scene.extent.y0


def _views_data(spec: ConvSpec, values: Any, kernel: Any) -> tuple[Any, Any]:
    """``values`` and ``kernel``, each drawn as the paper's numerical figures draw
    theirs when None: ``RandomState(1234)``, input ``randint(0, 4)``, then kernel
    ``randint(0, 3)``."""
    random = np.random.RandomState(PAPER_SEED)
    drawn_values = random.randint(0, 4, size=spec.input_size)
    drawn_kernel = random.randint(0, 3, size=spec.kernel_size)
    return (drawn_values if values is None else values,
            drawn_kernel if kernel is None else kernel)


def _representative_unit(spec: ConvSpec, values: np.ndarray) -> int:
    """The scatter frame shown: the input unit nearest the centre whose value is not
    zero (a zero adds nothing), the first in row-major order among equals."""
    centre = np.array([(n - 1) / 2 for n in spec.input_size])
    steps = scatter_steps(spec)

    def rank(step: ScatterStep) -> tuple[bool, float, int]:
        distance = float(np.abs(np.array(step.input_index) - centre).sum())
        return bool(values[step.input_index] == 0), distance, step.index

    return min(steps, key=rank).index


def _matching_direct_step(spec: ConvSpec, unit: int) -> int:
    """The direct frame shown: the output cell at the middle of the scatter unit's
    footprint, whose window in the stretched input is centred on that same unit."""
    start = scatter_steps(spec)[unit].window_start
    cell = tuple(
        min(max(s + (e - 1) // 2, 0), o - 1)
        for s, e, o in zip(start, spec.effective_kernel_size, spec.output_size, strict=True)
    )
    return next(step.index for step in spec.steps() if step.output_index == cell)


def _check_views_spec(spec: object) -> ConvSpec:
    if spec is None:
        return VIEWS_SPEC
    if not isinstance(spec, ConvSpec) or not spec.transposed or spec.ndim != 2 or (
        spec.has_channels
    ):
        raise ValueError(
            f"spec={spec!r} is not valid: expected a 2-D transposed ConvSpec "
            f"(transposed=True, 2 spatial axes, no channels)"
        )
    return spec


def transposed_views_figure(
    spec: ConvSpec | None = None, values: ArrayLike | None = None,
    kernel: ArrayLike | None = None, **style: Any,
) -> Figure:
    """A transposed convolution seen two ways, side by side, with the same output.

    Left, the paper's view: the equivalent direct convolution, the input stretched
    by inserted zeros and padded by ``dilation * (k - 1) - p``, the flipped kernel
    sliding with stride 1 (one step shown). Right, the scatter view of Distill and
    d2l: each input unit multiplies the whole kernel and adds it into the output at
    ``index * stride - padding`` (one unit shown, the running sums so far; the cells
    the padding crops are dashed). The step shown on the left computes the output
    cell at the middle of that unit's footprint. Under each view, its output once
    complete: the gathered (:meth:`ConvSpec.apply`) and the scattered
    (:func:`~conv_anim.render.scatter.scatter_sums`) results, the same.

    Parameters
    ----------
    spec : ConvSpec, optional
        A 2-D transposed convolution without channels. Default :data:`VIEWS_SPEC`,
        ``ConvSpec(3, 3, stride=2, padding=1, transposed=True)``, the paper's
        padding_strides_transposed.
    values, kernel : array_like, optional
        The input (``spec.input_size``) and the weights (``spec.kernel_size``, in
        PyTorch's layout), finite numbers. Each defaults to small integers drawn as
        the paper's numerical figures draw theirs: ``RandomState(1234)``, the input
        ``randint(0, 4)``, then the kernel ``randint(0, 3)``.
    **style
        Options of :class:`conv_anim.style.Style`. ``labels`` (default True here)
        names the grids; ``caption=True`` adds the parameters underneath.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        If ``spec`` is not a 2-D transposed ConvSpec without channels; for
        ``values`` or ``kernel`` of the wrong shape, a non-numeric dtype or
        non-finite values; or for an invalid style option.
    """
    spec = _check_views_spec(spec)
    resolved = make_style(**{"labels": True, **style})
    numbers = Numbers.compute(spec, *_views_data(spec, values, kernel))
    page = _Composer(resolved)
    views = _views(spec, dataclasses.replace(resolved, caption=False), numbers)
    outputs_top = -max(view.height for view in views) - VIEWS_GAP
    left, centres = 0.0, []
    for view in views:
        centre = left + view.width / 2
        page.scene(view.scene, view.moving, left, 0.0)
        page.note(centre, LABEL_GAP, view.title, TITLE_SIZE, "bottom")
        page.output(view.output, centre, outputs_top)
        rows = view.output.shape[0]
        page.note(centre, outputs_top - rows - LABEL_GAP, view.note, CAPTION_SIZE)
        centres.append(centre)
        left += view.width + VIEWS_GAP
    middle, level = sum(centres) / 2, outputs_top - spec.output_size[0] / 2
    page.note(middle, level, "=", EQUALS_SIZE, "center")
    page.note(middle, level - 1.0, "same output", TITLE_SIZE)
    if resolved.caption:
        text = caption_text(spec) if resolved.caption is True else str(resolved.caption)
        page.note(middle, page.bottom - LABEL_GAP, text, CAPTION_SIZE)
    return page.figure()


def _views(spec: ConvSpec, style: Style, numbers: Numbers) -> tuple[_View, _View]:
    """The direct view at the step matching the scatter view's representative unit,
    and that scatter view."""
    direct, scatter = FlatScene(spec, style, numbers), ScatterScene(spec, style, numbers)
    unit = _representative_unit(spec, numbers.values)
    return (
        _View(direct, direct.moving(spec.steps()[_matching_direct_step(spec, unit)]),
              "zeros inserted: a direct convolution\nwith the flipped kernel (the paper)",
              numbers.output, f"after {len(spec.steps())} steps, one per output cell"),
        _View(scatter, scatter.moving(scatter.steps[unit]),
              "scatter-add: each input unit adds\nits value \u00d7 the kernel (Distill, d2l)",
              scatter.sums[-1], f"after {len(scatter.steps)} steps, one per input unit"),
    )


__all__ = [
    "VIEWS_SPEC",
    "VIOLET",
    "feature_maps_figure",
    "kernel_figure",
    "kernel_positions_figure",
    "matrix_figure",
    "matrix_transposed_figure",
    "strides_subsampling_figure",
    "transposed_views_figure",
]
