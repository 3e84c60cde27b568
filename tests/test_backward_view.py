"""The backward pass as a figure: backward_spec, animate(spec, backward=True), its words.

Values are checked against an independent reference written here with plain loops
(PyTorch autograd's x.grad: each output gradient spread back over the input units
its kernel taps read, weighted by the taps' weights).
"""

from __future__ import annotations

import itertools
from math import prod

import numpy as np
import pytest

from conv_anim import ConvSpec, animate, draw, notation
from conv_anim.backward import backward_spec
from conv_anim.errors import ParameterError
from conv_anim.render.canvas import pixel_hotspots


def reference_grad_input(spec: ConvSpec, grad_output: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """dL/dx of a direct or transposed convolution, by loops over every tap."""
    g = spec.groups
    cin, cout = spec.in_channels, spec.out_channels
    dy = grad_output.reshape(cout, *spec.output_size)
    before = [b for b, _ in spec.padding]
    dx = np.zeros((cin, *spec.input_size))
    taps = list(itertools.product(*(range(k) for k in spec.kernel_size)))
    if not spec.transposed:
        w = kernel.reshape(cout, cin // g, *spec.kernel_size)
        for o_ch in range(cout):
            group = o_ch // (cout // g)
            for o in itertools.product(*(range(n) for n in spec.output_size)):
                for c_local in range(cin // g):
                    c = group * (cin // g) + c_local
                    for t in taps:
                        pos = tuple(oo * s - b + tt * d for oo, s, b, tt, d in zip(
                            o, spec.stride, before, t, spec.dilation, strict=True))
                        if all(0 <= p < n for p, n in zip(pos, spec.input_size, strict=True)):
                            dx[(c, *pos)] += dy[(o_ch, *o)] * w[(o_ch, c_local, *t)]
    else:
        w = kernel.reshape(cin, cout // g, *spec.kernel_size)
        for c in range(cin):
            group = c // (cin // g)
            for j in itertools.product(*(range(n) for n in spec.input_size)):
                for o_local in range(cout // g):
                    o_ch = group * (cout // g) + o_local
                    for t in taps:
                        pos = tuple(jj * s - b + tt * d for jj, s, b, tt, d in zip(
                            j, spec.stride, before, t, spec.dilation, strict=True))
                        if all(0 <= p < n for p, n in zip(pos, spec.output_size, strict=True)):
                            dx[(c, *j)] += dy[(o_ch, *pos)] * w[(c, o_local, *t)]
    return dx.reshape(spec.input_shape)


def random_specs(count: int, seed: int) -> list[ConvSpec]:
    """Direct and transposed 1-D and 2-D specs with strides, asymmetric padding, dilation,
    output padding, channels and groups, that backward_spec accepts."""
    random = np.random.RandomState(seed)
    specs: list[ConvSpec] = []
    while len(specs) < count:
        ndim = int(random.randint(1, 3))
        k = tuple(int(v) for v in random.randint(1, 4, ndim))
        s = tuple(int(v) for v in random.randint(1, 4, ndim))
        d = tuple(int(v) for v in random.randint(1, 3, ndim))
        span = [dd * (kk - 1) for kk, dd in zip(k, d, strict=True)]
        padding = tuple((int(random.randint(0, e + 1)), int(random.randint(0, e + 1)))
                        for e in span)
        groups = int(random.choice([1, 1, 2]))
        channels = {"in_channels": groups * int(random.randint(1, 3)),
                    "out_channels": groups * int(random.randint(1, 3)), "groups": groups}
        transposed = bool(random.randint(0, 2))
        size = tuple(int(v) for v in random.randint(2, 7, ndim))
        try:
            if transposed:
                a = tuple(int(random.randint(0, ss)) for ss in s)
                spec = ConvSpec(size, k, s, padding, d, transposed=True, output_padding=a,
                                **channels)
            else:
                spec = ConvSpec(size, k, s, padding, d, **channels)
        except ParameterError:
            continue
        specs.append(spec)
    return specs


@pytest.mark.parametrize("spec", random_specs(60, seed=14), ids=str)
def test_backward_spec_computes_the_input_gradient(spec: ConvSpec) -> None:
    random = np.random.RandomState(0)
    grad_output = random.randint(-3, 4, spec.output_shape).astype(float)
    kernel = random.randint(-2, 3, spec.kernel_shape).astype(float)
    expected = reference_grad_input(spec, grad_output, kernel)
    back = backward_spec(spec)
    assert back.input_shape == spec.output_shape
    assert back.output_shape == spec.input_shape
    assert back.kernel_shape == spec.kernel_shape
    assert back.transposed is not spec.transposed
    np.testing.assert_allclose(back.apply(grad_output, kernel), expected)
    np.testing.assert_allclose(spec.grad_input(grad_output, kernel), expected)


@pytest.mark.parametrize("spec", [s for s in random_specs(80, seed=3) if not s.has_channels
                                  and s.ndim == 2][:8], ids=str)
def test_the_figure_shows_the_input_gradient(spec: ConvSpec) -> None:
    random = np.random.RandomState(1)
    grad_output = random.randint(-3, 4, spec.output_size)
    kernel = random.randint(-2, 3, spec.kernel_size)
    anim = animate(spec, backward=True, values=grad_output, kernel=kernel)
    assert anim.numbers is not None
    np.testing.assert_allclose(anim.numbers.output,
                               reference_grad_input(spec, grad_output, kernel))
    assert len(anim) == prod(spec.input_size)
    assert anim.spec == backward_spec(spec) and anim.forward == spec


def test_output_padding_gives_back_the_input_size() -> None:
    # padding_strides_odd: (6 + 2 - 3) mod 2 = 1, the last row and column unread.
    spec = ConvSpec(6, 3, stride=2, padding=1)
    back = backward_spec(spec)
    assert back.output_padding == (1, 1) and back.output_size == (6, 6)
    assert backward_spec(ConvSpec(5, 3, stride=2, padding=1)).output_padding == (0, 0)
    unread = ConvSpec((7,), 3, stride=3)  # units 6 unread: (7 - 3) mod 3 = 1
    grad = backward_spec(unread).apply([1.0, 2.0], [1.0, 1.0, 1.0])
    assert grad.shape == (7,) and grad[-1] == 0.0
    np.testing.assert_allclose(grad, [1, 1, 1, 2, 2, 2, 0])


def test_backward_of_backward_is_the_forward_spec() -> None:
    for spec in random_specs(30, seed=5):
        assert backward_spec(backward_spec(spec)) == spec


def test_backward_refuses_what_it_cannot_draw() -> None:
    with pytest.raises(ParameterError, match="padding <= dilation") as error:
        backward_spec(ConvSpec(5, 1, padding=1))
    assert error.value.parameter == "padding"
    with pytest.raises(ParameterError, match="output_padding < stride") as error:
        backward_spec(ConvSpec(4, 2, dilation=2, transposed=True, output_padding=1))
    assert error.value.parameter == "output_padding"
    with pytest.raises(ParameterError) as error:
        animate(ConvSpec(5, 3), backward="yes")
    assert error.value.parameter == "backward"
    with pytest.raises(ParameterError) as error:
        animate(ConvSpec(5, 3), backward=True, values=np.ones((5, 5)), kernel=np.ones((3, 3)),
                flip=True)
    assert error.value.parameter == "flip"
    with pytest.raises(ParameterError, match=r"\(3, 3\)") as error:
        animate(ConvSpec(5, 3), backward=True, values=np.ones((5, 5)), kernel=np.ones((3, 3)))
    assert error.value.parameter == "values"


def test_caption_alt_text_and_labels_say_it_is_the_backward_pass() -> None:
    spec = ConvSpec(6, 3, stride=2, padding=1)
    anim = animate(spec, backward=True, caption=True, labels=True)
    assert anim.style.caption == notation.backward_caption(spec)
    assert "backward pass of a convolution" in anim.style.caption
    assert "transposed convolution of ∂L/∂y" in anim.style.caption
    assert "output padding a = 1" in anim.style.caption
    assert anim.alt.startswith("Animated backward pass of a convolution: input 6×6")
    assert "one per cell of ∂L/∂x" in anim.alt
    texts = [t.get_text() for t in anim.scene.texts()]
    names = [t.split(" ")[0] for t in texts[:2]]
    assert sorted(names) == ["∂L/∂x", "∂L/∂y"] and not any(t.startswith("input") for t in texts)
    assert "∂L/∂x 6×6" in texts and "∂L/∂y 3×3" in texts
    assert "backward of ConvSpec(6, 3, stride=2, padding=1)" in repr(anim)
    up = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
    text = notation.backward_caption(up)
    assert "the convolution of ∂L/∂y with the same kernel: input 5×5 → output 3×3" in text
    mine = animate(spec, backward=True, caption="my words")
    assert mine.style.caption == "my words"


def test_the_renamed_labels_fit_the_page() -> None:
    anim = animate(ConvSpec(2, 1, stride=1), backward=True, labels=True)
    inner = anim.scene.scene.extent
    extent = anim.scene.extent
    assert extent.x0 <= inner.x0 and extent.x1 >= inner.x1
    for text in anim.scene.texts():
        if text.get_text().startswith("∂"):
            x, _ = text.get_position()
            assert extent.x0 <= x <= extent.x1


def test_every_view_and_scene_has_a_backward_pass() -> None:
    values = np.arange(9).reshape(3, 3)
    cases = [
        (ConvSpec((6,), 3, stride=2), {}),
        (ConvSpec((4, 4, 4), 3), {}),
        (ConvSpec(5, 3, in_channels=2, out_channels=3), {}),
        (ConvSpec(5, 3, stride=2, padding=1), {"values": values, "kernel": values,
                                               "view": "scatter"}),
        (ConvSpec(5, 3, stride=2, padding=1), {"view": "overlap"}),
        (ConvSpec(4, 3), {"view": "matrix"}),
    ]
    for spec, options in cases:
        anim = animate(spec, backward=True, labels=True, **options)
        frame = next(anim.frames())
        assert frame.shape == anim.frame_shape
        spots = anim.scene.hotspots(anim.steps[0])
        assert spots == anim.scene.scene.hotspots(anim.steps[0])


def test_draw_takes_backward() -> None:
    import matplotlib.pyplot as plt  # here: the other tests of every worker need no pyplot

    fig, ax = plt.subplots()
    try:
        artists = draw(ax, ConvSpec(5, 3, stride=2, padding=1), 3, backward=True, labels=True)
        assert any(getattr(a, "get_text", lambda: "")() == "∂L/∂x 5×5" for a in artists)
    finally:
        plt.close(fig)


def test_hotspots_place_on_the_frame() -> None:
    anim = animate(ConvSpec(5, 3, stride=2, padding=1), backward=True)
    height, width, _ = anim.frame_shape
    for spots in pixel_hotspots(anim.scene, anim.style, anim.steps):
        assert spots.key.role == "output"
        for spot in (spots.key, *spots.linked):
            for x, y in spot.polygon:
                assert 0 <= x <= width and 0 <= y <= height


def test_frame_matches_baseline(image_regression) -> None:
    grad_output = np.array([[1, 0, -2], [-1, 2, 1], [0, -2, 2]])
    kernel = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
    anim = animate(ConvSpec(5, 3, stride=2, padding=1), backward=True, values=grad_output,
                   kernel=kernel, labels=True)
    image_regression(list(anim.frames())[12], "backward_padding_strides_12")
