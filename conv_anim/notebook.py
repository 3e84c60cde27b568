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
from collections.abc import Iterable

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


_PLAYER = """<div id="{id}" style="display:inline-block;text-align:center">
<img width="{width}" alt="{alt}" src="{first}"><br>
<button title="first">&#x23EE;</button><button title="previous">&#x25C0;</button>
<button title="play / pause">&#x23EF;</button><button title="next">&#x25B6;</button>
<button title="last">&#x23ED;</button>
<input type="range" min="0" max="{last}" value="0" style="vertical-align:middle">
<span>1 / {count}</span>
<script>(function () {{
  var root = document.getElementById("{id}"), frames = {frames};
  var img = root.querySelector("img"), range = root.querySelector("input");
  var label = root.querySelector("span"), buttons = root.querySelectorAll("button");
  var current = 0, timer = null;
  function show(n) {{
    current = (n + frames.length) % frames.length;
    img.src = frames[current]; range.value = current;
    label.textContent = (current + 1) + " / " + frames.length;
  }}
  function toggle() {{
    if (timer) {{ clearInterval(timer); timer = null; }}
    else {{ timer = setInterval(function () {{ show(current + 1); }}, {interval}); }}
  }}
  buttons[0].onclick = function () {{ show(0); }};
  buttons[1].onclick = function () {{ show(current - 1); }};
  buttons[2].onclick = toggle;
  buttons[3].onclick = function () {{ show(current + 1); }};
  buttons[4].onclick = function () {{ show(frames.length - 1); }};
  range.oninput = function () {{ show(parseInt(range.value, 10)); }};
}})();</script></div>"""


def player_html(
    frames: Iterable[np.ndarray], *, width: int, fps: float, alt: str, element_id: str
) -> str:
    """A self-contained HTML player (first, previous, play/pause, next, last, slider)."""
    uris = [f"data:image/png;base64,{base64.b64encode(png_bytes(f)).decode('ascii')}"
            for f in frames]
    total = sum(len(uri) for uri in uris)
    if total > SIZE_WARNING:
        warnings.warn(
            f"the player holds {total / 2**20:.1f} MiB of frames: consider Animation.save",
            stacklevel=3,
        )
    return _PLAYER.format(
        id=element_id, width=width, alt=html.escape(alt), first=uris[0], last=len(uris) - 1,
        count=len(uris), frames="[" + ",".join(f'"{u}"' for u in uris) + "]",
        interval=round(1000 / fps),
    )
