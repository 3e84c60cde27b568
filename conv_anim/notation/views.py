"""The backward pass, the overlap and the matrix views in words.

Pure: imports neither numpy nor matplotlib.
"""

from __future__ import annotations

from math import prod

from conv_anim.geometry import ConvSpec
from conv_anim.notation.captions import VIEW_FRAMES, alt_text, frames_text, step_unit
from conv_anim.notation.symbols import TIMES, axis_text, equivalent, kind, sizes, symbols

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



def figure_alt(spec: ConvSpec, op: str = "conv", *, view: str = "direct",
               frames: int | None = None, backward: bool = False) -> str:
    """Alt text of a figure of ``spec``, whichever it is: its backward pass
    (:func:`backward_alt_text`), its overlap or matrix view (:func:`view_alt_text`),
    or the figure itself (:func:`~conv_anim.notation.alt_text`).

    >>> print(figure_alt(ConvSpec(5, 3), frames=9))  # doctest: +NORMALIZE_WHITESPACE
    Animated convolution: input 5×5 → output 3×3; k = 3, s = 1, p = 0
    (9 frames, one per output cell)
    """
    if backward:
        return backward_alt_text(spec, frames=frames, per=backward_step_unit(spec, view))
    if view in VIEW_FRAMES:
        return view_alt_text(spec, view, frames=frames)
    return alt_text(spec, op, frames=frames, per=step_unit(spec, view))

__all__ = [
    "GRAD_INPUT", "GRAD_OUTPUT", "TRANSPOSE", "backward_alt_text", "backward_caption",
    "backward_step_unit", "backward_text", "evenness", "figure_alt", "matrix_caption",
    "matrix_name", "overlap_caption", "view_alt_text",
]
