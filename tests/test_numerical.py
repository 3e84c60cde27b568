"""The flat numerical figures: the paper's four, their numbers, options and errors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import figure_pixels
from matplotlib.figure import Figure
from matplotlib.path import Path

from conv_anim import ConvSpec, animate, catalog, draw, paperdata
from conv_anim.animation import Animation
from conv_anim.render.base import CELL_INCHES
from conv_anim.render.canvas import page_to_pixels
from conv_anim.render.flat import FlatScene
from conv_anim.render.numbers import (
    MINUS_INFINITY,
    CellText,
    fitted_size,
    placed_text,
    text_width_cells,
)
from conv_anim.render.numerals import (
    WEIGHT_RATIO,
    exact_text,
    rounded_text,
    significant_text,
    write_numbers,
)
from conv_anim.style import Style
from conv_anim.values import Numbers

NAMES = (
    "numerical_no_padding_no_strides",
    "numerical_padding_strides",
    "numerical_average_pooling",
    "numerical_max_pooling",
)
#: The output values the paper's figures show.
PAPER_OUTPUTS = {
    "numerical_no_padding_no_strides": [["12.0", "12.0", "17.0"], ["10.0", "17.0", "19.0"],
                                        ["9.0", "6.0", "14.0"]],
    "numerical_padding_strides": [["6.0", "17.0", "3.0"], ["8.0", "17.0", "13.0"],
                                  ["6.0", "4.0", "4.0"]],
    "numerical_average_pooling": [["1.7", "1.7", "1.7"], ["1.0", "1.2", "1.8"],
                                  ["1.1", "0.8", "1.3"]],
    "numerical_max_pooling": [["3.0", "3.0", "3.0"], ["3.0", "3.0", "3.0"],
                              ["3.0", "2.0", "3.0"]],
}
PAPER_INPUT = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]]
PAPER_KERNEL = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]


def paper(name: str, **options: object) -> Animation:
    return catalog.get(name).animate(**options)  # type: ignore[union-attr]


def scene_of(anim: Animation) -> FlatScene:
    assert anim.numbers is not None
    return FlatScene(anim.spec, anim.style, anim.numbers, anim.progressive)


def texts(scene: FlatScene, step: int, grid: str) -> dict[tuple[int, ...], str]:
    shown = [t for t in scene.shown(scene.spec.steps()[step]) if t.grid == grid]
    cells = {t.cell: t.text for t in shown}
    assert len(cells) == len(shown), "two numbers in one cell"
    return cells


def as_grid(cells: dict[tuple[int, ...], str], shape: tuple[int, int]) -> list[list[str | None]]:
    return [[cells.get((r, c)) for c in range(shape[1])] for r in range(shape[0])]


# --------------------------------------------------------------------------- the paper's figures


def test_paper_data_is_the_papers() -> None:
    values, kernel = paperdata.paper_data()
    assert values.tolist() == PAPER_INPUT
    assert kernel.tolist() == PAPER_KERNEL


@pytest.mark.parametrize("name", NAMES)
def test_paper_figures_have_nine_frames_of_the_papers_size(name: str) -> None:
    anim = paper(name)
    frames = [frame.copy() for frame in anim.frames()]
    assert len(anim) == len(frames) == 9
    # The paper's frames 00 (rasterised at 150 dpi): 337x219, and 396x278 when padded.
    expected = (278, 396, 3) if name == "numerical_padding_strides" else (219, 337, 3)
    assert anim.frame_shape == expected
    assert all(frame.shape == expected and frame.dtype == np.uint8 for frame in frames)
    assert len({frame.tobytes() for frame in frames}) == 9


@pytest.mark.parametrize("name", NAMES)
def test_every_frame_shows_the_papers_numbers(name: str) -> None:
    scene = scene_of(paper(name))
    padding = scene.spec.padding[0][0]
    padded = np.pad(np.array(PAPER_INPUT), padding).astype(int).astype(str).tolist()
    for step in scene.spec.steps():
        assert as_grid(texts(scene, step.index, "output"), (3, 3)) == PAPER_OUTPUTS[name]
        assert as_grid(texts(scene, step.index, "input"), scene.spec.grid.size) == padded
        weights = texts(scene, step.index, "kernel")
        if catalog.get(name).op != "conv":  # type: ignore[union-attr]
            assert weights == {}
            continue
        r0, c0 = step.window_start
        assert weights == {
            (r0 + r, c0 + c): str(PAPER_KERNEL[r][c]) for r in range(3) for c in range(3)
        }


def test_padded_strided_output_is_the_papers() -> None:
    anim = paper("numerical_padding_strides")
    assert anim.numbers is not None
    np.testing.assert_array_equal(anim.numbers.output, [[6, 17, 3], [8, 17, 13], [6, 4, 4]])


def test_numbers_are_centred_in_their_cells_and_weights_at_the_lower_right() -> None:
    scene = scene_of(paper("numerical_no_padding_no_strides"))
    shown = scene.shown(scene.spec.steps()[4])
    value = next(t for t in shown if t.grid == "input" and t.cell == (1, 1))
    weight = next(t for t in shown if t.grid == "kernel" and t.cell == (1, 1))
    output = next(t for t in shown if t.grid == "output" and t.cell == (0, 0))
    assert (value.x, value.y) == (1.5, 3.5)  # row 1 of 5, from the top
    assert weight.align == "right" and 1.8 < weight.x < 1.95 and weight.y == pytest.approx(3.2)
    # The output sits one cell right of the input and is centred vertically: (5 - 3) // 2.
    assert (output.x, output.y) == (6.5, 3.5)
    assert value.size == 8.0 and weight.size == output.size == 5.0


# --------------------------------------------------------------------------- options


def test_progressive_shows_only_the_values_computed_so_far() -> None:
    scene = scene_of(paper("numerical_padding_strides", progressive=True))
    expected = PAPER_OUTPUTS["numerical_padding_strides"]
    for step in scene.spec.steps():
        shown = texts(scene, step.index, "output")
        assert sorted(shown) == sorted(s.output_index for s in scene.spec.steps()[: step.index + 1])
        assert all(text == expected[r][c] for (r, c), text in shown.items())


def test_progressive_frames_differ_from_the_papers_only_in_the_output() -> None:
    normal = [f.copy() for f in paper("numerical_padding_strides").frames()]
    progressive = [f.copy() for f in paper("numerical_padding_strides", progressive=True).frames()]
    assert np.array_equal(normal[-1], progressive[-1])  # all computed at the last step
    differs = np.any(normal[0] != progressive[0], axis=2)
    columns = np.nonzero(differs.any(axis=0))[0]
    scene = scene_of(paper("numerical_padding_strides"))
    assert columns.min() > _cell_box(scene, scene.output_corner(0, 0))[0]


def _cell_box(scene: FlatScene, corner: tuple[float, float]) -> tuple[float, float, float, float]:
    """Pixel box (left, top, right, bottom) of the unit cell with that bottom-left corner."""
    to_pixels = page_to_pixels(scene.extent, scene.style)
    (left, bottom), (right, top) = to_pixels.transform([corner, (corner[0] + 1, corner[1] + 1)])
    assert right - left == pytest.approx(CELL_INCHES * scene.style.dpi)
    return left, top, right, bottom


def _red(frame: np.ndarray) -> np.ndarray:
    r, g, b = (frame[..., i].astype(int) for i in range(3))
    return (r > 150) & (g < 110) & (b < 110)


def test_max_pooling_marks_no_winner_by_default_as_the_paper() -> None:
    anim = paper("numerical_max_pooling")
    assert not anim.style.mark_winners
    assert not any(_red(frame).any() for frame in anim.frames())
    assert not any("red" in t.get_text() for t in anim.scene.texts())


def test_marked_winners_are_every_tied_maximum_and_the_caption_says_so() -> None:
    anim = paper("numerical_max_pooling", mark_winners=True)
    scene = scene_of(anim)
    assert anim.numbers is not None
    values = np.array(PAPER_INPUT)
    ties = 0
    for step, frame in zip(anim.steps, anim.frames(), strict=True):
        best = max(values[i] for i in step.input_indices)
        winners = [i for i in step.input_indices if values[i] == best]
        assert set(anim.numbers.maxima(step)) == set(winners)
        ties += len(winners) > 1
        red = _red(frame)
        boxes = [_cell_box(scene, scene.input_corner(*w)) for w in winners]
        for left, top, right, bottom in boxes:  # each winner outlined
            assert red[int(top):int(bottom) + 1, int(left):int(right) + 1].sum() > 20
        ys, xs = np.nonzero(red)  # and nothing else
        assert all(
            any(x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1 for x0, y0, x1, y1 in boxes)
            for x, y in zip(xs, ys, strict=True)
        )
    assert ties >= 5  # the paper's input has many 3s
    caption = " ".join(t.get_text() for t in scene.texts()).replace("\n", " ")
    assert "largest value in the window (each one, when tied)" in caption


@pytest.mark.parametrize("name", NAMES[:3])
def test_only_max_pooling_marks_a_winner(name: str) -> None:
    anim = paper(name, mark_winners=True)
    assert anim.numbers is not None and anim.numbers.winners is None
    assert not any(_red(frame).any() for frame in anim.frames())


def test_transposed_draws_the_stretched_input_with_zeros() -> None:
    spec = ConvSpec(2, 3, stride=2, transposed=True)
    values, kernel = [[1, 2], [3, 4]], np.arange(9).reshape(3, 3)
    anim = animate(spec, values=values, kernel=kernel)
    scene = scene_of(anim)
    inputs = as_grid(texts(scene, 0, "input"), scene.spec.grid.size)
    stretched = [["1", "0", "2"], ["0", "0", "0"], ["3", "0", "4"]]
    padded = [["0"] * 7] * 2 + [["0", "0", *row, "0", "0"] for row in stretched] + [["0"] * 7] * 2
    assert inputs == padded
    expected = spec.apply(values, kernel)
    outputs = as_grid(texts(scene, 0, "output"), spec.output_size)
    assert outputs == [[exact_text(v) for v in row] for row in expected]
    # The equivalent direct convolution slides the spatially flipped kernel.
    assert texts(scene, 0, "kernel")[(0, 0)] == "8"
    assert len(anim) == 25


def test_numbers_are_shown_exactly() -> None:
    # The example: no rounding of 1.5, 6.25, 18.75 or -6, and 3000 in full.
    spec = ConvSpec(2, 1)
    anim = animate(spec, values=[[1.5, -2], [3000, 6.25]], kernel=[[3]])
    scene = scene_of(anim)
    assert as_grid(texts(scene, 0, "input"), (2, 2)) == [["1.5", "-2"], ["3000", "6.25"]]
    assert texts(scene, 0, "kernel") == {(0, 0): "3"}
    assert as_grid(texts(scene, 0, "output"), (2, 2)) == [["4.5", "-6"], ["9000", "18.75"]]
    assert anim.numbers is not None
    for item in scene.shown(spec.steps()[0]):
        expected = {"input": anim.numbers.values, "output": anim.numbers.output}.get(item.grid)
        if expected is not None:
            assert float(item.text) == expected[item.cell]
    assert not any("rounded" in t.get_text() for t in scene.texts())


def test_outputs_are_as_large_as_inputs_and_weights_smaller() -> None:
    scene = scene_of(animate(ConvSpec(5, 3), values=PAPER_INPUT, kernel=PAPER_KERNEL))
    sizes = {t.grid: t.size for t in scene.shown(scene.spec.steps()[0])}
    assert sizes == {"input": 8.0, "kernel": 5.0, "output": 8.0}
    # The paper's look: small outputs with one decimal.
    paper_scene = scene_of(paper("numerical_no_padding_no_strides"))
    paper_sizes = {t.grid: t.size for t in paper_scene.shown(paper_scene.spec.steps()[0])}
    assert paper_sizes == {"input": 8.0, "kernel": 5.0, "output": 5.0}


def test_rounded_numbers_are_said_so_in_the_caption_with_the_bound() -> None:
    spec = ConvSpec(2, 1)
    anim = animate(spec, values=[[1 / 3, 2], [3, 4]], kernel=[[1]])
    scene = scene_of(anim)
    assert as_grid(texts(scene, 0, "input"), (2, 2)) == [["0.333", "2"], ["3", "4"]]
    caption = "\n".join(t.get_text() for t in scene.texts())
    assert ("shown rounded: values to 3 decimals (±0.0005); outputs to 3 decimals (±0.0005)"
            in caption.replace("\n", " "))
    # With a caption of one's own, the note follows it.
    own = scene_of(animate(spec, values=[[1 / 3, 2], [3, 4]], kernel=[[1]], caption="mine"))
    assert [t.get_text() for t in own.texts()][-1].startswith("mine\nshown rounded:")


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(6.0, 1, "6.0"), (17.5, 1, "17.5"), (3.0, 0, "3"), (-0.0, 0, "0"), (-1.25, 0, "-1.25"),
     (0.1, 0, "0.1"), (3000.0, 0, "3000"), (1.2e-5, 0, "1.2e-5"), (2.5e20, 0, "2.5e20")],
)
def test_exact_text(value: float, decimals: int, text: str) -> None:
    assert exact_text(value, decimals) == text
    assert float(text) == value


@pytest.mark.parametrize(("value", "decimals", "text"),
                         [(1 / 3, 2, "0.33"), (1.5, 2, "1.5"), (-0.004, 2, "0"), (2.5, 0, "2")])
def test_rounded_text(value: float, decimals: int, text: str) -> None:
    assert rounded_text(value, decimals) == text
    assert abs(float(text) - value) <= 0.5 * 10 ** -decimals


def test_long_numbers_are_set_smaller_to_fit_their_cells() -> None:
    anim = animate(ConvSpec(2, 2), values=[[1000, 2], [3, 4]], kernel=[[10, 1], [1, 1]])
    shown = scene_of(anim).shown(anim.steps[0])
    sizes = {t.grid: t.size for t in shown}
    assert sizes["input"] < 8.0 and sizes["output"] < 8.0
    assert all(isinstance(t, CellText) for t in shown)


def test_figure_filmstrip_draw_and_save_work_for_numerical_figures(tmp_path) -> None:
    anim = paper("numerical_max_pooling", progressive=True)
    frames = [frame.copy() for frame in anim.frames()]
    # The blitted frames are the figure's pixels exactly.
    assert np.array_equal(figure_pixels(anim.figure(4))[..., :3], frames[4])
    assert anim.filmstrip((0, 8)).get_axes()
    fig = Figure()
    ax = fig.add_subplot()
    values, _ = paperdata.paper_data()
    artists = draw(ax, anim.spec, 2, values=values, op="max")
    assert artists and all(artist.axes is ax for artist in artists)
    assert anim.save(tmp_path / "max.gif").stat().st_size > 0
    assert anim.save(tmp_path / "max.svg", frame=1).stat().st_size > 0
    assert "op='max'" in repr(anim)


def test_without_values_the_figure_is_the_slanted_one() -> None:
    anim = animate(ConvSpec(5, 3, stride=2, padding=1), labels=False)
    assert anim.numbers is None and anim.frame_shape == (381, 395, 3)


# --------------------------------------------------------------------------- numbers of any size

_RNG = np.random.default_rng(0)
_FLOATS = _RNG.normal(size=(5, 5)) * 3
_WEIGHTS = _RNG.normal(size=(3, 3))
_INTS = np.arange(25).reshape(5, 5) - 12
_DIGITS = np.arange(25).reshape(5, 5) % 10

#: Figures whose numbers are long, wide or of extreme sizes (the reviewed reproducers):
#: spec, values, kernel, op.
AWKWARD = {
    "floats": (ConvSpec(5, 3), np.random.default_rng(0).normal(size=(5, 5)) * 3, np.ones((3, 3)),
               "conv"),
    "five_digits": (ConvSpec(5, 3), np.where(_INTS % 2 == 0, -37952, _INTS), np.ones((3, 3)),
                    "conv"),
    "ninths": (ConvSpec(5, 3), _FLOATS, np.full((3, 3), 1 / 9), "conv"),
    "ninths_on_digits": (ConvSpec(5, 3), _DIGITS, np.full((3, 3), 1 / 9), "conv"),
    "mixed_weights": (ConvSpec(5, 3), _DIGITS, [[0.5, -0.25, 12], [100, -25, 1], [2, 3, 4]],
                      "conv"),
    "mixed_weights_on_floats": (ConvSpec(5, 3, padding=1, stride=2), _FLOATS,
                                [[0.5, -0.25, 12], [100, -25, 1], [2, 3, 4]], "conv"),
    "tiny": (ConvSpec(5, 3), _FLOATS * 1e-5, _WEIGHTS * 1e-4, "conv"),
    "huge": (ConvSpec(5, 3), _RNG.integers(-100000, 100000, size=(5, 5)) * 1e6,
             np.full((3, 3), 1e-3), "conv"),
    "max_padded": (ConvSpec(5, 3, padding=1, stride=2), _INTS, None, "max"),
    "avg_large": (ConvSpec(5, 3), _FLOATS * 1000, None, "avg"),
}
#: ... and the paper's four, whose numbers must fit alike.
AWKWARD_SCENES = dict(AWKWARD)
for _name in NAMES:
    _figure = catalog.get(_name)
    assert isinstance(_figure, catalog.PaperAnimation) and _figure.op is not None
    _values, _kernel = paperdata.paper_data()
    AWKWARD_SCENES[_name] = (_figure.spec, _values, _kernel if _figure.op == "conv" else None,
                             _figure.op)


def awkward(name: str) -> FlatScene:
    """The scene of one of :data:`AWKWARD_SCENES`."""
    spec, values, kernel, op = AWKWARD_SCENES[name]
    return FlatScene(spec, Style(), Numbers.compute(spec, values, kernel, op))


def contours(item: CellText) -> list[tuple[float, float, float, float]]:
    """Box (x0, y0, x1, y1), page coordinates, of each closed outline of a drawn number
    (control points included: never smaller than the ink)."""
    vertices, codes = placed_text(item)
    boxes = []
    for part in np.split(np.arange(len(codes)), np.flatnonzero(codes == Path.MOVETO)[1:]):
        points = vertices[part][codes[part] != Path.CLOSEPOLY]
        if len(points):
            (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
            boxes.append((x0, y0, x1, y1))
    return boxes


def ink(item: CellText) -> tuple[float, float, float, float]:
    """Box (x0, y0, x1, y1) of a drawn number's whole outline."""
    boxes = np.array(contours(item))
    return (*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0))  # type: ignore[return-value]


def cell_of(scene: FlatScene, item: CellText) -> tuple[float, float]:
    """Bottom-left corner of the cell a number is written in."""
    if item.grid == "output":
        return scene.output_corner(*item.cell)
    return scene.input_corner(*item.cell)


def overlap(a: tuple[float, ...], b: tuple[float, ...], gap: float = 0.0) -> bool:
    """Whether two boxes (x0, y0, x1, y1) intersect, or come closer than ``gap``."""
    return (a[0] < b[2] + gap and b[0] < a[2] + gap
            and a[1] < b[3] + gap and b[1] < a[3] + gap)


@pytest.mark.parametrize("name", list(AWKWARD_SCENES))
def test_every_number_fits_inside_its_cell_with_a_margin(name: str) -> None:
    scene = awkward(name)
    margin = 0.025  # so every number is at most 0.95 cells wide
    for step in scene.spec.steps():
        for item in scene.shown(step):
            x0, y0, x1, y1 = ink(item)
            left, bottom = cell_of(scene, item)
            assert x1 - x0 <= 0.95, (item, x1 - x0)
            assert left + margin <= x0 and x1 <= left + 1 - margin, item
            assert bottom + margin <= y0 and y1 <= bottom + 1 - margin, item


@pytest.mark.parametrize("name", list(AWKWARD_SCENES))
def test_kernel_weights_never_cover_the_values(name: str) -> None:
    scene = awkward(name)
    for step in scene.spec.steps():
        shown = scene.shown(step)
        values = {t.cell: t for t in shown if t.grid == "input"}
        for weight in (t for t in shown if t.grid == "kernel"):
            value = values[weight.cell]
            # Outline by outline (a weight's minus sign is low: it may pass under a
            # value), with a clear gap (about a pixel at scale 1).
            for a in contours(weight):
                for b in contours(value):
                    assert not overlap(a, b, gap=0.03), (weight.text, value.text)


@pytest.mark.parametrize(("name", "lifted"), [
    ("ninths", True), ("ninths_on_digits", True), ("mixed_weights", True), ("floats", True),
    ("numerical_no_padding_no_strides", False), ("numerical_padding_strides", False),
])
def test_values_move_up_only_when_wide_weights_would_reach_under_them(
        name: str, lifted: bool) -> None:
    scene = awkward(name)
    shown = scene.shown(scene.spec.steps()[0])
    values = {t.cell: t for t in shown if t.grid == "input"}
    middles = {round(t.y - scene.input_corner(*t.cell)[1], 9) for t in values.values()}
    assert len(middles) == 1  # the same in every cell, under the kernel or not
    assert (middles.pop() > 0.5) is lifted
    if lifted:  # then clear of the weights, well above them
        for weight in (t for t in shown if t.grid == "kernel"):
            assert ink(weight)[3] + 0.05 < ink(values[weight.cell])[1]


@pytest.mark.parametrize("text", ["-0.40", "-37952", "0.11", "-1.2e-5", "100.00", "3"])
@pytest.mark.parametrize(("nominal", "width"), [(8.0, 0.85), (5.0, 0.8), (6.0, 0.85), (4.0, 0.5)])
def test_fitted_size_measures_the_text_at_the_size_it_returns(
        text: str, nominal: float, width: float) -> None:
    size = fitted_size([text, "1"], nominal, width)
    assert size <= nominal
    assert text_width_cells(text, size) <= width
    if size < nominal:  # as large as fits
        assert text_width_cells(text, size) > width * 0.999


def test_fitted_size_of_the_reviewed_example() -> None:
    assert text_width_cells("-0.40", fitted_size(["-0.40"], 8.0, 0.9)) <= 0.9
    assert fitted_size(["3", "0"], 8.0, 0.85) == 8.0


@pytest.mark.parametrize(("value", "text"), [
    (1.2345e-5, "1.2e-5"), (-3.44e6, "-3.4e6"), (1e8, "1e8"), (0.0, "0"), (-0.0, "0"),
    (-9.96e10, "-1e11"), (2.5e-12, "2.5e-12"), (12.34, "12"), (0.01234, "0.012"),
])
def test_significant_text(value: float, text: str) -> None:
    assert significant_text(value, 2) == text


@pytest.mark.parametrize(("values", "texts", "rounding"), [
    # The paper's: integers.
    ([3, 0, 2], ["3", "0", "2"], None),
    # Short decimals and long integers: exactly.
    ([0.5, -0.25, 12, 100], ["0.5", "-0.25", "12", "100"], None),
    ([3000, 4, -2], ["3000", "4", "-2"], None),
    # What does not fit is rounded, as little as fits, and says by how much.
    ([1 / 9, 0.5], ["0.111", "0.5"], "to 3 decimals (±0.0005)"),
    ([0.1 + 0.2], ["0.3"], "to 4 decimals (±0.00005)"),
    ([1234.567, 1.5], ["1235", "2"], "to whole numbers (±0.5)"),
    ([123456789, 7], ["1.2e8", "7"], "to 2 significant digits (±5%)"),
])
def test_write_numbers(values: list[float], texts: list[str], rounding: str | None) -> None:
    written = write_numbers(values, 8.0, 0.85)
    assert list(written.texts) == texts and written.rounding == rounding
    assert all(text_width_cells(t, written.size) <= 0.85 for t in texts)
    if rounding is None:
        assert [float(t) for t in texts] == [float(v) for v in values]


@pytest.mark.parametrize(("name", "least"), [("tiny", 1e-12), ("huge", 1e-4)])
def test_tiny_and_huge_numbers_are_rounded_to_significant_digits(name: str, least: float) -> None:
    scene = awkward(name)
    numbers = scene.numbers
    assert numbers.kernel is not None
    step = scene.spec.steps()[4]
    shown = scene.shown(step)
    expected = {
        "input": {(r, c): numbers.values[r, c] for r in range(5) for c in range(5)},
        "kernel": {tap.position: numbers.kernel[tap.kernel_index] for tap in step.taps},
        "output": {s.output_index: numbers.output[s.output_index] for s in scene.spec.steps()},
    }
    for item in shown:
        value = expected[item.grid][item.cell]
        assert float(item.text) == pytest.approx(value, rel=0.5, abs=least)
    caption = "\n".join(t.get_text() for t in scene.texts())
    assert "shown rounded" in caption and "significant digit" in caption
    assert not any(t.text in ("0.00", "0.0") for t in shown)


@pytest.mark.parametrize("name", ["floats", "five_digits", "ninths", "mixed_weights", "tiny",
                                  "huge", "avg_large"])
def test_weights_stay_smaller_than_values_at_every_magnitude(name: str) -> None:
    scene = awkward(name)
    sizes = {t.grid: t.size for t in scene.shown(scene.spec.steps()[0])}
    if "kernel" in sizes:
        assert sizes["kernel"] <= WEIGHT_RATIO * sizes["input"] + 1e-9


def test_max_pooling_pads_with_minus_infinity() -> None:
    spec = ConvSpec(5, 3, padding=1, stride=2)
    scene = awkward("max_padded")
    inputs = texts(scene, 0, "input")
    padding = {cell for cell in inputs if spec.grid.unit_index(cell) is None}
    assert len(padding) == 24
    assert {inputs[cell] for cell in padding} == {MINUS_INFINITY}
    assert texts(scene, 0, "output")[(0, 0)] == "-6"
    # Average pooling and convolution pad with 0 (count_include_pad).
    avg = FlatScene(spec, Style(), Numbers.compute(spec, _INTS, op="avg"))
    assert {texts(avg, 0, "input")[cell] for cell in padding} == {"0"}
    # -inf is drawn (in Computer Modern, its own size), centred in its cell.
    item = next(t for t in scene.shown(spec.steps()[0]) if t.text == MINUS_INFINITY)
    x0, y0, x1, y1 = ink(item)
    left, bottom = scene.input_corner(*item.cell)
    assert (x0 + x1) / 2 == pytest.approx(left + 0.5, abs=0.02)
    assert (y0 + y1) / 2 == pytest.approx(bottom + 0.5, abs=0.02)
    assert 0.5 < x1 - x0 <= 0.7


def test_max_pooling_padding_is_drawn() -> None:
    spec = ConvSpec(5, 3, padding=1, stride=2)
    frame_max = next(animate(spec, values=_INTS, op="max").frames()).copy()
    frame_avg = next(animate(spec, values=_INTS, op="avg").frames()).copy()
    scene = awkward("max_padded")
    left, top, right, bottom = (int(round(v)) for v in _cell_box(scene, scene.input_corner(6, 3)))
    inside = (slice(top + 3, bottom - 3), slice(left + 3, right - 3))
    assert (frame_max[inside] != frame_avg[inside]).any()
    assert (frame_max[inside].min(axis=2) < 200).sum() > 10  # the ink of "−∞"


# --------------------------------------------------------------------------- errors

SPEC = ConvSpec(5, 3)
X = np.zeros((5, 5))
K = np.ones((3, 3))


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"kernel": K}, ["kernel", "without values", "(5, 5)"]),
        ({"op": "max"}, ["op='max'", "without values"]),
        ({"progressive": True}, ["progressive=True", "without values"]),
        ({"values": X, "progressive": "yes"}, ["progressive='yes'", "True or False"]),
        ({"values": np.zeros((4, 5)), "kernel": K}, ["values", "(4, 5)", "(5, 5)"]),
        ({"values": [["a"] * 5] * 5, "kernel": K}, ["values", "not numeric"]),
        ({"values": np.full((5, 5), np.nan), "kernel": K}, ["values", "non-finite"]),
        ({"values": X}, ["kernel is missing", "op='conv'"]),
        ({"values": X, "kernel": np.ones((2, 3))}, ["kernel", "(2, 3)", "(3, 3)"]),
        ({"values": X, "kernel": K, "op": "avg"}, ["kernel", "op='avg'", "kernel=None"]),
        ({"values": X, "op": "min"}, ["op='min'", "'conv', 'max', 'avg'"]),
    ],
)
def test_bad_numerical_arguments_raise_clear_errors(arguments: dict, words: list[str]) -> None:
    with pytest.raises(ValueError) as error:
        animate(SPEC, **arguments)
    for word in words:
        assert word in str(error.value)


def test_pooling_a_transposed_spec_is_refused() -> None:
    with pytest.raises(ValueError, match="transposed"):
        animate(ConvSpec(3, 3, transposed=True), values=np.zeros((3, 3)), op="max")


def test_3d_numbers_are_not_yet_supported() -> None:
    with pytest.raises(ValueError, match="3-D .* not yet supported"):
        animate(ConvSpec((4, 4, 4), 3), values=np.zeros((4, 4, 4)), kernel=np.ones((3, 3, 3)))


def test_numbers_are_read_only() -> None:
    numbers = Numbers.compute(SPEC, X, K)
    for array in (numbers.values, numbers.kernel, numbers.output):
        assert array is not None and not array.flags.writeable


# --------------------------------------------------------------------------- image regression


@pytest.mark.parametrize("name", ["numerical_padding_strides", "numerical_max_pooling"])
@pytest.mark.parametrize("frame", [0, 8])
def test_image_regression(name: str, frame: int, image_regression) -> None:
    frames = [f.copy() for f in paper(name).frames()]
    image_regression(frames[frame], f"{name}_{frame:02d}")


def test_the_1d_numerical_figure_pads_max_pooling_with_minus_infinity_and_lifts_values() -> None:
    from conv_anim.render.line import NumericLineScene

    spec = ConvSpec((6,), 3, padding=1, stride=2)
    scene = animate(spec, values=[1, 5, 8, 2, 3, 4], op="max").scene
    assert isinstance(scene, NumericLineScene)
    assert [t.text for t in scene._input_texts()] == [MINUS_INFINITY, "1", "5", "8", "2", "3",
                                                      "4", MINUS_INFINITY]
    spec = ConvSpec((6,), 3)
    scene = animate(spec, values=[1, 5, 8, 2, 3, 4], kernel=[1 / 9] * 3).scene
    assert isinstance(scene, NumericLineScene)
    values = {t.cell: t for t in scene._input_texts()}
    for weight in scene._weights:
        assert ink(weight)[3] + 0.05 < ink(values[weight.cell])[1]


def test_an_overflow_names_the_values_not_applys_x():
    """Found by the fuzz test: animate's error named ``x``, apply's parameter (the
    command line then said ``--x``)."""
    big = np.full((3, 3), 1e300)
    with pytest.raises(ValueError, match=r"^values and kernel overflow float64") as caught:
        animate(ConvSpec(3, 2), values=big, kernel=np.full((2, 2), 1e300))
    assert caught.value.parameter == "values"
    with pytest.raises(ValueError, match=r"^values overflow float64"):
        animate(ConvSpec(3, 2), values=np.full((3, 3), 1e308), op="avg")
