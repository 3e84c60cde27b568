"""How a figure looks: colours, scale and optional annotations (matplotlib-free).

:class:`Style` holds the look, validated when it is made (every colour an RGB tuple
or ``'#rrggbb'``, numbers in range, flags booleans); :data:`THEMES` are named
palettes; :func:`make_style` builds a Style from a theme and overrides, and
:func:`as_style` validates a ``style=`` argument given as a Style or a theme's name.
Every invalid value raises :class:`~conv_anim.errors.ParameterError` naming it.
"""

from __future__ import annotations

import dataclasses
import numbers
import re
import sys
from dataclasses import dataclass
from typing import Any

from conv_anim.errors import ParameterError
from conv_anim.params import as_int

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


def _number(name: str, value: object, low: float, high: float) -> float:
    """A real number in ``[low, high]`` (numpy scalars included), as a float."""
    allowed = f"a number in [{low:g}, {high:g}]"
    if isinstance(value, (bool, *_numpy_bool_types())) or not isinstance(value, numbers.Real):
        raise ParameterError(
            f"{name}={value!r} is not valid: expected {allowed}",
            parameter=name, value=value, allowed=allowed,
        )
    number = float(value)
    if not low <= number <= high:
        raise ParameterError(
            f"{name}={value!r} is not valid: expected {allowed}",
            parameter=name, value=value, allowed=allowed,
        )
    return number


def _numpy_bool_types() -> tuple[type, ...]:
    """numpy's bool type if numpy is loaded (this module does not import it)."""
    numpy = sys.modules.get("numpy")
    return (numpy.bool_,) if numpy is not None else ()


_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def check_color(name: str, value: object) -> RGB:
    """Validate a colour: an ``(r, g, b)`` tuple or list of ints 0-255, or ``'#rrggbb'``.

    Parameters
    ----------
    name : str
        The parameter, named by the error (``"input_color"``).
    value : object
        The colour given.

    Returns
    -------
    tuple of int
        The colour as RGB.

    Raises
    ------
    ParameterError
        For anything else: ``"#-1-2-3"``, ``"#12345"``, ``(256, 0, 0)``, booleans...

    Examples
    --------
    >>> check_color("input_color", "#268BD2"), check_color("input_color", [0, 43, 54])
    ((38, 139, 210), (0, 43, 54))
    """
    if isinstance(value, (tuple, list)) and len(value) == 3:
        channels = [as_int(v) for v in value]
        if all(c is not None and 0 <= c <= 255 for c in channels):
            red, green, blue = (c for c in channels if c is not None)
            return (red, green, blue)
    if isinstance(value, str) and _HEX_COLOR.fullmatch(value):
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    also = ", or 'transparent'" if name == "background" else ""
    allowed = f"an (r, g, b) tuple of ints 0-255 or a '#rrggbb' string{also}"
    raise ParameterError(
        f"{name}={value!r} is not a colour: expected {allowed}",
        parameter=name, value=value, allowed=allowed,
    )


@dataclass(frozen=True)
class Style:
    """The look of a figure. Every field has the paper's default.

    Parameters
    ----------
    input_color, output_color, line_color, shadow_color : tuple or str
        RGB colours (ints 0-255) or ``'#rrggbb'`` strings; stored as RGB tuples.
    connector_color, mark_color, text_color : tuple or str
        Likewise.
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
            object.__setattr__(self, name, check_color(name, value))
        object.__setattr__(self, "shadow_alpha", _number("shadow_alpha", self.shadow_alpha, 0, 1))
        object.__setattr__(self, "scale", _number("scale", self.scale, 0.1, 20))
        for name in ("connectors", "labels", "mark_uncovered", "mark_winners"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise ParameterError(
                    f"{name}={value!r} is not valid: expected True or False",
                    parameter=name, value=value, allowed="True or False",
                )
        if self.number_style not in NUMBER_STYLES:
            raise ParameterError.choice("number_style", self.number_style, NUMBER_STYLES)
        if not isinstance(self.caption, (bool, str)):
            raise ParameterError(
                f"caption={self.caption!r} is not valid: expected True, False or a string",
                parameter="caption", value=self.caption, allowed="True, False or a string",
            )

    @property
    def transparent(self) -> bool:
        """True when the background is transparent."""
        return self.background == "transparent"

    @property
    def background_rgb(self) -> RGB:
        """The background as RGB (white when transparent)."""
        return (255, 255, 255) if isinstance(self.background, str) else self.background

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
    ParameterError
        For a ``style`` that is not a Style, an unknown theme or option (the message
        lists the allowed ones) or an invalid value.

    Examples
    --------
    >>> make_style(theme="dark", labels=True).background
    (0, 43, 54)
    """
    if style is not None and not isinstance(style, Style):
        raise ParameterError.invalid("style", style, "a conv_anim.style.Style or None")
    base = style if style is not None else Style()
    if theme is not None:
        base = dataclasses.replace(base, **_theme_colors(theme, "theme"))
    names = {f.name for f in dataclasses.fields(Style)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ParameterError(
            f"unknown style option {unknown[0]!r}: expected one of {', '.join(sorted(names))}",
            parameter=unknown[0], value=overrides[unknown[0]],
            allowed=f"one of {', '.join(sorted(names))}",
        )
    return dataclasses.replace(base, **overrides) if overrides else base


def _theme_colors(theme: object, parameter: str) -> dict[str, Any]:
    if not isinstance(theme, str) or theme not in THEMES:
        allowed = f"one of {', '.join(THEMES)}"
        raise ParameterError(
            f"{parameter}={theme!r} is not valid: expected {allowed}",
            parameter=parameter, value=theme, allowed=allowed,
        )
    return dict(THEMES[theme])


def as_style(value: object, parameter: str = "style") -> Style:
    """Validate a ``style=`` argument given as a :class:`Style` or a theme's name.

    Parameters
    ----------
    value : Style or str
        A Style (returned as it is), or a key of :data:`THEMES`: the paper's look in
        that theme's colours.
    parameter : str
        The parameter's name, for the error.

    Raises
    ------
    ParameterError
        For anything else (``False``, ``4``, an unknown theme).

    Examples
    --------
    >>> as_style("dark") == make_style(theme="dark")
    True
    >>> try:
    ...     as_style(False)
    ... except ValueError as error:
    ...     print(error)
    style=False (bool) is not valid: expected a conv_anim.style.Style or a theme name: paper, dark, colorblind
    """  # noqa: E501 - one message
    if isinstance(value, Style):
        return value
    if isinstance(value, str):
        return dataclasses.replace(Style(), **_theme_colors(value, parameter))
    raise ParameterError.invalid(
        parameter, value, f"a conv_anim.style.Style or a theme name: {', '.join(THEMES)}"
    )


def to_unit_rgb(rgb: RGB) -> tuple[float, float, float]:
    """Convert 0-255 RGB to matplotlib's 0-1 floats."""
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)
