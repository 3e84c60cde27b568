"""Which cells a convolution's steps reach, and how evenly (numpy-free, per axis).

The steps' taps factor by axis (:mod:`conv_anim.taps`), so a cell of the drawn grid
is covered by some tap exactly when each of its coordinates is covered on its axis.
Everything here is therefore computed per axis, in time proportional to the axes'
lengths and to the size of the answer, never to the number of steps:

* :func:`uncovered_positions` and :func:`uncovered_inputs`: the grid cells and the
  real input units that no step reaches (the paper's padding_strides_odd);
* :func:`overlaps_evenly`: whether the taps touch every interior unit equally often
  (the counts are :meth:`ConvSpec.overlap`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from math import gcd, prod
from typing import TYPE_CHECKING

from conv_anim.limits import check_listing

if TYPE_CHECKING:
    from conv_anim.geometry import ConvSpec

Index = tuple[int, ...]


def uncovered_positions(spec: ConvSpec) -> tuple[Index, ...]:
    """Cells of the drawn grid (padding and inserted zeros included) that no tap covers.

    Row-major order.

    Raises
    ------
    ParameterError
        If an axis has more than :data:`conv_anim.limits.MAX_LISTED_CELLS` cells to
        scan, or there are more than that many cells to list.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> uncovered_positions(ConvSpec((2, 6), (1, 3), stride=(1, 2), padding=(0, 1)))
    ((0, 7), (1, 7))
    """
    uncovered = [axis.uncovered_positions() for axis in spec.steps().axes]
    return _listed(spec, spec.grid.size, uncovered, "uncovered_positions()", "grid cells")


def uncovered_inputs(spec: ConvSpec) -> tuple[Index, ...]:
    """Real input units that no tap covers, in row-major order.

    Raises
    ------
    ParameterError
        As :func:`uncovered_positions`.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> uncovered_inputs(ConvSpec((2, 6), (1, 3), stride=(1, 2)))
    ((0, 5), (1, 5))
    """
    uncovered = [axis.uncovered_units() for axis in spec.steps().axes]
    return _listed(spec, spec.input_size, uncovered, "uncovered_inputs()", "input units")


def _listed(
    spec: ConvSpec, sizes: Index, uncovered: Sequence[tuple[int, ...]], what: str, units: str
) -> tuple[Index, ...]:
    count = prod(sizes) - prod(n - len(u) for n, u in zip(sizes, uncovered, strict=True))
    check_listing(count, f"{spec}.{what}", units)
    return tuple(_outside(sizes, uncovered))


def _outside(sizes: Index, uncovered: Sequence[tuple[int, ...]]) -> list[Index]:
    """Row-major indices of a grid of ``sizes`` with a coordinate in ``uncovered``.

    ``uncovered`` lists, per axis, the coordinates that are not covered. Visits only
    the indices returned (and at most that many coordinates of each axis).
    """
    if not sizes:
        return []
    rest = _outside(sizes[1:], uncovered[1:])
    # Every index of the other axes: needed (and then listed) only under an uncovered one.
    every = list(itertools.product(*(range(n) for n in sizes[1:]))) if uncovered[0] else []
    if not rest:  # only the first axis leaves cells uncovered
        return [(first, *tail) for first in uncovered[0] for tail in every]
    marked = set(uncovered[0])
    return [
        (first, *tail)
        for first in range(sizes[0])
        for tail in (every if first in marked else rest)
    ]


def overlaps_evenly(spec: ConvSpec) -> bool:
    """Whether every interior unit is touched by the same number of kernel taps.

    For a transposed convolution, its output units; for a direct one, its input units
    (whose gradient is a transposed convolution). The counts are those of
    :meth:`ConvSpec.overlap`; unequal interior counts are Odena et al.'s checkerboard
    ("Deconvolution and Checkerboard Artifacts", Distill 2016).

    *Interior*, per axis, with ``k``, ``s``, ``d`` the kernel size, stride and
    dilation and ``p`` the padding before: for a transposed convolution of input size
    ``i``, the output positions ``m`` with ``(k - 1) * d <= m + p <= (i - 1) * s``, far
    enough from both edges that every tap could come from an input unit; there the
    count is ``#{t < k : (m + p - t * d) % s == 0}``. For a direct convolution, the
    input units ``j`` with ``(k - 1) * d <= j + p <= (o - 1) * s`` (``o`` the output
    size), with the same count. It repeats with period ``s`` and depends on ``k``,
    ``s`` and ``d`` only: it is constant exactly when ``s == 1``, or ``gcd(d, s) == 1``
    and ``k`` is a multiple of ``s``. The answer holds on every axis, and it is the
    pattern's: an input whose interior is shorter than the stride still gets the
    answer of its kernel, stride and dilation.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> [overlaps_evenly(ConvSpec(4, k, stride=2, transposed=True)) for k in (3, 4, 2)]
    [False, True, True]
    >>> overlaps_evenly(ConvSpec(8, 4, stride=2, dilation=2, transposed=True))  # holes
    False
    """
    return all(
        s == 1 or (gcd(d, s) == 1 and k % s == 0)
        for k, s, d in zip(spec.kernel_size, spec.stride, spec.dilation, strict=True)
    )


__all__ = ["overlaps_evenly", "uncovered_inputs", "uncovered_positions"]
