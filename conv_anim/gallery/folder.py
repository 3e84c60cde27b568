"""A gallery folder during a build: one build at a time, and no leftovers of killed ones.

A build holds an exclusive lock on the folder itself (:func:`locked`: ``flock`` on a
descriptor of the folder) from before it reads the manifest until it has written the
pages. Its worker processes are forked while it holds the lock and share the locked
descriptor, so the lock is released only when the build *and every worker* have
ended, however they ended (the kernel releases it when the last descriptor closes).
A second build of the same folder waits for it.

Holding the lock, a build knows that no other build writes into the folder, so every
temporary file of conv_anim's atomic writes found there (:func:`is_leftover`) was
left by a build that was killed, and :func:`remove_leftovers` deletes it: before a
build draws anything, and when it ends (also when interrupted, once its workers are
gone). The folder belongs to the build: a save by another program into it at the
same moment may lose its temporary file (that save then fails, "cannot write").
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

if sys.platform != "win32":
    import fcntl

__all__ = ["TEMPORARY", "is_leftover", "locked", "remove_leftovers"]

logger = logging.getLogger("conv_anim.gallery")

#: The names conv_anim's atomic writes give their temporary files, next to the target:
#: ``.conv_anim-<pid>-<8 hex>.tmp<suffix>`` (short, whatever the target's name),
#: ``.<name>.<8 hex>.tmp<suffix>`` (the earlier naming), and the fixed
#: ``.<page>.tmp`` through which gallery pages were once written.
TEMPORARY = re.compile(
    r"\.conv_anim-[1-9][0-9]{0,9}-[0-9a-f]{8}\.tmp(\.[a-z0-9]{1,8})?"
    r"|\..+\.[0-9a-f]{8}\.tmp(\.[A-Za-z0-9]{1,8})?"
    r"|\.(README\.md|index\.html|manifest\.json)\.tmp"
)
#: ``flock`` errors that mean the file system cannot lock: build without the lock.
_NO_LOCKING = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL})


def is_leftover(name: str) -> bool:
    """Whether a file name is that of a temporary file of conv_anim's atomic writes.

    >>> is_leftover(".conv_anim-4242-0a1b2c3d.tmp.gif")
    True
    >>> is_leftover(".dilation.gif.0a1b2c3d.tmp.gif")
    True
    >>> is_leftover("dilation.gif"), is_leftover(".notes.tmp")
    (False, False)
    """
    return TEMPORARY.fullmatch(name) is not None


def remove_leftovers(folder: Path) -> list[str]:
    """Delete the temporary files that interrupted builds left in ``folder``.

    Call it while holding :func:`locked`; nothing but regular files whose name is a
    temporary's (:func:`is_leftover`) is touched, and a file that cannot be removed
    is left (it is reported by the gallery's check).

    Parameters
    ----------
    folder : Path
        A gallery folder.

    Returns
    -------
    list of str
        The names of the files removed, sorted.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     folder = Path(name)
    ...     _ = (folder / ".README.md.tmp").write_text("half a page")
    ...     _ = (folder / "README.md").write_text("a page")
    ...     print(remove_leftovers(folder), sorted(p.name for p in folder.iterdir()))
    ['.README.md.tmp'] ['README.md']
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not is_leftover(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
    return sorted(removed)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (waiting for another build to finish).

    Where the platform or the file system cannot lock, the block runs unlocked:
    concurrent builds of one folder are then not safe.

    Parameters
    ----------
    folder : Path
        An existing folder.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as name, locked(Path(name)):
    ...     print("only this build writes here")
    only this build writes here
    """
    if sys.platform == "win32":  # no flock
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        _lock(descriptor, folder)
        yield
    finally:
        os.close(descriptor)  # the lock goes once the workers' copies are closed too


def _lock(descriptor: int, folder: Path) -> None:
    """Lock ``descriptor`` exclusively, waiting if needed (not at all if the file system
    cannot lock)."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        logger.warning("waiting for another build of %s to finish", folder)
    except OSError as error:
        if error.errno in _NO_LOCKING:
            return
        raise
    fcntl.flock(descriptor, fcntl.LOCK_EX)
