"""The numbers behind the pictures: convolution and pooling computed from the steps.

Every result here is computed from the per-axis tap tables that
:meth:`ConvSpec.steps` is built from (:mod:`conv_anim.gather` evaluates them over
numpy arrays): the value of an output cell is the sum of
``x[tap.input_index] * kernel[tap.kernel_index]`` over the step's real taps (taps
over padding or inserted zeros contribute nothing), or the maximum or mean over
them for pooling. Picture and numbers therefore cannot disagree.

Semantics are PyTorch's for one batch element:

* ``op="conv"``: ``torch.nn.functional.conv1d/2d/3d`` (a cross-correlation: the
  kernel is not flipped), or ``conv_transpose1d/2d/3d`` for a transposed spec (the
  kernel in PyTorch's layout; the steps slide it flipped over the stretched input).
  With ``flip=True`` the kernel is first flipped on every spatial axis: a true
  convolution, as in signal processing (``numpy.convolve``).
* ``op="max"``: ``max_pool1d/2d/3d``; padding never wins (as if padded with
  ``-inf``). As PyTorch, padding is at most ``kernel_size / 2`` on each side. With
  dilation a window can still cover only padding, where PyTorch returns ``-inf``;
  :func:`apply` raises ParameterError naming the output cell instead.
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
float64; integer inputs whose sums stay below 2**53 give exact integer values. A
result that overflows float64 (finite inputs such as ``1e300 * 1e300``) is an
error, not a silent ``inf``: :class:`~conv_anim.errors.ParameterError` naming ``x``.

Cost: the work and the arrays are estimated from the spec first
(:func:`conv_anim.limits.check_work`, :func:`conv_anim.limits.check_matrix`) and
refused above the limits; memory stays bounded by gathering a block of output cells
at a time.
"""

from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from conv_anim import gather
from conv_anim.errors import ParameterError
from conv_anim.limits import check_listing, check_matrix, check_work

if TYPE_CHECKING:
    from conv_anim.geometry import ConvSpec
    from conv_anim.taps import AxisTaps

Index = tuple[int, ...]
FloatArray = NDArray[np.float64]

OPS = ("conv", "max", "avg")

_ALLOWED_KINDS = "b", "i", "u", "f"
_ALLOWED_DTYPES = "bool, integer or floating"
_KIND_NAMES = {
    "U": "strings",
    "S": "bytes",
    "O": "Python objects",
    "c": "complex numbers",
    "M": "datetimes",
    "m": "timedeltas",
    "V": "raw or structured data",
}


def as_real_array(name: str, value: object, shape: Index, what: str) -> FloatArray:
    """Validate one array argument and return it as a float64 array.

    Raises
    ------
    ParameterError
        Naming ``name``: ragged nesting, a non-numeric dtype, a shape other than
        ``shape`` (described as ``what``), or NaN or infinity.

    Examples
    --------
    >>> as_real_array("x", [[1, 2]], (1, 2), "spec.input_size")
    array([[1., 2.]])
    """
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested sequences
        raise ParameterError(
            f"{name} could not be converted to an array ({error}): expected {what}",
            parameter=name, value=value, allowed=what,
        ) from None
    allowed = f"an array of shape {tuple(shape)} ({what}) of {_ALLOWED_DTYPES} values"
    if array.dtype.kind not in _ALLOWED_KINDS:
        kind = _KIND_NAMES.get(array.dtype.kind, array.dtype.kind)
        raise ParameterError(
            f"{name} has dtype {array.dtype} ({kind}), which is not numeric: expected "
            f"{_ALLOWED_DTYPES} values",
            parameter=name, value=value, allowed=allowed,
        )
    if array.shape != tuple(shape):
        raise ParameterError(
            f"{name} has shape {array.shape} but {what} is {tuple(shape)}: expected an "
            f"array of shape {tuple(shape)}",
            parameter=name, value=value, allowed=allowed,
        )
    floats = array.astype(np.float64)
    finite = np.isfinite(floats)
    if not finite.all():
        bad = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ParameterError(
            f"{name} holds non-finite values (first at index {bad}: {floats[bad]}): "
            f"expected finite numbers, no NaN or infinity",
            parameter=name, value=value, allowed="finite numbers",
        )
    return floats


def input_array(spec: ConvSpec, x: object, name: str = "x") -> FloatArray:
    """``x`` validated, shaped ``(in_channels, *input_size)``."""
    what = "spec.input_shape" if spec.has_channels else "spec.input_size"
    return as_real_array(name, x, spec.input_shape, what).reshape(
        spec.in_channels, *spec.input_size
    )


def output_array(spec: ConvSpec, y: object, name: str) -> FloatArray:
    """An output-shaped array (e.g. a gradient) validated, shaped ``(out_channels, cells)``."""
    what = "spec.output_shape" if spec.has_channels else "spec.output_size"
    return as_real_array(name, y, spec.output_shape, what).reshape(spec.out_channels, -1)


def weight_array(spec: ConvSpec, kernel: object, flip: bool = False) -> FloatArray:
    """``kernel`` validated, as ``(groups, out per group, in per group, taps)`` in the
    steps' tap order (flipped first on every spatial axis if ``flip``)."""
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
    return gather.tap_order(tap_axes(spec), weights)


def tap_axes(spec: ConvSpec) -> tuple[AxisTaps, ...]:
    """The per-axis tap tables of ``spec``'s steps."""
    return spec.steps().axes


def finite_result(result: FloatArray, names: str, parameter: str) -> FloatArray:
    """``result``, or a ParameterError if finite inputs overflowed float64 in it.

    Examples
    --------
    >>> finite_result(np.array([1.0, np.inf]), "x and kernel", "x")
    Traceback (most recent call last):
    ...
    conv_anim.errors.ParameterError: x and kernel overflow float64: the result is not finite at flat index 1 (inf): expected values whose products and sums stay within +-1.8e308
    """  # noqa: E501 - one message
    finite = np.isfinite(result)
    if finite.all():
        return result
    flat = int(np.argmax(~finite.ravel()))
    allowed = "values whose products and sums stay within +-1.8e308"
    raise ParameterError(
        f"{names} overflow float64: the result is not finite at flat index {flat} "
        f"({result.ravel()[flat]}): expected {allowed}",
        parameter=parameter, value=None, allowed=allowed,
    )


def _check_op(spec: ConvSpec, op: object, kernel: object, flip: object = False) -> str:
    if not isinstance(op, str) or op not in OPS:
        raise ParameterError(
            f"op={op!r} is not valid: expected one of {', '.join(map(repr, OPS))}",
            parameter="op", value=op, allowed=f"one of {', '.join(map(repr, OPS))}",
        )
    if not isinstance(flip, bool):
        raise ParameterError(
            f"flip={flip!r} is not valid: expected True or False",
            parameter="flip", value=flip, allowed="True or False",
        )
    if op == "conv":
        if kernel is None:
            shape = "spec.kernel_shape" if spec.has_channels else "spec.kernel_size"
            raise ParameterError(
                f"kernel is missing: op='conv' needs a kernel of shape {spec.kernel_shape} "
                f"({shape})",
                parameter="kernel", value=None, allowed=f"an array of shape {spec.kernel_shape}",
            )
        return op
    _check_pooling(spec, op, kernel, flip)
    return op


def _check_pooling(spec: ConvSpec, op: str, kernel: object, flip: bool) -> None:
    def refuse(parameter: str, value: object, message: str, allowed: str) -> ParameterError:
        return ParameterError(message, parameter=parameter, value=value, allowed=allowed)

    if kernel is not None:
        raise refuse("kernel", kernel, f"kernel was given for op={op!r}: pooling has no "
                     f"weights, expected kernel=None (or op='conv')", "None")
    if flip:
        raise refuse("flip", flip, f"flip=True is not valid with op={op!r}: pooling has no "
                     f"kernel to flip, expected flip=False (or op='conv')", "False")
    if spec.transposed:
        raise refuse("op", op, f"op={op!r} is not valid with transposed=True: pooling has no "
                     f"transpose, expected op='conv' or a direct spec", "'conv'")
    for (before, after), size in zip(spec.padding, spec.kernel_size, strict=True):
        if 2 * max(before, after) > size:
            raise refuse(
                "padding", spec.padding,
                f"padding={spec.padding} is not valid with op={op!r}: as in PyTorch, pooling "
                f"pads at most half its window, expected padding <= {size // 2} for "
                f"kernel_size {size}", f"padding <= {size // 2}",
            )
    if spec.in_channels != spec.out_channels:
        raise refuse(
            "op", op,
            f"op={op!r} needs in_channels == out_channels (pooling works on each channel "
            f"separately), got in_channels={spec.in_channels} and "
            f"out_channels={spec.out_channels}", "in_channels == out_channels",
        )


def _max_pool(spec: ConvSpec, x: FloatArray) -> tuple[FloatArray, NDArray[np.intp]]:
    """Maxima and winning flat input indices, both ``(channels, cells)``."""
    axes = tap_axes(spec)
    # A window covers only padding when one of its coordinates does; the first such
    # cell in row-major order is the smallest of the first ones per axis.
    empty = [
        tuple(int(first[0]) if b == a else 0 for b in range(spec.ndim))
        for a, axis in enumerate(axes)
        if (first := np.flatnonzero(gather.axis_counts(axis)[0] == 0)).size
    ]
    if empty:
        cell = min(empty)
        raise ParameterError(
            f"max pooling window at output cell {cell} covers only padding "
            f"(padding={spec.padding}, kernel_size={spec.kernel_size}, dilation="
            f"{spec.dilation}): every window needs a real input unit (PyTorch would "
            f"return -inf there); expected less padding or dilation",
            parameter="padding", value=spec.padding, allowed="less padding or dilation",
        )
    return gather.pool(axes, x, "max")


def apply(
    spec: ConvSpec, x: object, kernel: object = None, op: str = "conv", *, flip: bool = False
) -> FloatArray:
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
    ParameterError
        For an unknown ``op``; a kernel missing for ``"conv"`` or given for
        pooling; ``flip`` not a bool, or True for pooling; pooling with a
        transposed spec or with ``in_channels != out_channels``; ``x`` or ``kernel``
        of the wrong shape, of a non-numeric dtype (strings, objects, complex) or
        holding NaN or infinity; max pooling where a window covers only padding; a
        result that overflows float64 (naming ``x``); or a spec above the limits of
        :mod:`conv_anim.limits` (work, array sizes).

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
    op = _check_op(spec, op, kernel, flip)
    check_work(spec, op, "apply()")
    array = input_array(spec, x)
    if op == "max":
        return _max_pool(spec, array)[0].reshape(spec.output_shape)
    weights = None if op == "avg" else weight_array(spec, kernel, flip)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        if weights is None:
            out = gather.pool(tap_axes(spec), array, "avg")[0]
        else:
            # Padding taps add 0 * weight; "+ 0.0" turns a -0.0 (all-padding window,
            # negative weights) into 0.0, as a sum over no real taps would be.
            out = gather.correlate(tap_axes(spec), array, weights) + 0.0
    names = "x" if weights is None else "x and kernel"
    return finite_result(out, names, "x").reshape(spec.output_shape)


def winners(spec: ConvSpec, x: object) -> tuple[Index, ...]:
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
    ParameterError
        As :func:`apply` with ``op="max"``, or for more winners than
        :data:`conv_anim.limits.MAX_LISTED_CELLS`.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> winners(ConvSpec((5,), 3, stride=2), [3, 1, 4, 1, 5])
    ((2,), (4,))
    >>> winners(ConvSpec((3,), 2), [7, 7, 1])  # ties: the first tap wins
    ((0,), (1,))
    """
    _check_op(spec, "max", None)
    check_work(spec, "max", "winners()")
    check_listing(prod(spec.output_shape), f"{spec}.winners()", "winning units")
    units = _max_pool(spec, input_array(spec, x))[1]
    flat = (units + prod(spec.input_size) * np.arange(len(units))[:, None]).ravel()
    return tuple(
        tuple(int(i) for i in index)
        for index in zip(*np.unravel_index(flat, spec.input_shape), strict=True)
    )


def matrix(spec: ConvSpec, kernel: object, *, flip: bool = False) -> FloatArray:
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
    ParameterError
        If ``kernel`` has the wrong shape, a non-numeric dtype or non-finite values,
        ``flip`` is not a bool, or the matrix would have more than
        :data:`conv_anim.limits.MAX_MATRIX_ENTRIES` entries.

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
    check_matrix(spec)
    out = gather.dense(tap_axes(spec), weight_array(spec, kernel, flip))
    return out.reshape(spec.out_channels * prod(spec.output_size), -1)


__all__ = [
    "OPS",
    "apply",
    "as_real_array",
    "finite_result",
    "input_array",
    "matrix",
    "output_array",
    "tap_axes",
    "weight_array",
    "winners",
]
