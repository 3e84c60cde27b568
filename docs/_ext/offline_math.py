"""Docs-only Sphinx extension: math drawn at build time, so pages need no network.

Sphinx's default HTML math renderer, MathJax, loads its script from a CDN: offline,
readers see raw TeX. This renderer (``html_math_renderer = "offline_math"``) draws each
formula with matplotlib's mathtext (Computer Modern glyphs, no LaTeX needed) into an
inline SVG that takes the text's colour and size and sits on its baseline, with the TeX
source as its accessible name; displayed formulas get display-style fractions. mathtext
reads a subset of TeX: write ``\\mathrm{mod}`` rather than ``\\bmod``. Other builders
(LaTeX) keep their own math.
"""

from __future__ import annotations

import functools
import html
import io
import re
from typing import Any

import matplotlib
from docutils import nodes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.mathtext import MathTextParser
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

#: The size formulas are drawn at, in points; the SVG is then sized in em.
SIZE = 16.0
#: A colour no formula uses, replaced by the text's colour (``currentColor``).
MARKER = "#010203"
_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_COMMENT = re.compile(r"\s*<!--.*?-->", re.DOTALL)
_SIZE = re.compile(r'width="[\d.]+pt" height="[\d.]+pt" ')
_FRACTION = re.compile(r"\\frac(?![a-zA-Z])")


@functools.cache  # many pages repeat a formula (`i`, `s = 1`): 106 inline, 45 distinct
def svg(tex: str) -> str:
    """``tex`` as inline SVG markup, sized in em and aligned on the text's baseline.

    Raises
    ------
    ValueError
        If mathtext cannot read ``tex``.
    """
    source = f"${tex}$"
    prop = FontProperties(size=SIZE)
    with matplotlib.rc_context({"mathtext.fontset": "cm", "svg.hashsalt": "offline_math",
                                "svg.fonttype": "path"}):
        width, height, depth, _, _ = MathTextParser("path").parse(source, dpi=72, prop=prop)
        figure = Figure(figsize=(width / 72, height / 72))
        figure.text(0, depth / height, source, fontproperties=prop, color=MARKER)
        out = io.StringIO()
        figure.savefig(out, format="svg", transparent=True, metadata={"Date": None})
    markup = _COMMENT.sub("", _METADATA.sub("", _PROLOGUE.sub("", out.getvalue())))
    markup = markup.replace(MARKER, "currentColor")
    size = (f'width="{width / SIZE:.3f}em" height="{height / SIZE:.3f}em" '
            f'role="img" aria-label="{html.escape(tex)}" class="math" '
            f'style="vertical-align: {-depth / SIZE:.3f}em" ')
    return _SIZE.sub(lambda _: size, markup, count=1).strip()


def _render(node: nodes.Element, tex: str) -> str:
    """The formula's SVG, or (with a warning at its line) its TeX as code."""
    try:
        return svg(tex)
    except ValueError as error:
        logger.warning("offline_math: cannot draw %r: %s", tex, error, location=node)
        return f"<code>{html.escape(tex)}</code>"


def visit_inline(translator: HTML5Translator, node: nodes.Element) -> None:
    translator.body.append(f'<span class="math">{_render(node, node.astext())}</span>')
    raise nodes.SkipNode


def visit_block(translator: HTML5Translator, node: nodes.Element) -> None:
    # Displayed formulas are in display style, as TeX sets them: full-size fractions.
    formula = _render(node, _FRACTION.sub(r"\\dfrac", node.astext().strip()))
    translator.body.append(f'<div class="math">{formula}</div>\n')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("offline_math", (visit_inline, None), (visit_block, None))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
