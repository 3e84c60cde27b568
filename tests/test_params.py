"""Tests for conv_anim.params: strict per-axis values and the shared text parser."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conv_anim.params as params
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.params import parse_axes, parse_padding

# --------------------------------------------------------------------------------------
# Sizes: only ints, tuples and lists
# --------------------------------------------------------------------------------------

REFUSED_SIZES = [
    b"\x05\x05", bytearray(b"\x05\x05"), range(2), {5: 5}, {5, 7}, frozenset({5}),
    np.array([5, 5]), "55", memoryview(b"\x05\x05"), iter([5, 5]), None, 5.0, True,
]


@pytest.mark.parametrize("value", REFUSED_SIZES, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("name", ["input_size", "kernel_size", "stride", "dilation"])
def test_non_int_iterables_are_refused(name, value):
    kwargs = {"input_size": 5, "kernel_size": 3, name: value}
    with pytest.raises(ParameterError) as caught:
        ConvSpec(**kwargs)
    error = caught.value
    assert error.parameter == name and error.value is value
    assert str(error).startswith(f"{name}={value!r} ({type(value).__name__}) is not valid")


@pytest.mark.parametrize("value", [b"\x01", range(1), {1: 1}, np.array([1, 1])],
                         ids=lambda v: type(v).__name__)
def test_non_int_iterables_are_refused_for_padding(value):
    with pytest.raises(ParameterError, match="padding=") as caught:
        ConvSpec(5, 3, padding=value)
    assert caught.value.parameter == "padding"


def test_numpy_integers_and_lists_still_work():
    spec = ConvSpec(
        np.int64(5), [np.int32(3), 3], stride=(np.uint8(2), 1), padding=[np.int16(1), (0, 1)]
    )
    assert spec == ConvSpec((5, 5), (3, 3), (2, 1), ((1, 1), (0, 1)))
    assert all(type(v) is int for v in (*spec.input_size, *spec.kernel_size, *spec.stride))


def test_half_is_the_papers_same():
    half = ConvSpec(5, 3, padding="half")
    assert half == ConvSpec(5, 3, padding="same") == ConvSpec(5, 3, padding=1)
    assert ConvSpec((6,), 4, padding="half").padding == ((1, 2),)
    with pytest.raises(ParameterError, match=r"padding='half' needs stride 1") as caught:
        ConvSpec(5, 3, stride=2, padding="half")
    assert caught.value.parameter == "padding" and caught.value.value == "half"


# --------------------------------------------------------------------------------------
# ParameterError attributes and messages that speak of what was given
# --------------------------------------------------------------------------------------

ERRORS = [
    (dict(input_size=5, kernel_size=9), "kernel_size", (9, 9),
     "kernel_size 9 spans 9 but input_size 5 padded by 0 is only 5: the kernel must fit in the "
     "padded input"),
    (dict(input_size=5, kernel_size=3, dilation=3), "kernel_size", (3, 3),
     "kernel_size 3 dilated by 3 spans 7 but input_size 5 padded by 0 is only 5: the kernel must "
     "fit in the padded input"),
    (dict(input_size=(5, 9), kernel_size=7), "kernel_size", (7, 7),
     "kernel_size 7 spans 7 but input_size 5 padded by 0 is only 5 on axis 0: the kernel must fit "
     "in the padded input"),
    (dict(input_size=5, kernel_size=3, output_padding=1), "output_padding", 1,
     "output_padding=1 is only allowed with transposed=True: expected 0 for a direct convolution"),
    (dict(input_size=5, kernel_size=3, stride=2, transposed=True, output_padding=2),
     "output_padding", (2, 2),
     "output_padding=2 must be smaller than stride 2: expected 0 <= output_padding < 2"),
    (dict(input_size=5, kernel_size=3, groups=2), "groups", 2,
     "in_channels=1 is not divisible by groups=2: expected in_channels and out_channels to be "
     "multiples of groups"),
    (dict(input_size=(1,), kernel_size=3, padding=2, transposed=True), "padding", ((2, 2),),
     "a transposed convolution of input_size (1,) with kernel_size (3,) and padding ((2, 2),) "
     "would have an empty output (-1,): reduce the padding"),
    (dict(input_size=5, kernel_size=3, transposed="yes"), "transposed", "yes",
     "transposed='yes' (str) is not valid: expected True or False"),
]


@pytest.mark.parametrize(("kwargs", "parameter", "value", "message"), ERRORS,
                         ids=[str(e[0]) for e in ERRORS])
def test_errors_carry_parameter_value_and_allowed(kwargs, parameter, value, message):
    with pytest.raises(ParameterError) as caught:
        ConvSpec(**kwargs)
    error = caught.value
    assert str(error) == message
    assert error.parameter == parameter and error.value == value
    assert isinstance(error.allowed, str) and error.allowed


def test_equivalent_direct_of_a_direct_spec_names_transposed():
    with pytest.raises(ParameterError) as caught:
        ConvSpec(5, 3).equivalent_direct()
    assert caught.value.parameter == "transposed"


# --------------------------------------------------------------------------------------
# The text syntax shared by the command line and the Sphinx directive
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", (5,)), ("5x7", (5, 7)), ("5,7", (5, 7)), (" 5 x 7 ", (5, 7)), ("4X5x5", (4, 5, 5)),
     ("4, 5, 6", (4, 5, 6)), ("007", (7,))],
)
def test_parse_axes(text, expected):
    assert parse_axes(text, "input_size") == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "0", "5x0", "-1", "5x", "x5", "five", "1.5", "5x7x9x2", "5;7", "\u00b2", "\uff15"],
)
def test_parse_axes_refuses(text):
    with pytest.raises(ParameterError) as caught:
        parse_axes(text, "kernel_size")
    error = caught.value
    assert error.parameter == "kernel_size" and error.value == text
    assert str(error).startswith(f"kernel_size={text!r}")
    assert error.allowed.startswith("an int >= 1, or one per axis")


def test_parse_axes_minimum_and_non_text():
    assert parse_axes("0x1", "output_padding", minimum=0) == (0, 1)
    with pytest.raises(ParameterError, match=r"stride=5 is not valid"):
        parse_axes(5, "stride")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", (1,)), ("1,0", (1, 0)), ("1x0", (1, 0)), ("0:1", ((0, 1),)), ("1:2x0", ((1, 2), 0)),
     ("1 : 2 , 3:4", ((1, 2), (3, 4))), ("same", "same"), (" Half ", "half"), ("VALID", "valid"),
     ("full", "full"), ("0x0x1:0", (0, 0, (1, 0)))],
)
def test_parse_padding(text, expected):
    assert parse_padding(text) == expected


@pytest.mark.parametrize("text", ["", "sam", "1:", ":1", "1:2:3", "-1", "1x2x3x4", "1.0", "1;2"])
def test_parse_padding_refuses(text):
    with pytest.raises(ParameterError, match="valid, same, full, half") as caught:
        parse_padding(text, "padding")
    assert caught.value.parameter == "padding" and caught.value.value == text


@given(st.lists(st.integers(1, 99), min_size=1, max_size=3),
       st.sampled_from(["x", ",", " x ", "X"]))
def test_parse_axes_round_trips(values, separator):
    assert parse_axes(separator.join(map(str, values)), "input_size") == tuple(values)


@given(st.lists(st.one_of(st.integers(0, 9), st.tuples(st.integers(0, 9), st.integers(0, 9))),
                min_size=1, max_size=3))
def test_parsed_padding_builds_the_spec(items):
    text = "x".join(f"{i[0]}:{i[1]}" if isinstance(i, tuple) else str(i) for i in items)
    parsed = parse_padding(text)
    assert parsed == tuple(items)
    if len(items) > 1:
        spec = ConvSpec((20,) * len(items), 1, padding=parsed)
        assert spec.padding == tuple(i if isinstance(i, tuple) else (i, i) for i in items)


@pytest.mark.parametrize("text", ["9" * 5000, "5x" + "9" * 5000, "9" * 20])
def test_ints_of_more_than_19_digits_are_refused(text):
    """Found by the fuzz test: int() refuses more than 4300 digits with a plain
    ValueError, which crashed the MkDocs fence."""
    with pytest.raises(ParameterError) as caught:
        parse_axes(text, "input_size")
    assert caught.value.parameter == "input_size"
    with pytest.raises(ParameterError):
        parse_padding(f"{text}:1")
    assert parse_axes("9" * 19, "input_size") == (10**19 - 1,)


def test_module_doctests_pass():
    result = doctest.testmod(params, verbose=False)
    assert result.attempted >= 10
    assert result.failed == 0
