"""The colours a scene paints, and the GIF palette that holds them and their blends.

A scene paints areas (fills: the background, the input and output, the shadow over
each) and strokes over them (grid lines, connectors, numbers). Antialiasing mixes a
stroke with the fill under it, so the palette holds, besides every colour painted,
the blends of each stroke with each fill (and with the other strokes); fills meet one
another only under a line, so they get no blends of their own. Few, well-chosen
blends keep the table small: up to 63 colours a GIF's codes start at 7 bits rather
than 9, which with the more regular antialiasing makes the paper's 15 animations
about a sixth smaller, with no visible change (every blend within a few levels).

>>> from conv_anim.style import Style
>>> inks = style_inks(Style())
>>> len(inks.fills), len(inks.strokes)
(6, 2)
>>> len(palette_for(inks))
59
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from conv_anim.export import Palette
from conv_anim.render.base import MARK_ALPHA, blend
from conv_anim.style import RGB, Style

#: Blend levels between a stroke and what it is drawn over: grid lines and numbers get
#: more (their edges are long and in plain view), thin connectors and marks fewer.
LINE_LEVELS = 5
TEXT_LEVELS = 5
THIN_LEVELS = 3


@dataclass(frozen=True)
class Inks:
    """The opaque colours a scene paints.

    Attributes
    ----------
    fills : tuple of RGB
        Areas: background first, then fills and composited shadows.
    strokes : tuple of (RGB, int)
        Lines and text, each with how many blends it gets against every fill and
        every other stroke.
    """

    fills: tuple[RGB, ...]
    strokes: tuple[tuple[RGB, int], ...]

    def plus(self, *, fills: tuple[RGB, ...] = (),
             strokes: tuple[tuple[RGB, int], ...] = ()) -> Inks:
        """These inks and more (repeated colours are dropped by the palette)."""
        return Inks(self.fills + fills, self.strokes + strokes)


def opaque(top: RGB, alpha: float, under: RGB) -> RGB:
    """``top`` at opacity ``alpha`` over ``under``, as 0-255 RGB.

    >>> opaque((0, 0, 0), 0.5, (255, 255, 255))
    (128, 128, 128)
    """
    r, g, b, _ = blend(top, alpha, under)
    return round(255 * r), round(255 * g), round(255 * b)


def style_inks(style: Style) -> Inks:
    """What every arithmetic figure paints: background, input and output, the kernel's
    shadow over each (and the marks over the background and input when the style
    marks uncovered cells); grid lines and connectors over them."""
    areas = (style.background_rgb, style.input_color, style.output_color)
    fills = areas + tuple(opaque(style.shadow_color, style.shadow_alpha, a) for a in areas)
    if style.mark_uncovered:
        fills += tuple(opaque(style.mark_color, MARK_ALPHA, a) for a in areas[:2])
    return Inks(fills, ((style.line_color, LINE_LEVELS), (style.connector_color, THIN_LEVELS)))


def numbers_inks(style: Style, marks_winners: bool) -> Inks:
    """What a numerical figure paints: :func:`style_inks`, its numbers, and the
    max-pooling mark when drawn."""
    strokes: tuple[tuple[RGB, int], ...] = ((style.text_color, TEXT_LEVELS),)
    if marks_winners:
        strokes += ((style.mark_color, THIN_LEVELS),)
    return style_inks(style).plus(strokes=strokes)


@lru_cache(maxsize=16)
def palette_for(inks: Inks) -> Palette:
    """The GIF palette of ``inks``: every colour, then each stroke's blends with every
    fill and every other stroke (a stroke over a stroke: the fewer levels of the two).

    The fills come first, in order, so that the background is index 0.
    """
    strokes = tuple(color for color, _ in inks.strokes)
    base = [*inks.fills, *strokes]
    table = [np.array(Palette.from_colors(base, blends=[], levels=0).colors)]
    for n, (stroke, levels) in enumerate(inks.strokes):
        pairs = [(stroke, fill) for fill in inks.fills if fill != stroke]
        table.append(_blends(base, pairs, levels))
        for other, other_levels in inks.strokes[n + 1:]:
            if other != stroke:
                table.append(_blends(base, [(stroke, other)], min(levels, other_levels)))
    rows = np.concatenate(table)
    _, first = np.unique(rows.astype(np.int64) @ [1, 256, 65536], return_index=True)
    return Palette(rows[np.sort(first)])


def _blends(base: list[RGB], pairs: list[tuple[RGB, RGB]], levels: int) -> np.ndarray:
    """The blend colours of ``pairs`` at ``levels`` levels (base colours excluded)."""
    if not pairs or levels == 0:
        return np.zeros((0, 3), np.uint8)
    colors = np.array(Palette.from_colors(base, blends=pairs, levels=levels).colors)
    return colors[len(Palette.from_colors(base, blends=[], levels=0)):]


__all__ = ["LINE_LEVELS", "TEXT_LEVELS", "THIN_LEVELS", "Inks", "numbers_inks", "opaque",
           "palette_for", "style_inks"]
