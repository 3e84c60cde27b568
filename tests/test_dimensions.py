"""1-D and 3-D convolutions: frames, footprints, files and the drawing API."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from conv_anim import ConvSpec, animate, draw
from conv_anim.render.canvas import BlitCanvas, scene_figure
from conv_anim.render.line import LineScene, NumericLineScene
from conv_anim.render.volume import VolumeScene
from conv_anim.style import Style

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

BLUE, CYAN, WHITE = (38, 139, 210), (42, 161, 152), (255, 255, 255)
#: base02 at opacity 0.4 over blue, white and cyan, rounded.
SHADOW_ON_BLUE, SHADOW_ON_WHITE, SHADOW_ON_CYAN = (26, 105, 153), (156, 175, 179), (28, 118, 118)

LINE = ConvSpec((8,), 3, stride=2, padding=1)
LINE_DILATED = ConvSpec((9,), 3, dilation=2)
LINE_TRANSPOSED = ConvSpec((4,), 3, stride=2, padding=1, transposed=True, output_padding=1)
VOLUME = ConvSpec((4, 5, 5), 3, padding=1)
VOLUME_TRANSPOSED = ConvSpec((3, 3, 3), 3, stride=2, padding=1, transposed=True)
VOLUME_DILATED = ConvSpec((5, 5, 5), 2, dilation=2, padding=(0, 1, 0))


def scratch_pixels(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def sampler(animation) -> Callable[[np.ndarray, tuple[float, float]], tuple[int, ...]]:
    """A function giving a frame's RGB at a page point of the animation's scene."""
    _, ax = scene_figure(animation.scene, animation.style)
    transform = ax.transData.frozen()

    def colour(frame: np.ndarray, point: tuple[float, float]) -> tuple[int, ...]:
        x, y = transform.transform(point)
        return tuple(int(v) for v in frame[frame.shape[0] - 1 - int(y), int(x)])

    return colour


def close(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 2) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def shaded(colour: tuple[int, ...]) -> bool:
    """Whether a colour is the footprint's shadow over an input unit or over padding."""
    return close(colour, SHADOW_ON_BLUE) or close(colour, SHADOW_ON_WHITE)


# --------------------------------------------------------------------------- frames


@pytest.mark.parametrize(
    ("spec", "count"),
    [
        (LINE, 4),
        (LINE_DILATED, 5),
        (LINE_TRANSPOSED, 8),
        (ConvSpec((32,), 5, padding="same"), 32),
        (ConvSpec((7,), 2, stride=3, dilation=2, transposed=True), 21),
        (VOLUME, 100),
        (ConvSpec((4, 4, 4), 3), 8),
        (VOLUME_TRANSPOSED, 125),
        (VOLUME_DILATED, 45),
        (ConvSpec((2, 3, 3), (1, 2, 2), stride=(1, 1, 2), transposed=True), 2 * 4 * 6),
    ],
)
def test_one_frame_per_output_cell(spec: ConvSpec, count: int, drawn) -> None:
    shown = drawn(spec)
    animation, frames = shown.animation, shown.frames
    assert len(animation) == len(frames) == count == math.prod(spec.output_size)
    assert all(frame.shape == animation.frame_shape for frame in frames)


@pytest.mark.parametrize("spec", [LINE, LINE_DILATED, LINE_TRANSPOSED, VOLUME_TRANSPOSED])
def test_consecutive_frames_differ(spec: ConvSpec, drawn) -> None:
    frames = drawn(spec).frames
    for previous, current in itertools.pairwise(frames):
        assert (previous != current).any()


@pytest.mark.parametrize(
    "spec", [LINE_TRANSPOSED, VOLUME, ConvSpec((3, 4, 4), 2, stride=2, padding=1)]
)
def test_blitted_frames_equal_frames_drawn_from_scratch(spec: ConvSpec) -> None:
    animation = animate(spec, labels=True)
    blitted = list(animation.frames())
    for frame in (0, 1, len(animation) // 2, len(animation) - 1):
        scratch = scratch_pixels(animation.figure(frame))
        assert scratch.shape == blitted[frame].shape
        assert np.abs(scratch.astype(int) - blitted[frame]).mean() < 0.5


def test_frames_repaint_only_a_region_around_the_moving_shapes() -> None:
    for spec in (ConvSpec((32,), 3), VOLUME):
        canvas = BlitCanvas(animate(spec).scene, Style())
        height, width = canvas.shape
        regions = [region for _, region in canvas.frames(spec.steps()[:6])]
        assert (regions[0].y1 - regions[0].y0, regions[0].x1 - regions[0].x0) == (height, width)
        for region in regions[1:]:
            assert (region.y1 - region.y0) * (region.x1 - region.x0) < height * width / 2


def test_sizes_stay_sensible_for_long_and_deep_inputs() -> None:
    long_height, long_width, _ = animate(ConvSpec((64,), 3)).frame_shape
    assert long_width < 800 and long_height < 260  # labelled
    _, short_width, _ = animate(ConvSpec((5,), 3)).frame_shape
    assert short_width < 250
    for spec in (VOLUME, VOLUME_TRANSPOSED, ConvSpec((16, 8, 8), 3)):
        height, width, _ = animate(spec).frame_shape
        assert height < 1100 and width < 700  # depth labels beside the slices


# --------------------------------------------------------------------------- footprints


@pytest.mark.parametrize(
    "spec", [LINE_DILATED, ConvSpec((7,), 3, stride=2, padding=2, dilation=2), LINE_TRANSPOSED]
)
def test_line_footprint_shades_exactly_the_taps(spec: ConvSpec, drawn) -> None:
    shown = drawn(spec)
    animation = shown.animation
    scene, colour = animation.scene, sampler(animation)
    positions = list(np.ndindex(*spec.grid.size))
    for step, frame in zip(spec.steps(), shown.frames, strict=True):
        for position in positions:
            unit = spec.grid.unit_index(position) is not None
            expected = (
                (SHADOW_ON_BLUE if unit else SHADOW_ON_WHITE) if position in step.positions
                else (BLUE if unit else WHITE)
            )
            assert close(colour(frame, scene.input_centre(position)), expected), (step, position)
        assert close(colour(frame, scene.output_centre(step.output_index)), SHADOW_ON_CYAN)


@pytest.mark.parametrize("spec", [VOLUME_DILATED, VOLUME_TRANSPOSED])
def test_volume_footprint_shades_exactly_the_taps(spec: ConvSpec) -> None:
    animation = animate(spec, connectors=False)  # they may cross cells' centres
    scene, colour = animation.scene, sampler(animation)
    chosen = (0, 4, len(animation) - 1)
    frames = [frame for n, frame in enumerate(animation.frames()) if n in chosen]
    for step, frame in zip((spec.steps()[n] for n in chosen), frames, strict=True):
        covered = {
            position for position in np.ndindex(*spec.grid.size)
            if shaded(colour(frame, scene.input_centre(position)))
        }
        assert covered == set(step.positions)
        current = [
            index for index in np.ndindex(*spec.output_size)
            if close(colour(frame, scene.output_centre(index)), SHADOW_ON_CYAN)
        ]
        assert current == [step.output_index]


def test_uncovered_cells_are_marked() -> None:
    spec = ConvSpec((6,), 3, stride=2)
    assert spec.uncovered_positions() == ((5,),)
    plain, marked = animate(spec, labels=False), animate(spec, mark_uncovered=True, labels=False)
    centre = plain.scene.input_centre((5,))
    red, *_ = sampler(marked)(next(marked.frames()), centre)
    blue, *_ = sampler(plain)(next(plain.frames()), centre)
    assert red > blue + 40
    volume = ConvSpec((4, 4, 4), 3, stride=2)
    assert (next(animate(volume, mark_uncovered=True, labels=False).frames())
            != next(animate(volume, labels=False).frames())).any()


def test_connectors_can_be_turned_off() -> None:
    for spec in (LINE, VOLUME):
        with_lines = next(animate(spec).frames())
        without = next(animate(spec, connectors=False).frames())
        assert with_lines.shape == without.shape and (with_lines != without).any()


# --------------------------------------------------------------------------- pictures


def test_line_figure_matches_baseline(image_regression) -> None:
    animation = animate(LINE_TRANSPOSED, labels=True, caption=True, scale=0.5)
    image_regression(list(animation.frames())[3], "dim_line_transposed_3")


def test_volume_figure_matches_baseline(image_regression) -> None:
    animation = animate(VOLUME, labels=True, caption=True, scale=0.5)
    image_regression(list(animation.frames())[31], "dim_volume_31")


def test_numerical_line_figure_matches_baseline(image_regression) -> None:
    animation = animate(LINE, values=[3, 1, 4, 1, 5, 9, 2, 6], kernel=[1, 0, -1], scale=0.75)
    assert isinstance(animation.scene, NumericLineScene)
    np.testing.assert_array_equal(animation.numbers.output, [-1, 0, -8, 3])
    image_regression(list(animation.frames())[1], "dim_line_numbers_1")


def test_numerical_line_max_pooling_marks_the_winner() -> None:
    spec = ConvSpec((6,), 2, stride=2)
    animation = animate(spec, values=[1, 5, 8, 2, 3, 4], op="max", progressive=True)
    frames = list(animation.frames())
    assert len(frames) == 3 and (frames[0] != frames[1]).any()
    plain = next(animate(spec, values=[1, 5, 8, 2, 3, 4], op="max", mark_winners=False).frames())
    assert (frames[0] != plain).any()


def test_three_d_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match=r"3-D .* not yet supported"):
        animate(ConvSpec((3, 3, 3), 2), values=np.zeros((3, 3, 3)), kernel=np.ones((2, 2, 2)))


@pytest.mark.parametrize(
    ("scene", "spec", "message"),
    [(LineScene, VOLUME, "LineScene draws 1-D"), (VolumeScene, LINE, "VolumeScene draws 3-D")],
)
def test_scenes_refuse_other_dimensions(scene, spec, message) -> None:
    with pytest.raises(ValueError, match=message):
        scene(spec, Style())


# --------------------------------------------------------------------------- files and API


@pytest.mark.parametrize("spec", [LINE_DILATED, ConvSpec((4, 4, 4), 3, stride=2, padding=1)])
def test_gif_file(spec: ConvSpec, tmp_path) -> None:
    animation = animate(spec)
    path = animation.save(tmp_path / "anim.gif", fps=2)
    with Image.open(path) as gif:
        assert gif.n_frames == len(animation)
        assert gif.size == (animation.frame_shape[1], animation.frame_shape[0])
        gif.seek(1)
        decoded = np.asarray(gif.convert("RGB"))
    frame = list(animation.frames())[1]
    assert np.abs(decoded.astype(int) - frame).mean() < 1.0


@pytest.mark.parametrize("spec", [LINE_TRANSPOSED, VOLUME_DILATED])
def test_saving_is_deterministic(spec: ConvSpec, tmp_path) -> None:
    first = animate(spec, labels=True).save(tmp_path / "a.gif").read_bytes()
    assert animate(spec, labels=True).save(tmp_path / "b.gif").read_bytes() == first
    animation = animate(spec, caption=True)
    for suffix in (".png", ".svg", ".pdf"):
        animation.filmstrip(path=tmp_path / f"one{suffix}")
        animation.filmstrip(path=tmp_path / f"two{suffix}")
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()


def test_filmstrip_and_figure(tmp_path) -> None:
    animation = animate(VOLUME)
    animation.filmstrip(frames=(0, 5), path=tmp_path / "strip.png")
    width, height = Image.open(tmp_path / "strip.png").size
    frame_height, frame_width, _ = animation.frame_shape
    assert abs(height - frame_height) <= 1 and 2 * frame_width < width < 3 * frame_width
    pixels = animation.filmstrip_pixels((0, 5))
    assert pixels.shape[0] == frame_height
    assert scratch_pixels(animate(LINE).figure(2)).shape == animate(LINE).frame_shape


def test_draw_into_an_axes() -> None:
    fig = Figure()
    left, right = fig.subplots(1, 2)
    line_artists = draw(left, LINE_DILATED, 2, labels=True)
    volume_artists = draw(right, VOLUME, VOLUME.steps()[7], caption=True)
    assert line_artists and all(artist.axes is left for artist in line_artists)
    assert volume_artists and all(artist.axes is right for artist in volume_artists)
    assert right.get_aspect() == 1.0
    scratch_pixels(fig)


def test_volume_slices_carry_their_depth_and_the_connectors_span_the_kernel() -> None:
    spec = ConvSpec((4, 4, 4), 3)
    scene = animate(spec).scene
    texts = [t.get_text() for t in scene.texts()]
    assert [t for t in texts if t.startswith("depth")] == [
        "depth 1", "depth 2", "depth 3", "depth 4", "depth 1", "depth 2"]
    assert "input 4×4×4" in texts and "output 2×2×2" in texts
    step = spec.steps()[4]  # output depth 1: kernel over input depths 1 to 3 (0-based)
    (lines,) = [s for s in scene.moving(step) if s.linewidth < 0.5 and s.edge is not None]
    starts = lines.path.vertices[::2]
    lattice = scene._input_lattice  # noqa: SLF001 - page corners of every slice
    d0 = step.window_start[0]
    assert any(np.allclose(p, lattice[d0 + 2, 3, 0]) for p in starts)  # last slice, near
    assert any(np.allclose(p, lattice[d0, 0, 0]) for p in starts)  # first slice, far
    assert not animate(spec, labels=False).scene.texts()


def test_a_volume_lists_its_units_once_not_once_per_slice(monkeypatch) -> None:
    """Found by the fuzz test: every slice listed the whole grid's units again, so that a
    64x64x64 figure took minutes (quadratic in the depth)."""
    from conv_anim.render import volume
    from conv_anim.taps import InputGrid

    listed = []
    unit_mask = volume.unit_mask

    def counted(grid: InputGrid) -> np.ndarray:
        listed.append(grid)
        return unit_mask(grid)

    monkeypatch.setattr(volume, "unit_mask", counted)
    monkeypatch.setattr(InputGrid, "unit_positions", None)  # not listed unit by unit either
    VolumeScene(ConvSpec((12, 4, 4), 1, padding=1), Style(labels=True))
    assert len(listed) == 1
