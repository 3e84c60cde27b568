"""Sphinx configuration of conv_anim's documentation (``sphinx-build -W -b html docs out``).

The build needs no network: intersphinx reads the small inventories shipped in
``_inventories/`` (see ``_inventories/make_inventories.py``), and every figure is drawn
at build time by the project's own directive, ``conv_anim.sphinxext``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import conv_anim

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))  # docs-only extensions

project = "conv_anim"
author = "The conv_anim authors"
copyright = "2026, The conv_anim authors"
version = release = conv_anim.__version__

extensions = [
    "conv_anim.sphinxext",
    "catalogue_gallery",
    "drawing_options",
    "offline_math",
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_ext", "_inventories", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# -- API reference: numpy-style docstrings through napoleon -------------------------------
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autosummary_generate = False
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = True
napoleon_type_aliases = {"np.ndarray": "numpy.ndarray"}
# Napoleon adds its aliases to autodoc's during a build; set alike here, the saved
# environment's configuration matches the next build's, which then rereads only what changed.
autodoc_type_aliases = dict(napoleon_type_aliases)

# -- Examples ---------------------------------------------------------------------------
# ``python -m sphinx -b doctest docs out`` runs the pages' ``.. doctest::`` blocks, in a
# temporary folder (some of them write files). The API's docstring examples are run by
# pytest (``--doctest-modules``), not here.
doctest_test_doctest_blocks = ""
doctest_global_setup = """
import os as _os, tempfile as _tempfile
import matplotlib as _matplotlib
_matplotlib.use("Agg")
_folder = _tempfile.TemporaryDirectory()
_cwd = _os.getcwd()
_os.chdir(_folder.name)
"""
doctest_global_cleanup = """
_os.chdir(_cwd)
_folder.cleanup()
"""

# -- Cross-references, offline: inventories shipped with the docs ------------------------
intersphinx_mapping = {
    name: (url, str(HERE / "_inventories" / f"{name}.inv"))
    for name, url in {
        "python": "https://docs.python.org/3/",
        "numpy": "https://numpy.org/doc/stable/",
        "matplotlib": "https://matplotlib.org/stable/",
    }.items()
}
intersphinx_timeout = 5

# -- MyST ---------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# -- HTML ---------------------------------------------------------------------------------
html_theme = "furo"
# Formulas drawn at build time (docs/_ext/offline_math.py): MathJax would need its CDN.
html_math_renderer = "offline_math"
html_title = f"conv_anim {release}"
html_static_path = ["_static"]
html_css_files = ["conv_anim.css"]
