"""Jupyter display: inline GIF, PNG fallback, and the HTML player."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
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


def test_player_has_every_frame_and_controls():
    animation = animate(ConvSpec(4, 3))
    parsed = parse(animation.to_jshtml(fps=2))
    names = [tag for tag, _ in parsed.tags]
    assert names.count("button") == 5 and "input" in names and "script" in names
    frames = re.findall(r'"(data:image/png;base64,[^"]+)"', parsed.script)
    assert len(frames) == 4
    height, width, _ = animation.frame_shape
    assert all(decode(uri).size == (width, height) for uri in frames)
    assert "500" in parsed.script  # 2 frames per second
    ids = {attrs.get("id") for _, attrs in parse(animate(ConvSpec(4, 3)).to_jshtml()).tags} - {None}
    assert ids and ids.isdisjoint({attrs.get("id") for _, attrs in parsed.tags} - {None})


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_player_script_is_valid_javascript(tmp_path):
    script = parse(animate(ConvSpec(4, 3)).to_jshtml()).script
    (tmp_path / "player.js").write_text(script)
    subprocess.run(["node", "--check", str(tmp_path / "player.js")], check=True)


def test_player_rejects_a_bad_fps():
    with pytest.raises(ValueError, match="fps=0"):
        animate(ConvSpec(4, 3)).to_jshtml(fps=0)
