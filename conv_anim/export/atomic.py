"""Atomic output: write to a temporary next to the target, then rename it into place.

Every file conv_anim writes goes through :func:`atomic_output` (one file) or
:func:`staged_files` (several files in one folder, e.g. a folder of frames): a failed
or interrupted save leaves the previous file untouched and no temporary behind, and
every failure to write is one :class:`~conv_anim.export.errors.WriteError`
(``cannot write PATH: reason``).

What a save does to the file it replaces:

- A **symbolic link** is written through: the file it points at is replaced (the
  temporary is made next to that file) and the link stays a link.
- The replaced file's **permission bits** are kept (a ``0600`` file stays ``0600``),
  and its owner and group when this process may set them. A new file gets the usual
  ``0666`` less the umask.
- A file with other **hard links** is replaced by a new file (a new inode): the other
  names keep the old content. Writing in place instead would not be atomic.
- The temporary is flushed to disk (``fsync``) before the rename, so that after a
  crash the target holds either its old or its new content.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with atomic_output(Path(folder) / "a.txt") as temp:
...         _ = temp.write_text("hello")
...     print(sorted(p.name for p in Path(folder).iterdir()))
['a.txt']
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from conv_anim.export.errors import WriteError
from conv_anim.export.paths import check_path, write_through
from conv_anim.export.signals import unwinding_signals
from conv_anim.export.temporaries import (
    create_temporary,
    release_temporary,
    remove_stale_temporaries,
)

__all__ = ["StagedFiles", "atomic_output", "check_target", "staged_files"]


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Write to a temporary file, then swap it in for ``path`` on success.

    Parameters
    ----------
    path : str or os.PathLike
        The file to produce (validated with :func:`~conv_anim.export.paths.check_path`).

    Yields
    ------
    Path
        The temporary: an empty, hidden file in the target's folder with the target's
        suffix (see :mod:`conv_anim.export.temporaries`). Write to it.

    Raises
    ------
    ParameterError
        If ``path`` is not a path.
    WriteError
        If ``path`` is a folder, its folder does not exist, or anything in the block
        or the rename fails with an ``OSError`` (full disk, permissions...). Other
        exceptions, ``KeyboardInterrupt`` included, pass through unchanged. In every
        case the temporary is removed and ``path`` is untouched.
    """
    requested = check_path(path)
    target = write_through(requested)
    check_target(requested, target)
    with staged_files(target.parent, requested) as stage:
        temp = stage.new(target.suffix)
        yield temp
        stage.commit(temp, target)


def check_target(requested: Path, target: Path) -> None:
    """Refuse a target that is a folder, or whose folder does not exist.

    Parameters
    ----------
    requested : Path
        The path as given, for the message.
    target : Path
        The path written (after :func:`~conv_anim.export.paths.write_through`).

    Raises
    ------
    WriteError
        With ``errno`` ``EISDIR`` or ``ENOENT``.
    """
    if target.is_dir():
        raise WriteError(requested, "it is a folder, expected a file path", errno.EISDIR)
    if not target.parent.is_dir():
        raise WriteError(
            requested, f"its folder {str(target.parent)!r} does not exist", errno.ENOENT
        )


class StagedFiles:
    """Temporaries in one folder, each renamed over its target when committed.

    Made by :func:`staged_files`, which removes every temporary not committed when
    the block ends.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: list[Path] = []

    def new(self, suffix: str = "") -> Path:
        """A new empty temporary in the folder (keeping a short ``suffix``)."""
        return create_temporary(self.folder, suffix, self._pending)

    def commit(self, temp: Path, target: Path) -> None:
        """Flush ``temp`` to disk, give it ``target``'s permissions, rename it over ``target``.

        Parameters
        ----------
        temp : Path
            A temporary from :meth:`new`.
        target : Path
            Its final path, in the same folder (symbolic links already followed).
        """
        _keep_permissions(temp, target)
        descriptor = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temp, target)
        self._pending.remove(temp)
        release_temporary(temp, remove=False)

    def discard(self) -> None:
        """Remove every temporary not committed (errors ignored: best effort)."""
        for temp in self._pending:
            with suppress(OSError):
                release_temporary(temp, remove=True)
        self._pending.clear()


@contextmanager
def staged_files(folder: Path, shown: str | os.PathLike[str]) -> Iterator[StagedFiles]:
    """Stage files in ``folder``; on any failure, remove the uncommitted ones.

    Stale temporaries of dead processes in ``folder`` are removed first. While the
    block runs in the main thread, termination signals unwind it
    (:func:`~conv_anim.export.signals.unwinding_signals`).

    Parameters
    ----------
    folder : Path
        An existing folder.
    shown : str or os.PathLike
        The path named in a :class:`~conv_anim.export.errors.WriteError`.

    Yields
    ------
    StagedFiles

    Raises
    ------
    WriteError
        For any ``OSError`` in the block (the temporaries are removed first).
    """
    with unwinding_signals():
        remove_stale_temporaries(folder)
        stage = StagedFiles(folder)
        try:
            yield stage
        except WriteError:
            stage.discard()
            raise
        except OSError as error:
            stage.discard()
            raise WriteError.from_error(shown, error) from error
        except BaseException:
            stage.discard()
            raise
        stage.discard()


def _keep_permissions(temp: Path, target: Path) -> None:
    """Give ``temp`` the mode bits (and, where allowed, owner) of an existing ``target``."""
    try:
        current = os.stat(target)
    except FileNotFoundError:
        return
    mine = os.stat(temp)
    if (mine.st_uid, mine.st_gid) != (current.st_uid, current.st_gid) and hasattr(os, "chown"):
        # Before chmod: a change of owner clears set-id bits. Where it is not allowed,
        # the new file keeps this process's owner.
        with suppress(OSError):
            os.chown(temp, current.st_uid, current.st_gid)
    os.chmod(temp, stat.S_IMODE(current.st_mode))
