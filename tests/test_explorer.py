"""The parameter explorer: its model (settings in, figure or message out) and its widgets."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest
from PIL import Image, ImageSequence

from conv_anim import ConvSpec, animate
from conv_anim.errors import ParameterError
from conv_anim.explorer import PADDINGS, RANGES, Explorer, Settings, explore


def error_of(**parameters: object) -> str:
    with pytest.raises(ValueError) as caught:
        ConvSpec(**parameters)
    return str(caught.value)


def gif_frames(animation) -> list[np.ndarray]:
    gif = Image.open(io.BytesIO(animation.gif()))
    return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(gif)]


def test_default_view_is_a_figure_with_its_arithmetic():
    view = Explorer().view
    assert view.settings == Settings()
    assert view.animation.spec == ConvSpec(5, 3)
    assert view.message is None and view.output_size == "3×3"
    assert "Relationship 1 (no zero padding, unit strides)" in view.arithmetic
    assert "o = (5 - 3) + 1 = 3" in view.arithmetic


def test_update_changes_settings_and_keeps_the_rest():
    explorer = Explorer()
    view = explorer.update(input_size=7, stride=2, padding=1)
    assert view.settings == Settings(input_size=7, stride=2, padding=1)
    assert view.animation.spec == ConvSpec(7, 3, stride=2, padding=1)
    assert view.output_size == "4×4"
    view = explorer.update(transposed=True, output_padding=1)
    assert view.animation.spec == ConvSpec(7, 3, stride=2, padding=1, transposed=True,
                                           output_padding=1)
    assert view.output_size == "14×14"
    assert "equivalent direct convolution" in view.arithmetic


def test_same_settings_reuse_the_view():
    explorer = Explorer()
    view = explorer.view
    assert explorer.update(input_size=5) is view


def test_output_padding_only_applies_when_transposed():
    view = Explorer().update(output_padding=2)
    assert view.animation.spec == ConvSpec(5, 3)


@pytest.mark.parametrize(("changes", "parameters"), [
    ({"stride": 2, "padding": "same"}, {"input_size": 5, "kernel_size": 3, "stride": 2,
                                        "padding": "same"}),
    ({"input_size": 2, "kernel_size": 5}, {"input_size": 2, "kernel_size": 5}),
    ({"transposed": True, "output_padding": 2},
     {"input_size": 5, "kernel_size": 3, "transposed": True, "output_padding": 2}),
    ({"input_size": 3, "kernel_size": 3, "dilation": 2},
     {"input_size": 3, "kernel_size": 3, "dilation": 2}),
])
def test_invalid_settings_show_the_errors_message_instead_of_a_figure(changes, parameters):
    explorer = Explorer()
    view = explorer.update(**changes)
    assert view.animation is None
    assert view.message == error_of(**parameters)
    assert view.output_size == "" and view.arithmetic == ""
    assert explorer.frame_png() is None
    assert explorer.settings == Settings(**changes)  # kept, to be corrected next
    assert explorer.update(**{name: getattr(Settings(), name) for name in changes}).animation


def test_a_figure_too_large_to_draw_is_a_message_too():
    view = Explorer(scale=20).update(input_size=16)
    assert view.animation is None and "pixels a side" in view.message


def test_a_bad_style_is_the_callers_error():
    with pytest.raises(ValueError, match="scale=60"):
        Explorer(scale=60)


def test_unknown_setting_is_named():
    with pytest.raises(ParameterError, match="kernel") as caught:
        Explorer().update(kernel=3)
    assert caught.value.parameter == "kernel"


def test_frames_are_the_gifs_frames():
    explorer = Explorer(Settings(input_size=4, stride=1, padding=1), labels=True)
    expected = gif_frames(animate(ConvSpec(4, 3, padding=1), labels=True))
    for step in (0, 5, len(expected) - 1):
        png = Image.open(io.BytesIO(explorer.frame_png(step)))
        assert png.format == "PNG"
        np.testing.assert_array_equal(np.asarray(png.convert("RGB")), expected[step])
    with pytest.raises(ParameterError, match="frame"):
        explorer.frame_png(len(expected))


# ----------------------------------------------------------------------------- widgets


@pytest.fixture
def widgets():
    pytest.importorskip("ipywidgets")
    return explore(input_size=6)


def shown_pixels(widgets) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(widgets.image.value)).convert("RGB"))


def test_widgets_have_a_control_per_setting(widgets):
    assert set(widgets.controls) == set(RANGES) | {"padding", "transposed"}
    for name, (low, high) in RANGES.items():
        assert (widgets.controls[name].min, widgets.controls[name].max) == (low, high)
    assert tuple(widgets.controls["padding"].options) == PADDINGS
    assert widgets.controls["input_size"].value == 6
    assert widgets.message.value == "<b>output 4×4</b>"
    assert widgets.controls["output_padding"].disabled
    assert "text/plain" in widgets._repr_mimebundle_()


def test_widgets_update_the_figure_live(widgets):
    first = widgets.image.value
    widgets.controls["stride"].value = 2
    assert widgets.model.view.animation.spec == ConvSpec(6, 3, stride=2)
    assert widgets.image.value != first and widgets.message.value == "<b>output 2×2</b>"
    assert widgets.step.max == 3
    widgets.controls["transposed"].value = True
    assert not widgets.controls["output_padding"].disabled
    assert "Relationship 12" in widgets.arithmetic.value


def test_widgets_show_a_message_in_place_of_the_figure(widgets):
    widgets.controls["stride"].value = 2
    widgets.controls["padding"].value = "same"
    assert widgets.image.layout.display == "none"
    expected = error_of(input_size=6, kernel_size=3, stride=2, padding="same")
    assert expected.replace("'", "&#x27;") in widgets.message.value
    assert widgets.arithmetic.value == ""
    widgets.controls["padding"].value = 1
    assert widgets.image.layout.display == "" and "output 3×3" in widgets.message.value


def test_step_slider_shows_that_frame(widgets):
    widgets.step.value = 3
    expected = gif_frames(animate(ConvSpec(6, 3)))[3]
    np.testing.assert_array_equal(shown_pixels(widgets), expected)


def test_explore_without_ipywidgets_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ModuleNotFoundError, match=r"conv_anim\[notebook\]"):
        explore()
