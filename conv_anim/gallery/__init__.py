"""The gallery: every figure of the catalogue as files, with a README and a web page.

For each animation of :mod:`conv_anim.catalog` the gallery holds ``NAME.gif`` and its
filmstrip of the first four frames as ``NAME.png`` and ``NAME.pdf`` (the paper's
figures); for each static figure ``NAME.png`` and ``NAME.pdf``; then ``README.md`` and
``index.html`` showing them all (:mod:`~conv_anim.gallery.pages`). ``manifest.json``
records what each figure was built from (:mod:`~conv_anim.gallery.manifest`), so a
rebuild redraws only the figures whose inputs changed (:mod:`~conv_anim.gallery.build`,
drawing with :mod:`~conv_anim.gallery.draw` in :mod:`~conv_anim.gallery.workers` that end
with the build, in a folder it locks and clears of leftovers:
:mod:`~conv_anim.gallery.folder`).

Importing this package, and a rebuild with nothing to redraw, do not import matplotlib.
"""

from conv_anim.gallery.build import (
    BuildResult,
    build,
    check,
    compare,
    console_progress,
    expected_files,
    figures,
)
from conv_anim.gallery.draw import draw_figure
from conv_anim.gallery.folder import remove_leftovers
from conv_anim.gallery.manifest import MANIFEST, fingerprint
from conv_anim.gallery.pages import INDEX, PAGES, README, output_files

__all__ = [
    "INDEX", "MANIFEST", "PAGES", "README", "BuildResult", "build", "check", "compare",
    "console_progress", "draw_figure", "expected_files", "fingerprint", "figures",
    "output_files", "remove_leftovers",
]
