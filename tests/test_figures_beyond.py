"""The static figures of issue 14 and the catalogue's new entries.

Each figure is checked for what it computes (against loops written here where it
computes numbers) and against a baseline image.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import figure_pixels

from conv_anim import ConvSpec, catalog, notation
from conv_anim.backward import backward_spec
from conv_anim.errors import ParameterError
from conv_anim.figures import (
    CHECKERBOARD_SPECS,
    backward_figure,
    overlap_figure,
    same_output_sizes_figure,
)
from conv_anim.solve import same_output_sizes

NEW_ANIMATIONS = (
    "padding_strides_backward", "padding_strides_odd_backward", "checkerboard_k3_s2",
    "checkerboard_k4_s2", "checkerboard_k2_s2", "matrix_animated", "matrix_transposed_animated",
)
NEW_STATICS = ("backward_pass", "checkerboard", "same_output_sizes")


def test_checkerboard_specs_upsample_4_to_8_and_overlap_as_named() -> None:
    assert [s.output_size for s in CHECKERBOARD_SPECS] == [(8, 8)] * 3
    assert [s.overlaps_evenly() for s in CHECKERBOARD_SPECS] == [False, True, True]


def test_backward_figure_draws_given_arrays_and_refuses_bad_ones() -> None:
    spec = ConvSpec((6,), 3, stride=2)
    fig = backward_figure(spec, x=np.arange(6), kernel=[1, 2, 3], grad_output=[1, -1])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert {"∂L/∂y", "∂L/∂x"} <= {text.split(" ")[0] for text in texts}
    with pytest.raises(ParameterError) as error:
        backward_figure(spec, grad_output=[1, 2, 3])
    assert error.value.parameter == "values"
    with pytest.raises(ParameterError):
        backward_figure(ConvSpec(5, 3, in_channels=2))
    caption = [t.get_text() for t in backward_figure(caption=True).axes[0].texts][-1]
    assert caption.startswith("backward pass of a convolution")


def test_overlap_figure_refuses_direct_specs() -> None:
    with pytest.raises(ParameterError) as error:
        overlap_figure(ConvSpec(5, 3))
    assert error.value.parameter == "specs"
    with pytest.raises(ParameterError):
        overlap_figure([])


def test_overlap_figure_titles_say_how_evenly() -> None:
    texts = [t.get_text().replace("\n", " ") for t in overlap_figure().axes[0].texts]
    assert sum("uneven" in t for t in texts) == 1
    assert sum(t.count("even: every") for t in texts) == 2


def test_same_output_sizes_figure_lists_the_sizes() -> None:
    spec = ConvSpec(5, 3, stride=2, padding=1)
    texts = [t.get_text() for t in same_output_sizes_figure(spec).axes[0].texts]
    assert texts[:4] == ["5×5 → 3×3, a = 0", "5×6 → 3×3, a = 0×1", "6×5 → 3×3, a = 1×0",
                         "6×6 → 3×3, a = 1"]
    for size in (5, 6):  # each size gives 3, and the transpose with a gives it back
        direct = ConvSpec(size, 3, stride=2, padding=1)
        assert direct.output_size == (3, 3)
        assert backward_spec(direct).output_size == (size, size)
    up = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
    up_texts = [t.get_text() for t in same_output_sizes_figure(up).axes[0].texts]
    assert up_texts[0] == "5×5 → 3×3, a = 0"
    with pytest.raises(ParameterError):
        same_output_sizes_figure(ConvSpec((4, 4, 4), 3))


def test_same_output_sizes_agree_with_a_brute_force_search() -> None:
    for k, s, p in itertools.product(range(1, 4), range(1, 4), range(0, 2)):
        spec = ConvSpec((7,), k, stride=s, padding=p)
        sizes = [c.size for c in spec.same_output_sizes()[0]]
        brute = [i for i in range(1, 30) if i + 2 * p >= k
                 and (i + 2 * p - k) // s + 1 == spec.output_size[0]]
        assert sizes == brute
        assert spec.same_output_sizes() == same_output_sizes(spec)


def test_to_layer_delegates() -> None:
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1)
    assert spec.to_layer("torch").code == (
        "nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)",)


def test_catalogue_has_the_new_figures() -> None:
    names = [f.name for f in catalog.everything()]
    for name in (*NEW_ANIMATIONS, *NEW_STATICS):
        assert name in names
    beyond = [f.name for f in catalog.animations("beyond")]
    assert beyond[-len(NEW_ANIMATIONS):] == list(NEW_ANIMATIONS)
    for name in ("checkerboard_k3_s2", "checkerboard_k4_s2", "checkerboard_k2_s2"):
        figure = catalog.get(name)
        assert isinstance(figure, catalog.PaperAnimation)
        word = "uneven" if not figure.spec.overlaps_evenly() else "even"
        assert word in figure.caption and ("uneven" in figure.caption) == (word == "uneven")


@pytest.mark.parametrize("name", NEW_ANIMATIONS)
def test_catalogue_animations_draw_as_their_commands_say(name: str) -> None:
    figure = catalog.get(name)
    assert isinstance(figure, catalog.PaperAnimation)
    anim = figure.animate()
    assert len(anim) == figure.frames
    assert anim.view == figure.view
    assert (anim.forward is not None) == figure.backward
    assert ("--backward" in figure.command) == figure.backward
    if figure.view != "direct":
        assert f"--view {figure.view}" in figure.command


@pytest.mark.parametrize("name", NEW_STATICS)
def test_catalogue_statics_draw(name: str) -> None:
    figure = catalog.get(name)
    assert isinstance(figure, catalog.PaperStatic) and figure.section == "beyond"
    assert figure.figure().axes


def test_drawing_command_writes_backward() -> None:
    drawing = notation.Drawing(backward=True)
    assert notation.command(ConvSpec(6, 3, 2, 1), drawing).endswith("--backward")


@pytest.mark.parametrize(("name", "draw"), [
    ("figure_backward_pass", backward_figure),
    ("figure_checkerboard", overlap_figure),
    ("figure_same_output_sizes", same_output_sizes_figure),
])
def test_figures_match_baselines(name: str, draw: object, image_regression) -> None:
    image_regression(figure_pixels(draw()), name)  # type: ignore[operator]
