"""A figure embedded in a document: what the Sphinx directive and the MkDocs fence draw.

Both take a catalogue figure's name or the drawing options of ``conv-anim conv``
(:data:`conv_anim.options.DRAWING`), plus a caption; :func:`describe` checks them and
returns an :class:`Embedded`: the :class:`Drawing` (which waits until the output format
is known), the alt text and the caption. Neither Sphinx nor MkDocs is imported here.

>>> embedded = describe("padding_strides", {})
>>> embedded.drawing.name, embedded.drawing.suffix(("image/gif",))
('padding_strides', '.gif')
>>> describe(None, {"input-size": 3, "kernel-size": 2}).alt
'Animated convolution: input 3×3 → output 2×2; k = 2, s = 1, p = 0 (4 frames, one per output cell)'
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from conv_anim import __version__, catalog, request
from conv_anim.animation import Animation, animate
from conv_anim.export import atomic_output
from conv_anim.options import DRAWING, OPTIONS
from conv_anim.render.canvas import save_figure

#: Frames of the default filmstrip (fewer when the animation is shorter).
FILMSTRIP_FRAMES = 4
GIF, PDF = "image/gif", "application/pdf"


def convert(name: str, text: str) -> object:
    """The value of drawing option ``name`` written as ``text`` (a flag: True).

    Raises
    ------
    ValueError
        For an unknown option; ParameterError for a value the option refuses.
    """
    option = OPTIONS.get(name)
    if option is None:
        raise ValueError(f"unknown option {name!r}")
    if option.parse is None:
        return True
    if name == "caption":
        return text.strip() or True
    return option.parse(text)


@dataclasses.dataclass(frozen=True)
class Drawing:
    """What one directive or fence draws, once the output format is known.

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
        The frames of the filmstrip that formats without animations show (PDF);
        None: the first four.
    key : str
        A digest of everything that shapes the drawing (values included).
    interactive : bool
        Pages that run scripts (HTML) embed the interactive player
        (:mod:`conv_anim.player`) instead of the GIF.
    """

    name: str | None
    arguments: dict[str, Any]
    fps: float
    frame: int | None
    filmstrip: tuple[int, ...] | None
    key: str
    interactive: bool = False

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
        """The file format for a page that shows ``supported`` image MIME types."""
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
        if path.suffix == ".html":  # the player, as a fragment to put in a page
            with atomic_output(path) as temp:
                temp.write_text(animation.to_html(self.fps), encoding="utf-8")
        elif path.suffix == ".gif":
            animation.save(path, fps=self.fps)
        elif self.frame is not None:
            animation.save(path, frame=self.frame)
        else:
            frames = self.filmstrip or tuple(range(min(FILMSTRIP_FRAMES, len(animation))))
            animation.filmstrip(frames, path=path)


@dataclasses.dataclass(frozen=True)
class Embedded:
    """A checked figure for a document.

    Attributes
    ----------
    drawing : Drawing
        What to draw.
    alt : str
        Its description in conv_anim's notation (kind, sizes, parameters, frames).
    caption : str or None
        The caption under it: the text given, the figure's own words for a caption
        option without text, or None.
    """

    drawing: Drawing
    alt: str
    caption: str | None


def _digest(value: object) -> str:
    """A stable text of a value for :attr:`Drawing.key` (arrays by their bytes)."""
    if isinstance(value, np.ndarray):
        return f"array{value.shape}{value.dtype}:{hashlib.sha256(value.tobytes()).hexdigest()}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_digest(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)


def describe(
    name: str | None, options: Mapping[str, Any], folder: Path | None = None, *,
    interactive: bool = False,
) -> Embedded:
    """The figure a directive or fence describes, checked now.

    Parameters
    ----------
    name : str or None
        A catalogue figure's name, or None for a figure given by options.
    options : mapping
        Drawing options by name (converted: :func:`convert`), ``caption`` included.
    folder : Path, optional
        Where relative ``.npy`` files are found (the document's folder).
    interactive : bool
        Embed the interactive player where the page runs scripts (animations only).

    Raises
    ------
    conv_anim.request.OptionError, ParameterError
        For invalid options, each naming the option; ValueError for an unknown figure.
    """
    chosen = dict(options)
    caption = chosen.pop("caption", None)
    if name is None:
        spec = request.build_spec(chosen)
        content = request.drawing(chosen, spec, folder)
        arguments = {"spec": spec, **content, **request.style(chosen, labelled=True),
                     "steps": request.selection(chosen, request.drawn_spec(spec, content),
                                                content.get("view", "direct"))}
        drawing = _checked(None, arguments, chosen, interactive)
        alt = drawing.animation().alt
        return Embedded(drawing, alt, _caption(caption, alt))
    drawn = [o.name for o in DRAWING if o.kind in ("geometry", "numbers")
             and o.name in chosen and o.name != "progressive"]
    if drawn:
        raise request.OptionError(
            f"{{{drawn[0]}}} does not apply with a figure name ({name}): give either a "
            f"catalogue name or the convolution's options, not both", drawn[0])
    figure = catalog.get(name)
    if isinstance(figure, catalog.PaperStatic):
        if chosen or interactive:
            first = sorted(chosen)[0] if chosen else "interactive"
            raise request.OptionError(f"{{{first}}} does not apply to {name!r}: it is a static "
                                      f"figure", first)
        drawing = Drawing(name, {}, 1.0, None, None, name)
        return Embedded(drawing, figure.caption, _caption(caption, figure.caption))
    arguments = {**request.style(chosen, labelled=False),
                 "steps": request.selection(chosen, figure.spec, figure.view,
                                            frames=figure.frames)}
    if chosen.get("progressive"):
        arguments["progressive"] = True
    drawing = _checked(name, arguments, chosen, interactive)
    alt = f"{figure.caption}. {drawing.animation().alt}"
    return Embedded(drawing, alt, _caption(caption, figure.caption))


def _checked(name: str | None, arguments: dict[str, Any], options: Mapping[str, Any],
             interactive: bool) -> Drawing:
    """The drawing, validated now (style, fps, frames)."""
    drawing = Drawing(name, arguments, options.get("fps") or 1.0, options.get("frame"),
                      options.get("filmstrip"), _digest({"name": name, **arguments, **options}),
                      interactive)
    count = len(drawing.animation())
    chosen = [drawing.frame] if drawing.frame is not None else list(drawing.filmstrip or ())
    for frame in chosen:
        if not -count <= frame < count:
            option = "frame" if drawing.frame is not None else "filmstrip"
            raise request.OptionError(f"{{{option}}} {frame} is out of range: the animation "
                                      f"has {count} frames (0 to {count - 1})", option)
    return drawing


def _caption(caption: object, text: str) -> str | None:
    """The figure's caption: the text given, the figure's own words, or None."""
    if caption is None:
        return None
    return text if caption is True else str(caption)


__all__ = ["Drawing", "Embedded", "convert", "describe"]
