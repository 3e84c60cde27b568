"""The matrix in motion: the grid figure beside the paper's matrix C, lit row by row.

The paper's chapter 4 unrolls the input and the output into vectors, row-major, and
writes the convolution as ``y = C x``: C has a row per output unit and a column per
input unit, its non-zero entries the kernel's weights ``w_{i,j}``. A transposed
convolution is ``y = Cᵀ x``, with C the matrix of the convolution it transposes.

A :class:`MatrixScene` draws, one frame per output cell: on the left the flat grid
figure (the padded, or stretched, input with each unit numbered by its place in x,
the kernel's footprint shaded, the output with each cell numbered by its place in
y, the current cell shaded); on the right ``y = C x``: the column y, the matrix
(entries from :meth:`ConvSpec.matrix` of distinct codes, as the paper's figure of
C), and the row xᵀ over its columns. At each frame the matrix row of the current
output cell is lit, and so are its entry of y and the entries of x that the
footprint reads: padding and inserted zeros have no column. Readable up to a 6×6
input (:data:`conv_anim.extra_views.MAX_MATRIX_UNITS`).
"""

from __future__ import annotations

from functools import cache, cached_property

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath

from conv_anim import notation
from conv_anim.extra_views import check_view
from conv_anim.geometry import ConvSpec, Step
from conv_anim.render import labels
from conv_anim.render.base import (
    CELL_INCHES,
    DASHES,
    POINT,
    THICK,
    Extent,
    Hotspot,
    Index,
    StepHotspots,
    polygon,
    rgba,
)
from conv_anim.render.grids import cell_centre, cell_square, grid_lines, plane, plane_size
from conv_anim.render.labels import (
    LABEL_GAP,
    LABEL_SIZE,
    Annotation,
    resolve_caption,
    text_artists,
    text_width,
)
from conv_anim.render.numbers import NODE_MARGIN, SMALL_SIZE, CellText, fitted_size, numbers_path
from conv_anim.render.palette import TEXT_LEVELS, THIN_LEVELS, Inks, opaque, style_inks
from conv_anim.render.shapes import Shape, current_cell, quads_path, segments_path
from conv_anim.style import RGB, Style

#: Gaps, in cells: between the grid figure and the equation, between y and C (where
#: "=" goes), between C and the row xᵀ over it.
EQUATION_GAP = 2.0
EQUALS_GAP = 2.0
ROW_GAP = 0.5
#: Font sizes in points: the matrix's entries (at most, fitted to a cell) and "=".
ENTRY_SIZE = 7.0
EQUALS_SIZE = 14.0
#: Widest an entry may be, in cells; zeros are drawn at this opacity (the paper's).
ENTRY_FIT = 0.9
ZERO_ALPHA = 0.45
#: The matrix's entries are set in Computer Modern mathtext, as the paper's figure.
MATH = FontProperties(size=1, math_fontfamily="cm")
#: Stacking order of the layers.
(Z_GRIDS, Z_CELLS, Z_FOOTPRINT, Z_BAND, Z_ENTRIES, Z_NUMBERS, Z_CURRENT) = range(1, 8)


def entry_tex(code: int, kernel_size: tuple[int, ...]) -> str:
    """The mathtext of an entry of C: ``0``, or the weight ``w_{i,j}`` (``w_{j}`` in
    1-D) whose code (1 + its row-major index in the kernel) is ``code``.

    Examples
    --------
    >>> entry_tex(0, (3, 3)), entry_tex(6, (3, 3)), entry_tex(2, (4,))
    ('0', '$w_{1,2}$', '$w_{1}$')
    """
    if code == 0:
        return "0"
    index = np.unravel_index(code - 1, kernel_size)
    return f"$w_{{{','.join(str(int(i)) for i in index)}}}$"


def matrix_entries(spec: ConvSpec) -> list[list[str]]:
    """The matrix the spec multiplies by (C, or Cᵀ for a transposed convolution) as
    mathtext entries: :meth:`ConvSpec.matrix` of a kernel of distinct codes.

    Examples
    --------
    >>> matrix_entries(ConvSpec((3,), 2))
    [['$w_{0}$', '$w_{1}$', '0'], ['0', '$w_{0}$', '$w_{1}$']]
    """
    codes = np.arange(1, int(np.prod(spec.kernel_size)) + 1).reshape(spec.kernel_size)
    return [[entry_tex(int(code), spec.kernel_size) for code in row]
            for row in spec.matrix(codes)]


@cache
def _glyphs(tex: str) -> tuple[np.ndarray, np.ndarray]:
    """An entry's outline at 1 pt, centred on its ink's box: vertices and codes."""
    path = TextPath((0, 0), tex, size=1, prop=MATH)
    vertices = path.vertices
    centre = (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    return vertices - centre, path.codes


def _ink_width(tex: str) -> float:
    """Width of an entry's ink at 1 pt, in points."""
    vertices = _glyphs(tex)[0]
    return float(vertices[:, 0].max() - vertices[:, 0].min())


def entries_path(items: list[tuple[str, float, float]], size: float) -> Path | None:
    """One compound path of entries ``(tex, x, y)`` centred at (x, y), at ``size`` points."""
    if not items:
        return None
    parts = [_glyphs(tex) for tex, _, _ in items]
    scale = size * POINT
    vertices = np.concatenate([v * scale + (x, y) for (v, _), (_, x, y) in
                               zip(parts, items, strict=True)])
    return Path(vertices, np.concatenate([codes for _, codes in parts]))


class MatrixScene:
    """The grid figure of one 1-D or 2-D convolution beside its matrix, lit row by row.

    Parameters
    ----------
    spec : ConvSpec
        A convolution over 1 or 2 axes without channels, at most
        :data:`~conv_anim.extra_views.MAX_MATRIX_UNITS` units in the input and in
        the output. A transposed one is drawn as its equivalent direct convolution
        beside Cᵀ.
    style : Style
        Colours and options (``labels`` names the grids; ``caption=True`` writes
        :func:`conv_anim.notation.matrix_caption`).

    Raises
    ------
    ParameterError
        If the spec has channels or 3 axes, or more units than the limit.

    Attributes
    ----------
    entries : list of list of str
        The matrix's entries as mathtext (:func:`matrix_entries`).

    Examples
    --------
    >>> from conv_anim.style import Style
    >>> scene = MatrixScene(ConvSpec(4, 3), Style())
    >>> step = ConvSpec(4, 3).steps()[1]
    >>> scene.row(step), scene.entries[1][:3]
    (1, ['0', '$w_{0,0}$', '$w_{0,1}$'])
    """

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        check_view(spec, "matrix", None, None, False)
        self.spec = spec
        self.style = style
        self.entries = matrix_entries(spec)
        self._line = rgba(style.line_color)
        self._text = rgba(style.text_color)
        self._layout()
        self._entry_size = fitted_size_tex([t for row in self.entries for t in row])
        self.static = self._static_shapes()
        self._names = self._name_annotations()
        grids = self._grids_extent().union(item.box for item in self._names)
        self._annotations = labels.place_annotations(
            style, grids,
            [(notation.grid_label("input", spec.input_size), (self._grid[1] / 2, 0.0), False),
             # On the input's line: the output grid ends above the input grid's bottom.
             (notation.grid_label("output", spec.output_size),
              (self._output_x + self._output[1] / 2, min(self._output_y, 0.0)), False)],
            resolve_caption(style, notation.matrix_caption(spec)),
        )
        self.extent = grids.union(item.box for item in self._annotations)

    # ------------------------------------------------------------------ layout

    def _layout(self) -> None:
        """The grids from the origin, the equation right of them, C centred on them."""
        spec = self.spec
        self._grid = plane_size(spec.grid.size)
        self._output = plane_size(spec.output_size)
        self._inputs = int(np.prod(spec.input_size))
        self._outputs = int(np.prod(spec.output_size))
        self._output_x = self._grid[1] + 1.0
        self._output_y = float((self._grid[0] - self._output[0]) // 2)
        self._y_x = self._output_x + self._output[1] + EQUATION_GAP
        self._c_x = self._y_x + 1 + EQUALS_GAP
        middle = self._grid[0] / 2
        self._c_top = float(np.ceil(middle + self._outputs / 2))
        self._x_y = self._c_top + ROW_GAP

    def input_corner(self, position: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of input grid cell ``position``."""
        r, c = plane(position)
        return float(c), float(self._grid[0] - 1 - r)

    def output_corner(self, index: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of output cell ``index``."""
        r, c = plane(index)
        return self._output_x + c, self._output_y + self._output[0] - 1 - r

    def y_corner(self, row: int) -> tuple[float, float]:
        """Page position of the bottom-left corner of entry ``row`` of the column y."""
        return self._y_x, self._c_top - 1 - row

    def x_corner(self, column: int) -> tuple[float, float]:
        """Page position of the bottom-left corner of entry ``column`` of the row xᵀ."""
        return self._c_x + column, self._x_y

    def entry_corner(self, row: int, column: int) -> tuple[float, float]:
        """Page position of the bottom-left corner of entry (row, column) of the matrix."""
        return self._c_x + column, self._c_top - 1 - row

    def _grids_extent(self) -> Extent:
        top = max(float(self._grid[0]), self._x_y + 1)
        bottom = min(0.0, self._c_top - self._outputs)
        return Extent(-NODE_MARGIN, self._c_x + self._inputs + NODE_MARGIN,
                      bottom - NODE_MARGIN, top + NODE_MARGIN)

    @cached_property
    def _flat_input(self) -> dict[Index, int]:
        """Each real unit's grid position and its place in x (row-major)."""
        spec = self.spec
        return {position: int(np.ravel_multi_index(unit, spec.input_size))
                for unit, position in zip(np.ndindex(*spec.input_size),
                                          spec.grid.unit_positions(), strict=True)}

    # ------------------------------------------------------------------ shapes

    def _block(self, rows: int, cols: int, origin: tuple[float, float], face: RGB,
               ) -> list[Shape]:
        (x, y) = origin
        outline = np.array([[x, y], [x + cols, y], [x + cols, y + rows], [x, y + rows]])
        return [Shape(quads_path(outline), face=rgba(face), zorder=Z_CELLS),
                Shape(segments_path(grid_lines(rows, cols, origin)), edge=self._line,
                      linewidth=THICK, zorder=Z_CELLS)]

    @cached_property
    def _numbers(self) -> list[CellText]:
        """Each unit's place in x and each output cell's in y, on the grids and vectors."""
        size = fitted_size([str(max(self._inputs, self._outputs) - 1)], SMALL_SIZE + 1, 0.8)
        texts = []
        for position, place in self._flat_input.items():
            texts.append(CellText(str(place), "input", position,
                                  *cell_centre(self.input_corner(position)), size))
            texts.append(CellText(str(place), "input", (place,),
                                  *cell_centre(self.x_corner(place)), size))
        for place, index in enumerate(np.ndindex(*self.spec.output_size)):
            texts.append(CellText(str(place), "output", tuple(index),
                                  *cell_centre(self.output_corner(tuple(index))), size))
            texts.append(CellText(str(place), "output", (place,),
                                  *cell_centre(self.y_corner(place)), size))
        return texts

    def _static_shapes(self) -> list[Shape]:
        style = self.style
        rows, cols = self._grid
        units = [cell_square(*self.input_corner(p)) for p in self._flat_input]
        shapes = [
            Shape(segments_path(grid_lines(rows, cols, (0.0, 0.0))), edge=self._line,
                  linewidth=THICK, dashes=DASHES, zorder=Z_GRIDS),
            Shape(quads_path(np.array(units)), face=rgba(style.input_color), edge=self._line,
                  linewidth=THICK, zorder=Z_CELLS),
            *self._block(*self._output, (self._output_x, self._output_y), style.output_color),
            *self._block(self._outputs, 1, self.y_corner(self._outputs - 1), style.output_color),
            *self._block(1, self._inputs, self.x_corner(0), style.input_color),
            Shape(numbers_path(self._numbers), face=self._text, zorder=Z_NUMBERS),
        ]
        zeros: list[tuple[str, float, float]] = []
        weights: list[tuple[str, float, float]] = []
        for r, row in enumerate(self.entries):
            for c, tex in enumerate(row):
                x, y = cell_centre(self.entry_corner(r, c))
                (zeros if tex == "0" else weights).append((tex, x, y))
        for items, alpha in ((weights, 1.0), (zeros, ZERO_ALPHA)):
            path = entries_path(items, self._entry_size)
            if path is not None:
                shapes.append(Shape(path, face=rgba(style.line_color, alpha), zorder=Z_ENTRIES))
        shapes.append(Shape(self._brackets(), edge=self._line, linewidth=THICK,
                            zorder=Z_ENTRIES))
        return shapes

    def _brackets(self) -> Path:
        """Round brackets around the matrix."""
        top, bottom = self._c_top + 0.1, self._c_top - self._outputs - 0.1
        bulge = min(0.4, 0.04 * (top - bottom) + 0.15)
        middle = (top + bottom) / 2
        curves = []
        for edge, outward in ((self._c_x - 0.1, -1.0), (self._c_x + self._inputs + 0.1, 1.0)):
            curves.append(Path([(edge, top), (edge + 2 * outward * bulge, middle),
                                (edge, bottom)], [Path.MOVETO, Path.CURVE3, Path.CURVE3]))
        return Path.make_compound_path(*curves)

    def row(self, step: Step) -> int:
        """The row of the matrix (the entry of y) of the step's output cell."""
        return int(np.ravel_multi_index(step.output_index, self.spec.output_size))

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step: the footprint, the current output cell, the lit row
        of the matrix, its entry of y and the entries of x the footprint reads."""
        style = self.style
        shadow = rgba(style.shadow_color, style.shadow_alpha)
        taps = np.array([cell_square(*self.input_corner(p)) for p in step.positions])
        er, ec = plane_size(self.spec.effective_kernel_size)
        x0, y0 = self.input_corner(step.window_start)
        row = self.row(step)
        read = [self._flat_input[p] for p in step.positions if p in self._flat_input]
        band_x, band_y = self.entry_corner(row, 0)
        band = np.array([[band_x, band_y], [band_x + self._inputs, band_y],
                         [band_x + self._inputs, band_y + 1], [band_x, band_y + 1]])
        shapes = [
            Shape(quads_path(taps), face=shadow, zorder=Z_FOOTPRINT),
            Shape(segments_path(grid_lines(er, ec, (x0, y0 + 1 - er))), edge=self._line,
                  linewidth=THICK, zorder=Z_FOOTPRINT),
            Shape(quads_path(band), face=shadow, zorder=Z_BAND),
            current_cell(quads_path(cell_square(*self.output_corner(step.output_index))),
                         style, zorder=Z_CURRENT),
            current_cell(quads_path(cell_square(*self.y_corner(row))), style, zorder=Z_CURRENT),
        ]
        if read:
            squares = np.array([cell_square(*self.x_corner(place)) for place in read])
            shapes.append(Shape(quads_path(squares), face=shadow, zorder=Z_FOOTPRINT))
        numbers = [t for t in self._numbers if t.grid == "output" and (
            t.cell in (step.output_index, (row,)))]
        shapes.append(Shape(numbers_path(numbers), face=self._text, zorder=Z_CURRENT + 1))
        return shapes

    # ------------------------------------------------------------------ texts

    def _name_annotations(self) -> tuple[Annotation, ...]:
        """"y" under the column y, the matrix's name under it, "xᵀ" right of its row,
        and "=" between y and the matrix."""
        below = self._c_top - self._outputs - LABEL_GAP
        return (
            _annotation("y", self._y_x + 0.5, below, LABEL_SIZE, "top"),
            _annotation(notation.matrix_name(self.spec), self._c_x + self._inputs / 2, below,
                        LABEL_SIZE, "top"),
            _annotation(f"x{notation.TRANSPOSE}", self._c_x + self._inputs + LABEL_GAP
                        + text_width("x" + notation.TRANSPOSE, LABEL_SIZE) / 2,
                        self._x_y + 0.5, LABEL_SIZE, "center"),
            _annotation("=", self._y_x + 1 + EQUALS_GAP / 2, self._c_top - self._outputs / 2,
                        EQUALS_SIZE, "center"),
        )

    def texts(self) -> list[Text]:
        """New Text artists: the equation's names, the labels and the caption."""
        return text_artists((*self._names, *self._annotations), self.style)

    # ------------------------------------------------------------------ hotspots

    @cached_property
    def _grid_spots(self) -> dict[Index, Hotspot]:
        grid, spots = self.spec.grid, {}
        for position in np.ndindex(*grid.size):
            cell = tuple(int(n) for n in position)
            square = polygon(cell_square(*self.input_corner(cell)))
            unit = grid.unit_index(cell)
            spots[cell] = (Hotspot("pad", cell, square) if unit is None
                           else Hotspot("input", unit, square))
        return spots

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette): the numbers and the
        entries too, the zeros faint over the background and the shadow."""
        style = self.style
        shadow = opaque(style.shadow_color, style.shadow_alpha, style.background_rgb)
        faint = tuple((opaque(style.line_color, ZERO_ALPHA, under), THIN_LEVELS)
                      for under in (style.background_rgb, shadow))
        return style_inks(style).plus(strokes=((style.text_color, TEXT_LEVELS), *faint))

    def hotspots(self, step: Step) -> StepHotspots:
        """The output cell the step computes; the input cells its taps read, on the grid
        (one place per cell, as a player needs: not their copies in the row xᵀ)."""
        output = Hotspot("output", step.output_index,
                         polygon(cell_square(*self.output_corner(step.output_index))))
        return StepHotspots(output, tuple(self._grid_spots[p] for p in step.positions))


def fitted_size_tex(texts: list[str]) -> float:
    """:data:`ENTRY_SIZE`, or smaller so that the widest entry's ink spans at most
    :data:`ENTRY_FIT` of a cell."""
    widest = max(_ink_width(tex) for tex in texts)
    return min(ENTRY_SIZE, ENTRY_FIT / (widest * POINT))


def _annotation(text: str, x: float, y: float, size: float, va: str) -> Annotation:
    half = text_width(text, size) / 2
    height = size * 1.2 / 72 / CELL_INCHES
    bottom = {"top": y - height, "center": y - height / 2, "bottom": y}[va]
    return Annotation(x, y, text, {"fontsize": size, "ha": "center", "va": va},
                      Extent(x - half, x + half, bottom, bottom + height))


__all__ = ["MatrixScene", "entries_path", "entry_tex", "fitted_size_tex", "matrix_entries"]
