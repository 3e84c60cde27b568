"""The gallery: catalogue, pages, incremental builds and --check."""

from __future__ import annotations

import functools
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conv_anim import catalog, gallery

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "gallery"

# The repository's 19 animations and their frame counts (../shared/reference/README.md).
REFERENCE_FRAMES = {
    "no_padding_no_strides": 4, "arbitrary_padding_no_strides": 36,
    "same_padding_no_strides": 25, "full_padding_no_strides": 49, "no_padding_strides": 4,
    "padding_strides": 9, "padding_strides_odd": 9, "no_padding_no_strides_transposed": 16,
    "arbitrary_padding_no_strides_transposed": 25, "same_padding_no_strides_transposed": 25,
    "full_padding_no_strides_transposed": 25, "no_padding_strides_transposed": 25,
    "padding_strides_transposed": 25, "padding_strides_odd_transposed": 36, "dilation": 9,
    "numerical_no_padding_no_strides": 9, "numerical_padding_strides": 9,
    "numerical_average_pooling": 9, "numerical_max_pooling": 9,
}


def test_catalogue_holds_the_19_animations_with_their_frame_counts():
    animations = catalog.animations()
    assert [a.name for a in animations] == list(REFERENCE_FRAMES)
    assert {a.name: a.frames for a in animations} == REFERENCE_FRAMES
    assert sum(REFERENCE_FRAMES.values()) == 358


@pytest.mark.parametrize(
    ("name", "direct"),
    [("padding_strides_transposed", (5, 3, 2, 1)), ("padding_strides_odd_transposed", (6, 3, 2, 1)),
     ("full_padding_no_strides_transposed", (5, 3, 1, 2))],
)
def test_transposed_figures_transpose_the_papers_direct_convolution(name, direct):
    figure = catalog.get(name)
    i, k, s, p = direct
    assert figure.spec.transposed
    assert figure.spec.output_size == (i, i)
    assert figure.spec.kernel_size == (k, k) and figure.spec.stride == (s, s)
    assert f"the transpose of a {i}×{i} → " in figure.parameters
    assert f"convolution with k = {k}, s = {s}, p = {p}" in figure.parameters


def test_unknown_figure_is_a_clear_error():
    with pytest.raises(ValueError, match="name='nope' is not a figure of the catalogue"):
        catalog.get("nope")
    with pytest.raises(ValueError, match="name='nope'"):
        gallery.figures(["nope"])


def test_pages_reference_only_existing_files_and_list_every_gif():
    files = {p.name for p in GALLERY.iterdir()}
    assert gallery.expected_files() <= files
    for page in gallery.PAGES:
        text = (GALLERY / page).read_text()
        linked = set(re.findall(r'(?:\(|href="|src=")([\w.]+\.(?:gif|png|pdf|html))', text))
        assert linked and linked <= files, sorted(linked - files)
        assert {name for name in files if name.endswith(".gif")} <= linked
    assert "arXiv:1603.07285" in (GALLERY / gallery.README).read_text()


def test_committed_gallery_gifs_have_the_reference_frame_counts():
    for name, frames in REFERENCE_FRAMES.items():
        with Image.open(GALLERY / f"{name}.gif") as gif:
            assert gif.n_frames == frames, name
            assert gif.info["duration"] == 1000 and gif.info["loop"] == 0


@pytest.fixture(scope="module")
def small_gallery(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gallery")
    gallery.build(folder, only=["no_padding_no_strides", "kernel"], jobs=1)
    return folder


def test_build_only_writes_the_chosen_figures_and_the_pages(small_gallery):
    names = sorted(p.name for p in small_gallery.iterdir())
    assert names == sorted([
        "README.md", "index.html", "manifest.json", "kernel.pdf", "kernel.png",
        "no_padding_no_strides.gif", "no_padding_no_strides.pdf", "no_padding_no_strides.png",
        "no_padding_no_strides.html",
    ])


def test_rebuild_with_nothing_changed_draws_nothing(small_gallery):
    before = {p.name: p.read_bytes() for p in small_gallery.iterdir()}
    result = gallery.build(small_gallery, only=["no_padding_no_strides", "kernel"], jobs=1)
    assert result.drawn == () and result.pages == ()
    assert {p.name: p.read_bytes() for p in small_gallery.iterdir()} == before


def test_rebuild_redraws_a_touched_file(small_gallery):
    gif = small_gallery / "no_padding_no_strides.gif"
    original = gif.read_bytes()
    gif.write_bytes(b"garbage")
    result = gallery.build(small_gallery, only=["no_padding_no_strides"], jobs=1)
    assert result.drawn == ("no_padding_no_strides",)
    assert gif.read_bytes() == original  # deterministic: the same bytes again


def test_no_op_build_does_not_import_matplotlib(small_gallery):
    code = (
        "import sys; from conv_anim import gallery\n"
        f"r = gallery.build({str(small_gallery)!r}, only=['no_padding_no_strides', 'kernel'])\n"
        "print(r.drawn, 'matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["()", "False"]


def test_compare_accepts_small_antialiasing_moves_and_rejects_drawing_changes(
    tmp_path, small_gallery
):
    from conv_anim import compare

    png = small_gallery / "no_padding_no_strides.png"
    pixels = np.asarray(Image.open(png).convert("RGB")).copy()
    nudged = pixels.copy()
    edges = (pixels.astype(int).sum(axis=2) % 7) == 0
    nudged[edges] = np.clip(nudged[edges].astype(int) + 1, 0, 255)
    Image.fromarray(nudged).save(tmp_path / "nudged.png")
    assert compare.difference(tmp_path / "nudged.png", png) is None
    changed = pixels.copy()
    changed[:, : pixels.shape[1] // 4] = 255  # a quarter of the drawing gone
    Image.fromarray(changed).save(tmp_path / "changed.png")
    assert "pixels differ" in compare.difference(tmp_path / "changed.png", png)


def test_check_names_changed_and_missing_files(tmp_path):
    copy = tmp_path / "gallery"
    shutil.copytree(GALLERY, copy)
    assert gallery.check(copy, fresh=GALLERY) == []
    (copy / "dilation.gif").unlink()
    shutil.copy(copy / "padding_strides.gif", copy / "no_padding_strides.gif")
    (copy / "stray.txt").write_text("x")
    problems = gallery.check(copy, fresh=GALLERY)
    assert problems == [
        "dilation.gif: missing",
        "stray.txt: not part of the gallery",
        "no_padding_strides.gif: 9 frames, expected 4",
    ]


def test_check_script_exit_status(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "gallery"
    shutil.copytree(GALLERY, copy)
    (copy / "README.md").write_text("stale")
    script = runpy.run_path(str(ROOT / "scripts" / "build_gallery.py"))
    # The script's check, against the committed gallery rather than one more build.
    monkeypatch.setattr(gallery, "check", functools.partial(gallery.check, fresh=GALLERY))
    assert script["main"](["--check", "--out", str(copy)]) == 1
    assert "gallery/README.md: content differs" in capsys.readouterr().err


def test_script_rejects_bad_arguments():
    script = ROOT / "scripts" / "build_gallery.py"
    for args, message in ((["--jobs", "0"], "--jobs"), (["--only", "nope"], "name='nope'")):
        result = subprocess.run([sys.executable, str(script), *args, "--out", "/nonexistent/x"],
                                capture_output=True, text=True)
        assert result.returncode == 2 and message in result.stderr
        assert "Traceback" not in result.stderr


def test_beyond_the_paper_section_animates_with_its_declared_frame_counts():
    beyond = catalog.animations("beyond")
    assert {"conv1d_dilated", "conv3d", "depthwise", "grouped", "pointwise", "wavenet_stack",
            "padding_strides_transposed_scatter"} <= {f.name for f in beyond}
    for figure in beyond:
        assert len(figure.animate()) == figure.frames, figure.name
    readme = (GALLERY / gallery.README).read_text()
    assert "## Beyond the paper" in readme and "wavenet_stack.gif" in readme


def test_everything_lists_each_figure_once():
    names = [f.name for f in catalog.everything()]
    assert len(names) == len(set(names))
    assert names[:19] == list(REFERENCE_FRAMES)


def test_pages_of_a_partial_gallery_link_only_what_it_holds(tmp_path):
    gallery.build(tmp_path, only=["dilation"], jobs=1)
    readme = (tmp_path / gallery.README).read_text()
    assert "dilation.gif" in readme and "padding_strides.gif" not in readme


def test_parameters_with_pipes_do_not_break_the_markdown_table():
    row = next(line for line in (GALLERY / gallery.README).read_text().splitlines()
               if "dilations 1, 2, 4, 8" in line)
    assert row.replace("\\|", "").count("|") == 5  # four cells
