"""A convolution in symbols, as a ``ConvSpec(...)`` call and as a ``conv-anim`` command.

Pure: imports neither numpy nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    return str(spec)  # ConvSpec.__str__ writes the shortest call


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


__all__ = [
    "ARROW", "KINDS", "TIMES", "Drawing", "axis_text", "command", "equivalent", "kind",
    "padding_text", "parameters", "python_call", "size_text", "sizes", "symbols",
]
