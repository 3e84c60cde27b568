"""Temporary files of a save: short recognisable names, and the removal of stale ones.

A temporary is a hidden file next to the file it will become, named
``.conv_anim-<pid>-<8 hex digits>.tmp<suffix>`` (about 40 characters whatever the
target's name, so that a target name of up to 255 characters works). The pid is the
writer's: a temporary whose writer is no longer alive was left by a hard kill (SIGKILL,
a power loss) and is removed by the next save to that folder
(:func:`remove_stale_temporaries`), never one that a running save is still writing.

>>> bool(TEMPORARY_NAME.fullmatch(".conv_anim-4242-0a1b2c3d.tmp.gif"))
True
>>> bool(TEMPORARY_NAME.fullmatch(".anim.gif.0a1b2c3d.tmp.gif"))
False
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from pathlib import Path

__all__ = [
    "STALE_SECONDS",
    "TEMPORARY_NAME",
    "create_temporary",
    "release_temporary",
    "remove_stale_temporaries",
]

#: The name of every temporary file; ``pid`` is the writing process.
TEMPORARY_NAME = re.compile(
    r"\.conv_anim-(?P<pid>[1-9][0-9]{0,9})-[0-9a-f]{8}\.tmp(\.[a-z0-9]{1,8})?"
)
#: A temporary not modified for this long is stale whatever its pid says (the pid may
#: have been reused by an unrelated process, or belong to another machine).
STALE_SECONDS = 24 * 3600
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")

_active: set[str] = set()  # absolute paths of the temporaries this process is writing
_lock = threading.Lock()


def create_temporary(folder: Path, suffix: str = "", pending: list[Path] | None = None) -> Path:
    """Create a new, empty temporary file in ``folder`` and return its path.

    Parameters
    ----------
    folder : Path
        Where the target will be (the temporary must be on the same file system).
    suffix : str
        The target's suffix, kept when short (1 to 8 letters or digits), so that
        encoders that choose a container by the name (ffmpeg) see it.
    pending : list of Path, optional
        Where the caller keeps the temporaries it must remove on failure: the name is
        added before the file is created, so that a signal arriving at any moment
        (Python runs handlers between bytecodes) never leaves an unlisted file.

    Returns
    -------
    Path
        The temporary, created with mode ``0o666`` less the umask, and registered as
        this process's until :func:`release_temporary`.

    Raises
    ------
    OSError
        If the folder cannot be written.
    """
    kept = suffix.lower() if _SUFFIX.fullmatch(suffix.lower()) else ""
    while True:
        temp = folder / f".conv_anim-{os.getpid()}-{secrets.token_hex(4)}.tmp{kept}"
        with _lock:
            _active.add(os.path.abspath(temp))
            if pending is not None:
                pending.append(temp)
            try:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            except FileExistsError:
                _active.discard(os.path.abspath(temp))
                if pending is not None:
                    pending.remove(temp)
                continue
        return temp


def release_temporary(temp: Path, *, remove: bool) -> None:
    """Stop tracking ``temp`` (once renamed into place, or to delete it with ``remove``)."""
    if remove:
        temp.unlink(missing_ok=True)
    with _lock:
        _active.discard(os.path.abspath(temp))


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporaries in ``folder`` that no running save is writing.

    A temporary is stale when its writer's pid is not a running process, when it
    carries this process's pid but this process is not writing it (a previous process
    with the same pid, e.g. in a container), or when it has not changed for
    :data:`STALE_SECONDS`. Files that cannot be removed are left (e.g. another user's).

    Parameters
    ----------
    folder : Path
        The folder to clean (nothing happens if it cannot be listed).

    Returns
    -------
    list of Path
        The temporaries removed.

    Notes
    -----
    A save on another machine sharing the folder (a network file system) is judged by
    a pid of this machine, so its temporaries may be removed while it runs; its save
    then fails cleanly ("cannot write").
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMPORARY_NAME.fullmatch(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if _is_stale(os.path.abspath(entry.path), int(match["pid"]), old):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _is_stale(path: str, pid: int, old: bool) -> bool:
    """Whether a temporary of process ``pid`` is no longer being written."""
    with _lock:
        if path in _active:
            return False
    if pid == os.getpid():
        return True
    return old or not _running(pid)


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (True when it cannot be known)."""
    if os.name != "posix":  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, as another user's process
        return True
    return True
