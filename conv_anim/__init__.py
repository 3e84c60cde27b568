"""conv_anim: convolution arithmetic as pictures.

Reproduces the figures of "A guide to convolution arithmetic for deep learning"
(V. Dumoulin and F. Visin, arXiv:1603.07285) for any convolution.

>>> from conv_anim import ConvSpec, animate
>>> spec = ConvSpec(5, 3, stride=2, padding=1)
>>> spec.output_size
(3, 3)
>>> animate(spec).save("padding_strides.gif")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from conv_anim.geometry import ConvSpec, EquivalentConvolution, InputGrid, Step, Tap
from conv_anim.style import Style

if TYPE_CHECKING:
    from conv_anim.animation import Animation, animate
    from conv_anim.drawing import draw
    from conv_anim.explorer import explore

__version__ = "0.1.0"

# The drawing API imports matplotlib; load it on first use so that
# ``import conv_anim.geometry`` stays free of matplotlib (PEP 562).
_LAZY = {
    "Animation": "conv_anim.animation",
    "animate": "conv_anim.animation",
    "draw": "conv_anim.drawing",
    "animate_stack": "conv_anim.stack",
    "explore": "conv_anim.explorer",
}
#: Submodules reachable as attributes (``conv_anim.catalog``), imported on first use.
_SUBMODULES = frozenset({
    "catalog", "explain", "explorer", "export", "figures", "gallery", "layers", "numerics",
    "player", "receptive", "stack", "style",
})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"conv_anim.{name}")
    raise AttributeError(f"module 'conv_anim' has no attribute {name!r}")


__all__ = [
    "Animation",
    "ConvSpec",
    "EquivalentConvolution",
    "InputGrid",
    "Step",
    "Style",
    "Tap",
    "__version__",
    "animate",
    "animate_stack",
    "draw",
    "explore",
]
