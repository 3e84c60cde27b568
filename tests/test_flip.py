"""The flipped-kernel mode: a true convolution, clearly labelled."""

from __future__ import annotations

import numpy as np
import pytest

from conv_anim import ConvSpec, animate, paperdata
from conv_anim.notation import FLIPPED_NOTE


def true_convolution(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """'valid' 2-D convolution in the signal-processing sense, by loops."""
    k = w.shape[0]
    out = np.zeros((x.shape[0] - k + 1, x.shape[1] - k + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            for i in range(k):
                for j in range(k):
                    out[r, c] += x[r + k - 1 - i, c + k - 1 - j] * w[i, j]
    return out


def test_flipped_figure_computes_a_true_convolution_and_says_so():
    x, w = paperdata.paper_data()
    animation = animate(ConvSpec(5, 3), values=x, kernel=w, flip=True)
    assert np.array_equal(animation.numbers.output, true_convolution(x, w))
    assert np.array_equal(animation.numbers.kernel, w[::-1, ::-1])  # the weights as applied
    assert animation.style.caption == FLIPPED_NOTE
    plain = animate(ConvSpec(5, 3), values=x, kernel=w)
    assert not np.array_equal(plain.numbers.output, animation.numbers.output)


def test_flipped_caption_keeps_the_users_caption():
    x, w = paperdata.paper_data()
    spec = ConvSpec(5, 3, stride=2, padding=1)
    mine = animate(spec, values=x, kernel=w, flip=True, caption="mine").style.caption
    assert mine == f"mine\n{FLIPPED_NOTE}"
    generated = animate(spec, values=x, kernel=w, flip=True, caption=True).style.caption
    assert generated.startswith("convolution: input 5×5 → output 3×3; k = 3, s = 2, p = 1")
    assert generated.endswith(FLIPPED_NOTE)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"flip": "yes"}, "flip='yes'"), ({}, "flip=True needs a numerical convolution"),
     ({"values": np.zeros((5, 5)), "op": "max"}, "flip=True needs")],
)
def test_flip_needs_a_numerical_convolution(options, message):
    options = {"flip": True, **options}
    with pytest.raises(ValueError, match=message):
        animate(ConvSpec(5, 3), **options)


def test_the_true_convolution_shows_the_kernel_and_its_flip():
    from conv_anim.notation import FLIPPED_NAME, KERNEL_NAME

    x, w = paperdata.paper_data()
    animation = animate(ConvSpec(5, 3), values=x, kernel=w, flip=True)
    panels = [t for shape in animation.scene.static for t in shape.numbers if t.grid == "panel"]
    assert len(panels) == 2 * 9
    kernel, flipped = panels[:9], panels[9:]
    assert [t.text for t in kernel] == [str(v) for v in w.ravel()]
    assert [t.text for t in flipped] == [str(v) for v in w[::-1, ::-1].ravel()]
    names = [t.get_text() for t in animation.scene.texts()]
    assert KERNEL_NAME in names and FLIPPED_NAME in names
    plain = animate(ConvSpec(5, 3), values=x, kernel=w)
    assert not any(t.grid == "panel" for shape in plain.scene.static for t in shape.numbers)
