"""Tests for the backward pass and the overlap: against numpy loops and torch autograd.

The references are written from the definitions (PyTorch's docs), never through
ConvSpec.steps(): a direct convolution reads input ``o * s - p + t * d`` at output
``o`` and tap ``t``; a transposed one adds input ``j`` times tap ``t`` into output
``j * s - p + t * d``.
"""

from __future__ import annotations

import itertools
from math import prod

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.gradients import grad_input, grad_kernel, overlap

# --------------------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------------------


def triples(spec):
    """Every (input index, output index, tap) that contributes, from the definitions."""
    before = [b for b, _ in spec.padding]
    out = []
    if spec.transposed:
        for j in itertools.product(*(range(n) for n in spec.input_size)):
            for t in itertools.product(*(range(k) for k in spec.kernel_size)):
                m = tuple(
                    jj * s - b + tt * d
                    for jj, s, b, tt, d in zip(
                        j, spec.stride, before, t, spec.dilation, strict=True
                    )
                )
                if all(0 <= mm < n for mm, n in zip(m, spec.output_size, strict=True)):
                    out.append((j, m, t))
        return out
    for o in itertools.product(*(range(n) for n in spec.output_size)):
        for t in itertools.product(*(range(k) for k in spec.kernel_size)):
            i = tuple(
                oo * s - b + tt * d
                for oo, s, b, tt, d in zip(o, spec.stride, before, t, spec.dilation, strict=True)
            )
            if all(0 <= ii < n for ii, n in zip(i, spec.input_size, strict=True)):
                out.append((i, o, t))
    return out


def channel_pairs(spec):
    """(in channel, out channel, index of the weight's channel axes) for every connected pair."""
    per_in, per_out = spec.in_channels // spec.groups, spec.out_channels // spec.groups
    for g in range(spec.groups):
        for a in range(per_in):
            for b in range(per_out):
                ic, oc = g * per_in + a, g * per_out + b
                yield ic, oc, ((ic, b) if spec.transposed else (oc, a))


def with_channels(spec, array, channels):
    array = np.asarray(array, dtype=float)
    return array.reshape(channels, *array.shape[array.ndim - spec.ndim:])


def reference_forward(spec, x, w):
    x = with_channels(spec, x, spec.in_channels)
    w = np.asarray(w, dtype=float)
    y = np.zeros((spec.out_channels, *spec.output_size))
    for ic, oc, wc in channel_pairs(spec):
        weight = w[wc] if spec.has_channels else w
        for i, o, t in triples(spec):
            y[(oc, *o)] += weight[t] * x[(ic, *i)]
    return y.reshape(spec.output_shape)


def reference_grad_input(spec, gy, w):
    gy = with_channels(spec, gy, spec.out_channels)
    w = np.asarray(w, dtype=float)
    gx = np.zeros((spec.in_channels, *spec.input_size))
    for ic, oc, wc in channel_pairs(spec):
        weight = w[wc] if spec.has_channels else w
        for i, o, t in triples(spec):
            gx[(ic, *i)] += weight[t] * gy[(oc, *o)]
    return gx.reshape(spec.input_shape)


def reference_grad_kernel(spec, x, gy):
    x = with_channels(spec, x, spec.in_channels)
    gy = with_channels(spec, gy, spec.out_channels)
    gw = np.zeros(spec.kernel_shape)
    for ic, oc, wc in channel_pairs(spec):
        for i, o, t in triples(spec):
            index = (*wc, *t) if spec.has_channels else t
            gw[index] += x[(ic, *i)] * gy[(oc, *o)]
    return gw


def reference_overlap(spec):
    size = spec.output_size if spec.transposed else spec.input_size
    counts = np.zeros(size, dtype=np.int64)
    for i, o, _ in triples(spec):
        counts[o if spec.transposed else i] += 1
    return counts


def test_reference_forward_agrees_with_apply_by_hand():
    spec = ConvSpec((4,), 2, stride=2)
    np.testing.assert_array_equal(reference_forward(spec, [1, 2, 3, 4], [1, 10]), [21, 43])
    t = ConvSpec((2,), 3, stride=2, transposed=True)
    np.testing.assert_array_equal(reference_forward(t, [1, 10], [1, 2, 3]), [1, 2, 13, 20, 30])


# --------------------------------------------------------------------------------------
# Against the references, for random specs with channels and groups
# --------------------------------------------------------------------------------------


@st.composite
def specs(draw):
    ndim = draw(st.integers(1, 3))
    size = {1: 7, 2: 5, 3: 4}[ndim]
    axis = lambda hi, lo=1: st.tuples(*[st.integers(lo, hi)] * ndim)  # noqa: E731
    transposed = draw(st.booleans())
    stride, dilation = draw(axis(3)), draw(axis(2))
    pair = st.tuples(st.integers(0, 2), st.integers(0, 2))
    groups = draw(st.integers(1, 2))
    kwargs = {
        "in_channels": groups * draw(st.integers(1, 2)),
        "out_channels": groups * draw(st.integers(1, 2)),
        "groups": groups,
    }
    if draw(st.booleans()):
        kwargs = {}
    if transposed:
        kwargs["transposed"] = True
        kwargs["output_padding"] = tuple(
            draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True)
        )
    try:
        spec = ConvSpec(
            draw(axis(size)), draw(axis(3 if ndim < 3 else 2)), stride,
            draw(st.tuples(*[pair] * ndim)), dilation, **kwargs,
        )
    except ValueError:
        assume(False)
    assume(prod(spec.output_size) <= 150)
    return spec


SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


def integers(seed, shape):
    return np.random.default_rng(seed).integers(-5, 6, size=shape)


@SETTINGS
@given(specs(), st.integers(0, 2**32 - 1))
def test_gradients_match_the_definitions(spec, seed):
    x = integers(seed, spec.input_shape)
    w = integers(seed + 1, spec.kernel_shape)
    gy = integers(seed + 2, spec.output_shape)
    np.testing.assert_array_equal(spec.apply(x, w), reference_forward(spec, x, w))
    gx = grad_input(spec, gy, w)
    assert gx.shape == spec.input_shape and gx.dtype == np.float64
    np.testing.assert_array_equal(gx, reference_grad_input(spec, gy, w))
    gw = grad_kernel(spec, x, gy)
    assert gw.shape == spec.kernel_shape and gw.dtype == np.float64
    np.testing.assert_array_equal(gw, reference_grad_kernel(spec, x, gy))


@SETTINGS
@given(specs(), st.integers(0, 2**32 - 1))
def test_gradients_are_the_matrix_transpose(spec, seed):
    """<C x, g> = <x, C.T g>: grad_input is C.T, grad_kernel the derivative in w."""
    x = integers(seed, spec.input_shape)
    w = integers(seed + 1, spec.kernel_shape)
    gy = integers(seed + 2, spec.output_shape)
    c = spec.matrix(w)
    np.testing.assert_array_equal(grad_input(spec, gy, w).ravel(), c.T @ gy.ravel())
    # linear in w: <apply(x, w), gy> == <w, grad_kernel(x, gy)>
    assert np.vdot(spec.apply(x, w), gy) == np.vdot(w, grad_kernel(spec, x, gy))


@SETTINGS
@given(specs())
def test_overlap_matches_the_definition(spec):
    got = overlap(spec)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, reference_overlap(spec))
    ones_in = np.ones(spec.input_size)
    ones_out = np.ones(spec.output_size)
    plain = ConvSpec(
        spec.input_size, spec.kernel_size, spec.stride, spec.padding, spec.dilation,
        transposed=spec.transposed, output_padding=spec.output_padding,
    )
    if spec.transposed:  # conv_transpose of ones with a kernel of ones
        np.testing.assert_array_equal(got, plain.apply(ones_in, np.ones(spec.kernel_size)))
    else:  # the gradient of ones through a kernel of ones
        np.testing.assert_array_equal(got, plain.grad_input(ones_out, np.ones(spec.kernel_size)))


def test_uncovered_inputs_get_zero_gradient():
    spec = ConvSpec((6,), 3, stride=2)  # the last unit is never read
    assert spec.uncovered_inputs() == ((5,),)
    np.testing.assert_array_equal(spec.grad_input([1, 10], [1, 2, 3]), [1, 2, 13, 20, 30, 0])
    assert overlap(spec).tolist() == [1, 1, 2, 1, 1, 0]


# --------------------------------------------------------------------------------------
# Overlap: the checkerboard
# --------------------------------------------------------------------------------------


def interior_counts(k, s, d, p, transposed):
    """Counts on a long 1-D axis, from the definition, at the documented interior."""
    n = 6 * (k * d + s)
    spec = ConvSpec((n,), k, s, ((p, 0),), d, transposed=transposed) if transposed else ConvSpec(
        (n,), k, s, ((p, p),), d
    )
    counts = reference_overlap(spec)
    other = n if transposed else spec.output_size[0]  # the other side's size
    interior = [m for m in range(len(counts)) if (k - 1) * d <= m + p <= (other - 1) * s]
    assert len(interior) >= 2 * s
    return {int(counts[m]) for m in interior}


@pytest.mark.parametrize("transposed", [True, False])
def test_overlaps_evenly_means_equal_interior_counts(transposed):
    for k, s, d in itertools.product(range(1, 7), range(1, 5), range(1, 4)):
        p = min(d * (k - 1), 1)
        even = len(interior_counts(k, s, d, p, transposed)) == 1
        spec = ConvSpec((4,), k, s, 0, d, transposed=True) if transposed else ConvSpec(
            (k * d + s,), k, s, 0, d
        )
        assert spec.overlaps_evenly() == even, (k, s, d)


def test_classic_checkerboard_cases():
    uneven = ConvSpec(4, 3, stride=2, transposed=True)
    assert not uneven.overlaps_evenly()
    assert ConvSpec(4, 4, stride=2, transposed=True).overlaps_evenly()
    assert ConvSpec(4, 2, stride=2, transposed=True).overlaps_evenly()
    assert ConvSpec(4, 3, transposed=True).overlaps_evenly()  # stride 1 never overlaps unevenly
    # k=3, s=2 in 2-D: 1, 2 and 4 taps alternate in the interior
    assert set(overlap(uneven)[2:-2, 2:-2].ravel().tolist()) == {1, 2, 4}
    assert set(overlap(ConvSpec(6, 4, stride=2, transposed=True))[3:-3, 3:-3].ravel()) == {4}
    # unequal per axis: uneven as soon as one axis is
    assert not ConvSpec((4, 4), (4, 3), stride=2, transposed=True).overlaps_evenly()


# --------------------------------------------------------------------------------------
# Errors and limits
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "parameter", "pattern"),
    [
        (lambda: grad_input(ConvSpec(4, 3), np.ones((3, 3)), np.ones((3, 3))), "grad_output",
         r"grad_output has shape \(3, 3\) but spec.output_size is \(2, 2\)"),
        (lambda: grad_input(ConvSpec(4, 3), np.ones((2, 2)), np.ones((2, 2))), "kernel",
         r"kernel has shape \(2, 2\)"),
        (lambda: grad_kernel(ConvSpec(4, 3), np.ones((4, 4)), [[np.nan, 0], [0, 0]]), "grad_output",
         r"grad_output holds non-finite values"),
        (lambda: grad_kernel(ConvSpec(4, 3), "abc", np.ones((2, 2))), "x", r"x has dtype <U3"),
        (lambda: grad_input(ConvSpec((2,), 1), [1e300, 1e300], [1e300]), "grad_output",
         r"grad_output and kernel overflow float64"),
        (lambda: grad_kernel(ConvSpec((2,), 2), [1e300, 1e300], [1e300]), "x",
         r"x and grad_output overflow float64"),
        (lambda: grad_input(ConvSpec(100_000, 3), None, None), "spec",
         r"ConvSpec\(100000, 3\): grad_input\(\) needs 89,996,400,036 multiply-adds"),
        (lambda: overlap(ConvSpec(100_000, 1, transposed=True)), "spec",
         r"overlap\(\) would have 10,000,000,000 elements"),
    ],
)
def test_bad_input_raises(call, parameter, pattern):
    with pytest.raises(ParameterError, match=pattern) as caught:
        call()
    assert caught.value.parameter == parameter


# --------------------------------------------------------------------------------------
# Against torch autograd (skipped without torch, which this project never installs)
# --------------------------------------------------------------------------------------

TORCH_CASES = [
    ConvSpec(7, 3, stride=2, padding=1),
    ConvSpec((6,), 3, stride=2),  # the last unit gets zero
    ConvSpec((9,), 3, stride=2, padding=((2, 1),), dilation=2),
    ConvSpec((5, 6, 4), 2, stride=(1, 2, 1), padding=((1, 0), (0, 1), (1, 1))),
    ConvSpec((6, 5), 3, in_channels=4, out_channels=6, groups=2, padding=1, stride=2),
    ConvSpec((7,), 3, in_channels=3, out_channels=3, groups=3, dilation=2),
    ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1),
    ConvSpec((4,), 3, stride=3, padding=1, dilation=2, transposed=True, output_padding=2),
    ConvSpec((3, 4), 3, stride=2, transposed=True, in_channels=4, out_channels=2, groups=2),
    ConvSpec((2, 3, 2), 2, stride=(2, 1, 3), padding=(1, 0, 1), transposed=True,
             output_padding=(1, 0, 2), in_channels=2, out_channels=4, groups=2),
]


@pytest.mark.parametrize("spec", TORCH_CASES, ids=str)
def test_against_torch_autograd(spec):
    torch = pytest.importorskip("torch")
    f = torch.nn.functional
    rng = np.random.default_rng(3)
    x, w, gy = (
        rng.normal(size=shape) for shape in (spec.input_shape, spec.kernel_shape, spec.output_shape)
    )
    n, c = spec.ndim, spec.has_channels
    tx = torch.tensor(x if c else x[None]).reshape(1, spec.in_channels, *spec.input_size)
    tw = torch.tensor(w if c else w[None, None])
    tx.requires_grad_(True)
    tw.requires_grad_(True)
    if spec.transposed:
        assert all(b == a for b, a in spec.padding)
        y = getattr(f, f"conv_transpose{n}d")(
            tx, tw, stride=spec.stride, padding=tuple(b for b, _ in spec.padding),
            output_padding=spec.output_padding, groups=spec.groups, dilation=spec.dilation,
        )
    else:
        pads = [side for pair in reversed(spec.padding) for side in pair]  # F.pad: last axis first
        y = getattr(f, f"conv{n}d")(
            f.pad(tx, pads), tw, stride=spec.stride, dilation=spec.dilation, groups=spec.groups
        )
    np.testing.assert_allclose(spec.apply(x, w), y.detach().numpy().reshape(spec.output_shape),
                               rtol=1e-10, atol=1e-12)
    y.backward(torch.tensor(gy).reshape(y.shape))
    np.testing.assert_allclose(grad_input(spec, gy, w), tx.grad.numpy().reshape(spec.input_shape),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grad_kernel(spec, x, gy), tw.grad.numpy().reshape(spec.kernel_shape),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("spec", [s for s in TORCH_CASES if s.transposed], ids=str)
def test_overlap_against_torch_conv_transpose_of_ones(spec):
    torch = pytest.importorskip("torch")
    n = spec.ndim
    ones = getattr(torch.nn.functional, f"conv_transpose{n}d")(
        torch.ones(1, 1, *spec.input_size, dtype=torch.float64),
        torch.ones(1, 1, *spec.kernel_size, dtype=torch.float64),
        stride=spec.stride, padding=tuple(b for b, _ in spec.padding),
        output_padding=spec.output_padding, dilation=spec.dilation,
    )
    np.testing.assert_array_equal(overlap(spec), ones[0, 0].numpy())


def test_module_doctests_pass():
    import doctest

    import conv_anim.gradients as gradients

    result = doctest.testmod(gradients, verbose=False)
    assert result.attempted >= 5
    assert result.failed == 0
