"""MkDocs: ```conv-anim fences, built into tiny sites in temporary folders."""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("pymdownx")

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from PIL import Image

from conv_anim import ConvSpec, catalog, mkdocsext, sphinxext

INDEX = """\
# Figures

```conv-anim
figure: padding_strides
caption: Padding 1, stride 2: the output is *3x3*.
align: center
```

```conv-anim
# a convolution given by its geometry
input-size: 3
kernel-size: 2
labels: true
width: 50%
```

```conv-anim
figure: kernel
alt: "The kernel: nine values"
```
"""

NESTED = """\
# Upsampling

```conv-anim
input-size: 2x3
kernel-size: 3
stride: 2
padding: 1
transposed:
output-padding: 1
alt: An upsampling.
```
"""

INVALID = """\
# Errors

```conv-anim
input-size: 5
kernel-size: 3
stride: 0
```

```conv-anim
figure: padding_strides
strides: 2
```
"""


PLUGIN = "plugins:\n  - conv-anim\n"


def make_site(folder: Path, pages: dict[str, str], config: str = PLUGIN) -> Path:
    """A MkDocs project in ``folder``: its mkdocs.yml with ``config``, and ``pages``."""
    for name, text in pages.items():
        path = folder / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (folder / "mkdocs.yml").write_text(f"site_name: Test\n{config}")
    return folder / "mkdocs.yml"


def build_site(config_file: Path, *, strict: bool = False) -> Path:
    build(load_config(str(config_file), strict=strict))
    return config_file.parent / "site"


def images(page: Path) -> list[tuple[str, str]]:
    """The ``(alt, src)`` of every ``<img>`` of a built page, in order."""
    return re.findall(r'<img src="([^"]+)" alt="([^"]*)"', page.read_text())


def frame_count(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "GIF"
        return int(image.n_frames)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mkdocs")
    return build_site(make_site(folder, {"index.md": INDEX, "guide/upsampling.md": NESTED}),
                      strict=True)


def test_images_are_written_next_to_the_page(site: Path) -> None:
    page = site / "index.html"
    [(gif, alt), (small, small_alt), (png, png_alt)] = images(page)
    assert alt == ("Padding, strides. Animated convolution: input 5×5 → output 3×3; "
                   "k = 3, s = 2, p = 1 (9 frames, one per output cell)")
    assert small_alt == ("Animated convolution: input 3×3 → output 2×2; k = 2, s = 1, p = 0 "
                         "(4 frames, one per output cell)")
    assert png_alt == "The kernel: nine values"
    assert frame_count((site / gif).read_bytes()) == catalog.get("padding_strides").frames
    assert frame_count((site / small).read_bytes()) == len(ConvSpec(3, 2).steps())
    with Image.open(site / png) as image:
        assert image.format == "PNG"
    assert all("/" not in src for src in (gif, small, png))


def test_caption_alignment_and_width(site: Path) -> None:
    text = (site / "index.html").read_text()
    assert text.count("<figure") == 3
    assert "<figcaption>Padding 1, stride 2: the output is <em>3x3</em>.</figcaption>" in text
    assert '<figure class="conv-anim align-center" style="text-align: center">' in text
    assert 'style="width: 50%"' in text


def test_nested_page_gets_its_own_files(site: Path) -> None:
    page = site / "guide" / "upsampling" / "index.html"
    [(src, alt)] = images(page)
    assert alt == "An upsampling."
    spec = ConvSpec((2, 3), 3, 2, 1, transposed=True, output_padding=1)
    assert frame_count((page.parent / src).read_bytes()) == len(spec.steps())


def test_rebuild_reuses_the_cache(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"index.md": INDEX})
    build_site(config)
    cache = tmp_path / ".cache" / "conv-anim"
    first = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert len(first) == 3
    site = build_site(config)
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == first
    assert all((site / src).is_file() for src, _ in images(site / "index.html"))


def test_plugin_keeps_other_custom_fences(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"index.md": INDEX}, """\
plugins:
  - conv-anim:
      cache_dir: figures-cache
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_div_format
""")
    (tmp_path / "docs" / "index.md").write_text(INDEX + "\n```mermaid\ngraph LR\n```\n")
    site = build_site(config)
    assert '<div class="mermaid">graph LR</div>' in (site / "index.html").read_text()
    assert len(images(site / "index.html")) == 3
    assert len(list((tmp_path / "figures-cache").iterdir())) == 3


def test_invalid_fences_are_warnings_naming_page_and_option(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_site(tmp_path, {"index.md": INDEX + INVALID})
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.conv_anim"):
        site = build_site(config)
    warnings = [record.getMessage() for record in caplog.records
                if record.name == "mkdocs.plugins.conv_anim"]
    assert len(warnings) == 2
    assert warnings[0].startswith("conv-anim: index.md: invalid option stride: '0' is not valid")
    assert "unknown option 'strides'; did you mean stride" in warnings[1]
    text = (site / "index.html").read_text()
    assert text.count('class="conv-anim-error"') == 2
    assert len(images(site / "index.html")) == 3
    with pytest.raises(Abort):
        build_site(config, strict=True)


def test_fence_alone_embeds_a_data_uri(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"index.md": INDEX}, """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: conv-anim
          class: conv-anim
          format: !!python/name:conv_anim.mkdocsext.fence_format
""")
    site = build_site(config, strict=True)
    [(gif, _), _, (png, _)] = images(site / "index.html")
    prefix = "data:image/gif;base64,"
    assert gif.startswith(prefix)
    frames = frame_count(base64.b64decode(gif.removeprefix(prefix)))
    assert frames == catalog.get("padding_strides").frames
    assert png.startswith("data:image/png;base64,")
    assert not (tmp_path / ".cache").exists()


def test_fence_options_are_the_directives() -> None:
    assert set(mkdocsext.option_names()) == set(sphinxext.ConvAnimDirective.option_spec)


@pytest.mark.parametrize(("source", "message"), [
    ("figure padding_strides", "is not 'option: value'"),
    ("figure: dilation\nfigure: kernel", "option figure is given twice"),
    ("input-size: 5\nkernel-size: 3\ntransposed: maybe", "option transposed is a flag"),
    ("input-size: five\nkernel-size: 3", "invalid option input-size: 'five' is not valid"),
    ("figure: kernel\nfps: 2", "fps does not apply to 'kernel'"),
    ("figure: no_such_figure", "'no_such_figure' is not a figure of the catalogue"),
    ("kernel-size: 3", "input-size is required"),
])
def test_parse_fence_refuses(source: str, message: str) -> None:
    with pytest.raises(mkdocsext.FenceError) as error:
        mkdocsext.parse_fence(source)
    assert message in str(error.value)


def test_flags_and_yaml_values() -> None:
    figure = mkdocsext.parse_fence(
        "input-size: '4'\nkernel-size: 3\nlabels: yes\ntransposed: false\nfilmstrip: [0, -1]"
    )
    assert figure.drawing.arguments["spec"] == ConvSpec(4, 3)
    assert figure.drawing.arguments["labels"] is True
    assert figure.drawing.filmstrip == (0, -1)
