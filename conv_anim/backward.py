"""The backward pass as a convolution: the spec whose forward pass computes dL/dx.

The paper's chapter 4: a convolution is a matrix C, and its gradient with respect
to its input is ``C.T``, which is the matrix of the *transposed* convolution with
the same kernel, stride, padding and dilation. :func:`backward_spec` gives that
convolution: for a direct convolution, the transposed convolution whose input is
``dL/dy`` (the direct one's output size) and whose output is ``dL/dx`` (the direct
one's input size); for a transposed convolution, the direct convolution with the
same parameters. Channels swap: the kernel keeps its shape and its weights.

With a stride, ``s`` consecutive input sizes give the same output size (the
floor in ``(i + p_b + p_a - e) // s + 1``): going back, the transposed convolution
is told which of them to produce by its output padding
``a = (i + p_b + p_a - e) mod s``. The units it adds are those no window of the
direct convolution reads, and their gradient is zero.

The module is numpy-free; :meth:`ConvSpec.apply` of the result computes the values.

>>> from conv_anim import ConvSpec
>>> back = backward_spec(ConvSpec(6, 3, stride=2, padding=1))
>>> back.input_size, back.output_size, back.output_padding
((3, 3), (6, 6), (1, 1))
>>> backward_spec(back) == ConvSpec(6, 3, stride=2, padding=1)
True
"""

from __future__ import annotations

from conv_anim.errors import ParameterError
from conv_anim.geometry import ConvSpec


def backward_spec(spec: ConvSpec) -> ConvSpec:
    """The convolution whose forward pass is ``spec``'s gradient with respect to its input.

    ``backward_spec(spec).apply(grad_output, kernel)`` equals
    ``spec.grad_input(grad_output, kernel)`` (PyTorch autograd's ``x.grad``), with
    the same kernel array.

    Parameters
    ----------
    spec : ConvSpec
        The forward convolution, direct or transposed, any number of axes, with
        channels and groups.

    Returns
    -------
    ConvSpec
        For a direct ``spec``: the transposed convolution of its output size with
        the same kernel size, stride, padding, dilation and groups, channels
        swapped, and the output padding that gives back its input size. For a
        transposed ``spec``: the direct convolution of its output size with the
        same parameters, channels swapped.

    Raises
    ------
    ParameterError
        If the backward pass is not a convolution ConvSpec draws: a direct
        convolution padded by more than ``dilation * (kernel_size - 1)`` on a side
        (its transpose would need negative padding), or a transposed one whose
        output padding is not below its stride (the direct convolution of its
        output would have a larger output than its input).

    Examples
    --------
    >>> backward_spec(ConvSpec(5, 3, stride=2, padding=1))
    ConvSpec(input_size=(3, 3), kernel_size=(3, 3), stride=(2, 2), padding=((1, 1), (1, 1)), \
dilation=(1, 1), transposed=True, output_padding=(0, 0), in_channels=1, out_channels=1, groups=1)
    >>> print(backward_spec(ConvSpec(3, 3, stride=2, padding=1, transposed=True)))
    ConvSpec(5, 3, stride=2, padding=1)
    >>> backward_spec(ConvSpec(5, 3, in_channels=4, out_channels=2)).kernel_shape
    (2, 4, 3, 3)
    """
    if spec.transposed:
        _check_output_padding(spec)
        return ConvSpec(spec.output_size, spec.kernel_size, spec.stride, spec.padding,
                        spec.dilation, in_channels=spec.out_channels,
                        out_channels=spec.in_channels, groups=spec.groups)
    _check_padding(spec)
    output_padding = tuple(
        (i + before + after - e) % s
        for i, (before, after), e, s in zip(
            spec.input_size, spec.padding, spec.effective_kernel_size, spec.stride, strict=True
        )
    )
    return ConvSpec(spec.output_size, spec.kernel_size, spec.stride, spec.padding,
                    spec.dilation, transposed=True, output_padding=output_padding,
                    in_channels=spec.out_channels, out_channels=spec.in_channels,
                    groups=spec.groups)


def can_go_backward(spec: ConvSpec) -> bool:
    """Whether :func:`backward_spec` can draw ``spec``'s backward pass.

    >>> can_go_backward(ConvSpec(5, 3, padding=1)), can_go_backward(ConvSpec(5, 3, padding=3))
    (True, False)
    """
    try:
        backward_spec(spec)
    except ParameterError:
        return False
    return True


def _check_padding(spec: ConvSpec) -> None:
    """A direct spec whose transpose exists: padding at most the dilated kernel's span."""
    for axis, ((before, after), e) in enumerate(
        zip(spec.padding, spec.effective_kernel_size, strict=True)
    ):
        if max(before, after) > e - 1:
            raise ParameterError(
                f"backward=True needs padding <= dilation * (kernel_size - 1) = {e - 1} on "
                f"every side, got padding {spec.padding[axis]} on axis {axis}: the gradient "
                f"is drawn as the transposed convolution, whose equivalent direct "
                f"convolution would need negative padding",
                parameter="padding", value=spec.padding, allowed=f"padding <= {e - 1}",
            )


def _check_output_padding(spec: ConvSpec) -> None:
    """A transposed spec whose gradient is a direct convolution of the same parameters."""
    for axis, (a, s) in enumerate(zip(spec.output_padding, spec.stride, strict=True)):
        if a >= s:
            raise ParameterError(
                f"backward=True needs output_padding < stride on every axis, got "
                f"output_padding {a} with stride {s} on axis {axis}: the direct convolution "
                f"of the output would give {a // s} more unit(s) than the input",
                parameter="output_padding", value=spec.output_padding,
                allowed="output_padding < stride",
            )


def check_backward(backward: object, flip: object) -> bool:
    """``backward``, validated: a bool, and not with ``flip`` (a flipped kernel's
    backward pass is not what ``backward=True`` draws).

    Examples
    --------
    >>> check_backward(True, False)
    True
    """
    if not isinstance(backward, bool):
        raise ParameterError.invalid("backward", backward, "True or False")
    if backward and flip is True:
        raise ParameterError(
            "flip=True does not apply with backward=True: the gradient is drawn with the "
            "forward convolution's kernel, as autograd uses it; expected flip=False",
            parameter="flip", value=flip, allowed="False with backward=True",
        )
    return backward


__all__ = ["backward_spec", "can_go_backward", "check_backward"]
