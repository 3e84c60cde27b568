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

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from conv_anim.figures.page import Page, measure
from conv_anim.geometry import ConvSpec
from conv_anim.paperdata import paper_data
from conv_anim.style import RGB, check_color, make_style

#: The paper's violet (Solarized), the second input feature map of Figure 1.3.
VIOLET: RGB = (108, 113, 196)
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
        paper's 3x3 kernel, :func:`conv_anim.paperdata.paper_data`'s
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
    widest = max(measure(label, VALUE_SIZE)[0] for row in labels for label in row)
    # Cells grow with the widest value so that every value fits in its cell.
    cell_cm = max(0.5, (widest + 6.0) / 72 * 2.54)
    page = Page(resolved, cell_cm)
    rows, cols = values.shape
    page.shade(0, 0, rows, cols)
    page.grid(0, 0, rows, cols)
    for r, row in enumerate(labels):
        for c, label in enumerate(row):
            page.text(c + 0.5, rows - r - 0.5, label, VALUE_SIZE, va="center_baseline")
    return page.figure()


def _stack(page: Page, x: float, y: float, size: int, colors: Sequence[RGB]) -> None:
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
    page = Page(resolved)

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


def _slides(page: Page, x: float, y: float, spec: ConvSpec, numbered: bool = False) -> None:
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


def _labelled_arrow(page: Page, x0: float, x1: float, y: float, label: str) -> None:
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
    page = Page(resolved)

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
    page = Page(resolved, cell_cm=0.5)  # room for the step numbers
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
    page = Page(resolved, cell_cm=2.54 / 72)  # one unit is one point
    widest = max(measure(entry, ENTRY_SIZE)[0] for row in entries for entry in row)
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


def _parentheses(page: Page, width: float, height: float) -> None:
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


__all__ = [
    "VIOLET", "feature_maps_figure", "kernel_figure", "kernel_positions_figure", "matrix_figure",
    "matrix_transposed_figure", "strides_subsampling_figure",
]
