"""Planning: what an animation draws, from what it is asked to draw.

:func:`plan` maps a convolution (or a stack of layers), its numbers and its view to
one scene of :mod:`conv_anim.render` and the steps it goes through, one per frame,
with the palette its GIF frames use and the words that describe it. Every kind of
animation goes through it, so that the steps, the scene and the description agree.

>>> from conv_anim import ConvSpec
>>> from conv_anim.style import Style
>>> p = plan(ConvSpec(5, 3, stride=2, padding=1), Style())
>>> type(p.scene).__name__, len(p.steps)
('SlantedScene', 9)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.export import Palette
from conv_anim.geometry import ConvSpec
from conv_anim.limits import VIEWS
from conv_anim.render.backward import BackwardScene, backward_style
from conv_anim.render.base import Scene
from conv_anim.render.channels import ChannelScene
from conv_anim.render.flat import FlatScene
from conv_anim.render.line import LineScene, NumericLineScene
from conv_anim.render.matrix import MatrixScene
from conv_anim.render.overlap import OverlapScene
from conv_anim.render.palette import palette_for
from conv_anim.render.scatter import ScatterScene
from conv_anim.render.slanted import SlantedScene
from conv_anim.render.stack import check_stack, stack_scene
from conv_anim.render.volume import VolumeScene
from conv_anim.steps import channel_steps, scatter_steps, stack_steps
from conv_anim.style import Style
from conv_anim.values import Numbers


@dataclass(frozen=True, eq=False)
class Plan:
    """What one animation draws.

    Attributes
    ----------
    scene : Scene
        The figure, as shapes (:mod:`conv_anim.render`).
    steps : tuple
        One step per frame, in order: :class:`~conv_anim.geometry.Step` (per output
        cell), :class:`~conv_anim.steps.ChannelStep` (per output channel and cell),
        :class:`~conv_anim.steps.ScatterStep` (per input unit) or
        :class:`~conv_anim.steps.StackStep` (per unit of a stack's last layer).
    palette : Palette
        The GIF palette: the colours the scene paints and their blends
        (:func:`conv_anim.render.palette.palette_for`).
    spec : ConvSpec
        The convolution (a stack's last layer).
    layers : tuple of ConvSpec
        A stack's layers, first first; empty otherwise.
    numbers : Numbers or None
        A numerical figure's values, kernel and output.
    view : {"direct", "scatter"}
        How a transposed convolution is seen.
    progressive : bool
        Numerical figures: output values appear as they are computed.
    style : Style
        The look, its caption resolved.
    forward : ConvSpec or None
        For a backward pass, the forward convolution whose gradient ``spec``
        computes (:func:`conv_anim.backward.backward_spec`); None otherwise.
    """

    scene: Scene[Any]
    steps: Sequence[Any]
    palette: Palette
    spec: ConvSpec
    layers: tuple[ConvSpec, ...]
    numbers: Numbers | None
    view: str
    progressive: bool
    style: Style
    forward: ConvSpec | None = None

    @property
    def alt(self) -> str:
        """Alt text: the kind, sizes, parameters and output size, in the one notation."""
        if self.layers:
            return notation.stack_alt(self.layers, getattr(self.scene, "ops", None))
        op = "conv" if self.numbers is None else self.numbers.op
        return notation.figure_alt(self.forward or self.spec, op, view=self.view,
                                   frames=len(self.steps), backward=self.forward is not None)


def plan(
    subject: ConvSpec | Sequence[ConvSpec], style: Style, *, numbers: Numbers | None = None,
    view: str = "direct", progressive: bool = False, select: Sequence[int] | None = None,
    flip: bool = False, ops: Sequence[str] | None = None, forward: ConvSpec | None = None,
) -> Plan:
    """Plan the animation of a convolution, or of a stack of layers.

    Parameters
    ----------
    subject : ConvSpec or sequence of ConvSpec
        One convolution; or a stack of layers (each one's input the previous one's
        output), drawn by :func:`conv_anim.animate_stack`.
    style : Style
        The look.
    numbers : Numbers, optional
        The values of a numerical figure (1-D and 2-D, no channels).
    view : {"direct", "scatter", "overlap", "matrix"}
        ``"scatter"``: a transposed convolution with numbers as scatter-add, a frame per
        input unit. ``"overlap"``: a transposed convolution's overlap accumulating, a
        frame per input unit. ``"matrix"``: the grid figure beside the matrix C.
    progressive : bool
        Numerical figures: each output value appears at the step that computes it.
    select : sequence of int, optional
        The steps shown, by number (:func:`conv_anim.arguments.selected_steps`);
        default every step.
    flip : bool
        Numerical convolutions: ``numbers.kernel`` is a true convolution's flipped
        kernel (the figure draws the kernel and its flip).
    ops : sequence of str, optional
        A stack's layers' operations (``"conv"``, ``"max"``, ``"avg"``), for their
        names; default: every layer a convolution.
    forward : ConvSpec, optional
        Draw a backward pass: ``subject`` is :func:`conv_anim.backward.backward_spec`
        of ``forward``; the grids are named after the gradients and ``caption=True``
        says so.

    Returns
    -------
    Plan

    Raises
    ------
    ParameterError
        If the scene cannot draw the subject (e.g. channels in 3-D, a 3-D stack).
    """
    if isinstance(subject, ConvSpec) and forward is not None:
        planned = _plan_spec(subject, backward_style(style, forward), numbers, view,
                             progressive, flip)
        planned = dataclasses.replace(planned, scene=BackwardScene(planned.scene),
                                      forward=forward)
    elif isinstance(subject, ConvSpec):
        planned = _plan_spec(subject, style, numbers, view, progressive, flip)
    else:
        check_stack(subject)
        layers = tuple(subject)
        scene = stack_scene(layers, style, ops)
        planned = Plan(scene, stack_steps(layers), palette_for(scene.inks), layers[-1], layers,
                       None, "direct", False, style)
    if select is None:
        return planned
    return dataclasses.replace(planned, steps=tuple(planned.steps[n] for n in select))


def _plan_spec(
    spec: ConvSpec, style: Style, numbers: Numbers | None, view: str, progressive: bool,
    flip: bool,
) -> Plan:
    scene: Scene[Any]
    steps: Sequence[Any]
    if view == "overlap":
        overlap = OverlapScene(spec, style)
        scene, steps = overlap, overlap.steps
    elif view == "matrix":
        scene, steps = MatrixScene(spec, style), spec.steps()
    elif view == "scatter":
        if numbers is None:
            raise ParameterError(
                "view='scatter' needs numbers: it draws the products and running sums",
                parameter="view", value=view, allowed="'direct' without values",
            )
        scene, steps = ScatterScene(spec, style, numbers), scatter_steps(spec)
    elif spec.has_channels:
        scene, steps = ChannelScene(spec, style), channel_steps(spec)
    elif numbers is not None and spec.ndim == 1:
        scene, steps = NumericLineScene(spec, style, numbers, progressive), spec.steps()
    elif numbers is not None:
        scene, steps = FlatScene(spec, style, numbers, progressive, flip), spec.steps()
    elif spec.ndim == 1:
        scene, steps = LineScene(spec, style), spec.steps()
    elif spec.ndim == 3:
        scene, steps = VolumeScene(spec, style), spec.steps()
    else:
        scene, steps = SlantedScene(spec, style), spec.steps()
    return Plan(scene, steps, palette_for(scene.inks), spec, (), numbers, view, progressive,
                style)


__all__ = ["VIEWS", "Plan", "plan"]
