"""Tests for conv_anim.solve: the size solver, the sizes that share an output, the text.

The references are written here: PyTorch's output-size formulas, the search bounds
the module documents, and what a convolution computes (its windows, or for a
transposed one where each input unit scatters), so that answers that compute the
same thing are recognised without the module's own key.
"""

from __future__ import annotations

import doctest
import itertools

import pytest

import conv_anim.solve as solve_module
from conv_anim import notation
from conv_anim.cli import parser
from conv_anim.cli.messages import options_of
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.request import build_spec
from conv_anim.solve import (
    DEFAULT_LIMIT,
    MAX_ANSWERS,
    same_output_sizes,
    solve,
    solve_lines,
)

KERNELS, STRIDES, DILATIONS = range(1, 8), range(1, 5), range(1, 5)


# --------------------------------------------------------------------------- references


def direct_size(i, k, s, before, after, d):
    """PyTorch's conv output size, or None if the kernel does not fit."""
    span = d * (k - 1) + 1
    if i + before + after < span:
        return None
    return (i + before + after - span) // s + 1


def transposed_size(i, k, s, before, after, d, a):
    """PyTorch's conv_transpose output size."""
    return (i - 1) * s - before - after + d * (k - 1) + 1 + a


def brute_force(i, o, transposed, k=None, s=None, d=None, pads=None):
    """Every (k, s, (before, after), d, a) of the documented search giving o from i."""
    found = []
    for kernel in KERNELS if k is None else (k,):
        for dilation in (DILATIONS if kernel > 1 else (1,)) if d is None else (d,):
            span = dilation * (kernel - 1)
            for stride in STRIDES if s is None else (s,):
                sides = range(span + 1)
                pairs = itertools.product(sides, sides) if pads is None else [pads]
                for before, after in pairs:
                    if not transposed:
                        if direct_size(i, kernel, stride, before, after, dilation) == o:
                            found.append((kernel, stride, (before, after), dilation, 0))
                        continue
                    if before > span or after > span:
                        continue
                    for a in range(max(stride, dilation)):
                        size = transposed_size(i, kernel, stride, before, after, dilation, a)
                        if size == o:
                            found.append((kernel, stride, (before, after), dilation, a))
    return found


def computation(i, transposed, k, s, pads, d, a):
    """What a 1-D convolution computes: its windows, or where each input unit lands."""
    before, after = pads
    if transposed:
        return tuple(tuple(j * s + t * d - before for t in range(k)) for j in range(i))
    o = direct_size(i, k, s, before, after, d)
    return tuple(tuple(n * s + t * d - before for t in range(k)) for n in range(o))


def simplicity(k, s, pads, d, a):
    """The documented order: dilated, asymmetric, kernel, stride, padding, dilation, a, before."""
    before, after = pads
    return (int(d > 1), int(before != after), k, s, before + after, d, a, before)


def axis(spec, n=0):
    return (spec.kernel_size[n], spec.stride[n], spec.padding[n], spec.dilation[n],
            spec.output_padding[n])


# --------------------------------------------------------------------------- the solver


QUESTIONS = [
    (64, 32, False), (64, 63, False), (64, 64, False), (7, 3, False), (5, 1, False),
    (1, 1, False), (9, 4, False), (10, 10, False), (32, 64, True), (3, 5, True), (3, 6, True),
    (4, 9, True), (1, 3, True), (5, 5, True), (2, 1, True), (6, 13, True),
]


@pytest.mark.parametrize(("i", "o", "transposed"), QUESTIONS)
def test_solve_finds_every_computation_once_simplest_first(i, o, transposed):
    reference = brute_force(i, o, transposed)
    specs = solve((i,), (o,), transposed=transposed, limit=None)
    answers = [axis(spec) for spec in specs]
    for spec in specs:
        assert spec.output_size == (o,) and spec.transposed is transposed
    assert set(answers) <= set(reference)
    keys = [computation(i, transposed, *answer) for answer in answers]
    assert len(set(keys)) == len(keys), "two answers compute the same thing"
    simplest = {}
    for found in reference:
        key = computation(i, transposed, *found)
        simplest[key] = min(simplest.get(key, simplicity(*found)), simplicity(*found))
    assert set(keys) == set(simplest)
    # Each answer is the simplest of those computing the same, and they come in order.
    for answer, key in zip(answers, keys, strict=True):
        assert simplicity(*answer) == simplest[key]
    ranks = [simplicity(*answer) for answer in answers]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(("i", "o", "transposed"), [(5, 3, False), (4, 2, False), (3, 5, True),
                                                    (2, 4, True), (3, 3, True)])
def test_solve_agrees_with_convspec_construction(i, o, transposed):
    """A brute force over what ConvSpec accepts (padding one beyond the bounds included)."""
    for k, s, d in itertools.product(range(1, 4), range(1, 4), (1, 2)):
        if k == 1 and d > 1:
            continue
        span = d * (k - 1)
        found = set()
        for before, after, a in itertools.product(range(span + 2), range(span + 2),
                                                  range(max(s, d) + 1)):
            if (not transposed and (a or before > span or after > span)):
                continue
            try:
                spec = ConvSpec((i,), k, s, ((before, after),), d, transposed=transposed,
                                output_padding=a)
            except ValueError:
                continue
            if spec.output_size == (o,):
                found.add(computation(i, transposed, k, s, (before, after), d, a))
        specs = solve((i,), (o,), kernel_size=k, stride=s, dilation=d, transposed=transposed,
                      limit=None)
        assert {computation(i, transposed, *axis(spec)) for spec in specs} == found


def test_64_in_63_out_and_other_everyday_questions():
    assert [s.padding for s in solve((64,), (63,), kernel_size=3, dilation=1)] == [
        ((0, 1),), ((1, 0),)
    ]
    assert [axis(s) for s in solve((64,), (63,), dilation=1, limit=3)] == [
        (2, 1, (0, 0), 1, 0), (4, 1, (1, 1), 1, 0), (6, 1, (2, 2), 1, 0)
    ]
    down = solve(64, 32, kernel_size=3)[0]
    assert (down.stride, down.padding) == ((2, 2), ((1, 1), (1, 1)))
    up = solve(32, 64, kernel_size=3, stride=2, transposed=True)  # PyTorch's and Keras' ways
    assert [(s.padding[0], s.output_padding[0]) for s in up[:2]] == [((1, 1), 1), ((0, 1), 0)]
    assert solve(32, 64, kernel_size=4, stride=2, transposed=True)[0].padding == ((1, 1),) * 2
    assert solve((64,), (63,), kernel_size=1, stride=1) == ()


def test_given_values_are_used_as_given_even_beyond_the_bounds():
    specs = solve((227,), (55,), kernel_size=11, stride=4, dilation=1)  # AlexNet's first layer
    assert [s.padding for s in specs] == [((0, 0),), ((1, 1),), ((2, 0),), ((3, 0),)]
    assert all(s.kernel_size == (11,) and s.stride == (4,) for s in specs)
    assert {axis(s) for s in specs} <= set(brute_force(227, 55, False, k=11, s=4, d=1))
    assert solve((10,), (10,), kernel_size=3, padding="same") == tuple(
        ConvSpec((10,), 3, 1, "same", d) for d in (1, 2, 3, 4)
    )
    assert solve((10,), (12,), kernel_size=3, padding="full", dilation=1) == (
        ConvSpec((10,), 3, 1, 2),
    )
    assert solve((10,), (8,), kernel_size=3, padding="valid", dilation=1) == (ConvSpec((10,), 3),)
    assert solve((10,), (9,), padding=((0, 1),), dilation=1) == (ConvSpec((10,), 3, 1, ((0, 1),)),)
    assert solve((7,), (3,), kernel_size=3, dilation=2, padding=0) == (ConvSpec((7,), 3, 1, 0, 2),)


def test_a_square_question_gets_square_answers():
    square = solve(64, 32, limit=None)
    lines = solve((64,), (32,), limit=None)
    assert [s.input_size for s in square] == [(64, 64)] * len(lines)
    for spec, line in zip(square, lines, strict=True):
        assert axis(spec, 0) == axis(spec, 1) == axis(line)


@pytest.mark.parametrize(("sizes", "outputs", "given"), [
    ((6, 5), (3, 5), {"dilation": 1}), ((7, 4, 5), (3, 4, 2), {"kernel_size": 3, "dilation": 1}),
    ((8, 8), (4, 4), {"kernel_size": (3, 1)}),
    ((3, 4), (6, 8), {"transposed": True, "dilation": 1, "stride": 2}),
])
def test_different_axes_combine_simplest_first(sizes, outputs, given):
    per_axis = [solve((i,), (o,), limit=None, **{
        name: value[n] if isinstance(value, tuple) else value for name, value in given.items()
    }) for n, (i, o) in enumerate(zip(sizes, outputs, strict=True))]
    everything = solve(sizes, outputs, limit=None, **given)
    assert len(everything) == len({tuple(map(axis, combo)) for combo in
                                   itertools.product(*per_axis)})

    def rank(spec):
        return tuple(map(sum, zip(*(simplicity(*axis(spec, n)) for n in range(spec.ndim)),
                                  strict=True)))

    expected = sorted(
        (tuple(map(sum, zip(*(simplicity(*axis(a)) for a in combo), strict=True))),
         tuple(axis(a) for a in combo))
        for combo in itertools.product(*per_axis)
    )
    assert [rank(spec) for spec in everything] == [key for key, _ in expected]
    assert {tuple(axis(s, n) for n in range(s.ndim)) for s in everything} == {
        answers for _, answers in expected
    }
    for spec in everything:
        assert spec.output_size == outputs
    assert solve(sizes, outputs, limit=7, **given) == everything[:7]


def test_limit():
    assert len(solve(64, 32)) == DEFAULT_LIMIT < len(solve(64, 32, limit=None))
    assert solve(64, 32, limit=3) == solve(64, 32, limit=None)[:3]
    with pytest.raises(ParameterError) as error:
        solve((64, 60, 56), (32, 30, 28), limit=None)  # about 200 answers per axis
    assert error.value.parameter == "limit" and str(MAX_ANSWERS) in str(error.value)


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"input_size": 0}, "input_size"), ({"input_size": (1, 2, 3, 4)}, "input_size"),
    ({"input_size": 5.0}, "input_size"), ({"output_size": (3, 3, 3)}, "output_size"),
    ({"output_size": True}, "output_size"), ({"kernel_size": 0}, "kernel_size"),
    ({"kernel_size": (3,)}, "kernel_size"), ({"stride": "2"}, "stride"),
    ({"dilation": -1}, "dilation"), ({"padding": "half"}, "padding"),
    ({"padding": -1}, "padding"), ({"padding": ((0, 1, 2), (0, 1))}, "padding"),
    ({"padding": "same", "stride": 2}, "padding"), ({"transposed": 1}, "transposed"),
    ({"limit": 0}, "limit"), ({"limit": 2.5}, "limit"),
])
def test_invalid_arguments_name_the_parameter(kwargs, parameter):
    arguments = {"input_size": (5, 5), "output_size": (3, 3), **kwargs}
    with pytest.raises(ParameterError) as error:
        solve(**arguments)
    assert error.value.parameter == parameter
    assert parameter in str(error.value)


# --------------------------------------------------------------------------- same output


@pytest.mark.parametrize(("k", "s", "pads", "d"), [
    (3, 2, (1, 1), 1), (3, 3, (0, 0), 1), (1, 2, (0, 0), 1), (2, 4, (1, 0), 1), (3, 2, (0, 2), 2),
    (4, 1, (1, 2), 1), (3, 3, (2, 2), 1), (2, 3, (0, 0), 2),
])
@pytest.mark.parametrize("i", [1, 5, 6, 9])
def test_same_output_sizes_of_a_direct_convolution(i, k, s, pads, d):
    try:
        spec = ConvSpec((i,), k, s, (pads,), d)
    except ValueError:
        return
    expected = []
    for n in range(1, i + 2 * s + d * k + 5):
        try:
            other = ConvSpec((n,), k, s, (pads,), d)
        except ValueError:
            continue
        if other.output_size == spec.output_size:
            expected.append((n, tuple(index for (index,) in other.uncovered_inputs())))
    choices = same_output_sizes(spec)[0]
    assert [(c.size, c.unreached) for c in choices] == expected
    assert spec.input_size[0] in [c.size for c in choices]
    for choice in choices:  # the output padding that makes the transpose give it back
        back = transposed_size(spec.output_size[0], k, s, *pads, d, choice.output_padding)
        assert back == choice.size and 0 <= choice.output_padding < s


@pytest.mark.parametrize(("i", "k", "s", "pads", "d", "a"), [
    (3, 3, 2, (1, 1), 1, 1), (4, 3, 3, (0, 0), 1, 2), (5, 4, 2, (1, 2), 1, 0),
    (2, 2, 3, (0, 1), 1, 0), (4, 3, 1, (0, 0), 2, 1), (1, 3, 2, (0, 0), 1, 1),
])
def test_same_output_sizes_of_a_transposed_convolution(i, k, s, pads, d, a):
    spec = ConvSpec((i,), k, s, (pads,), d, transposed=True, output_padding=a)
    choices = same_output_sizes(spec)[0]
    expected = []
    for extra in range(s):  # the output paddings below the stride: each one's size
        size = transposed_size(i, k, s, *pads, d, extra)
        if size >= 1:
            expected.append(size)
            assert ConvSpec((size,), k, s, (pads,), d).output_size == (i,)
    assert [c.size for c in choices] == expected
    smallest = transposed_size(i, k, s, *pads, d, 0)
    assert [c.output_padding for c in choices] == [n - smallest for n in expected]
    for choice in choices:
        direct = ConvSpec((choice.size,), k, s, (pads,), d)
        assert choice.unreached == tuple(index for (index,) in direct.uncovered_inputs())
    assert (spec.output_size[0] in expected) == (a < s)


def test_same_output_sizes_per_axis():
    spec = ConvSpec((6, 5), (3, 1), stride=(2, 3))
    rows, columns = same_output_sizes(spec)
    assert rows == same_output_sizes(ConvSpec((6,), 3, 2))[0]
    assert columns == same_output_sizes(ConvSpec((5,), 1, 3))[0]
    assert [(c.size, c.unreached) for c in columns] == [(4, (1, 2)), (5, (1, 2, 4)),
                                                        (6, (1, 2, 4, 5))]


# --------------------------------------------------------------------------- text


#: The command line's parser, built once for the many commands parsed here.
PARSER = parser()


def parsed(command):
    """The spec the CLI builds from a ``conv-anim conv ...`` command line."""
    words = command.split()
    assert words[:2] == ["conv-anim", "conv"]
    if "-o" not in words:
        words += ["-o", "x.gif"]
    return build_spec(options_of(PARSER.parse_args(words[1:])))


def _specs():
    for size, k, s, pad, d, transposed, a in itertools.product(
        [(5,), (5, 7), (4, 4, 4), (6, 6)], [1, 3, (3, 1, 2)], [1, 2], [0, 1, (0, 1), "full"],
        [1, 2], [False, True], [0, 1],
    ):
        try:
            yield ConvSpec(size, k[: len(size)] if isinstance(k, tuple) else k, s, pad, d,
                           transposed=transposed, output_padding=a)
        except ValueError:
            continue


def test_commands_round_trip_through_the_cli():
    count = 0
    for spec in _specs():
        command = notation.command(spec)
        assert parsed(command) == spec, command
        count += 1
    assert count > 200
    asymmetric = ConvSpec((5, 6), 3, padding=((0, 1), (1, 1)))
    assert "-p 0:1x1" in notation.command(asymmetric)
    assert parsed(notation.command(asymmetric)) == asymmetric
    grouped = ConvSpec(5, 3, in_channels=4, out_channels=8, groups=2)
    assert parsed(notation.command(grouped)) == grouped
    assert solve_lines(64, 32, kernel_size=3, limit=1)[1].endswith("--max-frames 1024 -o conv.gif")


def test_solve_lines_print_the_answers_as_commands():
    lines = solve_lines(64, 32, kernel_size=3, limit=4)
    assert lines[0].startswith("# 64 -> 32 (kernel_size=3): ") and "simplest first" in lines[0]
    assert [parsed(line) for line in lines[1:5]] == list(solve(64, 32, kernel_size=3, limit=4))
    assert lines[5].startswith("# ") and "raise the limit (4)" in lines[5]
    assert len(lines) == 6
    everything = solve_lines((9,), (4,), stride=2, dilation=1, limit=None)
    assert [parsed(line) for line in everything[1:]] == list(
        solve((9,), (4,), stride=2, dilation=1, limit=None)
    )
    up = solve_lines(3, 6, kernel_size=3, stride=2, transposed=True, limit=1)
    assert "transposed convolution" in up[0]
    assert up[1] == "conv-anim conv -i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1 -o conv.gif"


def test_solve_lines_say_when_nothing_is_found():
    assert solve_lines((64,), (63,), kernel_size=1, stride=1) == [
        "# no convolution maps 64 -> 63 (kernel_size=1, stride=1) within the search: "
        "kernel_size <= 7, stride <= 4, dilation <= 4 unless given, padding <= dilation * "
        "(kernel_size - 1)"
    ]
    with pytest.raises(ParameterError):
        solve_lines(0, 3)


def test_a_padding_search_too_large_is_refused_before_it_runs():
    """Found by the fuzz test: ``solve -i 1 -k 1000000 -o 1`` listed every (before,
    after) pair up to d(k - 1), 10**12 of them: a MemoryError."""
    with pytest.raises(ParameterError, match=r"would try 119,999,840,000,056 paddings") as e:
        solve(1, 1, kernel_size=10**6)
    assert e.value.parameter == "padding"
    assert solve(10**6, 1, kernel_size=10**6, padding=0)  # a given padding: one try
    # every (before, after) up to d(k - 1), for dilations 1 to 4 and strides 1 to 4
    question = solve_module._Question(9, 9, 99, None, None, None, False)
    assert question.tries() == 4 * sum((d * 98 + 1) ** 2 for d in range(1, 5))


def test_module_doctests_pass():
    result = doctest.testmod(solve_module, verbose=False)
    assert result.attempted > 0 and result.failed == 0
