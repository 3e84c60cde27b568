"""Measure conv_anim's speed, memory and GIF sizes against the targets of the issues.

Benchmarks are not tests: machines are shared and noisy, so this script reports
medians of several runs and ratios, and asserts nothing. Run it on a quiet machine:

    python scripts/benchmark.py              # everything
    python scripts/benchmark.py --quick      # fewer repeats, skip the big case

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

from conv_anim import catalog  # noqa: E402

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


def report(quick: bool) -> str:
    """Run every measurement and return the Markdown report."""
    repeats = 3 if quick else 7
    lines = [f"conv_anim benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
             f"median of {repeats} runs)", ""]
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
        paper = [f.name for f in catalog.everything() if f.section != "beyond"]
        lines += ["", "| gallery build (cold process, `--jobs 2`) | figures | seconds | no-op rebuild |",
                  "|---|---:|---:|---:|"]
        for title, only in (("the paper's (19 animations, static figures, pages)", paper),
                            ("everything, beyond the paper included", None)):
            cold, no_op = gallery_build(folder, 3 if quick else 5, only)
            count = len(only) if only else len(catalog.everything())
            lines.append(f"| {title} | {count} | {cold:.2f} | {no_op:.2f} |")
        if not quick:
            lines += ["", "| streaming case | frames | pixels | seconds | peak memory (MB) | bytes |",
                      "|---|---:|---:|---:|---:|---:|"]
            for size in (16, 32, 48):
                frames, width, height, seconds, peak, size_bytes = big_case(size, folder)
                lines.append(f"| {size}x{size} input, kernel 3 | {frames} | {width}x{height} | "
                             f"{seconds:.1f} | {peak:.0f} | {size_bytes:,} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; skip the big case")
    args = parser.parse_args(argv)
    print(report(args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
