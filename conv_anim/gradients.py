"""The backward pass and the overlap of a convolution, from the steps' tap tables.

A convolution is a linear map ``y = C x`` (the paper's chapter 4: the matrix C of
:func:`conv_anim.numerics.matrix`). Its backward pass, for a loss L with gradient
``dL/dy`` at the output, is

* :func:`grad_input`: ``dL/dx = C.T @ dL/dy``, each output cell's gradient spread
  back over the input units its taps read, weighted by the taps' weights (a
  scatter-add along the very indices the forward pass gathers); for a direct
  convolution that is the transposed convolution of ``dL/dy``, and for a transposed
  one the direct convolution;
* :func:`grad_kernel`: ``dL/dw``, per weight the sum over the steps of ``dL/dy`` at
  the step's output cell times the input unit the weight's tap read;

with PyTorch autograd's semantics (``x.grad`` and ``weight.grad`` after
``y.backward(grad_output)``) for every spec: 1-D to 3-D, stride, asymmetric padding,
dilation, groups and channels, transposed with output padding. Input units that no
step covers (a stride above 1 whose windows skip the end of the input) get gradient
zero, as in PyTorch.

:func:`overlap` counts, per output unit of a transposed convolution (or input unit of
a direct one), the kernel taps that touch it: ``conv_transpose`` of ones with a
kernel of ones. Unequal counts in the interior are the checkerboard of Odena et al.
(Distill 2016); :meth:`ConvSpec.overlaps_evenly` says whether they are equal.

Arrays and work are checked against :mod:`conv_anim.limits` before anything is
computed; shapes and dtypes are validated as in :func:`conv_anim.numerics.apply`.
"""

from __future__ import annotations

from math import prod
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from conv_anim import gather
from conv_anim.limits import check_elements, check_work
from conv_anim.numerics import finite_result, input_array, output_array, tap_axes, weight_array

if TYPE_CHECKING:
    from conv_anim.geometry import ConvSpec

FloatArray = NDArray[np.float64]


def grad_input(spec: ConvSpec, grad_output: object, kernel: object) -> FloatArray:
    """The gradient of a loss with respect to the input: ``C.T @ grad_output``.

    Parameters
    ----------
    spec : ConvSpec
        The convolution, direct or transposed.
    grad_output : array_like
        ``dL/dy``, of shape ``spec.output_shape``.
    kernel : array_like
        The weights, of shape ``spec.kernel_shape`` (PyTorch's layout).

    Returns
    -------
    numpy.ndarray of float64, shape ``spec.input_shape``
        ``dL/dx``, as PyTorch autograd's ``x.grad``.

    Raises
    ------
    ParameterError
        For arrays of the wrong shape, a non-numeric dtype or non-finite values, a
        result that overflows float64 (naming ``grad_output``), or a spec above the
        limits of :mod:`conv_anim.limits`.

    Examples
    --------
    The gradient of a stride-2 convolution is its transpose; the last input unit,
    which no step reads, gets zero:

    >>> from conv_anim.geometry import ConvSpec
    >>> grad_input(ConvSpec((6,), 3, stride=2), [1, 10], [1, 2, 3])
    array([ 1.,  2., 13., 20., 30.,  0.])
    """
    check_work(spec, "conv", "grad_input()")
    grad = output_array(spec, grad_output, "grad_output")
    weights = weight_array(spec, kernel)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        out = gather.scatter(tap_axes(spec), grad, weights) + 0.0
    out = finite_result(out, "grad_output and kernel", "grad_output")
    return out.reshape(spec.input_shape)


def grad_kernel(spec: ConvSpec, x: object, grad_output: object) -> FloatArray:
    """The gradient of a loss with respect to the kernel.

    Parameters
    ----------
    spec : ConvSpec
        The convolution, direct or transposed.
    x : array_like
        The input, of shape ``spec.input_shape``.
    grad_output : array_like
        ``dL/dy``, of shape ``spec.output_shape``.

    Returns
    -------
    numpy.ndarray of float64, shape ``spec.kernel_shape``
        ``dL/dw`` in PyTorch's weight layout, as autograd's ``weight.grad``.

    Raises
    ------
    ParameterError
        As :func:`grad_input` (an overflow names ``x``).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> grad_kernel(ConvSpec((4,), 2, stride=2), [1, 2, 3, 4], [1, 10])
    array([31., 42.])
    >>> grad_kernel(ConvSpec((2,), 3, transposed=True), [1, 10], [1, 2, 3, 4])
    array([21., 32., 43.])
    """
    check_work(spec, "conv", "grad_kernel()")
    array = input_array(spec, x)
    grad = output_array(spec, grad_output, "grad_output")
    axes = tap_axes(spec)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        taps = gather.kernel_products(axes, array, grad, spec.groups)
    kernel = gather.from_tap_order(axes, taps)  # (groups, out per group, in per group, *k)
    if spec.transposed:  # PyTorch's layout: (in_channels, out_channels // groups, *k)
        kernel = kernel.swapaxes(1, 2)
    out = finite_result(kernel + 0.0, "x and grad_output", "x")
    return out.reshape(spec.kernel_shape)


def overlap(spec: ConvSpec) -> NDArray[np.int64]:
    """How many kernel taps touch each unit: the checkerboard of a transposed convolution.

    For a transposed convolution, per output unit: the taps of the step that
    computes it lying over real input units (not padding, not inserted zeros), that
    is ``conv_transpose`` of ones with a kernel of ones. For a direct convolution,
    per input unit: the (step, tap) pairs that read it, the same count for its
    gradient (zero for units no step covers). Channels are not counted.

    The counts are products of per-axis counts, computed per axis.

    Returns
    -------
    numpy.ndarray of int64
        Shape ``spec.output_size`` (transposed) or ``spec.input_size`` (direct).

    Raises
    ------
    ParameterError
        Above :data:`conv_anim.limits.MAX_ARRAY_ELEMENTS` units, or taps on one axis.

    Examples
    --------
    Kernel 3 and stride 2 overlap unevenly, kernel 4 evenly (apart from the borders):

    >>> from conv_anim.geometry import ConvSpec
    >>> overlap(ConvSpec((4,), 3, stride=2, transposed=True))
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    >>> overlap(ConvSpec((4,), 4, stride=2, transposed=True))
    array([1, 1, 2, 2, 2, 2, 2, 2, 1, 1])
    >>> overlap(ConvSpec(3, 3, stride=2, padding=1, transposed=True))
    array([[1, 2, 1, 2, 1],
           [2, 4, 2, 4, 2],
           [1, 2, 1, 2, 1],
           [2, 4, 2, 4, 2],
           [1, 2, 1, 2, 1]])
    """
    size = spec.output_size if spec.transposed else spec.input_size
    check_elements(spec, prod(size), "overlap()")
    axes = tap_axes(spec)
    for axis in axes:
        check_elements(spec, axis.outputs * axis.kernel_size, "overlap(): the taps of one axis")
    counts = np.ones((), dtype=np.int64)
    for axis in axes:
        per_output, per_input = gather.axis_counts(axis)
        counts = np.multiply.outer(counts, per_output if spec.transposed else per_input)
    return np.asarray(counts, dtype=np.int64)


__all__ = ["grad_input", "grad_kernel", "overlap"]
