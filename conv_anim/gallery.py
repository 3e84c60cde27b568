"""Build the gallery: every figure of the catalogue as files, with a README and a web page.

For each animation of :mod:`conv_anim.catalog` the gallery holds ``NAME.gif`` and its
filmstrip of the first four frames as ``NAME.png`` and ``NAME.pdf`` (the paper's
figures); for each static figure ``NAME.png`` and ``NAME.pdf``; then ``README.md`` and
``index.html`` showing them all. ``manifest.json`` records what each figure was built
from, so a rebuild redraws only the figures whose inputs changed.

Importing this module, and a rebuild with nothing to redraw, do not import matplotlib.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

from conv_anim import catalog
from conv_anim.catalog import PaperAnimation, PaperStatic

Figure = PaperAnimation | PaperStatic

MANIFEST = "manifest.json"
README = "README.md"
INDEX = "index.html"
PAGES = (README, INDEX)
#: Libraries whose versions can change the pixels.
DRAWING_LIBRARIES = ("matplotlib", "numpy", "pillow")
PACKAGE = Path(__file__).resolve().parent
ATTRIBUTION = (
    'Figures after "A guide to convolution arithmetic for deep learning", V. Dumoulin and '
    "F. Visin, 2016 (arXiv:1603.07285), and its repository conv_arithmetic (MIT licence), "
    "drawn anew by conv_anim."
)


def figures(only: Sequence[str] | None = None) -> tuple[Figure, ...]:
    """The catalogue's figures, all or those named (each name checked)."""
    everything = catalog.everything()
    if not only:
        return everything
    wanted = {catalog.get(name).name for name in only}  # ValueError for an unknown name
    return tuple(figure for figure in everything if figure.name in wanted)


def output_files(figure: Figure) -> tuple[str, ...]:
    """The gallery files of one figure."""
    if isinstance(figure, PaperAnimation):
        return f"{figure.name}.gif", f"{figure.name}.png", f"{figure.name}.pdf"
    return f"{figure.name}.png", f"{figure.name}.pdf"


def draw_figure(figure: Figure, folder: Path) -> None:
    """Write one figure's files into ``folder`` (each atomically)."""
    from conv_anim.animation import save_figure
    from conv_anim.export import write_png

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


# --------------------------------------------------------------------------- inputs


#: Modules that draw nothing: editing them does not make the gallery stale.
NOT_DRAWING = frozenset({"__main__.py", "cli.py", "explain.py", "notebook.py", "sphinxext.py"})


def fingerprint() -> str:
    """A hash of everything a drawing depends on besides the figure's own definition:
    this package's drawing source files and the versions of the drawing libraries."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        if source.relative_to(PACKAGE).as_posix() in NOT_DRAWING:
            continue
        digest.update(source.relative_to(PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    for library in DRAWING_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()


def figure_key(figure: Figure, base: str) -> str:
    """The hash of a figure's inputs: its definition and the :func:`fingerprint`."""
    return hashlib.sha256(f"{base}\n{figure!r}".encode()).hexdigest()


def file_hash(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None if it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _read_manifest(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / MANIFEST).read_text())["figures"]
    except (FileNotFoundError, KeyError, ValueError):
        return {}


def _up_to_date(figure: Figure, key: str, recorded: dict | None, folder: Path) -> bool:
    """Whether the figure's files were built from the same inputs and are untouched."""
    if recorded is None or recorded.get("key") != key:
        return False
    files = recorded.get("files", {})
    return all(
        name in files and file_hash(folder / name) == files[name]
        for name in output_files(figure)
    )


# --------------------------------------------------------------------------- pages


def _cell_caption(figure: Figure) -> str:
    if isinstance(figure, PaperStatic):
        return figure.caption
    # A '|' would end the Markdown table's cell (GitHub splits cells even inside tags).
    return f"{figure.caption}<br><sub>{figure.parameters}</sub>".replace("|", "\\|")


def _markdown_table(items: Sequence[Figure], columns: int = 4) -> list[str]:
    """A README table: rows of images, each followed by a row of captions."""
    width = min(columns, len(items))
    lines = ["|" + " |" * width, "|" + "---|" * width]
    for start in range(0, len(items), width):
        row = list(items[start:start + width])
        row += [None] * (width - len(row))
        images = [
            f"[![{f.name}]({output_files(f)[0]})]({output_files(f)[0]})" if f else ""
            for f in row
        ]
        captions = [_cell_caption(f) if f else "" for f in row]
        lines.append("| " + " | ".join(images) + " |")
        lines.append("| " + " | ".join(captions) + " |")
    return lines


def readme_text(items: Sequence[Figure]) -> str:
    """The gallery's README.md: one table per catalogue section."""
    lines = [
        "# Gallery",
        "",
        "Every figure of the paper and of its repository, drawn by conv_anim. Each animation",
        "is a GIF (one frame per output cell, one second per frame) with its filmstrip of the",
        "first four frames as PNG and PDF. Rebuild with `python scripts/build_gallery.py`.",
        "Also as a web page: [index.html](index.html).",
        "",
        "Notation: i input size, k kernel size, s stride, p padding, d dilation, a output",
        "padding; for a transposed convolution, i, k, s, p are those of the direct convolution",
        "it transposes, followed by the equivalent direct convolution that the picture shows",
        "(i' its input, p' its padding, zeros inserted between input units).",
    ]
    for section, title in catalog.SECTIONS.items():
        members = [f for f in items if f.section == section]
        if members:
            lines += ["", f"## {title}", "", *_markdown_table(members)]
    lines += ["", "---", "", ATTRIBUTION, ""]
    return "\n".join(lines)


_CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 70em; color: #002b36; }
h1, h2 { font-weight: normal; }
.grid { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure { margin: 0; width: 15em; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 0.9em; }
.params { color: #586e75; font-size: 0.85em; }
footer { margin-top: 3em; font-size: 0.85em; color: #586e75; }
"""


def _html_figure(figure: Figure) -> str:
    files = output_files(figure)
    links = " · ".join(
        f'<a href="{html.escape(name)}">{name.rsplit(".", 1)[1].upper()}</a>' for name in files
    )
    params = (
        f'<div class="params">{html.escape(figure.parameters)}</div>'
        if isinstance(figure, PaperAnimation) else ""
    )
    return (
        f'<figure id="{html.escape(figure.name)}">'
        f'<a href="{html.escape(files[0])}"><img src="{html.escape(files[0])}" '
        f'alt="{html.escape(figure.caption)}" loading="lazy"></a>'
        f"<figcaption><strong>{html.escape(figure.name)}</strong>: "
        f"{html.escape(figure.caption)}{params}<div>{links}</div></figcaption></figure>"
    )


def index_html(items: Sequence[Figure]) -> str:
    """The gallery's self-contained web page (no scripts, no network)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>conv_anim gallery: convolution arithmetic</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Convolution arithmetic: the gallery</h1>",
    ]
    for section, title in catalog.SECTIONS.items():
        members = [f for f in items if f.section == section]
        if members:
            parts.append(f'<h2 id="{section}">{html.escape(title)}</h2><div class="grid">')
            parts += [_html_figure(figure) for figure in members]
            parts.append("</div>")
    parts += [f"<footer>{html.escape(ATTRIBUTION)}</footer>", "</body></html>", ""]
    return "\n".join(parts)


def _write_text_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file already holds it; True if written."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
    return True


# --------------------------------------------------------------------------- build


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
    recorded = {} if force else _read_manifest(target)
    keys = {figure.name: figure_key(figure, base) for figure in chosen}
    stale = [f for f in chosen if not _up_to_date(f, keys[f.name], recorded.get(f.name), target)]
    _run(stale, target, jobs, progress)
    manifest = _read_manifest(target)
    for figure in chosen:
        files = {name: file_hash(target / name) for name in output_files(figure)}
        manifest[figure.name] = {"key": keys[figure.name], "files": files}
    everything = figures()
    known = {figure.name for figure in everything}
    manifest = {name: manifest[name] for name in sorted(manifest) if name in known}
    _write_text_if_changed(
        target / MANIFEST, json.dumps({"figures": manifest}, indent=1, sort_keys=True) + "\n"
    )
    # The pages show the figures the folder holds (all of them, once fully built).
    shown = [f for f in everything if all((target / n).exists() for n in output_files(f))]
    pages = [
        name for name, text in ((README, readme_text(shown)), (INDEX, index_html(shown)))
        if _write_text_if_changed(target / name, text)
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


def check(folder: str | Path, *, jobs: int | None = None, tolerance: float = 2.0) -> list[str]:
    """Rebuild the gallery in a temporary folder and compare it with ``folder``.

    Returns
    -------
    list of str
        One line per file that is missing, unexpected or different (empty when the
        gallery is up to date). Images compare within ``tolerance`` (RMS, 0-255
        levels) so that a newer drawing library moving antialiasing by a level passes
        while a changed drawing fails; GIFs also by frame count and durations; PDFs
        by a normalised byte stream (see :mod:`conv_anim.compare`); pages and text
        exactly. The manifest is not compared.
    """
    from conv_anim import compare

    committed = Path(folder)
    with tempfile.TemporaryDirectory(prefix="conv_anim_gallery_") as temp:
        fresh = Path(temp)
        build(fresh, jobs=jobs, force=True)
        present = {p.name for p in committed.iterdir() if p.is_file()} if committed.is_dir() else set()
        wanted = {p.name for p in fresh.iterdir() if p.is_file()}
        problems = [f"{name}: missing" for name in sorted(wanted - present)]
        problems += [f"{name}: not part of the gallery" for name in sorted(present - wanted)]
        for name in sorted(wanted & present - {MANIFEST}):
            difference = compare.difference(committed / name, fresh / name, tolerance)
            if difference:
                problems.append(f"{name}: {difference}")
    return problems


def console_progress(stream=sys.stderr) -> Progress | None:  # noqa: ANN001
    """A one-line progress display on a terminal; None (quiet) otherwise."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\033[Kdrawing {done}/{total}: {name}{end}")
        stream.flush()

    return show
