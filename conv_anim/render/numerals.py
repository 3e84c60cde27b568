"""How a figure writes its numbers: exactly, or rounded to fit its cells and saying so.

A figure never shows a number other than the value it stands for. Integers are
written as integers ("3", "-2", "3000"), other values in the shortest decimal that
reads back as the same value ("1.5", "6.25", "0.1"). Only where a group of numbers
(an input's values, a kernel's weights, an output) would not fit its cells at a
legible size are they rounded, all alike: to fewer decimals, or to a few significant
digits, and :func:`rounding_note` says so in the caption, with by how much.

The paper's numerical figures write their outputs small, with one decimal ("6.0",
and "1.7" for the average 15/9); ``Style(number_style="paper")`` keeps that look,
pixel for pixel (the catalogue's four numerical figures use it). That is the
paper's convention, declared rather than noted on the figure: its caption (when
shown) says the outputs are rounded to one decimal where they are.

>>> write_numbers([1.5, -2, 3000, 4], 8.0, 0.85).texts
('1.5', '-2', '3000', '4')
>>> written = write_numbers([1 / 3, 2], 8.0, 0.85)
>>> written.texts, written.rounding
(('0.333', '2'), 'to 3 decimals (±0.0005)')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from conv_anim.render.numbers import (
    FIT_WIDTH,
    SMALL_SIZE,
    VALUE_SIZE,
    WEIGHT_FIT_WIDTH,
    fitted_size,
)

#: How small a group may be set (points) before it is rounded instead: numbers in
#: cells, and kernel weights (which stay smaller than the values they sit under).
SMALLEST = 4.0
SMALLEST_WEIGHT = 3.0
#: Most significant digits a rounded number keeps, and fewest.
MOST_SIGNIFICANT = 4
FEWEST_SIGNIFICANT = 1
#: Kernel weights are set at most this fraction of the values' size (the paper's
#: 5 pt weights under 8 pt values), whatever the magnitudes.
WEIGHT_RATIO = SMALL_SIZE / VALUE_SIZE
#: Magnitudes written in e-notation ("1.2e-5", "3e20") rather than in full.
TINY = 1e-4
HUGE = 1e16


@dataclass(frozen=True)
class Written:
    """A group of numbers as a figure writes them.

    Attributes
    ----------
    texts : tuple of str
        Each number, in the order given.
    size : float
        The font size (points) at which the widest fits its cell.
    rounding : str or None
        None when every text is exact; else how they were rounded, e.g.
        ``"to 2 decimals (±0.005)"`` or ``"to 2 significant digits (±5%)"``.
    """

    texts: tuple[str, ...]
    size: float
    rounding: str | None = None


def _plain(text: str) -> str:
    """Python's float text made short: "1e-05" -> "1e-5", "1.5e+20" -> "1.5e20"."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}"


def exact_text(value: float, decimals: int = 0) -> str:
    """The shortest text that stands for ``value`` exactly, with at least ``decimals``
    decimals (the paper's outputs: 1).

    Examples
    --------
    >>> exact_text(3.0), exact_text(-2), exact_text(6.25), exact_text(0.1)
    ('3', '-2', '6.25', '0.1')
    >>> exact_text(6.0, 1), exact_text(17.5, 1), exact_text(1.2e-5), exact_text(-0.0)
    ('6.0', '17.5', '1.2e-5', '0')
    """
    value = float(value) + 0.0  # -0.0 becomes 0.0
    if value.is_integer() and abs(value) < HUGE:
        text = str(int(value))
    elif value != 0 and not TINY <= abs(value) < HUGE:
        return _plain(repr(value))
    else:
        text = repr(value)
    places = len(text.partition(".")[2])
    if places < decimals:
        text = f"{value:.{decimals}f}"
    return text


def rounded_text(value: float, decimals: int) -> str:
    """``value`` rounded to ``decimals`` decimals, trailing zeros dropped, never "-0".

    >>> rounded_text(1 / 3, 2), rounded_text(1.5, 2), rounded_text(-0.004, 2)
    ('0.33', '1.5', '0')
    """
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def significant_text(value: float, digits: int) -> str:
    """``value`` with ``digits`` significant digits, in e-notation when that is shorter.

    >>> significant_text(123456, 2), significant_text(1.23456e-5, 2), significant_text(0.5, 1)
    ('1.2e5', '1.2e-5', '0.5')
    """
    if value == 0:
        return "0"
    text = f"{value:.{digits - 1}e}"
    mantissa, exponent = text.split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    power = int(exponent)
    if -3 <= power < digits:  # as short in full: 0.0012, 12.3
        return rounded_text(float(f"{mantissa}e{power}"), max(0, digits - 1 - power))
    return f"{mantissa}e{power}"


def _candidates(values: np.ndarray) -> list[tuple[list[str], str]]:
    """Ways to round the group, most precise first: fewer decimals (while the largest
    keeps two significant digits), then fewer significant digits."""
    largest = float(np.abs(values).max()) if values.size else 0.0
    options: list[tuple[list[str], str]] = []
    if largest and TINY <= largest < HUGE:
        leading = math.floor(math.log10(largest))  # 0 for 1-9.99
        for decimals in range(MOST_SIGNIFICANT - 1 - leading, max(0, 1 - leading) - 1, -1):
            if decimals < 0:
                continue
            bound = f"{0.5 * 10.0 ** -decimals:.{decimals + 1}f}"
            how = (f"to {decimals} decimal{'' if decimals == 1 else 's'}" if decimals
                   else "to whole numbers")
            options.append(([rounded_text(v, decimals) for v in values], f"{how} (±{bound})"))
    for digits in range(MOST_SIGNIFICANT, FEWEST_SIGNIFICANT - 1, -1):
        bound = exact_text(50 * 10.0 ** (1 - digits))
        plural = "" if digits == 1 else "s"
        options.append(([significant_text(v, digits) for v in values],
                         f"to {digits} significant digit{plural} (±{bound}%)"))
    return options


def write_numbers(values: ArrayLike, nominal: float, width: float, *, decimals: int = 0,
                  smallest: float | None = None) -> Written:
    """Write a group of numbers to fit cells ``width`` cells wide.

    Parameters
    ----------
    values : array_like
        The group (flattened in C order).
    nominal : float
        The size they are set at when they fit (points).
    width : float
        The widest a number may be, in cells.
    decimals : int
        Fewest decimals of an exact text (the paper's outputs: 1).
    smallest : float, optional
        The smallest size the exact texts may be set at (default: :data:`SMALLEST`,
        or ``nominal`` if smaller); below it, the group is rounded, as little as fits.

    Returns
    -------
    Written
        The texts, their size and how they were rounded (None if exact).

    Examples
    --------
    >>> write_numbers([6, 17, 3], 5.0, 0.85, decimals=1).texts
    ('6.0', '17.0', '3.0')
    >>> write_numbers([123456789.0, 5], 8.0, 0.85).rounding
    'to 2 significant digits (±5%)'
    """
    array = np.asarray(values, dtype=np.float64).ravel()
    least = min(nominal, SMALLEST if smallest is None else smallest)
    texts = [exact_text(v, decimals) for v in array]
    size = fitted_size(texts, nominal, width)
    if size >= least:
        return Written(tuple(texts), size)
    options = _candidates(array)
    for candidate, how in options:
        size = fitted_size(candidate, nominal, width)
        if size >= least:
            return Written(tuple(candidate), size, how)
    candidate, how = options[-1]
    return Written(tuple(candidate), fitted_size(candidate, nominal, width), how)


def rounding_note(groups: Sequence[tuple[str, Written | None]]) -> str | None:
    """The caption's line for rounded groups, e.g. ``"shown rounded: outputs to 1
    decimal (±0.05)"``; None when every group is exact.

    >>> rounding_note([("values", Written(("1",), 8.0)),
    ...                ("outputs", Written(("0.3",), 8.0, "to 1 decimal (±0.05)"))])
    'shown rounded: outputs to 1 decimal (±0.05)'
    """
    parts = [f"{name} {group.rounding}" for name, group in groups
             if group is not None and group.rounding]
    return f"shown rounded: {'; '.join(parts)}" if parts else None


@dataclass(frozen=True)
class FigureNumbers:
    """The three groups of numbers of a numerical figure, written.

    Attributes
    ----------
    values : Written
        The input's values (C order).
    weights : Written or None
        The kernel's weights (C order), None for pooling.
    outputs : Written
        The output's values (C order).
    """

    values: Written
    weights: Written | None
    outputs: Written
    paper: bool = False

    @property
    def note(self) -> str | None:
        """What the figure must say about its rounded groups (:func:`rounding_note`),
        whether or not a caption was asked for."""
        groups = [("values", self.values), ("weights", self.weights)]
        if not self.paper:
            groups.append(("outputs", self.outputs))
        return rounding_note(groups)

    @property
    def convention(self) -> str | None:
        """The paper's convention, for a caption asked for: its outputs rounded to one
        decimal (when some are)."""
        return rounding_note([("outputs", self.outputs)]) if self.paper else None


def write_figure(values: ArrayLike, kernel: ArrayLike | None, output: ArrayLike, *,
                 paper: bool = False) -> FigureNumbers:
    """Write a numerical figure's numbers: values in cells, weights small under them,
    outputs as large as the values (``paper``: small, with one decimal, as the paper's).

    Examples
    --------
    >>> written = write_figure([[1.5, 2]], [[1]], [[3.5]])
    >>> written.values.texts, written.outputs.texts, written.note
    (('1.5', '2'), ('3.5',), None)
    >>> written.weights.size <= WEIGHT_RATIO * written.values.size
    True
    >>> write_figure([[1, 2]], [[1]], [[3]], paper=True).outputs.texts
    ('3.0',)
    """
    written_values = write_numbers(values, VALUE_SIZE, FIT_WIDTH)
    weights = None
    if kernel is not None:
        largest = min(SMALL_SIZE, WEIGHT_RATIO * written_values.size)
        weights = write_numbers(kernel, largest, WEIGHT_FIT_WIDTH, smallest=SMALLEST_WEIGHT)
    outputs = (write_fixed(output, SMALL_SIZE, FIT_WIDTH, 1) if paper
               else write_numbers(output, VALUE_SIZE, FIT_WIDTH))
    return FigureNumbers(written_values, weights, outputs, paper)


def write_fixed(values: ArrayLike, nominal: float, width: float, decimals: int) -> Written:
    """A group written with a fixed number of ``decimals`` (the paper's outputs: "6.0",
    "1.7"), saying how they are rounded when some are.

    >>> write_fixed([6, 15 / 9], 5.0, 0.85, 1)
    Written(texts=('6.0', '1.7'), size=5.0, rounding='to 1 decimal (±0.05)')
    """
    array = np.asarray(values, dtype=np.float64).ravel()
    texts = tuple(f"{v:.{decimals}f}" if float(f"{v:.{decimals}f}") else f"{0:.{decimals}f}"
                  for v in array)
    exact = all(float(t) == v for t, v in zip(texts, array, strict=True))
    bound = f"{0.5 * 10.0 ** -decimals:.{decimals + 1}f}"
    plural = "" if decimals == 1 else "s"
    rounding = None if exact else f"to {decimals} decimal{plural} (±{bound})"
    return Written(texts, fitted_size(list(texts), nominal, width), rounding)


__all__ = [
    "SMALLEST", "SMALLEST_WEIGHT", "WEIGHT_RATIO", "FigureNumbers", "Written", "exact_text",
    "rounded_text", "rounding_note", "significant_text", "write_figure", "write_fixed",
    "write_numbers",
]
