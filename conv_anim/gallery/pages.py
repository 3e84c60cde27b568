"""The gallery's pages: README.md (tables of images) and index.html (a web page).

Both list the figures a gallery folder holds, section by section, each with its caption,
its notation and the command that draws it (:mod:`conv_anim.notation`), after a key to
the colours and symbols; both say where the figures differ from the originals on
purpose. index.html shows every image at its natural size (never enlarged; smaller only
to fit a narrow screen), with alt text. The pages are written only when their text
changes.
"""

from __future__ import annotations

import html
import struct
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
#: The key to the figures: a swatch (CSS background, or a class), and what it stands for.
KEY = (
    ("#268bd2", "blue: the input (a transposed convolution's, stretched by the zeros "
                "it inserts)"),
    ("#2aa198", "cyan: the output"),
    ("#1a6998", "dark over blue: the kernel's footprint, the input cells one output cell "
                "reads"),
    ("#1c7676", "dark over cyan: the output cell computed in this frame"),
    ("dashed", "dashed cells: zero padding, or the zeros a transposed convolution inserts"),
    ("lines", "thin lines: from the footprint to the output cell it computes"),
    ("pale", "pale maps (channels): maps not used at this step"),
    ("#dc322f", "red (on request): input cells no step reaches; max pooling's largest "
                "value"),
)
SYMBOLS = (
    "i input size, k kernel size, s stride, p padding, d dilation, a output padding, "
    "r receptive field, jump the input units between neighbouring units of a layer.",
    "A transposed convolution is written with its own input and output sizes, then the "
    "direct convolution it transposes (whose k, s, p those are: the paper's i, k, s, p), "
    "then how it is drawn: the equivalent direct convolution, stride 1, over the input "
    "stretched by inserted zeros and padded by p'.",
    "Numbers are shown exactly as the values (the paper's numerical figures keep their "
    "one-decimal outputs); a figure whose numbers had to be rounded to fit says so in its "
    "caption, and by how much.",
)
#: Where the figures differ from the originals on purpose.
DIFFERENCES = (
    ("padding_strides_odd_transposed",
     "The original GIF pads the wrong side: its extra row and column of zeros belong at "
     "the bottom and right (the original repository's issue #11), where PyTorch's "
     "output_padding puts them, and where ours are."),
    ("padding_strides_odd_transposed",
     "The paper's caption of Figure 4.7 calls the equivalent convolution's input 2\u00d72; "
     "it is 3\u00d73 (the original repository's issues #18 and #32). Our captions give "
     "each figure's own sizes first, and every symbol has one meaning (its issues #2, #33)."),
    ("padding_strides_transposed",
     "The paper's captions of the transposed figures (Figures 4.1 to 4.7) use i, k, s, p "
     "for the direct convolution being transposed, so that \"i = 5\" names the output; "
     "readers took the cyan grid for the input (its issues #30, #35). Ours name the "
     "transposed convolution's input and output first, and label the grids when asked."),
)

_GIF, _PNG = b"GIF8", b"\x89PNG\r\n\x1a\n"


def output_files(figure: Figure) -> tuple[str, ...]:
    """The gallery files of one figure: its image first (an animation's player last)."""
    if isinstance(figure, PaperAnimation):
        name = figure.name
        return f"{name}.gif", f"{name}.png", f"{name}.pdf", f"{name}.html"
    return f"{figure.name}.png", f"{figure.name}.pdf"


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height in pixels of a GIF or PNG, read from its header (None for a
    missing file or another format)."""
    try:
        with path.open("rb") as file:
            head = file.read(24)
    except OSError:
        return None
    if head.startswith(_GIF) and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return int(width), int(height)
    if head.startswith(_PNG) and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return int(width), int(height)
    return None


def _notation(figure: Figure) -> str:
    return figure.parameters if isinstance(figure, PaperAnimation) else ""


def _command(figure: Figure) -> str:
    return figure.command if isinstance(figure, PaperAnimation) else ""


# --------------------------------------------------------------------------- README.md


def _cell_caption(figure: Figure) -> str:
    parts = [figure.caption]
    if isinstance(figure, PaperAnimation):
        parts += [f"<sub>{figure.parameters}</sub>", f"<sub><code>{figure.command}</code></sub>"]
    # A '|' would end the Markdown table's cell (GitHub splits cells even inside tags).
    return "<br>".join(parts).replace("|", "\\|")


def _markdown_table(items: Sequence[Figure], columns: int = 4) -> list[str]:
    """A README table: rows of images, each followed by a row of captions."""
    width = min(columns, len(items))
    lines = ["|" + " |" * width, "|" + "---|" * width]
    for start in range(0, len(items), width):
        row: list[Figure | None] = list(items[start:start + width])
        row += [None] * (width - len(row))
        images = [
            f"[![{f.alt.replace('|', '/')}]({output_files(f)[0]})]({output_files(f)[0]})"
            if f else "" for f in row
        ]
        captions = [_cell_caption(f) if f else "" for f in row]
        lines.append("| " + " | ".join(images) + " |")
        lines.append("| " + " | ".join(captions) + " |")
    return lines


def readme_text(items: Sequence[Figure]) -> str:
    """The gallery's README.md: the key, one table per catalogue section, and where the
    figures differ from the originals."""
    lines = [
        "# Gallery",
        "",
        "Every figure of the paper and of its repository, drawn by conv_anim. Each animation",
        "is a GIF (one frame per output cell, one second per frame) with its filmstrip of the",
        "first four frames as PNG and PDF; under each, its notation and the command that",
        "draws it. Rebuild with `python scripts/build_gallery.py`. Also as a web page:",
        "[index.html](index.html).",
        "",
        "## Key",
        "",
        *(f"- {text}" for _, text in KEY),
        "",
        *SYMBOLS[:1], "", *SYMBOLS[1:2], "", *SYMBOLS[2:],
    ]
    for section, title in catalog.SECTIONS.items():
        members = [f for f in items if f.section == section]
        if members:
            lines += ["", f"## {title}", "", *_markdown_table(members)]
    lines += ["", "## Where these differ from the originals, on purpose", ""]
    lines += [f"- **{name}**: {text}" for name, text in DIFFERENCES]
    lines += ["", "---", "", ATTRIBUTION, ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- index.html

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; line-height: 1.45; color: #002b36;
       margin: 0 auto; max-width: 100em; padding: 1em clamp(0.75em, 3vw, 2.5em); }
h1, h2 { font-weight: normal; }
h2 { margin-top: 2em; border-bottom: 1px solid #eee8d5; }
.grid { display: flex; flex-wrap: wrap; gap: 2.5em 2em; align-items: flex-start; }
figure { margin: 0; max-width: 100%; min-width: min(17em, 100%); }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { contain: inline-size; font-size: 0.9em; margin-top: 0.5em; }
.name { font-weight: bold; overflow-wrap: anywhere; }
.params { color: #586e75; font-size: 0.9em; overflow-wrap: anywhere; }
code.command { display: block; margin: 0.3em 0; padding: 0.3em 0.5em; background: #fdf6e3;
               font-size: 0.85em; white-space: pre-wrap; overflow-wrap: anywhere; }
.key { list-style: none; padding: 0; columns: 22em; }
.key li { margin: 0.2em 0; break-inside: avoid; }
.swatch { display: inline-block; width: 1.6em; height: 1em; margin-right: 0.5em;
          vertical-align: -0.15em; border: 1px solid #002b36; }
.swatch.dashed { border: 1.5px dashed #002b36; background: #fff; }
.swatch.lines { border: none; background: linear-gradient(160deg, transparent 45%, #000 45%,
                #000 52%, transparent 52%); }
.swatch.pale { background: #c9e2f4; border-color: #bfcacd; }
.symbols p { max-width: 60em; }
footer { margin-top: 3em; font-size: 0.85em; color: #586e75; }
"""


def _swatch(style: str) -> str:
    if style.startswith("#"):
        return f'<span class="swatch" style="background: {style}"></span>'
    return f'<span class="swatch {style}"></span>'


def _key_html() -> str:
    items = "".join(f"<li>{_swatch(style)}{html.escape(text)}</li>" for style, text in KEY)
    symbols = "".join(f"<p>{html.escape(text)}</p>" for text in SYMBOLS)
    return (f'<h2 id="key">Key</h2><ul class="key">{items}</ul>'
            f'<div class="symbols">{symbols}</div>')


def _html_figure(figure: Figure, folder: Path | None) -> str:
    files = output_files(figure)
    links = " · ".join(
        f'<a href="{html.escape(name)}">{name.rsplit(".", 1)[1].upper()}</a>' for name in files
    )
    size = image_size(folder / files[0]) if folder is not None else None
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    notation = _notation(figure)
    params = f'<div class="params">{html.escape(notation)}</div>' if notation else ""
    command = _command(figure)
    code = f'<code class="command">{html.escape(command)}</code>' if command else ""
    # An animation's image opens its interactive player.
    opens = f"{figure.name}.html" if isinstance(figure, PaperAnimation) else files[0]
    return (
        f'<figure id="{html.escape(figure.name)}">'
        f'<a href="{html.escape(opens)}"><img src="{html.escape(files[0])}"{dimensions} '
        f'alt="{html.escape(figure.alt)}"></a>'
        f'<figcaption><span class="name">{html.escape(figure.name)}</span>: '
        f"{html.escape(figure.caption)}{params}{code}<div>{links}</div></figcaption></figure>"
    )


def index_html(items: Sequence[Figure], folder: Path | None = None) -> str:
    """The gallery's self-contained web page (no scripts, no network).

    Parameters
    ----------
    items : sequence of figures
        The figures the folder holds.
    folder : Path, optional
        The gallery folder: its images' sizes go into the page, so that it lays out
        before they load.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>conv_anim gallery: convolution arithmetic</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Convolution arithmetic: the gallery</h1>",
        "<p>Every figure of the paper and of its repository, drawn by conv_anim, at its "
        "natural size; under each, its notation and the command that draws it.</p>",
        _key_html(),
    ]
    for section, title in catalog.SECTIONS.items():
        members = [f for f in items if f.section == section]
        if members:
            parts.append(f'<h2 id="{section}">{html.escape(title)}</h2><div class="grid">')
            parts += [_html_figure(figure, folder) for figure in members]
            parts.append("</div>")
    differences = "".join(
        f'<li><a href="#{name}">{name}</a>: {html.escape(text)}</li>'
        for name, text in DIFFERENCES
    )
    parts += [
        '<h2 id="differences">Where these differ from the originals, on purpose</h2>',
        f"<ul>{differences}</ul>",
        f"<footer>{html.escape(ATTRIBUTION)}</footer>", "</body></html>", "",
    ]
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
