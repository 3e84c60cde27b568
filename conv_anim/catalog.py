"""The paper's figures by name: parameters, captions and how to draw each one.

The catalogue is shared by the gallery script, the command line and notebooks, so a
figure is defined once. Importing it does not import matplotlib.

>>> from conv_anim import catalog
>>> figure = catalog.get("padding_strides")
>>> figure.spec.output_size, figure.frames
((3, 3), 9)
>>> figure.parameters
'input 5×5 → output 3×3; k = 3, s = 2, p = 1'
>>> figure.command
'conv-anim conv -i 5 -k 3 -s 2 -p 1 --no-labels'
>>> len(catalog.animations())
19
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from conv_anim import notation
from conv_anim.backward import backward_spec
from conv_anim.geometry import ConvSpec
from conv_anim.paperdata import paper_corner
from conv_anim.steps import frame_count

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from conv_anim.animation import Animation

#: Sections of the gallery, in the order the repository's README shows them.
SECTIONS = {
    "convolution": "Convolution animations",
    "transposed": "Transposed convolution animations",
    "dilated": "Dilated convolution animations",
    "numerical": "Numerical convolution animations",
    "pooling": "Numerical pooling animations",
    "static": "The paper's static figures",
    "beyond": "Beyond the paper",
}

@dataclass(frozen=True)
class PaperAnimation:
    """One animation of the catalogue: the paper's repository's, or beyond it.

    Attributes
    ----------
    name : str
        The file name without suffix, e.g. ``"padding_strides"`` (the repository's).
    section : str
        A key of :data:`SECTIONS`.
    caption : str
        One line saying what the figure shows.
    spec : ConvSpec
        The convolution drawn (for a stack, its last layer). For a transposed figure
        its input is the output of the direct convolution it transposes.
    op : str or None
        None for the slanted arithmetic figures; ``"conv"``, ``"max"`` or ``"avg"``
        for the numerical figures, drawn with the paper's numbers
        (:func:`~conv_anim.paperdata.paper_corner`: the top-left corner for a
        smaller input).
    view : str
        ``"direct"``, or ``"scatter"`` for a transposed numerical figure seen as
        scatter-add.
    flip : bool
        A numerical convolution with the kernel flipped (a true convolution).
    layers : tuple of ConvSpec
        For a stack of layers (drawn by :func:`conv_anim.animate_stack`), every
        layer from the input up; empty otherwise.
    ops : tuple of str
        A stack's layers' operations (``"conv"``, ``"max"``, ``"avg"``); empty for
        convolutions only.
    style : tuple of (str, object)
        Style options the figure is drawn with by default (e.g. labels), as pairs;
        options given to :meth:`animate` override them.
    backward : bool
        Draw the backward pass of ``spec`` (``animate(spec, backward=True)``).
    """

    name: str
    section: str
    caption: str
    spec: ConvSpec
    op: str | None = None
    view: str = "direct"
    flip: bool = False
    layers: tuple[ConvSpec, ...] = ()
    style: tuple[tuple[str, Any], ...] = ()
    ops: tuple[str, ...] = ()
    backward: bool = False

    @property
    def numerical(self) -> bool:
        """Whether the figure shows values (flat layout)."""
        return self.op is not None

    @property
    def frames(self) -> int:
        """The number of frames: one per output cell (per output channel and cell with
        channels, per input unit in the scatter view, per unit of a stack's last layer)."""
        return frame_count(backward_spec(self.spec) if self.backward else self.spec, self.view)

    @property
    def parameters(self) -> str:
        """The figure in the paper's symbols (:func:`conv_anim.notation.symbols`), e.g.
        ``'input 5×5 → output 3×3; k = 3, s = 2, p = 1'``; for a stack, each layer's;
        for a backward pass, ``'backward pass of '`` and the forward convolution's."""
        if self.layers:
            return notation.stack_text(self.layers, self.ops or None)
        if self.backward:
            return f"backward pass of {notation.symbols(self.spec)}"
        return notation.symbols(self.spec, self.op or "conv")

    @property
    def alt(self) -> str:
        """Alt text: the caption, then the kind, sizes, parameters and frames in the one
        notation (:func:`conv_anim.notation.alt_text`), as the animation's
        :attr:`~conv_anim.Animation.alt` says them."""
        if self.layers:
            return f"{self.caption}. {notation.stack_alt(self.layers, self.ops or None)}"
        described = notation.figure_alt(self.spec, self.op or "conv", view=self.view,
                                        frames=self.frames, backward=self.backward)
        return f"{self.caption}. {described}"

    @property
    def python(self) -> str:
        """The ``ConvSpec(...)`` call of the convolution drawn (a stack's last layer)."""
        return notation.python_call(self.spec)

    @property
    def command(self) -> str:
        """The command that draws this figure frame for frame: ``conv-anim conv ...``
        for one convolution, ``conv-anim paper NAME`` for a stack."""
        if self.layers:
            return f"conv-anim paper {self.name}"
        look = dict(self.style)
        drawing = notation.Drawing(op=self.op, view=self.view, flip=self.flip,
                                   labels=look.get("labels", True) is True,
                                   number_style=str(look.get("number_style", "exact")),
                                   backward=self.backward)
        return notation.command(self.spec, drawing)

    def animate(self, **style: Any) -> Animation:
        """The figure as an :class:`~conv_anim.Animation` (``style`` as for ``animate``)."""
        from conv_anim.animation import animate
        from conv_anim.stack import animate_stack

        style = {**dict(self.style), **style}
        if self.layers:
            return animate_stack(self.layers, ops=self.ops or None, **style)
        if self.op is None:
            return animate(self.spec, view=self.view, backward=self.backward, **style)
        values, kernel = paper_corner(self.spec.input_size, self.spec.kernel_size)
        return animate(
            self.spec, values=values, kernel=kernel if self.op == "conv" else None,
            op=self.op, view=self.view, flip=self.flip, **style,
        )


#: The paper's figures keep the original's look: unlabelled grids, and the numerical
#: figures' small outputs with one decimal ("6.0").
PAPER_LOOK = (("labels", False),)
PAPER_NUMBERS_LOOK = (("labels", False), ("number_style", "paper"))


def _direct(name: str, section: str, caption: str, i: int, k: int, s: int, p: int,
            d: int = 1, op: str | None = None) -> PaperAnimation:
    look = PAPER_LOOK if op is None else PAPER_NUMBERS_LOOK
    return PaperAnimation(name, section, caption, ConvSpec(i, k, s, p, d), op, style=look)


def _transposed(name: str, caption: str, i: int, k: int, s: int, p: int,
                a: int = 0) -> PaperAnimation:
    """A transposed figure given by the direct convolution (i, k, s, p) it transposes."""
    direct = ConvSpec(i, k, s, p)
    spec = ConvSpec(direct.output_size, k, s, p, transposed=True, output_padding=a)
    return PaperAnimation(name, "transposed", caption, spec, style=PAPER_LOOK)


_ANIMATIONS = (
    _direct("no_padding_no_strides", "convolution",
            "No padding, unit strides", 4, 3, 1, 0),
    _direct("arbitrary_padding_no_strides", "convolution",
            "Arbitrary padding, unit strides", 5, 4, 1, 2),
    _direct("same_padding_no_strides", "convolution",
            "Half padding, unit strides", 5, 3, 1, 1),
    _direct("full_padding_no_strides", "convolution",
            "Full padding, unit strides", 5, 3, 1, 2),
    _direct("no_padding_strides", "convolution",
            "No padding, strides", 5, 3, 2, 0),
    _direct("padding_strides", "convolution",
            "Padding, strides", 5, 3, 2, 1),
    _direct("padding_strides_odd", "convolution",
            "Padding, strides (odd)", 6, 3, 2, 1),
    _transposed("no_padding_no_strides_transposed",
                "No padding, unit strides, transposed", 4, 3, 1, 0),
    _transposed("arbitrary_padding_no_strides_transposed",
                "Arbitrary padding, unit strides, transposed", 5, 4, 1, 2),
    _transposed("same_padding_no_strides_transposed",
                "Half padding, unit strides, transposed", 5, 3, 1, 1),
    _transposed("full_padding_no_strides_transposed",
                "Full padding, unit strides, transposed", 5, 3, 1, 2),
    _transposed("no_padding_strides_transposed",
                "No padding, strides, transposed", 5, 3, 2, 0),
    _transposed("padding_strides_transposed",
                "Padding, strides, transposed", 5, 3, 2, 1),
    _transposed("padding_strides_odd_transposed",
                "Padding, strides, transposed (odd)", 6, 3, 2, 1, a=1),
    _direct("dilation", "dilated",
            "No padding, no stride, dilation", 7, 3, 1, 0, d=2),
    _direct("numerical_no_padding_no_strides", "numerical",
            "Convolution, no padding, unit strides, with values", 5, 3, 1, 0, op="conv"),
    _direct("numerical_padding_strides", "numerical",
            "Convolution, padding, strides, with values", 5, 3, 2, 1, op="conv"),
    _direct("numerical_average_pooling", "pooling",
            "Average pooling, 3x3 window, unit strides (outputs to one decimal)", 5, 3, 1, 0,
            op="avg"),
    _direct("numerical_max_pooling", "pooling",
            "Max pooling, 3x3 window, unit strides", 5, 3, 1, 0, op="max"),
)

_WAVENET = tuple(ConvSpec((16,), 2, dilation=d, padding=((d, 0),)) for d in (1, 2, 4, 8))
_CONV_CONV_POOL = (ConvSpec(8, 3), ConvSpec(6, 3), ConvSpec(4, 2, stride=2))

_BEYOND = (
    PaperAnimation("conv1d_dilated", "beyond", "1-D convolution (e.g. audio), dilation 2",
                   ConvSpec((12,), 3, dilation=2)),
    PaperAnimation("conv3d", "beyond", "3-D convolution: a 3x3x3 kernel over a 4x4x4 volume",
                   ConvSpec((4, 4, 4), 3)),
    PaperAnimation("grouped", "beyond",
                   "4 input maps to 2 output maps in 2 groups: each output reads its group",
                   ConvSpec(5, 3, in_channels=4, out_channels=2, groups=2)),
    PaperAnimation("depthwise", "beyond",
                   "Depthwise convolution (groups = channels): one kernel per map",
                   ConvSpec(5, 3, in_channels=3, out_channels=3, groups=3)),
    PaperAnimation("pointwise", "beyond",
                   "Pointwise (1x1) convolution: 3 maps mixed into 2",
                   ConvSpec(4, 1, in_channels=3, out_channels=2)),
    PaperAnimation("padding_strides_transposed_scatter", "beyond",
                   "Transposed convolution as scatter-add: each input unit adds value x kernel",
                   ConvSpec(3, 3, stride=2, padding=1, transposed=True), op="conv",
                   view="scatter"),
    PaperAnimation("numerical_true_convolution", "beyond",
                   "True convolution (kernel flipped), as in signal processing",
                   ConvSpec(5, 3), op="conv", flip=True),
    PaperAnimation("wavenet_stack", "beyond",
                   "Receptive field of a WaveNet-style stack: causal, dilations 1, 2, 4, 8",
                   _WAVENET[-1], layers=_WAVENET),
    PaperAnimation("conv_conv_pool_stack", "beyond",
                   "Receptive field through two 3x3 convolutions, then 2x2 max pooling, stride 2",
                   _CONV_CONV_POOL[-1], layers=_CONV_CONV_POOL, ops=("conv", "conv", "max")),
    # The backward pass, the overlap (checkerboards) and the matrix in motion.
    PaperAnimation("padding_strides_backward", "beyond",
                   "Backward pass of padding_strides: dL/dx is the transposed convolution of "
                   "dL/dy with the same kernel", ConvSpec(5, 3, 2, 1), backward=True),
    PaperAnimation("padding_strides_odd_backward", "beyond",
                   "Backward pass of padding_strides_odd: the transpose needs output padding 1 "
                   "to give back 6x6", ConvSpec(6, 3, 2, 1), backward=True),
    PaperAnimation("checkerboard_k3_s2", "beyond",
                   "Overlap of a transposed convolution, kernel 3, stride 2: uneven, a "
                   "checkerboard", ConvSpec(4, 3, 2, 1, transposed=True, output_padding=1),
                   view="overlap"),
    PaperAnimation("checkerboard_k4_s2", "beyond",
                   "Overlap of a transposed convolution, kernel 4, stride 2: even",
                   ConvSpec(4, 4, 2, 1, transposed=True), view="overlap"),
    PaperAnimation("checkerboard_k2_s2", "beyond",
                   "Overlap of a transposed convolution, kernel 2, stride 2: even (no overlap)",
                   ConvSpec(4, 2, 2, 0, transposed=True), view="overlap"),
    PaperAnimation("matrix_animated", "beyond",
                   "The matrix C in motion: each output cell is a row of C, y = C x",
                   ConvSpec(4, 3), view="matrix"),
    PaperAnimation("matrix_transposed_animated", "beyond",
                   "The transposed convolution as C^T in motion: each output cell is a row "
                   "of C^T, a column of C", ConvSpec(2, 3, transposed=True), view="matrix"),
)



@dataclass(frozen=True)
class PaperStatic:
    """One of the paper's static figures, drawn by a function of :mod:`conv_anim.figures`.

    Attributes
    ----------
    name : str
        The figure's file name without suffix, e.g. ``"matrix"``.
    caption : str
        One line saying what the figure shows.
    function : str
        The name of the function in :mod:`conv_anim.figures` that draws it (called
        without arguments, returning a matplotlib Figure).
    section : str
        ``"static"`` for the paper's figures, ``"beyond"`` for those that go
        beyond it.
    """

    name: str
    caption: str
    function: str
    section: str = "static"

    @property
    def alt(self) -> str:
        """Alt text: the caption."""
        return self.caption

    def figure(self) -> Figure:
        """Draw the figure (a new matplotlib Figure, not attached to pyplot)."""
        from conv_anim import figures

        drawing: Figure = getattr(figures, self.function)()
        return drawing


_STATICS: tuple[PaperStatic, ...] = (
    PaperStatic("kernel", "Section 1.1: the 3x3 kernel that Figure 1.1 slides, its values "
                "written in", "kernel_figure"),
    PaperStatic("feature_maps", "Figure 1.3: two input feature maps to three output feature "
                "maps with a 3x2x3x3 kernel collection", "feature_maps_figure"),
    PaperStatic("strides_subsampling", "Figure 1.4: strides as subsampling, stride 2 versus "
                "stride 1 keeping one output in two", "strides_subsampling_figure"),
    PaperStatic("kernel_positions", "Figure 2.8: counting kernel positions, unit strides and "
                "strides of 2", "kernel_positions_figure"),
    PaperStatic("matrix", "Chapter 4 (Section 4.1): the sparse matrix C of the 4x4-input, "
                "3x3-kernel convolution", "matrix_figure"),
    PaperStatic("matrix_transposed", "Chapter 4 (Section 4.1): C^T, the matrix of the "
                "transposed convolution", "matrix_transposed_figure"),
    PaperStatic("transposed_views", "A transposed convolution seen two ways, zeros inserted "
                "(the paper) and scatter-add (Distill, d2l), giving the same output",
                "transposed_views_figure", section="beyond"),
    PaperStatic("backward_pass", "A convolution's forward pass and its backward pass, the "
                "transposed convolution of dL/dy with the same kernel", "backward_figure",
                section="beyond"),
    PaperStatic("checkerboard", "The overlap of three transposed convolutions upsampling 4x4 "
                "to 8x8: kernel 3 uneven (a checkerboard), kernels 4 and 2 even",
                "overlap_figure", section="beyond"),
    PaperStatic("same_output_sizes", "Inputs 5x5 to 6x6 all give 3x3 with k = 3, s = 2, "
                "p = 1; output padding chooses among them going back",
                "same_output_sizes_figure", section="beyond"),
)

_ALL: tuple[PaperAnimation | PaperStatic, ...] = (*_ANIMATIONS, *_BEYOND, *_STATICS)
_BY_NAME: dict[str, PaperAnimation | PaperStatic] = {figure.name: figure for figure in _ALL}


def animations(section: str | None = None) -> tuple[PaperAnimation, ...]:
    """The repository's 19 animations in its README's order, or those of one section
    (``"beyond"``: the animations that go beyond the paper)."""
    if section is None:
        return _ANIMATIONS
    if section == "beyond":
        return _BEYOND
    if section not in SECTIONS:
        raise ValueError(
            f"section={section!r} is not valid: expected one of {', '.join(SECTIONS)}"
        )
    return tuple(figure for figure in _ANIMATIONS if figure.section == section)


def everything() -> tuple[PaperAnimation | PaperStatic, ...]:
    """Every figure of the catalogue: the repository's 19 animations, the paper's
    static figures, then the figures beyond the paper (animations, then static)."""
    papers = tuple(f for f in _STATICS if f.section == "static")
    beyond = tuple(f for f in _STATICS if f.section != "static")
    return (*_ANIMATIONS, *papers, *_BEYOND, *beyond)


def statics() -> tuple[PaperStatic, ...]:
    """The static figures: the paper's (kernel, Figures 1.3, 1.4, 2.8, the matrix C)
    and those beyond it (section ``"beyond"``)."""
    return _STATICS


def get(name: str) -> PaperAnimation | PaperStatic:
    """The figure called ``name`` (for animations, the repository's file name).

    Raises
    ------
    ValueError
        If there is no such figure; the message lists the names.
    """
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"name={name!r} is not a figure of the catalogue: expected one of "
            f"{', '.join(_BY_NAME)}"
        ) from None
