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
    expected = "theme='neon' is not valid: expected one of paper, dark, colorblind"
    with pytest.raises(ValueError, match=expected):
        animate(ConvSpec(5, 3), theme="neon")
