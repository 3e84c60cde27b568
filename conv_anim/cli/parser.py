"""The ``conv-anim`` argument parser: its commands, options and help texts.

The ``conv`` command's drawing options come from :data:`conv_anim.options.DRAWING`, the
table the Sphinx directive and the MkDocs fence read too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from conv_anim import __version__, catalog
from conv_anim.cli.messages import PROG, CliError, did_you_mean
from conv_anim.errors import ParameterError
from conv_anim.options import DRAWING, OPTIONS, Option

VALUE_SYNTAX = """\
value syntax:
  -i, -k, -s, -d and --output-padding take one int for every axis, or one per
  axis joined by 'x' or ',': -i 5x7 (5 rows, 7 columns), -k 3x1, -s 2,1.
  A single -i value is a square 2-D input, as in the paper; --ndim 1 or 3
  makes it 1-D (a row of cells) or 3-D (a volume drawn as stacked slices).
  -p/--padding: an int for every side, one per axis (-p 1,0), before:after for
  asymmetric padding (-p 0:1, or per axis -p 1:2x0), or one of same (or half,
  the paper's name), valid, full (same: output size = input size, stride 1;
  full: k - 1 on each side).
  --transposed: -i is the transposed convolution's OWN input, as in PyTorch's
  nn.ConvTranspose2d; -k, -s, -p, -d describe the direct convolution that it
  transposes, and --output-padding is the paper's a (0 <= a < max(s, d)).
"""

OUTPUT_FORMATS = """\
output (-o), by suffix:
  .gif          the animation, one frame per step, looping (--fps, default 1)
  .webp, .apng  the same, lossless; .mp4: a video (needs imageio-ffmpeg)
  .png          one frame as a PNG file: frame 0, or --frame N
  .pdf, .svg    one frame (--frame N, default 0) as a vector drawing
  FOLDER/       every frame as FOLDER/frame_000.png, ... (or --frames with a .png)
  --filmstrip [FRAMES] writes frames side by side (default the first four) as
  .png, .pdf or .svg. --transparent keeps a transparent background in still
  images, filmstrips and PNG frames; GIF and video frames are opaque.
On success one line on stderr names what was written (--quiet silences it).
"""

BUDGET = """\
frame budget: an animation of more than 1000 frames (or an output estimated
above 100 MB) is refused before anything is drawn, with the numbers; raise the
budget with --max-frames N, or show fewer steps: --every K, --steps A:B, and
for 2-D figures --rows A:B (output rows A to B, excluded).
"""

EXIT_STATUS = """\
exit status: 0 on success, 1 if a file cannot be read or written, 2 for invalid
arguments, 3 if an optional package is missing, 130 if interrupted (errors are
one line on stderr: conv-anim: error: ...).
"""

MAIN_EPILOG = f"""\
examples:
  conv-anim conv -i 5 -k 3 -s 2 -p 1 -o padding_strides.gif
  conv-anim conv -i 3 -k 3 -s 2 -p 1 --transposed -o upsample.gif
  conv-anim conv -i 5 -k 3 --numbers --op max -o max_pooling.gif
  conv-anim paper padding_strides_odd -o figure.pdf --filmstrip
  conv-anim list
  conv-anim info padding_strides_transposed

{EXIT_STATUS}"""

CONV_EPILOG = f"""\
examples:
  conv-anim conv -i 5 -k 3 -s 2 -p 1 -o padding_strides.gif
  conv-anim conv -i 7 -k 3 -d 2 -o dilation.gif --caption
  conv-anim conv -i 5 -k 3 -o slide.png --frame 4        (one PNG, frame 4)
  conv-anim conv -i 5x7 -k 3x1 -p 1,0 -o frames/          (a folder of frames)
  conv-anim conv -i 5 -k 4 -p same -o frame.svg --frame 3
  conv-anim conv -i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1 -o up.gif
  conv-anim conv -i 5 -k 3 -s 2 -p 1 -o strip.pdf --filmstrip 0,4,8
  conv-anim conv -i 5 -k 3 --numbers -o numbers.gif       (the paper's data)
  conv-anim conv -i 6 -k 3 --seed 7 -o numbers.gif        (random small integers)
  conv-anim conv -i 4 -k 2 -s 2 --op max --values x.npy -o max_pool.gif
  conv-anim conv -i 3 -k 2 --values "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" -o c.gif
  conv-anim conv -i 32 -k 3 --rows 0:2 -o first_rows.gif  (a large input, 2 rows)
  conv-anim conv -i 64 -k 3 --every 16 --max-frames 300 -o sampled.gif

{VALUE_SYNTAX}
numbers:
  --numbers draws the paper's 5x5 input and 3x3 kernel, so it needs -i 5 and,
  for --op conv, -k 3. --seed N draws small integers for any size, as the
  paper does. Or give --values and, for --op conv, --kernel: a .npy file
  (numpy.save) or inline rows separated by ';'. --op max|avg (pooling) needs
  values and no kernel; --progressive fills in the output values step by step.

{OUTPUT_FORMATS}
{BUDGET}
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
  conv-anim list        then: conv-anim paper NAME -o FILE, or conv-anim info NAME
"""

INFO_EPILOG = f"""\
examples:
  conv-anim info padding_strides_transposed              (a figure of the catalogue)
  conv-anim info -i 5 -k 3 -s 2 -p 1
  conv-anim info -i 6 -k 3 -s 2 -p 1                   (the paper's odd case)
  conv-anim info -i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1
  conv-anim info -i 7 -k 3 -d 2
  conv-anim info -i 5 -k 3 -s 2 --op max
  conv-anim info -i 16 --ndim 1 -k 4 -p same

Prints the convolution in the paper's symbols, the Python call and the command
that draw it, the paper's relationship (1 to 15) that gives its output size
with the numbers substituted, for a transposed convolution the equivalent direct
convolution that the pictures draw, and the equivalent PyTorch layer.

{VALUE_SYNTAX}
{EXIT_STATUS}"""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, via :class:`CliError`, with "did
    you mean" for unknown options."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            words = message.split(":", 1)[1].split()
            known = _option_strings(self)
            hints = [did_you_mean(word.split("=")[0], known) for word in words
                     if word.startswith("-")]
            message = ": ".join([message, *filter(None, hints[:1])])
        raise CliError(message)


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string of a parser and of its subcommands."""
    strings: list[str] = []
    for action in parser._actions:  # argparse keeps its actions private
        strings += action.option_strings
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                strings += _option_strings(sub)
    return sorted(set(strings))


SOLVE_EPILOG = f"""\
examples:
  conv-anim solve -i 64 -o 32 -k 3              (which stride and padding halve 64?)
  conv-anim solve -i 64 -o 63                   (64 in, 63 out: every way)
  conv-anim solve -i 16 -o 32 -k 4 --transposed (upsampling by 2 with a 4x4 kernel)
  conv-anim solve -i 5x7 -o 3x4 -s 2 --limit 5

Prints each convolution that maps the input size to the output size, simplest first
(smallest kernel, no dilation, symmetric padding, ...), as a conv-anim conv command.
Options given are fixed; the others are searched (kernel up to 7, stride up to 4,
dilation up to 4, padding up to d(k - 1), output padding below max(s, d)).

{VALUE_SYNTAX}
{EXIT_STATUS}"""


def argparse_type(option: Option) -> Callable[[str], object]:
    """The option's parser, its errors as argparse reports them (named after the option)."""
    parse = option.parse
    assert parse is not None  # flags take no value

    def convert(text: str) -> object:
        try:
            return parse(text)
        except ParameterError as error:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not valid: expected {error.allowed}"
            ) from None

    convert.__name__ = option.name
    return convert


def add_drawing_options(parser: argparse.ArgumentParser, kinds: Sequence[str]) -> None:
    """Add the drawing options of ``kinds`` (see :data:`conv_anim.options.DRAWING`)."""
    titles = {"geometry": "convolution (see 'value syntax' below)",
              "numbers": "numbers (a flat figure with values)", "look": "look",
              "frames": "which steps (see 'frame budget' below)",
              "animation": "animation and stills"}
    for kind in kinds:
        group = parser.add_argument_group(titles[kind])
        for option in (o for o in DRAWING if o.kind == kind):
            names = [*([option.short] if option.short else []), f"--{option.name}"]
            if option.flag:
                group.add_argument(*names, action="store_true", help=option.help)
            elif option.name == "caption":
                group.add_argument(*names, type=argparse_type(option), nargs="?", const=True,
                                   default=False, metavar=option.metavar,
                                   help=f"{option.help} (use --caption=TEXT before a "
                                   f"positional argument)")
            elif option.name == "filmstrip":
                group.add_argument(*names, type=argparse_type(option), nargs="?", const=(),
                                   default=None, metavar=option.metavar, help=option.help)
            else:
                group.add_argument(*names, type=argparse_type(option),
                                   metavar=option.metavar, help=option.help)


def add_output(parser: argparse.ArgumentParser) -> None:
    """The options that only the command line has: where to write, and how quietly."""
    group = parser.add_argument_group("output (see 'output' below)")
    group.add_argument("-o", "--output", required=True, metavar="FILE",
                       help="the file to write: .gif, .webp, .apng, .mp4, .html, .png, .pdf, "
                       ".svg, or a folder/ for PNG frames")
    group.add_argument("--frames", action="store_true",
                       help="with -o NAME.png: every frame, as a folder NAME/ of PNG files")
    group.add_argument("-q", "--quiet", action="store_true",
                       help="print nothing on success (errors are still printed)")


def _command(commands: Any, name: str, summary: str, epilog: str,
             handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=summary, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser(handlers: dict[str, Callable[[argparse.Namespace], int]]) -> Parser:
    """The argument parser of ``conv-anim`` and its subcommands.

    Parameters
    ----------
    handlers : dict
        The function that runs each command (``conv``, ``paper``, ``list``, ``info``).

    Returns
    -------
    Parser
        Each subcommand sets ``handler``, the function that runs it.
    """
    parser = Parser(
        prog=PROG,
        description="Draw the figures of Dumoulin & Visin's 'A guide to convolution\n"
        "arithmetic for deep learning' for any convolution, and explain its arithmetic.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    conv = _command(commands, "conv", "Draw any convolution, transposed convolution or "
                    "pooling, as the paper draws them.", CONV_EPILOG, handlers["conv"])
    add_drawing_options(conv, ("geometry", "numbers", "look", "frames", "animation"))
    add_output(conv)
    paper = _command(commands, "paper", "Draw one of the paper's figures by name.",
                     PAPER_EPILOG, handlers["paper"])
    paper.add_argument("name", metavar="NAME",
                       help="a figure of 'conv-anim list', e.g. padding_strides")
    add_drawing_options(paper, ("look", "frames", "animation"))
    paper.add_argument("--progressive", action="store_true",
                       help="numerical figures: fill in the output values step by step")
    add_output(paper)
    _command(commands, "list", "List the paper's figures by section, with their parameters.",
             LIST_EPILOG, handlers["list"])
    solve = _command(commands, "solve", "Find the convolutions that map one size to another.",
                     SOLVE_EPILOG, handlers["solve"])
    sizes = solve.add_argument_group("sizes and fixed parameters (see 'value syntax' below)")
    for option in ("input-size", "kernel-size", "stride", "padding", "dilation"):
        spec = OPTIONS[option]
        names = [*([spec.short] if spec.short else []), f"--{option}"]
        sizes.add_argument(*names, type=argparse_type(spec), metavar=spec.metavar,
                           required=option == "input-size",
                           help="fixed (searched if left out)" if option != "input-size"
                           else "the input size; with --transposed, its own input")
    sizes.add_argument("-o", "--output-size", type=argparse_type(OPTIONS["input-size"]),
                       required=True, metavar="SIZE", help="the output size wanted")
    sizes.add_argument("--transposed", action="store_true",
                       help="search transposed convolutions (output padding included)")
    sizes.add_argument("--limit", type=argparse_type(OPTIONS["max-frames"]), default=20,
                       metavar="N", help="show at most N, the simplest (default 20)")
    info = _command(commands, "info", "Explain a convolution's arithmetic, without drawing.",
                    INFO_EPILOG, handlers["info"])
    info.add_argument("name", nargs="?", metavar="NAME",
                      help="a figure of 'conv-anim list' (instead of -i and -k)")
    add_drawing_options(info, ("geometry",))
    info.add_argument("--op", choices=("conv", "max", "avg"),
                      help="convolution, max pooling or average pooling (default conv)")
    return parser


def figure_name(name: str) -> catalog.PaperAnimation | catalog.PaperStatic:
    """The catalogue figure called ``name``, or a :class:`CliError` with close matches."""
    names = [figure.name for figure in catalog.everything()]
    if name not in names:
        hint = did_you_mean(name, names) or "see 'conv-anim list'"
        raise CliError(f"NAME: {name!r} is not a figure of the catalogue: {hint}")
    return catalog.get(name)


__all__ = ["Parser", "add_drawing_options", "build_parser", "figure_name"]
