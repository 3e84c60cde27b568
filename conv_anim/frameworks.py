"""The same layer in PyTorch, Keras and JAX, and where the three disagree (numpy-free).

:func:`to_layer` writes the layer (or, in JAX, the ``jax.lax`` call) that computes a
:class:`ConvSpec`, as code and as data (:class:`FrameworkLayer`), with warnings where
the frameworks' conventions differ; :func:`framework_lines` is what ``conv-anim
info`` prints for all three; :func:`keras_same_padding` is Keras' (TensorFlow's)
``padding="same"`` as explicit ``(before, after)`` pairs, so that a spec can
reproduce it.

The code reads ``x`` (and in JAX a weight ``w``): a bare expression is a layer, applied
to ``x`` in turn (its output ``y`` feeds the next line); other lines are statements,
``#`` lines comments. PyTorch and JAX arrays are channels-first, weights in PyTorch's
layout (as :meth:`ConvSpec.apply`); Keras is channels-last, kernels ``(*k, C_in /
groups, C_out)``. Where the frameworks disagree:

* PyTorch pads both sides equally (``"same"`` with stride 1 only, the odd unit after):
  other paddings take ``F.pad`` before the layer, or a crop after a transposed one;
  pooling refuses padding above half the window.
* Keras pads by a string: ``"valid"``, ``"causal"`` (1-D) or ``"same"``, which with a
  stride follows TensorFlow and depends on the input size (total ``max((ceil(i / s) -
  1) s + d (k - 1) + 1 - i, 0)``, the odd unit after); other paddings take a
  ``ZeroPaddingND`` layer (``keras.ops.pad`` with ``-inf`` for max pooling), a
  transposed layer a ``CroppingND``. Keras refuses strides with dilation, has no
  groups in transposed layers, no dilated pooling, and its ``"same"`` average pooling
  leaves the padding out of the mean (PyTorch and conv_anim count the zeros).
* Output padding: Keras counts it from its own ``"same"`` rule; JAX has none and puts
  it in the padding after.

>>> spec = ConvSpec(5, 3, stride=2, padding=1)
>>> print("\\n".join(to_layer(spec, "keras").code))
keras.layers.Conv2D(1, 3, strides=2, padding='same')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec

Pair = tuple[int, int]
Pairs = tuple[Pair, ...]

#: The frameworks :func:`to_layer` writes for, and their names in text.
FRAMEWORKS = ("torch", "keras", "jax")
TITLES = {"torch": "PyTorch", "keras": "Keras", "jax": "JAX"}
OPS = ("conv", "max", "avg")


@dataclass(frozen=True)
class Name:
    """Code written as it is (a variable such as ``x``), not as a value's ``repr``."""

    text: str

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Call:
    """One call in a framework: the function or class as written, and its arguments.

    Examples
    --------
    >>> call = Call("nn.Conv2d", (1, 8), (("kernel_size", 3), ("padding", (1, 0))))
    >>> call.text(), call.name, call.keywords()["padding"]
    ('nn.Conv2d(1, 8, kernel_size=3, padding=(1, 0))', 'Conv2d', (1, 0))
    """

    function: str
    args: tuple[object, ...] = ()
    kwargs: tuple[tuple[str, object], ...] = ()

    @property
    def name(self) -> str:
        """The class or function name, without its module (``Conv2d``)."""
        return self.function.rsplit(".", 1)[-1]

    def keywords(self) -> dict[str, object]:
        """The keyword arguments as a dict."""
        return dict(self.kwargs)

    def text(self) -> str:
        """The call as Python code."""
        items = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.function}({', '.join(items)})"


@dataclass(frozen=True)
class FrameworkLayer:
    """A spec written for one framework.

    Attributes
    ----------
    framework, op : str
        As given to :func:`to_layer`.
    layer : Call or None
        The layer (PyTorch, Keras) or ``jax.lax`` call that does the work; None when
        the framework has none (the code says why).
    supported : bool
        False when there is no layer or the framework refuses the one written (the
        code says why, the warnings what to do instead).
    pad, crop : tuple of (int, int)
        Per axis, the padding applied before the layer (``F.pad``, ``ZeroPaddingND``:
        the layer sees ``input_size + pad``) and the units cropped after it.
    code, warnings, imports : tuple of str
        The code (see the module's documentation), where this framework disagrees
        with the others, and the imports the code needs.
    """

    framework: str
    op: str
    layer: Call | None
    supported: bool
    pad: Pairs
    crop: Pairs
    code: tuple[str, ...]
    warnings: tuple[str, ...]
    imports: tuple[str, ...]


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _axes(name: str, value: object, ndim: int) -> tuple[int, ...]:
    allowed = f"an int >= 1 or a tuple of {ndim} such ints"
    items = (value,) * ndim if _is_int(value) else value
    if (
        not isinstance(items, Sequence) or isinstance(items, str) or len(items) != ndim
        or not all(_is_int(v) and v >= 1 for v in items)
    ):
        raise ParameterError.invalid(name, value, allowed)
    return tuple(int(v) for v in items)


def keras_same_padding(
    input_size: int | Sequence[int],
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] = 1,
    dilation: int | Sequence[int] = 1,
) -> Pairs:
    """Keras' (TensorFlow's) ``padding="same"`` as ``(before, after)`` pairs, per axis.

    The output has ``ceil(i / s)`` units; the total padding is ``max((ceil(i / s) -
    1) * s + d * (k - 1) + 1 - i, 0)``, the odd unit after. With stride 1 it is
    PyTorch's ``padding="same"``; with a stride it depends on the input size.

    Parameters
    ----------
    input_size : int or sequence of int
        An int is a square 2-D input, as for :class:`ConvSpec`; a sequence has one
        int per axis (1 to 3).
    kernel_size, stride, dilation : int or sequence of int
        One int for every axis, or one per axis.

    Raises
    ------
    ParameterError
        If a value is not an int >= 1 (or has the wrong number of axes).

    Examples
    --------
    >>> keras_same_padding(6, 3, 2)
    ((0, 1), (0, 1))
    >>> ConvSpec((7,), 4, 2, keras_same_padding((7,), 4, 2)).output_size  # ceil(7 / 2)
    (4,)
    """
    sizes = (input_size,) * 2 if _is_int(input_size) else input_size
    if not isinstance(sizes, Sequence) or not 1 <= len(sizes) <= 3:
        raise ParameterError.invalid(
            "input_size", input_size, "an int >= 1 or a tuple of 1 to 3 such ints"
        )
    n = len(sizes)
    pairs = []
    for i, k, s, d in zip(
        _axes("input_size", sizes, n), _axes("kernel_size", kernel_size, n),
        _axes("stride", stride, n), _axes("dilation", dilation, n), strict=True,
    ):
        total = max((math.ceil(i / s) - 1) * s + d * (k - 1) + 1 - i, 0)
        pairs.append((total // 2, total - total // 2))
    return tuple(pairs)


def to_layer(spec: ConvSpec, framework: str, *, op: str = "conv") -> FrameworkLayer:
    """The layer that computes ``spec`` in ``framework``, as code and data.

    Parameters
    ----------
    spec : ConvSpec
        The convolution (PyTorch's semantics).
    framework : {"torch", "keras", "jax"}
        PyTorch (``torch.nn``), Keras 3 (``keras.layers``) or JAX (``jax.lax``).
    op : {"conv", "max", "avg"}
        Convolution, or max or average pooling (counting padded zeros, as
        PyTorch's default and :meth:`ConvSpec.apply`).

    Returns
    -------
    FrameworkLayer

    Raises
    ------
    ParameterError
        For an unknown framework or op, or pooling that is transposed or changes
        the number of channels.

    Examples
    --------
    >>> up = ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1)
    >>> to_layer(up, "torch").code
    ('nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)',)
    >>> print("\\n".join(to_layer(up, "keras").code))  # Keras' 'same' shifts by one unit here
    keras.layers.Conv2DTranspose(1, 3, strides=2)
    keras.layers.Cropping2D(cropping=((1, 0), (1, 0)))
    >>> to_layer(ConvSpec(3, 4, stride=2, padding=1, transposed=True), "keras").layer.text()
    "keras.layers.Conv2DTranspose(1, 4, strides=2, padding='same')"
    >>> print(to_layer(ConvSpec((6,), 3, 2, 1), "jax").code[-1])
    y = jax.lax.conv_general_dilated(x, w, window_strides=(2,), padding=((1, 1),))
    """
    if framework not in FRAMEWORKS:
        raise ParameterError.invalid("framework", framework, " or ".join(map(repr, FRAMEWORKS)))
    if op not in OPS:
        raise ParameterError.invalid("op", op, " or ".join(map(repr, OPS)))
    if op != "conv" and (spec.transposed or spec.in_channels != spec.out_channels):
        raise ParameterError.invalid(
            "op", op, "'conv' for a transposed convolution or one that changes the channels "
                      "(pooling is direct and keeps every channel)",
        )
    build = {"torch": _torch, "keras": _keras, "jax": _jax}[framework]
    return build(spec, op)


def framework_lines(
    spec: ConvSpec, op: str = "conv", frameworks: Sequence[str] = FRAMEWORKS
) -> list[str]:
    """What ``conv-anim info`` prints for the frameworks: each one's code and warnings.

    Examples
    --------
    >>> spec = ConvSpec((6,), 3, padding=((0, 1),))
    >>> print("\\n".join(framework_lines(spec, frameworks=("torch", "keras"))))
    PyTorch:
        x = F.pad(x, (0, 1))  # (left, right): nn.Conv1d pads both sides equally
        nn.Conv1d(1, 1, kernel_size=3)
    <BLANKLINE>
    Keras:
        keras.layers.ZeroPadding1D(padding=(0, 1))
        keras.layers.Conv1D(1, 3)
        # warning: Keras is channels-last: x is (N, 6, C), the kernel (3, C_in, C_out)
    """
    lines: list[str] = []
    for framework in frameworks:
        layer = to_layer(spec, framework, op=op)
        lines += ["", f"{TITLES[framework]}:"] if lines else [f"{TITLES[framework]}:"]
        lines += [f"    {line}" for line in layer.code]
        lines += [f"    # warning: {warning}" for warning in layer.warnings]
    return lines


# --------------------------------------------------------------------------------------
# Shared
# --------------------------------------------------------------------------------------


def _value(values: Sequence[int]) -> int | tuple[int, ...]:
    """One int when every axis agrees, else the per-axis tuple."""
    return values[0] if len(set(values)) == 1 else tuple(values)


def _zeros(spec: ConvSpec) -> Pairs:
    return ((0, 0),) * spec.ndim


def _spans(spec: ConvSpec) -> tuple[int, ...]:
    """``d * (k - 1)`` per axis: the dilated kernel's reach."""
    return tuple(e - 1 for e in spec.effective_kernel_size)


def _refused(spec: ConvSpec, framework: str, op: str, reason: str) -> FrameworkLayer:
    """No layer: the code is one comment saying why."""
    zeros = _zeros(spec)
    return FrameworkLayer(framework, op, None, False, zeros, zeros, (f"# {reason}",), (), ())


# --------------------------------------------------------------------------------------
# PyTorch
# --------------------------------------------------------------------------------------

_TORCH = "from torch import nn"
_TORCH_F = "from torch.nn import functional as F"


def _torch_call(spec: ConvSpec, op: str, padding: object) -> Call:
    """``nn.<Layer>(...)`` with PyTorch's keywords, defaults left out (except pooling's stride)."""
    base = {"conv": "ConvTranspose" if spec.transposed else "Conv", "max": "MaxPool",
            "avg": "AvgPool"}[op]
    keywords: list[tuple[str, object]] = [("kernel_size", _value(spec.kernel_size))]
    if op != "conv" or any(s != 1 for s in spec.stride):
        keywords.append(("stride", _value(spec.stride)))
    if padding is not None:
        keywords.append(("padding", padding))
    if any(spec.output_padding):
        keywords.append(("output_padding", _value(spec.output_padding)))
    if any(d != 1 for d in spec.dilation):
        keywords.append(("dilation", _value(spec.dilation)))
    if op == "conv" and spec.groups != 1:
        keywords.append(("groups", spec.groups))
    channels = (spec.in_channels, spec.out_channels) if op == "conv" else ()
    return Call(f"nn.{base}{spec.ndim}d", channels, tuple(keywords))


def _torch_pad(spec: ConvSpec, op: str) -> str:
    """``F.pad`` of the input, sides listed last axis first as PyTorch takes them."""
    flat = tuple(side for pair in reversed(spec.padding) for side in pair)
    value = ", value=float('-inf')" if op == "max" else ""
    return f"x = F.pad(x, {flat}{value})"


def _torch(spec: ConvSpec, op: str) -> FrameworkLayer:
    pairs, zeros = spec.padding, _zeros(spec)
    if op == "avg" and any(d != 1 for d in spec.dilation):
        reason = f"nn.AvgPool{spec.ndim}d has no dilation: no PyTorch layer computes this pooling"
        return _refused(spec, "torch", op, reason)
    if all(before == after for before, after in pairs):
        befores = tuple(before for before, _ in pairs)
        layer = _torch_call(spec, op, _value(befores) if any(befores) else None)
        refused = op != "conv" and any(
            2 * before > k for before, k in zip(befores, spec.kernel_size, strict=True)
        )
        if not refused:
            return FrameworkLayer("torch", op, layer, True, zeros, zeros, (layer.text(),), (),
                                  (_TORCH,))
        unpadded = _torch_call(spec, op, None).text()
        return FrameworkLayer(
            "torch", op, layer, False, zeros, zeros,
            (layer.text(), f"# {layer.function} refuses padding above half the window "
                           f"({_value(spec.kernel_size)})"),
            (f"pad first instead: {_torch_pad(spec, op)}, then {unpadded}",), (_TORCH,),
        )
    layer = _torch_call(spec, op, None)
    if spec.transposed:
        crop = ", ".join(f"{b or ''}:{-a if a else ''}" for b, a in pairs)
        cropping = f"y = y[..., {crop}]  # crop: {layer.function} pads both sides equally"
        return FrameworkLayer("torch", op, layer, True, zeros, pairs, (layer.text(), cropping),
                              (), (_TORCH,))
    sides = ", ".join(("left, right", "top, bottom", "front, back")[: spec.ndim])
    code = [f"{_torch_pad(spec, op)}  # ({sides}): {layer.function} pads both sides equally",
            layer.text()]
    spans = _spans(spec)
    unit_strides = all(s == 1 for s in spec.stride)
    if op == "conv" and unit_strides and pairs == tuple((n // 2, n - n // 2) for n in spans):
        code.append(f"# or, without F.pad: {_torch_call(spec, op, 'same').text()}")
    warnings: tuple[str, ...] = ()
    if not unit_strides and op != "avg" and pairs == _keras_same(spec):
        warnings = (f"this is Keras' padding='same' at input size {spec.input_size}; "
                    f"PyTorch refuses padding='same' with a stride",)
    return FrameworkLayer("torch", op, layer, True, pairs, zeros, tuple(code), warnings,
                          (_TORCH, _TORCH_F))


def _keras_same(spec: ConvSpec) -> Pairs:
    return keras_same_padding(spec.input_size, spec.kernel_size, spec.stride, spec.dilation)


# --------------------------------------------------------------------------------------
# Keras
# --------------------------------------------------------------------------------------

_KERAS = ("import keras",)


def _keras(spec: ConvSpec, op: str) -> FrameworkLayer:
    n = spec.ndim
    name = {"conv": f"Conv{n}DTranspose" if spec.transposed else f"Conv{n}D",
            "max": f"MaxPooling{n}D", "avg": f"AveragePooling{n}D"}[op]
    strided, dilated = max(spec.stride) > 1, max(spec.dilation) > 1
    if op != "conv" and dilated:
        reason = "has no dilation: no Keras layer computes this pooling"
    elif op == "conv" and strided and dilated:
        reason = "refuses strides > 1 with dilation_rate > 1: no Keras layer computes this"
    elif spec.transposed and spec.groups != 1:
        reason = "has no groups: no Keras layer computes this"
    else:
        return _keras_transposed(spec, name) if spec.transposed else _keras_direct(spec, op, name)
    return _refused(spec, "keras", op, f"keras.layers.{name} {reason}")


def _keras_call(spec: ConvSpec, op: str, name: str, padding: str,
                output_padding: tuple[int, ...] | None = None) -> Call:
    """``keras.layers.<name>(...)``, defaults left out (except pooling's strides)."""
    args: tuple[object, ...] = (spec.out_channels, _value(spec.kernel_size))
    keywords: list[tuple[str, object]] = []
    if op != "conv":
        args, keywords = (), [("pool_size", _value(spec.kernel_size))]
    for keyword, value, default in (
        ("strides", _value(spec.stride), 1 if op == "conv" else None),
        ("padding", padding, "valid"), ("output_padding", output_padding, None),
        ("dilation_rate", _value(spec.dilation), 1),
        ("groups", spec.groups if op == "conv" else 1, 1),
    ):
        if value != default:
            keywords.append((keyword, _value(value) if isinstance(value, tuple) else value))
    return Call(f"keras.layers.{name}", args, tuple(keywords))


def _keras_layout(spec: ConvSpec, op: str) -> str:
    text = f"Keras is channels-last: x is (N, {', '.join(map(str, spec.input_size))}, C)"
    channels = ("C_out, C_in" if spec.transposed else
                f"C_in{'/groups' if spec.groups != 1 else ''}, C_out")
    kernel = f", the kernel ({', '.join(map(str, spec.kernel_size))}, {channels})"
    return text + (kernel if op == "conv" else "")


def _keras_direct(spec: ConvSpec, op: str, name: str) -> FrameworkLayer:
    pairs, zeros, same = spec.padding, _zeros(spec), _keras_same(spec)
    warnings = [_keras_layout(spec, op)]
    padding, pad = "valid", zeros
    if pairs == zeros:
        pass
    elif op != "avg" and pairs == same:
        padding = "same"
        if max(spec.stride) > 1:
            bigger = tuple(i + 1 for i in spec.input_size)
            other = keras_same_padding(bigger, spec.kernel_size, spec.stride, spec.dilation)
            warnings.append(
                f"Keras' padding='same' with a stride pads by the input size (total "
                f"max((ceil(i/s) - 1)*s + d(k - 1) + 1 - i, 0), the odd unit after): {pairs} "
                f"at input {spec.input_size}" + (f", but {other} at {bigger}" if other != pairs
                                                 else "") + "; PyTorch refuses that with a stride"
            )
    elif op == "conv" and spec.ndim == 1 and pairs == ((_spans(spec)[0], 0),):
        padding = "causal"
    else:
        pad = pairs
        if _output_size(spec, same) == spec.output_size:
            warnings.append(f"Keras' padding='same' gives this output size too, but pads {same} "
                            f"(by the input size, the odd unit after): ZeroPadding keeps {pairs}")
    layer = _keras_call(spec, op, name, padding)
    code = [layer.text()]
    if pad != zeros and op == "max":
        code.insert(0, f"keras.layers.Lambda(lambda x: keras.ops.pad(x, {((0, 0), *pad, (0, 0))}"
                       f", constant_values=float('-inf')))")
        warnings.append("Keras' max pooling pads with -inf only as padding='same' does: "
                        "other paddings take keras.ops.pad")
    elif pad != zeros:
        code.insert(0, f"keras.layers.ZeroPadding{spec.ndim}D(padding={_keras_pairs(pad)})")
        if op == "avg":
            warnings.append("Keras' AveragePooling with padding='same' leaves the padding out "
                            "of the mean; ZeroPadding counts the zeros, as PyTorch does")
    return FrameworkLayer("keras", op, layer, True, pad, zeros, tuple(code), tuple(warnings),
                          _KERAS)


def _keras_pairs(pairs: Pairs) -> object:
    """The ``padding=`` of ZeroPaddingND or ``cropping=`` of CroppingND."""
    return pairs[0] if len(pairs) == 1 else pairs


def _output_size(spec: ConvSpec, pairs: Pairs) -> tuple[int, ...]:
    """The output size of ``spec`` (direct) with other padding."""
    return tuple((i + b + a - span - 1) // s + 1 for i, (b, a), span, s in
                 zip(spec.input_size, pairs, _spans(spec), spec.stride, strict=True))


def _keras_transposed_axis(i: int, span: int, s: int, padding: str, a: int | None) -> Pair:
    """The equivalent direct padding (p'_b, p'_a) of one axis of a Keras transposed layer.

    Keras' output length (its ``compute_conv_transpose_output_length``), as the
    transpose of the direct convolution from that length back to ``i`` with
    TensorFlow's padding rule (as :func:`conv_anim.layers.spec_from_layer` reads it).
    """
    e = span + 1
    if a is None:
        length = i * s + max(e - s, 0) if padding == "valid" else i * s
    else:
        length = (i - 1) * s + e - 2 * (e // 2 if padding == "same" else 0) + a
    total = max((i - 1) * s + e - length, 0) if padding == "same" else 0
    extra = length - ((i - 1) * s + e - total)
    return span - total // 2, span - (total - total // 2) + extra


def _keras_transposed_choice(spec: ConvSpec) -> tuple[str, tuple[int, ...] | None] | None:
    """Keras' padding string and output padding that compute ``spec``, if any."""
    axes = list(zip(spec.input_size, _spans(spec), spec.stride, spec.padding,
                    spec.output_padding, strict=True))
    for padding in ("valid", "same"):
        options = [
            [a for a in (None, *range(s))
             if _keras_transposed_axis(i, span, s, padding, a) == (span - b, span - p + extra)]
            for i, span, s, (b, p), extra in axes
        ]
        if all(None in found for found in options):
            return padding, None
        if all(any(a is not None for a in found) for found in options):
            return padding, tuple(min(a for a in found if a is not None) for found in options)
    return None


def _keras_transposed(spec: ConvSpec, name: str) -> FrameworkLayer:
    zeros, pairs = _zeros(spec), spec.padding
    warnings = [_keras_layout(spec, "conv")]
    torch = f"padding={_torch_padding(pairs)}, output_padding={_value(spec.output_padding)}"
    choice, crop = _keras_transposed_choice(spec), zeros
    if choice is None:  # 'valid' with the output padding it needs, and a crop
        extra = tuple(max(a - after, 0) for (_, after), a in
                      zip(pairs, spec.output_padding, strict=True))
        if any(a >= s for a, s in zip(extra, spec.stride, strict=True)):
            return _refused(spec, "keras", "conv", f"keras.layers.{name} takes output_padding "
                                                   f"< strides only: no Keras layer computes this")
        crop = tuple((b, a + after - out) for (b, after), a, out in
                     zip(pairs, extra, spec.output_padding, strict=True))
        # Without output_padding, Keras' 'valid' adds max(s - d(k - 1) - 1, 0) units.
        implicit = any(extra) or any(e < s for e, s in
                                     zip(spec.effective_kernel_size, spec.stride, strict=True))
        choice = ("valid", extra if implicit else None)
        warnings.append(f"Keras' padding='same' computes {_keras_same_transposed(spec)} here, "
                        f"not PyTorch's {torch}: Cropping{spec.ndim}D crops the 'valid' output")
    padding, output_padding = choice
    layer = _keras_call(spec, "conv", name, padding, output_padding)
    code = [layer.text()]
    if crop != zeros:
        code.append(f"keras.layers.Cropping{spec.ndim}D(cropping={_keras_pairs(crop)})")
    elif (output_padding or (0,) * spec.ndim) != spec.output_padding:
        written = f", output_padding={_value(output_padding)}" if output_padding else ""
        warnings.append(f"Keras counts output_padding from its own padding rule: "
                        f"padding={padding!r}{written} is PyTorch's {torch} here")
    return FrameworkLayer("keras", "conv", layer, True, zeros, crop, tuple(code),
                          tuple(warnings), _KERAS)


def _keras_same_transposed(spec: ConvSpec) -> str:
    """What Keras' transposed ``padding='same'`` computes, in PyTorch's terms."""
    spans = _spans(spec)
    primes = [_keras_transposed_axis(i, span, s, "same", None) for i, span, s in
              zip(spec.input_size, spans, spec.stride, strict=True)]
    pairs = tuple((span - b, max(span - a, 0)) for (b, a), span in zip(primes, spans, strict=True))
    extra = [max(a - span, 0) for (_, a), span in zip(primes, spans, strict=True)]
    return f"padding={_torch_padding(pairs)}, output_padding={_value(extra)}"


def _torch_padding(pairs: Pairs) -> object:
    """PyTorch's ``padding=``: one int per axis when both sides agree, else the pairs."""
    return _value([b for b, _ in pairs]) if all(b == a for b, a in pairs) else pairs


# --------------------------------------------------------------------------------------
# JAX
# --------------------------------------------------------------------------------------


def _jax(spec: ConvSpec, op: str) -> FrameworkLayer:
    """``jax.lax.conv_general_dilated`` (transposed: ``lhs_dilation``, a flipped kernel), or
    ``jax.lax.reduce_window``, padding with its start value (-inf for max, 0 for avg)."""
    zeros, ones = _zeros(spec), (1, 1)
    x = f"# x: (N, {', '.join(map(str, (spec.in_channels, *spec.input_size)))})"
    keywords: list[tuple[str, object]]
    if op != "conv":
        keywords = [("window_dimensions", (*ones, *spec.kernel_size)),
                    ("window_strides", (*ones, *spec.stride)),
                    ("padding", ((0, 0), (0, 0), *spec.padding))]
        if max(spec.dilation) > 1:
            keywords.append(("window_dilation", (*ones, *spec.dilation)))
        start, combine = ("-jnp.inf", "jax.lax.max") if op == "max" else ("0.0", "jax.lax.add")
        layer = Call("jax.lax.reduce_window", (Name("x"), Name(start), Name(combine)),
                     tuple(keywords))
        mean = f" / {math.prod(spec.kernel_size)}" if op == "avg" else ""
        code = (f"{x}, channels first", f"y = {layer.text()}{mean}")
        return FrameworkLayer("jax", op, layer, True, zeros, zeros, code, (), _JAX_IMPORTS)
    lines = [f"{x}, w: {spec.kernel_shape if spec.has_channels else (1, 1, *spec.kernel_size)} "
             f"(PyTorch's layouts, channels first)"]
    warnings: tuple[str, ...] = ()
    keywords = [("window_strides", spec.stride), ("padding", spec.padding)]
    if spec.transposed:
        padding = tuple((span - b, span - a + extra) for span, (b, a), extra in
                        zip(_spans(spec), spec.padding, spec.output_padding, strict=True))
        keywords = [("window_strides", (1,) * spec.ndim), ("padding", padding),
                    ("lhs_dilation", spec.stride)]
        lines.append(_jax_transposed_weight(spec))
        warnings = ("JAX has no transposed padding or output_padding: conv_general_dilated "
                    "with lhs_dilation=stride pads d(k - 1) - p on each side (plus "
                    "output_padding after) and takes the flipped kernel",)
    if max(spec.dilation) > 1:
        keywords.append(("rhs_dilation", spec.dilation))
    if spec.groups != 1:
        keywords.append(("feature_group_count", spec.groups))
    layer = Call("jax.lax.conv_general_dilated", (Name("x"), Name("w")), tuple(keywords))
    lines.append(f"y = {layer.text()}")
    return FrameworkLayer("jax", "conv", layer, True, zeros, zeros, tuple(lines), warnings,
                          _JAX_IMPORTS)


_JAX_IMPORTS = ("import jax", "import jax.numpy as jnp")


def _jax_transposed_weight(spec: ConvSpec) -> str:
    """PyTorch's transposed weight ``(in, out / g, *k)`` as a direct one, flipped."""
    flipped = f"jnp.flip(w, axis={tuple(range(2, 2 + spec.ndim))})"
    if spec.groups == 1:
        return f"w = {flipped}.swapaxes(0, 1)  # (in, out, *k) -> flipped (out, in, *k)"
    g, i, o, kernel = spec.groups, spec.in_channels, spec.out_channels, spec.kernel_size
    k = ", ".join(map(str, kernel))
    return (f"w = {flipped}.reshape({g}, {i // g}, {o // g}, {k}).swapaxes(1, 2)"
            f".reshape({o}, {i // g}, {k})  # per group: (in, out, *k) -> flipped (out, in, *k)")


__all__ = [
    "FRAMEWORKS", "OPS", "TITLES", "Call", "FrameworkLayer", "Name", "framework_lines",
    "keras_same_padding", "to_layer",
]
