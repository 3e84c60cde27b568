"""Tests for channels and groups: ConvSpec's fields, apply, winners and matrix.

The references are plain numpy loops written from PyTorch's definitions of
``conv*d`` and ``conv_transpose*d`` with ``groups``, never through ConvSpec.steps().
"""

from __future__ import annotations

import dataclasses
import re
from math import prod

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conv_anim.geometry import ConvSpec
from conv_anim.numerics import apply, matrix, winners

# --------------------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------------------


def output_size(spec_args):
    i, k, s, pads, d, transposed, a = spec_args
    if transposed:
        return tuple(
            (ii - 1) * ss - b - af + dd * (kk - 1) + 1 + aa
            for ii, kk, ss, (b, af), dd, aa in zip(i, k, s, pads, d, a, strict=True)
        )
    return tuple(
        (ii + b + af - dd * (kk - 1) - 1) // ss + 1
        for ii, kk, ss, (b, af), dd in zip(i, k, s, pads, d, strict=True)
    )


def reference_conv(x, w, stride, pads, dilation, groups):
    """conv*d: out[oc, o] = sum_{c, t} x[g*cin_g + c, o*s - p + t*d] * w[oc, c, t]."""
    cin, cout = x.shape[0], w.shape[0]
    cin_g, cout_g = cin // groups, cout // groups
    spatial_in, kernel = x.shape[1:], w.shape[2:]
    args = (spatial_in, kernel, stride, pads, dilation, False, None)
    out = np.zeros((cout, *output_size(args)))
    for oc in range(cout):
        g = oc // cout_g
        for o in np.ndindex(*out.shape[1:]):
            total = 0.0
            for c in range(cin_g):
                for t in np.ndindex(*kernel):
                    src = tuple(
                        oo * s - b + tt * d
                        for oo, s, (b, _), tt, d in zip(o, stride, pads, t, dilation, strict=True)
                    )
                    if all(0 <= p < n for p, n in zip(src, spatial_in, strict=True)):
                        total += x[(g * cin_g + c, *src)] * w[(oc, c, *t)]
            out[(oc, *o)] = total
    return out


def reference_transposed(x, w, stride, pads, dilation, output_padding, groups):
    """conv_transpose*d: out[g*cout_g + oc, j*s - p + t*d] += x[ic, j] * w[ic, oc, t]."""
    cin = x.shape[0]
    cin_g, cout_g = cin // groups, w.shape[1]
    spatial_in, kernel = x.shape[1:], w.shape[2:]
    args = (spatial_in, kernel, stride, pads, dilation, True, output_padding)
    out = np.zeros((cout_g * groups, *output_size(args)))
    for ic in range(cin):
        g = ic // cin_g
        for j in np.ndindex(*spatial_in):
            for oc in range(cout_g):
                for t in np.ndindex(*kernel):
                    dst = tuple(
                        jj * s - b + tt * d
                        for jj, s, (b, _), tt, d in zip(j, stride, pads, t, dilation, strict=True)
                    )
                    if all(0 <= p < n for p, n in zip(dst, out.shape[1:], strict=True)):
                        out[(g * cout_g + oc, *dst)] += x[(ic, *j)] * w[(ic, oc, *t)]
    return out


def reference_for(spec, x, w):
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if not spec.has_channels:
        x, w = x[None], w[None, None]
    if spec.transposed:
        out = reference_transposed(
            x, w, spec.stride, spec.padding, spec.dilation, spec.output_padding, spec.groups
        )
    else:
        out = reference_conv(x, w, spec.stride, spec.padding, spec.dilation, spec.groups)
    return out if spec.has_channels else out[0]


def test_reference_matches_numpy_for_one_channel():
    x, w = np.array([1.0, -2, 3, 5, 0, 4]), np.array([2.0, -1, 3])
    none = ((0, 0),)
    np.testing.assert_array_equal(
        reference_conv(x[None], w[None, None], (1,), none, (1,), 1)[0], np.correlate(x, w, "valid")
    )
    np.testing.assert_array_equal(
        reference_transposed(x[None], w[None, None], (1,), none, (1,), (0,), 1)[0],
        np.convolve(x, w),
    )


def test_reference_grouped_is_block_diagonal_by_hand():
    # 2 groups, 1 input and 1 output channel each: two independent 1-D correlations.
    x = np.array([[1.0, 2, 3], [10, 20, 30]])
    w = np.array([[[1.0, 1]], [[1, -1]]])
    got = reference_conv(x, w, (1,), ((0, 0),), (1,), 2)
    np.testing.assert_array_equal(got, [[3, 5], [-10, -10]])


# --------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------

MAX_SIZE = {1: 6, 2: 5, 3: 3}
MAX_KERNEL = {1: 3, 2: 3, 3: 2}


@st.composite
def channel_specs(draw, transposed=False, pooling=False):
    """Small specs with channels and groups; ``pooling``: padding at most half the
    kernel on each side, as pooling allows (any other is refused before drawing)."""
    ndim = draw(st.integers(1, 3))
    axis = lambda hi, lo=1: st.tuples(*[st.integers(lo, hi)] * ndim)  # noqa: E731
    groups = draw(st.integers(1, 3))
    in_channels = groups * draw(st.integers(1, 2))
    out_channels = groups * draw(st.integers(1, 2))
    stride, dilation = draw(axis(2)), draw(axis(2))
    kernel = draw(axis(MAX_KERNEL[ndim]))
    pads = [st.integers(0, k // 2 if pooling else 2) for k in kernel]
    padding = draw(st.tuples(*[st.tuples(pad, pad) for pad in pads]))
    kwargs = dict(in_channels=in_channels, out_channels=out_channels, groups=groups)
    if transposed:
        kwargs.update(
            transposed=True,
            output_padding=tuple(
                draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True)
            ),
        )
    try:
        spec = ConvSpec(draw(axis(MAX_SIZE[ndim])), kernel, stride, padding, dilation, **kwargs)
    except ValueError:
        assume(False)
    assume(prod(spec.output_size) <= 60)
    return spec


def integers(data, shape):
    seed = data.draw(st.integers(0, 2**32 - 1))
    return np.random.default_rng(seed).integers(-4, 5, size=shape)


SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@SETTINGS
@given(st.data(), st.booleans())
def test_apply_matches_reference(data, transposed):
    spec = data.draw(channel_specs(transposed=transposed))
    x = integers(data, spec.input_shape)
    w = integers(data, spec.kernel_shape)
    got = apply(spec, x, w)
    assert got.shape == spec.output_shape
    np.testing.assert_array_equal(got, reference_for(spec, x, w))


@SETTINGS
@given(st.data(), st.booleans())
def test_matrix_matches_apply(data, transposed):
    spec = data.draw(channel_specs(transposed=transposed))
    x = integers(data, spec.input_shape)
    w = integers(data, spec.kernel_shape)
    c = matrix(spec, w)
    assert c.shape == (
        spec.out_channels * prod(spec.output_size), spec.in_channels * prod(spec.input_size)
    )
    np.testing.assert_array_equal(c @ x.ravel(), apply(spec, x, w).ravel())


@SETTINGS
@given(st.data())
def test_transposed_matrix_is_the_transpose_with_channels_swapped(data):
    direct = data.draw(channel_specs())
    output_padding = tuple(
        (i + b + a - e) % s
        for i, (b, a), e, s in zip(
            direct.input_size, direct.padding, direct.effective_kernel_size, direct.stride,
            strict=True,
        )
    )
    try:
        transposed = ConvSpec(
            direct.output_size, direct.kernel_size, direct.stride, direct.padding,
            direct.dilation, transposed=True, output_padding=output_padding,
            in_channels=direct.out_channels, out_channels=direct.in_channels, groups=direct.groups,
        )
    except ValueError:
        assume(False)
    # The same weight tensor: (out_d, in_d // g, *k) == (in_t, out_t // g, *k).
    w = integers(data, direct.kernel_shape)
    assert transposed.kernel_shape == direct.kernel_shape
    np.testing.assert_array_equal(matrix(transposed, w), matrix(direct, w).T)


@SETTINGS
@given(st.data(), st.sampled_from(["max", "avg"]))
def test_pooling_works_per_channel(data, op):
    spec = data.draw(channel_specs(pooling=True))
    assume(spec.in_channels > 1)
    spec = dataclasses.replace(spec, out_channels=spec.in_channels)
    single = dataclasses.replace(spec, in_channels=1, out_channels=1, groups=1)
    x = integers(data, spec.input_shape)
    try:
        expected = np.stack([apply(single, channel, op=op) for channel in x])
    except ValueError:  # a max window over padding only (dilation can skip the input)
        assume(False)
    np.testing.assert_array_equal(apply(spec, x, op=op), expected)
    # groups is ignored by pooling
    depthwise = dataclasses.replace(spec, groups=spec.in_channels)
    np.testing.assert_array_equal(apply(depthwise, x, op=op), expected)
    if op == "max":
        got = winners(spec, x)
        per_channel = [winners(single, channel) for channel in x]
        assert got == tuple(
            (c, *index) for c, indices in enumerate(per_channel) for index in indices
        )
        assert [x[index] for index in got] == list(expected.ravel())


# --------------------------------------------------------------------------------------
# Named cases: depthwise, pointwise, grouped, transposed grouped; 1-D, 2-D, 3-D
# --------------------------------------------------------------------------------------

CASES = {
    "depthwise_2d": ConvSpec(5, 3, padding=1, in_channels=3, out_channels=3, groups=3),
    "depthwise_multiplier_1d": ConvSpec((7,), 3, stride=2, in_channels=2, out_channels=4, groups=2),
    "pointwise_2d": ConvSpec(4, 1, in_channels=3, out_channels=5),
    "pointwise_3d": ConvSpec((3, 2, 4), 1, in_channels=2, out_channels=3),
    "grouped_2d": ConvSpec(
        (5, 6), (3, 2), stride=(2, 1), padding=1, in_channels=4, out_channels=6, groups=2
    ),
    "grouped_3d": ConvSpec(
        (4, 3, 3), 2, dilation=(1, 2, 1), in_channels=4, out_channels=2, groups=2
    ),
    "dense_1d": ConvSpec((6,), 2, dilation=2, in_channels=2, out_channels=3),
    "transposed_grouped_2d": ConvSpec(
        3, 3, stride=2, padding=1, transposed=True, output_padding=1,
        in_channels=4, out_channels=6, groups=2,
    ),
    "transposed_depthwise_1d": ConvSpec(
        (4,), 3, stride=3, dilation=2, transposed=True, output_padding=2,
        in_channels=3, out_channels=3, groups=3,
    ),
    "transposed_grouped_3d": ConvSpec(
        (2, 3, 2), 2, stride=(2, 1, 2), transposed=True, in_channels=2, out_channels=4, groups=2,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_named_cases(name):
    spec = CASES[name]
    rng = np.random.default_rng(len(name))
    x = rng.normal(size=spec.input_shape)
    w = rng.normal(size=spec.kernel_shape)
    got = apply(spec, x, w)
    np.testing.assert_allclose(got, reference_for(spec, x, w), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(matrix(spec, w) @ x.ravel(), got.ravel(), rtol=1e-12, atol=1e-12)


def test_depthwise_is_one_correlation_per_channel():
    spec = CASES["depthwise_2d"]
    single = ConvSpec(5, 3, padding=1)
    rng = np.random.default_rng(3)
    x, w = rng.integers(-5, 6, size=(3, 5, 5)), rng.integers(-5, 6, size=(3, 1, 3, 3))
    expected = np.stack([apply(single, x[c], w[c, 0]) for c in range(3)])
    np.testing.assert_array_equal(apply(spec, x, w), expected)


def test_pointwise_is_a_matrix_product_over_channels():
    spec = CASES["pointwise_2d"]
    rng = np.random.default_rng(4)
    x, w = rng.integers(-5, 6, size=(3, 4, 4)), rng.integers(-5, 6, size=(5, 3, 1, 1))
    np.testing.assert_array_equal(apply(spec, x, w), np.einsum("oc,chw->ohw", w[:, :, 0, 0], x))


def test_grouped_equals_separate_convolutions_concatenated():
    spec = CASES["grouped_2d"]
    half = dataclasses.replace(spec, in_channels=2, out_channels=3, groups=1)
    rng = np.random.default_rng(5)
    x, w = rng.integers(-5, 6, size=spec.input_shape), rng.integers(-5, 6, size=spec.kernel_shape)
    expected = np.concatenate([apply(half, x[:2], w[:3]), apply(half, x[2:], w[3:])])
    np.testing.assert_array_equal(apply(spec, x, w), expected)


def test_transposed_grouped_equals_separate_transposes_concatenated():
    spec = CASES["transposed_grouped_2d"]
    half = dataclasses.replace(spec, in_channels=2, out_channels=3, groups=1)
    rng = np.random.default_rng(6)
    x, w = rng.integers(-5, 6, size=spec.input_shape), rng.integers(-5, 6, size=spec.kernel_shape)
    assert w.shape == (4, 3, 3, 3)
    expected = np.concatenate([apply(half, x[:2], w[:2]), apply(half, x[2:], w[2:])])
    np.testing.assert_array_equal(apply(spec, x, w), expected)


def test_one_channel_by_hand():
    # 2 input channels -> 1 output: the two correlations summed.
    spec = ConvSpec((3,), 2, in_channels=2, out_channels=1)
    assert spec.input_shape == (2, 3) and spec.kernel_shape == (1, 2, 2)
    assert spec.output_shape == (1, 2)
    got = apply(spec, [[1, 2, 3], [10, 20, 30]], [[[1, 0], [0, 1]]])
    np.testing.assert_array_equal(got, [[1 + 20, 2 + 30]])


def test_flip_flips_spatial_axes_only():
    spec = CASES["grouped_2d"]
    rng = np.random.default_rng(8)
    x, w = rng.integers(-5, 6, size=spec.input_shape), rng.integers(-5, 6, size=spec.kernel_shape)
    flipped = w[:, :, ::-1, ::-1]
    np.testing.assert_array_equal(apply(spec, x, w, flip=True), apply(spec, x, flipped))
    np.testing.assert_array_equal(matrix(spec, w, flip=True), matrix(spec, flipped))
    t = CASES["transposed_grouped_2d"]
    w = rng.integers(-5, 6, size=t.kernel_shape)
    x = rng.integers(-5, 6, size=t.input_shape)
    np.testing.assert_array_equal(apply(t, x, w, flip=True), apply(t, x, w[:, :, ::-1, ::-1]))


# --------------------------------------------------------------------------------------
# ConvSpec fields, shapes and validation
# --------------------------------------------------------------------------------------


def test_defaults_keep_the_single_channel_shapes():
    spec = ConvSpec(5, 3, 2, 1)
    assert (spec.in_channels, spec.out_channels, spec.groups) == (1, 1, 1)
    assert not spec.has_channels
    assert spec.input_shape == spec.input_size == (5, 5)
    assert spec.output_shape == spec.output_size == (3, 3)
    assert spec.kernel_shape == spec.kernel_size == (3, 3)
    assert "in_channels=1" in repr(spec) and "groups=1" in repr(spec)
    assert spec == ConvSpec(5, 3, 2, 1, in_channels=1, out_channels=1, groups=1)


def test_shapes_with_channels():
    spec = ConvSpec((6, 5), 3, in_channels=4, out_channels=6, groups=2)
    assert spec.has_channels
    assert spec.input_shape == (4, 6, 5)
    assert spec.output_shape == (6, 4, 3)
    assert spec.kernel_shape == (6, 2, 3, 3)
    t = ConvSpec((6, 5), 3, transposed=True, in_channels=4, out_channels=6, groups=2)
    assert t.kernel_shape == (4, 3, 3, 3)
    assert t.output_shape == (6, 8, 7)
    # One input channel, several outputs (and vice versa) still carry channel axes.
    assert ConvSpec((4,), 2, out_channels=3).input_shape == (1, 4)
    assert ConvSpec((4,), 2, in_channels=3).output_shape == (1, 3)


def test_channels_do_not_change_the_steps_or_equality_rules():
    plain = ConvSpec(5, 3, stride=2, padding=1)
    grouped = ConvSpec(5, 3, stride=2, padding=1, in_channels=4, out_channels=4, groups=4)
    assert grouped.steps() == plain.steps()
    assert grouped.grid == plain.grid
    assert grouped != plain
    eq = ConvSpec(
        3, 3, stride=2, transposed=True, in_channels=2, out_channels=4, groups=2
    ).equivalent_direct()
    assert (eq.direct.in_channels, eq.direct.out_channels, eq.direct.groups) == (2, 4, 2)


def test_channels_are_frozen():
    spec = ConvSpec(5, 3, in_channels=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.in_channels = 3  # type: ignore[misc]


def test_numpy_ints_accepted():
    spec = ConvSpec(5, 3, in_channels=np.int64(4), out_channels=np.int32(2), groups=np.int8(2))
    assert (spec.in_channels, spec.out_channels, spec.groups) == (4, 2, 2)
    assert type(spec.in_channels) is int


BAD_SPECS = [
    (dict(in_channels=0), r"in_channels=0 is not valid: expected an int >= 1"),
    (dict(out_channels=-2), r"out_channels=-2 is not valid: expected an int >= 1"),
    (dict(groups=0), r"groups=0 is not valid: expected an int >= 1"),
    (dict(in_channels=True), r"in_channels=True \(bool\) is not valid"),
    (dict(groups=2.0), r"groups=2\.0 \(float\) is not valid"),
    (dict(out_channels="3"), r"out_channels='3' \(str\) is not valid"),
    (dict(in_channels=3, out_channels=4, groups=2),
     r"in_channels=3 is not divisible by groups=2: expected in_channels and out_channels to "
     r"be multiples of groups"),
    (dict(in_channels=4, out_channels=6, groups=4), r"out_channels=6 is not divisible by groups=4"),
    (dict(groups=2), r"in_channels=1 is not divisible by groups=2"),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD_SPECS, ids=[repr(k) for k, _ in BAD_SPECS])
def test_bad_channels_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ConvSpec(5, 3, **kwargs)


SPEC = ConvSpec(4, 3, in_channels=2, out_channels=4, groups=2)
X = np.zeros((2, 4, 4))
W = np.ones((4, 1, 3, 3))


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: apply(SPEC, np.zeros((4, 4)), W),
         r"x has shape \(4, 4\) but spec.input_shape is \(2, 4, 4\)"),
        (lambda: apply(SPEC, X, np.ones((4, 2, 3, 3))),
         r"kernel has shape \(4, 2, 3, 3\) but spec.kernel_shape is \(4, 1, 3, 3\)"),
        (lambda: apply(SPEC, X),
         r"kernel is missing: op='conv' needs a kernel of shape \(4, 1, 3, 3\) "
         r"\(spec.kernel_shape\)"),
        (lambda: matrix(SPEC, np.ones((3, 3))), r"kernel has shape \(3, 3\) but spec.kernel_shape"),
        (lambda: matrix(SPEC, None), r"kernel is missing"),
        (lambda: apply(SPEC, X, op="max"),
         r"op='max' needs in_channels == out_channels .*in_channels=2 and out_channels=4"),
        (lambda: winners(SPEC, X), r"op='max' needs in_channels == out_channels"),
        (lambda: apply(
            ConvSpec(4, 3, in_channels=2, out_channels=2), np.zeros((1, 4, 4)), op="avg"),
         r"x has shape \(1, 4, 4\) but spec.input_shape is \(2, 4, 4\)"),
        # one channel: no channel axis accepted
        (lambda: apply(ConvSpec(4, 3), np.zeros((1, 4, 4)), np.ones((3, 3))),
         r"x has shape \(1, 4, 4\) but spec.input_size is \(4, 4\)"),
    ],
)
def test_bad_arrays_raise(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_positional_signature_is_unchanged():
    spec = ConvSpec((5,), 3, 2, 1, 1)
    assert (spec.stride, spec.padding, spec.dilation) == ((2,), ((1, 1),), (1,))
    with pytest.raises(TypeError):
        ConvSpec((5,), 3, 2, 1, 1, False)  # type: ignore[misc]
    names = [f.name for f in dataclasses.fields(ConvSpec) if f.kw_only]
    assert names == ["transposed", "output_padding", "in_channels", "out_channels", "groups"]
    assert re.search(r"ConvSpec\(input_size=\(5,\), kernel_size=\(3,\)", repr(spec))


# --------------------------------------------------------------------------------------
# Optional cross-check against PyTorch (never installed by this project).
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_against_torch(name):
    torch = pytest.importorskip("torch")
    f = torch.nn.functional
    spec = CASES[name]
    rng = np.random.default_rng(9)
    x, w = rng.normal(size=spec.input_shape), rng.normal(size=spec.kernel_shape)
    pad = tuple(b for b, _ in spec.padding)
    assert all(b == a for b, a in spec.padding)
    n = spec.ndim
    if spec.transposed:
        want = getattr(f, f"conv_transpose{n}d")(
            torch.tensor(x)[None], torch.tensor(w), stride=spec.stride, padding=pad,
            output_padding=spec.output_padding, groups=spec.groups, dilation=spec.dilation,
        )
    else:
        want = getattr(f, f"conv{n}d")(
            torch.tensor(x)[None], torch.tensor(w), stride=spec.stride, padding=pad,
            dilation=spec.dilation, groups=spec.groups,
        )
    np.testing.assert_allclose(apply(spec, x, w), want[0].numpy(), rtol=1e-10, atol=1e-12)
