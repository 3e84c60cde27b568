"""Parsing and validation of per-axis integer parameters (numpy-free, matplotlib-free)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

MAX_AXES = 3


def describe(value: object) -> str:
    """Return ``repr(value)`` with its type when the type is what is wrong."""
    if isinstance(value, (bool, float, str)) or not isinstance(value, (numbers.Integral, tuple, list)):
        return f"{value!r} ({type(value).__name__})"
    return repr(value)


def is_int(value: object) -> bool:
    """True for ints and numpy integers, False for bools (which are ints in Python)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def per_axis(name: str, value: object, ndim: int, *, minimum: int) -> tuple[int, ...]:
    """Expand an int or a per-axis sequence of ints to a tuple of ``ndim`` ints.

    Raises
    ------
    ValueError
        If the value is not an int (booleans, floats and strings are refused), has the
        wrong number of axes, or is smaller than ``minimum``.
    """
    allowed = f"an int >= {minimum} or a tuple of {ndim} such ints"
    if is_int(value):
        values = (int(value),) * ndim  # type: ignore[arg-type]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != ndim:
            raise ValueError(
                f"{name}={value!r} has {len(value)} axes but input_size has {ndim}: "
                f"expected {allowed}"
            )
        if not all(is_int(v) for v in value):
            raise ValueError(f"{name}={value!r} must hold ints only: expected {allowed}")
        values = tuple(int(v) for v in value)
    else:
        raise ValueError(f"{name}={describe(value)} is not valid: expected {allowed}")
    for v in values:
        if v < minimum:
            raise ValueError(f"{name}={value!r} is not valid: expected {allowed}")
    return values


def positive_int(name: str, value: object) -> int:
    """Validate a count such as ``in_channels`` or ``groups``: an int >= 1.

    Raises
    ------
    ValueError
        If the value is not an int (booleans, floats and strings are refused) or is
        smaller than 1.
    """
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}={describe(value)} is not valid: expected an int >= 1")
    return int(value)


def spatial_size(value: object) -> tuple[int, ...]:
    """Parse ``input_size``, which fixes the number of spatial axes (1 to 3)."""
    allowed = f"an int >= 1 or a tuple of 1 to {MAX_AXES} such ints"
    if is_int(value):
        ndim = 2
    elif isinstance(value, Sequence) and not isinstance(value, str):
        ndim = len(value)
        if not 1 <= ndim <= MAX_AXES:
            raise ValueError(
                f"input_size={value!r} has {ndim} axes: expected {allowed} "
                f"(1-D, 2-D or 3-D convolutions)"
            )
    else:
        raise ValueError(f"input_size={describe(value)} is not valid: expected {allowed}")
    return per_axis("input_size", value, ndim, minimum=1)


PADDING_MODES = ("valid", "same", "full")


def padding_pairs(value: object, ndim: int) -> tuple[tuple[int, int], ...] | str:
    """Parse ``padding`` into ``(before, after)`` pairs, or return a mode string.

    Accepted: an int, a tuple of ints (one per axis), a tuple of ``(before, after)``
    pairs (one per axis), or one of ``"valid"``, ``"same"``, ``"full"``.
    """
    allowed = (
        f"an int >= 0, a tuple of {ndim} ints >= 0, a tuple of {ndim} (before, after) "
        f"pairs of ints >= 0, or one of {', '.join(map(repr, PADDING_MODES))}"
    )
    if isinstance(value, str):
        if value not in PADDING_MODES:
            raise ValueError(f"padding={value!r} is not valid: expected {allowed}")
        return value
    items = (value,) * ndim if is_int(value) else value
    if not isinstance(items, Sequence) or len(items) != ndim:
        raise ValueError(f"padding={describe(value)} is not valid: expected {allowed}")
    pairs = []
    for item in items:
        if is_int(item):
            pair = (item, item)
        elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
            pair = tuple(item)
        else:
            raise ValueError(f"padding={value!r} is not valid: expected {allowed}")
        if not all(is_int(v) and v >= 0 for v in pair):
            raise ValueError(f"padding={value!r} is not valid: expected {allowed}")
        pairs.append((int(pair[0]), int(pair[1])))
    return tuple(pairs)
