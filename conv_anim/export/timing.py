"""Frame rate and loop count: the one rule every animated format follows.

GIF frame delays are whole centiseconds, and browsers play a delay of 10 ms or less
(1 cs) as 100 ms: ``fps=100`` would play at 10 frames a second. So every writer takes
``fps`` up to 50 (2 cs a frame) and delays each frame by ``100 / fps`` centiseconds,
rounded; WebP, APNG and MP4 use the same delay, so that every format plays alike.

>>> check_fps(4), frame_centiseconds(4), frame_centiseconds(6)
(4.0, 25, 17)
>>> check_fps(100)
Traceback (most recent call last):
...
conv_anim.errors.ParameterError: fps=100 is not valid: expected a number in (0.001526, 50] \
(frames per second); GIF frame delays are whole centiseconds and browsers play delays of \
10 ms or less at 100 ms, so more than 50 frames per second would play slower, not faster
"""

from __future__ import annotations

import math
import numbers

from conv_anim.errors import ParameterError

__all__ = ["MAX_FPS", "MAX_LOOP", "check_fps", "check_loop", "frame_centiseconds"]

#: The highest frame rate: 2 centiseconds a frame.
MAX_FPS = 50
#: GIF delays (centiseconds) and loop counts are 16-bit.
MAX_LOOP = 65535
_MAX_DELAY = 65535
_MIN_FPS = 100 / (_MAX_DELAY + 0.5)
_ALLOWED_FPS = f"a number in ({_MIN_FPS:.4g}, {MAX_FPS}] (frames per second)"
_WHY = (
    "GIF frame delays are whole centiseconds and browsers play delays of 10 ms or less at "
    f"100 ms, so more than {MAX_FPS} frames per second would play slower, not faster"
)


def check_fps(fps: object) -> float:
    """Validate a frame rate as every writer does; return it as a float.

    Parameters
    ----------
    fps : object
        Frames per second.

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        (parameter ``fps``) unless ``fps`` is a finite real number (not a bool) above
        about 0.0015 (a delay of at most 65535 centiseconds) and at most 50.
    """
    frame_centiseconds(fps)
    return float(fps)  # type: ignore[arg-type]  # a numbers.Real, checked above


def frame_centiseconds(fps: object) -> int:
    """The delay of each frame in centiseconds, ``100 / fps`` rounded half up; validated.

    Raises
    ------
    ParameterError
        As :func:`check_fps`.
    """
    if not isinstance(fps, numbers.Real) or isinstance(fps, bool) or not math.isfinite(fps):
        raise ParameterError.invalid("fps", fps, _ALLOWED_FPS)
    if float(fps) > MAX_FPS:
        raise ParameterError(
            f"fps={fps!r} is not valid: expected {_ALLOWED_FPS}; {_WHY}",
            parameter="fps", value=fps, allowed=_ALLOWED_FPS,
        )
    if float(fps) <= 0 or _centiseconds(float(fps)) > _MAX_DELAY:
        raise ParameterError(
            f"fps={fps!r} is not valid: expected {_ALLOWED_FPS}; a frame lasts at most "
            f"{_MAX_DELAY} centiseconds",
            parameter="fps", value=fps, allowed=_ALLOWED_FPS,
        )
    return _centiseconds(float(fps))


def _centiseconds(fps: float) -> int:
    """``100 / fps`` rounded half up."""
    return math.floor(100 / fps + 0.5)


def check_loop(loop: object) -> int:
    """Validate a loop count (0 loops forever, else the number of repetitions).

    Raises
    ------
    ParameterError
        (parameter ``loop``) unless ``loop`` is an int from 0 to 65535.

    Examples
    --------
    >>> check_loop(0)
    0
    """
    if not isinstance(loop, numbers.Integral) or isinstance(loop, bool) or not (
        0 <= int(loop) <= MAX_LOOP
    ):
        raise ParameterError.invalid(
            "loop", loop, f"an int from 0 (loop forever) to {MAX_LOOP} (repeat count)"
        )
    return int(loop)
