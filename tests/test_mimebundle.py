"""An Animation offers notebook front ends a GIF, its HTML and a PNG (Quarto, nbconvert)."""

from __future__ import annotations

import base64
import io

from PIL import Image

from conv_anim import ConvSpec, animate


def test_mimebundle_offers_gif_html_and_png() -> None:
    animation = animate(ConvSpec(4, 3), scale=0.5)
    bundle = animation._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/gif", "image/png"}
    gif = base64.b64decode(bundle["image/gif"])
    assert gif == animation.gif()
    with Image.open(io.BytesIO(gif)) as image:
        assert image.format == "GIF" and image.n_frames == len(animation)
    png = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert png.format == "PNG" and png.size == animation.frame_shape[1::-1]
    assert bundle["text/html"].startswith("<img ") and animation.alt in bundle["text/html"]
    assert bundle["text/plain"] == repr(animation)


def test_mimebundle_honours_include_and_exclude() -> None:
    animation = animate(ConvSpec(4, 3), scale=0.5)
    assert set(animation._repr_mimebundle_(include=["image/png"])) == {"text/plain", "image/png"}
    assert "image/gif" not in animation._repr_mimebundle_(exclude=["image/gif"])
