"""The arithmetic of a convolution in words: the paper's relationship, the numbers
that give the output size, the equivalent direct convolution of a transposed one (and
how evenly its kernel's copies overlap), and the same layer in PyTorch, Keras and JAX.
What ``conv-anim info`` prints (no drawing, no matplotlib).

>>> from conv_anim import ConvSpec
>>> lines = info_lines(ConvSpec(5, 3, stride=2, padding=1))
>>> print(lines[0])
convolution: input 5×5 → output 3×3; k = 3, s = 2, p = 1
>>> print(lines[lines.index("PyTorch:") + 1])
    nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from conv_anim import notation
from conv_anim.backward import can_go_backward
from conv_anim.frameworks import framework_lines
from conv_anim.geometry import ConvSpec


def size_text(values: Sequence[int]) -> str:
    """``(5, 7)`` -> ``'5x7'``, as the command line writes sizes."""
    return "x".join(map(str, values))


def transposes_exactly(spec: ConvSpec) -> bool:
    """Whether a transposed spec is the transpose of the direct convolution of its
    output size: false when ``output_padding >= stride`` (possible with dilation)."""
    direct = ConvSpec(spec.output_size, spec.kernel_size, spec.stride, spec.padding,
                      spec.dilation)
    return direct.output_size == spec.input_size


#: The paper's relationships: number -> (title, output size with the axis' {fields}).
RELATIONSHIPS = {
    1: ("no zero padding, unit strides", "({i} - {k}) + 1"),
    2: ("zero padding, unit strides", "({i} - {k}) + {P} + 1"),
    3: ("half (same) padding", "{i} + 2*floor({k} / 2) - ({k} - 1)"),
    4: ("full padding", "{i} + ({k} - 1)"),
    5: ("no zero padding, non-unit strides", "floor(({i} - {k}) / {s}) + 1"),
    6: ("zero padding, non-unit strides", "floor(({i} + {P} - {k}) / {s}) + 1"),
    7: ("pooling", "floor(({i} - {k}) / {s}) + 1"),
    8: ("no zero padding, unit strides, transposed", "{i} + ({k} - 1)"),
    9: ("zero padding, unit strides, transposed", "{i} + ({k} - 1) - {P}"),
    10: ("half (same) padding, transposed", "{i} + ({k} - 1) - {P}"),
    11: ("full padding, transposed", "{i} - ({k} - 1)"),
    12: ("no zero padding, non-unit strides, transposed", "{s}{mul}({i} - 1) + {k}"),
    13: ("zero padding, non-unit strides, transposed", "{s}{mul}({i} - 1) + {k} - {P}"),
    14: ("zero padding, non-unit strides, transposed, odd: a = (i + 2p - k) mod s",
         "{s}{mul}({i} - 1) + {a} + {k} - {P}"),
    15: ("dilated convolution", "floor(({i} + {P} - {k} - ({k} - 1){mul}({d} - 1)) / {s}) + 1"),
}
#: A dilated transposed convolution, which the paper does not treat.
DILATED_TRANSPOSED = "{s}{mul}({i} - 1) + {a} + {k} + ({k} - 1){mul}({d} - 1) - {P}"
ASYMMETRIC = "; p_b + p_a (padding before + after) replaces 2p"


def info_lines(spec: ConvSpec, op: str = "conv") -> list[str]:
    """The text of ``conv-anim info``: sizes, the paper's relationship, PyTorch's layer.

    Parameters
    ----------
    spec : ConvSpec
        The convolution.
    op : {"conv", "max", "avg"}
        Convolution or pooling (pooling is never transposed).

    Returns
    -------
    list of str
        The lines. Axes that share their arithmetic are described once.

    Examples
    --------
    >>> print("\\n".join(info_lines(ConvSpec(5, 3, stride=2, padding=1))[4:6]))
    Relationship 6 (zero padding, non-unit strides): o = floor((i + 2p - k) / s) + 1
        o = floor((5 + 2*1 - 3) / 2) + 1 = 3
    """
    lines = [
        f"{notation.kind(spec, op)}: {notation.symbols(spec, op)}",
        f"python: {notation.python_call(spec)}",
        f"command: {notation.command(spec, notation.Drawing(op=None if op == 'conv' else op))}",
    ]
    if spec.transposed and not transposes_exactly(spec):
        lines.append(f"note: output padding a >= stride: no direct convolution of a "
                     f"{notation.size_text(spec.output_size)} input gives "
                     f"{notation.size_text(spec.input_size)}")
    lines.append("")
    lines += _by_axis(spec, lambda axis: _relationship_lines(spec, op, axis))
    if spec.transposed:
        lines += ["", "equivalent direct convolution (as drawn):"]
        equivalent = _by_axis(spec, lambda axis: _equivalent_lines(spec, axis))
        lines += [f"    {line}" for line in equivalent]
    if spec.transposed:
        lines += ["", f"overlap of the kernel's copies: {notation.evenness(spec)}"]
    if op == "conv" and can_go_backward(spec):
        lines += ["", f"backward pass: {notation.backward_text(spec)}"]
    lines += ["", *framework_lines(spec, op)]
    return lines


def _by_axis(spec: ConvSpec, describe: Callable[[int], list[str]]) -> list[str]:
    """Describe every axis, once if they all read the same, else each after ``axis n:``."""
    blocks = [describe(axis) for axis in range(spec.ndim)]
    if all(block == blocks[0] for block in blocks):
        return blocks[0]
    lines = []
    for axis, block in enumerate(blocks):
        lines += [f"axis {axis}: {block[0]}", *block[1:]]
    return lines


def _fields(spec: ConvSpec, axis: int) -> tuple[dict[str, str], dict[str, str]]:
    """The formula fields of one axis: symbols, and the same with the numbers."""
    before, after = spec.padding[axis]
    symmetric = before == after
    symbols = {
        "i": "i'" if spec.transposed else "i", "k": "k", "s": "s", "d": "d", "a": "a",
        "P": "2p" if symmetric else "(p_b + p_a)", "mul": "",
    }
    numbers = {
        "i": str(spec.input_size[axis]), "k": str(spec.kernel_size[axis]),
        "s": str(spec.stride[axis]), "d": str(spec.dilation[axis]),
        "a": str(spec.output_padding[axis]),
        "P": f"2*{before}" if symmetric else f"({before} + {after})", "mul": "*",
    }
    return symbols, numbers


def _relationship(spec: ConvSpec, op: str, axis: int) -> tuple[str, str]:
    """The heading naming the paper's relationship for one axis, and its formula template."""
    k, s, d = spec.kernel_size[axis], spec.stride[axis], spec.dilation[axis]
    before, after = spec.padding[axis]
    if spec.transposed and d > 1:
        return ("no relationship of the paper (a dilated transposed convolution): "
                "Relationship 14 with the dilated kernel size of Relationship 15",
                DILATED_TRANSPOSED)
    if spec.transposed:
        number = _transposed_number(k, s, before, after, spec.output_padding[axis])
    elif op != "conv":
        return _pooling_relationship(before, after, d)
    else:
        number = _direct_number(k, s, before, after, d)
    title, template = RELATIONSHIPS[number]
    return f"Relationship {number} ({title}){'' if before == after else ASYMMETRIC}", template


def _direct_number(k: int, s: int, before: int, after: int, d: int) -> int:
    """The paper's relationship (1 to 6, 15) for one axis of a direct convolution."""
    if d > 1:
        return 15
    if before != after or (before and s > 1):
        return 2 if s == 1 else 6
    if s > 1:
        return 5
    if before == 0:
        return 1
    if k % 2 and before == k // 2:
        return 3
    return 4 if before == k - 1 else 2


def _transposed_number(k: int, s: int, before: int, after: int, a: int) -> int:
    """The paper's relationship (8 to 14) for one axis of an undilated transposed convolution."""
    if a:
        return 14
    if before != after or (before and s > 1):
        return 9 if s == 1 else 13
    if s > 1:
        return 12
    if before == 0:
        return 8
    if k % 2 and before == k // 2:
        return 10
    return 11 if before == k - 1 else 9


def _pooling_relationship(before: int, after: int, d: int) -> tuple[str, str]:
    """Relationship 7, extended to padding (as Relationship 6) and dilation (as 15)."""
    heading = f"Relationship 7 ({RELATIONSHIPS[7][0]})"
    if d > 1:
        return f"{heading}, with dilation as in Relationship 15", RELATIONSHIPS[15][1]
    if before or after:
        asymmetric = "" if before == after else ASYMMETRIC
        return f"{heading}, with padding as in Relationship 6{asymmetric}", RELATIONSHIPS[6][1]
    return heading, RELATIONSHIPS[7][1]


def _relationship_lines(spec: ConvSpec, op: str, axis: int) -> list[str]:
    """The relationship, its formula, and the numbers substituted, for one axis."""
    heading, template = _relationship(spec, op, axis)
    symbols, numbers = _fields(spec, axis)
    o = "o'" if spec.transposed else "o"
    lines = [
        f"{heading}: {o} = {template.format(**symbols)}",
        f"    {o} = {template.format(**numbers)} = {spec.output_size[axis]}",
    ]
    if not spec.transposed:
        lines += _uncovered_note(spec, op, axis)
    return lines


def _uncovered_note(spec: ConvSpec, op: str, axis: int) -> list[str]:
    """The paper's odd case: with floor division, the end of the padded input is skipped."""
    i, s = spec.input_size[axis], spec.stride[axis]
    span = spec.effective_kernel_size[axis]
    skipped = (i + sum(spec.padding[axis]) - span) % s
    if not skipped:
        return []
    padding = _fields(spec, axis)[1]["P"]
    note = (f"    note: ({i} + {padding} - {span}) mod {s} = {skipped}: the last {skipped} "
            f"unit(s) of the padded input are never covered")
    if op != "conv":
        return [note]
    if any(p > span - 1 for p in spec.padding[axis]):
        return [note + ";", f"          its transpose (padding above d(k - 1) = {span - 1}) "
                            f"cannot be drawn as the paper's equivalent direct convolution"]
    return [note + ";", f"          the transpose back to size {i} needs output padding "
                        f"a = {skipped} (--output-padding {skipped})"]


def _equivalent_lines(spec: ConvSpec, axis: int) -> list[str]:
    """The paper's equivalent direct convolution of a transposed one, for one axis."""
    equivalent = spec.equivalent_direct()
    i, k, s = spec.input_size[axis], spec.kernel_size[axis], spec.stride[axis]
    d, a = spec.dilation[axis], spec.output_padding[axis]
    before, after = spec.padding[axis]
    stretched = equivalent.stretched_size[axis]
    new_before, new_after = equivalent.padding[axis]
    span = spec.effective_kernel_size[axis]
    reach, reach_numbers = ("k - 1", f"{k} - 1") if d == 1 else ("d(k - 1)", f"{d}*({k} - 1)")
    if before == after:
        padding = (f"padding: p' = {reach} - p = {reach_numbers} - {before} = {new_before} "
                   f"on each side")
    else:
        padding = (f"padding: p'_b = {reach} - p_b = {reach_numbers} - {before} = "
                   f"{new_before} before, p'_a = {reach} - p_a = {reach_numbers} - {after} = "
                   f"{new_after - a} after")
    if a:
        padding += f", plus a = {a} after (bottom/right)"
    kernel = f"kernel k' = k = {k}, flipped"
    if d > 1:
        kernel += f", dilated by d = {d} (span {span})"
    return [
        f"stretched input: (i' - 1)*s + 1 = ({i} - 1)*{s} + 1 = {stretched}, with s - 1 = "
        f"{s - 1} zero(s) inserted between units",
        padding,
        f"{kernel}; stride s' = 1: o' = ({stretched} + {new_before} + {new_after} - {span}) + 1 "
        f"= {spec.output_size[axis]}",
    ]
