"""Building the gallery: draw every figure of the catalogue (in worker processes), keep
the manifest, write the pages; and check a committed gallery against a fresh build.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

from conv_anim import catalog
from conv_anim.catalog import PaperAnimation, PaperStatic
from conv_anim.gallery.manifest import (
    MANIFEST,
    figure_key,
    file_hash,
    fingerprint,
    read_manifest,
    up_to_date,
)
from conv_anim.gallery.pages import (
    INDEX,
    PAGES,
    README,
    index_html,
    output_files,
    readme_text,
    write_text_if_changed,
)

Figure = PaperAnimation | PaperStatic

def figures(only: Sequence[str] | None = None) -> tuple[Figure, ...]:
    """The catalogue's figures, all or those named (each name checked)."""
    everything = catalog.everything()
    if not only:
        return everything
    wanted = {catalog.get(name).name for name in only}  # ValueError for an unknown name
    return tuple(figure for figure in everything if figure.name in wanted)


def draw_figure(figure: Figure, folder: Path) -> None:
    """Write one figure's files into ``folder`` (each atomically)."""
    from conv_anim.export import write_png
    from conv_anim.render.canvas import save_figure

    if isinstance(figure, PaperAnimation):
        animation = figure.animate()
        animation.save(folder / f"{figure.name}.gif")
        write_png(folder / f"{figure.name}.png", animation.filmstrip_pixels())
        save_figure(animation.filmstrip(), folder / f"{figure.name}.pdf")
        return
    drawing = figure.figure()
    save_figure(drawing, folder / f"{figure.name}.png")
    save_figure(drawing, folder / f"{figure.name}.pdf")


def _draw_by_name(name: str, folder: str) -> str:
    """Worker entry point: draw the named figure (picklable arguments only)."""
    draw_figure(catalog.get(name), Path(folder))
    return name




@dataclass(frozen=True)
class BuildResult:
    """What a build did: the figures drawn, those already up to date, pages written."""

    drawn: tuple[str, ...]
    skipped: tuple[str, ...]
    pages: tuple[str, ...]


Progress = Callable[[int, int, str], None]


def _run(tasks: Sequence[Figure], folder: Path, jobs: int, progress: Progress | None) -> None:
    """Draw the figures, in ``jobs`` processes when more than one."""
    ordered = sorted(tasks, key=lambda f: -f.frames if isinstance(f, PaperAnimation) else 0)
    done = 0
    if jobs <= 1 or len(ordered) <= 1:
        results: Iterable[str] = (_draw_by_name(f.name, str(folder)) for f in ordered)
        for name in results:
            done += 1
            if progress:
                progress(done, len(ordered), name)
        return
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        for name in pool.map(_draw_by_name, [f.name for f in ordered],
                             [str(folder)] * len(ordered)):
            done += 1
            if progress:
                progress(done, len(ordered), name)


def build(
    folder: str | Path,
    *,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build (or bring up to date) the gallery in ``folder``.

    Parameters
    ----------
    folder : str or Path
        The gallery folder, created if missing.
    only : sequence of str, optional
        Names of the figures to (re)build; the pages always list every figure.
    jobs : int, optional
        Processes to draw in. Default: every core.
    force : bool
        Redraw even the figures whose inputs did not change.
    progress : callable, optional
        Called as ``progress(done, total, name)`` after each figure.

    Returns
    -------
    BuildResult

    Raises
    ------
    ValueError
        For an unknown figure name or a ``jobs`` below 1.
    """
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs={jobs!r} is not valid: expected an int >= 1")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ValueError(f"folder={str(target)!r} is a file: expected a gallery folder")
    target.mkdir(parents=True, exist_ok=True)
    chosen = figures(only)
    base = fingerprint()
    recorded = {} if force else read_manifest(target)
    keys = {figure.name: figure_key(figure, base) for figure in chosen}
    stale = [f for f in chosen if not up_to_date(f, keys[f.name], recorded.get(f.name), target)]
    _run(stale, target, jobs, progress)
    manifest = read_manifest(target)
    for figure in chosen:
        files = {name: file_hash(target / name) for name in output_files(figure)}
        manifest[figure.name] = {"key": keys[figure.name], "files": files}
    everything = figures()
    known = {figure.name for figure in everything}
    manifest = {name: manifest[name] for name in sorted(manifest) if name in known}
    write_text_if_changed(
        target / MANIFEST, json.dumps({"figures": manifest}, indent=1, sort_keys=True) + "\n"
    )
    # The pages show the figures the folder holds (all of them, once fully built).
    shown = [f for f in everything if all((target / n).exists() for n in output_files(f))]
    pages = [
        name for name, text in ((README, readme_text(shown)), (INDEX, index_html(shown, target)))
        if write_text_if_changed(target / name, text)
    ]
    drawn = {f.name for f in stale}
    return BuildResult(
        drawn=tuple(f.name for f in chosen if f.name in drawn),
        skipped=tuple(f.name for f in chosen if f.name not in drawn),
        pages=tuple(pages),
    )


def expected_files() -> set[str]:
    """Every file a complete gallery holds."""
    names = {name for figure in figures() for name in output_files(figure)}
    return names | set(PAGES) | {MANIFEST}


def check(
    folder: str | Path, *, jobs: int | None = None, tolerance: float = 2.0,
    fresh: str | Path | None = None,
) -> list[str]:
    """Rebuild the gallery in a temporary folder and compare it with ``folder``.

    Parameters
    ----------
    folder : str or Path
        The gallery to check.
    jobs : int, optional
        Processes to draw in.
    tolerance : float
        Images compare within this RMS (0-255 levels), so that a newer drawing
        library moving antialiasing by a level passes while a changed drawing fails.
    fresh : str or Path, optional
        A gallery built just now to compare with (:func:`compare`), instead of
        building one.

    Returns
    -------
    list of str
        One line per file that is missing, unexpected or different (empty when the
        gallery is up to date).
    """
    if fresh is not None:
        return compare(folder, fresh, tolerance)
    with tempfile.TemporaryDirectory(prefix="conv_anim_gallery_") as temp:
        build(temp, jobs=jobs, force=True)
        return compare(folder, temp, tolerance)


def compare(committed: str | Path, fresh: str | Path, tolerance: float = 2.0) -> list[str]:
    """What differs between a gallery and a fresh build of it, one line per file.

    GIFs compare by frame count, durations and pixels; PNGs by pixels; PDFs by their
    page size (their drawing is the PNG's); pages and text exactly. The manifest is not
    compared.
    """
    from conv_anim import _compare

    committed, fresh = Path(committed), Path(fresh)
    present = {p.name for p in committed.iterdir() if p.is_file()} if committed.is_dir() else set()
    wanted = {p.name for p in fresh.iterdir() if p.is_file()}
    problems = [f"{name}: missing" for name in sorted(wanted - present)]
    problems += [f"{name}: not part of the gallery" for name in sorted(present - wanted)]
    for name in sorted(wanted & present - {MANIFEST}):
        difference = _compare.difference(committed / name, fresh / name, tolerance)
        if difference:
            problems.append(f"{name}: {difference}")
    return problems


def console_progress(stream: TextIO = sys.stderr) -> Progress | None:
    """A one-line progress display on a terminal; None (quiet) otherwise."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\033[Kdrawing {done}/{total}: {name}{end}")
        stream.flush()

    return show
