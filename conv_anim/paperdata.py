"""The paper's numbers: the input and kernel its numerical figures show.

The paper's numerical figures (and the repository's numerical animations) draw a 5x5
input of ``randint(0, 4)`` and a 3x3 kernel of ``randint(0, 3)`` from
``numpy.random.RandomState(1234)``. They are written out here, so that the catalogue,
the command line and the static figures share one definition without drawing random
numbers (a test checks them against that generator).

>>> PAPER_KERNEL
((0, 1, 2), (2, 2, 0), (0, 1, 2))
>>> paper_data()[0][:2].tolist()
[[3, 3, 2, 1, 0], [0, 0, 1, 3, 1]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: The seed of the paper's numerical figures.
PAPER_SEED = 1234
#: ``RandomState(1234).randint(0, 4, size=(5, 5))``: the input.
PAPER_INPUT = (
    (3, 3, 2, 1, 0),
    (0, 0, 1, 3, 1),
    (3, 1, 2, 2, 3),
    (2, 0, 0, 2, 2),
    (2, 0, 0, 0, 1),
)
#: The next draw, ``randint(0, 3, size=(3, 3))``: the kernel.
PAPER_KERNEL = ((0, 1, 2), (2, 2, 0), (0, 1, 2))
#: Their shapes.
INPUT_SHAPE = (5, 5)
KERNEL_SHAPE = (3, 3)


def paper_data() -> tuple[np.ndarray, np.ndarray]:
    """The input and kernel of the paper's numerical figures, as integer arrays.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The 5x5 input :data:`PAPER_INPUT` and the 3x3 kernel :data:`PAPER_KERNEL`
        (new arrays: callers may change them).
    """
    # numpy is imported here, not at the top: the catalogue and the command line's
    # list and info import this module and answer without loading numpy.
    import numpy as np

    return np.array(PAPER_INPUT), np.array(PAPER_KERNEL)


def paper_corner(input_size: tuple[int, ...], kernel_size: tuple[int, ...]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The paper's numbers for a smaller figure: the top-left corner of its input and
    kernel, as the catalogue's figures beyond the paper draw them; drawn on from the
    paper's generator where a figure is larger (or not 2-D).

    Examples
    --------
    >>> values, kernel = paper_corner((3, 3), (3, 3))
    >>> values.tolist(), kernel.tolist() == [list(row) for row in PAPER_KERNEL]
    ([[3, 3, 2], [0, 0, 1], [3, 1, 2]], True)
    """
    import numpy as np  # as in paper_data

    values, kernel = paper_data()
    fits = (len(input_size) == len(kernel_size) == 2
            and all(n <= m for n, m in zip(input_size, INPUT_SHAPE, strict=True))
            and all(n <= m for n, m in zip(kernel_size, KERNEL_SHAPE, strict=True)))
    if fits:
        return (values[: input_size[0], : input_size[1]],
                kernel[: kernel_size[0], : kernel_size[1]])
    random = np.random.RandomState(PAPER_SEED)
    return random.randint(0, 4, size=input_size), random.randint(0, 3, size=kernel_size)


__all__ = [
    "INPUT_SHAPE", "KERNEL_SHAPE", "PAPER_INPUT", "PAPER_KERNEL", "PAPER_SEED", "paper_corner",
    "paper_data",
]
