"""The two ways an export fails that are not a bad argument: a file that cannot be written,
and an optional package that is not installed.

Bad arguments raise :class:`conv_anim.errors.ParameterError` (a ``ValueError``). A full
disk, a permission problem or an encoder that gives up raises :class:`WriteError`, an
``OSError`` whose message is always ``cannot write PATH: reason``; a missing optional
writer raises :class:`~conv_anim.extras.MissingDependency`, an ``ImportError`` naming the
package to install (defined in :mod:`conv_anim.extras`, re-exported here).

>>> import errno
>>> error = WriteError("out/a.gif", "No space left on device", errno.ENOSPC)
>>> print(error)
cannot write 'out/a.gif': No space left on device
>>> isinstance(error, OSError), error.errno == errno.ENOSPC, error.strerror
(True, True, 'No space left on device')
>>> missing = MissingDependency("writing .mp4", package="imageio-ffmpeg",
...                             module="imageio_ffmpeg", extra="mp4")
>>> str(missing).startswith("writing .mp4 needs the optional package imageio-ffmpeg")
True
"""

from __future__ import annotations

import os
from typing import Any

from conv_anim.extras import MissingDependency

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
