"""A convolution's steps, built from per-axis tap tables (numpy-free, matplotlib-free).

The steps of a convolution factor by axis. On one axis, output coordinate ``o``
places the kernel's taps ``t = 0 .. k - 1`` at grid positions
``o * stride + t * dilation`` of the drawn input grid (stride 1 on the stretched
grid of a transposed convolution); a tap lies over a real input unit when its
position minus the padding before is a multiple of the spacing between units (the
stride for a transposed convolution, else 1) and falls inside the input. A step of
the N-D convolution is one output coordinate per axis, and its taps are the
Cartesian product of the per-axis taps.

:class:`AxisTaps` is that per-axis table, evaluated by formula: it costs nothing
however long the axis, and its :meth:`~AxisTaps.position` and :meth:`~AxisTaps.unit`
work on ints and on numpy integer arrays alike, so that the numerics
(:mod:`conv_anim.gather`) evaluate the very formulas the steps use. :class:`Steps` is
the lazy, immutable sequence of :class:`Step` that :meth:`ConvSpec.steps` returns:
its length is known at once and each step is built when it is read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import gcd, prod
from typing import TYPE_CHECKING, SupportsIndex, cast, overload

from conv_anim.limits import check_listing

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from conv_anim.geometry import ConvSpec

    IntArray = NDArray[np.intp]
    BoolArray = NDArray[np.bool_]

Index = tuple[int, ...]
Pairs = tuple[tuple[int, int], ...]


@overload
def unit_on_axis(position: int, offset: int, spacing: int, size: int) -> tuple[int, bool]: ...
@overload
def unit_on_axis(
    position: IntArray, offset: int, spacing: int, size: int
) -> tuple[IntArray, BoolArray]: ...
def unit_on_axis(
    position: int | IntArray, offset: int, spacing: int, size: int
) -> tuple[int, bool] | tuple[IntArray, BoolArray]:
    """The input index at a grid position on one axis, and whether a real unit is there.

    Real units sit at ``offset + spacing * index`` for ``0 <= index < size``; other
    positions are padding or inserted zeros (their index is meaningless). Works on an
    int or elementwise on a numpy integer array.

    Examples
    --------
    >>> unit_on_axis(5, 1, 2, 3), unit_on_axis(4, 1, 2, 3), unit_on_axis(7, 1, 2, 3)
    ((2, True), (1, False), (3, False))
    """
    index, remainder = divmod(position - offset, spacing)
    real = (remainder == 0) & (index >= 0) & (index < size)
    # The same expression on an int and on an array; mypy cannot pair the types up.
    return cast("tuple[int, bool] | tuple[IntArray, BoolArray]", (index, real))


@dataclass(frozen=True)
class InputGrid:
    """The input as drawn: real units placed on a grid of padding and inserted zeros.

    Attributes
    ----------
    size : tuple of int
        Cells per axis, padding (and, for a transposed convolution, inserted zeros
        and the output padding) included.
    input_size : tuple of int
        Real input units per axis.
    offset : tuple of int
        Grid position of the first real unit on each axis (the padding before it).
    spacing : tuple of int
        Distance between consecutive real units: 1 for a direct convolution, the
        stride for a transposed one (``stride - 1`` inserted zeros in between).
    """

    size: Index
    input_size: Index
    offset: Index
    spacing: Index

    def unit_index(self, position: Index) -> Index | None:
        """Return the input index at a grid position, or None for padding or a zero."""
        index = []
        for axis, pos in enumerate(position):
            unit, real = unit_on_axis(
                pos, self.offset[axis], self.spacing[axis], self.input_size[axis]
            )
            if not real:
                return None
            index.append(unit)
        return tuple(index)

    def unit_position(self, index: Index) -> Index:
        """Return the grid position of the real input unit at ``index``."""
        return tuple(
            off + gap * i for i, off, gap in zip(index, self.offset, self.spacing, strict=True)
        )

    def axis_positions(self) -> tuple[range, ...]:
        """Grid positions of the real units along each axis (every unit's position is
        one from each).

        >>> InputGrid((7,), (3,), (1,), (2,)).axis_positions()
        (range(1, 7, 2),)
        """
        return tuple(
            range(off, off + gap * n, gap)
            for n, off, gap in zip(self.input_size, self.offset, self.spacing, strict=True)
        )

    def unit_positions(self) -> tuple[Index, ...]:
        """Grid positions of every real input unit, in row-major order.

        Raises
        ------
        ParameterError
            Above :data:`conv_anim.limits.MAX_LISTED_CELLS` units.
        """
        check_listing(prod(self.input_size), "InputGrid.unit_positions()", "real input units")
        return tuple(itertools.product(*self.axis_positions()))


@dataclass(frozen=True)
class Tap:
    """One element of the kernel at one step.

    Attributes
    ----------
    offset : tuple of int
        The tap's place in the kernel's footprint, as drawn (0 .. kernel_size - 1).
    kernel_index : tuple of int
        The weight this tap multiplies, an index into a PyTorch-layout kernel. It
        equals ``offset`` for a direct convolution; for a transposed one the
        equivalent direct convolution uses the spatially flipped kernel, so it is
        ``kernel_size - 1 - offset``.
    position : tuple of int
        The tap's cell on the drawn :class:`InputGrid` (padding included).
    input_index : tuple of int or None
        The real input unit under the tap, or None over padding or an inserted zero.
    """

    offset: Index
    kernel_index: Index
    position: Index
    input_index: Index | None


@dataclass(frozen=True)
class Step:
    """One frame of an animation: one output cell and the taps that compute it.

    Attributes
    ----------
    index : int
        The frame number (row-major position of ``output_index``).
    output_index : tuple of int
        The output cell computed at this step.
    window_start : tuple of int
        Grid position of the footprint's first corner (its top-left in 2-D).
    taps : tuple of Tap
        Every kernel element, in row-major kernel order.
    """

    index: int
    output_index: Index
    window_start: Index
    taps: tuple[Tap, ...]

    @property
    def input_indices(self) -> tuple[Index, ...]:
        """The real input units covered by the taps (padding, zeros and gaps excluded)."""
        return tuple(t.input_index for t in self.taps if t.input_index is not None)

    @property
    def positions(self) -> tuple[Index, ...]:
        """Grid positions of every tap, padding and inserted zeros included."""
        return tuple(t.position for t in self.taps)


#: One tap on one axis: (tap, kernel index, grid position, input index or None).
AxisTap = tuple[int, int, int, int | None]


@dataclass(frozen=True)
class AxisTaps:
    """The taps of one axis: where each tap of each output coordinate lands.

    Attributes
    ----------
    outputs : int
        Output coordinates on this axis.
    kernel_size, dilation : int
        The kernel's taps on this axis and the distance between them.
    stride : int
        How far the footprint moves on the drawn grid per output coordinate (1 for
        a transposed convolution, which slides over its stretched input).
    offset, spacing, input_size, grid_size : int
        The drawn grid's first real unit, the distance between real units, their
        number, and the grid's cells on this axis (see :class:`InputGrid`).
    flipped : bool
        True for a transposed convolution, whose equivalent direct convolution
        slides the flipped kernel: tap ``t`` multiplies weight ``k - 1 - t``.

    Examples
    --------
    >>> axis = AxisTaps(3, 3, 1, 2, 1, 1, 5, 7, False)  # i=5, k=3, s=2, p=1
    >>> axis.taps(0)
    ((0, 0, 0, None), (1, 1, 1, 0), (2, 2, 2, 1))
    >>> axis.covers(6), axis.uncovered_units()
    (True, ())
    """

    outputs: int
    kernel_size: int
    dilation: int
    stride: int
    offset: int
    spacing: int
    input_size: int
    grid_size: int
    flipped: bool

    @overload
    def position(self, output: int, tap: int) -> int: ...
    @overload
    def position(self, output: IntArray, tap: IntArray) -> IntArray: ...
    def position(self, output: int | IntArray, tap: int | IntArray) -> int | IntArray:
        """Grid position of ``tap`` at output coordinate ``output`` (ints or arrays)."""
        return output * self.stride + tap * self.dilation

    @overload
    def unit(self, position: int) -> tuple[int, bool]: ...
    @overload
    def unit(self, position: IntArray) -> tuple[IntArray, BoolArray]: ...
    def unit(self, position: int | IntArray) -> tuple[int, bool] | tuple[IntArray, BoolArray]:
        """Input index at a grid position and whether a real unit is there."""
        return unit_on_axis(position, self.offset, self.spacing, self.input_size)

    @overload
    def kernel_index(self, tap: int) -> int: ...
    @overload
    def kernel_index(self, tap: IntArray) -> IntArray: ...
    def kernel_index(self, tap: int | IntArray) -> int | IntArray:
        """The weight a tap multiplies (the flipped kernel for a transposed convolution)."""
        return self.kernel_size - 1 - tap if self.flipped else tap

    def taps(self, output: int) -> tuple[AxisTap, ...]:
        """Every tap at one output coordinate, in kernel order."""
        taps = []
        for tap in range(self.kernel_size):
            position = self.position(output, tap)
            index, real = self.unit(position)
            taps.append((tap, self.kernel_index(tap), position, index if real else None))
        return tuple(taps)

    def covers(self, position: int) -> bool:
        """Whether some tap of some output coordinate lands on grid ``position``.

        O(1): solves ``position = o * stride + t * dilation`` for ``0 <= o < outputs``
        and ``0 <= t < kernel_size``, a linear congruence in ``t``.
        """
        s, d = self.stride, self.dilation
        if position < 0:
            return False
        low = max(0, -((position - (self.outputs - 1) * s) // -d))  # ceil division
        high = min(self.kernel_size - 1, position // d)
        g = gcd(d, s)
        if low > high or position % g:
            return False
        period = s // g  # the taps solving the congruence, t = first (mod period)
        first = (position // g) * pow(d // g, -1, period) % period if period > 1 else 0
        return low + (first - low) % period <= high

    def uncovered_positions(self) -> tuple[int, ...]:
        """Grid positions on this axis that no tap of any output coordinate covers.

        Raises
        ------
        ParameterError
            If the axis has more than :data:`conv_anim.limits.MAX_LISTED_CELLS` cells.
        """
        return tuple(p for p in self._scanned(self.grid_size) if not self.covers(p))

    def uncovered_units(self) -> tuple[int, ...]:
        """Input indices on this axis whose unit no tap covers.

        Raises
        ------
        ParameterError
            If the axis has more than :data:`conv_anim.limits.MAX_LISTED_CELLS` units.
        """
        return tuple(
            j for j in self._scanned(self.input_size)
            if not self.covers(self.offset + j * self.spacing)
        )

    @staticmethod
    def _scanned(size: int) -> range:
        check_listing(size, "an axis", "cells to scan")
        return range(size)


@dataclass(frozen=True)
class Steps(Sequence[Step]):
    """The steps of a convolution, row-major (first axis slowest), built when read.

    An immutable sequence: ``len`` is immediate whatever the size, indexing builds
    one :class:`Step` from the per-axis tables, slicing gives another ``Steps``.

    Attributes
    ----------
    axes : tuple of AxisTaps
        One table per spatial axis.
    numbers : range
        The step numbers held (all of them, or a slice).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> steps = ConvSpec(3000, 3).steps()
    >>> len(steps), steps[-1].output_index, len(steps[10:20])
    (8988004, (2997, 2997), 10)
    """

    axes: tuple[AxisTaps, ...]
    numbers: range

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, index: SupportsIndex) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> Steps: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Step | Steps:
        if isinstance(index, slice):
            return Steps(self.axes, self.numbers[index])
        return self._build(self.numbers[index])

    def __iter__(self) -> Iterator[Step]:
        return map(self._build, self.numbers)

    def __contains__(self, value: object) -> bool:
        return (
            isinstance(value, Step)
            and value.index in self.numbers
            and self._build(value.index) == value
        )

    def _build(self, number: int) -> Step:
        taps = prod(axis.kernel_size for axis in self.axes)
        if taps <= _CACHED_TAPS:
            return _cached_step(self.axes, number)
        check_listing(taps, f"step {number}", "kernel taps")
        return _step(self.axes, number)


def _step(axes: tuple[AxisTaps, ...], number: int) -> Step:
    """Step ``number`` of the convolution whose per-axis tables are ``axes``."""
    output_index = []
    rest = number
    for axis in reversed(axes):
        rest, coordinate = divmod(rest, axis.outputs)
        output_index.append(coordinate)
    output_index.reverse()
    per_axis = [axis.taps(o) for axis, o in zip(axes, output_index, strict=True)]
    taps = []
    for combo in itertools.product(*per_axis):
        offset, kernel_index, position, parts = zip(*combo, strict=True)
        index = None if None in parts else tuple(p for p in parts if p is not None)
        taps.append(Tap(offset, kernel_index, position, index))
    return Step(
        index=number,
        output_index=tuple(output_index),
        window_start=tuple(axis.position(o, 0) for axis, o in zip(axes, output_index, strict=True)),
        taps=tuple(taps),
    )


#: Steps of at most this many taps are cached (figures and tests read the same steps
#: again), the last :data:`_CACHED_STEPS` of them: a few tens of MB at most.
_CACHED_TAPS = 64
_CACHED_STEPS = 1024
_cached_step = lru_cache(maxsize=_CACHED_STEPS)(_step)



@dataclass(frozen=True)
class EquivalentConvolution:
    """The paper's direct convolution equivalent to a transposed convolution.

    Attributes
    ----------
    direct : ConvSpec
        A direct convolution, stride 1, over the stretched input, with padding
        ``p' = dilation * (kernel_size - 1) - padding`` on each side plus the output
        padding ``a`` after. It slides the spatially flipped kernel.
    input_size : tuple of int
        The transposed convolution's own input size.
    spacing : tuple of int
        The original stride: real units sit ``spacing`` cells apart in the stretched
        input (``spacing - 1`` zeros inserted between them).
    """

    direct: ConvSpec
    input_size: Index
    spacing: Index

    @property
    def stretched_size(self) -> Index:
        """Size of the input with ``stride - 1`` zeros inserted between units."""
        return self.direct.input_size

    @property
    def zeros_inserted(self) -> Index:
        """Zeros inserted between consecutive input units on each axis."""
        return tuple(s - 1 for s in self.spacing)

    @property
    def padding(self) -> Pairs:
        """The ``(before, after)`` padding of the stretched input."""
        return self.direct.padding

    @property
    def grid(self) -> InputGrid:
        """The stretched, padded input as drawn."""
        return InputGrid(
            size=tuple(
                n + b + a for n, (b, a) in zip(self.stretched_size, self.padding, strict=True)
            ),
            input_size=self.input_size,
            offset=tuple(b for b, _ in self.padding),
            spacing=self.spacing,
        )


__all__ = ["AxisTap", "AxisTaps", "EquivalentConvolution", "InputGrid", "Step", "Steps", "Tap",
           "unit_on_axis"]
