"""Themes: the paper's palette, a dark theme and a colour-blind-safe palette."""

from __future__ import annotations

import numpy as np
import pytest

from conv_anim import ConvSpec, animate, catalog
from conv_anim.style import PAPER_COLORS, THEMES, make_style


def pixels_of(frame: np.ndarray, rgb: tuple[int, int, int]) -> int:
    return int((frame == rgb).all(axis=2).sum())


def test_every_theme_sets_every_colour():
    for name, colours in THEMES.items():
        assert set(colours) == set(PAPER_COLORS), name
    assert make_style(theme="paper") == make_style()


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_theme_colours_reach_the_frames(theme):
    colours = THEMES[theme]
    frame = next(animate(ConvSpec(5, 3, 2, 1), theme=theme).frames())
    assert tuple(frame[0, 0]) == colours["background"]
    for role in ("input_color", "output_color"):
        assert pixels_of(frame, colours[role]) > 3000, role


def test_dark_numbers_are_light():
    frame = next(catalog.get("numerical_no_padding_no_strides").animate(theme="dark").frames())
    assert pixels_of(frame, THEMES["dark"]["text_color"]) > 50
    assert pixels_of(frame, (0, 0, 0)) == 0


def test_colours_override_a_theme():
    style = make_style(theme="dark", input_color="#ff0000")
    assert style.input_color == (255, 0, 0)
    assert style.background == THEMES["dark"]["background"]


def test_unknown_theme_is_a_clear_error():
    message = "theme='neon' is not valid: expected one of paper, dark, colorblind"
    with pytest.raises(ValueError, match=message):
        animate(ConvSpec(5, 3), theme="neon")


# --------------------------------------------------------------------------------------
# Strict values (issue 16)
# --------------------------------------------------------------------------------------

from conv_anim.errors import ParameterError  # noqa: E402
from conv_anim.style import Style, as_style, check_color  # noqa: E402


@pytest.mark.parametrize(
    "value",
    ["#-1-2-3", "#+1+2+3", "#12345", "#1234567", "123456", "# 12345", "#12 345", "#gg0000",
     "#\uff11\uff12\uff13\uff14\uff15\uff16", (256, 0, 0), (-1, 0, 0), (1.0, 0, 0), (True, 0, 0),
     (1, 2), [1, 2, 3, 4], None, 0x268BD2, b"#268bd2"],
    ids=repr,
)
def test_bad_colours_are_refused_when_the_style_is_made(value):
    with pytest.raises(ParameterError, match=r"input_color=.* is not a colour: expected an "
                                             r"\(r, g, b\) tuple of ints 0-255") as caught:
        Style(input_color=value)
    assert caught.value.parameter == "input_color"
    with pytest.raises(ParameterError):
        animate(ConvSpec(5, 3), input_color=value)


def test_good_colours():
    assert check_color("c", "#268bd2") == check_color("c", "#268BD2") == (38, 139, 210)
    assert check_color("c", [0, 43, np.uint8(54)]) == (0, 43, 54)
    assert Style(background="transparent").transparent


@pytest.mark.parametrize("value", [False, 4, "paper", {"labels": True}, Style])
def test_make_style_takes_only_a_style(value):
    with pytest.raises(ParameterError, match=r"style=.* is not valid: expected a "
                                             r"conv_anim.style.Style or None") as caught:
        make_style(style=value)
    assert caught.value.parameter == "style"


def test_as_style_takes_a_style_or_a_theme_name():
    dark = make_style(theme="dark", labels=True)
    assert as_style(dark) is dark
    assert as_style("colorblind") == make_style(theme="colorblind")
    for value in (False, 4, None, ["dark"]):
        with pytest.raises(ParameterError, match=r"expected a conv_anim.style.Style or a theme "
                                                 r"name: paper, dark, colorblind"):
            as_style(value)
    with pytest.raises(ParameterError, match=r"style='neon' is not valid: expected one of paper, "
                                             r"dark, colorblind") as caught:
        as_style("neon")
    assert caught.value.parameter == "style"


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [({"scale": 0}, "scale"), ({"scale": True}, "scale"), ({"shadow_alpha": 2}, "shadow_alpha"),
     ({"labels": 1}, "labels"), ({"caption": 3}, "caption"), ({"colour": 1}, "colour"),
     ({"theme": 3}, "theme")],
)
def test_style_errors_name_the_option(kwargs, parameter):
    with pytest.raises(ParameterError) as caught:
        make_style(**kwargs)
    assert caught.value.parameter == parameter


def test_style_doctests_pass():
    import doctest

    import conv_anim.style as style

    result = doctest.testmod(style, verbose=False)
    assert result.attempted >= 4
    assert result.failed == 0
