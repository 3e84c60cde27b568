"""Measure conv_anim's speed, memory and GIF sizes against the targets of the issues.

Benchmarks are not tests: machines are shared and noisy, so this script reports
medians of several runs and ratios, and asserts nothing. Run it on a quiet machine:

    python scripts/benchmark.py              # everything
    python scripts/benchmark.py --quick      # fewer repeats, skip the big case
    python scripts/benchmark.py --numerics   # only apply against numpy, and huge specs

Prints a Markdown report (paste it into the README).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

from conv_anim import ConvSpec, catalog  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The published GIFs (CONV_ANIM_REFERENCE names their reference folder elsewhere, e.g.
#: from a worktree).
REFERENCE_GIFS = Path(
    os.environ.get("CONV_ANIM_REFERENCE", ROOT.parent / "shared" / "reference")
) / "gif"


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of ``run``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_frame_stages(name: str, repeats: int, folder: Path) -> dict[str, float]:
    """Milliseconds per frame: drawing, drawing + palette mapping, and the whole GIF write.

    Each run starts from a new Animation, so the one-off drawing of the static parts
    (about 20 ms) is spread over the frames, as when a user saves one GIF.
    """
    figure = catalog.get(name)
    first = figure.animate()
    palette = first.palette
    palette.indices(next(first.frames()))  # build the lookup table outside the timing
    frames = len(first)

    def render() -> None:
        for _ in figure.animate().rgba_frames():  # the renderer stage alone
            pass

    def render_and_map() -> None:
        for rgba, region in figure.animate().rgba_frames():
            palette.indices(rgba[region.slices])

    def write() -> None:
        figure.animate().save(folder / f"{name}.gif")

    return {
        "render": 1000 * median_seconds(render, repeats) / frames,
        "render + palette": 1000 * median_seconds(render_and_map, repeats) / frames,
        "render + palette + encode (GIF)": 1000 * median_seconds(write, repeats) / frames,
    }


def arithmetic_animations() -> list[catalog.PaperAnimation]:
    """The repository's 15 slanted animations."""
    return [figure for figure in catalog.animations() if not figure.numerical]


def all_fifteen(repeats: int, folder: Path) -> float:
    """Seconds to render and write the 15 arithmetic GIFs in this process."""

    def run() -> None:
        for figure in arithmetic_animations():
            figure.animate().save(folder / f"{figure.name}.gif")

    return median_seconds(run, repeats)


def gif_bytes(folder: Path) -> list[tuple[str, int, int]]:
    """(name, our bytes, original bytes) for the 15 GIFs written in ``folder``."""
    rows = []
    for figure in arithmetic_animations():
        ours = (folder / f"{figure.name}.gif").stat().st_size
        original = (REFERENCE_GIFS / f"{figure.name}.gif").stat().st_size
        rows.append((figure.name, ours, original))
    return rows


BIG_CASE = """
import resource, sys, time
from conv_anim import ConvSpec, animate
size = int(sys.argv[1])
animation = animate(ConvSpec(size, 3))
start = time.perf_counter()
animation.save(sys.argv[2])
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
height, width, _ = animation.frame_shape
print(len(animation), width, height, elapsed, peak)
"""


def big_case(size: int, folder: Path) -> tuple[int, int, int, float, float, int]:
    """Frames, width, height, seconds, peak MB and bytes of a ``size``x``size`` GIF."""
    path = folder / f"big_{size}.gif"
    result = subprocess.run(
        [sys.executable, "-c", BIG_CASE, str(size), str(path)],
        capture_output=True, text=True, check=True,
    )
    frames, width, height, seconds, peak = result.stdout.split()
    return int(frames), int(width), int(height), float(seconds), float(peak), path.stat().st_size


def numerics(repeats: int) -> list[str]:
    """Markdown rows: apply on a 1000x1000 input against plain numpy in this process,
    and the time to answer (or refuse) for specs whose steps or matrix are huge."""
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(1000, 1000)), rng.normal(size=(3, 3))
    spec = ConvSpec(1000, 3)
    cases = [
        ("conv, kernel 3", lambda: spec.apply(x, w),
         lambda: np.einsum("ijkl,kl->ij", sliding_window_view(x, (3, 3)), w)),
        ("max pooling, kernel 3", lambda: spec.apply(x, op="max"),
         lambda: sliding_window_view(x, (3, 3)).max(axis=(2, 3))),
        ("grad_input, kernel 3", lambda: spec.grad_input(x[1:-1, 1:-1], w),
         lambda: np.einsum("ijkl,kl->ij", sliding_window_view(np.pad(x[1:-1, 1:-1], 2), (3, 3)),
                           w[::-1, ::-1])),
    ]
    rows = ["| 1000x1000 input | conv_anim (ms) | numpy sliding_window_view (ms) | ratio |",
            "|---|---:|---:|---:|"]
    for title, ours, baseline in cases:
        np.testing.assert_allclose(ours(), baseline(), rtol=1e-9, atol=1e-9)
        mine, theirs = median_seconds(ours, repeats), median_seconds(baseline, repeats)
        rows.append(f"| {title} | {1000 * mine:.0f} | {1000 * theirs:.0f} | {mine / theirs:.1f} |")

    def refused(call: Callable[[], object]) -> None:
        try:
            call()
        except ValueError:
            return
        raise AssertionError("expected a refusal")

    quick = [
        ("`len(ConvSpec(3000, 3).steps())` (lazy)", lambda: len(ConvSpec(3000, 3).steps())),
        ("`ConvSpec(3000, 3).steps()[-1]`", lambda: ConvSpec(3000, 3).steps()[-1]),
        ("`ConvSpec(3000, 3).uncovered_positions()`",
         lambda: ConvSpec(3000, 3).uncovered_positions()),
        ("`ConvSpec(300, 3).matrix(w)` refused",
         lambda: refused(lambda: ConvSpec(300, 3).matrix(w))),
        ("`ConvSpec(100000, 3).apply(x, w)` refused",
         lambda: refused(lambda: ConvSpec(100_000, 3).apply(None, w))),
    ]
    rows += ["", "| huge spec | ms |", "|---|---:|"]
    rows += [f"| {title} | {1000 * median_seconds(call, repeats):.2f} |" for title, call in quick]
    return rows


MEMORY_CASE = """
import os, resource, sys, threading, time
from conv_anim import ConvSpec, animate

def watch_children(peaks):
    # Linux: the peak RSS (VmHWM) of child processes (ffmpeg), last value seen of each.
    me = os.getpid()
    while True:
        try:
            with open(f"/proc/{me}/task/{me}/children") as listing:
                children = listing.read().split()
        except OSError:
            return
        for child in children:
            try:
                with open(f"/proc/{child}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            peaks[child] = int(line.split()[1]) / 1024
            except OSError:
                pass
        time.sleep(0.2)

peaks = {}
threading.Thread(target=watch_children, args=(peaks,), daemon=True).start()
animation = animate(ConvSpec(int(sys.argv[1]), 3))
start = time.perf_counter()
target = sys.argv[2]
written = (animation.save_frames(target) if target.endswith("/") else animation.save(target))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
files = list(written.iterdir()) if written.is_dir() else [written]
size = sum(path.stat().st_size for path in files)
child = max(peaks.values(), default=0.0)
print(len(animation), elapsed, peak, child, size)
"""

#: The formats of the memory cases: file name and what it is.
MEMORY_FORMATS = (
    ("anim.gif", "GIF"), ("anim.webp", "WebP"), ("anim.apng", "APNG"), ("anim.mp4", "MP4"),
    ("frames/", "PNG frames (folder)"),
)


def memory_case(size: int, name: str, folder: Path) -> tuple[int, float, float, float, int]:
    """Frames, seconds, peak MB of the saving process, peak MB of its child (ffmpeg; 0
    without one) and bytes written, saving a ``size``x``size`` convolution as ``name`` in
    a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_CASE, str(size), f"{folder}/{name}"],
        capture_output=True, text=True, check=True,
    )
    frames, seconds, peak, child, written = result.stdout.split()
    return int(frames), float(seconds), float(peak), float(child), int(written)


def memory_lines(folder: Path, size: int = 32) -> list[str]:
    """The memory table: every format for one animation (32: 900 frames of 1648x2035)."""
    lines = ["", f"| {size}x{size} input, kernel 3, saved as | frames | seconds | "
                 f"peak memory (MB) | ffmpeg's peak (MB) | bytes |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, title in MEMORY_FORMATS:
        try:
            frames, seconds, peak, child, written = memory_case(size, name, folder)
        except subprocess.CalledProcessError as error:
            reason = (error.stderr.strip().splitlines() or ["failed"])[-1]
            lines.append(f"| {title} | | | {reason} | | |")
            continue
        ffmpeg = f"{child:.0f}" if child else ""
        lines.append(f"| {title} | {frames} | {seconds:.1f} | {peak:.0f} | {ffmpeg} | "
                     f"{written:,} |")
    return lines


def gallery_build(folder: Path, repeats: int, only: list[str] | None) -> tuple[float, float]:
    """Median seconds of a cold gallery build (--force --jobs 2, a fresh process each
    time) and of a no-op rebuild, both including the interpreter's start."""
    script = ROOT / "scripts" / "build_gallery.py"
    target = folder / ("gallery_paper" if only else "gallery")
    chosen = ["--only", *only] if only else []

    def run(*options: str) -> None:
        subprocess.run([sys.executable, str(script), "--out", str(target), *chosen, *options],
                       check=True, capture_output=True)

    cold = median_seconds(lambda: run("--force", "--jobs", "2"), repeats)
    no_op = median_seconds(run, repeats)
    return cold, no_op


EXPLORER_CASE = """
import json, os, statistics, sys, time
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
from conv_anim.explorer import Explorer
changes = json.loads(sys.argv[1])
repeats = int(sys.argv[2])
explorer = Explorer()
explorer.update(**changes[-1]); explorer.frame_png(0)  # imports and palette tables warm
times, sizes = [], []
for _ in range(repeats):
    for change in changes:
        start = time.perf_counter()
        view = explorer.update(**change)
        png = explorer.frame_png(0)
        times.append(time.perf_counter() - start)
        assert png is not None, view.message
        sizes.append(view.output_size)
print(json.dumps({"median": statistics.median(times), "max": max(times),
                  "outputs": sorted(set(sizes))}))
"""
#: Parameter changes the explorer's latency is measured on, in order (each one changes
#: the figure): outputs from 3x3 to 8x8, direct, padded, strided, dilated, transposed.
EXPLORER_CHANGES = [
    {"input_size": 10, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1,
     "transposed": False},
    {"padding": 1, "input_size": 8},
    {"stride": 2, "input_size": 15},
    {"padding": "same", "stride": 1, "input_size": 6},
    {"padding": 0, "dilation": 2, "input_size": 12},
    {"dilation": 1, "transposed": True, "input_size": 4, "stride": 2, "padding": 1,
     "output_padding": 1},
    {"input_size": 3, "output_padding": 0},
    {"transposed": False, "input_size": 5, "padding": "full"},
]


def explorer_latency(repeats: int) -> dict[str, object]:
    """Median and worst seconds from a parameter change to the new first frame's PNG
    bytes (:class:`conv_anim.explorer.Explorer`), in a fresh process on one core."""
    import json

    result = subprocess.run(
        [sys.executable, "-c", EXPLORER_CASE, json.dumps(EXPLORER_CHANGES), str(repeats)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)


def player_bytes() -> list[tuple[str, int, int]]:
    """(name, player bytes, GIF bytes) of every animation of the catalogue."""
    rows = []
    for figure in catalog.animations():
        animation = figure.animate()
        rows.append((figure.name, len(animation.to_html().encode()), len(animation.gif())))
    return rows


def report(quick: bool, only_numerics: bool = False) -> str:
    """Run every measurement and return the Markdown report."""
    repeats = 3 if quick else 7
    lines = [f"conv_anim benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
             f"median of {repeats} runs)", ""]
    lines += numerics(repeats)
    if only_numerics:
        return "\n".join(lines)
    lines.append("")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        lines += ["| padding_strides, per frame | ms |", "|---|---:|"]
        for stage, ms in per_frame_stages("padding_strides", repeats, folder).items():
            lines.append(f"| {stage} | {ms:.2f} |")
        seconds = all_fifteen(max(3, repeats // 2), folder)
        frames = sum(figure.frames for figure in arithmetic_animations())
        lines += ["", f"15 arithmetic animations ({frames} frames), rendered and written as GIF "
                      f"in one process: **{seconds:.2f} s**", ""]
        rows = gif_bytes(folder)
        ours, original = sum(r[1] for r in rows), sum(r[2] for r in rows)
        lines += ["| GIF | ours (bytes) | original (bytes) | ratio |", "|---|---:|---:|---:|"]
        lines += [f"| {name} | {a:,} | {b:,} | {a / b:.0%} |" for name, a, b in rows]
        lines.append(f"| **total** | **{ours:,}** | **{original:,}** | **{ours / original:.0%}** |")
        latency = explorer_latency(3 if quick else 10)
        median, worst = 1000 * latency["median"], 1000 * latency["max"]
        lines += ["", f"Explorer, a parameter change to the new first frame's PNG bytes "
                      f"(outputs {', '.join(latency['outputs'])}; one core): median "
                      f"**{median:.1f} ms**, worst {worst:.1f} ms", ""]
        players = player_bytes()
        lines += ["| interactive player | player (bytes) | its GIF (bytes) | ratio |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {name} | {a:,} | {b:,} | {a / b:.2f} |" for name, a, b in players]
        total_players, total_gifs = sum(r[1] for r in players), sum(r[2] for r in players)
        lines.append(f"| **total** | **{total_players:,}** | **{total_gifs:,}** | "
                     f"**{total_players / total_gifs:.2f}** |")
        paper = [f.name for f in catalog.everything() if f.section != "beyond"]
        lines += ["", "| gallery build (cold process, `--jobs 2`) | figures | seconds "
                      "| no-op rebuild |",
                  "|---|---:|---:|---:|"]
        for title, only in (("the paper's (19 animations, static figures, pages)", paper),
                            ("everything, beyond the paper included", None)):
            cold, no_op = gallery_build(folder, 3 if quick else 5, only)
            count = len(only) if only else len(catalog.everything())
            lines.append(f"| {title} | {count} | {cold:.2f} | {no_op:.2f} |")
        if not quick:
            lines += ["", "| streaming case | frames | pixels | seconds | peak memory (MB) "
                          "| bytes |",
                      "|---|---:|---:|---:|---:|---:|"]
            for size in (16, 32, 48):
                frames, width, height, seconds, peak, size_bytes = big_case(size, folder)
                lines.append(f"| {size}x{size} input, kernel 3 | {frames} | {width}x{height} | "
                             f"{seconds:.1f} | {peak:.0f} | {size_bytes:,} |")
            lines += memory_lines(folder)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; skip the big case")
    parser.add_argument("--numerics", action="store_true",
                        help="only the numerics (apply against numpy, huge specs)")
    args = parser.parse_args(argv)
    print(report(args.quick, args.numerics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
