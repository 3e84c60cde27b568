"""Explorable figures: any animation as one self-contained interactive HTML player.

The player shows the animation's frames (one sprite sheet, in the GIF's colours) with
controls (previous, play/pause, next, a scrubber, the speed; keys ←/→ and space) and
its cells live: pointing at an output cell shows the step that computes it (a click
pins it), pointing at an input cell (padding and inserted zeros included) highlights
every output cell that reads it, with their count; numerical figures write out each
step's sum with their own numbers. It needs no server and no network: the frames are
embedded and the script (:file:`player.js`, a hundred lines of plain JavaScript) is
inline. The markup's DOM contract is in :mod:`conv_anim.player.markup`.

:meth:`Animation.to_html <conv_anim.animation.Animation.to_html>`,
:meth:`Animation.interactive <conv_anim.animation.Animation.interactive>` and
``Animation.save("x.html")`` call this package.

>>> from conv_anim import ConvSpec, animate
>>> text = to_html(animate(ConvSpec(4, 3, stride=1)))
>>> text.startswith('<div class="conv-anim-player"'), 'data-steps="4"' in text
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conv_anim.errors import ParameterError
from conv_anim.export import check_fps
from conv_anim.player.cells import cell_table
from conv_anim.player.markup import Figure, cell_label, document, fragment
from conv_anim.player.sprite import sprite_sheet
from conv_anim.player.sums import step_sums

if TYPE_CHECKING:
    from conv_anim.animation import Animation


def figure_of(animation: Animation) -> Figure:
    """Everything a player of ``animation`` shows: its frames, cells, words and sums."""
    table = cell_table(animation)
    stacked = len(animation.specs) > 1
    labels = tuple(
        cell_label(spot, animation.spec, animation.view, stacked) for spot in table.cells
    )
    if animation.view == "scatter":
        words = ("receives from", "input unit", "input units")
    elif stacked:
        words = ("feeds", "unit of the last layer", "units of the last layer")
    else:
        words = ("read by", "output cell", "output cells")
    return Figure(sprite_sheet(animation), table, labels, step_sums(animation), words,
                  animation.alt)


def to_html(animation: Animation, fps: float = 1.0, *, autoplay: bool = True) -> str:
    """The animation as an interactive player: an HTML fragment to embed in a page.

    Parameters
    ----------
    animation : Animation
        Any animation (every view, channels, 1-D, 3-D, stacks).
    fps : float
        Steps per second when playing (the speed control multiplies it).
    autoplay : bool
        Start playing when the page shows it (not for readers who ask for reduced
        motion).

    Returns
    -------
    str
        A ``div`` with its style, data and script; deterministic.

    Raises
    ------
    ParameterError
        For an invalid ``fps`` or ``autoplay``.
    """
    fps, autoplay = check_fps(fps), _flag(autoplay)
    return fragment(figure_of(animation), fps, autoplay=autoplay)


def to_document(animation: Animation, fps: float = 1.0, *, autoplay: bool = True) -> str:
    """The player as a whole HTML page (as :func:`to_html`, with a head and body)."""
    fps, autoplay = check_fps(fps), _flag(autoplay)
    return document(figure_of(animation), fps, autoplay=autoplay)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ParameterError.invalid("autoplay", value, "True or False")
    return value


@dataclass(frozen=True)
class Player:
    """An interactive player for notebooks: Jupyter, VS Code and nbconvert show its
    HTML (it needs no kernel).

    Attributes
    ----------
    html : str
        The player (:func:`to_html`).
    """

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Player({len(self.html):,} characters of HTML)"


__all__ = ["Figure", "Player", "figure_of", "to_document", "to_html"]
