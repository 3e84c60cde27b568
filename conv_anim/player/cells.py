"""The cells a reader can point at in a player: every hotspot of every step once, and
which of them names each step and which it links.

Built from the scene's hotspots placed on the frame's pixels
(:func:`~conv_anim.render.canvas.pixel_hotspots`), so it works for every kind of
figure without knowing which scene drew it.

>>> from conv_anim import ConvSpec, animate
>>> table = cell_table(animate(ConvSpec(3, 2)))
>>> len(table.cells), table.keys, table.links[0]
(13, (9, 10, 11, 12), (0, 1, 3, 4))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conv_anim.render.base import Hotspot, Index, Role, StepHotspots
from conv_anim.render.canvas import pixel_hotspots

if TYPE_CHECKING:
    from conv_anim.animation import Animation

#: The order of cells in a player's markup: what is read first, what computes last.
ROLE_ORDER: dict[Role, int] = {"input": 0, "pad": 1, "hidden": 2, "output": 3}


@dataclass(frozen=True)
class CellTable:
    """Every cell of a figure once, and the steps as numbers into it.

    Attributes
    ----------
    cells : tuple of Hotspot
        Each distinct cell (role and index), polygons in frame pixels, ordered by
        role (input, pad, hidden, output), then index.
    keys : tuple of int
        Per step, the cell that names it (the output cell it computes; the input
        unit of a scatter step).
    links : tuple of tuple of int
        Per step, the cells it links (the cells it reads; a scatter step's outputs).
    """

    cells: tuple[Hotspot, ...]
    keys: tuple[int, ...]
    links: tuple[tuple[int, ...], ...]

    def readers(self, cell: int) -> tuple[int, ...]:
        """The steps that link ``cell``, in order.

        Examples
        --------
        >>> from conv_anim import ConvSpec, animate
        >>> cell_table(animate(ConvSpec(3, 2))).readers(4)  # the centre input unit
        (0, 1, 2, 3)
        """
        return tuple(n for n, linked in enumerate(self.links) if cell in linked)


def table_of(hotspots: Sequence[StepHotspots]) -> CellTable:
    """The cell table of steps' hotspots (polygons as given).

    Raises
    ------
    ValueError
        If two steps name the same key cell, or place one cell at two polygons: the
        player could not tell which step a pointer means.
    """
    polygons: dict[tuple[Role, Index], Hotspot] = {}
    for spots in hotspots:
        for spot in (spots.key, *spots.linked):
            known = polygons.setdefault(spot.key, spot)
            if known.polygon != spot.polygon:
                raise ValueError(f"cell {spot.key} is drawn at two places")
    ordered = sorted(polygons, key=lambda key: (ROLE_ORDER[key[0]], key[1]))
    number = {key: n for n, key in enumerate(ordered)}
    keys = tuple(number[spots.key.key] for spots in hotspots)
    if len(set(keys)) != len(keys):
        raise ValueError("two steps are named by the same cell")
    links = tuple(tuple(number[spot.key] for spot in spots.linked) for spots in hotspots)
    return CellTable(tuple(polygons[key] for key in ordered), keys, links)


def cell_table(animation: Animation) -> CellTable:
    """The cell table of an animation, its polygons in frame pixels."""
    return table_of(pixel_hotspots(animation.scene, animation.style, animation.steps))


__all__ = ["ROLE_ORDER", "CellTable", "cell_table", "table_of"]
