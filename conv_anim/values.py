"""The values a numerical figure shows: the input, the kernel, the operation, the output.

:class:`Numbers` validates what :func:`conv_anim.animate` is given (``values``,
``kernel``, ``op``) and computes the output with :meth:`ConvSpec.apply
<conv_anim.geometry.ConvSpec.apply>`, so that the numbers drawn are the numbers
computed. It is what :attr:`Animation.numbers <conv_anim.animation.Animation.numbers>`
holds.

>>> from conv_anim import ConvSpec
>>> Numbers.compute(ConvSpec((3,), 2), [1, 2, 3], [1, 1]).output
array([3., 5.])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec, Step
from conv_anim.numerics import as_real_array, winners

Index = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Numbers:
    """The numbers a figure shows: validated inputs and the result computed from them.

    Build it with :meth:`compute`.

    Attributes
    ----------
    values : numpy.ndarray of float64, shape ``spec.input_size``
        The input (read-only).
    kernel : numpy.ndarray of float64 or None
        The weights, shape ``spec.kernel_size`` in PyTorch's layout (read-only), or
        None for pooling.
    op : {"conv", "max", "avg"}
        Convolution, max pooling or average pooling.
    output : numpy.ndarray of float64, shape ``spec.output_size``
        The result, from :meth:`ConvSpec.apply` (read-only).
    winners : tuple of tuple of int or None
        For max pooling, the winning input unit of each step; else None.
    """

    values: np.ndarray
    kernel: np.ndarray | None
    op: str
    output: np.ndarray
    winners: tuple[Index, ...] | None

    @classmethod
    def compute(
        cls, spec: ConvSpec, values: ArrayLike, kernel: ArrayLike | None = None,
        op: str = "conv",
    ) -> Numbers:
        """Validate ``values`` and ``kernel`` and compute the output.

        Raises
        ------
        ValueError
            As :func:`conv_anim.numerics.apply` (naming ``values``, ``kernel`` or
            ``op``): an unknown op, a kernel missing for ``"conv"`` or given for
            pooling, pooling a transposed spec, a wrong shape, a non-numeric dtype,
            non-finite values, or finite values whose result overflows float64.
        """
        array = as_real_array("values", values, spec.input_size, "spec.input_size")
        try:
            output = spec.apply(array, kernel, op)
        except ParameterError as error:
            if error.parameter != "x":  # apply's name for the values: only an overflow
                raise
            raise ParameterError(f"values{str(error).removeprefix('x')}", parameter="values",
                                 value=None, allowed=error.allowed) from None
        weights = None if kernel is None else np.array(kernel, dtype=np.float64)
        for item in (array, weights, output):
            if item is not None:
                item.setflags(write=False)
        return cls(
            values=array,
            kernel=weights,
            op=op,
            output=output,
            winners=winners(spec, array) if op == "max" else None,
        )


    def maxima(self, step: Step) -> tuple[Index, ...]:
        """The input units holding the largest value a max-pooling step reads: every
        one when several tie (padding, -inf, never wins).

        Examples
        --------
        >>> spec = ConvSpec((4,), 2, stride=2)
        >>> numbers = Numbers.compute(spec, [3, 3, 1, 2], op="max")
        >>> [numbers.maxima(step) for step in spec.steps()]
        [((0,), (1,)), ((3,),)]
        """
        units = [tap.input_index for tap in step.taps if tap.input_index is not None]
        best = max(float(self.values[unit]) for unit in units)
        return tuple(unit for unit in units if float(self.values[unit]) == best)


__all__ = ["Numbers"]
