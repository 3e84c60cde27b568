"""Labels and captions placed around a drawing, and the page boxes they need.

A scene names its grids ("input", "output") at anchor points and may carry a caption
centred under everything; :func:`place_annotations` places them and measures them, so that
the scene's extent holds them, and :func:`text_artists` makes the matplotlib texts.
Texts are real text (selectable in PDF and SVG files), in matplotlib's default font.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from matplotlib.font_manager import FontProperties, findfont
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from conv_anim.render.base import BORDER, CELL_INCHES, Z_TEXT, Extent, Point
from conv_anim.style import Style, to_unit_rgb

#: Font sizes in points, and the gap between a grid and its label, in cells.
LABEL_SIZE = 10.0
CAPTION_SIZE = 8.0
LABEL_GAP = 0.5
LINE_SPACING = 1.3
#: Captions wrap to the drawing's width and most of its margins, or to this many cells
#: for narrow drawings.
MIN_CAPTION_WIDTH = 12.0
CAPTION_MARGIN = 0.8 * BORDER


def text_width(text: str, size: float) -> float:
    """Width of one line of text at ``size`` points, in cell units."""
    font = FontProperties(size=size)
    return _text_width(text, font, findfont(font))


@lru_cache(maxsize=4096)
def _text_width(text: str, font: FontProperties, file: str) -> float:
    """:func:`text_width`, remembered: laying a text out costs about 0.2 ms, and scenes
    measure the same labels and caption lines again and again. The key holds the font
    file that the current settings resolve to, so a changed default font is measured
    anew."""
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
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


def place_annotations(
    style: Style, grids: Extent, labels: Sequence[Label], caption: str | None = None,
    legend: str | None = None,
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
    legend : str, optional
        With the labels, what the figure's symbols mean (its dashed cells): the
        caption's first line.

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
            # A label that would run into one placed before it moves a line further out.
            while any(_collide(item.box, x - half, x + half, y, height, above)
                      for item in items):
                y += height if above else -height
            far = y + height if above else y - height
            items.append(Annotation(
                x, y, text,
                {"fontsize": LABEL_SIZE, "ha": "center", "va": "bottom" if above else "top"},
                Extent(x - half, x + half, min(y, far), max(y, far)),
            ))
            bottom = min(bottom, far)
    if style.labels and legend:
        caption = f"{legend}\n{caption}" if caption else legend
    if caption:
        width = max(grids.width + 2 * CAPTION_MARGIN, MIN_CAPTION_WIDTH)
        items.append(caption_annotation(caption, (grids.x0 + grids.x1) / 2, bottom - LABEL_GAP,
                                        width=width))
    return tuple(items)


def _collide(box: Extent, x0: float, x1: float, y: float, height: float, above: bool) -> bool:
    """Whether a label spanning ``x0..x1`` from ``y`` (up or down by ``height``) would
    touch ``box``, with a small gap between words."""
    y0, y1 = (y, y + height) if above else (y - height, y)
    gap = LABEL_GAP / 2
    return (x0 - gap < box.x1 and box.x0 < x1 + gap and y0 < box.y1 - 1e-9
            and box.y0 < y1 - 1e-9)


#: Where a clause may break between words: not around "=" ("k = 3"), not after "→"
#: ("→ output"), nor between a grid's name and its size ("input 5×5").
WORD_BREAK = re.compile(r"(?<![=,;\N{RIGHTWARDS ARROW}])(?<!input)(?<!output)(?<!kernel) (?!=)")


def _pieces(clause: str, fits: Callable[[str], bool]) -> list[str]:
    """A clause too long for a line, in pieces: its head and tail around ": " when
    each fits a line, else its words (:data:`WORD_BREAK`)."""
    head, colon, tail = clause.partition(": ")
    if colon and fits(head + ":") and fits(tail):
        return [head + ":", tail]
    return WORD_BREAK.split(clause)


def side_label(text: str, anchor: Point, align: str, size: float = CAPTION_SIZE) -> Annotation:
    """A label beside something (one line or more): its ``align`` end ("left" or
    "right") at ``anchor``, vertically centred on it."""
    lines = text.split("\n")
    width = max(text_width(line, size) for line in lines)
    height = text_height(len(lines), size)
    x, y = anchor
    left = x if align == "left" else x - width
    return Annotation(x, y, text, {"fontsize": size, "ha": align, "va": "center",
                                   "multialignment": align, "linespacing": LINE_SPACING},
                      Extent(left, left + width, y - height / 2, y + height / 2))


def wrap(text: str, width: float, size: float = CAPTION_SIZE) -> list[str]:
    """The lines of ``text`` (its own line breaks kept), each at most ``width`` cells
    wide at ``size`` points where the words allow: broken after "; " where possible,
    else after ", ", else between words, never inside "k = 3" or "input 5×5".

    Examples
    --------
    >>> wrap("input 5×5 → output 3×3; k = 3, s = 2", 0.0)
    ['input 5×5', '→ output 3×3;', 'k = 3,', 's = 2']
    >>> wrap("convolution: input 5×5 → output 5×5; k = 3, s = 1, p = 1", 14.0)
    ['convolution: input 5×5 → output 5×5;', 'k = 3, s = 1, p = 1']
    >>> wrap("transposed convolution: input 3×3 → output 5×5", 12.0)
    ['transposed convolution:', 'input 3×3 → output 5×5']
    """
    def fits(line: str) -> bool:
        return text_width(line, size) <= width

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for major in re.split(r"(?<=;) ", paragraph):
            candidate = f"{line} {major}" if line else major
            if fits(candidate):
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            for clause in re.split(r"(?<=,) ", major):
                for piece in [clause] if fits(clause) else _pieces(clause, fits):
                    candidate = f"{line} {piece}" if line else piece
                    if line and not fits(candidate):
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


def resolve_caption(style: Style, default: str, *notes: str | None) -> str | None:
    """The caption a style asks for: ``default`` for ``caption=True``, the style's own
    string, or None; then each of ``notes`` given, on a line of its own, whatever the
    style says (what a figure must say about itself, e.g. that numbers are rounded).

    >>> resolve_caption(Style(), "convolution", None, "shown rounded: outputs to 1 decimal")
    'shown rounded: outputs to 1 decimal'
    """
    caption = default if style.caption is True else (style.caption or None)
    lines = [line for line in (caption, *notes) if line]
    return "\n".join(lines) if lines else None


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
    "caption_annotation", "place_annotations", "resolve_caption", "side_label", "text_artists",
    "text_height", "text_width", "wrap",
]
