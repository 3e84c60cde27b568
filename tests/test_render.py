"""The slanted arithmetic animations: pictures, files and the drawing API."""

from __future__ import annotations

import html
import re
import zlib
from itertools import pairwise
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from conftest import figure_pixels
from matplotlib.figure import Figure
from PIL import Image, ImageSequence

from conv_anim import ConvSpec, animate, catalog, draw, export

# The published GIFs: frame count and size in pixels (../shared/reference/README.md).
# Ours are at most one pixel smaller on each side (TikZ rounds its bounding box up).
PUBLISHED = {
    "no_padding_no_strides": (4, 244, 259),
    "arbitrary_padding_no_strides": (36, 495, 542),
    "same_padding_no_strides": (25, 395, 449),
    "full_padding_no_strides": (49, 495, 576),
    "no_padding_strides": (4, 294, 288),
    "padding_strides": (9, 395, 381),
    "padding_strides_odd": (9, 445, 411),
    "no_padding_no_strides_transposed": (16, 344, 386),
    "arbitrary_padding_no_strides_transposed": (25, 445, 479),
    "same_padding_no_strides_transposed": (25, 395, 449),
    "full_padding_no_strides_transposed": (25, 395, 449),
    "no_padding_strides_transposed": (25, 395, 449),
    "padding_strides_transposed": (25, 395, 449),
    "padding_strides_odd_transposed": (36, 445, 513),
    "dilation": (9, 395, 381),
}

BLUE, CYAN, BASE03 = (38, 139, 210), (42, 161, 152), (0, 43, 54)
WHITE = (255, 255, 255)
SHADOW_ON_BLUE = (26, 105, 153)  # base02 at opacity 0.4 over blue, rounded


def colour_count(frame: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 1) -> int:
    return int((np.abs(frame.astype(int) - rgb) <= tolerance).all(axis=2).sum())


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_frame_count_and_size_match_the_published_gif(name):
    frames, width, height = PUBLISHED[name]
    animation = catalog.get(name).animate()
    assert len(animation) == frames
    ours_height, ours_width, _ = animation.frame_shape
    assert width - 1 <= ours_width <= width
    assert height - 1 <= ours_height <= height


@pytest.mark.parametrize(
    ("name", "frame"),
    [("padding_strides", 0), ("padding_strides", 4), ("no_padding_strides_transposed", 7),
     ("dilation", 8), ("padding_strides_odd_transposed", 35)],
)
def test_frames_match_baselines(name, frame, image_regression):
    frames = list(catalog.get(name).animate().frames())
    image_regression(frames[frame], f"{name}_{frame}")


def test_labelled_frame_matches_baseline(image_regression):
    animation = animate(ConvSpec(6, 3, 2, 1), labels=True, caption=True, mark_uncovered=True)
    image_regression(next(animation.frames()), "padding_strides_odd_labelled_0")


def test_frames_show_the_paper_palette():
    frame = next(catalog.get("padding_strides").animate().frames())
    assert colour_count(frame, WHITE, 0) > frame.shape[0] * frame.shape[1] // 3
    assert colour_count(frame, BLUE) > 3000
    assert colour_count(frame, CYAN) > 3000
    assert colour_count(frame, BASE03) > 500
    assert colour_count(frame, SHADOW_ON_BLUE, 2) > 200


def test_footprint_moves_row_major():
    frames = list(catalog.get("no_padding_no_strides").animate().frames())
    shadow = [np.argwhere((np.abs(f.astype(int) - SHADOW_ON_BLUE) <= 2).all(axis=2))
              for f in frames]
    centres = [s.mean(axis=0) for s in shadow]  # (row, column) in pixels
    # Frame 1 is one step right of frame 0, frame 2 one row down: in the slanted view
    # (as in the published GIF) a step right goes right and up, a row down goes right
    # and down, less far right.
    assert centres[1][1] > centres[0][1] and centres[1][0] < centres[0][0]
    assert centres[1][1] > centres[2][1] > centres[0][1] and centres[2][0] > centres[0][0]


@pytest.mark.parametrize("name", ["padding_strides", "dilation", "padding_strides_transposed"])
def test_consecutive_frames_differ(name):
    frames = list(catalog.get(name).animate().frames())
    for previous, current in pairwise(frames):
        assert (previous != current).any()


def test_frames_are_fresh_arrays():
    frames = list(catalog.get("no_padding_no_strides").animate().frames())
    assert all(f.dtype == np.uint8 and f.shape == frames[0].shape for f in frames)
    assert not np.shares_memory(frames[0], frames[1])


def test_blitted_frames_equal_frames_drawn_from_scratch():
    animation = catalog.get("padding_strides_transposed").animate()
    blitted = list(animation.frames())
    for frame in (0, 6, 24):
        fig = animation.figure(frame)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        scratch = np.asarray(canvas.buffer_rgba())[..., :3]
        difference = np.abs(scratch.astype(int) - blitted[frame])
        assert scratch.shape == blitted[frame].shape
        assert difference.mean() < 0.5


def test_gif_file(tmp_path):
    animation = catalog.get("padding_strides").animate()
    path = animation.save(tmp_path / "padding_strides.gif", fps=2)
    with Image.open(path) as gif:
        assert gif.n_frames == 9
        assert gif.info["loop"] == 0
        assert [f.info["duration"] for f in ImageSequence.Iterator(gif)] == [500] * 9
        gif.seek(4)
        decoded = np.asarray(gif.convert("RGB"))
    frame = list(animation.frames())[4]
    palette = animation.palette
    assert np.array_equal(decoded, palette.colors[palette.indices(frame)])
    assert np.abs(decoded.astype(int) - frame).mean() < 1.0


def test_saving_is_deterministic(tmp_path):
    animation = catalog.get("dilation").animate(labels=True)
    first = animation.save(tmp_path / "a.gif").read_bytes()
    again = animate(ConvSpec(7, 3, dilation=2), labels=True).save(tmp_path / "b.gif")
    assert again.read_bytes() == first
    for suffix in (".png", ".svg", ".pdf"):
        one = animation.filmstrip(path=tmp_path / f"one{suffix}")
        two = animation.filmstrip(path=tmp_path / f"two{suffix}")
        assert isinstance(one, Figure) and isinstance(two, Figure)
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()


def test_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "anim.gif"
    path.write_bytes(b"previous")
    animation = catalog.get("padding_strides").animate()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export.gif, "_gif_frame", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        animation.save(path)
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anim.gif"]


def test_png_frames_folder_and_single_frame(tmp_path):
    animation = catalog.get("no_padding_no_strides").animate()
    folder = animation.save_frames(tmp_path / "frames")
    assert folder == tmp_path / "frames"
    assert sorted(p.name for p in folder.iterdir()) == [f"frame_00{n}.png" for n in range(4)]
    first = np.asarray(Image.open(folder / "frame_000.png"))
    assert np.array_equal(first, next(animation.frames()))
    single = animation.save(tmp_path / "third.png", frame=2)
    assert Image.open(single).size == (animation.frame_shape[1], animation.frame_shape[0])
    assert animation.save(tmp_path / "first.png").is_file()  # a .png is one frame: frame 0
    assert np.array_equal(np.asarray(Image.open(tmp_path / "first.png").convert("RGB")), first)


def test_filmstrip_is_four_frames_wide(tmp_path):
    animation = catalog.get("padding_strides").animate()
    animation.filmstrip(path=tmp_path / "strip.png")
    width, height = Image.open(tmp_path / "strip.png").size
    frame_height, frame_width, _ = animation.frame_shape
    assert abs(height - frame_height) <= 1
    assert 4 * frame_width < width < 5 * frame_width


def test_transparent_background(tmp_path):
    animation = animate(ConvSpec(5, 3, 2, 1), background="transparent")
    animation.save(tmp_path / "t.png", frame=0)
    rgba = np.asarray(Image.open(tmp_path / "t.png"))
    assert rgba.shape[2] == 4 and rgba[0, 0, 3] == 0 and rgba[..., 3].max() == 255
    # Frames (GIF, PNG folders) are opaque: the same as on white.
    opaque = next(animate(ConvSpec(5, 3, 2, 1)).frames())
    assert np.array_equal(next(animation.frames()), opaque)


def test_uncovered_units_are_marked():
    spec = ConvSpec(6, 3, 2, 1)
    plain = next(animate(spec, labels=False).frames())
    marked = next(animate(spec, mark_uncovered=True, labels=False).frames())
    red_tint = (marked[..., 0].astype(int) - plain[..., 0]) > 40
    assert red_tint.sum() > 500  # the last row and column of the padded input
    assert not (next(animate(ConvSpec(5, 3, 2, 1), mark_uncovered=True).frames())
                != next(animate(ConvSpec(5, 3, 2, 1)).frames())).any()
    # The legend says what the marks are, where there are marks.
    legend = " ".join(t.get_text() for t in animate(spec, mark_uncovered=True).scene.texts())
    assert "red cells: no step reaches them" in legend.replace("\n", " ")


def test_draw_into_a_users_axes_leaves_pyplot_alone():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    rc = dict(matplotlib.rcParams)
    fig = Figure()
    axes = fig.subplots(1, 2)
    artists = draw(axes[1], ConvSpec(5, 3, 2, 1), 4, labels=True)
    assert artists and all(artist.axes is axes[1] for artist in artists)
    assert not axes[0].get_children()[0].get_visible() or len(axes[0].patches) == 0
    assert plt.get_fignums() == before
    assert dict(matplotlib.rcParams) == rc


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: animate("5x5"), "spec="),
        (lambda: animate(ConvSpec(5, 3), colour="red"), "unknown style option 'colour'"),
        (lambda: animate(ConvSpec(5, 3), scale=0), "scale=0"),
        (lambda: animate(ConvSpec(5, 3), input_color="blue"), "input_color='blue'"),
        (lambda: animate(ConvSpec(7, 3)).save("x.mp3"), "unsupported output format '.mp3'"),
        (lambda: animate(ConvSpec(5, 3)).save("x.png", frame=9), "frame=9"),
        (lambda: animate(ConvSpec(5, 3)).save("x.gif", frame=0), "frame=0 does not apply"),
        (lambda: animate(ConvSpec(5, 3)).filmstrip(frames=()), "frames=()"),
        (lambda: animate(ConvSpec(5, 3)).filmstrip(frames=(0, 9)), "frame=9"),
        (lambda: animate(ConvSpec(5, 3)).save("x.gif", fps=0), "fps=0"),
    ],
)
def test_bad_input_is_a_clear_value_error(call, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
    assert list(Path(tmp_path).iterdir()) == []


def test_save_reports_progress_per_frame(tmp_path):
    calls = []
    animation = catalog.get("no_padding_no_strides").animate()
    animation.save(tmp_path / "a.gif", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    calls.clear()
    animation.save_frames(tmp_path / "frames", progress=lambda done, total: calls.append(done))
    assert calls == [1, 2, 3, 4]


# --------------------------------------------------------------------------- text in vector files


def _pdf_texts(data: bytes) -> list[str]:
    """The strings a PDF's content streams show, one per text object (BT ... ET): its
    TrueType (Type 42) fonts are Identity-H encoded, two bytes per character."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue  # an embedded font or image
        for block in re.findall(rb"BT(.*?)ET", content, re.S):
            pieces = re.findall(rb"\(((?:\\.|[^\\)])*)\)", block)
            raw = b"".join(re.sub(rb"\\(.)", rb"\1", piece) for piece in pieces)
            texts.append(raw.decode("utf-16-be") if b"\x00" in raw else raw.decode("latin-1"))
    return texts


def test_vector_files_keep_numbers_labels_and_captions_as_text(tmp_path):
    animation = catalog.get("numerical_padding_strides").animate(labels=True, caption=True)
    animation.filmstrip((0, 1), path=tmp_path / "strip.svg")
    animation.filmstrip((0, 1), path=tmp_path / "strip.pdf")
    svg = (tmp_path / "strip.svg").read_text()
    svg_texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    pdf = (tmp_path / "strip.pdf").read_bytes()
    pdf_texts = _pdf_texts(pdf)
    assert b"/ToUnicode" in pdf  # the viewer maps the glyphs back to characters
    for texts in (svg_texts, pdf_texts):
        assert texts.count("17.0") >= 2 * 2  # two output cells, two panels (and the current)
        assert texts.count("3") >= 2 * 5  # the input's five 3s
        assert "input 5×5" in texts and "output 3×3" in texts
        assert any("k = 3, s = 2, p = 1" in text for text in texts)
    assert "<path" in svg  # the grids are still drawn


def test_raster_figures_draw_numbers_as_the_frames_do():
    animation = catalog.get("numerical_padding_strides").animate()
    frame = next(animation.frames())
    assert np.array_equal(figure_pixels(animation.figure(0))[..., :3], frame)


@pytest.mark.parametrize("caption", ["x" * 5000, "line\n" * 600])
def test_a_caption_too_large_for_the_frame_is_named(caption):
    """Found by the fuzz test: the refusal blamed input_size=(3, 3)."""
    with pytest.raises(ValueError, match=r"^caption \(of [0-9,]+ characters\) makes frames") as e:
        animate(ConvSpec(3, 2), caption=caption)
    assert e.value.parameter == "caption"
    with pytest.raises(ValueError, match=r"^input_size=\(300, 300\)"):  # both too large
        animate(ConvSpec(300, 3), caption=caption)
