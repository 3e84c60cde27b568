"""A transposed convolution's other view: each input unit scatters the kernel into the output.

The paper draws a transposed convolution as its equivalent direct convolution
(zeros inserted between the input units, the flipped kernel sliding with stride 1:
:class:`~conv_anim.render.flat.FlatScene`). Distill's "Deconvolution and
Checkerboard Artifacts" and d2l draw the same operation the other way round, as
``torch.nn.functional.conv_transpose2d`` computes it: input unit ``j`` multiplies
the whole kernel and adds it into the output at offset ``j * stride - padding``,
where the contributions of neighbouring units overlap and accumulate.

A :class:`ScatterScene` animates that view, one frame per input unit (row-major):
the input with its values and the kernel with its weights on the left, the output
on the right with its running sums. At each frame the current input unit is
shaded, and so is its footprint in the output, each cell of which shows the
product ``x[j] * w[k]`` small in its lower right. The output is drawn inside the
full, uncropped result of the scatter: the cells that the padding crops away are
dashed, as the paper draws padding, so the kernel always appears whole. It has
:class:`~conv_anim.render.flat.FlatScene`'s interface (``static``,
``moving(step)``, ``texts()``, ``extent``); its steps are :func:`scatter_steps`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.numerics import finite_result
from conv_anim.render.base import (
    DASHED,
    RGBA,
    THICK,
    Extent,
    Hotspot,
    Index,
    StepHotspots,
    polygon,
    rgba,
)
from conv_anim.render.grids import (
    CellEdges,
    cell_centre,
    cell_square,
    footprint_grid,
    grid_lines,
    plane,
    plane_size,
)
from conv_anim.render.labels import Label, place_annotations, resolve_caption, text_artists
from conv_anim.render.numbers import (
    FIT_WIDTH,
    NODE_MARGIN,
    SMALL_SIZE,
    VALUE_SIZE,
    WEIGHT_AT,
    WEIGHT_FIT_WIDTH,
    CellText,
    numbers_path,
    text_path,
    text_width_cells,
)
from conv_anim.render.numerals import SMALLEST_WEIGHT, Written, rounding_note, write_numbers
from conv_anim.render.palette import TEXT_LEVELS, Inks, style_inks
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.steps import ScatterStep, check_transposed, scatter_steps
from conv_anim.style import Style
from conv_anim.values import Numbers

#: Gap between the input and the kernel below it (wider with labels, to hold the
#: input's), and between them and the output, in cells.
KERNEL_GAP = 1.0
LABELLED_KERNEL_GAP = 2.0
OUTPUT_GAP = 1.0
#: The products written in the output cells: legible, yet smaller than the running
#: sums they add to (points, and at most this fraction of the sums' size).
PRODUCT_SIZE = 6.0
PRODUCT_RATIO = 0.75
#: Stacking order of the layers.
(Z_GRIDS, Z_CELLS, Z_VALUES, Z_UNIT, Z_FOOTPRINT, Z_PRODUCTS, Z_SUMS) = range(1, 8)


def scatter_sums(spec: ConvSpec, values: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The output as it accumulates: after each step, the sum of the contributions so far.

    Computed by scattering, independently of :meth:`ConvSpec.apply` (which gathers):
    the last row equals ``spec.apply(values, kernel)``.

    Parameters
    ----------
    spec : ConvSpec
        A transposed convolution without channels.
    values, kernel : numpy.ndarray
        The input (``spec.input_size``) and the weights (``spec.kernel_size``).

    Returns
    -------
    numpy.ndarray of float64, shape ``(steps, *spec.output_size)``
        Row ``j`` is the output after input units ``0 .. j`` have added their products.

    Examples
    --------
    >>> spec = ConvSpec((2,), 3, transposed=True)
    >>> scatter_sums(spec, np.array([1.0, 10.0]), np.array([1.0, 2.0, 3.0]))
    array([[ 1.,  2.,  3.,  0.],
           [ 1., 12., 23., 30.]])
    """
    steps = scatter_steps(spec)
    contributions = np.zeros((len(steps), *spec.output_size))
    for step in steps:
        for tap in step.taps:
            if tap.output_index is not None:
                cell = (step.index, *tap.output_index)
                contributions[cell] += (
                    values[step.input_index] * kernel[tap.kernel_index]
                )
    return np.cumsum(contributions, axis=0)


class ScatterScene:
    """The scatter view of one 1-D or 2-D transposed convolution with values.

    Parameters
    ----------
    spec : ConvSpec
        A transposed convolution over 1 or 2 axes, without channels.
    style : Style
        Colours and options (``labels`` writes "input", "kernel" and "output";
        ``caption=True`` gives the parameters and says what the view shows).
    numbers : Numbers
        The values, kernel and output, with ``op="conv"``.

    Raises
    ------
    ValueError
        If the spec is not transposed, has 3 axes or channels, or ``numbers.op`` is
        not ``"conv"``.

    Attributes
    ----------
    steps : tuple of ScatterStep
        The frames' steps, one per input unit.
    sums : numpy.ndarray
        The accumulated output after each step, :func:`scatter_sums`.
    written_inputs, written_weights : Written
        The input's values and the kernel's weights as the figure writes them.
    product_text : dict of float to str
        How the figure writes each product of a value and a weight.
    """

    def __init__(self, spec: ConvSpec, style: Style, numbers: Numbers) -> None:
        check_transposed(spec)
        if spec.ndim not in (1, 2) or spec.has_channels:
            raise ParameterError(
                f"spec={spec!r} is not valid for the scatter view: expected 1 or 2 spatial "
                f"axes (got {spec.ndim}) and no channels (got in_channels="
                f"{spec.in_channels}, out_channels={spec.out_channels})",
                parameter="spec", value=spec, allowed="1 or 2 spatial axes and no channels",
            )
        if numbers.op != "conv" or numbers.kernel is None:
            raise ParameterError(
                f"op={numbers.op!r} is not valid for the scatter view: expected op='conv' "
                f"with a kernel",
                parameter="op", value=numbers.op, allowed="'conv'",
            )
        self.spec = spec
        self.style = style
        self.numbers = numbers
        self.steps = scatter_steps(spec)
        self._kernel_values: np.ndarray = numbers.kernel
        # Every product is written, the padding's cropped ones too, and every running sum:
        # finite inputs that overflow there are refused, as apply() refuses its output.
        with np.errstate(over="ignore", invalid="ignore"):
            every_product = np.multiply.outer(numbers.values, numbers.kernel)
            self.sums = scatter_sums(spec, numbers.values, numbers.kernel)
        finite_result(every_product, "values and kernel", "values")
        finite_result(self.sums, "the running sums of values and kernel", "values")
        self._line = rgba(style.line_color)
        self._text = rgba(style.text_color)
        self._shadow = rgba(style.shadow_color, style.shadow_alpha)
        self._layout()
        region = np.zeros(self._region, dtype=bool)
        region[-self._lo[0]:-self._lo[0] + self._output[0],
               -self._lo[1]:-self._lo[1] + self._output[1]] = True
        self._region_edges = CellEdges.of(region)
        # One way of writing for all the running sums, one for all the products.
        paper = style.number_style == "paper"
        self.written_inputs = write_numbers(numbers.values, VALUE_SIZE, FIT_WIDTH)
        self.written_weights = write_numbers(numbers.kernel, VALUE_SIZE, FIT_WIDTH)
        sums = np.unique(self.sums)
        written_sums = (write_numbers(sums, SMALL_SIZE, FIT_WIDTH, decimals=1) if paper
                        else write_numbers(sums, VALUE_SIZE, FIT_WIDTH))
        products = np.unique(every_product)
        written_products = write_numbers(
            products, min(PRODUCT_SIZE, PRODUCT_RATIO * written_sums.size), WEIGHT_FIT_WIDTH,
            smallest=SMALLEST_WEIGHT,
        )
        self._sum_text = dict(zip(sums.tolist(), written_sums.texts, strict=True))
        self.product_text = dict(zip(products.tolist(), written_products.texts, strict=True))
        self._sum_size, self._product_size = written_sums.size, written_products.size
        self._note = rounding_note([
            ("values", self.written_inputs), ("weights", self.written_weights),
            ("products", written_products), ("sums", written_sums),
        ])
        self.static = self._static_shapes()
        grids = Extent(
            -NODE_MARGIN, self._output_x + self._region[1] + NODE_MARGIN,
            min(self._kernel_y, self._output_y) - NODE_MARGIN,
            max(self._input_y + self._input[0], self._output_y + self._region[0]) + NODE_MARGIN,
        )
        self._annotations = place_annotations(
            style, grids, self._labels(),
            resolve_caption(style, notation.scatter_caption(spec), self._note),
            notation.scatter_legend(spec),
        )
        self.extent = grids.union(item.box for item in self._annotations)

    # ------------------------------------------------------------------ layout

    def _layout(self) -> None:
        """Place the grids: input above kernel on the left, the output region on the right.

        The output region is the uncropped scatter result (and the output padding)
        around the output; its first cell is output coordinate ``self._lo``.
        """
        spec = self.spec
        self._input = plane_size(spec.input_size)
        self._kernel = plane_size(spec.kernel_size)
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
        gap = LABELLED_KERNEL_GAP if self.style.labels else KERNEL_GAP
        left = self._input[0] + gap + self._kernel[0]
        right = self._region[0]
        # The shorter side is centred on the taller, by whole cells.
        self._output_y = float(max(0, (left - right) // 2))
        self._kernel_y = float(max(0, (right - left) // 2))
        self._input_y = self._kernel_y + self._kernel[0] + gap
        self._output_x = max(self._input[1], self._kernel[1]) + OUTPUT_GAP
        self._kernel_x = (max(self._input[1], self._kernel[1]) - self._kernel[1]) // 2
        self._input_x = (max(self._input[1], self._kernel[1]) - self._input[1]) // 2

    def _place(self, points: np.ndarray) -> np.ndarray:
        """Plane points of the output region (its cells of side 1) on the page."""
        page: np.ndarray = np.asarray(points, dtype=float) + (self._output_x, self._output_y)
        return page

    def input_corner(self, index: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of input unit ``index``."""
        r, c = plane(index)
        return self._input_x + c, self._input_y + self._input[0] - 1 - r

    def kernel_corner(self, index: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of the kernel weight ``index``."""
        r, c = plane(index)
        return self._kernel_x + c, self._kernel_y + self._kernel[0] - 1 - r

    def output_corner(self, position: Index) -> tuple[float, float]:
        """Page position of the bottom-left corner of output position ``position``
        (output coordinates; cropped positions lie in the dashed margin)."""
        r, c = plane(position)
        row, col = r - self._lo[0], c - self._lo[1]
        return self._output_x + col, self._output_y + self._region[0] - 1 - row

    # ------------------------------------------------------------------ numbers

    def _values(self, written: Written, shape: Index,
                corner: Callable[[Index], tuple[float, float]], grid: str
                ) -> tuple[CellText, ...]:
        """Every number of a grid of ``shape`` (written in C order) centred in its cell."""
        cells = list(itertools.product(*(range(n) for n in shape)))
        return tuple(
            CellText(text, grid, cell, *cell_centre(corner(cell)), written.size)
            for text, cell in zip(written.texts, cells, strict=True)
        )

    def shown(self, step: ScatterStep) -> tuple[CellText, ...]:
        """The numbers that change at a step: the products (grid ``"kernel"``, one per
        tap, cropped ones included) and the running sums (grid ``"output"``)."""
        x = self.numbers.values[step.input_index]
        kernel = self._kernel_values
        right = WEIGHT_AT[0] + text_width_cells("0", self._product_size) / 2
        products = []
        for tap in step.taps:
            cx, cy = self.output_corner(tap.position)
            text = self.product_text[float(x * kernel[tap.kernel_index])]
            products.append(CellText(text, "kernel", tap.position, cx + right,
                                     cy + WEIGHT_AT[1], self._product_size, "right"))
        sums = self.sums[step.index]
        return tuple(products) + tuple(
            CellText(self._sum_text[float(sums[cell])], "output", cell,
                     *cell_centre(self.output_corner(cell)), self._sum_size)
            for cell in itertools.product(*(range(n) for n in self.spec.output_size))
        )

    # ------------------------------------------------------------------ shapes

    def _static_shapes(self) -> list[Shape]:
        style, line = self.style, self._line
        numbers = self.numbers
        inputs = self._values(self.written_inputs, numbers.values.shape, self.input_corner, "input")
        weights = self._values(self.written_weights, self._kernel_values.shape, self.kernel_corner,
                               "kernel")
        rows, cols = self._region
        # The output's bottom-left corner: its first cell's corner, down all its rows.
        ox, oy = self.output_corner((0,) * self.spec.ndim)
        bottom = oy + 1 - self._output[0]
        return [
            Shape(segments_path(self._region_edges.dashed(self._place, DASHED)),
                  edge=line, linewidth=THICK, zorder=Z_GRIDS),
            *self._block(self._input, (self._input_x, self._input_y), rgba(style.input_color)),
            *self._block(self._kernel, (self._kernel_x, self._kernel_y), self._shadow),
            *self._block(self._output, (ox, bottom), rgba(style.output_color)),
            Shape(text_path(inputs + weights)[0], face=self._text, zorder=Z_VALUES,
                  numbers=inputs + weights),
        ]

    def _block(self, shape: tuple[int, int], origin: tuple[float, float],
               face: RGBA) -> list[Shape]:
        """A filled grid of ``shape`` cells, bottom-left corner at ``origin``."""
        (rows, cols), (x, y) = shape, origin
        outline = np.array([[x, y], [x + cols, y], [x + cols, y + rows], [x, y + rows]])
        return [
            Shape(quads_path(outline), face=face, zorder=Z_CELLS),
            Shape(segments_path(grid_lines(rows, cols, origin)), edge=self._line,
                  linewidth=THICK, zorder=Z_CELLS),
        ]

    def moving(self, step: ScatterStep) -> list[Shape]:
        """The shapes of one step, in drawing order: the current input unit, its
        footprint in the output, the products over it and the running sums."""
        unit = cell_square(*self.input_corner(step.input_index))
        taps = np.array([cell_square(*self.output_corner(t.position)) for t in step.taps])
        er, ec = plane_size(self.spec.effective_kernel_size)
        r0, c0 = plane(step.window_start)
        window = footprint_grid(self._region_edges, (r0 - self._lo[0], c0 - self._lo[1]),
                                (er, ec), self._place)
        products: list[CellText] = []
        sums: list[CellText] = []
        for item in self.shown(step):
            (products if item.grid == "kernel" else sums).append(item)
        return [
            Shape(quads_path(unit), face=self._shadow, zorder=Z_UNIT),
            Shape(quads_path(taps), face=self._shadow, zorder=Z_FOOTPRINT),
            *([Shape(window, edge=self._line, linewidth=THICK, zorder=Z_FOOTPRINT)]
              if np.asarray(window.vertices).size else []),
            Shape(numbers_path(products), face=self._text, zorder=Z_PRODUCTS,
                  numbers=tuple(products)),
            Shape(numbers_path(sums), face=self._text, zorder=Z_SUMS, numbers=tuple(sums)),
        ]

    # ------------------------------------------------------------------ annotations

    def _labels(self) -> list[Label]:
        """Each grid's label, centred under it."""
        spec = self.spec
        return [
            (notation.grid_label("input", spec.input_size),
             (self._input_x + self._input[1] / 2, self._input_y), False),
            (notation.grid_label("kernel", spec.kernel_size),
             (self._kernel_x + self._kernel[1] / 2, self._kernel_y), False),
            (notation.grid_label("output", spec.output_size),
             (self._output_x + self._region[1] / 2, self._output_y), False),
        ]

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette), the numbers too."""
        return style_inks(self.style).plus(strokes=((self.style.text_color, TEXT_LEVELS),))

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style)


    def hotspots(self, step: ScatterStep) -> StepHotspots:
        """The input unit that scatters at the step, and the output cells it adds into
        (the cells the padding crops are ``"pad"``, indexed in the uncropped region)."""
        unit = Hotspot("input", step.input_index,
                       polygon(cell_square(*self.input_corner(step.input_index))))
        linked = []
        for tap in step.taps:
            square = polygon(cell_square(*self.output_corner(tap.position)))
            if tap.output_index is not None:
                linked.append(Hotspot("output", tap.output_index, square))
            else:
                region = tuple(p + b for p, b in
                               zip(tap.position, self._before, strict=True))
                linked.append(Hotspot("pad", region, square))
        return StepHotspots(unit, tuple(linked))


__all__ = ["ScatterScene", "scatter_sums"]
