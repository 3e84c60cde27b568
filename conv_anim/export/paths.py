"""Output path arguments: validate them, and find the file that a save really writes.

>>> check_path("out/anim.gif")
PosixPath('out/anim.gif')
>>> check_path(b"anim.gif")
Traceback (most recent call last):
...
conv_anim.errors.ParameterError: path=b'anim.gif' (bytes) is not valid: expected a str or \
os.PathLike path (e.g. 'anim.gif' or pathlib.Path('anim.gif'))
"""

from __future__ import annotations

import os
from pathlib import Path

from conv_anim.errors import ParameterError

__all__ = ["check_path", "suffix_of", "write_through"]

_ALLOWED = "a str or os.PathLike path (e.g. 'anim.gif' or pathlib.Path('anim.gif'))"


def check_path(path: object, parameter: str = "path") -> Path:
    """Validate an output path argument and return it as a :class:`~pathlib.Path`.

    Parameters
    ----------
    path : object
        What the caller passed: a ``str`` or an ``os.PathLike`` of ``str``.
    parameter : str
        The argument's name, for the error (``"path"``, ``"folder"``).

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        For ``None``, numbers, ``bytes`` (and byte paths), an empty path, or a path
        holding a NUL character.

    Examples
    --------
    >>> check_path(None)
    Traceback (most recent call last):
    ...
    conv_anim.errors.ParameterError: path=None (NoneType) is not valid: expected a str or \
os.PathLike path (e.g. 'anim.gif' or pathlib.Path('anim.gif'))
    """
    text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if not isinstance(text, str):
        raise ParameterError.invalid(parameter, path, _ALLOWED)
    if not text or "\0" in text:
        raise ParameterError(
            f"{parameter}={text!r} is not valid: expected a non-empty path without NUL "
            f"characters",
            parameter=parameter, value=path, allowed=_ALLOWED,
        )
    return Path(text)


def suffix_of(path: str | os.PathLike[str]) -> str:
    """The lower-case suffix that selects a writer; ``""`` for a folder path.

    A path ending with a separator names a folder whatever its last dot says.

    >>> suffix_of("Anim.GIF"), suffix_of("frames"), suffix_of("v1.0/")
    ('.gif', '', '')
    """
    text = os.fspath(path)
    if text.endswith(("/", os.sep)):
        return ""
    return Path(text).suffix.lower()


def write_through(path: Path) -> Path:
    """The path a save writes: the file a symbolic link points at, else ``path`` itself.

    A chain of links is followed to its end; a dangling link gives the path it points
    at (the save creates that file, as ``open(link, "w")`` would).

    >>> write_through(Path("plain.gif"))
    PosixPath('plain.gif')
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path
