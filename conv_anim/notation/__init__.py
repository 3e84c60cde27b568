"""How a convolution is written, in one place: in words and symbols, as code, as a command.

Every surface describes a figure the same way: first by what reproduces it (the
:class:`~conv_anim.geometry.ConvSpec` call and the ``conv-anim conv`` command), then in
the paper's symbols. Captions, ``conv-anim list`` and ``info``, the gallery pages, the
Sphinx directive's alt text and the command line's messages all call this module.

Each symbol has one meaning. ``k``, ``s``, ``p``, ``d`` are the kernel size, stride,
padding and dilation of a direct convolution; a transposed convolution is written with
its own input and output sizes and the direct convolution it transposes, whose input is
the transposed convolution's output (``a`` is the output padding):

>>> from conv_anim import ConvSpec
>>> print(symbols(ConvSpec(5, 3, stride=2, padding=1)))
input 5×5 → output 3×3; k = 3, s = 2, p = 1
>>> print(symbols(ConvSpec(3, 3, stride=2, padding=1, transposed=True)))
input 3×3 → output 5×5; the transpose of a 5×5 → 3×3 convolution with k = 3, s = 2, p = 1
>>> python_call(ConvSpec(3, 3, stride=2, padding=1, transposed=True))
'ConvSpec(3, 3, stride=2, padding=1, transposed=True)'
>>> command(ConvSpec((16,), 2, dilation=2))
'conv-anim conv -i 16 --ndim 1 -k 2 -d 2'

Its parts: :mod:`~conv_anim.notation.symbols` (symbols, the call, the command),
:mod:`~conv_anim.notation.captions` (captions, labels, legends, alt text) and
:mod:`~conv_anim.notation.views` (the backward pass, overlap and matrix views); all
are pure (neither numpy nor matplotlib), and every name is here.
"""


from __future__ import annotations

from conv_anim.notation.captions import *  # noqa: F403
from conv_anim.notation.captions import __all__ as _captions
from conv_anim.notation.symbols import *  # noqa: F403
from conv_anim.notation.symbols import __all__ as _symbols
from conv_anim.notation.views import *  # noqa: F403
from conv_anim.notation.views import __all__ as _views

__all__ = [*_symbols, *_captions, *_views]
