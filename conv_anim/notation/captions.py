"""A figure in words: captions, grid labels, legends, alt text, stacks of layers.

Pure: imports neither numpy nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence

from conv_anim.geometry import ConvSpec
from conv_anim.notation.symbols import (
    ARROW,
    KINDS,
    TIMES,
    _direct_of,
    axis_text,
    equivalent,
    kind,
    padding_text,
    parameters,
    size_text,
    sizes,
    symbols,
)

#: What one frame of each view shows, in words.
VIEW_FRAMES = {"overlap": "input unit", "matrix": "output unit (a row of the matrix)"}


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
    "FLIPPED_NAME", "FLIPPED_NOTE", "KERNEL_NAME", "UNCOVERED_NOTE", "VIEW_FRAMES",
    "WINNERS_NOTE", "alt_text", "caption", "frames_text", "grid_label", "layer_text",
    "legend", "overlap_legend", "scatter_caption", "scatter_legend", "stack_alt",
    "stack_caption", "stack_text", "step_unit",
]
