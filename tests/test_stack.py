"""Stacked layers: an output unit's receptive field through a stack, animated."""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pytest
from conftest import figure_pixels
from PIL import Image

import conv_anim
import conv_anim.render.stack as render_stack
from conv_anim import ConvSpec, stack
from conv_anim.animation import Animation
from conv_anim.receptive import input_units
from conv_anim.render.base import BORDER, CELL_INCHES, blend
from conv_anim.render.canvas import pixel_size
from conv_anim.render.stack import RowStackScene, SlantedStackScene, stack_scene
from conv_anim.stack import animate_stack, describe
from conv_anim.style import Style

WAVENET = [ConvSpec((16,), 2, dilation=d, padding=((d, 0),)) for d in (1, 2, 4, 8)]
PLAIN = [ConvSpec((16,), 3), ConvSpec((14,), 3), ConvSpec((12,), 3)]
CONV_CONV_POOL = [ConvSpec(8, 3), ConvSpec(6, 3), ConvSpec(4, 2, stride=2)]
DILATED_2D = [ConvSpec(7, 3), ConvSpec(5, 2, dilation=3)]
STACKS = {"wavenet": WAVENET, "plain": PLAIN, "conv_conv_pool": CONV_CONV_POOL,
          "dilated_2d": DILATED_2D}


def unit_colour(style: Style, layer: int, shaded: bool) -> np.ndarray:
    """The RGB of a unit's centre: the layer's colour, darkened by the shadow if shaded."""
    under = style.input_color if layer == 0 else style.output_color
    if not shaded:
        return np.array(under)
    return np.round(255 * np.array(blend(style.shadow_color, style.shadow_alpha, under)[:3]))


def pixel(scene, style: Style, point: tuple[float, float]) -> tuple[int, int]:
    """(row, column) of a page point in a frame, as scene_figure lays the page out."""
    per_cell = CELL_INCHES * style.dpi
    _, height = pixel_size(scene.extent, style.dpi)
    x, y = point
    column = (x - scene.extent.x0 + BORDER) * per_cell
    row = height - (y - scene.extent.y0 + BORDER) * per_cell
    return int(row), int(column)


def brute_dependencies(specs, output_index):
    """Units of every layer one last-layer unit depends on, through the steps' taps."""
    layers = [{tuple(output_index)}]
    for spec in reversed(specs):
        steps = {step.output_index: step for step in spec.steps()}
        layers.insert(0, {j for o in layers[0] for j in steps[o].input_indices})
    return layers


# ------------------------------------------------------------------------------ frames


@pytest.mark.parametrize("name", sorted(STACKS))
def test_one_frame_per_unit_of_the_last_layer_all_of_one_size(name):
    specs = STACKS[name]
    animation = animate_stack(specs)
    frames = list(animation.frames())
    assert len(animation) == len(frames) == math.prod(specs[-1].output_size)
    assert {frame.shape for frame in frames} == {animation.frame_shape}
    assert [step.output_index for step in animation.steps] == list(
        itertools.product(*(range(n) for n in specs[-1].output_size))
    )


@pytest.mark.parametrize("name", sorted(STACKS))
def test_shaded_units_are_the_receptive_field_through_every_layer(name):
    specs = STACKS[name]
    for step in animate_stack(specs).steps:
        assert len(step.units) == len(specs) + 1
        assert step.units[-1] == (step.output_index,)
        for layer in range(len(specs)):
            assert step.units[layer] == tuple(
                itertools.product(*input_units(specs[layer:], step.output_index))
            )
        assert [set(units) for units in step.units] == brute_dependencies(
            specs, step.output_index
        )


def test_wavenet_shows_the_dilation_holes():
    last = animate_stack(WAVENET).steps[15]
    assert [len(units) for units in last.units] == [16, 8, 4, 2, 1]
    assert last.units[2] == ((3,), (7,), (11,), (15,))
    first = animate_stack(WAVENET).steps[0]
    assert first.units == (((0,),),) * 5  # causal: the taps before 0 read padding


@pytest.mark.parametrize(("name", "frames"), [("wavenet", (0, 10, 15)), ("plain", (0, 9)),
                                              ("conv_conv_pool", (0, 3)), ("dilated_2d", (1, 3))])
def test_pixels_at_cell_centres_show_exactly_the_shaded_units(name, frames):
    # Without connectors: in 2-D they may cross a cell's centre.
    animation = animate_stack(STACKS[name], connectors=False)
    style = animation.style
    scene = animation.scene
    rendered = list(animation.frames())
    for number in frames:
        step, frame = animation.steps[number], rendered[number]
        for layer, size in enumerate(scene.sizes):
            for index in itertools.product(*(range(n) for n in size)):
                expected = unit_colour(style, layer, index in step.units[layer])
                actual = frame[pixel(scene, style, scene.centre(layer, index))]
                assert np.abs(actual.astype(int) - expected).max() <= 2, (number, layer, index)


def test_1d_lines_join_each_tap_to_the_unit_above():
    scene = stack_scene(WAVENET, Style())
    step = animate_stack(WAVENET).steps[15]
    lines = [scene._lines(step, layer) for layer in range(len(WAVENET))]
    assert [len(segments) for segments in lines] == [16, 8, 4, 2]  # two taps per unit
    # Layer 4 (dilation 8) joins its unit 15 to units 7 and 15 of layer 3's output.
    (x7, _), (x15, _) = scene.centre(3, (7,)), scene.centre(3, (15,))
    assert sorted(lines[3][:, 0, 0]) == pytest.approx([x7, x15])
    assert lines[3][:, 1, 0] == pytest.approx([x15, x15])


def test_2d_lines_join_the_corners_of_the_shaded_blocks():
    scene = stack_scene(CONV_CONV_POOL, Style())
    step = animate_stack(CONV_CONV_POOL).steps[3]
    for layer in range(len(CONV_CONV_POOL)):
        segments = scene._lines(step, layer)
        assert segments.shape == (4, 2, 2)
        assert segments[:, 0] == pytest.approx(scene._block(step, layer))
    connectors = [shape for shape in scene.moving(step) if shape.linewidth == 0.4]
    assert len(connectors) == len(CONV_CONV_POOL)
    assert [s for s in stack_scene(CONV_CONV_POOL, Style(connectors=False)).moving(step)
            if s.linewidth == 0.4] == []


def test_a_unit_reading_only_padding_shades_nothing_below():
    specs = [ConvSpec((4,), 1, padding=2), ConvSpec((8,), 1)]
    animation = animate_stack(specs)
    assert animation.steps[0].units == ((), ((0,),), ((0,),))
    assert len(list(animation.frames())) == 8


def test_scenes_by_number_of_axes():
    assert isinstance(animate_stack(WAVENET).scene, RowStackScene)
    assert isinstance(animate_stack(CONV_CONV_POOL).scene, SlantedStackScene)


# ------------------------------------------------------------------------ the numbers


def test_describe_wavenet():
    assert describe(WAVENET).splitlines() == [
        "layer 1: r = 2, jump = 1",
        "layer 2: r = 4, jump = 1",
        "layer 3: r = 8, jump = 1",
        "layer 4: r = 16, jump = 1",
    ]


def test_describe_conv_conv_pool():
    assert describe(CONV_CONV_POOL).splitlines()[-1] == "layer 3: r = 6, jump = 2"


def test_describe_writes_unequal_axes_with_an_x():
    specs = [ConvSpec((9, 7), 3, dilation=(2, 1)), ConvSpec((5, 5), 2, stride=(2, 1))]
    assert describe(specs).splitlines() == [
        "layer 1: r = 5x3, jump = 1", "layer 2: r = 6x4, jump = 2x1"
    ]


def test_the_figure_names_every_layer_and_writes_its_numbers():
    texts = [text.get_text() for text in stack_scene(WAVENET, Style()).texts()]
    assert texts[:5] == [
        "input",
        "layer 1: convolution, k = 2\nr = 2",
        "layer 2: convolution, k = 2, d = 2\nr = 4",
        "layer 3: convolution, k = 2, d = 4\nr = 8",
        "layer 4: convolution, k = 2, d = 8\nr = 16",
    ]  # every jump is 1: jump would say nothing
    assert texts[5] == ("r: receptive field, the input units a unit sees; dashed cells: the "
                        "padding the layer above adds")
    pool = [text.get_text() for text in stack_scene(CONV_CONV_POOL, Style(),
                                                    ["conv", "conv", "max"]).texts()]
    assert pool[3] == "layer 3: max pooling, k = 2, s = 2\nr = 6, jump = 2"
    assert pool[1] == "layer 1: convolution, k = 3\nr = 3, jump = 1"
    assert "jump: input units between neighbouring units" in pool[4].replace("\n", " ")
    for line, text in zip(describe(CONV_CONV_POOL).splitlines(), pool[1:4], strict=True):
        assert line.split(": ", 1)[1] == text.split("\n")[1]  # r and jump as describe()


def test_bad_ops_are_a_clear_error():
    with pytest.raises(ValueError, match="ops=.* is not valid: expected one of 'conv', 'max'"):
        animate_stack(CONV_CONV_POOL, ops=["conv", "pool", "max"])
    with pytest.raises(ValueError, match="3 layers"):
        animate_stack(CONV_CONV_POOL, ops=["conv"])


def test_causal_padding_is_drawn_dashed_left_of_each_row():
    scene = stack_scene(WAVENET, Style())
    # Layer n reads the row below padded by its dilation, before the first unit only.
    for layer, pad in enumerate((1, 2, 4, 8)):
        units = scene._quads[layer]  # noqa: SLF001 - the drawn units of that row
        left = units[0, 0, 0]
        dashed = [shape for shape in scene.static
                  if shape.edge is not None and shape.zorder == layer * render_stack.LAYER_Z
                  + render_stack.Z_GRID and shape.face is None]
        xs = np.concatenate([shape.path.vertices[:, 0] for shape in dashed])
        assert xs.min() == pytest.approx(left - pad * scene.cell)
        assert xs.max() <= units[-1, 1, 0] + 1e-9


def test_caption_lists_the_layers_parameters_or_ones_own_text():
    plain = stack_scene(CONV_CONV_POOL, Style())
    captioned = stack_scene(CONV_CONV_POOL, Style(caption=True))
    caption = captioned.texts()[-1].get_text().splitlines()
    assert "layer 1: convolution, input 8×8 → output 6×6; k = 3, s = 1, p = 0" in caption
    assert len([line for line in caption if line.startswith("layer ")]) == 3
    assert captioned.extent.y0 < plain.extent.y0
    assert stack_scene(WAVENET, Style(caption="mine")).texts()[-1].get_text().endswith("mine")


# ------------------------------------------------------------------------ files, API


def test_saves_a_gif_with_every_frame(tmp_path):
    animation = animate_stack(WAVENET)
    path = animation.save(tmp_path / "wavenet.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == 16
        assert gif.size == animation.frame_shape[1::-1]


@pytest.mark.parametrize("suffix", [".pdf", ".svg", ".png"])
def test_saves_one_frame_as_a_figure(tmp_path, suffix):
    path = animate_stack(CONV_CONV_POOL).save(tmp_path / f"frame{suffix}", frame=2)
    assert path.stat().st_size > 0


def test_is_deterministic():
    first, second = animate_stack(CONV_CONV_POOL), animate_stack(CONV_CONV_POOL)
    assert first.gif() == second.gif()
    for a, b in zip(first.frames(), second.frames(), strict=True):
        assert np.array_equal(a, b)


def test_figure_and_filmstrip_agree_with_the_frames():
    animation = animate_stack(WAVENET)
    frames = list(animation.frames())
    drawn = figure_pixels(animation.figure(10))[..., :3]
    assert np.sqrt(np.mean((drawn.astype(float) - frames[10]) ** 2)) < 1.0
    strip = animation.filmstrip_pixels((0, 15))
    assert np.array_equal(strip[:, : frames[0].shape[1]], frames[0])
    drawn_strip = figure_pixels(animation.filmstrip((0, 15)))[..., :3]
    assert drawn_strip.shape[0] == strip.shape[0]
    assert abs(drawn_strip.shape[1] - strip.shape[1]) <= 2
    width = min(drawn_strip.shape[1], strip.shape[1])
    difference = drawn_strip[:, :width].astype(float) - strip[:, :width]
    assert np.sqrt(np.mean(difference ** 2)) < 3.0


def test_public_api():
    assert conv_anim.animate_stack is animate_stack
    assert "animate_stack" in conv_anim.__all__
    animation = conv_anim.animate_stack(PLAIN, scale=0.5, theme="dark")
    assert isinstance(animation, Animation)
    assert animation.specs == tuple(PLAIN) and animation.spec == PLAIN[-1]
    assert repr(animation) == "Animation(layers=3, sizes=16 -> 14 -> 12 -> 10, frames=10)"
    assert "<img" in animation._repr_html_()


@pytest.mark.parametrize("module", [stack, render_stack])
def test_module_doctests_pass(module):
    result = doctest.testmod(module, verbose=False)
    assert result.failed == 0


def test_frames_match_baselines(image_regression):
    wavenet = list(animate_stack(WAVENET, scale=0.75).frames())
    image_regression(wavenet[10], "stack_wavenet_10")
    conv_conv_pool = list(animate_stack(CONV_CONV_POOL, scale=0.5).frames())
    image_regression(conv_conv_pool[3], "stack_conv_conv_pool_3")


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("specs", "match"),
    [
        ([], r"specs=\[\] is not valid: expected a non-empty sequence of ConvSpec"),
        ([ConvSpec(8, 3), ConvSpec(5, 3)], r"specs\[1\].input_size=\(5, 5\) does not match"),
        ([ConvSpec((4, 4, 4), 3)], r"specs\[0\].input_size=\(4, 4, 4\) has 3 axes.*1-D or 2-D"),
        ([ConvSpec(3, 3, transposed=True)], r"specs\[0\] is transposed"),
        ([ConvSpec(8, 3), "conv"], r"specs\[1\]='conv' \(str\) is not valid"),
    ],
)
def test_clear_errors(specs, match):
    with pytest.raises(ValueError, match=match):
        animate_stack(specs)
    with pytest.raises(ValueError, match=match):
        describe(specs)


def test_unknown_style_option():
    with pytest.raises(ValueError, match="unknown style option 'colour'"):
        animate_stack(WAVENET, colour="red")
