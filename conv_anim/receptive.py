"""Receptive fields of a stack of convolutions and poolings (numpy-free).

A stack is a sequence of direct :class:`~conv_anim.geometry.ConvSpec`, each one's
``input_size`` the previous one's ``output_size`` (channels are not checked: the
fields are spatial). Per layer and axis, with ``k`` the effective kernel size
``dilation * (kernel_size - 1) + 1``, ``s`` the stride and ``p`` the padding before,
the standard recurrences, starting from ``r = j = 1`` and ``start = 0`` on the
input, give

* the receptive field size ``r_out = r_in + (k - 1) * j_in``: input units spanned
  by one output unit's field;
* the jump ``j_out = j_in * s``: input units between the fields of neighbouring
  output units (the product of the strides);
* the start ``start_out = start_in + ((k - 1) / 2 - p) * j_in``: the input
  coordinate of the centre of output unit 0's field (input unit ``n`` sits at
  ``n``; negative values lie in the padding).

:func:`receptive_fields` returns them as :class:`ReceptiveField` values;
:func:`input_ranges` gives the field of one output unit of the last layer, clipped
to the input; :func:`input_units` gives the input units it actually depends on,
following the taps back through every layer (dilation holes, strides that skip
units and taps over intermediate padding leave units out of the field's span).
Transposed convolutions are not supported: their jumps would be fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.params import as_int

Index = tuple[int, ...]


@dataclass(frozen=True)
class ReceptiveField:
    """The receptive field of one layer's output units on the stack's input.

    Attributes
    ----------
    layer : int
        The layer's position in the stack, 0 for the first.
    input_size : tuple of int
        The stack's input size (the first layer's ``input_size``).
    output_size : tuple of int
        This layer's output size.
    size : tuple of int
        ``r``: input units spanned by one output unit's field, per axis.
    jump : tuple of int
        ``j``: distance, in input units, between the fields of neighbouring output
        units (the product of the strides so far).
    start : tuple of float
        Centre of output unit 0's field in input coordinates (a half for an even
        ``size``); the field of output unit ``o`` is centred on
        ``start + o * jump``.

    Examples
    --------
    >>> stack = [ConvSpec(8, 3), ConvSpec(6, 3), ConvSpec(4, 2, stride=2)]
    >>> field = receptive_fields(stack)[-1]
    >>> field.size, field.jump, field.start
    ((6, 6), (2, 2), (2.5, 2.5))
    >>> field.window((1, 0))
    (range(2, 8), range(0, 6))
    """

    layer: int
    input_size: Index
    output_size: Index
    size: Index
    jump: Index
    start: tuple[float, ...]

    @property
    def first(self) -> Index:
        """The lowest input coordinate in output unit 0's field (negative: padding)."""
        return tuple(int(c - (r - 1) / 2) for c, r in zip(self.start, self.size, strict=True))

    def window(self, output_index: Sequence[int]) -> tuple[range, ...]:
        """The field of the output unit at ``output_index``, clipped to the input.

        One range of input indices per axis; a range is empty where the field lies
        wholly in the padding.

        Raises
        ------
        ParameterError
            If ``output_index`` is not an index into ``output_size``.
        """
        index = _output_index(output_index, self.output_size)
        return tuple(
            range(max(f + o * j, 0), min(f + o * j + r, n))
            for f, o, j, r, n in zip(
                self.first, index, self.jump, self.size, self.input_size, strict=True
            )
        )


def receptive_fields(specs: Sequence[ConvSpec]) -> tuple[ReceptiveField, ...]:
    """The receptive field of every layer of a stack, first layer first.

    Parameters
    ----------
    specs : sequence of ConvSpec
        The layers, in order; each one's ``input_size`` must equal the previous
        one's ``output_size``. Convolutions and poolings alike; not transposed.

    Raises
    ------
    ParameterError
        If ``specs`` is empty or holds something other than a ConvSpec, a
        transposed ConvSpec, or a layer whose input size is not the previous
        layer's output size.

    Examples
    --------
    WaveNet's causal stack: kernel 2, dilations 1, 2, 4, 8.

    >>> stack = [ConvSpec((32,), 2, dilation=d, padding=((d, 0),)) for d in (1, 2, 4, 8)]
    >>> [field.size for field in receptive_fields(stack)]
    [(2,), (4,), (8,), (16,)]
    """
    _check_stack(specs)
    size, jump = (1,) * specs[0].ndim, (1,) * specs[0].ndim
    start: tuple[float, ...] = (0.0,) * specs[0].ndim
    fields = []
    for layer, spec in enumerate(specs):
        start = tuple(
            c + ((k - 1) / 2 - before) * j
            for c, k, (before, _), j in zip(
                start, spec.effective_kernel_size, spec.padding, jump, strict=True
            )
        )
        size = tuple(
            r + (k - 1) * j for r, k, j in zip(size, spec.effective_kernel_size, jump, strict=True)
        )
        jump = tuple(j * s for j, s in zip(jump, spec.stride, strict=True))
        fields.append(
            ReceptiveField(
                layer=layer,
                input_size=specs[0].input_size,
                output_size=spec.output_size,
                size=size,
                jump=jump,
                start=start,
            )
        )
    return tuple(fields)


def input_ranges(specs: Sequence[ConvSpec], output_index: Sequence[int]) -> tuple[range, ...]:
    """The receptive field of one output unit of the stack's last layer, clipped.

    Per axis, the range of input indices the field spans
    (:meth:`ReceptiveField.window` of the last layer); every input unit the
    output depends on lies inside (see :func:`input_units` for exactly which).

    Raises
    ------
    ParameterError
        As :func:`receptive_fields`, or if ``output_index`` is not an index into
        the last layer's ``output_size``.

    Examples
    --------
    >>> input_ranges([ConvSpec((7,), 3), ConvSpec((5,), 3)], (2,))
    (range(2, 7),)
    """
    return receptive_fields(specs)[-1].window(output_index)


def input_units(specs: Sequence[ConvSpec], output_index: Sequence[int]) -> tuple[Index, ...]:
    """The input units one output unit of the stack's last layer depends on.

    Follows the kernel's taps back through every layer, skipping taps over
    padding and dilation holes.

    Returns
    -------
    tuple of tuple of int
        Per axis, the sorted input indices; the units are their Cartesian product
        (none if an axis is empty).

    Raises
    ------
    ParameterError
        As :func:`input_ranges`.

    Examples
    --------
    >>> input_units([ConvSpec((9,), 2, dilation=4)], (0,))  # a dilation hole
    ((0, 4),)
    """
    fields = receptive_fields(specs)
    units = [{o} for o in _output_index(output_index, fields[-1].output_size)]
    for spec in reversed(specs):
        units = [
            {
                o * s - before + t * d
                for o in outputs
                for t in range(k)
                if 0 <= o * s - before + t * d < n
            }
            for outputs, k, s, (before, _), d, n in zip(
                units, spec.kernel_size, spec.stride, spec.padding, spec.dilation,
                spec.input_size, strict=True,
            )
        ]
    return tuple(tuple(sorted(axis)) for axis in units)


def _check_stack(specs: Sequence[ConvSpec]) -> None:
    if not isinstance(specs, Sequence) or not specs:
        raise ParameterError(
            f"specs={specs!r} is not valid: expected a non-empty sequence of ConvSpec",
            parameter="specs", value=specs, allowed="a non-empty sequence of ConvSpec",
        )
    for n, spec in enumerate(specs):
        if not isinstance(spec, ConvSpec):
            raise ParameterError(
                f"specs[{n}]={spec!r} ({type(spec).__name__}) is not valid: expected a ConvSpec",
                parameter="specs", value=spec, allowed="a ConvSpec",
            )
        if spec.transposed:
            raise ParameterError(
                f"specs[{n}] is transposed, which is not supported: receptive fields are "
                f"computed for direct convolutions and poolings only (expected "
                f"transposed=False)",
                parameter="specs", value=spec, allowed="transposed=False",
            )
        if n and spec.input_size != specs[n - 1].output_size:
            raise ParameterError(
                f"specs[{n}].input_size={spec.input_size} does not match "
                f"specs[{n - 1}].output_size={specs[n - 1].output_size}: expected each "
                f"layer's input_size to equal the previous layer's output_size",
                parameter="specs", value=spec,
                allowed="each layer's input_size equal to the previous layer's output_size",
            )


def _output_index(value: object, output_size: Index) -> Index:
    allowed = f"a tuple of {len(output_size)} ints with 0 <= index < {output_size}"
    index = [as_int(v) for v in value] if isinstance(value, (tuple, list)) else []
    if len(index) != len(output_size) or not all(
        i is not None and 0 <= i < n for i, n in zip(index, output_size, strict=True)
    ):
        raise ParameterError(
            f"output_index={value!r} is not valid: expected {allowed}",
            parameter="output_index", value=value, allowed=allowed,
        )
    return tuple(i for i in index if i is not None)


__all__ = ["ReceptiveField", "input_ranges", "input_units", "receptive_fields"]
