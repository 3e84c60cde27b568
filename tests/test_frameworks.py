"""Tests for conv_anim.frameworks: the same layer in PyTorch, Keras and JAX.

Round trips run both ways without the frameworks: the structured layer that
``to_layer`` returns becomes a stand-in object with the real class's name, module and
attributes (stored as the framework stores them), which ``ConvSpec.from_layer`` reads
back. Where torch, Keras (3, on the JAX backend) or JAX are installed, the code text
itself is run and its values compared with ``ConvSpec.apply`` (skipped otherwise).
"""

from __future__ import annotations

import doctest
import importlib.util
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import conv_anim.frameworks as frameworks
from conv_anim.errors import ParameterError
from conv_anim.frameworks import (
    FRAMEWORKS,
    Call,
    framework_lines,
    keras_same_padding,
    to_layer,
)
from conv_anim.geometry import ConvSpec
from conv_anim.layers import spec_from_layer


def _specs():
    """Direct and transposed specs over 1 to 3 axes, with their ops."""
    grid = itertools.product(
        [(5,), (6,), (5, 6), (4, 3, 5)], [1, 2, 3, (3, 1, 2)], [1, 2, 3],
        [0, 1, (0, 1), ((2, 1),), "same", "full"], [1, 2], [False, True], [0, 1],
        [(1, 1, 1), (2, 4, 2)],
    )
    for size, k, s, pad, d, transposed, a, (cin, cout, groups) in grid:
        kernel = k[: len(size)] if isinstance(k, tuple) else k
        if isinstance(pad, tuple) and isinstance(pad[0], tuple):
            pad = pad * len(size)
        try:
            spec = ConvSpec(size, kernel, s, pad, d, transposed=transposed, output_padding=a,
                            in_channels=cin, out_channels=cout, groups=groups)
        except ValueError:
            continue
        ops = ("conv",) if transposed or cin != cout else ("conv", "max", "avg")
        yield from ((spec, op) for op in ops)


SPECS = list(_specs())
SOME = SPECS[::7]
FEW = SPECS[::41]  # for the frameworks that compile each shape


def test_the_grid_is_broad():
    assert len(SPECS) > 1000
    for chosen in (SOME, FEW):
        assert {spec.ndim for spec, _ in chosen} == {1, 2, 3}
        assert {op for _, op in chosen} == {"conv", "max", "avg"}
        assert any(s.transposed and any(s.output_padding) and s.groups > 1 for s, _ in chosen)


# --------------------------------------------------------------------------- PyTorch text


@pytest.mark.parametrize(("spec", "op", "expected"), [
    (ConvSpec(5, 3, stride=2, padding=1), "conv", ["nn.Conv2d(1, 1, kernel_size=3, stride=2, "
                                                   "padding=1)"]),
    (ConvSpec(5, 4, padding="same"), "conv", [
        "x = F.pad(x, (1, 2, 1, 2))  # (left, right, top, bottom): nn.Conv2d pads both sides "
        "equally",
        "nn.Conv2d(1, 1, kernel_size=4)",
        "# or, without F.pad: nn.Conv2d(1, 1, kernel_size=4, padding='same')",
    ]),
    (ConvSpec(4, 4, padding=((0, 1), (2, 0)), transposed=True), "conv", [
        "nn.ConvTranspose2d(1, 1, kernel_size=4)",
        "y = y[..., :-1, 2:]  # crop: nn.ConvTranspose2d pads both sides equally",
    ]),
    (ConvSpec(5, 3, padding=2), "max", [
        "nn.MaxPool2d(kernel_size=3, stride=1, padding=2)",
        "# nn.MaxPool2d refuses padding above half the window (3)",
    ]),
    (ConvSpec(7, 3, dilation=2), "avg",
     ["# nn.AvgPool2d has no dilation: no PyTorch layer computes this pooling"]),
])
def test_pytorch_code_of_the_cli_cases(spec, op, expected):
    assert list(to_layer(spec, "torch", op=op).code) == expected


def test_pytorch_warnings():
    keras_same = ConvSpec(6, 3, stride=2, padding=((0, 1), (0, 1)))
    (warning,) = to_layer(keras_same, "torch").warnings
    assert "Keras' padding='same'" in warning and "refuses padding='same' with a stride" in warning
    refused = to_layer(ConvSpec(5, 3, padding=2), "torch", op="max")
    assert not refused.supported
    assert refused.warnings == (
        "pad first instead: x = F.pad(x, (2, 2, 2, 2), value=float('-inf')), then "
        "nn.MaxPool2d(kernel_size=3, stride=1)",
    )
    assert to_layer(ConvSpec(5, 3, stride=2, padding=1), "torch").warnings == ()


# --------------------------------------------------------------------------- stand-ins


def _tuple(value, n):
    return tuple(value) if isinstance(value, tuple) else (value,) * n


def stand_in(call: Call, ndim: int):
    """An object of a class with ``call``'s name, the framework's module and attributes."""
    keywords = call.keywords()
    if call.function.startswith("nn."):
        if "Pool" in call.name:
            attributes = {"kernel_size": keywords["kernel_size"], "stride": keywords["stride"],
                          "padding": keywords.get("padding", 0), "ceil_mode": False}
            if call.name.startswith("Max"):
                attributes.update(dilation=keywords.get("dilation", 1), return_indices=False)
            else:
                attributes.update(count_include_pad=True, divisor_override=None)
            module = "torch.nn.modules.pooling"
        else:
            attributes = {
                "in_channels": call.args[0], "out_channels": call.args[1],
                "groups": keywords.get("groups", 1), "padding_mode": "zeros",
                **{name: _tuple(keywords.get(name, default), ndim) for name, default in (
                    ("kernel_size", 1), ("stride", 1), ("padding", 0), ("dilation", 1),
                    ("output_padding", 0))},
            }
            module = "torch.nn.modules.conv"
    else:
        assert call.function.startswith("keras.layers.")
        attributes = {"data_format": "channels_last",
                      "padding": keywords.get("padding", "valid")}
        if "Pooling" in call.name:
            pool = _tuple(keywords["pool_size"], ndim)
            attributes.update(pool_size=pool, strides=_tuple(keywords["strides"], ndim))
        else:
            attributes.update(
                filters=call.args[0], kernel_size=_tuple(call.args[1], ndim),
                strides=_tuple(keywords.get("strides", 1), ndim),
                dilation_rate=_tuple(keywords.get("dilation_rate", 1), ndim),
            )
            if call.name.endswith("Transpose"):
                given = keywords.get("output_padding")
                attributes.update(output_padding=None if given is None else _tuple(given, ndim))
            else:
                attributes.update(groups=keywords.get("groups", 1))
        module = "keras.src.layers"
    layer = type(call.name, (), {"__module__": module})()
    layer.__dict__.update(attributes)
    return layer


def same_computation(a: ConvSpec, b: ConvSpec) -> bool:
    """Equal specs, or transposed specs whose equivalent direct convolutions are equal
    (padding after traded for output padding)."""
    if a == b or not (a.transposed and b.transposed):
        return a == b
    return (a.equivalent_direct(), a.input_size, a.stride) == (
        b.equivalent_direct(), b.input_size, b.stride)


def read_back(spec: ConvSpec, written, layer) -> ConvSpec:
    """The spec of ``layer`` with the padding before it and the crop after it."""
    seen = tuple(i + b + a for i, (b, a) in zip(spec.input_size, written.pad, strict=True))
    inner = spec_from_layer(layer, seen, in_channels=spec.in_channels)
    padding = tuple((ib + pb + cb, ia + pa + ca) for (ib, ia), (pb, pa), (cb, ca) in
                    zip(inner.padding, written.pad, written.crop, strict=True))
    return ConvSpec(
        spec.input_size, inner.kernel_size, inner.stride, padding, inner.dilation,
        transposed=inner.transposed, output_padding=inner.output_padding,
        in_channels=inner.in_channels, out_channels=inner.out_channels, groups=inner.groups,
    )


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_round_trip_through_stand_ins(framework):
    expressed = 0
    for spec, op in SPECS:
        written = to_layer(spec, framework, op=op)
        if written.layer is None:
            assert not written.supported and written.code[0].startswith("# ")
            continue
        expressed += 1
        layer = stand_in(written.layer, spec.ndim)
        assert same_computation(read_back(spec, written, layer), spec), (spec, op, written.code)
        assert spec_from_layer(layer, 9 if spec.ndim == 1 else (9,) * spec.ndim,
                               in_channels=spec.in_channels).ndim == spec.ndim
    assert expressed > {"torch": 0.9, "keras": 0.4}[framework] * len(SPECS)


def test_round_trip_from_layers():
    """The other way: a framework layer's spec, written back, is the same layer."""
    cases = [
        (Call("keras.layers.Conv2D", (8, 3), (("strides", 2), ("padding", "same"))), (7, 8)),
        (Call("keras.layers.Conv1D", (2, 3), (("padding", "causal"), ("dilation_rate", 2))),
         (9,)),
        (Call("keras.layers.Conv2DTranspose", (5, 3), (("strides", 2), ("padding", "same"))),
         (4, 4)),
        (Call("keras.layers.Conv2DTranspose", (1, 4), (("strides", 2), ("padding", "same"),
                                                       ("output_padding", 1))), (3, 3)),
        (Call("keras.layers.MaxPooling2D", (), (("pool_size", 3), ("strides", 2),
                                                ("padding", "same"))), (6, 7)),
        (Call("nn.Conv2d", (4, 8), (("kernel_size", 3), ("stride", 2), ("padding", 1),
                                    ("groups", 4))), (9, 9)),
        (Call("nn.ConvTranspose3d", (2, 2), (("kernel_size", 3), ("stride", 2), ("padding", 1),
                                             ("output_padding", 1))), (3, 4, 2)),
    ]
    for call, size in cases:
        layer = stand_in(call, len(size))
        channels = call.args[0] if call.args and call.function.startswith("nn.") else 4
        spec = spec_from_layer(layer, size, in_channels=channels if "Pool" not in call.name
                               else None)
        op = "max" if "Pool" in call.name else "conv"
        framework = "torch" if call.function.startswith("nn.") else "keras"
        written = to_layer(spec, framework, op=op)
        assert same_computation(read_back(spec, written, stand_in(written.layer, len(size))),
                                spec)
        if framework == "torch" or written.pad == written.crop == ((0, 0),) * len(size):
            assert written.layer.name == call.name


# --------------------------------------------------------------------------- Keras


@pytest.mark.parametrize(("size", "k", "s", "d"), list(itertools.product(
    range(1, 12), range(1, 6), range(1, 5), range(1, 3))))
def test_keras_same_padding_is_tensorflows(size, k, s, d):
    pairs = keras_same_padding((size,), k, s, d)
    out = math.ceil(size / s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    assert pairs == ((total // 2, total - total // 2),)
    if d * (k - 1) + 1 <= size + total:  # as layers.py reads a Keras layer with "same"
        assert ConvSpec((size,), k, s, pairs, d).output_size == (out,)
    if s == 1:
        assert pairs == ConvSpec((size,), k, 1, "same", d).padding


def test_keras_same_padding_axes_and_errors():
    assert keras_same_padding(7, 4, 2) == ((1, 2), (1, 2))
    assert keras_same_padding((7, 6, 5), (3, 1, 3), (2, 1, 3)) == ((1, 1), (0, 0), (0, 1))
    for args, parameter in [((0, 3), "input_size"), ((5, 0), "kernel_size"),
                            ((5, 3, (1, 2, 3)), "stride"), ((5, 3, 1, 1.5), "dilation"),
                            (((1, 2, 3, 4), 3), "input_size")]:
        with pytest.raises(ParameterError) as error:
            keras_same_padding(*args)
        assert error.value.parameter == parameter


KERAS_CASES = [
    (ConvSpec(5, 3, stride=2, padding=1), "conv",
     ["keras.layers.Conv2D(1, 3, strides=2, padding='same')"], "but ((0, 1), (0, 1)) at (6, 6)"),
    (ConvSpec(6, 3, stride=2, padding=1), "conv",
     ["keras.layers.ZeroPadding2D(padding=((1, 1), (1, 1)))", "keras.layers.Conv2D(1, 3, "
                                                              "strides=2)"],
     "Keras' padding='same' gives this output size too, but pads ((0, 1), (0, 1))"),
    (ConvSpec((9,), 3, padding=((4, 0),), dilation=2, in_channels=2, out_channels=4,
              groups=2), "conv",
     ["keras.layers.Conv1D(4, 3, padding='causal', dilation_rate=2, groups=2)"],
     "the kernel (3, C_in/groups, C_out)"),
    (ConvSpec(6, 3, stride=2, padding=1), "avg",
     ["keras.layers.ZeroPadding2D(padding=((1, 1), (1, 1)))",
      "keras.layers.AveragePooling2D(pool_size=3, strides=2)"], "leaves the padding out"),
    (ConvSpec(6, 3, stride=2, padding=((0, 1), (0, 1))), "max",
     ["keras.layers.MaxPooling2D(pool_size=3, strides=2, padding='same')"], "channels-last"),
    (ConvSpec((5,), 3, padding=1), "max",
     ["keras.layers.MaxPooling1D(pool_size=3, strides=1, padding='same')"], "(N, 5, C)"),
    (ConvSpec((5,), 3, padding=((0, 1),)), "max",
     ["keras.layers.Lambda(lambda x: keras.ops.pad(x, ((0, 0), (0, 1), (0, 0)), "
      "constant_values=float('-inf')))", "keras.layers.MaxPooling1D(pool_size=3, strides=1)"],
     "take keras.ops.pad"),
    (ConvSpec(3, 3, stride=2, padding=1, transposed=True, output_padding=1), "conv",
     ["keras.layers.Conv2DTranspose(1, 3, strides=2)",
      "keras.layers.Cropping2D(cropping=((1, 0), (1, 0)))"],
     "Keras' padding='same' computes padding=((0, 1), (0, 1)), output_padding=0 here, not "
     "PyTorch's padding=1, output_padding=1"),
    (ConvSpec((4,), 3, stride=2, padding=((0, 1),), transposed=True), "conv",
     ["keras.layers.Conv1DTranspose(1, 3, strides=2, padding='same')"], "(N, 4, C)"),
    (ConvSpec((4,), 5, stride=3, padding=2, transposed=True, output_padding=2), "conv",
     ["keras.layers.Conv1DTranspose(1, 5, strides=3)", "keras.layers.Cropping1D(cropping=(2, 0))"],
     "Keras' padding='same' computes padding=1, output_padding=0 here, not PyTorch's padding=2, "
     "output_padding=2"),
    (ConvSpec((5,), 2, padding=1, transposed=True), "conv",
     ["keras.layers.Conv1DTranspose(1, 2, padding='same', output_padding=0)"], "(N, 5, C)"),
]


@pytest.mark.parametrize(("spec", "op", "code", "warning"), KERAS_CASES)
def test_keras_code_and_warnings(spec, op, code, warning):
    written = to_layer(spec, "keras", op=op)
    assert list(written.code) == code
    assert any(warning in text for text in written.warnings), written.warnings


@pytest.mark.parametrize(("spec", "op", "reason"), [
    (ConvSpec(7, 3, stride=2, dilation=2), "conv", "refuses strides > 1 with dilation_rate > 1"),
    (ConvSpec(5, 3, transposed=True, in_channels=2, out_channels=2, groups=2), "conv",
     "has no groups"),
    (ConvSpec(7, 3, dilation=2), "max", "has no dilation"),
    (ConvSpec((4,), 3, dilation=3, transposed=True, output_padding=2), "conv",
     "output_padding < strides"),
])
def test_keras_refusals(spec, op, reason):
    written = to_layer(spec, "keras", op=op)
    assert written.layer is None and not written.supported
    assert reason in written.code[0]


# --------------------------------------------------------------------------- JAX


def test_jax_code():
    up = to_layer(ConvSpec((3,), 3, 2, 1, transposed=True, output_padding=1), "jax")
    assert up.code == (
        "# x: (N, 1, 3), w: (1, 1, 3) (PyTorch's layouts, channels first)",
        "w = jnp.flip(w, axis=(2,)).swapaxes(0, 1)  # (in, out, *k) -> flipped (out, in, *k)",
        "y = jax.lax.conv_general_dilated(x, w, window_strides=(1,), padding=((1, 2),), "
        "lhs_dilation=(2,))",
    )
    assert "output_padding" in up.warnings[0]
    keras_like = to_layer(ConvSpec((4,), 3, 2, ((0, 1),), transposed=True), "jax")
    assert keras_like.layer.keywords()["padding"] == ((2, 1),)  # d(k - 1) - p per side
    pool = to_layer(ConvSpec(5, 3, 2, 1, 2), "jax", op="avg")
    assert pool.code[-1] == (
        "y = jax.lax.reduce_window(x, 0.0, jax.lax.add, window_dimensions=(1, 1, 3, 3), "
        "window_strides=(1, 1, 2, 2), padding=((0, 0), (0, 0), (1, 1), (1, 1)), "
        "window_dilation=(1, 1, 2, 2)) / 9"
    )
    assert all(to_layer(spec, "jax", op=op).supported for spec, op in SPECS)


# --------------------------------------------------------------------------- text and errors


def test_framework_lines():
    spec = ConvSpec(5, 4, padding="same", in_channels=2, out_channels=2)
    lines = framework_lines(spec)
    assert lines[0] == "PyTorch:" and "Keras:" in lines and "JAX:" in lines
    torch_block = lines[1:lines.index("")]
    assert torch_block == [f"    {line}" for line in to_layer(spec, "torch").code]
    assert "    # warning: Keras is channels-last: x is (N, 5, 5, C), the kernel (4, 4, C_in, "\
           "C_out)" in lines
    assert framework_lines(spec, "max", ["jax"])[0] == "JAX:"


@pytest.mark.parametrize(("args", "kwargs", "parameter"), [
    (("tensorflow",), {}, "framework"), (("torch",), {"op": "sum"}, "op"),
])
def test_invalid_arguments(args, kwargs, parameter):
    with pytest.raises(ParameterError) as error:
        to_layer(ConvSpec(5, 3), *args, **kwargs)
    assert error.value.parameter == parameter
    for spec in (ConvSpec(3, 3, transposed=True), ConvSpec(5, 3, out_channels=2)):
        with pytest.raises(ParameterError, match="op='max'"):
            to_layer(spec, "jax", op="max")


def test_importing_needs_no_numpy():
    code = ("import sys, conv_anim.frameworks, conv_anim.solve; "
            "assert 'numpy' not in sys.modules and 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- running the code


def values(spec: ConvSpec, op: str, seed: int):
    """An input with batch and channel axes, a PyTorch-layout kernel, and the expected output."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-4, 5, (1, spec.in_channels, *spec.input_size)).astype(float)
    rows, columns = spec.out_channels, spec.in_channels
    if spec.transposed:
        rows, columns = columns, rows
    w = rng.integers(-3, 4, (rows, columns // spec.groups, *spec.kernel_size)).astype(float)
    try:
        expected = spec.apply(x[0] if spec.has_channels else x[0, 0],
                              (w if spec.has_channels else w[0, 0]) if op == "conv" else None, op)
    except ValueError:  # max pooling of a window over padding only
        return None
    return x, w, expected.reshape(1, spec.out_channels, *spec.output_size)


def run_lines(code, namespace, make_layer=None):
    """Run the code: statements as written, bare expressions as layers applied in turn."""
    for line in code:
        if line.startswith("#"):
            continue
        if line.split("=")[0].strip() in ("x", "y", "w") and " = " in line:
            exec(line, namespace)  # noqa: S102 - the module's own code text
            continue
        layer = eval(line, namespace)  # noqa: S307 - the module's own code text
        if make_layer is not None:
            layer = make_layer(layer)
        namespace["x"] = namespace["y"] = layer(namespace["x"])
    return namespace["y"]


def imported(written, **names):
    """A namespace holding what the code's imports import, and ``names``."""
    namespace = dict(names)
    exec("\n".join(written.imports), namespace)  # noqa: S102 - the module's own imports
    return namespace


def run_torch(torch, written, x, w):
    def prepared(layer):
        layer = layer.double()
        if isinstance(layer, torch.nn.modules.conv._ConvNd):
            layer.weight.data = torch.from_numpy(w)
            layer.bias.data.zero_()
        return layer

    with torch.no_grad():
        return run_lines(written.code, imported(written, x=torch.from_numpy(x)), prepared).numpy()


def run_jax(jax, written, x, w):
    return np.asarray(run_lines(written.code, imported(written, x=jax.numpy.asarray(x),
                                                           w=jax.numpy.asarray(w))))


def run_keras(keras, written, x, w):
    """Keras is channels-last: the input and the output move their channel axis."""

    def prepared(layer):
        if getattr(layer, "filters", None) is None:
            return layer

        def call(inputs):
            layer(inputs)  # builds the kernel: (*k, in / groups, out), transposed (*k, out, in)
            layer.set_weights([np.moveaxis(w, (0, 1), (-1, -2)), np.zeros(layer.filters)])
            return layer(inputs)

        return call

    namespace = imported(written, x=np.moveaxis(x, 1, -1).astype("float32"))
    return np.moveaxis(np.asarray(run_lines(written.code, namespace, prepared)), -1, 1)


def runner(framework):
    """The runner and the module of an installed framework, or None."""
    try:
        if framework == "torch":
            import torch
            return run_torch, torch
        if framework == "jax":
            import jax.numpy
            return run_jax, jax
        os.environ.setdefault("KERAS_BACKEND", "jax")
        import keras
    except ImportError:
        return None
    return (run_keras, keras) if keras.backend.backend() == "jax" else None  # no TensorFlow


def check_runs(framework, cases):
    """Run the code of ``cases`` in ``framework``, compare with ConvSpec.apply, count them."""
    found = runner(framework)
    if found is None:
        pytest.skip(f"{framework} is not installed")
    run, module = found
    count = 0
    for n, (spec, op) in enumerate(cases):
        written = to_layer(spec, framework, op=op)
        data = values(spec, op, n)
        if not written.supported or data is None:
            continue
        x, w, expected = data
        y = run(module, written, x, w)
        np.testing.assert_allclose(y, expected, atol=1e-3, err_msg=str((spec, op, written.code)))
        count += 1
    return count


def check_runs_in_child(framework, *cases):
    """:func:`check_runs` in a child process: JAX starts threads, and a later test that
    forks (the gallery's workers) must not inherit them."""
    needed = ("keras", "jax") if framework == "keras" else (framework,)
    if any(importlib.util.find_spec(name) is None for name in needed):
        pytest.skip(f"{framework} is not installed")
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import test_frameworks as t; "
            f"print(*(t.check_runs({framework!r}, getattr(t, name)) for name in {cases!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "KERAS_BACKEND": "jax"}, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return [int(count) for count in done.stdout.split()]


GROUPED = [
    (ConvSpec((5,), 3, 2, 1, transposed=True, output_padding=1, in_channels=4, out_channels=6,
              groups=2), "conv"),
    (ConvSpec((3, 4), (2, 3), (2, 1), ((0, 1), (2, 1)), (1, 2), transposed=True,
              output_padding=(1, 0), in_channels=6, out_channels=9, groups=3), "conv"),
    (ConvSpec((6, 5), 3, (2, 1), ((0, 1), (1, 2)), in_channels=6, out_channels=4, groups=2),
     "conv"),
]
KERAS_RUNS = [(spec, op) for spec, op, _, _ in KERAS_CASES]


def test_torch_code_runs_and_computes_the_spec():
    assert check_runs("torch", SOME) > 0.8 * len(SOME)
    assert check_runs("torch", GROUPED) == len(GROUPED)


def test_jax_code_runs_and_computes_the_spec():
    few, grouped = check_runs_in_child("jax", "FEW", "GROUPED")
    assert few == len(FEW) - sum(values(spec, op, n) is None for n, (spec, op) in enumerate(FEW))
    assert grouped == len(GROUPED)


def test_keras_code_runs_and_computes_the_spec():
    few, cases = check_runs_in_child("keras", "FEW", "KERAS_RUNS")
    assert few > 0.35 * len(FEW)
    assert cases == len(KERAS_RUNS)


def test_every_framework_is_known():
    assert FRAMEWORKS == ("torch", "keras", "jax")


def test_module_doctests_pass():
    result = doctest.testmod(frameworks, verbose=False)
    assert result.attempted > 0 and result.failed == 0
