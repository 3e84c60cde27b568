"""The overlap view: a transposed convolution's taps per output unit, accumulating.

Counts are checked against an independent reference written here with loops (every
input unit adds one to each output unit its kernel's taps land on).
"""

from __future__ import annotations

import itertools
from math import prod

import numpy as np
import pytest

from conv_anim import ConvSpec, animate, notation
from conv_anim.errors import ParameterError
from conv_anim.extra_views import interior_counts
from conv_anim.render.canvas import pixel_hotspots
from conv_anim.render.overlap import OverlapScene, heat_colors, overlap_after
from conv_anim.steps import frame_count
from conv_anim.style import Style

SPECS = [
    ConvSpec(4, 3, stride=2, padding=1, output_padding=1, transposed=True),
    ConvSpec(4, 4, stride=2, padding=1, transposed=True),
    ConvSpec(4, 2, stride=2, transposed=True),
    ConvSpec((5,), 3, stride=2, transposed=True),
    ConvSpec((3, 4), (2, 3), stride=(3, 2), padding=((0, 1), (2, 0)), dilation=(2, 1),
             transposed=True, output_padding=(1, 0)),
    ConvSpec(3, 3, stride=2, padding=2, dilation=2, transposed=True),
]


def unit_footprint(spec: ConvSpec, unit: tuple[int, ...]) -> np.ndarray:
    """Ones where the kernel copy of input unit ``unit`` lands in the output."""
    ones = np.zeros(spec.output_size, dtype=np.int64)
    before = [b for b, _ in spec.padding]
    for t in itertools.product(*(range(k) for k in spec.kernel_size)):
        pos = tuple(j * s - b + tt * d for j, s, b, tt, d in zip(
            unit, spec.stride, before, t, spec.dilation, strict=True))
        if all(0 <= p < n for p, n in zip(pos, spec.output_size, strict=True)):
            ones[pos] += 1
    return ones


def reference_overlap(spec: ConvSpec) -> np.ndarray:
    return sum((unit_footprint(spec, unit) for unit in
                itertools.product(*(range(n) for n in spec.input_size))),
               np.zeros(spec.output_size, dtype=np.int64))


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_counts_accumulate_to_the_overlap(spec: ConvSpec) -> None:
    anim = animate(spec, view="overlap")
    scene = anim.scene
    assert isinstance(scene, OverlapScene)
    assert len(anim) == prod(spec.input_size) == frame_count(spec, "overlap")
    expected = reference_overlap(spec)
    np.testing.assert_array_equal(overlap_after(spec, len(anim) - 1), expected)
    np.testing.assert_array_equal(spec.overlap(), expected)
    previous = np.zeros(spec.output_size, dtype=np.int64)
    for step in anim.steps:
        counts = overlap_after(spec, step.index)
        np.testing.assert_array_equal(counts - previous, unit_footprint(spec, step.input_index))
        previous = counts


def test_a_direct_convolution_overlaps_through_its_backward_pass() -> None:
    spec = ConvSpec(6, 3, stride=2, padding=1)
    anim = animate(spec, view="overlap", backward=True)
    np.testing.assert_array_equal(overlap_after(anim.spec, len(anim) - 1), spec.overlap())


@pytest.mark.parametrize(("k", "s", "d"), list(itertools.product(range(1, 6), range(1, 4),
                                                                range(1, 4))))
def test_interior_counts_are_those_of_the_interior(k: int, s: int, d: int) -> None:
    i, p = (k - 1) * d + 2 * s + 2, 0  # an interior at least a period long
    spec = ConvSpec((i,), k, stride=s, dilation=d, transposed=True)
    counts = reference_overlap(spec)
    interior = [counts[m] for m in range(len(counts)) if (k - 1) * d <= m + p <= (i - 1) * s]
    assert interior, "the input is long enough to have an interior"
    assert interior_counts(spec) == tuple(sorted(set(int(c) for c in interior)))
    assert (len(interior_counts(spec)) == 1) == spec.overlaps_evenly()
    assert notation.evenness(spec).startswith("even" if spec.overlaps_evenly() else "uneven")


def test_interior_counts_multiply_across_axes() -> None:
    spec = ConvSpec(12, 3, stride=2, transposed=True)
    counts = reference_overlap(spec)
    assert set(np.unique(counts[4:18, 4:18]).tolist()) == set(interior_counts(spec)) == {1, 2, 4}


def test_the_view_refuses_what_it_cannot_draw() -> None:
    with pytest.raises(ParameterError, match="backward=True") as error:
        animate(ConvSpec(5, 3), view="overlap")
    assert error.value.parameter == "view"
    with pytest.raises(ParameterError) as error:
        animate(ConvSpec(3, 3, transposed=True), view="overlap", values=np.ones((3, 3)),
                kernel=np.ones((3, 3)))
    assert error.value.parameter == "values"
    with pytest.raises(ParameterError) as error:
        animate(ConvSpec((3, 3, 3), 2, transposed=True), view="overlap")
    assert error.value.parameter == "view"
    with pytest.raises(ParameterError) as error:
        OverlapScene(ConvSpec(5, 3), Style())


def test_caption_and_alt_text_say_how_evenly() -> None:
    uneven = animate(SPECS[0], view="overlap", caption=True)
    assert uneven.style.caption is True
    texts = "".join(t.get_text() for t in uneven.scene.texts())
    assert "uneven" in texts and "checkerboard" in texts and "taps" in texts
    assert "uneven: interior units get 1, 2 or 4 taps" in uneven.alt
    assert "16 frames, one per input unit" in uneven.alt
    even = animate(SPECS[1], view="overlap")
    assert "even: every interior unit gets 4 taps" in even.alt
    assert repr(even).endswith("view='overlap', frames=16)")


def test_shades_go_from_light_to_the_output_colour() -> None:
    style = Style()
    shades = heat_colors(style, 4)
    assert shades[-1] == style.output_color
    assert len(set(shades)) == 5
    lightness = [sum(shade) for shade in shades]
    assert lightness == sorted(lightness, reverse=True)
    anim = animate(SPECS[0], view="overlap")
    table = {tuple(int(v) for v in row) for row in anim.palette.colors}
    assert set(shades) <= table


def test_hotspots_are_the_unit_and_the_cells_it_touches() -> None:
    spec = SPECS[0]
    anim = animate(spec, view="overlap")
    height, width, _ = anim.frame_shape
    placed = pixel_hotspots(anim.scene, anim.style, anim.steps)
    for step, spots in zip(anim.steps, placed, strict=True):
        assert spots.key.key == ("input", step.input_index)
        outputs = [s.index for s in spots.linked if s.role == "output"]
        assert outputs == list(step.output_indices)
        assert len(spots.linked) == prod(spec.kernel_size)
        for spot in (spots.key, *spots.linked):
            assert all(0 <= x <= width and 0 <= y <= height for x, y in spot.polygon)


def test_a_large_input_is_refused_before_anything_large_is_built() -> None:
    spec = ConvSpec(600, 3, stride=2, transposed=True)  # 360,000 frames of 1201x1201
    with pytest.raises(ParameterError) as error:
        animate(spec, view="overlap")
    assert error.value.parameter == "input_size"


def test_gif_is_deterministic() -> None:
    spec = ConvSpec((4,), 3, stride=2, transposed=True)
    assert animate(spec, view="overlap").gif() == animate(spec, view="overlap").gif()


def test_frame_matches_baseline(image_regression) -> None:
    anim = animate(SPECS[0], view="overlap", labels=True)
    image_regression(list(anim.frames())[9], "overlap_k3_s2_9")
