"""The arguments of :func:`conv_anim.animate` and :func:`conv_anim.draw`, checked.

Each function checks one argument (or a rule between several) and raises a
:class:`~conv_anim.errors.ParameterError` naming it, so that nothing is drawn from
arguments that cannot be drawn.

>>> check_view(ConvSpec(5, 3), "direct", None, None, False)
>>> check_flip(True, None, None, None)
Traceback (most recent call last):
...
conv_anim.errors.ParameterError: flip=True needs a numerical convolution ...
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from conv_anim import extra_views, notation
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.numerics import OPS
from conv_anim.plan import VIEWS
from conv_anim.style import Style
from conv_anim.values import Numbers


def check_spec(spec: object) -> ConvSpec:
    """``spec``, if it is a ConvSpec."""
    if not isinstance(spec, ConvSpec):
        raise ParameterError.invalid("spec", spec, "a conv_anim.ConvSpec")
    return spec


def numbers(
    spec: ConvSpec, values: ArrayLike | None, kernel: ArrayLike | None, op: object,
    progressive: object,
) -> Numbers | None:
    """The numbers of a numerical figure, validated; None for an arithmetic figure."""
    if not isinstance(progressive, bool):
        raise ParameterError.invalid("progressive", progressive, "True or False")
    if op is not None and op not in OPS:
        raise ParameterError.choice("op", op, OPS)
    if values is None:
        given = (["kernel"] if kernel is not None else []) + (
            [f"op={op!r}"] if op is not None else []
        ) + (["progressive=True"] if progressive else [])
        if given:
            raise ParameterError(
                f"{', '.join(given)} given without values: a numerical figure needs "
                f"values=... (an array of shape spec.input_size = {spec.input_size})",
                parameter="values", value=None, allowed=f"an array of shape {spec.input_size}",
            )
        return None
    if spec.has_channels:
        raise ParameterError(
            f"a numerical figure (values=...) with channels is not yet supported "
            f"(in_channels={spec.in_channels}, out_channels={spec.out_channels}): "
            f"numerical figures draw one channel; use in_channels=out_channels=1, or "
            f"omit values for the arithmetic figure of every channel",
            parameter="values", value="...", allowed="no values with channels",
        )
    return Numbers.compute(spec, values, kernel, "conv" if op is None else str(op))


def check_flip(flip: object, values: object, kernel: object, op: object) -> bool:
    """``flip``, validated: it needs a numerical convolution."""
    if not isinstance(flip, bool):
        raise ParameterError.invalid("flip", flip, "True or False")
    if flip and (values is None or kernel is None or op not in (None, "conv")):
        raise ParameterError(
            "flip=True needs a numerical convolution (values=..., kernel=..., op='conv'): "
            "it flips the kernel's weights",
            parameter="flip", value=flip, allowed="False without values and a kernel",
        )
    return flip


def flipped(kernel: ArrayLike, style: Style, spec: ConvSpec) -> tuple[np.ndarray, Style]:
    """A true convolution's kernel (flipped on every axis) and caption (the user's, or
    the spec's, then the note saying so)."""
    if style.caption is False:
        caption = notation.FLIPPED_NOTE
    else:
        first = notation.caption(spec) if style.caption is True else style.caption
        caption = f"{first}\n{notation.FLIPPED_NOTE}"
    return np.flip(np.asarray(kernel)), dataclasses.replace(style, caption=caption)


def check_view(
    spec: ConvSpec, view: object, values: object, op: object, progressive: object
) -> None:
    """Validate ``view``: ``"scatter"`` needs a transposed spec with values;
    ``"overlap"`` and ``"matrix"`` as :func:`conv_anim.extra_views.check_view` says."""
    if not isinstance(view, str) or view not in VIEWS:
        raise ParameterError.choice("view", view, VIEWS)
    if view == "direct":
        return
    if view in extra_views.EXTRA_VIEWS:
        extra_views.check_view(spec, view, values, op, progressive)
        return
    if not spec.transposed:
        raise ParameterError(
            "view='scatter' needs a transposed spec (transposed=True), got a direct one: "
            "only a transposed convolution scatters each input unit into the output",
            parameter="view", value=view, allowed="'direct' for a direct convolution",
        )
    if values is None:
        raise ParameterError(
            f"view='scatter' needs values=... (an array of shape spec.input_size = "
            f"{spec.input_size}) and kernel=...: it draws the products and running sums",
            parameter="view", value=view, allowed="'direct' without values",
        )
    if op not in (None, "conv"):
        raise ParameterError(
            f"op={op!r} is not valid with view='scatter': expected op='conv'",
            parameter="op", value=op, allowed="'conv' with view='scatter'",
        )
    if progressive:
        raise ParameterError(
            "progressive=True does not apply to view='scatter', whose output always "
            "accumulates frame by frame: expected progressive=False",
            parameter="progressive", value=progressive, allowed="False with view='scatter'",
        )


def selected_steps(steps: object, count: int) -> tuple[int, ...] | None:
    """Which of ``count`` steps to show: None for all, else their indices in order.

    ``steps`` is None, a ``slice`` or ``range`` of step numbers (negative numbers count
    from the end, as in Python), or a sequence of distinct step numbers in increasing
    order.

    Examples
    --------
    >>> selected_steps(slice(None, None, 4), 10), selected_steps(range(2, 4), 10)
    ((0, 4, 8), (2, 3))
    """
    if steps is None:
        return None
    if isinstance(steps, slice):
        chosen = tuple(range(count)[steps])
    elif isinstance(steps, range):
        chosen = tuple(range(count)[slice(steps.start, steps.stop, steps.step)])
    elif isinstance(steps, (list, tuple)) and all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in steps
    ):
        chosen = tuple(int(n) for n in steps)
        if any(not 0 <= n < count for n in chosen) or list(chosen) != sorted(set(chosen)):
            raise ParameterError.invalid(
                "steps", steps, f"distinct step numbers from 0 to {count - 1}, in order"
            )
    else:
        raise ParameterError.invalid(
            "steps", steps, "None, a slice, a range or a list of step numbers"
        )
    if not chosen:
        raise ParameterError(
            f"steps={steps!r} selects none of the {count} steps: expected at least one",
            parameter="steps", value=steps, allowed=f"a selection of the {count} steps",
        )
    return chosen


def check_frame(frame: object, count: int) -> int:
    """A frame number: an int from ``-count`` to ``count - 1``, as a non-negative index."""
    if isinstance(frame, bool) or not isinstance(frame, (int, np.integer)) or not (
        -count <= frame < count
    ):
        raise ParameterError.invalid("frame", frame, f"an int from 0 to {count - 1}")
    return int(frame) % count


__all__ = [
    "check_flip", "check_frame", "check_spec", "check_view", "flipped", "numbers",
    "selected_steps",
]
