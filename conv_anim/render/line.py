"""1-D convolutions (audio, sequences), drawn flat: a row of input cells and the output above.

A :class:`LineScene` draws one 1-D convolution in the paper's colours and line
styles: the input row (padding and a transposed convolution's inserted zeros are
dashed empty cells), the kernel's footprint shaded over its taps (with dilation,
only the taps), the output row above it, centred, with the current cell shaded,
and two thin lines joining the footprint's ends to the output cell. Long rows get
narrower cells so that the figure keeps a sensible width. It has
:class:`~conv_anim.render.slanted.SlantedScene`'s interface (``static``,
``moving(step)``, ``texts()``, ``extent``), so the canvas functions draw it alike.
:class:`NumericLineScene` adds the numbers, as the 2-D numerical figure writes them.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
from matplotlib.path import Path
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.geometry import ConvSpec, Step
from conv_anim.render.base import (
    DASHED,
    MARK_ALPHA,
    POINT,
    THICK,
    THIN,
    Z_CONNECTORS,
    Z_CURRENT,
    Z_FOOTPRINT,
    Z_INPUT,
    Z_OUTPUT,
    Z_TEXT,
    Extent,
    Hotspot,
    Index,
    StepHotspots,
    polygon,
    rgba,
)
from conv_anim.render.grids import (
    CellEdges,
    footprint_grid,
    input_shapes,
    quad_centre,
    row_quads,
    unit_mask,
)
from conv_anim.render.labels import place_annotations, resolve_caption, text_artists
from conv_anim.render.numbers import (
    MATH_TEXTS,
    SMALL_SIZE,
    SYMBOL_FIT_WIDTH,
    VALUE_SIZE,
    WEIGHT_AT,
    CellText,
    fitted_size,
    pad_text,
    text_path,
    text_width_cells,
    value_height,
)
from conv_anim.render.numerals import write_figure
from conv_anim.render.palette import Inks, numbers_inks, style_inks
from conv_anim.render.shapes import Shape, current_cell, footprint_shapes, quads_path, segments_path
from conv_anim.style import Style
from conv_anim.values import Numbers

#: Widest the input row is drawn, in cell units (about 710 pixels at scale 1): longer
#: rows get narrower cells.
MAX_ROW_WIDTH = 24.0
#: Vertical gap between the input row and the output row, in cell units.
ROW_GAP = 2.0
#: The max-pooling winner's outline (as the 2-D numerical figure's): width in points
#: and inset from the cell's edge.
WINNER_WIDTH = 1.2
WINNER_INSET = (THICK / 2 + WINNER_WIDTH / 2 + 0.6) * POINT
#: Stacking order of a numerical figure's numbers among the arithmetic layers.
Z_INPUT_TEXT = (Z_INPUT + Z_FOOTPRINT) / 2
Z_WEIGHTS = Z_FOOTPRINT + 0.25
Z_WINNER = Z_FOOTPRINT + 0.5
Z_OUTPUT_TEXT = (Z_OUTPUT + Z_CURRENT) / 2
Z_CURRENT_TEXT = (Z_CURRENT + Z_TEXT) / 2


class LineScene:
    """The flat arithmetic figure of one 1-D convolution.

    Parameters
    ----------
    spec : ConvSpec
        A 1-D convolution (``input_size`` with one axis). A transposed one is drawn
        as its equivalent direct convolution: the stretched input, its inserted
        zeros and padding as dashed empty cells.
    style : Style
        Colours and options (``connectors``, ``labels``, ``caption``,
        ``mark_uncovered``).

    Attributes
    ----------
    cell : float
        A cell's side in page units: 1, or less for rows longer than
        ``max_row_width`` (:data:`MAX_ROW_WIDTH`) cells.
    static : list of Shape
        The shapes that never change: input row, marks, output row.
    extent : Extent
        The page rectangle of the figure, labels and caption included.
    """

    #: Widest the input row is drawn, in page units.
    max_row_width: float = MAX_ROW_WIDTH

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        if spec.ndim != 1:
            raise ValueError(
                f"LineScene draws 1-D convolutions, got a {spec.ndim}-D one "
                f"(input_size={spec.input_size}): use SlantedScene for 2-D, VolumeScene for 3-D"
            )
        self.spec = spec
        self.style = style
        (self.size,) = spec.grid.size
        (out_size,) = spec.output_size
        self.cell = min(1.0, self.max_row_width / self.size)
        self._input_quads = row_quads(self.size, (0.0, 0.0), self.cell)
        self._output_origin = ((self.size - out_size) * self.cell / 2, self.cell + ROW_GAP)
        self._output_quads = row_quads(out_size, self._output_origin, self.cell)
        self._line = rgba(style.line_color)

        (dilation,) = spec.dilation
        (span,) = spec.effective_kernel_size
        self._footprint_fill = quads_path(self._input_quads[:span:dilation])
        self._edges = CellEdges.of(unit_mask(spec.grid)[None])
        self._cell_path = quads_path(self._output_quads[0])

        self.static = self._static_shapes()
        corners = np.concatenate([self._input_quads, self._output_quads]).reshape(-1, 2)
        grids = Extent.around(corners)
        out_right = self._output_origin[0] + out_size * self.cell
        self._annotations = place_annotations(
            style, grids,
            [(notation.grid_label("output", spec.output_size),
              ((self._output_origin[0] + out_right) / 2, grids.y1), True),
             (notation.grid_label("input", spec.input_size),
              ((grids.x0 + grids.x1) / 2, grids.y0), False)],
            resolve_caption(style, self._caption(), *self._notes()),
            notation.legend(spec, self._op, uncovered=style.mark_uncovered),
        )
        self.extent = Extent.around(corners, (item.box for item in self._annotations))

    def _caption(self) -> str:
        return notation.caption(self.spec)

    def _notes(self) -> tuple[str | None, ...]:
        """What the caption must say besides the caption asked for."""
        return ()

    @property
    def _op(self) -> str:
        """What the figure computes: ``"conv"``, or a numerical figure's operation."""
        return "conv"

    def _static_shapes(self) -> list[Shape]:
        style, line, spec = self.style, self._line, self.spec
        units = [position for (position,) in spec.grid.unit_positions()]
        dashes = (DASHED[0] * self.cell, DASHED[1] * self.cell)
        shapes = input_shapes(self._edges, self._input_quads[units], self._place, dashes=dashes,
                              face=rgba(style.input_color), edge=line, zorder=Z_INPUT)
        uncovered = [position for (position,) in spec.uncovered_positions()]
        if style.mark_uncovered and uncovered:
            shapes.append(Shape(quads_path(self._input_quads[uncovered]),
                                face=rgba(style.mark_color, MARK_ALPHA), zorder=Z_INPUT))
        shapes.append(Shape(quads_path(self._output_quads),
                            face=rgba(style.output_color), edge=line, linewidth=THICK,
                            zorder=Z_OUTPUT))
        return shapes

    def _place(self, points: np.ndarray) -> np.ndarray:
        """Plane points of the input row (cells of side 1) on the page."""
        return np.asarray(points, dtype=float) * self.cell

    def input_centre(self, position: tuple[int, ...]) -> tuple[float, float]:
        """Page point at the centre of the drawn input cell at grid ``position``."""
        return quad_centre(self._input_quads[position[0]])

    def output_centre(self, index: tuple[int, ...]) -> tuple[float, float]:
        """Page point at the centre of the output cell ``index``."""
        return quad_centre(self._output_quads[index[0]])

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette)."""
        return style_inks(self.style)

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style)

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, connectors, current cell."""
        style, cell = self.style, self.cell
        (start,) = step.window_start
        (output,) = step.output_index
        (span,) = self.spec.effective_kernel_size
        grid = footprint_grid(self._edges, (0, start), (1, span), self._place)
        shapes = footprint_shapes(self._footprint_fill, grid, style, (start * cell, 0.0),
                                  grid_offset=(0.0, 0.0))
        shapes += self._over_footprint(step)
        bl, br, _, _ = self._output_quads[output]
        if style.connectors:
            ends = np.array([[[start * cell, cell], bl], [[(start + span) * cell, cell], br]])
            shapes.append(Shape(segments_path(ends), edge=rgba(style.connector_color),
                                linewidth=THIN, zorder=Z_CONNECTORS))
        shapes.append(current_cell(self._cell_path, style, (output * cell, 0.0)))
        return shapes

    def _over_footprint(self, step: Step) -> list[Shape]:
        """Shapes of a step drawn over the footprint, under the connectors."""
        return []

    @cached_property
    def _input_spots(self) -> dict[Index, Hotspot]:
        grid, spots = self.spec.grid, dict[Index, Hotspot]()
        for position in range(self.size):
            unit = grid.unit_index((position,))
            square = polygon(self._input_quads[position])
            spots[(position,)] = (Hotspot("pad", (position,), square) if unit is None
                                  else Hotspot("input", unit, square))
        return spots

    def hotspots(self, step: Step) -> StepHotspots:
        """The output cell the step computes, and every input cell its taps read."""
        output = Hotspot("output", step.output_index,
                         polygon(self._output_quads[step.output_index[0]]))
        return StepHotspots(output, tuple(self._input_spots[p] for p in step.positions))


class NumericLineScene(LineScene):
    """The numerical figure of one 1-D convolution or pooling: the row with its values.

    :class:`LineScene`'s figure with numbers written as the 2-D numerical figure
    writes them (:class:`~conv_anim.render.flat.FlatScene`): a value in every input
    cell (padding and inserted zeros show 0), the kernel's weights small in the
    lower-right of the footprint's cells, the output values, and for max pooling
    the winning input unit outlined (``style.mark_winners``).

    Parameters
    ----------
    spec : ConvSpec
        A 1-D convolution.
    style : Style
        Colours and options.
    numbers : Numbers
        The values, kernel, operation and output.
    progressive : bool
        If True, each output value appears at the step that computes it; if False
        every output value is shown from the first frame.
    """

    #: Numbers need full-size cells: long rows make wide figures.
    max_row_width = math.inf

    def __init__(
        self, spec: ConvSpec, style: Style, numbers: Numbers, progressive: bool = False
    ) -> None:
        self.numbers = numbers
        self._written = write_figure(numbers.values, numbers.kernel, numbers.output,
                                     paper=style.number_style == "paper")
        super().__init__(spec, style)
        self.progressive = progressive
        self._text = rgba(style.text_color)
        self._weights = self._weight_texts()
        self._weights_path = text_path(self._weights)[0] if self._weights else None
        self._outputs = self._output_texts()
        self._outputs_path, self._output_starts = text_path(self._outputs)
        self.static = self.static + self._number_shapes()

    def _caption(self) -> str:
        convention = self._written.convention
        caption = notation.caption(self.spec, self.numbers.op)
        return f"{caption}\n{convention}" if convention else caption

    def _notes(self) -> tuple[str | None, ...]:
        return self._written.note, notation.WINNERS_NOTE if self._marks_winners else None

    @property
    def _marks_winners(self) -> bool:
        return self.numbers.op == "max" and self.style.mark_winners

    @property
    def _op(self) -> str:
        return self.numbers.op

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette): the numbers too, and
        the max-pooling mark when drawn."""
        return numbers_inks(self.style, self._marks_winners)

    def _input_texts(self) -> tuple[CellText, ...]:
        """One text per input cell: the values, and what padding and inserted zeros
        hold (0; for max pooling the padding holds -inf). They go up, clear of the
        kernel weights, if these would reach under them (as in the 2-D figure)."""
        grid, written = self.spec.grid, self._written.values
        strings = [
            written.texts[index[0]] if (index := grid.unit_index((position,))) is not None
            else pad_text(self.numbers.op) for position in range(self.size)
        ]
        numbers = [text for text in strings if text not in MATH_TEXTS]
        size = written.size
        symbol_size = min(size, fitted_size(list(MATH_TEXTS), VALUE_SIZE, SYMBOL_FIT_WIDTH))
        middle = value_height(numbers, size, [w.text for w in self._weights],
                              self._weight_size, self._weight_right, self.cell)
        lift = middle - self.cell / 2  # above the cell's centre
        texts = []
        for position, text in enumerate(strings):
            x, y = quad_centre(self._input_quads[position])
            texts.append(CellText(text, "input", (position,), x, y + lift,
                                  symbol_size if text in MATH_TEXTS else size))
        return tuple(texts)

    def _output_texts(self) -> tuple[CellText, ...]:
        """One text per output cell, in step order."""
        written = self._written.outputs
        return tuple(
            CellText(text, "output", (o,), *quad_centre(self._output_quads[o]), written.size)
            for o, text in enumerate(written.texts)
        )

    def _weight_texts(self) -> tuple[CellText, ...]:
        """The kernel weights over the first step's footprint, right-aligned where a
        single digit centred at the template's weight position would end."""
        written = self._written.weights
        self._weight_size = SMALL_SIZE
        self._weight_right = WEIGHT_AT[0] + text_width_cells("0", SMALL_SIZE) / 2
        if written is None:
            return ()
        taps = self.spec.steps()[0].taps
        strings = [written.texts[tap.kernel_index[0]] for tap in taps]
        size = written.size
        right = WEIGHT_AT[0] * self.cell + text_width_cells("0", size) / 2
        self._weight_size, self._weight_right = size, right
        return tuple(
            CellText(text, "kernel", tap.position, tap.position[0] * self.cell + right,
                     WEIGHT_AT[1] * self.cell, size, "right")
            for text, tap in zip(strings, taps, strict=True)
        )

    def _over_footprint(self, step: Step) -> list[Shape]:
        """The kernel weights and the max-pooling winners (each one, when tied)."""
        shapes = []
        if self._weights_path is not None:
            shapes.append(Shape(self._weights_path, face=self._text, zorder=Z_WEIGHTS,
                                numbers=self._weights,
                                offset=(step.window_start[0] * self.cell, 0.0)))
        if self._marks_winners:
            squares = []
            for unit in self.numbers.maxima(step):
                (position,) = self.spec.grid.unit_position(unit)
                (x0, y0), _, (x1, y1), _ = self._input_quads[position]
                inset = WINNER_INSET
                squares.append([[x0 + inset, y0 + inset], [x1 - inset, y0 + inset],
                                [x1 - inset, y1 - inset], [x0 + inset, y1 - inset]])
            shapes.append(Shape(quads_path(np.array(squares)), edge=rgba(self.style.mark_color),
                                linewidth=WINNER_WIDTH, zorder=Z_WINNER))
        return shapes

    def _number_shapes(self) -> list[Shape]:
        inputs = self._input_texts()
        shapes = [Shape(text_path(inputs)[0], face=self._text, zorder=Z_INPUT_TEXT,
                        numbers=inputs)]
        if not self.progressive:
            shapes.append(Shape(self._outputs_path, face=self._text, zorder=Z_OUTPUT_TEXT,
                                numbers=self._outputs))
        return shapes

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, kernel weights, the
        max-pooling winner, connectors, the current output cell and the output
        value(s) over it."""
        shapes = super().moving(step)
        first = 0 if self.progressive else self._output_starts[step.index]
        end = self._output_starts[step.index + 1]
        values = Path(np.asarray(self._outputs_path.vertices)[first:end],
                      np.asarray(self._outputs_path.codes)[first:end])
        shown = self._outputs[0 if self.progressive else step.index:step.index + 1]
        shapes.append(Shape(values, face=self._text, zorder=Z_CURRENT_TEXT, numbers=shown))
        return shapes


__all__ = ["LineScene", "NumericLineScene"]
