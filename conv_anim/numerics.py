"""The numbers behind the pictures: convolution and pooling computed from the steps.

Every result here is computed from :meth:`ConvSpec.steps`, the very steps an
animation draws: the value of an output cell is the sum of
``x[tap.input_index] * kernel[tap.kernel_index]`` over the step's real taps (taps
over padding or inserted zeros contribute nothing), or the maximum or mean over
them for pooling. Picture and numbers therefore cannot disagree. The steps are
turned once per spec into integer gather arrays (cached), so the arithmetic
itself is vectorised numpy.

Semantics are PyTorch's for one channel and one batch element:

* ``op="conv"``: ``torch.nn.functional.conv1d/2d/3d`` (a cross-correlation: the
  kernel is not flipped), or ``conv_transpose1d/2d/3d`` for a transposed spec (the
  kernel in PyTorch's layout; the steps slide it flipped over the stretched input).
* ``op="max"``: ``max_pool1d/2d/3d``; padding never wins (as if padded with
  ``-inf``). PyTorch requires ``padding <= effective_kernel_size / 2``; here a
  larger padding is accepted as long as every window covers at least one real
  input unit, otherwise :func:`apply` raises ValueError naming the output cell.
* ``op="avg"``: ``avg_pool1d/2d/3d`` with ``count_include_pad=True``: the sum over
  the real units divided by the number of taps (the kernel size's product), padded
  zeros counted. Dilation, which PyTorch's average pooling lacks, means the taps
  are spread out as for ``op="max"``; the divisor stays the number of taps.

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
    kernel : numpy.ndarray of intp, shape (steps, taps)
        Flat (row-major) index of the weight each tap multiplies.
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
    n_taps = prod(spec.kernel_size)
    inputs = np.array(
        [
            [n_inputs if t.input_index is None else _flat(t.input_index, spec.input_size)
             for t in step.taps]
            for step in steps
        ],
        dtype=np.intp,
    ).reshape(len(steps), n_taps)
    kernel = np.array(
        [[_flat(t.kernel_index, spec.kernel_size) for t in step.taps] for step in steps],
        dtype=np.intp,
    ).reshape(len(steps), n_taps)
    real = inputs != n_inputs
    for array in (inputs, kernel, real):
        array.setflags(write=False)
    return _Gather(inputs=inputs, kernel=kernel, real=real, n_inputs=n_inputs)


def _flat(index: Index, shape: Index) -> int:
    flat = 0
    for i, n in zip(index, shape):
        flat = flat * n + i
    return flat


def _as_real_array(name: str, value: Any, shape: Index, what: str) -> np.ndarray:
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


def _check_op(spec: ConvSpec, op: object, kernel: object) -> None:
    if not isinstance(op, str) or op not in OPS:
        raise ValueError(f"op={op!r} is not valid: expected one of {', '.join(map(repr, OPS))}")
    if op == "conv":
        if kernel is None:
            raise ValueError(
                f"kernel is missing: op='conv' needs a kernel of shape {spec.kernel_size} "
                f"(spec.kernel_size)"
            )
        return
    if kernel is not None:
        raise ValueError(
            f"kernel was given for op={op!r}: pooling has no weights, expected kernel=None "
            f"(or op='conv')"
        )
    if spec.transposed:
        raise ValueError(
            f"op={op!r} is not valid with transposed=True: pooling has no transpose, "
            f"expected op='conv' or a direct spec"
        )


def _max_pool(spec: ConvSpec, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum and winning flat input index per step (first maximum in tap order)."""
    g = _gather(spec)
    empty = ~g.real.any(axis=1)
    if empty.any():
        step = spec.steps()[int(np.argmax(empty))]
        raise ValueError(
            f"max pooling window at output cell {step.output_index} covers only padding "
            f"(padding={spec.padding}, kernel_size={spec.kernel_size}, dilation="
            f"{spec.dilation}): every window needs a real input unit; PyTorch requires "
            f"padding <= effective_kernel_size / 2 = "
            f"{tuple(e / 2 for e in spec.effective_kernel_size)}"
        )
    values = np.append(x.ravel(), -np.inf)[g.inputs]
    column = np.argmax(values, axis=1)
    rows = np.arange(len(column))
    return values[rows, column], g.inputs[rows, column]


def apply(
    spec: ConvSpec, x: Any, kernel: Any = None, op: str = "conv"
) -> np.ndarray:
    """Compute a convolution or pooling of ``x`` exactly as the animation shows it.

    Parameters
    ----------
    spec : ConvSpec
        The convolution. For ``op="conv"`` with ``spec.transposed``, this is
        PyTorch's ``conv_transpose``.
    x : array_like
        The input, of shape ``spec.input_size`` (one channel, no batch axis); bool,
        integer or floating values, all finite.
    kernel : array_like, optional
        The weights, of shape ``spec.kernel_size`` in PyTorch's layout (not flipped,
        also for a transposed spec). Required for ``op="conv"``; must be None for
        pooling.
    op : {"conv", "max", "avg"}
        Convolution, max pooling or average pooling (padded zeros counted).

    Returns
    -------
    numpy.ndarray of float64, shape ``spec.output_size``

    Raises
    ------
    ValueError
        For an unknown ``op``; a kernel missing for ``"conv"`` or given for
        pooling; pooling with a transposed spec; ``x`` or ``kernel`` of the wrong
        shape, of a non-numeric dtype (strings, objects, complex) or holding NaN or
        infinity; or max pooling where a window covers only padding.

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
    """
    _check_op(spec, op, kernel)
    x = _as_real_array("x", x, spec.input_size, "spec.input_size")
    if op == "max":
        return _max_pool(spec, x)[0].reshape(spec.output_size)
    g = _gather(spec)
    values = np.append(x.ravel(), 0.0)[g.inputs]  # the sentinel slot holds 0
    if op == "avg":
        out = values.sum(axis=1) / g.inputs.shape[1]
    else:
        weights = _as_real_array("kernel", kernel, spec.kernel_size, "spec.kernel_size")
        # Padding taps add 0 * weight; "+ 0.0" turns a -0.0 (all-padding window,
        # negative weights) into 0.0, as a sum over no real taps would be.
        out = np.einsum("ij,ij->i", values, weights.ravel()[g.kernel]) + 0.0
    return out.reshape(spec.output_size)


def winners(spec: ConvSpec, x: Any) -> tuple[Index, ...]:
    """The input unit that wins each step of max pooling.

    Parameters
    ----------
    spec : ConvSpec
        A direct (not transposed) spec.
    x : array_like
        The input, of shape ``spec.input_size``.

    Returns
    -------
    tuple of tuple of int
        One input index per step (row-major over the output), the first maximum in
        the step's tap order; padding never wins.

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
    x = _as_real_array("x", x, spec.input_size, "spec.input_size")
    flat = _max_pool(spec, x)[1]
    return tuple(
        tuple(int(i) for i in index) for index in zip(*np.unravel_index(flat, spec.input_size))
    )


def matrix(spec: ConvSpec, kernel: Any) -> np.ndarray:
    """The convolution as a dense matrix: the paper's matrix C (its chapter 4).

    Row ``r`` holds the weights that output cell ``r`` (row-major) gives to each
    input unit (row-major), so that
    ``C @ x.ravel() == apply(spec, x, kernel).ravel()``. The transposed spec with the
    same kernel (and an output size equal to this input size) has matrix ``C.T``.

    Parameters
    ----------
    spec : ConvSpec
        The convolution, direct or transposed.
    kernel : array_like
        The weights, of shape ``spec.kernel_size`` (PyTorch's layout).

    Returns
    -------
    numpy.ndarray of float64, shape ``(prod(spec.output_size), prod(spec.input_size))``

    Raises
    ------
    ValueError
        If ``kernel`` has the wrong shape, a non-numeric dtype or non-finite values.

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
    weights = _as_real_array("kernel", kernel, spec.kernel_size, "spec.kernel_size")
    g = _gather(spec)
    rows, columns = np.nonzero(g.real)
    out = np.zeros((g.inputs.shape[0], g.n_inputs))
    np.add.at(out, (rows, g.inputs[rows, columns]), weights.ravel()[g.kernel[rows, columns]])
    return out


__all__ = ["OPS", "apply", "matrix", "winners"]
