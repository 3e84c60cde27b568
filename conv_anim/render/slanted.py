"""The paper's arithmetic figures: input, kernel footprint and output, slanted.

A :class:`SlantedScene` describes one 2-D convolution's figure as shapes in page
coordinates (cell units), in the paper's TikZ template's order: the dashed padding
grid, the input units, the footprint's shadow and grid, the four thin connecting
lines, then the raised output grid with the current cell shaded. The static shapes
never change; :meth:`SlantedScene.moving` gives those of one step.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.geometry import ConvSpec, Step
from conv_anim.render.base import (
    CELL_INCHES,
    DASHED,
    MARK_ALPHA,
    POINT,
    THICK,
    THIN,
    Z_CONNECTORS,
    Z_INPUT,
    Z_OUTPUT,
    Extent,
    Hotspot,
    Index,
    StepHotspots,
    polygon,
    rgba,
)
from conv_anim.render.grids import (
    CellEdges,
    ConvexOccluder,
    cell_quads,
    convex_overlap,
    footprint_fill,
    footprint_grid,
    grid_outline,
    input_shapes,
    lattice_lines,
    outside,
    project,
    slanted_lattice,
    unit_mask,
)
from conv_anim.render.labels import place_annotations, resolve_caption, text_artists
from conv_anim.render.palette import Inks, style_inks
from conv_anim.render.shapes import (
    Shape,
    current_cell,
    footprint_shapes,
    quads_path,
    segments_path,
)
from conv_anim.style import Style

#: The template raises the output by ``rows + 1`` cells and shifts it left by 5 pt.
OUTPUT_SHIFT_X = -(5 / 72) * 0.5 / CELL_INCHES
#: The published GIFs are wider and taller than the drawing and its two 10 pt borders
#: by 1.04 pixels at 150 dpi (0.5 pt; measured on all 15: any allowance from 0.46 pt
#: to 0.55 pt gives their sizes exactly), half on each side.
INK_ALLOWANCE = 0.25 * POINT


def input_hotspots(spec: ConvSpec, quads: np.ndarray) -> dict[Index, Hotspot]:
    """The hotspot of every cell of a drawn input grid, by grid position: real units
    (``"input"``, indexed in the spec's own input) and padding or inserted zeros
    (``"pad"``, indexed by grid position). ``quads`` holds the cells' polygons
    ``(*grid.size, M, 2)``."""
    grid = spec.grid
    spots = {}
    for position in np.ndindex(*grid.size):
        unit = grid.unit_index(position)
        spots[position] = (
            Hotspot("pad", position, polygon(quads[position])) if unit is None
            else Hotspot("input", unit, polygon(quads[position]))
        )
    return spots


class SlantedScene:
    """The slanted arithmetic figure of one 2-D convolution.

    Parameters
    ----------
    spec : ConvSpec
        A 2-D convolution (transposed ones are drawn as their equivalent direct one).
    style : Style
        Colours and options; ``caption=True`` writes :func:`conv_anim.notation.caption`.

    Attributes
    ----------
    static : list of Shape
        The shapes that never change.
    extent : Extent
        The page rectangle of the figure, labels and caption included.
    """

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        if spec.ndim != 2:
            raise ValueError(
                f"drawing a {spec.ndim}-D convolution is not yet supported: the slanted "
                f"view draws 2-D convolutions (input_size with 2 axes)"
            )
        self.spec = spec
        self.style = style
        self.rows, self.cols = spec.grid.size
        out_rows, out_cols = spec.output_size
        self._input_lattice = slanted_lattice(self.rows, self.cols)
        self._input_quads = cell_quads(self._input_lattice)
        out_origin = (OUTPUT_SHIFT_X, self.rows + 1.0)
        self._output_lattice = slanted_lattice(out_rows, out_cols, out_origin)
        self._output_quads = cell_quads(self._output_lattice)
        self._output_outline = grid_outline(self._output_lattice)
        self._output_occluder = ConvexOccluder(self._output_outline)
        self._connector = rgba(style.connector_color)
        self._edges = CellEdges.of(unit_mask(spec.grid))
        self._footprint_fill = footprint_fill(spec, self._input_quads)
        self._cell = quads_path(self._output_quads[0, 0])
        # Where the input and output overlap on the page, the output hides the footprint.
        overlap = convex_overlap(grid_outline(self._input_lattice), self._output_outline)
        self._footprint_clip = outside(self._output_outline[None]) if overlap else None

        self.static = self._static_shapes()
        corners = np.concatenate(
            [self._input_lattice.reshape(-1, 2), self._output_lattice.reshape(-1, 2)]
        )
        out_top, in_bottom = self._output_lattice[0, -1], self._input_lattice[-1, 0]
        self._annotations = place_annotations(
            style, Extent.around(corners),
            [(notation.grid_label("output", spec.output_size), (out_top[0], out_top[1]), True),
             (notation.grid_label("input", spec.input_size), (in_bottom[0], in_bottom[1]), False)],
            resolve_caption(style, notation.caption(spec)),
            notation.legend(spec, uncovered=style.mark_uncovered),
        )
        self.extent = Extent.around(corners, (item.box for item in self._annotations)).grown(
            INK_ALLOWANCE
        )

    def _static_shapes(self) -> list[Shape]:
        style, line = self.style, rgba(self.style.line_color)
        units = np.array(self.spec.grid.unit_positions())
        shapes = input_shapes(self._edges, self._input_quads[units[:, 0], units[:, 1]], project,
                              dashes=DASHED, face=rgba(style.input_color), edge=line,
                              zorder=Z_INPUT)
        if style.mark_uncovered and self.spec.uncovered_positions():
            cells = np.array(self.spec.uncovered_positions())
            shapes.append(
                Shape(quads_path(self._input_quads[cells[:, 0], cells[:, 1]]),
                      face=rgba(style.mark_color, MARK_ALPHA), zorder=Z_INPUT)
            )
        shapes.append(
            Shape(quads_path(self._output_outline), face=rgba(style.output_color), zorder=Z_OUTPUT)
        )
        shapes.append(Shape(segments_path(lattice_lines(self._output_lattice)), edge=line,
                            linewidth=THICK, zorder=Z_OUTPUT))
        return shapes

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette)."""
        return style_inks(self.style)

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style)

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, connectors, current cell."""
        style = self.style
        r0, c0 = step.window_start
        er, ec = self.spec.effective_kernel_size
        at_window = self._input_lattice[r0, c0] - self._input_lattice[0, 0]
        grid = footprint_grid(self._edges, (r0, c0), (er, ec), project)
        shapes = footprint_shapes(self._footprint_fill, grid, style,
                                  (float(at_window[0]), float(at_window[1])),
                                  clip=self._footprint_clip, grid_offset=(0.0, 0.0))
        orow, ocol = step.output_index
        if style.connectors:
            corners = self._input_lattice[[r0 + er, r0 + er, r0, r0], [c0, c0 + ec, c0 + ec, c0]]
            cell = self._output_quads[orow, ocol]
            visible = self._output_occluder.visible_part(np.stack([corners, cell], axis=1))
            shapes.append(
                Shape(segments_path(visible), edge=self._connector,
                      linewidth=THIN, zorder=Z_CONNECTORS)
            )
        at_cell = self._output_lattice[orow, ocol] - self._output_lattice[0, 0]
        shapes.append(current_cell(self._cell, style, (float(at_cell[0]), float(at_cell[1]))))
        return shapes

    @cached_property
    def _input_spots(self) -> dict[Index, Hotspot]:
        return input_hotspots(self.spec, self._input_quads)

    def hotspots(self, step: Step) -> StepHotspots:
        """The output cell the step computes, and every input cell its taps read."""
        output = Hotspot("output", step.output_index,
                         polygon(self._output_quads[step.output_index]))
        return StepHotspots(output, tuple(self._input_spots[p] for p in step.positions))


__all__ = ["SlantedScene", "input_hotspots"]
