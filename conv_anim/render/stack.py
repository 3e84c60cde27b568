"""Stacked layers: one output unit of a stack's last layer and its receptive field.

A stack is a sequence of direct :class:`~conv_anim.geometry.ConvSpec` (see
:mod:`conv_anim.receptive`). Its scene draws every layer, the stack's input at the
bottom and the last layer's output at the top: 1-D layers as rows of cells
(:class:`RowStackScene`), 2-D layers as the paper's slanted grids
(:class:`SlantedStackScene`), the input in the input colour and every layer's output
in the output colour. Padding is not drawn: only real units are.

A step (:class:`StackStep`) is one unit of the last layer. Its moving shapes shade,
in every layer, the units that unit depends on (:func:`conv_anim.receptive.input_units`
of the stack's layers from there up, so dilation holes stay unshaded), and join each
layer's shaded units to the layer above with thin lines: in 1-D one line per kernel
tap, in 2-D the paper's four lines between the corners of the shaded blocks. Beside
every layer a text gives its receptive field size and jump on the stack's input
(:func:`layer_texts`); they are always shown, being the point of the figure.

The scenes have :class:`~conv_anim.render.slanted.SlantedScene`'s interface
(``static``, ``moving(step)``, ``texts()``, ``extent``), so the canvas functions draw
them alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.text import Text

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.receptive import ReceptiveField, input_units, receptive_fields
from conv_anim.render.base import (
    DASHED,
    THICK,
    THIN,
    Extent,
    Hotspot,
    Index,
    Point,
    StepHotspots,
    blend,
    polygon,
    rgba,
)
from conv_anim.render.grids import (
    CellEdges,
    ConvexOccluder,
    cell_quads,
    grid_outline,
    input_shapes,
    project,
    quad_centre,
    row_quads,
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
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.steps import StackStep
from conv_anim.style import Style

#: Widest a 1-D stack's rows are drawn, in cell units: longer rows get narrower cells.
MAX_ROW_WIDTH = 24.0
#: Vertical gap between two rows of a 1-D stack, in cell units.
ROW_GAP = 2.5
#: Vertical gap between two slanted grids of a 2-D stack, in cell units.
GRID_GAP = 1.0
#: Stacking order: layer ``n`` draws its grid at ``n * LAYER_Z + Z_GRID``, its shaded
#: units above, then the lines up to layer ``n + 1``, which the next grid covers.
LAYER_Z = 10.0
#: What the figure's r and jump are.
RECEPTIVE_NOTE = "r: receptive field, the input units a unit sees"
JUMP_NOTE = "jump: input units between neighbouring units"
PADDING_NOTE = "dashed cells: the padding the layer above adds"
Z_GRID, Z_SHADED, Z_LINES = 1.0, 2.0, 3.0


def check_stack(specs: Sequence[ConvSpec]) -> tuple[ReceptiveField, ...]:
    """The stack's receptive fields, after checking that it can be drawn.

    Raises
    ------
    ValueError
        As :func:`conv_anim.receptive.receptive_fields` (an empty stack, a layer
        whose input size is not the previous output size, a transposed layer), or
        for a 3-D stack.
    """
    fields = receptive_fields(specs)
    if specs[0].ndim not in (1, 2):
        raise ParameterError(
            f"specs[0].input_size={specs[0].input_size} has {specs[0].ndim} axes, which "
            f"cannot be drawn as a stack: expected 1-D or 2-D layers (1 or 2 axes)",
            parameter="specs", value=specs[0].input_size, allowed="1-D or 2-D layers",
        )
    return fields


def _fmt(values: Index) -> str:
    """One number if every axis agrees, else ``AxB``."""
    return str(values[0]) if len(set(values)) == 1 else "x".join(map(str, values))


def layer_texts(specs: Sequence[ConvSpec]) -> tuple[str, ...]:
    """One line per layer: ``"layer n: r = R, jump = J"`` on the stack's input.

    Raises
    ------
    ValueError
        As :func:`check_stack`.
    """
    return tuple(
        f"layer {field.layer + 1}: r = {_fmt(field.size)}, jump = {_fmt(field.jump)}"
        for field in check_stack(specs)
    )


def figure_texts(specs: Sequence[ConvSpec], ops: Sequence[str] | None = None
                 ) -> tuple[tuple[str, ...], str]:
    """What a stack's figure writes beside each layer, input first, and its legend.

    Each layer: its kind and parameters, then its receptive field ``r`` on the stack's
    input, and its jump where some layer's jump is not 1 (else jump says nothing).

    Examples
    --------
    >>> specs = [ConvSpec(8, 3), ConvSpec(6, 2, stride=2)]
    >>> texts, legend = figure_texts(specs, ["conv", "max"])
    >>> print(texts[2])
    layer 2: max pooling, k = 2, s = 2
    r = 4, jump = 2
    >>> print(legend)
    r: receptive field, the input units a unit sees; jump: input units between neighbouring units
    """
    fields = check_stack(specs)
    kinds = ["conv"] * len(specs) if ops is None else list(ops)
    jumps = any(j != 1 for field in fields for j in field.jump)
    texts = ["input"]
    for n, (spec, field, op) in enumerate(zip(specs, fields, kinds, strict=True), 1):
        reach = f"r = {_fmt(field.size)}" + (f", jump = {_fmt(field.jump)}" if jumps else "")
        texts.append(f"layer {n}: {notation.layer_text(spec, op, padding=False)}\n{reach}")
    legend = [RECEPTIVE_NOTE, *([JUMP_NOTE] if jumps else [])]
    if any(any(any(pair) for pair in spec.padding) for spec in specs):
        legend.append(PADDING_NOTE)
    return tuple(texts), "; ".join(legend)


def check_ops(specs: Sequence[ConvSpec], ops: object) -> tuple[str, ...] | None:
    """``ops`` checked: None, or one of ``"conv"``, ``"max"``, ``"avg"`` per layer."""
    if ops is None:
        return None
    if (isinstance(ops, str) or not isinstance(ops, Sequence) or len(ops) != len(specs)
            or any(op not in notation.KINDS for op in ops)):
        raise ParameterError(
            f"ops={ops!r} is not valid: expected one of 'conv', 'max', 'avg' per layer "
            f"({len(specs)} layers)",
            parameter="ops", value=ops, allowed="'conv', 'max' or 'avg' per layer",
        )
    return tuple(ops)


class _StackScene:
    """What the 1-D and 2-D stack scenes share; subclasses lay the layers out.

    A subclass's ``__init__`` fills, layer by layer from the input up, ``cell_quads``
    (the cell polygons, shape ``(*size, 4, 2)``), ``static`` (the grid, from
    :meth:`_grid`) and ``_anchors`` (the page point where the layer's text starts),
    then calls :meth:`_finish`; it implements :meth:`_lines`.
    """

    def __init__(self, specs: Sequence[ConvSpec], style: Style,
                 ops: Sequence[str] | None = None) -> None:
        self.specs = tuple(specs)
        self.style = style
        check_stack(self.specs)
        self.ops = check_ops(self.specs, ops)
        self.sizes: tuple[Index, ...] = (self.specs[0].input_size,) + tuple(
            spec.output_size for spec in self.specs
        )
        self._line = rgba(style.line_color)
        self._connector = rgba(style.connector_color)
        self._shaded = [blend(style.shadow_color, style.shadow_alpha, style.input_color)] + [
            blend(style.shadow_color, style.shadow_alpha, style.output_color)
        ] * len(self.specs)
        self._quads: list[np.ndarray] = []
        self._anchors: list[Point] = []
        self.static: list[Shape] = []

    def _grid(self, layer: int, units: np.ndarray,
              place: Callable[[np.ndarray], np.ndarray], cell: float = 1.0) -> list[Shape]:
        """A layer's grid: its units (quadrilaterals (..., 4, 2)) and, dashed, the
        padding the next layer adds to it; ``place`` maps the padded grid's plane to
        the page."""
        color = self.style.input_color if layer == 0 else self.style.output_color
        return input_shapes(
            CellEdges.of(self._padded_mask(layer)), units.reshape(-1, 4, 2), place,
            dashes=(DASHED[0] * cell, DASHED[1] * cell), face=rgba(color), edge=self._line,
            zorder=layer * LAYER_Z + Z_GRID,
        )

    def _padded_mask(self, layer: int) -> np.ndarray:
        """The layer as the next layer reads it: its units in the padded grid (2-D:
        rows, columns; 1-D: one row)."""
        if layer == len(self.specs):
            mask = np.ones(self.sizes[layer], dtype=bool)
        else:
            mask = unit_mask(self.specs[layer].grid)
        return mask if mask.ndim == 2 else mask[None]

    def _before(self, layer: int) -> tuple[int, ...]:
        """The padding the next layer adds before the layer's units, per axis."""
        if layer == len(self.specs):
            return (0,) * len(self.sizes[layer])
        return tuple(b for b, _ in self.specs[layer].padding)

    def _after(self, layer: int) -> tuple[int, ...]:
        """The padding the next layer adds after the layer's units, per axis."""
        if layer == len(self.specs):
            return (0,) * len(self.sizes[layer])
        return tuple(a for _, a in self.specs[layer].padding)

    def _finish(self) -> None:
        """Place the layer texts and the caption, and fix the extent."""
        texts, legend = figure_texts(self.specs, self.ops)
        self._annotations: tuple[Annotation, ...] = tuple(
            side_label(text, anchor, "left")
            for anchor, text in zip(self._anchors, texts, strict=True)
        )
        corners = np.concatenate([shape.path.vertices for shape in self.static])
        grids = Extent.around(corners, (item.box for item in self._annotations))
        caption = resolve_caption(self.style, notation.stack_caption(self.specs, self.ops))
        # Always explained: the figure is about r (and jump).
        explained = "\n".join(line for line in (legend, caption) if line)
        self._annotations += place_annotations(self.style, grids, [], explained)
        self.extent = Extent.around(corners, (item.box for item in self._annotations))

    def centre(self, layer: int, index: Index) -> tuple[float, float]:
        """Page point at the centre of unit ``index`` of ``layer`` (0: the stack's input)."""
        return quad_centre(self._quads[layer][tuple(index)])

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette)."""
        return style_inks(self.style)

    def texts(self) -> list[Text]:
        """New Text artists for the layer texts and the caption (data coordinates)."""
        return text_artists(self._annotations, self.style)

    def _lines(self, step: StackStep, layer: int) -> np.ndarray:
        """Segments (N, 2, 2) joining the shaded units of ``layer`` to ``layer + 1``."""
        raise NotImplementedError

    def hotspots(self, step: StackStep) -> StepHotspots:
        """The unit of the last layer the step shows, and the units it depends on in
        every layer below (layer 0, the stack's input: ``"input"``; the layers between:
        ``"hidden"``, indexed by layer, then unit)."""
        last = len(self.specs)
        key = Hotspot("output", step.output_index,
                      polygon(self._quads[last][step.output_index]))
        linked = tuple(
            Hotspot("input", unit, polygon(self._quads[0][unit])) if layer == 0
            else Hotspot("hidden", (layer, *unit), polygon(self._quads[layer][unit]))
            for layer in range(last)
            for unit in step.units[layer]
        )
        return StepHotspots(key, linked)

    def moving(self, step: StackStep) -> list[Shape]:
        """The shapes of one step, layer by layer from the input up: the shaded units,
        then the lines to the layer above (none where a unit reads only padding)."""
        shapes = []
        for layer, units in enumerate(step.units):
            if not units:
                continue
            z = layer * LAYER_Z
            cells = self._quads[layer][tuple(np.array(units).T)]
            shapes.append(Shape(quads_path(cells), face=self._shaded[layer], edge=self._line,
                                linewidth=THICK, zorder=z + Z_SHADED))
            if self.style.connectors and layer < len(self.specs):
                shapes.append(Shape(segments_path(self._lines(step, layer)), edge=self._connector,
                                    linewidth=THIN, zorder=z + Z_LINES))
        return shapes


class RowStackScene(_StackScene):
    """A stack of 1-D layers: rows of cells, each centred over the one below.

    Parameters
    ----------
    specs : sequence of ConvSpec
        The layers (1-D), first first.
    style : Style
        Colours and options: ``connectors`` (the lines between layers) and
        ``caption`` (True for every layer's parameters, or a string of one's own).

    Attributes
    ----------
    cell : float
        A cell's side in page units: 1, or less for rows longer than
        :data:`MAX_ROW_WIDTH` cells.
    static : list of Shape
        The rows.
    extent : Extent
        The page rectangle of the figure, texts included.
    """

    def __init__(self, specs: Sequence[ConvSpec], style: Style,
                 ops: Sequence[str] | None = None) -> None:
        super().__init__(specs, style, ops)
        if self.specs[0].ndim != 1:
            raise ValueError(
                f"RowStackScene draws 1-D stacks, got input_size={self.specs[0].input_size}: "
                f"use SlantedStackScene for 2-D"
            )
        widest = max(n for (n,) in self.sizes)
        self.cell = cell = min(1.0, MAX_ROW_WIDTH / widest)
        right = 0.0
        for layer, (n,) in enumerate(self.sizes):
            origin = ((widest - n) * cell / 2, layer * (cell + ROW_GAP))
            self._quads.append(row_quads(n, origin, cell))
            (before,), (after,) = self._before(layer), self._after(layer)
            corner = np.array([origin[0] - before * cell, origin[1]])

            def place(points: np.ndarray, corner: np.ndarray = corner) -> np.ndarray:
                page: np.ndarray = np.asarray(points, dtype=float) * cell + corner
                return page

            self.static += self._grid(layer, self._quads[-1], place, cell)
            right = max(right, origin[0] + (n + after) * cell)
            self._anchors.append((0.0, origin[1] + cell / 2))
        self._anchors = [(right + LABEL_GAP, y) for _, y in self._anchors]
        self._finish()

    def _lines(self, step: StackStep, layer: int) -> np.ndarray:
        """One line per kernel tap: from the top of each shaded unit of ``layer`` to
        the bottom of every shaded unit of ``layer + 1`` that reads it."""
        spec = self.specs[layer]
        ends = [
            ((self.centre(layer, below)[0], self._quads[layer][below][2, 1]),
             (self.centre(layer + 1, above)[0], self._quads[layer + 1][above][0, 1]))
            for above in step.units[layer + 1]
            for below in itertools.product(*input_units([spec], above))
        ]
        return np.array(ends, dtype=float)


def _rise(lower: np.ndarray, upper: np.ndarray) -> float:
    """How far to raise the grid with corners ``upper`` to clear the one with corners
    ``lower`` (both near-left, near-right, far-right, far-left, as
    :func:`~conv_anim.render.slanted.grid_outline` gives them): the most ``lower``'s top
    edges stand above ``upper``'s bottom edges at any page x where both lie."""
    top, bottom = lower[[3, 2, 1]], upper[[3, 0, 1]]  # far-left to near-right: x increasing
    xs = np.concatenate([top[:, 0], bottom[:, 0]])
    xs = xs[(xs >= max(top[0, 0], bottom[0, 0])) & (xs <= min(top[-1, 0], bottom[-1, 0]))]
    return float(np.max(np.interp(xs, *top.T) - np.interp(xs, *bottom.T)))


class SlantedStackScene(_StackScene):
    """A stack of 2-D layers: the paper's slanted grids, each above and centred on
    the one below.

    Parameters
    ----------
    specs : sequence of ConvSpec
        The layers (2-D), first first.
    style : Style
        Colours and options, as for :class:`RowStackScene`.

    Attributes
    ----------
    static : list of Shape
        The grids.
    extent : Extent
        The page rectangle of the figure, texts included.
    """

    def __init__(self, specs: Sequence[ConvSpec], style: Style,
                 ops: Sequence[str] | None = None) -> None:
        super().__init__(specs, style, ops)
        if self.specs[0].ndim != 2:
            raise ValueError(
                f"SlantedStackScene draws 2-D stacks, got input_size={self.specs[0].input_size}: "
                f"use RowStackScene for 1-D"
            )
        self._lattices: list[np.ndarray] = []
        centre_x = float(project(np.array(self.sizes[0][::-1]) / 2)[0])
        for layer, (rows, cols) in enumerate(self.sizes):
            half = project(np.array([cols, rows]) / 2)
            lattice = slanted_lattice(rows, cols, (centre_x - half[0], 0.0))
            if layer:
                below = grid_outline(self._lattices[-1])
                lattice[..., 1] += GRID_GAP + _rise(below, grid_outline(lattice))
            self._lattices.append(lattice)
            self._quads.append(cell_quads(lattice))
            shift = np.array([self._before(layer)[1], self._after(layer)[0]], dtype=float)

            def place(points: np.ndarray, shift: np.ndarray = shift,
                      corner: np.ndarray = lattice[-1, 0]) -> np.ndarray:
                page: np.ndarray = project(np.asarray(points, dtype=float) - shift) + corner
                return page

            self.static += self._grid(layer, self._quads[-1], place)
            self._anchors.append(
                (float(lattice[-1, -1, 0]) + LABEL_GAP, float(lattice[-1, 0, 1] + half[1]))
            )
        self._occluders = [ConvexOccluder(grid_outline(lattice)) for lattice in self._lattices]
        self._finish()

    def _block(self, step: StackStep, layer: int) -> np.ndarray:
        """The corners (4, 2) of the block spanning the shaded units of ``layer``, in
        the order of :func:`~conv_anim.render.slanted.grid_outline`."""
        units = np.array(step.units[layer])
        (r0, c0), (r1, c1) = units.min(axis=0), units.max(axis=0) + 1
        return self._lattices[layer][[r1, r1, r0, r0], [c0, c1, c1, c0]]

    def _lines(self, step: StackStep, layer: int) -> np.ndarray:
        """The paper's four lines, from the corners of the shaded block of ``layer`` to
        those of ``layer + 1``, hidden where the upper grid covers them."""
        segments = np.stack([self._block(step, layer), self._block(step, layer + 1)], axis=1)
        return self._occluders[layer + 1].visible_part(segments)


def stack_scene(specs: Sequence[ConvSpec], style: Style, ops: Sequence[str] | None = None
                ) -> RowStackScene | SlantedStackScene:
    """The scene of a stack: rows for 1-D layers, slanted grids for 2-D; ``ops`` names
    each layer's operation (default: convolutions).

    Raises
    ------
    ValueError
        As :func:`check_stack` and :func:`check_ops`.
    """
    check_stack(specs)
    if specs[0].ndim == 1:
        return RowStackScene(specs, style, ops)
    return SlantedStackScene(specs, style, ops)


__all__ = ["RowStackScene", "SlantedStackScene", "check_stack", "layer_texts", "stack_scene"]
