"""Building the gallery: draw the figures whose inputs changed (in worker processes), keep
the manifest, write the pages; and check a gallery against a fresh build of it.

A build is safe to interrupt and to repeat: it locks its folder
(:func:`~conv_anim.gallery.folder.locked`), removes what killed builds left there,
draws in workers that end with it (:mod:`~conv_anim.gallery.workers`), and writes
every file atomically.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from conv_anim import catalog
from conv_anim.catalog import PaperAnimation, PaperStatic
from conv_anim.gallery.draw import draw_by_name
from conv_anim.gallery.folder import is_leftover, locked, remove_leftovers
from conv_anim.gallery.manifest import (
    MANIFEST,
    Entry,
    figure_key,
    file_hash,
    fingerprint,
    load_manifest,
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
from conv_anim.gallery.workers import run_in_workers

Figure = PaperAnimation | PaperStatic

logger = logging.getLogger("conv_anim.gallery")


def figures(only: Sequence[str] | None = None) -> tuple[Figure, ...]:
    """The catalogue's figures, all or those named (each name checked)."""
    everything = catalog.everything()
    if not only:
        return everything
    wanted = {catalog.get(name).name for name in only}  # ValueError for an unknown name
    return tuple(figure for figure in everything if figure.name in wanted)


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the figures drawn, those already up to date, pages written."""

    drawn: tuple[str, ...]
    skipped: tuple[str, ...]
    pages: tuple[str, ...]


Progress = Callable[[int, int, str], None]


def _frames(figure: Figure) -> int:
    return figure.frames if isinstance(figure, PaperAnimation) else 0


def _draw(tasks: Sequence[Figure], folder: Path, jobs: int, progress: Progress | None) -> None:
    """Draw the figures (the longest first), in ``jobs`` processes when more than one."""
    ordered = [figure.name for figure in sorted(tasks, key=lambda f: -_frames(f))]
    done: list[str] = []

    def finished(name: str) -> None:
        done.append(name)
        if progress:
            progress(len(done), len(ordered), name)

    if jobs <= 1 or len(ordered) <= 1:
        for name in ordered:
            finished(draw_by_name(name, str(folder)))
    else:
        run_in_workers(functools.partial(draw_by_name, folder=str(folder)), ordered, jobs,
                       finished)


def build(
    folder: str | Path,
    *,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build (or bring up to date) the gallery in ``folder``.

    The folder is locked for the build (a second build of it waits); temporary files
    that killed builds left there are removed first, and again at the end (also when
    the build is interrupted: its workers have ended by then). A manifest that cannot
    be read is rebuilt, with a note logged to the ``conv_anim.gallery`` logger.

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
        For an unknown figure name, a ``jobs`` below 1, or a ``folder`` that is a file.
    OSError
        If a file cannot be written.
    """
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs={jobs!r} is not valid: expected an int >= 1")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ValueError(f"folder={str(target)!r} is a file: expected a gallery folder")
    chosen = figures(only)
    target.mkdir(parents=True, exist_ok=True)
    with locked(target):
        removed = remove_leftovers(target)
        if removed:
            logger.info("removed %d temporary files left by an interrupted build: %s",
                        len(removed), ", ".join(removed))
        try:
            return _build_locked(target, chosen, jobs, force, progress)
        finally:
            remove_leftovers(target)


def _build_locked(
    target: Path, chosen: Sequence[Figure], jobs: int, force: bool, progress: Progress | None
) -> BuildResult:
    """:func:`build`, once the folder is locked and cleared of leftovers."""
    base = fingerprint()
    manifest = read_manifest(target)
    recorded: dict[str, Entry] = {} if force else manifest
    keys = {figure.name: figure_key(figure, base) for figure in chosen}
    stale = [f for f in chosen if not up_to_date(f, keys[f.name], recorded.get(f.name), target)]
    _draw(stale, target, jobs, progress)
    for figure in chosen:
        files = {name: file_hash(target / name) for name in output_files(figure)}
        manifest[figure.name] = {"key": keys[figure.name], "files": files}
    everything = figures()
    known = {figure.name for figure in everything}
    kept = {name: manifest[name] for name in sorted(manifest) if name in known}
    write_text_if_changed(
        target / MANIFEST, json.dumps({"figures": kept}, indent=1, sort_keys=True) + "\n"
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

    Every file of the fresh build is compared by its content: a file byte-identical
    to the fresh one matches at once; any other goes to
    :func:`conv_anim.compare.difference` (images by their pixels within
    ``tolerance``, everything else by its bytes). The manifest's figure keys depend
    on the drawing libraries' versions, so it is not compared, only checked to be
    readable. Files the fresh build does not have are named, temporary files left by
    an interrupted build among them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as old, tempfile.TemporaryDirectory() as new:
    ...     _ = (Path(old) / "README.md").write_text("old")
    ...     _ = (Path(new) / "README.md").write_text("new")
    ...     _ = (Path(old) / ".README.md.tmp").write_text("ol")
    ...     for problem in compare(old, new):
    ...         print(problem)
    .README.md.tmp: a temporary file left by an interrupted build (the next build removes it)
    README.md: content differs
    """
    from conv_anim import compare as comparison  # numpy and Pillow: only if a file differs

    committed, fresh = Path(committed), Path(fresh)
    present = _files(committed) if committed.is_dir() else set()
    wanted = _files(fresh)
    problems = [f"{name}: missing" for name in sorted(wanted - present)]
    problems += [
        f"{name}: a temporary file left by an interrupted build (the next build removes it)"
        if is_leftover(name) else f"{name}: not part of the gallery"
        for name in sorted(present - wanted)
    ]
    if MANIFEST in present:
        problem = load_manifest(committed)[1]
        if problem:
            problems.append(f"{MANIFEST}: {problem}")
    for name in sorted(wanted & present - {MANIFEST}):
        if _same_bytes(committed / name, fresh / name):
            continue
        difference = comparison.difference(committed / name, fresh / name, tolerance)
        if difference:
            problems.append(f"{name}: {difference}")
    return problems


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if path.is_file()}


def _same_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (False if either cannot be read)."""
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def console_progress(stream: TextIO = sys.stderr) -> Progress | None:
    """A one-line progress display on a terminal; None (quiet) otherwise."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\033[Kdrawing {done}/{total}: {name}{end}")
        stream.flush()

    return show
