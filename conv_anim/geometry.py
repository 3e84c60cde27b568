"""The geometry of a convolution: sizes, padding, steps (numpy-free, matplotlib-free).

A :class:`ConvSpec` describes one convolution over 1, 2 or 3 spatial axes with
PyTorch's semantics. Its :meth:`ConvSpec.steps` are the frames of an animation: one
per output cell, in row-major order, each listing the kernel's taps on the drawn
input grid (built lazily from per-axis tables, :mod:`conv_anim.taps`). For a
transposed convolution the drawn grid is the paper's equivalent direct convolution:
the input stretched by inserting ``stride - 1`` zeros between units, padded by
``dilation * (kernel_size - 1) - padding`` on each side plus the output padding
after, and swept with stride 1.

Channels and groups (``in_channels``, ``out_channels``, ``groups``) do not change the
steps, which are spatial; they fix the shapes of the arrays that
:meth:`ConvSpec.apply` and :meth:`ConvSpec.matrix` take and return. Numbers (apply,
matrix, gradients, overlap) are computed by numpy modules imported only when asked
for, so that this module stays numpy-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from functools import cached_property
from typing import TYPE_CHECKING, SupportsIndex

from conv_anim import coverage
from conv_anim.errors import ParameterError
from conv_anim.limits import check_step_count
from conv_anim.params import padding_pairs, per_axis, positive_int, spatial_size
from conv_anim.taps import AxisTaps, EquivalentConvolution, InputGrid, Step, Steps, Tap

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from conv_anim.frameworks import FrameworkLayer
    from conv_anim.solve import SizeChoice

Index = tuple[int, ...]
Pairs = tuple[tuple[int, int], ...]
#: What ``input_size``, ``kernel_size``, ``stride``... accept: an int or one per axis.
AxesArg = SupportsIndex | Sequence[SupportsIndex]
#: What ``padding`` accepts: an int, one per axis, (before, after) pairs, or a mode.
PaddingArg = SupportsIndex | str | Sequence[SupportsIndex | Sequence[SupportsIndex]]


@dataclass(frozen=True, init=False)
class ConvSpec:
    """An immutable description of one convolution, with PyTorch's semantics.

    Parameters
    ----------
    input_size : int or tuple of int
        The input's spatial size. A tuple (or list) of 1, 2 or 3 ints fixes the
        number of axes N; an int means a square 2-D input. For a transposed
        convolution, this is the transposed convolution's own input.
    kernel_size, stride, dilation : int or tuple of int
        An int applies to every axis, a tuple gives one value per axis. Default
        stride and dilation 1.
    padding : int, tuple or str
        Zero padding of the direct convolution: an int (every side), one int per
        axis, one ``(before, after)`` pair per axis, or ``"valid"`` (none),
        ``"same"`` (output size equals input size; stride 1 only; an odd total puts
        the extra unit after, as PyTorch does), ``"half"`` (the paper's name for
        ``"same"``) or ``"full"`` (effective kernel size minus one on both sides).
        Stored as ``(before, after)`` pairs.
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

    Ints may be numpy integers; booleans, floats, strings, bytes, ranges and other
    iterables are refused.

    Raises
    ------
    ParameterError
        For any invalid value (a ``ValueError``); the message names the parameter,
        the value and what is allowed, and mentions only the parameters that matter
        (a dilation of 1 is not mentioned).

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
    >>> print(ConvSpec((5, 5), (3, 3), padding=((1, 1), (1, 1)), in_channels=2))
    ConvSpec(5, 3, padding=1, in_channels=2)
    """

    input_size: Index
    kernel_size: Index
    stride: Index
    padding: Pairs
    dilation: Index
    _: KW_ONLY
    transposed: bool
    output_padding: Index
    in_channels: int
    out_channels: int
    groups: int

    def __init__(
        self,
        input_size: AxesArg,
        kernel_size: AxesArg,
        stride: AxesArg = 1,
        padding: PaddingArg = 0,
        dilation: AxesArg = 1,
        *,
        transposed: bool = False,
        output_padding: AxesArg = 0,
        in_channels: SupportsIndex = 1,
        out_channels: SupportsIndex = 1,
        groups: SupportsIndex = 1,
    ) -> None:
        size = spatial_size(input_size)
        ndim = len(size)
        if not isinstance(transposed, bool):
            raise ParameterError.invalid("transposed", transposed, "True or False")
        values = {
            "input_size": size,
            "kernel_size": per_axis("kernel_size", kernel_size, ndim, minimum=1),
            "stride": per_axis("stride", stride, ndim, minimum=1),
            "dilation": per_axis("dilation", dilation, ndim, minimum=1),
            "transposed": transposed,
            "output_padding": per_axis("output_padding", output_padding, ndim, minimum=0),
            "in_channels": positive_int("in_channels", in_channels),
            "out_channels": positive_int("out_channels", out_channels),
            "groups": positive_int("groups", groups),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "padding", self._resolve_padding(padding))
        self._check_groups()
        if transposed:
            self._check_transposed()
        else:
            self._check_direct(output_padding)

    def _resolve_padding(self, given: object) -> Pairs:
        parsed = padding_pairs(given, self.ndim)
        if not isinstance(parsed, str):
            return parsed
        spans = [e - 1 for e in self.effective_kernel_size]
        if parsed == "valid":
            return tuple((0, 0) for _ in spans)
        if parsed == "full":
            return tuple((span, span) for span in spans)
        if any(s != 1 for s in self.stride):
            raise ParameterError(
                f"padding={parsed!r} needs stride 1 on every axis, got stride={self.stride}: "
                f"use an explicit padding with strides",
                parameter="padding", value=given, allowed="explicit padding with strides",
            )
        return tuple((span // 2, span - span // 2) for span in spans)

    def _check_groups(self) -> None:
        for name in ("in_channels", "out_channels"):
            value = getattr(self, name)
            if value % self.groups:
                allowed = "in_channels and out_channels to be multiples of groups"
                raise ParameterError(
                    f"{name}={value} is not divisible by groups={self.groups}: expected "
                    f"{allowed}",
                    parameter="groups", value=self.groups, allowed=allowed,
                )

    def _axis(self, axis: int, *names: str) -> str:
        """``" on axis N"`` when the parameters ``names`` differ between axes, else ``""``."""
        differ = any(len(set(getattr(self, name))) > 1 for name in names)
        return f" on axis {axis}" if differ else ""

    def _check_direct(self, output_padding: object) -> None:
        fit = ("input_size", "kernel_size", "padding", "dilation")
        if any(self.output_padding):
            raise ParameterError(
                f"output_padding={output_padding!r} is only allowed with transposed=True: "
                f"expected 0 for a direct convolution",
                parameter="output_padding", value=output_padding,
                allowed="0 for a direct convolution",
            )
        for axis in range(self.ndim):
            k, d, i = self.kernel_size[axis], self.dilation[axis], self.input_size[axis]
            before, after = self.padding[axis]
            span, padded = self.effective_kernel_size[axis], i + before + after
            if span > padded:
                dilated = f" dilated by {d}" if d != 1 else ""
                raise ParameterError(
                    f"kernel_size {k}{dilated} spans {span} but input_size {i} padded by "
                    f"{before + after} is only {padded}{self._axis(axis, *fit)}: the kernel "
                    f"must fit in the padded input",
                    parameter="kernel_size", value=self.kernel_size,
                    allowed="a kernel that fits in the padded input",
                )

    def _check_transposed(self) -> None:
        for axis in range(self.ndim):
            a, s, d = self.output_padding[axis], self.stride[axis], self.dilation[axis]
            if a >= max(s, d):
                by = f"stride {s} or dilation {d}" if d != 1 else f"stride {s}"
                allowed = f"0 <= output_padding < {max(s, d)}"
                raise ParameterError(
                    f"output_padding={a} must be smaller than {by}"
                    f"{self._axis(axis, 'output_padding', 'stride', 'dilation')}: "
                    f"expected {allowed}",
                    parameter="output_padding", value=self.output_padding, allowed=allowed,
                )
            span = self.effective_kernel_size[axis] - 1
            bound = "dilation * (kernel_size - 1)" if d != 1 else "kernel_size - 1"
            for side, p in zip(("before", "after"), self.padding[axis], strict=True):
                if p > span:
                    raise ParameterError(
                        f"padding {p} ({side}) exceeds {bound} = {span}"
                        f"{self._axis(axis, 'padding', 'kernel_size', 'dilation')}: a "
                        f"transposed convolution's equivalent direct convolution would need "
                        f"negative padding; expected padding <= {span}",
                        parameter="padding", value=self.padding, allowed=f"padding <= {span}",
                    )
        if min(self.output_size) < 1:
            given = [f"kernel_size {self.kernel_size}"]
            given += [f"stride {self.stride}"] if any(s != 1 for s in self.stride) else []
            given += [f"padding {self.padding}"]
            given += [f"dilation {self.dilation}"] if any(d != 1 for d in self.dilation) else []
            raise ParameterError(
                f"a transposed convolution of input_size {self.input_size} with "
                f"{', '.join(given[:-1])} and {given[-1]} would have an empty output "
                f"{self.output_size}: reduce the padding",
                parameter="padding", value=self.padding, allowed="less padding",
            )

    def __str__(self) -> str:
        """The shortest call that builds this spec, e.g. ``ConvSpec(5, 3, stride=2)``."""
        square = self.ndim == 2 and len(set(self.input_size)) == 1
        args = [str(self.input_size[0]) if square else str(self.input_size)]
        args.append(_compact(self.kernel_size))
        if any(s != 1 for s in self.stride):
            args.append(f"stride={_compact(self.stride)}")
        if any(any(pair) for pair in self.padding):
            symmetric = all(b == a for b, a in self.padding)
            shown = _compact(tuple(b for b, _ in self.padding)) if symmetric else str(self.padding)
            args.append(f"padding={shown}")
        if any(d != 1 for d in self.dilation):
            args.append(f"dilation={_compact(self.dilation)}")
        if self.transposed:
            args.append("transposed=True")
        if any(self.output_padding):
            args.append(f"output_padding={_compact(self.output_padding)}")
        for name in ("in_channels", "out_channels", "groups"):
            if getattr(self, name) != 1:
                args.append(f"{name}={getattr(self, name)}")
        return f"ConvSpec({', '.join(args)})"

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
        ParameterError
            If this convolution is not transposed.

        Examples
        --------
        >>> eq = ConvSpec(3, 3, stride=2, padding=1, transposed=True).equivalent_direct()
        >>> eq.stretched_size, eq.padding, eq.direct.output_size
        ((5, 5), ((1, 1), (1, 1)), (5, 5))
        """
        if not self.transposed:
            raise ParameterError(
                "equivalent_direct() needs transposed=True: a direct convolution is its own "
                "equivalent",
                parameter="transposed", value=False, allowed="True",
            )
        stretched = tuple(
            (i - 1) * s + 1 for i, s in zip(self.input_size, self.stride, strict=True)
        )
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

    @cached_property
    def _tap_axes(self) -> tuple[AxisTaps, ...]:
        grid = self.grid
        return tuple(
            AxisTaps(
                outputs=self.output_size[a], kernel_size=self.kernel_size[a],
                dilation=self.dilation[a], stride=self.grid_stride[a], offset=grid.offset[a],
                spacing=grid.spacing[a], input_size=self.input_size[a], grid_size=grid.size[a],
                flipped=self.transposed,
            )
            for a in range(self.ndim)
        )

    def steps(self) -> Steps:
        """The animation's steps: one per output cell, row-major (first axis slowest).

        A lazy, immutable sequence (:class:`~conv_anim.taps.Steps`): its length is
        known at once, each step is built from per-axis tables when read, whatever
        the size of the convolution.

        Raises
        ------
        ParameterError
            Above ``sys.maxsize`` steps (:func:`conv_anim.limits.check_step_count`),
            or when reading a step of more than
            :data:`conv_anim.limits.MAX_LISTED_CELLS` kernel taps.

        Examples
        --------
        >>> step = ConvSpec(4, 3).steps()[1]
        >>> step.output_index, step.window_start, step.input_indices[:3]
        ((0, 1), (0, 1), ((0, 1), (0, 2), (0, 3)))
        >>> len(ConvSpec(3000, 3).steps())
        8988004
        """
        return Steps(self._tap_axes, range(check_step_count(self)))

    def uncovered_positions(self) -> tuple[Index, ...]:
        """Cells of the drawn grid (padding included) that no step's taps cover.

        With floor division (``(i + 2p - k)`` not a multiple of ``s``, as in the
        paper's padding_strides_odd) the kernel never reaches the last rows or
        columns of the padded input. Row-major order. Computed per axis by
        :func:`conv_anim.coverage.uncovered_positions`.

        Raises
        ------
        ParameterError
            If there are more than :data:`conv_anim.limits.MAX_LISTED_CELLS`.

        Examples
        --------
        >>> ConvSpec((6,), 3, stride=2, padding=1).uncovered_positions()
        ((7,),)
        """
        return coverage.uncovered_positions(self)

    def uncovered_inputs(self) -> tuple[Index, ...]:
        """Real input units that no step's taps cover, in row-major order.

        Raises
        ------
        ParameterError
            If there are more than :data:`conv_anim.limits.MAX_LISTED_CELLS`.

        Examples
        --------
        >>> ConvSpec((6,), 3, stride=2).uncovered_inputs()
        ((5,),)
        """
        return coverage.uncovered_inputs(self)

    def overlaps_evenly(self) -> bool:
        """Whether the taps touch every interior unit equally often (no checkerboard): see
        :func:`conv_anim.coverage.overlaps_evenly`, which defines the interior.

        Examples
        --------
        >>> [ConvSpec(4, k, stride=2, transposed=True).overlaps_evenly() for k in (3, 4, 2)]
        [False, True, True]
        """
        return coverage.overlaps_evenly(self)

    # ---------------------------------------------------------------- numbers (numpy)
    # The numpy modules are imported in these methods, not at the top: geometry stays
    # importable without numpy, and numpy is loaded only when numbers are asked for.

    def apply(
        self, x: object, kernel: object = None, op: str = "conv", *, flip: bool = False
    ) -> NDArray[np.float64]:
        """The convolution (or ``op="max"``/``"avg"`` pooling) of ``x``: see
        :func:`conv_anim.numerics.apply` (``flip=True``: a true convolution).

        Examples
        --------
        >>> ConvSpec((3,), 2).apply([1, 2, 3], [1, 2])
        array([5., 8.])
        >>> ConvSpec((3,), 2).apply([1, 2, 3], [1, 2], flip=True)
        array([4., 7.])
        """
        from conv_anim.numerics import apply

        return apply(self, x, kernel, op, flip=flip)

    def matrix(self, kernel: object, *, flip: bool = False) -> NDArray[np.float64]:
        """The dense matrix C (the paper's chapter 4): see :func:`conv_anim.numerics.matrix`.

        Examples
        --------
        >>> ConvSpec((3,), 2).matrix([1, 2])
        array([[1., 2., 0.],
               [0., 1., 2.]])
        """
        from conv_anim.numerics import matrix

        return matrix(self, kernel, flip=flip)

    def grad_input(self, grad_output: object, kernel: object) -> NDArray[np.float64]:
        """dL/dx given dL/dy, as autograd's ``x.grad``: see :func:`conv_anim.gradients.grad_input`.

        Examples
        --------
        >>> ConvSpec((3,), 2).grad_input([1, 10], [1, 2])
        array([ 1., 12., 20.])
        """
        from conv_anim.gradients import grad_input

        return grad_input(self, grad_output, kernel)

    def grad_kernel(self, x: object, grad_output: object) -> NDArray[np.float64]:
        """dL/dw given x and dL/dy, as autograd's ``weight.grad``: see
        :func:`conv_anim.gradients.grad_kernel`.

        Examples
        --------
        >>> ConvSpec((3,), 2).grad_kernel([1, 2, 3], [1, 10])
        array([21., 32.])
        """
        from conv_anim.gradients import grad_kernel

        return grad_kernel(self, x, grad_output)

    def overlap(self) -> NDArray[np.int64]:
        """Kernel taps touching each output unit (transposed) or input unit (direct): see
        :func:`conv_anim.gradients.overlap` and :meth:`overlaps_evenly`.

        Examples
        --------
        >>> ConvSpec((3,), 3, stride=2, transposed=True).overlap()
        array([1, 1, 2, 1, 2, 1, 1])
        """
        from conv_anim.gradients import overlap

        return overlap(self)

    def same_output_sizes(self) -> tuple[tuple[SizeChoice, ...], ...]:
        """Per axis, the input sizes that give this output size, and the output padding
        that chooses each going back: see :func:`conv_anim.solve.same_output_sizes`.

        Examples
        --------
        >>> [c.size for c in ConvSpec((5,), 3, stride=2).same_output_sizes()[0]]
        [5, 6]
        """
        from conv_anim.solve import same_output_sizes

        return same_output_sizes(self)

    def to_layer(self, framework: str, *, op: str = "conv") -> FrameworkLayer:
        """The equivalent layer in PyTorch, Keras or JAX: see
        :func:`conv_anim.frameworks.to_layer`.

        Examples
        --------
        >>> ConvSpec(5, 3, stride=2, padding=1).to_layer("torch").code
        ('nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)',)
        """
        from conv_anim.frameworks import to_layer

        return to_layer(self, framework, op=op)

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
        # layers imports this module: imported here to avoid a cycle.
        from conv_anim.layers import spec_from_layer

        return spec_from_layer(layer, input_size, in_channels=in_channels)


def _compact(values: Index) -> str:
    """``(3, 3)`` -> ``"3"`` (every axis), ``(3, 1)`` -> ``"(3, 1)"``."""
    return str(values[0]) if len(set(values)) == 1 else str(values)


__all__ = ["ConvSpec", "EquivalentConvolution", "InputGrid", "Step", "Steps", "Tap"]
