"""One notation everywhere: every surface describes a catalogue figure alike, and its
command draws it frame for frame.

For every figure of the catalogue, its caption (as drawn), its ``conv-anim list`` line,
its ``conv-anim info`` text, its gallery page entries and its alt text (the gallery's
and the animation's, which the Sphinx directive uses) give the same sizes, the same
symbols and the same command.
"""

from __future__ import annotations

import shlex
from typing import Any

import numpy as np
import pytest

from conv_anim import ConvSpec, animate, catalog, notation
from conv_anim.cli import catalog_lines
from conv_anim.explain import info_lines
from conv_anim.gallery.pages import index_html, readme_text
from conv_anim.paperdata import paper_corner

ANIMATIONS = [*catalog.animations(), *catalog.animations("beyond")]
SINGLE = [figure for figure in ANIMATIONS if not figure.layers]
STACKS = [figure for figure in ANIMATIONS if figure.layers]


def _flat(text: str) -> str:
    """A text as one line: captions wrap at spaces only."""
    return " ".join(text.split())


def _facts(figure: catalog.PaperAnimation) -> list[str]:
    """What every surface must say about the figure: its sizes and parameters (for a
    transposed convolution, also the direct convolution it transposes)."""
    spec = figure.spec
    facts = [notation.sizes(spec), notation.parameters(spec)]
    if spec.transposed:
        direct = f"{notation.size_text(spec.output_size)} → {notation.size_text(spec.input_size)}"
        facts.append(f"the transpose of a {direct} convolution")
    return facts


def _caption(figure: catalog.PaperAnimation) -> str:
    """The caption the figure draws when asked for one."""
    return _flat(" ".join(t.get_text() for t in figure.animate(caption=True).scene.texts()))


def _list_line(figure: catalog.PaperAnimation) -> str:
    (line,) = [line for line in catalog_lines() if line.split()[:1] == [figure.name]]
    return _flat(line)


def _page_entry(figure: catalog.PaperAnimation) -> str:
    page = index_html([figure])
    start = page.index(f'<figure id="{figure.name}">')
    return page[start:page.index("</figure>", start)]


@pytest.mark.parametrize("figure", SINGLE, ids=lambda f: f.name)
def test_every_surface_gives_the_same_sizes_and_symbols(figure: catalog.PaperAnimation) -> None:
    op = figure.op or "conv"
    info = info_lines(figure.spec, op)
    surfaces = {
        "caption": _caption(figure),
        "list": _list_line(figure),
        "info": _flat(info[0]),
        "page": _flat(_page_entry(figure)),
        "readme": _flat(readme_text([figure])),
        "alt": figure.alt,
    }
    for fact in _facts(figure):
        for name, text in surfaces.items():
            assert fact in text, (figure.name, name, fact, text)
    # The kind is named alike where it is named.
    kind = notation.kind(figure.spec, op)
    for name in ("caption", "info", "alt"):
        assert f"{kind}:" in surfaces[name], (figure.name, name)


@pytest.mark.parametrize("figure", ANIMATIONS, ids=lambda f: f.name)
def test_the_alt_text_is_the_animations(figure: catalog.PaperAnimation) -> None:
    # The Sphinx directive's alt for a catalogue figure: "<caption>. <animation.alt>".
    animation = figure.animate()
    assert figure.alt == f"{figure.caption}. {animation.alt}"
    assert f'alt="{figure.alt}"' in _page_entry(figure).replace("&#x27;", "'")
    assert str(len(animation)) in figure.alt


@pytest.mark.parametrize("figure", STACKS, ids=lambda f: f.name)
def test_stacks_describe_every_layer_alike(figure: catalog.PaperAnimation) -> None:
    ops = figure.ops or ("conv",) * len(figure.layers)
    caption, alt = _caption(figure), figure.alt
    for n, (spec, op) in enumerate(zip(figure.layers, ops, strict=True), 1):
        layer = f"layer {n}: {notation.kind(spec, op)}, {notation.symbols(spec, op)}"
        for name, text in (("caption", caption), ("alt", alt), ("list", _list_line(figure)),
                           ("page", _flat(_page_entry(figure)))):
            assert layer in text, (figure.name, name, layer)
    assert figure.command == f"conv-anim paper {figure.name}"


# --------------------------------------------------------------------------- the command


def _axes(text: str) -> int | tuple[int, ...]:
    values = tuple(int(value) for value in text.split("x"))
    return values[0] if len(values) == 1 else values


def _padding(text: str) -> Any:
    pairs = [tuple(int(v) for v in item.split(":")) if ":" in item else int(item)
             for item in text.split("x")]
    if len(pairs) == 1:
        return pairs[0]
    return tuple(pair if isinstance(pair, tuple) else (pair, pair) for pair in pairs)


def command_arguments(command: str) -> tuple[ConvSpec, dict[str, Any]]:
    """The spec and ``animate`` keywords a ``conv-anim conv`` command stands for, read
    here as the command line reads its options (``--numbers``: the paper's numbers)."""
    words = shlex.split(command)
    assert words[:2] == ["conv-anim", "conv"], command
    options: dict[str, str | bool] = {}
    it = iter(words[2:])
    flags = {"--transposed", "--numbers", "--flip", "--no-labels", "--backward"}
    for word in it:
        options[word] = True if word in flags else next(it)
    known = {"-i", "-k", "-s", "-p", "-d", "--ndim", "--output-padding", "--in-channels",
             "--out-channels", "--groups", "--op", "--view", "--number-style", *flags}
    assert set(options) <= known, sorted(set(options) - known)
    size = _axes(str(options["-i"]))
    if isinstance(size, int):
        size = (size,) * int(options.get("--ndim", 2))
    spec = ConvSpec(
        size, _axes(str(options["-k"])), stride=_axes(str(options.get("-s", "1"))),
        padding=_padding(str(options.get("-p", "0"))),
        dilation=_axes(str(options.get("-d", "1"))),
        transposed=bool(options.get("--transposed", False)),
        output_padding=_axes(str(options.get("--output-padding", "0"))),
        in_channels=int(options.get("--in-channels", 1)),
        out_channels=int(options.get("--out-channels", 1)),
        groups=int(options.get("--groups", 1)),
    )
    keywords: dict[str, Any] = {"labels": "--no-labels" not in options,
                                "view": options.get("--view", "direct"),
                                "backward": "--backward" in options}
    if "--numbers" in options:
        op = str(options.get("--op", "conv"))
        values, kernel = paper_corner(spec.input_size, spec.kernel_size)
        keywords.update(values=values, kernel=kernel if op == "conv" else None, op=op,
                        flip="--flip" in options,
                        number_style=options.get("--number-style", "exact"))
    return spec, keywords


@pytest.mark.parametrize("figure", SINGLE, ids=lambda f: f.name)
def test_the_command_draws_the_figure_frame_for_frame(figure: catalog.PaperAnimation) -> None:
    spec, keywords = command_arguments(figure.command)
    assert spec == figure.spec
    drawn = animate(spec, **keywords)
    expected = figure.animate()
    assert len(drawn) == len(expected) == figure.frames
    assert drawn.frame_shape == expected.frame_shape
    for mine, theirs in zip(drawn.frames(), expected.frames(), strict=True):
        assert np.array_equal(mine, theirs)


@pytest.mark.parametrize("figure", SINGLE, ids=lambda f: f.name)
def test_info_gives_the_figures_geometry(figure: catalog.PaperAnimation) -> None:
    info = info_lines(figure.spec, figure.op or "conv")
    assert info[1] == f"python: {figure.python}"
    (line,) = [line for line in info if line.startswith("command: ")]
    assert command_arguments(line.removeprefix("command: "))[0] == figure.spec


def test_the_catalogues_paper_figures_are_unlabelled_and_the_others_labelled() -> None:
    for figure in catalog.animations():
        assert figure.command.endswith("--no-labels") or "--no-labels " in figure.command
        assert not figure.animate().style.labels
    for figure in SINGLE:
        if figure.section == "beyond":
            assert "--no-labels" not in figure.command
            assert figure.animate().style.labels
    assert "--number-style paper" in catalog.get("numerical_padding_strides").command
