"""Tests for conv_anim.compare: the gallery's --check finds every kind of corruption."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conv_anim.compare import difference

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
FILES = ["padding_strides.gif", "padding_strides.png", "padding_strides.pdf", "matrix.pdf"]


def damaged(tmp_path: Path, name: str, change) -> Path:
    data = bytearray((GALLERY / name).read_bytes())
    path = tmp_path / name
    path.write_bytes(bytes(change(data)))
    return path


def zero(start: float):
    def change(data: bytearray) -> bytearray:
        offset = int(start * len(data))
        data[offset : offset + 200] = bytes(200)
        return data

    return change


@pytest.mark.parametrize("name", FILES)
def test_identical_files_match(name):
    assert difference(GALLERY / name, GALLERY / name) is None


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize(("how", "change"), [
    ("truncated to 1,000 bytes", lambda data: data[:1000]),
    ("200 bytes zeroed near the start", zero(0.1)),
    ("200 bytes zeroed in the middle", zero(0.5)),
    ("200 bytes zeroed near the end", zero(0.9)),
    ("garbage appended", lambda data: data + b"garbage"),
    ("one byte flipped in the middle", lambda data: data[: len(data) // 2]
     + bytes([data[len(data) // 2] ^ 0x40]) + data[len(data) // 2 + 1 :]),
])
def test_corruption_is_reported(tmp_path, name, how, change):
    found = difference(damaged(tmp_path, name, change), GALLERY / name)
    assert found is not None, how
    assert len(found) <= 120 and "\n" not in found


def test_messages_name_what_differs(tmp_path):
    gif = damaged(tmp_path, "padding_strides.gif", lambda data: data + b"garbage")
    assert difference(gif, GALLERY / "padding_strides.gif") == "7 bytes after the GIF trailer"
    png = damaged(tmp_path, "padding_strides.png", lambda data: data + b"xy")
    assert difference(png, GALLERY / "padding_strides.png") == "2 bytes after the PNG end"
    pdf = damaged(tmp_path, "padding_strides.pdf", lambda data: data[:1000])
    assert "truncated" in difference(pdf, GALLERY / "padding_strides.pdf")
    assert difference(GALLERY / "matrix.pdf", GALLERY / "padding_strides.pdf") == (
        "PDF has 10 streams, expected 1"
    )
    drawing = damaged(tmp_path, "padding_strides.pdf", zero(0.5))
    assert difference(drawing, GALLERY / "padding_strides.pdf") == "PDF drawing differs (stream 0)"


def test_pdf_compression_and_library_version_do_not_count(tmp_path):
    import re
    import zlib

    original = (GALLERY / "padding_strides.pdf").read_bytes()

    def recompress(match: re.Match[bytes]) -> bytes:
        return b"stream\n" + zlib.compress(zlib.decompress(match[1]), 9) + b"\nendstream"

    body = re.sub(rb"stream\n(.*?)\nendstream", recompress, original, flags=re.DOTALL)
    body = body.replace(b"Matplotlib v3.", b"Matplotlib v9.")
    rebuilt = tmp_path / "rebuilt.pdf"
    rebuilt.write_bytes(_with_cross_reference(body))
    assert rebuilt.read_bytes() != original
    assert difference(rebuilt, GALLERY / "padding_strides.pdf") is None


def _with_cross_reference(body: bytes) -> bytes:
    """``body`` (a matplotlib PDF) with its xref offsets and stream lengths recomputed."""
    import re

    body = body[: body.index(b"xref\n")]
    for match in re.finditer(rb"/Length (\d+) 0 R >>\nstream\n(.*?)\nendstream", body, re.DOTALL):
        number, length = int(match[1]), len(match[2])
        body = re.sub(rb"(\n%d 0 obj\n)\d+(\nendobj)" % number, rb"\g<1>%d\2" % length, body)
    offsets = {int(m[1]): m.start() + 1 for m in re.finditer(rb"\n(\d+) 0 obj\n", body)}
    count = max(offsets) + 1
    table = b"xref\n0 %d\n0000000000 65535 f \n" % count
    table += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, count))
    trailer = re.search(rb"trailer\n.*?>>\n", (GALLERY / "padding_strides.pdf").read_bytes(),
                        re.DOTALL)[0]
    return body + table + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


def test_images_compare_within_the_tolerance(tmp_path):
    with Image.open(GALLERY / "padding_strides.png") as im:
        pixels = np.asarray(im.convert("RGB")).copy()
    nudged = pixels.copy()
    nudged[::7] = np.clip(nudged[::7].astype(int) + 1, 0, 255)
    Image.fromarray(nudged).save(tmp_path / "nudged.png")
    assert difference(tmp_path / "nudged.png", GALLERY / "padding_strides.png") is None
    pixels[:40] = 0
    Image.fromarray(pixels).save(tmp_path / "changed.png")
    assert difference(tmp_path / "changed.png", GALLERY / "padding_strides.png").startswith(
        "pixels differ (RMS"
    )
