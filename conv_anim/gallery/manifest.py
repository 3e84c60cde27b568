"""What a gallery figure was built from: the manifest of input hashes.

Each figure's key hashes its definition and a fingerprint of everything a drawing
depends on (this package's drawing sources, the drawing libraries' versions); the
manifest records the key and the hash of each file built, so that a rebuild redraws only
figures whose inputs or files changed. Nothing here imports matplotlib.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from conv_anim.catalog import PaperAnimation, PaperStatic
from conv_anim.gallery.pages import output_files

Figure = PaperAnimation | PaperStatic

MANIFEST = "manifest.json"
#: Libraries whose versions can change the pixels.
DRAWING_LIBRARIES = ("matplotlib", "numpy", "pillow")
#: The package's folder.
PACKAGE = Path(__file__).resolve().parents[1]
#: Modules that draw nothing: editing them does not make the gallery stale.
NOT_DRAWING = frozenset({
    "__main__.py", "cli.py", "explain.py", "notebook.py", "sphinxext.py",
    "gallery/__init__.py", "gallery/manifest.py", "gallery/pages.py",
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


def read_manifest(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / MANIFEST).read_text())["figures"]
    except (FileNotFoundError, KeyError, ValueError):
        return {}


def up_to_date(figure: Figure, key: str, recorded: dict | None, folder: Path) -> bool:
    """Whether the figure's files were built from the same inputs and are untouched."""
    if recorded is None or recorded.get("key") != key:
        return False
    files = recorded.get("files", {})
    return all(
        name in files and file_hash(folder / name) == files[name]
        for name in output_files(figure)
    )

