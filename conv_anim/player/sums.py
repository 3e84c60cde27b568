"""What a numerical figure computes at each step, written out with its own numbers.

For a convolution the products of the values under the kernel and its weights and their
sum ("3·0 + 3·1 + 2·2 + … = 12.0"), for max and average pooling the values and their
maximum or mean, and for the scatter view of a transposed convolution the products an
input unit adds into the output. Numbers are written as the figure writes them
(:mod:`conv_anim.render.numbers`): padding and inserted zeros as 0 (max pooling's
padding as −∞), outputs with the figure's decimals.

>>> import numpy as np
>>> from conv_anim import ConvSpec, animate
>>> step_sums(animate(ConvSpec(3, 2), values=np.arange(9).reshape(3, 3), kernel=np.eye(2)))[0]
'0·1 + 1·0 + 3·0 + 4·1 = 4.0'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from conv_anim.geometry import Step
from conv_anim.render.numbers import OUTPUT_DECIMALS, number_format, number_strings, pad_text
from conv_anim.steps import ScatterStep
from conv_anim.values import Numbers

if TYPE_CHECKING:
    from conv_anim.animation import Animation

#: The multiplication sign between a value and a weight.
TIMES = "\N{MIDDLE DOT}"
#: Where a sum is cut short: after this many terms, the rest stands as one ellipsis.
MOST_TERMS = 49


def step_sums(animation: Animation) -> tuple[str, ...] | None:
    """Each step's computation in words, or None for a figure without numbers.

    Parameters
    ----------
    animation : Animation
        Any animation.

    Returns
    -------
    tuple of str or None
        One text per step, in order.
    """
    numbers = animation.numbers
    if numbers is None:
        return None
    if animation.view == "scatter":
        return tuple(_scatter_text(numbers, step) for step in animation.steps)
    outputs = number_strings(numbers.output, OUTPUT_DECIMALS)
    write_value = number_format(numbers.values)
    pad = pad_text(numbers.op)

    def value(tap_index: tuple[int, ...] | None) -> str:
        return pad if tap_index is None else write_value(float(numbers.values[tap_index]))

    texts = []
    for step, result in zip(animation.steps, outputs, strict=True):
        values = [value(tap.input_index) for tap in step.taps]
        texts.append(_direct_text(numbers, step, values, result))
    return tuple(texts)


def _direct_text(numbers: Numbers, step: Step, values: list[str], result: str) -> str:
    if numbers.op == "max":
        return f"max({_joined(values, ', ')}) = {result}"
    if numbers.op == "avg":
        terms = values[:1] + [_factor_text(v) for v in values[1:]]
        return f"({_joined(terms, ' + ')}) / {len(values)} = {result}"
    kernel = numbers.kernel
    assert kernel is not None  # a convolution has weights (Numbers.compute checks it)
    weight = _factor(number_format(kernel))
    terms = [
        f"{_factor_text(v)}{TIMES}{weight(float(kernel[tap.kernel_index]))}"
        for v, tap in zip(values, step.taps, strict=True)
    ]
    return f"{_joined(terms, ' + ')} = {result}"


def _scatter_text(numbers: Numbers, step: ScatterStep) -> str:
    kernel = numbers.kernel
    assert kernel is not None  # the scatter view draws convolutions only
    value = float(numbers.values[step.input_index])
    write_value = number_format(numbers.values)
    weight = _factor(number_format(kernel))
    write_product = number_format(np.multiply.outer(numbers.values, kernel))
    factor = _factor_text(write_value(value))
    terms = [
        f"{factor}{TIMES}{weight(float(kernel[tap.kernel_index]))} = "
        f"{write_product(value * float(kernel[tap.kernel_index]))} "
        f"\N{RIGHTWARDS ARROW} {_index_text(tap.output_index)}"
        for tap in step.taps if tap.output_index is not None
    ]
    cropped = sum(tap.output_index is None for tap in step.taps)
    tail = f"; {cropped} cropped" if cropped else ""
    return f"adds {_joined(terms, ', ')}{tail}"


def _factor(write: Callable[[float], str]) -> Callable[[float], str]:
    """``write`` with negative numbers in parentheses, as a product's second factor."""
    return lambda value: _factor_text(write(value))


def _factor_text(text: str) -> str:
    return f"({text})" if text.startswith(("-", "\N{MINUS SIGN}")) else text


def _index_text(index: tuple[int, ...]) -> str:
    return f"({', '.join(map(str, index))})"


def _joined(terms: list[str], separator: str) -> str:
    """The terms joined, the middle ones elided past :data:`MOST_TERMS`."""
    if len(terms) > MOST_TERMS:
        terms = [*terms[: MOST_TERMS - 1], "\N{HORIZONTAL ELLIPSIS}", terms[-1]]
    return separator.join(terms)


__all__ = ["MOST_TERMS", "TIMES", "step_sums"]
