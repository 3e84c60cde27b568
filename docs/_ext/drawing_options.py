"""Docs-only Sphinx extension: ``.. drawing-options::`` is the table of drawing options.

The table is generated from :data:`conv_anim.options.DRAWING`, the one source of the
options of ``conv-anim conv``, the ``conv-anim`` directive and the MkDocs fence, and
from the command line's own parser (how it spells each option), so the page cannot fall
behind the code. ``:kind: geometry`` (or ``numbers``, ``look``, ``frames``,
``animation``) keeps one kind of option only.
"""

from __future__ import annotations

import argparse
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from conv_anim.cli.parser import add_drawing_options
from conv_anim.errors import ParameterError
from conv_anim.options import DRAWING, Option

KINDS = ("geometry", "numbers", "look", "frames", "animation")
#: An option named in a help text (``--transposed``), shown as code.
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")


def command_lines() -> dict[str, str]:
    """Each drawing option as ``conv-anim conv --help`` writes it, by name."""
    parser = argparse.ArgumentParser()
    add_drawing_options(parser, KINDS)
    spelled = {}
    for action in parser._actions:  # argparse keeps no public list of its actions
        long = [name for name in action.option_strings if name.startswith("--")]
        if not long or long[0] == "--help":
            continue
        text = ", ".join(action.option_strings)
        if action.nargs == "?":
            text += f" [{action.metavar}]"
        elif action.nargs is None:
            text += f" {action.metavar}"
        spelled[long[0][2:]] = f"``{text}``"
    return spelled


def in_documents(option: Option) -> str:
    """The option as the directive spells it (``[VALUE]``: optional); the MkDocs fence
    writes ``name: VALUE``, and ``name: true`` for a flag."""
    if option.parse is None:
        return f"``:{option.name}:``"
    value = option.metavar or "VALUE"
    try:
        option.parse("")
        value = f"[{value}]"
    except ParameterError:
        pass
    return f"``:{option.name}: {value}``"


def table_lines(kind: str | None = None) -> list[str]:
    """The reStructuredText of the table: one row per option, in DRAWING's order."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 30 30 40",
        "   :class: drawing-options",
        "",
        "   * - Command line",
        "     - Directive",
        "     - What",
    ]
    spelled = command_lines()
    for option in DRAWING:
        if kind is not None and option.kind != kind:
            continue
        lines += [
            f"   * - {spelled[option.name]}",
            f"     - {in_documents(option)}",
            f"     - {_escaped(option.help)}",
        ]
    return lines


def _escaped(text: str) -> str:
    """Help text as reStructuredText: its ``*`` and backquotes are not markup, and the
    options it names are code (so that ``--`` stays two hyphens)."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`")
    return _OPTION.sub(r"``\1``", text)


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
