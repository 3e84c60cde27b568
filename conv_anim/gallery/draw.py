"""Drawing one gallery figure: the files of a catalogue figure, written into a folder.

This is the only module of the gallery whose source is part of the figures' inputs
(:func:`~conv_anim.gallery.manifest.fingerprint`): how a build is run does not make
the gallery stale, what it draws does.
"""

from __future__ import annotations

from pathlib import Path

from conv_anim import catalog
from conv_anim.catalog import PaperAnimation, PaperStatic

__all__ = ["draw_by_name", "draw_figure"]

Figure = PaperAnimation | PaperStatic


def draw_figure(figure: Figure, folder: Path) -> None:
    """Write one figure's files into ``folder`` (each atomically).

    An animation gives its GIF, its filmstrip of the first frames as PNG and PDF, and
    its interactive player (HTML); a static figure its PNG and PDF
    (:func:`~conv_anim.gallery.pages.output_files`).
    """
    # Imported here: a rebuild with nothing to draw does not load the drawing libraries.
    from conv_anim.export import write_png
    from conv_anim.render.canvas import save_figure

    if isinstance(figure, PaperAnimation):
        animation = figure.animate()
        animation.save(folder / f"{figure.name}.gif")
        write_png(folder / f"{figure.name}.png", animation.filmstrip_pixels())
        save_figure(animation.filmstrip(), folder / f"{figure.name}.pdf")
        animation.save(folder / f"{figure.name}.html")
        return
    drawing = figure.figure()
    save_figure(drawing, folder / f"{figure.name}.png")
    save_figure(drawing, folder / f"{figure.name}.pdf")


def draw_by_name(name: str, folder: str) -> str:
    """Draw the named figure into ``folder`` and return its name (for worker processes,
    which take picklable arguments)."""
    draw_figure(catalog.get(name), Path(folder))
    return name
