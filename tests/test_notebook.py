"""Jupyter display: inline GIF, PNG fallback, and the HTML player."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser

import pytest
from PIL import Image

from conv_anim import ConvSpec, animate, catalog


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script += data


def parse(markup: str) -> Collect:
    parser = Collect()
    parser.feed(markup)
    parser.close()
    return parser


def decode(uri: str) -> Image.Image:
    kind, data = uri.split(",", 1)
    assert kind.endswith(";base64")
    return Image.open(io.BytesIO(base64.b64decode(data)))


def test_repr_html_is_the_animated_gif_and_is_cached():
    animation = catalog.get("padding_strides").animate()
    markup = animation._repr_html_()
    (tag, attrs), = parse(markup).tags
    assert tag == "img" and attrs["src"].startswith("data:image/gif;base64,")
    gif = decode(attrs["src"])
    assert gif.format == "GIF" and gif.n_frames == 9 and gif.size == (395, 381)
    assert int(attrs["width"]) == 395
    assert animation._repr_html_() is markup
    assert len(markup) < 200_000  # small enough for a notebook


def test_repr_png_is_the_first_frame():
    animation = animate(ConvSpec(4, 3))
    image = Image.open(io.BytesIO(animation._repr_png_()))
    assert image.format == "PNG"
    assert image.size == (animation.frame_shape[1], animation.frame_shape[0])


def test_gif_bytes_equal_the_saved_file(tmp_path):
    animation = animate(ConvSpec(5, 3, 2, 1), labels=True)
    assert animation.gif(fps=2) == animation.save(tmp_path / "a.gif", fps=2).read_bytes()


def test_to_jshtml_is_the_interactive_player():
    animation = animate(ConvSpec(4, 3))
    assert animation.to_jshtml(fps=2) == animation.to_html(2)
    with pytest.raises(ValueError, match="fps"):
        animation.to_jshtml(fps=0)


def test_interactive_player_warns_when_too_large_for_a_notebook(monkeypatch):
    from conv_anim import notebook

    animation = animate(ConvSpec(3, 2))
    monkeypatch.setattr(notebook, "SIZE_WARNING", 1000)
    with pytest.warns(UserWarning, match=r"Animation.save\('figure.html'\)"):
        shown = animation.interactive()
    assert shown._repr_html_().startswith('<div class="conv-anim-player"')
