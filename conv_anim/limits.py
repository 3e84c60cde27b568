"""Every resource limit of conv_anim, and the costs of a spec estimated in O(1).

Pure (no numpy, no matplotlib). Every entry point that loops over cells, steps or
matrix entries, or allocates an array whose size the spec decides, estimates the cost
from the spec alone (a few products over at most three axes) and refuses above the
limit set here, in microseconds and before anything is allocated, with a
:class:`~conv_anim.errors.ParameterError` naming the quantity, the count and the limit.

Limits (module constants; change them here and only here):

* :data:`MAX_LISTED_CELLS`: per-cell listings (tuples of grid positions or indices:
  :meth:`InputGrid.unit_positions`, :meth:`ConvSpec.uncovered_positions`,
  :meth:`ConvSpec.uncovered_inputs`).
* :data:`MAX_MATRIX_ENTRIES`: the dense matrix of :meth:`ConvSpec.matrix`.
* :data:`MAX_WORK`: multiply-adds (or comparisons) of :meth:`ConvSpec.apply`,
  :meth:`ConvSpec.grad_input` and :meth:`ConvSpec.grad_kernel`.
* :data:`MAX_ARRAY_ELEMENTS`: any array these compute (an output, a gradient, the
  overlap counts).
* :data:`GATHER_CHUNK_ELEMENTS`: working memory of the numerics, which gather the
  taps of a block of output cells at a time.
* :data:`MAX_DRAWN_CELLS`: the cells one figure draws (:func:`drawn_cells`), checked
  by :func:`check_drawn_cells` before a scene is built.
* :data:`MAX_SEARCH`: the paddings :func:`conv_anim.solve.solve` tries when it
  searches them (a large kernel or dilation given).
* :data:`DEFAULT_MAX_FRAMES`: the default frame budget of an animation (the command
  line's ``--max-frames`` and ``animate``), checked by :func:`check_frames`.

Steps are never listed all at once: :meth:`ConvSpec.steps` is a lazy sequence.

Examples
--------
>>> from conv_anim.geometry import ConvSpec
>>> spec = ConvSpec(300, 3)
>>> step_count(spec), estimate_frames(spec), f"{matrix_entries(spec):,}"
(88804, 88804, '7,992,360,000')
>>> try:
...     spec.matrix([[1, 2, 3]] * 3)
... except ValueError as error:
...     print(error.parameter, "|", error.allowed)
spec | at most 20,000,000 matrix entries
"""

from __future__ import annotations

import sys
from math import prod
from typing import TYPE_CHECKING

from conv_anim.errors import ParameterError

if TYPE_CHECKING:
    from conv_anim.geometry import ConvSpec

#: Most cells, units or positions listed one by one in a tuple (about 0.5 s, 100 MB).
MAX_LISTED_CELLS = 1_000_000
#: Most entries of a dense convolution matrix (160 MB of float64).
MAX_MATRIX_ENTRIES = 20_000_000
#: Most multiply-adds of one apply() or gradient (a few seconds).
MAX_WORK = 1_000_000_000
#: Most elements of one computed array (400 MB of float64).
MAX_ARRAY_ELEMENTS = 50_000_000
#: Elements of taps gathered at a time by the numerics (32 MB of float64).
GATHER_CHUNK_ELEMENTS = 1 << 22
#: Most cells one figure draws, grids and channels included (a polygon, an edge and a
#: hotspot each: about 3 s and 500 MB for a 2-D figure, more for a long 1-D row).
MAX_DRAWN_CELLS = 1_000_000
#: Most paddings one solve() tries (a few seconds).
MAX_SEARCH = 20_000_000
#: The default frame budget of an animation.
DEFAULT_MAX_FRAMES = 1_000

#: The views an animation can take, and whose frames :func:`estimate_frames` counts: a
#: convolution (one frame per output cell) or a transposed one as scatter-add (one
#: frame per input unit); the overlap of a transposed convolution accumulating (per
#: input unit), the grid figure beside the matrix C (per output cell).
VIEWS = ("direct", "scatter", "overlap", "matrix")


def step_count(spec: ConvSpec) -> int:
    """Steps of ``spec``: one per output cell (channels excluded).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> step_count(ConvSpec(3000, 3))
    8988004
    """
    return prod(spec.output_size)


def check_step_count(spec: ConvSpec) -> int:
    """:func:`step_count`, refused above ``sys.maxsize``, the longest Python sequence.

    Raises
    ------
    ParameterError
        Naming the spec and the count (parameter ``"spec"``).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> check_step_count(ConvSpec(5, 3))
    9
    >>> try:
    ...     ConvSpec((10**9,) * 3, 1).steps()
    ... except ValueError as error:
    ...     print(error.allowed)
    at most sys.maxsize = 9,223,372,036,854,775,807 (the longest Python sequence)
    """
    count = step_count(spec)
    if count > sys.maxsize:
        raise _refuse(f"{spec} would have {count:,} steps",
                      f"at most sys.maxsize = {sys.maxsize:,} (the longest Python sequence)",
                      spec)
    return count


def grid_cells(spec: ConvSpec) -> int:
    """Cells of the drawn input grid of one channel (padding and inserted zeros included).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> grid_cells(ConvSpec(5, 3, padding=1)), grid_cells(ConvSpec(3, 3, stride=2, transposed=True))
    (49, 81)
    """
    return prod(spec.grid.size)


def drawn_cells(spec: ConvSpec) -> int:
    """Cells a figure of ``spec`` draws: every input channel's grid and every output channel.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> drawn_cells(ConvSpec(5, 3, padding=1, in_channels=2, out_channels=3))
    173
    """
    return spec.in_channels * grid_cells(spec) + spec.out_channels * prod(spec.output_size)


def estimate_frames(spec: ConvSpec, view: str = "direct") -> int:
    """Frames of an animation of ``spec``.

    ``view="direct"`` and ``"matrix"`` (a row of C per frame): one per output cell
    and output channel; ``view="scatter"`` and ``"overlap"`` (a transposed convolution
    seen as scatter-add, or the count of taps it adds): one per input cell.

    Raises
    ------
    ParameterError
        For a view other than these.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> spec = ConvSpec(3, 3, stride=2, transposed=True, in_channels=1, out_channels=2)
    >>> estimate_frames(spec), estimate_frames(spec, "scatter")
    (98, 9)
    """
    if view in ("direct", "matrix"):
        return spec.out_channels * prod(spec.output_size)
    if view in ("scatter", "overlap"):
        return prod(spec.input_size)
    raise ParameterError.invalid("view", view, f"one of {', '.join(map(repr, VIEWS))}")


def matrix_entries(spec: ConvSpec) -> int:
    """Entries of the dense matrix C: output units times input units, channels included.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> matrix_entries(ConvSpec(4, 3))
    64
    """
    return spec.out_channels * prod(spec.output_size) * spec.in_channels * prod(spec.input_size)


def apply_work(spec: ConvSpec, op: str = "conv") -> int:
    """Multiply-adds (or comparisons) of ``spec.apply`` with ``op``, and of its gradients.

    A convolution: output units times the taps of one filter (its group's input
    channels times the kernel's elements); pooling: output units times the kernel's
    elements.

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> apply_work(ConvSpec(1000, 3))
    8964036
    >>> apply_work(ConvSpec(5, 3, in_channels=4, out_channels=4, groups=2))
    648
    """
    per_output = prod(spec.kernel_size)
    if op == "conv":
        per_output *= spec.in_channels // spec.groups
    return spec.out_channels * prod(spec.output_size) * per_output


def _refuse(message: str, allowed: str, value: object) -> ParameterError:
    return ParameterError(f"{message}: {allowed}", parameter="spec", value=value, allowed=allowed)


def check_listing(count: int, what: str, units: str) -> None:
    """Refuse to list more than :data:`MAX_LISTED_CELLS` items one by one.

    Raises
    ------
    ParameterError
        Naming ``what`` (e.g. ``"uncovered_positions()"``), the count and the limit.
    """
    if count > MAX_LISTED_CELLS:
        raise _refuse(
            f"{what} would list {count:,} {units}",
            f"at most {MAX_LISTED_CELLS:,} (conv_anim.limits.MAX_LISTED_CELLS)",
            count,
        )


def check_elements(spec: ConvSpec, count: int, what: str) -> None:
    """Refuse to compute an array of more than :data:`MAX_ARRAY_ELEMENTS` elements.

    Raises
    ------
    ParameterError
        Naming the spec, ``what`` and the count.
    """
    if count > MAX_ARRAY_ELEMENTS:
        raise _refuse(
            f"{spec}: {what} would have {count:,} elements ({_gib(count)} of float64)",
            f"at most {MAX_ARRAY_ELEMENTS:,} elements (conv_anim.limits.MAX_ARRAY_ELEMENTS)",
            spec,
        )


def check_matrix(spec: ConvSpec) -> None:
    """Refuse a dense matrix above :data:`MAX_MATRIX_ENTRIES` entries.

    Raises
    ------
    ParameterError
        Naming the spec, the matrix's shape and size, and the limit.
    """
    entries = matrix_entries(spec)
    if entries > MAX_MATRIX_ENTRIES:
        rows = spec.out_channels * prod(spec.output_size)
        raise _refuse(
            f"{spec}.matrix() would have {rows:,} x {entries // rows:,} = {entries:,} entries "
            f"({_gib(entries)} of float64); use apply() for values",
            f"at most {MAX_MATRIX_ENTRIES:,} matrix entries",
            spec,
        )


def check_work(spec: ConvSpec, op: str, what: str) -> None:
    """Refuse a computation above :data:`MAX_WORK` multiply-adds, or whose arrays are too big.

    Raises
    ------
    ParameterError
        Naming the spec, ``what`` (``"apply()"``, ``"grad_input()"``...), the work
        and the limit; or as :func:`check_elements` for the input or the output.
    """
    work = apply_work(spec, op)
    if work > MAX_WORK:
        raise _refuse(
            f"{spec}: {what} needs {work:,} multiply-adds",
            f"at most {MAX_WORK:,} (conv_anim.limits.MAX_WORK)",
            spec,
        )
    for name, shape in (("the input", spec.input_shape), ("the output", spec.output_shape)):
        check_elements(spec, prod(shape), f"{what}: {name}")


def check_drawn_cells(spec: ConvSpec) -> int:
    """The cells a figure of ``spec`` draws (:func:`drawn_cells`), refused above
    :data:`MAX_DRAWN_CELLS`: before a scene allocates anything per cell.

    Raises
    ------
    ParameterError
        Naming the spec, the cells and the limit (parameter ``"input_size"``, what a
        figure's size mostly comes from).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> check_drawn_cells(ConvSpec(5, 3))
    34
    >>> try:
    ...     check_drawn_cells(ConvSpec(3, 2, stride=10**6, transposed=True))
    ... except ValueError as error:
    ...     print(error.parameter, "|", error.allowed)
    input_size | at most 1,000,000 drawn cells (conv_anim.limits.MAX_DRAWN_CELLS)
    """
    cells = drawn_cells(spec)
    if cells > MAX_DRAWN_CELLS:
        allowed = f"at most {MAX_DRAWN_CELLS:,} drawn cells (conv_anim.limits.MAX_DRAWN_CELLS)"
        raise ParameterError(
            f"input_size={spec.input_size}: a figure of {spec} draws {cells:,} cells (its "
            f"input grid with padding and inserted zeros, and its output, every channel): "
            f"expected {allowed}; use a smaller input_size",
            parameter="input_size", value=spec.input_size, allowed=allowed,
        )
    return cells


def check_frames(spec: ConvSpec, view: str = "direct", max_frames: int = DEFAULT_MAX_FRAMES) -> int:
    """The frames of an animation of ``spec``, refused above ``max_frames``.

    Returns
    -------
    int
        :func:`estimate_frames`.

    Raises
    ------
    ParameterError
        Naming the spec, the frames and the budget (parameter ``"max_frames"``).

    Examples
    --------
    >>> from conv_anim.geometry import ConvSpec
    >>> check_frames(ConvSpec(5, 3))
    9
    >>> try:
    ...     check_frames(ConvSpec(500, 3))
    ... except ValueError as error:
    ...     print(error)
    ConvSpec(500, 3) has 248,004 frames (one per output cell and output channel): expected at most max_frames=1,000 frames
    """  # noqa: E501 - the message is one line
    frames = estimate_frames(spec, view)
    if frames > max_frames:
        per = "input cell" if view == "scatter" else "output cell and output channel"
        allowed = f"at most max_frames={max_frames:,} frames"
        raise ParameterError(
            f"{spec} has {frames:,} frames (one per {per}): expected {allowed}",
            parameter="max_frames", value=frames, allowed=allowed,
        )
    return frames


def _gib(entries: int) -> str:
    """Bytes of ``entries`` float64 values, in GiB or MiB."""
    size = 8 * entries
    return f"{size / 2**30:,.1f} GiB" if size >= 2**30 else f"{size / 2**20:,.1f} MiB"


__all__ = [
    "DEFAULT_MAX_FRAMES",
    "GATHER_CHUNK_ELEMENTS",
    "MAX_ARRAY_ELEMENTS",
    "MAX_DRAWN_CELLS",
    "MAX_LISTED_CELLS",
    "MAX_MATRIX_ENTRIES",
    "MAX_SEARCH",
    "MAX_WORK",
    "VIEWS",
    "apply_work",
    "check_drawn_cells",
    "check_elements",
    "check_frames",
    "check_listing",
    "check_matrix",
    "check_step_count",
    "check_work",
    "drawn_cells",
    "estimate_frames",
    "grid_cells",
    "matrix_entries",
    "step_count",
]
