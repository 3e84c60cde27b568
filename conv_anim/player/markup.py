"""The player's markup: one HTML fragment holding the sprite sheet, the cells, the
controls and the script, with no external reference of any kind.

The DOM contract, which tests (ours and any user's) drive:

- the root ``div.conv-anim-player`` carries ``data-step`` (the step shown) and
  ``data-steps`` (how many);
- each cell is an SVG ``polygon.ca-cell`` with ``data-output-index``,
  ``data-input-index``, ``data-pad-index`` or ``data-hidden-index`` (indices joined by
  commas, channel first for figures with channels), and ``data-label`` (in words);
- a highlighted cell has the class ``active``;
- the controls are buttons with ``data-action="prev"``, ``"play"`` and ``"next"``, a
  range input ``data-action="scrub"`` and a select ``data-action="speed"``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass
from importlib import resources

from conv_anim.geometry import ConvSpec
from conv_anim.player.cells import CellTable
from conv_anim.player.sprite import SpriteSheet
from conv_anim.render.base import Hotspot

#: Playback speeds offered, as multiples of the frame rate.
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
#: The narrowest a player is laid out, in CSS pixels (its controls need the room);
#: a narrower screen scales it down.
MIN_WIDTH = 300


@dataclass(frozen=True)
class Figure:
    """What one player shows.

    Attributes
    ----------
    sheet : SpriteSheet
        The frames.
    table : CellTable
        The cells and the steps' links.
    labels : tuple of str
        Each cell in words, as :attr:`CellTable.cells`.
    sums : tuple of str or None
        Numerical figures: each step's computation.
    link_words : tuple of str
        How a linked cell's count reads: verb, singular noun, plural noun
        ("read by", "output cell", "output cells").
    alt : str
        The figure's description.
    """

    sheet: SpriteSheet
    table: CellTable
    labels: tuple[str, ...]
    sums: tuple[str, ...] | None
    link_words: tuple[str, str, str]
    alt: str


def _asset(name: str) -> str:
    return resources.files("conv_anim.player").joinpath(name).read_text(encoding="utf-8")


def _number(value: float) -> str:
    """A pixel coordinate, short: 55.0 -> "55", 148.5 -> "148.5"."""
    return f"{value:g}"


def _index_text(index: tuple[int, ...]) -> str:
    return ",".join(map(str, index))


def _cell(spot: Hotspot, label: str) -> str:
    points = " ".join(f"{_number(x)},{_number(y)}" for x, y in spot.polygon)
    return (
        f'<polygon class="ca-cell" data-{spot.role}-index="{_index_text(spot.index)}" '
        f'data-label="{html.escape(label)}" points="{points}"/>'
    )


def _json(value: object) -> str:
    """JSON safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _figure_svg(figure: Figure, sprite_id: str) -> str:
    sheet = figure.sheet
    width, height = sheet.frame_size
    first = sheet.patches[0]
    uri = "data:image/png;base64," + base64.b64encode(sheet.png).decode("ascii")
    cells = "".join(
        _cell(spot, label) for spot, label in zip(figure.table.cells, figure.labels, strict=True)
    )
    return (
        f'<svg class="ca-figure" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width:{width}px" role="img" '
        f'aria-label="{html.escape(figure.alt)}">'
        f'<defs><image id="{sprite_id}" width="{sheet.size[0]}" height="{sheet.size[1]}" '
        f'href="{uri}"/></defs>'
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<use href="#{sprite_id}"/></svg>'
        f'<svg class="ca-patch" x="{first.x}" y="{first.y}" width="{first.width}" '
        f'height="{first.height}" viewBox="{first.sheet_x} {first.sheet_y} '
        f'{max(first.width, 1)} {max(first.height, 1)}"><use href="#{sprite_id}"/></svg>'
        f"<g>{cells}</g></svg>"
    )


def _controls(steps: int) -> str:
    speeds = "".join(
        f'<option value="{speed:g}"{" selected" if speed == 1 else ""}>'
        f"{speed:g}\N{MULTIPLICATION SIGN}</option>"
        for speed in SPEEDS
    )
    return (
        '<div class="ca-controls">'
        '<button type="button" data-action="prev" title="Previous step (\N{LEFTWARDS ARROW})">'
        "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK} Prev</button>"
        '<button type="button" data-action="play" title="Play or pause (space)">Play</button>'
        '<button type="button" data-action="next" title="Next step (\N{RIGHTWARDS ARROW})">'
        "Next \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}</button>"
        f'<input type="range" data-action="scrub" min="0" max="{steps - 1}" step="1" '
        f'value="0" aria-label="Step" aria-valuetext="step 1 of {steps}">'
        f'<label>Speed <select data-action="speed">{speeds}</select></label>'
        f'<span class="ca-counter" aria-hidden="true">1 / {steps}</span></div>'
    )


def fragment(figure: Figure, fps: float, *, autoplay: bool) -> str:
    """The player as an HTML fragment: a ``div`` with its style, data and script.

    Deterministic: the same figure gives the same text.
    """
    sheet, table = figure.sheet, figure.table
    steps = len(table.keys)
    sprite_id = "ca-" + hashlib.sha256(sheet.png).hexdigest()[:12]
    data = {
        "fps": fps,
        "autoplay": autoplay,
        "keys": table.keys,
        "links": table.links,
        "patches": [[p.x, p.y, p.width, p.height, p.sheet_x, p.sheet_y] for p in sheet.patches],
        "sums": figure.sums,
        "linkWords": figure.link_words,
    }
    first = figure.labels[table.keys[0]] + (f": {figure.sums[0]}" if figure.sums else "")
    width = max(sheet.frame_size[0], MIN_WIDTH)
    return (
        f'<div class="conv-anim-player" style="width:{width}px" data-step="0" '
        f'data-steps="{steps}" tabindex="0" role="group" '
        f'aria-label="Interactive figure: arrow keys step, space plays or pauses" '
        f'aria-keyshortcuts="ArrowLeft ArrowRight Space">'
        f"<style>{_asset('player.css')}</style>"
        f"{_figure_svg(figure, sprite_id)}{_controls(steps)}"
        f'<p class="ca-status" aria-live="polite">{html.escape(first)}</p>'
        f'<script type="application/json" class="ca-data">{_json(data)}</script>'
        f"<script>{_asset('player.js')}</script></div>"
    )


def document(figure: Figure, fps: float, *, autoplay: bool) -> str:
    """The player as a whole HTML page (what ``Animation.save("x.html")`` writes)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(figure.alt)}</title></head>\n"
        f"<body>\n{fragment(figure, fps, autoplay=autoplay)}\n</body></html>\n"
    )


def cell_label(spot: Hotspot, spec: ConvSpec, view: str, stacked: bool) -> str:
    """A cell in words: "input (2, 3)", "padding (0, 1)", "output 2 (0, 2)" (with channels,
    the map as the drawing names it, numbered from 1, then the cell's index in it).

    Examples
    --------
    >>> spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
    >>> [cell_label(Hotspot("pad", i, ()), spec, "direct", False) for i in ((0, 0), (1, 2))]
    ['padding (0, 0)', 'inserted zero (1, 2)']
    >>> cell_label(Hotspot("hidden", (2, 5), ()), spec, "direct", True)
    'layer 2 unit (5)'
    """
    index = spot.index
    if spot.role == "hidden":
        return f"layer {index[0]} unit ({', '.join(map(str, index[1:]))})"
    channels = spec.has_channels and not stacked
    position = index[1:] if channels else index
    word = {"output": "output", "input": "input", "pad": "padding"}[spot.role]
    if spot.role == "pad" and view == "scatter":
        word = "cropped"
    elif spot.role == "pad" and spec.transposed and not stacked and _between_units(spec, position):
        word = "inserted zero"
    where = f"({', '.join(map(str, position))})"
    return f"{word} {index[0] + 1} {where}" if channels else f"{word} {where}"


def _between_units(spec: ConvSpec, position: tuple[int, ...]) -> bool:
    """Whether a grid position lies among the real units (an inserted zero), not in
    the padding around them."""
    grid = spec.grid
    return all(
        off <= p <= off + (n - 1) * gap
        for p, off, gap, n in zip(position, grid.offset, grid.spacing, grid.input_size,
                                  strict=True)
    )


__all__ = ["MIN_WIDTH", "SPEEDS", "Figure", "cell_label", "document", "fragment"]
