"""The package's shape, as the README's architecture section describes it: no import
cycle among its modules, and scenes that share a toolkit but never import each other.

Read from the source (module-level imports, not those under ``TYPE_CHECKING`` or inside
functions, which are how optional and heavy dependencies are loaded late), so that a new
import breaking the shape fails here, named, before anyone has to untangle it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "conv_anim"
#: What every scene may use of ``render/``: the shared toolkit (the README's "what every
#: scene shares"). Scenes, the canvas and the toolkit itself import nothing else there.
TOOLKIT = {"base", "shapes", "grids", "numbers", "numerals", "labels", "palette"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"


def imported(name: str) -> set[str]:
    """The package's modules that module ``name`` imports when it is imported."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.If) and not _type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, *(h.body for h in node.handlers), node.orelse,
                              node.finalbody):
                    visit(block)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # ``from package import module`` imports the module; ``from module
                # import name``, the module.
                submodules = {f"{base}.{alias.name}" for alias in node.names}
                found.update(submodules & MODULES.keys() or {base})

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {module for module in found if module in MODULES and module != name}


@cache
def graph() -> dict[str, set[str]]:
    """Every module's imports of the package's modules (read when a test asks, not
    while every worker collects)."""
    return {name: imported(name) for name in MODULES}


def cycle_from(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    """An import cycle through ``start``, as the modules along it, or None."""
    stack, path = [(start, iter(sorted(edges[start])))], [start]
    seen = {start}
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            path.pop()
        elif child == start:
            return [*path, start]
        elif child not in seen:
            seen.add(child)
            stack.append((child, iter(sorted(edges[child]))))
            path.append(child)
    return None


def test_the_reader_finds_imports_of_every_form() -> None:
    # Absolute, relative and ``from package import module`` forms, each seen.
    imports = graph()
    assert "conv_anim.geometry" in imports["conv_anim.render.grids"]
    assert "conv_anim.coverage" in imports["conv_anim.geometry"]  # from conv_anim import coverage
    assert "conv_anim.render.labels" in imports["conv_anim.render.overlap"]
    assert "conv_anim.cli.parser" in imports["conv_anim.cli"]
    # Lazy imports (inside functions) are not module-level imports.
    assert "conv_anim.animation" not in imports["conv_anim"]


def test_no_import_cycle_among_the_modules() -> None:
    cycles = [" -> ".join(cycle) for name in MODULES if (cycle := cycle_from(name, graph()))]
    assert cycles == []


def test_a_cycle_is_found() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycle_from("a", edges) == ["a", "b", "c", "a"]
    assert cycle_from("d", edges) is None


def test_scenes_share_the_toolkit_and_never_import_each_other() -> None:
    render = {name for name in MODULES if name.startswith("conv_anim.render.")}
    toolkit = {f"conv_anim.render.{name}" for name in TOOLKIT}
    assert toolkit <= render
    wrong = {name: sorted(graph()[name] & render - toolkit) for name in sorted(render)}
    assert {name: modules for name, modules in wrong.items() if modules} == {}
