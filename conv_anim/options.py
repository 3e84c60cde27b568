"""The drawing options, once: what ``conv-anim conv``, the Sphinx directive and the MkDocs
fence accept, with the same names and meanings.

Each :class:`Option` names itself as the command line spells it (``--input-size``, the
directive's ``:input-size:``, the fence's ``input-size:``), says which library parameter
it sets, parses its text (:meth:`Option.parse`, raising a
:class:`~conv_anim.errors.ParameterError` naming the option), and documents itself. The
command line builds its ``conv`` options from :data:`DRAWING`; the directive and the
fence build theirs from the same table, so that a figure described in one is described
the same way in the others.

>>> OPTIONS["padding"].parse("1:2x0")
((1, 2), 0)
>>> OPTIONS["stride"].parse("2x1")
(2, 1)
>>> sorted(name for name, option in OPTIONS.items() if option.kind == "numbers")
['backward', 'flip', 'kernel', 'numbers', 'op', 'progressive', 'seed', 'values', 'view']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from conv_anim.errors import ParameterError
from conv_anim.limits import VIEWS
from conv_anim.params import parse_axes, parse_padding

Kind = Literal["geometry", "numbers", "look", "frames", "animation"]

THEMES = ("paper", "dark", "colorblind")
NUMBER_STYLES = ("exact", "paper")
OPS = ("conv", "max", "avg")

# Ints of at most 19 digits (int64's): int() refuses more than 4300.
_INT = re.compile(r"\d{1,19}", re.ASCII)
_RANGE = re.compile(r"(-?\d{0,19}):(-?\d{0,19})", re.ASCII)


def axes(option: str, minimum: int) -> Callable[[str], int | tuple[int, ...]]:
    """A parser of ``N`` (every axis) or one int per axis, ``NxM[xL]`` or ``N,M[,L]``
    (:func:`conv_anim.params.parse_axes`)."""
    def parse(text: str) -> int | tuple[int, ...]:
        values = parse_axes(text, option, minimum=minimum)
        return values[0] if len(values) == 1 else values

    return parse


def padding(text: str) -> str | int | tuple[int | tuple[int, int], ...]:
    """``P`` (every side), one per axis ``P,Q``, ``B:A`` pairs (``1:2x0``), or a mode
    (:func:`conv_anim.params.parse_padding`).

    Examples
    --------
    >>> padding("same"), padding("2"), padding("1,0")
    ('same', 2, (1, 0))
    """
    parsed = parse_padding(text)
    if isinstance(parsed, tuple) and len(parsed) == 1 and isinstance(parsed[0], int):
        return parsed[0]
    return parsed


def integer(option: str, minimum: int) -> Callable[[str], int]:
    """A parser of one int >= ``minimum``."""
    def parse(text: str) -> int:
        if not _INT.fullmatch(text.strip()) or int(text) < minimum:
            raise ParameterError.invalid(option, text, f"an int >= {minimum}")
        return int(text)

    return parse


def number(option: str, low: float, high: float) -> Callable[[str], float]:
    """A parser of one number in ``(low, high]``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low < value <= high:
            raise ParameterError.invalid(option, text, f"a number in ({low:g}, {high:g}]")
        return value

    return parse


def choice(option: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    """A parser of one of ``choices``."""
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ParameterError.choice(option, text, choices)
        return value

    return parse


def step_range(option: str) -> Callable[[str], slice]:
    """A parser of ``A:B`` (from A up to B excluded; either may be left out, negative
    numbers count from the end), as Python slices.

    Examples
    --------
    >>> step_range("steps")("3:10"), step_range("rows")(":2")
    (slice(3, 10, None), slice(None, 2, None))
    """
    def parse(text: str) -> slice:
        match = _RANGE.fullmatch(text.strip())
        if match is None or not (match[1] or match[2]):
            raise ParameterError.invalid(option, text, "A:B, A: or :B (ints)")
        start, stop = (int(part) if part else None for part in (match[1], match[2]))
        return slice(start, stop)

    return parse


def frame_list(text: str) -> tuple[int, ...]:
    """Frame numbers separated by commas or spaces (negative ones count from the end).

    Examples
    --------
    >>> frame_list("0,1, -1")
    (0, 1, -1)
    """
    parts = text.replace(",", " ").split()
    if not parts or not all(re.fullmatch(r"-?\d{1,19}", part) for part in parts):
        raise ParameterError.invalid("filmstrip", text,
                                     "frame numbers separated by commas (e.g. 0,1,2,3)")
    return tuple(int(part) for part in parts)


def caption_text(text: str) -> str | bool:
    """A caption: the text given, or True (the figure's own words) when empty."""
    return text.strip() or True


def text(option: str) -> Callable[[str], str]:
    """A parser of a non-empty text (a file name, inline values)."""
    def parse(value: str) -> str:
        if not value.strip():
            raise ParameterError.invalid(option, value, "a non-empty value")
        return value.strip()

    return parse


@dataclass(frozen=True)
class Option:
    """One drawing option of the command line, the directive and the MkDocs fence.

    Attributes
    ----------
    name : str
        Its name: ``--name`` on the command line, ``:name:`` in the directive.
    kind : {"geometry", "numbers", "look", "frames", "animation"}
        What it describes.
    help : str
        One line for ``--help`` and the docs.
    parse : callable or None
        Text to value (raising ParameterError); None for a flag.
    short : str or None
        The command line's short form, e.g. ``"-i"``.
    metavar : str or None
        The value's placeholder in help texts.
    """

    name: str
    kind: Kind
    help: str
    parse: Callable[[str], object] | None = None
    short: str | None = None
    metavar: str | None = None

    @property
    def flag(self) -> bool:
        """Whether the option takes no value."""
        return self.parse is None

    @property
    def parameter(self) -> str:
        """The option's name as a Python identifier (``input_size``)."""
        return self.name.replace("-", "_")


DRAWING: tuple[Option, ...] = (
    Option("input-size", "geometry", "input size; with --transposed, the transposed "
           "convolution's own input", axes("input_size", 1), "-i", "SIZE"),
    Option("kernel-size", "geometry", "kernel (or pooling window) size",
           axes("kernel_size", 1), "-k", "SIZE"),
    Option("stride", "geometry", "stride (default 1)", axes("stride", 1), "-s", "S"),
    Option("padding", "geometry", "zero padding: int, per axis, before:after, same (half), "
           "valid or full (default 0)", padding, "-p", "P"),
    Option("dilation", "geometry", "dilation (default 1)", axes("dilation", 1), "-d", "D"),
    Option("transposed", "geometry", "the transpose of the convolution (PyTorch's "
           "ConvTranspose)"),
    Option("output-padding", "geometry", "with --transposed: units added after the output, "
           "the paper's a (default 0)", axes("output_padding", 0), metavar="A"),
    Option("ndim", "geometry", "number of spatial axes when the input size is one number "
           "(default 2)", integer("ndim", 1), metavar="N"),
    Option("in-channels", "geometry", "input feature maps (default 1)",
           integer("in_channels", 1), metavar="C"),
    Option("out-channels", "geometry", "output feature maps (default 1)",
           integer("out_channels", 1), metavar="C"),
    Option("groups", "geometry", "channel groups; = in-channels for depthwise (default 1)",
           integer("groups", 1), metavar="G"),
    Option("op", "numbers", "convolution, max pooling or average pooling (default conv)",
           choice("op", OPS), metavar="OP"),
    Option("numbers", "numbers", "draw the paper's numbers: its 5x5 input and 3x3 kernel "
           "(their top-left corner when smaller; larger, drawn on as the paper draws them)"),
    Option("seed", "numbers", "draw small random integers as the paper does "
           "(RandomState(SEED): input randint(0, 4), kernel randint(0, 3))",
           integer("seed", 0), metavar="SEED"),
    Option("values", "numbers", "the input values: a .npy file, or inline rows "
           "'1 2 3; 4 5 6' (shape: the input size)", text("values"), metavar="VALUES"),
    Option("kernel", "numbers", "the kernel, with values and op conv: a .npy file or inline "
           "rows (shape: the kernel size, PyTorch's layout)", text("kernel"), metavar="KERNEL"),
    Option("progressive", "numbers", "numerical figures: fill in the output values step by "
           "step"),
    Option("view", "numbers", "direct (default); for a transposed convolution with numbers, "
           "scatter (scatter-add, a frame per input unit); without numbers, overlap (how many "
           "taps each output unit gets: checkerboards) or matrix (the grids beside y = C x)",
           choice("view", VIEWS), metavar="VIEW"),
    Option("flip", "numbers", "a true convolution: the kernel flipped (signal processing)"),
    Option("backward", "numbers", "the backward pass: dL/dx drawn as the convolution of "
           "dL/dy with the same kernel (the transpose of a convolution, and back); values "
           "are dL/dy, shaped as the output"),
    Option("scale", "look", "size multiplier, 0.1 to 20 (default 1: the original GIFs' size)",
           number("scale", 0.0, 20.0), metavar="X"),
    Option("theme", "look", "colours: the paper's (default), dark, or colour-blind safe",
           choice("theme", THEMES), metavar="THEME"),
    Option("number-style", "look", "numerical figures: exact (default: every number as it "
           "is, rounded alike only where cells are too small, and said so) or paper (outputs "
           "small with one decimal, as the paper's)", choice("number_style", NUMBER_STYLES),
           metavar="STYLE"),
    Option("labels", "look", 'name the grids ("input", "output"); the default for figures '
           "drawn from parameters"),
    Option("no-labels", "look", "no grid labels (the paper's catalogue figures have none)"),
    Option("caption", "look", "a caption: the figure's parameters, or your own text",
           caption_text, metavar="TEXT"),
    Option("no-connectors", "look", "omit the lines joining the kernel to the output cell"),
    Option("transparent", "look", "transparent background (single frames, filmstrips, "
           "vector files)"),
    Option("every", "frames", "show every K-th step only", integer("every", 1), metavar="K"),
    Option("steps", "frames", "show steps A to B (excluded) only, e.g. 0:20",
           step_range("steps"), metavar="A:B"),
    Option("rows", "frames", "2-D: show the steps of output rows A to B (excluded) only",
           step_range("rows"), metavar="A:B"),
    Option("max-frames", "frames", "raise the frame budget (default 1000 frames)",
           integer("max_frames", 1), metavar="N"),
    Option("fps", "animation", "animations: frames per second (default 1; at most 50, GIF "
           "delays being whole centiseconds)", number("fps", 0.0, 50.0), metavar="FPS"),
    Option("frame", "animation", "one frame only, as a still image (frames count from 0)",
           integer("frame", 0), metavar="N"),
    Option("filmstrip", "animation", "frames side by side (default the first four): the "
           "paper's static figures, and the static fallback in PDF documents",
           frame_list, metavar="FRAMES"),
)
#: The drawing options by name.
OPTIONS = {option.name: option for option in DRAWING}


__all__ = ["DRAWING", "OPTIONS", "Option", "axes", "frame_list", "padding"]
