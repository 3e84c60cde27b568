"""What a gallery figure was built from: the manifest of input hashes.

Each figure's key hashes its definition and a fingerprint of everything a drawing
depends on (this package's drawing sources, the drawing libraries' versions); the
manifest records the key and the hash of each file built, so that a rebuild redraws only
figures whose inputs or files changed. A manifest that cannot be read (not UTF-8, not
JSON, not shaped like one) is set aside with a one-line note and rebuilt. Nothing here
imports matplotlib.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import metadata
from pathlib import Path
from typing import TypedDict, TypeGuard

from conv_anim.catalog import PaperAnimation, PaperStatic
from conv_anim.gallery.pages import output_files

Figure = PaperAnimation | PaperStatic

logger = logging.getLogger("conv_anim.gallery")

MANIFEST = "manifest.json"
#: Libraries whose versions can change the pixels.
DRAWING_LIBRARIES = ("matplotlib", "numpy", "pillow")
#: The package's folder.
PACKAGE = Path(__file__).resolve().parents[1]
#: Modules that draw nothing: editing them does not make the gallery stale.
NOT_DRAWING = frozenset({
    "__main__.py", "cli.py", "explain.py", "notebook.py", "sphinxext.py",
    "gallery/__init__.py", "gallery/build.py", "gallery/folder.py", "gallery/manifest.py",
    "gallery/pages.py", "gallery/workers.py",
})


def fingerprint() -> str:
    """A hash of everything a drawing depends on besides the figure's own definition:
    this package's drawing source files and the versions of the drawing libraries."""
    digest = hashlib.sha256()
    sources = [path for path in PACKAGE.rglob("*") if path.suffix in (".py", ".js", ".css")]
    for source in sorted(sources):
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


class Entry(TypedDict):
    """What the manifest records of one figure: its key and the hash of each file."""

    key: str
    files: dict[str, str | None]


def load_manifest(folder: Path) -> tuple[dict[str, Entry], str | None]:
    """The figures a folder's manifest records, and what is wrong with it, if anything.

    Parameters
    ----------
    folder : Path
        A gallery folder.

    Returns
    -------
    entries : dict
        Each well-formed entry, by figure name (none when the file is missing or
        unreadable).
    problem : str or None
        Why the manifest cannot be used as it is (not UTF-8, not JSON, not a
        manifest, malformed entries dropped), or None: also when there is none yet.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     _ = (Path(name) / MANIFEST).write_text('{"figures": []}')
    ...     load_manifest(Path(name))
    ({}, 'not a gallery manifest (no "figures" object)')
    """
    try:
        data = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, f"unreadable ({error.strerror or error})"
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, "unreadable (not UTF-8)"
    except ValueError as error:
        return {}, f"not valid JSON ({error})"
    figures = document.get("figures") if isinstance(document, dict) else None
    if not isinstance(figures, dict):
        return {}, 'not a gallery manifest (no "figures" object)'
    entries = {name: entry for name, entry in figures.items() if _is_entry(entry)}
    dropped = len(figures) - len(entries)
    if dropped:
        return entries, f"{dropped} malformed {'entry' if dropped == 1 else 'entries'} ignored"
    return entries, None


def _is_entry(entry: object) -> TypeGuard[Entry]:
    """Whether a manifest value has the shape of an :class:`Entry`."""
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        return False
    files = entry.get("files")
    return isinstance(files, dict) and all(
        isinstance(name, str) and (digest is None or isinstance(digest, str))
        for name, digest in files.items()
    )


def read_manifest(folder: Path) -> dict[str, Entry]:
    """The entries of a folder's manifest; a note is logged if it had to be set aside.

    The build then redraws each figure without a usable entry and writes the manifest
    anew.
    """
    entries, problem = load_manifest(folder)
    if problem:
        logger.warning("%s: %s; rebuilding it", folder / MANIFEST, problem)
    return entries


def up_to_date(figure: Figure, key: str, recorded: Entry | None, folder: Path) -> bool:
    """Whether the figure's files were built from the same inputs and are untouched."""
    if recorded is None or recorded["key"] != key:
        return False
    files = recorded["files"]
    return all(
        name in files and file_hash(folder / name) == files[name]
        for name in output_files(figure)
    )
