"""Stacked layers: how an output unit's receptive field grows through a stack.

:func:`animate_stack` draws a stack of convolutions and poolings (each layer's
``input_size`` the previous layer's ``output_size``), the input at the bottom and
the last layer at the top, with a frame per unit of the last layer's output: that
unit, and in every layer below the units it depends on, shaded and joined by thin
lines. Beside each layer its receptive field size ``r`` and jump on the stack's
input (:mod:`conv_anim.receptive`); :func:`describe` gives those lines as text.

>>> from conv_anim import ConvSpec
>>> wavenet = [ConvSpec((16,), 2, dilation=d, padding=((d, 0),)) for d in (1, 2, 4, 8)]
>>> print(describe(wavenet))
layer 1: r = 2, jump = 1
layer 2: r = 4, jump = 1
layer 3: r = 8, jump = 1
layer 4: r = 16, jump = 1
>>> animate_stack(wavenet).save("wavenet.gif")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conv_anim import arguments
from conv_anim.animation import Animation, check_frame_size
from conv_anim.geometry import ConvSpec
from conv_anim.plan import plan
from conv_anim.render.stack import check_stack, layer_texts
from conv_anim.steps import frame_count
from conv_anim.style import make_style


def describe(specs: Sequence[ConvSpec]) -> str:
    """The receptive field size and jump of every layer, one line each.

    Parameters
    ----------
    specs : sequence of ConvSpec
        The layers, first first; each one's ``input_size`` the previous one's
        ``output_size``. Convolutions and poolings, not transposed.

    Returns
    -------
    str
        ``"layer n: r = R, jump = J"`` per layer, in input units of the stack's input
        (``AxB`` where the axes differ), as the figure of :func:`animate_stack`
        writes them.

    Raises
    ------
    ValueError
        For an empty stack, a layer that is not a ConvSpec, a transposed layer, a
        layer whose input size is not the previous layer's output size, or 3-D
        layers.

    Examples
    --------
    >>> print(describe([ConvSpec(8, 3), ConvSpec(6, 3), ConvSpec(4, 2, stride=2)]))
    layer 1: r = 3, jump = 1
    layer 2: r = 5, jump = 1
    layer 3: r = 6, jump = 2
    """
    return "\n".join(layer_texts(specs))


def animate_stack(
    specs: Sequence[ConvSpec], *, ops: Sequence[str] | None = None,
    steps: slice | range | Sequence[int] | None = None, **style: Any,
) -> Animation:
    """Animate a stack of layers: an output unit's receptive field through the stack.

    Layers are drawn from the stack's input (bottom) to the last layer's output
    (top): rows of cells for 1-D layers, the paper's slanted grids for 2-D ones
    (padding is not drawn). Each frame shades one unit of the last layer and, in
    every layer below, exactly the units it depends on (dilation holes, and units
    that strides skip, stay unshaded), joined by thin lines to the layer above. A
    text beside each layer gives its receptive field size ``r`` and jump.

    Parameters
    ----------
    specs : sequence of ConvSpec
        The layers, first first; each one's ``input_size`` the previous one's
        ``output_size``. Direct convolutions and poolings with 1 or 2 axes.
    ops : sequence of str, optional
        Each layer's operation, ``"conv"``, ``"max"`` or ``"avg"``, named beside it
        (default: every layer a convolution).
    steps : slice, range or sequence of int, optional
        Show only these steps, as for :func:`~conv_anim.animate`.
    **style
        Options of :class:`conv_anim.style.Style` (or ``theme=``), e.g.
        ``scale=2``, ``connectors=False`` (no lines between layers), ``caption=True``
        (every layer's parameters under the figure) or a caption string.
        ``labels`` and ``mark_uncovered`` have no effect: every layer is labelled.

    Returns
    -------
    Animation
        Lazy: frames are drawn when iterated or saved; its ``steps`` are
        :class:`~conv_anim.steps.StackStep` values and ``specs`` the layers.

    Raises
    ------
    ValueError
        As :func:`describe`, or for an unknown style option or an invalid value.

    Examples
    --------
    >>> anim = animate_stack([ConvSpec((16,), 3), ConvSpec((14,), 3), ConvSpec((12,), 3)])
    >>> len(anim), anim.steps[0].units[0]
    (10, ((0,), (1,), (2,), (3,), (4,), (5,), (6,)))
    """
    resolved = make_style(**style)
    check_stack(specs)
    select = None if steps is None else arguments.selected_steps(steps, frame_count(specs[-1]))
    animation = Animation(plan(specs, resolved, select=select, ops=ops))
    check_frame_size(animation)
    return animation


__all__ = ["animate_stack", "describe"]
