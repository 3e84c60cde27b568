"""A convolution's forward pass and its backward pass, side by side, with the same kernel.

:func:`backward_figure` draws, as the paper's numerical figures do, the forward pass
(the input x, the kernel w in its footprint, the output y) beside the backward pass
drawn as the convolution that computes it (:func:`conv_anim.backward.backward_spec`):
``∂L/∂y`` in place of the input, the same weights (flipped where the backward pass
is a transposed convolution, as the paper draws one), ``∂L/∂x`` as its output, equal
to ``spec.grad_input(grad_output, kernel)``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from conv_anim import notation
from conv_anim.backward import backward_spec
from conv_anim.errors import ParameterError
from conv_anim.figures.board import Board
from conv_anim.geometry import ConvSpec
from conv_anim.paperdata import INPUT_SHAPE, KERNEL_SHAPE, PAPER_SEED, paper_data
from conv_anim.render.backward import BackwardScene
from conv_anim.render.flat import FlatScene
from conv_anim.render.labels import CAPTION_SIZE, LABEL_GAP
from conv_anim.render.line import NumericLineScene
from conv_anim.style import Style, make_style
from conv_anim.values import Numbers

#: The convolution of :func:`backward_figure`: the paper's padding_strides.
BACKWARD_SPEC = ConvSpec(5, 3, stride=2, padding=1)
#: The seed of the default ``∂L/∂y``: ``RandomState(GRADIENT_SEED).randint(-2, 3)``.
GRADIENT_SEED = 14
#: Space between the two passes, in cells; the titles' size in points.
PASSES_GAP = 3.0
TITLE_SIZE = 9.0


def _scene(spec: ConvSpec, style: Style, numbers: Numbers) -> FlatScene | NumericLineScene:
    return NumericLineScene(spec, style, numbers) if spec.ndim == 1 else FlatScene(
        spec, style, numbers)


def _check_spec(spec: object) -> ConvSpec:
    if spec is None:
        return BACKWARD_SPEC
    if not isinstance(spec, ConvSpec) or spec.ndim == 3 or spec.has_channels:
        raise ParameterError.invalid(
            "spec", spec, "a 1-D or 2-D ConvSpec without channels (numbers are drawn)")
    return spec


def _defaults(spec: ConvSpec, x: Any, kernel: Any, grad_output: Any) -> tuple[Any, Any, Any]:
    """The arrays not given: the paper's input and kernel when the sizes fit (else small
    integers drawn as the paper draws them), and small signed integers for ``∂L/∂y``."""
    if spec.input_size == INPUT_SHAPE and spec.kernel_size == KERNEL_SHAPE:
        drawn_x, drawn_kernel = paper_data()
    else:
        random = np.random.RandomState(PAPER_SEED)
        drawn_x = random.randint(0, 4, size=spec.input_size)
        drawn_kernel = random.randint(0, 3, size=spec.kernel_size)
    drawn_grad = np.random.RandomState(GRADIENT_SEED).randint(-2, 3, size=spec.output_size)
    return (drawn_x if x is None else x, drawn_kernel if kernel is None else kernel,
            drawn_grad if grad_output is None else grad_output)


def backward_figure(
    spec: ConvSpec | None = None, x: ArrayLike | None = None, kernel: ArrayLike | None = None,
    grad_output: ArrayLike | None = None, **style: Any,
) -> Figure:
    """A convolution's forward pass beside its backward pass, with the same kernel.

    Left, the forward pass: x, the kernel's weights in its footprint and y, at the
    middle step. Right, the backward pass as a convolution: ``∂L/∂y`` convolved with
    the same kernel gives ``∂L/∂x`` (for a direct convolution its transposed
    convolution, drawn as the paper draws one: zeros inserted, the kernel flipped,
    with the output padding that gives back the input size), at its middle step.
    ``∂L/∂x`` equals ``spec.grad_input(grad_output, kernel)``, PyTorch autograd's
    ``x.grad``.

    Parameters
    ----------
    spec : ConvSpec, optional
        A 1-D or 2-D convolution without channels, direct or transposed. Default
        :data:`BACKWARD_SPEC`, the paper's padding_strides (i = 5, k = 3, s = 2,
        p = 1).
    x, kernel : array_like, optional
        The input (``spec.input_size``) and the weights (``spec.kernel_size``).
        Default the paper's numbers for a 5×5 input and 3×3 kernel, else small
        integers drawn as the paper draws them (``RandomState(1234)``).
    grad_output : array_like, optional
        ``∂L/∂y`` (``spec.output_size``). Default small integers from -2 to 2,
        ``RandomState(GRADIENT_SEED).randint(-2, 3)``.
    **style
        Options of :class:`conv_anim.style.Style`. ``labels`` (default True here)
        names the grids; ``caption=True`` adds
        :func:`conv_anim.notation.backward_caption`.

    Returns
    -------
    Figure
        A new figure, not attached to pyplot.

    Raises
    ------
    ParameterError
        For a spec that is not 1-D or 2-D without channels, whose backward pass
        ConvSpec cannot draw, arrays of the wrong shape or with non-finite values,
        or an invalid style option.

    Examples
    --------
    >>> fig = backward_figure()
    >>> fig.get_size_inches().round(2).tolist()
    [5.99, 2.69]
    """
    spec = _check_spec(spec)
    back = backward_spec(spec)
    resolved = make_style(**{"labels": True, **style})
    x, kernel, grad_output = _defaults(spec, x, kernel, grad_output)
    forward = Numbers.compute(spec, x, kernel)
    backward = Numbers.compute(back, grad_output, kernel)
    quiet = dataclasses.replace(resolved, caption=False)
    board = Board(resolved)
    left = 0.0
    passes = (
        (_scene(spec, quiet, forward), spec, "forward: x convolved with w gives y"),
        (BackwardScene(_scene(back, quiet, backward)), back,
         f"backward: {notation.GRAD_OUTPUT} convolved with the same w\n"
         f"({notation.kind(back)}) gives {notation.GRAD_INPUT}"),
    )
    for scene, drawn, title in passes:
        steps = drawn.steps()
        box = board.place(scene, scene.moving(steps[len(steps) // 2]), left, 0.0)
        board.note((box.x0 + box.x1) / 2, LABEL_GAP, title, TITLE_SIZE, va="bottom")
        left = box.x1 + PASSES_GAP
    if resolved.caption:
        text = (notation.backward_caption(spec) if resolved.caption is True
                else str(resolved.caption))
        extent = board.extent
        board.note((extent.x0 + extent.x1) / 2, extent.y0 - LABEL_GAP, text, CAPTION_SIZE,
                   width=extent.width)
    return board.figure()


__all__ = ["BACKWARD_SPEC", "GRADIENT_SEED", "backward_figure"]
