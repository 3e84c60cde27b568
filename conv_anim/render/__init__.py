"""Drawing with matplotlib: the scenes of every kind of figure, and the canvas that draws
them (into a user's Axes, a figure of its own, fast blitted frames, or a file).

The shared layer is :mod:`~conv_anim.render.base` (the Scene protocol),
:mod:`~conv_anim.render.shapes`, :mod:`~conv_anim.render.grids`,
:mod:`~conv_anim.render.numbers` and :mod:`~conv_anim.render.labels`; each scene module
builds on it and on the geometry, never on another scene.
"""
