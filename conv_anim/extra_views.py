"""The views beyond the paper's figure, checked: the overlap and the matrix in motion.

``animate(spec, view="overlap")`` accumulates a transposed convolution's overlap
(:meth:`ConvSpec.overlap`) one input unit at a time;
``animate(spec, view="matrix")`` draws the grid figure beside the paper's matrix C
(Cᵀ for a transposed convolution). :func:`check_view` refuses, before anything is
drawn, what these views cannot draw; :func:`interior_counts` says how evenly the
taps overlap, in numbers (the words are :func:`conv_anim.notation.evenness`).

The module is numpy-free and matplotlib-free.

>>> from conv_anim import ConvSpec
>>> interior_counts(ConvSpec(4, 3, stride=2, transposed=True))
(1, 2, 4)
>>> check_view(ConvSpec(7, 3), "matrix", None, None, False)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
conv_anim.errors.ParameterError: view='matrix' is readable up to a 6×6 input: ...
"""

from __future__ import annotations

from itertools import product
from math import prod

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.limits import MAX_LISTED_CELLS

#: The views of this module.
EXTRA_VIEWS = ("overlap", "matrix")
#: The matrix view is readable up to a 6x6 input: at most this many units in the
#: input and in the output (one column, one row of C each).
MAX_MATRIX_UNITS = 36
MAX_MATRIX_SIDE = 6


def interior_counts(spec: ConvSpec) -> tuple[int, ...]:
    """The distinct numbers of kernel taps that touch an interior unit, smallest first.

    The interior is :func:`conv_anim.coverage.overlaps_evenly`'s: per axis, the
    units far enough from both edges that every tap could reach them, where the
    count of unit ``m`` is ``#{t < k : (m + p - t·d) mod s = 0}``, periodic with
    period ``s``. The counts of a unit are the products of its axes' counts. One
    count means the overlap is even (no checkerboard).

    Examples
    --------
    >>> interior_counts(ConvSpec(4, 4, stride=2, transposed=True))
    (4,)
    >>> interior_counts(ConvSpec((8,), 4, stride=2, dilation=2, transposed=True))
    (0, 4)
    """
    per_axis = [
        {sum(1 for t in range(k) if (r - t * d) % s == 0) for r in range(s)}
        for k, s, d in zip(spec.kernel_size, spec.stride, spec.dilation, strict=True)
    ]
    return tuple(sorted({prod(counts) for counts in product(*per_axis)}))


def check_view(spec: ConvSpec, view: str, values: object, op: object, progressive: object) -> None:
    """Refuse what ``view="overlap"`` or ``view="matrix"`` cannot draw.

    Both draw 1-D and 2-D convolutions without numbers (``values``, ``op`` and
    ``progressive`` are for numerical figures). The overlap needs a transposed
    convolution (for a direct one, its backward pass: ``backward=True``) with at most
    :data:`conv_anim.limits.MAX_LISTED_CELLS` taps over all its steps; the
    matrix one channel and at most :data:`MAX_MATRIX_UNITS` units in the input and in the output
    (a 6×6 input), so that every entry of C stays readable.

    Raises
    ------
    ParameterError
        Naming ``view``, ``values``, ``op``, ``progressive`` or ``input_size``.
    """
    if spec.ndim == 3:
        raise ParameterError(
            f"view={view!r} draws 1-D and 2-D convolutions, got a 3-D one "
            f"(input_size={spec.input_size})",
            parameter="view", value=view, allowed="'direct' for a 3-D convolution",
        )
    given = [name for name, value in (("values", values), ("op", op)) if value is not None]
    given += ["progressive"] if progressive else []
    if given:
        raise ParameterError(
            f"{given[0]} does not apply to view={view!r}, which draws no numbers: "
            f"expected no values, op or progressive",
            parameter=given[0], value=values if given[0] == "values" else op,
            allowed=f"None with view={view!r}",
        )
    if view == "overlap":
        if not spec.transposed:
            raise ParameterError(
                "view='overlap' needs a transposed spec (transposed=True), got a direct one: "
                "it counts the taps each output unit of a transposed convolution receives; "
                "for a direct convolution, draw its backward pass (backward=True)",
                parameter="view", value=view, allowed="'direct' for a direct convolution",
            )
        _check_overlap_size(spec)
        return
    if spec.has_channels:
        raise ParameterError(
            f"view='matrix' draws one channel, got in_channels={spec.in_channels}, "
            f"out_channels={spec.out_channels}: use in_channels=out_channels=1",
            parameter="view", value=view, allowed="'direct' with channels",
        )
    _check_matrix_size(spec)


def _check_overlap_size(spec: ConvSpec) -> None:
    """The overlap view's cost: its steps list every tap of every input unit."""
    frames = prod(spec.input_size)
    taps = frames * prod(spec.kernel_size)
    if taps > MAX_LISTED_CELLS:
        raise ParameterError(
            f"view='overlap' would list {taps:,} kernel taps ({frames:,} frames, one per "
            f"input unit): expected at most {MAX_LISTED_CELLS:,} "
            f"(conv_anim.limits.MAX_LISTED_CELLS); use a smaller input_size",
            parameter="input_size", value=spec.input_size,
            allowed=f"at most {MAX_LISTED_CELLS:,} taps",
        )


def _check_matrix_size(spec: ConvSpec) -> None:
    """The matrix view's limit: C is at most 36 x 36 (a 6x6 input and output)."""
    for what, size in (("input", spec.input_size), ("output", spec.output_size)):
        units = prod(size)
        if units > MAX_MATRIX_UNITS:
            times = "\N{MULTIPLICATION SIGN}"
            side = times.join([str(MAX_MATRIX_SIDE)] * 2) if spec.ndim == 2 else str(
                MAX_MATRIX_UNITS)
            shown = times.join(map(str, size))
            raise ParameterError(
                f"view='matrix' is readable up to a {side} input: C has a column per input "
                f"unit and a row per output unit, at most {MAX_MATRIX_UNITS} of each; got "
                f"{what} {shown} ({units} units). Use a smaller input_size",
                parameter="input_size", value=spec.input_size,
                allowed=f"at most {MAX_MATRIX_UNITS} input and output units",
            )


__all__ = ["EXTRA_VIEWS", "MAX_MATRIX_SIDE", "MAX_MATRIX_UNITS", "check_view", "interior_counts"]
