"""Tests for the truecolour animation writers: WebP, APNG (streamed) and MP4 (ffmpeg)."""

from __future__ import annotations

import os
import stat
import tracemalloc
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from export_support import leftovers, noise_frames, synthetic_frames, theme_palette
from PIL import Image, ImageSequence

from conv_anim.export import Frame, WriteError, write_frames
from conv_anim.export.apng import write_apng
from conv_anim.export.webp import write_webp

PALETTE = theme_palette()
STREAMED = [".webp", ".apng"]


def read_animation(path: Path) -> tuple[list[np.ndarray], list[float], int]:
    with Image.open(path) as im:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(im):
            frames.append(np.asarray(frame.convert("RGB")))
            durations.append(frame.info["duration"])
        return frames, durations, im.info["loop"]


@pytest.mark.parametrize("suffix", STREAMED)
def test_streamed_formats_are_lossless_timed_and_looping(tmp_path, suffix):
    frames = list(synthetic_frames(9))
    frames.insert(4, frames[3])  # an unchanged frame
    path = tmp_path / f"a{suffix}"
    assert write_frames(path, iter(frames), palette=PALETTE, fps=4, loop=2) == 10
    decoded, durations, loop = read_animation(path)
    assert len(decoded) == 10 and loop == 2
    assert durations == [250] * 10
    for number, (a, b) in enumerate(zip(decoded, frames, strict=True)):
        assert np.array_equal(a, b), f"frame {number}"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", STREAMED)
def test_streamed_formats_are_deterministic_and_take_hints(tmp_path, suffix):
    frames = list(synthetic_frames(6))
    hinted = [frames[0]]
    for previous, current in pairwise(frames):
        rows, cols = np.nonzero((previous != current).any(axis=2))
        box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
        hinted.append(Frame(current, box))
    write_frames(tmp_path / f"a{suffix}", frames, palette=PALETTE, fps=3)
    write_frames(tmp_path / f"b{suffix}", frames, palette=PALETTE, fps=3)
    write_frames(tmp_path / f"c{suffix}", hinted, palette=PALETTE, fps=3)
    first = (tmp_path / f"a{suffix}").read_bytes()
    assert (tmp_path / f"b{suffix}").read_bytes() == first
    assert (tmp_path / f"c{suffix}").read_bytes() == first


@pytest.mark.parametrize("suffix", STREAMED)
def test_streamed_formats_store_only_what_changed(tmp_path, suffix):
    still = next(noise_frames(1, 300, 300))  # 270 kB of incompressible pixels

    def frames() -> Iterator[np.ndarray]:
        for number in range(40):
            frame = still.copy()
            frame[number : number + 3, 7:10] = (200, 30, 30)  # a small moving mark
            yield frame

    one = tmp_path / f"one{suffix}"
    write_frames(one, [still], palette=PALETTE)
    many = tmp_path / f"many{suffix}"
    write_frames(many, frames(), palette=PALETTE)
    assert many.stat().st_size < 1.1 * one.stat().st_size  # 39 more frames cost < 10%
    decoded, _, _ = read_animation(many)
    assert all(np.array_equal(a, b) for a, b in zip(decoded, frames(), strict=True))


@pytest.mark.parametrize("suffix", STREAMED)
def test_streamed_formats_cope_with_odd_sizes_and_a_reused_buffer(tmp_path, suffix):
    frames = [frame[:33, 40:57] for frame in synthetic_frames(5)]

    def reused() -> Iterator[np.ndarray]:
        buffer = np.empty((33, 17, 4), np.uint8)  # RGBA, alpha ignored
        for frame in frames:
            buffer[..., :3], buffer[..., 3] = frame, 7
            yield buffer

    write_frames(tmp_path / f"a{suffix}", reused(), palette=PALETTE)
    decoded, _, _ = read_animation(tmp_path / f"a{suffix}")
    assert all(np.array_equal(a, b) for a, b in zip(decoded, frames, strict=True))


@pytest.mark.parametrize("writer", [write_webp, write_apng])
def test_streamed_writers_hold_one_frame_not_all(tmp_path, writer):
    count, shape = 60, (200, 300, 3)
    frame_bytes = shape[0] * shape[1] * shape[2]

    def frames() -> Iterator[np.ndarray]:
        base = np.pad(next(synthetic_frames(1)), ((0, 105), (0, 199), (0, 0)), mode="wrap")
        for number in range(count):
            frame = base.copy()  # a new array per frame, as a renderer gives
            frame[number : number + 20, 50:90] = number
            yield frame

    tracemalloc.start()
    try:
        writer(tmp_path / "a", frames())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * frame_bytes, f"peak {peak / frame_bytes:.1f} frames"  # not 60


def test_webp_encoder_failure_is_a_write_error(tmp_path, monkeypatch):
    target = tmp_path / "a.webp"
    target.write_bytes(b"old")

    def failing(image, stream, filename):
        raise RuntimeError("could not create encoder object")

    monkeypatch.setitem(Image.SAVE, "WEBP", failing)
    with pytest.raises(WriteError) as caught:
        write_webp(target, synthetic_frames(3))
    assert str(caught.value) == (
        f"cannot write {str(target)!r}: the WebP encoder failed: could not create encoder object"
    )
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_a_renderer_error_is_not_taken_for_an_encoder_failure(tmp_path):
    def failing() -> Iterator[np.ndarray]:
        yield from synthetic_frames(2)
        raise ValueError("bad value in the renderer")

    for writer in (write_webp, write_apng):
        with pytest.raises(ValueError, match="bad value in the renderer"):
            writer(tmp_path / "a", failing())
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- MP4


def test_mp4_video(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")

    frames = list(synthetic_frames(5))  # 101 x 95: odd sizes are padded to even
    assert write_frames(tmp_path / "a.mp4", iter(frames), palette=PALETTE, fps=5) == 5
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "a.mp4"))
    metadata = next(reader)
    assert metadata["size"] == (102, 96) and metadata["fps"] == 5
    video = np.stack([np.frombuffer(frame, np.uint8).reshape(96, 102, 3) for frame in reader])
    assert video.shape == (5, 96, 102, 3)
    assert np.abs(video[2, :95, :101].astype(int) - frames[2]).mean() < 6
    first = (tmp_path / "a.mp4").read_bytes()
    write_frames(tmp_path / "a.mp4", iter(frames), palette=PALETTE, fps=5)
    assert (tmp_path / "a.mp4").read_bytes() == first
    assert leftovers(tmp_path) == []


def test_a_failing_ffmpeg_is_a_write_error(tmp_path, monkeypatch, capfd):
    pytest.importorskip("imageio_ffmpeg")
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho \"[libx264 @ 0x1234] Unknown encoder 'libx264'\" >&2\n"
                    "cat > /dev/null\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(fake))
    target = tmp_path / "a.mp4"
    target.write_bytes(b"old")
    with pytest.raises(WriteError) as caught:
        write_frames(target, synthetic_frames(3), palette=PALETTE)
    reason = "ffmpeg failed: Unknown encoder 'libx264'"
    assert str(caught.value) == f"cannot write {str(target)!r}: {reason}"
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []
    assert capfd.readouterr().err == ""  # ffmpeg's messages do not reach the terminal


def test_an_ffmpeg_that_stops_reading_is_a_write_error(tmp_path, monkeypatch):
    pytest.importorskip("imageio_ffmpeg")
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Conversion failed!' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(fake))
    with pytest.raises(WriteError, match="ffmpeg failed: Conversion failed!"):
        write_frames(tmp_path / "a.mp4", synthetic_frames(200), palette=PALETTE)
    assert [p.name for p in tmp_path.iterdir()] == ["ffmpeg"]


def test_mp4_keeps_permissions(tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    target = tmp_path / "a.mp4"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    write_frames(target, synthetic_frames(2), palette=PALETTE)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
