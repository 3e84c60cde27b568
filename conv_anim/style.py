"""How a figure looks: colours, scale and optional annotations (matplotlib-free)."""

from __future__ import annotations

import dataclasses
import numbers
import sys
from dataclasses import dataclass
from typing import Any

RGB = tuple[int, int, int]

#: The paper's Solarized colours.
PAPER_COLORS: dict[str, RGB] = {
    "input_color": (38, 139, 210),  # blue
    "output_color": (42, 161, 152),  # cyan
    "line_color": (0, 43, 54),  # base03: grid lines and the dashed padding grid
    "shadow_color": (7, 54, 66),  # base02: the kernel's footprint, at shadow_alpha
    "connector_color": (0, 0, 0),  # the four thin lines to the output cell
    "mark_color": (220, 50, 47),  # Solarized red: cells no step covers
    "text_color": (0, 0, 0),  # the numbers of numerical figures
    "background": (255, 255, 255),
}


#: How numerical figures write their numbers (:attr:`Style.number_style`).
NUMBER_STYLES = ("exact", "paper")


def _number(name: str, value: Any, low: float, high: float) -> float:
    """A real number in ``[low, high]`` (numpy scalars included), as a float."""
    if (
        isinstance(value, (bool, *_numpy_bool_types()))
        or not isinstance(value, numbers.Real)
        or not low <= value <= high
    ):
        raise ValueError(f"{name}={value!r} is not valid: expected a number in [{low:g}, {high:g}]")
    return float(value)


def _numpy_bool_types() -> tuple[type, ...]:
    """numpy's bool type if numpy is loaded (this module does not import it)."""
    numpy = sys.modules.get("numpy")
    return (numpy.bool_,) if numpy is not None else ()


def _check_rgb(name: str, value: Any) -> RGB:
    if (
        isinstance(value, (tuple, list))
        and len(value) == 3
        and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in value)
    ):
        return (int(value[0]), int(value[1]), int(value[2]))
    if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
        try:
            return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
        except ValueError:
            pass
    also = ", or 'transparent'" if name == "background" else ""
    raise ValueError(
        f"{name}={value!r} is not a colour: expected an (r, g, b) tuple of ints 0-255 "
        f"or a '#rrggbb' string{also}"
    )


@dataclass(frozen=True)
class Style:
    """The look of a figure. Every field has the paper's default.

    Parameters
    ----------
    input_color, output_color, line_color, shadow_color, connector_color, mark_color, text_color : tuple
        RGB colours (ints 0-255) or ``'#rrggbb'`` strings; stored as RGB tuples.
    shadow_alpha : float
        Opacity of the kernel's footprint and of the current output cell (0.4).
    background : tuple or str
        The background colour, or ``"transparent"`` (PNG frames, filmstrips and
        vector formats keep the transparency; GIF frames are composited on white).
    scale : float
        Size multiplier; 1.0 gives the original GIFs' pixel size (150 dpi).
    connectors : bool
        Draw the four thin lines joining the footprint to the output cell.
    labels : bool
        Write "input" and "output" next to the grids.
    caption : bool or str
        Write a caption under the figure: True for the parameters and output size,
        or a string of your own.
    mark_uncovered : bool
        Mark the input cells (padding included) that no step covers, which happens
        when ``(i + 2p - k)`` is not a multiple of the stride.
    mark_winners : bool
        Numerical max-pooling figures: outline the winning input unit at each step
        (every one, when several tie), and say so in the caption. Off by default, as
        in the paper.
    number_style : {"exact", "paper"}
        How numerical figures write their numbers. ``"exact"`` (default): every
        number as the value it stands for, outputs as large as the inputs.
        ``"paper"``: the paper's look, outputs small with one decimal ("6.0"; still
        exact). Numbers too long for their cells are rounded either way, and the
        caption says so and by how much.
    """

    input_color: RGB = PAPER_COLORS["input_color"]
    output_color: RGB = PAPER_COLORS["output_color"]
    line_color: RGB = PAPER_COLORS["line_color"]
    shadow_color: RGB = PAPER_COLORS["shadow_color"]
    connector_color: RGB = PAPER_COLORS["connector_color"]
    mark_color: RGB = PAPER_COLORS["mark_color"]
    text_color: RGB = PAPER_COLORS["text_color"]
    shadow_alpha: float = 0.4
    background: RGB | str = PAPER_COLORS["background"]
    scale: float = 1.0
    connectors: bool = True
    labels: bool = False
    caption: bool | str = False
    mark_uncovered: bool = False
    mark_winners: bool = False
    number_style: str = "exact"

    def __post_init__(self) -> None:
        for name in PAPER_COLORS:
            value = getattr(self, name)
            if name == "background" and value == "transparent":
                continue
            object.__setattr__(self, name, _check_rgb(name, value))
        object.__setattr__(self, "shadow_alpha", _number("shadow_alpha", self.shadow_alpha, 0, 1))
        object.__setattr__(self, "scale", _number("scale", self.scale, 0.1, 20))
        for name in ("connectors", "labels", "mark_uncovered", "mark_winners"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name}={getattr(self, name)!r} is not valid: expected True or False")
        if self.number_style not in NUMBER_STYLES:
            raise ValueError(
                f"number_style={self.number_style!r} is not valid: expected one of "
                f"{', '.join(map(repr, NUMBER_STYLES))}"
            )
        if not isinstance(self.caption, (bool, str)):
            raise ValueError(
                f"caption={self.caption!r} is not valid: expected True, False or a string"
            )

    @property
    def transparent(self) -> bool:
        """True when the background is transparent."""
        return self.background == "transparent"

    @property
    def background_rgb(self) -> RGB:
        """The background as RGB (white when transparent)."""
        return (255, 255, 255) if self.transparent else self.background  # type: ignore[return-value]

    @property
    def dpi(self) -> float:
        """Rendering resolution: 150 dpi at scale 1, as the original GIFs."""
        return 150.0 * self.scale


#: Named colour themes; any colour can still be overridden one by one.
THEMES: dict[str, dict[str, RGB]] = {
    # The paper's Solarized palette on white.
    "paper": dict(PAPER_COLORS),
    # Solarized dark: base03 background, light grid lines, a light footprint.
    "dark": {
        "input_color": (38, 139, 210),
        "output_color": (42, 161, 152),
        "line_color": (238, 232, 213),  # base2
        "shadow_color": (253, 246, 227),  # base3, light over dark fills
        "connector_color": (147, 161, 161),  # base1
        "mark_color": (220, 50, 47),
        "text_color": (253, 246, 227),  # base3
        "background": (0, 43, 54),  # base03
    },
    # Okabe and Ito's palette, distinguishable with every common colour-vision deficiency:
    # blue input, orange output, reddish purple marks.
    "colorblind": {
        "input_color": (86, 180, 233),  # sky blue
        "output_color": (230, 159, 0),  # orange
        "line_color": (0, 0, 0),
        "shadow_color": (0, 0, 0),
        "connector_color": (0, 0, 0),
        "mark_color": (204, 121, 167),  # reddish purple
        "text_color": (0, 0, 0),
        "background": (255, 255, 255),
    },
}


def make_style(style: Style | None = None, *, theme: str | None = None, **overrides: Any) -> Style:
    """Build a :class:`Style` from a theme and keyword overrides.

    Parameters
    ----------
    style : Style, optional
        The starting point (default: the paper's look).
    theme : str, optional
        A key of :data:`THEMES`: ``"paper"``, ``"dark"`` or ``"colorblind"``; its
        colours replace the starting point's, before ``overrides``.
    **overrides
        Fields of :class:`Style`, e.g. ``labels=True`` or ``input_color="#268bd2"``.

    Raises
    ------
    ValueError
        For an unknown theme or option (the message lists the allowed ones) or an
        invalid value.
    """
    base = style if style is not None else Style()
    if theme is not None:
        if theme not in THEMES:
            raise ValueError(
                f"theme={theme!r} is not valid: expected one of {', '.join(THEMES)}"
            )
        base = dataclasses.replace(base, **THEMES[theme])
    names = {f.name for f in dataclasses.fields(Style)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ValueError(
            f"unknown style option {unknown[0]!r}: expected one of {', '.join(sorted(names))}"
        )
    return dataclasses.replace(base, **overrides) if overrides else base


def to_unit_rgb(rgb: RGB) -> tuple[float, float, float]:
    """Convert 0-255 RGB to matplotlib's 0-1 floats."""
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)
