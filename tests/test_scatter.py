"""The scatter view of a transposed convolution, and both views side by side."""

from __future__ import annotations

import itertools
from math import prod

import numpy as np
import pytest
from conftest import figure_pixels
from matplotlib.figure import Figure
from PIL import Image

from conv_anim import ConvSpec, animate, catalog
from conv_anim.errors import ParameterError
from conv_anim.figures import VIEWS_SPEC, transposed_views_figure
from conv_anim.paperdata import paper_corner
from conv_anim.render.numerals import exact_text
from conv_anim.render.scatter import ScatterScene
from conv_anim.steps import scatter_steps
from conv_anim.style import Style
from conv_anim.values import Numbers

#: The figure's default data, the catalogue's scatter figure's: the paper's numbers.
VALUES, KERNEL = paper_corner((3, 3), (3, 3))

#: Transposed specs the scatter view draws, with the values and kernel to draw them with.
CASES = {
    "paper": (VIEWS_SPEC, VALUES, KERNEL),
    "output_padding_1d": (
        ConvSpec((4,), 3, stride=2, padding=1, transposed=True, output_padding=1),
        [1, 2, 3, 4], [1, 0, 2],
    ),
    "asymmetric_dilated": (
        ConvSpec((2, 3), 3, stride=2, padding=((1, 2), (2, 0)), dilation=(1, 2),
                 transposed=True, output_padding=(1, 0)),
        np.arange(6).reshape(2, 3), np.arange(9).reshape(3, 3) - 4,
    ),
    "stride_beyond_kernel": (
        ConvSpec((3, 2), 2, stride=3, transposed=True, output_padding=2),
        [[1.5, -2], [0.25, 3], [4, 1]], [[1, 0.5], [-1, 2]],
    ),
    "unit_stride": (ConvSpec(4, 3, transposed=True), np.arange(16).reshape(4, 4), np.ones((3, 3))),
}


def scene(name: str, **style: object) -> ScatterScene:
    spec, values, kernel = CASES[name]
    return ScatterScene(spec, Style(**style), Numbers.compute(spec, values, kernel))


def partial_sums(spec: ConvSpec, values: object, kernel: object) -> list[np.ndarray]:
    """The output after each input unit, by scattering into the uncropped result and
    cropping it: each unit adds ``x * w`` (dilated by slicing) at ``index * stride``."""
    x, w = np.asarray(values, float), np.asarray(kernel, float)
    before = [b for b, _ in spec.padding]
    full = [(i - 1) * s + e + o for i, s, e, o in
            zip(spec.input_size, spec.stride, spec.effective_kernel_size, spec.output_size,
                strict=True)]
    uncropped = np.zeros(full)
    sums = []
    for unit in itertools.product(*(range(n) for n in spec.input_size)):
        window = tuple(slice(i * s, i * s + e, d) for i, s, e, d in
                       zip(unit, spec.stride, spec.effective_kernel_size, spec.dilation,
                           strict=True))
        uncropped[window] += x[unit] * w
        crop = tuple(slice(b, b + o) for b, o in zip(before, spec.output_size, strict=True))
        sums.append(uncropped[crop].copy())
    return sums


# --------------------------------------------------------------------------- the steps


@pytest.mark.parametrize("name", CASES)
def test_one_frame_per_input_unit_row_major(name: str) -> None:
    spec, values, kernel = CASES[name]
    anim = animate(spec, values=values, kernel=kernel, view="scatter")
    units = list(itertools.product(*(range(n) for n in spec.input_size)))
    assert len(anim) == len(anim.steps) == prod(spec.input_size)
    assert [step.input_index for step in anim.steps] == units
    assert [step.index for step in anim.steps] == list(range(len(units)))
    assert sum(1 for _ in anim.frames()) == len(units)


def test_footprint_lands_at_index_times_stride_minus_padding() -> None:
    step = scatter_steps(VIEWS_SPEC)[5]  # unit (1, 2) of 3x3, stride 2, padding 1
    assert step.input_index == (1, 2)
    assert step.window_start == (1, 3)
    assert [t.position for t in step.taps[:3]] == [(1, 3), (1, 4), (1, 5)]
    assert [t.output_index for t in step.taps[:3]] == [(1, 3), (1, 4), None]  # 5 is cropped
    assert step.output_indices == ((1, 3), (1, 4), (2, 3), (2, 4), (3, 3), (3, 4))


def test_dilation_spreads_the_taps() -> None:
    (spec, _, _) = CASES["asymmetric_dilated"]
    step = scatter_steps(spec)[0]
    assert step.window_start == (-1, -2)
    assert [t.position[1] for t in step.taps[:3]] == [-2, 0, 2]


# --------------------------------------------------------------------------- the numbers


@pytest.mark.parametrize("name", CASES)
def test_running_sums_equal_partial_sums_and_end_at_apply(name: str) -> None:
    spec, values, kernel = CASES[name]
    drawn = scene(name)
    expected = partial_sums(spec, values, kernel)
    assert drawn.sums.shape == (prod(spec.input_size), *spec.output_size)
    for step, sums in zip(drawn.steps, expected, strict=True):
        np.testing.assert_allclose(drawn.sums[step.index], sums, rtol=0, atol=1e-12)
    np.testing.assert_allclose(drawn.sums[-1], spec.apply(values, kernel), rtol=0, atol=1e-12)


def test_integer_data_ends_exactly_at_apply() -> None:
    drawn = scene("paper")
    assert np.array_equal(drawn.sums[-1], VIEWS_SPEC.apply(VALUES, KERNEL))


@pytest.mark.parametrize("name", CASES)
def test_each_frame_writes_its_products_and_the_running_sums(name: str) -> None:
    spec, values, kernel = CASES[name]
    drawn = scene(name)
    x, w = np.asarray(values, float), np.asarray(kernel, float)
    expected = partial_sums(spec, values, kernel)
    for step in drawn.steps:
        shown = drawn.shown(step)
        products = {t.cell: float(t.text) for t in shown if t.grid == "kernel"}
        assert products == pytest.approx({
            tap.position: x[step.input_index] * w[tap.kernel_index] for tap in step.taps
        }, abs=0.01)
        sums = {t.cell: t.text for t in shown if t.grid == "output"}
        assert len(sums) == prod(spec.output_size)
        for cell, text in sums.items():
            assert text == exact_text(expected[step.index][cell])


def test_output_padding_adds_a_row_and_a_column() -> None:
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1)
    anim = animate(spec, values=VALUES, kernel=KERNEL, view="scatter")
    assert spec.output_size == (6, 6)
    drawn = anim.scene
    np.testing.assert_array_equal(drawn.sums[-1], spec.apply(VALUES, KERNEL))
    # The last unit reaches the extra row and column, which the padding crops otherwise.
    assert (5, 5) in drawn.steps[-1].output_indices


# --------------------------------------------------------------------------- the pictures


def test_frames_are_distinct_and_the_same_size() -> None:
    anim = animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view="scatter")
    frames = [frame.copy() for frame in anim.frames()]
    assert all(frame.shape == anim.frame_shape for frame in frames)
    assert len({frame.tobytes() for frame in frames}) == len(frames)


def test_blitted_frames_equal_frames_drawn_from_scratch() -> None:
    anim = animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view="scatter", labels=True)
    blitted = [frame.copy() for frame in anim.frames()]
    for frame in (0, 4, 8):
        scratch = figure_pixels(anim.figure(frame))[..., :3]
        assert scratch.shape == blitted[frame].shape
        assert np.abs(scratch.astype(int) - blitted[frame]).mean() < 0.5


def test_scatter_frame_matches_baseline(image_regression) -> None:
    anim = animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view="scatter", labels=True)
    image_regression(list(anim.frames())[1], "scatter_frame_1")


def test_views_figure_matches_baseline(image_regression) -> None:
    fig = transposed_views_figure(scale=0.75)
    assert isinstance(fig, Figure)
    image_regression(figure_pixels(fig), "scatter_views")


def test_views_figure_shows_both_outputs_equal() -> None:
    texts = [t.get_text() for t in transposed_views_figure().axes[0].texts]
    assert "same output" in texts and "=" in texts
    assert "after 25 steps, one per output cell" in texts
    assert "after 9 steps, one per input unit" in texts


def test_views_figure_takes_a_spec_and_data() -> None:
    spec = ConvSpec((2, 3), 2, stride=(1, 2), padding=(0, 1), transposed=True)
    fig = transposed_views_figure(spec, np.ones((2, 3)), [[1, 2], [3, 4]], caption=True)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(text.startswith("transposed convolution: input 2×3 → output") for text in texts)


def test_gif_holds_one_frame_per_input_unit(tmp_path) -> None:
    anim = animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view="scatter")
    path = anim.save(tmp_path / "scatter.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == 9
        gif.seek(4)
        decoded = np.asarray(gif.convert("RGB"))
    frame = list(anim.frames())[4]
    palette = anim.palette
    assert np.array_equal(decoded, palette.colors[palette.indices(frame)])


def test_animation_api_follows_the_input_units(tmp_path) -> None:
    anim = animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view="scatter")
    assert "view='scatter'" in repr(anim) and "frames=9" in repr(anim)
    assert anim.figure(8).get_size_inches() is not None
    strip = anim.filmstrip((0, 8), path=tmp_path / "strip.png")
    assert isinstance(strip, Figure) and (tmp_path / "strip.png").exists()
    assert anim.filmstrip_pixels((0, 8)).shape[0] == anim.frame_shape[0]
    assert "<img" in anim._repr_html_()
    assert anim.save_frames(tmp_path / "frames").is_dir()
    assert len(list((tmp_path / "frames").glob("frame_*.png"))) == 9
    with pytest.raises(ValueError, match="frame=9 is not valid"):
        anim.figure(9)


def test_direct_view_is_unchanged() -> None:
    direct = animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL)
    assert len(direct) == 25 and direct.view == "direct"
    assert "view=" not in repr(direct)


def test_catalogue_lists_the_views_figure_beyond_the_paper() -> None:
    static = catalog.get("transposed_views")
    assert static.section == "beyond"
    assert catalog.SECTIONS["beyond"] == "Beyond the paper"
    assert isinstance(static.figure(), Figure)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view="sideways"),
         r"view='sideways' is not valid: expected one of 'direct', 'scatter'"),
        (lambda: animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, view=None),
         r"view=None is not valid"),
        (lambda: animate(ConvSpec(5, 3), values=np.ones((5, 5)), kernel=KERNEL, view="scatter"),
         r"view='scatter' needs a transposed spec \(transposed=True\)"),
        (lambda: animate(VIEWS_SPEC, view="scatter"),
         r"view='scatter' needs values=\.\.\. \(an array of shape spec.input_size = \(3, 3\)\)"),
        (lambda: animate(VIEWS_SPEC, values=VALUES, view="scatter"),
         r"kernel is missing"),
        (lambda: animate(VIEWS_SPEC, values=VALUES, op="max", view="scatter"),
         r"op='max' is not valid with view='scatter': expected op='conv'"),
        (lambda: animate(VIEWS_SPEC, values=VALUES, kernel=KERNEL, progressive=True,
                         view="scatter"),
         r"progressive=True does not apply to view='scatter'"),
        (lambda: animate(VIEWS_SPEC, values=np.ones((2, 2)), kernel=KERNEL, view="scatter"),
         r"values has shape \(2, 2\)"),
        (lambda: animate(ConvSpec((2, 2, 2), 2, transposed=True), values=np.ones((2, 2, 2)),
                         kernel=np.ones((2, 2, 2)), view="scatter"),
         r"expected 1 or 2 spatial axes \(got 3\)"),
        (lambda: scatter_steps(ConvSpec(5, 3)),
         r"expected a transposed ConvSpec \(transposed=True\)"),
        (lambda: transposed_views_figure(ConvSpec(5, 3)),
         r"expected a 2-D transposed ConvSpec"),
        (lambda: transposed_views_figure(ConvSpec((3,), 3, transposed=True)),
         r"expected a 2-D transposed ConvSpec"),
        (lambda: transposed_views_figure(kernel=np.ones((2, 2))),
         r"kernel has shape \(2, 2\)"),
        (lambda: transposed_views_figure(colour="red"),
         r"unknown style option 'colour'"),
    ],
)
def test_bad_input_is_a_clear_value_error(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_scatter_view_is_labelled_and_explains_products_and_cropped_cells():
    anim = catalog.get("padding_strides_transposed_scatter").animate()
    texts = " ".join(t.get_text() for t in anim.scene.texts()).replace("\n", " ")
    for words in ("input 3×3", "kernel 3×3", "output 5×5", "small numbers: the products",
                  "dashed cells: cut off by the padding"):
        assert words in texts
    sizes = {t.grid: t.size for t in anim.scene.shown(anim.steps[4])}
    assert 5.5 <= sizes["kernel"] < sizes["output"]  # products legible, under the sums


def test_both_views_of_the_transposed_convolution_use_the_same_values():
    figure = catalog.get("padding_strides_transposed_scatter")
    anim = figure.animate()
    assert anim.numbers is not None
    assert np.array_equal(anim.numbers.values, VALUES)
    assert np.array_equal(anim.numbers.kernel, KERNEL)
    views = catalog.get("transposed_views")
    assert not views.caption.startswith("Beyond the paper")


def test_a_cropped_product_that_overflows_is_refused_not_written_as_inf():
    """Found by the fuzz test: the output (1e300 x 0) is finite, but the figure writes
    every product, the padding's cropped 1e300 x 1e300 too: it showed "inf"."""
    spec = ConvSpec((1,), 3, padding=1, transposed=True)
    with pytest.raises(ParameterError, match=r"^values and kernel overflow float64") as caught:
        animate(spec, values=[1e300], kernel=[1e300, 0, 0], view="scatter")
    assert caught.value.parameter == "values"
