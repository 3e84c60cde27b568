"""The paper's arithmetic figures: input, kernel footprint and output, slanted.

A :class:`SlantedScene` describes one convolution's figure as shapes in page
coordinates (cell units), in the paper's TikZ template's order: the dashed padding
grid, the input units, the footprint's shadow and grid, the four thin connecting
lines, then the raised output grid with the current cell shaded. The static shapes
never change; :meth:`SlantedScene.moving` gives those of one step.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    r, g, b = (alpha * t / 255 + (1 - alpha) * u / 255 for t, u in zip(top, under))
    return (r, g, b, 1.0)


def text_width(text: str, size: float) -> float:
    """Width of one line of text in cell units."""
    width, _, _ = TextToPath().get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return width / 72 / CELL_INCHES


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


def _lattice(rows: int, cols: int, origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Page coordinates (rows + 1, cols + 1, 2) of grid corners; [r, c] is cell (r, c)'s top-left."""
    r, c = np.meshgrid(np.arange(rows + 1), np.arange(cols + 1), indexing="ij")
    return project(np.stack([c, rows - r], axis=-1)) + np.asarray(origin)


def _quads(lattice: np.ndarray) -> np.ndarray:
    """Cell polygons (rows, cols, 4, 2) from a corner lattice: BL, BR, TR, TL."""
    return np.stack(
        [lattice[1:, :-1], lattice[1:, 1:], lattice[:-1, 1:], lattice[:-1, :-1]], axis=2
    )


def _outline(lattice: np.ndarray) -> np.ndarray:
    """The four corners (4, 2) of a whole lattice: BL, BR, TR, TL."""
    return lattice[[-1, -1, 0, 0], [0, -1, -1, 0]]


@dataclass(frozen=True)
class Extent:
    """A page rectangle in cell units."""

    x0: float
    x1: float
    y0: float
    y1: float


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
        self._input_lattice = _lattice(self.rows, self.cols)
        self._input_quads = _quads(self._input_lattice)
        out_origin = (OUTPUT_SHIFT_X, self.rows + 1.0)
        self._output_lattice = _lattice(out_rows, out_cols, out_origin)
        self._output_quads = _quads(self._output_lattice)
        self._output_outline = _outline(self._output_lattice)
        self._output_occluder = ConvexOccluder(self._output_outline)
        self._line = rgba(style.line_color)
        self._shadow = rgba(style.shadow_color, style.shadow_alpha)
        self._connector = rgba(style.connector_color)
        self._current = blend(style.shadow_color, style.shadow_alpha, style.output_color)

        # The footprint's cells, every one of the dilated window; only taps are shaded.
        er, ec = spec.effective_kernel_size
        taps = np.zeros((er, ec), dtype=bool)
        taps[:: spec.dilation[0], :: spec.dilation[1]] = True
        window = self._input_quads[:er, :ec]
        self._footprint_fill = quads_path(window[taps])
        self._footprint_grid = segments_path(grid_segments(0, 0, er, ec, self.rows))
        self._cell = quads_path(self._output_quads[0, 0])
        # Where the input and output overlap on the page, the output hides the footprint.
        self._footprint_clip = None
        if convex_overlap(_outline(self._input_lattice), self._output_outline):
            big = 1e4
            outer = np.array([[-big, -big], [big, -big], [big, big], [-big, big], [-big, -big]])
            inner = np.concatenate([self._output_outline[::-1], self._output_outline[-1:]])
            self._footprint_clip = Path.make_compound_path(Path(outer), Path(inner))

        self.static = self._static_shapes()
        corners = np.concatenate(
            [self._input_lattice.reshape(-1, 2), self._output_lattice.reshape(-1, 2)]
        )
        (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
        self._grids_extent = Extent(float(x0), float(x1), float(y0), float(y1))
        self.extent = self._grids_extent
        for *_, box in self._annotations():
            self.extent = Extent(
                min(self.extent.x0, box.x0), max(self.extent.x1, box.x1),
                min(self.extent.y0, box.y0), max(self.extent.y1, box.y1),
            )

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
        out_rows, out_cols = self.spec.output_size
        shapes.append(
            Shape(quads_path(self._output_outline), face=rgba(style.output_color), zorder=Z_OUTPUT)
        )
        lattice = self._output_lattice
        segments = np.concatenate(
            [
                np.stack([lattice[-1, :], lattice[0, :]], axis=1),  # columns, bottom to top
                np.stack([lattice[:, 0], lattice[:, -1]], axis=1),  # rows, left to right
            ]
        )
        shapes.append(Shape(segments_path(segments), edge=line, linewidth=THICK, zorder=Z_OUTPUT))
        return shapes

    def _annotations(self) -> list[tuple[tuple[float, float], str, dict, Extent]]:
        """Labels and caption: position, text, Text options and the page box they need."""
        style, extent = self.style, self._grids_extent
        items = []
        bottom = extent.y0
        if style.labels:
            out_top = self._output_lattice[0, -1]
            in_bottom = self._input_lattice[-1, 0]
            height = LABEL_SIZE * 1.2 / 72 / CELL_INCHES
            for (x, y), text, va in (
                ((out_top[0], out_top[1] + LABEL_GAP), "output", "bottom"),
                ((in_bottom[0], in_bottom[1] - LABEL_GAP), "input", "top"),
            ):
                half = text_width(text, LABEL_SIZE) / 2
                y_far = y + height if va == "bottom" else y - height
                items.append(
                    ((x, y), text, {"fontsize": LABEL_SIZE, "ha": "center", "va": va},
                     Extent(x - half, x + half, min(y, y_far), max(y, y_far)))
                )
            bottom = in_bottom[1] - LABEL_GAP - height
        if style.caption:
            text = caption_text(self.spec) if style.caption is True else str(style.caption)
            lines = text.split("\n")
            half = max(text_width(line, CAPTION_SIZE) for line in lines) / 2
            x, y = (extent.x0 + extent.x1) / 2, bottom - LABEL_GAP
            height = len(lines) * CAPTION_SIZE * 1.3 / 72 / CELL_INCHES
            items.append(
                ((x, y), text,
                 {"fontsize": CAPTION_SIZE, "ha": "center", "va": "top", "linespacing": 1.3},
                 Extent(x - half, x + half, y - height, y))
            )
        return items

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""
        color = to_unit_rgb(self.style.line_color)
        return [
            Text(x, y, text, color=color, zorder=Z_TEXT, **options)
            for (x, y), text, options, _ in self._annotations()
        ]

    def moving(self, step: Step) -> list[Shape]:
        """The shapes of one step, in drawing order: footprint, connectors, current cell."""
        style = self.style
        r0, c0 = step.window_start
        er, ec = self.spec.effective_kernel_size
        at_window = tuple(self._input_lattice[r0, c0] - self._input_lattice[0, 0])
        shapes = [
            Shape(self._footprint_fill, face=self._shadow,
                  zorder=Z_FOOTPRINT, clip=self._footprint_clip, offset=at_window),
            Shape(self._footprint_grid, edge=self._line, linewidth=THICK, zorder=Z_FOOTPRINT,
                  clip=self._footprint_clip, offset=at_window),
        ]
        orow, ocol = step.output_index
        if style.connectors:
            corners = self._input_lattice[[r0 + er, r0 + er, r0, r0], [c0, c0 + ec, c0 + ec, c0]]
            cell = self._output_quads[orow, ocol]
            visible = self._output_occluder.visible_part(np.stack([corners, cell], axis=1))
            shapes.append(
                Shape(segments_path(visible), edge=self._connector,
                      linewidth=THIN, zorder=Z_CONNECTORS)
            )
        shapes.append(
            Shape(self._cell, face=self._current,
                  edge=self._line, linewidth=THICK, zorder=Z_CURRENT,
                  offset=tuple(self._output_lattice[orow, ocol] - self._output_lattice[0, 0]))
        )
        return shapes
