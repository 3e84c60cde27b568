"""Tests for conv_anim.limits: O(1) estimates equal the counts, refusals before allocating.

Nothing here is timed (benchmarks are not tests): a refusal that allocated or looped
per cell first would exhaust memory or the test run's patience on these sizes.
"""

from __future__ import annotations

import doctest
import subprocess
import sys
from math import prod
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import conv_anim.limits as limits
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec


@st.composite
def specs(draw):
    ndim = draw(st.integers(1, 3))
    axis = lambda hi, lo=1: st.tuples(*[st.integers(lo, hi)] * ndim)  # noqa: E731
    transposed = draw(st.booleans())
    groups = draw(st.integers(1, 2))
    kwargs = {
        "in_channels": groups * draw(st.integers(1, 2)),
        "out_channels": groups * draw(st.integers(1, 2)),
        "groups": groups,
        "transposed": transposed,
    }
    try:
        spec = ConvSpec(draw(axis(5)), draw(axis(3)), draw(axis(2)), draw(axis(1, 0)), **kwargs)
    except ValueError:
        assume(False)
    return spec


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(specs())
def test_estimates_equal_the_counts(spec):
    steps = list(spec.steps())
    assert limits.step_count(spec) == len(steps) == len(spec.steps())
    assert limits.estimate_frames(spec) == spec.out_channels * len(steps)
    assert limits.estimate_frames(spec, "scatter") == prod(spec.input_size)
    assert limits.grid_cells(spec) == prod(spec.grid.size)
    assert limits.drawn_cells(spec) == (
        spec.in_channels * prod(spec.grid.size) + spec.out_channels * prod(spec.output_size)
    )
    w = np.ones(spec.kernel_shape)
    assert limits.matrix_entries(spec) == spec.matrix(w).size
    # apply's multiply-adds: every tap of every step, once per (output channel, input
    # channel of its group); pooling: once per channel
    taps = sum(len(step.taps) for step in steps)
    assert limits.apply_work(spec) == taps * spec.out_channels * (spec.in_channels // spec.groups)
    assert limits.apply_work(spec, "max") == taps * spec.out_channels


# --------------------------------------------------------------------------------------
# Refusals: the cases, each raising at once
# --------------------------------------------------------------------------------------


def test_steps_of_a_huge_spec_are_lazy():
    steps = ConvSpec(3000, 3).steps()
    assert len(steps) == 8_988_004
    assert steps[-1].output_index == (2997, 2997)
    assert steps[-1].input_indices[-1] == (2999, 2999)
    billion = ConvSpec((10**9,), 3).steps()
    assert len(billion) == 10**9 - 2
    assert billion[123_456_789].window_start == (123_456_789,)


def test_matrix_refuses_above_its_limit():
    spec = ConvSpec(300, 3)
    with pytest.raises(ParameterError) as caught:
        spec.matrix(np.ones((3, 3)))
    error = caught.value
    assert str(error).startswith(
        "ConvSpec(300, 3).matrix() would have 88,804 x 90,000 = 7,992,360,000 entries (59.5 GiB"
    )
    assert error.parameter == "spec" and error.value == spec
    assert error.allowed == f"at most {limits.MAX_MATRIX_ENTRIES:,} matrix entries"


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        # checked before x is even looked at
        (lambda: ConvSpec(100_000, 3).apply(None, 1),
         r"apply\(\) needs 89,996,400,036 multiply-adds"),
        (lambda: ConvSpec((10**9,), 3).apply(None, op="max"), r"apply\(\) needs 2,999,999,994"),
        (lambda: ConvSpec((64, 64, 64), 3, in_channels=64, out_channels=64).apply(None, 1),
         r"needs 26,357,170,176 multiply-adds"),
        # a transposed output much bigger than its input
        (lambda: ConvSpec(1000, 1, stride=10, transposed=True).apply(None, 1),
         r"apply\(\): the output would have 99,820,081 elements \(761.6 MiB of float64\)"),
        (lambda: ConvSpec((10**8,), 1).grad_kernel(None, None),
         r"grad_kernel\(\): the input would have 100,000,000 elements"),
        (lambda: ConvSpec((10**9,), 1).uncovered_inputs(),
         r"an axis would list 1,000,000,000 cells"),
        (lambda: ConvSpec((2_000_000,), 1, stride=2).uncovered_positions(),
         r"an axis would list 2,000,000 cells to scan"),
        (lambda: ConvSpec(1500, 1, stride=2).uncovered_positions(),
         r"ConvSpec\(1500, 1, stride=2\)\.uncovered_positions\(\) would list 1,687,500 grid cells"),
        (lambda: ConvSpec(1001, 1).grid.unit_positions(), r"would list 1,002,001 real input units"),
    ],
)
def test_refusals_name_the_quantity(call, pattern):
    with pytest.raises(ParameterError, match=pattern) as caught:
        call()
    assert caught.value.parameter == "spec"


@pytest.mark.parametrize("spec", [
    ConvSpec(10**9, 3), ConvSpec((10**6,), 1), ConvSpec((101,) * 3, 1),
    ConvSpec(3, 2, stride=10**6, transposed=True),  # 9 units, stretched over 4e12 cells
])
def test_figures_above_max_drawn_cells_are_refused_before_drawing(spec):
    """Found by the fuzz test: animate() built the scene first (a MemoryError, or minutes
    for 1-D and 3-D figures, whose cells shrink instead of the frame growing)."""
    from conv_anim import animate

    with pytest.raises(ParameterError, match=r"MAX_DRAWN_CELLS") as caught:
        animate(spec, steps=slice(None))  # the steps are not listed first either
    assert caught.value.parameter == "input_size"
    assert limits.check_drawn_cells(ConvSpec((70,) * 3, 1)) == 2 * 70**3


def test_steps_refuse_what_a_sequence_cannot_hold_or_list():
    """Found by the fuzz test: len() of the steps of a 3-D spec of 10**9 a side raised
    OverflowError, and reading a step of a 10**4 x 10**4 kernel built 10**8 taps."""
    with pytest.raises(ParameterError, match=r"at most sys.maxsize"):
        ConvSpec((10**9,) * 3, 1).steps()
    steps = ConvSpec(10**4, 10**4).steps()
    assert len(steps) == 1
    with pytest.raises(ParameterError, match=r"step 0 would list 100,000,000 kernel taps"):
        steps[0]  # noqa: B018 - reading the step is the test


def test_coverage_of_big_specs_is_computed_per_axis():
    assert ConvSpec(3000, 3).uncovered_positions() == ()
    assert ConvSpec(3000, 3).uncovered_inputs() == ()
    odd = ConvSpec((3001, 3000), 3, stride=2)  # the last column is never reached
    assert odd.uncovered_inputs() == tuple((r, 2999) for r in range(3001))
    assert ConvSpec((10**5,), 3, stride=2, padding=((0, 2),)).uncovered_positions() == ((100_001,),)


def test_check_frames():
    assert limits.check_frames(ConvSpec(5, 3)) == 9
    assert limits.check_frames(ConvSpec(5, 3, out_channels=2), max_frames=18) == 18
    with pytest.raises(ParameterError) as caught:
        limits.check_frames(ConvSpec(500, 3, out_channels=2))
    assert str(caught.value) == (
        "ConvSpec(500, 3, out_channels=2) has 496,008 frames (one per output cell and output "
        "channel): expected at most max_frames=1,000 frames"
    )
    assert caught.value.parameter == "max_frames"
    scatter = ConvSpec(40, 3, stride=2, transposed=True)
    assert limits.estimate_frames(scatter, "scatter") == 1600
    with pytest.raises(ParameterError, match="1,600 frames \\(one per input cell\\)"):
        limits.check_frames(scatter, "scatter")
    with pytest.raises(ParameterError, match=r"view='grid' \(str\) is not valid: expected one of "
                                             r"'direct', 'scatter'"):
        limits.estimate_frames(scatter, "grid")


def test_limits_module_is_pure():
    code = (
        "import sys, conv_anim.limits\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'numpy'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.stdout.strip() == "[]"


def test_module_doctests_pass():
    result = doctest.testmod(limits, verbose=False)
    assert result.attempted >= 10
    assert result.failed == 0
