"""The steps of every kind of animation, one per frame (numpy-free, matplotlib-free).

:meth:`ConvSpec.steps <conv_anim.geometry.ConvSpec.steps>` gives one step per output
cell. The other views step differently:

- with channels, one step per output channel and cell, output channel slowest
  (:func:`channel_steps`); each reads the input maps of its group
  (:func:`group_inputs`);
- the scatter view of a transposed convolution, one step per input unit, which adds
  the whole kernel into the output (:func:`scatter_steps`);
- a stack of layers, one step per unit of the last layer, with the units it depends
  on in every layer below (:func:`stack_steps`).

>>> from conv_anim import ConvSpec
>>> len(channel_steps(ConvSpec(3, 2, in_channels=2, out_channels=3)))
12
>>> scatter_steps(ConvSpec((2,), 3, stride=2, padding=1, transposed=True))[1].output_indices
((1,), (2,))
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec, Step
from conv_anim.limits import estimate_frames
from conv_anim.receptive import input_units

Index = tuple[int, ...]


def frame_count(spec: ConvSpec, view: str = "direct") -> int:
    """How many steps (frames) an animation of ``spec`` has, without listing them: one per
    output cell (and output channel), or per input unit for the scatter and overlap views.

    Examples
    --------
    >>> frame_count(ConvSpec(5, 3, in_channels=2, out_channels=4)), frame_count(
    ...     ConvSpec(3, 3, stride=2, transposed=True), "scatter")
    (36, 9)
    """
    return estimate_frames(spec, view)


@dataclass(frozen=True)
class ChannelStep(Step):
    """One frame of a channel animation: an output cell of one output channel.

    A :class:`~conv_anim.geometry.Step` (the spatial output cell and its taps, the
    same on every map read) with the output channel it computes; ``index`` counts
    frames over every output channel.

    Attributes
    ----------
    out_channel : int
        The output channel (0-based) whose cell is computed.
    """

    out_channel: int


@lru_cache(maxsize=16)
def channel_steps(spec: ConvSpec) -> tuple[ChannelStep, ...]:
    """The frames of a channel animation: every output cell of output channel 0, then
    of channel 1, and so on (output channel slowest, cells row-major).

    Examples
    --------
    >>> steps = channel_steps(ConvSpec(3, 2, in_channels=2, out_channels=3))
    >>> len(steps), steps[5].out_channel, steps[5].output_index
    (12, 1, (0, 1))
    """
    spatial = spec.steps()
    return tuple(
        ChannelStep(
            index=channel * len(spatial) + step.index, output_index=step.output_index,
            window_start=step.window_start, taps=step.taps, out_channel=channel,
        )
        for channel in range(spec.out_channels)
        for step in spatial
    )


def out_channel(step: Step) -> int:
    """The output channel a step computes: 0 for a plain spatial step."""
    return step.out_channel if isinstance(step, ChannelStep) else 0


def group_inputs(spec: ConvSpec, out_channel: int) -> range:
    """The input channels that output channel ``out_channel`` reads: its group's.

    Raises
    ------
    ParameterError
        If ``out_channel`` is not an output channel of ``spec``.

    Examples
    --------
    >>> group_inputs(ConvSpec(5, 3, in_channels=4, out_channels=6, groups=2), 4)
    range(2, 4)
    """
    if not 0 <= out_channel < spec.out_channels:
        raise ParameterError.invalid(
            "out_channel", out_channel,
            f"an int from 0 to {spec.out_channels - 1} (out_channels={spec.out_channels})",
        )
    per_in, per_out = spec.in_channels // spec.groups, spec.out_channels // spec.groups
    group = out_channel // per_out
    return range(group * per_in, (group + 1) * per_in)


@dataclass(frozen=True)
class ScatterTap:
    """One kernel weight added into the output at one step of the scatter view.

    Attributes
    ----------
    kernel_index : tuple of int
        The weight, an index into the (unflipped, PyTorch-layout) kernel.
    position : tuple of int
        Where it lands, in output coordinates: ``input_index * stride - padding +
        kernel_index * dilation``. It may lie outside the output, where the padding
        crops the result.
    output_index : tuple of int or None
        ``position`` if it lies in the output, else None (cropped away).
    """

    kernel_index: Index
    position: Index
    output_index: Index | None


@dataclass(frozen=True)
class ScatterStep:
    """One frame of the scatter view: one input unit and where its kernel copy lands.

    Attributes
    ----------
    index : int
        The frame number (row-major position of ``input_index``).
    input_index : tuple of int
        The input unit that multiplies the kernel at this step.
    window_start : tuple of int
        Output coordinates of the kernel's first weight: ``input_index * stride -
        padding`` (negative where the padding crops).
    taps : tuple of ScatterTap
        Every kernel weight, in row-major kernel order.
    """

    index: int
    input_index: Index
    window_start: Index
    taps: tuple[ScatterTap, ...]

    @property
    def output_indices(self) -> tuple[Index, ...]:
        """The output cells this unit adds into (the cropped taps excluded)."""
        return tuple(t.output_index for t in self.taps if t.output_index is not None)


def check_transposed(spec: object) -> ConvSpec:
    """``spec``, if it is a transposed ConvSpec (the scatter view needs one).

    Raises
    ------
    ParameterError
        Otherwise.
    """
    if not isinstance(spec, ConvSpec) or not spec.transposed:
        raise ParameterError(
            f"spec={spec!r} is not valid for the scatter view: expected a transposed "
            f"ConvSpec (transposed=True); a direct convolution gathers, it does not scatter",
            parameter="spec", value=spec, allowed="a transposed ConvSpec",
        )
    return spec


@lru_cache(maxsize=64)
def scatter_steps(spec: ConvSpec) -> tuple[ScatterStep, ...]:
    """The scatter view's steps: one per input unit, row-major (first axis slowest).

    Parameters
    ----------
    spec : ConvSpec
        A transposed convolution.

    Returns
    -------
    tuple of ScatterStep

    Raises
    ------
    ParameterError
        If ``spec`` is not a transposed ConvSpec.

    Examples
    --------
    >>> step = scatter_steps(ConvSpec((2,), 3, stride=2, padding=1, transposed=True))[1]
    >>> step.window_start, step.output_indices
    ((1,), ((1,), (2,)))
    """
    check_transposed(spec)
    before = tuple(b for b, _ in spec.padding)
    kernel_indices = list(itertools.product(*(range(k) for k in spec.kernel_size)))
    steps = []
    for number, unit in enumerate(itertools.product(*(range(n) for n in spec.input_size))):
        start = tuple(i * s - b for i, s, b in zip(unit, spec.stride, before, strict=True))
        taps = []
        for kernel_index in kernel_indices:
            position = tuple(
                o + k * d for o, k, d in zip(start, kernel_index, spec.dilation, strict=True)
            )
            inside = all(0 <= p < n for p, n in zip(position, spec.output_size, strict=True))
            taps.append(ScatterTap(kernel_index, position, position if inside else None))
        steps.append(ScatterStep(number, unit, start, tuple(taps)))
    return tuple(steps)


@dataclass(frozen=True)
class StackStep:
    """One frame of a stack: one unit of the last layer and the units it depends on.

    Attributes
    ----------
    index : int
        The frame number (row-major position of ``output_index``).
    output_index : tuple of int
        The unit of the last layer's output.
    units : tuple of tuple of tuple of int
        Per layer, from the stack's input (layer 0) to the last layer's output, the
        units ``output_index`` depends on, row-major; the last is ``(output_index,)``.
    """

    index: int
    output_index: Index
    units: tuple[tuple[Index, ...], ...]


def layer_units(specs: Sequence[ConvSpec], output_index: Index) -> tuple[tuple[Index, ...], ...]:
    """Per layer, input first, the units one unit of the last layer depends on."""
    below = tuple(
        tuple(itertools.product(*input_units(specs[n:], output_index)))
        for n in range(len(specs))
    )
    return (*below, (tuple(output_index),))


@lru_cache(maxsize=16)
def stack_steps(specs: tuple[ConvSpec, ...]) -> tuple[StackStep, ...]:
    """The frames of a stack: one per unit of the last layer's output, row-major.

    Examples
    --------
    >>> steps = stack_steps((ConvSpec((4,), 2), ConvSpec((3,), 2)))
    >>> len(steps), steps[0].units
    (2, (((0,), (1,), (2,)), ((0,), (1,)), ((0,),)))
    """
    size = specs[-1].output_size
    return tuple(
        StackStep(number, index, layer_units(specs, index))
        for number, index in enumerate(itertools.product(*(range(n) for n in size)))
    )


__all__ = [
    "ChannelStep", "ScatterStep", "ScatterTap", "StackStep", "channel_steps", "check_transposed",
    "frame_count", "group_inputs", "layer_units", "out_channel", "scatter_steps", "stack_steps",
]
