"""Tests for conv_anim.receptive: hand-worked receptive fields and a brute force.

The brute force follows ``Step.input_indices`` back through the layers, from one
output unit of the last layer to the stack's input units.
"""

from __future__ import annotations

import dataclasses
import doctest
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import conv_anim.receptive as receptive
from conv_anim.geometry import ConvSpec
from conv_anim.receptive import ReceptiveField, input_ranges, input_units, receptive_fields


def brute_dependencies(specs, output_index):
    """Input units of the stack one output unit depends on, through the steps' taps."""
    units = {tuple(output_index)}
    for spec in reversed(specs):
        steps = {step.output_index: step for step in spec.steps()}
        units = {j for o in units for j in steps[o].input_indices}
    return units


def product(per_axis):
    return set(itertools.product(*per_axis))


# --------------------------------------------------------------------------------------
# Hand-worked examples
# --------------------------------------------------------------------------------------


def test_wavenet_dilated_stack():
    # kernel 2, dilations 1, 2, 4, 8, no padding: 32 -> 31 -> 29 -> 25 -> 17
    stack = [
        ConvSpec((n,), 2, dilation=d)
        for n, d in zip((32, 31, 29, 25), (1, 2, 4, 8), strict=True)
    ]
    fields = receptive_fields(stack)
    assert [f.size for f in fields] == [(2,), (4,), (8,), (16,)]
    assert [f.jump for f in fields] == [(1,)] * 4
    assert [f.start for f in fields] == [(0.5,), (1.5,), (3.5,), (7.5,)]
    assert [f.output_size for f in fields] == [(31,), (29,), (25,), (17,)]
    assert fields[-1].first == (0,)
    assert input_ranges(stack, (3,)) == (range(3, 19),)
    # every unit of the window matters: the dilations tile it without holes
    assert input_units(stack, (3,)) == (tuple(range(3, 19)),)


def test_wavenet_causal_stack():
    # causal padding (d, 0) keeps the length; unit t sees t - 15 .. t
    stack = [ConvSpec((32,), 2, dilation=d, padding=((d, 0),)) for d in (1, 2, 4, 8)]
    field = receptive_fields(stack)[-1]
    assert (field.size, field.jump, field.start, field.first) == ((16,), (1,), (-7.5,), (-15,))
    assert input_ranges(stack, (20,)) == (range(5, 21),)
    assert input_ranges(stack, (0,)) == (range(0, 1),)
    assert input_units(stack, (0,)) == ((0,),)
    assert input_units(stack, (31,)) == (tuple(range(16, 32)),)


def test_two_3x3_convolutions():
    fields = receptive_fields([ConvSpec(7, 3), ConvSpec(5, 3)])
    assert [f.size for f in fields] == [(3, 3), (5, 5)]
    assert fields[-1].jump == (1, 1)
    assert fields[-1].start == (2.0, 2.0)
    assert fields[-1].window((1, 2)) == (range(1, 6), range(2, 7))


def test_conv_conv_pool():
    stack = [ConvSpec(8, 3), ConvSpec(6, 3), ConvSpec(4, 2, stride=2)]
    field = receptive_fields(stack)[-1]
    assert (field.size, field.jump, field.start) == ((6, 6), (2, 2), (2.5, 2.5))
    assert field.output_size == (2, 2) and field.input_size == (8, 8)
    assert input_ranges(stack, (1, 1)) == (range(2, 8), range(2, 8))


def test_padded_stack_is_clipped_to_the_input():
    stack = [ConvSpec(5, 3, padding=1), ConvSpec(5, 3, padding=1)]
    field = receptive_fields(stack)[-1]
    assert (field.size, field.start, field.first) == ((5, 5), (0.0, 0.0), (-2, -2))
    assert input_ranges(stack, (0, 4)) == (range(0, 3), range(2, 5))
    assert input_units(stack, (0, 4)) == ((0, 1, 2), (2, 3, 4))


def test_strides_and_dilation_leave_holes():
    # 1x1 stride 2, then kernel 2: the window spans 3 units, the middle one unused
    stack = [ConvSpec((8,), 1, stride=2), ConvSpec((4,), 2)]
    assert receptive_fields(stack)[-1].size == (3,)
    assert input_ranges(stack, (1,)) == (range(2, 5),)
    assert input_units(stack, (1,)) == ((2, 4),)
    assert input_units([ConvSpec((9,), 2, dilation=4)], (0,)) == ((0, 4),)


def test_intermediate_boundaries_are_followed():
    # Layer 0 never reaches input unit 5 (floor division); layer 1's tap at its
    # position 2 is padding. The window (clipped to the input) still contains 5.
    stack = [ConvSpec((6,), 3, stride=2), ConvSpec((2,), 3, padding=1)]
    assert input_ranges(stack, (1,)) == (range(0, 6),)
    assert input_units(stack, (1,)) == ((0, 1, 2, 3, 4),)
    assert brute_dependencies(stack, (1,)) == product(input_units(stack, (1,)))


def test_empty_dependencies_when_a_window_is_all_padding():
    stack = [ConvSpec((3,), 2, padding=((4, 0),))]
    assert input_ranges(stack, (0,)) == (range(0, 0),)
    assert input_units(stack, (0,)) == ((),)
    two = [ConvSpec((3, 3), 2, padding=((4, 0), (0, 0)))]
    assert product(input_units(two, (0, 0))) == set() == brute_dependencies(two, (0, 0))


def test_stack_from_keras_layers():
    conv1d = type("Conv1D", (), {"__module__": "keras.layers"})
    stack, size = [], (64,)
    for d in (1, 2, 4, 8, 16):
        layer = conv1d()
        layer.__dict__.update(
            kernel_size=(2,), strides=(1,), padding="causal", dilation_rate=(d,), filters=4,
            groups=1, data_format="channels_last",
            kernel=SimpleNamespace(shape=(2, 4 if stack else 1, 4)),
        )
        stack.append(ConvSpec.from_layer(layer, size))
        size = stack[-1].output_size
    assert receptive_fields(stack)[-1].size == (32,)
    assert input_ranges(stack, (40,)) == (range(9, 41),)


# --------------------------------------------------------------------------------------
# Against the brute force
# --------------------------------------------------------------------------------------


@st.composite
def stacks(draw, padded=True):
    ndim = draw(st.integers(1, 2))
    size = draw(st.tuples(*[st.integers(3, 12 if ndim == 1 else 7)] * ndim))
    axis = lambda hi, lo=1: st.tuples(*[st.integers(lo, hi)] * ndim)  # noqa: E731
    pair = st.tuples(st.integers(0, 2), st.integers(0, 2)) if padded else st.just((0, 0))
    specs = []
    for _ in range(draw(st.integers(1, 4))):
        try:
            spec = ConvSpec(size, draw(axis(3)), draw(axis(2)), draw(st.tuples(*[pair] * ndim)),
                            draw(axis(2)))
        except ValueError:
            break
        specs.append(spec)
        size = spec.output_size
    assume(specs)
    return specs


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@SETTINGS
@given(stacks())
def test_input_units_match_brute_force(specs):
    last = specs[-1].output_size
    for output_index in itertools.product(*(range(n) for n in last)):
        brute = brute_dependencies(specs, output_index)
        assert product(input_units(specs, output_index)) == brute
        window = input_ranges(specs, output_index)
        assert brute <= product(window)


@SETTINGS
@given(stacks(padded=False))
def test_window_is_the_hull_without_padding(specs):
    """Without padding the first and last taps are real on every layer: the hull is the window."""
    fields = receptive_fields(specs)
    last = specs[-1].output_size
    for output_index in itertools.product(*(range(n) for n in last)):
        brute = brute_dependencies(specs, output_index)
        hull = tuple(
            range(min(u[a] for u in brute), max(u[a] for u in brute) + 1)
            for a in range(len(last))
        )
        assert input_ranges(specs, output_index) == hull
        assert tuple(len(r) for r in hull) == fields[-1].size


@SETTINGS
@given(stacks())
def test_recurrences_match_closed_forms(specs):
    """r = 1 + sum (k - 1) * j, j = prod s, first = -sum p * j, start = first + (r - 1) / 2."""
    fields = receptive_fields(specs)
    for n, field in enumerate(fields):
        for a in range(specs[0].ndim):
            jumps = [1]
            for spec in specs[: n + 1]:
                jumps.append(jumps[-1] * spec.stride[a])
            layers = specs[: n + 1]
            assert field.jump[a] == jumps[-1]
            assert field.size[a] == 1 + sum(
                (s.effective_kernel_size[a] - 1) * j for s, j in zip(layers, jumps, strict=False)
            )
            assert field.first[a] == -sum(
                s.padding[a][0] * j for s, j in zip(layers, jumps, strict=False)
            )
            assert field.start[a] == field.first[a] + (field.size[a] - 1) / 2


# --------------------------------------------------------------------------------------
# Errors and values
# --------------------------------------------------------------------------------------

BAD = [
    (lambda: receptive_fields([]),
     r"specs=\[\] is not valid: expected a non-empty sequence of ConvSpec"),
    (lambda: receptive_fields(ConvSpec(5, 3)),
     r"specs=ConvSpec\(.*\) is not valid: expected a non-empty sequence"),
    (lambda: receptive_fields(iter([ConvSpec(5, 3)])),
     r"expected a non-empty sequence of ConvSpec"),
    (lambda: receptive_fields([ConvSpec(5, 3), "conv"]),
     r"specs\[1\]='conv' \(str\) is not valid: expected a ConvSpec"),
    (lambda: receptive_fields([ConvSpec(3, 3, transposed=True)]),
     r"specs\[0\] is transposed, which is not supported: .*expected transposed=False"),
    (lambda: receptive_fields([ConvSpec(5, 3), ConvSpec(4, 3)]),
     r"specs\[1\]\.input_size=\(4, 4\) does not match specs\[0\]\.output_size=\(3, 3\): "
     r"expected each "
     r"layer's input_size to equal the previous layer's output_size"),
    (lambda: receptive_fields([ConvSpec((5,), 3), ConvSpec(3, 3)]),
     r"specs\[1\]\.input_size=\(3, 3\) does not match specs\[0\]\.output_size=\(3,\)"),
    (lambda: input_ranges([ConvSpec(5, 3)], (3, 0)),
     r"output_index=\(3, 0\) is not valid: expected a tuple of 2 ints with 0 <= index < \(3, 3\)"),
    (lambda: input_ranges([ConvSpec(5, 3)], (0,)), r"output_index=\(0,\) is not valid"),
    (lambda: input_units([ConvSpec(5, 3)], (0, -1)), r"output_index=\(0, -1\) is not valid"),
    (lambda: input_units([ConvSpec(5, 3)], (0, True)), r"output_index=\(0, True\) is not valid"),
    (lambda: input_units([ConvSpec(5, 3)], 0), r"output_index=0 is not valid"),
    (lambda: input_units([ConvSpec(5, 3)], "00"), r"output_index='00' is not valid"),
    (lambda: receptive_fields([ConvSpec(5, 3)])[0].window((0, 0.0)),
     r"output_index=\(0, 0\.0\) is not valid"),
]


@pytest.mark.parametrize(("call", "match"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_fields_are_frozen_values():
    field = receptive_fields([ConvSpec(5, 3)])[0]
    assert field == ReceptiveField(
        layer=0, input_size=(5, 5), output_size=(3, 3), size=(3, 3), jump=(1, 1), start=(1.0, 1.0)
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        field.size = (1, 1)  # type: ignore[misc]
    assert input_ranges([ConvSpec(5, 3)], [2, 1]) == (range(2, 5), range(1, 4))  # a list is fine


def test_module_doctests_pass():
    result = doctest.testmod(receptive, verbose=False)
    assert result.attempted >= 6
    assert result.failed == 0
