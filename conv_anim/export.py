"""Frame writers: stream RGB frames to an animated GIF or to a folder of PNG files.

Frames arrive one at a time as ``(H, W, 3)`` ``uint8`` arrays, all of the same shape,
and are written as they arrive, so memory stays flat however long the animation is.
Every writer goes through :func:`atomic_output`: a failed or interrupted export leaves
neither a truncated file nor a clobbered previous result. Output is deterministic: the
same frames give byte-identical files. Only numpy and Pillow are used (no matplotlib).
"""

from __future__ import annotations

import io
import math
import numbers
import os
import re
import secrets
import shutil
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

from conv_anim.params import describe, is_int

RGB = tuple[int, int, int]
PathLike = str | os.PathLike[str]

MAX_PALETTE = 256
#: Bits per channel of the grid on which non-palette colours are matched (cells of 4**3).
_GRID_BITS = 6
_U16_MAX = 65535  # GIF sizes, delays (centiseconds) and loop counts are 16-bit
_PNG_MIN_DIGITS = 3
_FRAME_NAME = re.compile(r"frame_\d+\.png")


# --------------------------------------------------------------------------- atomic output


@contextmanager
def atomic_output(path: PathLike, *, directory: bool = False) -> Iterator[Path]:
    """Write to a temporary sibling of ``path``, then swap it in on success.

    Parameters
    ----------
    path
        The file (or, with ``directory=True``, the folder) to produce.
    directory
        Build a folder instead of a file. An existing folder at ``path`` is replaced
        only after the block succeeds (it is renamed aside, the new folder renamed into
        place, then the old one deleted: the swap is two renames, not one).

    Yields
    ------
    Path
        A hidden temporary path in the same folder as ``path``, named like
        ``.name.1a2b3c4d.tmp.gif`` (same suffix, so format sniffing by suffix works),
        or ``.name.1a2b3c4d.tmp`` for a folder. It already exists (empty); write to it.

    Raises
    ------
    IsADirectoryError
        If ``path`` is an existing folder and ``directory`` is false.
    NotADirectoryError
        If ``path`` is an existing file and ``directory`` is true.

    Notes
    -----
    The file case commits with :func:`os.replace`, which is atomic on POSIX and Windows
    within one file system. On any exception (including ``KeyboardInterrupt``) the
    temporary is deleted and the exception re-raised; ``path`` is left untouched.
    """
    target = Path(path)
    _check_target_kind(target, directory)
    temp = _make_temp(target, directory)
    try:
        yield temp
        if directory:
            _swap_in_directory(temp, target)
        else:
            os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def _check_target_kind(target: Path, directory: bool) -> None:
    """Refuse up front a target whose existing kind (file/folder) does not match."""
    if directory and target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{str(target)!r} exists and is not a folder")
    if not directory and target.is_dir():
        raise IsADirectoryError(f"{str(target)!r} is a folder, expected a file path")
    if not target.parent.is_dir():
        raise FileNotFoundError(
            f"cannot write {str(target)!r}: its folder {str(target.parent)!r} does not exist"
        )


def _make_temp(target: Path, directory: bool) -> Path:
    """Create a fresh hidden sibling of ``target`` with default permissions."""
    suffix = "" if directory else target.suffix
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp{suffix}")
        try:
            if directory:
                temp.mkdir()
            else:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp


def _swap_in_directory(temp: Path, target: Path) -> None:
    """Rename folder ``temp`` to ``target``, replacing an existing ``target`` folder."""
    if not target.exists():
        os.rename(temp, target)
        return
    backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    os.rename(target, backup)
    try:
        os.rename(temp, target)
    except BaseException:
        os.rename(backup, target)
        raise
    shutil.rmtree(backup)


def _remove(temp: Path) -> None:
    """Delete a temporary file or folder, if it is still there."""
    if temp.is_dir():
        shutil.rmtree(temp, ignore_errors=True)
    else:
        temp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- palette


@dataclass(frozen=True, eq=False)
class Palette:
    """A fixed colour table of at most 256 distinct RGB colours.

    Parameters
    ----------
    colors
        ``(n, 3)`` integers 0-255, ``1 <= n <= 256``, all rows distinct. Stored as a
        read-only ``uint8`` array. Row ``i`` is palette index ``i``.

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
        ValueError
            If there are more than 256 distinct base colours, a blend pair names a
            colour that is not a base colour, or ``levels`` is not an int >= 0.

        Notes
        -----
        If the table would exceed 256 entries, ``levels`` is lowered, the same for every
        pair, to the largest value whose table fits (down to 0: base colours only).
        """
        if not is_int(levels) or levels < 0:
            raise ValueError(f"levels={describe(levels)} is not valid: expected an int >= 0")
        base = _distinct_in_order(_color_rows(colors))
        if len(base) > MAX_PALETTE:
            raise ValueError(
                f"{len(base)} distinct base colours do not fit in a palette of "
                f"{MAX_PALETTE} colours"
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
            ``(H, W, 3)`` ``uint8`` RGB pixels.

        Returns
        -------
        numpy.ndarray
            ``(H, W)`` ``uint8`` indices. A pixel whose colour is a palette colour gets
            that colour's index, exactly. Any other colour gets the palette colour
            nearest to some point of its 4x4x4 cell of RGB space (at most
            ``6 * sqrt(3) ~ 10.4`` farther than the true nearest palette colour).

        Notes
        -----
        One lookup per pixel in a 16 MiB table indexed by the full 24-bit colour, built
        on first use and cached on the palette.
        """
        rgb = _rgb_frame(frame)
        height, width, _ = rgb.shape
        return np.take(self._lut, _packed_colors(rgb)).reshape(height, width)

    @cached_property
    def _lut(self) -> np.ndarray:
        """Palette index for every 24-bit colour, at offset ``r | g << 8 | b << 16``."""
        return _lookup_table(self.colors)


def _color_rows(colors: object) -> np.ndarray:
    """Validate colours as an ``(n, 3)`` ``uint8`` array (n may be 0 here)."""
    table = np.asarray(colors)
    if table.ndim != 2 or table.shape[1] != 3 or table.dtype.kind not in "iu":
        raise ValueError(
            f"colors must be (n, 3) integer RGB rows, got an array of shape {table.shape} "
            f"and dtype {table.dtype}"
        )
    if table.size and (table.min() < 0 or table.max() > 255):
        raise ValueError("colors must hold integers 0-255")
    return table.astype(np.uint8)


def _color_table(colors: object) -> np.ndarray:
    """Validate a palette's table: 1-256 distinct RGB rows; return it read-only."""
    table = _color_rows(colors)
    if not 1 <= len(table) <= MAX_PALETTE:
        raise ValueError(f"a palette holds 1 to {MAX_PALETTE} colours, got {len(table)}")
    if len(np.unique(_pack(table))) != len(table):
        raise ValueError("palette colours must be distinct")
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
    if pairs.ndim != 3 or pairs.shape[1:] != (2, 3):
        raise ValueError(f"blends must be pairs of RGB colours, got shape {pairs.shape}")
    unknown = ~np.isin(_pack(pairs), _pack(base))
    if unknown.any():
        raise ValueError(
            f"blends name colour {tuple(int(c) for c in pairs[unknown][0])}, which is not "
            f"one of the base colours"
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


def _lookup_table(colors: np.ndarray) -> np.ndarray:
    """Palette index of every 24-bit colour; palette colours map to themselves.

    Non-palette colours are matched on a 64**3 grid by Pillow's palette conversion
    (C code: per 4x4x4 cell, the entry nearest to a point of the cell). That alone is
    not enough (a cell holding pure white may map to a near-white blend, Pillow's
    known white shift), so each palette colour's own 24-bit entry is then set to its
    index.
    """
    step = 256 >> _GRID_BITS
    side = 1 << _GRID_BITS
    values = np.arange(step // 2, 256, step, dtype=np.uint8)
    blue, green, red = np.meshgrid(values, values, values, indexing="ij")
    grid = np.stack([red, green, blue], axis=-1).reshape(-1, 512, 3)  # 512 x 512 cells
    reference = Image.new("P", (1, 1))
    reference.putpalette(colors.tobytes())
    cells = np.asarray(Image.fromarray(grid).quantize(palette=reference, dither=Image.Dither.NONE))
    lut = cells.reshape(side, side, side)
    for axis in (2, 1, 0):  # innermost first: later repeats copy whole rows/planes
        lut = lut.repeat(step, axis=axis)
    lut = lut.reshape(-1)
    lut[_pack(colors)] = np.arange(len(colors))
    return lut


def _packed_colors(pixels: np.ndarray) -> np.ndarray:
    """Flat ``intp`` keys ``r | g << 8 | b << 16`` of an ``(H, W, 3 or 4)`` ``uint8`` frame.

    RGBA pixels whose 4 bytes are contiguous (e.g. a box of a canvas buffer) are read
    in place as little-endian 32-bit words, alpha masked off. Otherwise each pixel is
    read as an unaligned 32-bit word at byte offset ``3 * i`` of an RGB copy padded by
    one byte, and the next pixel's red byte is masked off.
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


# --------------------------------------------------------------------------- frames


def _rgb_frame(frame: object, number: int | None = None) -> np.ndarray:
    """Validate one frame as an ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8`` array
    with ``H, W >= 1`` (alpha is ignored: frames are opaque)."""
    rgb = np.asarray(frame)
    name = "frame" if number is None else f"frame {number}"
    if rgb.dtype != np.uint8:
        raise TypeError(f"{name} has dtype {rgb.dtype}: expected uint8 RGB pixels")
    if rgb.ndim != 3 or rgb.shape[2] not in (3, 4) or 0 in rgb.shape:
        raise ValueError(
            f"{name} has shape {rgb.shape}: expected (height, width, 3), or 4 with alpha"
        )
    return rgb


@dataclass(frozen=True)
class Frame:
    """A frame with a hint of where it changed since the previous one.

    Writers accept plain ``(H, W, 3)`` arrays or ``Frame`` objects. A renderer that
    knows what it redrew passes the box, and the GIF writer then compares only
    inside it instead of across the whole frame.

    Attributes
    ----------
    pixels : numpy.ndarray
        ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA ``uint8`` pixels, alpha ignored (may be
        a view of a reused buffer).
    changed : tuple of slice
        ``(rows, columns)``: every pixel outside this box equals the previous frame's.
    """

    pixels: np.ndarray
    changed: tuple[slice, slice]


def _checked_frames(
    frames: Iterable[np.ndarray | Frame],
) -> Iterator[tuple[np.ndarray, tuple[slice, slice] | None]]:
    """Validate frames as they stream; all must have frame 0's shape; refuse none.

    Yields each frame's pixels and its change hint (None for a plain array).
    """
    shape = None
    for number, frame in enumerate(frames):
        hint = frame.changed if isinstance(frame, Frame) else None
        rgb = _rgb_frame(frame.pixels if isinstance(frame, Frame) else frame, number)
        shape = shape or rgb.shape
        if rgb.shape != shape:
            raise ValueError(
                f"frame {number} has shape {rgb.shape} but frame 0 has shape {shape}: "
                f"all frames must have the same shape"
            )
        yield rgb, hint
    if shape is None:
        raise ValueError("no frames to write: the frame iterable is empty")


# --------------------------------------------------------------------------- GIF


def write_gif(
    path: PathLike,
    frames: Iterable[np.ndarray | Frame],
    *,
    palette: Palette,
    fps: float = 1.0,
    loop: int = 0,
) -> int:
    """Stream frames to an animated GIF, one frame at a time.

    Parameters
    ----------
    path
        The ``.gif`` file to write (atomically, see :func:`atomic_output`).
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames, all of the same shape (H, W <= 65535), or
        :class:`Frame` objects that also say where each frame changed.
    palette
        The global colour table; pixels are mapped with :meth:`Palette.indices`.
    fps
        Frames per second. Every frame lasts ``100 / fps`` centiseconds, rounded (GIF
        delays are whole centiseconds), so ``fps`` must lie in ``(0.0016, 200]``. Note
        that browsers slow delays below 2 cs (fps > 50) down to 10 cs.
    loop
        How many times to repeat the animation; 0 (the default) loops forever.

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    ValueError
        On an invalid ``fps`` or ``loop``, no frames, or a frame whose shape differs
        from the first frame's. Nothing is left at ``path`` (an existing file is kept).

    Notes
    -----
    After the first frame, each frame stores only the bounding box of the pixels that
    changed (disposal "do not dispose"), with the unchanged pixels inside the box set
    to a spare transparent palette entry (long runs of one index compress well); an
    unchanged frame stores one pixel, keeping the frame count and timing. The index
    codes are as narrow as the palette allows. No dithering.
    """
    delay = _gif_delay(fps)
    _check_loop(loop)
    with atomic_output(path) as temp, open(temp, "wb") as stream:
        return _stream_gif(stream, frames, palette, delay, loop)


def gif_bytes(
    frames: Iterable[np.ndarray | Frame], *, palette: Palette, fps: float = 1.0, loop: int = 0
) -> bytes:
    """Encode frames as an animated GIF in memory (as :func:`write_gif`, without a file).

    Returns
    -------
    bytes
        The GIF file's bytes.
    """
    delay = _gif_delay(fps)
    _check_loop(loop)
    stream = io.BytesIO()
    _stream_gif(stream, frames, palette, delay, loop)
    return stream.getvalue()


def check_fps(fps: object) -> float:
    """Validate a frame rate as every writer does; return it.

    Raises
    ------
    ValueError
        Unless ``fps`` is a number whose frame delay is 1 to 65535 centiseconds.
    """
    _gif_delay(fps)
    return float(fps)  # type: ignore[arg-type]


def _gif_delay(fps: object) -> int:
    """Frame delay in centiseconds for ``fps``, validated."""
    allowed = f"a number in ({100 / (_U16_MAX + 0.5):.4g}, 200] (frames per second)"
    if not isinstance(fps, numbers.Real) or isinstance(fps, bool) or not math.isfinite(fps):
        raise ValueError(f"fps={describe(fps)} is not valid: expected {allowed}")
    if fps <= 0 or not 1 <= _centiseconds(fps) <= _U16_MAX:
        raise ValueError(
            f"fps={fps!r} is not valid: GIF frame delays are whole centiseconds from 1 to "
            f"{_U16_MAX}, expected {allowed}"
        )
    return _centiseconds(fps)


def _centiseconds(fps: float) -> int:
    """The frame delay ``100 / fps`` rounded half up (200 fps: 1 cs, not 0)."""
    return math.floor(100 / fps + 0.5)


def _check_loop(loop: object) -> None:
    """Validate the GIF loop count."""
    if not is_int(loop) or not 0 <= loop <= _U16_MAX:  # type: ignore[operator]
        raise ValueError(
            f"loop={describe(loop)} is not valid: expected an int from 0 (loop forever) "
            f"to {_U16_MAX} (repeat count)"
        )


def _stream_gif(
    stream: BinaryIO,
    frames: Iterable[np.ndarray | Frame],
    palette: Palette,
    delay: int,
    loop: int,
) -> int:
    """Write a whole GIF to ``stream``; return the number of frames.

    Keeps the palette indices the GIF shows so far; per frame maps the pixels of the
    hinted box (the whole frame without a hint) and encodes only the box where the
    indices changed, unchanged pixels in it transparent.
    """
    checked = _checked_frames(frames)
    first, _ = next(checked)
    shown = palette.indices(first)
    height, width = shown.shape
    bits = _code_bits(palette)
    clear = np.uint8(len(palette)) if len(palette) < MAX_PALETTE else None
    stream.write(_gif_header(shown.shape, palette, loop))
    stream.write(_gif_frame(shown, 0, 0, delay, bits))
    count = 1
    for rgb, hint in checked:
        rows, cols = hint if hint is not None else (slice(0, height), slice(0, width))
        fresh = palette.indices(rgb[rows, cols])
        changed = fresh != shown[rows, cols]
        local = _true_box(changed)
        top, left = rows.indices(height)[0] + local[0].start, cols.indices(width)[0] + local[1].start
        patch = fresh[local] if clear is None else np.where(changed[local], fresh[local], clear)
        shown[rows, cols][local] = fresh[local]
        stream.write(_gif_frame(patch, left, top, delay, bits, None if clear is None else int(clear)))
        count += 1
    stream.write(b";")
    return count


def _gif_header(shape: tuple[int, ...], palette: Palette, loop: int) -> bytes:
    """GIF89a header, logical screen descriptor, global colour table, loop extension."""
    height, width = shape[:2]
    if max(height, width) > _U16_MAX:
        raise ValueError(f"frames of {width}x{height} pixels exceed the GIF limit of 65535")
    size_code = _code_bits(palette) - 1  # a table of 2 ** (size_code + 1) colours
    table = palette.colors.tobytes().ljust(3 << (size_code + 1), b"\0")
    screen = struct.pack("<HHBBB", width, height, 0xF0 | size_code, 0, 0)
    looping = b"!\xff\x0bNETSCAPE2.0" + struct.pack("<BBHB", 3, 1, loop, 0)
    return b"GIF89a" + screen + table + looping


def _code_bits(palette: Palette) -> int:
    """Bits per index: enough for the palette and its spare transparent entry (2 to 8)."""
    entries = min(len(palette) + 1, MAX_PALETTE)
    return max(2, (entries - 1).bit_length())


def _gif_frame(
    indices: np.ndarray, left: int, top: int, delay: int, bits: int, clear: int | None = None
) -> bytes:
    """Graphic control extension, image descriptor and LZW data of one frame.

    Pillow's GIF encoder (``Image.tobytes("gif", ...)``) provides only the LZW data,
    already split into length-prefixed sub-blocks.
    """
    height, width = indices.shape
    flags = 1 << 2 | (clear is not None)  # do not dispose; transparency if given
    control = struct.pack("<3sBHBB", b"!\xf9\x04", flags, delay, clear or 0, 0)
    descriptor = struct.pack("<cHHHHB", b",", left, top, width, height, 0)
    data = Image.fromarray(np.ascontiguousarray(indices)).tobytes("gif", "L", bits, 0)
    return control + descriptor + bytes([bits]) + data + b"\x00"


def _true_box(mask: np.ndarray) -> tuple[slice, slice]:
    """Row and column slices bounding the true pixels of a 2-D mask ((0, 0) if none)."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return slice(0, 1), slice(0, 1)
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(mask[top:bottom].any(axis=0))
    return slice(top, bottom), slice(int(cols[0]), int(cols[-1]) + 1)


# --------------------------------------------------------------------------- PNG


def write_png(path: PathLike, frame: np.ndarray) -> Path:
    """Write one RGB frame as a PNG file, atomically.

    Parameters
    ----------
    path
        The ``.png`` file to write.
    frame
        ``(H, W, 3)`` ``uint8`` RGB pixels.

    Returns
    -------
    Path
        ``path``. The file holds no timestamp or other varying metadata.
    """
    rgb = _rgb_frame(frame)
    with atomic_output(path) as temp:
        _save_png(temp, rgb)
    return Path(path)


def write_png_frames(
    folder: PathLike, frames: Iterable[np.ndarray | Frame], *, digits: int | None = None
) -> list[Path]:
    """Write frames as a folder of numbered PNG files, atomically.

    Parameters
    ----------
    folder
        The folder to produce. If it exists it must hold only ``frame_<n>.png`` files
        (a previous export); it is replaced once every frame is written.
    frames
        ``(H, W, 3)`` ``uint8`` RGB frames, all of the same shape.
    digits
        Zero-padding of the frame numbers. Default: as many digits as the last frame
        number needs, at least 3 (``frame_000.png``, ...; 1001 frames give
        ``frame_0000.png`` to ``frame_1000.png``), chosen once all frames are seen.

    Returns
    -------
    list of Path
        The frame files, in order, numbered from 0.

    Raises
    ------
    ValueError
        If ``digits`` is not an int >= 1 or is too small for the frame count, there are
        no frames, or a frame's shape differs from the first frame's.
    FileExistsError
        If ``folder`` exists and holds anything but frame files.
    """
    if digits is not None and (not is_int(digits) or digits < 1):
        raise ValueError(f"digits={describe(digits)} is not valid: expected None or an int >= 1")
    _check_frames_folder(Path(folder))
    with atomic_output(folder, directory=True) as temp:
        count = 0
        for count, (rgb, _) in enumerate(_checked_frames(frames), start=1):
            if digits is not None and count > 10**digits:
                raise ValueError(f"digits={digits} cannot number more than {10**digits} frames")
            _save_png(temp / f"frame_{count - 1}.png", rgb)
        width = digits if digits is not None else max(_PNG_MIN_DIGITS, len(str(count - 1)))
        names = [f"frame_{number:0{width}d}.png" for number in range(count)]
        for number, name in enumerate(names):
            os.rename(temp / f"frame_{number}.png", temp / name)
    return [Path(folder) / name for name in names]


def _check_frames_folder(folder: Path) -> None:
    """Refuse to replace a folder holding anything but PNG frames."""
    if not folder.is_dir():
        return
    others = sorted(p.name for p in folder.iterdir() if not _FRAME_NAME.fullmatch(p.name))
    if others:
        raise FileExistsError(
            f"{str(folder)!r} holds files that are not PNG frames ({', '.join(others[:3])}"
            f"{', ...' if len(others) > 3 else ''}): refusing to replace it"
        )


def _save_png(path: Path, rgb: np.ndarray) -> None:
    """Save RGB pixels (alpha dropped) as PNG (Pillow writes no time or software chunks)."""
    Image.fromarray(np.ascontiguousarray(rgb[..., :3])).save(path, format="PNG")


# --------------------------------------------------------------------------- dispatch


def _write_png_folder(
    path: PathLike, frames: Iterable[np.ndarray | Frame], *, palette: Palette, fps: float, loop: int
) -> int:
    """Registry adapter: PNG frames are truecolour and untimed (palette, fps, loop unused)."""
    return len(write_png_frames(path, frames))


Writer = Callable[..., int]


def _imageio_writer(name: str) -> Writer:
    """A writer of :mod:`conv_anim.imageio_writers`, imported on first use."""

    def write(path: PathLike, frames: Iterable[np.ndarray | Frame], **options: object) -> int:
        from conv_anim import imageio_writers

        return getattr(imageio_writers, name)(path, frames, **options)

    return write


#: Writers by lower-case path suffix; ``""`` is a folder of PNG frames. Each is called as
#: ``writer(path, frames, palette=..., fps=..., loop=...)`` and returns the frame count.
WRITERS: dict[str, Writer] = {
    ".gif": write_gif,
    ".webp": _imageio_writer("write_webp"),
    ".apng": _imageio_writer("write_apng"),
    ".mp4": _imageio_writer("write_mp4"),
    "": _write_png_folder,
}


def write_frames(
    path: PathLike,
    frames: Iterable[np.ndarray | Frame],
    *,
    palette: Palette,
    fps: float = 1.0,
    loop: int = 0,
) -> int:
    """Write frames with the writer that the path's suffix selects.

    Parameters
    ----------
    path
        ``*.gif`` for an animated GIF, ``*.webp`` / ``*.apng`` for animated WebP /
        PNG, ``*.mp4`` for a video (needs imageio-ffmpeg); a path without suffix, or
        ending with ``/``, for a folder of PNG frames.
    frames, palette, fps, loop
        As for :func:`write_gif` (only ``frames`` matters for PNG frames).

    Returns
    -------
    int
        The number of frames written.

    Raises
    ------
    ValueError
        For an unsupported suffix, and as raised by the selected writer.
    """
    text = os.fspath(path)
    suffix = "" if text.endswith(("/", os.sep)) else Path(text).suffix.lower()
    if suffix not in WRITERS:
        formats = ", ".join(key for key in WRITERS if key)
        raise ValueError(
            f"unsupported output format {suffix!r} for path {text!r}: use one of {formats}, "
            f"or a folder path (no suffix, or ending with '/') for PNG frames"
        )
    return WRITERS[suffix](path, frames, palette=palette, fps=fps, loop=loop)
