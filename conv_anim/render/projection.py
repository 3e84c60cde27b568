"""The paper's slanted pseudo-3-D projection, in cell units.

The original figures are TikZ pictures drawn with ``yslant=0.5, xslant=-0.7``: a
point (x, y) of the plane (x to the right along a row, y upwards) lands at
``(x - 0.7 y, 0.5 x + 0.65 y)``. A grid of R rows and C columns puts cell (r, c)
at ``x in [c, c + 1]``, ``y in [R - 1 - r, R - r]``: row 0 is the far (upper-left)
edge, as in the animations.
"""

from __future__ import annotations

import numpy as np

XSLANT = -0.7
YSLANT = 0.5
#: Maps plane coordinates (x, y) to the page: page = plane @ SLANT.T
SLANT = np.array([[1.0, XSLANT], [YSLANT, 1.0 + YSLANT * XSLANT]])


def project(points: np.ndarray) -> np.ndarray:
    """Project plane points of shape (..., 2) onto the page."""
    return np.asarray(points, dtype=float) @ SLANT.T


def grid_segments(
    row0: int, col0: int, nrows: int, ncols: int, rows: int, origin: tuple[float, float] = (0.0, 0.0)
) -> np.ndarray:
    """Page segments (M, 2, 2) of the grid lines bounding every cell of a block.

    Vertical lines run bottom to top and horizontal lines left to right, as TikZ's
    ``grid`` draws them (this fixes where each dash pattern starts).
    """
    bottom, top = rows - row0 - nrows, rows - row0
    left, right = col0, col0 + ncols
    xs = np.arange(left, right + 1, dtype=float)
    ys = np.arange(bottom, top + 1, dtype=float)
    vertical = np.stack(
        [np.stack([xs, np.full_like(xs, bottom)], -1), np.stack([xs, np.full_like(xs, top)], -1)],
        axis=1,
    )
    horizontal = np.stack(
        [np.stack([np.full_like(ys, left), ys], -1), np.stack([np.full_like(ys, right), ys], -1)],
        axis=1,
    )
    return project(np.concatenate([vertical, horizontal])) + np.asarray(origin)


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
