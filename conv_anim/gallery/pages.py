"""The gallery's pages: README.md (tables of images) and index.html (a web page).

Both list the figures a gallery folder holds, section by section, each with its caption
and its notation (:mod:`conv_anim.notation`), and are written only when their text
changes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from conv_anim import catalog
from conv_anim.catalog import PaperAnimation, PaperStatic

Figure = PaperAnimation | PaperStatic

README = "README.md"
INDEX = "index.html"
PAGES = (README, INDEX)
ATTRIBUTION = (
    'Figures after "A guide to convolution arithmetic for deep learning", V. Dumoulin and '
    "F. Visin, 2016 (arXiv:1603.07285), and its repository conv_arithmetic (MIT licence), "
    "drawn anew by conv_anim."
)


def output_files(figure: Figure) -> tuple[str, ...]:
    """The gallery files of one figure: its image first (an animation's player last)."""
    if isinstance(figure, PaperAnimation):
        name = figure.name
        return f"{name}.gif", f"{name}.png", f"{name}.pdf", f"{name}.html"
    return f"{figure.name}.png", f"{figure.name}.pdf"


def _cell_caption(figure: Figure) -> str:
    if isinstance(figure, PaperStatic):
        return figure.caption
    # A '|' would end the Markdown table's cell (GitHub splits cells even inside tags).
    return f"{figure.caption}<br><sub>{figure.parameters}</sub>".replace("|", "\\|")


def _markdown_table(items: Sequence[Figure], columns: int = 4) -> list[str]:
    """A README table: rows of images, each followed by a row of captions."""
    width = min(columns, len(items))
    lines = ["|" + " |" * width, "|" + "---|" * width]
    for start in range(0, len(items), width):
        row: list[Figure | None] = list(items[start:start + width])
        row += [None] * (width - len(row))
        images = [
            f"[![{f.name}]({output_files(f)[0]})]({output_files(f)[0]})" if f else ""
            for f in row
        ]
        captions = [_cell_caption(f) if f else "" for f in row]
        lines.append("| " + " | ".join(images) + " |")
        lines.append("| " + " | ".join(captions) + " |")
    return lines


def readme_text(items: Sequence[Figure]) -> str:
    """The gallery's README.md: one table per catalogue section."""
    lines = [
        "# Gallery",
        "",
        "Every figure of the paper and of its repository, drawn by conv_anim. Each animation",
        "is a GIF (one frame per output cell, one second per frame) with its filmstrip of the",
        "first four frames as PNG and PDF. Rebuild with `python scripts/build_gallery.py`.",
        "Also as a web page: [index.html](index.html).",
        "",
        "Notation: i input size, k kernel size, s stride, p padding, d dilation, a output",
        "padding; for a transposed convolution, i, k, s, p are those of the direct convolution",
        "it transposes, followed by the equivalent direct convolution that the picture shows",
        "(i' its input, p' its padding, zeros inserted between input units).",
    ]
    for section, title in catalog.SECTIONS.items():
        members = [f for f in items if f.section == section]
        if members:
            lines += ["", f"## {title}", "", *_markdown_table(members)]
    lines += ["", "---", "", ATTRIBUTION, ""]
    return "\n".join(lines)


_CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 70em; color: #002b36; }
h1, h2 { font-weight: normal; }
.grid { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure { margin: 0; width: 15em; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 0.9em; }
.params { color: #586e75; font-size: 0.85em; }
footer { margin-top: 3em; font-size: 0.85em; color: #586e75; }
"""


def _html_figure(figure: Figure) -> str:
    files = output_files(figure)
    links = " · ".join(
        f'<a href="{html.escape(name)}">{name.rsplit(".", 1)[1].upper()}</a>' for name in files
    )
    params = (
        f'<div class="params">{html.escape(figure.parameters)}</div>'
        if isinstance(figure, PaperAnimation) else ""
    )
    return (
        f'<figure id="{html.escape(figure.name)}">'
        f'<a href="{html.escape(files[-1])}"><img src="{html.escape(files[0])}" '
        f'alt="{html.escape(figure.caption)}" loading="lazy"></a>'
        f"<figcaption><strong>{html.escape(figure.name)}</strong>: "
        f"{html.escape(figure.caption)}{params}<div>{links}</div></figcaption></figure>"
    )


def index_html(items: Sequence[Figure]) -> str:
    """The gallery's self-contained web page (no scripts, no network)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>conv_anim gallery: convolution arithmetic</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Convolution arithmetic: the gallery</h1>",
    ]
    for section, title in catalog.SECTIONS.items():
        members = [f for f in items if f.section == section]
        if members:
            parts.append(f'<h2 id="{section}">{html.escape(title)}</h2><div class="grid">')
            parts += [_html_figure(figure) for figure in members]
            parts.append("</div>")
    parts += [f"<footer>{html.escape(ATTRIBUTION)}</footer>", "</body></html>", ""]
    return "\n".join(parts)


def write_text_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8) atomically unless the file already holds it; True if written.

    The text goes through a temporary file of a unique name, renamed over ``path``
    (:func:`conv_anim.export.atomic_output`): concurrent writers never share a
    temporary and a reader sees the old text or the new one, never a mix. A file
    that is not UTF-8 is compared by its bytes, so it is rewritten.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    # Imported here: the export package loads numpy and Pillow, which a rebuild with
    # nothing to write does not need.
    from conv_anim.export import atomic_output

    with atomic_output(path) as temp:
        temp.write_bytes(data)
    return True

