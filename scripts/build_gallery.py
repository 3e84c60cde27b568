"""Build gallery/: every figure of the paper and its repository, with README and web page.

    python scripts/build_gallery.py                 # bring the gallery up to date
    python scripts/build_gallery.py --only padding_strides dilation
    python scripts/build_gallery.py --force --jobs 2
    python scripts/build_gallery.py --check         # exit 1 if the gallery is stale

Figures whose inputs did not change (their definition, conv_anim's sources, the drawing
libraries' versions) are not redrawn. A build can be interrupted at any time: it stops
its worker processes and leaves no temporary file; what a killed build left is removed
by the next one. Two builds of one folder run one after the other.

Exit status: 0 built (with --check: the gallery is up to date); 1 the gallery is out of
date (--check), a file could not be written or a drawing process was killed; 2 bad
arguments; 130 interrupted by
Ctrl-C (128 + the signal's number for SIGTERM, SIGHUP and SIGQUIT: 143, 129, 131).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import NoReturn

os.environ.setdefault("MPLBACKEND", "Agg")

from conv_anim import gallery  # noqa: E402

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
NAME = "build_gallery"
#: The signals that interrupt a build (those this platform has).
INTERRUPTING = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)
)
#: Exit statuses besides 0 and those of signals.
FAILED, BAD_ARGUMENTS = 1, 2


class Interrupted(BaseException):
    """Raised in the main thread by the first interrupting signal (not an ``Exception``,
    so that no ``except Exception`` stops the unwinding)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """Within the block, an interrupting signal raises :class:`Interrupted` so that the
    build unwinds (stopping its workers, removing its temporaries); signals that arrive
    while it unwinds are ignored."""
    received: list[int] = []

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if not received:
            received.append(signum)
            raise Interrupted(signum)

    previous = {number: signal.signal(number, interrupt) for number in INTERRUPTING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(BAD_ARGUMENTS, f"{NAME}: error: {message} (see --help)\n")


def positive_int(text: str) -> int:
    """argparse type: an int >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected an int >= 1")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = Parser(
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=GALLERY,
                        help="gallery folder (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="build only these figures")
    parser.add_argument("--jobs", type=positive_int, default=os.cpu_count() or 1,
                        help="processes to draw in (default: all %(default)s cores)")
    parser.add_argument("--force", action="store_true", help="redraw every figure")
    parser.add_argument("--check", action="store_true",
                        help="rebuild every figure in a temporary folder and compare; exit 1 "
                             "naming each file that differs or is missing")
    args = parser.parse_args(argv)
    if args.check and (args.only or args.force):
        parser.error("--check rebuilds every figure: it takes neither --only nor --force")
    return args


def main(argv: list[str] | None = None) -> int:
    notes = logging.StreamHandler(sys.stderr)
    notes.setFormatter(logging.Formatter(f"{NAME}: %(message)s"))
    logger = logging.getLogger("conv_anim.gallery")
    level = logger.level
    logger.addHandler(notes)
    logger.setLevel(logging.INFO)
    try:
        with signals_interrupt():
            return run(parse_args(argv))
    except Interrupted as interrupted:
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # over a progress line
        print(f"{NAME}: interrupted ({interrupted})", file=sys.stderr)
        return 128 + interrupted.signum
    finally:
        logger.removeHandler(notes)
        logger.setLevel(level)


def run(args: argparse.Namespace) -> int:
    """Build or check as the arguments say; the exit status."""
    start = time.perf_counter()
    try:
        if args.check:
            problems = gallery.check(args.out, jobs=args.jobs)
        else:
            result = gallery.build(args.out, only=args.only, jobs=args.jobs, force=args.force,
                                   progress=gallery.console_progress())
    except ValueError as error:
        print(f"{NAME}: error: {error}", file=sys.stderr)
        return BAD_ARGUMENTS
    except OSError as error:
        print(f"{NAME}: error: {error}", file=sys.stderr)
        return FAILED
    except BrokenProcessPool:  # a worker was killed (the OOM killer, a signal to it)
        print(f"{NAME}: error: a drawing process ended abruptly; the build stopped",
              file=sys.stderr)
        return FAILED
    if args.check:
        for problem in problems:
            print(f"{args.out.name}/{problem}", file=sys.stderr)
        if problems:
            print(f"the gallery is out of date ({len(problems)} files): run "
                  f"python scripts/build_gallery.py", file=sys.stderr)
            return FAILED
        print(f"gallery up to date ({time.perf_counter() - start:.2f} s)")
        return 0
    print(f"drew {len(result.drawn)} figures, {len(result.skipped)} up to date, "
          f"pages written: {', '.join(result.pages) or 'none'} "
          f"({time.perf_counter() - start:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
