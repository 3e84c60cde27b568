"""Animations of convolutions: lazy frames, files, filmstrips, and drawing into your Axes.

:func:`animate` checks its arguments, plans the figure (:func:`conv_anim.plan.plan`)
and returns an :class:`Animation`: a container of the plan's scene, steps, palette and
description, whose frames are drawn only when asked for. :func:`conv_anim.draw`
(:mod:`conv_anim.drawing`) draws one step into an Axes without keeping an Animation.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Affine2D
from numpy.typing import ArrayLike

from conv_anim import arguments, export, notebook, player, saving
from conv_anim.backward import backward_spec, check_backward
from conv_anim.errors import ParameterError
from conv_anim.export import Palette
from conv_anim.geometry import ConvSpec
from conv_anim.limits import check_drawn_cells
from conv_anim.plan import Plan, plan
from conv_anim.render.base import CELL_INCHES, Scene
from conv_anim.render.canvas import (
    BlitCanvas,
    Region,
    add_scene,
    page_figure,
    pixel_size,
    save_figure,
    scene_figure,
)
from conv_anim.steps import frame_count
from conv_anim.style import Style, make_style
from conv_anim.values import Numbers

#: Gap between the frames of a filmstrip, in cell units.
FILMSTRIP_GAP = 1.0
#: The largest frame side drawn, in pixels (memory grows with the frame's area).
MAX_FRAME_SIDE = 8192
#: What an Animation offers a notebook front end, richest first.
MIME_TYPES = ("text/html", "image/gif", "image/png")


class Animation:
    """One convolution (or a stack of layers), animated: a frame per step.

    Create it with :func:`animate` or :func:`~conv_anim.animate_stack`. Lazy: nothing
    is drawn until frames are asked for.

    Examples
    --------
    >>> from conv_anim import ConvSpec, animate
    >>> anim = animate(ConvSpec(5, 3, stride=2, padding=1))
    >>> len(anim), anim.frame_shape
    (9, (497, 395, 3))

    Parameters
    ----------
    plan : Plan
        What to draw (:func:`conv_anim.plan.plan`).
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._html: str | None = None
        self._gif_bytes: bytes | None = None
        self._idle_canvas: BlitCanvas | None = None

    # ------------------------------------------------------------------ what it is

    @property
    def scene(self) -> Scene[Any]:
        """The figure, as shapes (:mod:`conv_anim.render`)."""
        return self.plan.scene

    @property
    def steps(self) -> Sequence[Any]:
        """The steps shown, one per frame (see :attr:`conv_anim.plan.Plan.steps`)."""
        return self.plan.steps

    @property
    def palette(self) -> Palette:
        """The palette of the GIF frames."""
        return self.plan.palette

    @property
    def spec(self) -> ConvSpec:
        """The convolution (a stack's last layer)."""
        return self.plan.spec

    @property
    def specs(self) -> tuple[ConvSpec, ...]:
        """A stack's layers, first first; ``(spec,)`` for one convolution."""
        return self.plan.layers or (self.plan.spec,)

    @property
    def style(self) -> Style:
        """The look."""
        return self.plan.style

    @property
    def numbers(self) -> Numbers | None:
        """A numerical figure's values, kernel, operation and output; None otherwise."""
        return self.plan.numbers

    @property
    def progressive(self) -> bool:
        """Numerical figures: whether each output value appears only once computed."""
        return self.plan.progressive

    @property
    def view(self) -> str:
        """``"direct"``, ``"scatter"`` (a transposed convolution as scatter-add),
        ``"overlap"`` or ``"matrix"``."""
        return self.plan.view

    @property
    def forward(self) -> ConvSpec | None:
        """For a backward pass (``backward=True``), the forward convolution whose
        gradient :attr:`spec` computes; None otherwise."""
        return self.plan.forward

    @property
    def alt(self) -> str:
        """A description for alt text: kind, sizes, parameters, frames."""
        return self.plan.alt

    def __len__(self) -> int:
        return len(self.plan.steps)

    def __repr__(self) -> str:
        if self.plan.layers:
            layers = self.plan.layers
            sizes = " -> ".join(
                "x".join(map(str, size))
                for size in (layers[0].input_size, *(s.output_size for s in layers))
            )
            return f"Animation(layers={len(layers)}, sizes={sizes}, frames={len(self)})"
        op = "" if self.numbers is None else f", op={self.numbers.op!r}"
        view = "" if self.view == "direct" else f", view={self.view!r}"
        forward = "" if self.plan.forward is None else f", backward of {self.plan.forward}"
        return f"Animation({self.spec!r}{op}{view}{forward}, frames={len(self)})"

    @property
    def frame_shape(self) -> tuple[int, int, int]:
        """``(height, width, 3)`` of every frame."""
        width, height = pixel_size(self.scene.extent, self.style.dpi)
        return height, width, 3

    def step(self, frame: object) -> Any:
        """The step of frame number ``frame`` (negative numbers count from the end).

        Raises
        ------
        ParameterError
            Unless ``frame`` is an int from ``-len(self)`` to ``len(self) - 1``.
        """
        return self.steps[arguments.check_frame(frame, len(self))]

    # ------------------------------------------------------------------ frames

    def rgba_frames(
        self, steps: Iterable[Any] | None = None
    ) -> Iterator[tuple[np.ndarray, Region]]:
        """The blitted RGBA frames of ``steps`` (default: every step) and the region
        of each that changed since the previous one.

        Each frame is a view of the canvas buffer, overwritten by the next: copy it to
        keep it. The canvas is kept between calls (its static drawing is the costly
        part); a second iteration running at the same time gets a canvas of its own.
        """
        canvas, self._idle_canvas = self._idle_canvas, None
        if canvas is None:
            # Frames are opaque: a transparent background is drawn white, so that
            # antialiased edges are blended with white rather than left half-transparent.
            opaque = dataclasses.replace(self.style, background=self.style.background_rgb)
            canvas = BlitCanvas(self.scene, opaque)
        try:
            yield from canvas.frames(self.steps if steps is None else steps)
        finally:
            self._idle_canvas = canvas

    def frames(self) -> Iterator[np.ndarray]:
        """Yield the frames as ``(H, W, 3)`` ``uint8`` RGB arrays, one per step.

        Frames are drawn one at a time as they are asked for. A transparent
        background is drawn white here, as in GIFs and folders of PNG frames
        (single frames and filmstrips saved as PNG, PDF or SVG keep it).
        """
        for rgba, _ in self.rgba_frames():
            yield export.rgb_copy(rgba)

    def gif(self, fps: float = 1.0, loop: int = 0) -> bytes:
        """The animation as GIF bytes, in memory (as :meth:`save` writes a ``.gif``)."""
        return export.gif_bytes(
            (export.Frame(rgba, region.slices) for rgba, region in self.rgba_frames()),
            palette=self.palette, fps=fps, loop=loop,
        )

    # ------------------------------------------------------------------ notebooks

    def _repr_html_(self) -> str:
        """Jupyter: the animated GIF inline (built once, then cached)."""
        if self._html is None:
            self._html = notebook.gif_html(self._gif(), self.frame_shape[1], self.alt)
        return self._html

    def _repr_png_(self) -> bytes:
        """Jupyter, where HTML is not shown: the first frame."""
        return notebook.png_bytes(next(self.frames()))

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, str]:
        """Jupyter, Quarto, myst-nb: the animation as ``text/html`` (an inline GIF),
        ``image/gif`` and ``image/png`` (the first frame, for static exports such as
        PDF), each front end showing the richest it can; and ``text/plain``.

        Binary types are base64 text, as the notebook format stores them. The GIF is
        built once and cached.
        """
        bundle = {"text/plain": repr(self)}
        wanted = set(MIME_TYPES if include is None else include) - set(exclude or ())
        if "text/html" in wanted:
            bundle["text/html"] = self._repr_html_()
        if "image/gif" in wanted:
            bundle["image/gif"] = base64.b64encode(self._gif()).decode("ascii")
        if "image/png" in wanted:
            bundle["image/png"] = base64.b64encode(self._repr_png_()).decode("ascii")
        return bundle

    def _gif(self) -> bytes:
        """The animation's GIF at the default frame rate, built once."""
        if self._gif_bytes is None:
            self._gif_bytes = self.gif()
        return self._gif_bytes

    def to_jshtml(self, fps: float = 1.0) -> str:
        """The interactive player, as matplotlib's ``Animation.to_jshtml`` names it:
        :meth:`to_html`. Display it with ``IPython.display.HTML(anim.to_jshtml())``."""
        return self.to_html(fps)

    def to_html(self, fps: float = 1.0, *, autoplay: bool = True) -> str:
        """The animation as a self-contained interactive player, an HTML fragment.

        Controls, hover-linked cells and each step's sum for numerical figures; no
        external reference of any kind (:mod:`conv_anim.player`). Deterministic.

        Parameters
        ----------
        fps : float
            Steps per second when playing.
        autoplay : bool
            Start playing once shown.
        """
        return player.to_html(self, fps, autoplay=autoplay)

    def interactive(self, fps: float = 1.0, *, autoplay: bool = True) -> player.Player:
        """The interactive player for a notebook: its ``_repr_html_`` is :meth:`to_html`.

        Leave it as a cell's last expression (the animation itself still shows as
        the GIF). It needs no kernel, so it works in exported notebooks too.

        Examples
        --------
        >>> from conv_anim import ConvSpec, animate
        >>> animate(ConvSpec(4, 3)).interactive()._repr_html_()[:30]
        '<div class="conv-anim-player" '
        """
        return player.Player(notebook.checked_size(self.to_html(fps, autoplay=autoplay)))

    # ------------------------------------------------------------------ matplotlib

    def draw_into(self, ax: Axes, frame: int = 0) -> list[Artist]:
        """Draw one frame into an existing Axes, in data coordinates (a cell is one
        unit); returns the artists added, bottom to top. The Axes is left as it is:
        :func:`draw` also fits its limits and hides its axis lines."""
        return add_scene(ax, self.scene, self.step(frame))

    def figure(self, frame: int = 0) -> Figure:
        """One frame as a new matplotlib Figure (not attached to pyplot)."""
        fig, ax = scene_figure(self.scene, self.style)
        self.draw_into(ax, frame)
        return fig

    def filmstrip(
        self, frames: Sequence[int] = (0, 1, 2, 3), path: str | Path | None = None
    ) -> Figure:
        """Chosen frames side by side, as the paper's figures show them.

        Parameters
        ----------
        frames : sequence of int
            Frame numbers, in the order shown. Default: the first four.
        path : str or Path, optional
            Also save the filmstrip there: ``.png``, ``.pdf`` or ``.svg``.

        Returns
        -------
        Figure
        """
        steps = self._filmstrip_steps(frames)
        width, _ = pixel_size(self.scene.extent, self.style.dpi)
        per_cell = CELL_INCHES * self.style.dpi
        gap = round(FILMSTRIP_GAP * per_cell)  # whole pixels, as in filmstrip_pixels()
        total = len(steps) * width + (len(steps) - 1) * gap
        # One Axes for every panel (an Axes costs ~10 ms): panel n is shifted right.
        fig, ax = page_figure(self.scene.extent, self.style, width=total)
        for n, step in enumerate(steps):
            shift = Affine2D().translate(n * (width + gap) / per_cell, 0) + ax.transData
            for artist in add_scene(ax, self.scene, step):
                artist.set_transform(shift)
        if path is not None:
            save_figure(fig, path, transparent=self.style.transparent)
        return fig

    def filmstrip_pixels(self, frames: Sequence[int] = (0, 1, 2, 3)) -> np.ndarray:
        """Chosen frames side by side as one RGB image: the raster filmstrip.

        The same layout as :meth:`filmstrip`, built from the blitted frames (the
        pixels of the GIF) without a second drawing pass, so it is fast.

        Parameters
        ----------
        frames : sequence of int
            Frame numbers, in the order shown. Default: the first four.

        Returns
        -------
        numpy.ndarray
            ``(H, W, 3)`` ``uint8``; frames are opaque, a gap of
            ``FILMSTRIP_GAP`` cells of background between them.
        """
        steps = self._filmstrip_steps(frames)
        height = self.frame_shape[0]
        gap_width = round(FILMSTRIP_GAP * CELL_INCHES * self.style.dpi)
        gap = np.empty((height, gap_width, 3), np.uint8)
        gap[...] = self.style.background_rgb
        pieces: list[np.ndarray] = []
        for rgba, _ in self.rgba_frames(steps):
            pieces += [gap, export.rgb_copy(rgba)] if pieces else [export.rgb_copy(rgba)]
        return np.concatenate(pieces, axis=1)

    def _filmstrip_steps(self, frames: object) -> list[Any]:
        if isinstance(frames, (str, bytes)) or not isinstance(frames, Sequence) or not frames:
            raise ParameterError.invalid("frames", frames, "a non-empty sequence of frame numbers")
        return [self.step(frame) for frame in frames]

    # ------------------------------------------------------------------ files

    def save(
        self, path: str | Path, fps: float = 1.0, loop: int = 0, *, frame: int | None = None,
        progress: Callable[[int, int], object] | None = None,
    ) -> Path:
        """Write the animation, or one frame of it, choosing the format by the suffix.

        Parameters
        ----------
        path : str or Path
            ``.gif``: the animation, looping (streamed: memory stays flat). ``.webp``,
            ``.apng``: animated WebP or PNG, lossless. ``.mp4``: a video (needs the
            ``mp4`` extra, imageio-ffmpeg). ``.html``: the interactive player, a
            self-contained page (:meth:`to_html`). ``.png``, ``.pdf``, ``.svg``: one
            frame (``frame``, default 0) as an image or a vector drawing. A folder of
            every frame as PNG files is :meth:`save_frames`.
        fps : float
            Frames per second, at most 50 (GIF delays are whole centiseconds, and
            browsers slow delays of 10 ms or less to 100 ms). The original GIFs show one
            frame a second.
        loop : int
            Repetitions (GIF, WebP, APNG); 0 loops forever.
        frame : int, optional
            The frame of a still image (PNG, PDF, SVG); not for animations.
        progress : callable, optional
            Called as ``progress(done, total)`` after each frame of an animation is
            drawn (e.g. to show a progress bar).

        Returns
        -------
        Path
            What was written.

        Raises
        ------
        ParameterError
            For an unsupported suffix or an invalid argument, e.g. a transparent
            background (``background="transparent"``) with an animated format, whose
            frames are opaque; nothing is written then.
        MissingDependency
            For ``.mp4`` without imageio-ffmpeg (the message says how to install it).
        """
        return saving.save(self, path, fps, loop, frame=frame, progress=progress)

    def save_frames(
        self, folder: str | Path, *, progress: Callable[[int, int], object] | None = None
    ) -> Path:
        """Write every frame as a PNG file in ``folder``: ``frame_000.png``, ...

        The folder is created if needed; frame files of an earlier save beyond the new
        count are removed, and nothing else in the folder is touched. Frames are opaque.

        Returns
        -------
        Path
            The folder.
        """
        return saving.save_frames(self, folder, progress=progress)


def animate(
    spec: ConvSpec, *, values: ArrayLike | None = None, kernel: ArrayLike | None = None,
    op: str | None = None, progressive: bool = False, view: str = "direct", flip: bool = False,
    steps: slice | range | Sequence[int] | None = None, backward: bool = False, **style: Any,
) -> Animation:
    """Animate a convolution as the paper draws it.

    Without ``values``, the paper's slanted arithmetic figure. With ``values``, its
    flat numerical figure: the input with its values (padding and inserted zeros
    showing 0), the kernel's weights in its footprint and the output's values.

    Parameters
    ----------
    spec : ConvSpec
        The convolution, 1-D, 2-D or 3-D (numbers: 1-D and 2-D). A transposed one
        with values is drawn as its equivalent direct convolution over the
        stretched input.
    values : array_like, optional
        The input, of shape ``spec.input_size``: bool, integer or floating values,
        all finite.
    kernel : array_like, optional
        The weights, of shape ``spec.kernel_size`` in PyTorch's layout. Required for
        ``op="conv"``, must be None for pooling.
    op : {"conv", "max", "avg"}, optional
        Convolution (the default when ``values`` is given), max pooling or average
        pooling (padded zeros counted).
    progressive : bool
        Numerical figures: show each output value from the step that computes it on,
        instead of all of them from the first frame (the paper's way).
    view : {"direct", "scatter", "overlap", "matrix"}
        How the convolution is seen. ``"direct"`` (default): the paper's figure (a
        transposed convolution as its equivalent direct convolution), a frame per
        output cell. ``"scatter"`` (1-D or 2-D transposed specs with values and
        ``op="conv"``): a frame per input unit, which multiplies the whole kernel and
        adds it into the output at ``index * stride - padding``, the output
        accumulating. ``"overlap"`` (1-D or 2-D transposed specs, no values): a frame
        per input unit, which adds 1 to every output unit its kernel touches; the
        counts accumulate, shaded, to ``spec.overlap()`` (the checkerboard).
        ``"matrix"`` (1-D or 2-D, no values, at most 36 input and output units, a
        6×6 input): the grid figure beside the paper's matrix C (Cᵀ for a transposed
        convolution) with the flattened input and output vectors, the row of the
        current output cell lit in sync with the kernel's footprint.
    flip : bool
        Numerical convolutions: a true convolution (as in signal processing) rather
        than deep learning's cross-correlation: the kernel is flipped on every axis
        before it slides. The figure shows the flipped weights where they are
        applied and says so in its caption; the output equals
        ``spec.apply(values, kernel, flip=True)``.
    steps : slice, range or sequence of int, optional
        Show only these steps (frames), e.g. ``slice(0, 20)``, ``range(0, 900, 10)`` or
        ``[0, 4, 8]``; default every step. Frame numbers then count the steps shown.
    backward : bool
        Draw the backward pass: ``∂L/∂x`` as the paper's equivalent convolution over
        ``∂L/∂y``, with the same kernel (:func:`conv_anim.backward.backward_spec`):
        the gradient of a direct convolution is its transposed convolution (with the
        output padding that gives back the input size), that of a transposed one the
        direct convolution. The grids are named ``∂L/∂y`` and ``∂L/∂x``;
        ``caption=True`` and the alt text say what is drawn. With numbers, ``values``
        is ``∂L/∂y`` (shape ``spec.output_size``) and the output shown equals
        ``spec.grad_input(values, kernel)``. Every ``view`` applies to the drawn
        convolution (``"overlap"``: the overlap of a direct convolution's gradient;
        ``"matrix"``: Cᵀ). Not with ``flip``.
    **style
        Options of :class:`conv_anim.style.Style`, e.g. ``labels=False`` (the grids
        are labelled by default here, the paper's figures of
        :mod:`conv_anim.catalog` are not), ``caption=True``, ``scale=2``,
        ``connectors=False``, ``background="transparent"``,
        ``input_color="#268bd2"``, ``number_style="paper"``, or ``theme=``.

    Returns
    -------
    Animation
        Lazy: frames are drawn when iterated or saved.

    Raises
    ------
    ParameterError
        For an unknown style option or an invalid value, a spec that cannot be drawn
        (numbers or channels in 3-D, more cells than
        :data:`conv_anim.limits.MAX_DRAWN_CELLS`), or invalid numbers: ``kernel``, ``op`` or
        ``progressive`` without ``values``; ``values`` or ``kernel`` of the wrong
        shape, dtype or with non-finite values; a kernel missing for ``"conv"`` or
        given for pooling; an unknown ``op``; pooling a transposed spec; an unknown
        ``view``, or ``view="scatter"`` with a direct spec, without values, with
        pooling, with ``progressive=True``, or for a spec it cannot draw;
        ``view="overlap"`` with a direct spec, ``"overlap"`` or ``"matrix"`` with
        values or in 3-D, ``"matrix"`` above 36 input or output units; ``backward``
        with ``flip``, or for a convolution whose gradient ConvSpec cannot draw;
        frames larger than :data:`MAX_FRAME_SIDE` pixels a side (naming ``caption``
        when the caption alone makes them so).

    Examples
    --------
    >>> from conv_anim import ConvSpec, animate
    >>> anim = animate(ConvSpec(3, 2), values=[[1, 2, 3], [4, 5, 6], [7, 8, 9]], op="max")
    >>> anim.numbers.output
    array([[5., 6.],
           [8., 9.]])
    """
    spec = arguments.check_spec(spec)
    forward = None
    if check_backward(backward, flip):
        forward, spec = spec, backward_spec(spec)
    check_drawn_cells(spec)  # before anything is listed or allocated per cell or step
    resolved = make_style(**{"labels": True, **style})
    arguments.check_view(spec, view, values, op, progressive)
    if arguments.check_flip(flip, values, kernel, op):
        kernel, resolved = arguments.flipped(kernel, resolved, spec)  # type: ignore[arg-type]
    numbers = arguments.numbers(spec, values, kernel, op, progressive)
    select = arguments.selected_steps(steps, frame_count(spec, view))

    def planned(look: Style) -> Animation:
        return Animation(plan(spec, look, numbers=numbers, view=view, progressive=progressive,
                              select=select, flip=bool(flip), forward=forward))

    animation = planned(resolved)
    caption = style.get("caption")
    if isinstance(caption, str) and not _fits(animation):
        bare = planned(dataclasses.replace(resolved, caption=False))
        if _fits(bare):  # the caption alone makes the frames too large: say so
            height, width, _ = animation.frame_shape
            allowed = f"a caption whose frames are at most {MAX_FRAME_SIDE} pixels a side"
            raise ParameterError(
                f"caption (of {len(caption):,} characters) makes frames of {width}x{height} "
                f"pixels at scale={resolved.scale}: expected {allowed}; shorten it or use a "
                f"smaller scale",
                parameter="caption", value=caption, allowed=allowed,
            )
    check_frame_size(animation)
    return animation


def _fits(animation: Animation) -> bool:
    """Whether the frames are at most :data:`MAX_FRAME_SIDE` pixels a side."""
    return max(animation.frame_shape[:2]) <= MAX_FRAME_SIDE


def check_frame_size(animation: Animation) -> None:
    """Refuse, before drawing anything, frames too large to draw (e.g. a typo, -i 500).

    Raises
    ------
    ParameterError
        If a frame would be wider or taller than :data:`MAX_FRAME_SIDE` pixels.
    """
    if not _fits(animation):
        height, width, _ = animation.frame_shape
        raise ParameterError(
            f"input_size={animation.spec.input_size} at scale={animation.style.scale} makes "
            f"frames of {width}x{height} pixels: expected at most {MAX_FRAME_SIDE} pixels a "
            f"side; use a smaller input_size or scale",
            parameter="input_size", value=animation.spec.input_size,
            allowed=f"a size whose frames are at most {MAX_FRAME_SIDE} pixels a side",
        )


__all__ = ["Animation", "animate", "check_frame_size"]
