"""The paper's numerical figures: input, kernel and output with their values, flat.

A :class:`FlatScene` draws one 2-D convolution or pooling as the paper's numerical
TikZ template does: the input grid on the left with a value in every cell (padding
and inserted zeros are dashed cells showing 0, or for max pooling "−∞", as PyTorch
pads it), the kernel's footprint shaded with its weights written small in the
lower-right of each cell (the values move up when wide weights would reach under
them), and the output grid on the right, vertically centred, with its values and
the current cell shaded. Numbers are set by :mod:`conv_anim.render.numbers`.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from matplotlib.path import Path
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec, Step
from conv_anim.render.base import (
    DASHED,
    MARK_ALPHA,
    POINT,
    THICK,
    Extent,
    Hotspot,
    Index,
    StepHotspots,
    blend,
    polygon,
    rgba,
)
from conv_anim.render.grids import (
    CellEdges,
    cell_centre,
    cell_square,
    footprint_grid,
    grid_lines,
    input_shapes,
    unit_mask,
)
from conv_anim.render.labels import (
    LABEL_GAP,
    Annotation,
    caption_annotation,
    place_annotations,
    resolve_caption,
    text_artists,
)
from conv_anim.render.numbers import (
    FIT_WIDTH,
    MATH_TEXTS,
    NODE_MARGIN,
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
from conv_anim.render.numerals import write_figure, write_numbers
from conv_anim.render.palette import Inks, numbers_inks
from conv_anim.render.shapes import Shape, current_cell, footprint_shapes, quads_path, segments_path
from conv_anim.style import Style
from conv_anim.values import Numbers

#: Space between a true convolution's kernel and its flip, drawn under the figure, in
#: cells.
KERNEL_PAIR_GAP = 2.0
#: The max-pooling winner's outline: width in points and inset from the cell's edge.
WINNER_WIDTH = 1.2
WINNER_INSET = (THICK / 2 + WINNER_WIDTH / 2 + 0.6) * POINT
#: Stacking order of the layers.
(Z_INPUT, Z_INPUT_TEXT, Z_FOOTPRINT, Z_WEIGHTS, Z_WINNER,
 Z_OUTPUT, Z_OUTPUT_TEXT, Z_CURRENT, Z_CURRENT_TEXT, Z_TEXT) = range(1, 11)


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
    flip : bool
        A true convolution: ``numbers.kernel`` is the flipped kernel, which slides;
        the kernel as given and flipped are drawn under the figure.
    """

    def __init__(
        self, spec: ConvSpec, style: Style, numbers: Numbers, progressive: bool = False,
        flip: bool = False,
    ) -> None:
        if spec.ndim != 2:
            raise ParameterError(
                f"drawing a {spec.ndim}-D convolution with values is not yet supported: the "
                f"numerical view draws 1-D and 2-D convolutions (input_size={spec.input_size})",
                parameter="values", value="...", allowed="no values for a 3-D convolution",
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
        self._written = write_figure(numbers.values, numbers.kernel, numbers.output,
                                     paper=style.number_style == "paper")
        self._weights = self._make_weight_texts()
        self._input_texts = self._make_input_texts()
        self._output_texts = self._make_output_texts()
        self._weights_path = text_path(self._weights)[0] if self._weights else None
        self._outputs_path, self._output_starts = text_path(self._output_texts)
        self._edges = CellEdges.of(unit_mask(spec.grid))
        self._footprint = self._footprint_fill()
        self.static = self._static_shapes()
        ox, oy = self._output_origin
        bottom = min(0.0, oy)
        grids = Extent(
            -NODE_MARGIN, ox + out_cols + NODE_MARGIN,
            bottom - NODE_MARGIN, max(float(self.rows), oy + out_rows) + NODE_MARGIN,
        )
        # Both labels LABEL_GAP under the grids: just below the nodes' NODE_MARGIN, as wide.
        labels = place_annotations(
            style, grids,
            [(notation.grid_label("input", spec.input_size), (self.cols / 2, bottom), False),
             (notation.grid_label("output", spec.output_size), (ox + out_cols / 2, bottom),
              False)],
        )
        above = grids.union(item.box for item in labels)
        if flip and numbers.kernel is not None:
            labels += self._kernel_pair(np.flip(numbers.kernel), numbers.kernel, above)
            above = above.union(item.box for item in labels)
        self._annotations = labels + place_annotations(
            style, above, [],
            resolve_caption(style, _joined(notation.caption(spec, numbers.op),
                                           self._written.convention),
                            self._written.note, self._winners_note()),
            notation.legend(spec, numbers.op, uncovered=style.mark_uncovered),
        )
        self.extent = above.union(item.box for item in self._annotations)

    def _kernel_pair(self, kernel: np.ndarray, flipped: np.ndarray, above: Extent
                     ) -> tuple[Annotation, ...]:
        """A true convolution's kernel as given and flipped (as it slides), side by side
        and centred under ``above``: their shapes join the static ones; returns their
        names, under each."""
        rows, cols = kernel.shape
        top = above.y0 - LABEL_GAP
        middle = (above.x0 + above.x1) / 2
        names = []
        for left, values, name in (
            (middle - KERNEL_PAIR_GAP / 2 - cols, kernel, notation.KERNEL_NAME),
            (middle + KERNEL_PAIR_GAP / 2, flipped, notation.FLIPPED_NAME),
        ):
            written = write_numbers(values, VALUE_SIZE, FIT_WIDTH)
            cells = [(r, c) for r in range(rows) for c in range(cols)]
            texts = tuple(
                CellText(text, "panel", cell, left + cell[1] + 0.5, top - cell[0] - 0.5,
                         written.size)
                for text, cell in zip(written.texts, cells, strict=True)
            )
            outline = np.array([[left, top - rows], [left + cols, top - rows],
                                [left + cols, top], [left, top]])
            shadow = blend(self.style.shadow_color, self.style.shadow_alpha,
                           self.style.background_rgb)
            self.static += [
                Shape(quads_path(outline), face=shadow, zorder=Z_INPUT),
                Shape(segments_path(grid_lines(rows, cols, (left, top - rows))),
                      edge=self._line, linewidth=THICK, zorder=Z_INPUT),
                Shape(text_path(texts)[0], face=self._text, zorder=Z_INPUT_TEXT,
                      numbers=texts),
            ]
            names.append(caption_annotation(name, left + cols / 2,
                                            top - rows - LABEL_GAP / 2))
        return tuple(names)

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
        grid, written = self.spec.grid, self._written.values
        cells = [(r, c) for r in range(self.rows) for c in range(self.cols)]
        strings = [
            written.texts[_flat_index(index, self.spec.input_size)]
            if (index := grid.unit_index(cell)) is not None
            else pad_text(self.numbers.op) for cell in cells
        ]
        numbers = [text for text in strings if text not in MATH_TEXTS]
        size = written.size
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
        written = self._written.outputs
        return tuple(
            CellText(written.texts[_flat_index(step.output_index, self.spec.output_size)],
                     "output", step.output_index,
                     *cell_centre(self.output_corner(*step.output_index)), written.size)
            for step in self.spec.steps()
        )

    def _make_weight_texts(self) -> tuple[CellText, ...]:
        """The kernel weights of the first step (the footprint at the grid's corner).

        Each weight is right-aligned where the template's single digit ends, so that
        longer numbers grow to the left, away from the cell's edge (and the values go
        up if they would reach under them, :func:`value_height`).
        """
        written, kernel = self._written.weights, self.numbers.kernel
        self._weight_size = SMALL_SIZE
        self._weight_right = right = WEIGHT_AT[0] + text_width_cells("0", SMALL_SIZE) / 2
        if written is None or kernel is None:
            return ()
        taps = self.spec.steps()[0].taps
        strings = [written.texts[_flat_index(tap.kernel_index, kernel.shape)] for tap in taps]
        self._weight_size = size = written.size
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

    def _footprint_fill(self) -> Path:
        """The first step's footprint: its shaded taps."""
        taps = [cell_square(*self.input_corner(*tap.position)) for tap in self.spec.steps()[0].taps]
        return quads_path(np.array(taps))

    def _static_shapes(self) -> list[Shape]:
        style, line = self.style, self._line
        units = np.array([cell_square(*self.input_corner(*cell))
                          for cell in self.spec.grid.unit_positions()])
        shapes = input_shapes(self._edges, units, _flat, dashes=DASHED,
                              face=rgba(style.input_color), edge=line, zorder=Z_INPUT)
        uncovered = self.spec.uncovered_positions()
        if style.mark_uncovered and uncovered:
            squares = np.array([cell_square(*self.input_corner(*c)) for c in uncovered])
            shapes.append(Shape(quads_path(squares), face=rgba(style.mark_color, MARK_ALPHA),
                                zorder=Z_INPUT))
        shapes.append(
            Shape(text_path(self._input_texts)[0], face=self._text, zorder=Z_INPUT_TEXT,
                  numbers=self._input_texts)
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
                Shape(self._outputs_path, face=self._text, zorder=Z_OUTPUT_TEXT,
                      numbers=self._output_texts)
            )
        return shapes

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, kernel weights, the
        max-pooling winner, the current output cell and the output value(s) over it."""
        style = self.style
        at_window = self._window_offset(step)
        grid = footprint_grid(self._edges, step.window_start, self.spec.effective_kernel_size,
                              _flat)
        shapes = footprint_shapes(self._footprint, grid, style, at_window, zorder=Z_FOOTPRINT,
                                  grid_offset=(0.0, 0.0))
        if self._weights_path is not None:
            shapes.append(
                Shape(self._weights_path, face=self._text, zorder=Z_WEIGHTS, offset=at_window,
                      numbers=self._weights)
            )
        if self._marks_winners:
            cells = [self.spec.grid.unit_position(unit) for unit in self.numbers.maxima(step)]
            squares = np.array([cell_square(*self.input_corner(*cell), inset=WINNER_INSET)
                                for cell in cells])
            shapes.append(Shape(quads_path(squares), edge=rgba(style.mark_color),
                                linewidth=WINNER_WIDTH, zorder=Z_WINNER))
        shapes.append(current_cell(quads_path(cell_square(*self.output_corner(*step.output_index))),
                                   style, zorder=Z_CURRENT))
        # The output values shown over the current cell: a slice of the compound path.
        first = 0 if self.progressive else self._output_starts[step.index]
        end = self._output_starts[step.index + 1]
        values = Path(np.asarray(self._outputs_path.vertices)[first:end],
                      np.asarray(self._outputs_path.codes)[first:end])
        shown = self._output_texts[0 if self.progressive else step.index:step.index + 1]
        shapes.append(Shape(values, face=self._text, zorder=Z_CURRENT_TEXT, numbers=shown))
        return shapes

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette): the numbers too, and
        the max-pooling mark when drawn."""
        return numbers_inks(self.style, self._marks_winners)

    @property
    def _marks_winners(self) -> bool:
        return self.numbers.op == "max" and self.style.mark_winners

    def _winners_note(self) -> str | None:
        return notation.WINNERS_NOTE if self._marks_winners else None

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style, Z_TEXT)


    @cached_property
    def _input_spots(self) -> dict[Index, Hotspot]:
        grid, spots = self.spec.grid, {}
        for position in np.ndindex(*grid.size):
            square = polygon(cell_square(*self.input_corner(*position)))
            unit = grid.unit_index(position)
            spots[position] = (Hotspot("pad", position, square) if unit is None
                               else Hotspot("input", unit, square))
        return spots

    def hotspots(self, step: Step) -> StepHotspots:
        """The output cell the step computes, and every input cell its taps read."""
        output = Hotspot("output", step.output_index,
                         polygon(cell_square(*self.output_corner(*step.output_index))))
        return StepHotspots(output, tuple(self._input_spots[p] for p in step.positions))


def _joined(*lines: str | None) -> str:
    """The lines given, one under the other."""
    return "\n".join(line for line in lines if line)


def _flat_index(index: tuple[int, ...], shape: tuple[int, ...]) -> int:
    """The position of ``index`` in an array of ``shape`` flattened in C order."""
    return int(np.ravel_multi_index(index, shape))


def _flat(points: np.ndarray) -> np.ndarray:
    """The input grid's plane is the page (the numerical figures are not slanted)."""
    return np.asarray(points, dtype=float)


__all__ = ["FlatScene"]
