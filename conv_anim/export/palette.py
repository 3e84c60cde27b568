"""The fixed GIF palette of a theme, and the lookup table that maps pixels to it.

A :class:`Palette` is built from the theme's colours (not from frame content), so every
frame of an animation shares one colour table. Pixels are mapped by one lookup per pixel
in a 16 MiB table indexed by the 24-bit colour; the tables of the few most recently used
palettes are cached process-wide (:data:`CACHED_TABLES`), not one per palette.

>>> palette = Palette.from_colors([(255, 255, 255), (0, 0, 0)], levels=3)
>>> [tuple(int(v) for v in c) for c in palette.colors]
[(255, 255, 255), (0, 0, 0), (64, 64, 64), (128, 128, 128), (191, 191, 191)]
>>> palette.indices(np.array([[[255, 255, 255], [120, 130, 125]]], np.uint8)).tolist()
[[0, 3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from PIL import Image

from conv_anim.errors import ParameterError
from conv_anim.export.frames import rgb_frame
from conv_anim.params import is_int

__all__ = ["CACHED_TABLES", "MAX_PALETTE", "RGB", "Palette", "packed_colors"]

RGB = tuple[int, int, int]
#: The most colours a GIF colour table holds.
MAX_PALETTE = 256
#: How many palettes' 16 MiB lookup tables are kept (least recently used dropped).
CACHED_TABLES = 4
#: Bits per channel of the grid on which non-palette colours are matched (cells of 4**3).
_GRID_BITS = 6


@dataclass(frozen=True, eq=False)
class Palette:
    """A fixed colour table of at most 256 distinct RGB colours.

    Parameters
    ----------
    colors
        ``(n, 3)`` integers 0-255, ``1 <= n <= 256``, all rows distinct. Stored as a
        read-only ``uint8`` array. Row ``i`` is palette index ``i``.

    Raises
    ------
    ParameterError
        (parameter ``colors``) otherwise.

    Notes
    -----
    Build it from the theme with :meth:`from_colors`, not from frame content, so that
    every frame of an animation (and every animation of a theme) shares one table.
    Palettes compare and hash by their colours.
    """

    colors: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "colors", _color_table(self.colors))

    def __len__(self) -> int:
        return len(self.colors)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Palette):
            return NotImplemented
        return np.array_equal(self.colors, other.colors)

    def __hash__(self) -> int:
        return hash(self.colors.tobytes())

    @classmethod
    def from_colors(
        cls,
        colors: Sequence[RGB],
        *,
        blends: Iterable[tuple[RGB, RGB]] | None = None,
        levels: int = 15,
    ) -> Palette:
        """Build a palette from base colours and the blends between them.

        Parameters
        ----------
        colors
            The base colours, e.g. the theme's background, fills, lines and the
            pre-composited shadow colours. Duplicates are dropped.
        blends
            Pairs of base colours that meet in the pictures (antialiased edges between
            them produce blends). Default: every pair of base colours.
        levels
            How many evenly spaced blends to add per pair: the colours
            ``a + (b - a) * k / (levels + 1)`` for ``k = 1 .. levels``, rounded.

        Returns
        -------
        Palette
            The base colours first, in the given order (so ``colors[0]``, typically the
            background, is index 0), then the blend colours that are not base colours,
            deduplicated and sorted by ``(b, g, r)`` value.

        Raises
        ------
        ParameterError
            If there are more than 256 distinct base colours (``colors``), a blend
            pair names a colour that is not a base colour (``blends``), or ``levels``
            is not an int >= 0.

        Notes
        -----
        If the table would exceed 256 entries, ``levels`` is lowered, the same for every
        pair, to the largest value whose table fits (down to 0: base colours only).
        """
        if not is_int(levels) or levels < 0:
            raise ParameterError.invalid("levels", levels, "an int >= 0")
        base = _distinct_in_order(_color_rows(colors))
        if len(base) > MAX_PALETTE:
            raise ParameterError(
                f"{len(base)} distinct base colours do not fit in a palette of "
                f"{MAX_PALETTE} colours",
                parameter="colors", value=f"{len(base)} colours",
                allowed=f"at most {MAX_PALETTE} distinct colours",
            )
        pairs = _blend_pairs(base, blends)
        for count in range(int(levels), -1, -1):
            table = np.concatenate([base, _new_blends(base, pairs, count)])
            if len(table) <= MAX_PALETTE:
                return cls(table)
        raise AssertionError("unreachable: levels=0 gives the base colours only")

    def indices(self, frame: np.ndarray) -> np.ndarray:
        """Map each pixel to a palette index, without dithering.

        Parameters
        ----------
        frame
            ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8`` pixels (alpha ignored).

        Returns
        -------
        numpy.ndarray
            ``(H, W)`` ``uint8`` indices. A pixel whose colour is a palette colour gets
            that colour's index, exactly. Any other colour gets the palette colour
            nearest to some point of its 4x4x4 cell of RGB space (at most
            ``6 * sqrt(3) ~ 10.4`` farther than the true nearest palette colour).

        Raises
        ------
        ParameterError
            (parameter ``frame``) for other shapes or dtypes.

        Notes
        -----
        One lookup per pixel in a 16 MiB table indexed by the full 24-bit colour, built
        on first use; the tables of the last :data:`CACHED_TABLES` palettes used are
        kept.
        """
        rgb = rgb_frame(frame)
        height, width, _ = rgb.shape
        table = _lookup_table(self.colors.tobytes())
        return np.take(table, packed_colors(rgb)).reshape(height, width)


def _color_rows(colors: object) -> np.ndarray:
    """Validate colours as an ``(n, 3)`` ``uint8`` array (n may be 0 here)."""
    table = np.asarray(colors)
    allowed = "(n, 3) integer RGB rows, each 0-255"
    if table.ndim != 2 or table.shape[1] != 3 or table.dtype.kind not in "iu":
        raise ParameterError(
            f"colors must be {allowed}, got an array of shape {table.shape} and dtype "
            f"{table.dtype}",
            parameter="colors", value=f"an array of shape {table.shape}", allowed=allowed,
        )
    if table.size and (table.min() < 0 or table.max() > 255):
        raise ParameterError(
            "colors must hold integers 0-255",
            parameter="colors", value=f"values {table.min()} to {table.max()}", allowed=allowed,
        )
    return table.astype(np.uint8)


def _color_table(colors: object) -> np.ndarray:
    """Validate a palette's table: 1-256 distinct RGB rows; return it read-only."""
    table = _color_rows(colors)
    allowed = f"1 to {MAX_PALETTE} distinct RGB colours"
    if not 1 <= len(table) <= MAX_PALETTE:
        raise ParameterError(
            f"a palette holds 1 to {MAX_PALETTE} colours, got {len(table)}",
            parameter="colors", value=f"{len(table)} colours", allowed=allowed,
        )
    if len(np.unique(_pack(table))) != len(table):
        raise ParameterError(
            "palette colours must be distinct",
            parameter="colors", value="repeated colours", allowed=allowed,
        )
    table.flags.writeable = False
    return table


def _pack(colors: np.ndarray) -> np.ndarray:
    """24-bit keys ``r | g << 8 | b << 16`` of ``(..., 3)`` colours, as ``intp``."""
    wide = colors.astype(np.intp)
    return wide[..., 0] | wide[..., 1] << 8 | wide[..., 2] << 16


def _distinct_in_order(colors: np.ndarray) -> np.ndarray:
    """Drop repeated colours, keeping first occurrences in their order."""
    _, first = np.unique(_pack(colors), return_index=True)
    return colors[np.sort(first)]


def _blend_pairs(base: np.ndarray, blends: Iterable[tuple[RGB, RGB]] | None) -> np.ndarray:
    """The ``(m, 2, 3)`` colour pairs to blend; each colour must be a base colour."""
    if blends is None:
        return np.array(list(combinations(base, 2)), dtype=np.uint8).reshape(-1, 2, 3)
    pairs = np.asarray(list(blends))
    if pairs.size == 0:
        return np.empty((0, 2, 3), np.uint8)
    allowed = "pairs of base colours"
    if pairs.ndim != 3 or pairs.shape[1:] != (2, 3):
        raise ParameterError(
            f"blends must be pairs of RGB colours, got shape {pairs.shape}",
            parameter="blends", value=f"an array of shape {pairs.shape}", allowed=allowed,
        )
    unknown = ~np.isin(_pack(pairs), _pack(base))
    if unknown.any():
        color = tuple(int(c) for c in pairs[unknown][0])
        raise ParameterError(
            f"blends name colour {color}, which is not one of the base colours",
            parameter="blends", value=color, allowed=allowed,
        )
    return pairs.astype(np.uint8)


def _new_blends(base: np.ndarray, pairs: np.ndarray, count: int) -> np.ndarray:
    """Distinct blend colours, not already in ``base``, sorted by packed value."""
    weights = (np.arange(1, count + 1) / (count + 1))[None, :, None]
    start, end = pairs[:, None, 0].astype(float), pairs[:, None, 1].astype(float)
    mixed = np.rint(start + (end - start) * weights).astype(np.uint8).reshape(-1, 3)
    keys = np.unique(_pack(mixed))
    keys = keys[~np.isin(keys, _pack(base))]
    return np.stack([keys & 255, keys >> 8 & 255, keys >> 16], axis=1).astype(np.uint8)


@lru_cache(maxsize=CACHED_TABLES)
def _lookup_table(colors: bytes) -> np.ndarray:
    """Palette index of every 24-bit colour; palette colours map to themselves.

    ``colors`` is the palette's table as bytes (the cache key). Non-palette colours
    are matched on a 64**3 grid by Pillow's palette conversion (C code: per 4x4x4
    cell, the entry nearest to a point of the cell). That alone is not enough (a cell
    holding pure white may map to a near-white blend, Pillow's known white shift), so
    each palette colour's own 24-bit entry is then set to its index.
    """
    table = np.frombuffer(colors, np.uint8).reshape(-1, 3)
    step = 256 >> _GRID_BITS
    side = 1 << _GRID_BITS
    values = np.arange(step // 2, 256, step, dtype=np.uint8)
    blue, green, red = np.meshgrid(values, values, values, indexing="ij")
    grid = np.stack([red, green, blue], axis=-1).reshape(-1, 512, 3)  # 512 x 512 cells
    reference = Image.new("P", (1, 1))
    reference.putpalette(colors)
    cells = np.asarray(Image.fromarray(grid).quantize(palette=reference, dither=Image.Dither.NONE))
    cube = cells.reshape(side, side, side)
    for axis in (2, 1, 0):  # innermost first: later repeats copy whole rows/planes
        cube = cube.repeat(step, axis=axis)
    lut = cube.reshape(-1)
    lut[_pack(table)] = np.arange(len(table))
    lut.flags.writeable = False
    return lut


def packed_colors(pixels: np.ndarray) -> np.ndarray:
    """Flat ``intp`` keys ``r | g << 8 | b << 16`` of an ``(H, W, 3 or 4)`` ``uint8`` frame.

    RGBA pixels whose 4 bytes are contiguous (e.g. a box of a canvas buffer) are read
    in place as little-endian 32-bit words, alpha masked off. Otherwise each pixel is
    read as an unaligned 32-bit word at byte offset ``3 * i`` of an RGB copy padded by
    one byte, and the next pixel's red byte is masked off.

    >>> packed_colors(np.array([[[1, 2, 3]]], np.uint8)).tolist() == [1 | 2 << 8 | 3 << 16]
    True
    """
    if pixels.shape[2] == 4 and pixels.strides[1:] == (4, 1):
        keys = pixels.view("<u4")[..., 0].astype(np.intp).reshape(-1)
    else:
        rgb = pixels[..., :3]
        count = rgb.shape[0] * rgb.shape[1]
        padded = np.empty(3 * count + 1, np.uint8)
        padded[:-1].reshape(rgb.shape)[...] = rgb  # one copy, even from a strided view
        words = np.ndarray((count,), dtype="<u4", buffer=padded, strides=(3,))
        keys = words.astype(np.intp)
    keys &= 0xFFFFFF
    return keys
