"""A transposed convolution seen two ways, side by side, with the same output.

:func:`transposed_views_figure` draws the paper's view (the equivalent direct
convolution over the stretched input) next to the scatter view of Distill and d2l
(each input unit adds its value times the kernel into the output), each at one step,
with the completed outputs underneath: the same numbers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text
from numpy.typing import ArrayLike

from conv_anim import notation
from conv_anim.geometry import ConvSpec
from conv_anim.paperdata import paper_corner
from conv_anim.render.base import CELL_INCHES, THICK, Extent, rgba
from conv_anim.render.canvas import add_scene, scene_figure
from conv_anim.render.flat import FlatScene
from conv_anim.render.grids import grid_lines
from conv_anim.render.labels import CAPTION_SIZE, LABEL_GAP, text_width
from conv_anim.render.numbers import FIT_WIDTH, SMALL_SIZE, VALUE_SIZE, CellText, text_path
from conv_anim.render.numerals import write_numbers
from conv_anim.render.scatter import ScatterScene
from conv_anim.render.shapes import Shape, quads_path, segments_path
from conv_anim.steps import ScatterStep, scatter_steps
from conv_anim.style import Style, make_style, to_unit_rgb
from conv_anim.values import Numbers

#: The transposed convolution of :func:`transposed_views_figure`: the paper's
#: padding_strides_transposed (i = 5, k = 3, s = 2, p = 1) transposed, a 3x3 input.
VIEWS_SPEC = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
#: Space between the two views, and between the views and their completed outputs, in cells.
VIEWS_GAP = 2.0
#: Text sizes in points: the views' titles and the "=" between the two outputs.
TITLE_SIZE = 9.0
EQUALS_SIZE = 20.0
#: Line spacing of multi-line texts.
LINE_SPACING = 1.3


@dataclass(frozen=True)
class _Board:
    """Shapes and texts placed on one page, drawn as a scene without moving parts.

    :func:`~conv_anim.render.canvas.scene_figure` and
    :func:`~conv_anim.render.canvas.add_scene` draw it like a scene's first frame.
    """

    static: list[Shape]
    labels: tuple[Text, ...]
    extent: Extent

    def texts(self) -> list[Text]:
        """The Text artists (each may be added to one figure only)."""
        return list(self.labels)

    def moving(self, step: object) -> list[Shape]:
        """Nothing moves on a page."""
        return []


class _Composer:
    """Scenes, grids and notes gathered on one page (cell units), and the box they cover."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.shapes: list[Shape] = []
        self.texts: list[Text] = []
        self.boxes: list[Extent] = []

    def scene(self, scene: FlatScene | ScatterScene, moving: list[Shape], left: float,
              top: float) -> None:
        """A scene and one step's shapes, its extent's top-left corner at (left, top)."""
        dx, dy = left - scene.extent.x0, top - scene.extent.y1
        self.shapes += [dataclasses.replace(s, offset=(s.offset[0] + dx, s.offset[1] + dy))
                        for s in [*scene.static, *moving]]
        for text in scene.texts():
            x, y = text.get_position()
            text.set_position((x + dx, y + dy))
            self.texts.append(text)
        width, height = scene.extent.x1 - scene.extent.x0, scene.extent.y1 - scene.extent.y0
        self.boxes.append(Extent(left, left + width, top - height, top))

    def output(self, output: np.ndarray, centre: float, top: float) -> None:
        """A completed output: cyan cells, their grid and values, centred at ``centre``."""
        rows, cols = output.shape
        left, bottom = centre - cols / 2, top - rows
        written = (write_numbers(output, SMALL_SIZE, FIT_WIDTH, decimals=1)
                   if self.style.number_style == "paper"
                   else write_numbers(output, VALUE_SIZE, FIT_WIDTH))
        cells = [(r, c) for r in range(rows) for c in range(cols)]
        texts = [CellText(text, "output", (r, c), left + c + 0.5, top - r - 0.5, written.size)
                 for text, (r, c) in zip(written.texts, cells, strict=True)]
        outline = np.array([[left, bottom], [left + cols, bottom], [left + cols, top],
                            [left, top]])
        self.shapes += [
            Shape(quads_path(outline), face=rgba(self.style.output_color)),
            Shape(segments_path(grid_lines(rows, cols, (left, bottom))),
                  edge=rgba(self.style.line_color), linewidth=THICK),
            Shape(text_path(texts)[0], face=rgba(self.style.text_color), zorder=2,
                  numbers=tuple(texts)),
        ]
        self.boxes.append(Extent(left, left + cols, bottom, top))

    def note(self, x: float, y: float, text: str, size: float, va: str = "top") -> None:
        """A text centred at ``x``, anchored at ``y`` by ``va``, in the line colour."""
        lines = text.split("\n")
        half = max(text_width(line, size) for line in lines) / 2
        height = len(lines) * size * LINE_SPACING / 72 / CELL_INCHES
        bottom = {"top": y - height, "center": y - height / 2, "bottom": y}[va]
        self.texts.append(Text(x, y, text, fontsize=size, ha="center", va=va,
                               linespacing=LINE_SPACING,
                               color=to_unit_rgb(self.style.line_color), zorder=20))
        self.boxes.append(Extent(x - half, x + half, bottom, bottom + height))

    @property
    def bottom(self) -> float:
        """The lowest point of everything placed so far."""
        return min(box.y0 for box in self.boxes)

    def figure(self) -> Figure:
        """A new Figure holding everything, with the scenes' border around it."""
        extent = Extent(min(b.x0 for b in self.boxes), max(b.x1 for b in self.boxes),
                        self.bottom, max(b.y1 for b in self.boxes))
        board = _Board(self.shapes, tuple(self.texts), extent)
        fig, ax = scene_figure(board, self.style)
        add_scene(ax, board, None)
        return fig


@dataclass(frozen=True, eq=False)
class _View:
    """One view of :func:`transposed_views_figure`: a scene at one step, its title, its
    completed output and what it took."""

    scene: FlatScene | ScatterScene
    moving: list[Shape]
    title: str
    output: np.ndarray
    note: str

    @property
    def width(self) -> float:
        """The scene's width on the page, in cells."""
        return self.scene.extent.x1 - self.scene.extent.x0

    @property
    def height(self) -> float:
        """The scene's height on the page, in cells."""
        return self.scene.extent.y1 - self.scene.extent.y0


def _views_data(spec: ConvSpec, values: Any, kernel: Any) -> tuple[Any, Any]:
    """``values`` and ``kernel``, or where None the paper's numbers
    (:func:`conv_anim.paperdata.paper_corner`), as the catalogue's scatter figure
    draws them."""
    paper_values, paper_kernel = paper_corner(spec.input_size, spec.kernel_size)
    return (paper_values if values is None else values,
            paper_kernel if kernel is None else kernel)


def _representative_unit(spec: ConvSpec, values: np.ndarray) -> int:
    """The scatter frame shown: the input unit nearest the centre whose value is not
    zero (a zero adds nothing), the first in row-major order among equals."""
    centre = np.array([(n - 1) / 2 for n in spec.input_size])
    steps = scatter_steps(spec)

    def rank(step: ScatterStep) -> tuple[bool, float, int]:
        distance = float(np.abs(np.array(step.input_index) - centre).sum())
        return bool(values[step.input_index] == 0), distance, step.index

    return min(steps, key=rank).index


def _matching_direct_step(spec: ConvSpec, unit: int) -> int:
    """The direct frame shown: the output cell at the middle of the scatter unit's
    footprint, whose window in the stretched input is centred on that same unit."""
    start = scatter_steps(spec)[unit].window_start
    cell = tuple(
        min(max(s + (e - 1) // 2, 0), o - 1)
        for s, e, o in zip(start, spec.effective_kernel_size, spec.output_size, strict=True)
    )
    return next(step.index for step in spec.steps() if step.output_index == cell)


def _check_views_spec(spec: object) -> ConvSpec:
    if spec is None:
        return VIEWS_SPEC
    if not isinstance(spec, ConvSpec) or not spec.transposed or spec.ndim != 2 or (
        spec.has_channels
    ):
        raise ValueError(
            f"spec={spec!r} is not valid: expected a 2-D transposed ConvSpec "
            f"(transposed=True, 2 spatial axes, no channels)"
        )
    return spec


def transposed_views_figure(
    spec: ConvSpec | None = None, values: ArrayLike | None = None,
    kernel: ArrayLike | None = None, **style: Any,
) -> Figure:
    """A transposed convolution seen two ways, side by side, with the same output.

    Left, the paper's view: the equivalent direct convolution, the input stretched
    by inserted zeros and padded by ``dilation * (k - 1) - p``, the flipped kernel
    sliding with stride 1 (one step shown). Right, the scatter view of Distill and
    d2l: each input unit multiplies the whole kernel and adds it into the output at
    ``index * stride - padding`` (one unit shown, the running sums so far; the cells
    the padding crops are dashed). The step shown on the left computes the output
    cell at the middle of that unit's footprint. Under each view, its output once
    complete: the gathered (:meth:`ConvSpec.apply`) and the scattered
    (:func:`~conv_anim.render.scatter.scatter_sums`) results, the same.

    Parameters
    ----------
    spec : ConvSpec, optional
        A 2-D transposed convolution without channels. Default :data:`VIEWS_SPEC`,
        ``ConvSpec(3, 3, stride=2, padding=1, transposed=True)``, the paper's
        padding_strides_transposed.
    values, kernel : array_like, optional
        The input (``spec.input_size``) and the weights (``spec.kernel_size``, in
        PyTorch's layout), finite numbers. Each defaults to the paper's numbers
        (:func:`conv_anim.paperdata.paper_corner`): for the default spec, those of
        the catalogue's padding_strides_transposed_scatter.
    **style
        Options of :class:`conv_anim.style.Style`. ``labels`` (default True here)
        names the grids; ``caption=True`` adds the parameters underneath.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ValueError
        If ``spec`` is not a 2-D transposed ConvSpec without channels; for
        ``values`` or ``kernel`` of the wrong shape, a non-numeric dtype or
        non-finite values; or for an invalid style option.
    """
    spec = _check_views_spec(spec)
    resolved = make_style(**{"labels": True, **style})
    numbers = Numbers.compute(spec, *_views_data(spec, values, kernel))
    page = _Composer(resolved)
    views = _views(spec, dataclasses.replace(resolved, caption=False), numbers)
    outputs_top = -max(view.height for view in views) - VIEWS_GAP
    left, centres = 0.0, []
    for view in views:
        centre = left + view.width / 2
        page.scene(view.scene, view.moving, left, 0.0)
        page.note(centre, LABEL_GAP, view.title, TITLE_SIZE, "bottom")
        page.output(view.output, centre, outputs_top)
        rows = view.output.shape[0]
        page.note(centre, outputs_top - rows - LABEL_GAP, view.note, CAPTION_SIZE)
        centres.append(centre)
        left += view.width + VIEWS_GAP
    middle, level = sum(centres) / 2, outputs_top - spec.output_size[0] / 2
    page.note(middle, level, "=", EQUALS_SIZE, "center")
    page.note(middle, level - 1.0, "same output", TITLE_SIZE)
    if resolved.caption:
        text = notation.caption(spec) if resolved.caption is True else str(resolved.caption)
        page.note(middle, page.bottom - LABEL_GAP, text, CAPTION_SIZE)
    return page.figure()


def _views(spec: ConvSpec, style: Style, numbers: Numbers) -> tuple[_View, _View]:
    """The direct view at the step matching the scatter view's representative unit,
    and that scatter view."""
    direct, scatter = FlatScene(spec, style, numbers), ScatterScene(spec, style, numbers)
    unit = _representative_unit(spec, numbers.values)
    return (
        _View(direct, direct.moving(spec.steps()[_matching_direct_step(spec, unit)]),
              "zeros inserted: a direct convolution\nwith the flipped kernel (the paper)",
              numbers.output, f"after {len(spec.steps())} steps, one per output cell"),
        _View(scatter, scatter.moving(scatter.steps[unit]),
              "scatter-add: each input unit adds\nits value \u00d7 the kernel (Distill, d2l)",
              scatter.sums[-1], f"after {len(scatter.steps)} steps, one per input unit"),
    )


__all__ = ["VIEWS_SPEC", "transposed_views_figure"]
