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
sizes and parameters in conv_anim's notation), ``:width:`` and ``:align:`` (``left``,
``center`` or ``right``).

Output formats
--------------
The format follows the builder, when it writes the document: builders that show GIFs
(HTML, EPUB, ...) get the animated GIF; the others get the static filmstrip, as PDF where
the builder takes PDF (LaTeX) and as PNG elsewhere. Static figures and ``:frame:`` are
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

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from conv_anim import __version__, catalog, request
from conv_anim.animation import Animation, animate
from conv_anim.errors import ParameterError
from conv_anim.options import DRAWING, Option
from conv_anim.render.canvas import save_figure

logger = logging.getLogger(__name__)

#: The folder under Sphinx's doctree directory that holds the rendered files.
CACHE_FOLDER = "conv_anim"
#: Frames of the default filmstrip (fewer when the animation is shorter).
FILMSTRIP_FRAMES = 4
GIF, PDF = "image/gif", "application/pdf"
#: Options of the directive alone: how the image sits in the page.
EMBEDDING = ("alt", "width", "align")


def spell(name: str) -> str:
    """An option as the directive writes it: ``:kernel-size:``."""
    return f":{name}:"


def _converter(option: Option) -> Callable[[str | None], object]:
    """The directive's converter of an option: its parser, or a flag."""
    parse = option.parse
    if parse is None:
        return directives.flag

    def convert(text: str | None) -> object:
        if option.name == "caption":
            return (text or "").strip() or True
        try:
            return parse(text or "")
        except ParameterError as error:
            raise ValueError(f"{(text or '')!r} is not valid: expected {error.allowed}") from None

    return convert


@dataclasses.dataclass(frozen=True)
class Drawing:
    """What one directive draws; it waits in the doctree until the builder is known.

    Attributes
    ----------
    name : str or None
        A catalogue figure's name, or None for a figure given by options.
    arguments : dict
        For a figure given by options: the spec and ``animate``'s arguments; for a
        catalogue animation: its style and steps.
    fps : float
        GIF frames per second.
    frame : int or None
        One frame, as a still image.
    filmstrip : tuple of int or None
        The frames of the filmstrip that builders without animations show (LaTeX);
        None: the first four.
    key : str
        A digest of everything that shapes the drawing (values included).
    """

    name: str | None
    arguments: dict[str, Any]
    fps: float
    frame: int | None
    filmstrip: tuple[int, ...] | None
    key: str

    @property
    def animated(self) -> bool:
        """False for the catalogue's static figures."""
        return self.name is None or isinstance(catalog.get(self.name), catalog.PaperAnimation)

    def animation(self) -> Animation:
        """The animation drawn (only when :attr:`animated`)."""
        if self.name is None:
            return animate(**self.arguments)
        figure = catalog.get(self.name)
        assert isinstance(figure, catalog.PaperAnimation)
        return figure.animate(**self.arguments)

    def suffix(self, supported: Sequence[str]) -> str:
        """The file format for a builder that shows ``supported`` image MIME types."""
        still = not self.animated or self.frame is not None
        if not still and GIF in supported:
            return ".gif"
        return ".pdf" if PDF in supported else ".png"

    def filename(self, suffix: str) -> str:
        """A file name unique to this drawing, format and version of conv_anim."""
        digest = hashlib.sha256(f"{__version__}|{self.key}|{suffix}".encode()).hexdigest()
        return f"conv-anim-{digest[:16]}{suffix}"

    def render(self, path: Path) -> None:
        """Write the drawing to ``path`` (atomically): GIF, still, filmstrip or figure."""
        if not self.animated:
            figure = catalog.get(str(self.name))
            assert isinstance(figure, catalog.PaperStatic)
            save_figure(figure.figure(), path)
            return
        animation = self.animation()
        if path.suffix == ".gif":
            animation.save(path, fps=self.fps)
        elif self.frame is not None:
            animation.save(path, frame=self.frame)
        else:
            frames = self.filmstrip or tuple(range(min(FILMSTRIP_FRAMES, len(animation))))
            animation.filmstrip(frames, path=path)


class conv_anim_figure(nodes.General, nodes.Element):
    """Placeholder for a drawing, replaced by an image once the builder is known.

    Named in lowercase, as docutils names its nodes.

    Attributes: ``drawing`` (a :class:`Drawing`) and ``image`` (the image node's
    attributes: ``alt``, and ``width`` and ``align`` when given).
    """


def _digest(value: object) -> str:
    """A stable text of a value for :attr:`Drawing.key` (arrays by their bytes)."""
    if isinstance(value, np.ndarray):
        return f"array{value.shape}{value.dtype}:{hashlib.sha256(value.tobytes()).hexdigest()}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_digest(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)


class ConvAnimDirective(SphinxDirective):
    """``.. conv-anim:: [name]``: a catalogue figure, or a convolution given by options."""

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        **{option.name: _converter(option) for option in DRAWING},
        "alt": directives.unchanged,
        "width": directives.length_or_percentage_or_unitless,
        "align": lambda text: directives.choice(text, ("left", "center", "right")),
    }

    def run(self) -> list[nodes.Node]:
        try:
            drawing, alt, caption = self._drawing()
        except request.OptionError as error:
            raise self.error(f"conv-anim: {error.render(spell)}") from None
        except ParameterError as error:
            raise self.error(f"conv-anim: {request.in_words(error, spell)}") from None
        except ValueError as error:
            raise self.error(f"conv-anim: {error}") from None
        placeholder = conv_anim_figure(drawing=drawing, image=self._image_attributes(alt))
        self.set_source_info(placeholder)
        if caption is None:
            return [placeholder]
        return [self._figure(placeholder, caption)]

    def _drawing(self) -> tuple[Drawing, str, str | None]:
        """The drawing, its default alt text and its caption; errors for invalid options."""
        options = {name: value for name, value in self.options.items() if name not in EMBEDDING}
        flags = {option.name for option in DRAWING if option.flag}
        for name in flags & set(options):
            options[name] = True
        caption = options.pop("caption", None)
        if self.arguments:
            return self._catalogue_drawing(self.arguments[0], options, caption)
        spec = request.build_spec(options)
        folder = Path(self.env.srcdir) / Path(self.env.docname).parent
        numbers = request.numbers(options, spec, folder)
        arguments = {"spec": spec, **numbers, **request.style(options, labelled=True),
                     "steps": request.selection(options, spec, numbers.get("view", "direct"))}
        drawing = self._checked(None, arguments, options)
        text = drawing.animation().alt
        return drawing, text, self._caption(caption, text)

    def _catalogue_drawing(self, name: str, options: dict[str, Any],
                           caption: object) -> tuple[Drawing, str, str | None]:
        geometry = [o.name for o in DRAWING if o.kind in ("geometry", "numbers")
                    and o.name in options and o.name != "progressive"]
        if geometry:
            raise ValueError(
                f"option :{geometry[0]}: does not apply with a figure name ({name}): give "
                f"either a catalogue name or the convolution's options, not both"
            )
        figure = catalog.get(name)
        if isinstance(figure, catalog.PaperStatic):
            if options:
                raise ValueError(f"option :{sorted(options)[0]}: does not apply to {name!r}: "
                                 f"it is a static figure")
            drawing = Drawing(name, {}, 1.0, None, None, name)
            return drawing, figure.caption, self._caption(caption, figure.caption)
        arguments = {**request.style(options, labelled=False),
                     "steps": request.selection(options, figure.spec, figure.view,
                                                frames=figure.frames)}
        if options.get("progressive"):
            arguments["progressive"] = True
        drawing = self._checked(name, arguments, options)
        text = f"{figure.caption}. {drawing.animation().alt}"
        return drawing, text, self._caption(caption, figure.caption)

    def _checked(self, name: str | None, arguments: dict[str, Any],
                 options: dict[str, Any]) -> Drawing:
        """The drawing, validated now (style, fps, frames)."""
        drawing = Drawing(name, arguments, options.get("fps") or 1.0, options.get("frame"),
                          options.get("filmstrip"), _digest({"name": name, **arguments,
                                                             **options}))
        count = len(drawing.animation())
        chosen = [drawing.frame] if drawing.frame is not None else list(drawing.filmstrip or ())
        for frame in chosen:
            if not -count <= frame < count:
                option = "frame" if drawing.frame is not None else "filmstrip"
                raise ValueError(f"option :{option}: {frame} is out of range: the animation has "
                                 f"{count} frames (0 to {count - 1})")
        return drawing

    @staticmethod
    def _caption(caption: object, text: str) -> str | None:
        """The figure's caption: the text given, the figure's own words, or None."""
        if caption is None:
            return None
        return text if caption is True else str(caption)

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
        path = folder / drawing.filename(drawing.suffix(supported))
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


__all__ = ["ConvAnimDirective", "Drawing", "setup"]
