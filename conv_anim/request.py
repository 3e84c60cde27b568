"""A figure described by drawing options: the convolution, its numbers, its look and its
steps, as ``conv-anim conv``, the Sphinx directive and the MkDocs fence give them.

The options are those of :data:`conv_anim.options.DRAWING`, by name (``"kernel-size"``),
already parsed. Everything is checked before anything is drawn. A problem with the
options is an :class:`OptionError` whose message each surface spells in its own words
(``-k/--kernel-size``, ``:kernel-size:``); a problem the library finds is its
:class:`~conv_anim.errors.ParameterError`, whose ``parameter`` names the option.

>>> build_spec({"input-size": 5, "kernel-size": 3, "stride": 2}).output_size
(2, 2)
>>> try:
...     build_spec({"input-size": 5, "kernel-size": 3, "output-padding": 1})
... except OptionError as error:
...     print(error.render(lambda name: f"--{name}"))
--output-padding needs --transposed: only a transposed convolution has an output padding
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.limits import DEFAULT_MAX_FRAMES, check_drawn_cells
from conv_anim.notation import size_text
from conv_anim.options import OPTIONS
from conv_anim.paperdata import paper_corner
from conv_anim.steps import frame_count

if TYPE_CHECKING:
    import numpy as np

Options = Mapping[str, Any]

#: Largest inline value list read from an option, in numbers.
MAX_INLINE = 10_000
#: The frame budget: animations above it are refused unless max-frames raises it.
MAX_FRAMES = DEFAULT_MAX_FRAMES


class OptionError(ValueError):
    """A problem with drawing options, its message a template naming options as
    ``{name}``, for each surface to spell (:meth:`render`).

    Attributes
    ----------
    template : str
        The message, with ``{input-size}``-style fields for options.
    option : str
        The option at fault.
    unreadable : bool
        True when a file could not be read (the command line's exit status 1).
    """

    def __init__(self, template: str, option: str, *, unreadable: bool = False) -> None:
        self.template = template
        self.option = option
        self.unreadable = unreadable
        super().__init__(self.render(lambda name: f"{name!s}"))

    def render(self, spell: Callable[[str], str]) -> str:
        """The message, each option written as ``spell(name)`` gives it."""
        return re.sub(r"\{([a-z][a-z-]*)\}", lambda match: spell(match[1]), self.template)


#: Library parameters whose option has another name.
_OPTION_NAMES = {"background": "transparent", "connectors": "no-connectors", "path": "output"}
_PARAMETER = re.compile(
    r"\b(" + "|".join(sorted({*(o.parameter for o in OPTIONS.values()), *_OPTION_NAMES},
                             key=len, reverse=True)) + r")\b(=True|=)?"
)
#: What follows a parameter named in a message, rather than the English word
#: ("padding", "every", "transposed"): a value or a comparison (``stride 2``,
#: ``padding <= 2``, ``padding (1, 1)``, ``op 'max'``).
_VALUE_FOLLOWS = re.compile(r"\s*(?:[<>!]=?|-?\d|\(-?\d|'|\")")


def option_name(parameter: str) -> str:
    """The drawing option that sets a library parameter: ``kernel_size`` ->
    ``kernel-size``, ``background`` -> ``transparent``."""
    return _OPTION_NAMES.get(parameter, parameter.replace("_", "-"))


def in_words(error: ParameterError, spell: Callable[[str], str]) -> str:
    """A library error in a surface's words: the option at fault first, then the
    message with each parameter written as ``spell`` writes its option
    (``kernel_size 9`` -> ``--kernel-size 9``).

    Examples
    --------
    >>> in_words(ParameterError.invalid("stride", 0, "an int >= 1"), lambda n: f":{n}:")
    ':stride: 0 is not valid: expected an int >= 1'
    """
    def respell(match: re.Match[str]) -> str:
        named = "_" in match[1] or match[2] or _VALUE_FOLLOWS.match(match.string, match.end())
        if not named:
            return match[0]
        option = spell(option_name(match[1]))
        if match[2] == "=True":
            return option
        return f"{option} " if match[2] == "=" else option

    option, body = spell(option_name(error.parameter)), _PARAMETER.sub(respell, str(error))
    return body if body.startswith(option) else f"{option}: {body}"


def _given(options: Options, name: str) -> bool:
    value = options.get(name)
    return value is not None and value is not False


def build_spec(options: Options) -> ConvSpec:
    """The :class:`ConvSpec` the geometry options describe.

    Raises
    ------
    OptionError
        If an option is missing or contradicts another.
    ParameterError
        If the values do not make a valid convolution.
    """
    for name in ("input-size", "kernel-size"):
        if not _given(options, name):
            raise OptionError(f"{{{name}}} is required", name)
    if _given(options, "output-padding") and not options.get("transposed"):
        raise OptionError("{output-padding} needs {transposed}: only a transposed "
                          "convolution has an output padding", "output-padding")
    size = options["input-size"]
    given = 1 if isinstance(size, int) else len(size)
    ndim = options.get("ndim")
    if given > 1 and ndim is not None and ndim != given:
        raise OptionError(f"{{ndim}} {ndim} contradicts {{input-size}} {size_text(size)} "
                          f"({given} axes): give one input size with {{ndim}}, or drop "
                          f"{{ndim}}", "ndim")
    if ndim is not None and not 1 <= ndim <= 3:
        raise OptionError(f"{{ndim}} {ndim} is not valid: expected 1, 2 or 3", "ndim")
    axes = given if given > 1 else (ndim or 2)
    if isinstance(size, int):
        size = (size,) * axes
    padding = options.get("padding") or 0
    if isinstance(padding, tuple) and len(padding) == 1:
        padding = padding * axes
    return ConvSpec(
        size,
        options["kernel-size"],
        stride=options.get("stride") or 1,
        padding=padding,
        dilation=options.get("dilation") or 1,
        transposed=bool(options.get("transposed")),
        output_padding=options.get("output-padding") or 0,
        in_channels=options.get("in-channels") or 1,
        out_channels=options.get("out-channels") or 1,
        groups=options.get("groups") or 1,
    )


def drawing(options: Options, spec: ConvSpec, folder: Path | None = None) -> dict[str, Any]:
    """What ``animate`` draws besides the spec: the view, the backward pass, and for a
    numerical figure its values, kernel, op, ... (empty for the plain figure).

    ``folder`` is where relative ``.npy`` paths are found (default: the current folder).
    With ``backward``, the values are ``∂L/∂y``: their shape is the forward
    convolution's output size.
    """
    chosen: dict[str, Any] = {}
    if options.get("backward"):
        chosen["backward"] = True
    view = options.get("view") or "direct"
    if view != "direct":
        chosen["view"] = view
    numbers = _numbers(options, drawn_spec(spec, chosen), folder)
    if not numbers and view == "scatter":
        raise OptionError("{view} scatter draws the products and running sums: add "
                          "{numbers}, {seed} or {values}", "view")
    if numbers and view in ("overlap", "matrix"):
        raise OptionError(f"{{view}} {view} draws no values: leave out {{numbers}}, {{seed}} "
                          f"and {{values}}", "view")
    return {**chosen, **numbers}


def drawn_spec(spec: ConvSpec, drawing: Mapping[str, Any]) -> ConvSpec:
    """The convolution drawn: ``spec``, or its backward pass's
    (:func:`conv_anim.backward.backward_spec`) when ``drawing`` asks for it."""
    if not drawing.get("backward"):
        return spec
    from conv_anim.backward import backward_spec

    return backward_spec(spec)


def _numbers(options: Options, spec: ConvSpec, folder: Path | None) -> dict[str, Any]:
    op = options.get("op") or "conv"
    pooling = op != "conv"
    sources = [name for name in ("numbers", "seed", "values") if _given(options, name)]
    if len(sources) > 1:
        raise OptionError(f"{{{sources[0]}}} and {{{sources[1]}}} both give the values: "
                          f"choose one", sources[1])
    if _given(options, "kernel") and not _given(options, "values"):
        raise OptionError("{kernel} needs {values}, the input to convolve", "kernel")
    if _given(options, "kernel") and pooling:
        raise OptionError(f"{{kernel}} does not apply to {{op}} {op}: pooling has no weights",
                          "kernel")
    if spec.transposed and pooling:
        raise OptionError(f"{{op}} {op} does not apply with {{transposed}}: pooling has no "
                          f"transpose (expected {{op}} conv)", "op")
    if sources:  # arrays of spec.input_size: refused with the figure, before they exist
        check_drawn_cells(spec)
    kernel: np.ndarray | None
    if options.get("numbers"):
        values, kernel = paper_corner(spec.input_size, spec.kernel_size)
    elif _given(options, "seed"):
        values, kernel = _seeded(spec, options["seed"])
    elif _given(options, "values"):
        values = read_array("values", options["values"], spec.input_size, "input-size", folder)
        if not pooling and not _given(options, "kernel"):
            raise OptionError(f"{{values}} needs {{kernel}} (shape "
                              f"{size_text(spec.kernel_size)}) to convolve with {{op}} conv; "
                              f"pooling ({{op}} max or avg) needs none", "kernel")
        kernel = None if pooling else read_array(
            "kernel", options["kernel"], spec.kernel_size, "kernel-size", folder)
    elif pooling:
        raise OptionError(f"{{op}} {op} draws values: add {{numbers}}, {{seed}} or {{values}}",
                          "op")
    else:
        for name in ("progressive", "flip", "number-style"):
            if _given(options, name):
                raise OptionError(f"{{{name}}} applies to numerical figures: add {{numbers}}, "
                                  f"{{seed}} or {{values}}", name)
        return {}
    return {"values": values, "kernel": None if pooling else kernel, "op": op,
            "progressive": bool(options.get("progressive")), "flip": bool(options.get("flip"))}


def _seeded(spec: ConvSpec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Small integers drawn as the paper draws its own: input randint(0, 4), kernel
    randint(0, 3), from RandomState(seed)."""
    import numpy as np

    random = np.random.RandomState(seed)
    return random.randint(0, 4, size=spec.input_size), random.randint(0, 3, size=spec.kernel_size)


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def read_array(option: str, text: str, shape: tuple[int, ...], source: str,
               folder: Path | None = None) -> np.ndarray:
    """An array given as a ``.npy`` file or inline (rows separated by ``;``, numbers by
    spaces or commas), checked against ``shape``.

    Raises
    ------
    OptionError
        ``unreadable`` if a file cannot be read; otherwise if it is not a regular
        ``.npy`` file, holds another shape (checked from its header, before loading),
        or inline text is not rows of numbers of that shape.
    """
    import numpy as np

    path = Path(text) if folder is None else folder / text
    if text.lower().endswith(".npy") or path.exists():
        return _read_npy(option, path, shape, source)
    rows = [row.replace(",", " ").split() for row in text.split(";")]
    items = [item for row in rows for item in row]
    if len(items) > MAX_INLINE or not items or not all(_NUMBER.fullmatch(n) for n in items):
        raise OptionError(f"{{{option}}}: {text!r} is neither a .npy file nor inline numbers "
                          f"(rows separated by ';', e.g. '1 2 3; 4 5 6')", option)
    if len({len(row) for row in rows}) != 1:
        raise OptionError(f"{{{option}}}: the rows of {text!r} have different lengths", option)
    array = np.array([[float(n) for n in row] for row in rows])
    if len(shape) == 1 and array.shape[0] == 1:
        array = array[0]
    if array.shape != shape:
        raise OptionError(f"{{{option}}}: {text!r} has shape {size_text(array.shape)} but "
                          f"{{{source}}} is {size_text(shape)}: expected shape "
                          f"{size_text(shape)}", option)
    # Whole numbers are drawn as ints, where float64 holds them exactly (not 1e300, inf).
    whole = np.array_equal(array, np.round(array)) and bool(np.all(np.abs(array) <= 2**53))
    return array.astype(int) if whole else array


def _read_npy(option: str, path: Path, shape: tuple[int, ...], source: str) -> np.ndarray:
    """A ``.npy`` file's array, its header checked before the data is read."""
    import numpy as np
    from numpy.lib import format as npy

    not_npy = f"{{{option}}}: {str(path)!r} is not a .npy array file: expected a file " \
              f"written by numpy.save"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise OptionError(f"{{{option}}}: {str(path)!r} is not a regular file: expected "
                              f"a .npy file written by numpy.save", option)
        with open(path, "rb") as stream:
            try:
                version = npy.read_magic(stream)
                found, _, dtype = (npy.read_array_header_1_0(stream) if version == (1, 0)
                                   else npy.read_array_header_2_0(stream))
            except ValueError:
                raise OptionError(not_npy, option) from None
            if found != shape:
                raise OptionError(f"{{{option}}}: {str(path)!r} holds an array of shape "
                                  f"{found} but {{{source}}} is {size_text(shape)}: expected "
                                  f"shape {shape}", option)
            if dtype.hasobject:
                raise OptionError(f"{{{option}}}: {str(path)!r} holds Python objects: "
                                  f"expected numbers (pickled objects are refused)", option)
            stream.seek(0)
            array = np.load(stream, allow_pickle=False)
    except OSError as error:
        reason = error.strerror or str(error)
        raise OptionError(f"{{{option}}}: cannot read {str(path)!r}: {reason}", option,
                          unreadable=True) from None
    return np.asarray(array)


def style(options: Options, *, labelled: bool) -> dict[str, Any]:
    """The look options given; grids are labelled by default when ``labelled`` (figures
    drawn from parameters)."""
    if options.get("labels") and options.get("no-labels"):
        raise OptionError("{labels} and {no-labels} contradict each other: choose one",
                          "no-labels")
    chosen: dict[str, Any] = {
        "labels": bool(options.get("labels")) or (labelled and not options.get("no-labels")),
        "connectors": not options.get("no-connectors"),
    }
    if _given(options, "caption"):
        chosen["caption"] = options["caption"]
    for name in ("scale", "theme", "number-style"):
        if _given(options, name):
            chosen[name.replace("-", "_")] = options[name]
    if options.get("transparent"):
        chosen["background"] = "transparent"
    return chosen


def selection(options: Options, spec: ConvSpec, view: str = "direct",
              frames: int | None = None) -> range | None:
    """The steps to show (``every``, ``steps``, ``rows``) within the frame budget
    (``max-frames``, default :data:`MAX_FRAMES`); None for every step. O(1) whatever
    the number of steps: a range, listed by ``animate`` once it has checked the cost.

    Raises
    ------
    OptionError
        If the selection is empty, ``rows`` does not apply, or the frames exceed the
        budget (the message gives the numbers and the ways out).
    """
    total = frame_count(spec, view) if frames is None else frames
    chosen = range(total)
    if _given(options, "rows"):
        if spec.ndim != 2 or spec.has_channels or view != "direct":
            raise OptionError("{rows} applies to 2-D figures with one channel (it selects "
                              "output rows): use {steps}", "rows")
        per_row = spec.output_size[1]
        chosen_rows: slice = options["rows"]
        rows = range(spec.output_size[0])[chosen_rows]
        chosen = range(rows.start * per_row, rows.stop * per_row) if rows else range(0)
    if _given(options, "steps"):
        chosen_steps: slice = options["steps"]
        chosen = chosen[chosen_steps]
    if _given(options, "every"):
        chosen = chosen[::options["every"]]
    if not chosen:
        raise OptionError(f"{{steps}}, {{rows}} and {{every}} select none of the {total} "
                          f"steps", "steps")
    budget = options.get("max-frames") or MAX_FRAMES
    count = (chosen[-1] - chosen[0]) // chosen.step + 1  # len() stops at sys.maxsize
    if count > budget:
        fps = options.get("fps") or 1.0
        rows_hint = " or {rows} A:B" if spec.ndim == 2 else ""
        raise OptionError(
            f"the animation has {count:,} frames, above the budget of {budget:,} "
            f"({count / fps / 3600:.1f} hours at {fps:g} fps): raise it with "
            f"{{max-frames}} {count}, or show fewer steps with {{every}} K, "
            f"{{steps}} A:B{rows_hint}", "max-frames",
        )
    return None if count == total else chosen


__all__ = ["MAX_FRAMES", "OptionError", "build_spec", "drawing", "drawn_spec", "in_words",
           "option_name", "read_array", "selection", "style"]
