"""Frames as the writers take them: validated RGB(A) pixels, and where each one changed.

Frames arrive one at a time as ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8`` arrays
(alpha ignored: frames are opaque), all of the same shape, or as :class:`Frame` values
that also say where the picture changed since the previous frame.

>>> import numpy as np
>>> frames = [np.zeros((2, 3, 3), np.uint8), np.ones((2, 3, 3), np.uint8)]
>>> [pixels.shape for pixels, hint in checked_frames(frames)]
[(2, 3, 3), (2, 3, 3)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from conv_anim.errors import ParameterError

__all__ = [
    "Box",
    "ChangeTracker",
    "Frame",
    "Patch",
    "bounding_box",
    "changed_patches",
    "checked_frames",
    "rgb_copy",
    "rgb_frame",
]

#: ``(rows, columns)`` slices of a frame.
Box = tuple[slice, slice]

_SHAPES = "(height, width, 3) RGB or (height, width, 4) RGBA uint8 pixels"


def rgb_copy(rgba: np.ndarray) -> np.ndarray:
    """A contiguous ``(H, W, 3)`` copy of the colour channels of ``(H, W, 4)`` pixels.

    Copied one channel at a time: about four times faster than ``rgba[..., :3].copy()``,
    whose innermost run of three bytes defeats numpy's fast copy loops.

    >>> import numpy as np
    >>> rgba = np.arange(2 * 2 * 4, dtype=np.uint8).reshape(2, 2, 4)
    >>> bool((rgb_copy(rgba) == rgba[..., :3]).all()), rgb_copy(rgba).flags.c_contiguous
    (True, True)
    """
    rgb = np.empty(rgba.shape[:2] + (3,), rgba.dtype)
    for channel in range(3):
        rgb[..., channel] = rgba[..., channel]
    return rgb


def rgb_frame(frame: object, number: int | None = None, parameter: str = "frame") -> np.ndarray:
    """Validate one frame as ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8``, ``H, W >= 1``.

    Parameters
    ----------
    frame : array_like
        The pixels.
    number : int, optional
        The frame's number in a sequence, for messages.
    parameter : str
        The argument's name, for the error.

    Returns
    -------
    numpy.ndarray
        The pixels as an array (no copy when ``frame`` is one).

    Raises
    ------
    ParameterError
        For another dtype or shape.

    Examples
    --------
    >>> rgb_frame(np.zeros((2, 2), np.uint8))
    Traceback (most recent call last):
    ...
    conv_anim.errors.ParameterError: frame has shape (2, 2) and dtype uint8: expected \
(height, width, 3) RGB or (height, width, 4) RGBA uint8 pixels
    """
    rgb = np.asarray(frame)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] not in (3, 4) or 0 in rgb.shape:
        name = "frame" if number is None else f"frame {number}"
        raise ParameterError(
            f"{name} has shape {rgb.shape} and dtype {rgb.dtype}: expected {_SHAPES}",
            parameter=parameter, value=f"an array of shape {rgb.shape}", allowed=_SHAPES,
        )
    return rgb


@dataclass(frozen=True)
class Frame:
    """A frame with a hint of where it changed since the previous one.

    Writers accept plain ``(H, W, 3)`` arrays or ``Frame`` objects. A renderer that
    knows what it redrew passes the box, and the writers then compare only inside it
    instead of across the whole frame.

    Attributes
    ----------
    pixels : numpy.ndarray
        ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8`` pixels, alpha ignored (may be
        a view of a reused buffer).
    changed : tuple of slice
        ``(rows, columns)``: every pixel outside this box equals the previous frame's.

    Examples
    --------
    >>> Frame(np.zeros((4, 4, 3), np.uint8), (slice(1, 2), slice(0, 4))).changed
    (slice(1, 2, None), slice(0, 4, None))
    """

    pixels: np.ndarray
    changed: Box


def checked_frames(frames: Iterable[np.ndarray | Frame]) -> Iterator[tuple[np.ndarray, Box | None]]:
    """Validate frames as they stream: all must have frame 0's shape; refuse none.

    Parameters
    ----------
    frames : iterable of numpy.ndarray or Frame
        The frames, consumed one at a time.

    Yields
    ------
    tuple of (numpy.ndarray, Box or None)
        Each frame's pixels and its change hint (None for a plain array).

    Raises
    ------
    ParameterError
        (parameter ``frames``) for a frame that is not RGB(A) ``uint8``, a frame whose
        shape differs from frame 0's, or no frames at all.
    """
    shape = None
    for number, frame in enumerate(frames):
        hint = frame.changed if isinstance(frame, Frame) else None
        pixels = frame.pixels if isinstance(frame, Frame) else frame
        rgb = rgb_frame(pixels, number, parameter="frames")
        shape = shape or rgb.shape
        if rgb.shape != shape:
            raise ParameterError(
                f"frame {number} has shape {rgb.shape} but frame 0 has shape {shape}: "
                f"all frames must have the same shape",
                parameter="frames", value=f"frames of shapes {shape} and {rgb.shape}",
                allowed="frames of one shape",
            )
        yield rgb, hint
    if shape is None:
        raise ParameterError(
            "no frames to write: the frame iterable is empty",
            parameter="frames", value="no frames", allowed="at least one frame",
        )


def bounding_box(mask: np.ndarray) -> Box | None:
    """Row and column slices bounding the true pixels of a 2-D mask; None if there are none.

    >>> bounding_box(np.array([[0, 0, 0], [0, 1, 1]], bool))
    (slice(1, 2, None), slice(1, 3, None))
    """
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(mask[top:bottom].any(axis=0))
    return slice(top, bottom), slice(int(cols[0]), int(cols[-1]) + 1)


class ChangeTracker:
    """The RGB picture shown so far, and the box where each new frame changes it.

    Keeps one copy of a frame (for truecolour writers that store only what changed).

    Parameters
    ----------
    first : numpy.ndarray
        Frame 0, validated (``(H, W, 3)`` or ``(H, W, 4)`` ``uint8``).

    Examples
    --------
    >>> shown = ChangeTracker(np.zeros((4, 5, 3), np.uint8))
    >>> after = np.zeros((4, 5, 3), np.uint8); after[1, 2] = 9
    >>> shown.update(after, None)
    (slice(1, 2, None), slice(2, 3, None))
    >>> shown.update(after, None) is None
    True
    """

    def __init__(self, first: np.ndarray) -> None:
        self.shown = np.array(first[..., :3])

    def update(self, rgb: np.ndarray, hint: Box | None) -> Box | None:
        """Show ``rgb``; return the box where it differs from the previous picture.

        Parameters
        ----------
        rgb : numpy.ndarray
            The next frame, of frame 0's shape.
        hint : Box or None
            Where it may differ (None: anywhere).

        Returns
        -------
        Box or None
            Absolute row and column slices, or None when nothing changed.
        """
        height, width = self.shown.shape[:2]
        rows, cols = hint if hint is not None else (slice(0, height), slice(0, width))
        top, left = rows.indices(height)[0], cols.indices(width)[0]
        changed = (rgb[rows, cols, :3] != self.shown[rows, cols]).any(axis=2)
        local = bounding_box(changed)
        if local is None:
            return None
        box = (
            slice(top + local[0].start, top + local[0].stop),
            slice(left + local[1].start, left + local[1].stop),
        )
        self.shown[box] = rgb[box][..., :3]
        return box


@dataclass(frozen=True)
class Patch:
    """The part of a frame to store: its pixels and where they go.

    Attributes
    ----------
    top, left : int
        Position of the patch in the frame.
    pixels : numpy.ndarray
        ``(h, w, 3)`` ``uint8`` RGB pixels (a view; valid until the next patch).
    """

    top: int
    left: int
    pixels: np.ndarray


def changed_patches(frames: Iterable[np.ndarray | Frame], align: int = 1) -> Iterator[Patch]:
    """Validate frames and give, for each, the patch where it changed (the first: whole).

    For truecolour formats that store each frame as a rectangle drawn over the previous
    picture (APNG, animated WebP). An unchanged frame gives its top-left pixel.

    Parameters
    ----------
    frames : iterable of numpy.ndarray or Frame
        As for :func:`checked_frames`.
    align : int
        Patches start at multiples of ``align`` (WebP offsets are even).

    Yields
    ------
    Patch

    Examples
    --------
    >>> still = np.zeros((4, 5, 3), np.uint8)
    >>> moved = still.copy(); moved[3, 3] = 200
    >>> [(p.top, p.left, p.pixels.shape) for p in changed_patches([still, moved], align=2)]
    [(0, 0, (4, 5, 3)), (2, 2, (2, 2, 3))]
    """
    checked = checked_frames(frames)
    first, _ = next(checked)
    tracker = ChangeTracker(first)
    yield Patch(0, 0, tracker.shown)
    for rgb, hint in checked:
        box = tracker.update(rgb, hint) or (slice(0, 1), slice(0, 1))
        top = box[0].start - box[0].start % align
        left = box[1].start - box[1].start % align
        yield Patch(top, left, tracker.shown[top : box[0].stop, left : box[1].stop])
