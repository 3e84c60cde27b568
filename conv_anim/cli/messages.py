"""What the command line says: its errors (one line, with an exit status), the library's
errors in the command line's own words, and "did you mean" suggestions.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from conv_anim.errors import ParameterError
from conv_anim.options import OPTIONS
from conv_anim.request import OptionError, in_words

PROG = "conv-anim"
#: Exit statuses.
OK = 0
IO_ERROR = 1
USAGE_ERROR = 2
MISSING_DEPENDENCY = 3
INTERRUPTED = 130


class CliError(Exception):
    """A problem reported as the single line ``conv-anim: error: <message>``.

    Parameters
    ----------
    message : str
        What is wrong: the option, the value and what is allowed.
    status : int
        The exit status: :data:`USAGE_ERROR` (2) for invalid arguments, :data:`IO_ERROR`
        (1) for a file that cannot be read or written, :data:`MISSING_DEPENDENCY` (3) for
        an optional package that is not installed.
    """

    def __init__(self, message: str, status: int = USAGE_ERROR) -> None:
        super().__init__(message)
        self.status = status


#: The short forms of options.
SHORT = {o.name: o.short for o in OPTIONS.values() if o.short}


def spell(name: str) -> str:
    """An option as the command line writes it: ``-k/--kernel-size``, ``--transposed``,
    ``-o/--output``.

    Examples
    --------
    >>> spell("kernel-size"), spell("output-padding")
    ('-k/--kernel-size', '--output-padding')
    """
    if name == "output":
        return "-o/--output"
    return f"{SHORT[name]}/--{name}" if name in SHORT else f"--{name}"


def in_cli_words(error: ParameterError) -> str:
    """A library error as the command line says it (:func:`conv_anim.request.in_words`).

    Examples
    --------
    >>> in_cli_words(ParameterError.invalid("stride", 0, "an int >= 1"))
    '-s/--stride 0 is not valid: expected an int >= 1'
    """
    return in_words(error, spell)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``did you mean 'a', 'b' or 'c'?`` for up to three close matches, or ``""``.

    Examples
    --------
    >>> did_you_mean("padding_strides_od", ["padding_strides_odd", "padding_strides"])
    "did you mean 'padding_strides_odd' or 'padding_strides'?"
    """
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    quoted = [repr(c) for c in close]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"did you mean {listed}?"


def options_of(args: argparse.Namespace) -> dict[str, Any]:
    """The parsed options by their names as :mod:`conv_anim.options` spells them."""
    return {name.replace("_", "-"): value for name, value in vars(args).items()}


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's errors into a :class:`CliError` naming the option as typed."""
    try:
        yield
    except OptionError as error:
        status = IO_ERROR if error.unreadable else USAGE_ERROR
        raise CliError(error.render(spell), status) from None
    except ParameterError as error:
        raise CliError(in_cli_words(error)) from None
    except ValueError as error:
        raise CliError(str(error)) from None


__all__ = [
    "INTERRUPTED", "IO_ERROR", "MISSING_DEPENDENCY", "OK", "PROG", "USAGE_ERROR", "CliError",
    "did_you_mean", "in_cli_words", "library_errors", "options_of", "spell",
]
