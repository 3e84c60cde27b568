"""The numbers behind the pictures: convolution and pooling computed from the steps.

Every result here is computed from :meth:`ConvSpec.steps`, the very steps an
animation draws: the value of an output cell is the sum of
``x[tap.input_index] * kernel[tap.kernel_index]`` over the step's real taps (taps
over padding or inserted zeros contribute nothing), or the maximum or mean over
them for pooling. Picture and numbers therefore cannot disagree. The steps are
turned once per spec into integer gather arrays (cached), so the arithmetic
itself is vectorised numpy.

Semantics are PyTorch's for one batch element:

* ``op="conv"``: ``torch.nn.functional.conv1d/2d/3d`` (a cross-correlation: the
  kernel is not flipped), or ``conv_transpose1d/2d/3d`` for a transposed spec (the
  kernel in PyTorch's layout; the steps slide it flipped over the stretched input).
  With ``flip=True`` the kernel is first flipped on every spatial axis: a true
  convolution, as in signal processing (``numpy.convolve``).
* ``op="max"``: ``max_pool1d/2d/3d``; padding never wins (as if padded with
  ``-inf``). As PyTorch, padding is at most ``kernel_size / 2`` on each side. With
  dilation a window can still cover only padding, where PyTorch returns ``-inf``;
  :func:`apply` raises ValueError naming the output cell instead.
* ``op="avg"``: ``avg_pool1d/2d/3d`` with ``count_include_pad=True``: the sum over
  the real units divided by the number of taps (the kernel size's product), padded
  zeros counted. Dilation, which PyTorch's average pooling lacks, means the taps
  are spread out as for ``op="max"``; the divisor stays the number of taps.

Channels: with ``spec.in_channels == spec.out_channels == 1`` (the default) ``x``,
``kernel`` and the result have no channel axis: shapes ``spec.input_size``,
``spec.kernel_size`` and ``spec.output_size``. Otherwise they have PyTorch's
layouts without the batch axis, :attr:`ConvSpec.input_shape`,
:attr:`ConvSpec.kernel_shape` and :attr:`ConvSpec.output_shape`:
``(in_channels, *input_size)``; ``(out_channels, in_channels // groups,
*kernel_size)``, or ``(in_channels, out_channels // groups, *kernel_size)`` if
transposed; ``(out_channels, *output_size)``. Output channel ``o`` of group
``g = o // (out_channels // groups)`` sums over the input channels of the same
group only. Pooling works on each channel separately: it needs ``in_channels ==
out_channels`` and ignores ``groups`` (pooling has no weights to group).

Inputs: ``x`` and ``kernel`` are array-likes of real numbers (bool, integer or
floating dtypes; booleans count as 0 and 1) without NaN or infinity. Results are
float64; integer inputs whose sums stay below 2**53 give exact integer values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import prod
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from conv_anim.geometry import ConvSpec

Index = tuple[int, ...]

OPS = ("conv", "max", "avg")

_ALLOWED_KINDS = "b", "i", "u", "f"
_ALLOWED_DTYPES = "bool, integer or floating"


@dataclass(frozen=True)
class _Gather:
    """The steps of one spec as integer arrays, one row per step, one column per tap.

    Attributes
    ----------
    inputs : numpy.ndarray of intp, shape (steps, taps)
        Flat (row-major) index of the input unit under each tap; ``n_inputs`` for a
        tap over padding or an inserted zero (one past the end: a sentinel slot).
    kernel : numpy.ndarray of intp, shape (taps,)
        Flat (row-major) index of the weight each tap multiplies. Every step lists
        its taps in the same kernel order, so one row serves all steps.
    real : numpy.ndarray of bool, shape (steps, taps)
        True where the tap lies over a real input unit.
    n_inputs : int
        Number of input units, ``prod(spec.input_size)``.
    """

    inputs: np.ndarray
    kernel: np.ndarray
    real: np.ndarray
    n_inputs: int


@lru_cache(maxsize=64)
def _gather(spec: ConvSpec) -> _Gather:
    steps = spec.steps()
    n_inputs = prod(spec.input_size)
    inputs = np.array(
        [
            [n_inputs if t.input_index is None else _flat(t.input_index, spec.input_size)
             for t in step.taps]
            for step in steps
        ],
        dtype=np.intp,
    ).reshape(len(steps), prod(spec.kernel_size))
    kernel = np.array(
        [_flat(t.kernel_index, spec.kernel_size) for t in steps[0].taps], dtype=np.intp
    )
    real = inputs != n_inputs
    for array in (inputs, kernel, real):
        array.setflags(write=False)
    return _Gather(inputs=inputs, kernel=kernel, real=real, n_inputs=n_inputs)


def _flat(index: Index, shape: Index) -> int:
    flat = 0
    for i, n in zip(index, shape, strict=True):
        flat = flat * n + i
    return flat


def as_real_array(name: str, value: Any, shape: Index, what: str) -> np.ndarray:
    """Validate one array argument and return it as a float64 array."""
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested sequences
        raise ValueError(
            f"{name} could not be converted to an array ({error}): expected {what}"
        ) from None
    if array.dtype.kind not in _ALLOWED_KINDS:
        raise ValueError(
            f"{name} has dtype {array.dtype} ({_kind_name(array.dtype)}), which is not "
            f"numeric: expected {_ALLOWED_DTYPES} values"
        )
    if array.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {array.shape} but {what} is {tuple(shape)}: expected an "
            f"array of shape {tuple(shape)}"
        )
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{name} holds non-finite values (first at index {bad}: {array[bad]}): "
            f"expected finite numbers, no NaN or infinity"
        )
    return array


def _kind_name(dtype: np.dtype) -> str:
    return {
        "U": "strings",
        "S": "bytes",
        "O": "Python objects",
        "c": "complex numbers",
        "M": "datetimes",
        "m": "timedeltas",
        "V": "raw or structured data",
    }.get(dtype.kind, dtype.kind)


def _input(spec: ConvSpec, x: Any) -> np.ndarray:
    """``x`` validated and flattened to shape ``(in_channels, prod(input_size))``."""
    what = "spec.input_shape" if spec.has_channels else "spec.input_size"
    array = as_real_array("x", x, spec.input_shape, what)
    return array.reshape(spec.in_channels, -1)


def _weights(spec: ConvSpec, kernel: Any, flip: bool) -> np.ndarray:
    """``kernel`` validated, as ``(groups, out per group, in per group, prod(kernel_size))``."""
    what = "spec.kernel_shape" if spec.has_channels else "spec.kernel_size"
    weights = as_real_array("kernel", kernel, spec.kernel_shape, what)
    groups = spec.groups
    per_in, per_out = spec.in_channels // groups, spec.out_channels // groups
    if spec.transposed:
        weights = weights.reshape(groups, per_in, per_out, *spec.kernel_size).swapaxes(1, 2)
    else:
        weights = weights.reshape(groups, per_out, per_in, *spec.kernel_size)
    if flip:
        weights = np.flip(weights, axis=tuple(range(3, weights.ndim)))
    return weights.reshape(groups, per_out, per_in, -1)


def _check_op(spec: ConvSpec, op: object, kernel: object, flip: object = False) -> None:
    if not isinstance(op, str) or op not in OPS:
        raise ValueError(f"op={op!r} is not valid: expected one of {', '.join(map(repr, OPS))}")
    if not isinstance(flip, bool):
        raise ValueError(f"flip={flip!r} is not valid: expected True or False")
    if op == "conv":
        if kernel is None:
            raise ValueError(
                f"kernel is missing: op='conv' needs a kernel of shape {spec.kernel_shape} "
                f"({'spec.kernel_shape' if spec.has_channels else 'spec.kernel_size'})"
            )
        return
    if kernel is not None:
        raise ValueError(
            f"kernel was given for op={op!r}: pooling has no weights, expected kernel=None "
            f"(or op='conv')"
        )
    if flip:
        raise ValueError(
            f"flip=True is not valid with op={op!r}: pooling has no kernel to flip, "
            f"expected flip=False (or op='conv')"
        )
    if spec.transposed:
        raise ValueError(
            f"op={op!r} is not valid with transposed=True: pooling has no transpose, "
            f"expected op='conv' or a direct spec"
        )
    for (before, after), size in zip(spec.padding, spec.kernel_size, strict=True):
        if 2 * max(before, after) > size:
            raise ValueError(
                f"padding={spec.padding} is not valid with op={op!r}: as in PyTorch, pooling "
                f"pads at most half its window, expected padding <= {size // 2} for "
                f"kernel_size {size}"
            )
    if spec.in_channels != spec.out_channels:
        raise ValueError(
            f"op={op!r} needs in_channels == out_channels (pooling works on each channel "
            f"separately), got in_channels={spec.in_channels} and "
            f"out_channels={spec.out_channels}"
        )


def _max_pool(spec: ConvSpec, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum and winning flat index into ``x`` per channel and step.

    ``x`` has shape ``(channels, units)``; both results ``(channels, steps)``. The
    winner is the first maximum in tap order.
    """
    g = _gather(spec)
    empty = ~g.real.any(axis=1)
    if empty.any():
        step = spec.steps()[int(np.argmax(empty))]
        raise ValueError(
            f"max pooling window at output cell {step.output_index} covers only padding "
            f"(padding={spec.padding}, kernel_size={spec.kernel_size}, dilation="
            f"{spec.dilation}): every window needs a real input unit (PyTorch would "
            f"return -inf there); expected less padding or dilation"
        )
    padded = np.concatenate([x, np.full((len(x), 1), -np.inf)], axis=1)
    values = padded[:, g.inputs]
    column = np.argmax(values, axis=2)[..., None]
    maxima = np.take_along_axis(values, column, axis=2)[..., 0]
    units = np.take_along_axis(np.broadcast_to(g.inputs, values.shape), column, axis=2)[..., 0]
    return maxima, units + g.n_inputs * np.arange(len(x))[:, None]


def apply(
    spec: ConvSpec, x: Any, kernel: Any = None, op: str = "conv", *, flip: bool = False
) -> np.ndarray:
    """Compute a convolution or pooling of ``x`` exactly as the animation shows it.

    Parameters
    ----------
    spec : ConvSpec
        The convolution. For ``op="conv"`` with ``spec.transposed``, this is
        PyTorch's ``conv_transpose``.
    x : array_like
        The input, of shape ``spec.input_shape``: ``spec.input_size`` without
        channels, else ``(in_channels, *input_size)`` (no batch axis); bool,
        integer or floating values, all finite.
    kernel : array_like, optional
        The weights, of shape ``spec.kernel_shape`` in PyTorch's layout (not
        flipped, also for a transposed spec): ``spec.kernel_size`` without
        channels. Required for ``op="conv"``; must be None for pooling.
    op : {"conv", "max", "avg"}
        Convolution, max pooling or average pooling (padded zeros counted), each
        channel pooled separately.
    flip : bool
        If True, flip the kernel on every spatial axis first: a true convolution
        (as ``numpy.convolve``) instead of PyTorch's cross-correlation. For a
        transposed spec, ``conv_transpose`` with the flipped kernel. ``op="conv"``
        only.

    Returns
    -------
    numpy.ndarray of float64, shape ``spec.output_shape``
        ``spec.output_size`` without channels, else ``(out_channels, *output_size)``.

    Raises
    ------
    ValueError
        For an unknown ``op``; a kernel missing for ``"conv"`` or given for
        pooling; ``flip`` not a bool, or True for pooling; pooling with a
        transposed spec or with ``in_channels != out_channels``; ``x`` or ``kernel``
        of the wrong shape, of a non-numeric dtype (strings, objects, complex) or
        holding NaN or infinity; or max pooling where a window covers only padding.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> x = np.arange(16).reshape(4, 4)
    >>> apply(ConvSpec(4, 3), x, np.ones((3, 3)))
    array([[45., 54.],
           [81., 90.]])
    >>> apply(ConvSpec(4, 2, stride=2), x, op="max")
    array([[ 5.,  7.],
           [13., 15.]])
    >>> apply(ConvSpec((2,), 3, transposed=True), [1, 10], [1, 2, 3])
    array([ 1., 12., 23., 30.])
    >>> apply(ConvSpec((3,), 2), [1, 2, 3], [1, 10], flip=True)
    array([12., 23.])
    >>> depthwise = ConvSpec((3,), 2, in_channels=2, out_channels=2, groups=2)
    >>> apply(depthwise, [[1, 2, 3], [4, 5, 6]], [[[1, 1]], [[1, -1]]])
    array([[ 3.,  5.],
           [-1., -1.]])
    """
    _check_op(spec, op, kernel, flip)
    x = _input(spec, x)
    if op == "max":
        return _max_pool(spec, x)[0].reshape(spec.output_shape)
    g = _gather(spec)
    values = np.concatenate([x, np.zeros((len(x), 1))], axis=1)[:, g.inputs]  # sentinel: 0
    if op == "avg":
        return (values.sum(axis=2) / g.inputs.shape[1]).reshape(spec.output_shape)
    weights = _weights(spec, kernel, flip)[..., g.kernel]
    values = values.reshape(spec.groups, -1, *g.inputs.shape)
    # Padding taps add 0 * weight; "+ 0.0" turns a -0.0 (all-padding window,
    # negative weights) into 0.0, as a sum over no real taps would be.
    out = np.einsum("goct,gcst->gos", weights, values) + 0.0
    return out.reshape(spec.output_shape)


def winners(spec: ConvSpec, x: Any) -> tuple[Index, ...]:
    """The input unit that wins each output cell of max pooling.

    Parameters
    ----------
    spec : ConvSpec
        A direct (not transposed) spec.
    x : array_like
        The input, of shape ``spec.input_shape``.

    Returns
    -------
    tuple of tuple of int
        One index into ``x`` per output cell, row-major over ``spec.output_shape``:
        without channels one per step, else ``(channel, *input_index)`` per channel
        and step. The first maximum in the step's tap order; padding never wins.

    Raises
    ------
    ValueError
        As :func:`apply` with ``op="max"``.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> winners(ConvSpec((5,), 3, stride=2), [3, 1, 4, 1, 5])
    ((2,), (4,))
    >>> winners(ConvSpec((3,), 2), [7, 7, 1])  # ties: the first tap wins
    ((0,), (1,))
    """
    _check_op(spec, "max", None)
    flat = _max_pool(spec, _input(spec, x))[1].ravel()
    return tuple(
        tuple(int(i) for i in index) for index in zip(*np.unravel_index(flat, spec.input_shape), strict=True)
    )


def matrix(spec: ConvSpec, kernel: Any, *, flip: bool = False) -> np.ndarray:
    """The convolution as a dense matrix: the paper's matrix C (its chapter 4).

    Row ``r`` holds the weights that output cell ``r`` (row-major over
    ``spec.output_shape``) gives to each input unit (row-major over
    ``spec.input_shape``), so that
    ``C @ x.ravel() == apply(spec, x, kernel, flip=flip).ravel()``. The transposed
    spec with the same kernel (and an output size equal to this input size, in and
    out channels swapped) has matrix ``C.T``.

    Parameters
    ----------
    spec : ConvSpec
        The convolution, direct or transposed.
    kernel : array_like
        The weights, of shape ``spec.kernel_shape`` (PyTorch's layout).
    flip : bool
        If True, flip the kernel on every spatial axis first, as in :func:`apply`.

    Returns
    -------
    numpy.ndarray of float64
        Shape ``(out_channels * prod(output_size), in_channels * prod(input_size))``.

    Raises
    ------
    ValueError
        If ``kernel`` has the wrong shape, a non-numeric dtype or non-finite values,
        or ``flip`` is not a bool.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> matrix(ConvSpec((4,), 3), [1, 2, 3])
    array([[1., 2., 3., 0.],
           [0., 1., 2., 3.]])
    >>> matrix(ConvSpec((2,), 3, transposed=True), [1, 2, 3])
    array([[1., 0.],
           [2., 1.],
           [3., 2.],
           [0., 3.]])
    """
    _check_op(spec, "conv", kernel, flip)
    g = _gather(spec)
    weights = _weights(spec, kernel, flip)
    groups, per_out, per_in, _ = weights.shape
    rows, columns = np.nonzero(g.real)
    out = np.zeros((spec.out_channels, len(g.inputs), spec.in_channels, g.n_inputs))
    out_channel = (np.arange(groups)[:, None] * per_out + np.arange(per_out))[:, :, None, None]
    in_channel = (np.arange(groups)[:, None] * per_in + np.arange(per_in))[:, None, :, None]
    # Within one step, distinct taps lie over distinct input units: no entry is
    # written twice, so plain assignment suffices.
    out[out_channel, rows, in_channel, g.inputs[rows, columns]] = weights[..., g.kernel[columns]]
    return out.reshape(spec.out_channels * len(g.inputs), -1)


__all__ = ["OPS", "apply", "matrix", "winners"]
