"""The paper's arithmetic figures: input, kernel footprint and output, slanted.

A :class:`SlantedScene` describes one convolution's figure as shapes in page
coordinates (cell units), in the paper's TikZ template's order: the dashed padding
grid, the input units, the footprint's shadow and grid, the four thin connecting
lines, then the raised output grid with the current cell shaded. The static shapes
never change; :meth:`SlantedScene.moving` gives those of one step.

What every scene shares lives here too: the colours (:func:`rgba`, :func:`blend`),
the footprint and the current output cell of a step (:func:`footprint_shapes`,
:func:`current_cell`), the caption (:func:`caption_text`), and the labels and
caption placed around a drawing (:func:`annotations`, :func:`text_artists`,
:func:`enclose`, :func:`union`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from conv_anim.geometry import ConvSpec, Step
from conv_anim.render.projection import ConvexOccluder, convex_overlap, grid_segments, project
from conv_anim.render.shapes import RGBA, Shape, quads_path, segments_path
from conv_anim.style import Style, to_unit_rgb

#: TikZ line widths and its ``dashed`` pattern, in points.
THICK = 0.8
THIN = 0.4
DASHES = (3.0, 3.0)
#: One cell is 0.5 cm on the page (the template's ``scale=.5``).
CELL_INCHES = 0.5 / 2.54
#: The standalone class's 10 pt border, in cell units.
BORDER = (10 / 72) / CELL_INCHES
#: The template raises the output by ``rows + 1`` cells and shifts it left by 5 pt.
OUTPUT_SHIFT_X = -(5 / 72) * 0.5 / CELL_INCHES
LABEL_SIZE = 10.0
CAPTION_SIZE = 8.0
LABEL_GAP = 0.5
#: Stacking order of the layers.
Z_INPUT, Z_FOOTPRINT, Z_CONNECTORS, Z_OUTPUT, Z_CURRENT, Z_TEXT = 1, 2, 3, 5, 6, 7


def rgba(rgb: tuple[int, int, int], alpha: float = 1.0) -> RGBA:
    """0-255 RGB and an alpha as matplotlib's RGBA floats."""
    return (*to_unit_rgb(rgb), alpha)


def blend(top: tuple[int, int, int], alpha: float, under: tuple[int, int, int]) -> RGBA:
    """``top`` at opacity ``alpha`` over the opaque ``under``, as an opaque RGBA."""
    r, g, b = (alpha * t / 255 + (1 - alpha) * u / 255 for t, u in zip(top, under, strict=True))
    return (r, g, b, 1.0)


def text_width(text: str, size: float) -> float:
    """Width of one line of text in cell units."""
    width, _, _ = TextToPath().get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return width / 72 / CELL_INCHES


def footprint_shapes(
    fill: Path, grid: Path, style: Style, offset: tuple[float, float], *,
    clip: Path | None = None, zorder: float = Z_FOOTPRINT,
) -> list[Shape]:
    """The kernel's footprint at one step: its taps shaded, its window's grid over them.

    Parameters
    ----------
    fill, grid : Path
        The taps' cells and the window's grid lines, at the first step.
    style : Style
        ``shadow_color`` and ``shadow_alpha`` shade the taps; ``line_color`` draws
        the grid.
    offset : tuple of float
        Page translation from the first step's footprint to this step's.
    clip : Path, optional
        Page region the footprint may be painted in.
    zorder : float
        Stacking order of both shapes.

    Returns
    -------
    list of Shape
        The shaded taps, then the grid.
    """
    return [
        Shape(fill, face=rgba(style.shadow_color, style.shadow_alpha), zorder=zorder,
              clip=clip, offset=offset),
        Shape(grid, edge=rgba(style.line_color), linewidth=THICK, zorder=zorder,
              clip=clip, offset=offset),
    ]


def current_cell(
    path: Path, style: Style, offset: tuple[float, float] = (0.0, 0.0), *,
    zorder: float = Z_CURRENT,
) -> Shape:
    """The output cell computed at a step: the shadow over the output colour, outlined.

    Parameters
    ----------
    path : Path
        The cell's outline, placed by ``offset``.
    style : Style
        Its colours: ``shadow_color`` at ``shadow_alpha`` over ``output_color``,
        outlined in ``line_color``.
    offset : tuple of float
        Page translation of ``path``.
    zorder : float
        Stacking order.

    Returns
    -------
    Shape
        The shaded, outlined cell.
    """
    return Shape(path, face=blend(style.shadow_color, style.shadow_alpha, style.output_color),
                 edge=rgba(style.line_color), linewidth=THICK, zorder=zorder, offset=offset)


def caption_text(spec: ConvSpec) -> str:
    """A caption with the convolution's parameters and output size.

    For a transposed convolution a second line gives the equivalent direct one.
    """

    def fmt(values: tuple) -> str:
        return str(values[0]) if len(set(values)) == 1 else "x".join(map(str, values))

    def pads(pairs: tuple) -> str:
        return fmt(tuple(b if b == a else f"({b},{a})" for b, a in pairs))

    params = (
        f"i={fmt(spec.input_size)}, k={fmt(spec.kernel_size)}, s={fmt(spec.stride)}, "
        f"p={pads(spec.padding)}"
    )
    if any(d != 1 for d in spec.dilation):
        params += f", d={fmt(spec.dilation)}"
    if not spec.transposed:
        return f"{params}  \u2192  o={fmt(spec.output_size)}"
    eq = spec.equivalent_direct()
    extra = f", a={fmt(spec.output_padding)}" if any(spec.output_padding) else ""
    return (
        f"transposed: {params}{extra}  \u2192  o={fmt(spec.output_size)}\n"
        f"as a direct conv of the stretched input: i={fmt(eq.stretched_size)}, "
        f"p'={pads(eq.padding)}, s'=1"
    )


def slanted_lattice(rows: int, cols: int, origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Page coordinates (rows + 1, cols + 1, 2) of grid corners; [r, c] is cell (r, c)'s top-left."""
    r, c = np.meshgrid(np.arange(rows + 1), np.arange(cols + 1), indexing="ij")
    return project(np.stack([c, rows - r], axis=-1)) + np.asarray(origin)


def cell_quads(lattice: np.ndarray) -> np.ndarray:
    """Cell polygons (..., rows, cols, 4, 2) from a corner lattice (..., rows + 1,
    cols + 1, 2), or a stack of them: BL, BR, TR, TL."""
    return np.stack(
        [lattice[..., 1:, :-1, :], lattice[..., 1:, 1:, :], lattice[..., :-1, 1:, :],
         lattice[..., :-1, :-1, :]], axis=-2,
    )


def grid_outline(lattice: np.ndarray) -> np.ndarray:
    """The four corners (..., 4, 2) of a whole lattice, or of each of a stack: BL, BR,
    TR, TL."""
    return lattice[..., [-1, -1, 0, 0], [0, -1, -1, 0], :]


def lattice_lines(lattice: np.ndarray) -> np.ndarray:
    """Segments (rows + cols + 2, 2, 2) of every grid line of a lattice, as TikZ's
    ``grid`` draws them: columns bottom to top, then rows left to right."""
    return np.concatenate([
        np.stack([lattice[-1, :], lattice[0, :]], axis=1),
        np.stack([lattice[:, 0], lattice[:, -1]], axis=1),
    ])


def footprint_paths(
    spec: ConvSpec, input_quads: np.ndarray, cell: float = 1.0
) -> tuple[Path, Path]:
    """The first step's footprint on a slanted input grid: the taps' cells, and the
    grid lines of every cell of the dilated window (only the taps are shaded).

    ``input_quads`` are the input grid's cells (:func:`cell_quads`), drawn with cells of
    side ``cell``.
    """
    er, ec = spec.effective_kernel_size
    taps = np.zeros((er, ec), dtype=bool)
    taps[:: spec.dilation[0], :: spec.dilation[1]] = True
    window = input_quads[:er, :ec]
    grid = grid_segments(0, 0, er, ec, spec.grid.size[0]) * cell
    return quads_path(window[taps]), segments_path(grid)


@dataclass(frozen=True)
class Extent:
    """A page rectangle in cell units."""

    x0: float
    x1: float
    y0: float
    y1: float


@dataclass(frozen=True)
class Annotation:
    """A label or caption: where it goes, what it says and the page box it needs.

    Attributes
    ----------
    x, y : float
        Anchor in page coordinates (cell units).
    text : str
        The text, possibly several lines.
    options : Mapping
        Keyword arguments of :class:`matplotlib.text.Text` (size and alignment).
    box : Extent
        The page rectangle the text covers.
    """

    x: float
    y: float
    text: str
    options: Mapping[str, Any]
    box: Extent


def annotations(
    spec: ConvSpec, style: Style, grids: Extent,
    labels: Sequence[tuple[str, tuple[float, float], bool]],
) -> tuple[Annotation, ...]:
    """Labels and caption, placed as the 2-D figure places them.

    Parameters
    ----------
    spec : ConvSpec
        The convolution, for the caption's parameters.
    style : Style
        ``style.labels`` turns the labels on; ``style.caption`` is True for the
        parameters, a string of one's own, or False.
    grids : Extent
        The page rectangle of the drawing without annotations.
    labels : sequence of (text, anchor, above)
        Each label's text, the page point it is centred on, and whether it goes
        above that point (else below), :data:`LABEL_GAP` away.

    Returns
    -------
    tuple of Annotation
        The labels, then the caption centred under everything.
    """
    items: list[Annotation] = []
    bottom = grids.y0
    if style.labels:
        height = LABEL_SIZE * 1.2 / 72 / CELL_INCHES
        for text, (x, anchor_y), above in labels:
            half = text_width(text, LABEL_SIZE) / 2
            y = anchor_y + LABEL_GAP if above else anchor_y - LABEL_GAP
            far = y + height if above else y - height
            items.append(Annotation(
                x, y, text,
                {"fontsize": LABEL_SIZE, "ha": "center", "va": "bottom" if above else "top"},
                Extent(x - half, x + half, min(y, far), max(y, far)),
            ))
            bottom = min(bottom, far)
    if style.caption:
        text = caption_text(spec) if style.caption is True else str(style.caption)
        lines = text.split("\n")
        half = max(text_width(line, CAPTION_SIZE) for line in lines) / 2
        x, y = (grids.x0 + grids.x1) / 2, bottom - LABEL_GAP
        height = len(lines) * CAPTION_SIZE * 1.3 / 72 / CELL_INCHES
        items.append(Annotation(
            x, y, text,
            {"fontsize": CAPTION_SIZE, "ha": "center", "va": "top", "linespacing": 1.3},
            Extent(x - half, x + half, y - height, y),
        ))
    return tuple(items)


def union(extent: Extent, boxes: Iterable[Extent]) -> Extent:
    """The smallest page rectangle holding ``extent`` and every one of ``boxes``."""
    for box in boxes:
        extent = Extent(
            min(extent.x0, box.x0), max(extent.x1, box.x1),
            min(extent.y0, box.y0), max(extent.y1, box.y1),
        )
    return extent


def enclose(points: np.ndarray, boxes: Iterable[Extent] = ()) -> Extent:
    """The smallest page rectangle holding page ``points`` (N, 2) and ``boxes``."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    return union(Extent(float(x0), float(x1), float(y0), float(y1)), boxes)


def text_artists(items: Iterable[Annotation], style: Style, zorder: float = Z_TEXT) -> list[Text]:
    """New Text artists (data coordinates) for annotations, in the line colour."""
    color = to_unit_rgb(style.line_color)
    return [
        Text(item.x, item.y, item.text, color=color, zorder=zorder, parse_math=False,
             **item.options)
        for item in items
    ]


class SlantedScene:
    """The slanted arithmetic figure of one 2-D convolution.

    Parameters
    ----------
    spec : ConvSpec
        A 2-D convolution (transposed ones are drawn as their equivalent direct one).
    style : Style
        Colours and options.
    """

    def __init__(self, spec: ConvSpec, style: Style) -> None:
        if spec.ndim != 2:
            raise ValueError(
                f"drawing a {spec.ndim}-D convolution is not yet supported: the slanted "
                f"view draws 2-D convolutions (input_size with 2 axes)"
            )
        self.spec = spec
        self.style = style
        grid = spec.grid
        self.rows, self.cols = grid.size
        out_rows, out_cols = spec.output_size
        self._input_lattice = slanted_lattice(self.rows, self.cols)
        self._input_quads = cell_quads(self._input_lattice)
        out_origin = (OUTPUT_SHIFT_X, self.rows + 1.0)
        self._output_lattice = slanted_lattice(out_rows, out_cols, out_origin)
        self._output_quads = cell_quads(self._output_lattice)
        self._output_outline = grid_outline(self._output_lattice)
        self._output_occluder = ConvexOccluder(self._output_outline)
        self._line = rgba(style.line_color)
        self._connector = rgba(style.connector_color)
        self._footprint_fill, self._footprint_grid = footprint_paths(spec, self._input_quads)
        self._cell = quads_path(self._output_quads[0, 0])
        # Where the input and output overlap on the page, the output hides the footprint.
        self._footprint_clip = None
        if convex_overlap(grid_outline(self._input_lattice), self._output_outline):
            big = 1e4
            outer = np.array([[-big, -big], [big, -big], [big, big], [-big, big], [-big, -big]])
            inner = np.concatenate([self._output_outline[::-1], self._output_outline[-1:]])
            self._footprint_clip = Path.make_compound_path(Path(outer), Path(inner))

        self.static = self._static_shapes()
        corners = np.concatenate(
            [self._input_lattice.reshape(-1, 2), self._output_lattice.reshape(-1, 2)]
        )
        out_top, in_bottom = self._output_lattice[0, -1], self._input_lattice[-1, 0]
        self._annotations = annotations(
            spec, style, enclose(corners),
            [("output", (out_top[0], out_top[1]), True),
             ("input", (in_bottom[0], in_bottom[1]), False)],
        )
        self.extent = enclose(corners, (item.box for item in self._annotations))

    def _static_shapes(self) -> list[Shape]:
        style, line = self.style, self._line
        shapes = [
            Shape(segments_path(grid_segments(0, 0, self.rows, self.cols, self.rows)),
                  edge=line, linewidth=THICK, dashes=DASHES, zorder=Z_INPUT),
        ]
        units = np.array(self.spec.grid.unit_positions())
        shapes.append(
            Shape(quads_path(self._input_quads[units[:, 0], units[:, 1]]),
                  face=rgba(style.input_color), edge=line, linewidth=THICK, zorder=Z_INPUT)
        )
        if style.mark_uncovered and self.spec.uncovered_positions():
            cells = np.array(self.spec.uncovered_positions())
            shapes.append(
                Shape(quads_path(self._input_quads[cells[:, 0], cells[:, 1]]),
                      face=rgba(style.mark_color, 0.45), zorder=Z_INPUT)
            )
        shapes.append(
            Shape(quads_path(self._output_outline), face=rgba(style.output_color), zorder=Z_OUTPUT)
        )
        shapes.append(Shape(segments_path(lattice_lines(self._output_lattice)), edge=line,
                            linewidth=THICK, zorder=Z_OUTPUT))
        return shapes

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        return text_artists(self._annotations, self.style)

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, connectors, current cell."""
        style = self.style
        r0, c0 = step.window_start
        er, ec = self.spec.effective_kernel_size
        at_window = tuple(self._input_lattice[r0, c0] - self._input_lattice[0, 0])
        shapes = footprint_shapes(self._footprint_fill, self._footprint_grid, style, at_window,
                                  clip=self._footprint_clip)
        orow, ocol = step.output_index
        if style.connectors:
            corners = self._input_lattice[[r0 + er, r0 + er, r0, r0], [c0, c0 + ec, c0 + ec, c0]]
            cell = self._output_quads[orow, ocol]
            visible = self._output_occluder.visible_part(np.stack([corners, cell], axis=1))
            shapes.append(
                Shape(segments_path(visible), edge=self._connector,
                      linewidth=THIN, zorder=Z_CONNECTORS)
            )
        shapes.append(current_cell(
            self._cell, style, tuple(self._output_lattice[orow, ocol] - self._output_lattice[0, 0])
        ))
        return shapes
