"""Channels and groups, animated: the ChannelScene's frames, data and files."""

from __future__ import annotations

import itertools
import re
from math import prod

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image, ImageSequence

from conv_anim import ConvSpec, animate, draw
from conv_anim.notation import caption
from conv_anim.render.channels import MAX_CHANNELS, MAX_WIDTH, ChannelScene
from conv_anim.steps import ChannelStep, channel_steps, group_inputs
from conv_anim.style import Style

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

BLUE, CYAN, WHITE = (38, 139, 210), (42, 161, 152), (255, 255, 255)
SHADOW_ON_BLUE = (26, 105, 153)  # base02 at opacity 0.4 over blue, rounded
SHADOW_ON_CYAN = (28, 118, 118)  # base02 at opacity 0.4 over cyan, rounded

GROUPED = ConvSpec(5, 3, in_channels=4, out_channels=6, groups=2)
DEPTHWISE = ConvSpec(5, 3, in_channels=3, out_channels=3, groups=3, padding=1)
POINTWISE = ConvSpec(5, 1, in_channels=3, out_channels=2)


def pale(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """A colour at opacity 0.25 over white, as the maps not read are drawn."""
    return tuple(round(0.25 * c + 0.75 * 255) for c in rgb)


def near(pixel: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 2) -> bool:
    return bool((np.abs(pixel.astype(int) - rgb) <= tolerance).all())


def colour_at(frame: np.ndarray, row: int, col: int) -> np.ndarray:
    """The median colour of the 7 x 7 pixels around (row, col): a thin connector
    crossing there does not change it."""
    return np.median(frame[row - 3:row + 4, col - 3:col + 4].reshape(-1, 3), axis=0)


def reads(spec: ConvSpec, out_channel: int) -> set[int]:
    """The input channels output channel ``out_channel`` depends on, found numerically:
    an input that is 1 on one channel only, all weights 1."""
    kernel = np.ones(spec.kernel_shape)
    found = set()
    for channel in range(spec.in_channels):
        x = np.zeros(spec.input_shape)
        x[channel] = 1.0
        if np.abs(spec.apply(x, kernel)[out_channel]).sum() > 0:
            found.add(channel)
    return found


@pytest.mark.parametrize(
    "spec",
    [GROUPED, DEPTHWISE, POINTWISE, ConvSpec(5, 3, in_channels=2, out_channels=3),
     ConvSpec(6, 3, 2, 1, in_channels=1, out_channels=2),
     ConvSpec(3, 3, 2, 1, transposed=True, in_channels=2, out_channels=4, groups=2)],
)
def test_one_frame_per_output_channel_and_cell(spec, drawn):
    shown = drawn(spec)
    animation, frames = shown.animation, shown.frames
    assert len(animation) == spec.out_channels * prod(spec.output_size)
    assert len(frames) == len(animation)


def test_frames_go_cell_by_cell_output_channel_slowest():
    steps = channel_steps(GROUPED)
    spatial = GROUPED.steps()
    assert all(isinstance(step, ChannelStep) for step in steps)
    assert [step.index for step in steps] == list(range(len(steps)))
    expected = list(itertools.product(range(GROUPED.out_channels), spatial))
    assert [(s.out_channel, s.output_index, s.window_start, s.taps) for s in steps] == [
        (j, t.output_index, t.window_start, t.taps) for j, t in expected
    ]


@pytest.mark.parametrize("spec", [GROUPED, DEPTHWISE, POINTWISE,
                                  ConvSpec(5, 3, in_channels=2, out_channels=4, groups=2)])
def test_active_inputs_are_the_output_channels_group(spec):
    scene = ChannelScene(spec, Style())
    for step in channel_steps(spec):
        assert set(scene.active_inputs(step)) == reads(spec, step.out_channel)
    assert group_inputs(GROUPED, 0) == range(2) and group_inputs(GROUPED, 5) == range(2, 4)


def map_pixel(animation, scene: ChannelScene, channel: int, output: bool) -> tuple[int, int]:
    """(row, column) of a map's centre in the animation's frames."""
    x, y = animation.figure(0).axes[0].transData.transform(
        scene.map_centre(channel, output=output)
    )
    return animation.frame_shape[0] - 1 - int(y), int(x)


@pytest.mark.parametrize("spec", [GROUPED, DEPTHWISE])
def test_only_the_groups_input_maps_and_the_current_output_map_are_lit(spec, drawn):
    shown = drawn(spec)
    animation = shown.animation
    scene = animation.scene
    inputs = [map_pixel(animation, scene, i, False) for i in range(spec.in_channels)]
    outputs = [map_pixel(animation, scene, j, True) for j in range(spec.out_channels)]
    for step, frame in zip(animation.steps, shown.frames, strict=True):
        group = reads(spec, step.out_channel)
        for channel, (row, col) in enumerate(inputs):
            pixel = colour_at(frame, row, col)
            if channel in group:
                assert near(pixel, BLUE) or near(pixel, SHADOW_ON_BLUE), (step.index, channel)
            else:
                assert near(pixel, pale(BLUE)), (step.index, channel)
        for channel, (row, col) in enumerate(outputs):
            pixel = colour_at(frame, row, col)
            if channel == step.out_channel:
                assert near(pixel, CYAN) or near(pixel, SHADOW_ON_CYAN), (step.index, channel)
            else:
                assert near(pixel, pale(CYAN)), (step.index, channel)


def test_every_map_is_in_full_colour_without_groups():
    spec = ConvSpec(5, 3, in_channels=3, out_channels=1)
    animation = animate(spec)
    scene = animation.scene
    frame = next(animation.frames())
    for channel in range(3):
        assert near(colour_at(frame, *map_pixel(animation, scene, channel, False)), SHADOW_ON_BLUE)
    assert near(colour_at(frame, *map_pixel(animation, scene, 0, True)), CYAN)


@pytest.mark.parametrize("spec", [GROUPED, DEPTHWISE, POINTWISE])
def test_consecutive_frames_differ(spec, drawn):
    frames = drawn(spec).frames
    for previous, current in itertools.pairwise(frames):
        assert (previous != current).any()


def test_blitted_frames_equal_frames_drawn_from_scratch():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    animation = animate(GROUPED, labels=True, caption=True)
    blitted = list(animation.frames())
    for frame in (0, 9, len(animation) - 1):
        canvas = FigureCanvasAgg(animation.figure(frame))
        canvas.draw()
        scratch = np.asarray(canvas.buffer_rgba())[..., :3]
        assert scratch.shape == blitted[frame].shape
        assert np.abs(scratch.astype(int) - blitted[frame]).mean() < 0.5


def test_gif_file(tmp_path):
    animation = animate(DEPTHWISE, scale=0.5)
    path = animation.save(tmp_path / "depthwise.gif", fps=4)
    frames = list(animation.frames())
    palette = animation.palette
    with Image.open(path) as gif:
        assert gif.n_frames == len(animation) == 75
        assert [f.info["duration"] for f in ImageSequence.Iterator(gif)] == [250] * 75
        gif.seek(40)
        decoded = np.asarray(gif.convert("RGB"))
    assert decoded.shape == frames[40].shape
    assert np.array_equal(decoded, palette.colors[palette.indices(frames[40])])
    # The pale maps' colours are in the palette: the GIF shows the frames faithfully.
    assert np.abs(decoded.astype(int) - frames[40]).mean() < 1.0


def test_saving_is_deterministic(tmp_path):
    first = animate(GROUPED, scale=0.5, caption=True).save(tmp_path / "a.gif").read_bytes()
    second = animate(GROUPED, scale=0.5, caption=True).save(tmp_path / "b.gif").read_bytes()
    assert first == second
    strips = [animate(POINTWISE, scale=0.5).filmstrip((0, 30), path=tmp_path / f"{n}.svg")
              for n in "ab"]
    assert all(isinstance(strip, Figure) for strip in strips)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_frames_keep_one_size():
    frames = list(animate(ConvSpec(5, 3, 2, 1, in_channels=2, out_channels=2),
                          labels=True).frames())
    assert len({frame.shape for frame in frames}) == 1


@pytest.mark.parametrize(
    ("name", "spec", "frame"),
    [("channels_grouped", GROUPED, 21), ("channels_depthwise", DEPTHWISE, 33)],
)
def test_frames_match_baselines(name, spec, frame, image_regression):
    animation = animate(spec, scale=0.5, labels=True, caption=True)
    image_regression(list(animation.frames())[frame], f"{name}_{frame}")


def test_caption_names_channels_and_groups():
    assert caption(DEPTHWISE).startswith("depthwise convolution: input 3×5×5 → output 3×5×5")
    assert caption(DEPTHWISE).endswith("3 → 3 channels, groups = 3")
    assert caption(POINTWISE).startswith("pointwise convolution: input 3×5×5 → output 2×5×5")
    assert caption(GROUPED) == (
        "grouped convolution: input 4×5×5 → output 6×3×3; k = 3, s = 1, p = 0, "
        "4 → 6 channels, groups = 2"
    )
    plain = animate(DEPTHWISE, scale=0.5)
    captioned = animate(DEPTHWISE, scale=0.5, caption=True)
    assert captioned.frame_shape[0] > plain.frame_shape[0]


def test_many_channels_get_smaller_cells():
    few = ChannelScene(DEPTHWISE, Style())
    many = ChannelScene(ConvSpec(5, 3, in_channels=MAX_CHANNELS, out_channels=MAX_CHANNELS,
                                 groups=MAX_CHANNELS, padding=1), Style())
    assert few.cell == 1.0 and many.cell < 1.0
    assert many.extent.x1 - many.extent.x0 == pytest.approx(MAX_WIDTH)


def test_draw_into_a_users_axes():
    fig = Figure()
    ax = fig.subplots()
    artists = draw(ax, GROUPED, 13, labels=True)
    assert artists and all(artist.axes is ax for artist in artists)
    # A plain spatial step is drawn for output channel 0.
    assert draw(Figure().subplots(), GROUPED, GROUPED.steps()[4])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: animate(ConvSpec((5,), 3, in_channels=2, out_channels=2)),
         "channels of a 1-D convolution is not yet supported"),
        (lambda: animate(ConvSpec((4, 4, 4), 3, in_channels=2)),
         "channels of a 3-D convolution is not yet supported"),
        (lambda: animate(ConvSpec(3, 2, in_channels=2, out_channels=2),
                         values=np.ones((2, 3, 3)), kernel=np.ones((2, 2, 2, 2))),
         ("a numerical figure (values=...) with channels is not yet supported "
          "(in_channels=2, out_channels=2)")),
        (lambda: animate(ConvSpec(5, 3, in_channels=MAX_CHANNELS + 1)),
         f"in_channels={MAX_CHANNELS + 1} is too many to draw: expected at most {MAX_CHANNELS}"),
        (lambda: animate(ConvSpec(5, 3, out_channels=16)), "out_channels=16 is too many"),
        (lambda: group_inputs(GROUPED, 6),
         "out_channel=6 is not valid: expected an int from 0 to 5"),
    ],
)
def test_bad_input_is_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_module_doctests_pass():
    import doctest

    from conv_anim import steps

    result = doctest.testmod(steps, verbose=False)
    assert result.attempted >= 4 and result.failed == 0


def test_a_pointwise_cell_gets_one_connector_per_map():
    spec = ConvSpec(4, 1, in_channels=3, out_channels=2)
    scene = ChannelScene(spec, Style())
    step = channel_steps(spec)[5]
    lines = [s for s in scene.moving(step) if s.linewidth < 0.5 and s.edge is not None]
    (connectors,) = lines
    assert len(connectors.path.vertices) == 2 * 3  # one segment per input map read
    dense = ChannelScene(ConvSpec(5, 3, in_channels=2, out_channels=1), Style())
    (four,) = [s for s in dense.moving(channel_steps(dense.spec)[0])
               if s.linewidth < 0.5 and s.edge is not None]
    assert len(four.path.vertices) == 2 * 4 * 2


def test_pale_maps_are_named_in_the_legend():
    texts = [t.get_text() for t in ChannelScene(
        ConvSpec(5, 3, in_channels=4, out_channels=2, groups=2), Style(labels=True)).texts()]
    assert "pale maps: not used at this step" in texts
