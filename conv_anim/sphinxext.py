"""Sphinx extension: the ``conv-anim`` directive draws a convolution at build time.

Enable it in ``conf.py``::

    extensions = ["conv_anim.sphinxext"]

then name a figure of the catalogue (an animation or a static figure) or describe a
convolution with options::

    .. conv-anim:: padding_strides
       :caption: Padding 1, stride 2: the output is 3x3.

    .. conv-anim::
       :input-size: 5
       :kernel-size: 3
       :stride: 2
       :padding: 1
       :labels:
       :width: 60%

Options
-------
Geometry (without an argument): ``:input-size:`` and ``:kernel-size:`` (required),
``:stride:``, ``:padding:``, ``:dilation:``, ``:transposed:`` (a flag) and
``:output-padding:``. Each takes an int for every axis or one per axis, ``5x7``;
``:padding:`` also takes ``valid``, ``same`` or ``full``. They mean what the
parameters of :class:`conv_anim.ConvSpec` mean.

Drawing (animations): ``:fps:`` (GIF frames per second, default 1), ``:scale:``
(size multiplier, default 1), ``:labels:`` (a flag: write "input" and "output") and
``:frames:`` (the frames of the static filmstrip, e.g. ``0,1,2,3``, negative numbers
counting from the end; default the first four) and ``:interactive:`` (a flag: HTML
builds embed the interactive player of :mod:`conv_anim.player` instead of the GIF).

Embedding: ``:caption:`` (the figure's caption, inline markup allowed; without it a
plain image), ``:alt:`` (default: the figure's description and parameters),
``:width:`` and ``:align:`` (``left``, ``center`` or ``right``).

Output formats
--------------
The format follows the builder, when it writes the document: builders that show GIFs
(HTML, EPUB, ...) get the animated GIF (with ``:interactive:``, HTML builders get the
player, inline); the others get the static filmstrip, as PDF
where the builder takes PDF (LaTeX) and as PNG elsewhere. Static figures are PNG, or
PDF for LaTeX. Builders that show no images (text, man) render nothing.

Where the files go
------------------
Files are rendered into ``<doctreedir>/conv_anim/`` (beside Sphinx's own cache; with
``sphinx-build -b html src out`` that is ``out/.doctrees/conv_anim``, with
``sphinx-build -M`` it is ``_build/doctrees/conv_anim``), then copied by Sphinx into
the output like any image (``_images/`` in HTML). Nothing is written to the source
tree. Each file is named by a hash of everything that shapes it (figure, options,
format and conv_anim's version), so a rebuild reuses it and only changed figures are
rendered again; delete the folder to clear the cache.

Errors
------
An unknown figure or an invalid option is reported as a Sphinx error at the
directive's line, naming the option and its value; the build goes on without the
figure.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from conv_anim import __version__, catalog, notation
from conv_anim._params import PADDING_MODES
from conv_anim.animation import Animation, animate
from conv_anim.render.canvas import save_figure
from conv_anim.export import atomic_output, check_fps
from conv_anim.geometry import ConvSpec

logger = logging.getLogger(__name__)

#: The folder under Sphinx's doctree directory that holds the rendered files.
CACHE_FOLDER = "conv_anim"
#: Frames of the default filmstrip (fewer when the animation is shorter).
FILMSTRIP_FRAMES = 4
GIF, PDF = "image/gif", "application/pdf"

#: Directive options that describe a convolution, by ConvSpec parameter.
GEOMETRY_OPTIONS = {
    "input-size": "input_size",
    "kernel-size": "kernel_size",
    "stride": "stride",
    "padding": "padding",
    "dilation": "dilation",
    "transposed": "transposed",
    "output-padding": "output_padding",
}
#: Directive options that only animations take.
ANIMATION_OPTIONS = ("fps", "scale", "labels", "frames", "interactive")

_SEPARATOR = re.compile(r"[x,]")
_INT = re.compile(r"\d+", re.ASCII)
_FRAME = re.compile(r"-?\d+", re.ASCII)
#: Library parameters named in error messages, re-worded as the directive's options.
_PARAMETER = re.compile(
    r"\b(input_size|kernel_size|stride|padding|dilation|output_padding|fps|scale)\b"
)
_AXES_SYNTAX = "an int, or one per axis joined by 'x' (e.g. 5x7)"


# --------------------------------------------------------------------------- option values


def axis_ints(text: str | None) -> int | tuple[int, ...]:
    """Option value: ``5`` (every axis) or one int per axis, ``5x7`` or ``5,7``."""
    parts = _SEPARATOR.split("".join((text or "").split()).lower())
    if not all(_INT.fullmatch(part) for part in parts):
        raise ValueError(f"expected {_AXES_SYNTAX}")
    values = tuple(int(part) for part in parts)
    return values[0] if len(values) == 1 else values


def padding(text: str | None) -> int | tuple[int, ...] | str:
    """Option value of ``:padding:``: ints as :func:`axis_ints`, or a padding mode."""
    mode = (text or "").strip().lower()
    if mode in PADDING_MODES:
        return mode
    try:
        return axis_ints(text)
    except ValueError:
        raise ValueError(f"expected {_AXES_SYNTAX}, or one of {', '.join(PADDING_MODES)}") from None


def positive_number(text: str | None) -> float:
    """Option value of ``:fps:`` and ``:scale:``: a finite number > 0."""
    try:
        value = float(text or "")
    except ValueError:
        raise ValueError("expected a number > 0") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError("expected a number > 0")
    return value


def frame_list(text: str | None) -> tuple[int, ...]:
    """Option value of ``:frames:``: frame numbers separated by commas or spaces."""
    parts = (text or "").replace(",", " ").split()
    if not parts or not all(_FRAME.fullmatch(part) for part in parts):
        raise ValueError("expected frame numbers separated by commas (e.g. 0,1,2,3)")
    return tuple(int(part) for part in parts)


def align(text: str | None) -> str:
    """Option value of ``:align:``: left, center or right."""
    return directives.choice(text, ("left", "center", "right"))


class OptionError(ValueError):
    """A complete message about the directive's options (not re-worded)."""


def reword(error: ValueError) -> str:
    """The library's error, naming the directive option of the first parameter it names.

    Examples
    --------
    >>> reword(ValueError("stride=0 is not valid: expected an int >= 1"))
    'conv-anim: invalid option :stride: (stride=0 is not valid: expected an int >= 1)'
    """
    message = str(error)
    match = _PARAMETER.search(message)
    if match is None:
        return f"conv-anim: {message}"
    return f"conv-anim: invalid option :{match[1].replace('_', '-')}: ({message})"


# --------------------------------------------------------------------------- what to draw


@dataclasses.dataclass(frozen=True)
class Drawing:
    """What one directive draws; it waits in the doctree until the builder is known.

    Attributes
    ----------
    name : str or None
        A catalogue figure's name, or None for ``spec``.
    spec : ConvSpec or None
        The convolution to animate when ``name`` is None.
    fps, scale, labels, frames, interactive
        The directive's options (animations): GIF frame rate, size multiplier,
        input/output labels, the frames of the static filmstrip, and whether HTML
        builds embed the interactive player.
    """

    name: str | None
    spec: ConvSpec | None
    fps: float = 1.0
    scale: float = 1.0
    labels: bool = False
    frames: tuple[int, ...] = ()
    interactive: bool = False

    @property
    def animated(self) -> bool:
        """False for the catalogue's static figures."""
        return self.name is None or isinstance(catalog.get(self.name), catalog.PaperAnimation)

    def animation(self) -> Animation:
        """The animation drawn (only when :attr:`animated`)."""
        style = {"scale": self.scale, "labels": self.labels}
        if self.name is None:
            return animate(self.spec, **style)  # type: ignore[arg-type]
        return catalog.get(self.name).animate(**style)  # type: ignore[union-attr]

    def suffix(self, supported: Sequence[str]) -> str:
        """The file format for a builder that shows ``supported`` image MIME types."""
        if self.animated and GIF in supported:
            return ".gif"
        return ".pdf" if PDF in supported else ".png"

    def filename(self, suffix: str) -> str:
        """A file name unique to this drawing, format and version of conv_anim."""
        digest = hashlib.sha256(repr((__version__, self, suffix)).encode()).hexdigest()
        return f"conv-anim-{digest[:16]}{suffix}"

    def render(self, path: Path) -> None:
        """Write the drawing to ``path`` (atomically): GIF, filmstrip or static figure."""
        if not self.animated:
            save_figure(catalog.get(self.name).figure(), path)  # type: ignore[arg-type, union-attr]
        elif path.suffix == ".gif":
            self.animation().save(path, fps=self.fps)
        elif path.suffix == ".html":
            with atomic_output(path) as temp:
                temp.write_text(self.animation().to_html(self.fps), encoding="utf-8")
        else:
            self.animation().filmstrip(self.frames, path=path)


class conv_anim_figure(nodes.General, nodes.Element):
    """Placeholder for a drawing, replaced by an image once the builder is known.

    Named in lowercase, as docutils names its nodes.

    Attributes: ``drawing`` (a :class:`Drawing`) and ``image`` (the image node's
    attributes: ``alt``, and ``width`` and ``align`` when given).
    """


# --------------------------------------------------------------------------- directive


class ConvAnimDirective(SphinxDirective):
    """``.. conv-anim:: [name]``: a catalogue figure, or a convolution given by options."""

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "input-size": axis_ints,
        "kernel-size": axis_ints,
        "stride": axis_ints,
        "padding": padding,
        "dilation": axis_ints,
        "transposed": directives.flag,
        "output-padding": axis_ints,
        "fps": positive_number,
        "scale": positive_number,
        "labels": directives.flag,
        "frames": frame_list,
        "interactive": directives.flag,
        "caption": directives.unchanged,
        "alt": directives.unchanged,
        "width": directives.length_or_percentage_or_unitless,
        "align": align,
    }

    def run(self) -> list[nodes.Node]:
        try:
            drawing, alt = self._drawing()
        except OptionError as error:
            raise self.error(f"conv-anim: {error}") from None
        except ValueError as error:
            raise self.error(reword(error)) from None
        placeholder = conv_anim_figure(drawing=drawing, image=self._image_attributes(alt))
        self.set_source_info(placeholder)
        if "caption" not in self.options:
            return [placeholder]
        return [self._figure(placeholder)]

    def _drawing(self) -> tuple[Drawing, str]:
        """The drawing and its default alt text; ValueError for invalid options."""
        options = self.options
        given = {"fps": options.get("fps", 1.0), "scale": options.get("scale", 1.0),
                 "labels": "labels" in options, "interactive": "interactive" in options}
        if self.arguments:
            return self._catalogue_drawing(self.arguments[0], given)
        spec = self._spec()
        drawing = self._with_frames(Drawing(None, spec, **given))
        return drawing, drawing.animation().alt

    def _catalogue_drawing(self, name: str, given: dict[str, Any]) -> tuple[Drawing, str]:
        geometry = [option for option in GEOMETRY_OPTIONS if option in self.options]
        if geometry:
            raise OptionError(
                f"option :{geometry[0]}: does not apply with a figure name ({name}): give "
                f"either a catalogue name or geometry options, not both"
            )
        try:
            figure = catalog.get(name)
        except ValueError as error:
            raise OptionError(str(error)) from None
        if isinstance(figure, catalog.PaperStatic):
            extra = [option for option in ANIMATION_OPTIONS if option in self.options]
            if extra:
                raise OptionError(
                    f"option :{extra[0]}: does not apply to {name!r}: it is a static figure"
                )
            return Drawing(name, None), figure.caption
        drawing = self._with_frames(Drawing(name, None, **given))
        return drawing, f"{figure.caption}. {drawing.animation().alt}"

    def _spec(self) -> ConvSpec:
        missing = [option for option in ("input-size", "kernel-size") if option not in self.options]
        if missing:
            raise OptionError(
                f"option :{missing[0]}: is missing: give a catalogue name as argument "
                f"(e.g. padding_strides) or at least :input-size: and :kernel-size:"
            )
        parameters = {
            parameter: self.options[option]
            for option, parameter in GEOMETRY_OPTIONS.items()
            if option in self.options
        }
        parameters["transposed"] = "transposed" in self.options
        return ConvSpec(**parameters)

    def _with_frames(self, drawing: Drawing) -> Drawing:
        """Validate the animation now (style, fps, frames) and fix the filmstrip's frames."""
        check_fps(drawing.fps)
        count = len(drawing.animation())
        frames = self.options.get("frames", tuple(range(min(FILMSTRIP_FRAMES, count))))
        for frame in frames:
            if not -count <= frame < count:
                raise OptionError(
                    f"option :frames: {frame} is out of range: the animation has {count} "
                    f"frames (0 to {count - 1})"
                )
        return dataclasses.replace(drawing, frames=frames)

    def _image_attributes(self, alt: str) -> dict[str, str]:
        attributes = {"alt": self.options.get("alt", alt)}
        if "width" in self.options:
            attributes["width"] = self.options["width"]
        if "align" in self.options and "caption" not in self.options:
            attributes["align"] = self.options["align"]
        return attributes

    def _figure(self, placeholder: conv_anim_figure) -> nodes.figure:
        text = self.options["caption"]
        inline, messages = self.state.inline_text(text, self.lineno)
        caption = nodes.caption(text, "", *inline)
        figure = nodes.figure("", placeholder, caption, *messages)
        if "align" in self.options:
            figure["align"] = self.options["align"]
        self.set_source_info(figure)
        return figure


# --------------------------------------------------------------------------- rendering


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
            except OSError as error:
                logger.warning("conv-anim: cannot render %s: %s", path.name, error, location=node)
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
