"""The ``conv-anim`` Sphinx directive, built in-process into small temporary projects."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

from PIL import Image
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from conv_anim import ConvSpec, catalog, sphinxext

CONF = 'extensions = ["conv_anim.sphinxext"]\n'

INDEX = """\
Figures
=======

.. conv-anim:: no_padding_no_strides
   :caption: The *first* animation of the paper.
   :align: center

.. conv-anim::
   :input-size: 3
   :kernel-size: 2
   :labels:
   :filmstrip: 0,3
   :width: 50%

.. conv-anim::
   :input-size: 2x3
   :kernel-size: 3
   :stride: 2
   :padding: 1
   :transposed:
   :output-padding: 1
   :alt: An upsampling.

.. conv-anim:: kernel
"""

#: Frames of the three animations of INDEX, in order.
FRAMES = [
    catalog.get("no_padding_no_strides").frames,
    len(ConvSpec(3, 2).steps()),
    len(ConvSpec((2, 3), 3, 2, 1, transposed=True, output_padding=1).steps()),
]

INVALID = """\
Errors
======

.. conv-anim::
   :input-size: 5
   :kernel-size: 3
   :stride: 0

.. conv-anim::
   :input-size: 5
   :kernel-size: 3
   :padding: lots

.. conv-anim:: no_such_figure

.. conv-anim:: padding_strides
   :filmstrip: 0,42

.. conv-anim:: kernel
   :fps: 2

.. conv-anim:: padding_strides
   :stride: 2

.. conv-anim::
   :kernel-size: 3

.. conv-anim:: no_padding_no_strides
"""


def make_project(folder: Path, index: str) -> Path:
    """A Sphinx source folder with the extension enabled and ``index`` as its page."""
    source = folder / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(CONF)
    (source / "index.rst").write_text(index)
    return source


def build(source: Path, builder: str, *, freshenv: bool = False) -> tuple[Sphinx, str]:
    """Build ``source`` with ``builder`` into ``source/../<builder>``; return the warnings."""
    warnings = io.StringIO()
    out = source.parent / builder
    with docutils_namespace():
        app = Sphinx(source, source, out, out / ".doctrees", builder,
                     status=None, warning=warnings, freshenv=freshenv)
        app.build()
    return app, warnings.getvalue()


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sphinx, str]:
    return build(make_project(tmp_path_factory.mktemp("html"), INDEX), "html")


@pytest.fixture(scope="module")
def latex(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sphinx, str]:
    return build(make_project(tmp_path_factory.mktemp("latex"), INDEX), "latex")


def images(app: Sphinx) -> list[tuple[str, Path]]:
    """The ``(alt, file)`` of every ``<img>`` of the built index page, in order."""
    page = (app.outdir / "index.html").read_text()
    return [
        (alt, app.outdir / src)
        for alt, src in re.findall(r'<img alt="([^"]*)" src="([^"]+)"', page)
    ]


def cached_files(app: Sphinx) -> dict[str, int]:
    """The rendered files and their modification times (ns)."""
    folder = Path(app.doctreedir) / sphinxext.CACHE_FOLDER
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_html_embeds_animated_gifs(html: tuple[Sphinx, str]) -> None:
    app, warnings = html
    assert warnings == ""
    embedded = images(app)
    gifs = [path for _, path in embedded if path.suffix == ".gif"]
    assert len(gifs) == len(FRAMES)
    for path, frames in zip(gifs, FRAMES, strict=True):
        assert path.is_file()
        with Image.open(path) as gif:
            assert gif.n_frames == frames


def test_html_static_figure_is_a_png(html: tuple[Sphinx, str]) -> None:
    app, _ = html
    alt, path = images(app)[-1]
    assert path.suffix == ".png" and path.is_file()
    assert alt.startswith("Section 1.1")


def test_html_caption_alt_and_width(html: tuple[Sphinx, str]) -> None:
    app, _ = html
    page = (app.outdir / "index.html").read_text()
    assert re.search(r'<figure class="align-center"[^>]*>\s*<img', page)
    assert "The <em>first</em> animation of the paper." in page
    assert page.count("<figure") == 1
    alts = [alt for alt, _ in images(app)]
    assert alts[0] == (
        "No padding, unit strides. Animated convolution: input 4×4 → output 2×2; "
        "k = 3, s = 1, p = 0 (4 frames, one per output cell)"
    )
    assert alts[1] == (
        "Animated convolution: input 3×3 → output 2×2; k = 2, s = 1, p = 0 "
        "(4 frames, one per output cell)"
    )
    assert alts[2] == "An upsampling."
    assert 'style="width: 50%;"' in page


def test_extension_metadata(html: tuple[Sphinx, str]) -> None:
    app, _ = html
    extension = app.extensions["conv_anim.sphinxext"]
    assert extension.parallel_read_safe and extension.parallel_write_safe


def test_latex_gets_pdf_filmstrips_not_gifs(latex: tuple[Sphinx, str]) -> None:
    app, warnings = latex
    assert warnings == ""
    tex = next(app.outdir.glob("*.tex")).read_text()
    assert ".gif" not in tex
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    assert len(included) == 4
    for stem, suffix in included:
        assert suffix == ".pdf"
        assert (app.outdir / f"{stem}{suffix}").read_bytes().startswith(b"%PDF")
    assert r"\caption{The \sphinxstyleemphasis{first} animation of the paper.}" in tex


def test_invalid_options_are_reported_without_crashing(tmp_path: Path) -> None:
    app, warnings = build(make_project(tmp_path, INVALID), "html")
    expected = [
        "invalid option value: (option: \"stride\"; value: '0')",
        "invalid option value: (option: \"padding\"; value: 'lots')",
        "name='no_such_figure' is not a figure of the catalogue",
        ":filmstrip: 42 is out of range: the animation has 9 frames (0 to 8)",
        ":fps: does not apply to 'kernel': it is a static figure",
        ":stride: does not apply with a figure name (padding_strides)",
        "conv-anim: :input-size: is required",
    ]
    for message in expected:
        assert message in warnings
    assert warnings.count("ERROR") == len(expected)
    assert "Traceback" not in warnings
    [(_, gif)] = images(app)
    assert gif.suffix == ".gif" and gif.is_file()


def test_rebuild_reuses_rendered_files(tmp_path: Path) -> None:
    source = make_project(tmp_path, INDEX)
    app, _ = build(source, "html")
    first = cached_files(app)
    assert len(first) == 4
    app, warnings = build(source, "html", freshenv=True)
    assert warnings == ""
    assert cached_files(app) == first
    assert all(path.is_file() for _, path in images(app))


def test_changed_option_renders_a_new_file(tmp_path: Path) -> None:
    source = make_project(tmp_path, INDEX)
    app, _ = build(source, "html")
    first = cached_files(app)
    index = source / "index.rst"
    index.write_text(INDEX.replace(":input-size: 3\n", ":input-size: 4\n"))
    later = index.stat().st_mtime + 10  # an edit Sphinx sees, however fast the test runs
    os.utime(index, (later, later))
    app, warnings = build(source, "html")
    assert warnings == ""
    assert len(set(cached_files(app)) - set(first)) == 1


def test_unwritable_cache_is_a_warning(tmp_path: Path) -> None:
    source = make_project(tmp_path, INDEX)
    doctrees = tmp_path / "html" / ".doctrees"
    doctrees.mkdir(parents=True)
    (doctrees / sphinxext.CACHE_FOLDER).write_text("not a folder")
    app, warnings = build(source, "html")
    assert warnings.count("WARNING: conv-anim: cannot render conv-anim-") == 4
    assert images(app) == []
    assert "<figure" not in (app.outdir / "index.html").read_text()


def test_nothing_is_written_to_the_source_tree(tmp_path: Path) -> None:
    source = make_project(tmp_path, INDEX)
    build(source, "html")
    assert sorted(path.name for path in source.iterdir()) == ["conf.py", "index.rst"]


def test_directive_options_are_the_command_lines() -> None:
    from conv_anim.cli import parser

    conv = next(action for action in parser()._actions if action.dest == "command").choices["conv"]
    cli = {s[2:] for action in conv._actions for s in action.option_strings if s.startswith("--")}
    directive = set(sphinxext.ConvAnimDirective.option_spec)
    only_cli = {"help", "output", "frames", "quiet"}  # where to write, and how quietly
    only_directive = set(sphinxext.EMBEDDING)  # how the image sits in the page
    assert cli - only_cli == directive - only_directive


def test_importing_conv_anim_does_not_import_sphinx() -> None:
    code = (
        "import sys, conv_anim, conv_anim.catalog, conv_anim.animation\n"
        "assert not {'sphinx', 'docutils'} & set(sys.modules), 'sphinx imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
