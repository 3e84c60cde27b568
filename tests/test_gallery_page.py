"""The gallery's web page in a real browser: natural sizes, no overflow, no overlap.

Headless chromium (the ``browser`` fixture of conftest.py) opens the page, as the code
writes it, of the committed gallery at a desktop and a phone width and measures what it
lays out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conv_anim import catalog
from conv_anim.gallery import INDEX, README
from conv_anim.gallery.pages import image_size

#: What the page reports about itself once every image has loaded.
MEASURE = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                             width: r.width, height: r.height}; };
  return {
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    images: Array.from(document.images).map(i => ({
      src: i.getAttribute("src"), alt: i.alt, complete: i.complete,
      naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight, box: box(i)})),
    figures: Array.from(document.querySelectorAll("figure")).map(f => ({
      id: f.id, box: box(f),
      parts: Array.from(f.querySelectorAll("figcaption, figcaption *")).map(box)})),
  };
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(0.0, width) * max(0.0, height)


@pytest.fixture(scope="module")
def measured(browser: Any, gallery_with_current_pages: Path) -> dict[int, dict[str, Any]]:
    """The page's layout at 1400 and 390 pixels wide (the window resized, as a browser's
    responsive view does: the images are loaded once)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto((gallery_with_current_pages / INDEX).as_uri())
    page.wait_for_function(
        "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
        timeout=30_000,
    )
    layouts = {}
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        layouts[width] = page.evaluate(MEASURE)
    page.close()
    return layouts


@pytest.mark.parametrize("width", [1400, 390])
def test_every_image_loads_at_most_at_its_natural_size(measured, width):
    layout = measured[width]
    figures = catalog.everything()
    assert len(layout["images"]) == len(figures)
    for image in layout["images"]:
        assert image["complete"] and image["naturalWidth"] > 0, image["src"]
        drawn = image["box"]
        assert drawn["width"] <= image["naturalWidth"] + 0.5, image["src"]  # never enlarged
        ratio = image["naturalHeight"] / image["naturalWidth"]
        assert drawn["height"] == pytest.approx(drawn["width"] * ratio, abs=1.5), image["src"]
        if width == 1400 and image["naturalWidth"] <= 1300:  # room enough: natural size
            assert drawn["width"] == pytest.approx(image["naturalWidth"], abs=0.5), image["src"]


@pytest.mark.parametrize("width", [1400, 390])
def test_nothing_overflows_the_viewport(measured, width):
    layout = measured[width]
    assert layout["scrollWidth"] <= layout["viewport"]
    for image in layout["images"]:
        assert image["box"]["left"] >= 0 and image["box"]["right"] <= layout["viewport"] + 0.5
    for figure in layout["figures"]:
        assert figure["box"]["right"] <= layout["viewport"] + 0.5, figure["id"]
        for part in figure["parts"]:  # long names and commands wrap inside their figure
            assert part["right"] <= figure["box"]["right"] + 0.5, figure["id"]


@pytest.mark.parametrize("width", [1400, 390])
def test_no_two_figures_overlap(measured, width):
    figures = measured[width]["figures"]
    for n, first in enumerate(figures):
        for second in figures[n + 1:]:
            assert _overlap(first["box"], second["box"]) < 1.0, (first["id"], second["id"])


def test_the_page_has_a_viewport_a_key_commands_and_alt_text(gallery_with_current_pages):
    page = (gallery_with_current_pages / INDEX).read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'id="key"' in page and "dashed cells" in page and 'id="differences"' in page
    assert "issue #11" in page
    for figure in catalog.everything():
        assert f'alt="{figure.alt}"' in page.replace("&#x27;", "'").replace("&quot;", '"')
        if isinstance(figure, catalog.PaperAnimation):
            assert f'<code class="command">{figure.command}</code>' in page
        size = image_size(gallery_with_current_pages / (figure.name + (
            ".gif" if isinstance(figure, catalog.PaperAnimation) else ".png")))
        assert size is not None
        assert f'width="{size[0]}" height="{size[1]}"' in page
    readme = (gallery_with_current_pages / README).read_text()
    assert "## Key" in readme and "## Where these differ from the originals" in readme
    assert "<code>conv-anim conv -i 5 -k 3 -s 2 -p 1 --no-labels</code>" in readme
