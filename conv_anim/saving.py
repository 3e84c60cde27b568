"""Writing an animation to files: the format chosen by the suffix, every frame streamed.

:meth:`conv_anim.Animation.save` and :meth:`~conv_anim.Animation.save_frames` call
this module; :mod:`conv_anim.export` holds the writers (atomic, by suffix).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from conv_anim import export, player
from conv_anim.errors import ParameterError
from conv_anim.extras import require
from conv_anim.render.canvas import FIGURE_SUFFIXES, save_figure

if TYPE_CHECKING:
    from conv_anim.animation import Animation

T = TypeVar("T")

#: The animated formats, by suffix.
ANIMATED_SUFFIXES = (".gif", ".webp", ".apng", ".mp4")
#: The interactive player's suffix.
PLAYER_SUFFIX = ".html"


def save(
    animation: Animation, path: str | Path, fps: float = 1.0, loop: int = 0, *,
    frame: int | None = None, progress: Callable[[int, int], object] | None = None,
) -> Path:
    """Write ``animation``, or one frame of it (:meth:`conv_anim.Animation.save`)."""
    _check_progress(progress)
    target = export.check_path(path)
    suffix = target.suffix.lower()
    if suffix in ANIMATED_SUFFIXES:
        if frame is not None:
            raise ParameterError(
                f"frame={frame!r} does not apply to a {suffix}: it holds every frame",
                parameter="frame", value=frame, allowed=f"None for a {suffix}",
            )
        _check_opaque(animation, suffix)
        if suffix == ".mp4":
            require("mp4", "writing .mp4")
        frames = (export.Frame(rgba, region.slices) for rgba, region in animation.rgba_frames())
        export.write_frames(
            target, _reporting(frames, len(animation), progress),
            palette=animation.palette, fps=fps, loop=loop,
        )
        return target
    if suffix == PLAYER_SUFFIX:
        if frame is not None:
            raise ParameterError(
                f"frame={frame!r} does not apply to a {suffix}: it holds every frame",
                parameter="frame", value=frame, allowed=f"None for a {suffix}",
            )
        export.check_fps(fps)
        page = player.to_document(animation, fps, autoplay=True)
        with export.atomic_output(target) as temp:
            temp.write_text(page, encoding="utf-8")
        return target
    if suffix == ".png" and not animation.style.transparent:
        # The frame's own pixels, as in the GIF and the folder of frames.
        for rgba, _ in animation.rgba_frames([animation.step(0 if frame is None else frame)]):
            export.write_png(target, rgba)
        return target
    if suffix in FIGURE_SUFFIXES:
        save_figure(animation.figure(0 if frame is None else frame), target,
                    transparent=animation.style.transparent)
        return target
    allowed = f"{', '.join(ANIMATED_SUFFIXES)}, {PLAYER_SUFFIX}, .png, .pdf or .svg"
    raise ParameterError(
        f"unsupported output format {suffix or '(none)'!r} for path {str(path)!r}: "
        f"expected {allowed} (a folder of PNG frames: save_frames)",
        parameter="path", value=str(path), allowed=allowed,
    )


def save_frames(animation: Animation, folder: str | Path, *,
                progress: Callable[[int, int], object] | None = None) -> Path:
    """Write every frame as a PNG file (:meth:`conv_anim.Animation.save_frames`)."""
    _check_progress(progress)
    _check_opaque(animation, "folder of PNG frames")
    target = Path(folder)
    export.write_png_frames(target, _reporting(animation.frames(), len(animation), progress))
    return target


def _check_opaque(animation: Animation, what: str) -> None:
    """Refuse a transparent background where frames are opaque (animations)."""
    if animation.style.transparent:
        raise ParameterError(
            f"background='transparent' does not apply to a {what}: its frames are "
            f"opaque; save a still image (.png, .pdf, .svg) or a filmstrip instead",
            parameter="background", value="transparent",
            allowed="a colour for animations",
        )


def _check_progress(progress: object) -> None:
    if progress is not None and not callable(progress):
        raise ParameterError.invalid(
            "progress", progress, "None or a callable progress(done, total)"
        )


def _reporting(
    frames: Iterable[T], total: int, progress: Callable[[int, int], object] | None
) -> Iterator[T]:
    """Pass ``frames`` through, calling ``progress(done, total)`` after each."""
    for done, frame in enumerate(frames, start=1):
        yield frame
        if progress is not None:
            progress(done, total)


__all__ = ["ANIMATED_SUFFIXES", "PLAYER_SUFFIX", "save", "save_frames"]
