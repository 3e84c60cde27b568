"""Worker processes for the gallery build that never outlive the process that started them.

:func:`run_in_workers` runs a function over items in forked worker processes
(:class:`~concurrent.futures.ProcessPoolExecutor`). However the build ends, its
workers end with it:

- **The build is killed** (SIGKILL, the OOM killer, a crash), so that no code of it
  runs: every worker holds the read end of a *lifeline* pipe whose only write end
  is the build's. The kernel closes that end when the build's process ends, the
  worker's lifeline thread reads end-of-file at once and ends the worker. On Linux
  each worker also asks the kernel to kill it when its parent ends
  (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), which holds even while the worker's
  Python is busy in C code and its lifeline thread cannot run. A worker forked
  just before the build died sees a new parent pid and ends at once.
- **The build stops early** (an exception, Ctrl-C, a signal the program turned into
  an exception): it closes the lifeline itself, so every worker ends, and waits for
  them before the exception goes on.
- **Ctrl-C at a terminal** reaches every process of the foreground group: workers
  ignore SIGINT (and start with SIGTERM, SIGHUP and SIGQUIT at their default
  action), so only the build reacts, and no worker prints a traceback.

Rejected: a pool killed in a ``finally`` block or a signal handler (nothing runs in
the build under SIGKILL); workers polling ``os.getppid()`` (a delay, and a thread
waking up forever); ``PR_SET_PDEATHSIG`` alone (Linux only, and the build could
not ask its workers to stop). A worker ended this way leaves the temporary file it
was writing; the build removes those once its workers are gone
(:mod:`conv_anim.gallery.folder`).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing.connection import Connection
from typing import TypeVar

__all__ = ["run_in_workers"]

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Signals that end a process and that a worker leaves to their default action.
ENDING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)
#: The exit status of a worker ended because its build ended.
ORPHANED = 70
_HELD_BACK = {signal.SIGINT, *ENDING_SIGNALS}
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def run_in_workers(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    finished: Callable[[Result], None],
) -> None:
    """Call ``function(item)`` for every item in ``jobs`` forked worker processes.

    Parameters
    ----------
    function : callable
        A module-level function (the workers find it by name).
    items : sequence
        Its arguments, one call each, started in this order.
    jobs : int
        The number of worker processes (at least 1).
    finished : callable
        Called in this process with each result, in the order the calls finish.

    Raises
    ------
    BaseException
        The first exception of a call, or one raised here while waiting (such as
        ``KeyboardInterrupt``); every worker has ended by then.

    Examples
    --------
    >>> done = []
    >>> run_in_workers(abs, [-2, 3, -1], 2, done.append)
    >>> sorted(done)
    [1, 2, 3]
    """
    context = multiprocessing.get_context("fork")
    lifeline, build_end = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker,
        initargs=(os.getpid(), lifeline, build_end),
    )
    try:
        with _signals_blocked():  # the first submit forks every worker
            futures = [pool.submit(function, item) for item in items]
        lifeline.close()
        for future in as_completed(futures):
            finished(future.result())
    except BaseException:
        build_end.close()  # every worker's lifeline ends: they exit now
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        lifeline.close()
        build_end.close()


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold back ending signals while workers are forked (they are delivered after).

    A worker starts with them blocked, so that none arrives before it has set its
    own handlers (the build's, inherited by the fork, would raise in the worker).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are delivered to the main thread only
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_BACK)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(build: int, lifeline: Connection, build_end: Connection) -> None:
    """Worker initialiser: end with the build, and leave signals to it."""
    build_end.close()  # the build's copy must be the only write end
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in ENDING_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    _ask_to_die_with_parent()
    if os.getppid() != build:  # the build ended before this worker asked
        os._exit(ORPHANED)
    threading.Thread(target=_hold_lifeline, args=(lifeline,), daemon=True).start()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_BACK)


def _hold_lifeline(lifeline: Connection) -> None:
    """Wait for the build's end of the lifeline to close, then end this worker."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(ORPHANED)


def _ask_to_die_with_parent() -> None:
    """On Linux, have the kernel send SIGKILL to this process when its parent ends."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # no libc or prctl: the lifeline stays
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
