"""Every lattice, grid line, cell polygon and clip path the scenes draw, in page units.

Flat grids (the numerical figures, rows of 1-D cells) are drawn as they are; the
paper's arithmetic figures are TikZ pictures drawn with ``yslant=0.5, xslant=-0.7``:
a point (x, y) of the plane (x to the right along a row, y upwards) lands at
``(x - 0.7 y, 0.5 x + 0.65 y)`` (:func:`project`). A grid of R rows and C columns
puts cell (r, c) at ``x in [c, c + 1]``, ``y in [R - 1 - r, R - r]``: row 0 is the far
(upper-left) edge, as in the animations.

Grid lines come in TikZ's ``grid`` order (vertical lines bottom to top, then
horizontal ones left to right), which fixes where each dash pattern starts.

>>> grid_lines(1, 2).tolist()[0]
[[0.0, 0.0], [0.0, 1.0]]
>>> project(np.array([1.0, 1.0])).tolist()
[0.30000000000000004, 1.15]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.path import Path

from conv_anim.geometry import ConvSpec, InputGrid
from conv_anim.render.base import RGBA, THICK, Point
from conv_anim.render.shapes import Shape, quads_path, segments_path

XSLANT = -0.7
YSLANT = 0.5
#: Maps plane coordinates (x, y) to the page: page = plane @ SLANT.T
SLANT = np.array([[1.0, XSLANT], [YSLANT, 1.0 + YSLANT * XSLANT]])
#: Half the side of the square in which clip paths cut their holes.
CLIP_REACH = 1e4


def project(points: np.ndarray) -> np.ndarray:
    """Project plane points of shape (..., 2) onto the page (the paper's slant)."""
    page: np.ndarray = np.asarray(points, dtype=float) @ SLANT.T
    return page


def grid_lines(
    rows: int, cols: int, origin: Point = (0.0, 0.0), cell: float = 1.0
) -> np.ndarray:
    """Segments (rows + cols + 2, 2, 2) of a flat grid's lines, in TikZ's order.

    ``origin`` is the grid's bottom-left corner, ``cell`` a cell's side.
    """
    x0, y0 = origin
    xs = x0 + cell * np.arange(cols + 1, dtype=float)
    ys = y0 + cell * np.arange(rows + 1, dtype=float)
    top, right = y0 + cell * rows, x0 + cell * cols
    vertical = np.stack([np.stack([xs, np.full_like(xs, y0)], -1),
                         np.stack([xs, np.full_like(xs, top)], -1)], axis=1)
    horizontal = np.stack([np.stack([np.full_like(ys, x0), ys], -1),
                           np.stack([np.full_like(ys, right), ys], -1)], axis=1)
    return np.concatenate([vertical, horizontal])


def unit_mask(grid: InputGrid) -> np.ndarray:
    """A boolean array of the grid's shape, True at its real units.

    >>> from conv_anim import ConvSpec
    >>> unit_mask(ConvSpec(2, 1, padding=1).grid).astype(int).tolist()
    [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    """
    mask = np.zeros(grid.size, dtype=bool)
    mask[np.ix_(*grid.axis_positions())] = True
    return mask


def plane(index: Sequence[int]) -> tuple[int, int]:
    """A 1-D index, offset or size as the single row of a 2-D one; 2-D unchanged.

    >>> plane((4,)), plane((2, 3))
    ((0, 4), (2, 3))
    """
    return (0, index[0]) if len(index) == 1 else (index[0], index[1])


def plane_size(size: Sequence[int]) -> tuple[int, int]:
    """A 1-D size as one row of cells; a 2-D size unchanged.

    >>> plane_size((4,)), plane_size((2, 3))
    ((1, 4), (2, 3))
    """
    return (1, size[0]) if len(size) == 1 else (size[0], size[1])


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """The ``(start, stop)`` of every run of True in a 1-D boolean array."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


@dataclass(frozen=True, eq=False)
class CellEdges:
    """The edges of a grid's marked cells (a grid's real units), each stroked once.

    A grid of R rows and C columns has horizontal edges ``(R + 1, C)`` (edge ``[r, c]``
    is the top of cell ``(r, c)``; ``[R, c]`` the bottom of the last row) and vertical
    edges ``(R, C + 1)`` (``[r, c]`` is the left of cell ``(r, c)``). An edge is solid
    when a marked cell borders it; the others belong to the dashed padding grid.
    Strokes of one lattice never overlap, so that every line has the one weight of
    the paper's: a shared edge stroked twice would be drawn darker and wider.

    Examples
    --------
    >>> edges = CellEdges.of(np.array([[False, True], [False, False]]))
    >>> edges.solid().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[[1.0, 1.0], [1.0, 2.0]], [[2.0, 1.0], [2.0, 2.0]],
     [[1.0, 1.0], [2.0, 1.0]], [[1.0, 2.0], [2.0, 2.0]]]
    """

    horizontal: np.ndarray
    vertical: np.ndarray

    @classmethod
    def of(cls, marked: np.ndarray) -> CellEdges:
        """The solid edges of a grid whose marked cells are True in ``marked`` (R, C)."""
        padded = np.pad(np.asarray(marked, dtype=bool), 1)
        return cls(padded[:-1, 1:-1] | padded[1:, 1:-1], padded[1:-1, :-1] | padded[1:-1, 1:])

    @property
    def rows(self) -> int:
        """R, the grid's rows."""
        return int(self.vertical.shape[0])

    def _lines(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every grid line in TikZ's ``grid`` order (vertical lines bottom to top, then
        horizontal ones left to right): its plane start and end, and which of its unit
        edges (in that order) are solid."""
        rows = self.rows
        cols = self.horizontal.shape[1]
        lines = []
        for c in range(cols + 1):
            lines.append((np.array([c, 0.0]), np.array([c, float(rows)]), self.vertical[::-1, c]))
        for y in range(rows + 1):
            lines.append((np.array([0.0, y]), np.array([float(cols), y]),
                          self.horizontal[rows - y]))
        return lines

    def solid(self) -> np.ndarray:
        """Plane segments (M, 2, 2) of the solid edges, collinear ones joined into one."""
        segments = [
            [start + (end - start) * a / len(flags), start + (end - start) * b / len(flags)]
            for start, end, flags in self._lines() for a, b in _runs(flags)
        ]
        return np.array(segments, dtype=float).reshape(-1, 2, 2)

    def dashed(self, place: Callable[[np.ndarray], np.ndarray],
               dashes: tuple[float, float]) -> np.ndarray:
        """Page segments (M, 2, 2) of the dashes of the grid's other edges.

        TikZ dashes each whole grid line from its start (``dashes``: on and off lengths
        in page units); the dashes over solid edges are left out, so that no line is
        stroked twice. ``place`` maps plane points (..., 2) to the page.
        """
        on, off = dashes
        pieces = []
        for start, end, flags in self._lines():
            a, b = place(start), place(end)
            length = float(np.hypot(*(b - a)))
            if length == 0:
                continue
            begin = np.arange(0.0, length, on + off)
            dash = np.stack([begin, np.minimum(begin + on, length)], axis=1) * len(flags) / length
            for lo, hi in _runs(~flags):
                clipped = np.clip(dash, lo, hi)
                clipped = clipped[clipped[:, 1] > clipped[:, 0]] / len(flags)
                pieces.append(a + (b - a) * clipped[..., None])
        return np.concatenate(pieces) if pieces else np.zeros((0, 2, 2))

    def window(self, row: int, col: int, rows: int, cols: int) -> np.ndarray:
        """Plane segments (M, 2, 2) of the grid of the window of ``rows`` x ``cols``
        cells whose first cell is ``(row, col)``, but for the solid edges (which are
        drawn already): the footprint's grid over padding and inserted zeros."""
        window = CellEdges(
            ~self.horizontal[row:row + rows + 1, col:col + cols],
            ~self.vertical[row:row + rows, col:col + cols + 1],
        )
        # The window's own plane coordinates, moved to the grid's.
        segments: np.ndarray = window.solid() + np.array([col, self.rows - row - rows], float)
        return segments


def slanted_grid_lines(
    row0: int, col0: int, nrows: int, ncols: int, rows: int, origin: Point = (0.0, 0.0)
) -> np.ndarray:
    """Page segments (M, 2, 2) of the lines bounding every cell of a block of a slanted
    grid of ``rows`` rows: the block's first cell is ``(row0, col0)``."""
    plane = grid_lines(nrows, ncols, (float(col0), float(rows - row0 - nrows)))
    page: np.ndarray = project(plane) + np.asarray(origin)
    return page


def slanted_lattice(rows: int, cols: int, origin: Point = (0.0, 0.0)) -> np.ndarray:
    """Page coordinates (rows + 1, cols + 1, 2) of a slanted grid's corners; ``[r, c]``
    is cell (r, c)'s top-left."""
    r, c = np.meshgrid(np.arange(rows + 1), np.arange(cols + 1), indexing="ij")
    page: np.ndarray = project(np.stack([c, rows - r], axis=-1)) + np.asarray(origin)
    return page


def cell_quads(lattice: np.ndarray) -> np.ndarray:
    """Cell polygons (..., rows, cols, 4, 2) from a corner lattice (..., rows + 1,
    cols + 1, 2), or a stack of them: BL, BR, TR, TL."""
    return np.stack(
        [lattice[..., 1:, :-1, :], lattice[..., 1:, 1:, :], lattice[..., :-1, 1:, :],
         lattice[..., :-1, :-1, :]], axis=-2,
    )


def grid_outline(lattice: np.ndarray) -> np.ndarray:
    """The four corners (..., 4, 2) of a whole lattice, or of each of a stack: BL, BR,
    TR, TL."""
    return lattice[..., [-1, -1, 0, 0], [0, -1, -1, 0], :]


def lattice_lines(lattice: np.ndarray) -> np.ndarray:
    """Segments (rows + cols + 2, 2, 2) of every line of a lattice: columns bottom to
    top, then rows far to near."""
    return np.concatenate([
        np.stack([lattice[-1, :], lattice[0, :]], axis=1),
        np.stack([lattice[:, 0], lattice[:, -1]], axis=1),
    ])


def row_quads(count: int, origin: Point, cell: float) -> np.ndarray:
    """Corners (count, 4, 2) of a row of square cells: BL, BR, TR, TL."""
    x0, y0 = origin
    left = x0 + cell * np.arange(count, dtype=float)
    bottom = np.full(count, y0)
    corners = [(left, bottom), (left + cell, bottom), (left + cell, bottom + cell),
               (left, bottom + cell)]
    return np.stack([np.stack(c, axis=-1) for c in corners], axis=1)


def cell_square(x: float, y: float, inset: float = 0.0, cell: float = 1.0) -> np.ndarray:
    """The corners (4, 2) of the square cell whose bottom-left is (x, y), shrunk by
    ``inset`` on every side: BL, BR, TR, TL."""
    lo, hi = inset, cell - inset
    return np.array([[x + lo, y + lo], [x + hi, y + lo], [x + hi, y + hi], [x + lo, y + hi]])


def cell_centre(corner: Point) -> Point:
    """The centre of the unit cell whose bottom-left corner is ``corner``."""
    return corner[0] + 0.5, corner[1] + 0.5


def quad_centre(quad: np.ndarray) -> Point:
    """The centre of a parallelogram (4, 2), corners in order (BL, BR, TR, TL)."""
    (x0, y0), _, (x1, y1), _ = quad
    return float(x0 + x1) / 2, float(y0 + y1) / 2


def footprint_fill(spec: ConvSpec, input_quads: np.ndarray) -> Path:
    """The first step's footprint on an input grid: the cells of its taps (with dilation,
    only the taps are shaded). ``input_quads`` are the input grid's cells
    (:func:`cell_quads`), the first axes those of the grid's last two."""
    er, ec = spec.effective_kernel_size[-2:]
    taps = np.zeros((er, ec), dtype=bool)
    taps[:: spec.dilation[-2], :: spec.dilation[-1]] = True
    return quads_path(input_quads[:er, :ec][taps])


def input_shapes(
    edges: CellEdges, units: np.ndarray, place: Callable[[np.ndarray], np.ndarray], *,
    dashes: tuple[float, float], face: RGBA, edge: RGBA, zorder: float,
    offset: Point = (0.0, 0.0),
) -> list[Shape]:
    """An input grid, each of its lines stroked once: the dashed padding grid (dashes as
    segments, none under a solid edge), the units' fill, then the units' edges.

    Parameters
    ----------
    edges : CellEdges
        The grid's edges, solid where a unit borders them.
    units : numpy.ndarray
        The units' cell polygons (N, 4, 2), page coordinates.
    place : callable
        Maps plane points (..., 2) of the grid to the page.
    dashes : tuple of float
        On and off lengths of the padding grid's dashes, in page units.
    face, edge : RGBA
        The units' colour and the lines' colour.
    zorder : float
        Stacking order of the three shapes.
    offset : tuple of float
        Page translation of every shape.
    """
    dashed = edges.dashed(place, dashes)
    shapes = [Shape(quads_path(units), face=face, zorder=zorder, offset=offset)]
    shapes.append(Shape(segments_path(place(edges.solid())), edge=edge, linewidth=THICK,
                        zorder=zorder, offset=offset))
    if len(dashed):
        shapes.insert(0, Shape(segments_path(dashed), edge=edge, linewidth=THICK, zorder=zorder,
                               offset=offset))
    return shapes


def footprint_grid(edges: CellEdges, start: tuple[int, ...], size: tuple[int, ...],
                   place: Callable[[np.ndarray], np.ndarray]) -> Path:
    """The grid of a footprint's window at ``start`` (``size`` cells, row and column)
    where the input grid does not draw a solid edge already: over padding and inserted
    zeros."""
    (row, col), (rows, cols) = start, size
    return segments_path(place(edges.window(row, col, rows, cols)))


def outside(polygons: np.ndarray) -> Path:
    """A clip path: the page but for the interiors of non-overlapping polygons (N, M, 2)."""
    reach = CLIP_REACH
    page = Path(np.array([[-reach, -reach], [reach, -reach], [reach, reach], [-reach, reach],
                          [-reach, -reach]]))
    holes = [Path(np.concatenate([polygon[::-1], polygon[-1:]])) for polygon in polygons]
    return Path.make_compound_path(page, *holes)


class ConvexOccluder:
    """A convex polygon (M, 2) that hides what lies behind it on the page."""

    def __init__(self, polygon: np.ndarray) -> None:
        polygon = np.asarray(polygon, dtype=float)
        edges = np.roll(polygon, -1, axis=0) - polygon
        normals = np.stack([edges[:, 1], -edges[:, 0]], axis=1)
        # Orient the normals outwards.
        normals *= np.sign(np.einsum("md,md->m", normals, polygon - polygon.mean(axis=0)))[:, None]
        self._normals_t = normals.T
        self._levels = np.einsum("md,md->m", normals, polygon)

    def visible_part(self, segments: np.ndarray) -> np.ndarray:
        """Clip segments (N, 2, 2) to the part before they enter the polygon.

        Each segment runs from a point A to a point B inside or on the polygon (a line
        from the input plane up to the output cell); what lies over the polygon is
        hidden. Returns segments from A to where each enters the polygon.
        """
        a, d = segments[:, 0], segments[:, 1] - segments[:, 0]
        den = d @ self._normals_t
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (self._levels - a @ self._normals_t) / den
        t_enter = np.where(den < 0, t, -np.inf).max(axis=1)
        t_enter = np.clip(np.where(np.isfinite(t_enter), t_enter, 1.0), 0.0, 1.0)
        return np.stack([a, a + t_enter[:, None] * d], axis=1)


def convex_overlap(p: np.ndarray, q: np.ndarray) -> bool:
    """True when two convex polygons (M, 2) overlap with positive area (separating axes)."""
    for poly in (p, q):
        edges = np.roll(poly, -1, axis=0) - poly
        for nx, ny in zip(edges[:, 1], -edges[:, 0], strict=True):
            axis = np.array([nx, ny])
            pa, qa = p @ axis, q @ axis
            if pa.max() <= qa.min() + 1e-9 or qa.max() <= pa.min() + 1e-9:
                return False
    return True


__all__ = [
    "SLANT", "CellEdges", "ConvexOccluder", "cell_centre", "cell_quads", "cell_square",
    "convex_overlap", "footprint_fill", "footprint_grid", "grid_lines", "grid_outline",
    "input_shapes", "lattice_lines", "outside", "plane", "plane_size", "project",
    "quad_centre", "row_quads", "slanted_grid_lines", "slanted_lattice", "unit_mask",
]
