"""The two ways an export fails that are not a bad argument: a file that cannot be written,
and an optional package that is not installed.

Bad arguments raise :class:`conv_anim.errors.ParameterError` (a ``ValueError``). A full
disk, a permission problem or an encoder that gives up raises :class:`WriteError`, an
``OSError`` whose message is always ``cannot write PATH: reason``; a missing optional
writer raises :class:`MissingDependency`, an ``ImportError`` naming the package to install.

>>> import errno
>>> error = WriteError("out/a.gif", "No space left on device", errno.ENOSPC)
>>> print(error)
cannot write 'out/a.gif': No space left on device
>>> isinstance(error, OSError), error.errno == errno.ENOSPC, error.strerror
(True, True, 'No space left on device')
>>> missing = MissingDependency("writing .mp4", package="imageio-ffmpeg",
...                             module="imageio_ffmpeg", extra="mp4")
>>> print(missing)  # doctest: +NORMALIZE_WHITESPACE
writing .mp4 needs the optional package imageio-ffmpeg: pip install imageio-ffmpeg
(or the extra conv-anim[mp4])
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["MissingDependency", "WriteError"]


class WriteError(OSError):
    """A file or folder could not be written; the previous one, if any, is untouched.

    Parameters
    ----------
    path : str or os.PathLike
        The path the caller asked for (before symbolic links are followed).
    reason : str
        Why, in a few words (``"No space left on device"``, ``"ffmpeg failed: ..."``).
    code : int, optional
        The ``errno`` of the underlying failure, when there is one.

    Attributes
    ----------
    errno, strerror, filename
        As for every ``OSError``: the code, the reason and the path.
    path : str
        The path, as text.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, code: int | None = None) -> None:
        text = os.fspath(path)
        super().__init__(f"cannot write {text!r}: {reason}")
        self.path = text
        self.errno = code
        self.strerror = reason
        self.filename = text

    def __str__(self) -> str:
        return f"cannot write {self.path!r}: {self.strerror}"

    def __reduce__(self) -> tuple[Any, ...]:
        # OSError pickles its constructor arguments by position; rebuild from ours
        # (e.g. for an error raised in a gallery worker process).
        return (type(self), (self.path, self.strerror, self.errno))

    @classmethod
    def from_error(cls, path: str | os.PathLike[str], error: BaseException) -> WriteError:
        """The one-line error for ``path`` from any lower-level failure.

        An ``OSError`` gives its ``strerror`` (``"No space left on device"``) and
        ``errno``; anything else its message.

        >>> print(WriteError.from_error("a.gif", PermissionError(13, "Permission denied")))
        cannot write 'a.gif': Permission denied
        """
        if isinstance(error, WriteError):
            return cls(path, error.strerror or str(error), error.errno)
        if isinstance(error, OSError):
            reason = error.strerror or str(error) or type(error).__name__
            return cls(path, reason, error.errno)
        return cls(path, str(error) or type(error).__name__)


class MissingDependency(ImportError):
    """An optional package that a writer needs is not installed.

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
    package, extra, name
        As given (``name`` is the module).
    """

    def __init__(self, purpose: str, *, package: str, module: str, extra: str) -> None:
        super().__init__(
            f"{purpose} needs the optional package {package}: pip install {package} "
            f"(or the extra conv-anim[{extra}])",
            name=module,
        )
        self.purpose = purpose
        self.package = package
        self.extra = extra

    def __reduce__(self) -> tuple[Any, ...]:
        return (_missing, (self.purpose, self.package, self.name or "", self.extra))


def _missing(purpose: str, package: str, module: str, extra: str) -> MissingDependency:
    return MissingDependency(purpose, package=package, module=module, extra=extra)

