"""Tests for conv_anim.layers: specs from PyTorch and Keras layers.

Neither framework is installed: the layers are stand-ins, classes with the real
names, modules and attributes (stored as the frameworks store them). Expected
paddings are worked out by hand from PyTorch's and TensorFlow's rules.
"""

from __future__ import annotations

import dataclasses
import doctest
import math
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conv_anim.layers as layers
from conv_anim.geometry import ConvSpec
from conv_anim.layers import layer_op, spec_from_layer

TORCH_CONV = "torch.nn.modules.conv"
TORCH_POOL = "torch.nn.modules.pooling"
KERAS_CONV = "keras.src.layers.convolutional.base_conv"
KERAS_POOL = "keras.src.layers.pooling.base_pooling"


def stand_in(name, module, **attributes):
    """An instance of a fresh class called ``name`` in ``module``, with ``attributes``."""
    layer = type(name, (), {"__module__": module})()
    layer.__dict__.update(attributes)
    return layer


def _tuple(value, n):
    return value if isinstance(value, (tuple, str)) else (value,) * n


def torch_conv(n, kernel_size, stride=1, padding=0, dilation=1, *, groups=1, in_channels=1,
               out_channels=1, padding_mode="zeros", transposed=False, output_padding=0):
    """As torch.nn.ConvNd / ConvTransposeNd store their arguments (tuples)."""
    return stand_in(
        f"ConvTranspose{n}d" if transposed else f"Conv{n}d", TORCH_CONV,
        kernel_size=_tuple(kernel_size, n), stride=_tuple(stride, n),
        padding=_tuple(padding, n), dilation=_tuple(dilation, n), groups=groups,
        in_channels=in_channels, out_channels=out_channels, padding_mode=padding_mode,
        transposed=transposed, output_padding=_tuple(output_padding, n),
    )


def torch_pool(kind, n, kernel_size, stride=None, padding=0, dilation=1, *, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """As torch.nn.MaxPoolNd / AvgPoolNd store their arguments (as given)."""
    attributes = dict(
        kernel_size=kernel_size, stride=kernel_size if stride is None else stride,
        padding=padding, ceil_mode=ceil_mode,
    )
    if kind == "Max":
        attributes.update(dilation=dilation, return_indices=False)
    else:
        attributes.update(count_include_pad=count_include_pad)
        if n > 1:
            attributes.update(divisor_override=divisor_override)
    return stand_in(f"{kind}Pool{n}d", TORCH_POOL, **attributes)


def keras_conv(n, filters, kernel_size, strides=1, padding="valid", dilation_rate=1, *,
               groups=1, transposed=False, output_padding=None, kernel_shape=None,
               data_format="channels_last", module=KERAS_CONV):
    """As keras.layers.ConvND / ConvNDTranspose store their arguments (tuples)."""
    attributes = dict(
        filters=filters, kernel_size=_tuple(kernel_size, n), strides=_tuple(strides, n),
        padding=padding, dilation_rate=_tuple(dilation_rate, n), data_format=data_format,
    )
    if transposed:
        attributes.update(
            output_padding=None if output_padding is None else _tuple(output_padding, n)
        )
    else:
        attributes.update(groups=groups)
    if kernel_shape is not None:  # a built layer
        attributes.update(kernel=SimpleNamespace(shape=kernel_shape))
    name = f"Conv{n}DTranspose" if transposed else f"Conv{n}D"
    return stand_in(name, module, **attributes)


def keras_pool(kind, n, pool_size, strides=None, padding="valid", data_format="channels_last"):
    """As keras.layers.MaxPoolingND / AveragePoolingND store their arguments."""
    return stand_in(
        f"{kind}Pooling{n}D", KERAS_POOL, pool_size=_tuple(pool_size, n),
        strides=_tuple(pool_size if strides is None else strides, n), padding=padding,
        data_format=data_format,
    )


# --------------------------------------------------------------------------------------
# Every supported type
# --------------------------------------------------------------------------------------

DIMS = [1, 2, 3]


@pytest.mark.parametrize("n", DIMS)
def test_torch_conv(n):
    layer = torch_conv(
        n, 3, stride=2, padding=1, dilation=2, groups=2, in_channels=4, out_channels=6
    )
    spec = spec_from_layer(layer, 9)
    assert spec == ConvSpec((9,) * n, 3, 2, 1, 2, in_channels=4, out_channels=6, groups=2)
    assert spec.output_shape == (6,) + (4,) * n
    assert layer_op(layer) == "conv"


@pytest.mark.parametrize("n", DIMS)
def test_torch_conv_transpose(n):
    layer = torch_conv(n, 3, stride=2, padding=1, transposed=True, output_padding=1,
                       groups=2, in_channels=4, out_channels=6)
    spec = spec_from_layer(layer, (3,) * n)
    assert spec == ConvSpec((3,) * n, 3, 2, 1, transposed=True, output_padding=1,
                            in_channels=4, out_channels=6, groups=2)
    assert spec.output_size == (6,) * n
    assert spec.kernel_shape == (4, 3) + (3,) * n
    assert layer_op(layer) == "conv"


@pytest.mark.parametrize("n", DIMS)
def test_torch_max_pool(n):
    layer = torch_pool("Max", n, 2)  # stride defaults to the kernel size
    assert spec_from_layer(layer, 6) == ConvSpec((6,) * n, 2, 2)
    dilated = torch_pool("Max", n, 3, stride=1, padding=1, dilation=2)
    assert spec_from_layer(dilated, 6) == ConvSpec((6,) * n, 3, 1, 1, 2)
    assert layer_op(layer) == "max"


@pytest.mark.parametrize("n", DIMS)
def test_torch_avg_pool(n):
    layer = torch_pool("Avg", n, 3, stride=2, padding=1)
    assert spec_from_layer(layer, 5) == ConvSpec((5,) * n, 3, 2, 1)
    assert layer_op(layer) == "avg"


@pytest.mark.parametrize("n", DIMS)
def test_keras_conv(n):
    layer = keras_conv(n, 6, 3, strides=2, padding="same", groups=2)
    spec = spec_from_layer(layer, 7, in_channels=4)
    # TensorFlow: out = ceil(7 / 2) = 4, total = (4 - 1) * 2 + 3 - 7 = 2 -> (1, 1)
    assert spec == ConvSpec((7,) * n, 3, 2, 1, in_channels=4, out_channels=6, groups=2)
    assert spec.output_size == (4,) * n
    assert layer_op(layer) == "conv"


@pytest.mark.parametrize("n", DIMS)
def test_keras_conv_transpose(n):
    layer = keras_conv(n, 5, 3, strides=2, padding="same", transposed=True)
    spec = spec_from_layer(layer, 4, in_channels=2)
    # Keras: length 4 * 2 = 8; the direct 'same' conv 8 -> 4 pads (0, 1), a = 0.
    assert spec == ConvSpec((4,) * n, 3, 2, ((0, 1),) * n, transposed=True,
                            in_channels=2, out_channels=5)
    assert spec.output_size == (8,) * n
    assert layer_op(layer) == "conv"


@pytest.mark.parametrize("n", DIMS)
def test_keras_max_pooling(n):
    layer = keras_pool("Max", n, 2)
    assert spec_from_layer(layer, 6) == ConvSpec((6,) * n, 2, 2)
    assert layer_op(layer) == "max"


@pytest.mark.parametrize("n", DIMS)
def test_keras_average_pooling(n):
    layer = keras_pool("Average", n, 3, strides=1)
    assert spec_from_layer(layer, 6) == ConvSpec((6,) * n, 3, 1)
    assert layer_op(layer) == "avg"


@pytest.mark.parametrize(
    "module",
    ["keras.layers", "keras.src.layers.convolutional.conv2d", "tf_keras.src.layers.convolutional",
     "tensorflow.python.keras.layers.convolutional"],
)
def test_keras_module_roots(module):
    layer = keras_conv(2, 1, 3, module=module)
    assert spec_from_layer(layer, 5, in_channels=1) == ConvSpec(5, 3)


def test_subclasses_are_recognised_through_their_bases():
    base = type(torch_conv(2, 3))

    class MyConv(base):  # defined here: module "test_layers"
        pass

    layer = MyConv()
    layer.__dict__.update(torch_conv(2, 3, padding=1).__dict__)
    assert spec_from_layer(layer, 5) == ConvSpec(5, 3, padding=1)
    assert layer_op(layer) == "conv"


def test_from_layer_classmethod_delegates():
    layer = torch_conv(2, 3, stride=2, in_channels=3, out_channels=8)
    assert ConvSpec.from_layer(layer, (9, 7)) == spec_from_layer(layer, (9, 7))
    pool = keras_pool("Max", 1, 2)
    assert ConvSpec.from_layer(pool, 6, in_channels=3) == ConvSpec(
        (6,), 2, 2, in_channels=3, out_channels=3
    )


# --------------------------------------------------------------------------------------
# 'same' padding: PyTorch's rule (stride 1) and TensorFlow's (any stride), even kernels
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "size", "padding"),
    [
        # total d * (k - 1), the odd unit after
        (torch_conv(2, 4, padding="same"), 5, ((1, 2), (1, 2))),
        (torch_conv(1, 2, padding="same"), (5,), ((0, 1),)),
        (torch_conv(1, 4, padding="same", dilation=2), (5,), ((3, 3),)),
        (torch_conv(3, (2, 4, 3), padding="same"), (5, 6, 7), ((0, 1), (1, 2), (1, 1))),
    ],
)
def test_torch_same_padding(layer, size, padding):
    spec = spec_from_layer(layer, size)
    assert spec.padding == padding
    assert spec.output_size == spec.input_size


def test_torch_valid_padding():
    spec = spec_from_layer(torch_conv(2, 3, padding="valid"), 5)
    assert spec.padding == ((0, 0), (0, 0))
    assert spec.output_size == (3, 3)


def test_torch_same_padding_with_stride_is_refused():
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1"):
        spec_from_layer(torch_conv(2, 3, stride=2, padding="same"), 5)


@pytest.mark.parametrize(
    ("layer", "size", "padding", "output"),
    [
        # total = max((ceil(i / s) - 1) * s + (k - 1) * d + 1 - i, 0), the odd unit after
        (keras_conv(2, 1, 4, strides=2, padding="same"), (7, 8), ((1, 2), (1, 1)), (4, 4)),
        (keras_conv(1, 1, 2, padding="same"), 5, ((0, 1),), (5,)),
        (keras_conv(1, 1, 4, strides=3, padding="same"), 10, ((1, 2),), (4,)),
        (keras_conv(1, 1, 3, strides=2, padding="same"), 6, ((0, 1),), (3,)),  # PyTorch: (1, 1)
        (keras_conv(1, 1, 3, strides=2, padding="same"), 7, ((1, 1),), (4,)),
        (keras_conv(1, 1, 1, strides=2, padding="same"), 5, ((0, 0),), (3,)),
        (keras_conv(1, 1, 2, strides=3, padding="same"), 4, ((0, 1),), (2,)),
        (keras_conv(1, 1, 2, dilation_rate=3, padding="same"), 6, ((1, 2),), (6,)),
        (keras_conv(3, 1, (2, 3, 4), strides=(1, 2, 2), padding="SAME"), (4, 4, 5),
         ((0, 1), (0, 1), (1, 2)), (4, 2, 3)),
        (keras_pool("Max", 2, 2, padding="same"), 5, ((0, 1), (0, 1)), (3, 3)),
        (keras_pool("Max", 1, 3, strides=2, padding="same"), 6, ((0, 1),), (3,)),
        (keras_pool("Max", 1, 4, strides=1, padding="same"), 6, ((1, 2),), (6,)),
        (keras_pool("Average", 2, 2, padding="same"), 4, ((0, 0), (0, 0)), (2, 2)),
        (keras_conv(1, 1, 2, dilation_rate=4, padding="causal"), 10, ((4, 0),), (10,)),
        (keras_conv(1, 1, 3, strides=2, padding="causal"), 7, ((2, 0),), (4,)),
    ],
)
def test_keras_padding(layer, size, padding, output):
    spec = spec_from_layer(layer, size, in_channels=1)
    assert spec.padding == padding
    assert spec.output_size == output


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 5), st.integers(1, 4), st.integers(1, 3))
def test_keras_same_output_is_ceil_of_input_over_stride(i, k, s, d):
    spec = spec_from_layer(keras_conv(1, 1, k, strides=s, dilation_rate=d, padding="same"), i,
                           in_channels=1)
    assert spec.output_size == (math.ceil(i / s),)
    (before, after), = spec.padding
    assert after - before in (0, 1)


@pytest.mark.parametrize(
    ("layer", "size", "padding", "output_padding", "output"),
    [
        # Keras length, then the direct conv of that length back to the input:
        (keras_conv(1, 1, 4, strides=2, padding="same", transposed=True), 3, ((1, 1),), (0,), (6,)),
        (keras_conv(1, 1, 3, strides=2, padding="valid", transposed=True), 3, ((0, 0),), (0,),
         (7,)),
        (keras_conv(1, 1, 1, strides=2, padding="valid", transposed=True), 3, ((0, 0),), (1,),
         (6,)),
        (keras_conv(1, 1, 1, strides=2, padding="same", transposed=True), 3, ((0, 0),), (1,), (6,)),
        (keras_conv(1, 1, 3, strides=2, padding="same", transposed=True, output_padding=1), 4,
         ((0, 1),), (0,), (8,)),
        (keras_conv(1, 1, 3, strides=2, padding="valid", transposed=True, output_padding=1), 4,
         ((0, 0),), (1,), (10,)),
        (keras_conv(2, 1, (3, 2), strides=(1, 2), padding="same", transposed=True), (4, 5),
         ((1, 1), (0, 0)), (0, 0), (4, 10)),
    ],
)
def test_keras_transposed_padding(layer, size, padding, output_padding, output):
    spec = spec_from_layer(layer, size, in_channels=1)
    assert spec.transposed
    assert spec.padding == padding
    assert spec.output_padding == output_padding
    assert spec.output_size == output


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6), st.integers(1, 4), st.integers(1, 3), st.integers(1, 2),
    st.sampled_from(["same", "valid"]), st.data(),
)
def test_keras_transposed_is_the_transpose_of_keras_direct(i, k, s, d, padding, data):
    """A Keras transposed conv is the gradient of the direct conv from its output back."""
    output_padding = data.draw(st.one_of(st.none(), st.integers(0, s - 1)))
    layer = keras_conv(1, 1, k, strides=s, dilation_rate=d, padding=padding, transposed=True,
                       output_padding=output_padding)
    span = d * (k - 1) + 1
    if output_padding is None:  # Keras' compute_conv_transpose_output_length
        length = i * s + max(span - s, 0) if padding == "valid" else i * s
    else:
        pad = span // 2 if padding == "same" else 0
        length = (i - 1) * s + span - 2 * pad + output_padding
    if length < 1:
        with pytest.raises(ValueError, match="would have an empty output"):
            spec_from_layer(layer, i, in_channels=1)
        return
    transposed = spec_from_layer(layer, i, in_channels=1)
    assert transposed.output_size == (length,)
    direct = spec_from_layer(
        keras_conv(1, 1, k, strides=s, dilation_rate=d, padding=padding), length, in_channels=1
    )
    if direct.output_size != (i,):
        # Keras' length does not map back to i (an even kernel with 'same' and an
        # explicit output_padding): TensorFlow refuses such a layer.
        assert output_padding is not None
        return
    w = np.arange(1, k + 1)
    np.testing.assert_array_equal(transposed.matrix(w), direct.matrix(w).T)


# --------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------


def test_keras_channels_from_a_built_kernel():
    # Conv: kernel (*kernel_size, in // groups, filters)
    built = keras_conv(2, 8, 3, groups=2, kernel_shape=(3, 3, 3, 8))
    spec = spec_from_layer(built, 5)
    assert (spec.in_channels, spec.out_channels, spec.groups) == (6, 8, 2)
    assert spec_from_layer(built, 5, in_channels=6) == spec
    # Transposed: kernel (*kernel_size, filters, in)
    built_t = keras_conv(1, 4, 3, transposed=True, kernel_shape=(3, 4, 7))
    spec = spec_from_layer(built_t, 5)
    assert (spec.in_channels, spec.out_channels, spec.kernel_shape) == (7, 4, (7, 4, 3))


def test_torch_channels_and_pooling_channels():
    layer = torch_conv(2, 3, in_channels=3, out_channels=8)
    assert spec_from_layer(layer, 5, in_channels=3) == spec_from_layer(layer, 5)
    assert spec_from_layer(torch_pool("Max", 2, 2), 4).has_channels is False
    pooled = spec_from_layer(torch_pool("Avg", 2, 2), 4, in_channels=5)
    assert (pooled.in_channels, pooled.out_channels, pooled.groups) == (5, 5, 1)
    assert pooled.input_shape == (5, 4, 4) and pooled.output_shape == (5, 2, 2)


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------

BAD = [
    (stand_in("Linear", "torch.nn.modules.linear"), 5, {},
     r"layer of type torch\.nn\.modules\.linear\.Linear is not supported: expected a "
     r"torch\.nn Conv"),
    (stand_in("Conv2d", "mylib.layers"), 5, {}, r"mylib\.layers\.Conv2d is not supported"),
    (stand_in("Conv2d", "keras.layers"), 5, {}, r"keras\.layers\.Conv2d is not supported"),
    (stand_in("Conv2D", "torch.nn"), 5, {}, r"torch\.nn\.Conv2D is not supported"),
    (stand_in("DepthwiseConv2D", "keras.layers"), 5, {}, r"DepthwiseConv2D is not supported"),
    (torch_conv(2, 3, padding_mode="reflect"), 5, {},
     r"Conv2d has padding_mode='reflect', which is not supported: expected 'zeros'"),
    (torch_conv(1, 3, padding_mode="circular", transposed=True), 5, {}, r"padding_mode='circular'"),
    (torch_pool("Max", 2, 2, ceil_mode=True), 5, {},
     r"MaxPool2d has ceil_mode=True, which is not supported: expected ceil_mode=False"),
    (torch_pool("Avg", 1, 2, ceil_mode=True), 5, {}, r"AvgPool1d has ceil_mode=True"),
    (torch_pool("Avg", 2, 3, padding=1, count_include_pad=False), 5, {},
     r"AvgPool2d has count_include_pad=False, which is not supported: expected "
     r"count_include_pad=True or padding 0, got padding \(\(1, 1\), \(1, 1\)\)"),
    (torch_pool("Avg", 2, 2, divisor_override=3), 4, {},
     r"AvgPool2d has divisor_override=3, which is not supported"),
    (torch_conv(2, 3, in_channels=3, out_channels=3), 5, {"in_channels": 4},
     r"in_channels=4 does not match Conv2d's in_channels=3: expected 3 or None"),
    (torch_conv(2, 3, in_channels=4, out_channels=6, groups=4), 5, {},
     r"out_channels=6 is not divisible by groups=4"),
    (torch_conv(2, 3), (5,), {},
     r"input_size=\(5,\) does not fit Conv2d, which has 2 spatial axes"),
    (torch_conv(1, 3), (5, 5), {},
     r"input_size=\(5, 5\) does not fit Conv1d, which has 1 spatial axes"),
    (torch_conv(1, 3), "5", {}, r"input_size='5' \(str\) does not fit Conv1d"),
    (torch_conv(1, 3), 0, {}, r"input_size=\(0,\) is not valid: expected an int >= 1"),
    (torch_conv(1, 5), 3, {}, r"kernel_size 5 spans 5 but input_size 3"),
    (torch_conv(1, 3), 5, {"in_channels": 0}, r"in_channels=0 is not valid: expected an int >= 1"),
    (keras_conv(2, 4, 3), 5, {},
     r"in_channels=None, but Conv2D is not built, so its input channels are unknown: "
     r"expected in_channels as an int >= 1"),
    (keras_conv(2, 4, 3, kernel_shape=(3, 3, 2, 4)), 5, {"in_channels": 3},
     r"in_channels=3 does not match Conv2D's kernel of shape \(3, 3, 2, 4\), which takes 2 "
     r"input channels: expected 2 or None"),
    (keras_conv(2, 4, 3, padding="causal"), 5, {"in_channels": 1},
     r"Conv2D has padding='causal', which is not supported: expected 'valid' or 'same'"),
    (keras_conv(1, 4, 3, padding="causal", transposed=True), 5, {"in_channels": 1},
     r"Conv1DTranspose has padding='causal'"),
    (keras_conv(1, 4, 3, padding="full"), 5, {"in_channels": 1},
     r"Conv1D has padding='full', which is not supported: expected 'valid' or 'same' or 'causal'"),
    (keras_pool("Max", 2, 2, padding="causal"), 5, {}, r"MaxPooling2D has padding='causal'"),
    (keras_conv(2, 4, 3, data_format="NHWC"), 5, {"in_channels": 1},
     r"Conv2D has data_format='NHWC', which is not supported: expected 'channels_last' or "
     r"'channels_first'"),
    (keras_pool("Average", 2, 2, padding="same"), 5, {},
     r"AveragePooling2D has padding='same', which is not supported: expected 'valid', or an "
     r"input_size that 'same' does not pad \(here it pads \(\(0, 1\), \(0, 1\)\)\)"),
    (keras_conv(2, 4, 0), 5, {"in_channels": 1}, r"kernel_size=\(0, 0\) is not valid"),
    (keras_conv(2, 4, 3, groups=0), 5, {"in_channels": 1}, r"groups=0 is not valid"),
    (keras_conv(2, 4, 3, groups=2), 5, {"in_channels": 3},
     r"in_channels=3 is not divisible by groups=2"),
]


@pytest.mark.parametrize(("layer", "size", "kwargs", "match"), BAD,
                         ids=[f"{type(b[0]).__name__}-{i}" for i, b in enumerate(BAD)])
def test_bad_layers_raise(layer, size, kwargs, match):
    with pytest.raises(ValueError, match=match):
        spec_from_layer(layer, size, **kwargs)


def test_layer_op_of_unsupported_layer_raises():
    with pytest.raises(ValueError, match=r"is not supported"):
        layer_op(object())


def test_count_include_pad_false_without_padding_is_fine():
    layer = torch_pool("Avg", 2, 2, count_include_pad=False)
    assert spec_from_layer(layer, 4) == ConvSpec(4, 2, 2)


# --------------------------------------------------------------------------------------
# Module hygiene
# --------------------------------------------------------------------------------------


def test_layers_imports_no_framework_and_no_numpy():
    code = (
        "import sys, conv_anim.layers, conv_anim.receptive\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'torch', 'keras', 'tensorflow', 'tf_keras', 'numpy', 'matplotlib'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.stdout.strip() == "[]"


def test_module_doctests_pass():
    result = doctest.testmod(layers, verbose=False)
    assert result.attempted >= 4
    assert result.failed == 0


def test_frozen_kind():
    kind = layers._kind(torch_conv(2, 3))[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kind.op = "max"  # type: ignore[misc]


# --------------------------------------------------------------------------------------
# With the real PyTorch, when it is installed (this project never installs it)
# --------------------------------------------------------------------------------------

TORCH_CASES = [
    ("Conv1d", dict(in_channels=2, out_channels=4, kernel_size=3, stride=2, padding=1, groups=2),
     (9,)),
    ("Conv2d", dict(in_channels=3, out_channels=3, kernel_size=4, padding="same", groups=3),
     (6, 5)),
    ("Conv2d", dict(in_channels=2, out_channels=5, kernel_size=1), (4, 4)),
    ("Conv3d", dict(in_channels=1, out_channels=2, kernel_size=2, dilation=2), (5, 5, 4)),
    ("ConvTranspose1d", dict(in_channels=4, out_channels=2, kernel_size=3, stride=2, padding=1,
                             output_padding=1, groups=2), (4,)),
    ("ConvTranspose2d", dict(in_channels=2, out_channels=3, kernel_size=(3, 2), stride=2), (3, 4)),
    ("ConvTranspose3d", dict(in_channels=1, out_channels=1, kernel_size=2, stride=(1, 2, 1)),
     (2, 2, 3)),
    ("MaxPool1d", dict(kernel_size=3, stride=2, padding=1, dilation=2), (9,)),
    ("MaxPool2d", dict(kernel_size=2), (5, 6)),
    ("MaxPool3d", dict(kernel_size=2, stride=1), (3, 3, 3)),
    ("AvgPool1d", dict(kernel_size=3, stride=2, padding=1), (7,)),
    ("AvgPool2d", dict(kernel_size=2, stride=1, padding=1), (4, 5)),
    ("AvgPool3d", dict(kernel_size=2), (4, 4, 4)),
]


@pytest.mark.parametrize(("name", "kwargs", "size"), TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_against_real_torch(name, kwargs, size):
    torch = pytest.importorskip("torch")
    module = getattr(torch.nn, name)(**kwargs).double()
    channels = kwargs.get("in_channels", 2)
    spec = ConvSpec.from_layer(module, size, in_channels=channels)
    x = np.random.default_rng(0).normal(size=spec.input_shape)  # no channel axis for 1 -> 1
    with torch.no_grad():
        want = module(torch.tensor(x).reshape(1, channels, *size))[0].numpy()
    op = layer_op(module)
    weight = None
    if op == "conv":
        weight = module.weight.detach().numpy().reshape(spec.kernel_shape)
        want = want - module.bias.detach().numpy().reshape(-1, *(1,) * len(size))
    assert spec.output_size == want.shape[1:]
    np.testing.assert_allclose(
        spec.apply(x, weight, op), want.reshape(spec.output_shape), rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize(
    ("layer", "attribute"),
    [
        (type("Conv2d", (), {"__module__": "torch.nn.modules.conv"})(), "padding_mode"),
        (type("MaxPool2d", (), {"__module__": "torch.nn.modules.pooling", "ceil_mode": False})(),
         "kernel_size"),
        (type("Conv1D", (), {"__module__": "keras.layers", "data_format": "channels_last"})(),
         "padding"),
        (type("MaxPooling2D", (), {"__module__": "keras.layers", "data_format": "channels_last",
                                   "padding": "valid"})(), "pool_size"),
    ],
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_missing_attribute_is_a_parameter_error_naming_it(layer, attribute):
    from conv_anim.errors import ParameterError

    name = type(layer).__name__
    with pytest.raises(ParameterError) as caught:
        spec_from_layer(layer, 8, in_channels=1)
    assert str(caught.value) == (
        f"layer of type {name} has no attribute {attribute!r}: expected a {name} layer, which "
        f"has the attribute {attribute!r}"
    )
    assert caught.value.parameter == "layer" and caught.value.value is layer
