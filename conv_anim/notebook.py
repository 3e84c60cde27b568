"""Jupyter display: an animation as an inline GIF, a PNG, or a player with controls.

Everything is self-contained HTML (data URIs, a few lines of inline script): it works
offline and in exported notebooks. The interactive player itself is built by
:mod:`conv_anim.player`; this module keeps inline media to a size a notebook can hold.
"""

from __future__ import annotations

import base64
import html
import io
import warnings

import numpy as np
from PIL import Image

#: Inline media above this many bytes trigger a warning (notebooks get slow to save).
SIZE_WARNING = 10 * 2**20


def png_bytes(frame: np.ndarray) -> bytes:
    """One RGB frame as PNG bytes."""
    stream = io.BytesIO()
    Image.fromarray(frame).save(stream, format="PNG")
    return stream.getvalue()


def _data_uri(kind: str, data: bytes) -> str:
    if len(data) > SIZE_WARNING:
        warnings.warn(
            f"the inline animation is {len(data) / 2**20:.1f} MiB: save it to a file "
            f"(Animation.save) and display that instead to keep the notebook small",
            stacklevel=3,
        )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def checked_size(markup: str) -> str:
    """``markup``, with a warning when it is too large to keep in a notebook.

    Examples
    --------
    >>> checked_size("<p>small</p>")
    '<p>small</p>'
    """
    if len(markup) > SIZE_WARNING:
        warnings.warn(
            f"the inline player is {len(markup) / 2**20:.1f} MiB: save it to a file "
            f"(Animation.save('figure.html')) and link to it to keep the notebook small",
            stacklevel=3,
        )
    return markup


def gif_html(gif: bytes, width: int, alt: str) -> str:
    """An ``<img>`` showing an animated GIF from its bytes."""
    return (
        f'<img src="{_data_uri("image/gif", gif)}" width="{width}" '
        f'alt="{html.escape(alt)}">'
    )


__all__ = ["SIZE_WARNING", "checked_size", "gif_html", "png_bytes"]
