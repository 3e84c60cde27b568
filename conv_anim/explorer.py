"""The parameter explorer: a convolution's figure, output size and arithmetic, live.

:class:`Explorer` is the model, plain Python: settings in (input size, kernel size,
stride, padding, dilation, transposed, output padding), a :class:`View` out, either the
animation with its output size and the paper's relationship, or, for settings that make
no convolution, the message of the error that says why. :func:`explore` is the thin
notebook layer on it: ipywidgets sliders and toggles, the figure's frame as a PNG, a
play button and a step slider (optional extra ``notebook``).

>>> explorer = Explorer()
>>> explorer.update(input_size=5, stride=2, padding=1).output_size
'3×3'
>>> explorer.update(padding="same").message.startswith("padding='same'")
True
>>> explorer.frame_png() is None
True
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from typing import Any

from conv_anim import explain, notation
from conv_anim.animation import Animation, animate
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.player.sprite import palette_png
from conv_anim.style import make_style

#: zlib level of the frames shown: fast (a few ms for a 600-pixel frame), not smallest.
PNG_LEVEL = 3
#: What the padding control offers.
PADDINGS: tuple[int | str, ...] = (0, 1, 2, 3, 4, "same", "full")
#: The sliders' ranges: (smallest, largest) of each integer setting.
RANGES = {
    "input_size": (1, 16), "kernel_size": (1, 7), "stride": (1, 4), "dilation": (1, 4),
    "output_padding": (0, 3),
}


@dataclass(frozen=True)
class Settings:
    """What the explorer draws: a square 2-D convolution, the same value on both axes.

    ``output_padding`` applies to transposed convolutions only (it is ignored
    otherwise, as the control is disabled).
    """

    input_size: int = 5
    kernel_size: int = 3
    stride: int = 1
    padding: int | str = 0
    dilation: int = 1
    transposed: bool = False
    output_padding: int = 0

    def spec(self) -> ConvSpec:
        """The convolution.

        Raises
        ------
        ValueError
            For settings that make no convolution (the message says why).
        """
        return ConvSpec(
            self.input_size, self.kernel_size, stride=self.stride, padding=self.padding,
            dilation=self.dilation, transposed=self.transposed,
            output_padding=self.output_padding if self.transposed else 0,
        )


@dataclass(frozen=True, eq=False)
class View:
    """What the explorer shows for some settings.

    Attributes
    ----------
    settings : Settings
        The settings shown.
    animation : Animation or None
        The figure; None when the settings make no convolution.
    message : str or None
        Why they make none (the error's message); None otherwise.
    """

    settings: Settings
    animation: Animation | None
    message: str | None

    @property
    def output_size(self) -> str:
        """The output size ("3×3"), or "" without a figure."""
        if self.animation is None:
            return ""
        return notation.size_text(self.animation.spec.output_size)

    @property
    def arithmetic(self) -> str:
        """What ``conv-anim info`` prints: the paper's relationship with the numbers, the
        equivalent direct convolution of a transposed one, the PyTorch layer."""
        if self.animation is None:
            return ""
        return "\n".join(explain.info_lines(self.animation.spec))


class Explorer:
    """The model of the explorer: settings in, a :class:`View` out.

    Parameters
    ----------
    settings : Settings, optional
        Where to start (default: ``Settings()``, 5x5 input, 3x3 kernel).
    **style
        Options of :class:`conv_anim.style.Style` for the figure, e.g. ``labels=True``.

    Raises
    ------
    ValueError
        For an invalid style option.

    Examples
    --------
    >>> explorer = Explorer(Settings(input_size=4), labels=True)
    >>> explorer.view.output_size, len(explorer.view.animation)
    ('2×2', 4)
    >>> explorer.frame_png(3)[:4]
    b'\\x89PNG'
    """

    def __init__(self, settings: Settings | None = None, **style: Any) -> None:
        make_style(**style)  # a bad style option is the caller's error, not the settings'
        self._style = style
        self._view = self._make_view(Settings() if settings is None else settings)

    @property
    def view(self) -> View:
        """What is shown now."""
        return self._view

    @property
    def settings(self) -> Settings:
        """The settings shown now."""
        return self._view.settings

    def update(self, **changes: Any) -> View:
        """Change some settings and return the new view.

        Settings that make no convolution give a view with a message instead of a
        figure; they are kept, so that the next change starts from them.

        Raises
        ------
        ParameterError
            For a name that is not a setting.
        """
        names = {field.name for field in dataclasses.fields(Settings)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ParameterError.invalid(unknown[0], changes[unknown[0]],
                                         f"one of the settings {', '.join(sorted(names))}")
        settings = dataclasses.replace(self.settings, **changes)
        if settings != self.settings:
            self._view = self._make_view(settings)
        return self._view

    def _make_view(self, settings: Settings) -> View:
        try:
            return View(settings, animate(settings.spec(), **self._style), None)
        except ValueError as error:  # ParameterError and the geometry's checks
            return View(settings, None, str(error))

    def frame_png(self, step: int = 0) -> bytes | None:
        """Frame ``step`` of the figure as PNG bytes, in the GIF's colours; None when
        there is no figure.

        Raises
        ------
        ParameterError
            For a step out of range.
        """
        animation = self._view.animation
        if animation is None:
            return None
        wanted = animation.step(step)
        for rgba, _ in animation.rgba_frames([wanted]):
            indices = animation.palette.indices(rgba)
            return palette_png(indices, animation.palette.colors, level=PNG_LEVEL)
        raise AssertionError("unreachable: one step gives one frame")


@dataclass(frozen=True, eq=False)
class Widgets:
    """The explorer's widgets (:func:`explore`); shown in a notebook as ``box``.

    Attributes
    ----------
    model : Explorer
        What they show.
    controls : dict of str to ipywidgets.Widget
        One control per setting, by the name of the :class:`Settings` field.
    step, play : ipywidgets.IntSlider, ipywidgets.Play
        The frame shown, and a button playing the frames.
    image : ipywidgets.Image
        The frame, PNG.
    message, arithmetic : ipywidgets.HTML
        The output size or why there is no figure; the arithmetic.
    box : ipywidgets.VBox
        All of them, laid out.
    """

    model: Explorer
    controls: dict[str, Any]
    step: Any
    play: Any
    image: Any
    message: Any
    arithmetic: Any
    box: Any

    def _repr_mimebundle_(self, **options: Any) -> Any:
        return self.box._repr_mimebundle_(**options)

    def show(self, _: object = None) -> None:
        """Bring the figure and texts up to date with the controls."""
        view = self.model.update(
            **{name: control.value for name, control in self.controls.items()}
        )
        self.controls["output_padding"].disabled = not view.settings.transposed
        if view.animation is None:
            self.image.layout.display = "none"
            text = html.escape(view.message or "")
            self.message.value = f"<p style='color:#dc322f'>{text}</p>"
            self.arithmetic.value = ""
            return
        self.step.max = self.play.max = len(view.animation) - 1
        self.show_step()
        self.image.layout.display = ""
        self.message.value = f"<b>output {view.output_size}</b>"
        self.arithmetic.value = f"<pre>{html.escape(view.arithmetic)}</pre>"

    def show_step(self, _: object = None) -> None:
        """Show the frame the step slider names."""
        if self.model.view.animation is not None:
            self.image.value = self.model.frame_png(min(self.step.value, self.step.max)) or b""


def explore(**settings: Any) -> Widgets:
    """Explore convolutions in a notebook: sliders and toggles for the input size,
    kernel size, stride, padding (``"same"`` and ``"full"`` too), dilation, transposed
    and output padding; the figure, its output size and arithmetic update live.

    Settings that make no convolution show why in place of the figure.

    Parameters
    ----------
    **settings
        Where to start: the fields of :class:`Settings`.

    Returns
    -------
    Widgets
        Show it as a cell's last expression (it needs a running kernel).

    Raises
    ------
    ModuleNotFoundError
        Without ipywidgets (``pip install "conv_anim[notebook]"``).
    ParameterError
        For a name that is not a setting.
    """
    try:  # optional: only the notebook extra installs ipywidgets
        import ipywidgets as widgets
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "conv_anim.explore needs ipywidgets: pip install \"conv_anim[notebook]\"",
            name="ipywidgets",
        ) from error
    model = Explorer()
    start = model.update(**settings).settings
    controls: dict[str, Any] = {
        name: widgets.IntSlider(value=getattr(start, name), min=low, max=high,
                                description=name.replace("_", " "))
        for name, (low, high) in RANGES.items()
    }
    options = PADDINGS if start.padding in PADDINGS else (*PADDINGS, start.padding)
    controls["padding"] = widgets.Dropdown(options=options, value=start.padding,
                                           description="padding")
    controls["transposed"] = widgets.Checkbox(value=start.transposed, description="transposed")
    step = widgets.IntSlider(value=0, min=0, max=0, description="step")
    play = widgets.Play(value=0, min=0, max=0, interval=1000)
    widgets.jslink((play, "value"), (step, "value"))
    image, message, arithmetic = widgets.Image(format="png"), widgets.HTML(), widgets.HTML()
    order = ("input_size", "kernel_size", "stride", "padding", "dilation", "transposed",
             "output_padding")
    box = widgets.VBox([
        widgets.HBox([
            widgets.VBox([controls[name] for name in order]),
            widgets.VBox([image, widgets.HBox([play, step]), message]),
        ]),
        arithmetic,
    ])
    shown = Widgets(model, controls, step, play, image, message, arithmetic, box)
    for control in controls.values():
        control.observe(shown.show, names="value")
    step.observe(shown.show_step, names="value")
    shown.show()
    return shown


__all__ = ["PADDINGS", "PNG_LEVEL", "RANGES", "Explorer", "Settings", "View", "Widgets", "explore"]
