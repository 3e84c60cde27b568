"""How a convolution is written, in one place: in words and symbols, as code, as a command.

Every surface describes a figure the same way: first by what reproduces it (the
:class:`~conv_anim.geometry.ConvSpec` call and the ``conv-anim conv`` command), then in
the paper's symbols. Captions, ``conv-anim list`` and ``info``, the gallery pages, the
Sphinx directive's alt text and the command line's messages all call this module.

Each symbol has one meaning. ``k``, ``s``, ``p``, ``d`` are the kernel size, stride,
padding and dilation of a direct convolution; a transposed convolution is written with
its own input and output sizes and the direct convolution it transposes, whose input is
the transposed convolution's output (``a`` is the output padding):

>>> from conv_anim import ConvSpec
>>> print(symbols(ConvSpec(5, 3, stride=2, padding=1)))
input 5×5 → output 3×3; k = 3, s = 2, p = 1
>>> print(symbols(ConvSpec(3, 3, stride=2, padding=1, transposed=True)))
input 3×3 → output 5×5; the transpose of a 5×5 → 3×3 convolution with k = 3, s = 2, p = 1
>>> python_call(ConvSpec(3, 3, stride=2, padding=1, transposed=True))
'ConvSpec(3, 3, stride=2, padding=1, transposed=True)'
>>> command(ConvSpec((16,), 2, dilation=2))
'conv-anim conv -i 16 --ndim 1 -k 2 -d 2'

The module is pure: it imports neither numpy nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

from conv_anim.geometry import ConvSpec
from conv_anim.limits import DEFAULT_MAX_FRAMES
from conv_anim.steps import frame_count

#: The multiplication sign between the axes of a size ("5×7").
TIMES = "\N{MULTIPLICATION SIGN}"
ARROW = "\N{RIGHTWARDS ARROW}"
#: What each operation is called.
KINDS = {"conv": "convolution", "max": "max pooling", "avg": "average pooling"}


def size_text(values: Sequence[int]) -> str:
    """A size, its axes joined by "×": ``(5, 7)`` -> ``'5×7'``, ``(16,)`` -> ``'16'``.

    Examples
    --------
    >>> size_text((5, 5)), size_text((4, 4, 4)), size_text((16,))
    ('5×5', '4×4×4', '16')
    """
    return TIMES.join(str(value) for value in values)


def axis_text(values: Sequence[object]) -> str:
    """A per-axis parameter: one value when every axis agrees, else joined by "×".

    Examples
    --------
    >>> axis_text((3, 3)), axis_text((3, 1))
    ('3', '3×1')
    """
    items = [str(value) for value in values]
    return items[0] if len(set(items)) == 1 else TIMES.join(items)


def padding_text(pairs: Sequence[tuple[int, int]]) -> str:
    """Padding in symbols: ``1`` on every side, ``1×0`` per axis, ``(0, 1)`` before/after.

    Examples
    --------
    >>> padding_text(((1, 1), (1, 1))), padding_text(((1, 1), (0, 0)))
    ('1', '1×0')
    >>> padding_text(((0, 1), (0, 1))), padding_text(((1, 2), (0, 0)))
    ('(0, 1)', '(1, 2)×0')
    """
    return axis_text([str(b) if b == a else f"({b}, {a})" for b, a in pairs])


def _direct_of(spec: ConvSpec) -> tuple[int, ...]:
    """The input size of the direct convolution a spec is (or transposes)."""
    return spec.output_size if spec.transposed else spec.input_size


def parameters(spec: ConvSpec) -> str:
    """The direct convolution's parameters: ``k = 3, s = 2, p = 1`` (``d`` when not 1).

    For a transposed spec these are the parameters of the direct convolution it
    transposes, then its output padding ``a`` when not 0; channels and groups follow
    when the spec has them.

    Examples
    --------
    >>> parameters(ConvSpec(7, 3, dilation=2))
    'k = 3, s = 1, p = 0, d = 2'
    >>> parameters(ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1))
    'k = 3, s = 2, p = 1, a = 1'
    """
    parts = [
        f"k = {axis_text(spec.kernel_size)}",
        f"s = {axis_text(spec.stride)}",
        f"p = {padding_text(spec.padding)}",
    ]
    if any(d != 1 for d in spec.dilation):
        parts.append(f"d = {axis_text(spec.dilation)}")
    if any(spec.output_padding):
        parts.append(f"a = {axis_text(spec.output_padding)}")
    if spec.has_channels:
        parts.append(f"{spec.in_channels} → {spec.out_channels} channels")
        if spec.groups != 1:
            parts.append(f"groups = {spec.groups}")
    return ", ".join(parts)


def kind(spec: ConvSpec, op: str = "conv") -> str:
    """What the spec computes: ``'convolution'``, ``'transposed convolution'``,
    ``'max pooling'``, ``'average pooling'``, ``'depthwise convolution'``...

    Examples
    --------
    >>> kind(ConvSpec(5, 3, in_channels=3, out_channels=3, groups=3))
    'depthwise convolution'
    """
    if op != "conv":
        return KINDS[op]
    if spec.transposed:
        return "transposed convolution"
    if spec.groups > 1 and spec.groups == spec.in_channels:
        return "depthwise convolution"
    if spec.has_channels and all(k == 1 for k in spec.kernel_size):
        return "pointwise convolution"
    if spec.groups > 1:
        return "grouped convolution"
    if any(d != 1 for d in spec.dilation):
        return "dilated convolution"
    return "convolution"


def sizes(spec: ConvSpec) -> str:
    """``input 5×5 → output 3×3`` (with channels: ``input 3×5×5 → output 2×3×3``)."""
    return f"input {size_text(spec.input_shape)} {ARROW} output {size_text(spec.output_shape)}"


def symbols(spec: ConvSpec, op: str = "conv") -> str:
    """The spec in the paper's symbols, each used once with one meaning.

    A direct convolution (or pooling): its sizes, then ``k``, ``s``, ``p``. A
    transposed one: its own sizes, then the direct convolution it transposes.

    Examples
    --------
    >>> print(symbols(ConvSpec(5, 3), "max"))
    input 5×5 → output 3×3; k = 3, s = 1, p = 0
    """
    if not spec.transposed:
        return f"{sizes(spec)}; {parameters(spec)}"
    direct = f"{size_text(_direct_of(spec))} {ARROW} {size_text(spec.input_size)}"
    return f"{sizes(spec)}; the transpose of a {direct} convolution with {parameters(spec)}"


def equivalent(spec: ConvSpec) -> str:
    """How a transposed convolution is drawn: the paper's equivalent direct convolution.

    Examples
    --------
    >>> print(equivalent(ConvSpec(3, 3, stride=2, padding=1, transposed=True)))
    ... # doctest: +NORMALIZE_WHITESPACE
    drawn as a stride-1 convolution of the input stretched to 5×5 (1 zero between
    units), padded by p' = 1, kernel flipped
    >>> print(equivalent(ConvSpec(2, 3, transposed=True)))
    drawn as a stride-1 convolution of the input padded by p' = 2, kernel flipped
    """
    eq = spec.equivalent_direct()
    padded = f"padded by p' = {padding_text(eq.padding)}, kernel flipped"
    if not any(eq.zeros_inserted):
        return f"drawn as a stride-1 convolution of the input {padded}"
    zeros = axis_text(eq.zeros_inserted)
    plural = "" if zeros == "1" else "s"
    return (
        f"drawn as a stride-1 convolution of the input stretched to "
        f"{size_text(eq.stretched_size)} ({zeros} zero{plural} between units), {padded}"
    )


def python_call(spec: ConvSpec) -> str:
    """The ``ConvSpec(...)`` call that makes ``spec``, defaults left out.

    Examples
    --------
    >>> python_call(ConvSpec((5, 7), (3, 1), padding=((1, 1), (0, 0))))
    'ConvSpec((5, 7), (3, 1), padding=(1, 0))'
    >>> python_call(ConvSpec(4, 1, in_channels=3, out_channels=2))
    'ConvSpec(4, 1, in_channels=3, out_channels=2)'
    """
    square = spec.ndim == 2 and len(set(spec.input_size)) == 1
    args = [str(spec.input_size[0]) if square else _tuple(spec.input_size),
            _python_axes(spec.kernel_size)]
    keywords = []
    if any(s != 1 for s in spec.stride):
        keywords.append(f"stride={_python_axes(spec.stride)}")
    if any(any(pair) for pair in spec.padding):
        keywords.append(f"padding={_python_padding(spec.padding)}")
    if any(d != 1 for d in spec.dilation):
        keywords.append(f"dilation={_python_axes(spec.dilation)}")
    if spec.transposed:
        keywords.append("transposed=True")
    if any(spec.output_padding):
        keywords.append(f"output_padding={_python_axes(spec.output_padding)}")
    for name in ("in_channels", "out_channels", "groups"):
        if getattr(spec, name) != 1:
            keywords.append(f"{name}={getattr(spec, name)}")
    return f"ConvSpec({', '.join(args + keywords)})"


def _tuple(values: Sequence[object]) -> str:
    return f"({values[0]},)" if len(values) == 1 else f"({', '.join(map(str, values))})"


def _python_axes(values: Sequence[int]) -> str:
    return str(values[0]) if len(set(values)) == 1 else _tuple(values)


def _python_padding(pairs: Sequence[tuple[int, int]]) -> str:
    if all(b == a for b, a in pairs):
        return _python_axes([b for b, _ in pairs])
    return _tuple([f"({b}, {a})" for b, a in pairs])


@dataclass(frozen=True)
class Drawing:
    """What a figure drawn from a spec shows besides the spec (for :func:`command`).

    Attributes
    ----------
    op : str or None
        None for the arithmetic figure; ``"conv"``, ``"max"`` or ``"avg"`` for a
        numerical one.
    paper_numbers : bool
        A numerical figure drawn with the paper's numbers (``--numbers``).
    view : str
        ``"direct"`` or ``"scatter"``.
    flip : bool
        A true convolution (the kernel flipped).
    labels : bool
        Whether the grids are labelled (figures drawn from parameters are, by default).
    number_style : {"exact", "paper"}
        How a numerical figure writes its numbers (:attr:`conv_anim.style.Style.number_style`).
    backward : bool
        The backward pass of the spec (``--backward``).
    """

    op: str | None = None
    paper_numbers: bool = True
    view: str = "direct"
    flip: bool = False
    labels: bool = True
    number_style: str = "exact"
    backward: bool = False


def command(spec: ConvSpec, drawing: Drawing | None = None) -> str:
    """The ``conv-anim conv`` command that draws ``spec`` (without ``-o``).

    Examples
    --------
    >>> command(ConvSpec(3, 3, stride=2, padding=1, transposed=True))
    'conv-anim conv -i 3 -k 3 -s 2 -p 1 --transposed'
    >>> command(ConvSpec((5, 7), 3, padding=((0, 1), (0, 1))))
    'conv-anim conv -i 5x7 -k 3 -p 0:1'
    >>> command(ConvSpec(5, 3), Drawing(op="max", labels=False))
    'conv-anim conv -i 5 -k 3 --numbers --op max --no-labels'
    """
    drawing = drawing or Drawing()
    parts = ["conv-anim conv", f"-i {_cli_axes(spec.input_size)}"]
    if len(set(spec.input_size)) == 1 and spec.ndim != 2:
        parts.append(f"--ndim {spec.ndim}")  # one -i value alone means a square 2-D input
    parts.append(f"-k {_cli_axes(spec.kernel_size)}")
    if any(s != 1 for s in spec.stride):
        parts.append(f"-s {_cli_axes(spec.stride)}")
    if any(any(pair) for pair in spec.padding):
        parts.append(f"-p {_cli_padding(spec.padding)}")
    if any(d != 1 for d in spec.dilation):
        parts.append(f"-d {_cli_axes(spec.dilation)}")
    if spec.transposed:
        parts.append("--transposed")
    if any(spec.output_padding):
        parts.append(f"--output-padding {_cli_axes(spec.output_padding)}")
    for name in ("in_channels", "out_channels", "groups"):
        if getattr(spec, name) != 1:
            parts.append(f"--{name.replace('_', '-')} {getattr(spec, name)}")
    if drawing.op is not None:
        parts.append("--numbers" if drawing.paper_numbers else "--values X.npy")
        if drawing.op == "conv" and not drawing.paper_numbers:
            parts.append("--kernel W.npy")
        if drawing.op != "conv":
            parts.append(f"--op {drawing.op}")
    if drawing.op is not None and drawing.number_style != "exact":
        parts.append(f"--number-style {drawing.number_style}")
    if drawing.view != "direct":
        parts.append(f"--view {drawing.view}")
    if drawing.flip:
        parts.append("--flip")
    if drawing.backward:
        parts.append("--backward")
    if not drawing.labels:
        parts.append("--no-labels")
    frames = frame_count(spec, drawing.view)
    if frames > DEFAULT_MAX_FRAMES:  # the command line's frame budget
        parts.append(f"--max-frames {frames}")
    return " ".join(parts)


def _cli_axes(values: Sequence[int]) -> str:
    return str(values[0]) if len(set(values)) == 1 else "x".join(map(str, values))


def _cli_padding(pairs: Sequence[tuple[int, int]]) -> str:
    items = [str(b) if b == a else f"{b}:{a}" for b, a in pairs]
    return items[0] if len(set(items)) == 1 else "x".join(items)


def caption(spec: ConvSpec, op: str = "conv") -> str:
    """A figure's caption: its kind and symbols (:func:`symbols`); for a transposed
    convolution in three lines: its own sizes, the convolution it transposes, and how
    it is drawn.

    Examples
    --------
    >>> print(caption(ConvSpec(5, 3, stride=2, padding=1)))
    convolution: input 5×5 → output 3×3; k = 3, s = 2, p = 1
    >>> print(caption(ConvSpec(2, 3, transposed=True)))
    transposed convolution: input 2×2 → output 4×4
    the transpose of a 4×4 → 2×2 convolution with k = 3, s = 1, p = 0
    drawn as a stride-1 convolution of the input padded by p' = 2, kernel flipped
    """
    if not spec.transposed:
        return f"{kind(spec, op)}: {symbols(spec, op)}"
    direct = f"{size_text(_direct_of(spec))} {ARROW} {size_text(spec.input_size)}"
    return (f"{kind(spec, op)}: {sizes(spec)}\n"
            f"the transpose of a {direct} convolution with {parameters(spec)}\n"
            f"{equivalent(spec)}")


def scatter_caption(spec: ConvSpec) -> str:
    """The scatter view's caption: what the spec is (as :func:`caption`, but for how
    the paper draws it), then what the picture shows.

    Examples
    --------
    >>> print(scatter_caption(ConvSpec(2, 3, transposed=True)).splitlines()[-1])
    scatter-add: input unit j adds x[j] × kernel into the output at j × s − p
    """
    first = "\n".join(caption(spec).splitlines()[:2])
    return (
        f"{first}\nscatter-add: input unit j adds x[j] {TIMES} kernel into the output at "
        f"j {TIMES} s \N{MINUS SIGN} p"
    )


def scatter_legend(spec: ConvSpec) -> str:
    """What the scatter view's small numbers and dashed cells are.

    Examples
    --------
    >>> print(scatter_legend(ConvSpec(3, 3, stride=2, padding=1, transposed=True)))
    small numbers: the products x[j] × w; dashed cells: cut off by the padding
    """
    products = f"small numbers: the products x[j] {TIMES} w"
    if any(any(pair) for pair in spec.padding) or any(spec.output_padding):
        return f"{products}; dashed cells: cut off by the padding"
    return products


def overlap_legend(spec: ConvSpec) -> str:
    """What the overlap view's small numbers and dashed cells are.

    Examples
    --------
    >>> print(overlap_legend(ConvSpec(4, 3, stride=2, padding=1, transposed=True)))
    small numbers: the taps this input unit adds; dashed cells: cut off by the padding
    """
    taps = "small numbers: the taps this input unit adds"
    if any(any(pair) for pair in spec.padding) or any(spec.output_padding):
        return f"{taps}; dashed cells: cut off by the padding"
    return taps


def grid_label(role: str, size: Sequence[int]) -> str:
    """A grid's label: its role and size, ``'input 5×5'``.

    >>> grid_label("output", (3, 3)), grid_label("input", (16,))
    ('output 3×3', 'input 16')
    """
    return f"{role} {size_text(size)}"


def legend(spec: ConvSpec, op: str = "conv", *, uncovered: bool = False) -> str | None:
    """What the dashed cells of a figure of ``spec`` are, or None when there are none.

    A direct convolution's dashed cells are its padding (zeros; for max pooling
    −∞, which never wins); a transposed convolution's, the zeros its equivalent direct
    convolution inserts between the input units and pads around them. With
    ``uncovered`` (the figure marks the cells no step reaches, if there are any),
    :data:`UNCOVERED_NOTE` follows.

    Examples
    --------
    >>> legend(ConvSpec(5, 3, padding=1))
    'dashed cells: zero padding'
    >>> legend(ConvSpec(5, 3, padding=1), "max")
    'dashed cells: padding (−∞, never the maximum)'
    >>> legend(ConvSpec(3, 3, stride=2, padding=1, transposed=True))
    'dashed cells: inserted zeros'
    >>> legend(ConvSpec(5, 3)) is None
    True
    """
    marks = UNCOVERED_NOTE if uncovered and spec.uncovered_positions() else None
    dashed = _dashed(spec, op)
    return "; ".join(part for part in (dashed, marks) if part) or None


def _dashed(spec: ConvSpec, op: str) -> str | None:
    if spec.transposed:
        if any(s > 1 for s in spec.stride):
            return "dashed cells: inserted zeros"
        padded = any(any(pair) for pair in spec.equivalent_direct().padding)
        return "dashed cells: zeros around the input" if padded else None
    if not any(any(pair) for pair in spec.padding):
        return None
    if op == "max":
        return "dashed cells: padding (\N{MINUS SIGN}\N{INFINITY}, never the maximum)"
    return "dashed cells: zero padding"


#: What the marks of ``Style(mark_uncovered=True)`` are.
UNCOVERED_NOTE = "red cells: no step reaches them"


#: What a flipped-kernel (true convolution) figure says about itself, and the names
#: of the kernel as given and flipped, drawn under it.
FLIPPED_NOTE = "true convolution: the kernel is flipped"
KERNEL_NAME = "kernel w"
FLIPPED_NAME = "w flipped, as it slides"
#: What a max-pooling figure that marks its winners says about the marks.
WINNERS_NOTE = "red boxes: the largest value in the window (each one, when tied)"


def layer_text(spec: ConvSpec, op: str = "conv", *, padding: bool = True) -> str:
    """A stack layer in short: its kind and the parameters that are not the defaults
    (the padding left out with ``padding=False``, where the figure draws it).

    Examples
    --------
    >>> layer_text(ConvSpec(6, 2, stride=2), "max")
    'max pooling, k = 2, s = 2'
    >>> layer_text(ConvSpec((16,), 2, dilation=4, padding=((4, 0),)))
    'convolution, k = 2, p = (4, 0), d = 4'
    """
    parts = [KINDS[op], f"k = {axis_text(spec.kernel_size)}"]
    if any(s != 1 for s in spec.stride):
        parts.append(f"s = {axis_text(spec.stride)}")
    if padding and any(any(pair) for pair in spec.padding):
        parts.append(f"p = {padding_text(spec.padding)}")
    if any(d != 1 for d in spec.dilation):
        parts.append(f"d = {axis_text(spec.dilation)}")
    return ", ".join(parts)


def stack_caption(specs: Sequence[ConvSpec], ops: Sequence[str] | None = None) -> str:
    """A stack's caption: each layer's kind and symbols, one line each (``ops``: each
    layer's operation, default convolutions).

    Examples
    --------
    >>> print(stack_caption([ConvSpec(8, 3), ConvSpec(6, 2, stride=2)], ["conv", "max"]))
    layer 1: convolution, input 8×8 → output 6×6; k = 3, s = 1, p = 0
    layer 2: max pooling, input 6×6 → output 3×3; k = 2, s = 2, p = 0
    """
    kinds = ops or ["conv"] * len(specs)
    return "\n".join(
        f"layer {n}: {kind(spec, op)}, {symbols(spec, op)}"
        for n, (spec, op) in enumerate(zip(specs, kinds, strict=True), 1)
    )


def step_unit(spec: ConvSpec, view: str = "direct", *, stack: bool = False) -> str:
    """What one frame of an animation of ``spec`` shows: ``"output cell"``, ``"output
    channel and cell"``, ``"input unit"`` (the scatter view), ``"unit of the last
    layer"`` (a stack).

    >>> step_unit(ConvSpec(3, 3, transposed=True), "scatter")
    'input unit'
    """
    if stack:
        return "unit of the last layer"
    if view == "scatter":
        return "input unit"
    if view in VIEW_FRAMES:
        return VIEW_FRAMES[view]
    return "output channel and cell" if spec.has_channels else "output cell"


def stack_alt(specs: Sequence[ConvSpec], ops: Sequence[str] | None = None) -> str:
    """Alt text of an animated stack of layers.

    >>> stack_alt([ConvSpec(8, 3)])
    'Animated stack of 1 layer: layer 1: convolution, input 8×8 → output 6×6; k = 3, s = 1, p = 0'
    """
    plural = "" if len(specs) == 1 else "s"
    return f"Animated stack of {len(specs)} layer{plural}: {stack_text(specs, ops)}"


def frames_text(count: int, per: str) -> str:
    """``'9 frames, one per output cell'``."""
    return f"{count} frame{'s' if count != 1 else ''}, one per {per}"


def alt_text(spec: ConvSpec, op: str = "conv", *, frames: int | None = None,
             per: str = "output cell") -> str:
    """Alt text of an image of the spec: the kind, sizes and parameters, output size.

    Examples
    --------
    >>> print(alt_text(ConvSpec(5, 3, stride=2, padding=1), frames=9))
    ... # doctest: +NORMALIZE_WHITESPACE
    Animated convolution: input 5×5 → output 3×3; k = 3, s = 2, p = 1
    (9 frames, one per output cell)
    """
    what = "Animated" if frames is not None else "Image of a"
    text = f"{what} {kind(spec, op)}: {symbols(spec, op)}"
    if frames is not None:
        text += f" ({frames_text(frames, per)})"
    return text


def stack_text(specs: Sequence[ConvSpec], ops: Sequence[str] | None = None) -> str:
    """A stack of layers: each layer's kind and symbols, separated by " | ".

    Examples
    --------
    >>> print(stack_text([ConvSpec(8, 3), ConvSpec(6, 2, stride=2)], ["conv", "max"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    layer 1: convolution, input 8×8 → output 6×6; k = 3, s = 1, p = 0 |
    layer 2: max pooling, input 6×6 → output 3×3; k = 2, s = 2, p = 0
    """
    return stack_caption(specs, ops).replace("\n", " | ")


__all__ = [
    "ARROW", "FLIPPED_NAME", "FLIPPED_NOTE", "KERNEL_NAME", "TIMES", "UNCOVERED_NOTE",
    "WINNERS_NOTE", "Drawing", "alt_text", "axis_text", "caption", "command", "equivalent",
    "frames_text", "grid_label", "kind", "layer_text", "legend", "overlap_legend",
    "padding_text", "parameters", "python_call", "scatter_caption", "scatter_legend",
    "size_text", "sizes", "stack_alt", "stack_caption", "stack_text", "step_unit", "symbols",
]


# --------------------------------------------------------------------------------------
# The backward pass, the overlap and the matrix (issue 14)
# --------------------------------------------------------------------------------------

#: The gradients of the backward pass: of the loss with respect to the input and output.
GRAD_INPUT = "\N{PARTIAL DIFFERENTIAL}L/\N{PARTIAL DIFFERENTIAL}x"
GRAD_OUTPUT = "\N{PARTIAL DIFFERENTIAL}L/\N{PARTIAL DIFFERENTIAL}y"
#: The superscript T of a transposed matrix.
TRANSPOSE = "\N{MODIFIER LETTER CAPITAL T}"


def backward_text(spec: ConvSpec) -> str:
    """What the backward pass of ``spec`` is, as a convolution, in one line.

    Examples
    --------
    >>> print(backward_text(ConvSpec(6, 3, stride=2, padding=1)))
    ∂L/∂x = the transposed convolution of ∂L/∂y with the same kernel (output padding a = 1)
    >>> print(backward_text(ConvSpec(3, 3, stride=2, padding=1, transposed=True)))
    ∂L/∂x = the convolution of ∂L/∂y with the same kernel: input 5×5 → output 3×3
    """
    from conv_anim.backward import backward_spec

    back = backward_spec(spec)
    text = f"{GRAD_INPUT} = the {kind(back)} of {GRAD_OUTPUT} with the same kernel"
    if spec.transposed:
        return f"{text}: {sizes(back)}"
    if any(back.output_padding):
        text += f" (output padding a = {axis_text(back.output_padding)})"
    return text


def backward_step_unit(spec: ConvSpec, view: str = "direct") -> str:
    """What one frame of ``spec``'s backward pass shows (drawn as
    :func:`conv_anim.backward.backward_spec`): a cell of ``∂L/∂x`` where the forward
    convolution's figure would show an output cell.

    >>> backward_step_unit(ConvSpec(5, 3))
    'cell of ∂L/∂x'
    """
    from conv_anim.backward import backward_spec

    per = step_unit(backward_spec(spec), view)
    return f"cell of {GRAD_INPUT}" if per == "output cell" else per


def backward_caption(spec: ConvSpec) -> str:
    """The caption of ``spec``'s backward pass: the forward convolution, what its
    gradient is, and (for a transposed gradient) how it is drawn.

    Examples
    --------
    >>> print(backward_caption(ConvSpec(5, 3, stride=2, padding=1)))
    ... # doctest: +ELLIPSIS
    backward pass of a convolution: input 5×5 → output 3×3; k = 3, s = 2, p = 1
    ∂L/∂x = the transposed convolution of ∂L/∂y with the same kernel
    drawn as a stride-1 convolution of the input stretched to 5×5 ..., kernel flipped
    """
    from conv_anim.backward import backward_spec

    first = f"backward pass of a {kind(spec)}: {symbols(spec)}\n{backward_text(spec)}"
    back = backward_spec(spec)
    return f"{first}\n{equivalent(back)}" if back.transposed else first


def backward_alt_text(spec: ConvSpec, *, frames: int | None = None,
                      per: str = "output cell") -> str:
    """Alt text of ``spec``'s backward pass drawn as a convolution.

    Examples
    --------
    >>> print(backward_alt_text(ConvSpec(5, 3, stride=2, padding=1), frames=25,
    ...                         per="cell of ∂L/∂x"))  # doctest: +NORMALIZE_WHITESPACE
    Animated backward pass of a convolution: input 5×5 → output 3×3; k = 3, s = 2, p = 1;
    ∂L/∂x = the transposed convolution of ∂L/∂y with the same kernel
    (25 frames, one per cell of ∂L/∂x)
    """
    what = "Animated" if frames is not None else "Image of the"
    text = f"{what} backward pass of a {kind(spec)}: {symbols(spec)}; {backward_text(spec)}"
    if frames is not None:
        text += f" ({frames_text(frames, per)})"
    return text


def evenness(spec: ConvSpec) -> str:
    """Whether the kernel's taps overlap evenly, in words, with the interior counts
    (:func:`conv_anim.extra_views.interior_counts`).

    Examples
    --------
    >>> evenness(ConvSpec(4, 3, stride=2, transposed=True))
    'uneven: interior units get 1, 2 or 4 taps (a checkerboard)'
    >>> evenness(ConvSpec(4, 4, stride=2, padding=1, transposed=True))
    'even: every interior unit gets 4 taps'
    """
    from conv_anim.extra_views import interior_counts

    counts = interior_counts(spec)
    if len(counts) == 1:
        return f"even: every interior unit gets {counts[0]} tap{'s' if counts[0] != 1 else ''}"
    listed = ", ".join(map(str, counts[:-1])) + f" or {counts[-1]}"
    return f"uneven: interior units get {listed} taps (a checkerboard)"


def overlap_caption(spec: ConvSpec) -> str:
    """The overlap view's caption: the spec, what the picture counts, how evenly.

    Examples
    --------
    >>> print(overlap_caption(ConvSpec(4, 2, stride=2, transposed=True)))
    ... # doctest: +NORMALIZE_WHITESPACE
    transposed convolution: input 4×4 → output 8×8; the transpose of a 8×8 → 4×4
    convolution with k = 2, s = 2, p = 0
    overlap: each input unit adds 1 to every output unit its kernel touches
    even: every interior unit gets 1 tap
    """
    return (
        f"{kind(spec)}: {symbols(spec)}\n"
        f"overlap: each input unit adds 1 to every output unit its kernel touches\n"
        f"{evenness(spec)}"
    )


def matrix_name(spec: ConvSpec) -> str:
    """The matrix a spec multiplies by: ``C``, or ``Cᵀ`` for a transposed convolution.

    Examples
    --------
    >>> matrix_name(ConvSpec(2, 3, transposed=True))
    'Cᵀ'
    """
    return f"C{TRANSPOSE}" if spec.transposed else "C"


def matrix_caption(spec: ConvSpec) -> str:
    """The matrix view's caption: ``y = C x`` and the shape of C, then the spec.

    Examples
    --------
    >>> print(matrix_caption(ConvSpec(4, 3)))  # doctest: +NORMALIZE_WHITESPACE
    convolution: input 4×4 → output 2×2; k = 3, s = 1, p = 0
    as a matrix: y = C x, C is 4×16 (a row per output unit, a column per input unit)
    >>> print(matrix_caption(ConvSpec(2, 3, transposed=True)).splitlines()[1])
    as a matrix: y = Cᵀ x, C is the 4×16 matrix of the convolution it transposes
    """
    return f"{kind(spec)}: {symbols(spec)}\nas a matrix: {_product(spec)}"


def _product(spec: ConvSpec) -> str:
    """``y = C x`` and the shape of C."""
    inputs, outputs = prod(spec.input_size), prod(spec.output_size)
    if spec.transposed:
        return (f"y = {matrix_name(spec)} x, C is the {inputs}{TIMES}{outputs} matrix of the "
                f"convolution it transposes")
    return (f"y = C x, C is {outputs}{TIMES}{inputs} (a row per output unit, a column per "
            f"input unit)")


#: What one frame of each view shows, in words.
VIEW_FRAMES = {"overlap": "input unit", "matrix": "output unit (a row of the matrix)"}


def view_alt_text(spec: ConvSpec, view: str, *, frames: int | None = None) -> str:
    """Alt text of the overlap or matrix view of ``spec``.

    Examples
    --------
    >>> print(view_alt_text(ConvSpec(4, 3, stride=2, transposed=True), "overlap", frames=16))
    ... # doctest: +NORMALIZE_WHITESPACE
    Animated transposed convolution: input 4×4 → output 9×9; the transpose of a 9×9 → 4×4
    convolution with k = 3, s = 2, p = 0; its overlap, uneven: interior units get 1, 2 or
    4 taps (a checkerboard) (16 frames, one per input unit)
    """
    what = "Animated" if frames is not None else "Image of a"
    seen = (f"its overlap, {evenness(spec)}" if view == "overlap"
            else f"as a matrix: {_product(spec)}")
    text = f"{what} {kind(spec)}: {symbols(spec)}; {seen}"
    if frames is not None:
        text += f" ({frames_text(frames, VIEW_FRAMES[view])})"
    return text


__all__ += [
    "GRAD_INPUT", "GRAD_OUTPUT", "TRANSPOSE", "VIEW_FRAMES", "backward_alt_text",
    "backward_caption", "backward_step_unit", "backward_text", "evenness", "matrix_caption",
    "matrix_name", "overlap_caption", "view_alt_text",
]
