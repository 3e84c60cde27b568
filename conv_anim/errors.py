"""The library's one error type: a parameter with a value that is not allowed.

Every invalid argument of the public API raises :class:`ParameterError`, a
``ValueError`` that also carries the parameter's name, the value given and what is
allowed, so that the command line and the Sphinx directive can name their own option
(``-s/--stride``, ``:stride:``) without parsing the message.

>>> try:
...     raise ParameterError.invalid("stride", 0, "an int >= 1")
... except ValueError as error:
...     print(error, "|", error.parameter, error.value, error.allowed)
stride=0 is not valid: expected an int >= 1 | stride 0 an int >= 1
"""

from __future__ import annotations

import numbers
from typing import Any


def describe(value: object) -> str:
    """``repr(value)``, with its type when the type is what is wrong.

    Examples
    --------
    >>> describe(3), describe(2.5), describe("3")
    ('3', '2.5 (float)', "'3' (str)")
    """
    if isinstance(value, (bool, float, str)) or not isinstance(
        value, (numbers.Integral, tuple, list)
    ):
        return f"{value!r} ({type(value).__name__})"
    return repr(value)


class ParameterError(ValueError):
    """An invalid value for one named parameter.

    Parameters
    ----------
    message : str
        The whole message: it names the parameter, the value and what is allowed.
    parameter : str
        The parameter's name as the Python API spells it (``"kernel_size"``).
    value : object
        The value that was given.
    allowed : str
        What would have been accepted, in words (``"an int >= 1"``).

    Attributes
    ----------
    parameter, value, allowed
        As given.
    """

    def __init__(self, message: str, *, parameter: str, value: object, allowed: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.value = value
        self.allowed = allowed

    @classmethod
    def invalid(cls, parameter: str, value: object, allowed: str) -> ParameterError:
        """The usual message: ``"<parameter>=<value> is not valid: expected <allowed>"``."""
        return cls(
            f"{parameter}={describe(value)} is not valid: expected {allowed}",
            parameter=parameter, value=value, allowed=allowed,
        )

    @classmethod
    def choice(cls, parameter: str, value: object, choices: tuple[object, ...]) -> ParameterError:
        """A value that is not one of ``choices``: ``"view='x' is not valid: expected
        one of 'direct', 'scatter'"``."""
        allowed = f"one of {', '.join(map(repr, choices))}"
        return cls(f"{parameter}={value!r} is not valid: expected {allowed}",
                   parameter=parameter, value=value, allowed=allowed)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments: rebuild through a helper so that errors survive
        # pickling (e.g. from a gallery worker process).
        return (_rebuild, (str(self), self.parameter, self.value, self.allowed))


def _rebuild(message: str, parameter: str, value: object, allowed: str) -> ParameterError:
    return ParameterError(message, parameter=parameter, value=value, allowed=allowed)


__all__ = ["ParameterError", "describe"]
