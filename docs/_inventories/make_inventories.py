"""Write the small intersphinx inventories that let the docs build offline.

The documentation links to Python, numpy and matplotlib without fetching their
inventories: ``conf.py`` reads these files instead. Each holds only the names our
docstrings and pages refer to, with the same addresses as the projects' own
``objects.inv`` (Python's checked against its inventory, numpy's and matplotlib's
against their documentation sources). Add a name here, run
``python docs/_inventories/make_inventories.py`` and commit the ``.inv`` files.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: project -> (version, [(name, domain:role, address), ...]); addresses relative to the
#: base URL in conf.py's intersphinx_mapping, "$" standing for the name.
INVENTORIES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "python": ("3", [
        ("None", "py:data", "library/constants.html#None"),
        ("bool", "py:class", "library/functions.html#bool"),
        ("bytes", "py:class", "library/stdtypes.html#bytes"),
        ("dict", "py:class", "library/stdtypes.html#dict"),
        ("float", "py:class", "library/functions.html#float"),
        ("int", "py:class", "library/functions.html#int"),
        ("list", "py:class", "library/stdtypes.html#list"),
        ("object", "py:class", "library/functions.html#object"),
        ("str", "py:class", "library/stdtypes.html#str"),
        ("tuple", "py:class", "library/stdtypes.html#tuple"),
        ("ValueError", "py:exception", "library/exceptions.html#$"),
        ("OSError", "py:exception", "library/exceptions.html#$"),
        ("collections.abc.Callable", "py:class", "library/collections.abc.html#$"),
        ("collections.abc.Iterable", "py:class", "library/collections.abc.html#$"),
        ("collections.abc.Iterator", "py:class", "library/collections.abc.html#$"),
        ("collections.abc.Mapping", "py:class", "library/collections.abc.html#$"),
        ("collections.abc.Sequence", "py:class", "library/collections.abc.html#$"),
        ("os.PathLike", "py:class", "library/os.html#$"),
        ("os.replace", "py:function", "library/os.html#$"),
        ("pathlib.Path", "py:class", "library/pathlib.html#$"),
        ("typing.Any", "py:data", "library/typing.html#$"),
        ("callable", "std:term", "glossary.html#term-callable"),
        ("path-like object", "std:term", "glossary.html#term-path-like-object"),
        ("sequence", "std:term", "glossary.html#term-sequence"),
    ]),
    "numpy": ("2", [
        ("numpy.ndarray", "py:class", "reference/generated/$.html#$"),
        ("numpy.dtype", "py:class", "reference/generated/$.html#$"),
        ("numpy.convolve", "py:function", "reference/generated/$.html#$"),
        ("numpy.moveaxis", "py:function", "reference/generated/$.html#$"),
        ("numpy.random.Generator", "py:class", "reference/random/generator.html#$"),
        ("numpy.typing.ArrayLike", "py:data", "reference/typing.html#$"),
        ("numpy.typing.NDArray", "py:data", "reference/typing.html#$"),
        ("array_like", "std:term", "glossary.html#term-array_like"),
    ]),
    "matplotlib": ("3", [
        ("matplotlib.axes.Axes", "py:class", "api/_as_gen/$.html#$"),
        ("matplotlib.figure.Figure", "py:class", "api/_as_gen/$.html#$"),
        ("matplotlib.pyplot.subplots", "py:function", "api/_as_gen/$.html#$"),
        ("matplotlib.animation.FuncAnimation", "py:class", "api/_as_gen/$.html#$"),
    ]),
}


def inventory_bytes(project: str, version: str, entries: list[tuple[str, str, str]]) -> bytes:
    """An ``objects.inv`` (version 2): a plain header, then zlib-compressed entries."""
    header = (f"# Sphinx inventory version 2\n# Project: {project}\n# Version: {version}\n"
              "# The remainder of this file is compressed using zlib.\n")
    body = "".join(f"{name} {role} 1 {address.replace('$', name)} -\n"
                   for name, role, address in sorted(entries))
    return header.encode() + zlib.compress(body.encode(), 9)


def write(folder: Path = HERE) -> list[Path]:
    """Write ``<project>.inv`` for every project into ``folder``."""
    paths = []
    for project, (version, entries) in INVENTORIES.items():
        path = folder / f"{project}.inv"
        path.write_bytes(inventory_bytes(project, version, entries))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write():
        print(written)
