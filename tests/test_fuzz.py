"""Fuzz tests (issue 16): hostile input to ConvSpec, animate, the command line and the
directive's ``describe`` works, or is refused in the library's one way, quickly.

- ``ConvSpec``: sizes as PyTorch's formulas give them (written here from the raw
  arguments), or a ParameterError naming a parameter; in milliseconds, whatever the sizes.
- ``animate``: an Animation whose first frame draws, or a ParameterError naming an
  argument; a figure too large to draw is refused at once, allocating little.
- ``conv-anim``: status 0 and a whole output, or status 2 (1: a file cannot be read or
  written) and one line ``conv-anim: error: ...``; no file left, none touched.
- ``embed.describe`` (the directive, the fence): OptionError or ParameterError only.

Everywhere: no hang (a watchdog), no numpy RuntimeWarning (a silently wrong number).
Runs are deterministic (``derandomize``) and short; time bounds allow a loaded machine.
``CONV_ANIM_FUZZ_SCALE=10`` runs ten times as many examples (a deeper search, minutes).
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import os
import signal
import sys
import time
import tracemalloc
import warnings
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pytest
from cli_support import run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from conv_anim import ConvSpec, animate, catalog, embed, request
from conv_anim.animation import Animation
from conv_anim.errors import ParameterError
from conv_anim.limits import MAX_LISTED_CELLS
from conv_anim.options import DRAWING
from conv_anim.style import Style

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

#: A refusal, or the construction of a spec, takes at most this long (seconds).
QUICK = 2.0
#: Most memory a refusal may allocate (bytes, traced).
REFUSAL_MEMORY = 32 * 2**20
#: Frames up to this many pixels are drawn (larger ones take seconds each).
DRAWN_PIXELS = 1_500_000


#: How many times the default number of examples each fuzz test runs.
SCALE = float(os.environ.get("CONV_ANIM_FUZZ_SCALE", "1"))


def fuzz(examples):
    """Deterministic, bounded settings: ``examples`` times :data:`SCALE`."""
    return settings(max_examples=max(1, round(examples * SCALE)), deadline=None,
                    derandomize=True, database=None, suppress_health_check=list(HealthCheck))


class Hang(BaseException):
    """The watchdog's: not an Exception, so that no handler swallows it."""


@contextmanager
def watchdog(what, seconds=60):
    """Fail, naming ``what``, instead of hanging (SIGALRM: tests run in the main
    thread), and on numpy's RuntimeWarnings (an overflow, an invalid cast)."""
    def expire(signum, frame):
        raise Hang(f"still running after {seconds} s: {what!r}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- ConvSpec

SPEC_PARAMETERS = ("input_size", "kernel_size", "stride", "padding", "dilation",
                   "transposed", "output_padding", "in_channels", "out_channels", "groups")


def _int(value):
    """An int or numpy integer as an int; None otherwise (bools too)."""
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    return int(value) if ok else None


def _axes(value, ndim, minimum):
    """An int for every axis, or a tuple/list of ``ndim`` ints; all >= ``minimum``."""
    if _int(value) is not None:
        value = (value,) * ndim
    if not isinstance(value, (tuple, list)) or len(value) != ndim:
        return None
    values = tuple(map(_int, value))
    return values if all(v is not None and v >= minimum for v in values) else None


def _padding(value, ndim, spans, strides):
    """``(before, after)`` pairs from an int, per-axis ints or pairs, or a mode."""
    modes = {"valid": [(0, 0) for _ in spans], "full": [(e - 1, e - 1) for e in spans]}
    if all(s == 1 for s in strides):
        modes["same"] = modes["half"] = [((e - 1) // 2, e // 2) for e in spans]
    if isinstance(value, str):
        return tuple(modes[value]) if value in modes else None
    items = (value,) * ndim if _int(value) is not None else value
    if not isinstance(items, (tuple, list)) or len(items) != ndim:
        return None
    pairs = [_axes(item if _int(item) is None else (item, item), 2, 0) for item in items]
    return None if None in pairs else tuple(pairs)


def reference(arguments):
    """``(output_size, padding)`` by PyTorch's formulas, or None if the arguments
    describe no convolution (by the rules of ConvSpec's documentation)."""
    size = arguments["input_size"]
    ndim = 2 if _int(size) is not None else len(size) if isinstance(size, (tuple, list)) else 0
    size = _axes(size, ndim, 1) if 1 <= ndim <= 3 else None
    kernel, stride, dilation = (_axes(arguments.get(name, 1), ndim, 1)
                                for name in ("kernel_size", "stride", "dilation"))
    extra = _axes(arguments.get("output_padding", 0), ndim, 0)
    transposed = arguments.get("transposed", False)
    cin, cout, groups = (_int(arguments.get(n, 1)) for n in SPEC_PARAMETERS[-3:])
    if None in (size, kernel, stride, dilation, extra, cin, cout, groups) or not isinstance(
            transposed, bool) or min(cin, cout, groups) < 1 or cin % groups or cout % groups:
        return None
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    pairs = _padding(arguments.get("padding", 0), ndim, spans, stride)
    if pairs is None:
        return None
    axes = list(zip(size, stride, pairs, spans, extra, dilation, strict=True))
    if transposed:
        output = tuple((i - 1) * s - b - a + e + x for i, s, (b, a), e, x, _ in axes)
        if any(x >= max(s, d) or max(b, a) > e - 1 for _, s, (b, a), e, x, d in axes):
            return None
        return (output, pairs) if min(output) >= 1 else None
    if any(extra) or any(e > i + b + a for i, _, (b, a), e, _, _ in axes):
        return None
    return tuple((i + b + a - e) // s + 1 for i, s, (b, a), e, _, _ in axes), pairs


#: What ``st.text()`` draws by default, every character UTF-8 can encode (all but the
#: surrogates), named by category: for ``codec="utf-8"``, its default, Hypothesis tries
#: each of the 1.1 million code points (3 s) wherever no ``.hypothesis`` folder has kept
#: the result, as in every fresh clone.
CHARACTERS = st.characters(exclude_categories=("Cs",))

SMALL = st.integers(-1, 7)
INTS = st.one_of(SMALL, SMALL.map(np.int64), st.sampled_from([0, 10**4, 10**9, 2**63]),
                 st.integers(-(10**12), 10**12))
JUNK = st.one_of(
    st.floats(), st.text(CHARACTERS, max_size=3), st.binary(max_size=3), st.sampled_from([
        None, 1.0, math.nan, True, np.bool_(True), np.float64(3.0), "3", "same", "SAME", "half",
        b"\x05\x05", bytearray(b"\x03\x03"), range(3), (), [], {3: 3}, {3}, np.array([3, 3]),
        3 + 0j, (3, (3,)), ((1, 2, 3),), ((1, 2), (3, 4), (5, 6), (7, 8)),
    ]),
)


# The strategies are made once per set of arguments and kept: Hypothesis works out
# each new strategy object's properties before drawing from it, which cost more than
# the drawing when every example made its own.


@cache
def per_axis(ndim, ints=INTS):
    """An int, a tuple or list of about ``ndim`` of them, or junk."""
    lengths = st.integers(max(0, ndim - 1), ndim + 1)
    return st.one_of(ints, ints, lengths.flatmap(lambda n: st.tuples(*[ints] * n)),
                     st.lists(ints, min_size=ndim, max_size=ndim), JUNK)


@cache
def plausible(ndim, ints):
    """An int for every axis, or one per axis (a tuple or a list)."""
    return st.one_of(ints, st.lists(ints, min_size=ndim, max_size=ndim).map(tuple),
                     st.lists(ints, min_size=ndim, max_size=ndim))


@st.composite
def spec_arguments(draw, hostile=None, big=True):
    """ConvSpec's arguments: plausible ones (ints in range, one per axis), valid or
    not as a whole, or ``hostile`` ones (any type, any length)."""
    hostile = draw(st.booleans()) if hostile is None else hostile
    ndim = draw(st.integers(1, 3))
    size = draw(per_axis(ndim) if hostile else plausible(ndim, _ints(1, 6, big)))
    ndim = 2 if _int(size) is not None else len(size) if isinstance(size, (tuple, list)) else 2
    options = _options(ndim, hostile, big)
    arguments = {"input_size": size, "kernel_size": draw(
        per_axis(ndim) if hostile else plausible(ndim, _ints(1, 4, big)))}
    arguments.update({name: draw(values) for name, values in options.items()
                      if draw(st.booleans())})
    if not hostile:  # mostly valid: groups dividing the channels, output padding transposed
        cin, cout = (arguments.get(name, 1) for name in ("in_channels", "out_channels"))
        if "groups" in arguments:
            arguments["groups"] = draw(st.sampled_from([g for g in (1, 2, 3)
                                                        if not cin % g and not cout % g]))
        if not arguments.get("transposed"):
            arguments.pop("output_padding", None)
    return arguments


@cache
def _ints(low, high, big):
    """Ints from ``low`` to ``high``, and (``big``) huge ones."""
    return st.integers(low, high) | st.sampled_from([10**4, 10**9, 2**63]) if big else (
        st.integers(low, high))


@cache
def _options(ndim, hostile, big):
    """The strategy of each optional argument of ConvSpec (see :func:`spec_arguments`)."""
    pair = st.integers(0, 2) | st.tuples(st.integers(0, 2), st.integers(0, 2))
    options = {
        "stride": plausible(ndim, _ints(1, 3, big)),
        "dilation": plausible(ndim, st.integers(1, 3)),
        "padding": st.one_of(st.integers(0, 2), st.lists(pair, min_size=ndim, max_size=ndim),
                             st.sampled_from(["same", "valid", "full", "half"])),
        "transposed": st.booleans(), "output_padding": plausible(ndim, st.integers(0, 2)),
        "in_channels": _ints(1, 4, big), "out_channels": _ints(1, 4, big),
        "groups": st.integers(1, 2),
    }
    if hostile:
        pairs = st.lists(st.one_of(SMALL, st.tuples(SMALL, SMALL), st.lists(SMALL, max_size=3)),
                         min_size=ndim, max_size=ndim)
        options = {name: per_axis(ndim) for name in options} | {
            "transposed": st.booleans() | JUNK,
            "padding": st.one_of(per_axis(ndim, SMALL), pairs, pairs.map(tuple), JUNK,
                                 st.sampled_from(["same", "valid", "full", "Same", "x"]))}
    return options


@fuzz(750)
@given(spec_arguments())
def test_convspec_is_a_convolution_or_a_parameter_error(arguments):
    expected = reference(arguments)
    with watchdog(arguments):
        start = time.perf_counter()
        try:
            spec = ConvSpec(**arguments)
        except ParameterError as error:
            assert expected is None, (arguments, expected, error)
            assert error.parameter in SPEC_PARAMETERS and error.parameter in str(error), error
            assert time.perf_counter() - start < QUICK
            return event(f"refused: {error.parameter}")
        assert expected is not None, (arguments, spec)
        assert (spec.output_size, spec.padding) == expected, arguments
        event(f"accepted: {spec.ndim}-D{' transposed' if spec.transposed else ''}")
        assert eval(str(spec), {"ConvSpec": ConvSpec}) == spec
        if spec.transposed:  # the paper's relationship: the equivalent direct convolution
            assert spec.equivalent_direct().direct.output_size == spec.output_size
        if math.prod(spec.output_size) > sys.maxsize:  # more than a sequence can hold
            with pytest.raises(ParameterError):
                spec.steps()
            return
        steps, taps = spec.steps(), math.prod(spec.kernel_size)
        assert len(steps) == math.prod(spec.output_size)
        if taps <= 4096:  # any step is built when read, whatever the output's size
            assert steps[-1].output_index == tuple(n - 1 for n in spec.output_size)
            assert len(steps[-1].taps) == taps
        elif taps > MAX_LISTED_CELLS:  # a step too large to list is refused
            with pytest.raises(ParameterError):
                steps[0]  # noqa: B018 - reading the step is the test
        assert time.perf_counter() - start < QUICK


# --------------------------------------------------------------------------- animate

OPS = ["conv", "max", "avg"]
FLAGS = st.sampled_from([1, 0, None, "yes", np.bool_(True)])
FINITE = st.floats(-1e3, 1e3) | st.sampled_from([0.0, 1e300, -1e300])
#: What a refusal may name: an argument of animate, of ConvSpec, a Style option, or an
#: unknown option given.
ARGUMENTS = {*inspect.signature(animate).parameters, *SPEC_PARAMETERS, "theme", "colour",
             *(field.name for field in dataclasses.fields(Style))}


def arrays(*shapes):
    """(finite float arrays of one of ``shapes``, hostile ones: NaN, inf, 1e300, other
    dtypes and shapes, ragged lists, junk)."""
    good = hnp.arrays(np.float64, st.sampled_from(shapes), elements=FINITE)
    other = st.sampled_from(shapes) | hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)
    elements = FINITE | st.sampled_from([math.nan, math.inf, -math.inf, 5e-324])
    return good, st.one_of(
        good.map(lambda a: a.tolist()), hnp.arrays(np.float64, other, elements=elements),
        hnp.arrays(st.sampled_from([np.int64, np.int8, np.bool_, np.complex128]), other),
        st.sampled_from([[], [[]], "abc", 3, {"a": 1}, [[1, 2], [3]], np.array(["a"] * 3)]),
    )


#: Options of animate: (valid values, hostile values).
STYLE = {
    "scale": (st.sampled_from([0.3, 0.2]), st.sampled_from([0.1, 20, 0, -1, math.nan, "2"])),
    "theme": (st.sampled_from(["paper", "dark", "colorblind"]), st.sampled_from(["x", 3])),
    "labels": (st.booleans(), FLAGS), "connectors": (st.booleans(), FLAGS),
    "caption": (st.booleans() | st.text(CHARACTERS, max_size=40),
                st.sampled_from([None, 3, "x" * 3000, "long words " * 200])),
    "input_color": (st.sampled_from(["#268bd2", (1, 2, 3), [1, 2, 3]]),
                    st.sampled_from(["#-1-2-3", "#12345", "red", (256, 0, 0), (1.0, 2, 3)])),
    "number_style": (st.sampled_from(["exact", "paper"]), st.sampled_from(["fancy", None])),
    "style": (st.just(Style()), st.sampled_from([False, 4, "dark"])),
}
STEPS = (st.builds(slice, st.integers(-3, 3) | st.none(), st.integers(-2, 9) | st.none(),
                   st.integers(1, 3)) | st.builds(range, st.integers(0, 3), st.integers(4, 9)),
         st.lists(st.integers(-2, 9)) | st.sampled_from(["abc", 3, slice(0, 0), [True], (1.5,),
                                                         range(10**18)]))
#: Valid specs small enough to draw in a fraction of a second.
SMALL_SPECS = spec_arguments(hostile=False, big=False).filter(reference)


@st.composite
def animate_calls(draw):
    """A small valid spec and animate's options: valid ones (an arithmetic or a
    numerical figure), and in one call of three hostile ones too."""
    spec = ConvSpec(**draw(SMALL_SPECS))
    chosen, hostile = {}, draw(st.sampled_from([False, False, True]))
    if not spec.has_channels and spec.ndim < 3 and draw(st.booleans()):  # with numbers
        chosen["backward"] = draw(st.booleans())
        shape = spec.output_size if chosen["backward"] else spec.input_size
        chosen["values"], op = draw(arrays(shape)[0]), draw(st.sampled_from(OPS))
        chosen.update({"kernel": draw(arrays(spec.kernel_size)[0])} if op == "conv" else {
            "op": op})
    options = {
        "values": arrays(spec.input_size, spec.output_size), "kernel": arrays(spec.kernel_size),
        "op": (st.sampled_from(OPS), st.sampled_from(["sum", 3])),
        "view": (st.sampled_from(["direct", "scatter", "overlap", "matrix"]),
                 st.sampled_from(["garbage", None])),
        "progressive": (st.booleans(), FLAGS), "flip": (st.booleans(), FLAGS),
        "backward": (st.booleans(), FLAGS), "steps": STEPS, **STYLE,
    }
    if hostile and draw(st.booleans()):
        chosen["colour"] = "#ffffff"  # not an option
    for name, (valid, bad) in options.items():
        if draw(st.integers(0, 5 if name in chosen else 3)) == 3:
            chosen[name] = draw(valid | bad if hostile else valid)
    chosen.setdefault("scale", 0.3)  # small frames: drawing is what takes time
    return spec, chosen


@fuzz(175)
@given(animate_calls())
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # any text as a caption
def test_animate_draws_or_refuses(call):
    spec, options = call
    with watchdog(call):
        start = time.perf_counter()
        try:
            animation = animate(spec, **options)
        except ParameterError as error:
            assert error.parameter in ARGUMENTS, error
            assert time.perf_counter() - start < QUICK, error
            return event(f"refused: {error.parameter}")
        assert isinstance(animation, Animation) and len(animation) >= 1
        if animation.numbers is not None:
            assert np.isfinite(animation.numbers.output).all()
        height, width, _ = animation.frame_shape
        if height * width <= DRAWN_PIXELS:
            event("drawn")
            rgba, _ = next(animation.rgba_frames())
            assert rgba.shape == (height, width, 4)


@st.composite
def huge_calls(draw):
    """Specs whose figures draw more than MAX_DRAWN_CELLS cells, and any options."""
    ndim = draw(st.integers(1, 3))
    least = {1: 10**6, 2: 1001, 3: 101}[ndim]
    if draw(st.booleans()):  # a small input, stretched by a huge stride
        spec = ConvSpec((2,) * ndim, 2, stride=draw(st.sampled_from([10**6, 10**9])),
                        transposed=True)
    else:
        size = draw(st.lists(st.sampled_from([least, 2 * least, 10**9]), min_size=ndim,
                             max_size=ndim))
        spec = ConvSpec(tuple(size), draw(st.sampled_from([1, 3])),
                        transposed=draw(st.booleans()))
    return spec, draw(st.fixed_dictionaries({}, optional={
        "values": st.one_of(*arrays((3,))), "view": st.sampled_from(["scatter", "overlap"]),
        "backward": st.booleans(), "steps": st.one_of(*STEPS), "caption": st.booleans(),
        "scale": st.sampled_from([0.1, 1.0, 20]),
    }))


@fuzz(30)
@given(huge_calls())
def test_huge_figures_are_refused_quickly_in_little_memory(call):
    spec, options = call
    start = time.perf_counter()
    tracemalloc.start()
    try:
        with watchdog(call), pytest.raises(ParameterError):
            animate(spec, **options)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < QUICK
    # tracemalloc sees numpy's buffers, so it bounds what a refusal allocates. Drawing
    # allocates in matplotlib's C++ code, which it does not see: frames are bounded by
    # time alone (the watchdog).
    assert peak < REFUSAL_MEMORY, f"{spec}: {peak:,} bytes"


# --------------------------------------------------------------------------- texts: CLI, describe

HUGE = "9" * 5000  # int() refuses more than 4300 digits
BAD_COUNTS = "0|-1||x|1.0|1000000000000|99999999999999999999|" + HUGE
BAD_RANGES = f"x|1:2:3|0:0|:|-99999999999:|9999:|{HUGE}:"
BAD_NUMBERS = "0|-1|nan|inf|1e400|100|x||1_0"
BAD_ARRAYS = ("nan 1; 1 1|1e400 1; 1 1|1 2; 3|x||bad.npy|huge.npy|fifo|missing.npy|folder|"
              "1.5e300 1.5e300; 1.5e300 1.5e300")
#: Each drawing option's texts, '|'-separated: (valid ones, hostile ones).
TEXTS = {name: (valid.split("|"), bad.split("|")) for name, (valid, bad) in {
    "input-size": ("3|4|5|4|5|3x2|2,3|3x3x3|1|2", "0|-1||5x|x|1.5|\u0663|100000|100000x100000|"
                   f"64x64x64|3x3x3x3|10000000000|99999999999999999999|{HUGE}"),
    "kernel-size": ("1|2|2|3|2x1", f"0|x|1000000|{HUGE}"),
    "stride": ("1|2|1x2", f"0|1000000000|-2|{HUGE}"), "dilation": ("1|2|2x1", f"0|1000000|{HUGE}"),
    "padding": ("0|1|1,0|0:1|1:2x0|same|half|valid|full| Half ",
                f"1:|:1|-1|2:2:2|garbage|1000000|{HUGE}"),
    "output-padding": ("0|1|0,1", f"-1|5|{HUGE}"), "ndim": ("1|2|3", "4|0|x"),
    "in-channels": ("1|2", BAD_COUNTS), "out-channels": ("1|2", BAD_COUNTS),
    "groups": ("1|1|2", BAD_COUNTS), "seed": ("0|7", BAD_COUNTS),
    "op": ("conv|max|avg| MAX", "sum|"),
    "values": ("1 2 3; 4 5 6; 7 8 9|1 2; 3 4|values.npy|1 2 3 4", BAD_ARRAYS),
    "kernel": ("1 0; 0 -1|kernel.npy|1 2 3; 4 5 6; 7 8 9|1", BAD_ARRAYS),
    "view": ("direct|scatter|overlap|matrix", "garbage|"), "scale": ("0.3|0.2| 0.3 ", BAD_NUMBERS),
    "theme": ("paper|dark|colorblind", "nope|"), "number-style": ("exact|paper", "x"),
    "caption": ("|a caption", "x" * 3000), "every": ("1|2|3", BAD_COUNTS),
    "steps": ("0:2|:3|2:|-2:", BAD_RANGES), "rows": ("0:2|:1|1:", BAD_RANGES),
    "max-frames": ("10|1000", BAD_COUNTS), "fps": ("1|2|0.5", BAD_NUMBERS),
    "frame": ("0|1", "-1|99|x"), "filmstrip": ("0,1|0|0 1 2 3", "-1|0,99|x|"),
    "output": ("out.gif|out.png|out.pdf|out.svg|out.html|out.webp|out.apng|frames/|frames.png|"
               "existing.gif|OUT.GIF|a b.png", "out.mp4|out.txt|out|nodir/out.gif|folder|folder/"),
}.items()}
FIGURES = [figure.name for figure in catalog.everything()]


def test_every_drawing_option_is_fuzzed():
    assert set(TEXTS) == {option.name for option in DRAWING if not option.flag} | {"output"}


@contextmanager
def user_folder():
    """A fresh working folder holding a user's files: arrays good and bad, a FIFO, a
    folder and a file in the way of an output."""
    previous = Path.cwd()
    with TemporaryDirectory() as name:
        folder = Path(name)
        np.save(folder / "values.npy", np.arange(9.0).reshape(3, 3))
        np.save(folder / "kernel.npy", np.ones((2, 2)))
        (folder / "bad.npy").write_bytes(b"\x93NUMPY garbage")
        with open(folder / "huge.npy", "wb") as stream:  # a header, and no data
            np.lib.format.write_array_header_1_0(
                stream, {"descr": "<f8", "fortran_order": False, "shape": (10**5, 10**5)})
        os.mkfifo(folder / "fifo")
        (folder / "folder").mkdir()
        (folder / "existing.gif").write_bytes(b"a user's file")
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(previous)


def snapshot(folder):
    """Every path under ``folder``, with the bytes of regular files."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in folder.rglob("*")}


def text(draw, name, hostile):
    """A text for option ``name``: a valid one, or in a hostile call any."""
    valid, bad = TEXTS[name]
    return draw(st.sampled_from(valid + bad if hostile else valid))


def some_options(draw, names, hostile):
    """A few of the options ``names``, as --name VALUE, -n VALUE or --name=VALUE."""
    words, shorts = [], {option.name: option.short for option in DRAWING}
    for name in names:
        if draw(st.integers(0, 7)) != 7:
            continue
        if name not in TEXTS:  # a flag
            words.append(f"--{name}")
            continue
        value, form = text(draw, name, hostile), draw(st.integers(0, 2))
        words += ([f"--{name}={value}"] if form == 2 else
                  [shorts[name] if form and shorts[name] else f"--{name}", value])
    return words


@st.composite
def command_lines(draw):
    """``conv-anim`` arguments: the real options, their values valid, and in one call of
    three hostile too; and the ``-o`` given."""
    command = draw(st.sampled_from(["conv"] * 3 + ["paper"] * 2 + ["info", "solve", "list"]))
    hostile = draw(st.sampled_from([False, False, True]))
    kinds = {"conv": ("geometry", "numbers", "look", "frames", "animation"),
             "paper": ("look", "frames", "animation"), "info": ("geometry",)}
    words, output = [command], None
    if command in ("conv", "info", "solve"):
        words += ["-i", text(draw, "input-size", hostile)]
        if command != "info" or draw(st.booleans()):
            words += ["-k", text(draw, "kernel-size", hostile)]
    if command == "solve":
        words += ["-o", text(draw, "input-size", hostile),
                  *some_options(draw, ["stride", "padding", "dilation"], hostile),
                  *draw(st.sampled_from([[], ["--transposed"], ["--limit", "3"], ["--limit=0"]]))]
    if command == "paper" or command == "info" and draw(st.booleans()):
        words.append(draw(st.sampled_from([*FIGURES, "nope", "padding_strides_od", ""])))
    if command in kinds:
        words += some_options(draw, [o.name for o in DRAWING if o.kind in kinds[command] and
                                     o.name not in ("input-size", "kernel-size")], hostile)
    if command == "info" and draw(st.booleans()):
        words += ["--op", draw(st.sampled_from(["conv", "max", "avg", "x"]))]
    if command in ("conv", "paper"):
        output = text(draw, "output", hostile)
        words += ["-o", output, *draw(st.sampled_from([[], ["--frames"], ["--quiet"]]))]
        if "--scale" not in " ".join(words):
            words += ["--scale", "0.3"]  # small frames: drawing is what takes time
    if hostile:
        words += draw(st.sampled_from([[], ["--colour", "red"], ["extra"], ["-x"]]))
    return words, output


def check_output(path):
    """The file, or the folder of PNG frames, at ``path`` is whole and readable."""
    if path.is_dir():
        assert list(path.glob("frame_*.png")), path
        for frame in path.glob("frame_*.png"):
            with Image.open(frame) as image:
                image.load()
        return
    data, suffix = path.read_bytes(), path.suffix.lower()
    if suffix in (".gif", ".webp", ".apng", ".png"):
        with Image.open(path) as image:
            image.seek(getattr(image, "n_frames", 1) - 1)
            image.load()
    elif suffix == ".pdf":
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    elif suffix == ".svg":
        ElementTree.fromstring(data)
    else:
        assert b"conv-anim-player" in data if suffix == ".html" else data[4:8] == b"ftyp"


@fuzz(250)
@given(command_lines())
def test_command_line_exits_cleanly(capsys, call):
    words, output = call
    capsys.readouterr()
    with user_folder() as folder:
        before = snapshot(folder)
        with watchdog(words):
            status, out, err = run(capsys, *words)
        after = snapshot(folder)
        event(f"{words[0]}: status {status}")
        assert "Traceback" not in out + err, words
        if status != 0:
            assert err.startswith("conv-anim: error: ") and err.count("\n") == 1, (words, err)
            assert out == "" and after == before, (words, err)  # nothing written nor touched
            assert status == 2 or status == 1 and ("cannot write" in err or "cannot read" in err)
            return
        assert err == "" or err.startswith("conv-anim: wrote ") and err.count("\n") == 1, err
        if output is None:  # info, list, solve
            assert out.strip(), words
            return
        frames = "--frames" in words and output.endswith(".png")
        target = output.rstrip("/").removesuffix(".png" if frames else "")
        check_output(folder / target)
        written = {name.split("/")[0] for name in after if before.get(name, 0) != after[name]}
        assert written == {target}, (words, written)  # the output alone: no temporary file


@st.composite
def directive_options(draw):
    """A directive's (or fence's) figure name, option texts and ``interactive``."""
    name = draw(st.none() | st.none() | st.sampled_from(FIGURES))
    hostile, chosen = draw(st.sampled_from([False, False, True])), {}
    if name is None:
        chosen = {key: text(draw, key, hostile) for key in ("input-size", "kernel-size")}
    for option in DRAWING:
        if option.name not in chosen and draw(st.integers(0, 5)) == 5:
            chosen[option.name] = "" if option.flag else text(draw, option.name, hostile)
    chosen.setdefault("scale", "0.3")
    return name, chosen, draw(st.booleans())


@fuzz(125)
@given(directive_options())
def test_describe_raises_only_option_and_parameter_errors(call):
    name, chosen, interactive = call
    with user_folder() as folder, watchdog(call):
        options = {}
        for option, value in chosen.items():
            try:  # as the directive's and the fence's option converters do
                options[option] = embed.convert(option, value)
            except ParameterError as error:
                assert error.parameter and str(error)
        start = time.perf_counter()
        try:
            embedded = embed.describe(name, options, folder, interactive=interactive)
        except (request.OptionError, ParameterError) as error:
            assert str(error) and time.perf_counter() - start < QUICK, error
            return event("refused")
        event("described")
        assert embedded.alt and embedded.drawing.filename(".gif").endswith(".gif")
