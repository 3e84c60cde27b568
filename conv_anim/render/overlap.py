"""The overlap of a transposed convolution, accumulating: where checkerboards come from.

A transposed convolution adds a copy of its kernel into the output for every input
unit (the scatter view, :mod:`conv_anim.render.scatter`). Counting, instead of the
products, how many copies touch each output unit gives :meth:`ConvSpec.overlap`:
with a kernel size that the stride does not divide, neighbouring units get
different counts, the checkerboard of Odena et al. ("Deconvolution and
Checkerboard Artifacts", Distill 2016).

An :class:`OverlapScene` animates that count, one frame per input unit (the
scatter view's steps, :func:`~conv_anim.steps.scatter_steps`): the input on the
left with the current unit shaded, the output on the right inside the uncropped
result of the scatter (the cells the padding crops are dashed), each output cell
shaded by its count so far (:func:`heat_colors`, light to the output colour) and
showing it, the current unit's footprint outlined with ``+1`` in each cell it
touches, and a legend of the shades (:func:`overlap_after`). The last frame's
counts equal ``spec.overlap()``.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.geometry import ConvSpec
from conv_anim.render import labels
from conv_anim.render.base import (
    CELL_INCHES,
    DASHES,
    THICK,
    Extent,
    Hotspot,
    Index,
    StepHotspots,
    blend,
    polygon,
    rgba,
)
from conv_anim.render.grids import cell_centre, cell_square, grid_lines, plane, plane_size
from conv_anim.render.labels import (
    LABEL_GAP,
    Annotation,
    resolve_caption,
    text_artists,
    text_width,
)
from conv_anim.render.numbers import (
    NODE_MARGIN,
    SMALL_SIZE,
    VALUE_SIZE,
    WEIGHT_AT,
    CellText,
    numbers_path,
    text_width_cells,
)
from conv_anim.render.palette import TEXT_LEVELS, Inks, style_inks
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.steps import ScatterStep, check_transposed, scatter_steps
from conv_anim.style import RGB, Style

#: Gap between the input and the output region, and between the region and its legend.
OUTPUT_GAP = 1.0
LEGEND_GAP = 1.0
#: The lightest shade (a count of 0): the output colour at this opacity.
LIGHTEST = 0.2
#: Where a count goes over a "+1", above its cell's bottom (cell units).
LIFTED = 0.6
#: Size of the legend's title, in points.
LEGEND_SIZE = 8.0
#: Stacking order of the layers.
(Z_GRIDS, Z_CELLS, Z_COUNTS, Z_UNIT, Z_WINDOW, Z_ONES) = range(1, 7)


def heat_colors(style: Style, top: int) -> tuple[RGB, ...]:
    """The shade of each count from 0 to ``top``: the output colour over the background,
    from :data:`LIGHTEST` opacity (0) to opaque (``top``).

    Examples
    --------
    >>> heat_colors(Style(), 2)
    ((212, 236, 234), (127, 199, 193), (42, 161, 152))
    """
    def shade(count: int) -> RGB:
        alpha = LIGHTEST + (1 - LIGHTEST) * count / max(top, 1)
        r, g, b, _ = blend(style.output_color, alpha, style.background_rgb)
        return round(255 * r), round(255 * g), round(255 * b)

    return tuple(shade(count) for count in range(top + 1))


def _axis_counts(spec: ConvSpec, axis: int, units: range) -> np.ndarray:
    """Per output unit on one axis: the taps of input units ``units`` that land there."""
    k, s, d = spec.kernel_size[axis], spec.stride[axis], spec.dilation[axis]
    before, size = spec.padding[axis][0], spec.output_size[axis]
    positions = (np.array(units)[:, None] * s - before + np.arange(k)[None, :] * d).ravel()
    return np.bincount(positions[(positions >= 0) & (positions < size)], minlength=size)


def overlap_after(spec: ConvSpec, step: int) -> np.ndarray:
    """The counts after input units ``0 .. step`` (row-major) have added their taps.

    The units so far are a union of boxes (for each axis, the units before the
    current one's coordinate there, with the earlier axes fixed at its coordinates,
    and the current unit), and a box's counts are the outer product of per-axis
    counts; so a frame costs the output's size, whatever the input's. Step
    ``len(scatter_steps(spec)) - 1`` gives ``spec.overlap()``.

    Examples
    --------
    >>> spec = ConvSpec((2,), 3, stride=2, transposed=True)
    >>> overlap_after(spec, 0), overlap_after(spec, 1)
    (array([1, 1, 1, 0, 0]), array([1, 1, 2, 1, 1]))
    """
    unit = [int(i) for i in np.unravel_index(step, spec.input_size)]
    total = np.zeros(spec.output_size, dtype=np.int64)
    boxes = [
        [range(u, u + 1) for u in unit[:axis]] + [range(unit[axis])]
        + [range(n) for n in spec.input_size[axis + 1:]]
        for axis in range(spec.ndim)
    ] + [[range(u, u + 1) for u in unit]]
    for box in boxes:
        if all(box):
            counts = np.ones((), dtype=np.int64)
            for axis, units in enumerate(box):
                counts = np.multiply.outer(counts, _axis_counts(spec, axis, units))
            total += counts
    return total


class OverlapScene:
    """The overlap of one 1-D or 2-D transposed convolution, accumulating.

    Parameters
    ----------
    spec : ConvSpec
        A transposed convolution over 1 or 2 axes (channels are not counted).
    style : Style
        Colours and options (``labels`` names the input and output;
        ``caption=True`` writes :func:`conv_anim.notation.overlap_caption`).

    Raises
    ------
    ParameterError
        If the spec is not transposed.

    Attributes
    ----------
    shades : tuple of RGB
        The colour of each count of taps, from 0 up.

    Examples
    --------
    >>> scene = OverlapScene(ConvSpec(2, 3, stride=2, transposed=True), Style())
    >>> len(scene.steps), overlap_after(scene.spec, 3).tolist()[2]
    (4, [2, 2, 4, 2, 2])
    >>> scene.hotspots(scene.steps[0]).key.key
    ('input', (0, 0))
    """

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        check_transposed(spec)
        self.spec = spec
        self.style = style
        self.steps = scatter_steps(spec)
        # The largest count: the product of each axis's largest.
        top = int(np.prod([_axis_counts(spec, axis, range(n)).max()
                           for axis, n in enumerate(spec.input_size)]))
        self.shades = heat_colors(style, top)
        self._line = rgba(style.line_color)
        self._text = rgba(style.text_color)
        self._shadow = rgba(style.shadow_color, style.shadow_alpha)
        self._layout()
        self.static = self._static_shapes()
        grids = Extent(
            -NODE_MARGIN, self._legend_x + 1 + NODE_MARGIN,
            min(self._input_y, self._output_y, self._legend_y - len(self.shades) + 1)
            - NODE_MARGIN,
            max(self._input_y + self._input[0], self._output_y + self._region[0])
            + NODE_MARGIN,
        )
        self._title = self._legend_title()
        self._annotations = labels.place_annotations(
            style, grids,
            [(notation.grid_label("input", spec.input_size),
              (self._input[1] / 2, self._input_y), False),
             (notation.grid_label("output", spec.output_size),
              (self._output_x + self._region[1] / 2, self._output_y), False)],
            resolve_caption(style, notation.overlap_caption(spec)),
            notation.overlap_legend(spec),
        )
        self.extent = grids.union(item.box for item in (self._title, *self._annotations))

    # ------------------------------------------------------------------ layout

    def _layout(self) -> None:
        """The input on the left, the uncropped output region on the right, both centred
        on each other by whole cells, the legend's column right of the region."""
        spec = self.spec
        self._input = plane_size(spec.input_size)
        self._output = plane_size(spec.output_size)
        full = plane_size(tuple((i - 1) * s + e for i, s, e in zip(
            spec.input_size, spec.stride, spec.effective_kernel_size, strict=True)))
        self._before = tuple(b for b, _ in spec.padding)
        before = plane(self._before)
        self._lo = (-before[0], -before[1])
        self._region = tuple(
            max(o, f - b) - lo
            for o, f, b, lo in zip(self._output, full, before, self._lo, strict=True)
        )
        self._input_y = float(max(0, (self._region[0] - self._input[0]) // 2))
        self._output_y = float(max(0, (self._input[0] - self._region[0]) // 2))
        self._output_x = self._input[1] + OUTPUT_GAP
        self._legend_x = self._output_x + self._region[1] + LEGEND_GAP
        # The legend's first (top) swatch level with the region's top row.
        self._legend_y = self._output_y + self._region[0] - 1

    def input_corner(self, index: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of input unit ``index``."""
        r, c = plane(index)
        return float(c), self._input_y + self._input[0] - 1 - r

    def output_corner(self, position: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of output position ``position``
        (output coordinates; cropped positions lie in the dashed margin)."""
        r, c = plane(position)
        row, col = r - self._lo[0], c - self._lo[1]
        return self._output_x + col, self._output_y + self._region[0] - 1 - row

    def legend_corner(self, count: int) -> tuple[float, float]:
        """Page position of the bottom-left corner of the legend's swatch of ``count``."""
        return self._legend_x, self._legend_y - count

    @cached_property
    def _output_cells(self) -> list[Index]:
        return [tuple(int(n) for n in cell) for cell in np.ndindex(*self.spec.output_size)]

    # ------------------------------------------------------------------ shapes

    def _grid(self, shape: tuple[int, int], origin: tuple[float, float], face: RGB,
              ) -> list[Shape]:
        """A filled grid of ``shape`` cells, bottom-left corner at ``origin``."""
        (rows, cols), (x, y) = shape, origin
        outline = np.array([[x, y], [x + cols, y], [x + cols, y + rows], [x, y + rows]])
        return [
            Shape(quads_path(outline), face=rgba(face), zorder=Z_CELLS),
            Shape(segments_path(grid_lines(rows, cols, origin)), edge=self._line,
                  linewidth=THICK, zorder=Z_CELLS),
        ]

    def _static_shapes(self) -> list[Shape]:
        rows, cols = self._region
        swatches = [cell_square(*self.legend_corner(c)) for c in range(len(self.shades))]
        legend = [Shape(quads_path(square), face=rgba(shade), zorder=Z_CELLS)
                  for square, shade in zip(swatches, self.shades, strict=True)]
        legend.append(Shape(segments_path(np.concatenate(
            [grid_lines(1, 1, (float(s[0, 0]), float(s[0, 1]))) for s in swatches])),
            edge=self._line, linewidth=THICK, zorder=Z_CELLS))
        numbers = [CellText(str(count), "output", (count,), *cell_centre(self.legend_corner(
            count)), VALUE_SIZE) for count in range(len(self.shades))]
        return [
            Shape(segments_path(grid_lines(rows, cols, (self._output_x, self._output_y))),
                  edge=self._line, linewidth=THICK, dashes=DASHES, zorder=Z_GRIDS),
            *self._grid(self._input, (0.0, self._input_y), self.style.input_color),
            *legend,
            Shape(numbers_path(numbers), face=self._text, zorder=Z_COUNTS),
        ]

    def moving(self, step: ScatterStep) -> list[Shape]:
        """The shapes of one step: the output cells shaded by their counts so far, the
        counts, the current input unit, its footprint's window and a ``+1`` per tap."""
        counts = overlap_after(self.spec, step.index)
        touched = set(step.output_indices)
        by_count: dict[int, list[np.ndarray]] = {}
        texts = []
        for cell in self._output_cells:
            count = int(counts[cell])
            x, y = self.output_corner(cell)
            by_count.setdefault(count, []).append(cell_square(x, y))
            # Over a "+1", the count moves up, clear of it (as values over weights do).
            middle = LIFTED if cell in touched else 0.5
            texts.append(CellText(str(count), "output", cell, x + 0.5, y + middle, VALUE_SIZE))
        shapes = [Shape(quads_path(np.array(squares)), face=rgba(self.shades[count]),
                        zorder=Z_CELLS) for count, squares in sorted(by_count.items())]
        rows, cols = self._output
        ox, oy = self.output_corner((0,) * self.spec.ndim)
        shapes.append(Shape(segments_path(grid_lines(rows, cols, (ox, oy + 1 - rows))),
                            edge=self._line, linewidth=THICK, zorder=Z_CELLS))
        shapes.append(Shape(numbers_path(texts), face=self._text, zorder=Z_COUNTS))
        unit = cell_square(*self.input_corner(step.input_index))
        shapes.append(Shape(quads_path(unit), face=self._shadow, edge=self._line,
                            linewidth=THICK, zorder=Z_UNIT))
        er, ec = plane_size(self.spec.effective_kernel_size)
        x0, y0 = self.output_corner(step.window_start)
        taps = np.array([cell_square(*self.output_corner(t.position)) for t in step.taps])
        shapes.append(Shape(quads_path(taps), face=self._shadow, zorder=Z_WINDOW))
        shapes.append(Shape(segments_path(grid_lines(er, ec, (x0, y0 + 1 - er))),
                            edge=self._line, linewidth=THICK, zorder=Z_WINDOW))
        right = WEIGHT_AT[0] + text_width_cells("0", SMALL_SIZE) / 2
        ones = []
        for tap in step.taps:
            x, y = self.output_corner(tap.position)
            ones.append(CellText("+1", "kernel", tap.position, x + right, y + WEIGHT_AT[1],
                                 SMALL_SIZE, "right"))
        shapes.append(Shape(numbers_path(ones), face=self._text, zorder=Z_ONES))
        return shapes

    # ------------------------------------------------------------------ texts

    def _legend_title(self) -> Annotation:
        """"taps" over the legend's column."""
        x = self._legend_x + 0.5
        y = self._legend_y + 1 + LABEL_GAP / 2
        half = text_width("taps", LEGEND_SIZE) / 2
        height = LEGEND_SIZE * 1.2 / 72 / CELL_INCHES
        return Annotation(x, y, "taps", {"fontsize": LEGEND_SIZE, "ha": "center",
                                         "va": "bottom"},
                          Extent(x - half, x + half, y, y + height))

    def texts(self) -> list[Text]:
        """New Text artists: the legend's title, the labels and the caption."""
        return text_artists((self._title, *self._annotations), self.style)

    # ------------------------------------------------------------------ hotspots

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette): the shades of the
        counts too, and the numbers."""
        return style_inks(self.style).plus(fills=self.shades,
                                           strokes=((self.style.text_color, TEXT_LEVELS),))

    def hotspots(self, step: ScatterStep) -> StepHotspots:
        """The input unit of the step, and the output cells its kernel touches (the cells
        the padding crops are ``"pad"``, indexed in the uncropped region)."""
        unit = Hotspot("input", step.input_index,
                       polygon(cell_square(*self.input_corner(step.input_index))))
        linked = []
        for tap in step.taps:
            square = polygon(cell_square(*self.output_corner(tap.position)))
            if tap.output_index is not None:
                linked.append(Hotspot("output", tap.output_index, square))
            else:
                region = tuple(p + b for p, b in zip(tap.position, self._before, strict=True))
                linked.append(Hotspot("pad", region, square))
        return StepHotspots(unit, tuple(linked))


__all__ = ["OverlapScene", "heat_colors", "overlap_after"]
