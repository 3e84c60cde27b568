"""The paper's numerical figures: input, kernel and output with their values, flat.

A :class:`FlatScene` draws one 2-D convolution or pooling as the paper's numerical
TikZ template does: the input grid on the left with a value in every cell (padding
and inserted zeros are dashed cells showing 0, or for max pooling "−∞", as PyTorch
pads it), the kernel's footprint shaded with its weights written small in the
lower-right of each cell (the values move up when wide weights would reach under
them), and the output grid on the right, vertically centred, with its values and
the current cell shaded. It has
:class:`~conv_anim.render.slanted.SlantedScene`'s interface (``static``,
``moving(step)``, ``texts()``, ``extent``), so the canvas functions draw it alike.

Every number fits its cell (a group too wide is set smaller, :func:`fitted_size`)
and keeps a few significant digits (:func:`number_format`: "3", "6.0", "0.046",
"1.2e-5").

Numbers are drawn as glyph outlines (filled paths in Computer Modern, the paper's
font), not as Text artists: the static ones are painted once into the cached
background, and the few that move (kernel weights, the current output value) are
painted with the other moving shapes, straight onto the Agg renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath, TextToPath

from conv_anim.geometry import ConvSpec, Step
from conv_anim.numerics import as_real_array, winners
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.render.slanted import (
    CELL_INCHES,
    DASHES,
    THICK,
    Extent,
    annotations,
    current_cell,
    footprint_shapes,
    rgba,
    text_artists,
    union,
)
from conv_anim.style import Style

Index = tuple[int, ...]

#: The numbers' font (Computer Modern Roman); their colour is the style's text_color.
FONT = FontProperties(family="cmr10", size=1)
#: Font sizes in points: LaTeX's ``\footnotesize`` (input values) and ``\tiny``
#: (kernel weights and output values) in a 10 pt document.
VALUE_SIZE = 8.0
SMALL_SIZE = 5.0
#: Cell units per point.
POINT = 1 / 72 / CELL_INCHES
#: TeX sets small sizes in wider optical designs (cmr5, cmr7, cmr8): their digits'
#: width relative to cmr10's, by font size in points. Glyphs are stretched to match.
OPTICAL_WIDTH = ((5.0, 0.6111 / 0.5), (7.0, 0.5714 / 0.5), (8.0, 0.5313 / 0.5), (10.0, 1.0))
#: Height of Computer Modern's digits, in em: TikZ centres a node on its text's box.
DIGIT_HEIGHT = 0.644
#: The template puts each kernel weight's node at (0.8, 0.2) of its cell.
WEIGHT_AT = (0.8, 0.2)
#: Widest a number may be, in cells, before its whole group is set smaller.
FIT_WIDTH = 0.85
WEIGHT_FIT_WIDTH = 0.8
#: Widest "−∞" (max pooling's padding) is, in cells: narrower, so neighbours stay apart.
SYMBOL_FIT_WIDTH = 0.65
#: Space kept between a value and the digits of the kernel weight under it, in cells:
#: with less, the values move up, clear of the weights (:func:`value_height`).
WEIGHT_GAP = 0.03
LIFT_GAP = 0.14
#: Most decimals of input values and weights, and the decimals of output values ("6.0").
FLOAT_DECIMALS = 2
OUTPUT_DECIMALS = 1
#: Numbers are written in full (fixed decimals) from COMPACT_BELOW up to COMPACT_ABOVE
#: (the largest of their group), else compactly with SIGNIFICANT digits ("1.2e-5").
COMPACT_BELOW = 0.01
COMPACT_ABOVE = 1e5
SIGNIFICANT = 2
#: Most digits a number written in full has (integers excepted): its decimals give way.
FULL_DIGITS = 4
#: What max pooling's padding holds (PyTorch pads it with -inf), and the mathtext
#: (Computer Modern) that draws it.
MINUS_INFINITY = "\N{MINUS SIGN}\N{INFINITY}"
MATH_TEXTS = {MINUS_INFINITY: r"$-\infty$"}
MATH_FONT = FontProperties(family="cmr10", size=1, math_fontfamily="cm")
#: The template's nodes are 1 cm (two cells) wide: those of the outer cells reach
#: half a cell beyond the grids, which the page keeps as a margin.
NODE_MARGIN = 0.5
#: The max-pooling winner's outline: width in points and inset from the cell's edge.
WINNER_WIDTH = 1.2
WINNER_INSET = (THICK / 2 + WINNER_WIDTH / 2 + 0.6) * POINT
#: Stacking order of the layers.
(Z_INPUT, Z_INPUT_TEXT, Z_FOOTPRINT, Z_WEIGHTS, Z_WINNER,
 Z_OUTPUT, Z_OUTPUT_TEXT, Z_CURRENT, Z_CURRENT_TEXT, Z_TEXT) = range(1, 11)


@dataclass(frozen=True, eq=False)
class Numbers:
    """The numbers a figure shows: validated inputs and the result computed from them.

    Build it with :meth:`compute`.

    Attributes
    ----------
    values : numpy.ndarray of float64, shape ``spec.input_size``
        The input (read-only).
    kernel : numpy.ndarray of float64 or None
        The weights, shape ``spec.kernel_size`` in PyTorch's layout (read-only), or
        None for pooling.
    op : {"conv", "max", "avg"}
        Convolution, max pooling or average pooling.
    output : numpy.ndarray of float64, shape ``spec.output_size``
        The result, from :meth:`ConvSpec.apply` (read-only).
    winners : tuple of tuple of int or None
        For max pooling, the winning input unit of each step; else None.
    """

    values: np.ndarray
    kernel: np.ndarray | None
    op: str
    output: np.ndarray
    winners: tuple[Index, ...] | None

    @classmethod
    def compute(cls, spec: ConvSpec, values: Any, kernel: Any = None, op: str = "conv") -> Numbers:
        """Validate ``values`` and ``kernel`` and compute the output.

        Raises
        ------
        ValueError
            As :func:`conv_anim.numerics.apply` (naming ``values``, ``kernel`` or
            ``op``): an unknown op, a kernel missing for ``"conv"`` or given for
            pooling, pooling a transposed spec, a wrong shape, a non-numeric dtype or
            non-finite values.
        """
        array = as_real_array("values", values, spec.input_size, "spec.input_size")
        output = spec.apply(array, kernel, op)
        weights = None if kernel is None else np.array(kernel, dtype=np.float64)
        for item in (array, weights, output):
            if item is not None:
                item.setflags(write=False)
        return cls(
            values=array,
            kernel=weights,
            op=op,
            output=output,
            winners=winners(spec, array) if op == "max" else None,
        )


@dataclass(frozen=True)
class CellText:
    """A number written in a cell.

    Attributes
    ----------
    text : str
        The number as shown.
    grid : {"input", "kernel", "output"}
        What it belongs to: an input cell's value (padding included), a kernel
        weight (``cell`` is then the input cell it lies over) or an output value.
    cell : tuple of int
        ``(row, column)`` of its cell in that grid, row 0 at the top.
    x, y : float
        Page position (cell units) of its anchor.
    size : float
        Font size in points.
    align : {"center", "right"}
        Whether ``x`` is the centre or the right end of the text's box; ``y`` is
        always the middle of the digits' height.
    """

    text: str
    grid: str
    cell: Index
    x: float
    y: float
    size: float
    align: str = "center"


def format_number(value: float, decimals: int) -> str:
    """A number with fixed ``decimals`` ("6.0", "-1.25", "3"), never "-0"."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def input_decimals(array: np.ndarray, most: int = FLOAT_DECIMALS) -> int:
    """The fewest decimals, up to ``most``, that show every value exactly.

    Integers are written as integers (0 decimals); ``[0.5, 1.25]`` gets 2 decimals;
    values that need more are rounded to ``most`` (:data:`FLOAT_DECIMALS`).
    """
    for decimals in range(most):
        if np.array_equal(array, np.round(array, decimals)):
            return decimals
    return most


def compact_number(value: float, digits: int = SIGNIFICANT) -> str:
    """A number with ``digits`` significant digits in e-notation, short: "1.2e-5",
    "-3.4e6", "1e8" (a mantissa's trailing zeros dropped), "0"."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def number_format(array: Any, decimals: int | None = None) -> Callable[[float], str]:
    """How to write the numbers of one group (a grid's values, a kernel, an output).

    Written in full when the group's largest magnitude ``m`` is from
    :data:`COMPACT_BELOW` up to :data:`COMPACT_ABOVE`, with fixed decimals, the same
    for the whole group:

    - ``decimals=None`` (inputs, weights): integers as integers; else the fewest
      decimals that show every value exactly, if :data:`FLOAT_DECIMALS` do (more for
      ``m`` below 0.1: enough for :data:`SIGNIFICANT` significant digits); else
      that many, rounded, but fewer for large ``m``, so that it has at most
      :data:`FULL_DIGITS` digits ("123.4", "1235").
    - ``decimals`` given (outputs): that many ("6.0"), more for ``m`` below 1 (to
      give it :data:`SIGNIFICANT` significant digits), fewer for large ``m`` so that
      it has at most :data:`FULL_DIGITS` digits.

    Outside that range every number is written compactly by :func:`compact_number`.

    The paper's figures keep their look: integer inputs and weights ("3") and outputs
    with one decimal ("6.0", "1.7").

    Parameters
    ----------
    array : array_like
        The group's numbers (any shape).
    decimals : int or None
        The decimals output values get (:data:`OUTPUT_DECIMALS`), or None for inputs
        and weights.
    """
    values = np.asarray(array, dtype=np.float64).ravel()
    largest = float(np.abs(values).max()) if values.size else 0.0
    integral = bool(np.array_equal(values, np.round(values)))
    if decimals is None and integral and largest < COMPACT_ABOVE:
        return lambda value: format_number(value, 0)
    if largest == 0:
        return lambda value: format_number(value, decimals or 0)
    if not COMPACT_BELOW <= largest < COMPACT_ABOVE:
        return compact_number
    digits = int(np.floor(np.log10(largest))) + 1  # before the point (<= 0 below 1)
    needed = max(0, SIGNIFICANT - digits)
    most = max(0, FULL_DIGITS - max(digits, 0))
    if decimals is None:
        limit = max(FLOAT_DECIMALS, needed)
        exact = input_decimals(values, limit)
        shows = np.array_equal(values, np.round(values, exact))
        chosen = exact if shows else min(limit, most)
    else:
        chosen = min(max(decimals, needed), most)
    return lambda value: format_number(value, chosen)


def number_strings(array: Any, decimals: int | None = None) -> list[str]:
    """Every number of a group (flattened, C order), as :func:`number_format` writes it."""
    write = number_format(array, decimals)
    return [write(float(value)) for value in np.asarray(array, dtype=np.float64).ravel()]


def pad_text(op: str) -> str:
    """What a cell of padding (or an inserted zero) holds: 0, or -inf for max pooling
    (as PyTorch pads it: the padding never wins)."""
    return MINUS_INFINITY if op == "max" else "0"


def optical_width(size: float) -> float:
    """How much wider than cmr10 TeX's design for ``size`` points is (1 from 10 pt up)."""
    sizes, widths = zip(*OPTICAL_WIDTH, strict=True)
    return float(np.interp(size, sizes, widths))


@lru_cache(maxsize=512)
def _glyphs(text: str) -> tuple[Path, float]:
    """The text's cmr10 outline at 1 pt (baseline at y = 0) and its box's width in points
    (:data:`MATH_TEXTS` are drawn by mathtext, in Computer Modern)."""
    math = MATH_TEXTS.get(text)
    if math is not None:
        width, _, _ = TextToPath().get_text_width_height_descent(math, MATH_FONT, ismath=True)
        return TextPath((0, 0), math, size=1, prop=MATH_FONT), width
    width, _, _ = TextToPath().get_text_width_height_descent(text, FONT, ismath=False)
    return TextPath((0, 0), text, size=1, prop=FONT), width


@lru_cache(maxsize=16)
def _middle(text: str) -> float:
    """Height of the text's middle above its baseline, in em: the digits' for numbers,
    the ink's for :data:`MATH_TEXTS`."""
    if text not in MATH_TEXTS:
        return DIGIT_HEIGHT / 2
    ys = _glyphs(text)[0].vertices[:, 1]
    return float(ys.min() + ys.max()) / 2


def text_width_cells(text: str, size: float) -> float:
    """Width of a number's box at ``size`` points, in cells."""
    return _glyphs(text)[1] * size * optical_width(size) * POINT


def fitted_size(texts: Sequence[str], nominal: float, width: float) -> float:
    """``nominal``, or smaller so that the widest text spans at most ``width`` cells.

    The width is measured at the size returned: smaller sizes are set in wider optical
    designs (:func:`optical_width`), so the size is found by bisection, never above
    the largest that fits.
    """
    widest = max(texts, key=lambda text: _glyphs(text)[1], default=None)
    if widest is None or text_width_cells(widest, nominal) <= width:
        return nominal
    low, high = 0.0, nominal  # fits, does not fit
    for _ in range(60):
        middle = (low + high) / 2
        if text_width_cells(widest, middle) <= width:
            low = middle
        else:
            high = middle
    return low


def text_height_cells(size: float) -> float:
    """Height of a number's digits at ``size`` points, in cells."""
    return DIGIT_HEIGHT * size * POINT


def value_height(
    values: Sequence[str], value_size: float, weights: Sequence[str], weight_size: float,
    weight_right: float, cell: float = 1.0,
) -> float:
    """Where the input values' middle goes, above their cell's bottom (cell units).

    The middle of the cell (the paper's), unless some kernel weight's digits, right
    aligned at ``weight_right`` in the lower-right (:data:`WEIGHT_AT`), reach under
    some value: then the values go up, :data:`LIFT_GAP` above the weights. A weight's
    leading minus sign is low enough to pass under a value.

    Parameters
    ----------
    values, weights : sequence of str
        Every input value and weight, as drawn.
    value_size, weight_size : float
        Their font sizes in points.
    weight_right : float
        The weights' right end, from the cell's left (cell units).
    cell : float
        The cell's side (1 in the 2-D figure).
    """
    middle = cell / 2
    if not weights:
        return middle
    value_right = middle + max((text_width_cells(v, value_size) for v in values), default=0) / 2
    digits = max(text_width_cells(w.removeprefix("-"), weight_size) for w in weights)
    if weight_right - digits >= value_right + WEIGHT_GAP * cell:
        return middle
    weight_top = WEIGHT_AT[1] * cell + text_height_cells(weight_size) / 2
    return max(middle, weight_top + LIFT_GAP * cell + text_height_cells(value_size) / 2)


def placed_text(item: CellText) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (page coordinates) and codes of one text's glyph outlines."""
    glyphs, _ = _glyphs(item.text)
    scale = np.array([optical_width(item.size), 1.0]) * item.size * POINT
    width = text_width_cells(item.text, item.size)
    left = item.x - width * (0.5 if item.align == "center" else 1.0)
    baseline = item.y - _middle(item.text) * scale[1]
    return glyphs.vertices * scale + (left, baseline), glyphs.codes


def text_path(texts: Sequence[CellText]) -> tuple[Path, np.ndarray]:
    """One compound path (page coordinates) of the texts' glyph outlines, and where
    each text's vertices start in it (one more entry: the total)."""
    parts = [placed_text(item) for item in texts]
    starts = np.cumsum([0] + [len(codes) for _, codes in parts])
    vertices, codes = zip(*parts, strict=True)
    return Path(np.concatenate(vertices), np.concatenate(codes)), starts


def grid_lines(rows: int, cols: int, origin: tuple[float, float]) -> np.ndarray:
    """Segments (M, 2, 2) of a grid's lines, as TikZ's ``grid`` draws them (vertical
    lines bottom to top, horizontal ones left to right: this fixes where dashes start)."""
    x0, y0 = origin
    xs = x0 + np.arange(cols + 1, dtype=float)
    ys = y0 + np.arange(rows + 1, dtype=float)
    vertical = np.stack([np.stack([xs, np.full_like(xs, y0)], -1),
                         np.stack([xs, np.full_like(xs, y0 + rows)], -1)], axis=1)
    horizontal = np.stack([np.stack([np.full_like(ys, x0), ys], -1),
                           np.stack([np.full_like(ys, x0 + cols), ys], -1)], axis=1)
    return np.concatenate([vertical, horizontal])


def cell_centre(corner: tuple[float, float]) -> tuple[float, float]:
    """The centre of the unit cell whose bottom-left corner is ``corner``."""
    return corner[0] + 0.5, corner[1] + 0.5


def cell_square(x: float, y: float, inset: float = 0.0) -> np.ndarray:
    """The corners (4, 2) of the unit cell whose bottom-left is (x, y), shrunk by ``inset``."""
    lo, hi = inset, 1.0 - inset
    return np.array([[x + lo, y + lo], [x + hi, y + lo], [x + hi, y + hi], [x + lo, y + hi]])


class FlatScene:
    """The flat numerical figure of one 2-D convolution or pooling.

    Parameters
    ----------
    spec : ConvSpec
        A 2-D convolution. A transposed one is drawn as its equivalent direct
        convolution: the stretched input, its inserted zeros as dashed cells showing
        0, and the spatially flipped kernel's weights.
    style : Style
        Colours and options (``connectors`` does not apply: the paper's numerical
        figures have none).
    numbers : Numbers
        The values, kernel, operation and output.
    progressive : bool
        If True, each output value appears at the step that computes it; if False
        (the paper's way) every output value is shown from the first frame.
    """

    def __init__(
        self, spec: ConvSpec, style: Style, numbers: Numbers, progressive: bool = False
    ) -> None:
        if spec.ndim != 2:
            raise ValueError(
                f"drawing a {spec.ndim}-D convolution with values is not yet supported: the "
                f"numerical view draws 2-D convolutions (input_size with 2 axes)"
            )
        self.spec = spec
        self.style = style
        self.numbers = numbers
        self.progressive = progressive
        self.rows, self.cols = spec.grid.size
        out_rows, out_cols = spec.output_size
        # The template shifts the output right by the input's width plus one cell and
        # up by half the difference of the heights, rounded down.
        self._output_origin = (self.cols + 1.0, float((self.rows - out_rows) // 2))
        self._line = rgba(style.line_color)
        self._text = rgba(style.text_color)
        self._weights = self._make_weight_texts()
        self._input_texts = self._make_input_texts()
        self._output_texts = self._make_output_texts()
        self._weights_path = text_path(self._weights)[0] if self._weights else None
        self._outputs_path, self._output_starts = text_path(self._output_texts)
        self._footprint = self._footprint_paths()
        self.static = self._static_shapes()
        ox, oy = self._output_origin
        bottom = min(0.0, oy)
        grids = Extent(
            -NODE_MARGIN, ox + out_cols + NODE_MARGIN,
            bottom - NODE_MARGIN, max(float(self.rows), oy + out_rows) + NODE_MARGIN,
        )
        # Both labels LABEL_GAP under the grids: just below the nodes' NODE_MARGIN, as wide.
        self._annotations = annotations(
            spec, style, grids,
            [("input", (self.cols / 2, bottom), False),
             ("output", (ox + out_cols / 2, bottom), False)],
        )
        self.extent = union(grids, (item.box for item in self._annotations))

    # ------------------------------------------------------------------ layout

    def input_corner(self, row: int, col: int) -> tuple[float, float]:
        """Page position of the bottom-left corner of input grid cell ``(row, col)``."""
        return float(col), float(self.rows - 1 - row)

    def output_corner(self, row: int, col: int) -> tuple[float, float]:
        """Page position of the bottom-left corner of output cell ``(row, col)``."""
        ox, oy = self._output_origin
        return ox + col, oy + self.spec.output_size[0] - 1 - row

    # ------------------------------------------------------------------ numbers

    def _make_input_texts(self) -> tuple[CellText, ...]:
        """One text per input cell, row by row: the values, and what padding and
        inserted zeros hold (0; for max pooling the padding holds -inf)."""
        grid, values = self.spec.grid, self.numbers.values
        write = number_format(values)
        cells = [(r, c) for r in range(self.rows) for c in range(self.cols)]
        strings = [
            write(float(values[index])) if (index := grid.unit_index(cell)) is not None
            else pad_text(self.numbers.op) for cell in cells
        ]
        numbers = [text for text in strings if text not in MATH_TEXTS]
        size = fitted_size(numbers, VALUE_SIZE, FIT_WIDTH)
        symbol_size = min(size, fitted_size(list(MATH_TEXTS), VALUE_SIZE, SYMBOL_FIT_WIDTH))
        weights = [w.text for w in self._weights]
        middle = value_height(numbers, size, weights, self._weight_size, self._weight_right)
        texts = []
        for text, cell in zip(strings, cells, strict=True):
            x, y = self.input_corner(*cell)
            texts.append(CellText(text, "input", cell, x + 0.5, y + middle,
                                  symbol_size if text in MATH_TEXTS else size))
        return tuple(texts)

    def _make_output_texts(self) -> tuple[CellText, ...]:
        """One text per output cell, in step order."""
        strings = number_strings(self.numbers.output, OUTPUT_DECIMALS)
        size = fitted_size(strings, SMALL_SIZE, FIT_WIDTH)
        return tuple(
            CellText(text, "output", step.output_index,
                     *cell_centre(self.output_corner(*step.output_index)), size)
            for text, step in zip(strings, self.spec.steps(), strict=True)
        )

    def _make_weight_texts(self) -> tuple[CellText, ...]:
        """The kernel weights of the first step (the footprint at the grid's corner).

        Each weight is right-aligned where the template's single digit ends, so that
        longer numbers grow to the left, away from the cell's edge (and the values go
        up if they would reach under them, :func:`value_height`).
        """
        kernel = self.numbers.kernel
        self._weight_size = SMALL_SIZE
        self._weight_right = right = WEIGHT_AT[0] + text_width_cells("0", SMALL_SIZE) / 2
        if kernel is None:
            return ()
        write = number_format(kernel)
        taps = self.spec.steps()[0].taps
        strings = [write(float(kernel[tap.kernel_index])) for tap in taps]
        self._weight_size = size = fitted_size(strings, SMALL_SIZE, WEIGHT_FIT_WIDTH)
        texts = []
        for text, tap in zip(strings, taps, strict=True):
            x, y = self.input_corner(*tap.position)
            texts.append(
                CellText(text, "kernel", tap.position, x + right, y + WEIGHT_AT[1], size, "right")
            )
        return tuple(texts)

    def _window_offset(self, step: Step) -> tuple[float, float]:
        """Page translation from the first step's footprint to this step's."""
        r0, c0 = step.window_start
        return float(c0), float(-r0)

    def shown(self, step: Step) -> tuple[CellText, ...]:
        """Every number visible at a step: input values, kernel weights, output values.

        The kernel weights are placed at the step's footprint; with ``progressive``
        only the output values computed so far (this step's included) are shown.
        """
        dx, dy = self._window_offset(step)
        weights = tuple(
            CellText(w.text, w.grid,
                     (w.cell[0] + step.window_start[0], w.cell[1] + step.window_start[1]),
                     w.x + dx, w.y + dy, w.size, w.align)
            for w in self._weights
        )
        outputs = self._output_texts[: step.index + 1] if self.progressive else self._output_texts
        return self._input_texts + weights + outputs

    # ------------------------------------------------------------------ shapes

    def _footprint_paths(self) -> tuple[Path, Path]:
        """The first step's footprint: its shaded taps and the grid of its window."""
        er, ec = self.spec.effective_kernel_size
        taps = [cell_square(*self.input_corner(*tap.position)) for tap in self.spec.steps()[0].taps]
        return quads_path(np.array(taps)), segments_path(grid_lines(er, ec, (0.0, self.rows - er)))

    def _static_shapes(self) -> list[Shape]:
        style, line = self.style, self._line
        shapes = [
            Shape(segments_path(grid_lines(self.rows, self.cols, (0.0, 0.0))),
                  edge=line, linewidth=THICK, dashes=DASHES, zorder=Z_INPUT),
            Shape(quads_path(np.array([cell_square(*self.input_corner(*cell))
                                       for cell in self.spec.grid.unit_positions()])),
                  face=rgba(style.input_color), edge=line, linewidth=THICK, zorder=Z_INPUT),
        ]
        uncovered = self.spec.uncovered_positions()
        if style.mark_uncovered and uncovered:
            shapes.append(
                Shape(quads_path(np.array([cell_square(*self.input_corner(*c)) for c in uncovered])),
                      face=rgba(style.mark_color, 0.45), zorder=Z_INPUT)
            )
        shapes.append(
            Shape(text_path(self._input_texts)[0], face=self._text, zorder=Z_INPUT_TEXT)
        )
        out_rows, out_cols = self.spec.output_size
        ox, oy = self._output_origin
        outline = np.array([[ox, oy], [ox + out_cols, oy],
                            [ox + out_cols, oy + out_rows], [ox, oy + out_rows]])
        shapes += [
            Shape(quads_path(outline), face=rgba(style.output_color), zorder=Z_OUTPUT),
            Shape(segments_path(grid_lines(out_rows, out_cols, self._output_origin)),
                  edge=line, linewidth=THICK, zorder=Z_OUTPUT),
        ]
        if not self.progressive:
            shapes.append(
                Shape(self._outputs_path, face=self._text, zorder=Z_OUTPUT_TEXT)
            )
        return shapes

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, kernel weights, the
        max-pooling winner, the current output cell and the output value(s) over it."""
        style = self.style
        at_window = self._window_offset(step)
        shapes = footprint_shapes(*self._footprint, style, at_window, zorder=Z_FOOTPRINT)
        if self._weights_path is not None:
            shapes.append(
                Shape(self._weights_path, face=self._text, zorder=Z_WEIGHTS, offset=at_window)
            )
        if self.numbers.winners is not None and self.style.mark_winners:
            cell = self.spec.grid.unit_position(self.numbers.winners[step.index])
            shapes.append(
                Shape(quads_path(cell_square(*self.input_corner(*cell), inset=WINNER_INSET)),
                      edge=rgba(style.mark_color), linewidth=WINNER_WIDTH, zorder=Z_WINNER)
            )
        shapes.append(current_cell(quads_path(cell_square(*self.output_corner(*step.output_index))),
                                   style, zorder=Z_CURRENT))
        # The output values shown over the current cell: a slice of the compound path.
        first = 0 if self.progressive else self._output_starts[step.index]
        end = self._output_starts[step.index + 1]
        values = Path(self._outputs_path.vertices[first:end], self._outputs_path.codes[first:end])
        shapes.append(Shape(values, face=self._text, zorder=Z_CURRENT_TEXT))
        return shapes

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style, Z_TEXT)


__all__ = [
    "CellText", "FlatScene", "Numbers", "compact_number", "format_number", "number_format",
    "number_strings",
]
