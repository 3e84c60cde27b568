"""Termination signals during a save: unwind (so temporaries are removed), then die as asked.

Python turns SIGINT into ``KeyboardInterrupt``, which unwinds the stack and lets every
``finally`` run; SIGTERM, SIGHUP and SIGQUIT, left at their default action, end the
process at once, leaving a save's temporary file behind. While a save runs in the main
thread, :func:`unwinding_signals` gives those signals (the ones whose handler is the
default) a handler that raises :class:`TerminatedBySignal`; when the outermost save has
cleaned up, the previous handlers are restored and the signal is delivered again, so
that the process still ends as that signal says (same exit status for the parent).
Handlers that the program installed itself are left alone.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["UNWOUND_SIGNALS", "TerminatedBySignal", "unwinding_signals"]

#: The signals handled while a save runs (those this platform has).
UNWOUND_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)
)


class TerminatedBySignal(BaseException):
    """Raised in the main thread when a termination signal arrives during a save.

    A ``BaseException`` (like ``KeyboardInterrupt``), so that ``except Exception``
    blocks do not stop the unwinding. It does not normally reach the caller: once
    the save has cleaned up, the signal is delivered again with its default action.

    Attributes
    ----------
    signum : int
        The signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"terminated by {signal.Signals(signum).name}")
        self.signum = signum


class _State:
    """The main thread's nesting depth, replaced handlers and pending signal."""

    def __init__(self) -> None:
        self.depth = 0
        self.replaced: dict[signal.Signals, signal.Handlers] = {}
        self.pending: int | None = None


_state = _State()


def _raise(signum: int, frame: FrameType | None) -> None:
    """The temporary handler: unwind on the first signal; later ones wait their turn.

    While the handlers are being restored (depth 0) it only records the signal, which
    is then delivered by :func:`_restore`.
    """
    if _state.pending is None:
        _state.pending = signum
        if _state.depth > 0:
            raise TerminatedBySignal(signum)


@contextmanager
def unwinding_signals() -> Iterator[None]:
    """Within the block, default-action termination signals unwind instead of killing.

    Nested blocks share the outermost one's handlers. Outside the main thread (where
    Python cannot set handlers) the block changes nothing.

    Examples
    --------
    >>> with unwinding_signals():
    ...     signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    True
    >>> signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _state.depth += 1
    try:
        if _state.depth == 1:
            _install()
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0:
            _restore()


def _install() -> None:
    for signum in UNWOUND_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_DFL:
            _state.replaced[signum] = signal.signal(signum, _raise)  # type: ignore[assignment]


def _restore() -> None:
    """Put the previous handlers back, then deliver a signal that arrived meanwhile."""
    for signum, handler in _state.replaced.items():
        signal.signal(signum, handler)
    _state.replaced.clear()
    pending, _state.pending = _state.pending, None
    if pending is not None:
        signal.raise_signal(pending)
