"""The matrix in motion: the grid figure beside C (or Cᵀ), a row lit per output cell.

The entries are checked against an independent reference written here with loops
(the matrix of the convolution, one row per output unit, one column per input unit,
each non-zero entry the code of the kernel weight that links them).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from conv_anim import ConvSpec, animate
from conv_anim.errors import ParameterError
from conv_anim.render.canvas import pixel_hotspots
from conv_anim.render.matrix import MatrixScene, entry_tex, matrix_entries

SPECS = [
    ConvSpec(4, 3),
    ConvSpec(2, 3, transposed=True),
    ConvSpec(5, 3, stride=2, padding=1),
    ConvSpec(3, 3, stride=2, padding=1, transposed=True),
    ConvSpec((7,), 3, dilation=2, padding=((1, 0),)),
    ConvSpec((3, 5), (2, 3), stride=(1, 2), padding=((0, 1), (1, 1))),
    ConvSpec(6, 3, padding=1),
]


def reference_codes(spec: ConvSpec) -> np.ndarray:
    """The matrix of ``spec`` with kernel codes 1..K as weights, by loops."""
    inputs, outputs = spec.input_size, spec.output_size
    matrix = np.zeros((int(np.prod(outputs)), int(np.prod(inputs))), dtype=int)
    before = [b for b, _ in spec.padding]
    taps = list(itertools.product(*(range(k) for k in spec.kernel_size)))
    for code, t in enumerate(taps, start=1):
        if not spec.transposed:
            for o in itertools.product(*(range(n) for n in outputs)):
                pos = tuple(oo * s - b + tt * d for oo, s, b, tt, d in zip(
                    o, spec.stride, before, t, spec.dilation, strict=True))
                if all(0 <= p < n for p, n in zip(pos, inputs, strict=True)):
                    r, c = np.ravel_multi_index(o, outputs), np.ravel_multi_index(pos, inputs)
                    matrix[r, c] = code
        else:
            for j in itertools.product(*(range(n) for n in inputs)):
                pos = tuple(jj * s - b + tt * d for jj, s, b, tt, d in zip(
                    j, spec.stride, before, t, spec.dilation, strict=True))
                if all(0 <= p < n for p, n in zip(pos, outputs, strict=True)):
                    r, c = np.ravel_multi_index(pos, outputs), np.ravel_multi_index(j, inputs)
                    matrix[r, c] = code
    return matrix


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_entries_are_the_matrix_of_the_convolution(spec: ConvSpec) -> None:
    expected = [[entry_tex(int(code), spec.kernel_size) for code in row]
                for row in reference_codes(spec)]
    assert matrix_entries(spec) == expected


def test_the_transposed_matrix_is_c_transposed() -> None:
    direct = matrix_entries(ConvSpec(4, 3))
    transposed = matrix_entries(ConvSpec(2, 3, transposed=True))
    assert transposed == [list(column) for column in zip(*direct, strict=True)]
    assert entry_tex(5, (3, 3)) == "$w_{1,1}$"


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_the_lit_row_reads_what_the_footprint_reads(spec: ConvSpec) -> None:
    anim = animate(spec, view="matrix")
    scene = anim.scene
    assert isinstance(scene, MatrixScene)
    assert len(anim) == int(np.prod(spec.output_size))
    codes = reference_codes(spec)
    for step in anim.steps:
        row = scene.row(step)
        assert row == np.ravel_multi_index(step.output_index, spec.output_size)
        units = {step_unit for step_unit in step.input_indices}
        columns = {int(np.ravel_multi_index(u, spec.input_size)) for u in units}
        assert set(np.flatnonzero(codes[row]).tolist()) == columns
        spots = scene.hotspots(step)
        assert spots.key.key == ("output", step.output_index)
        assert len(spots.linked) == len(step.positions)
        assert [s.index for s in spots.linked if s.role == "input"] == list(step.input_indices)


@pytest.mark.parametrize(("spec", "what"), [
    (ConvSpec(7, 3), "input 7×7 (49 units)"),
    (ConvSpec(6, 3, padding=2), "output 8×8 (64 units)"),
    (ConvSpec(3, 3, stride=2, transposed=True), "output 7×7 (49 units)"),
    (ConvSpec((37,), 3), "input 37 (37 units)"),
])
def test_large_inputs_are_refused_before_anything_is_drawn(
    spec: ConvSpec, what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scene must not be built")

    monkeypatch.setattr(MatrixScene, "__init__", never)
    with pytest.raises(ParameterError, match="readable up to a") as error:
        animate(spec, view="matrix")
    assert what in str(error.value) and "36" in str(error.value)
    assert error.value.parameter == "input_size"


def test_the_largest_readable_input_is_drawn() -> None:
    anim = animate(ConvSpec(6, 3, padding=1), view="matrix", labels=True, caption=True)
    frames = anim.filmstrip_pixels((0, 35))
    assert frames.shape[0] == anim.frame_shape[0] and len(anim) == 36


def test_the_view_refuses_what_it_cannot_draw() -> None:
    cases = [
        (ConvSpec(4, 3, in_channels=2), {}, "view"),
        (ConvSpec((3, 3, 3), 2), {}, "view"),
        (ConvSpec(4, 3), {"values": np.ones((4, 4)), "kernel": np.ones((3, 3))}, "values"),
        (ConvSpec(4, 3), {"values": np.ones((4, 4)), "op": "max"}, "values"),
    ]
    for spec, options, parameter in cases:
        with pytest.raises(ParameterError) as error:
            animate(spec, view="matrix", **options)
        assert error.value.parameter == parameter


def test_caption_alt_text_and_names() -> None:
    anim = animate(ConvSpec(2, 3, transposed=True), view="matrix", caption=True)
    texts = [t.get_text() for t in anim.scene.texts()]
    assert "Cᵀ" in texts and "y" in texts and "xᵀ" in texts and "=" in texts
    assert any("y = Cᵀ x" in t for t in texts)
    assert "y = Cᵀ x, C is the 4×16 matrix of the convolution it transposes" in anim.alt
    direct = animate(ConvSpec(4, 3), view="matrix")
    assert "y = C x, C is 4×16" in direct.alt
    assert "C" in [t.get_text() for t in direct.scene.texts()]
    back = animate(ConvSpec(4, 3), view="matrix", backward=True)
    assert "Cᵀ" in [t.get_text() for t in back.scene.texts()]


def test_a_player_can_be_built_from_the_hotspots() -> None:
    from conv_anim.player.cells import cell_table

    anim = animate(ConvSpec(4, 3, padding=1), view="matrix")
    table = cell_table(anim)
    assert len(table.keys) == len(anim) == 16


def test_hotspots_place_on_the_frame() -> None:
    anim = animate(ConvSpec(5, 3, stride=2, padding=1), view="matrix")
    height, width, _ = anim.frame_shape
    for spots in pixel_hotspots(anim.scene, anim.style, anim.steps):
        for spot in (spots.key, *spots.linked):
            assert all(0 <= x <= width and 0 <= y <= height for x, y in spot.polygon)


def test_frame_matches_baseline(image_regression) -> None:
    anim = animate(ConvSpec(4, 3), view="matrix", labels=True)
    image_regression(list(anim.frames())[1], "matrix_animated_1")
