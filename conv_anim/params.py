"""Validation and parsing of per-axis integer parameters (numpy-free, matplotlib-free).

Two jobs that share one vocabulary:

* validating Python values: :func:`per_axis`, :func:`spatial_size`,
  :func:`positive_int` and :func:`padding_pairs` turn an int or a per-axis
  ``tuple``/``list`` into a tuple of ints (numpy integers count as ints; booleans,
  floats, strings, bytes, ranges, dicts, sets and other iterables are refused);
* parsing the per-axis text syntax of the command line and the Sphinx directive:
  :func:`parse_axes` (``"5"``, ``"5x7"``, ``"5,7"``) and :func:`parse_padding`
  (also ``"1:2"`` before:after pairs and the modes ``valid``, ``same``, ``half``,
  ``full``).

Every error is a :class:`~conv_anim.errors.ParameterError` naming the parameter
(as the caller passes it), the value and what is allowed.
"""

from __future__ import annotations

import numbers
import operator
import re

from conv_anim.errors import ParameterError, describe

#: The most spatial axes a convolution may have (1-D, 2-D or 3-D).
MAX_AXES = 3

#: Padding modes: "half" is the paper's name for "same" (stride 1).
PADDING_MODES = ("valid", "same", "full", "half")

PaddingItem = int | tuple[int, int]


def as_int(value: object) -> int | None:
    """The int that an int or a numpy integer stands for; None for anything else.

    Booleans (ints in Python) are not ints here.

    Examples
    --------
    >>> import numpy as np
    >>> as_int(np.int64(3)), as_int(True), as_int(3.0)
    (3, None, None)
    """
    if type(value) is int:  # the common case, without the abstract-class check
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return operator.index(value)
    return None


def is_int(value: object) -> bool:
    """True for ints and numpy integers, False for bools (which are ints in Python).

    Examples
    --------
    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return as_int(value) is not None


def per_axis(name: str, value: object, ndim: int, *, minimum: int) -> tuple[int, ...]:
    """Expand an int or a per-axis tuple or list of ints to a tuple of ``ndim`` ints.

    Raises
    ------
    ParameterError
        If the value is not an int or a tuple or list of ints (booleans, floats,
        strings, bytes and other iterables are refused), has the wrong number of
        axes, or holds a value smaller than ``minimum``.

    Examples
    --------
    >>> per_axis("stride", 2, 3, minimum=1), per_axis("stride", [1, 2], 2, minimum=1)
    ((2, 2, 2), (1, 2))
    """
    allowed = f"an int >= {minimum} or a tuple of {ndim} such ints"
    one = as_int(value)
    if one is not None:
        values = (one,) * ndim
    elif isinstance(value, (tuple, list)):
        if len(value) != ndim:
            raise ParameterError(
                f"{name}={value!r} has {len(value)} axes but input_size has {ndim}: "
                f"expected {allowed}",
                parameter=name, value=value, allowed=allowed,
            )
        ints = [as_int(v) for v in value]
        if None in ints:
            raise ParameterError(
                f"{name}={value!r} must hold ints only: expected {allowed}",
                parameter=name, value=value, allowed=allowed,
            )
        values = tuple(v for v in ints if v is not None)
    else:
        raise ParameterError.invalid(name, value, allowed)
    if min(values, default=minimum) < minimum:
        raise ParameterError.invalid(name, value, allowed)
    return values


def positive_int(name: str, value: object) -> int:
    """Validate a count such as ``in_channels`` or ``groups``: an int >= 1.

    Raises
    ------
    ParameterError
        If the value is not an int (booleans, floats and strings are refused) or is
        smaller than 1.

    Examples
    --------
    >>> positive_int("groups", 2)
    2
    """
    count = as_int(value)
    if count is None or count < 1:
        raise ParameterError.invalid(name, value, "an int >= 1")
    return count


def spatial_size(value: object) -> tuple[int, ...]:
    """Parse ``input_size``, which fixes the number of spatial axes (1 to 3).

    An int means a square 2-D input.

    Raises
    ------
    ParameterError
        As :func:`per_axis`, or for fewer than 1 or more than 3 axes.

    Examples
    --------
    >>> spatial_size(5), spatial_size((16,))
    ((5, 5), (16,))
    """
    allowed = f"an int >= 1 or a tuple of 1 to {MAX_AXES} such ints"
    if is_int(value):
        ndim = 2
    elif isinstance(value, (tuple, list)):
        ndim = len(value)
        if not 1 <= ndim <= MAX_AXES:
            raise ParameterError(
                f"input_size={value!r} has {ndim} axes: expected {allowed} "
                f"(1-D, 2-D or 3-D convolutions)",
                parameter="input_size", value=value, allowed=allowed,
            )
    else:
        raise ParameterError.invalid("input_size", value, allowed)
    return per_axis("input_size", value, ndim, minimum=1)


def padding_pairs(value: object, ndim: int) -> tuple[tuple[int, int], ...] | str:
    """Parse ``padding`` into ``(before, after)`` pairs, or return a mode string.

    Accepted: an int (every side), a tuple of ints (one per axis), a tuple of
    ``(before, after)`` pairs (one per axis), or one of :data:`PADDING_MODES`
    (returned as given, lower case).

    Raises
    ------
    ParameterError
        For anything else, or a negative value.

    Examples
    --------
    >>> padding_pairs(1, 2), padding_pairs((1, (0, 2)), 2), padding_pairs("half", 2)
    (((1, 1), (1, 1)), ((1, 1), (0, 2)), 'half')
    """
    allowed = (
        f"an int >= 0, a tuple of {ndim} ints >= 0, a tuple of {ndim} (before, after) "
        f"pairs of ints >= 0, or one of {', '.join(map(repr, PADDING_MODES))}"
    )
    if isinstance(value, str):
        if value not in PADDING_MODES:
            raise ParameterError.invalid("padding", value, allowed)
        return value
    items = (value,) * ndim if is_int(value) else value
    if not isinstance(items, (tuple, list)) or len(items) != ndim:
        raise ParameterError.invalid("padding", value, allowed)
    pairs = []
    for item in items:
        pair = (item, item) if is_int(item) else item
        listed = pair if isinstance(pair, (tuple, list)) and len(pair) == 2 else ()
        sides = [side for side in map(as_int, listed) if side is not None and side >= 0]
        if len(sides) != 2:
            raise ParameterError(
                f"padding={value!r} is not valid: expected {allowed}",
                parameter="padding", value=value, allowed=allowed,
            )
        pairs.append((sides[0], sides[1]))
    return tuple(pairs)


# --------------------------------------------------------------------------- text syntax

_SEPARATOR = re.compile(r"[x,]")
# At most 19 digits (int64's, as PyTorch's sizes): int() refuses more than 4300.
_INT = re.compile(r"[0-9]{1,19}")
_PAIR = re.compile(r"([0-9]{1,19})(?::([0-9]{1,19}))?")


def _axis_parts(text: object, parameter: str, allowed: str) -> list[str]:
    """``"5 x 7"`` -> ``["5", "7"]``: spaces dropped, lower case, split on x or comma."""
    if not isinstance(text, str):
        raise ParameterError.invalid(parameter, text, allowed)
    parts = _SEPARATOR.split("".join(text.lower().split()))
    if not 1 <= len(parts) <= MAX_AXES:
        raise ParameterError(
            f"{parameter}={text!r} has {len(parts)} axes: expected {allowed}",
            parameter=parameter, value=text, allowed=allowed,
        )
    return parts


def parse_axes(text: object, parameter: str, *, minimum: int = 1) -> tuple[int, ...]:
    """Parse per-axis ints written as text: ``"5"``, ``"5x7"``, ``"5,7"``, ``"4x5x5"``.

    Spaces are ignored and ``X`` counts as ``x``; 1 to 3 values. One value means
    "every axis": the caller expands it.

    Parameters
    ----------
    text : str
        The text, as typed after ``-k`` or ``:kernel-size:``.
    parameter : str
        The library parameter it gives (``"kernel_size"``), named by the error.
    minimum : int
        The smallest value allowed (0 for ``output_padding``).

    Returns
    -------
    tuple of int
        One value per axis given.

    Raises
    ------
    ParameterError
        If the text is not 1 to 3 ints >= ``minimum`` joined by ``x`` or ``,``.

    Examples
    --------
    >>> parse_axes("5", "input_size"), parse_axes("5 x 7", "input_size")
    ((5,), (5, 7))
    >>> parse_axes("0,1", "output_padding", minimum=0)
    (0, 1)
    >>> try:
    ...     parse_axes("5x0", "kernel_size")
    ... except ValueError as error:
    ...     print(error.parameter, "|", error.allowed)
    kernel_size | an int >= 1, or one per axis joined by 'x' or ',' (e.g. 5x7)
    """
    allowed = f"an int >= {minimum}, or one per axis joined by 'x' or ',' (e.g. 5x7)"
    parts = _axis_parts(text, parameter, allowed)
    if not all(_INT.fullmatch(part) for part in parts):
        raise ParameterError.invalid(parameter, text, allowed)
    values = tuple(int(part) for part in parts)
    if min(values) < minimum:
        raise ParameterError.invalid(parameter, text, allowed)
    return values


def parse_padding(text: object, parameter: str = "padding") -> str | tuple[PaddingItem, ...]:
    """Parse padding written as text: ints, ``before:after`` pairs per axis, or a mode.

    ``"1"`` (every side), ``"1,0"`` or ``"1x0"`` (per axis), ``"0:1"`` (before and
    after, every axis), ``"1:2x0"`` (a pair on the first axis, 0 on the second), or
    a mode: ``valid``, ``same``, ``half`` (the paper's name for ``same``) or
    ``full``. Spaces are ignored, case too.

    Parameters
    ----------
    text : str
        The text, as typed after ``-p`` or ``:padding:``.
    parameter : str
        The library parameter it gives, named by the error.

    Returns
    -------
    str or tuple
        The mode, or one item per axis given: an int (both sides) or a
        ``(before, after)`` pair. One item means "every axis".

    Raises
    ------
    ParameterError
        For anything else.

    Examples
    --------
    >>> parse_padding("1"), parse_padding("1:2 x 0"), parse_padding(" Half ")
    ((1,), ((1, 2), 0), 'half')
    >>> try:
    ...     parse_padding("1:", "padding")
    ... except ValueError as error:
    ...     print(error.parameter, error.value)
    padding 1:
    """
    allowed = (
        f"an int >= 0 (every side), one per axis joined by 'x' or ',' (1,0), before:after "
        f"pairs (0:1), or one of {', '.join(PADDING_MODES)}"
    )
    if isinstance(text, str):
        mode = "".join(text.split()).lower()
        if mode in PADDING_MODES:
            return mode
    matches = [_PAIR.fullmatch(part) for part in _axis_parts(text, parameter, allowed)]
    items: list[PaddingItem] = []
    for match in matches:
        if match is None:
            raise ParameterError.invalid(parameter, text, allowed)
        before, after = match.group(1, 2)
        items.append(int(before) if after is None else (int(before), int(after)))
    return tuple(items)


__all__ = [
    "MAX_AXES",
    "PADDING_MODES",
    "PaddingItem",
    "as_int",
    "describe",
    "is_int",
    "padding_pairs",
    "parse_axes",
    "parse_padding",
    "per_axis",
    "positive_int",
    "spatial_size",
]
