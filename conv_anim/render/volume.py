"""3-D convolutions (video, volumes), drawn as stacks of the paper's slanted grids.

A :class:`VolumeScene` draws one 3-D convolution: each depth slice of the input
is a slanted 2-D grid as in the paper's figures (padding and a transposed
convolution's inserted zeros dashed), the slices stacked top to bottom (depth 0 on
top) with a small gap so that none hides another. The cuboid kernel's footprint is
shaded on every slice it covers (with dilation, only the taps' slices and cells),
and the output volume, a stack of cyan slices, stands to the right with the
current output cell shaded; optional thin lines join the footprint on its first
slice to the output cell's corners, passing under the output slices as the 2-D
figure's pass under its output grid. Tall volumes get smaller cells so that the figure keeps
a sensible height. It has :class:`~conv_anim.render.slanted.SlantedScene`'s
interface (``static``, ``moving(step)``, ``texts()``, ``extent``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.geometry import ConvSpec, Step
from conv_anim.render.base import (
    DASHED,
    MARK_ALPHA,
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
    SLANT,
    CellEdges,
    cell_quads,
    grid_outline,
    input_shapes,
    outside,
    project,
    quad_centre,
    slanted_grid_lines,
    slanted_lattice,
    unit_mask,
)
from conv_anim.render.labels import (
    LABEL_GAP,
    Annotation,
    place_annotations,
    resolve_caption,
    side_label,
    text_artists,
)
from conv_anim.render.palette import Inks, style_inks
from conv_anim.render.shapes import Shape, current_cell, footprint_shapes, quads_path, segments_path
from conv_anim.style import Style

#: Vertical gap between consecutive slices of a stack, in cells.
SLICE_GAP = 0.75
#: Horizontal gap between the input stack and the output stack, in cells.
STACK_GAP = 2.0
#: Tallest the input stack is drawn, in page units (about 940 pixels at scale 1):
#: taller stacks get smaller cells.
MAX_STACK_HEIGHT = 32.0
def slice_height(rows: int, cols: int) -> float:
    """Page height, in cells, of one slanted grid of ``rows`` x ``cols`` cells."""
    ys = project(np.array([[0, 0], [cols, 0], [cols, rows], [0, rows]]))[:, 1]
    return float(ys.max() - ys.min())


def slice_pitch(rows: int, cols: int) -> float:
    """Vertical distance, in cells, between consecutive slices of a stack.

    The longest vertical chord of a slanted grid, plus :data:`SLICE_GAP`: slices
    then never overlap, and wherever one lies above another the gap between them is
    at least ``SLICE_GAP``.
    """
    # A page-vertical step of 1 is a step of this vector in the grid's plane.
    step_x, step_y = np.linalg.solve(SLANT, [0.0, 1.0])
    return float(min(rows / step_y, cols / step_x)) + SLICE_GAP


def stack_height(size: tuple[int, ...]) -> float:
    """Page height, in cells, of a stack of ``size[0]`` slices of ``size[1:]`` cells."""
    depth, rows, cols = size
    return (depth - 1) * slice_pitch(rows, cols) + slice_height(rows, cols)


def stack_lattice(size: tuple[int, ...], cell: float, origin: tuple[float, float]) -> np.ndarray:
    """Page corners (depth, rows + 1, cols + 1, 2) of a stack of slanted slices.

    ``[d, r, c]`` is the top-left corner of cell ``(d, r, c)``: slice 0 is the top
    one, row 0 its far edge. ``origin`` is the bottom slice's lowest corner.
    """
    depth, rows, cols = size
    plane = slanted_lattice(rows, cols)
    pitch = slice_pitch(rows, cols)
    lift = (depth - 1 - np.arange(depth))[:, None, None, None] * np.array([0.0, pitch])
    page: np.ndarray = (plane[None] + lift) * cell + np.asarray(origin)
    return page


def lowest(lattice: np.ndarray) -> tuple[float, float]:
    """The lowest page point of a stack: its bottom slice's bottom-left corner."""
    x, y = lattice[-1, -1, 0]
    return float(x), float(y)


def slice_grids(
    lattice: np.ndarray, depths: list[int], rows: int, cols: int, cell: float
) -> np.ndarray:
    """Segments (M, 2, 2) of the grid lines of the top-left ``rows`` x ``cols`` block
    of the given slices of a stack (TikZ's ``grid`` order in each)."""
    block = slanted_grid_lines(0, 0, rows, cols, lattice.shape[1] - 1) * cell
    return np.concatenate([block + lattice[d, -1, 0] for d in depths])


class VolumeScene:
    """The arithmetic figure of one 3-D convolution: stacks of slanted slices.

    Parameters
    ----------
    spec : ConvSpec
        A 3-D convolution (``input_size`` with three axes: depth, rows, columns). A
        transposed one is drawn as its equivalent direct convolution.
    style : Style
        Colours and options (``connectors``, ``labels``, ``caption``,
        ``mark_uncovered``).

    Attributes
    ----------
    cell : float
        A cell's side in page units: 1, or less for stacks taller than
        :data:`MAX_STACK_HEIGHT`.
    static : list of Shape
        The shapes that never change: input slices, marks, output slices.
    extent : Extent
        The page rectangle of the figure, labels and caption included.
    """

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        if spec.ndim != 3:
            raise ValueError(
                f"VolumeScene draws 3-D convolutions, got a {spec.ndim}-D one "
                f"(input_size={spec.input_size}): use LineScene for 1-D, SlantedScene for 2-D"
            )
        self.spec = spec
        self.style = style
        size, out_size = spec.grid.size, spec.output_size
        in_height, out_height = stack_height(size), stack_height(out_size)
        self.cell = cell = min(1.0, MAX_STACK_HEIGHT / in_height)
        self._input_lattice = stack_lattice(size, cell, (0.0, 0.0))
        # The output stack's leftmost corner clears the input's rightmost by STACK_GAP.
        out_left = -project(np.array([0.0, out_size[1]]))[0]
        out_origin = (cell * (size[2] + STACK_GAP + out_left), cell * (in_height - out_height) / 2)
        self._output_lattice = stack_lattice(out_size, cell, out_origin)
        self._input_quads = cell_quads(self._input_lattice)
        self._output_quads = cell_quads(self._output_lattice)
        self._line = rgba(style.line_color)
        # As in the 2-D figure, the output hides the connectors: they pass under it.
        self._connector_clip = outside(grid_outline(self._output_lattice))

        taps = np.array(spec.steps()[0].positions)
        self._footprint_fill = quads_path(self._input_quads[tuple(taps.T)])
        self._mask = mask = unit_mask(spec.grid)
        self._edges = [CellEdges.of(mask[depth]) for depth in range(size[0])]
        self._cell_path = quads_path(self._output_quads[0, 0, 0])

        self.static = self._static_shapes()
        corners = np.concatenate(
            [self._input_lattice.reshape(-1, 2), self._output_lattice.reshape(-1, 2)]
        )
        depths = self._depth_labels() if style.labels else ()
        grids = Extent.around(corners, (item.box for item in depths))
        self._annotations = depths + place_annotations(
            style, grids,
            # Both below their stacks: the connectors come down to the output from above.
            [(notation.grid_label("output", out_size), lowest(self._output_lattice), False),
             (notation.grid_label("input", spec.input_size), lowest(self._input_lattice),
              False)],
            resolve_caption(style, notation.caption(spec)),
            notation.legend(spec, uncovered=style.mark_uncovered),
        )
        self.extent = Extent.around(corners, (item.box for item in self._annotations))

    def _depth_labels(self) -> tuple[Annotation, ...]:
        """Each slice's depth, from 1: left of the input's slices that hold units (the
        others are padding or inserted zeros), right of the output's."""
        grid, labels = self.spec.grid, []
        first = grid.unit_position((0, 0, 0))  # the cell of the first real unit
        for d in range(grid.size[0]):
            unit = grid.unit_index((d, *first[1:]))
            if unit is not None:
                x, y = self._input_lattice[d, 0, 0]
                labels.append(side_label(f"depth {unit[0] + 1}", (x - LABEL_GAP, y), "right"))
        for d in range(self.spec.output_size[0]):
            x, y = self._output_lattice[d, -1, -1]
            labels.append(side_label(f"depth {d + 1}", (x + LABEL_GAP, y), "left"))
        return tuple(labels)

    def _static_shapes(self) -> list[Shape]:
        style, line, spec, cell = self.style, self._line, self.spec, self.cell
        depth = spec.grid.size[0]
        dashes = (DASHED[0] * cell, DASHED[1] * cell)
        shapes = [
            shape
            for d in range(depth)
            for shape in input_shapes(
                self._edges[d], self._input_quads[d][self._mask[d]], self._placer(d),
                dashes=dashes, face=rgba(style.input_color), edge=line, zorder=Z_INPUT,
            )
        ]
        uncovered = spec.uncovered_positions()
        if style.mark_uncovered and uncovered:
            shapes.append(Shape(quads_path(self._input_quads[tuple(np.array(uncovered).T)]),
                                face=rgba(style.mark_color, MARK_ALPHA), zorder=Z_INPUT))
        out_depth, out_rows, out_cols = spec.output_size
        shapes += [
            Shape(quads_path(grid_outline(self._output_lattice)),
                  face=rgba(style.output_color), zorder=Z_OUTPUT),
            Shape(segments_path(slice_grids(self._output_lattice, list(range(out_depth)),
                                            out_rows, out_cols, cell)),
                  edge=line, linewidth=THICK, zorder=Z_OUTPUT),
        ]
        return shapes

    def _placer(self, depth: int) -> Callable[[np.ndarray], np.ndarray]:
        """Maps plane points of input slice ``depth`` to the page."""
        corner = self._input_lattice[depth, -1, 0]

        def place(points: np.ndarray) -> np.ndarray:
            page: np.ndarray = project(points) * self.cell + corner
            return page

        return place

    def input_centre(self, position: tuple[int, ...]) -> tuple[float, float]:
        """Page point at the centre of the drawn input cell at grid ``position``."""
        return quad_centre(self._input_quads[tuple(position)])

    def output_centre(self, index: tuple[int, ...]) -> tuple[float, float]:
        """Page point at the centre of the output cell ``index``."""
        return quad_centre(self._output_quads[tuple(index)])

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
        d0, r0, c0 = step.window_start
        _, er, ec = self.spec.effective_kernel_size
        at = self._input_lattice[d0, r0, c0] - self._input_lattice[0, 0, 0]
        at_window = (float(at[0]), float(at[1]))
        (dilation, *_), (span, *window) = self.spec.dilation, self.spec.effective_kernel_size
        lines = [
            self._edges[d].window(r0, c0, *window) for d in range(d0, d0 + span, dilation)
        ]
        placed = [self._placer(d)(segments)
                  for d, segments in zip(range(d0, d0 + span, dilation), lines, strict=True)]
        grid = segments_path(np.concatenate(placed))
        shapes = footprint_shapes(self._footprint_fill, grid, style, at_window,
                                  grid_offset=(0.0, 0.0))
        cell = self._output_quads[step.output_index]
        if style.connectors:
            # The kernel's whole depth: from the near corners of its last slice and the
            # far corners of its first to the cell's corners (BL, BR, TR, TL).
            last = d0 + self.spec.effective_kernel_size[0] - 1
            corners = self._input_lattice[
                [last, last, d0, d0], [r0 + er, r0 + er, r0, r0], [c0, c0 + ec, c0 + ec, c0]
            ]
            shapes.append(Shape(segments_path(np.stack([corners, cell], axis=1)),
                                edge=rgba(style.connector_color), linewidth=THIN,
                                zorder=Z_CONNECTORS, clip=self._connector_clip))
        at_cell = cell[0] - self._output_quads[0, 0, 0, 0]
        shapes.append(current_cell(self._cell_path, style, (float(at_cell[0]), float(at_cell[1]))))
        return shapes

    @cached_property
    def _input_spots(self) -> dict[Index, Hotspot]:
        grid, spots = self.spec.grid, {}
        for position in np.ndindex(*grid.size):
            unit = grid.unit_index(position)
            square = polygon(self._input_quads[position])
            spots[position] = (Hotspot("pad", position, square) if unit is None
                               else Hotspot("input", unit, square))
        return spots

    def hotspots(self, step: Step) -> StepHotspots:
        """The output cell the step computes, and every input cell its taps read."""
        output = Hotspot("output", step.output_index,
                         polygon(self._output_quads[step.output_index]))
        return StepHotspots(output, tuple(self._input_spots[p] for p in step.positions))


__all__ = ["VolumeScene"]
