"""The inverse question: which convolutions map one size to another (numpy-free).

:func:`solve` answers "64 in, 32 out: which layers?" with every :class:`ConvSpec`
of a bounded search, simplest first; :func:`same_output_sizes` lists the input
sizes that a convolution maps to the same output size (the ambiguity that a
transposed convolution's output padding resolves), with the input units each of
them leaves unread; :func:`solve_lines` writes the answers
as ``conv-anim conv`` command lines.

The output size is PyTorch's, per axis: ``floor((i + p_b + p_a - d(k - 1) - 1) / s)
+ 1`` for a direct convolution and ``(i - 1)s - p_b - p_a + d(k - 1) + 1 + a`` for a
transposed one (``a`` the output padding).

The search (parameters that are given are used as given, whatever their size):

* ``kernel_size`` 1 to :data:`MAX_KERNEL_SIZE`, ``stride`` 1 to :data:`MAX_STRIDE`;
* ``dilation`` 1 to :data:`MAX_DILATION`, for kernels of 2 or more (a 1-wide kernel
  has nothing to dilate);
* padding 0 to ``d(k - 1)`` on each side (at most :data:`conv_anim.limits.MAX_SEARCH`
  pairs in all): for a transposed convolution that is what
  :class:`ConvSpec` accepts; for a direct one it is full padding, the most that
  keeps every window over at least one input unit (PyTorch allows more, which only
  adds outputs that read nothing but zeros);
* output padding (transposed only) 0 to ``max(s, d) - 1``, as PyTorch allows.

Convolutions that compute the same thing are listed once, as the simplest:
padding after that no window reads (``64 -> 32`` with ``k = 3, s = 2``: ``p = 1``
and ``p = (1, 0)``), a transposed padding after traded for output padding
(``p = 1, a = 1`` is ``p = (1, 0), a = 0``), a stride that moves nothing (one
output, or one input of a transposed convolution).

Simplest first means, per axis and summed over the axes, in this order: fewer
dilated axes, fewer asymmetric paddings, smaller kernel, smaller stride, less
padding in total, smaller dilation, smaller output padding, less padding before
(the odd unit after, as PyTorch and TensorFlow put it). Axes that ask the same
question (same sizes, same given values) get the same answer, so a square
question gets square answers; other axes are solved each on its own.

>>> for spec in solve(64, 32, kernel_size=3, dilation=1):
...     print(spec.stride, spec.padding)
(2, 2) ((1, 1), (1, 1))
(2, 2) ((0, 1), (0, 1))
(2, 2) ((2, 0), (2, 0))
"""

from __future__ import annotations

import heapq
import itertools
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from conv_anim import notation
from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec
from conv_anim.limits import MAX_SEARCH

#: The largest kernel, stride and dilation that :func:`solve` tries when not given.
MAX_KERNEL_SIZE = 7
MAX_STRIDE = 4
MAX_DILATION = 4
#: Answers :func:`solve` returns unless told otherwise.
DEFAULT_LIMIT = 20
#: The most answers one call may return (``limit=None`` included).
MAX_ANSWERS = 10_000

MODES = ("valid", "same", "full")
Pair = tuple[int, int]
# A given padding item of one axis: a (before, after) pair, a mode, or None (searched).
PaddingItem = Pair | str | None


@dataclass(frozen=True)
class _AxisAnswer:
    """One axis of a convolution that :func:`solve` found."""

    kernel_size: int
    stride: int
    padding: Pair
    dilation: int
    output_padding: int

    def rank(self) -> tuple[int, ...]:
        """The sort key: dilated, asymmetric, kernel, stride, padding, dilation, a, before."""
        before, after = self.padding
        return (
            int(self.dilation > 1), int(before != after), self.kernel_size, self.stride,
            before + after, self.dilation, self.output_padding, before,
        )

    def computation(self, input_size: int, output_size: int, transposed: bool) -> tuple[int, ...]:
        """What this axis computes: equal for answers that compute the same thing."""
        k, s, (before, after) = self.kernel_size, self.stride, self.padding
        d = self.dilation if k > 1 else 1
        if transposed:  # the paper's equivalent direct convolution, stride 1
            span = d * (k - 1)
            moving = s if input_size > 1 else 0
            return k, d, moving, span - before, span - after + self.output_padding
        # The windows: where the first starts, how far they move; the rest is unread.
        return k, d, s if output_size > 1 else 0, before


@dataclass(frozen=True)
class SizeChoice:
    """One input size of a direct convolution that gives a spec's output size.

    Attributes
    ----------
    size : int
        The input size on this axis (for a transposed spec: its output size).
    output_padding : int
        The output padding that makes the transposed convolution give ``size``
        back: ``(size + p_b + p_a - d(k - 1) - 1) mod s``.
    unreached : tuple of int
        Input units (on this axis) that no window reads: the last ones when the
        stride does not divide the padded size, and the gaps between windows when
        the stride is larger than the dilated kernel.
    """

    size: int
    output_padding: int
    unreached: tuple[int, ...]


def _int(value: object) -> int | None:
    """``value`` as an int if it is one (numpy integers too, bools not), else None."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return None


def _is_int(value: object) -> bool:
    return _int(value) is not None


def _sizes(name: str, value: object) -> tuple[int, ...] | int:
    """An int >= 1, or a tuple of 1 to 3 such ints."""
    allowed = "an int >= 1 or a tuple of 1 to 3 such ints"
    number = _int(value)
    if number is not None and number >= 1:
        return number
    if (
        isinstance(value, Sequence) and not isinstance(value, str) and 1 <= len(value) <= 3
        and all(_is_int(v) and v >= 1 for v in value)
    ):
        return tuple(int(v) for v in value)
    raise ParameterError.invalid(name, value, allowed)


def _given(name: str, value: object, ndim: int) -> tuple[int | None, ...]:
    """A fixed per-axis parameter (an int >= 1 or ``ndim`` of them), or None per axis."""
    if value is None:
        return (None,) * ndim
    allowed = f"None, an int >= 1 or a tuple of {ndim} such ints"
    number = _int(value)
    if number is not None and number >= 1:
        return (number,) * ndim
    if (
        isinstance(value, Sequence) and not isinstance(value, str) and len(value) == ndim
        and all(_is_int(v) and v >= 1 for v in value)
    ):
        return tuple(int(v) for v in value)
    raise ParameterError.invalid(name, value, allowed)


def _given_padding(value: object, ndim: int) -> tuple[PaddingItem, ...]:
    """A fixed padding: None, an int, per-axis ints or pairs, or a mode string."""
    if value is None:
        return (None,) * ndim
    allowed = (
        f"None, an int >= 0, a tuple of {ndim} ints >= 0 or (before, after) pairs of them, "
        f"or one of {', '.join(map(repr, MODES))}"
    )
    if isinstance(value, str):
        if value not in MODES:
            raise ParameterError.invalid("padding", value, allowed)
        return (value,) * ndim
    items = (value,) * ndim if _is_int(value) else value
    if not isinstance(items, Sequence) or len(items) != ndim:
        raise ParameterError.invalid("padding", value, allowed)
    pairs: list[PaddingItem] = []
    for item in items:
        pair = (item, item) if _is_int(item) else item
        if (
            not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2
            or not all(_is_int(v) and v >= 0 for v in pair)
        ):
            raise ParameterError.invalid("padding", value, allowed)
        pairs.append((int(pair[0]), int(pair[1])))
    return tuple(pairs)


@dataclass(frozen=True)
class _Question:
    """One axis' question: sizes and the given values (None: searched)."""

    input_size: int
    output_size: int
    kernel_size: int | None
    stride: int | None
    dilation: int | None
    padding: PaddingItem
    transposed: bool

    def answers(self) -> list[_AxisAnswer]:
        """Every answer of the search, simplest first, one per computation."""
        found = sorted(self._search(), key=_AxisAnswer.rank)
        seen: set[tuple[int, ...]] = set()
        unique = []
        for answer in found:
            key = answer.computation(self.input_size, self.output_size, self.transposed)
            if key not in seen:
                seen.add(key)
                unique.append(answer)
        return unique

    def tries(self) -> int:
        """The paddings :meth:`answers` tries, counted in O(1): every before and after up
        to ``d(k - 1)`` for each kernel, dilation and stride, unless the padding is given."""
        strides = 1 if self.padding == "same" else len(_choices(self.stride, MAX_STRIDE))
        return sum(
            strides * (1 if self.padding is not None else (d * (k - 1) + 1) ** 2)
            for k in _choices(self.kernel_size, MAX_KERNEL_SIZE)
            for d in _choices(self.dilation, MAX_DILATION if k > 1 else 1)
        )

    def _search(self) -> list[_AxisAnswer]:
        kernels = _choices(self.kernel_size, MAX_KERNEL_SIZE)
        strides = (1,) if self.padding == "same" else _choices(self.stride, MAX_STRIDE)
        found = []
        for k in kernels:
            dilations = _choices(self.dilation, MAX_DILATION if k > 1 else 1)
            for d in dilations:
                for s in strides:
                    found += self._with(k, s, d)
        return found

    def _with(self, k: int, s: int, d: int) -> list[_AxisAnswer]:
        span = d * (k - 1)
        i, o = self.input_size, self.output_size
        found = []
        for before, after in _paddings(self.padding, span):
            if self.transposed:
                a = o - ((i - 1) * s - before - after + span + 1)
                if 0 <= a < max(s, d) and before <= span and after <= span:
                    found.append(_AxisAnswer(k, s, (before, after), d, a))
            elif i + before + after > span and (i + before + after - span - 1) // s + 1 == o:
                found.append(_AxisAnswer(k, s, (before, after), d, 0))
        return found


def _choices(given: int | None, largest: int) -> range | tuple[int]:
    return range(1, largest + 1) if given is None else (given,)


def _paddings(given: PaddingItem, span: int) -> Iterable[Pair]:
    """The (before, after) pairs to try on one axis, for a dilated kernel span + 1 wide."""
    if given is None:
        return itertools.product(range(span + 1), range(span + 1))
    if isinstance(given, str):
        modes = {"valid": (0, 0), "full": (span, span), "same": (span // 2, span - span // 2)}
        return [modes[given]]
    return [given]


def solve(
    input_size: int | Sequence[int],
    output_size: int | Sequence[int],
    *,
    kernel_size: int | Sequence[int] | None = None,
    stride: int | Sequence[int] | None = None,
    padding: object = None,
    dilation: int | Sequence[int] | None = None,
    transposed: bool = False,
    limit: int | None = DEFAULT_LIMIT,
) -> tuple[ConvSpec, ...]:
    """Every convolution of the search that maps ``input_size`` to ``output_size``.

    Parameters
    ----------
    input_size, output_size : int or tuple of int
        Spatial sizes: a tuple of 1 to 3 ints fixes the number of axes; an int
        means every axis (two axes when both are ints, as for :class:`ConvSpec`).
        For a transposed convolution, ``input_size`` is its own (small) input.
    kernel_size, stride, dilation : int or tuple of int, optional
        Fixed values (an int for every axis, or one per axis); None searches them
        (see the module's documentation for the bounds).
    padding : int, tuple or str, optional
        Fixed padding, as :class:`ConvSpec` takes it (``"same"`` in PyTorch's
        meaning: stride 1); None searches it.
    transposed : bool
        Search transposed convolutions (output padding included where needed).
    limit : int or None
        Return at most this many, the simplest (at most :data:`MAX_ANSWERS`,
        also when None, which means all of them).

    Returns
    -------
    tuple of ConvSpec
        Simplest first (see the module's documentation); empty if none.

    Raises
    ------
    ParameterError
        For an invalid argument; it names the parameter. Or for a search of more than
        :data:`conv_anim.limits.MAX_SEARCH` paddings (a large kernel or dilation given
        and the padding searched), naming ``padding``.

    Examples
    --------
    >>> [spec.padding for spec in solve((64,), (63,), kernel_size=3, dilation=1)]
    [((0, 1),), ((1, 0),)]
    >>> len(solve((64,), (63,), kernel_size=3))  # and dilated kernels, after those
    20
    >>> up = solve(32, 64, kernel_size=3, stride=2, transposed=True)[0]
    >>> up.padding, up.output_padding, up.output_size
    (((1, 1), (1, 1)), (1, 1), (64, 64))
    """
    questions = _questions(
        input_size, output_size, kernel_size, stride, padding, dilation, transposed
    )
    return _solutions(questions, limit)[0]


def _questions(
    input_size: object, output_size: object, kernel_size: object, stride: object,
    padding: object, dilation: object, transposed: object,
) -> list[_Question]:
    """Validate the arguments of :func:`solve` and split them into per-axis questions."""
    sizes = _sizes("input_size", input_size)
    outputs = _sizes("output_size", output_size)
    ndim = next((len(v) for v in (sizes, outputs) if isinstance(v, tuple)), 2)
    if isinstance(sizes, tuple) and isinstance(outputs, tuple) and len(outputs) != ndim:
        raise ParameterError.invalid(
            "output_size", output_size, f"an int >= 1 or a tuple of {ndim} such ints, as input_size"
        )
    if not isinstance(transposed, bool):
        raise ParameterError.invalid("transposed", transposed, "True or False")
    kernels, strides = _given("kernel_size", kernel_size, ndim), _given("stride", stride, ndim)
    dilations, paddings = _given("dilation", dilation, ndim), _given_padding(padding, ndim)
    if padding == "same" and any(s not in (None, 1) for s in strides):
        raise ParameterError(
            f"padding='same' needs stride 1, got stride={stride!r}: give the padding as "
            f"numbers, or leave it out to search it",
            parameter="padding", value=padding, allowed="padding='same' with stride 1 only",
        )
    per_axis = [v if isinstance(v, tuple) else (v,) * ndim for v in (sizes, outputs)]
    return [
        _Question(i, o, k, s, d, p, transposed)
        for i, o, k, s, d, p in zip(*per_axis, kernels, strides, dilations, paddings, strict=True)
    ]


def _solutions(questions: list[_Question], limit: object) -> tuple[tuple[ConvSpec, ...], int]:
    """The ``limit`` simplest answers to the per-axis questions, and how many there are."""
    most = _int(limit)
    if limit is not None and (most is None or most < 1):
        raise ParameterError.invalid("limit", limit, "None or an int >= 1")
    groups: dict[_Question, list[int]] = {}
    for axis, question in enumerate(questions):
        groups.setdefault(question, []).append(axis)
    tries = sum(question.tries() for question in groups)
    if tries > MAX_SEARCH:  # a large kernel or dilation given, the padding searched
        allowed = f"at most {MAX_SEARCH:,} paddings tried (conv_anim.limits.MAX_SEARCH)"
        raise ParameterError(
            f"searching the padding would try {tries:,} paddings (every before and after "
            f"up to d(k - 1), for each kernel_size, stride and dilation): expected {allowed}; "
            f"give the padding, or a smaller kernel_size or dilation",
            parameter="padding", value=None, allowed=allowed,
        )
    answers = [question.answers() for question in groups]
    total = 1
    for found in answers:
        total *= len(found)
    count = total if most is None else min(total, most)
    if count > MAX_ANSWERS:
        raise ParameterError.invalid(
            "limit", limit, f"an int <= {MAX_ANSWERS} (this question has {total} answers)"
        )
    specs = []
    for picks in _simplest_combinations(answers, [len(a) for a in groups.values()], count):
        chosen = {
            axis: found[pick]
            for axes, found, pick in zip(groups.values(), answers, picks, strict=True)
            for axis in axes
        }
        specs.append(_spec(questions, [chosen[axis] for axis in range(len(questions))]))
    return tuple(specs), total


def _simplest_combinations(
    answers: list[list[_AxisAnswer]], weights: list[int], count: int
) -> list[tuple[int, ...]]:
    """The ``count`` simplest picks of one answer per group, simplest first.

    A pick's key sums its answers' ranks, each weighted by its group's number of
    axes; every group's list is sorted by rank, so the key grows with each index
    and a best-first walk from the all-first pick meets the picks in order.
    """
    if count == 0:
        return []

    def key(picks: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        ranks = [found[p].rank() for found, p in zip(answers, picks, strict=True)]
        summed = tuple(sum(w * r[n] for w, r in zip(weights, ranks, strict=True))
                       for n in range(len(ranks[0])))
        return summed, picks

    start = (0,) * len(answers)
    heap, seen = [key(start)], {start}
    result: list[tuple[int, ...]] = []
    while heap and len(result) < count:
        _, picks = heapq.heappop(heap)
        result.append(picks)
        for group in range(len(picks)):
            after = picks[:group] + (picks[group] + 1,) + picks[group + 1:]
            if after[group] < len(answers[group]) and after not in seen:
                seen.add(after)
                heapq.heappush(heap, key(after))
    return result


def _spec(questions: list[_Question], axes: list[_AxisAnswer]) -> ConvSpec:
    """The :class:`ConvSpec` of one answer per axis."""
    return ConvSpec(
        tuple(q.input_size for q in questions),
        tuple(a.kernel_size for a in axes),
        tuple(a.stride for a in axes),
        tuple(a.padding for a in axes),
        tuple(a.dilation for a in axes),
        transposed=questions[0].transposed,
        output_padding=tuple(a.output_padding for a in axes),
    )


# --------------------------------------------------------------------------------------
# The sizes that share an output
# --------------------------------------------------------------------------------------


def same_output_sizes(spec: ConvSpec) -> tuple[tuple[SizeChoice, ...], ...]:
    """Per axis, the input sizes that the spec's direct convolution maps to one size.

    With a stride ``s``, ``s`` consecutive input sizes give the same output size
    (floor division); the transposed convolution, going back, must be told which
    of them to produce: that is its output padding. For a direct spec these are
    the sizes that give its output size; for a transposed spec, the output sizes
    it can produce with an output padding below its stride (the direct
    convolution it transposes maps each of them to its input size).

    Parameters
    ----------
    spec : ConvSpec
        The convolution.

    Returns
    -------
    tuple of tuple of SizeChoice
        One tuple per axis, smallest size first.

    Examples
    --------
    >>> for choice in same_output_sizes(ConvSpec((5,), 3, stride=2))[0]:
    ...     print(choice.size, choice.output_padding, choice.unreached)
    5 0 ()
    6 1 (5,)
    >>> [c.size for c in same_output_sizes(ConvSpec((3,), 3, 2, 1, transposed=True))[0]]
    [5, 6]
    """
    choices = []
    for axis in range(spec.ndim):
        k, s, d = spec.kernel_size[axis], spec.stride[axis], spec.dilation[axis]
        before, after = spec.padding[axis]
        outputs = spec.input_size[axis] if spec.transposed else spec.output_size[axis]
        smallest = (outputs - 1) * s + d * (k - 1) + 1 - before - after
        choices.append(tuple(
            SizeChoice(n, n - smallest, _unreached(n, outputs, k, s, d, before))
            for n in range(max(smallest, 1), smallest + s)
        ))
    return tuple(choices)


def _unreached(size: int, outputs: int, k: int, s: int, d: int, before: int) -> tuple[int, ...]:
    read = {o * s + t * d - before for o in range(outputs) for t in range(k)}
    return tuple(n for n in range(size) if n not in read)


# --------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------


def solve_lines(
    input_size: int | Sequence[int],
    output_size: int | Sequence[int],
    *,
    kernel_size: int | Sequence[int] | None = None,
    stride: int | Sequence[int] | None = None,
    padding: object = None,
    dilation: int | Sequence[int] | None = None,
    transposed: bool = False,
    limit: int | None = DEFAULT_LIMIT,
    output: str = "conv.gif",
) -> list[str]:
    """What ``conv-anim solve`` prints: one ``conv-anim conv`` command per answer.

    The arguments are :func:`solve`'s, and ``output``, the file each command
    writes. Lines starting with ``#`` are comments (a heading, a note when the
    limit cut the list, or why nothing was found), so the text runs as a script.

    Raises
    ------
    ParameterError
        As :func:`solve`.

    Examples
    --------
    >>> print("\\n".join(solve_lines(64, 32, kernel_size=3, dilation=1, limit=2)))
    # 64 -> 32 (kernel_size=3, dilation=1): 3 convolutions, simplest first
    conv-anim conv -i 64 -k 3 -s 2 -p 1 --max-frames 1024 -o conv.gif
    conv-anim conv -i 64 -k 3 -s 2 -p 0:1 --max-frames 1024 -o conv.gif
    # 1 more: raise the limit (2) to see them
    """
    questions = _questions(
        input_size, output_size, kernel_size, stride, padding, dilation, transposed
    )
    specs, total = _solutions(questions, limit)
    given = ", ".join(
        f"{name}={value!r}"
        for name, value in (("kernel_size", kernel_size), ("stride", stride),
                            ("padding", padding), ("dilation", dilation))
        if value is not None
    )
    kind = "transposed convolution" if transposed else "convolution"
    question = f"{_size_text(input_size)} -> {_size_text(output_size)}" + (
        f" ({given})" if given else ""
    )
    if not specs:
        return [
            f"# no {kind} maps {question} within the search: kernel_size <= "
            f"{MAX_KERNEL_SIZE}, stride <= {MAX_STRIDE}, dilation <= {MAX_DILATION} unless "
            f"given, padding <= dilation * (kernel_size - 1)"
        ]
    lines = [f"# {question}: {total} {kind}{'s' if total > 1 else ''}, simplest first"]
    lines += [f"{notation.command(spec)} -o {output}" for spec in specs]
    if total > len(specs):
        lines.append(f"# {total - len(specs)} more: raise the limit ({limit}) to see them")
    return lines


def _size_text(value: object) -> str:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "x".join(map(str, value))
    return str(value)


__all__ = [
    "DEFAULT_LIMIT", "MAX_ANSWERS", "MAX_DILATION", "MAX_KERNEL_SIZE", "MAX_STRIDE",
    "SizeChoice", "same_output_sizes", "solve", "solve_lines",
]
