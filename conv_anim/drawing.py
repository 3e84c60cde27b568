"""One step of a convolution drawn into your own matplotlib Axes (:func:`draw`).

The figure is planned as :func:`conv_anim.animate` plans it; the step's artists are
added to the Axes in data coordinates, and nothing global (pyplot, rcParams) is touched.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from conv_anim import arguments
from conv_anim.animation import Animation, animate
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec, Step
from conv_anim.render.base import BORDER
from conv_anim.style import to_unit_rgb


def draw(
    ax: Axes, spec: ConvSpec, step: int | Step = 0, *, values: ArrayLike | None = None,
    kernel: ArrayLike | None = None, op: str | None = None, progressive: bool = False,
    view: str = "direct", flip: bool = False, backward: bool = False, **style: Any,
) -> list[Artist]:
    """Draw one step of a convolution into an existing matplotlib Axes.

    The drawing is in data coordinates (one cell = one unit). The Axes gets equal
    aspect, limits that fit the drawing, and its axis lines hidden; nothing global
    (pyplot's current figure, rcParams) is touched.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    spec : ConvSpec
        The convolution, 1-D, 2-D or 3-D.
    step : int or Step
        The frame number (row-major output cell; with channels, per output channel
        then cell; with view="scatter", per input unit), or a step of the animation.
    values, kernel, op, progressive, view, flip, backward
        As for :func:`animate`: with ``values``, the numerical figure.
    **style
        Options of :class:`conv_anim.style.Style`; the grids are labelled by default
        (``labels=False`` to leave them bare).

    Returns
    -------
    list of Artist
        The artists added, bottom to top.

    Raises
    ------
    ParameterError
        As :func:`animate`, or for a frame number out of range or a step that is not
        one of this animation's.
    """
    animation = animate(
        spec, values=values, kernel=kernel, op=op, progressive=progressive, view=view,
        flip=flip, backward=backward, **style,
    )
    frame = _frame_of(animation, step)
    artists = animation.draw_into(ax, frame)
    extent = animation.scene.extent
    ax.set_xlim(extent.x0 - BORDER / 2, extent.x1 + BORDER / 2)
    ax.set_ylim(extent.y0 - BORDER / 2, extent.y1 + BORDER / 2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    style_ = animation.style
    if not style_.transparent and style_.background_rgb != (255, 255, 255):
        # A dark theme's light lines need its background; the Axes is hidden, so
        # its patch would not show: put the background behind the drawing instead.
        artists.insert(0, ax.add_patch(Rectangle(
            (0, 0), 1, 1, transform=ax.transAxes, facecolor=to_unit_rgb(style_.background_rgb),
            edgecolor="none", zorder=-1,
        )))
    return artists


def _frame_of(animation: Animation, step: object) -> int:
    """The frame number of ``step``: a frame number, or one of the animation's steps."""
    if not isinstance(step, Step):
        return arguments.check_frame(step, len(animation))
    index = step.index
    # A plain spatial step stands for output channel 0 of a figure with channels.
    same = ("index", "output_index", "window_start", "taps")
    if not 0 <= index < len(animation) or any(
        getattr(animation.steps[index], name, None) != getattr(step, name) for name in same
    ):
        raise ParameterError(
            f"step={step!r} is not a step of this animation: expected a frame number or "
            f"one of animate(spec, ...).steps",
            parameter="step", value=step, allowed="a frame number or a step of this animation",
        )
    return index


__all__ = ["draw"]
