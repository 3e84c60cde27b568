"""The steps' tap tables as numpy arrays, and the gathers and scatters computed over them.

Every number of :mod:`conv_anim.numerics` and :mod:`conv_anim.gradients` comes from
here, and everything here comes from the per-axis tables of the steps
(:class:`conv_anim.taps.AxisTaps`): for a block of output cells, each axis's
:meth:`~conv_anim.taps.AxisTaps.position` and :meth:`~conv_anim.taps.AxisTaps.unit`
are evaluated over numpy arrays (the very formulas :meth:`ConvSpec.steps` evaluates
over ints), giving per axis and output coordinate each tap's input index. The N-D
gather is their outer product by broadcasting: one flat index per (tap, output cell)
into the input extended by one sentinel slot at the end of each axis, which every tap
over padding or an inserted zero points at (it holds 0, or ``-inf`` for max pooling).

* the forward pass gathers ``x`` at those indices and multiplies by the kernel
  (a matrix product per group), or takes the maximum or the mean;
* the backward pass scatters back along the same indices (``numpy.bincount``), and
  multiplies the gathered input by the output's gradient for the kernel's;
* the matrix writes each tap's weight at (output cell, input unit).

Output cells are taken in blocks of about :data:`conv_anim.limits.GATHER_CHUNK_ELEMENTS`
gathered values, so memory stays bounded whatever the size.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from math import prod
from types import EllipsisType
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from conv_anim.limits import GATHER_CHUNK_ELEMENTS

if TYPE_CHECKING:
    from conv_anim.taps import AxisTaps

Index = tuple[int, ...]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Block:
    """The taps of a block of consecutive output cells: some taps, some cells.

    Attributes
    ----------
    cells : slice
        The step numbers (flat, row-major output indices) of the block.
    taps : range
        The taps (row-major over the kernel, as in :attr:`Step.taps`) of the block.
    indices : tuple of numpy.ndarray of intp
        Per axis, the input index under each (tap, cell): arrays that broadcast to
        an array with ``len(taps) * len(cells)`` elements, taps first;
        ``input_size[axis]`` (the sentinel) where the tap lies over padding or an
        inserted zero.
    input_size : tuple of int
        Real input units per axis.
    """

    cells: slice
    taps: range
    indices: tuple[IntArray, ...]
    input_size: Index

    def _table(self, array: NDArray[np.generic]) -> NDArray[np.generic]:
        return np.broadcast_to(array, np.broadcast_shapes(*(i.shape for i in self.indices)))

    def _combined(self, sizes: Index) -> IntArray:
        flat: IntArray = np.zeros((), dtype=np.intp)
        for index, n in zip(self.indices, sizes, strict=True):
            flat = flat * n + index
        return np.asarray(self._table(flat), dtype=np.intp).reshape(len(self.taps), -1)

    @property
    def extended(self) -> IntArray:
        """Flat index of each (tap, cell) into the extended input, shape ``(taps, cells)``."""
        return self._combined(tuple(n + 1 for n in self.input_size))

    @property
    def flat(self) -> IntArray:
        """Flat (row-major) index of each (tap, cell) into the input (meaningless off it)."""
        return self._combined(self.input_size)

    @property
    def real(self) -> BoolArray:
        """Whether each (tap, cell) lies over a real input unit, shape ``(taps, cells)``."""
        real: BoolArray = np.ones((), dtype=bool)
        for index, n in zip(self.indices, self.input_size, strict=True):
            real = real & (index < n)
        return np.asarray(self._table(real), dtype=bool).reshape(len(self.taps), -1)


def gathers(
    axes: tuple[AxisTaps, ...], source: FloatArray | None, channels: int
) -> Iterator[tuple[Block, FloatArray]]:
    """Every (tap, output cell) of the steps, block by block, with the values gathered.

    Parameters
    ----------
    axes : tuple of AxisTaps
        The steps' per-axis tables.
    source : numpy.ndarray or None
        The input extended by the sentinel slot (:func:`extended`), shape
        ``(channels, *(input_size + 1))``; None to get the blocks' indices only.
    channels : int
        Channels of ``source`` (the memory per gathered cell).

    Yields
    ------
    block : Block
    values : numpy.ndarray
        ``source`` at the block's taps, shape ``(channels, len(taps), cells)``
        (empty if ``source`` is None).

    Two strategies, chosen by size, give the same blocks' values: many output cells
    are taken one tap at a time, over rows of cells (a ``numpy.take`` along each axis
    of that tap's per-axis indices: fast, as slicing); few cells with many taps are
    taken all taps at once, over chunks of cells (one fancy index per block).
    """
    cells = prod(axis.outputs for axis in axes)
    if cells * channels >= _PER_TAP_CELLS:
        yield from _per_tap(axes, source, channels)
    else:
        yield from _per_block(axes, source, channels)


#: Output cells (times channels) from which taps are gathered one at a time.
_PER_TAP_CELLS = 1024


def _column(axis: AxisTaps, outputs: IntArray, tap: int) -> IntArray:
    """The input index under ``tap`` at each output coordinate (the sentinel off units)."""
    index, real = axis.unit(axis.position(outputs, np.full_like(outputs, tap)))
    return np.where(real, index, axis.input_size)


def _per_tap(
    axes: tuple[AxisTaps, ...], source: FloatArray | None, channels: int
) -> Iterator[tuple[Block, FloatArray]]:
    ndim = len(axes)
    input_size = tuple(axis.input_size for axis in axes)
    rest = prod(axis.outputs for axis in axes[1:])
    rows = max(1, GATHER_CHUNK_ELEMENTS // (channels * rest))
    every = [np.arange(axis.outputs, dtype=np.intp) for axis in axes]
    for first in range(0, axes[0].outputs, rows):
        outputs = [every[0][first:first + rows], *every[1:]]
        cells = slice(first * rest, first * rest + len(outputs[0]) * rest)
        # Taps in row-major order; what the previous tap shares with this one (its
        # taps on the first axes) is not taken again.
        columns: list[IntArray] = [every[0]] * ndim
        taken: list[FloatArray] = [np.empty(0)] * ndim
        previous: tuple[int, ...] = ()
        taps = itertools.product(*(range(axis.kernel_size) for axis in axes))
        for number, tap in enumerate(taps):
            changed = next(a for a in range(ndim) if not previous or tap[a] != previous[a])
            for a in range(changed, ndim):
                columns[a] = _column(axes[a], outputs[a], tap[a])
                if source is not None:
                    below = source if a == 0 else taken[a - 1]
                    taken[a] = np.take(below, columns[a], axis=1 + a)
            previous = tap
            values = np.empty((0, 1, 0)) if source is None else taken[-1].reshape(channels, 1, -1)
            shaped = tuple(
                column.reshape([-1 if b == a else 1 for b in range(ndim)])
                for a, column in enumerate(columns)
            )
            yield Block(cells, range(number, number + 1), shaped, input_size), values


def _per_block(
    axes: tuple[AxisTaps, ...], source: FloatArray | None, channels: int
) -> Iterator[tuple[Block, FloatArray]]:
    output_size = tuple(axis.outputs for axis in axes)
    input_size = tuple(axis.input_size for axis in axes)
    taps = prod(axis.kernel_size for axis in axes)
    cells = prod(output_size)
    step = max(1, GATHER_CHUNK_ELEMENTS // (channels * taps))
    ndim = len(axes)
    flat_source = None if source is None else source.reshape(channels, -1)
    for start in range(0, cells, step):
        stop = min(start + step, cells)
        coordinates = np.unravel_index(np.arange(start, stop, dtype=np.intp), output_size)
        indices = []
        for a, (axis, outputs) in enumerate(zip(axes, coordinates, strict=True)):
            tap = np.arange(axis.kernel_size, dtype=np.intp)[:, None]
            index, real = axis.unit(axis.position(outputs[None, :], tap))
            shape = [1] * ndim + [stop - start]
            shape[a] = axis.kernel_size
            indices.append(np.where(real, index, axis.input_size).reshape(shape))
        block = Block(slice(start, stop), range(taps), tuple(indices), input_size)
        values = np.empty((0, taps, 0)) if flat_source is None else flat_source[:, block.extended]
        yield block, values


def extended(x: FloatArray, fill: float) -> FloatArray:
    """``x`` of shape ``(channels, *input_size)`` with a ``fill`` slot after each axis:
    shape ``(channels, *(input_size + 1))``."""
    out = np.full((x.shape[0], *(n + 1 for n in x.shape[1:])), fill)
    out[_real_part(x.shape[1:])] = x
    return out


def _real_part(input_size: Index) -> tuple[slice, ...]:
    """The index of the real units in an extended array ``(channels, *(input_size + 1))``."""
    return (slice(None),) + tuple(slice(0, n) for n in input_size)


def tap_order(axes: tuple[AxisTaps, ...], weights: FloatArray) -> FloatArray:
    """Weights ``(..., *kernel_size)`` rearranged to ``(..., taps)`` in the steps' tap order.

    Tap ``t`` multiplies weight ``axis.kernel_index(t)`` on each axis (the flipped
    kernel for a transposed convolution).
    """
    lead = weights.ndim - len(axes)
    picked = weights[_kernel_part(axes)]
    return picked.reshape(*weights.shape[:lead], -1)


def from_tap_order(axes: tuple[AxisTaps, ...], taps: FloatArray) -> FloatArray:
    """The inverse of :func:`tap_order`: ``(..., taps)`` back to ``(..., *kernel_size)``."""
    kernel_size = tuple(axis.kernel_size for axis in axes)
    out = np.empty((*taps.shape[:-1], *kernel_size))
    out[_kernel_part(axes)] = taps.reshape(
        *taps.shape[:-1], *kernel_size
    )
    return out


def _kernel_part(axes: tuple[AxisTaps, ...]) -> tuple[EllipsisType | IntArray, ...]:
    """The index of the weights in tap order: each axis's kernel indices, crossed."""
    indices = [axis.kernel_index(np.arange(axis.kernel_size, dtype=np.intp)) for axis in axes]
    return (Ellipsis,) + np.ix_(*indices)


def correlate(axes: tuple[AxisTaps, ...], x: FloatArray, weights: FloatArray) -> FloatArray:
    """The forward convolution: ``weights`` over ``x``, each group on its own channels.

    Parameters
    ----------
    x : numpy.ndarray, shape ``(in_channels, *input_size)``
    weights : numpy.ndarray, shape ``(groups, out per group, in per group, taps)``
        In tap order (:func:`tap_order`).

    Returns
    -------
    numpy.ndarray, shape ``(out_channels, cells)``
    """
    groups, per_out, per_in, _ = weights.shape
    out = np.zeros((groups, per_out, prod(axis.outputs for axis in axes)))
    for block, values in gathers(axes, extended(x, 0.0), groups * per_in):
        taps = weights[..., block.taps.start:block.taps.stop].reshape(groups, per_out, -1)
        out[:, :, block.cells] += taps @ values.reshape(groups, per_in * len(block.taps), -1)
    return out.reshape(groups * per_out, -1)


def pool(axes: tuple[AxisTaps, ...], x: FloatArray, op: str) -> tuple[FloatArray, IntArray]:
    """Max or average pooling of each channel of ``x``, ``(channels, *input_size)``.

    Returns
    -------
    values : numpy.ndarray, shape ``(channels, cells)``
        The maximum (padding as ``-inf``) or the mean with padded zeros counted.
    winners : numpy.ndarray of intp, shape ``(channels, cells)``
        For ``op="max"``, the flat (row-major) input index of the first maximum in
        tap order (-1 where every tap lies over padding); zeros for ``"avg"``.
    """
    channels = x.shape[0]
    cells = prod(axis.outputs for axis in axes)
    maximum = op == "max"
    values = np.full((channels, cells), -np.inf if maximum else 0.0)
    winners = np.full((channels, cells), -1 if maximum else 0, dtype=np.intp)
    for block, gathered in gathers(axes, extended(x, -np.inf if maximum else 0.0), channels):
        if not maximum:
            values[:, block.cells] += gathered.sum(axis=1)
            continue
        flat = block.flat
        if len(block.taps) == 1:
            best = gathered[:, 0]
            unit = np.broadcast_to(flat[0], best.shape)
        else:
            column = np.argmax(gathered, axis=1)[:, None]  # the first maximum in tap order
            best = np.take_along_axis(gathered, column, axis=1)[:, 0]
            unit = np.take_along_axis(np.broadcast_to(flat, gathered.shape), column, axis=1)[:, 0]
        current = values[:, block.cells]  # a view: updated in place
        better = best > current  # strictly: earlier taps win ties
        np.copyto(current, best, where=better)
        np.copyto(winners[:, block.cells], unit, where=better)
    if not maximum:
        values /= prod(axis.kernel_size for axis in axes)
    return values, winners


def scatter(axes: tuple[AxisTaps, ...], grad: FloatArray, weights: FloatArray) -> FloatArray:
    """The transpose of :func:`correlate`: each output cell's ``grad`` spread back
    over the input units its taps read, weighted (a scatter-add, ``numpy.add.at``,
    along the very indices :func:`correlate` gathers).

    Parameters
    ----------
    grad : numpy.ndarray, shape ``(out_channels, cells)``
    weights : numpy.ndarray, shape ``(groups, out per group, in per group, taps)``

    Returns
    -------
    numpy.ndarray, shape ``(in_channels, *input_size)``
    """
    groups, per_out, per_in, _ = weights.shape
    input_size = tuple(axis.input_size for axis in axes)
    grad = grad.reshape(groups, per_out, -1)
    out = np.zeros((groups * per_in, prod(n + 1 for n in input_size)))
    for block, _ in gathers(axes, None, groups * per_in):
        taps = weights[..., block.taps.start:block.taps.stop].reshape(groups, per_out, -1)
        spread = taps.transpose(0, 2, 1) @ grad[:, :, block.cells]
        index = block.extended
        spread = spread.reshape(groups * per_in, *index.shape)
        for channel in range(groups * per_in):  # repeated indices add up
            np.add.at(out[channel], index.ravel(), spread[channel].ravel())
    shaped = out.reshape(groups * per_in, *(n + 1 for n in input_size))
    return np.ascontiguousarray(shaped[_real_part(input_size)])


def kernel_products(
    axes: tuple[AxisTaps, ...], x: FloatArray, grad: FloatArray, groups: int
) -> FloatArray:
    """The kernel's gradient in tap order: per tap, the output's ``grad`` times the
    input units the tap read, summed over output cells.

    Parameters
    ----------
    x : numpy.ndarray, shape ``(in_channels, *input_size)``
    grad : numpy.ndarray, shape ``(out_channels, cells)``

    Returns
    -------
    numpy.ndarray, shape ``(groups, out per group, in per group, taps)``
    """
    per_in = x.shape[0] // groups
    per_out = grad.shape[0] // groups
    grad = grad.reshape(groups, per_out, -1)
    out = np.zeros((groups, per_out, per_in, prod(axis.kernel_size for axis in axes)))
    for block, values in gathers(axes, extended(x, 0.0), x.shape[0]):
        gathered = values.reshape(groups, per_in * len(block.taps), -1)
        products = grad[:, :, block.cells] @ gathered.transpose(0, 2, 1)
        out[..., block.taps.start:block.taps.stop] += products.reshape(
            groups, per_out, per_in, -1
        )
    return out


def dense(axes: tuple[AxisTaps, ...], weights: FloatArray) -> FloatArray:
    """The matrix C of :func:`correlate`: shape ``(out_channels, cells, in_channels, units)``.

    Within one output cell distinct taps lie over distinct input units, so no entry
    is written twice.
    """
    groups, per_out, per_in, _ = weights.shape
    cells = prod(axis.outputs for axis in axes)
    units = prod(axis.input_size for axis in axes)
    out = np.zeros((groups * per_out, cells, groups * per_in, units))
    out_channel = (np.arange(groups)[:, None] * per_out + np.arange(per_out))[:, :, None, None]
    in_channel = (np.arange(groups)[:, None] * per_in + np.arange(per_in))[:, None, :, None]
    for block, _ in gathers(axes, None, 1):
        tap, cell = np.nonzero(block.real)
        out[out_channel, block.cells.start + cell, in_channel, block.flat[tap, cell]] = (
            weights[..., block.taps.start + tap]
        )
    return out


def axis_counts(axis: AxisTaps) -> tuple[IntArray, IntArray]:
    """On one axis: real taps per output coordinate, and taps reaching each input index."""
    positions = axis.position(
        np.arange(axis.outputs, dtype=np.intp)[:, None],
        np.arange(axis.kernel_size, dtype=np.intp)[None, :],
    )
    index, real = axis.unit(positions)
    per_output = real.sum(axis=1, dtype=np.intp)
    per_input = np.bincount(index[real], minlength=axis.input_size).astype(np.intp)
    return per_output, per_input


__all__ = [
    "Block",
    "axis_counts",
    "correlate",
    "dense",
    "extended",
    "from_tap_order",
    "gathers",
    "kernel_products",
    "pool",
    "scatter",
    "tap_order",
]
