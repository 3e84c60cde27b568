"""Docs-only Sphinx extension: ``.. drawing-options::`` is the table of drawing options.

The table is generated from :data:`conv_anim.options.DRAWING`, the one source of the
options of ``conv-anim conv``, the ``conv-anim`` directive and the MkDocs fence, so the
page cannot fall behind the code. ``:kind: geometry`` (or ``numbers``, ``look``,
``frames``, ``animation``) keeps one kind of option only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from conv_anim.options import DRAWING, Option

KINDS = ("geometry", "numbers", "look", "frames", "animation")


def command_line(option: Option) -> str:
    """The option as ``conv-anim conv`` spells it, with its value's placeholder."""
    spelled = f"--{option.name}" if option.metavar is None else f"--{option.name} {option.metavar}"
    if option.short is not None:
        spelled = f"{option.short}, {spelled}"
    return f"``{spelled}``"


def in_documents(option: Option) -> str:
    """The option as the directive and the fence spell it."""
    value = "" if option.metavar is None else f" {option.metavar}"
    fence = "true" if option.flag else option.metavar
    return f"``:{option.name}:{value}`` / ``{option.name}: {fence}``"


def table_lines(kind: str | None = None) -> list[str]:
    """The reStructuredText of the table: one row per option, in DRAWING's order."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 28 36 36",
        "   :class: drawing-options",
        "",
        "   * - Command line",
        "     - Directive / MkDocs fence",
        "     - What",
    ]
    for option in DRAWING:
        if kind is not None and option.kind != kind:
            continue
        lines += [
            f"   * - {command_line(option)}",
            f"     - {in_documents(option)}",
            f"     - {_escaped(option.help)}",
        ]
    return lines


def _escaped(text: str) -> str:
    """Help text as literal reStructuredText (its ``*`` and backquotes are not markup)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`")


class DrawingOptions(SphinxDirective):
    """The drawing options as a table."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "kind": lambda text: directives.choice(text, KINDS),
    }

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        source = self.get_source_info()[0]
        content = StringList(table_lines(self.options.get("kind")), source=source)
        self.state.nested_parse(content, self.content_offset, container)
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("drawing-options", DrawingOptions)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
