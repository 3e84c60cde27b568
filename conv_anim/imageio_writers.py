"""More animation formats through imageio: animated WebP and APNG, and MP4 (optional).

WebP and APNG go through imageio's Pillow plugin, which holds every frame until it
saves (Pillow writes these formats in one call), so their memory grows with the
frame count; GIF (:func:`conv_anim.export.write_gif`) streams. MP4 streams through
imageio's FFMPEG plugin and needs the ``imageio-ffmpeg`` package (the ``mp4`` extra).
Every writer is atomic, like the rest of :mod:`conv_anim.export`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from conv_anim.export import Frame, Palette, PathLike, _checked_frames, _gif_delay, atomic_output

MP4_EXTRA = 'pip install "conv-anim[mp4]"  (or: pip install imageio-ffmpeg)'


def _frame_ms(fps: float) -> int:
    """Frame duration in milliseconds, with the same validation as GIF."""
    return 10 * _gif_delay(fps)


def _pillow_animation(
    path: PathLike, frames: Iterable[np.ndarray | Frame], fps: float, **options: object
) -> int:
    import imageio.v3 as iio

    duration = _frame_ms(fps)
    count = 0
    with atomic_output(path) as temp:
        with iio.imopen(temp, "w", plugin="pillow", extension=Path(path).suffix.lower()) as file:
            for rgb, _ in _checked_frames(frames):
                # A copy: the plugin keeps every frame and the caller may reuse its buffer.
                file.write(np.array(rgb[..., :3]), is_batch=False, duration=duration, **options)
                count += 1
    return count


def write_webp(
    path: PathLike, frames: Iterable[np.ndarray | Frame], *, palette: Palette | None = None,
    fps: float = 1.0, loop: int = 0,
) -> int:
    """Write an animated, lossless WebP. ``palette`` is unused (WebP is truecolour).

    Returns
    -------
    int
        The number of frames written.
    """
    return _pillow_animation(path, frames, fps, loop=loop, lossless=True, quality=100, method=4)


def write_apng(
    path: PathLike, frames: Iterable[np.ndarray | Frame], *, palette: Palette | None = None,
    fps: float = 1.0, loop: int = 0,
) -> int:
    """Write an animated PNG (``.apng``). ``palette`` is unused (APNG is truecolour).

    Returns
    -------
    int
        The number of frames written.
    """
    return _pillow_animation(path, frames, fps, loop=loop, default_image=False)


def write_mp4(
    path: PathLike, frames: Iterable[np.ndarray | Frame], *, palette: Palette | None = None,
    fps: float = 1.0, loop: int = 0,
) -> int:
    """Write an H.264 MP4 video (needs ``imageio-ffmpeg``: the ``mp4`` extra).

    Frames of odd width or height are padded by one pixel (repeating the edge) since
    the video's pixel format needs even sizes. ``loop`` and ``palette`` are unused:
    players decide whether a video loops.

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    ValueError
        If imageio-ffmpeg is not installed (the message says how to install it).
    """
    if importlib.util.find_spec("imageio_ffmpeg") is None:
        raise ValueError(f"writing .mp4 needs the optional imageio-ffmpeg package: {MP4_EXTRA}")
    _frame_ms(fps)  # validate fps like every other format
    import imageio.v2 as imageio

    count = 0
    with atomic_output(path) as temp:
        writer = imageio.get_writer(
            temp, format="FFMPEG", mode="I", fps=fps, codec="libx264", macro_block_size=1,
            pixelformat="yuv420p", ffmpeg_log_level="error",
            output_params=["-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact"],
        )
        try:
            for rgb, _ in _checked_frames(frames):
                height, width = rgb.shape[:2]
                padding = ((0, height % 2), (0, width % 2), (0, 0))
                writer.append_data(np.pad(rgb[..., :3], padding, "edge"))
                count += 1
        finally:
            writer.close()
    return count
