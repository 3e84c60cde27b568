"""The interactive player without a browser: its frames, cells, sums, markup and files."""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image, ImageSequence

from conv_anim import ConvSpec, animate, animate_stack, catalog, player
from conv_anim.animation import Animation
from conv_anim.errors import ParameterError
from conv_anim.player.cells import cell_table
from conv_anim.player.sprite import background_pixels, sprite_sheet
from conv_anim.player.sums import step_sums
from conv_anim.steps import ChannelStep, group_inputs

PAPER_INPUT = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                        [2, 0, 0, 0, 1]])
PAPER_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


#: One animation of every kind of scene, by name; each is made when a test first asks
#: for it (:func:`kind`), not while every worker collects the tests.
KINDS: dict[str, Callable[[], Animation]] = {
    "slanted": lambda: animate(ConvSpec(5, 3, stride=2, padding=1)),
    "transposed": lambda: animate(ConvSpec(3, 3, stride=2, padding=1, transposed=True)),
    "numerical": lambda: animate(ConvSpec(5, 3, stride=2, padding=1), values=PAPER_INPUT,
                                 kernel=PAPER_KERNEL),
    "line": lambda: animate(ConvSpec((8,), 3, stride=2, dilation=2)),
    "numeric_line": lambda: animate(ConvSpec((6,), 3), values=[1, -2, 3, 4, 5, 6],
                                    kernel=[1, 0, -1]),
    "volume": lambda: animate(ConvSpec((2, 3, 3), 2, padding=1)),
    "channels": lambda: animate(ConvSpec(4, 3, in_channels=4, out_channels=2, groups=2)),
    "scatter": lambda: animate(ConvSpec(2, 3, stride=2, padding=1, transposed=True),
                               values=np.arange(4).reshape(2, 2) + 1, kernel=PAPER_KERNEL,
                               view="scatter"),
    "stack": lambda: animate_stack([ConvSpec((8,), 2), ConvSpec((7,), 2, dilation=2)]),
}
_HTML: dict[str, str] = {}


@cache
def kind(name: str) -> Animation:
    """The animation of kind ``name``, made once."""
    return KINDS[name]()


def html_of(name: str) -> str:
    """The player of ``kind(name)``, made once."""
    if name not in _HTML:
        _HTML[name] = kind(name).to_html()
    return _HTML[name]


class Markup(HTMLParser):
    """Every start tag with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))

    def find(self, tag: str, **attributes: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag
                and all(attrs.get(k.replace("_", "-")) == v for k, v in attributes.items())]


def parse(text: str) -> Markup:
    markup = Markup()
    markup.feed(text)
    markup.close()
    return markup


def data_of(markup: Markup) -> dict:
    (text,) = [text for attrs, text in markup.scripts if attrs.get("type") == "application/json"]
    return json.loads(text)


def index_text(index: tuple[int, ...]) -> str:
    return ",".join(map(str, index))


def key_text(step: object) -> str:
    """A step's output cell as the player writes it (channel first)."""
    if isinstance(step, ChannelStep):
        return index_text((step.out_channel, *step.output_index))
    return index_text(step.output_index)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- frames


def decoded_sheet(png: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The sheet's RGB pixels and its mask of opaque pixels."""
    image = Image.open(io.BytesIO(png))
    assert image.mode == "P"
    rgba = np.asarray(image.convert("RGBA"))
    return rgba[..., :3], rgba[..., 3] > 0


@pytest.mark.parametrize("name", ["slanted", "numerical", "channels", "scatter"])
def test_background_and_patches_rebuild_every_frame_of_the_gif(name):
    animation = kind(name)
    sheet = sprite_sheet(animation)
    pixels, opaque = decoded_sheet(sheet.png)
    width, height = sheet.frame_size
    assert (height, width, 3) == animation.frame_shape
    gif = Image.open(io.BytesIO(animation.gif()))
    frames = [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(gif)]
    assert len(frames) == len(sheet.patches) == len(animation)
    for patch, expected in zip(sheet.patches, frames, strict=True):
        frame = pixels[:height, :width].copy()
        rows = slice(patch.sheet_y, patch.sheet_y + patch.height)
        cols = slice(patch.sheet_x, patch.sheet_x + patch.width)
        target = frame[patch.y:patch.y + patch.height, patch.x:patch.x + patch.width]
        target[opaque[rows, cols]] = pixels[rows, cols][opaque[rows, cols]]
        np.testing.assert_array_equal(frame, expected)


def test_patches_hold_only_what_changes():
    animation = kind("slanted")
    sheet = sprite_sheet(animation)
    width, height = sheet.frame_size
    assert all(0 < p.width * p.height < width * height / 2 for p in sheet.patches)
    # Patches do not overlap on the sheet, nor the background.
    taken = np.zeros(sheet.size[::-1], bool)
    taken[:height, :width] = True
    for p in sheet.patches:
        box = taken[p.sheet_y:p.sheet_y + p.height, p.sheet_x:p.sheet_x + p.width]
        assert box.shape == (p.height, p.width) and not box.any()
        box[...] = True


def test_background_is_the_figure_without_a_step():
    animation = animate(ConvSpec(4, 3), background="transparent")
    pixels = background_pixels(animation)
    first = next(animation.frames())
    assert pixels.shape == first.shape
    assert (pixels != first).any(axis=2).mean() < 0.2
    assert tuple(pixels[0, 0]) == (255, 255, 255)  # opaque, as the frames


# ----------------------------------------------------------------------------- cells


@pytest.mark.parametrize("name", sorted(KINDS))
def test_cells_are_the_scenes_hotspots_each_once(name):
    animation = kind(name)
    table = cell_table(animation)
    keys = [cell.key for cell in table.cells]
    assert len(set(keys)) == len(keys)
    assert len(table.keys) == len(table.links) == len(animation)
    assert len(set(table.keys)) == len(animation)
    for n, step in enumerate(animation.steps):
        spots = animation.scene.hotspots(step)
        assert table.cells[table.keys[n]].key == spots.key.key
        assert [table.cells[c].key for c in table.links[n]] == [s.key for s in spots.linked]


@pytest.mark.parametrize("name", ["slanted", "transposed", "numerical", "line", "volume"])
def test_direct_links_are_the_input_units_and_padding_each_step_reads(name):
    animation = kind(name)
    table = cell_table(animation)
    for n, step in enumerate(animation.steps):
        cells = [table.cells[c] for c in table.links[n]]
        assert table.cells[table.keys[n]].key == ("output", step.output_index)
        assert sorted(c.index for c in cells if c.role == "input") == sorted(step.input_indices)
        pads = sorted(t.position for t in step.taps if t.input_index is None)
        assert sorted(c.index for c in cells if c.role == "pad") == pads


def test_channel_links_read_every_map_of_the_group():
    animation = kind("channels")
    spec = animation.spec
    table = cell_table(animation)
    for n, step in enumerate(animation.steps):
        inputs = {table.cells[c].index for c in table.links[n]}
        expected = {(channel, *unit) for channel in group_inputs(spec, step.out_channel)
                    for unit in step.input_indices}
        assert inputs == expected
        assert table.cells[table.keys[n]].index == (step.out_channel, *step.output_index)


def test_readers_of_a_cell_are_the_steps_linking_it():
    table = cell_table(kind("slanted"))
    for cell in range(len(table.cells)):
        assert table.readers(cell) == tuple(
            n for n, links in enumerate(table.links) if cell in links
        )


# ----------------------------------------------------------------------------- sums


def padded(x: np.ndarray, pad: int, fill: float = 0.0) -> np.ndarray:
    return np.pad(x.astype(float), pad, constant_values=fill)


def windows(x: np.ndarray, k: int, s: int) -> dict[tuple[int, int], list[float]]:
    """Every window of a padded 2-D input, row-major, by a numpy loop."""
    out = (x.shape[0] - k) // s + 1, (x.shape[1] - k) // s + 1
    return {(r, c): [float(x[r * s + i, c * s + j]) for i in range(k) for j in range(k)]
            for r in range(out[0]) for c in range(out[1])}


def numbers_of(text: str) -> list[float]:
    text = text.replace("\N{MINUS SIGN}\N{INFINITY}", "-inf").replace("(", " ").replace(")", " ")
    return [float(t) for t in re.findall(r"-inf|-?\d+(?:\.\d+)?", text)]


def test_convolution_sums_write_each_product_with_the_figures_numbers():
    animation = catalog.get("numerical_padding_strides").animate()
    sums = step_sums(animation)
    assert sums is not None and len(sums) == 9
    reference = windows(padded(PAPER_INPUT, 1), 3, 2)
    for step, text in zip(animation.steps, sums, strict=True):
        terms, result = text.split(" = ")
        products = [numbers_of(term) for term in terms.split(" + ")]
        values = reference[step.output_index]
        assert products == [[v, float(w)] for v, w in zip(values, PAPER_KERNEL.ravel(),
                                                            strict=True)]
        assert float(result) == sum(v * w for v, w in products)
        assert re.fullmatch(r"-?\d+\.\d", result)  # the figure's one decimal
    assert sums[1] == "0·0 + 0·1 + 0·2 + 3·2 + 2·2 + 1·0 + 0·0 + 1·1 + 3·2 = 17.0"


def test_negative_factors_are_in_parentheses():
    animation = animate(ConvSpec(3, 2), values=[[1, -2, 0], [0, 1, 0], [0, 0, 0]],
                        kernel=[[-1, 2], [0, 1]])
    assert step_sums(animation)[0] == "1·(-1) + (-2)·2 + 0·0 + 1·1 = -4"


def test_transposed_sums_read_the_flipped_kernel_over_the_stretched_input():
    spec = ConvSpec(2, 3, stride=2, padding=1, transposed=True)
    x = np.array([[1, 2], [3, 4]])
    animation = animate(spec, values=x, kernel=PAPER_KERNEL)
    stretched = np.zeros((3, 3))
    stretched[::2, ::2] = x
    reference = windows(padded(stretched, 1), 3, 1)  # p' = k - 1 - p = 1
    flipped = PAPER_KERNEL[::-1, ::-1].ravel()
    for step, text in zip(animation.steps, step_sums(animation), strict=True):
        terms, result = text.split(" = ")
        products = [numbers_of(term) for term in terms.split(" + ")]
        assert products == [[v, float(w)] for v, w in zip(reference[step.output_index],
                                                            flipped, strict=True)]
        assert float(result) == animation.numbers.output[step.output_index]


def test_max_and_average_pooling_sums():
    maximum = catalog.get("numerical_max_pooling").animate()
    average = catalog.get("numerical_average_pooling").animate()
    spec = maximum.spec
    k, s, (before, _) = spec.kernel_size[0], spec.stride[0], spec.padding[0]
    for text, step in zip(step_sums(maximum), maximum.steps, strict=True):
        assert text.startswith("max(")
        values = numbers_of(text.split(" = ")[0])
        assert values == windows(padded(PAPER_INPUT, before, -np.inf), k, s)[step.output_index]
        assert float(text.split(" = ")[1]) == max(values)
    k, s, (before, _) = average.spec.kernel_size[0], average.spec.stride[0], average.spec.padding[0]
    for text, step in zip(step_sums(average), average.steps, strict=True):
        inside, result = text.split(" = ")
        total, count = inside.rsplit(" / ", 1)
        values = numbers_of(total)
        assert values == windows(padded(PAPER_INPUT, before), k, s)[step.output_index]
        assert int(count) == k * k
        assert float(result) == round(sum(values) / (k * k), 1)


def test_scatter_sums_name_each_product_and_where_it_lands():
    animation = kind("scatter")
    spec = animation.spec
    x = animation.numbers.values
    out = spec.output_size
    for step, text in zip(animation.steps, step_sums(animation), strict=True):
        i, j = step.input_index
        expected = []
        cropped = 0
        for a, b in itertools.product(range(3), range(3)):  # a numpy-free scatter loop
            r, c = i * 2 - 1 + a, j * 2 - 1 + b
            if 0 <= r < out[0] and 0 <= c < out[1]:
                expected.append(f"{x[i, j]:g}·{PAPER_KERNEL[a, b]} = "
                                f"{x[i, j] * PAPER_KERNEL[a, b]:g} → ({r}, {c})")
            else:
                cropped += 1
        assert text == f"adds {', '.join(expected)}; {cropped} cropped"


def test_figures_without_numbers_have_no_sums():
    assert step_sums(kind("slanted")) is None
    assert step_sums(kind("stack")) is None


# ----------------------------------------------------------------------------- markup


@pytest.fixture(scope="module")
def padding_strides() -> Animation:
    return catalog.get("padding_strides").animate()


@pytest.fixture(scope="module")
def padding_strides_html(padding_strides: Animation) -> str:
    return padding_strides.to_html()


def test_dom_contract(padding_strides, padding_strides_html):
    markup = parse(padding_strides_html)
    (root,) = markup.find("div", **{"class": "conv-anim-player"})
    assert root["data-step"] == "0" and root["data-steps"] == "9" and root["tabindex"] == "0"
    cells = markup.find("polygon")
    outputs = [c["data-output-index"] for c in cells if "data-output-index" in c]
    assert outputs == [index_text(step.output_index) for step in padding_strides.steps]
    inputs = {c["data-input-index"] for c in cells if "data-input-index" in c}
    assert inputs == {index_text(i) for i in itertools.product(range(5), range(5))}
    pads = {c["data-pad-index"] for c in cells if "data-pad-index" in c}
    assert len(pads) == 7 * 7 - 25 and "0,0" in pads and "3,3" not in pads
    for action in ("prev", "play", "next"):
        (button,) = markup.find("button", data_action=action)
        assert button["type"] == "button"
    assert markup.find("input", data_action="scrub")[0]["max"] == "8"
    assert markup.find("select", data_action="speed")
    (svg,) = markup.find("svg", **{"class": "ca-figure"})
    assert svg["role"] == "img" and svg["aria-label"] == padding_strides.alt


def test_buttons_are_labelled_in_words(padding_strides, padding_strides_html):
    text = padding_strides_html
    labels = re.findall(r'<button type="button" data-action="(\w+)"[^>]*>([^<]+)</button>', text)
    assert [(action, label.strip("‹› ")) for action, label in labels] == [
        ("prev", "Prev"), ("play", "Play"), ("next", "Next")]


def test_no_external_reference_of_any_kind(padding_strides, padding_strides_html):
    text = padding_strides_html
    assert not re.search(r"https?:|ftp:|//[\w.-]+\.\w", text)
    for tag, attrs in parse(text).tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name, "")
            assert not value or value.startswith(("data:", "#")), (tag, name, value)
    assert "import(" not in text and "fetch(" not in text and "XMLHttpRequest" not in text


def test_data_matches_the_sheet_and_the_cells(padding_strides):
    markup = parse(padding_strides.to_html(fps=2, autoplay=False))
    data = data_of(markup)
    table = cell_table(padding_strides)
    sheet = sprite_sheet(padding_strides)
    assert data["fps"] == 2 and data["autoplay"] is False and data["sums"] is None
    assert data["keys"] == list(table.keys)
    assert data["links"] == [list(links) for links in table.links]
    assert data["patches"] == [[p.x, p.y, p.width, p.height, p.sheet_x, p.sheet_y]
                               for p in sheet.patches]
    (image,) = markup.find("image")
    assert base64.b64decode(image["href"].split(",", 1)[1]) == sheet.png


def test_cell_polygons_are_the_hotspots_in_pixels(padding_strides, padding_strides_html):
    markup = parse(padding_strides_html)
    table = cell_table(padding_strides)
    cells = markup.find("polygon")
    assert len(cells) == len(table.cells)
    for attrs, spot in zip(cells, table.cells, strict=True):
        points = [tuple(map(float, pair.split(","))) for pair in attrs["points"].split()]
        assert points == [tuple(corner) for corner in spot.polygon]
        assert attrs[f"data-{spot.role}-index"] == index_text(spot.index)


def test_numerical_player_carries_its_sums():
    animation = catalog.get("numerical_padding_strides").animate()
    text = animation.to_html()
    assert data_of(parse(text))["sums"] == list(step_sums(animation))
    status = text.split('<p class="ca-status" aria-live="polite">')[1]
    first = "output (0, 0): 0·0 + 0·1 + 0·2 + 0·2 + 3·2 + 3·0 + 0·0 + 0·1 + 0·2 = 6.0"
    assert status.startswith(first + "<")


def test_labels_name_padding_inserted_zeros_channels_and_layers():
    def labels(name: str) -> set[str]:
        return {attrs["data-label"] for attrs in parse(html_of(name)).find("polygon")}

    assert {"padding (0, 0)", "inserted zero (2, 3)", "input (1, 1)",
            "output (4, 4)"} <= labels("transposed")
    # the maps numbered from 1, as the drawing labels them ("input 4", "output 2")
    assert {"input 4 (0, 0)", "output 2 (1, 1)"} <= labels("channels")
    assert {"layer 1 unit (6)", "input (0)", "output (4)"} <= labels("stack")
    assert any(label.startswith("cropped (") for label in labels("scatter"))


def test_link_words_follow_the_view():
    def words(name: str) -> list[str]:
        return data_of(parse(html_of(name)))["linkWords"]

    assert words("slanted") == ["read by", "output cell", "output cells"]
    assert words("scatter")[0] == "receives from"
    assert words("stack")[0] == "feeds"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_of_figure_makes_a_player(name):
    animation = kind(name)
    markup = parse(html_of(name))
    (root,) = markup.find("div", **{"class": "conv-anim-player"})
    assert int(root["data-steps"]) == len(animation)
    assert len(markup.find("polygon")) == len(cell_table(animation).cells)


def test_output_is_deterministic():
    assert animate(ConvSpec(3, 2)).to_html() == animate(ConvSpec(3, 2)).to_html()


def test_player_for_padding_strides_is_under_one_and_a_half_gifs(
    padding_strides, padding_strides_html
):
    assert len(padding_strides_html.encode()) < 1.5 * len(padding_strides.gif())


# ----------------------------------------------------------------------------- files, notebooks


def test_save_html_writes_a_whole_page(tmp_path, padding_strides):
    path = padding_strides.save(tmp_path / "figure.html", fps=2)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert player.to_html(padding_strides, 2) in text
    assert path.read_bytes() == padding_strides.save(tmp_path / "again.html", fps=2).read_bytes()


def test_save_html_rejects_a_frame_and_a_bad_fps(tmp_path, padding_strides):
    with pytest.raises(ParameterError, match="frame=2"):
        padding_strides.save(tmp_path / "a.html", frame=2)
    with pytest.raises(ValueError, match="fps"):
        padding_strides.save(tmp_path / "b.html", fps=0)
    assert not list(tmp_path.iterdir())


def test_bad_options_are_named(padding_strides):
    with pytest.raises(ValueError, match="fps"):
        padding_strides.to_html(fps=-1)
    with pytest.raises(ParameterError, match="autoplay") as caught:
        padding_strides.to_html(autoplay="yes")  # type: ignore[arg-type]
    assert caught.value.parameter == "autoplay"


def test_interactive_shows_the_player_and_the_animation_stays_a_gif(padding_strides):
    shown = padding_strides.interactive(fps=2)
    assert isinstance(shown, player.Player)
    assert shown._repr_html_() == padding_strides.to_html(fps=2)
    assert "image/gif" in padding_strides._repr_html_()
    assert "characters of HTML" in repr(shown)


# ----------------------------------------------------------------------------- other surfaces


def test_cli_writes_a_player(tmp_path):
    from conv_anim import cli

    path = tmp_path / "up.html"
    assert cli.main(["conv", "-i", "3", "-k", "3", "-s", "2", "-p", "1", "--transposed",
                     "-o", str(path), "--fps", "2"]) == 0
    spec = ConvSpec(3, 3, stride=2, padding=1, transposed=True)
    # Figures drawn from parameters are labelled.
    assert path.read_text(encoding="utf-8") == player.to_document(animate(spec, labels=True), 2)


def test_cli_refuses_a_frame_of_a_player(tmp_path, capsys):
    from conv_anim import cli

    assert cli.main(["conv", "-i", "3", "-k", "2", "-o", str(tmp_path / "a.html"),
                     "--frame", "1"]) == 2
    assert "--frame applies to still images" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


INTERACTIVE = """\
Player
======

.. conv-anim::
   :input-size: 3
   :kernel-size: 2
   :interactive:
   :caption: Hover the output.
"""


def sphinx_build(folder, builder: str):
    sphinx = pytest.importorskip("sphinx.application")
    from sphinx.util.docutils import docutils_namespace

    source = folder / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text('extensions = ["conv_anim.sphinxext"]\n')
    (source / "index.rst").write_text(INTERACTIVE)
    out = folder / builder
    warnings = io.StringIO()
    with docutils_namespace():
        app = sphinx.Sphinx(source, source, out, out / ".doctrees", builder, status=None,
                            warning=warnings, freshenv=True)
        app.build()
    return out, warnings.getvalue()


def test_sphinx_interactive_embeds_the_player_in_html(tmp_path):
    out, warnings = sphinx_build(tmp_path, "html")
    assert "conv-anim" not in warnings
    page = (out / "index.html").read_text(encoding="utf-8")
    assert animate(ConvSpec(3, 2), labels=True).to_html() in page
    assert "Hover the output." in page and ".gif" not in page


def test_sphinx_interactive_keeps_the_filmstrip_for_latex(tmp_path):
    out, warnings = sphinx_build(tmp_path, "latex")
    assert "conv-anim" not in warnings
    assert [p.suffix for p in out.glob("conv-anim-*")] == [".pdf"]
