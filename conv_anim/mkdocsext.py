"""MkDocs and Python-Markdown: ``conv-anim`` code fences drawn at build time.

The fence takes the options of the Sphinx directive (:mod:`conv_anim.sphinxext`) and of
``conv-anim conv``, one ``name: value`` per line, and ``figure: NAME`` for a figure of the
catalogue (the directive's argument)::

    ```conv-anim
    figure: padding_strides
    caption: Padding 1, stride 2: the output is *3x3*.
    ```

    ```conv-anim
    input-size: 5
    kernel-size: 3
    stride: 2
    transposed: true
    width: 60%
    ```

The lines are YAML-like: values may be quoted, flags such as ``transposed`` take no
value or ``true``/``false``, lists may be written ``[0, 1, 2]``, and lines starting
with ``#`` are comments. The options, their values and their checks are the directive's
(one table, :data:`conv_anim.options.DRAWING`, checked by :func:`conv_anim.embed.describe`),
so both accept exactly the same figures. The caption is Markdown instead of
reStructuredText. Sphinx is not needed.

Two ways to enable it in ``mkdocs.yml``:

* The plugin (files written next to each page, cached between builds)::

      plugins:
        - conv-anim

  It registers the fence with ``pymdownx.superfences`` (adding the extension if
  ``markdown_extensions`` lacks it). Animations are GIFs, static figures PNGs, named
  by a hash of everything that shapes them and cached in ``.cache/conv-anim/`` beside
  ``mkdocs.yml`` (the plugin's ``cache_dir`` option; add it to ``.gitignore``).

* The fence alone (any Python-Markdown, no plugin): the image is embedded in the page
  as a ``data:`` URI::

      markdown_extensions:
        - pymdownx.superfences:
            custom_fences:
              - name: conv-anim
                class: conv-anim
                format: !!python/name:conv_anim.mkdocsext.fence_format

An invalid fence is logged as a warning naming the page and the option (so
``mkdocs build --strict`` fails) and shows the message in the page instead of a figure.
"""

from __future__ import annotations

import base64
import dataclasses
import difflib
import html
import logging
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from conv_anim import embed, request
from conv_anim.embed import Drawing
from conv_anim.errors import ParameterError
from conv_anim.options import DRAWING

logger = logging.getLogger("mkdocs.plugins.conv_anim")

#: The fence's language: a code block opened by three backticks and ``conv-anim``.
FENCE = "conv-anim"
#: The fence option naming a catalogue figure (the Sphinx directive's argument).
FIGURE_OPTION = "figure"
#: What HTML pages show: animated GIFs, and PNG for static figures.
HTML_IMAGE_TYPES = ("image/gif", "image/png")
MIME_TYPES = {".gif": "image/gif", ".png": "image/png"}
_TRUE = frozenset({"", "true", "yes", "on"})
_FALSE = frozenset({"false", "no", "off"})
#: Options of the fence alone: how the image sits in the page.
EMBEDDING = ("alt", "width", "align", "interactive")


class FenceError(ValueError):
    """A fence that cannot be drawn; the message names the option and its value."""


@dataclasses.dataclass(frozen=True)
class FenceFigure:
    """A parsed fence: what to draw and how to embed it.

    Attributes
    ----------
    drawing : conv_anim.embed.Drawing
        The drawing, as the Sphinx directive would make it.
    alt : str
        The image's alternative text (the ``alt`` option, or a description).
    caption : str or None
        The caption, in Markdown.
    width : str or None
        The ``width`` option (a CSS length or percentage; a bare number means pixels).
    align : str or None
        ``left``, ``center`` or ``right``.
    """

    drawing: Drawing
    alt: str
    caption: str | None = None
    width: str | None = None
    align: str | None = None

    @property
    def suffix(self) -> str:
        """``.html`` for the interactive player, ``.gif`` for animations, ``.png`` for
        static figures."""
        return ".html" if self.drawing.interactive else self.drawing.suffix(HTML_IMAGE_TYPES)

    @property
    def filename(self) -> str:
        """The file's name: a hash of the drawing and its format (as the directive's)."""
        return self.drawing.filename(self.suffix)


# --------------------------------------------------------------------------- parsing


def option_names() -> tuple[str, ...]:
    """The fence's options: the drawing options, then those of the embedding."""
    return (*(option.name for option in DRAWING), *EMBEDDING)


def spell(name: str) -> str:
    """An option as the fence writes it."""
    return name


def parse_lines(source: str) -> dict[str, str]:
    """The fence's ``name: value`` lines as strings, unconverted.

    Examples
    --------
    >>> parse_lines("figure: dilation\\n# a comment\\nframes: [0, 2]\\ncaption: 'A: b'")
    {'figure': 'dilation', 'frames': '0, 2', 'caption': 'A: b'}
    """
    values: dict[str, str] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, colon, value = text.partition(":")
        name = name.strip().lower()
        if not colon or not name:
            raise FenceError(
                f"line {number} {text!r} is not 'option: value' (e.g. 'figure: padding_strides' "
                f"or 'input-size: 5')"
            )
        if name in values:
            raise FenceError(f"option {name} is given twice")
        values[name] = _unquote(value.strip())
    return values


def _unquote(value: str) -> str:
    """A YAML-ish scalar as text: quotes and list brackets removed."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if value.startswith("[") and value.endswith("]"):
        return value[1:-1].strip()
    return value


def convert_options(values: Mapping[str, str]) -> tuple[str | None, dict[str, Any]]:
    """The figure name and the options, each converted as the directive converts it.

    Raises
    ------
    FenceError
        For an unknown option (with close matches) or a value the option refuses.
    """
    flags = {option.name for option in DRAWING if option.flag} | {"interactive"}
    options: dict[str, Any] = {}
    name = values.get(FIGURE_OPTION) or None
    for option, text in values.items():
        if option == FIGURE_OPTION:
            continue
        if option not in option_names():
            raise FenceError(_unknown(option, [FIGURE_OPTION, *option_names()]))
        if option in flags:
            flag = text.lower()
            if flag in _TRUE:
                options[option] = True
            elif flag not in _FALSE:
                raise FenceError(f"option {option} is a flag: give no value, true or false, "
                                 f"not {text!r}")
            continue
        if option in EMBEDDING:
            options[option] = _embedding(option, text)
            continue
        try:
            options[option] = embed.convert(option, text)
        except ParameterError as error:
            raise FenceError(f"invalid option {option}: {text!r} is not valid: expected "
                             f"{error.allowed}") from None
    return name, options


def _embedding(option: str, text: str) -> str:
    """An embedding option's value: ``align`` is left, center or right."""
    if option == "align" and text not in ("left", "center", "right"):
        raise FenceError(f"invalid option align: {text!r}: expected left, center or right")
    return text


def _unknown(option: str, known: list[str]) -> str:
    close = difflib.get_close_matches(option, known, n=3)
    if close:
        return f"unknown option {option!r}; did you mean {' or '.join(close)}?"
    return f"unknown option {option!r}; the options: {', '.join(known)}"


def parse_fence(source: str, page: str = "<fence>", folder: Path | None = None) -> FenceFigure:
    """The figure a fence describes, checked exactly as the Sphinx directive checks it.

    Parameters
    ----------
    source : str
        The fence's body: ``name: value`` lines.
    page : str
        Where the fence is, for messages.
    folder : Path, optional
        Where relative ``.npy`` files are found (the page's folder).

    Raises
    ------
    FenceError
        For an invalid option or figure, naming the option.

    Examples
    --------
    >>> figure = parse_fence("figure: padding_strides\\nfps: 2")
    >>> figure.drawing.name, figure.drawing.fps, figure.suffix
    ('padding_strides', 2.0, '.gif')
    >>> figure.alt.split(". ")[0]
    'Padding, strides'
    """
    name, options = convert_options(parse_lines(source))
    embedding = {key: options.pop(key) for key in EMBEDDING if key in options}
    try:
        embedded = embed.describe(name, options, folder,
                                  interactive=bool(embedding.get("interactive")))
    except request.OptionError as error:
        raise FenceError(error.render(spell)) from None
    except ParameterError as error:
        raise FenceError(request.in_words(error, spell)) from None
    except ValueError as error:  # an unknown figure
        raise FenceError(str(error)) from None
    return FenceFigure(
        drawing=embedded.drawing,
        alt=embedding.get("alt", embedded.alt),
        caption=embedded.caption,
        width=embedding.get("width"),
        align=embedding.get("align"),
    )


# --------------------------------------------------------------------------- HTML


def figure_html(figure: FenceFigure, src: str) -> str:
    """The HTML that shows ``figure`` from the image at ``src``.

    Examples
    --------
    >>> figure = parse_fence("figure: kernel\\nalt: The kernel\\nwidth: 40\\ncaption: *Its* values")
    >>> print(figure_html(figure, "k.png").replace("><", ">\\n<"))
    <figure class="conv-anim">
    <img src="k.png" alt="The kernel" style="width: 40px">
    <figcaption>
    <em>Its</em> values</figcaption>
    </figure>
    """
    style = f' style="width: {_css_length(figure.width)}"' if figure.width else ""
    image = f'<img src="{html.escape(src)}" alt="{html.escape(figure.alt)}"{style}>'
    caption = ""
    if figure.caption is not None:
        caption = f"<figcaption>{_inline_markdown(figure.caption)}</figcaption>"
    align = figure.align or ""
    classes = f"conv-anim align-{align}" if align else "conv-anim"
    position = {"center": "text-align: center", "left": "float: left; margin-right: 1em",
                "right": "float: right; margin-left: 1em"}.get(align)
    placement = f' style="{position}"' if position else ""
    return f'<figure class="{classes}"{placement}>{image}{caption}</figure>'


def _css_length(width: str) -> str:
    """The directive's width as CSS: a bare number is pixels, as in Sphinx."""
    return f"{width}px" if width.replace(".", "", 1).isdigit() else width


def _inline_markdown(text: str) -> str:
    """A caption's Markdown as inline HTML (emphasis, code, links)."""
    rendered: str = markdown.Markdown().convert(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def error_html(message: str) -> str:
    """What the page shows instead of a figure that could not be drawn."""
    return f'<p class="conv-anim-error"><strong>conv-anim:</strong> {html.escape(message)}</p>'


def render(figure: FenceFigure, folder: Path) -> Path:
    """The figure's file in ``folder``, rendered only when it is not already there."""
    path = folder / figure.filename
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        figure.drawing.render(path)
    return path


# --------------------------------------------------------------------------- the fence alone


def fence_format(
    source: str, language: str, class_name: str, options: Mapping[str, Any], md: Any,
    **kwargs: Any,
) -> str:
    """``pymdownx.superfences`` formatter: the figure embedded as a ``data:`` URI.

    For use without the MkDocs plugin (see the module's documentation).
    """
    try:
        figure = parse_fence(source)
    except ValueError as error:
        logger.warning("conv-anim: %s", error)
        return error_html(str(error))
    with tempfile.TemporaryDirectory(prefix="conv-anim-") as folder:
        path = render(figure, Path(folder))
        if figure.drawing.interactive:  # the player is self-contained: inline in the page
            return path.read_text(encoding="utf-8")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    return figure_html(figure, f"data:{MIME_TYPES[figure.suffix]};base64,{data}")


# --------------------------------------------------------------------------- the plugin


# mkdocs' Config.__init_subclass__ is untyped (third-party boundary).
class ConvAnimConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml``."""

    #: Where rendered files are kept between builds, relative to ``mkdocs.yml``.
    cache_dir = config_options.Type(str, default=".cache/conv-anim")


class ConvAnimPlugin(BasePlugin[ConvAnimConfig]):  # type: ignore[no-untyped-call]
    """MkDocs plugin ``conv-anim``: registers the fence and writes images beside pages."""

    def __init__(self) -> None:
        self._page: Page | None = None
        self._cache = Path(".cache/conv-anim")
        self._site = Path("site")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Register the fence with ``pymdownx.superfences``, adding the extension if needed."""
        self._cache = Path(config.config_file_path or ".").parent / self.config.cache_dir
        self._site = Path(config.site_dir)
        extension = "pymdownx.superfences"
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
        settings = config.mdx_configs.setdefault(extension, {})
        fences = [fence for fence in settings.get("custom_fences", [])
                  if fence.get("name") != FENCE]
        fences.append({"name": FENCE, "class": FENCE, "format": self.format_fence})
        settings["custom_fences"] = fences
        return config

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Remember the page whose fences are about to be drawn."""
        self._page = page
        return markdown

    def format_fence(
        self, source: str, language: str, class_name: str, options: Mapping[str, Any], md: Any,
        **kwargs: Any,
    ) -> str:
        """The fence's figure, written next to the current page's HTML file."""
        page = self._page.file.src_uri if self._page else "<unknown page>"
        try:
            figure = parse_fence(source, page)
            cached = render(figure, self._cache)
        except (ValueError, OSError) as error:
            logger.warning("conv-anim: %s: %s", page, error)
            return error_html(str(error))
        if figure.drawing.interactive:  # the player is self-contained: inline in the page
            return cached.read_text(encoding="utf-8")
        folder = PurePosixPath(self._page.file.dest_uri).parent if self._page else PurePosixPath()
        target = self._site / folder / figure.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        return figure_html(figure, figure.filename)
