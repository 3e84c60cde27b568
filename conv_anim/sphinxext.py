"""Sphinx extension: the ``conv-anim`` directive draws a convolution at build time.

Enable it in ``conf.py``::

    extensions = ["conv_anim.sphinxext"]

then name a figure of the catalogue (an animation or a static figure) or describe a
convolution with options, the options of ``conv-anim conv`` by the same names::

    .. conv-anim:: padding_strides
       :caption: Padding 1, stride 2: the output is 3x3.

    .. conv-anim::
       :input-size: 3
       :kernel-size: 3
       :stride: 2
       :padding: 1
       :transposed:
       :caption:

Options
-------
Every drawing option of ``conv-anim conv`` (:data:`conv_anim.options.DRAWING`), with
the same name and meaning: the geometry (``:input-size:``, ``:kernel-size:``,
``:stride:``, ``:padding:``, ``:dilation:``, ``:transposed:``, ``:output-padding:``,
``:ndim:``, ``:in-channels:``, ``:out-channels:``, ``:groups:``); the numbers (``:op:``,
``:numbers:``, ``:seed:``, ``:values:`` and ``:kernel:`` as a ``.npy`` file relative to
the document or inline rows ``1 2 3; 4 5 6``, ``:progressive:``, ``:view:``,
``:flip:``); the look (``:scale:``, ``:theme:``, ``:labels:``, ``:no-labels:``,
``:caption:``, ``:no-connectors:``, ``:transparent:``); which steps (``:every:``,
``:steps:``, ``:rows:``, ``:max-frames:``); ``:fps:``, ``:frame:`` (one frame, as a still
image) and ``:filmstrip:`` (the frames side by side that builders without animations show,
such as LaTeX; default the first four).
Figures described by options label their grids unless ``:no-labels:``; catalogue figures
keep the paper's look unless ``:labels:``.

``:caption:`` is the figure's caption, under it in the page (inline markup allowed);
without text, the figure's own description. Embedding: ``:alt:`` (default: the kind,
sizes and parameters in conv_anim's notation), ``:width:``, ``:align:`` (``left``,
``center`` or ``right``) and ``:interactive:`` (a flag: HTML builds embed the
interactive player of :mod:`conv_anim.player` instead of the GIF).

Output formats
--------------
The format follows the builder, when it writes the document: builders that show GIFs
(HTML, EPUB, ...) get the animated GIF (with ``:interactive:``, HTML builders get the
player, inline); the others get the static filmstrip, as PDF where the builder takes PDF
(LaTeX) and as PNG elsewhere. Static figures and ``:frame:`` are
PNG, or PDF for LaTeX. Builders that show no images (text, man)
render nothing.

Where the files go
------------------
Files are rendered into ``<doctreedir>/conv_anim/`` (beside Sphinx's own cache), then
copied by Sphinx into the output like any image. Nothing is written to the source tree.
Each file is named by a hash of everything that shapes it (figure, options, values,
format and conv_anim's version), so a rebuild reuses it and only changed figures are
rendered again; delete the folder to clear the cache.

Errors
------
An unknown figure, an invalid option, a figure too large for the frame budget or one
that fails to render is reported as a Sphinx error (or warning) at the directive's line,
naming the option and its value; the build goes on without the figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from conv_anim import __version__, embed, request
from conv_anim.embed import Drawing
from conv_anim.errors import ParameterError
from conv_anim.options import DRAWING, Option

logger = logging.getLogger(__name__)

#: The folder under Sphinx's doctree directory that holds the rendered files.
CACHE_FOLDER = "conv_anim"
#: Options of the directive alone: how the figure sits in the page.
EMBEDDING = ("alt", "width", "align", "interactive")


def spell(name: str) -> str:
    """An option as the directive writes it: ``:kernel-size:``."""
    return f":{name}:"


def _converter(option: Option) -> Any:
    """The directive's converter of a drawing option (a flag takes no value)."""
    if option.parse is None:
        return directives.flag

    def convert(text: str | None) -> object:
        try:
            return embed.convert(option.name, text or "")
        except ParameterError as error:
            raise ValueError(f"{(text or '')!r} is not valid: expected {error.allowed}") from None

    return convert


class conv_anim_figure(nodes.General, nodes.Element):
    """Placeholder for a drawing, replaced by an image once the builder is known.

    Named in lowercase, as docutils names its nodes.

    Attributes: ``drawing`` (a :class:`Drawing`) and ``image`` (the image node's
    attributes: ``alt``, and ``width`` and ``align`` when given).
    """


class ConvAnimDirective(SphinxDirective):
    """``.. conv-anim:: [name]``: a catalogue figure, or a convolution given by options."""

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        **{option.name: _converter(option) for option in DRAWING},
        "alt": directives.unchanged,
        "width": directives.length_or_percentage_or_unitless,
        "align": lambda text: directives.choice(text, ("left", "center", "right")),
        "interactive": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        options = {name: value for name, value in self.options.items() if name not in EMBEDDING}
        for option in DRAWING:  # flags: docutils gives None
            if option.flag and option.name in options:
                options[option.name] = True
        folder = Path(self.env.srcdir) / Path(self.env.docname).parent
        try:
            embedded = embed.describe(self.arguments[0] if self.arguments else None, options,
                                      folder, interactive="interactive" in self.options)
        except request.OptionError as error:
            raise self.error(f"conv-anim: {error.render(spell)}") from None
        except ParameterError as error:
            raise self.error(f"conv-anim: {request.in_words(error, spell)}") from None
        except ValueError as error:
            raise self.error(f"conv-anim: {error}") from None
        placeholder = conv_anim_figure(drawing=embedded.drawing,
                                       image=self._image_attributes(embedded.alt))
        self.set_source_info(placeholder)
        if embedded.caption is None:
            return [placeholder]
        return [self._figure(placeholder, embedded.caption)]

    def _image_attributes(self, alt: str) -> dict[str, str]:
        attributes = {"alt": self.options.get("alt", alt)}
        if "width" in self.options:
            attributes["width"] = self.options["width"]
        if "align" in self.options and "caption" not in self.options:
            attributes["align"] = self.options["align"]
        return attributes

    def _figure(self, placeholder: conv_anim_figure, text: str) -> nodes.figure:
        inline, messages = self.state.inline_text(text, self.lineno)
        caption = nodes.caption(text, "", *inline)
        figure = nodes.figure("", placeholder, caption, *messages)
        if "align" in self.options:
            figure["align"] = self.options["align"]
        self.set_source_info(figure)
        return figure


def render_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: render each placeholder for this builder, or reuse the file."""
    supported = app.builder.supported_image_types
    folder = Path(app.doctreedir) / CACHE_FOLDER
    for node in list(doctree.findall(conv_anim_figure)):
        drawing: Drawing = node["drawing"]
        player = drawing.interactive and app.builder.format == "html"
        path = folder / drawing.filename(".html" if player else drawing.suffix(supported))
        # Builders that show no images (text, man) get the node with its alt text alone.
        if supported and not path.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                drawing.render(path)
            except Exception as error:  # noqa: BLE001 - one figure must not stop the build
                logger.warning("conv-anim: cannot render %s: %s", path.name, error,
                               location=node)
                _remove(node)
                continue
        if player and path.exists():
            node.replace_self(nodes.raw("", path.read_text(encoding="utf-8"), format="html"))
            continue
        if path.exists():
            app.env.images.add_file(docname, str(path))
        node.replace_self(nodes.image(uri=str(path), candidates={"*": str(path)}, **node["image"]))


def _remove(node: conv_anim_figure) -> None:
    """Drop a placeholder that could not be rendered, with its figure and caption."""
    target = node.parent if isinstance(node.parent, nodes.figure) else node
    target.parent.remove(target)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``conv-anim`` directive and the rendering of its figures."""
    app.add_directive("conv-anim", ConvAnimDirective)
    app.connect("doctree-resolved", render_figures)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["ConvAnimDirective", "setup"]
