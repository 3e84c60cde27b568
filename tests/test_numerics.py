"""Tests for conv_anim.numerics: apply, winners and matrix against independent references."""

from __future__ import annotations

import time
from math import prod

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.numerics import apply, matrix, winners

# --------------------------------------------------------------------------------------
# Independent references: sliding windows (direct) and the scatter definition
# (transposed), written from the definitions, never through ConvSpec.steps().
# --------------------------------------------------------------------------------------


def reference_direct(x, kernel_size, stride, pads, dilation, op, w=None):
    """Direct convolution or pooling with np.pad and strided, dilated windows."""
    n = x.ndim
    fill = -np.inf if op == "max" else 0.0
    xp = np.pad(x.astype(np.float64), pads, constant_values=fill)
    span = [d * (k - 1) + 1 for k, d in zip(kernel_size, dilation, strict=True)]
    windows = sliding_window_view(xp, span)
    windows = windows[
        tuple(slice(None, None, s) for s in stride) + tuple(slice(None, None, d) for d in dilation)
    ]
    window_axes = tuple(range(n, 2 * n))
    if op == "conv":
        return np.tensordot(windows, np.asarray(w, dtype=np.float64), axes=(window_axes, range(n)))
    if op == "max":
        return windows.max(axis=window_axes)
    return windows.sum(axis=window_axes) / prod(kernel_size)


def reference_transposed(x, w, stride, pads, dilation, output_padding):
    """conv_transpose: out[j*s - p + t*d] += x[j] * w[t], cropped by the padding."""
    out_size = tuple(
        (i - 1) * s - b - a + d * (k - 1) + 1 + op
        for i, s, (b, a), d, k, op in zip(
            x.shape, stride, pads, dilation, w.shape, output_padding, strict=True
        )
    )
    out = np.zeros(out_size)
    for j in np.ndindex(*x.shape):
        for t in np.ndindex(*w.shape):
            pos = tuple(
                jj * s - b + tt * d
                for jj, s, (b, _), tt, d in zip(j, stride, pads, t, dilation, strict=True)
            )
            if all(0 <= p < n for p, n in zip(pos, out_size, strict=True)):
                out[pos] += x[j] * w[t]
    return out


def reference_for(spec, x, w=None, op="conv"):
    if spec.transposed:
        return reference_transposed(
            np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64),
            spec.stride, spec.padding, spec.dilation, spec.output_padding,
        )
    return reference_direct(
        np.asarray(x), spec.kernel_size, spec.stride, spec.padding, spec.dilation, op, w
    )


def test_references_agree_with_numpy():
    # the references themselves, against numpy's 1-D correlate/convolve
    x, w = np.array([1.0, -2, 3, 5, 0, 4]), np.array([2.0, -1, 3])
    one = ((0, 0),)
    np.testing.assert_array_equal(
        reference_direct(x, (3,), (1,), one, (1,), "conv", w), np.correlate(x, w, "valid")
    )
    np.testing.assert_array_equal(
        reference_transposed(x, w, (1,), one, (1,), (0,)), np.convolve(x, w)
    )
    np.testing.assert_array_equal(reference_direct(x, (2,), (2,), one, (1,), "max"), [1, 5, 4])


# --------------------------------------------------------------------------------------
# Hypothesis strategies: small 1-D/2-D/3-D specs.
# --------------------------------------------------------------------------------------

MAX_SIZE = {1: 7, 2: 6, 3: 4}
MAX_KERNEL = {1: 4, 2: 3, 3: 2}


@st.composite
def specs(draw, transposed=False):
    ndim = draw(st.integers(1, 3))
    axis = lambda hi, lo=1: st.tuples(*[st.integers(lo, hi)] * ndim)  # noqa: E731
    input_size = draw(axis(MAX_SIZE[ndim]))
    kernel_size = draw(axis(MAX_KERNEL[ndim]))
    stride = draw(axis(3))
    dilation = draw(axis(2))
    pair = st.tuples(st.integers(0, 2), st.integers(0, 2))
    padding = draw(
        st.one_of(
            st.integers(0, 2),
            st.tuples(*[st.integers(0, 2)] * ndim),
            st.tuples(*[pair] * ndim),  # asymmetric (before, after) pairs
        )
    )
    kwargs = {}
    if transposed:
        kwargs = {
            "transposed": True,
            "output_padding": tuple(
                draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True)
            ),
        }
    try:
        spec = ConvSpec(input_size, kernel_size, stride, padding, dilation, **kwargs)
    except ValueError:
        assume(False)
    assume(prod(spec.output_size) <= 200)
    return spec


def arrays(draw, shape, integers=True):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if integers:
        return rng.integers(-5, 6, size=shape)
    return rng.normal(size=shape)


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@SETTINGS
@given(st.data(), st.booleans())
def test_conv_matches_sliding_windows(data, integers):
    spec = data.draw(specs())
    x = arrays(data.draw, spec.input_size, integers)
    w = arrays(data.draw, spec.kernel_size, integers)
    got = apply(spec, x, w)
    assert got.shape == spec.output_size and got.dtype == np.float64
    expected = reference_for(spec, x, w)
    if integers:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(st.data(), st.booleans())
def test_transposed_conv_matches_scatter(data, integers):
    spec = data.draw(specs(transposed=True))
    x = arrays(data.draw, spec.input_size, integers)
    w = arrays(data.draw, spec.kernel_size, integers)
    got = apply(spec, x, w)
    assert got.shape == spec.output_size
    expected = reference_for(spec, x, w)
    if integers:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def pooling_padding_ok(spec: ConvSpec) -> bool:
    """PyTorch's rule: pooling pads at most half its window on each side."""
    return all(2 * max(pair) <= k for pair, k in zip(spec.padding, spec.kernel_size, strict=True))


@SETTINGS
@given(st.data())
def test_avg_pool_matches_sliding_windows(data):
    spec = data.draw(specs())
    x = arrays(data.draw, spec.input_size, integers=False)
    if not pooling_padding_ok(spec):
        with pytest.raises(ValueError, match="pads at most half its window"):
            apply(spec, x, op="avg")
        return
    np.testing.assert_allclose(
        apply(spec, x, op="avg"), reference_for(spec, x, op="avg"), rtol=1e-12, atol=1e-15
    )


@SETTINGS
@given(st.data())
def test_max_pool_matches_sliding_windows(data):
    spec = data.draw(specs())
    x = arrays(data.draw, spec.input_size, integers=data.draw(st.booleans()))
    if not pooling_padding_ok(spec):
        with pytest.raises(ValueError, match="pads at most half its window"):
            apply(spec, x, op="max")
        return
    expected = reference_for(spec, x, op="max")
    if np.isneginf(expected).any():  # a window over padding only: refused
        with pytest.raises(ValueError, match="covers only padding"):
            apply(spec, x, op="max")
        with pytest.raises(ValueError, match="covers only padding"):
            winners(spec, x)
        return
    np.testing.assert_array_equal(apply(spec, x, op="max"), expected)
    # The winners are real units holding the maximum, the first one in tap order.
    got = winners(spec, x)
    assert len(got) == len(spec.steps())
    for step, winner in zip(spec.steps(), got, strict=True):
        values = [x[i] for i in step.input_indices]
        assert winner == step.input_indices[values.index(max(values))]
        assert x[winner] == expected[step.output_index]


@SETTINGS
@given(st.data(), st.booleans())
def test_matrix_matches_apply(data, transposed):
    spec = data.draw(specs(transposed=transposed))
    x = arrays(data.draw, spec.input_size)
    w = arrays(data.draw, spec.kernel_size)
    c = matrix(spec, w)
    assert c.shape == (prod(spec.output_size), prod(spec.input_size))
    np.testing.assert_array_equal(c @ x.ravel(), apply(spec, x, w).ravel())


def transposed_of(direct: ConvSpec) -> ConvSpec:
    """The transposed spec mapping ``direct``'s output size back to its input size."""
    output_padding = tuple(
        (i + b + a - e) % s
        for i, (b, a), e, s in zip(
            direct.input_size, direct.padding, direct.effective_kernel_size, direct.stride,
            strict=True,
        )
    )
    spec = ConvSpec(
        direct.output_size, direct.kernel_size, direct.stride, direct.padding, direct.dilation,
        transposed=True, output_padding=output_padding,
    )
    assert spec.output_size == direct.input_size
    return spec


@SETTINGS
@given(st.data())
def test_transposed_matrix_is_the_transpose(data):
    direct = data.draw(specs())
    try:
        transposed = transposed_of(direct)
    except ValueError:  # padding too large for a transposed spec, or output_padding >= stride
        assume(False)
    w = arrays(data.draw, direct.kernel_size)
    np.testing.assert_array_equal(matrix(transposed, w), matrix(direct, w).T)


@pytest.mark.parametrize(
    ("direct", "transposed"),
    [
        (ConvSpec(4, 3), ConvSpec(2, 3, transposed=True)),
        (ConvSpec(5, 4, padding=2), ConvSpec(6, 4, padding=2, transposed=True)),
        (ConvSpec(5, 3, stride=2), ConvSpec(2, 3, stride=2, transposed=True)),
        (ConvSpec(5, 3, stride=2, padding=1), ConvSpec(3, 3, stride=2, padding=1, transposed=True)),
        (
            ConvSpec(6, 3, stride=2, padding=1),
            ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1),
        ),
        (ConvSpec(7, 3, dilation=2), ConvSpec(3, 3, dilation=2, transposed=True)),
        (ConvSpec(5, 3, padding="full"), ConvSpec(7, 3, padding=2, transposed=True)),
        (ConvSpec(5, 3, padding="same"), ConvSpec(5, 3, padding=1, transposed=True)),
        (
            ConvSpec((6, 5, 4), (3, 2, 2), stride=(2, 1, 3), padding=((1, 0), (0, 1), (1, 1))),
            ConvSpec(
                (3, 5, 2), (3, 2, 2), stride=(2, 1, 3), padding=((1, 0), (0, 1), (1, 1)),
                transposed=True, output_padding=(0, 0, 1),
            ),
        ),
    ],
)
def test_paper_transposed_matrices(direct, transposed):
    assert transposed.output_size == direct.input_size
    w = np.random.default_rng(0).integers(1, 10, size=direct.kernel_size)
    np.testing.assert_array_equal(transposed.matrix(w), direct.matrix(w).T)


# --------------------------------------------------------------------------------------
# The paper's numbers.
# --------------------------------------------------------------------------------------


@pytest.fixture
def paper():
    rng = np.random.RandomState(1234)
    x = rng.randint(0, 4, size=(5, 5))
    w = rng.randint(0, 3, size=(3, 3))
    return x, w


def test_paper_strided_padded_conv(paper):
    x, w = paper
    np.testing.assert_array_equal(
        ConvSpec(5, 3, stride=2, padding=1).apply(x, w), [[6, 17, 3], [8, 17, 13], [6, 4, 4]]
    )


def test_paper_no_padding_conv(paper):
    x, w = paper
    got = ConvSpec(5, 3).apply(x, w)
    no_padding = ((0, 0),) * 2
    np.testing.assert_array_equal(
        got, reference_direct(x, (3, 3), (1, 1), no_padding, (1, 1), "conv", w)
    )
    np.testing.assert_array_equal(got, [[12, 12, 17], [10, 17, 19], [9, 6, 14]])  # Figure 1.1


def test_paper_pooling(paper):
    x, _ = paper
    # x = [[3 3 2 1 0], [0 0 1 3 1], [3 1 2 2 3], [2 0 0 2 2], [2 0 0 0 1]];
    # 3x3 windows, stride 1, summed and maximised by hand (and by plain Python loops).
    np.testing.assert_array_equal(
        ConvSpec(5, 3).apply(x, op="max"), [[3, 3, 3], [3, 3, 3], [3, 2, 3]]
    )
    np.testing.assert_allclose(
        ConvSpec(5, 3).apply(x, op="avg"),
        np.array([[15, 15, 15], [9, 11, 16], [10, 7, 12]]) / 9,
        rtol=1e-15,
    )
    # The lone 2-window (rows 2-4, columns 1-3): its first 2 in tap order is x[2, 2].
    assert winners(ConvSpec(5, 3), x)[7] == (2, 2)


def test_paper_matrix_layout():
    w = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    c = ConvSpec(4, 3).matrix(w)
    assert c.shape == (4, 16)
    # Row 0 = w00 w01 w02 0 w10 w11 w12 0 w20 w21 w22 0 0 0 0 0
    np.testing.assert_array_equal(c[0], [1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(c[1], [0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0])
    np.testing.assert_array_equal(c[2], [0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0])
    np.testing.assert_array_equal(c[3], [0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9])
    np.testing.assert_array_equal(ConvSpec(2, 3, transposed=True).matrix(w), c.T)


# --------------------------------------------------------------------------------------
# Semantics details.
# --------------------------------------------------------------------------------------


def test_transposed_1d_by_hand():
    # x = [1, 10], w = [1, 2, 3], stride 2: out[2j + t] += x[j] w[t] -> [1, 2, 3+10, 20, 30]
    spec = ConvSpec((2,), 3, stride=2, transposed=True)
    np.testing.assert_array_equal(spec.apply([1, 10], [1, 2, 3]), [1, 2, 13, 20, 30])
    # padding 1 crops one unit on each side; output_padding 1 adds one (zero) at the end
    spec = ConvSpec((2,), 3, stride=2, padding=1, transposed=True, output_padding=1)
    np.testing.assert_array_equal(spec.apply([1, 10], [1, 2, 3]), [2, 13, 20, 30])


def test_max_pool_ignores_padding():
    # all-negative input: zero padding would win, -inf padding does not
    x = -np.arange(1, 10).reshape(3, 3)
    np.testing.assert_array_equal(
        ConvSpec(3, 3, padding=1).apply(x, op="max"), [[-1, -1, -2], [-1, -1, -2], [-4, -4, -5]]
    )
    # average pooling counts the padded zeros: corner = (-1 - 2 - 4 - 5) / 9
    assert ConvSpec(3, 3, padding=1).apply(x, op="avg")[0, 0] == pytest.approx(-12 / 9)


def test_dilation_gaps_are_not_taps():
    x = np.array([0, 9, 0, 9, 0])
    spec = ConvSpec((5,), 3, dilation=2)  # taps at 0, 2, 4 only
    assert apply(spec, x, op="max")[0] == 0
    assert winners(spec, x) == ((0,),)


def test_pooling_refuses_more_padding_than_half_its_window_as_pytorch_does():
    spec = ConvSpec((2,), 2, padding=((3, 0),), stride=1)
    for op in ("max", "avg"):
        with pytest.raises(ValueError, match=r"padding=\(\(3, 0\),\) is not valid with op='"
                                             + op + r"'.*expected padding <= 1"):
            apply(spec, [1, 2], op=op)
    # convolution is well defined there
    np.testing.assert_array_equal(apply(spec, [1, 2], [-1, -1]), [0, 0, -1, -3])
    assert not np.signbit(apply(spec, [1, 2], [-1, -1])[:2]).any()  # 0.0, not -0.0


def test_dtypes():
    spec = ConvSpec((3,), 2)
    # bools count as 0 and 1; integers and floats are promoted to float64
    for x in ([True, False, True], np.array([1, 0, 1], dtype=np.uint8), np.float32([1, 0, 1])):
        got = apply(spec, x, [2, 3])
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, [2, 3])
        assert apply(spec, x, op="max").dtype == np.float64
    big = np.array([2**40, 1, 3], dtype=np.int64)  # stays exact
    assert apply(spec, big, [1, 1])[0] == 2**40 + 1


def test_caching_and_speed():
    spec = ConvSpec(32, 3, padding=1)
    x = np.random.default_rng(1).normal(size=(32, 32))
    w = np.ones((3, 3))
    apply(spec, x, w)  # builds and caches the gather arrays
    start = time.perf_counter()
    for _ in range(20):
        apply(spec, x, w)
        apply(spec, x, op="max")
    assert time.perf_counter() - start < 1.0
    np.testing.assert_allclose(apply(spec, x, w), reference_for(spec, x, w), rtol=1e-12)


def test_geometry_methods_delegate():
    spec = ConvSpec(4, 3)
    x = np.arange(16).reshape(4, 4)
    w = np.arange(9).reshape(3, 3)
    np.testing.assert_array_equal(spec.apply(x, w), apply(spec, x, w))
    np.testing.assert_array_equal(spec.apply(x, op="avg"), apply(spec, x, op="avg"))
    np.testing.assert_array_equal(spec.matrix(w), matrix(spec, w))


# --------------------------------------------------------------------------------------
# Validation.
# --------------------------------------------------------------------------------------

SPEC = ConvSpec(4, 3)
X = np.zeros((4, 4))
W = np.ones((3, 3))


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: apply(SPEC, np.zeros((5, 5)), W),
         r"x has shape \(5, 5\) but spec.input_size is \(4, 4\)"),
        (lambda: apply(SPEC, np.zeros(16), W), r"x has shape \(16,\).*\(4, 4\)"),
        (lambda: apply(SPEC, X, np.ones((2, 2))),
         r"kernel has shape \(2, 2\) but spec.kernel_size is \(3, 3\)"),
        (lambda: matrix(SPEC, np.ones(9)), r"kernel has shape \(9,\)"),
        (lambda: apply(SPEC, X, W, op="max"), r"kernel was given for op='max'.*kernel=None"),
        (lambda: apply(SPEC, X, W, op="avg"), r"kernel was given for op='avg'"),
        (lambda: apply(SPEC, X), r"kernel is missing: op='conv' needs a kernel of shape \(3, 3\)"),
        (lambda: apply(SPEC, X, W, op="sum"),
         r"op='sum' is not valid: expected one of 'conv', 'max', 'avg'"),
        (lambda: apply(SPEC, X, W, op=None), r"op=None is not valid"),
        (lambda: apply(ConvSpec(2, 3, transposed=True), np.zeros((2, 2)), op="max"),
         r"op='max' is not valid with transposed=True: pooling has no transpose"),
        (lambda: winners(ConvSpec(2, 3, transposed=True), np.zeros((2, 2))),
         r"pooling has no transpose"),
        (lambda: apply(SPEC, np.where(np.eye(4), np.nan, 0), W),
         r"x holds non-finite values \(first at index \(0, 0\)"),
        (lambda: apply(SPEC, X, np.full((3, 3), np.inf)), r"kernel holds non-finite values"),
        (lambda: apply(SPEC, np.full((4, 4), -np.inf), op="max"), r"x holds non-finite"),
        (lambda: matrix(SPEC, np.full((3, 3), np.nan)), r"kernel holds non-finite"),
        (lambda: apply(SPEC, np.full((4, 4), "a"), W), r"x has dtype <U1 \(strings\).*not numeric"),
        (lambda: apply(SPEC, np.zeros((4, 4), dtype=object), W),
         r"x has dtype object \(Python objects\)"),
        (lambda: apply(SPEC, X, np.ones((3, 3), dtype=complex)),
         r"kernel has dtype complex128 \(complex numbers\)"),
        (lambda: apply(SPEC, [[1, 2], [3]], W), r"x could not be converted to an array"),
        (lambda: winners(SPEC, np.zeros((3, 3))),
         r"x has shape \(3, 3\) but spec.input_size is \(4, 4\)"),
    ],
)
def test_bad_input_raises(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


# --------------------------------------------------------------------------------------
# Optional cross-check against PyTorch (never installed by this project).
# --------------------------------------------------------------------------------------


def test_against_torch():
    torch = pytest.importorskip("torch")
    f = torch.nn.functional
    rng = np.random.default_rng(7)
    cases = [
        ConvSpec(7, 3, stride=2, padding=1, dilation=1),
        ConvSpec((9,), 3, stride=2, padding=2, dilation=2),
        ConvSpec((5, 6, 4), 2, stride=(1, 2, 1), padding=1),
        ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1),
        ConvSpec((4,), 3, stride=3, padding=1, dilation=2, transposed=True, output_padding=2),
    ]
    for spec in cases:
        n = spec.ndim
        pad = tuple(b for b, _ in spec.padding)
        x = rng.normal(size=spec.input_size)
        w = rng.normal(size=spec.kernel_size)
        tx = torch.tensor(x)[None, None]
        tw = torch.tensor(w)[None, None]
        if spec.transposed:
            conv = getattr(f, f"conv_transpose{n}d")
            want = conv(tx, tw, stride=spec.stride, padding=pad, dilation=spec.dilation,
                        output_padding=spec.output_padding)
        else:
            want = getattr(f, f"conv{n}d")(
                tx, tw, stride=spec.stride, padding=pad, dilation=spec.dilation
            )
            max_pool = getattr(f, f"max_pool{n}d")
            if any(2 * p > k for p, k in zip(pad, spec.kernel_size, strict=True)):
                with pytest.raises(ValueError, match="pads at most half its window"):
                    apply(spec, x, op="max")
                with pytest.raises(RuntimeError, match="at most half"):
                    max_pool(tx, spec.kernel_size, spec.stride, pad, spec.dilation)
            else:
                mx = max_pool(tx, spec.kernel_size, spec.stride, pad, spec.dilation)
                np.testing.assert_allclose(apply(spec, x, op="max"), mx[0, 0].numpy(), rtol=1e-12)
            half = all(2 * p <= k for p, k in zip(pad, spec.kernel_size, strict=True))
            if all(d == 1 for d in spec.dilation) and half:
                av = getattr(f, f"avg_pool{n}d")(
                    tx, spec.kernel_size, spec.stride, pad, count_include_pad=True
                )
                np.testing.assert_allclose(apply(spec, x, op="avg"), av[0, 0].numpy(), rtol=1e-12)
        np.testing.assert_allclose(apply(spec, x, w), want[0, 0].numpy(), rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------------------
# flip=True: a true convolution, as numpy.convolve computes it.
# --------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-9, 9), min_size=1, max_size=9),
    st.lists(st.integers(-9, 9), min_size=1, max_size=5),
)
def test_flip_matches_numpy_convolve(x, w):
    n, k = len(x), len(w)
    full = ConvSpec((n,), k, padding="full")
    np.testing.assert_array_equal(full.apply(x, w, flip=True), np.convolve(x, w, "full"))
    np.testing.assert_array_equal(full.matrix(w, flip=True) @ x, np.convolve(x, w, "full"))
    if n >= k:
        valid = ConvSpec((n,), k)
        np.testing.assert_array_equal(valid.apply(x, w, flip=True), np.convolve(x, w, "valid"))
        # without flip: a cross-correlation
        np.testing.assert_array_equal(valid.apply(x, w), np.correlate(x, w, "valid"))


def test_flip_by_hand():
    # kernel [1, 10] flipped is [10, 1]: out[o] = 10 x[o] + x[o + 1]
    np.testing.assert_array_equal(ConvSpec((3,), 2).apply([1, 2, 3], [1, 10], flip=True), [12, 23])
    w = np.arange(9).reshape(3, 3)
    x = np.arange(25).reshape(5, 5)
    spec = ConvSpec(5, 3, stride=2, padding=1)
    np.testing.assert_array_equal(spec.apply(x, w, flip=True), spec.apply(x, w[::-1, ::-1]))
    np.testing.assert_array_equal(matrix(spec, w, flip=True), matrix(spec, w[::-1, ::-1]))
    # a transposed spec: conv_transpose with the flipped kernel
    t = ConvSpec((2,), 3, transposed=True)
    np.testing.assert_array_equal(t.apply([1, 10], [1, 2, 3], flip=True), [3, 32, 21, 10])


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: apply(SPEC, X, W, flip=1), r"flip=1 is not valid: expected True or False"),
        (lambda: apply(SPEC, X, W, flip=None), r"flip=None is not valid"),
        (lambda: apply(SPEC, X, op="max", flip=True), r"flip=True is not valid with op='max'"),
        (lambda: matrix(SPEC, W, flip="yes"), r"flip='yes' is not valid"),
    ],
)
def test_bad_flip_raises(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_module_doctests_pass():
    import doctest

    import conv_anim.numerics as numerics

    result = doctest.testmod(numerics, verbose=False)
    assert result.attempted >= 10
    assert result.failed == 0


# --------------------------------------------------------------------------------------
# Overflow, size, and the two ways of gathering.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: apply(ConvSpec((2,), 1), [1e300, 2], [1e300]), r"x and kernel overflow float64: "
         r"the result is not finite at flat index 0 \(inf\)"),
        (lambda: apply(ConvSpec((3,), 2), [1e308, 1e308, 0], op="avg"), r"x overflow float64"),
        (lambda: apply(ConvSpec((2,), 2), [1e308, -1e308], [1e308, 1e308]), r"overflow float64"),
    ],
)
def test_overflow_is_an_error_naming_x(call, pattern):
    """Finite inputs whose result overflows: a ParameterError, not a silent inf or NaN."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no RuntimeWarning on the way
        with pytest.raises(ParameterError, match=pattern) as caught:
            call()
    assert caught.value.parameter == "x"
    # max pooling only compares: no overflow
    assert apply(ConvSpec((2,), 2), [1e308, -1e308], op="max")[0] == 1e308


def test_a_million_cells_match_sliding_windows():
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(1000, 1000)), rng.normal(size=(3, 3))
    got = ConvSpec(1000, 3).apply(x, w)
    expected = reference_direct(x, (3, 3), (1, 1), ((0, 0),) * 2, (1, 1), "conv", w)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(
        ConvSpec(1000, 3, stride=2).apply(x, op="max"),
        sliding_window_view(x, (3, 3))[::2, ::2].max(axis=(2, 3)),
    )


@pytest.mark.parametrize(
    "spec",
    [
        ConvSpec((40,), 30, padding=((3, 2),), dilation=1),  # few cells, many taps: a block
        ConvSpec((9, 9), 7, padding=2, in_channels=2, out_channels=4, groups=2),
        ConvSpec((3, 4, 2), (3, 2, 2), stride=2, transposed=True, in_channels=2, out_channels=2),
        # tap by tap
        ConvSpec((70, 60), 3, stride=(2, 1), padding=((1, 0), (0, 1)), dilation=(1, 2)),
        ConvSpec((10, 6, 5), 2, stride=2, padding=1, transposed=True, output_padding=1),
    ],
    ids=str,
)
def test_both_gathering_strategies_match_the_references(spec):
    from conv_anim import gather

    cells = prod(spec.output_size) * spec.in_channels
    assert (cells >= gather._PER_TAP_CELLS) == (prod(spec.output_size) >= 400)
    rng = np.random.default_rng(11)
    x, w = rng.integers(-5, 6, size=spec.input_shape), rng.integers(-5, 6, size=spec.kernel_shape)
    got = apply(spec, x, w)
    if not spec.has_channels:
        np.testing.assert_array_equal(got, reference_for(spec, x, w))
    np.testing.assert_array_equal(got.ravel(), matrix(spec, w) @ x.ravel())
    if not spec.transposed and not spec.has_channels:
        np.testing.assert_array_equal(apply(spec, x, op="avg") * prod(spec.kernel_size),
                                      reference_for(spec, x, op="avg") * prod(spec.kernel_size))
