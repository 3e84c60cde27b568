"""The ``conv-anim`` command line: draw a convolution, the paper's figures, or its arithmetic.

::

    conv-anim conv -i 5 -k 3 -s 2 -p 1 -o padding_strides.gif
    conv-anim paper padding_strides_transposed -o figure.pdf --filmstrip
    conv-anim list
    conv-anim info -i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1

``python -m conv_anim`` is the same program. ``list`` and ``info`` never import
matplotlib: they answer instantly. Every error is one line on stderr,
``conv-anim: error: <message>``, with exit status 2 for invalid arguments and 1 for a
file that cannot be read or written; the library writes atomically, so a failed run
leaves no partial output.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from conv_anim import __version__, catalog
from conv_anim._params import MAX_AXES, PADDING_MODES
from conv_anim.explain import info_lines, size_text
from conv_anim.geometry import ConvSpec

if TYPE_CHECKING:
    import numpy as np

    from conv_anim.animation import Animation

PROG = "conv-anim"
#: Exit statuses.
USAGE_ERROR = 2
IO_ERROR = 1
INTERRUPTED = 130

FIGURE_SUFFIXES = (".png", ".pdf", ".svg")
VECTOR_SUFFIXES = (".pdf", ".svg")
FILMSTRIP_FRAMES = 4
DEFAULT_FPS = 1.0
#: The shape of the paper's numerical data (catalog.paper_data()).
PAPER_INPUT = (5, 5)
PAPER_KERNEL = (3, 3)

#: The command-line option of each library parameter, to re-word library errors.
OPTIONS = {
    "input_size": "-i/--input-size",
    "kernel_size": "-k/--kernel-size",
    "stride": "-s/--stride",
    "padding": "-p/--padding",
    "dilation": "-d/--dilation",
    "output_padding": "--output-padding",
    "in_channels": "--in-channels",
    "out_channels": "--out-channels",
    "groups": "--groups",
    "transposed": "--transposed",
    "view": "--view",
    "flip": "--flip",
    "theme": "--theme",
    "op": "--op",
    "values": "--values",
    "progressive": "--progressive",
    "fps": "--fps",
    "frame": "--frame",
    "scale": "--scale",
    "caption": "--caption",
    "path": "-o/--output",
}
_OPTION_NAME = re.compile(r"\b(" + "|".join(OPTIONS) + r")\b")

# --------------------------------------------------------------------------- help texts

VALUE_SYNTAX = """\
value syntax:
  -i, -k, -s, -d and --output-padding take one int for every axis, or one per
  axis joined by 'x' or ',': -i 5x7 (5 rows, 7 columns), -k 3x1, -s 2,1.
  A single -i value is a square 2-D input, as in the paper; --ndim 1 or 3
  makes it 1-D (a row of cells) or 3-D (a volume drawn as stacked slices).
  -p/--padding: an int for every side, one per axis (-p 1,0), before:after for
  asymmetric padding (-p 0:1, or per axis -p 1:2x0), or one of same, valid,
  full (same: output size = input size, stride 1; full: k - 1 on each side).
  --transposed: -i is the transposed convolution's OWN input, as in PyTorch's
  nn.ConvTranspose2d; -k, -s, -p, -d describe the direct convolution that it
  transposes, and --output-padding is the paper's a (0 <= a < max(s, d)).
"""

OUTPUT_FORMATS = """\
output (-o), by suffix:
  .gif        the animation, one frame per output cell, looping (--fps, default 1)
  .webp, .apng  the same, lossless; .mp4: a video (needs imageio-ffmpeg)
  .html       the interactive player: one self-contained page with controls,
              cells that show their step or readers when pointed at (--fps)
  .png        a folder named like the file without .png, holding frame_000.png,
              frame_001.png, ...; with --frame N, that one frame as a file
  .pdf, .svg  one frame (--frame N, default 0) as a vector drawing
  --filmstrip writes the first four frames side by side (.png, .pdf or .svg).
  --transparent keeps a transparent background in single frames and
  filmstrips (.png, .pdf, .svg); animations and folders of frames are opaque.
"""

EXIT_STATUS = """\
exit status: 0 on success, 1 if a file cannot be read or written, 2 for invalid
arguments (one line on stderr: conv-anim: error: ...).
"""

MAIN_EPILOG = f"""\
examples:
  conv-anim conv -i 5 -k 3 -s 2 -p 1 -o padding_strides.gif
  conv-anim conv -i 3 -k 3 -s 2 -p 1 --transposed -o upsample.gif
  conv-anim conv -i 5 -k 3 --numbers --op max -o max_pooling.gif
  conv-anim paper padding_strides_odd -o figure.pdf --filmstrip
  conv-anim list
  conv-anim info -i 6 -k 3 -s 2 -p 1

{EXIT_STATUS}"""

CONV_EPILOG = f"""\
examples:
  conv-anim conv -i 5 -k 3 -s 2 -p 1 -o padding_strides.gif
  conv-anim conv -i 7 -k 3 -d 2 -o dilation.gif --labels --caption
  conv-anim conv -i 5x7 -k 3x1 -p 1,0 -o frames.png          (folder of frames)
  conv-anim conv -i 5 -k 4 -p same -o frame.svg --frame 3
  conv-anim conv -i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1 -o up.gif
  conv-anim conv -i 5 -k 3 -s 2 -p 1 -o strip.pdf --filmstrip
  conv-anim conv -i 5 -k 3 --numbers -o numbers.gif           (the paper's data)
  conv-anim conv -i 4 -k 2 -s 2 --op max --values x.npy -o max_pool.gif
  conv-anim conv -i 4 -k 3 --values x.npy --kernel w.npy --progressive -o conv.gif

{VALUE_SYNTAX}
numbers:
  --numbers draws the paper's 5x5 input and 3x3 kernel (catalog.paper_data()),
  so it needs -i 5 and, for --op conv, -k 3. Otherwise give --values FILE.npy
  (shape = the input size) and, for --op conv, --kernel FILE.npy (shape = the
  kernel size, PyTorch's layout). --op max|avg (pooling) needs values and no
  kernel; --progressive fills in the output values one step at a time.

{OUTPUT_FORMATS}
{EXIT_STATUS}"""

PAPER_EPILOG = f"""\
examples:
  conv-anim paper padding_strides -o padding_strides.gif
  conv-anim paper padding_strides_odd_transposed -o figure.pdf --filmstrip
  conv-anim paper numerical_max_pooling -o max_pooling.gif --fps 2
  conv-anim paper dilation -o dilation.svg --frame 2 --transparent

NAME is a figure of 'conv-anim list'. Animations accept every output format
below; static figures are written as .png, .pdf or .svg (with --transparent).

{OUTPUT_FORMATS}
{EXIT_STATUS}"""

LIST_EPILOG = """\
example:
  conv-anim list        then: conv-anim paper NAME -o FILE
"""

INFO_EPILOG = f"""\
examples:
  conv-anim info -i 5 -k 3 -s 2 -p 1
  conv-anim info -i 6 -k 3 -s 2 -p 1                   (the paper's odd case)
  conv-anim info -i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1
  conv-anim info -i 7 -k 3 -d 2
  conv-anim info -i 5 -k 3 -s 2 --op max
  conv-anim info -i 16 --ndim 1 -k 4 -p same

Prints the output size, the paper's relationship (1 to 15) that gives it with
the numbers substituted, for a transposed convolution the equivalent direct
convolution that the pictures draw, and the equivalent PyTorch layer.

{VALUE_SYNTAX}
{EXIT_STATUS}"""


# --------------------------------------------------------------------------- errors


class CliError(Exception):
    """A problem reported as the single line ``conv-anim: error: <message>``.

    Parameters
    ----------
    message : str
        What is wrong: the option, the value and what is allowed.
    status : int
        The exit status: :data:`USAGE_ERROR` (2) for invalid arguments,
        :data:`IO_ERROR` (1) for a file that cannot be read or written.
    """

    def __init__(self, message: str, status: int = USAGE_ERROR) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage dump), via :class:`CliError`."""

    def error(self, message: str) -> NoReturn:
        raise CliError(message)


def reword(error: ValueError) -> str:
    """Prefix a library error with the command-line option of the first parameter it names.

    Parameters
    ----------
    error : ValueError
        An error raised by the library, whose message names parameters as in Python
        (``stride=0 is not valid: ...``).

    Returns
    -------
    str
        The message, prefixed with e.g. ``-s/--stride: `` when it names a parameter.

    Examples
    --------
    >>> reword(ValueError("stride=0 is not valid: expected an int >= 1"))
    '-s/--stride: stride=0 is not valid: expected an int >= 1'
    """
    message = str(error)
    match = _OPTION_NAME.search(message)
    return f"{OPTIONS[match[1]]}: {message}" if match else message


@contextmanager
def _library_errors() -> Iterator[None]:
    """Turn the library's ValueError into a :class:`CliError` naming the CLI option."""
    try:
        yield
    except ValueError as error:
        raise CliError(reword(error)) from None


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Report library errors, and a file that cannot be written, as :class:`CliError`."""
    try:
        with _library_errors():
            yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise CliError(f"-o/--output: cannot write {str(path)!r}: {reason}", IO_ERROR) from None


# --------------------------------------------------------------------------- value syntax

_SEPARATOR = re.compile(r"[x,]")
_INT = re.compile(r"\d+", re.ASCII)
_PAD_ITEM = re.compile(r"(\d+)(?::(\d+))?", re.ASCII)

PaddingArg = str | tuple[int | tuple[int, int], ...]


def _axis_parts(text: str) -> list[str]:
    """Split ``5x7`` / ``5,7`` (spaces ignored) into per-axis parts."""
    return _SEPARATOR.split("".join(text.lower().split()))


def axis_values(minimum: int) -> Callable[[str], tuple[int, ...]]:
    """An argparse ``type`` for ``N`` or per-axis ``NxM[xL]`` / ``N,M[,L]`` ints.

    Parameters
    ----------
    minimum : int
        The smallest value allowed.

    Returns
    -------
    callable
        Parses the text into a tuple of 1 to 3 ints, raising
        ``argparse.ArgumentTypeError`` (reported with the option's name) otherwise.
    """
    allowed = f"an int >= {minimum}, or one per axis joined by 'x' or ',' (e.g. 5x7)"

    def parse(text: str) -> tuple[int, ...]:
        parts = _axis_parts(text)
        if len(parts) > MAX_AXES or not all(_INT.fullmatch(part) for part in parts):
            raise argparse.ArgumentTypeError(f"{text!r} is not valid: expected {allowed}")
        values = tuple(int(part) for part in parts)
        if min(values) < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} is not valid: expected {allowed}")
        return values

    return parse


def padding_value(text: str) -> PaddingArg:
    """An argparse ``type`` for ``-p``: ``P``, per axis ``P,Q``, ``B:A`` pairs, or a mode.

    Parameters
    ----------
    text : str
        E.g. ``"1"``, ``"1,0"``, ``"0:1"``, ``"1:2x0"``, ``"same"``.

    Returns
    -------
    str or tuple
        The mode (``"same"``, ``"valid"``, ``"full"``), or one item per axis given:
        an int (both sides) or a ``(before, after)`` pair.
    """
    mode = text.strip().lower()
    if mode in PADDING_MODES:
        return mode
    parts = _axis_parts(text)
    matches = [_PAD_ITEM.fullmatch(part) for part in parts]
    if len(parts) > MAX_AXES or not all(matches):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not valid: expected an int >= 0 (every side), one per axis joined "
            f"by 'x' or ',' (1,0), before:after pairs (0:1), or one of "
            f"{', '.join(PADDING_MODES)}"
        )
    return tuple(
        int(match[1]) if match[2] is None else (int(match[1]), int(match[2]))
        for match in matches  # type: ignore[index]
    )


def _one_or_per_axis(values: tuple[int, ...]) -> int | tuple[int, ...]:
    """``(3,)`` -> ``3`` (every axis); several values stay per axis."""
    return values[0] if len(values) == 1 else values


def _spec_padding(padding: PaddingArg, ndim: int) -> Any:
    """The ``padding`` argument of ConvSpec for the parsed ``-p`` value."""
    if isinstance(padding, str) or len(padding) > 1:
        return padding
    item = padding[0]
    return item if isinstance(item, int) else (item,) * ndim


def _ndim(args: argparse.Namespace) -> int:
    """The number of spatial axes: from a per-axis ``-i``, else ``--ndim`` (default 2)."""
    given = len(args.input_size)
    if given > 1 and args.ndim is not None and args.ndim != given:
        raise CliError(
            f"--ndim {args.ndim} contradicts -i/--input-size {'x'.join(map(str, args.input_size))}"
            f" ({given} axes): give one value to -i with --ndim, or drop --ndim"
        )
    if given > 1:
        return given
    return 2 if args.ndim is None else args.ndim


def build_spec(args: argparse.Namespace) -> ConvSpec:
    """The :class:`ConvSpec` described by the geometry options of ``conv`` and ``info``.

    Raises
    ------
    CliError
        If the values do not make a valid convolution; the message names the option.
    """
    ndim = _ndim(args)
    size = args.input_size * ndim if len(args.input_size) == 1 else args.input_size
    with _library_errors():
        return ConvSpec(
            size,
            _one_or_per_axis(args.kernel_size),
            stride=_one_or_per_axis(args.stride),
            padding=_spec_padding(args.padding, ndim),
            dilation=_one_or_per_axis(args.dilation),
            transposed=args.transposed,
            output_padding=_one_or_per_axis(args.output_padding),
            in_channels=args.in_channels,
            out_channels=args.out_channels,
            groups=args.groups,
        )


def _check_op(op: str, spec: ConvSpec) -> None:
    """Pooling has no transpose."""
    if op != "conv" and spec.transposed:
        raise CliError(
            f"--op {op} does not apply with --transposed: pooling has no transpose "
            f"(expected --op conv)"
        )


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``conv-anim`` and its subcommands.

    Returns
    -------
    argparse.ArgumentParser
        Each subcommand sets ``handler``, the function that runs it.
    """
    parser = _Parser(
        prog=PROG,
        description="Draw the figures of Dumoulin & Visin's 'A guide to convolution\n"
        "arithmetic for deep learning' for any convolution, and explain its arithmetic.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    _add_conv(commands)
    _add_paper(commands)
    _add_list(commands)
    _add_info(commands)
    return parser


def _command(commands: Any, name: str, summary: str, epilog: str,
             handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name, help=summary, description=summary, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_geometry(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("convolution (see 'value syntax' below)")
    group.add_argument("-i", "--input-size", type=axis_values(1), required=True, metavar="SIZE",
                       help="input size; for --transposed, the transposed convolution's own input")
    group.add_argument("-k", "--kernel-size", type=axis_values(1), required=True, metavar="SIZE",
                       help="kernel (or pooling window) size")
    group.add_argument("-s", "--stride", type=axis_values(1), default=(1,), metavar="S",
                       help="stride (default 1)")
    group.add_argument("-p", "--padding", type=padding_value, default=(0,), metavar="P",
                       help="zero padding: int, per axis, before:after, same, valid or full "
                       "(default 0)")
    group.add_argument("-d", "--dilation", type=axis_values(1), default=(1,), metavar="D",
                       help="dilation (default 1)")
    group.add_argument("--transposed", action="store_true",
                       help="the transpose of the convolution (PyTorch's ConvTranspose)")
    group.add_argument("--output-padding", type=axis_values(0), default=(0,), metavar="A",
                       help="with --transposed: units added after the output, the paper's a "
                       "(default 0)")
    group.add_argument("--in-channels", type=int, default=1, metavar="C",
                       help="input feature maps (default 1)")
    group.add_argument("--out-channels", type=int, default=1, metavar="C",
                       help="output feature maps (default 1)")
    group.add_argument("--groups", type=int, default=1, metavar="G",
                       help="channel groups; = --in-channels for depthwise (default 1)")
    group.add_argument("--ndim", type=int, choices=(1, 2, 3),
                       help="number of spatial axes when -i is a single number (default 2)")
    group.add_argument("--op", choices=("conv", "max", "avg"), default="conv",
                       help="convolution, max pooling or average pooling (default conv)")


def _add_rendering(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output (see 'output' below)")
    group.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                       help="the file to write: .gif, .html, .png, .pdf, .svg, .webp, .apng or .mp4")
    group.add_argument("--fps", type=float, metavar="FPS",
                       help=f"animations: frames per second (default {DEFAULT_FPS:g})")
    group.add_argument("--frame", type=int, metavar="N",
                       help="write frame N only (.png, .pdf, .svg; frames count from 0)")
    group.add_argument("--filmstrip", action="store_true",
                       help="write the first four frames side by side (.png, .pdf, .svg)")
    look = parser.add_argument_group("look")
    look.add_argument("--scale", type=float, metavar="X",
                      help="size multiplier, 0.1 to 20 (default 1: the original GIFs' size)")
    look.add_argument("--theme", choices=("paper", "dark", "colorblind"),
                      help="colours: the paper's (default), dark, or colour-blind safe")
    look.add_argument("--labels", action="store_true", help='write "input" and "output"')
    look.add_argument("--caption", nargs="?", const=True, default=False, metavar="TEXT",
                      help="write a caption: the parameters, or TEXT (use --caption=TEXT "
                      "before a positional argument)")
    look.add_argument("--no-connectors", action="store_true",
                      help="omit the lines joining the kernel to the output cell")
    look.add_argument("--transparent", action="store_true",
                      help="transparent background (single frames and filmstrips)")
    look.add_argument("--progressive", action="store_true",
                      help="numerical figures: fill in the output values step by step")


def _add_conv(commands: Any) -> None:
    parser = _command(commands, "conv", "Draw any convolution, transposed convolution or "
                      "pooling, as the paper draws them.", CONV_EPILOG, run_conv)
    _add_geometry(parser)
    numbers = parser.add_argument_group("numbers (a flat figure with values)")
    source = numbers.add_mutually_exclusive_group()
    source.add_argument("--numbers", action="store_true",
                        help="the paper's 5x5 input and 3x3 kernel (needs -i 5, and -k 3 for "
                        "--op conv)")
    source.add_argument("--values", type=Path, metavar="FILE.npy",
                        help="the input values (shape: the input size)")
    numbers.add_argument("--kernel", type=Path, metavar="FILE.npy",
                         help="the kernel, with --values and --op conv (shape: the kernel size)")
    numbers.add_argument("--view", choices=("direct", "scatter"), default="direct",
                         help="--transposed with numbers: the paper's zeros-inserted view "
                         "(default) or scatter-add, a frame per input unit")
    numbers.add_argument("--flip", action="store_true",
                         help="a true convolution: the kernel flipped (signal processing)")
    _add_rendering(parser)


def _add_paper(commands: Any) -> None:
    parser = _command(commands, "paper", "Draw one of the paper's figures by name.",
                      PAPER_EPILOG, run_paper)
    names = [figure.name for figure in catalog.everything()]
    parser.add_argument("name", choices=names, metavar="NAME",
                        help="a figure of 'conv-anim list', e.g. padding_strides")
    _add_rendering(parser)


def _add_list(commands: Any) -> None:
    _command(commands, "list", "List the paper's figures by section, with their parameters.",
             LIST_EPILOG, run_list)


def _add_info(commands: Any) -> None:
    parser = _command(commands, "info", "Explain a convolution's arithmetic, without drawing.",
                      INFO_EPILOG, run_info)
    _add_geometry(parser)


# --------------------------------------------------------------------------- conv and paper


def run_conv(args: argparse.Namespace) -> int:
    """Run ``conv-anim conv``: draw the convolution given by the options into ``-o``.

    Returns
    -------
    int
        0; failures raise :class:`CliError`.
    """
    spec = build_spec(args)
    _check_op(args.op, spec)
    _check_output(args)
    numbers = _numbers(args, spec)
    for option, given in (("--progressive", args.progressive), ("--flip", args.flip),
                          ("--view scatter", args.view == "scatter")):
        if given and not numbers:
            raise CliError(
                f"{option} applies to numerical figures: add --numbers or --values FILE.npy"
            )
    from conv_anim.animation import animate

    with _library_errors():
        animation = animate(spec, **numbers, **_style(args))
    _write_animation(animation, args)
    return 0


def run_paper(args: argparse.Namespace) -> int:
    """Run ``conv-anim paper NAME``: draw a figure of the catalogue into ``-o``.

    Returns
    -------
    int
        0; failures raise :class:`CliError`.
    """
    figure = catalog.get(args.name)
    if isinstance(figure, catalog.PaperStatic):
        _write_static(figure, args)
        return 0
    if args.progressive and not figure.numerical:
        raise CliError(
            f"--progressive applies to numerical figures and {figure.name!r} is not one: "
            f"see the numerical sections of 'conv-anim list'"
        )
    _check_output(args)
    style = _style(args)
    if args.progressive:
        style["progressive"] = True
    with _library_errors():
        animation = figure.animate(**style)
    _write_animation(animation, args)
    return 0


def _style(args: argparse.Namespace) -> dict[str, Any]:
    """The Style options given on the command line."""
    style: dict[str, Any] = {
        "labels": args.labels,
        "caption": args.caption,
        "connectors": not args.no_connectors,
    }
    if args.scale is not None:
        style["scale"] = args.scale
    if args.theme is not None:
        style["theme"] = args.theme
    if args.transparent:
        style["background"] = "transparent"
    return style


def _numbers(args: argparse.Namespace, spec: ConvSpec) -> dict[str, Any]:
    """The numerical figure's arguments of ``animate`` (values, kernel, op), or {} for none."""
    pooling = args.op != "conv"
    if args.kernel is not None and args.values is None:
        raise CliError("--kernel needs --values FILE.npy, the input to convolve")
    if args.kernel is not None and pooling:
        raise CliError(f"--kernel does not apply to --op {args.op}: pooling has no weights")
    if args.numbers:
        values, kernel = _paper_numbers(spec, args.op)
    elif args.values is not None:
        values, kernel = _file_numbers(args, spec)
    elif pooling:
        raise CliError(
            f"--op {args.op} draws values: add --numbers (the paper's 5x5 input) or "
            f"--values FILE.npy"
        )
    else:
        return {}
    return {
        "values": values,
        "kernel": None if pooling else kernel,
        "op": args.op,
        "progressive": args.progressive,
        "view": args.view,
        "flip": args.flip,
    }


def _paper_numbers(spec: ConvSpec, op: str) -> tuple[np.ndarray, np.ndarray]:
    """The paper's data, if it fits the spec."""
    needs_kernel = op == "conv"
    if spec.input_size != PAPER_INPUT or (needs_kernel and spec.kernel_size != PAPER_KERNEL):
        wanted = "-i 5" + (" and -k 3" if needs_kernel else "")
        given = f"-i {size_text(spec.input_size)}" + (
            f" and -k {size_text(spec.kernel_size)}" if needs_kernel else ""
        )
        own = "--values FILE.npy" + (" --kernel FILE.npy" if needs_kernel else "")
        raise CliError(
            f"--numbers draws the paper's 5x5 input{' and 3x3 kernel' if needs_kernel else ''}, "
            f"which needs {wanted}, got {given}: give your own numbers with {own}"
        )
    return catalog.paper_data()


def _file_numbers(args: argparse.Namespace, spec: ConvSpec) -> tuple[np.ndarray, np.ndarray | None]:
    """The input (and for a convolution, the kernel) read from ``.npy`` files."""
    values = load_array("--values", args.values, spec.input_size, "-i/--input-size")
    if args.op != "conv":
        return values, None
    if args.kernel is None:
        raise CliError(
            f"--values needs --kernel FILE.npy (shape {spec.kernel_size}) to convolve with "
            f"--op conv; pooling (--op max or avg) needs no kernel"
        )
    return values, load_array("--kernel", args.kernel, spec.kernel_size, "-k/--kernel-size")


def load_array(option: str, path: Path, shape: tuple[int, ...], source: str) -> np.ndarray:
    """Read one array from a ``.npy`` file and check its shape.

    Parameters
    ----------
    option : str
        The option that named the file, for messages (``"--values"``).
    path : Path
        The ``.npy`` file (pickles are refused).
    shape : tuple of int
        The shape it must have.
    source : str
        The option that fixes the shape, for messages (``"-i/--input-size"``).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    CliError
        If the file cannot be read (status 1), is not a ``.npy`` array, or has
        another shape (status 2).
    """
    import numpy as np

    try:
        array = np.load(path, allow_pickle=False)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CliError(f"{option}: cannot read {str(path)!r}: {reason}", IO_ERROR) from None
    except (ValueError, EOFError):
        raise CliError(
            f"{option}: {str(path)!r} is not a .npy array file: expected a file written by "
            f"numpy.save (pickled objects are refused)"
        ) from None
    if not isinstance(array, np.ndarray):
        array.close()
        raise CliError(
            f"{option}: {str(path)!r} is an .npz archive: expected a .npy file holding one array"
        )
    if array.shape != shape:
        raise CliError(
            f"{option}: {str(path)!r} holds an array of shape {array.shape} but {source} is "
            f"{size_text(shape)}: expected shape {shape}"
        )
    return array


def _check_output(args: argparse.Namespace, static: bool = False) -> None:
    """Check ``-o`` and the output options before anything is drawn."""
    from conv_anim.animation import ANIMATED_SUFFIXES, PLAYER_SUFFIX

    path: Path = args.output
    suffix = path.suffix.lower()
    animations = (*ANIMATED_SUFFIXES, PLAYER_SUFFIX)
    animated = suffix in animations
    allowed = (
        FIGURE_SUFFIXES if args.filmstrip or static else (*animations, *FIGURE_SUFFIXES)
    )
    if suffix not in allowed:
        what = "a static figure" if static else "--filmstrip" if args.filmstrip else "an animation"
        raise CliError(
            f"-o/--output: {str(path)!r} has suffix {suffix or '(none)'!r}: expected "
            f"{', '.join(allowed)} for {what}"
        )
    if not path.parent.is_dir():
        raise CliError(
            f"-o/--output: cannot write {str(path)!r}: {str(path.parent)!r} is not an existing "
            f"folder",
            IO_ERROR,
        )
    if args.frame is not None and args.filmstrip:
        raise CliError("--frame does not apply with --filmstrip, which shows the first frames")
    if args.frame is not None and animated:
        raise CliError(f"--frame does not apply to a {suffix}, which holds every frame: "
                       f"write .png, .pdf or .svg")
    if args.fps is not None and (not animated or args.filmstrip):
        raise CliError(f"--fps applies to animations ({', '.join(animations)}) only, "
                       f"not to {suffix} or --filmstrip")


def _write_animation(animation: Animation, args: argparse.Namespace) -> None:
    """Write the animation, a frame or a filmstrip to ``-o``."""
    path: Path = args.output
    suffix = path.suffix.lower()
    many = not args.filmstrip and args.frame is None and suffix not in VECTOR_SUFFIXES
    target = path.with_suffix("") if suffix == ".png" else path  # PNG frames: a folder
    with _writing(path), _progress(f"rendering {target}", many) as progress:
        if args.filmstrip:
            animation.filmstrip(tuple(range(min(FILMSTRIP_FRAMES, len(animation)))), path=path)
        else:
            fps = DEFAULT_FPS if args.fps is None else args.fps
            animation.save(path, fps=fps, frame=args.frame, progress=progress)


def _write_static(figure: catalog.PaperStatic, args: argparse.Namespace) -> None:
    """Write a static figure; only ``-o`` and ``--transparent`` apply."""
    animation_only = {
        "--frame": args.frame is not None,
        "--filmstrip": args.filmstrip,
        "--fps": args.fps is not None,
        "--scale": args.scale is not None,
        "--labels": args.labels,
        "--caption": args.caption is not False,
        "--no-connectors": args.no_connectors,
        "--progressive": args.progressive,
    }
    given = [option for option, present in animation_only.items() if present]
    if given:
        raise CliError(
            f"{given[0]} does not apply to the static figure {figure.name!r}: only "
            f"-o/--output and --transparent do"
        )
    _check_output(args, static=True)
    from conv_anim.render.canvas import save_figure

    with _writing(args.output):
        save_figure(figure.figure(), args.output, transparent=args.transparent)


@contextmanager
def _progress(message: str, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """On a terminal, count the frames on stderr as they are drawn, then say how long it
    took; yields the ``progress(done, total)`` callback (None when quiet)."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    start = time.perf_counter()

    def show(done: int, total: int) -> None:
        print(f"\r{PROG}: {message}: {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        yield show
    except BaseException:
        print(file=sys.stderr)
        raise
    print(f" done in {time.perf_counter() - start:.1f} s", file=sys.stderr)


# --------------------------------------------------------------------------- list


def run_list(args: argparse.Namespace) -> int:
    """Run ``conv-anim list``: print the catalogue, grouped by section.

    Returns
    -------
    int
        0.
    """
    print("\n".join(catalog_lines()))
    return 0


def catalog_lines() -> list[str]:
    """The catalogue as text: a title per section, then one line per figure.

    Each line gives the name, the caption and, for animations, the paper's
    parameters and the frame count.
    """
    figures = catalog.everything()
    width = max(len(figure.name) for figure in figures)
    lines: list[str] = []
    for section, title in catalog.SECTIONS.items():
        members = [figure for figure in figures if figure.section == section]
        if not members:
            continue
        lines += [*([""] if lines else []), f"{title}:"]
        lines += [f"  {figure.name:<{width}}  {_summary(figure)}" for figure in members]
    return lines


def _summary(figure: catalog.PaperAnimation | catalog.PaperStatic) -> str:
    if isinstance(figure, catalog.PaperStatic):
        return figure.caption
    return f"{figure.caption}: {figure.parameters}; {figure.frames} frames"


# --------------------------------------------------------------------------- info


def run_info(args: argparse.Namespace) -> int:
    """Run ``conv-anim info``: print the arithmetic of the convolution, without drawing.

    Returns
    -------
    int
        0; invalid options raise :class:`CliError`.
    """
    spec = build_spec(args)
    _check_op(args.op, spec)
    print("\n".join(info_lines(spec, args.op)))
    return 0


# --------------------------------------------------------------------------- entry point


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (e.g. ``timeout``, ``kill``): unwind like Ctrl-C, so that no partial
    temporary file is left behind."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``conv-anim``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments, without the program name. Default: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 1 if a file cannot be read or written, 2 for
        invalid arguments, 130 if interrupted. Errors are printed as one line on
        stderr, ``conv-anim: error: <message>``.
    """
    parser = build_parser()
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        args = parser.parse_args(argv)
        return args.handler(args)
    except CliError as error:
        message = str(error).replace("\n", " ")
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `conv-anim list | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
