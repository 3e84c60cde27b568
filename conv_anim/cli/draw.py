"""``conv-anim conv`` and ``conv-anim paper``: draw, within a frame budget, and say what
was written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from conv_anim import catalog, request
from conv_anim.cli.messages import (
    IO_ERROR,
    MISSING_DEPENDENCY,
    PROG,
    CliError,
    library_errors,
    options_of,
)
from conv_anim.cli.parser import figure_name
from conv_anim.extras import MissingDependency, require

if TYPE_CHECKING:
    from conv_anim.animation import Animation

ANIMATED = (".gif", ".webp", ".apng", ".mp4")
STILL = (".png", ".pdf", ".svg")
#: Outputs estimated above this many bytes are refused, with the estimate.
MAX_BYTES = 100 * 2**20
#: Bytes per frame pixel, by format, measured on a 900-frame 1648x2035 animation (32x32
#: input) and rounded up: GIFs and videos store what changed, a folder every frame.
BYTES_PER_PIXEL = {".gif": 0.005, ".webp": 0.01, ".apng": 0.02, ".mp4": 0.004, "/": 0.2}
#: Saves expected to take longer than this show progress on a terminal (seconds).
PROGRESS_AFTER = 2.0
DEFAULT_FPS = 1.0
FILMSTRIP_FRAMES = 4


def run_conv(args: argparse.Namespace) -> int:
    """Run ``conv-anim conv``: draw the convolution given by the options into ``-o``."""
    options = options_of(args)
    with library_errors():
        spec = request.build_spec(options)
        target = _target(args)
        drawing = request.drawing(options, spec)
        select = request.selection(options, request.drawn_spec(spec, drawing),
                                   drawing.get("view", "direct"))
        style = request.style(options, labelled=True)
        from conv_anim.animation import animate

        animation = animate(spec, **drawing, steps=select, **style)
    _write(animation, args, target)
    return 0


def run_paper(args: argparse.Namespace) -> int:
    """Run ``conv-anim paper NAME``: draw a figure of the catalogue into ``-o``."""
    figure = figure_name(args.name)
    if isinstance(figure, catalog.PaperStatic):
        _write_static(figure, args)
        return 0
    if args.progressive and not figure.numerical:
        raise CliError(
            f"--progressive applies to numerical figures and {figure.name!r} is not one: "
            f"see the numerical sections of 'conv-anim list'"
        )
    target = _target(args)
    options = options_of(args)
    with library_errors():
        style = request.style(options, labelled=False)
        if args.progressive:
            style["progressive"] = True
        select = request.selection(options, figure.spec, figure.view, frames=figure.frames)
        animation = figure.animate(steps=select, **style)
    _write(animation, args, target)
    return 0


def _target(args: argparse.Namespace) -> tuple[Path, str]:
    """Where to write and what: ``(path, kind)``, kind a suffix or ``"/"`` for a folder of
    PNG frames; checked before anything is drawn."""
    text = args.output
    path = Path(text)
    folder = text.endswith(("/", os.sep)) or (args.frames and path.suffix.lower() == ".png")
    if args.frames and not folder:
        raise CliError(f"--frames writes a folder of PNG frames: give -o NAME.png or -o "
                       f"NAME/, not {text!r}")
    if folder:
        path = path.with_suffix("") if path.suffix.lower() == ".png" else path
        kind = "/"
    else:
        kind = path.suffix.lower()
        if path.is_dir():
            raise CliError(f"-o/--output: {text!r} is a folder: add a trailing '/' to write "
                           f"PNG frames into it, or give a file name")
        allowed = STILL if args.filmstrip is not None else (*ANIMATED, ".html", *STILL)
        if kind not in allowed:
            what = "--filmstrip" if args.filmstrip is not None else "an animation or a frame"
            has = f"suffix {kind!r}" if kind else "no suffix"
            raise CliError(f"-o/--output: {text!r} has {has}: expected {', '.join(allowed)} "
                           f"for {what}, or a folder/ of PNG frames")
    parent = path.parent
    if not parent.is_dir():
        raise CliError(f"-o/--output: cannot write {text!r}: the folder {str(parent)!r} does "
                       f"not exist", IO_ERROR)
    _check_output_options(args, kind)
    return path, kind


def _check_output_options(args: argparse.Namespace, kind: str) -> None:
    still = kind in STILL and args.filmstrip is None
    if args.frame is not None and args.filmstrip is not None:
        raise CliError("--frame does not apply with --filmstrip, which shows several frames")
    if args.frame is not None and not still:
        raise CliError(f"--frame applies to still images (.png, .pdf, .svg), not to "
                       f"{'a folder of frames' if kind == '/' else kind}, which holds every frame")
    if args.fps is not None and kind not in (*ANIMATED, ".html"):
        raise CliError(f"--fps applies to animations ({', '.join(ANIMATED)}, .html) only, not "
                       f"to {'a folder of frames' if kind == '/' else kind}"
                       f"{' or --filmstrip' if args.filmstrip is not None else ''}")
    if args.transparent and kind in (*ANIMATED, "/"):
        raise CliError(f"--transparent applies to still images and filmstrips (.png, .pdf, "
                       f".svg): the frames of {'a folder' if kind == '/' else 'a ' + kind} are "
                       f"opaque")
    if kind == ".mp4":
        try:
            require("mp4", "writing .mp4")
        except MissingDependency as error:
            raise CliError(str(error), MISSING_DEPENDENCY) from None


def _check_bytes(animation: Animation, kind: str) -> None:
    """Refuse an output estimated above :data:`MAX_BYTES`, before drawing it."""
    height, width, _ = animation.frame_shape
    factor = BYTES_PER_PIXEL.get(kind)
    if factor is None:
        return
    estimate = len(animation) * height * width * factor
    if estimate > MAX_BYTES:
        raise CliError(
            f"the output would be about {estimate / 2**20:,.0f} MB ({len(animation):,} frames "
            f"of {width}x{height} pixels), above {MAX_BYTES / 2**20:.0f} MB: show fewer steps "
            f"with --every K, --steps A:B or --rows A:B, or a smaller --scale"
        )


def _write(animation: Animation, args: argparse.Namespace, target: tuple[Path, str]) -> None:
    """Write the animation, a frame, a filmstrip or the frames to ``-o``, and say so."""
    path, kind = target
    _check_bytes(animation, kind)
    fps = DEFAULT_FPS if args.fps is None else args.fps
    start = time.perf_counter()
    with _writing(path), _progress(kind in (*ANIMATED, ".html", "/")) as progress:
        if args.filmstrip is not None:
            frames = args.filmstrip or tuple(range(min(FILMSTRIP_FRAMES, len(animation))))
            animation.filmstrip(frames, path=path)
        elif kind == "/":
            animation.save_frames(path, progress=progress)
        else:
            animation.save(path, fps=fps, frame=args.frame, progress=progress)
    if not args.quiet:
        print(f"{PROG}: wrote {_summary(animation, args, path, kind, fps)} "
              f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)


def _summary(animation: Animation, args: argparse.Namespace, path: Path, kind: str,
             fps: float) -> str:
    """``x.gif (GIF, 9 frames, 394x380 px, 9 s at 1 fps, 63,176 bytes)``."""
    height, width, _ = animation.frame_shape
    if kind == "/":
        files = sorted(path.glob("frame_*.png"))
        size = sum(f.stat().st_size for f in files)
        return (f"{path}/ ({len(files)} PNG frames of {width}x{height} px, "
                f"{size:,} bytes)")
    size = path.stat().st_size
    if args.filmstrip is not None:
        count = len(args.filmstrip) or min(FILMSTRIP_FRAMES, len(animation))
        return f"{path} ({kind[1:].upper()} filmstrip of {count} frames, {size:,} bytes)"
    if kind in STILL:
        frame = args.frame or 0
        return (f"{path} ({kind[1:].upper()}, frame {frame} of {len(animation)}, "
                f"{width}x{height} px, {size:,} bytes)")
    seconds = len(animation) / fps
    return (f"{path} ({kind[1:].upper()}, {len(animation)} frames, {width}x{height} px, "
            f"{seconds:g} s at {fps:g} fps, {size:,} bytes)")


def _write_static(figure: catalog.PaperStatic, args: argparse.Namespace) -> None:
    """Write a static figure; only ``-o``, ``--transparent`` and ``--quiet`` apply."""
    animation_only = {
        "--frame": args.frame is not None, "--filmstrip": args.filmstrip is not None,
        "--fps": args.fps is not None, "--scale": args.scale is not None,
        "--labels": args.labels, "--no-labels": args.no_labels,
        "--caption": args.caption is not False, "--no-connectors": args.no_connectors,
        "--progressive": args.progressive, "--frames": args.frames,
        "--every": args.every is not None, "--steps": args.steps is not None,
        "--rows": args.rows is not None, "--theme": args.theme is not None,
    }
    given = [option for option, present in animation_only.items() if present]
    if given:
        raise CliError(
            f"{given[0]} does not apply to the static figure {figure.name!r}: only "
            f"-o/--output, --transparent and --quiet do"
        )
    path = Path(args.output)
    if path.suffix.lower() not in STILL:
        raise CliError(f"-o/--output: {str(path)!r}: the static figure {figure.name!r} is "
                       f"written as .png, .pdf or .svg")
    if not path.parent.is_dir():
        raise CliError(f"-o/--output: cannot write {str(path)!r}: the folder "
                       f"{str(path.parent)!r} does not exist", IO_ERROR)
    from conv_anim.render.canvas import save_figure

    with _writing(path):
        save_figure(figure.figure(), path, transparent=args.transparent)
    if not args.quiet:
        print(f"{PROG}: wrote {path} ({path.suffix[1:].upper()}, {path.stat().st_size:,} "
              f"bytes)", file=sys.stderr)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Report library errors, and a file that cannot be written, as :class:`CliError`."""
    try:
        with library_errors():
            yield
    except MissingDependency as error:
        raise CliError(str(error), MISSING_DEPENDENCY) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise CliError(f"-o/--output: cannot write {str(path)!r}: {reason}", IO_ERROR) from None


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """On a terminal, once a save has run :data:`PROGRESS_AFTER` seconds, show frames
    done / total, the time elapsed and an estimate of the time left; yields the
    ``progress(done, total)`` callback (None when quiet)."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    start = time.perf_counter()
    shown = False

    def show(done: int, total: int) -> None:
        nonlocal shown
        elapsed = time.perf_counter() - start
        if elapsed < PROGRESS_AFTER and not shown:
            return
        shown = True
        left = elapsed / done * (total - done)
        print(f"\r{PROG}: frame {done}/{total}, {elapsed:.0f} s, about {left:.0f} s left ",
              end="", file=sys.stderr, flush=True)

    try:
        yield show
    finally:
        if shown:
            print(file=sys.stderr)


__all__ = ["MAX_BYTES", "run_conv", "run_paper"]
