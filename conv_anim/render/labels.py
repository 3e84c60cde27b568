"""Labels and captions placed around a drawing, and the page boxes they need.

A scene names its grids ("input", "output") at anchor points and may carry a caption
centred under everything; :func:`annotations` places them and measures them, so that
the scene's extent holds them, and :func:`text_artists` makes the matplotlib texts.
Texts are real text (selectable in PDF and SVG files), in matplotlib's default font.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from conv_anim.render.base import CELL_INCHES, Z_TEXT, Extent, Point
from conv_anim.style import Style, to_unit_rgb

#: Font sizes in points, and the gap between a grid and its label, in cells.
LABEL_SIZE = 10.0
CAPTION_SIZE = 8.0
LABEL_GAP = 0.5
LINE_SPACING = 1.3
#: Captions wrap to the drawing's width, or to this many cells for narrow drawings.
MIN_CAPTION_WIDTH = 12.0


def text_width(text: str, size: float) -> float:
    """Width of one line of text at ``size`` points, in cell units."""
    width, _, _ = TextToPath().get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return float(width) / 72 / CELL_INCHES


def text_height(lines: int, size: float) -> float:
    """Height of ``lines`` lines of text at ``size`` points, in cell units."""
    return lines * size * LINE_SPACING / 72 / CELL_INCHES


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


#: A grid's label: its text, the page point it is centred on, and whether it goes above
#: that point (else below).
Label = tuple[str, Point, bool]


def annotations(
    style: Style, grids: Extent, labels: Sequence[Label], caption: str | None = None,
) -> tuple[Annotation, ...]:
    """Labels and caption, placed as the 2-D figure places them.

    Parameters
    ----------
    style : Style
        ``style.labels`` turns the labels on.
    grids : Extent
        The page rectangle of the drawing without annotations.
    labels : sequence of (text, anchor, above)
        Each label's text, the page point it is centred on, and whether it goes
        above that point (else below), :data:`LABEL_GAP` away.
    caption : str, optional
        The caption, centred under everything (possibly several lines).

    Returns
    -------
    tuple of Annotation
        The labels, then the caption.
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
    if caption:
        width = max(grids.width, MIN_CAPTION_WIDTH)
        items.append(caption_annotation(caption, (grids.x0 + grids.x1) / 2, bottom - LABEL_GAP,
                                        width=width))
    return tuple(items)


def wrap(text: str, width: float, size: float = CAPTION_SIZE) -> list[str]:
    """The lines of ``text`` (its own line breaks kept), each at most ``width`` cells
    wide at ``size`` points where the words allow: broken after a clause (", " or "; ")
    where possible, else between words, never inside "k = 3".

    Examples
    --------
    >>> wrap("input 5×5; k = 3, s = 2", 0.0)
    ['input', '5×5;', 'k = 3,', 's = 2']
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for clause in re.split(r"(?<=[,;]) ", paragraph):
            pieces = [clause]
            if text_width(clause, size) > width:
                pieces = re.split(r"(?<![=,;]) (?!=)", clause)
            for piece in pieces:
                candidate = f"{line} {piece}" if line else piece
                if line and text_width(candidate, size) > width:
                    lines.append(line)
                    candidate = piece
                line = candidate
        lines.append(line)
    return lines


def caption_annotation(text: str, x: float, top: float, size: float = CAPTION_SIZE,
                       width: float = math.inf) -> Annotation:
    """A caption centred at ``x`` whose first line's top is at ``top``, its lines
    wrapped to ``width`` cells (:func:`wrap`)."""
    lines = wrap(text, width, size)
    text = "\n".join(lines)
    half = max(text_width(line, size) for line in lines) / 2
    return Annotation(
        x, top, text,
        {"fontsize": size, "ha": "center", "va": "top", "linespacing": LINE_SPACING},
        Extent(x - half, x + half, top - text_height(len(lines), size), top),
    )


def resolve_caption(style: Style, default: str) -> str | None:
    """The caption a style asks for: ``default`` for ``caption=True``, the style's own
    string, or None."""
    if style.caption is True:
        return default
    return style.caption or None


def text_artists(items: Iterable[Annotation], style: Style, zorder: float = Z_TEXT) -> list[Text]:
    """New Text artists (data coordinates) for annotations, in the line colour."""
    color = to_unit_rgb(style.line_color)
    return [
        Text(item.x, item.y, item.text, color=color, zorder=zorder, parse_math=False,
             **item.options)
        for item in items
    ]


__all__ = [
    "CAPTION_SIZE", "LABEL_GAP", "LABEL_SIZE", "LINE_SPACING", "Annotation", "Label",
    "annotations", "caption_annotation", "resolve_caption", "text_artists", "text_height",
    "text_width",
]
