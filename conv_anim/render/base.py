"""What every scene shares: the Scene protocol and its hotspots, page units, colours,
line widths and stacking order.

A scene is one figure described as shapes in page coordinates, in cell units (x to
the right, y upwards): the shapes that never change (``static``), those of one step
(``moving(step)``), its labels and caption (``texts()``), the page rectangle it covers
(``extent``), and for each step where its cells are (``hotspots(step)``), so that an
exporter can make any figure interactive without knowing which scene drew it.

The renderers (:mod:`~conv_anim.render.slanted`, :mod:`~conv_anim.render.flat`, ...)
build on this module and on :mod:`~conv_anim.render.shapes`,
:mod:`~conv_anim.render.grids`, :mod:`~conv_anim.render.numbers` and
:mod:`~conv_anim.render.labels`; they never import each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

import numpy as np

from conv_anim.style import RGB, to_unit_rgb

if TYPE_CHECKING:
    from matplotlib.text import Text

    from conv_anim.render.palette import Inks
    from conv_anim.render.shapes import Shape

RGBA = tuple[float, float, float, float]
Point = tuple[float, float]
Index = tuple[int, ...]

#: One cell is 0.5 cm on the page (the paper's TikZ template's ``scale=.5``).
CELL_INCHES = 0.5 / 2.54
#: The standalone class's 10 pt border around a figure, in cell units.
BORDER = (10 / 72) / CELL_INCHES
#: Cell units per point.
POINT = 1 / 72 / CELL_INCHES
#: TikZ line widths (``thick``, ``thin``) and its ``dashed`` pattern, in points.
THICK = 0.8
THIN = 0.4
DASHES = (3.0, 3.0)
#: The same dashes in page units (cells), for dashes drawn as segments.
DASHED = (DASHES[0] * (1 / 72 / CELL_INCHES), DASHES[1] * (1 / 72 / CELL_INCHES))
#: Opacity of the mark on cells that no step covers.
MARK_ALPHA = 0.45
#: Stacking order of the layers every scene has.
Z_INPUT, Z_FOOTPRINT, Z_CONNECTORS, Z_OUTPUT, Z_CURRENT, Z_TEXT = 1, 2, 3, 5, 6, 7


def rgba(rgb: RGB, alpha: float = 1.0) -> RGBA:
    """0-255 RGB and an alpha as matplotlib's RGBA floats.

    Examples
    --------
    >>> rgba((255, 0, 51), 0.5)
    (1.0, 0.0, 0.2, 0.5)
    """
    return (*to_unit_rgb(rgb), alpha)


def blend(top: RGB, alpha: float, under: RGB) -> RGBA:
    """``top`` at opacity ``alpha`` over the opaque ``under``, as an opaque RGBA.

    Examples
    --------
    >>> blend((0, 0, 0), 0.5, (255, 255, 255))
    (0.5, 0.5, 0.5, 1.0)
    """
    r, g, b = (alpha * t / 255 + (1 - alpha) * u / 255 for t, u in zip(top, under, strict=True))
    return (r, g, b, 1.0)


def scaled_dashes(cell: float) -> tuple[float, float]:
    """The dash pattern for cells of side ``cell``: as many dashes per cell as at side 1."""
    return DASHES[0] * cell, DASHES[1] * cell


@dataclass(frozen=True)
class Extent:
    """A page rectangle in cell units.

    Examples
    --------
    >>> Extent(0, 2, 0, 1).union([Extent(-1, 0, 0, 3)])
    Extent(x0=-1, x1=2, y0=0, y1=3)
    """

    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def width(self) -> float:
        """``x1 - x0``."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """``y1 - y0``."""
        return self.y1 - self.y0

    def grown(self, margin: float) -> Extent:
        """This rectangle with ``margin`` added on every side."""
        return Extent(self.x0 - margin, self.x1 + margin, self.y0 - margin, self.y1 + margin)

    def union(self, boxes: Iterable[Extent]) -> Extent:
        """The smallest page rectangle holding this one and every one of ``boxes``."""
        extent = self
        for box in boxes:
            extent = Extent(
                min(extent.x0, box.x0), max(extent.x1, box.x1),
                min(extent.y0, box.y0), max(extent.y1, box.y1),
            )
        return extent

    @classmethod
    def around(cls, points: np.ndarray, boxes: Iterable[Extent] = ()) -> Extent:
        """The smallest page rectangle holding page ``points`` (..., 2) and ``boxes``."""
        flat = np.asarray(points, dtype=float).reshape(-1, 2)
        (x0, y0), (x1, y1) = flat.min(axis=0), flat.max(axis=0)
        return cls(float(x0), float(x1), float(y0), float(y1)).union(boxes)


#: What a hotspot is: a cell of the output, a real input unit, a cell of padding (or an
#: inserted zero of a transposed convolution), or a unit of a stack's hidden layer.
Role = Literal["output", "input", "pad", "hidden"]


@dataclass(frozen=True)
class Hotspot:
    """One cell of a figure that a reader can point at.

    Attributes
    ----------
    role : {"output", "input", "pad", "hidden"}
        What the cell is.
    index : tuple of int
        Which cell: for ``"output"`` the output index (channel first when the figure
        has channels); for ``"input"`` the spec's own input index (that of
        :attr:`~conv_anim.geometry.Step.input_indices`: for a transposed convolution
        its small input, not the stretched grid); for ``"pad"`` the position in the
        padded (or stretched) grid; for ``"hidden"`` the layer, then the unit.
    polygon : tuple of (float, float)
        The cell's corners, in order, in page coordinates (cell units), or in pixels
        once placed on a frame (:func:`~conv_anim.render.canvas.pixel_hotspots`).
    """

    role: Role
    index: Index
    polygon: tuple[Point, ...]

    @property
    def key(self) -> tuple[Role, Index]:
        """``(role, index)``: what identifies the cell, wherever it is drawn."""
        return self.role, self.index


def polygon(corners: np.ndarray) -> tuple[Point, ...]:
    """Corners (M, 2) as a hotspot polygon of Python floats."""
    return tuple((float(x), float(y)) for x, y in np.asarray(corners, dtype=float))


@dataclass(frozen=True)
class StepHotspots:
    """Where one step is on the page.

    Attributes
    ----------
    key : Hotspot
        The cell that names the step: the output cell it computes (for the scatter
        view, the input unit that scatters). Pointing at it shows this step.
    linked : tuple of Hotspot
        The cells the step connects it to: the input cells it reads, padding and
        inserted zeros included (scatter view: the output cells it adds into; a
        stack: the units of every layer below). Pointing at one of them highlights
        every step that links it.
    """

    key: Hotspot
    linked: tuple[Hotspot, ...]


StepT = TypeVar("StepT", contravariant=True)


class Scene(Protocol[StepT]):
    """A figure as shapes in page coordinates (cell units), one step at a time.

    The canvas (:mod:`~conv_anim.render.canvas`) draws any scene into a user's Axes,
    a figure of its own, or fast blitted frames; the exporters read its hotspots.
    """

    @property
    def extent(self) -> Extent:
        """The page rectangle of the figure, labels and caption included."""

    @property
    def static(self) -> Sequence[Shape]:
        """The shapes that never change, bottom to top."""

    def moving(self, step: StepT) -> list[Shape]:
        """The shapes of one step, bottom to top."""

    def texts(self) -> list[Text]:
        """New Text artists for the labels and caption (data coordinates)."""

    @property
    def inks(self) -> Inks:
        """The colours it paints: its GIF palette holds them and their blends
        (:mod:`~conv_anim.render.palette`)."""

    def hotspots(self, step: StepT) -> StepHotspots:
        """Where the step's cells are: its key cell and the cells linked to it."""


__all__ = [
    "BORDER", "CELL_INCHES", "DASHED", "DASHES", "MARK_ALPHA", "POINT", "RGBA", "THICK", "THIN",
    "Extent", "Hotspot", "Point", "Role", "Scene", "StepHotspots", "blend", "polygon", "rgba",
    "scaled_dashes",
]
