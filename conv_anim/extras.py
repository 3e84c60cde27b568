"""Optional dependencies: which extra brings which package, and how to install it here.

A missing optional package is a :class:`MissingDependency` (an ``ImportError``) whose
message gives an install command that works for how conv_anim is installed: from an
index (``pip install "conv-anim[mp4]"``) or from a clone (``pip install -e
"/path/to/checkout[mp4]"``), and the package's own name, which always works.

>>> EXTRAS["mp4"]
('imageio_ffmpeg', 'imageio-ffmpeg')
"""

from __future__ import annotations

import importlib.util
import json
from importlib import metadata
from typing import Any
from urllib.parse import unquote, urlparse

#: Each extra: the module it needs, and the package that provides it.
EXTRAS = {
    "mp4": ("imageio_ffmpeg", "imageio-ffmpeg"),
    "notebook": ("ipywidgets", "ipywidgets"),
}
DISTRIBUTION = "conv_anim"


class MissingDependency(ImportError):
    """An optional package that a feature needs is not installed.

    Parameters
    ----------
    purpose : str
        What needs it, as the message's subject (``"writing .mp4"``).
    package : str
        The name to install with pip (``"imageio-ffmpeg"``).
    module : str
        The module that is missing (``"imageio_ffmpeg"``), also ``ImportError.name``.
    extra : str
        The conv-anim extra that installs it (``"mp4"``).

    Attributes
    ----------
    purpose, package, extra, name
        As given (``name`` is the module).
    """

    def __init__(self, purpose: str, *, package: str, module: str, extra: str) -> None:
        super().__init__(
            f"{purpose} needs the optional package {package}: {install_command(extra)} "
            f"(or: pip install {package})",
            name=module,
        )
        self.purpose = purpose
        self.package = package
        self.extra = extra

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments: rebuild through a helper (errors cross processes).
        return (_missing, (self.purpose, self.package, self.name or "", self.extra))


def _missing(purpose: str, package: str, module: str, extra: str) -> MissingDependency:
    return MissingDependency(purpose, package=package, module=module, extra=extra)


def install_command(extra: str) -> str:
    """The pip command that installs conv_anim's ``extra`` as conv_anim is installed.

    Examples
    --------
    >>> install_command("mp4").startswith("pip install ")
    True
    """
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        text = None
    if text:
        origin = json.loads(text)
        url = urlparse(origin.get("url", ""))
        if url.scheme == "file":
            editable = origin.get("dir_info", {}).get("editable", False)
            return f'pip install {"-e " if editable else ""}"{unquote(url.path)}[{extra}]"'
    return f'pip install "conv-anim[{extra}]"'


def available(extra: str) -> bool:
    """Whether the package of ``extra`` is installed (found without importing it)."""
    module, _ = EXTRAS[extra]
    return importlib.util.find_spec(module) is not None


def require(extra: str, feature: str) -> None:
    """Raise :class:`MissingDependency` unless the package of ``extra`` is installed.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS`.
    feature : str
        What needs it, for the message (``"writing .mp4"``).
    """
    if available(extra):
        return
    module, package = EXTRAS[extra]
    raise MissingDependency(feature, package=package, module=module, extra=extra)


__all__ = ["EXTRAS", "MissingDependency", "available", "install_command", "require"]
