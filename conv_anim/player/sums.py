"""What a numerical figure computes at each step, written out with its own numbers.

For a convolution the products of the values under the kernel and its weights and their
sum ("3·0 + 3·1 + 2·2 + … = 12.0"), for max and average pooling the values and their
maximum or mean, and for the scatter view of a transposed convolution the products an
input unit adds into the output. Numbers are written as the figure writes them
(:mod:`conv_anim.render.numerals`): exactly, or rounded alike where the figure rounds
them; padding and inserted zeros as 0 (max pooling's padding as −∞).

>>> import numpy as np
>>> from conv_anim import ConvSpec, animate
>>> step_sums(animate(ConvSpec(3, 2), values=np.arange(9).reshape(3, 3), kernel=np.eye(2)))[0]
'0·1 + 1·0 + 3·0 + 4·1 = 4'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from conv_anim.geometry import Step
from conv_anim.render.numbers import pad_text
from conv_anim.render.numerals import Written, write_figure
from conv_anim.render.scatter import ScatterScene
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
    paper = animation.style.number_style == "paper"
    scene = animation.scene
    if isinstance(scene, ScatterScene):
        return tuple(_scatter_text(scene, step) for step in animation.steps
                     if isinstance(step, ScatterStep))
    written = write_figure(numbers.values, numbers.kernel, numbers.output, paper=paper)
    pad = pad_text(numbers.op)

    def value(tap_index: tuple[int, ...] | None) -> str:
        return pad if tap_index is None else _text(written.values, numbers.values, tap_index)

    texts = []
    for step in animation.steps:
        values = [value(tap.input_index) for tap in step.taps]
        result = _text(written.outputs, numbers.output, step.output_index)
        texts.append(_direct_text(numbers, written.weights, step, values, result))
    return tuple(texts)


def _text(written: Written, array: np.ndarray, index: tuple[int, ...]) -> str:
    """The text a figure writes for ``array[index]`` (its groups are in C order)."""
    return written.texts[int(np.ravel_multi_index(index, array.shape))]


def _direct_text(numbers: Numbers, weights: Written | None, step: Step, values: list[str],
                 result: str) -> str:
    if numbers.op == "max":
        return f"max({_joined(values, ', ')}) = {result}"
    if numbers.op == "avg":
        terms = values[:1] + [_factor_text(v) for v in values[1:]]
        return f"({_joined(terms, ' + ')}) / {len(values)} = {result}"
    kernel = numbers.kernel
    # A convolution has weights (Numbers.compute checks it).
    assert kernel is not None and weights is not None
    terms = [
        f"{_factor_text(v)}{TIMES}{_factor_text(_text(weights, kernel, tap.kernel_index))}"
        for v, tap in zip(values, step.taps, strict=True)
    ]
    return f"{_joined(terms, ' + ')} = {result}"


def _scatter_text(scene: ScatterScene, step: ScatterStep) -> str:
    numbers, kernel = scene.numbers, scene.numbers.kernel
    assert kernel is not None  # the scatter view draws convolutions only
    value = float(numbers.values[step.input_index])
    factor = _factor_text(_text(scene.written_inputs, numbers.values, step.input_index))
    terms = [
        f"{factor}{TIMES}{_factor_text(_text(scene.written_weights, kernel, tap.kernel_index))}"
        f" = {scene.product_text[value * float(kernel[tap.kernel_index])]} "
        f"\N{RIGHTWARDS ARROW} {_index_text(tap.output_index)}"
        for tap in step.taps if tap.output_index is not None
    ]
    cropped = sum(tap.output_index is None for tap in step.taps)
    tail = f"; {cropped} cropped" if cropped else ""
    return f"adds {_joined(terms, ', ')}{tail}"


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
