"""Channels and groups, animated: the paper's Figure 1.3 brought to life.

A :class:`ChannelScene` draws a 2-D convolution with several input and output
channels in the slanted look of :mod:`conv_anim.render.slanted`: the input feature
maps side by side in a row (padding dashed, as in the 2-D figure), the output feature
maps in a row above them, and each group's output maps centred over its input maps,
groups set a little apart. The maps do not overlap like a deck: every footprint has
to stay in view.

An animation has one frame per (output channel, output cell), output channel slowest
(:func:`channel_steps`). At each frame the current output map and the input maps its
filter reads (its group's ``in_channels // groups`` maps, :func:`group_inputs`) are
drawn in full colour and every other map pale; the kernel's footprint is shaded on
each map read, thin lines join each footprint's corners to the current output cell,
passing under the output maps, and the cell is shaded as in the 2-D figure. The
frames of output channel ``j`` thus draw PyTorch's ``out[j] = sum_i x[i] * w[j, i]``
over its group's ``i``, Figure 1.3's pathway ``j``. Depthwise convolutions light one
input map per output map, pointwise (1x1) ones a single cell on every map read.

It has :class:`~conv_anim.render.slanted.SlantedScene`'s interface (``static``,
``moving(step)``, ``texts()``, ``extent``). Maps are drawn once as template paths and
placed by offsets; only the lit maps, footprints, connectors and the current cell
move, so frames stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    RGBA,
    THICK,
    THIN,
    Z_CONNECTORS,
    Z_CURRENT,
    Z_FOOTPRINT,
    Z_INPUT,
    Z_OUTPUT,
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
    cell_quads,
    footprint_fill,
    footprint_grid,
    grid_outline,
    lattice_lines,
    outside,
    project,
    slanted_lattice,
    unit_mask,
)
from conv_anim.render.labels import Label, place_annotations, resolve_caption, text_artists
from conv_anim.render.palette import THIN_LEVELS, Inks, opaque, style_inks
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.steps import group_inputs, out_channel
from conv_anim.style import RGB, Style

#: Most input or output channels drawn: more maps would not fit a frame legibly.
MAX_CHANNELS = 8
#: Widest the maps are drawn, in page units (about 1650 pixels at scale 1): wider
#: figures get smaller cells.
MAX_WIDTH = 56.0
#: Horizontal gap between neighbouring maps of a row, in cells.
MAP_GAP = 1.5
#: Extra horizontal gap between the blocks of two groups, in cells.
GROUP_GAP = 2.0
#: Vertical gap between the input row's top and the output row's bottom, in cells.
LAYER_GAP = 2.0
#: Opacity of the maps not read at a step, over the background. A multiple of 1/16,
#: so that pale colours are among the GIF palette's blends.
PALE_ALPHA = 0.25
#: What the pale maps are, in the legend.
PALE_NOTE = "pale maps: not used at this step"


def check_drawable(spec: ConvSpec) -> None:
    """Raise a ParameterError unless a :class:`ChannelScene` can draw ``spec``."""
    if spec.ndim != 2:
        raise ParameterError(
            f"drawing the channels of a {spec.ndim}-D convolution is not yet supported "
            f"(input_size={spec.input_size}, in_channels={spec.in_channels}, "
            f"out_channels={spec.out_channels}): channels are drawn for 2-D convolutions; "
            f"use in_channels=out_channels=1 for a {spec.ndim}-D figure",
            parameter="in_channels", value=spec.in_channels, allowed="1 for a 1-D or 3-D figure",
        )
    for name in ("in_channels", "out_channels"):
        value = getattr(spec, name)
        if value > MAX_CHANNELS:
            raise ParameterError(
                f"{name}={value} is too many to draw: expected at most {MAX_CHANNELS} "
                f"input and {MAX_CHANNELS} output channels",
                parameter=name, value=value, allowed=f"at most {MAX_CHANNELS}",
            )


def slot_centres(
    channels: int, groups: int, slots: int, pitch: float, group_gap: float
) -> np.ndarray:
    """Page x of the centre of each map of a row.

    Each group has a block of ``slots`` slots ``pitch`` wide, blocks set
    ``group_gap`` apart; a group's ``channels // groups`` maps are centred in its
    block, so that its output maps sit over its input maps.
    """
    per_group = channels // groups
    group, place = np.divmod(np.arange(channels), per_group)
    return group * (slots * pitch + group_gap) + ((slots - per_group) / 2 + place + 0.5) * pitch


@dataclass(frozen=True, eq=False)
class Layout:
    """Where the maps go: each map's corners at the page origin, and its origin.

    Attributes
    ----------
    cell : float
        A cell's side in page units: 1, or less for figures wider than
        :data:`MAX_WIDTH`.
    input_lattice, output_lattice : numpy.ndarray
        Page corners (rows + 1, cols + 1, 2) of an input map (padding included) and
        of an output map placed at the origin; ``[r, c]`` is cell (r, c)'s top-left.
    input_origins, output_origins : numpy.ndarray
        Page origin (C, 2) of each input and output map: the input maps in a row at
        y = 0, the output maps in a row :data:`LAYER_GAP` above the input row's top.
    """

    cell: float
    input_lattice: np.ndarray
    output_lattice: np.ndarray
    input_origins: np.ndarray
    output_origins: np.ndarray

    @classmethod
    def at(cls, spec: ConvSpec, cell: float) -> Layout:
        """The layout of ``spec`` with cells of side ``cell``."""
        (rows, cols), (out_rows, out_cols) = spec.grid.size, spec.output_size
        input_lattice = slanted_lattice(rows, cols) * cell
        output_lattice = slanted_lattice(out_rows, out_cols) * cell
        in_outline, out_outline = grid_outline(input_lattice), grid_outline(output_lattice)
        pitch = max(float(np.ptp(o[:, 0])) for o in (in_outline, out_outline)) + MAP_GAP * cell
        slots = max(spec.in_channels, spec.out_channels) // spec.groups
        origins = []
        for channels, outline, y in (
            (spec.in_channels, in_outline, 0.0),
            (spec.out_channels, out_outline, in_outline[:, 1].max() + LAYER_GAP * cell),
        ):
            middle = (outline[:, 0].min() + outline[:, 0].max()) / 2
            xs = slot_centres(channels, spec.groups, slots, pitch, GROUP_GAP * cell) - middle
            origins.append(np.stack([xs, np.full_like(xs, y)], axis=1))
        return cls(cell, input_lattice, output_lattice, *origins)

    @classmethod
    def fit(cls, spec: ConvSpec, max_width: float) -> Layout:
        """The layout with unit cells, or smaller ones if it would be wider than
        ``max_width`` page units."""
        natural = cls.at(spec, 1.0)
        corners = np.concatenate([natural.outlines(output=False), natural.outlines(output=True)])
        width = float(np.ptp(corners[..., 0]))
        return natural if width <= max_width else cls.at(spec, max_width / width)

    def outlines(self, *, output: bool) -> np.ndarray:
        """The four page corners (C, 4, 2) of every output map, or every input map:
        BL, BR, TR, TL."""
        lattice = self.output_lattice if output else self.input_lattice
        origins = self.output_origins if output else self.input_origins
        outlines: np.ndarray = grid_outline(lattice)[None] + origins[:, None]
        return outlines


@dataclass(frozen=True)
class Tone:
    """The colours a map is drawn in: full, or pale when not read at a step."""

    input: RGBA
    output: RGBA
    line: RGBA
    mark: RGBA

    @classmethod
    def of(cls, style: Style, alpha: float = 1.0) -> Tone:
        """The style's colours at opacity ``alpha`` over its background, made opaque."""
        under = style.background_rgb

        def over(color: RGB) -> RGBA:
            return blend(color, alpha, under)

        return cls(over(style.input_color), over(style.output_color), over(style.line_color),
                   rgba(style.mark_color, MARK_ALPHA * alpha))


class ChannelScene:
    """The slanted arithmetic figure of a 2-D convolution with channels and groups.

    Parameters
    ----------
    spec : ConvSpec
        A 2-D convolution with at most :data:`MAX_CHANNELS` input and output
        channels (a transposed one is drawn as its equivalent direct one).
    style : Style
        Colours and options (``connectors``, ``labels``, ``caption``,
        ``mark_uncovered``). With ``labels``, maps are numbered from 1, as the
        paper's ``w_{j,i}``; with ``caption=True``, the caption names the channels
        and groups.

    Attributes
    ----------
    cell : float
        A cell's side in page units: 1, or less for figures wider than
        :data:`MAX_WIDTH` (many channels).
    static : list of Shape
        The shapes that never change: every map, pale where some step does not read it.
    extent : Extent
        The page rectangle of the figure, labels and caption included.

    Raises
    ------
    ValueError
        If ``spec`` is not 2-D or has more than :data:`MAX_CHANNELS` input or output
        channels.
    """

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        check_drawable(spec)
        self.spec = spec
        self.style = style
        layout = self._layout = Layout.fit(spec, MAX_WIDTH)
        self.cell = layout.cell
        self._full, self._pale = Tone.of(style), Tone.of(style, PALE_ALPHA)
        # Maps that some step does not read are pale in the background, lit when read.
        self._lit_inputs = spec.groups > 1
        self._lit_outputs = spec.out_channels > 1

        self._output_quads = cell_quads(layout.output_lattice)
        self._edges = CellEdges.of(unit_mask(spec.grid))
        self._padding, self._units, self._solid, self._marks = self._input_paths()
        self._output_fill, self._output_grid = self._output_paths()
        # The footprint at the top-left of a map at the origin.
        self._footprint_fill = footprint_fill(spec, cell_quads(layout.input_lattice))
        self._cell = quads_path(self._output_quads[0, 0])
        # The output maps hide the connectors: they pass under them.
        self._connector_clip = outside(layout.outlines(output=True))

        self.static = self._static_shapes()
        corners = np.concatenate(
            [layout.outlines(output=False), layout.outlines(output=True)]
        ).reshape(-1, 2)
        self._annotations = place_annotations(
            style, Extent.around(corners), self._labels(),
            resolve_caption(style, notation.caption(spec)),
            self._legend(),
        )
        self.extent = Extent.around(corners, (item.box for item in self._annotations))

    def _legend(self) -> str | None:
        """What the pale maps and dashed cells are."""
        pale = (PALE_NOTE if self._lit_inputs or self._lit_outputs else None)
        dashed = notation.legend(self.spec, uncovered=self.style.mark_uncovered)
        return "; ".join(part for part in (pale, dashed) if part) or None

    def _place(self, points: np.ndarray) -> np.ndarray:
        """Plane points of an input map at the origin, on the page."""
        return project(points) * self.cell

    def _input_paths(self) -> tuple[Path, Path, Path, Path | None]:
        """An input map at the origin: its padding grid's dashes, its units, their edges,
        and the cells no step covers (None unless ``mark_uncovered`` and some are)."""
        spec, layout = self.spec, self._layout
        quads = cell_quads(layout.input_lattice)
        units = np.array(spec.grid.unit_positions())
        uncovered = np.array(spec.uncovered_positions()).reshape(-1, 2)
        marks = (
            quads_path(quads[uncovered[:, 0], uncovered[:, 1]])
            if self.style.mark_uncovered and len(uncovered) else None
        )
        dashes = (DASHED[0] * self.cell, DASHED[1] * self.cell)
        return (segments_path(self._edges.dashed(self._place, dashes)),
                quads_path(quads[units[:, 0], units[:, 1]]),
                segments_path(self._place(self._edges.solid())), marks)

    def _output_paths(self) -> tuple[Path, Path]:
        """An output map at the origin: its outline and its grid lines."""
        lattice = self._layout.output_lattice
        return quads_path(grid_outline(lattice)), segments_path(lattice_lines(lattice))

    def _labels(self) -> list[Label]:
        """Each map's label, numbered from 1: under an input map's near corner, over an
        output map's far corner."""
        layout = self._layout
        near, far = layout.input_lattice[-1, 0], layout.output_lattice[0, -1]
        inputs = [(f"input {n + 1}", _point(origin + near), False)
                  for n, origin in enumerate(layout.input_origins)]
        outputs = [(f"output {n + 1}", _point(origin + far), True)
                   for n, origin in enumerate(layout.output_origins)]
        return outputs + inputs

    def _input_map(self, channel: int, tone: Tone) -> list[Shape]:
        """Input map ``channel``: its dashed padding grid, its units and marks."""
        at = _point(self._layout.input_origins[channel])
        shapes = [
            Shape(self._units, face=tone.input, zorder=Z_INPUT, offset=at),
            Shape(self._solid, edge=tone.line, linewidth=THICK, zorder=Z_INPUT, offset=at),
        ]
        if np.asarray(self._padding.vertices).size:
            shapes.insert(0, Shape(self._padding, edge=tone.line, linewidth=THICK,
                                   zorder=Z_INPUT, offset=at))
        if self._marks is not None:
            shapes.append(Shape(self._marks, face=tone.mark, zorder=Z_INPUT, offset=at))
        return shapes

    def _output_map(self, channel: int, tone: Tone) -> list[Shape]:
        """Output map ``channel``: its fill and grid lines."""
        at = _point(self._layout.output_origins[channel])
        return [
            Shape(self._output_fill, face=tone.output, zorder=Z_OUTPUT, offset=at),
            Shape(self._output_grid, edge=tone.line, linewidth=THICK, zorder=Z_OUTPUT, offset=at),
        ]

    def _static_shapes(self) -> list[Shape]:
        inputs = self._pale if self._lit_inputs else self._full
        outputs = self._pale if self._lit_outputs else self._full
        shapes: list[Shape] = []
        for channel in range(self.spec.in_channels):
            shapes += self._input_map(channel, inputs)
        for channel in range(self.spec.out_channels):
            shapes += self._output_map(channel, outputs)
        return shapes

    @property
    def inks(self) -> Inks:
        """The colours the figure paints (for its GIF palette), the pale maps too."""
        style, under = self.style, self.style.background_rgb
        pale = [opaque(c, PALE_ALPHA, under) for c in (style.input_color, style.output_color)]
        if style.mark_uncovered:
            pale.append(opaque(style.mark_color, MARK_ALPHA * PALE_ALPHA, under))
        pale_line = opaque(style.line_color, PALE_ALPHA, under)
        return style_inks(style).plus(fills=tuple(pale), strokes=((pale_line, THIN_LEVELS),))

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style)

    def map_centre(self, channel: int, *, output: bool = False) -> Point:
        """Page point at the centre of input map ``channel`` (padding included), or of
        output map ``channel``."""
        return _point(self._layout.outlines(output=output)[channel].mean(axis=0))

    def active_inputs(self, step: Step) -> tuple[int, ...]:
        """The input channels read at ``step``: those of its output channel's group."""
        return tuple(group_inputs(self.spec, out_channel(step)))

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: the lit input maps, a footprint on
        each, the connectors, the lit output map and the current cell.

        ``step`` is a :class:`ChannelStep`; a plain :class:`~conv_anim.geometry.Step`
        is drawn for output channel 0.
        """
        style, full, layout = self.style, self._full, self._layout
        channel_out = out_channel(step)
        read = group_inputs(self.spec, channel_out)
        r0, c0 = step.window_start
        window = layout.input_lattice[r0, c0] - layout.input_lattice[0, 0]
        shapes: list[Shape] = []
        if self._lit_inputs:
            for channel in read:
                shapes += self._input_map(channel, full)
        shadow = rgba(style.shadow_color, style.shadow_alpha)
        grid = footprint_grid(self._edges, (r0, c0), self.spec.effective_kernel_size,
                              self._place)
        for channel in read:
            at = _point(layout.input_origins[channel] + window)
            shapes.append(Shape(self._footprint_fill, face=shadow, zorder=Z_FOOTPRINT, offset=at))
            if np.asarray(grid.vertices).size:
                shapes.append(Shape(grid, edge=full.line, linewidth=THICK, zorder=Z_FOOTPRINT,
                                    offset=_point(layout.input_origins[channel])))
        orow, ocol = step.output_index
        cell = self._output_quads[orow, ocol] + layout.output_origins[channel_out]
        if style.connectors:
            shapes.append(Shape(
                segments_path(self._connectors(step, read, cell)),
                edge=rgba(style.connector_color), linewidth=THIN, zorder=Z_CONNECTORS,
                clip=self._connector_clip,
            ))
        if self._lit_outputs:
            shapes += self._output_map(channel_out, full)
        shapes.append(Shape(
            self._cell, face=blend(style.shadow_color, style.shadow_alpha, style.output_color),
            edge=full.line, linewidth=THICK, zorder=Z_CURRENT,
            offset=_point(cell[0] - self._output_quads[0, 0, 0]),
        ))
        return shapes

    def _connectors(self, step: Step, read: range, cell: np.ndarray) -> np.ndarray:
        """Segments (2, 2) joining each map's footprint to the cell: from the footprint's
        four corners to the cell's, or for a 1x1 footprint one line between centres
        (four would run side by side, across the other maps)."""
        r0, c0 = step.window_start
        er, ec = self.spec.effective_kernel_size
        layout = self._layout
        corners = layout.input_lattice[[r0 + er, r0 + er, r0, r0], [c0, c0 + ec, c0 + ec, c0]]
        ends = np.asarray(cell, dtype=float)
        if (er, ec) == (1, 1):
            corners, ends = corners.mean(axis=0)[None], ends.mean(axis=0)[None]
        starts = corners[None] + layout.input_origins[list(read), None]
        return np.stack([starts, np.broadcast_to(ends, starts.shape)], axis=2).reshape(-1, 2, 2)

    @cached_property
    def _input_spots(self) -> dict[tuple[int, Index], Hotspot]:
        """Every cell of every input map, by (channel, grid position)."""
        grid, quads, spots = self.spec.grid, cell_quads(self._layout.input_lattice), {}
        for channel, origin in enumerate(self._layout.input_origins):
            for position in np.ndindex(*grid.size):
                unit = grid.unit_index(position)
                corners = polygon(quads[position] + origin)
                spots[channel, position] = (
                    Hotspot("pad", (channel, *position), corners) if unit is None
                    else Hotspot("input", (channel, *unit), corners)
                )
        return spots

    def hotspots(self, step: Step) -> StepHotspots:
        """The output cell the step computes (its channel first), and the cells its
        taps read on every input map of its group."""
        channel_out = out_channel(step)
        cell = self._output_quads[step.output_index] + self._layout.output_origins[channel_out]
        output = Hotspot("output", (channel_out, *step.output_index), polygon(cell))
        linked = tuple(
            self._input_spots[channel, position]
            for channel in group_inputs(self.spec, channel_out)
            for position in step.positions
        )
        return StepHotspots(output, linked)


def _point(xy: np.ndarray) -> Point:
    """A page point as a pair of Python floats (a :class:`Shape` offset)."""
    return float(xy[0]), float(xy[1])


__all__ = ["MAX_CHANNELS", "MAX_WIDTH", "ChannelScene", "check_drawable"]
