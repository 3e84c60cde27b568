"""Tests for conv_anim.geometry: the paper's arithmetic, brute-force references, errors.

Reference: V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep
learning", arXiv:1603.07285 (relationships 1-15 and the figures' animations).
"""

from __future__ import annotations

import dataclasses
import doctest
import itertools
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import conv_anim.geometry as geometry
from conv_anim.geometry import ConvSpec

# ---------------------------------------------------------------------------
# Independent helpers (written from the paper / PyTorch docs, not from the code)
# ---------------------------------------------------------------------------


def direct_size(i, k, s=1, pb=0, pa=0, d=1):
    """Relationship 15 generalised to (before, after) padding."""
    return math.floor((i + pb + pa - k - (k - 1) * (d - 1)) / s) + 1


def transposed_size(i, k, s=1, pb=0, pa=0, d=1, a=0):
    """PyTorch's conv_transpose output size (relationship 14 with dilation)."""
    return s * (i - 1) + a + k + (k - 1) * (d - 1) - pb - pa


def row_major(shape):
    return list(itertools.product(*(range(n) for n in shape)))


# ---------------------------------------------------------------------------
# 1. The paper's 15 relationships, with the values of its figures
# ---------------------------------------------------------------------------


def test_relationship_01_no_zero_padding_unit_strides():
    spec = ConvSpec(4, 3)
    assert spec.output_size == (4 - 3 + 1,) * 2 == (2, 2)
    assert spec.padding == ((0, 0), (0, 0))
    assert spec.grid.size == (4, 4)


def test_relationship_02_zero_padding_unit_strides():
    spec = ConvSpec(5, 4, padding=2)
    assert spec.output_size == ((5 - 4) + 2 * 2 + 1,) * 2 == (6, 6)
    assert spec.grid.size == (9, 9)
    assert spec.grid.offset == (2, 2)


def test_relationship_03_half_same_padding():
    spec = ConvSpec(5, 3, padding=1)
    assert 3 // 2 == 1
    assert spec.output_size == (5, 5)
    same = ConvSpec(5, 3, padding="same")
    assert same.padding == ((1, 1), (1, 1))
    assert same == spec
    assert same.output_size == (5, 5)


def test_relationship_04_full_padding():
    spec = ConvSpec(5, 3, padding=2)
    assert spec.output_size == (5 + 3 - 1,) * 2 == (7, 7)
    full = ConvSpec(5, 3, padding="full")
    assert full.padding == ((2, 2), (2, 2))
    assert full.output_size == (7, 7)
    # Full padding: every input unit is seen by every kernel element somewhere.
    assert full.uncovered_inputs() == ()
    assert full.uncovered_positions() == ()


def test_relationship_05_no_zero_padding_non_unit_strides():
    spec = ConvSpec(5, 3, stride=2)
    assert spec.output_size == ((5 - 3) // 2 + 1,) * 2 == (2, 2)
    assert [s.window_start for s in spec.steps()] == [(0, 0), (0, 2), (2, 0), (2, 2)]


def test_relationship_06_zero_padding_non_unit_strides():
    spec = ConvSpec(5, 3, stride=2, padding=1)
    assert spec.output_size == ((5 + 2 - 3) // 2 + 1,) * 2 == (3, 3)
    odd = ConvSpec(6, 3, stride=2, padding=1)
    assert odd.output_size == ((6 + 2 - 3) // 2 + 1,) * 2 == (3, 3)
    # The odd case never reaches the last padded row and column (grid 8x8).
    assert odd.grid.size == (8, 8)
    assert odd.uncovered_inputs() == ()
    assert odd.uncovered_positions() == tuple(
        p for p in row_major((8, 8)) if 7 in p
    )
    assert spec.uncovered_positions() == ()


def test_relationship_07_pooling():
    spec = ConvSpec(5, 3, stride=1)
    assert spec.output_size == ((5 - 3) // 1 + 1,) * 2 == (3, 3)
    # A pooling window never sees padding: every tap is a real unit.
    for step in spec.steps():
        assert len(step.input_indices) == 9
        assert step.input_indices == step.positions


def _round_trip(direct: ConvSpec, transposed: ConvSpec):
    assert transposed.input_size == direct.output_size
    assert transposed.output_size == direct.input_size


def test_relationship_08_transposed_no_padding_unit_strides():
    direct = ConvSpec(4, 3)
    spec = ConvSpec(2, 3, transposed=True)
    _round_trip(direct, spec)
    assert spec.output_size == (2 + (3 - 1),) * 2 == (4, 4)
    eq = spec.equivalent_direct()
    assert eq.padding == ((2, 2), (2, 2))
    assert eq.stretched_size == (2, 2)
    assert eq.direct.output_size == (4, 4)


def test_relationship_09_transposed_zero_padding_unit_strides():
    direct = ConvSpec(5, 4, padding=2)
    spec = ConvSpec(6, 4, padding=2, transposed=True)
    _round_trip(direct, spec)
    assert spec.output_size == (6 + (4 - 1) - 2 * 2,) * 2 == (5, 5)
    eq = spec.equivalent_direct()
    assert eq.padding == ((4 - 2 - 1,) * 2,) * 2 == ((1, 1), (1, 1))
    assert eq.stretched_size == (6, 6)


def test_relationship_10_transposed_half_padding():
    direct = ConvSpec(5, 3, padding=1)
    spec = ConvSpec(5, 3, padding=1, transposed=True)
    _round_trip(direct, spec)
    assert spec.output_size == (5, 5)
    assert spec.equivalent_direct().padding == ((1, 1), (1, 1))
    assert ConvSpec(5, 3, padding="same", transposed=True) == spec


def test_relationship_11_transposed_full_padding():
    direct = ConvSpec(5, 3, padding=2)
    spec = ConvSpec(7, 3, padding=2, transposed=True)
    _round_trip(direct, spec)
    assert spec.output_size == (7 - (3 - 1),) * 2 == (5, 5)
    assert spec.equivalent_direct().padding == ((0, 0), (0, 0))
    assert spec.grid.size == (7, 7)


def test_relationship_12_transposed_no_padding_non_unit_strides():
    direct = ConvSpec(5, 3, stride=2)
    spec = ConvSpec(2, 3, stride=2, transposed=True)
    _round_trip(direct, spec)
    assert spec.output_size == (2 * (2 - 1) + 3,) * 2 == (5, 5)
    eq = spec.equivalent_direct()
    assert eq.stretched_size == (3, 3)
    assert eq.zeros_inserted == (1, 1)
    assert eq.padding == ((2, 2), (2, 2))
    assert spec.grid.size == (7, 7)
    assert spec.grid.unit_positions() == ((2, 2), (2, 4), (4, 2), (4, 4))


def test_relationship_13_transposed_zero_padding_non_unit_strides():
    direct = ConvSpec(5, 3, stride=2, padding=1)
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
    _round_trip(direct, spec)
    assert spec.output_size == (2 * (3 - 1) + 3 - 2 * 1,) * 2 == (5, 5)
    eq = spec.equivalent_direct()
    assert eq.stretched_size == (5, 5)
    assert eq.padding == ((1, 1), (1, 1))


def test_relationship_14_transposed_general_with_output_padding():
    direct = ConvSpec(6, 3, stride=2, padding=1)
    a = (6 + 2 * 1 - 3) % 2
    assert a == 1
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=a)
    _round_trip(direct, spec)
    assert spec.output_size == (2 * (3 - 1) + a + 3 - 2 * 1,) * 2 == (6, 6)
    eq = spec.equivalent_direct()
    assert eq.stretched_size == (5, 5)
    assert eq.padding == ((1, 2), (1, 2))  # a extra units after
    assert spec.grid.size == (8, 8)
    # Without a, the transpose of the i=6 convolution gives back 5, not 6.
    assert ConvSpec(3, 3, stride=2, padding=1, transposed=True).output_size == (5, 5)


def test_relationship_15_dilated_convolution():
    spec = ConvSpec(7, 3, dilation=2)
    assert spec.effective_kernel_size == (3 + (3 - 1) * (2 - 1),) * 2 == (5, 5)
    assert spec.output_size == ((7 - 3 - (3 - 1) * (2 - 1)) // 1 + 1,) * 2 == (3, 3)
    first = spec.steps()[0]
    assert first.positions == tuple(itertools.product((0, 2, 4), (0, 2, 4)))


# ---------------------------------------------------------------------------
# 2. The paper's 15 animations: frame counts and drawn grids
# ---------------------------------------------------------------------------

ANIMATIONS = {
    # name: (kwargs, frames, grid size)
    "no_padding_no_strides": (dict(input_size=4, kernel_size=3), 4, 4),
    "arbitrary_padding_no_strides": (dict(input_size=5, kernel_size=4, padding=2), 36, 9),
    "same_padding_no_strides": (dict(input_size=5, kernel_size=3, padding=1), 25, 7),
    "full_padding_no_strides": (dict(input_size=5, kernel_size=3, padding=2), 49, 9),
    "no_padding_strides": (dict(input_size=5, kernel_size=3, stride=2), 4, 5),
    "padding_strides": (dict(input_size=5, kernel_size=3, stride=2, padding=1), 9, 7),
    "padding_strides_odd": (dict(input_size=6, kernel_size=3, stride=2, padding=1), 9, 8),
    "no_padding_no_strides_transposed": (
        dict(input_size=2, kernel_size=3, transposed=True), 16, 6),
    "arbitrary_padding_no_strides_transposed": (
        dict(input_size=6, kernel_size=4, padding=2, transposed=True), 25, 8),
    "same_padding_no_strides_transposed": (
        dict(input_size=5, kernel_size=3, padding=1, transposed=True), 25, 7),
    "full_padding_no_strides_transposed": (
        dict(input_size=7, kernel_size=3, padding=2, transposed=True), 25, 7),
    "no_padding_strides_transposed": (
        dict(input_size=2, kernel_size=3, stride=2, transposed=True), 25, 7),
    "padding_strides_transposed": (
        dict(input_size=3, kernel_size=3, stride=2, padding=1, transposed=True), 25, 7),
    "padding_strides_odd_transposed": (
        dict(input_size=3, kernel_size=3, stride=2, padding=1, transposed=True,
             output_padding=1), 36, 8),
    "dilation": (dict(input_size=7, kernel_size=3, dilation=2), 9, 7),
}


@pytest.mark.parametrize("name", list(ANIMATIONS))
def test_animation_frame_count_and_grid(name):
    kwargs, frames, grid = ANIMATIONS[name]
    spec = ConvSpec(**kwargs)
    steps = spec.steps()
    assert len(steps) == frames
    assert spec.grid.size == (grid, grid)
    assert [s.index for s in steps] == list(range(frames))
    # Every frame's footprint lies on the drawn grid.
    for step in steps:
        for pos in step.positions:
            assert all(0 <= p < grid for p in pos)


def test_padding_strides_transposed_grid():
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
    grid = spec.grid
    assert grid.size == (7, 7)
    assert grid.offset == (1, 1) and grid.spacing == (2, 2)
    assert grid.unit_positions() == tuple(itertools.product((1, 3, 5), (1, 3, 5)))
    assert grid.unit_index((3, 5)) == (1, 2)
    assert grid.unit_index((2, 3)) is None  # inserted zero
    assert grid.unit_index((0, 1)) is None  # padding
    assert spec.uncovered_positions() == ()


def test_padding_strides_odd_transposed_grid():
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1)
    grid = spec.grid
    assert grid.size == (8, 8)
    assert grid.unit_positions() == tuple(itertools.product((1, 3, 5), (1, 3, 5)))
    # The extra row/column is after: nothing real at 6 or 7, and the last frame's
    # footprint reaches row 7 and column 7.
    last = spec.steps()[-1]
    assert last.output_index == (5, 5)
    assert last.window_start == (5, 5)
    assert max(p[0] for p in last.positions) == 7
    assert last.input_indices == ((2, 2),)
    assert last.taps[0].kernel_index == (2, 2)  # flipped kernel
    assert last.taps[0].position == (5, 5)


# ---------------------------------------------------------------------------
# 3. Property tests against brute-force references
# ---------------------------------------------------------------------------

# Per-axis bounds by number of axes (3-D kept small so the suite stays fast).
BOUNDS = {
    1: dict(i=7, k=4, s=3, d=3, p=3),
    2: dict(i=7, k=4, s=3, d=3, p=3),
    3: dict(i=4, k=3, s=2, d=2, p=2),
}


@st.composite
def direct_params(draw):
    ndim = draw(st.integers(1, 3))
    b = BOUNDS[ndim]
    axes = []
    for _ in range(ndim):
        k = draw(st.integers(1, b["k"]))
        d = draw(st.integers(1, b["d"]))
        s = draw(st.integers(1, b["s"]))
        pb = draw(st.integers(0, b["p"]))
        pa = draw(st.integers(0, b["p"]))
        e = d * (k - 1) + 1
        i = draw(st.integers(max(1, e - pb - pa), max(1, e - pb - pa, b["i"])))
        assume(i <= b["i"])
        axes.append((i, k, s, pb, pa, d))
    return axes


@st.composite
def transposed_params(draw):
    ndim = draw(st.integers(1, 3))
    b = BOUNDS[ndim]
    axes = []
    for _ in range(ndim):
        k = draw(st.integers(1, b["k"]))
        d = draw(st.integers(1, b["d"]))
        s = draw(st.integers(1, b["s"]))
        e = d * (k - 1) + 1
        pb = draw(st.integers(0, min(b["p"], e - 1)))
        pa = draw(st.integers(0, min(b["p"], e - 1)))
        a = draw(st.integers(0, max(s, d) - 1))
        i = draw(st.integers(1, b["i"]))
        assume(transposed_size(i, k, s, pb, pa, d, a) >= 1)
        axes.append((i, k, s, pb, pa, d, a))
    return axes


def build(axes, transposed):
    cols = list(zip(*axes, strict=True))
    kwargs = dict(
        input_size=tuple(cols[0]),
        kernel_size=tuple(cols[1]),
        stride=tuple(cols[2]),
        padding=tuple(zip(cols[3], cols[4], strict=True)),
        dilation=tuple(cols[5]),
    )
    if transposed:
        kwargs.update(transposed=True, output_padding=tuple(cols[6]))
    return ConvSpec(**kwargs)


def _slide(index_grid, in_shape, out_shape, kernel, dilation, stride):
    """Slide a dilated window over a dense grid of flat input indices (-1 = padding/zero).

    Returns, per output cell in row-major order: (output index, window start,
    real input indices covered, grid positions of every tap).
    """
    result = []
    for o in np.ndindex(*out_shape):
        start = tuple(oo * s for oo, s in zip(o, stride, strict=True))
        window = index_grid[
            tuple(
                slice(b, b + d * (k - 1) + 1, d)
                for b, k, d in zip(start, kernel, dilation, strict=True)
            )
        ]
        assert window.shape == tuple(kernel)
        inputs = tuple(
            tuple(int(v) for v in np.unravel_index(f, in_shape))
            for f in window.ravel()  # row-major = kernel order
            if f >= 0
        )
        positions = tuple(
            tuple(b + t * d for b, t, d in zip(start, off, dilation, strict=True))
            for off in np.ndindex(*kernel)
        )
        result.append((tuple(o), start, inputs, positions))
    return result


def brute_direct(axes):
    i, k, s, pb, pa, d = (tuple(c) for c in zip(*axes, strict=True))
    padded_shape = tuple(n + b + a for n, b, a in zip(i, pb, pa, strict=True))
    grid = np.full(padded_shape, -1, dtype=np.int64)
    real = tuple(slice(b, b + n) for b, n in zip(pb, i, strict=True))
    grid[real] = np.arange(math.prod(i)).reshape(i)
    out = tuple(direct_size(*ax) for ax in axes)
    return out, _slide(grid, i, out, k, d, s)


def brute_transposed(axes):
    i, k, s, pb, pa, d, a = (tuple(c) for c in zip(*axes, strict=True))
    e = tuple(dd * (kk - 1) + 1 for kk, dd in zip(k, d, strict=True))
    pb_eq = tuple(ee - 1 - b for ee, b in zip(e, pb, strict=True))
    pa_eq = tuple(ee - 1 - p + aa for ee, p, aa in zip(e, pa, a, strict=True))
    stretched = tuple((n - 1) * ss + 1 for n, ss in zip(i, s, strict=True))
    shape = tuple(n + b + aa for n, b, aa in zip(stretched, pb_eq, pa_eq, strict=True))
    grid = np.full(shape, -1, dtype=np.int64)
    real = tuple(slice(b, b + ss * (n - 1) + 1, ss) for b, ss, n in zip(pb_eq, s, i, strict=True))
    grid[real] = np.arange(math.prod(i)).reshape(i)
    assert (grid >= 0).sum() == math.prod(i)
    out = tuple(transposed_size(*ax) for ax in axes)
    ref = _slide(grid, i, out, k, d, (1,) * len(k))
    return out, shape, pb_eq, pa_eq, stretched, ref


def check_steps_layout(spec, steps, out, grid_stride):
    assert [s.index for s in steps] == list(range(len(steps)))
    assert [s.output_index for s in steps] == row_major(out)
    for step in steps:
        assert step.window_start == tuple(
            o * g for o, g in zip(step.output_index, grid_stride, strict=True)
        )
        kernel_order = row_major(spec.kernel_size)
        assert [t.offset for t in step.taps] == kernel_order
        for tap in step.taps:
            assert tap.position == tuple(
                w + t * d
                for w, t, d in zip(step.window_start, tap.offset, spec.dilation, strict=True)
            )


SETTINGS = settings(max_examples=120, deadline=None)


@SETTINGS
@given(direct_params())
def test_direct_output_size_matches_formula(axes):
    spec = build(axes, transposed=False)
    assert spec.output_size == tuple(direct_size(*ax) for ax in axes)
    assert spec.padding == tuple((pb, pa) for _, _, _, pb, pa, _ in axes)
    assert spec.ndim == len(axes)


@SETTINGS
@given(transposed_params())
def test_transposed_output_size_matches_formula(axes):
    spec = build(axes, transposed=True)
    assert spec.output_size == tuple(transposed_size(*ax) for ax in axes)
    # Round trip: with a < s (so a == (o + pb + pa - e) mod s), the direct conv of
    # the transposed output has the transposed input's size. (a >= s, allowed when
    # a < dilation, breaks the round trip in PyTorch too.)
    direct_axes = [(o, k, s, pb, pa, d) for o, (_, k, s, pb, pa, d, _) in
                   zip(spec.output_size, axes, strict=True)]
    if all(ax[6] < ax[2] for ax in axes):
        back = build(direct_axes, transposed=False)
        assert back.output_size == spec.input_size


@SETTINGS
@given(direct_params())
def test_direct_steps_match_brute_force(axes):
    spec = build(axes, transposed=False)
    out, ref = brute_direct(axes)
    steps = spec.steps()
    assert len(steps) == math.prod(out)
    assert spec.grid.size == tuple(i + pb + pa for i, _, _, pb, pa, _ in axes)
    for step, (o, start, inputs, positions) in zip(steps, ref, strict=True):
        assert step.output_index == o
        assert step.window_start == start
        assert step.input_indices == inputs
        assert step.positions == positions
        for tap in step.taps:
            assert tap.kernel_index == tap.offset
    check_steps_layout(spec, steps, out, spec.stride)
    # PyTorch's definition: out[o] = sum_t x[o*s - pb + t*d] * w[t].
    for step in steps:
        for tap in step.taps:
            src = tuple(
                o * s - pb + t * d
                for o, t, (_, _, s, pb, _, d) in zip(
                    step.output_index, tap.kernel_index, axes, strict=True
                )
            )
            inside = all(0 <= x < ax[0] for x, ax in zip(src, axes, strict=True))
            assert tap.input_index == (src if inside else None)


@SETTINGS
@given(transposed_params())
def test_transposed_steps_match_brute_force(axes):
    spec = build(axes, transposed=True)
    out, shape, pb_eq, pa_eq, stretched, ref = brute_transposed(axes)
    eq = spec.equivalent_direct()
    assert eq.stretched_size == stretched
    assert eq.padding == tuple(zip(pb_eq, pa_eq, strict=True))
    assert eq.direct.output_size == out
    assert eq.zeros_inserted == tuple(ax[2] - 1 for ax in axes)
    assert spec.grid.size == shape
    steps = spec.steps()
    assert len(steps) == math.prod(out)
    for step, (o, start, inputs, positions) in zip(steps, ref, strict=True):
        assert step.output_index == o
        assert step.window_start == start
        assert step.input_indices == inputs
        assert step.positions == positions
        for tap in step.taps:
            assert tap.kernel_index == tuple(
                k - 1 - t for k, t in zip(spec.kernel_size, tap.offset, strict=True)
            )
    check_steps_layout(spec, steps, out, (1,) * len(axes))


@SETTINGS
@given(transposed_params())
def test_transposed_semantics_match_pytorch_definition(axes):
    """conv_transpose: input j through weight t lands on output o = j*s - p_before + t*d."""
    spec = build(axes, transposed=True)
    out = spec.output_size
    expected = {o: set() for o in row_major(out)}
    in_shape = tuple(ax[0] for ax in axes)
    k_shape = tuple(ax[1] for ax in axes)
    for j in row_major(in_shape):
        for t in row_major(k_shape):
            o = tuple(
                jj * s - pb + tt * d
                for jj, tt, (_, _, s, pb, _, d, _) in zip(j, t, axes, strict=True)
            )
            if all(0 <= oo < n for oo, n in zip(o, out, strict=True)):
                expected[o].add((j, t))
    steps = spec.steps()
    assert len(steps) == len(expected)
    for step in steps:
        real = [(tap.input_index, tap.kernel_index) for tap in step.taps
                if tap.input_index is not None]
        assert len(real) == len(set(real))
        assert set(real) == expected[step.output_index]
        for j, t in real:
            assert step.output_index == tuple(
                jj * s - pb + tt * d
                for jj, tt, (_, _, s, pb, _, d, _) in zip(j, t, axes, strict=True)
            )


@settings(max_examples=40, deadline=None)
@given(transposed_params(), st.randoms(use_true_random=False))
def test_transposed_numeric_scatter_equals_gather(axes, rnd):
    """Summing x[j]*w[t] over the steps' taps equals PyTorch's scatter definition."""
    spec = build(axes, transposed=True)
    rng = np.random.default_rng(rnd.randrange(2**32))
    x = rng.integers(-5, 6, size=spec.input_size)
    w = rng.integers(-5, 6, size=spec.kernel_size)
    scatter = np.zeros(spec.output_size, dtype=np.int64)
    for j in np.ndindex(*spec.input_size):
        for t in np.ndindex(*spec.kernel_size):
            o = tuple(
                jj * s - pb + tt * d
                for jj, tt, s, (pb, _), d in zip(
                    j, t, spec.stride, spec.padding, spec.dilation, strict=True
                )
            )
            if all(0 <= oo < n for oo, n in zip(o, spec.output_size, strict=True)):
                scatter[o] += x[j] * w[t]
    gather = np.zeros(spec.output_size, dtype=np.int64)
    for step in spec.steps():
        gather[step.output_index] = sum(
            int(x[tap.input_index] * w[tap.kernel_index])
            for tap in step.taps if tap.input_index is not None
        )
    np.testing.assert_array_equal(gather, scatter)


@SETTINGS
@given(st.booleans(), st.data())
def test_grid_unit_index_matches_dense_grid(transposed, data):
    """InputGrid.unit_index / unit_positions agree with the dense reference grid."""
    if transposed:
        axes = data.draw(transposed_params())
        _, shape, pb_eq, _, _, _ = brute_transposed(axes)
        offset, spacing = pb_eq, tuple(ax[2] for ax in axes)
    else:
        axes = data.draw(direct_params())
        shape = tuple(i + pb + pa for i, _, _, pb, pa, _ in axes)
        offset, spacing = tuple(ax[3] for ax in axes), (1,) * len(axes)
    in_shape = tuple(ax[0] for ax in axes)
    dense = np.full(shape, -1, dtype=np.int64)
    real = tuple(
        slice(b, b + g * (n - 1) + 1, g) for b, g, n in zip(offset, spacing, in_shape, strict=True)
    )
    dense[real] = np.arange(math.prod(in_shape)).reshape(in_shape)
    grid = build(axes, transposed).grid
    assert grid.size == shape
    assert grid.offset == tuple(offset) and grid.spacing == tuple(spacing)
    # One cell beyond each side too: those are never units.
    for pos in itertools.product(*(range(-1, n + 1) for n in shape)):
        inside = all(0 <= p < n for p, n in zip(pos, shape, strict=True))
        flat = dense[pos] if inside else -1
        expected = None if flat < 0 else tuple(int(v) for v in np.unravel_index(flat, in_shape))
        assert grid.unit_index(pos) == expected
    assert grid.unit_positions() == tuple(
        tuple(int(v) for v in np.argwhere(dense == f)[0]) for f in range(math.prod(in_shape))
    )


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_transposed_empty_output_always_refused(data):
    ndim = data.draw(st.integers(1, 3))
    axes = []
    for _ in range(ndim):
        k = data.draw(st.integers(1, 4))
        d = data.draw(st.integers(1, 3))
        s = data.draw(st.integers(1, 3))
        e = d * (k - 1) + 1
        pb = data.draw(st.integers(0, e - 1))
        pa = data.draw(st.integers(0, e - 1))
        a = data.draw(st.integers(0, max(s, d) - 1))
        i = data.draw(st.integers(1, 3))
        axes.append((i, k, s, pb, pa, d, a))
    sizes = tuple(transposed_size(*ax) for ax in axes)
    if min(sizes) < 1:
        with pytest.raises(ValueError, match=re.escape(f"would have an empty output {sizes}")):
            build(axes, transposed=True)
    else:
        assert build(axes, transposed=True).output_size == sizes


@SETTINGS
@given(direct_params())
def test_direct_uncovered_inputs_match_brute_force(axes):
    spec = build(axes, transposed=False)
    _, ref = brute_direct(axes)
    covered = {j for _, _, inputs, _ in ref for j in inputs}
    every = row_major(tuple(ax[0] for ax in axes))
    assert spec.uncovered_inputs() == tuple(j for j in every if j not in covered)
    covered_pos = {p for _, _, _, positions in ref for p in positions}
    assert spec.uncovered_positions() == tuple(
        p for p in row_major(spec.grid.size) if p not in covered_pos
    )


@SETTINGS
@given(transposed_params())
def test_transposed_uncovered_inputs_match_brute_force(axes):
    spec = build(axes, transposed=True)
    *_, ref = brute_transposed(axes)
    covered = {j for _, _, inputs, _ in ref for j in inputs}
    every = row_major(tuple(ax[0] for ax in axes))
    assert spec.uncovered_inputs() == tuple(j for j in every if j not in covered)


def test_uncovered_inputs_example_values():
    assert ConvSpec((6,), 3, stride=2).uncovered_inputs() == ((5,),)
    # Rows: windows 0-2, 2-4 (row 5 missed); columns: windows 0-1, 3-4 (column 2 missed).
    assert ConvSpec((6, 5), (3, 2), stride=(2, 3)).uncovered_inputs() == tuple(
        (r, c) for r in range(6) for c in range(5) if r == 5 or c == 2
    )
    # Dilation skips units: (7,) with k=2, d=3, s=3 covers 0,3 and 3,6.
    assert ConvSpec((7,), 2, stride=3, dilation=3).uncovered_inputs() == (
        (1,), (2,), (4,), (5,)
    )


def test_non_square_asymmetric_example():
    spec = ConvSpec((3, 5), (2, 3), stride=(1, 2), padding=((1, 0), (0, 2)))
    assert spec.output_size == (3, 3)
    assert spec.grid.size == (4, 7)
    steps = spec.steps()
    assert steps[0].positions[:3] == ((0, 0), (0, 1), (0, 2))
    assert steps[0].input_indices == ((0, 0), (0, 1), (0, 2))
    assert steps[-1].window_start == (2, 4)
    assert steps[-1].input_indices == ((1, 4), (2, 4))


# ---------------------------------------------------------------------------
# 4. Bad input
# ---------------------------------------------------------------------------

BAD = [
    # (kwargs, regex that must match the message)
    (dict(input_size=0, kernel_size=3), r"input_size=0 "),
    (dict(input_size=(5, 0), kernel_size=1), r"input_size=\(5, 0\)"),
    (dict(input_size=5, kernel_size=0), r"kernel_size=0 "),
    (dict(input_size=5, kernel_size=(3, 0)), r"kernel_size=\(3, 0\)"),
    (dict(input_size=5, kernel_size=3, stride=0), r"stride=0 "),
    (dict(input_size=5, kernel_size=3, stride=(1, -2)), r"stride=\(1, -2\)"),
    (dict(input_size=5, kernel_size=3, dilation=0), r"dilation=0 "),
    (dict(input_size=5, kernel_size=3, padding=-1), r"padding=-1 "),
    (dict(input_size=5, kernel_size=3, padding=(0, -1)), r"padding=\(0, -1\)"),
    (dict(input_size=5, kernel_size=3, padding=((1, -1), (0, 0))),
     r"padding=\(\(1, -1\), \(0, 0\)\)"),
    (dict(input_size=5, kernel_size=3, transposed=True, output_padding=-1),
     r"output_padding=-1 "),
    # booleans, floats, strings
    (dict(input_size=True, kernel_size=3), r"input_size=True \(bool\)"),
    (dict(input_size=5.0, kernel_size=3), r"input_size=5\.0 \(float\)"),
    (dict(input_size="5", kernel_size=3), r"input_size='5' \(str\)"),
    (dict(input_size=(5, True), kernel_size=3), r"input_size=\(5, True\) must hold ints"),
    (dict(input_size=(5, 5.0), kernel_size=3), r"input_size=\(5, 5\.0\) must hold ints"),
    (dict(input_size=5, kernel_size=True), r"kernel_size=True \(bool\)"),
    (dict(input_size=5, kernel_size=3.0), r"kernel_size=3\.0 \(float\)"),
    (dict(input_size=5, kernel_size="3"), r"kernel_size='3' \(str\)"),
    (dict(input_size=5, kernel_size=(3, "3")), r"kernel_size=\(3, '3'\) must hold ints"),
    (dict(input_size=5, kernel_size=3, stride=True), r"stride=True \(bool\)"),
    (dict(input_size=5, kernel_size=3, stride=2.0), r"stride=2\.0 \(float\)"),
    (dict(input_size=5, kernel_size=3, stride="2"), r"stride='2' \(str\)"),
    (dict(input_size=5, kernel_size=3, padding=True), r"padding=True \(bool\)"),
    (dict(input_size=5, kernel_size=3, padding=1.0), r"padding=1\.0 \(float\)"),
    (dict(input_size=5, kernel_size=3, padding=(1, False)), r"padding=\(1, False\)"),
    (dict(input_size=5, kernel_size=3, padding=((1, 1.5), (0, 0))),
     r"padding=\(\(1, 1\.5\), \(0, 0\)\)"),
    (dict(input_size=5, kernel_size=3, dilation=False), r"dilation=False \(bool\)"),
    (dict(input_size=5, kernel_size=3, dilation=2.0), r"dilation=2\.0 \(float\)"),
    (dict(input_size=5, kernel_size=3, dilation="2"), r"dilation='2' \(str\)"),
    (dict(input_size=5, kernel_size=3, transposed=True, output_padding=True),
     r"output_padding=True \(bool\)"),
    (dict(input_size=5, kernel_size=3, transposed=True, output_padding=0.0),
     r"output_padding=0\.0 \(float\)"),
    (dict(input_size=5, kernel_size=3, transposed=True, output_padding="1"),
     r"output_padding='1' \(str\)"),
    (dict(input_size=5, kernel_size=3, transposed=1), r"transposed=1 "),
    (dict(input_size=5, kernel_size=3, transposed="yes"), r"transposed='yes' "),
    (dict(input_size=5, kernel_size=3, transposed=None), r"transposed=None "),
    # axis counts
    (dict(input_size=(5, 5), kernel_size=(3, 3, 3)),
     r"kernel_size=\(3, 3, 3\) has 3 axes but input_size has 2"),
    (dict(input_size=(5,), kernel_size=3, stride=(1, 1)), r"stride=\(1, 1\) has 2 axes"),
    (dict(input_size=5, kernel_size=3, padding=(1, 2, 3)), r"padding=\(1, 2, 3\)"),
    (dict(input_size=(), kernel_size=3), r"input_size=\(\) has 0 axes"),
    (dict(input_size=(5, 5, 5, 5), kernel_size=3), r"input_size=\(5, 5, 5, 5\) has 4 axes"),
    # kernel does not fit
    (dict(input_size=(5,), kernel_size=3, dilation=3),
     re.escape("kernel_size 3 dilated by 3 spans 7 but input_size 5 padded by 0 is only 5")),
    (dict(input_size=5, kernel_size=3, dilation=3),
     re.escape("kernel_size 3 dilated by 3 spans 7 but input_size 5 padded by 0 is only 5")),
    (dict(input_size=(5, 2), kernel_size=(3, 4), padding=((0, 0), (1, 0))),
     re.escape("kernel_size 4 spans 4 but input_size 2 padded by 1 is only 3 on axis 1")),
    # dilation 1 is not mentioned (issue 12 point 4)
    (dict(input_size=5, kernel_size=9),
     re.escape("kernel_size 9 spans 9 but input_size 5 padded by 0 is only 5: the kernel")),
    # padding modes
    (dict(input_size=5, kernel_size=3, stride=2, padding="same"),
     r"padding='same'.*stride=\(2, 2\)"),
    (dict(input_size=5, kernel_size=3, stride=2, padding="half"),
     r"padding='half' needs stride 1.*stride=\(2, 2\)"),
    (dict(input_size=5, kernel_size=3, padding="halve"), r"padding='halve' \(str\) is not valid"),
    # output_padding
    (dict(input_size=3, kernel_size=3, stride=2, transposed=True, output_padding=2),
     r"output_padding=2 must be smaller than stride 2: expected 0 <= output_padding < 2"),
    (dict(input_size=3, kernel_size=3, dilation=2, transposed=True, output_padding=2),
     r"output_padding=2 must be smaller than stride 1 or dilation 2"),
    (dict(input_size=3, kernel_size=3, transposed=True, output_padding=1),
     r"output_padding=1 must be smaller than stride 1: expected"),
    (dict(input_size=5, kernel_size=3, output_padding=1),
     r"output_padding=1 is only allowed with transposed=True"),
    # transposed: empty output, too much padding
    (dict(input_size=(1,), kernel_size=3, padding=2, transposed=True),
     r"would have an empty output \(-1,\)"),
    (dict(input_size=(1,), kernel_size=2, padding=1, transposed=True),
     r"would have an empty output \(0,\)"),
    (dict(input_size=(3,), kernel_size=3, padding=3, transposed=True),
     r"padding 3 \(before\) exceeds kernel_size - 1 = 2"),
    (dict(input_size=(3,), kernel_size=3, dilation=2, padding=5, transposed=True),
     r"padding 5 \(before\) exceeds dilation \* \(kernel_size - 1\) = 4"),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD, ids=[repr(k) for k, _ in BAD])
def test_bad_input_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ConvSpec(**kwargs)


def test_equivalent_direct_of_direct_spec_raises():
    with pytest.raises(ValueError, match=r"equivalent_direct\(\) needs transposed=True"):
        ConvSpec(5, 3).equivalent_direct()


# ---------------------------------------------------------------------------
# 5. Immutability and value semantics
# ---------------------------------------------------------------------------


def test_frozen():
    spec = ConvSpec(5, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.stride = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.steps()[0].index = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.steps()[0].taps[0].position = (9, 9)  # type: ignore[misc]
    assert spec.stride == (1, 1)


def test_value_semantics_and_normalisation():
    a = ConvSpec(5, 3)
    b = ConvSpec((5, 5), (3, 3))
    assert a == b and hash(a) == hash(b)
    assert a.input_size == (5, 5) and a.kernel_size == (3, 3)
    assert a.stride == (1, 1) and a.dilation == (1, 1) and a.output_padding == (0, 0)
    c = ConvSpec(5, 3, stride=2, padding=1)
    d = ConvSpec([5, 5], [3, 3], stride=(2, 2), padding=((1, 1), [1, 1]))
    assert c == d and hash(c) == hash(d)
    assert c.padding == ((1, 1), (1, 1))
    assert ConvSpec(5, 3, padding=(1, 2)).padding == ((1, 1), (2, 2))
    assert ConvSpec(5, 3, padding="valid") == ConvSpec(5, 3, padding=0)
    assert ConvSpec(5, 4, padding="same").padding == ((1, 2), (1, 2))
    assert ConvSpec(5, 3, padding=np.int64(1)).padding == ((1, 1), (1, 1))
    assert ConvSpec(np.int64(5), 3) == a
    assert a != ConvSpec(5, 3, stride=2)
    assert ConvSpec(3, 3, transposed=True) != ConvSpec(3, 3)
    assert len({a, b, c, d}) == 2


def test_geometry_does_not_import_matplotlib():
    code = (
        "import sys, conv_anim.geometry\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'numpy'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    # The module documents itself as numpy-free and matplotlib-free.
    assert result.stdout.strip() == "[]"


def test_module_doctests_pass():
    result = doctest.testmod(geometry, verbose=False)
    assert result.attempted >= 5
    assert result.failed == 0


# ---------------------------------------------------------------------------
# 6. Lazy steps, the per-axis tables, the spec's own description
# ---------------------------------------------------------------------------


def test_steps_are_a_lazy_immutable_sequence():
    spec = ConvSpec((4, 5), 3, padding=1)
    steps = spec.steps()
    listed = list(steps)
    assert len(steps) == len(listed) == 20
    assert [s.index for s in listed] == list(range(20))
    assert steps[-1] == listed[-1] and steps[np.int64(3)] == listed[3]
    assert tuple(steps[5:9]) == tuple(listed[5:9]) and len(steps[::-2]) == 10
    assert list(steps[::-1]) == listed[::-1] and list(reversed(steps)) == listed[::-1]
    assert listed[7] in steps and listed[7] not in steps[8:]
    assert ConvSpec(4, 3).steps()[0] not in steps
    with pytest.raises(IndexError):
        steps[20]
    assert steps == spec.steps() and hash(steps) == hash(spec.steps())
    assert steps != ConvSpec((4, 5), 3, padding=1, stride=2).steps()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3),
       st.integers(0, 3), st.integers(0, 9), st.booleans())
def test_axis_covers_matches_brute_force(n, k, s, d, before, after, transposed):
    try:
        spec = ConvSpec((n,), k, s, ((before, after),), d, transposed=transposed)
    except ValueError:
        assume(False)
    (axis,) = spec.steps().axes
    covered = {p for step in spec.steps() for (p,) in step.positions}
    for position in range(-2, spec.grid.size[0] + 3):
        assert axis.covers(position) == (position in covered), position


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_str_is_a_call_that_builds_the_spec(data):
    ndim = data.draw(st.integers(1, 3))
    axis = lambda hi, lo=1: st.tuples(*[st.integers(lo, hi)] * ndim)  # noqa: E731
    pair = st.tuples(st.integers(0, 2), st.integers(0, 2))
    transposed = data.draw(st.booleans())
    try:
        spec = ConvSpec(
            data.draw(axis(6)), data.draw(axis(3)), data.draw(axis(2)),
            data.draw(st.tuples(*[pair] * ndim)), data.draw(axis(2)), transposed=transposed,
            output_padding=data.draw(axis(1, 0)) if transposed else 0,
            in_channels=data.draw(st.sampled_from([1, 2])), out_channels=2,
            groups=data.draw(st.sampled_from([1, 2])),
        )
    except ValueError:
        assume(False)
    assert eval(str(spec), {"ConvSpec": ConvSpec}) == spec


def test_str_examples():
    assert str(ConvSpec(5, 3)) == "ConvSpec(5, 3)"
    assert str(ConvSpec((16,), 2, dilation=4, padding=((4, 0),))) == (
        "ConvSpec((16,), 2, padding=((4, 0),), dilation=4)"
    )
    assert str(ConvSpec((5, 7), (3, 1), stride=(2, 1), padding=(1, 0))) == (
        "ConvSpec((5, 7), (3, 1), stride=(2, 1), padding=(1, 0))"
    )
    assert str(ConvSpec(3, 3, 2, 1, transposed=True, output_padding=1)) == (
        "ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1)"
    )


def test_specs_pickle_and_replace():
    import pickle

    spec = ConvSpec((5, 6), 3, stride=2, padding=1, in_channels=2)
    assert spec.output_size == (3, 3)  # a cached value travels along harmlessly
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert dataclasses.replace(spec, stride=1) == ConvSpec((5, 6), 3, padding=1, in_channels=2)
    with pytest.raises(ValueError, match="kernel_size 9 spans 9"):
        dataclasses.replace(spec, kernel_size=9)


def test_fields_are_typed_as_normalised_values():
    hints = {f.name: f.type for f in dataclasses.fields(ConvSpec)}
    assert hints == {
        "input_size": "Index", "kernel_size": "Index", "stride": "Index", "padding": "Pairs",
        "dilation": "Index", "transposed": "bool", "output_padding": "Index",
        "in_channels": "int", "out_channels": "int", "groups": "int",
    }


def test_taps_and_coverage_doctests_pass():
    import conv_anim.coverage as coverage
    import conv_anim.taps as taps

    for module in (taps, coverage):
        result = doctest.testmod(module, verbose=False)
        assert result.attempted >= 3
        assert result.failed == 0
