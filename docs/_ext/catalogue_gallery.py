"""Docs-only Sphinx extension: ``.. catalogue-gallery::`` draws every catalogue figure.

The gallery page lists the catalogue (:mod:`conv_anim.catalog`) by section, each
figure drawn by the project's own ``conv-anim`` directive, so a figure added to the
catalogue appears in the docs without editing them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from conv_anim import catalog


def gallery_lines() -> list[str]:
    """The reStructuredText of the gallery: a section per catalogue section."""
    lines: list[str] = []
    for section, title in catalog.SECTIONS.items():
        figures = [f for f in catalog.everything() if f.section == section]
        if not figures:
            continue
        lines += [title, "-" * len(title), ""]
        for figure in figures:
            lines += [
                f".. conv-anim:: {figure.name}",
                f"   :caption: ``{figure.name}``: {figure.caption}",
                "",
            ]
    return lines


class CatalogueGallery(SphinxDirective):
    """Every figure of the catalogue, by section."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.section()
        container.document = self.state.document
        source = self.get_source_info()[0]
        content = StringList(gallery_lines(), source=source)
        self.state.nested_parse(content, self.content_offset, container, match_titles=True)
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("catalogue-gallery", CatalogueGallery)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
