"""The ``conv-anim`` command line: draw a convolution, the paper's figures, or its arithmetic.

::

    conv-anim conv -i 5 -k 3 -s 2 -p 1 -o padding_strides.gif
    conv-anim paper padding_strides_transposed -o figure.pdf --filmstrip
    conv-anim list
    conv-anim info padding_strides_transposed

``python -m conv_anim`` is the same program. ``list`` and ``info`` never import
matplotlib: they answer instantly. Every error is one line on stderr,
``conv-anim: error: <message>``, with exit status 2 for invalid arguments, 1 for a file
that cannot be read or written, 3 for a missing optional package, 130 when interrupted;
the library writes atomically, so a failed run leaves no partial output. On success one
line on stderr says what was written (``--quiet`` silences it).
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from conv_anim.cli.draw import run_conv, run_paper
from conv_anim.cli.messages import INTERRUPTED, PROG, USAGE_ERROR, CliError
from conv_anim.cli.parser import build_parser
from conv_anim.cli.text import catalog_lines, run_info, run_list, run_solve

#: Signals that end a run like Ctrl-C, so that nothing half-written is left behind.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def parser() -> argparse.ArgumentParser:
    """The ``conv-anim`` argument parser."""
    # Each command's function is looked up when the command runs, not when the parser is
    # built (once per process, by main).
    return build_parser({
        "conv": lambda args: run_conv(args), "paper": lambda args: run_paper(args),
        "list": lambda args: run_list(args), "info": lambda args: run_info(args),
        "solve": lambda args: run_solve(args),
    })


@functools.cache
def _command_line() -> argparse.ArgumentParser:
    """The parser :func:`main` uses, built once per process (a parse changes no state of
    it): a program or a notebook that calls ``main`` many times builds it once, not each
    time (3 ms)."""
    return parser()


class _Stops:
    """The stop signals received while a command runs; each unwinds like Ctrl-C.

    They are recorded because the ``KeyboardInterrupt`` may surface as another error:
    raised while a C extension runs Python code (matplotlib's Agg renderer converting
    an argument), it is replaced by that extension's own error ("Invalid bounding box").
    """

    def __init__(self) -> None:
        self.received: list[int] = []

    def __call__(self, signum: int, frame: object) -> None:
        self.received.append(signum)
        raise KeyboardInterrupt


@contextmanager
def _stop_signals_unwind() -> Iterator[_Stops]:
    """While running, stop signals (and Ctrl-C, unless ignored) raise KeyboardInterrupt
    and are recorded (main thread only)."""
    stops = _Stops()
    previous = {}
    ctrl_c = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    try:
        for number in ([signal.SIGINT] if ctrl_c else []) + list(STOP_SIGNALS):
            previous[number] = signal.signal(number, stops)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield stops
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``conv-anim``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments, without the program name. Default: ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 1 if a file cannot be read or written, 2 for
        invalid arguments, 3 for a missing optional package, 130 if interrupted.
        Errors are printed as one line on stderr, ``conv-anim: error: <message>``.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    command_line = _command_line()
    if not arguments:
        command_line.print_help(sys.stderr)
        return USAGE_ERROR
    with _stop_signals_unwind() as stops:
        try:
            args = command_line.parse_args(arguments)
            if args.command is None:
                command_line.print_help(sys.stderr)
                return USAGE_ERROR
            status: int = args.handler(args)
            return status
        except CliError as error:
            if stops.received:  # the interruption surfaced as this error
                print(f"{PROG}: interrupted", file=sys.stderr)
                return INTERRUPTED
            message = str(error).replace("\n", " ")
            print(f"{PROG}: error: {message}", file=sys.stderr)
            return error.status
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=sys.stderr)
            return INTERRUPTED
        except BrokenPipeError:  # e.g. `conv-anim list | head`: the reader left; not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except SystemExit as exit_:  # --help and --version
            return int(exit_.code or 0)


__all__ = ["catalog_lines", "main", "parser"]
