"""Animations of convolutions: lazy frames, files, filmstrips, and drawing into your Axes."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D

from conv_anim import export, notebook
from conv_anim._params import is_int
from conv_anim.geometry import ConvSpec, Step
from conv_anim.numerics import OPS
from conv_anim.render.canvas import BlitCanvas, add_scene, pixel_size, scene_figure
from conv_anim.render.channels import ChannelScene, channel_steps, check_numerical
from conv_anim.render.flat import FlatScene, Numbers
from conv_anim.render.line import LineScene, NumericLineScene
from conv_anim.render.scatter import ScatterScene, ScatterStep, scatter_steps
from conv_anim.render.slanted import BORDER, CELL_INCHES, SlantedScene, blend, caption_text
from conv_anim.render.volume import VolumeScene
from conv_anim.style import RGB, Style, make_style, to_unit_rgb

T = TypeVar("T")

#: Gap between the frames of a filmstrip, in cell units.
FILMSTRIP_GAP = 1.0
VECTOR_SUFFIXES = (".pdf", ".svg")
#: Formats holding every frame: GIF, animated WebP and PNG, and MP4 (needs imageio-ffmpeg).
ANIMATED_SUFFIXES = (".gif", ".webp", ".apng", ".mp4")
#: How a transposed convolution with values is seen: the paper's equivalent direct
#: convolution (one frame per output cell) or scatter-add (one frame per input unit).
VIEWS = ("direct", "scatter")


def _scene(
    spec: ConvSpec, style: Style, numbers: Numbers | None = None, progressive: bool = False
) -> SlantedScene | FlatScene | LineScene | VolumeScene | ChannelScene:
    """The arithmetic figure for the spec's number of axes (a row for 1-D, slanted
    grids for 2-D, stacked slanted slices for 3-D), or with ``numbers`` the flat
    numerical one (1-D and 2-D). With channels, the 2-D figure of every channel
    (ChannelScene raises a ValueError for 1-D and 3-D)."""
    if spec.has_channels:
        return ChannelScene(spec, style)
    if numbers is not None and spec.ndim == 1:
        return NumericLineScene(spec, style, numbers, progressive)
    if numbers is not None:
        return FlatScene(spec, style, numbers, progressive)
    if spec.ndim == 1:
        return LineScene(spec, style)
    if spec.ndim == 3:
        return VolumeScene(spec, style)
    return SlantedScene(spec, style)


@lru_cache(maxsize=16)
def palette_for(style: Style, extra: tuple[RGB, ...] = ()) -> export.Palette:
    """The GIF palette of a style: its colours, the shadow over each, and their blends.

    ``extra`` colours (a numerical figure's text and max-pooling mark) join the base
    colours.
    """
    shadow = [
        tuple(round(255 * c) for c in blend(style.shadow_color, style.shadow_alpha, under)[:3])
        for under in (style.background_rgb, style.input_color, style.output_color, style.line_color)
    ]
    mark = [
        tuple(round(255 * c) for c in blend(style.mark_color, 0.45, under)[:3])
        for under in (style.background_rgb, style.input_color)
    ] if style.mark_uncovered else []
    colors = [
        style.background_rgb, style.input_color, style.output_color, style.line_color,
        style.connector_color, *shadow, *mark, *extra,
    ]
    return export.Palette.from_colors(colors)


def _metadata(suffix: str) -> dict[str, Any] | None:
    """Metadata that keeps vector files byte-identical from run to run."""
    if suffix == ".pdf":
        return {"CreationDate": None, "ModDate": None, "Producer": None}
    if suffix == ".svg":
        return {"Date": None}
    return None


def save_figure(fig: Figure, path: str | Path, *, transparent: bool = False) -> Path:
    """Save a figure atomically and deterministically (PNG, PDF or SVG, by suffix)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", *VECTOR_SUFFIXES):
        raise ValueError(
            f"unsupported figure format {suffix or '(none)'!r} for path {str(path)!r}: "
            f"expected .png, .pdf or .svg"
        )
    with mpl.rc_context({"svg.hashsalt": "conv_anim", "pdf.compression": 6}):
        with export.atomic_output(target) as temp:
            fig.savefig(temp, format=suffix[1:], dpi=fig.dpi, metadata=_metadata(suffix),
                        transparent=transparent)
    return target


class Animation:
    """One convolution, animated: a frame per output cell. Lazy: nothing is drawn until asked.

    Create it with :func:`animate`.

    Examples
    --------
    >>> from conv_anim import ConvSpec, animate
    >>> anim = animate(ConvSpec(5, 3, stride=2, padding=1))
    >>> len(anim), anim.frame_shape
    (9, (380, 394, 3))

    Attributes
    ----------
    spec : ConvSpec
        The convolution.
    style : Style
        Its look.
    numbers : Numbers or None
        For a numerical figure, the values, kernel, operation and output shown;
        None for an arithmetic (slanted) figure.
    progressive : bool
        Numerical figures: whether each output value appears only once computed.
    view : {"direct", "scatter"}
        ``"scatter"``: a transposed convolution seen as scatter-add, a frame per
        input unit (:class:`~conv_anim.render.scatter.ScatterScene`).
    """

    def __init__(
        self, spec: ConvSpec, style: Style, numbers: Numbers | None = None,
        progressive: bool = False, view: str = "direct",
    ) -> None:
        self.spec = spec
        self.style = style
        self.numbers = numbers
        self.progressive = progressive
        self.view = view
        self._html: str | None = None
        self._idle_canvas: BlitCanvas | None = None
        self._built_scene: Any = None

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        op = "" if self.numbers is None else f", op={self.numbers.op!r}"
        view = "" if self.view == "direct" else f", view={self.view!r}"
        return f"Animation({self.spec!r}{op}{view}, frames={len(self)})"

    def _scene(self) -> Any:
        """The scene (built once: its static layout is derived from spec and style)."""
        if self._built_scene is None:
            self._built_scene = self._make_scene()
        return self._built_scene

    def _make_scene(self) -> SlantedScene | FlatScene | ScatterScene:
        if self.view == "scatter":
            return ScatterScene(self.spec, self.style, self.numbers)
        return _scene(self.spec, self.style, self.numbers, self.progressive)

    def _palette(self) -> export.Palette:
        if self.numbers is None:
            return palette_for(self.style)
        marks = self.numbers.winners is not None and self.style.mark_winners
        mark = (self.style.mark_color,) if marks else ()
        return palette_for(self.style, (self.style.text_color, *mark))

    def gif(self, fps: float = 1.0, loop: int = 0) -> bytes:
        """The animation as GIF bytes, in memory (as :meth:`save` writes a ``.gif``)."""
        return export.gif_bytes(
            (export.Frame(rgba, region.slices) for rgba, region in self._rgba_frames()),
            palette=self._palette(), fps=fps, loop=loop,
        )

    def _repr_html_(self) -> str:
        """Jupyter: the animated GIF inline (built once, then cached)."""
        if self._html is None:
            self._html = notebook.gif_html(self.gif(), self.frame_shape[1], repr(self))
        return self._html

    def _repr_png_(self) -> bytes:
        """Jupyter, where HTML is not shown: the first frame."""
        return notebook.png_bytes(next(self.frames()))

    def to_jshtml(self, fps: float = 1.0) -> str:
        """A self-contained HTML player with controls (play/pause, step, slider).

        Display it with ``IPython.display.HTML(anim.to_jshtml())``.
        """
        export.check_fps(fps)
        return notebook.player_html(
            self.frames(), width=self.frame_shape[1], fps=fps, alt=repr(self),
            element_id=f"conv-anim-{uuid.uuid4().hex}",
        )

    @property
    def steps(self) -> tuple[Step, ...] | tuple[ScatterStep, ...]:
        """The steps shown, one per frame: per output cell, or per input unit when
        ``view="scatter"``."""
        if self.view == "scatter":
            return scatter_steps(self.spec)
        if self.spec.has_channels:
            return channel_steps(self.spec)
        return self.spec.steps()

    @property
    def frame_shape(self) -> tuple[int, int, int]:
        """``(height, width, 3)`` of every frame."""
        width, height = pixel_size(self._scene(), self.style)
        return height, width, 3

    def _step(self, frame: object) -> Step | ScatterStep:
        if not is_int(frame) or not -len(self) <= frame < len(self):  # type: ignore[operator]
            raise ValueError(
                f"frame={frame!r} is not valid: expected an int from 0 to {len(self) - 1}"
            )
        return self.steps[frame]  # type: ignore[index]

    def _rgba_frames(self, steps: Sequence[Any] | None = None) -> Iterator[tuple[np.ndarray, Any]]:
        """The blitted RGBA frames of ``steps`` (default: every step) and their changed
        regions. The canvas is kept between calls (its static drawing is the costly
        part); a second iteration running at the same time gets a canvas of its own."""
        canvas, self._idle_canvas = self._idle_canvas, None
        if canvas is None:
            # Frames are opaque: a transparent background is drawn white, so that
            # antialiased edges are blended with white rather than left half-transparent.
            opaque = dataclasses.replace(self.style, background=self.style.background_rgb)
            canvas = BlitCanvas(self._scene(), opaque)
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
        for rgba, _ in self._rgba_frames():
            yield rgba[..., :3].copy()

    def figure(self, frame: int = 0) -> Figure:
        """One frame as a new matplotlib Figure (not attached to pyplot)."""
        scene = self._scene()
        fig, ax = scene_figure(scene, self.style)
        add_scene(ax, scene, self._step(frame))
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
        scene = self._scene()
        width, height = pixel_size(scene, self.style)
        per_cell = CELL_INCHES * self.style.dpi
        gap = round(FILMSTRIP_GAP * per_cell)  # whole pixels, as in filmstrip_pixels()
        total = len(steps) * width + (len(steps) - 1) * gap
        # The epsilon keeps int(figsize * dpi) from rounding down a pixel.
        fig = Figure(figsize=((total + 1e-3) / self.style.dpi, (height + 1e-3) / self.style.dpi),
                     dpi=self.style.dpi)
        background = self.style.background_rgb
        fig.patch.set_facecolor("none" if self.style.transparent else to_unit_rgb(background))
        # One Axes for every panel (an Axes costs ~10 ms): panel n is shifted right.
        x0, y0 = scene.extent.x0 - BORDER, scene.extent.y0 - BORDER
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(x0, x0 + total / per_cell)
        ax.set_ylim(y0, y0 + height / per_cell)
        for n, step in enumerate(steps):
            shift = Affine2D().translate(n * (width + gap) / per_cell, 0) + ax.transData
            for artist in add_scene(ax, scene, step):
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
        for rgba, _ in self._rgba_frames(steps):
            pieces += [gap, rgba[..., :3].copy()] if pieces else [rgba[..., :3].copy()]
        return np.concatenate(pieces, axis=1)

    def _filmstrip_steps(self, frames: object) -> list[Step | ScatterStep]:
        if isinstance(frames, (str, bytes)) or not isinstance(frames, Sequence) or not frames:
            raise ValueError(
                f"frames={frames!r} is not valid: expected a non-empty sequence of frame numbers"
            )
        return [self._step(frame) for frame in frames]

    def save(
        self, path: str | Path, fps: float = 1.0, loop: int = 0, *, frame: int | None = None,
        progress: Callable[[int, int], object] | None = None,
    ) -> Path:
        """Write the animation, choosing the format by the path's suffix.

        Parameters
        ----------
        path : str or Path
            ``.gif``: the animation, looping (streamed: memory stays flat). ``.webp``,
            ``.apng``: animated WebP or PNG, lossless. ``.mp4``: a video (needs the
            ``mp4`` extra, imageio-ffmpeg). ``.png``: with ``frame``, that frame;
            without, a folder named like the file without its suffix holding every
            frame as ``frame_000.png``, ``frame_001.png``, ... ``.pdf`` / ``.svg``: one
            frame (``frame``, default 0) as a vector drawing.
        fps : float
            Frames per second. The original GIFs show one frame a second.
        loop : int
            Repetitions (GIF, WebP, APNG); 0 loops forever.
        frame : int, optional
            A single frame to write (PNG, PDF, SVG).
        progress : callable, optional
            Called as ``progress(done, total)`` after each frame of an animation or
            folder of frames is drawn (e.g. to show a progress bar).

        Returns
        -------
        Path
            What was written (the folder, for PNG frames).

        Raises
        ------
        ValueError
            For an unsupported suffix or invalid argument; nothing is written then.
        """
        if progress is not None and not callable(progress):
            raise ValueError(
                f"progress={progress!r} is not valid: expected None or a callable "
                f"progress(done, total)"
            )
        target = export.check_path(path)
        suffix = target.suffix.lower()
        if suffix in ANIMATED_SUFFIXES:
            if frame is not None:
                raise ValueError(
                    f"frame={frame!r} does not apply to a {suffix}: it holds every frame"
                )
            frames = (export.Frame(rgba, region.slices) for rgba, region in self._rgba_frames())
            export.write_frames(
                target, _reporting(frames, len(self), progress),
                palette=self._palette(), fps=fps, loop=loop,
            )
            return target
        if suffix == ".png" and frame is None:
            folder = target.with_suffix("")
            export.write_png_frames(folder, _reporting(self.frames(), len(self), progress))
            return folder
        if suffix in (".png", *VECTOR_SUFFIXES):
            save_figure(self.figure(0 if frame is None else frame), target,
                        transparent=self.style.transparent)
            return target
        raise ValueError(
            f"unsupported output format {suffix or '(none)'!r} for path {str(path)!r}: "
            f"expected {', '.join(ANIMATED_SUFFIXES)}, .png, .pdf or .svg"
        )


def _numbers(
    spec: ConvSpec, values: Any, kernel: Any, op: Any, progressive: Any
) -> Numbers | None:
    """Validate the numerical arguments of :func:`animate`; None for an arithmetic figure."""
    if not isinstance(progressive, bool):
        raise ValueError(f"progressive={progressive!r} is not valid: expected True or False")
    if op is not None and op not in OPS:
        raise ValueError(f"op={op!r} is not valid: expected one of {', '.join(map(repr, OPS))}")
    if values is None:
        given = (["kernel"] if kernel is not None else []) + (
            [f"op={op!r}"] if op is not None else []
        ) + (["progressive=True"] if progressive else [])
        if given:
            raise ValueError(
                f"{', '.join(given)} given without values: a numerical figure needs "
                f"values=... (an array of shape spec.input_size = {spec.input_size})"
            )
        return None
    check_numerical(spec)
    return Numbers.compute(spec, values, kernel, "conv" if op is None else op)


def _reporting(
    frames: Iterable[T], total: int, progress: Callable[[int, int], object] | None
) -> Iterator[T]:
    """Pass ``frames`` through, calling ``progress(done, total)`` after each."""
    for done, frame in enumerate(frames, start=1):
        yield frame
        if progress is not None:
            progress(done, total)


#: What a flipped-kernel figure says about itself.
FLIPPED_NOTE = "true convolution: the kernel is flipped"


def _check_flip(flip: Any, values: Any, kernel: Any, op: Any) -> bool:
    """Validate :func:`animate`'s ``flip``: it needs a numerical convolution."""
    if not isinstance(flip, bool):
        raise ValueError(f"flip={flip!r} is not valid: expected True or False")
    if flip and (values is None or kernel is None or op not in (None, "conv")):
        raise ValueError(
            "flip=True needs a numerical convolution (values=..., kernel=..., op='conv'): "
            "it flips the kernel's weights"
        )
    return flip


def _flipped_caption(spec: ConvSpec, style: Style) -> str:
    """The caption of a flipped-kernel figure: the user's, then the note."""
    if style.caption is False:
        return FLIPPED_NOTE
    first = caption_text(spec) if style.caption is True else style.caption
    return f"{first}\n{FLIPPED_NOTE}"


def _check_view(spec: ConvSpec, view: Any, values: Any, op: Any, progressive: Any) -> None:
    """Validate :func:`animate`'s ``view``: ``"scatter"`` needs a transposed spec with values."""
    if not isinstance(view, str) or view not in VIEWS:
        raise ValueError(
            f"view={view!r} is not valid: expected one of {', '.join(map(repr, VIEWS))}"
        )
    if view == "direct":
        return
    if not spec.transposed:
        raise ValueError(
            "view='scatter' needs a transposed spec (transposed=True), got a direct one: "
            "only a transposed convolution scatters each input unit into the output"
        )
    if values is None:
        raise ValueError(
            f"view='scatter' needs values=... (an array of shape spec.input_size = "
            f"{spec.input_size}) and kernel=...: it draws the products and running sums"
        )
    if op not in (None, "conv"):
        raise ValueError(f"op={op!r} is not valid with view='scatter': expected op='conv'")
    if progressive:
        raise ValueError(
            "progressive=True does not apply to view='scatter', whose output always "
            "accumulates frame by frame: expected progressive=False"
        )


def animate(
    spec: ConvSpec, *, values: Any = None, kernel: Any = None, op: str | None = None,
    progressive: bool = False, view: str = "direct", flip: bool = False, **style: Any,
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
        all finite. Written with the fewest decimals (at most 2) that show them all
        exactly, integers as integers; output values with 1 decimal, as in the
        paper ("6.0").
    kernel : array_like, optional
        The weights, of shape ``spec.kernel_size`` in PyTorch's layout. Required for
        ``op="conv"``, must be None for pooling.
    op : {"conv", "max", "avg"}, optional
        Convolution (the default when ``values`` is given), max pooling (each step
        marks the winning input unit) or average pooling (padded zeros counted).
    progressive : bool
        Numerical figures: show each output value from the step that computes it on,
        instead of all of them from the first frame (the paper's way).
    view : {"direct", "scatter"}
        How a transposed convolution with values is seen. ``"direct"`` (default):
        the paper's equivalent direct convolution, a frame per output cell.
        ``"scatter"`` (1-D or 2-D transposed specs with values and ``op="conv"``):
        a frame per input unit, which multiplies the whole kernel and adds it into
        the output at ``index * stride - padding``, the output accumulating.
    flip : bool
        Numerical convolutions: a true convolution (as in signal processing) rather
        than deep learning's cross-correlation: the kernel is flipped on every axis
        before it slides. The figure shows the flipped weights where they are
        applied and says so in its caption; the output equals
        ``spec.apply(values, kernel, flip=True)``.
    **style
        Options of :class:`conv_anim.style.Style`, e.g. ``labels=True``,
        ``caption=True``, ``scale=2``, ``connectors=False``,
        ``background="transparent"``, ``input_color="#268bd2"``.

    Returns
    -------
    Animation
        Lazy: frames are drawn when iterated or saved.

    Raises
    ------
    ValueError
        For an unknown style option or an invalid value, a spec that cannot be drawn
        (numbers or channels in 3-D), or invalid numbers: ``kernel``, ``op`` or
        ``progressive`` without ``values``; ``values`` or ``kernel`` of the wrong
        shape, dtype or with non-finite values; a kernel missing for ``"conv"`` or given for pooling; an
        unknown ``op``; pooling a transposed spec; an unknown ``view``, or
        ``view="scatter"`` with a direct spec, without values, with pooling, with
        ``progressive=True``, or for a spec it cannot draw (3-D, channels).

    Examples
    --------
    >>> from conv_anim import ConvSpec, animate
    >>> anim = animate(ConvSpec(3, 2), values=[[1, 2, 3], [4, 5, 6], [7, 8, 9]], op="max")
    >>> anim.numbers.output
    array([[5., 6.],
           [8., 9.]])
    """
    if not isinstance(spec, ConvSpec):
        raise ValueError(f"spec={spec!r} is not valid: expected a conv_anim.ConvSpec")
    resolved = make_style(**style)
    _check_view(spec, view, values, op, progressive)
    if _check_flip(flip, values, kernel, op):
        kernel = np.flip(np.asarray(kernel))
        resolved = dataclasses.replace(resolved, caption=_flipped_caption(spec, resolved))
    numbers = _numbers(spec, values, kernel, op, progressive)
    animation = Animation(spec, resolved, numbers, progressive, view)
    # Fail now, not at the first frame, if it cannot be drawn.
    check_frame_size(animation)
    return animation


#: The largest frame side drawn, in pixels (memory grows with the frame's area).
MAX_FRAME_SIDE = 8192


def check_frame_size(animation: Animation) -> None:
    """Refuse, before drawing anything, frames too large to draw (e.g. a typo, -i 500).

    Raises
    ------
    ValueError
        If a frame would be wider or taller than :data:`MAX_FRAME_SIDE` pixels.
    """
    height, width, _ = animation.frame_shape  # builds the scene: fails if it cannot be drawn
    if max(height, width) > MAX_FRAME_SIDE:
        raise ValueError(
            f"input_size={animation.spec.input_size} at scale={animation.style.scale} makes "
            f"frames of {width}x{height} pixels: expected at most {MAX_FRAME_SIDE} pixels a "
            f"side; use a smaller input_size or scale"
        )


def draw(
    ax: Axes, spec: ConvSpec, step: int | Step = 0, *, values: Any = None, kernel: Any = None,
    op: str | None = None, progressive: bool = False, view: str = "direct", flip: bool = False,
    **style: Any,
) -> list[Artist]:
    """Draw one step of a convolution into an existing matplotlib Axes.

    The drawing is in data coordinates (one cell = one unit). The Axes gets equal
    aspect, limits that fit the drawing, and its axis lines hidden; nothing global
    (pyplot's current figure, rcParams) is touched.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    spec : ConvSpec
        The convolution, 1-D, 2-D or 3-D.
    step : int or Step
        The frame number (row-major output cell; with channels, per output channel
        then cell; with view="scatter", per input unit), or a step of the animation.
    values, kernel, op, progressive, view, flip
        As for :func:`animate`: with ``values``, the numerical figure.
    **style
        Options of :class:`conv_anim.style.Style`.

    Returns
    -------
    list of Artist
        The artists added, bottom to top.
    """
    animation = animate(
        spec, values=values, kernel=kernel, op=op, progressive=progressive, view=view,
        flip=flip, **style,
    )
    chosen = step if isinstance(step, Step) else animation._step(step)
    scene = animation._scene()
    artists = add_scene(ax, scene, chosen)
    extent = scene.extent
    ax.set_xlim(extent.x0 - BORDER / 2, extent.x1 + BORDER / 2)
    ax.set_ylim(extent.y0 - BORDER / 2, extent.y1 + BORDER / 2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    style = animation.style
    if not style.transparent and style.background_rgb != (255, 255, 255):
        # A dark theme's light lines need its background; the Axes is hidden, so
        # its patch would not show: put the background behind the drawing instead.
        artists.insert(0, ax.add_patch(Rectangle(
            (0, 0), 1, 1, transform=ax.transAxes, facecolor=to_unit_rgb(style.background_rgb),
            edgecolor="none", zorder=-1,
        )))
    return artists
