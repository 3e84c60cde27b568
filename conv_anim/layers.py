"""Specs from PyTorch and Keras layers, without importing either framework.

:func:`spec_from_layer` (also :meth:`ConvSpec.from_layer`) reads a layer's
attributes and returns the :class:`~conv_anim.geometry.ConvSpec` it computes on an
input of a given spatial size; :func:`layer_op` returns the ``op`` to pass to
:meth:`ConvSpec.apply`: ``"conv"``, ``"max"`` or ``"avg"``. A layer is recognised by
its class name and module (``type(layer).__module__`` starting with ``torch``, or
``keras``, ``tf_keras`` or ``tensorflow``), its own class or a base class, so
subclasses work and neither framework is imported.

Supported layers (N = 1, 2, 3):

* PyTorch: ``ConvNd``, ``ConvTransposeNd``, ``MaxPoolNd``, ``AvgPoolNd``
  (``torch.nn``). Weights are in the layout :meth:`ConvSpec.apply` expects:
  ``layer.weight.detach().numpy()``.
* Keras: ``ConvND``, ``ConvNDTranspose``, ``MaxPoolingND``, ``AveragePoolingND``
  (aliases such as ``Conv2DTranspose`` or ``MaxPool2D`` are the same classes).
  conv_anim's arrays are channels-first whatever the layer's ``data_format``.
  A Keras kernel, ``(*kernel_size, in // groups, out)`` or for a transposed layer
  ``(*kernel_size, out, in)``, takes PyTorch's layout with
  ``numpy.moveaxis(kernel, (-1, -2), (0, 1))``.

Padding: PyTorch's ``padding="same"`` (stride 1 only) pads ``dilation *
(kernel_size - 1)`` in total, the odd unit after. Keras' ``"same"`` follows
TensorFlow, strides included: the output has ``ceil(i / s)`` units and the total
padding is ``max((ceil(i / s) - 1) * s + (k - 1) * d + 1 - i, 0)``, the odd unit
after; it depends on the input size, hence explicit ``(before, after)`` pairs in
the spec. Keras' ``"causal"`` (``Conv1D``) pads ``(k - 1) * d`` before. A Keras
transposed layer is the transpose of the direct ``"same"``/``"valid"``
convolution, with the output size Keras gives it.

Pooling layers carry no channel count: the spec has one channel unless
``in_channels`` is given, which then sets both ``in_channels`` and
``out_channels`` (pooling works per channel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from conv_anim.errors import ParameterError, describe
from conv_anim.geometry import ConvSpec
from conv_anim.params import is_int, per_axis, positive_int

Index = tuple[int, ...]
Pairs = tuple[tuple[int, int], ...]

_FRAMEWORKS = {"torch": "torch", "keras": "keras", "tf_keras": "keras", "tensorflow": "keras"}


@dataclass(frozen=True)
class _Kind:
    """What a supported layer class computes."""

    framework: str
    op: str
    ndim: int
    transposed: bool


_KINDS = {
    (framework, name): _Kind(framework, op, n, transposed)
    for n in (1, 2, 3)
    for framework, name, op, transposed in (
        ("torch", f"Conv{n}d", "conv", False),
        ("torch", f"ConvTranspose{n}d", "conv", True),
        ("torch", f"MaxPool{n}d", "max", False),
        ("torch", f"AvgPool{n}d", "avg", False),
        ("keras", f"Conv{n}D", "conv", False),
        ("keras", f"Conv{n}DTranspose", "conv", True),
        ("keras", f"MaxPooling{n}D", "max", False),
        ("keras", f"AveragePooling{n}D", "avg", False),
    )
}

_SUPPORTED = (
    "torch.nn Conv, ConvTranspose, MaxPool or AvgPool (1d, 2d, 3d), or Keras Conv, "
    "ConvTranspose, MaxPooling or AveragePooling (1D, 2D, 3D)"
)


def _kind(layer: Any) -> tuple[str, _Kind]:
    """The supported class name and kind of ``layer`` (its own class or a base)."""
    for cls in type(layer).__mro__:
        framework = _FRAMEWORKS.get(cls.__module__.split(".")[0])
        kind = None if framework is None else _KINDS.get((framework, cls.__name__))
        if kind is not None:
            return cls.__name__, kind
    cls = type(layer)
    raise ParameterError(
        f"layer of type {cls.__module__}.{cls.__qualname__} is not supported: expected a "
        f"{_SUPPORTED} layer",
        parameter="layer", value=layer, allowed=f"a {_SUPPORTED} layer",
    )


def layer_op(layer: Any) -> str:
    """The ``op`` a layer computes: ``"conv"``, ``"max"`` or ``"avg"``.

    Raises
    ------
    ParameterError
        If the layer is not a supported PyTorch or Keras layer.

    Examples
    --------
    >>> class MaxPooling2D:  # a stand-in with keras.layers.MaxPooling2D's name
    ...     __module__ = "keras.src.layers.pooling.max_pooling2d"
    >>> layer_op(MaxPooling2D())
    'max'
    """
    return _kind(layer)[1].op


def spec_from_layer(
    layer: Any, input_size: int | Sequence[int], *, in_channels: int | None = None
) -> ConvSpec:
    """The :class:`ConvSpec` of a PyTorch or Keras layer on an input of ``input_size``.

    Parameters
    ----------
    layer : object
        A supported layer (see the module's documentation); only its class name,
        module and attributes are read.
    input_size : int or sequence of int
        The input's spatial size: one int per spatial axis of the layer, or one
        int for every axis.
    in_channels : int, optional
        The input's channels. Needed for a Keras convolution that is not built
        yet (a built one has a kernel giving them); for a PyTorch convolution, must
        match ``layer.in_channels`` if given; for pooling, sets both
        ``in_channels`` and ``out_channels`` (default 1).

    Returns
    -------
    ConvSpec
        Pass :func:`layer_op`'s result as ``op`` to :meth:`ConvSpec.apply`.

    Raises
    ------
    ParameterError
        If the layer is not supported, lacks an attribute its class has (naming
        it), uses a feature conv_anim does not model
        (``padding_mode`` other than ``"zeros"``, ``ceil_mode=True``,
        ``divisor_override``, average pooling that leaves padded zeros out of the
        mean), or the sizes and channels are invalid for it. The message names the
        attribute, its value and what is allowed.

    Examples
    --------
    >>> class Conv2D:  # a stand-in with keras.layers.Conv2D's name and attributes
    ...     __module__ = "keras.src.layers.convolutional.conv2d"
    ...     kernel_size, strides, padding, dilation_rate = (4, 4), (2, 2), "same", (1, 1)
    ...     filters, groups, data_format = 8, 1, "channels_last"
    >>> spec = spec_from_layer(Conv2D(), (7, 8), in_channels=3)
    >>> spec.padding, spec.output_shape
    (((1, 2), (1, 1)), (8, 4, 4))
    """
    name, kind = _kind(layer)
    size = _input_size(input_size, name, kind.ndim)
    channels = None if in_channels is None else positive_int("in_channels", in_channels)
    if kind.framework == "torch":
        return _torch_spec(layer, name, kind, size, channels)
    return _keras_spec(layer, name, kind, size, channels)


def _input_size(value: object, name: str, ndim: int) -> Index:
    if is_int(value):
        value = (value,) * ndim
    if not isinstance(value, (tuple, list)) or len(value) != ndim:
        allowed = f"an int >= 1 or a sequence of {ndim} such ints"
        raise ParameterError(
            f"input_size={describe(value)} does not fit {name}, which has {ndim} spatial "
            f"axes: expected {allowed}",
            parameter="input_size", value=value, allowed=allowed,
        )
    return per_axis("input_size", value, ndim, minimum=1)


def _get(layer: object, name: str, attribute: str) -> Any:
    """``layer.<attribute>``, or a ParameterError naming the attribute that is missing."""
    try:
        return getattr(layer, attribute)
    except AttributeError:
        allowed = f"a {name} layer, which has the attribute {attribute!r}"
        raise ParameterError(
            f"layer of type {name} has no attribute {attribute!r}: expected {allowed}",
            parameter="layer", value=layer, allowed=allowed,
        ) from None


def _unsupported(name: str, attribute: str, value: object, allowed: str) -> ParameterError:
    return ParameterError(
        f"{name} has {attribute}={value!r}, which is not supported: expected {allowed}",
        parameter="layer", value=value, allowed=allowed,
    )


def _padded(spec: ConvSpec) -> bool:
    return any(before or after for before, after in spec.padding)


# --------------------------------------------------------------------------------------
# PyTorch
# --------------------------------------------------------------------------------------


def _torch_spec(
    layer: object, name: str, kind: _Kind, size: Index, in_channels: int | None
) -> ConvSpec:
    if kind.op == "conv":
        return _torch_conv(layer, name, kind, size, in_channels)
    if _get(layer, name, "ceil_mode"):
        raise _unsupported(
            name, "ceil_mode", True,
            "ceil_mode=False (conv_anim's output sizes use floor division, as the paper's)",
        )
    divisor = getattr(layer, "divisor_override", None)  # AvgPool2d and AvgPool3d only
    if divisor is not None:
        raise _unsupported(
            name, "divisor_override", divisor, "None (average pooling divides by the kernel size)"
        )
    channels = 1 if in_channels is None else in_channels  # pooling works per channel
    spec = ConvSpec(
        size, _get(layer, name, "kernel_size"), _get(layer, name, "stride"),
        _get(layer, name, "padding"), getattr(layer, "dilation", 1),  # dilation: MaxPool only
        in_channels=channels, out_channels=channels,
    )
    if kind.op == "avg" and not _get(layer, name, "count_include_pad") and _padded(spec):
        raise _unsupported(
            name, "count_include_pad", False,
            f"count_include_pad=True or padding 0, got padding {spec.padding} "
            f"(conv_anim's average pooling counts the padded zeros)",
        )
    return spec


def _torch_conv(
    layer: object, name: str, kind: _Kind, size: Index, in_channels: int | None
) -> ConvSpec:
    padding_mode = _get(layer, name, "padding_mode")
    if padding_mode != "zeros":
        raise _unsupported(
            name, "padding_mode", padding_mode, "'zeros' (conv_anim pads with zeros)"
        )
    own = _get(layer, name, "in_channels")
    if in_channels is not None and in_channels != own:
        raise ParameterError(
            f"in_channels={in_channels} does not match {name}'s in_channels={own}: "
            f"expected {own} or None",
            parameter="in_channels", value=in_channels, allowed=f"{own} or None",
        )
    return ConvSpec(
        size, _get(layer, name, "kernel_size"), _get(layer, name, "stride"),
        _get(layer, name, "padding"), _get(layer, name, "dilation"),
        transposed=kind.transposed,
        output_padding=_get(layer, name, "output_padding") if kind.transposed else 0,
        in_channels=own, out_channels=_get(layer, name, "out_channels"),
        groups=_get(layer, name, "groups"),
    )


# --------------------------------------------------------------------------------------
# Keras
# --------------------------------------------------------------------------------------

_DATA_FORMATS = ("channels_last", "channels_first")


def _keras_spec(
    layer: object, name: str, kind: _Kind, size: Index, in_channels: int | None
) -> ConvSpec:
    data_format = _get(layer, name, "data_format")
    if data_format not in _DATA_FORMATS:
        raise _unsupported(
            name, "data_format", data_format, "'channels_last' or 'channels_first'"
        )
    padding = str(_get(layer, name, "padding")).lower()
    if kind.op == "conv":
        return _keras_conv(layer, name, kind, size, in_channels, padding)
    if padding not in ("valid", "same"):
        raise _unsupported(name, "padding", padding, "'valid' or 'same'")
    ones = (1,) * kind.ndim
    kernel = per_axis("pool_size", _get(layer, name, "pool_size"), kind.ndim, minimum=1)
    stride = per_axis("strides", _get(layer, name, "strides"), kind.ndim, minimum=1)
    pairs = _keras_padding(padding, size, kernel, stride, ones)
    channels = 1 if in_channels is None else in_channels  # pooling works per channel
    spec = ConvSpec(size, kernel, stride, pairs, in_channels=channels, out_channels=channels)
    if kind.op == "avg" and _padded(spec):
        raise _unsupported(
            name, "padding", "same",
            f"'valid', or an input_size that 'same' does not pad (here it pads "
            f"{spec.padding}): Keras averages over the real units only, conv_anim counts "
            f"the padded zeros",
        )
    return spec


def _keras_conv(
    layer: object, name: str, kind: _Kind, size: Index, in_channels: int | None, padding: str
) -> ConvSpec:
    causal = kind.ndim == 1 and not kind.transposed
    allowed = ("valid", "same", "causal") if causal else ("valid", "same")
    if padding not in allowed:
        raise _unsupported(name, "padding", padding, " or ".join(map(repr, allowed)))
    kernel = per_axis("kernel_size", _get(layer, name, "kernel_size"), kind.ndim, minimum=1)
    stride = per_axis("strides", _get(layer, name, "strides"), kind.ndim, minimum=1)
    dilation = per_axis("dilation_rate", _get(layer, name, "dilation_rate"), kind.ndim, minimum=1)
    groups = positive_int("groups", getattr(layer, "groups", 1))  # none on transposed layers
    own = _keras_in_channels(layer, name, kind, groups, in_channels)
    filters = _get(layer, name, "filters")
    if kind.transposed:
        output_padding = _get(layer, name, "output_padding")
        if output_padding is not None:
            output_padding = per_axis("output_padding", output_padding, kind.ndim, minimum=0)
        pairs, extra = _keras_transposed_padding(
            padding, size, kernel, stride, dilation, output_padding
        )
        return ConvSpec(
            size, kernel, stride, pairs, dilation, transposed=True, output_padding=extra,
            in_channels=own, out_channels=filters, groups=groups,
        )
    pads = (
        tuple((d * (k - 1), 0) for k, d in zip(kernel, dilation, strict=True))
        if padding == "causal"
        else _keras_padding(padding, size, kernel, stride, dilation)
    )
    return ConvSpec(
        size, kernel, stride, pads, dilation, in_channels=own, out_channels=filters, groups=groups
    )


def _keras_in_channels(
    layer: object, name: str, kind: _Kind, groups: int, given: int | None
) -> int:
    """Input channels from a built layer's kernel, else from ``given``."""
    kernel = getattr(layer, "kernel", None)  # created when the layer is built
    if kernel is None:
        if given is None:
            raise ParameterError(
                f"in_channels=None, but {name} is not built, so its input channels are "
                f"unknown: expected in_channels as an int >= 1 (or a built layer)",
                parameter="in_channels", value=None, allowed="an int >= 1",
            )
        return given
    shape = tuple(int(n) for n in kernel.shape)
    # Keras kernels: (*kernel_size, in // groups, filters); transposed (*kernel_size, filters, in).
    found = shape[-1] if kind.transposed else shape[-2] * groups
    if given is not None and given != found:
        raise ParameterError(
            f"in_channels={given} does not match {name}'s kernel of shape {shape}, which "
            f"takes {found} input channels: expected {found} or None",
            parameter="in_channels", value=given, allowed=f"{found} or None",
        )
    return found


def _keras_padding(
    padding: str, size: Index, kernel: Index, stride: Index, dilation: Index
) -> Pairs | str:
    """``"valid"``, or TensorFlow's ``"same"`` as ``(before, after)`` pairs."""
    if padding == "valid":
        return "valid"
    return tuple(
        _split(max((ceil(i / s) - 1) * s + d * (k - 1) + 1 - i, 0))
        for i, k, s, d in zip(size, kernel, stride, dilation, strict=True)
    )


def _split(total: int) -> tuple[int, int]:
    """Split a total padding as TensorFlow and PyTorch do: the odd unit after."""
    return total // 2, total - total // 2


def _keras_transposed_padding(
    padding: str,
    size: Index,
    kernel: Index,
    stride: Index,
    dilation: Index,
    output_padding: Index | None,
) -> tuple[Pairs, Index]:
    """Padding pairs and output padding of a Keras transposed convolution, per axis.

    The output length is Keras' (its ``compute_conv_transpose_output_length``); the
    layer is the transpose of the direct convolution from that length back to
    ``size`` with TensorFlow's padding rule, and the output padding makes up the
    rest of the length.
    """
    pairs, extra = [], []
    given = (None,) * len(size) if output_padding is None else output_padding
    for i, k, s, d, a in zip(size, kernel, stride, dilation, given, strict=True):
        span = d * (k - 1) + 1
        if a is None:
            length = i * s + max(span - s, 0) if padding == "valid" else i * s
        else:
            length = (i - 1) * s + span - 2 * (span // 2 if padding == "same" else 0) + a
        total = max((i - 1) * s + span - length, 0) if padding == "same" else 0
        pairs.append(_split(total))
        extra.append(length - ((i - 1) * s + span - total))
    return tuple(pairs), tuple(extra)


__all__ = ["layer_op", "spec_from_layer"]
