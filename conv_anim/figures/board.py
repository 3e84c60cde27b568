"""A board: scenes at one step, shapes and notes placed on one page, drawn as one figure.

The static figures that set several scenes side by side (a forward pass and its
backward pass, overlaps, the input sizes that share an output) gather them on a
:class:`Board` in page units (cells, x to the right, y upwards). The board is
drawn as a scene's first frame is, with the scenes' pixel-exact border
(:func:`~conv_anim.render.canvas.page_figure`).

>>> from conv_anim.style import Style
>>> board = Board(Style())
>>> board.note(0.0, 0.0, "a note", 8.0).y1
0.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

from conv_anim.render.base import Extent
from conv_anim.render.canvas import page_figure
from conv_anim.render.labels import caption_annotation, text_artists
from conv_anim.render.shapes import Shape
from conv_anim.style import Style


class Board:
    """Shapes and texts placed on one page, and the box they cover.

    Parameters
    ----------
    style : Style
        The look (background, resolution, the notes' colour).
    """

    def __init__(self, style: Style) -> None:
        self.style = style
        self.static: list[Shape] = []
        self._texts: list[Text] = []
        self._boxes: list[Extent] = []

    def place(self, scene: Any, moving: Sequence[Shape], left: float, top: float) -> Extent:
        """A scene and one step's shapes, its extent's top-left corner at (left, top).

        Returns the page box the scene covers.
        """
        dx, dy = left - scene.extent.x0, top - scene.extent.y1
        self.static += [dataclasses.replace(s, offset=(s.offset[0] + dx, s.offset[1] + dy))
                        for s in [*scene.static, *moving]]
        for text in scene.texts():
            x, y = text.get_position()
            text.set_position((x + dx, y + dy))
            self._texts.append(text)
        box = Extent(left, left + scene.extent.width, top - scene.extent.height, top)
        self._boxes.append(box)
        return box

    def shapes(self, shapes: Sequence[Shape], box: Extent) -> None:
        """Shapes already in page coordinates, covering ``box``."""
        self.static += shapes
        self._boxes.append(box)

    def note(self, x: float, y: float, text: str, size: float, *, va: str = "top",
             width: float = float("inf")) -> Extent:
        """A text centred at ``x``, its lines wrapped to ``width`` cells; its first
        line's top at ``y`` (``va="top"``) or its last line's bottom (``"bottom"``).

        Returns the page box it covers.
        """
        note = caption_annotation(text, x, y, size, width)
        if va == "bottom":
            note = dataclasses.replace(
                note, y=y + note.box.height,
                box=Extent(note.box.x0, note.box.x1, y, y + note.box.height))
        self._texts += text_artists([note], self.style)
        self._boxes.append(note.box)
        return note.box

    @property
    def extent(self) -> Extent:
        """The page rectangle of everything placed."""
        first, *others = self._boxes
        return first.union(others)

    def texts(self) -> list[Text]:
        """The Text artists placed (each may be added to one figure only)."""
        return list(self._texts)

    def figure(self) -> Figure:
        """A new Figure (not attached to pyplot) holding everything, with the scenes'
        border around it."""
        fig, ax = page_figure(self.extent, self.style)
        for shape in self.static:
            ax.add_artist(shape.artist())
        for text in self._texts:
            ax.add_artist(text)
        return fig


__all__ = ["Board"]
