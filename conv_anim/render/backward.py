"""The backward pass drawn by any scene: its grids named after the gradients they hold.

The backward pass of a convolution is drawn as the convolution that computes it
(:func:`conv_anim.backward.backward_spec`), by the scene that draws that
convolution; :class:`BackwardScene` wraps that scene and renames its grids: the
input is ``∂L/∂y``, the output ``∂L/∂x`` (:func:`gradient_label`). Everything else
(shapes, steps, hotspots) is the wrapped scene's. The caption is the style's, which
:func:`backward_style` sets to :func:`conv_anim.notation.backward_caption`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from matplotlib.text import Text

from conv_anim import notation
from conv_anim.geometry import ConvSpec
from conv_anim.render.base import Extent, Scene, StepHotspots
from conv_anim.render.labels import text_width
from conv_anim.render.palette import Inks
from conv_anim.render.shapes import Shape
from conv_anim.style import Style

#: A grid's label, and the gradient each grid of the backward pass holds.
_LABEL = re.compile(r"^(input|output)\b")
_GRADIENTS = {"input": notation.GRAD_OUTPUT, "output": notation.GRAD_INPUT}


def gradient_label(label: str) -> str:
    """A grid's label in the backward pass: ``input`` holds ``∂L/∂y``, ``output``
    ``∂L/∂x`` (numbered labels keep their numbers); other labels are unchanged.

    Examples
    --------
    >>> gradient_label("input"), gradient_label("output 2"), gradient_label("kernel")
    ('∂L/∂y', '∂L/∂x 2', 'kernel')
    """
    return _LABEL.sub(lambda match: _GRADIENTS[match[1]], label)


def relabelled(texts: Sequence[Text]) -> list[Text]:
    """The Text artists with every grid label renamed by :func:`gradient_label`.

    Examples
    --------
    >>> [t.get_text() for t in relabelled([Text(0, 0, "input"), Text(0, 0, "kernel")])]
    ['∂L/∂y', 'kernel']
    """
    for text in texts:
        renamed = gradient_label(text.get_text())
        if renamed != text.get_text():
            text.set_text(renamed)
    return list(texts)


def backward_style(style: Style, spec: ConvSpec) -> Style:
    """The style of ``spec``'s backward pass: ``caption=True`` becomes
    :func:`conv_anim.notation.backward_caption`; a caption of one's own is kept.

    Examples
    --------
    >>> from conv_anim import ConvSpec
    >>> backward_style(Style(caption=True), ConvSpec(5, 3)).caption.splitlines()[0]
    'backward pass of a convolution: input 5×5 → output 3×3; k = 3, s = 1, p = 0'
    """
    if style.caption is True:
        return dataclasses.replace(style, caption=notation.backward_caption(spec))
    return style


def _label_box(text: Text) -> Extent:
    """The page span of a grid's label once renamed (labels are centred on their x)."""
    x, y = text.get_position()
    half = text_width(gradient_label(text.get_text()), float(text.get_fontsize())) / 2
    return Extent(float(x) - half, float(x) + half, float(y), float(y))


class BackwardScene:
    """A scene of the convolution that computes a backward pass, its grids renamed.

    Parameters
    ----------
    scene : Scene
        The scene of :func:`conv_anim.backward.backward_spec` of the forward
        convolution.

    Examples
    --------
    >>> from conv_anim import ConvSpec
    >>> from conv_anim.backward import backward_spec
    >>> from conv_anim.render.slanted import SlantedScene
    >>> forward = ConvSpec(5, 3, stride=2, padding=1)
    >>> scene = BackwardScene(SlantedScene(backward_spec(forward), Style(labels=True)))
    >>> sorted(text.get_text() for text in scene.texts())
    ['dashed cells: inserted zeros', '∂L/∂x 5×5', '∂L/∂y 3×3']
    """

    def __init__(self, scene: Scene[Any]) -> None:
        self.scene = scene
        self.extent = scene.extent.union(
            _label_box(text) for text in scene.texts() if gradient_label(text.get_text())
            != text.get_text()
        )

    @property
    def static(self) -> Sequence[Shape]:
        """The wrapped scene's static shapes."""
        return self.scene.static

    def moving(self, step: Any) -> list[Shape]:
        """The wrapped scene's shapes of one step."""
        return self.scene.moving(step)

    def texts(self) -> list[Text]:
        """The wrapped scene's labels, renamed, and its caption."""
        return relabelled(self.scene.texts())

    @property
    def inks(self) -> Inks:
        """The wrapped scene's colours."""
        return self.scene.inks

    def hotspots(self, step: Any) -> StepHotspots:
        """The wrapped scene's hotspots: the cell of ``∂L/∂x`` computed, the cells of
        ``∂L/∂y`` read (roles ``"output"`` and ``"input"`` of the drawn convolution)."""
        return self.scene.hotspots(step)


__all__ = ["BackwardScene", "backward_style", "gradient_label", "relabelled"]
