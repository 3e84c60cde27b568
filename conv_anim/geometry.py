"""The geometry of a convolution: sizes, padding, steps (numpy-free, matplotlib-free).

A :class:`ConvSpec` describes one convolution over 1, 2 or 3 spatial axes with
PyTorch's semantics. Its :meth:`ConvSpec.steps` are the frames of an animation: one
per output cell, in row-major order, each listing the kernel's taps on the drawn
input grid. For a transposed convolution the drawn grid is the paper's equivalent
direct convolution: the input stretched by inserting ``stride - 1`` zeros between
units, padded by ``dilation * (kernel_size - 1) - padding`` on each side plus the
output padding after, and swept with stride 1.

Channels and groups (``in_channels``, ``out_channels``, ``groups``) do not change the
steps, which are spatial; they fix the shapes of the arrays that
:meth:`ConvSpec.apply` and :meth:`ConvSpec.matrix` take and return.
"""

from __future__ import annotations

import itertools
from dataclasses import KW_ONLY, dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from conv_anim._params import padding_pairs, per_axis, positive_int, spatial_size

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

Index = tuple[int, ...]
Pairs = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class InputGrid:
    """The input as drawn: real units placed on a grid of padding and inserted zeros.

    Attributes
    ----------
    size : tuple of int
        Cells per axis, padding (and, for a transposed convolution, inserted zeros
        and the output padding) included.
    input_size : tuple of int
        Real input units per axis.
    offset : tuple of int
        Grid position of the first real unit on each axis (the padding before it).
    spacing : tuple of int
        Distance between consecutive real units: 1 for a direct convolution, the
        stride for a transposed one (``stride - 1`` inserted zeros in between).
    """

    size: Index
    input_size: Index
    offset: Index
    spacing: Index

    def unit_index(self, position: Index) -> Index | None:
        """Return the input index at a grid position, or None for padding or a zero."""
        index = []
        for pos, off, gap, n in zip(position, self.offset, self.spacing, self.input_size, strict=True):
            q, r = divmod(pos - off, gap)
            if r or not 0 <= q < n:
                return None
            index.append(q)
        return tuple(index)

    def unit_position(self, index: Index) -> Index:
        """Return the grid position of the real input unit at ``index``."""
        return tuple(off + gap * i for i, off, gap in zip(index, self.offset, self.spacing, strict=True))

    def unit_positions(self) -> tuple[Index, ...]:
        """Grid positions of every real input unit, in row-major order."""
        return tuple(
            self.unit_position(index)
            for index in itertools.product(*(range(n) for n in self.input_size))
        )


@dataclass(frozen=True)
class Tap:
    """One element of the kernel at one step.

    Attributes
    ----------
    offset : tuple of int
        The tap's place in the kernel's footprint, as drawn (0 .. kernel_size - 1).
    kernel_index : tuple of int
        The weight this tap multiplies, an index into a PyTorch-layout kernel. It
        equals ``offset`` for a direct convolution; for a transposed one the
        equivalent direct convolution uses the spatially flipped kernel, so it is
        ``kernel_size - 1 - offset``.
    position : tuple of int
        The tap's cell on the drawn :class:`InputGrid` (padding included).
    input_index : tuple of int or None
        The real input unit under the tap, or None over padding or an inserted zero.
    """

    offset: Index
    kernel_index: Index
    position: Index
    input_index: Index | None


@dataclass(frozen=True)
class Step:
    """One frame of an animation: one output cell and the taps that compute it.

    Attributes
    ----------
    index : int
        The frame number (row-major position of ``output_index``).
    output_index : tuple of int
        The output cell computed at this step.
    window_start : tuple of int
        Grid position of the footprint's first corner (its top-left in 2-D).
    taps : tuple of Tap
        Every kernel element, in row-major kernel order.
    """

    index: int
    output_index: Index
    window_start: Index
    taps: tuple[Tap, ...]

    @property
    def input_indices(self) -> tuple[Index, ...]:
        """The real input units covered by the taps (padding, zeros and gaps excluded)."""
        return tuple(t.input_index for t in self.taps if t.input_index is not None)

    @property
    def positions(self) -> tuple[Index, ...]:
        """Grid positions of every tap, padding and inserted zeros included."""
        return tuple(t.position for t in self.taps)


@dataclass(frozen=True)
class ConvSpec:
    """An immutable description of one convolution, with PyTorch's semantics.

    Parameters
    ----------
    input_size : int or tuple of int
        The input's spatial size. A tuple of 1, 2 or 3 ints fixes the number of axes
        N; an int means a square 2-D input. For a transposed convolution, this is the
        transposed convolution's own input.
    kernel_size, stride, dilation : int or tuple of int
        An int applies to every axis, a tuple gives one value per axis. Default
        stride and dilation 1.
    padding : int, tuple or str
        Zero padding of the direct convolution: an int (every side), one int per
        axis, one ``(before, after)`` pair per axis, or ``"valid"`` (none),
        ``"same"`` (output size equals input size; stride 1 only; an odd total puts
        the extra unit after, as PyTorch does) or ``"full"`` (effective kernel size
        minus one on both sides). Stored as ``(before, after)`` pairs.
    transposed : bool
        If True, the transpose of the direct convolution described by ``stride``,
        ``padding`` and ``dilation``, as ``torch.nn.functional.conv_transpose*d``.
        Its padding is at most ``dilation * (kernel_size - 1)`` on each side, so
        that the paper's equivalent direct convolution exists (PyTorch also allows
        more, cropping the output; that is refused here with a clear error).
    output_padding : int or tuple of int
        Transposed only: extra units added after the output (the paper's ``a``);
        smaller than ``max(stride, dilation)`` on each axis.
    in_channels, out_channels, groups : int
        Channels of the input and the output, and PyTorch's ``groups``: the
        input channels are split into ``groups`` equal parts, each convolved with its
        own ``out_channels // groups`` filters (``groups == in_channels`` is a
        depthwise convolution). Ints >= 1; ``in_channels`` and ``out_channels`` must
        be multiples of ``groups``. Default 1: with one input and one output channel
        the arrays carry no channel axis (see :attr:`input_shape`). Pooling works on
        each channel separately: it needs ``in_channels == out_channels`` and
        ignores ``groups``.

    Raises
    ------
    ValueError
        For any invalid value; the message names the parameter, the value and what
        is allowed.

    Examples
    --------
    >>> ConvSpec(5, 3, stride=2, padding=1).output_size
    (3, 3)
    >>> ConvSpec((7,), 3, dilation=2).output_size
    (3,)
    >>> ConvSpec(3, 3, stride=2, padding=1, transposed=True).output_size
    (5, 5)
    >>> ConvSpec(5, 4, padding="same").padding
    ((1, 2), (1, 2))
    >>> ConvSpec(5, 3, in_channels=4, out_channels=8, groups=2).kernel_shape
    (8, 2, 3, 3)
    """

    input_size: Index
    kernel_size: Index | int
    stride: Index | int = 1
    padding: Pairs | Index | int | str = 0
    dilation: Index | int = 1
    _: KW_ONLY
    transposed: bool = False
    output_padding: Index | int = 0
    in_channels: int = 1
    out_channels: int = 1
    groups: int = 1

    def __post_init__(self) -> None:
        ndim = len(spatial_size(self.input_size))
        values = {
            "input_size": spatial_size(self.input_size),
            "kernel_size": per_axis("kernel_size", self.kernel_size, ndim, minimum=1),
            "stride": per_axis("stride", self.stride, ndim, minimum=1),
            "dilation": per_axis("dilation", self.dilation, ndim, minimum=1),
            "output_padding": per_axis("output_padding", self.output_padding, ndim, minimum=0),
            **{
                name: positive_int(name, getattr(self, name))
                for name in ("in_channels", "out_channels", "groups")
            },
        }
        if not isinstance(self.transposed, bool):
            raise ValueError(f"transposed={self.transposed!r} is not valid: expected True or False")
        for name, value in values.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "padding", self._resolve_padding())
        self._check_groups()
        if self.transposed:
            self._check_transposed()
        else:
            self._check_direct()

    def _resolve_padding(self) -> Pairs:
        parsed = padding_pairs(self.padding, self.ndim)
        if not isinstance(parsed, str):
            return parsed
        spans = [e - 1 for e in self.effective_kernel_size]
        if parsed == "valid":
            return tuple((0, 0) for _ in spans)
        if parsed == "full":
            return tuple((span, span) for span in spans)
        if any(s != 1 for s in self.stride):
            raise ValueError(
                f"padding='same' needs stride 1 on every axis, got stride={self.stride}: "
                f"use an explicit padding with strides"
            )
        return tuple((span // 2, span - span // 2) for span in spans)

    def _check_groups(self) -> None:
        for name in ("in_channels", "out_channels"):
            value = getattr(self, name)
            if value % self.groups:
                raise ValueError(
                    f"{name}={value} is not divisible by groups={self.groups}: expected "
                    f"in_channels and out_channels to be multiples of groups"
                )

    def _axis(self, axis: int) -> str:
        return f" on axis {axis}" if self.ndim > 1 else ""

    def _check_direct(self) -> None:
        if any(self.output_padding):
            raise ValueError(
                f"output_padding={self.output_padding} is only allowed with transposed=True: "
                f"expected 0 for a direct convolution"
            )
        for axis in range(self.ndim):
            k, d, i = self.kernel_size[axis], self.dilation[axis], self.input_size[axis]
            before, after = self.padding[axis]
            span, padded = self.effective_kernel_size[axis], i + before + after
            if span > padded:
                raise ValueError(
                    f"kernel_size {k} dilated by {d} spans {span} but input_size {i} "
                    f"padded by {before + after} is only {padded}{self._axis(axis)}: "
                    f"the kernel must fit in the padded input"
                )

    def _check_transposed(self) -> None:
        for axis in range(self.ndim):
            a, s, d = self.output_padding[axis], self.stride[axis], self.dilation[axis]
            if a >= max(s, d):
                raise ValueError(
                    f"output_padding={a} must be smaller than stride {s} or dilation {d}"
                    f"{self._axis(axis)}: expected 0 <= output_padding < {max(s, d)}"
                )
            span = self.effective_kernel_size[axis] - 1
            for side, p in zip(("before", "after"), self.padding[axis], strict=True):
                if p > span:
                    raise ValueError(
                        f"padding {p} ({side}) exceeds dilation * (kernel_size - 1) = {span}"
                        f"{self._axis(axis)}: a transposed convolution's equivalent direct "
                        f"convolution would need negative padding; expected padding <= {span}"
                    )
        if min(self.output_size) < 1:
            raise ValueError(
                f"a transposed convolution of input_size {self.input_size} with "
                f"kernel_size {self.kernel_size}, stride {self.stride}, padding "
                f"{self.padding} and dilation {self.dilation} would have an empty output "
                f"{self.output_size}: reduce the padding"
            )

    @property
    def ndim(self) -> int:
        """Number of spatial axes (1, 2 or 3)."""
        return len(self.input_size)

    @property
    def has_channels(self) -> bool:
        """True unless ``in_channels == out_channels == 1``: arrays carry a channel axis."""
        return self.in_channels != 1 or self.out_channels != 1

    @property
    def input_shape(self) -> Index:
        """The shape of :meth:`apply`'s ``x``: ``(in_channels, *input_size)``.

        Without channels (:attr:`has_channels` False) it is ``input_size``, no
        channel axis.
        """
        return self._with_channels(self.in_channels, self.input_size)

    @property
    def output_shape(self) -> Index:
        """The shape of :meth:`apply`'s result: ``(out_channels, *output_size)``.

        Without channels it is ``output_size``, no channel axis.
        """
        return self._with_channels(self.out_channels, self.output_size)

    @property
    def kernel_shape(self) -> Index:
        """The shape of :meth:`apply`'s ``kernel``, in PyTorch's weight layout.

        ``(out_channels, in_channels // groups, *kernel_size)``, or for a transposed
        convolution ``(in_channels, out_channels // groups, *kernel_size)``; without
        channels it is ``kernel_size``.

        Examples
        --------
        >>> ConvSpec(5, 3, transposed=True, in_channels=4, out_channels=6, groups=2).kernel_shape
        (4, 3, 3, 3)
        """
        if not self.has_channels:
            return self.kernel_size
        rows, columns = self.out_channels, self.in_channels
        if self.transposed:
            rows, columns = columns, rows
        return (rows, columns // self.groups, *self.kernel_size)

    def _with_channels(self, channels: int, size: Index) -> Index:
        return (channels, *size) if self.has_channels else size

    @property
    def effective_kernel_size(self) -> Index:
        """The kernel's span with dilation: ``dilation * (kernel_size - 1) + 1``."""
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel_size, self.dilation, strict=True))

    @cached_property
    def output_size(self) -> Index:
        """The output's spatial size, as PyTorch computes it."""
        if self.transposed:
            return tuple(
                (i - 1) * s - before - after + e + a
                for i, s, (before, after), e, a in zip(
                    self.input_size, self.stride, self.padding,
                    self.effective_kernel_size, self.output_padding, strict=True,
                )
            )
        return tuple(
            (i + before + after - e) // s + 1
            for i, s, (before, after), e in zip(
                self.input_size, self.stride, self.padding, self.effective_kernel_size, strict=True
            )
        )

    @cached_property
    def grid(self) -> InputGrid:
        """The input as drawn: padded, or for a transposed convolution stretched and padded."""
        if self.transposed:
            return self.equivalent_direct().grid
        return InputGrid(
            size=tuple(i + b + a for i, (b, a) in zip(self.input_size, self.padding, strict=True)),
            input_size=self.input_size,
            offset=tuple(b for b, _ in self.padding),
            spacing=(1,) * self.ndim,
        )

    @property
    def grid_stride(self) -> Index:
        """How far the footprint moves on the drawn grid per output cell (1 if transposed)."""
        return (1,) * self.ndim if self.transposed else self.stride

    def equivalent_direct(self) -> EquivalentConvolution:
        """The paper's direct convolution equivalent to this transposed convolution.

        Raises
        ------
        ValueError
            If this convolution is not transposed.

        Examples
        --------
        >>> eq = ConvSpec(3, 3, stride=2, padding=1, transposed=True).equivalent_direct()
        >>> eq.stretched_size, eq.padding, eq.direct.output_size
        ((5, 5), ((1, 1), (1, 1)), (5, 5))
        """
        if not self.transposed:
            raise ValueError(
                "equivalent_direct() needs transposed=True: a direct convolution is its own "
                "equivalent"
            )
        stretched = tuple((i - 1) * s + 1 for i, s in zip(self.input_size, self.stride, strict=True))
        padding = tuple(
            (e - 1 - before, e - 1 - after + a)
            for e, (before, after), a in zip(
                self.effective_kernel_size, self.padding, self.output_padding, strict=True
            )
        )
        direct = ConvSpec(
            stretched, self.kernel_size, stride=1, padding=padding, dilation=self.dilation,
            in_channels=self.in_channels, out_channels=self.out_channels, groups=self.groups,
        )
        return EquivalentConvolution(direct=direct, input_size=self.input_size, spacing=self.stride)

    def steps(self) -> tuple[Step, ...]:
        """The animation's steps: one per output cell, row-major (first axis slowest).

        Examples
        --------
        >>> step = ConvSpec(4, 3).steps()[1]
        >>> step.output_index, step.window_start, step.input_indices[:3]
        ((0, 1), (0, 1), ((0, 1), (0, 2), (0, 3)))
        """
        return _steps(self)

    def apply(
        self, x: object, kernel: object = None, op: str = "conv", *, flip: bool = False
    ) -> np.ndarray:
        """Compute the convolution (or ``op="max"``/``"avg"`` pooling) of ``x``.

        Delegates to :func:`conv_anim.numerics.apply`, which computes from these
        steps and documents the parameters; ``flip=True`` flips the kernel on every
        spatial axis (a true convolution rather than PyTorch's cross-correlation).

        Examples
        --------
        >>> ConvSpec((3,), 2).apply([1, 2, 3], [1, 2])
        array([5., 8.])
        >>> ConvSpec((3,), 2).apply([1, 2, 3], [1, 2], flip=True)
        array([4., 7.])
        """
        from conv_anim.numerics import apply

        return apply(self, x, kernel, op, flip=flip)

    def matrix(self, kernel: object, *, flip: bool = False) -> np.ndarray:
        """The convolution as a dense matrix C (the paper's chapter 4).

        Delegates to :func:`conv_anim.numerics.matrix`.

        Examples
        --------
        >>> ConvSpec((3,), 2).matrix([1, 2])
        array([[1., 2., 0.],
               [0., 1., 2.]])
        """
        from conv_anim.numerics import matrix

        return matrix(self, kernel, flip=flip)

    @classmethod
    def from_layer(
        cls, layer: object, input_size: int | Sequence[int], *, in_channels: int | None = None
    ) -> ConvSpec:
        """The spec of a PyTorch or Keras layer applied to an input of ``input_size``.

        Delegates to :func:`conv_anim.layers.spec_from_layer`, which documents the
        supported layers; :func:`conv_anim.layers.layer_op` gives the ``op`` to pass
        to :meth:`apply` (``"conv"``, ``"max"`` or ``"avg"``). Neither framework is
        imported.

        Examples
        --------
        >>> class Conv2d:  # a stand-in with torch.nn.Conv2d's name and attributes
        ...     __module__ = "torch.nn.modules.conv"
        ...     kernel_size, stride, padding, dilation = (3, 3), (2, 2), (1, 1), (1, 1)
        ...     in_channels, out_channels, groups, padding_mode = 3, 8, 1, "zeros"
        >>> spec = ConvSpec.from_layer(Conv2d(), (32, 32))
        >>> spec.output_shape
        (8, 16, 16)
        """
        from conv_anim.layers import spec_from_layer

        return spec_from_layer(layer, input_size, in_channels=in_channels)

    def uncovered_positions(self) -> tuple[Index, ...]:
        """Cells of the drawn grid (padding included) that no step's taps cover.

        With floor division (``(i + 2p - k)`` not a multiple of ``s``, as in the
        paper's padding_strides_odd) the kernel never reaches the last rows or
        columns of the padded input. Row-major order.
        """
        covered = {position for step in self.steps() for position in step.positions}
        return tuple(
            position
            for position in itertools.product(*(range(n) for n in self.grid.size))
            if position not in covered
        )

    def uncovered_inputs(self) -> tuple[Index, ...]:
        """Real input units that no step's taps cover, in row-major order.

        Examples
        --------
        >>> ConvSpec((6,), 3, stride=2).uncovered_inputs()
        ((5,),)
        """
        covered = {index for step in self.steps() for index in step.input_indices}
        return tuple(
            index
            for index in itertools.product(*(range(n) for n in self.input_size))
            if index not in covered
        )


@dataclass(frozen=True)
class EquivalentConvolution:
    """The paper's direct convolution equivalent to a transposed convolution.

    Attributes
    ----------
    direct : ConvSpec
        A direct convolution, stride 1, over the stretched input, with padding
        ``p' = dilation * (kernel_size - 1) - padding`` on each side plus the output
        padding ``a`` after. It slides the spatially flipped kernel.
    input_size : tuple of int
        The transposed convolution's own input size.
    spacing : tuple of int
        The original stride: real units sit ``spacing`` cells apart in the stretched
        input (``spacing - 1`` zeros inserted between them).
    """

    direct: ConvSpec
    input_size: Index
    spacing: Index

    @property
    def stretched_size(self) -> Index:
        """Size of the input with ``stride - 1`` zeros inserted between units."""
        return self.direct.input_size

    @property
    def zeros_inserted(self) -> Index:
        """Zeros inserted between consecutive input units on each axis."""
        return tuple(s - 1 for s in self.spacing)

    @property
    def padding(self) -> Pairs:
        """The ``(before, after)`` padding of the stretched input."""
        return self.direct.padding  # type: ignore[return-value]

    @property
    def grid(self) -> InputGrid:
        """The stretched, padded input as drawn."""
        return InputGrid(
            size=tuple(n + b + a for n, (b, a) in zip(self.stretched_size, self.padding, strict=True)),
            input_size=self.input_size,
            offset=tuple(b for b, _ in self.padding),
            spacing=self.spacing,
        )


@lru_cache(maxsize=64)
def _steps(spec: ConvSpec) -> tuple[Step, ...]:
    grid = spec.grid
    flip = spec.transposed
    # Per axis and output coordinate: the footprint's start, and each tap's
    # (offset, kernel index, grid position, input index or None).
    axes = []
    for axis in range(spec.ndim):
        k, d = spec.kernel_size[axis], spec.dilation[axis]
        stride = spec.grid_stride[axis]
        off, gap, n = grid.offset[axis], grid.spacing[axis], grid.input_size[axis]
        per_output = []
        for o in range(spec.output_size[axis]):
            start = o * stride
            taps = []
            for t in range(k):
                pos = start + t * d
                q, r = divmod(pos - off, gap)
                taps.append((t, k - 1 - t if flip else t, pos, q if not r and 0 <= q < n else None))
            per_output.append((start, taps))
        axes.append(per_output)

    steps = []
    for number, output_index in enumerate(
        itertools.product(*(range(n) for n in spec.output_size))
    ):
        per_axis_taps = [axes[a][o] for a, o in enumerate(output_index)]
        taps = tuple(
            Tap(
                offset=tuple(t[0] for t in combo),
                kernel_index=tuple(t[1] for t in combo),
                position=tuple(t[2] for t in combo),
                input_index=(
                    None if any(t[3] is None for t in combo) else tuple(t[3] for t in combo)
                ),
            )
            for combo in itertools.product(*(taps for _, taps in per_axis_taps))
        )
        steps.append(
            Step(
                index=number,
                output_index=output_index,
                window_start=tuple(start for start, _ in per_axis_taps),
                taps=taps,
            )
        )
    return tuple(steps)


__all__ = ["ConvSpec", "EquivalentConvolution", "InputGrid", "Step", "Tap"]
