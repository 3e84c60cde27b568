"""The ``conv-anim`` directive from MyST Markdown, in a Sphinx project with myst-parser."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_parser")

from PIL import Image
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from conv_anim import ConvSpec, catalog

CONF = 'extensions = ["myst_parser", "conv_anim.sphinxext"]\n'

INDEX = """\
# Figures

```{conv-anim} padding_strides
:caption: Padding 1, stride 2: the output is *3x3*.
:align: center
```

```{conv-anim}
---
input-size: 2x3
kernel-size: 3
stride: 2
padding: 1
transposed:
output-padding: 1
alt: An upsampling.
---
```

:::{conv-anim} kernel
:::
"""

INVALID = """\
# Errors

```{conv-anim}
:input-size: 5
:kernel-size: 3
:stride: 0
```
"""


def build(folder: Path, index: str) -> tuple[Path, str]:
    """Build a MyST project whose only page is ``index``; return the HTML and warnings."""
    source = folder / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF + 'myst_enable_extensions = ["colon_fence"]\n')
    (source / "index.md").write_text(index)
    warnings = io.StringIO()
    out = folder / "html"
    with docutils_namespace():
        app = Sphinx(source, source, out, out / ".doctrees", "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    return out, warnings.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build(tmp_path_factory.mktemp("myst"), INDEX)


def images(out: Path) -> list[tuple[str, Path]]:
    page = (out / "index.html").read_text()
    return [(alt, out / src) for alt, src in re.findall(r'<img alt="([^"]*)" src="([^"]+)"', page)]


def test_myst_builds_without_warnings(site: tuple[Path, str]) -> None:
    _, warnings = site
    assert warnings == ""


def test_myst_figures_are_drawn(site: tuple[Path, str]) -> None:
    out, _ = site
    [(alt, gif), (up_alt, up), (kernel_alt, png)] = images(out)
    assert alt.startswith("Padding, strides. Animated convolution: input 5×5 → output 3×3")
    assert up_alt == "An upsampling."
    assert kernel_alt.startswith("Section 1.1")
    spec = ConvSpec((2, 3), 3, 2, 1, transposed=True, output_padding=1)
    for path, frames in ((gif, catalog.get("padding_strides").frames), (up, len(spec.steps()))):
        with Image.open(path) as image:
            assert image.format == "GIF" and image.n_frames == frames
    with Image.open(png) as image:
        assert image.format == "PNG"


def test_myst_caption_is_markdown(site: tuple[Path, str]) -> None:
    out, _ = site
    page = (out / "index.html").read_text()
    assert "Padding 1, stride 2: the output is <em>3x3</em>." in page
    assert re.search(r'<figure class="align-center"[^>]*>\s*<img', page)


def test_myst_invalid_option_is_reported_at_its_line(tmp_path: Path) -> None:
    out, warnings = build(tmp_path, INVALID)
    # MyST reports an invalid option value at its line (a failure with -W) and drops it.
    assert re.search(r"index\.md:\d+: WARNING: .*'0' is not valid: expected an int >= 1",
                     warnings)
