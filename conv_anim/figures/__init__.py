"""The static figures: the paper's (its kernel, Figures 1.3, 1.4 and 2.8, the matrix C)
and those that go beyond it (a transposed convolution seen two ways).

Every function returns a new matplotlib :class:`~matplotlib.figure.Figure`, created
without pyplot and without touching rcParams. Save one with
:func:`conv_anim.render.canvas.save_figure` for deterministic PNG, PDF or SVG files.

>>> fig = matrix_figure(scale=0.5)
>>> len(fig.axes[0].texts)  # 4 x 16 entries and the label "C ="
65
"""

from conv_anim.figures.backward import BACKWARD_SPEC, backward_figure
from conv_anim.figures.overlap import CHECKERBOARD_SPECS, overlap_figure
from conv_anim.figures.paper import (
    VIOLET,
    feature_maps_figure,
    kernel_figure,
    kernel_positions_figure,
    matrix_figure,
    matrix_transposed_figure,
    strides_subsampling_figure,
)
from conv_anim.figures.sizes import SIZES_SPEC, same_output_sizes_figure
from conv_anim.figures.views import VIEWS_SPEC, transposed_views_figure

__all__ = [
    "VIEWS_SPEC", "VIOLET", "feature_maps_figure", "kernel_figure", "kernel_positions_figure",
    "matrix_figure", "matrix_transposed_figure", "strides_subsampling_figure",
    "transposed_views_figure",
]
__all__ += [
    "BACKWARD_SPEC", "CHECKERBOARD_SPECS", "SIZES_SPEC", "backward_figure", "overlap_figure",
    "same_output_sizes_figure",
]
