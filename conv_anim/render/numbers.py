"""Numbers set in cells, as the paper's numerical figures set them.

How large a group of numbers is set so that every number fits its cell
(:func:`fitted_size`), where values go when kernel weights would reach under them
(:func:`value_height`), and the glyph outlines that draw them (:func:`text_path`).
Which texts a figure writes (exact, or rounded and saying so) is
:mod:`~conv_anim.render.numerals`' job.

Numbers are drawn as glyph outlines (filled paths in Computer Modern, the paper's
font) in frames: the static ones are painted once into the cached background of an
animation, and the few that move (kernel weights, the current output value) are
painted with the other moving shapes, straight onto the Agg renderer. In vector
files they are real text (:class:`~conv_anim.render.shapes.Shape` keeps both).

>>> fitted_size(["3", "17"], VALUE_SIZE, FIT_WIDTH)
8.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath, TextToPath

from conv_anim.render.base import POINT, Index

#: The numbers' font (Computer Modern Roman); their colour is the style's text_color.
FONT = FontProperties(family="cmr10", size=1)
#: Font sizes in points: LaTeX's ``\footnotesize`` (input values) and ``\tiny``
#: (kernel weights and output values) in a 10 pt document.
VALUE_SIZE = 8.0
SMALL_SIZE = 5.0
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
#: What max pooling's padding holds (PyTorch pads it with -inf), and the mathtext
#: (Computer Modern) that draws it.
MINUS_INFINITY = "\N{MINUS SIGN}\N{INFINITY}"
MATH_TEXTS = {MINUS_INFINITY: r"$-\infty$"}
MATH_FONT = FontProperties(family="cmr10", size=1, math_fontfamily="cm")
#: The template's nodes are 1 cm (two cells) wide: those of the outer cells reach
#: half a cell beyond the grids, which the page keeps as a margin.
NODE_MARGIN = 0.5


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
    ys = np.asarray(_glyphs(text)[0].vertices)[:, 1]
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
    vertices = np.asarray(glyphs.vertices, dtype=float) * scale + np.array([left, baseline])
    return vertices, np.asarray(glyphs.codes)


def number_texts(items: Sequence[CellText], color: tuple[float, float, float, float],
                 offset: tuple[float, float] = (0.0, 0.0)) -> list[Text]:
    """The numbers as Text artists (data coordinates), where :func:`placed_text` draws
    their outlines: for vector files, whose numbers are then real text.

    The width differs a little at small sizes: the outlines are stretched as TeX's
    optical designs are (:func:`optical_width`), text is not.
    """
    dx, dy = offset
    texts = []
    for item in items:
        math = MATH_TEXTS.get(item.text)
        baseline = item.y - _middle(item.text) * item.size * POINT
        texts.append(Text(
            item.x + dx, baseline + dy, math or item.text, color=color, ha=item.align,
            va="baseline", fontproperties=FontProperties(family="cmr10", size=item.size),
            parse_math=math is not None, math_fontfamily="cm",
        ))
    return texts


def text_path(texts: Sequence[CellText]) -> tuple[Path, np.ndarray]:
    """One compound path (page coordinates) of the texts' glyph outlines, and where
    each text's vertices start in it (one more entry: the total)."""
    parts = [placed_text(item) for item in texts]
    starts = np.cumsum([0] + [len(codes) for _, codes in parts])
    vertices, codes = zip(*parts, strict=True)
    return Path(np.concatenate(vertices), np.concatenate(codes)), starts



@lru_cache(maxsize=4096)
def glyph_outline(text: str, size: float, align: str) -> tuple[np.ndarray, np.ndarray]:
    """A number's glyph outline: vertices relative to its anchor, and codes."""
    return placed_text(CellText(text, "", (), 0.0, 0.0, size, align))


def numbers_path(texts: Sequence[CellText]) -> Path:
    """One compound path of the texts' glyph outlines, as :func:`text_path` draws them;
    each distinct number is laid out once, then translated, so that the many numbers of
    a frame are fast to build."""
    outlines = [glyph_outline(t.text, t.size, t.align) for t in texts]
    vertices = np.concatenate(
        [v + (t.x, t.y) for (v, _), t in zip(outlines, texts, strict=True)]
    )
    return Path(vertices, np.concatenate([codes for _, codes in outlines]))


__all__ = [
    "FIT_WIDTH", "MATH_TEXTS", "MINUS_INFINITY", "NODE_MARGIN", "SMALL_SIZE",
    "SYMBOL_FIT_WIDTH", "VALUE_SIZE", "WEIGHT_AT", "WEIGHT_FIT_WIDTH", "CellText",
    "fitted_size", "glyph_outline", "number_texts", "numbers_path", "optical_width",
    "pad_text", "placed_text", "text_height_cells", "text_path", "text_width_cells",
    "value_height",
]
