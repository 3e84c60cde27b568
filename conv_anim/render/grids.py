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

import numpy as np
from matplotlib.path import Path

from conv_anim.geometry import ConvSpec
from conv_anim.render.base import Point
from conv_anim.render.shapes import quads_path, segments_path

XSLANT = -0.7
YSLANT = 0.5
#: Maps plane coordinates (x, y) to the page: page = plane @ SLANT.T
SLANT = np.array([[1.0, XSLANT], [YSLANT, 1.0 + YSLANT * XSLANT]])
#: Half the side of the square in which clip paths cut their holes.
CLIP_REACH = 1e4


def project(points: np.ndarray) -> np.ndarray:
    """Project plane points of shape (..., 2) onto the page (the paper's slant)."""
    return np.asarray(points, dtype=float) @ SLANT.T


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


def slanted_grid_lines(
    row0: int, col0: int, nrows: int, ncols: int, rows: int, origin: Point = (0.0, 0.0)
) -> np.ndarray:
    """Page segments (M, 2, 2) of the lines bounding every cell of a block of a slanted
    grid of ``rows`` rows: the block's first cell is ``(row0, col0)``."""
    plane = grid_lines(nrows, ncols, (float(col0), float(rows - row0 - nrows)))
    return project(plane) + np.asarray(origin)


def slanted_lattice(rows: int, cols: int, origin: Point = (0.0, 0.0)) -> np.ndarray:
    """Page coordinates (rows + 1, cols + 1, 2) of a slanted grid's corners; ``[r, c]``
    is cell (r, c)'s top-left."""
    r, c = np.meshgrid(np.arange(rows + 1), np.arange(cols + 1), indexing="ij")
    return project(np.stack([c, rows - r], axis=-1)) + np.asarray(origin)


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


def footprint_paths(
    spec: ConvSpec, input_quads: np.ndarray, cell: float = 1.0
) -> tuple[Path, Path]:
    """The first step's footprint on a slanted input grid: the taps' cells, and the
    grid lines of every cell of the dilated window (only the taps are shaded).

    ``input_quads`` are the input grid's cells (:func:`cell_quads`), drawn with cells of
    side ``cell``.
    """
    er, ec = spec.effective_kernel_size
    taps = np.zeros((er, ec), dtype=bool)
    taps[:: spec.dilation[0], :: spec.dilation[1]] = True
    window = input_quads[:er, :ec]
    lines = slanted_grid_lines(0, 0, er, ec, spec.grid.size[0]) * cell
    return quads_path(window[taps]), segments_path(lines)


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
    "SLANT", "ConvexOccluder", "cell_centre", "cell_quads", "cell_square", "convex_overlap",
    "footprint_paths", "grid_lines", "grid_outline", "lattice_lines", "outside", "project",
    "quad_centre", "row_quads", "slanted_grid_lines", "slanted_lattice",
]
