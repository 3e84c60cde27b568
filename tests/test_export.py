"""Tests for conv_anim.export: the palette, GIF and PNG encoding, the fps rule, the registry."""

from __future__ import annotations

import errno
import struct
from collections.abc import Iterator
from itertools import pairwise

import numpy as np
import pytest
from export_support import (
    BLACK,
    BLUE,
    CYAN,
    THEME,
    WHITE,
    decoded_frames,
    failing_after,
    leftovers,
    synthetic_frames,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image, ImageSequence

from conv_anim.errors import ParameterError
from conv_anim.export import (
    Frame,
    MissingDependency,
    Palette,
    WriteError,
    check_fps,
    gif_bytes,
    require_writer,
    write_frames,
    write_gif,
    write_png,
    write_png_frames,
    writer_for,
)
from conv_anim.export import palette as palette_module


@pytest.fixture(scope="module")
def palette() -> Palette:
    return Palette.from_colors(THEME)


def gif_images(data: bytes) -> list[tuple[int, int, int, int, int]]:
    """``(left, top, width, height, disposal)`` of every image block of a GIF file."""
    assert data[:6] == b"GIF89a" and data[-1:] == b";"
    pos = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    images, disposal = [], 0
    while data[pos] != 0x3B:
        if data[pos] == 0x21:
            if data[pos + 1] == 0xF9:
                disposal = data[pos + 3] >> 2 & 7
            pos += 2
        else:
            assert data[pos] == 0x2C
            left, top, width, height, flags = struct.unpack("<4HB", data[pos + 1 : pos + 10])
            assert flags == 0  # no local colour table, not interlaced
            images.append((left, top, width, height, disposal))
            pos += 11  # descriptor and LZW minimum code size
        while data[pos]:  # data sub-blocks
            pos += data[pos] + 1
        pos += 1
    return images


# --------------------------------------------------------------------------- palette


def test_palette_from_colors_layout(palette):
    colors = [tuple(int(v) for v in c) for c in palette.colors]
    assert colors[: len(THEME)] == THEME  # base colours first, in order
    blends = palette.colors[len(THEME) :].astype(int)
    keys = blends[:, 0] | blends[:, 1] << 8 | blends[:, 2] << 16
    assert np.all(np.diff(keys) > 0)  # sorted, distinct
    assert len(set(colors)) == len(colors) <= 256
    assert Palette.from_colors(THEME) == palette  # deterministic
    assert hash(Palette.from_colors(THEME)) == hash(palette)


def test_palette_blends_are_evenly_spaced():
    palette = Palette.from_colors([BLACK, WHITE, BLUE], blends=[(BLACK, WHITE)], levels=4)
    grey = [tuple(int(v) for v in c) for c in palette.colors[3:]]
    assert grey == [(51, 51, 51), (102, 102, 102), (153, 153, 153), (204, 204, 204)]


def test_palette_degrades_levels_to_fit_256():
    colors = [(i * 36, (i * 81) % 256, (i * 150) % 256) for i in range(8)]  # 28 pairs

    def size(levels: int) -> int:  # an independent count of the uncapped table
        blends = {
            tuple(round(a + (b - a) * (k / (levels + 1))) for a, b in zip(c1, c2, strict=True))
            for i, c1 in enumerate(colors)
            for c2 in colors[i + 1 :]
            for k in range(1, levels + 1)
        }
        return len(colors) + len(blends - set(colors))

    fitting = max(levels for levels in range(31) if size(levels) <= 256)
    assert size(fitting + 1) > 256
    palette = Palette.from_colors(colors, levels=30)
    assert len(palette) == size(fitting)
    assert palette == Palette.from_colors(colors, levels=fitting)


@pytest.mark.parametrize(("make", "parameter", "message"), [
    (lambda: Palette.from_colors([WHITE, BLUE], blends=[(WHITE, CYAN)]), "blends",
     "not one of the base colours"),
    (lambda: Palette.from_colors([WHITE, BLUE], blends=[WHITE]), "blends", "pairs"),
    (lambda: Palette.from_colors([WHITE], levels=-1), "levels", "levels=-1"),
    (lambda: Palette.from_colors([WHITE], levels=2.0), "levels", "levels=2.0"),
    (lambda: Palette.from_colors([(i, i // 2, 0) for i in range(256)] + [(0, 0, 1)]), "colors",
     "257 distinct base colours"),
    (lambda: Palette([WHITE, WHITE]), "colors", "distinct"),
    (lambda: Palette([(256, 0, 0)]), "colors", "0-255"),
    (lambda: Palette([(0.5, 0, 0)]), "colors", "integer RGB"),
    (lambda: Palette(np.zeros((0, 3), np.uint8)), "colors", "1 to 256"),
])
def test_palette_rejects_bad_input(make, parameter, message):
    with pytest.raises(ParameterError, match=message) as caught:
        make()
    assert caught.value.parameter == parameter


def test_palette_lookup_tables_are_cached_for_a_few_palettes_only():
    palettes = [Palette.from_colors([WHITE, (i, 0, 0)], levels=1) for i in range(6)]
    frame = np.array([[WHITE, (3, 0, 0)]], np.uint8)
    palette_module._lookup_table.cache_clear()
    for palette in palettes:
        assert palette.indices(frame)[0, 0] == 0
    info = palette_module._lookup_table.cache_info()
    assert info.maxsize == palette_module.CACHED_TABLES == 4
    assert info.currsize == 4 and info.misses == 6
    assert not hasattr(palettes[0], "_lut")  # no table kept on the palette itself
    table = palette_module._lookup_table(palettes[-1].colors.tobytes())
    assert table.nbytes == 1 << 24 and not table.flags.writeable


def test_palette_colours_map_to_themselves(palette):
    frame = palette.colors[None, :, :]
    assert np.array_equal(palette.indices(frame)[0], np.arange(len(palette)))


def test_pure_white_is_not_shifted_to_a_near_white_neighbour():
    palette = Palette([(254, 253, 254), WHITE, BLACK])  # same 4x4x4 cell as white
    frame = np.array([[WHITE, (254, 253, 254), (250, 250, 250), (10, 10, 10)]], np.uint8)
    assert palette.indices(frame).tolist() == [[1, 0, 0, 2]]


def test_other_colours_map_close_to_nearest(palette):
    pixels = np.random.default_rng(0).integers(0, 256, (1, 5000, 3), dtype=np.uint8)
    chosen = palette.colors[palette.indices(pixels)[0]].astype(float)
    wide = pixels[0].astype(float)
    distances = np.linalg.norm(wide[:, None] - palette.colors[None].astype(float), axis=2)
    extra = np.linalg.norm(wide - chosen, axis=1) - distances.min(axis=1)
    assert extra.max() <= 6 * np.sqrt(3) + 1e-9


def test_palette_indices_rejects_bad_frames(palette):
    with pytest.raises(ParameterError, match="dtype float64.*uint8") as caught:
        palette.indices(np.zeros((2, 2, 3)))
    assert caught.value.parameter == "frame"
    with pytest.raises(ParameterError, match=r"\(2, 2, 2\)"):
        palette.indices(np.zeros((2, 2, 2), np.uint8))


def test_rgba_frames_map_like_their_rgb(palette):
    rgba = np.concatenate(
        [next(synthetic_frames()), np.full((95, 101, 1), 7, np.uint8)], axis=2
    )
    boxed = rgba[10:50, 20:90]  # a strided box of a contiguous RGBA buffer: the fast path
    assert np.array_equal(palette.indices(boxed), palette.indices(boxed[..., :3].copy()))
    assert np.array_equal(palette.indices(rgba), palette.indices(rgba[..., :3]))


# --------------------------------------------------------------------------- GIF


def test_gif_round_trip(tmp_path, palette):
    frames = list(synthetic_frames())
    path = tmp_path / "anim.gif"
    assert write_gif(path, iter(frames), palette=palette, fps=4, loop=0) == len(frames)
    with Image.open(path) as im:
        assert im.n_frames == len(frames)
        assert im.info["loop"] == 0
        durations = [f.info["duration"] for f in ImageSequence.Iterator(im)]
    assert durations == [250] * len(frames)
    for frame, decoded in zip(frames, decoded_frames(path), strict=True):
        assert np.array_equal(decoded, palette.colors[palette.indices(frame)])
    assert leftovers(tmp_path) == []


def test_gif_keeps_exact_colours(tmp_path, palette):
    frames = list(synthetic_frames(3))
    write_gif(tmp_path / "a.gif", frames, palette=palette)
    for frame, decoded in zip(frames, decoded_frames(tmp_path / "a.gif"), strict=True):
        assert tuple(decoded[0, 0]) == WHITE
        exact = np.isin(frame.reshape(-1, 3).view("V3"), palette.colors.view("V3")).reshape(
            frame.shape[:2]
        )
        assert exact.mean() > 0.5
        assert np.array_equal(decoded[exact], frame[exact])


def test_gif_loop_count_and_timing(tmp_path, palette):
    write_gif(tmp_path / "a.gif", synthetic_frames(2), palette=palette, fps=6, loop=5)
    with Image.open(tmp_path / "a.gif") as im:
        assert im.info["loop"] == 5
        assert im.info["duration"] == 170  # round(100 / 6) = 17 centiseconds


def test_gif_is_deterministic(tmp_path, palette):
    write_gif(tmp_path / "a.gif", synthetic_frames(), palette=palette)
    write_gif(tmp_path / "b.gif", synthetic_frames(), palette=palette)
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def test_gif_encodes_only_changed_boxes(tmp_path, palette):
    frames = list(synthetic_frames(6))
    frames.insert(3, frames[2])  # an unchanged frame
    write_gif(tmp_path / "a.gif", frames, palette=palette)
    images = gif_images((tmp_path / "a.gif").read_bytes())
    height, width = frames[0].shape[:2]
    assert len(images) == len(frames)
    assert images[0] == (0, 0, width, height, 1)
    assert images[3] == (0, 0, 1, 1, 1)
    pairs = zip(images[1:], frames[:-1], frames[1:], strict=True)
    for (left, top, w, h, disposal), prev, cur in pairs:
        assert disposal == 1 and w * h < width * height
        changed = np.argwhere((prev != cur).any(axis=2))
        if len(changed):
            assert (top, left) == tuple(changed.min(axis=0))
            assert (top + h, left + w) == tuple(changed.max(axis=0) + 1)
    decoded = decoded_frames(tmp_path / "a.gif")
    assert np.array_equal(decoded[3], decoded[2])


def test_gif_change_hints_give_the_same_file(tmp_path, palette):
    frames = list(synthetic_frames(6))
    hinted = [frames[0]]
    for prev, cur in pairwise(frames):
        rows, cols = np.nonzero((prev != cur).any(axis=2))
        box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
        hinted.append(Frame(cur, box))
    write_gif(tmp_path / "plain.gif", frames, palette=palette)
    write_gif(tmp_path / "hinted.gif", hinted, palette=palette)
    assert (tmp_path / "plain.gif").read_bytes() == (tmp_path / "hinted.gif").read_bytes()


def test_gif_unchanged_pixels_in_a_box_are_transparent(tmp_path, palette):
    frames = list(synthetic_frames(3))
    write_gif(tmp_path / "a.gif", frames, palette=palette)
    data = (tmp_path / "a.gif").read_bytes()
    controls = [data[i + 3 : i + 8] for i in range(len(data)) if data.startswith(b"!\xf9\x04", i)]
    flags = [control[0] & 1 for control in controls]
    assert flags == [0, 1, 1]  # the first frame is whole; later ones leave pixels through
    assert all(control[3] == len(palette) for control in controls[1:])


def test_gif_copes_with_a_reused_frame_buffer(tmp_path, palette):
    frames = list(synthetic_frames(5))

    def reused() -> Iterator[np.ndarray]:
        buffer = np.empty_like(frames[0])
        for frame in frames:
            buffer[...] = frame
            yield buffer

    write_gif(tmp_path / "a.gif", reused(), palette=palette)
    for frame, decoded in zip(frames, decoded_frames(tmp_path / "a.gif"), strict=True):
        assert np.array_equal(decoded, palette.colors[palette.indices(frame)])


def test_gif_shape_mismatch_leaves_previous_file(tmp_path, palette):
    path = tmp_path / "a.gif"
    path.write_bytes(b"good")
    frames = list(synthetic_frames(3))
    frames.append(frames[0][:-1])
    with pytest.raises(ParameterError, match=r"frame 3 has shape \(94, 101, 3\).*\(95, 101, 3\)"):
        write_gif(path, frames, palette=palette)
    assert path.read_bytes() == b"good"
    assert leftovers(tmp_path) == []
    with pytest.raises(ValueError, match="shape"):
        write_gif(tmp_path / "b.gif", frames, palette=palette)
    assert not (tmp_path / "b.gif").exists()


def test_gif_failure_mid_stream_leaves_previous_file(tmp_path, palette):
    path = tmp_path / "a.gif"
    write_gif(path, synthetic_frames(4), palette=palette)
    good = path.read_bytes()
    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_gif(path, failing_after(synthetic_frames(), 3), palette=palette)
    assert path.read_bytes() == good
    assert leftovers(tmp_path) == []


def test_gif_refuses_no_frames(tmp_path, palette):
    with pytest.raises(ParameterError, match="empty") as caught:
        write_gif(tmp_path / "a.gif", [], palette=palette)
    assert caught.value.parameter == "frames"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fps", [0, -1.0, float("nan"), float("inf"), True, "2", None, 1e-4])
def test_gif_rejects_bad_fps(tmp_path, palette, fps):
    with pytest.raises(ParameterError, match=r"fps=.*expected a number in") as caught:
        write_gif(tmp_path / "a.gif", synthetic_frames(1), palette=palette, fps=fps)
    assert caught.value.parameter == "fps"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fps", [51, 66.7, 100, 200])
def test_fps_above_50_is_refused_with_the_reason(tmp_path, palette, fps):
    for call in (
        lambda: check_fps(fps),
        lambda: write_gif(tmp_path / "a.gif", synthetic_frames(1), palette=palette, fps=fps),
        lambda: gif_bytes(synthetic_frames(1), palette=palette, fps=fps),
        lambda: write_frames(tmp_path / "a.webp", synthetic_frames(1), palette=palette, fps=fps),
        lambda: write_frames(tmp_path / "frames", synthetic_frames(1), palette=palette, fps=fps),
    ):
        with pytest.raises(ParameterError, match=r"centiseconds.*browsers.*10 ms") as caught:
            call()
        assert caught.value.parameter == "fps" and caught.value.value == fps
        assert "(0.001526, 50]" in caught.value.allowed
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fps", "centiseconds"), [(50, 2), (45, 2), (40, 3), (33.4, 3), (4, 25), (0.01, 10000)]
)
def test_fps_up_to_50_gives_rounded_centisecond_delays(fps, centiseconds, palette):
    data = gif_bytes(synthetic_frames(1), palette=palette, fps=fps)
    control = data.index(b"!\xf9\x04")
    assert struct.unpack_from("<H", data, control + 4)[0] == centiseconds
    assert check_fps(fps) == float(fps)


@pytest.mark.parametrize("loop", [-1, 1.5, True, 65536, None])
def test_gif_rejects_bad_loop(tmp_path, palette, loop):
    with pytest.raises(ParameterError, match=r"loop=.*expected an int from 0") as caught:
        write_gif(tmp_path / "a.gif", synthetic_frames(1), palette=palette, loop=loop)
    assert caught.value.parameter == "loop"


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.uint8, st.tuples(st.integers(1, 4), st.integers(1, 6), st.integers(1, 6), st.just(3)))
)
def test_gif_round_trips_any_pixels(tmp_path_factory, frames):
    palette = Palette.from_colors([WHITE, BLUE, BLACK], levels=3)
    path = tmp_path_factory.mktemp("gif") / "a.gif"
    assert write_gif(path, frames, palette=palette) == len(frames)
    for frame, decoded in zip(frames, decoded_frames(path), strict=True):
        assert np.array_equal(decoded, palette.colors[palette.indices(frame)])


# --------------------------------------------------------------------------- PNG


def test_png_frames_round_trip(tmp_path):
    frames = list(synthetic_frames(4))
    folder = tmp_path / "frames"
    paths = write_png_frames(folder, iter(frames))
    assert [p.name for p in paths] == [f"frame_00{i}.png" for i in range(4)]
    assert sorted(folder.iterdir()) == paths
    for path, frame in zip(paths, frames, strict=True):
        with Image.open(path) as im:
            assert im.mode == "RGB"
            assert np.array_equal(np.asarray(im), frame)
    assert leftovers(tmp_path) == []


def test_png_frames_padding(tmp_path):
    frames = [np.full((4, 4, 3), 255, np.uint8), np.zeros((4, 4, 3), np.uint8)]
    assert [p.name for p in write_png_frames(tmp_path / "a", frames, digits=1)] == [
        "frame_0.png",
        "frame_1.png",
    ]
    with pytest.raises(ParameterError, match="digits=1 cannot number more than 10"):
        write_png_frames(tmp_path / "b", frames * 6, digits=1)
    names = [p.name for p in write_png_frames(tmp_path / "c", frames * 501)]
    assert names[0] == "frame_0000.png" and names[-1] == "frame_1001.png"
    for digits in (0, 1.0, "3"):
        with pytest.raises(ParameterError, match="digits=") as caught:
            write_png_frames(tmp_path / "d", frames, digits=digits)
        assert caught.value.parameter == "digits"
    assert not (tmp_path / "b").exists() and not (tmp_path / "d").exists()


def test_png_frames_replace_previous_export_only_on_success(tmp_path):
    folder = tmp_path / "frames"
    write_png_frames(folder, synthetic_frames(5))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(RuntimeError):
        write_png_frames(folder, failing_after(synthetic_frames(), 2))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    write_png_frames(folder, synthetic_frames(2))
    assert sorted(p.name for p in folder.iterdir()) == ["frame_000.png", "frame_001.png"]
    assert leftovers(tmp_path) == [] and leftovers(folder) == []


def test_png_frames_refuse_a_folder_holding_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(WriteError, match=r"cannot write .*: the folder holds files that are "
                       r"not PNG frames \(notes.txt\)") as caught:
        write_png_frames(tmp_path, synthetic_frames(1))
    assert caught.value.errno == errno.EEXIST
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_png_frames_leave_a_file_put_in_the_folder_meanwhile(tmp_path):
    folder = tmp_path / "frames"
    write_png_frames(folder, synthetic_frames(3))

    def frames_and_a_user() -> Iterator[np.ndarray]:
        for number, frame in enumerate(synthetic_frames(5)):
            if number == 2:
                (folder / "important.txt").write_text("mine")
            yield frame

    write_png_frames(folder, frames_and_a_user())
    assert (folder / "important.txt").read_text() == "mine"
    names = sorted(p.name for p in folder.glob("frame_*.png"))
    assert names == [f"frame_00{i}.png" for i in range(5)]


def test_png_frames_remove_stale_frames_of_a_longer_export(tmp_path):
    folder = tmp_path / "frames"
    write_png_frames(folder, synthetic_frames(12), digits=4)
    paths = write_png_frames(folder, synthetic_frames(2))
    assert sorted(folder.iterdir()) == paths
    assert [p.name for p in paths] == ["frame_000.png", "frame_001.png"]


def test_png_frames_failure_removes_a_folder_it_created(tmp_path):
    with pytest.raises(RuntimeError):
        write_png_frames(tmp_path / "new", failing_after(synthetic_frames(), 2))
    assert list(tmp_path.iterdir()) == []


def test_png_frames_refuse_a_file(tmp_path):
    (tmp_path / "frames").write_text("a file")
    with pytest.raises(WriteError, match="it is a file, expected a folder"):
        write_png_frames(tmp_path / "frames", synthetic_frames(1))
    with pytest.raises(WriteError, match="does not exist"):
        write_png_frames(tmp_path / "missing" / "frames", synthetic_frames(1))


def test_png_is_deterministic(tmp_path):
    frame = next(synthetic_frames())
    assert write_png(tmp_path / "a.png", frame) == tmp_path / "a.png"
    write_png(tmp_path / "b.png", frame.copy())
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    with Image.open(tmp_path / "a.png") as im:
        assert np.array_equal(np.asarray(im), frame)


# --------------------------------------------------------------------------- registry


def test_write_frames_dispatches_by_suffix(tmp_path, palette):
    assert write_frames(tmp_path / "a.GIF", synthetic_frames(3), palette=palette) == 3
    with Image.open(tmp_path / "a.GIF") as im:
        assert im.format == "GIF" and im.n_frames == 3
    assert write_frames(tmp_path / "pngs", synthetic_frames(2), palette=palette) == 2
    assert write_frames(f"{tmp_path}/v1.0/", synthetic_frames(2), palette=palette) == 2
    assert len(list((tmp_path / "v1.0").glob("frame_*.png"))) == 2


@pytest.mark.parametrize("name", ["a.xyz", "a.png", "a.avi"])
def test_write_frames_rejects_unknown_suffix(tmp_path, palette, name):
    suffix = name[1:]
    message = rf"unsupported output format '{suffix}' .*use one of \.gif"
    with pytest.raises(ParameterError, match=message) as caught:
        write_frames(tmp_path / name, synthetic_frames(1), palette=palette)
    assert caught.value.parameter == "path"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [None, 3, b"x.gif", "", "a\0.gif", 2.5])
def test_paths_that_are_not_paths_are_refused(tmp_path, palette, path):
    for call in (
        lambda: write_frames(path, synthetic_frames(1), palette=palette),
        lambda: write_gif(path, synthetic_frames(1), palette=palette),
        lambda: write_png(path, next(synthetic_frames(1))),
        lambda: writer_for(path),
    ):
        with pytest.raises(ParameterError, match="path=") as caught:
            call()
        assert caught.value.parameter == "path"
    with pytest.raises(ParameterError, match="folder="):
        write_png_frames(path, synthetic_frames(1))


def test_writer_availability_is_known_before_drawing(monkeypatch):
    import importlib.util

    assert require_writer("a.gif").available() and writer_for("a.webp").available()
    mp4 = writer_for("video.MP4")
    needs = (mp4.needs.package, mp4.needs.module, mp4.needs.extra)
    assert needs == ("imageio-ffmpeg", "imageio_ffmpeg", "mp4")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "imageio_ffmpeg" else real(name, *a))
    assert not mp4.available()
    with pytest.raises(MissingDependency) as caught:
        require_writer("video.mp4")
    error = caught.value
    assert isinstance(error, ImportError) and not isinstance(error, ValueError)
    assert (error.package, error.extra, error.name) == ("imageio-ffmpeg", "mp4", "imageio_ffmpeg")
    assert "pip install imageio-ffmpeg" in str(error) and "conv-anim[mp4]" in str(error)


def test_mp4_without_imageio_ffmpeg_reads_no_frame(tmp_path, palette, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "imageio_ffmpeg" else real(name, *a))
    drawn = []

    def frames() -> Iterator[np.ndarray]:
        for frame in synthetic_frames(2):
            drawn.append(frame)
            yield frame

    with pytest.raises(MissingDependency, match=r"imageio-ffmpeg.*conv-anim\[mp4\]"):
        write_frames(tmp_path / "a.mp4", frames(), palette=palette)
    assert drawn == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [None, 3, b"x.gif"])
def test_animation_save_names_a_bad_path(tmp_path, path):
    from conv_anim import ConvSpec, animate

    with pytest.raises(ParameterError, match=r"path=.*expected a str or os\.PathLike") as caught:
        animate(ConvSpec(4, 3)).save(path)
    assert caught.value.parameter == "path" and caught.value.value == path
