"""``conv-anim conv`` and ``conv-anim paper``: what they write, what they say, what they refuse.

Most tests call ``main([...])`` in-process and check the exit status, stderr and the
files left behind; the signal tests run the program as a subprocess.
"""

from __future__ import annotations

import io
import re
import signal
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from cli_support import SMALL, assert_error, gif_frames, run
from PIL import Image

from conv_anim import catalog, cli
from conv_anim.cli import draw, main
from conv_anim.cli.messages import CliError

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

# --------------------------------------------------------------------------- conv


def test_conv_gif_has_one_frame_per_output_cell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    output = tmp_path / "up.gif"
    status, out, err = run(capsys, "conv", "-i", "3", "-k", "3", "-s", "2", "-p", "1",
                           "--transposed", "--output-padding", "1", "-o", str(output),
                           "--fps", "4", *SMALL)
    assert (status, out, err) == (0, "", "")
    assert gif_frames(output) == 36
    with Image.open(output) as image:
        assert image.info["duration"] == 250


def test_success_prints_one_line_naming_what_was_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    output = tmp_path / "ps.gif"
    status, out, err = run(capsys, "conv", "-i", "5", "-k", "3", "-s", "2", "-p", "1",
                           "--scale", "0.3", "-o", str(output))
    assert (status, out) == (0, "")
    size = output.stat().st_size
    pattern = (rf"conv-anim: wrote {re.escape(str(output))} \(GIF, 9 frames, (\d+)x(\d+) px, "
               rf"9 s at 1 fps, {size:,} bytes\) in [\d.]+ s\n")
    match = re.fullmatch(pattern, err)
    assert match, err
    with Image.open(output) as image:
        assert image.size == (int(match[1]), int(match[2]))


def test_png_is_one_file_and_a_folder_is_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    base = ["conv", "-i", "5", "-k", "3", "-s", "2", "-p", "1", *SMALL]
    assert run(capsys, *base, "-o", str(tmp_path / "pic.png"))[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pic.png"]
    assert run(capsys, *base, "-o", str(tmp_path / "four.png"), "--frame", "4")[0] == 0
    first = np.asarray(Image.open(tmp_path / "pic.png"))
    fourth = np.asarray(Image.open(tmp_path / "four.png"))
    assert first.shape == fourth.shape and (first != fourth).any()
    frames = [f"frame_{n:03d}.png" for n in range(9)]
    assert run(capsys, *base, "-o", f"{tmp_path / 'slash'}/")[0] == 0
    assert sorted(p.name for p in (tmp_path / "slash").iterdir()) == frames
    assert run(capsys, *base, "-o", str(tmp_path / "named.png"), "--frames")[0] == 0
    assert sorted(p.name for p in (tmp_path / "named").iterdir()) == frames
    assert not (tmp_path / "named.png").exists()


def test_filmstrips_vectors_and_captions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    base = ["conv", "-i", "5", "-k", "3", "-s", "2", "-p", "1", *SMALL]
    assert run(capsys, *base, "-o", str(tmp_path / "one.png"), "--frame", "4")[0] == 0
    with Image.open(tmp_path / "one.png") as one:
        frame_width = one.width
    assert run(capsys, *base, "-o", str(tmp_path / "strip.png"), "--filmstrip")[0] == 0
    with Image.open(tmp_path / "strip.png") as strip:
        assert strip.width > 3.5 * frame_width
    assert run(capsys, *base, "-o", str(tmp_path / "two.png"), "--filmstrip", "0,8")[0] == 0
    with Image.open(tmp_path / "two.png") as strip:
        assert 1.5 * frame_width < strip.width < 2.5 * frame_width
    assert run(capsys, *base, "-o", str(tmp_path / "one.pdf"), "--caption")[0] == 0
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")
    assert run(capsys, *base, "-o", str(tmp_path / "one.svg"), "--transparent",
               "--no-connectors", "--no-labels", "--caption=my caption")[0] == 0
    assert "<svg" in (tmp_path / "one.svg").read_text()


def test_conv_writes_other_animated_formats(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    output = tmp_path / "a.webp"
    status, _, err = run(capsys, "conv", "-i", "4", "-k", "3", "-o", str(output), *SMALL)
    assert (status, err) == (0, "")
    assert gif_frames(output) == 4


def test_conv_numbers_draw_the_paper_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    for op in ("conv", "max", "avg"):
        output = tmp_path / f"{op}.gif"
        status, _, err = run(capsys, "conv", "-i", "5", "-k", "3", "--numbers", "--op", op,
                             "--progressive", "-o", str(output), *SMALL)
        assert (status, err) == (0, "")
        assert gif_frames(output) == 9


def test_values_from_npy_files_inline_rows_and_seeds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    np.save("x.npy", np.arange(16).reshape(4, 4))
    np.save("w.npy", np.ones((2, 2)))
    for values in (["--values", "x.npy", "--kernel", "w.npy"],
                   ["--values", "0 1 2 3; 4 5 6 7; 8 9 10 11; 12 13 14 15", "--kernel", "1 1; 1 1"],
                   ["--seed", "7"]):
        status, _, err = run(capsys, "conv", "-i", "4", "-k", "2", "-s", "2", *values,
                             "-o", "v.gif", *SMALL)
        assert (status, err) == (0, ""), values
        assert gif_frames(tmp_path / "v.gif") == 4


def test_progress_on_a_terminal_for_long_saves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(draw, "PROGRESS_AFTER", 0.0)  # every save counts as long
    args = ["conv", "-i", "4", "-k", "3", "-o", str(tmp_path / "a.gif"), "--scale", "0.3"]
    assert main(args) == 0
    counts = re.findall(r"\rconv-anim: frame (\d)/4, \d+ s, about \d+ s left", terminal.getvalue())
    assert counts == ["1", "2", "3", "4"]
    assert terminal.getvalue().splitlines()[-1].startswith("conv-anim: wrote ")
    monkeypatch.undo()
    assert run(capsys, *args, "--quiet")[2] == ""


# --------------------------------------------------------------------------- frame budget


def test_frame_budget_refuses_with_the_numbers_and_ways_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    result = run(capsys, "conv", "-i", "500", "-k", "3", "--scale", "0.1", "-o", "huge.gif")
    assert time.perf_counter() - started < 5
    assert_error(*result, 2, "248,004 frames", "budget of 1,000", "--max-frames", "--every",
                 "--steps", "--rows")
    assert list(tmp_path.iterdir()) == []


def test_fewer_steps_fit_the_budget(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = ["conv", "-i", "33", "-k", "3", *SMALL]
    assert run(capsys, *base, "--rows", "0:2", "-o", str(tmp_path / "rows.gif"))[0] == 0
    assert gif_frames(tmp_path / "rows.gif") == 2 * 31
    assert run(capsys, *base, "--every", "100", "-o", str(tmp_path / "every.gif"))[0] == 0
    assert gif_frames(tmp_path / "every.gif") == 10
    assert run(capsys, *base, "--steps", "5:8", "-o", str(tmp_path / "steps.gif"))[0] == 0
    assert gif_frames(tmp_path / "steps.gif") == 3
    assert run(capsys, *base, "--max-frames", "961", "--every", "1", "--steps", ":961",
               "-o", str(tmp_path / "all.gif"))[0] == 0
    assert gif_frames(tmp_path / "all.gif") == 961


@pytest.mark.parametrize(("extra", "fragments"), [
    # more steps than len() counts: was an OverflowError traceback
    (["-i", "10000000000"], ["100,000,000,000,000,000,000 frames", "--max-frames"]),
    # a budget raised so far that the chosen steps were listed: was a MemoryError
    (["-i", "100000", "--max-frames", "1000000000000", "--every", "2"],
     ["-i/--input-size", "MAX_DRAWN_CELLS"]),
    # the paper's numbers or random ones, made for the whole input: was a MemoryError
    (["-i", "100000", "--numbers"], ["-i/--input-size", "MAX_DRAWN_CELLS"]),
    (["-i", "100000", "--seed", "3"], ["-i/--input-size", "MAX_DRAWN_CELLS"]),
])
def test_huge_inputs_are_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], fragments: list[str],
) -> None:
    started = time.perf_counter()
    result = run(capsys, "conv", *extra, "-k", "1", "-o", str(tmp_path / "x.gif"))
    assert time.perf_counter() - started < 5
    assert_error(*result, 2, *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("values", "fragment"), [
    ("1.5e300 1.5e300; 1.5e300 1.5e300", "--values: values and kernel overflow float64"),
    ("1e400 1; 1 1", "non-finite"),
])
def test_inline_values_beyond_int64_stay_floats(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, values: str, fragment: str,
) -> None:
    """Found by the fuzz test: whole numbers were cast to int64, 1.5e300 and inf to
    -9223372036854775808, and drawn as such without a word."""
    result = run(capsys, "conv", "-i", "2", "-k", "2", "--values", values,
                 "--kernel", "1.5e300 1; 1 1", "-o", str(tmp_path / "x.gif"))
    assert_error(*result, 2, fragment)


# --------------------------------------------------------------------------- paper


def test_paper_animation_and_filmstrip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "paper", "padding_strides_odd", "-o",
                         str(tmp_path / "odd.gif"), *SMALL)
    assert (status, err) == (0, "")
    assert gif_frames(tmp_path / "odd.gif") == catalog.get("padding_strides_odd").frames
    status, _, err = run(capsys, "paper", "numerical_max_pooling", "-o",
                         str(tmp_path / "max.pdf"), "--filmstrip", "--progressive", *SMALL)
    assert (status, err) == (0, "")
    assert (tmp_path / "max.pdf").read_bytes().startswith(b"%PDF")


def test_paper_static_figure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    name = catalog.statics()[0].name
    status, _, err = run(capsys, "paper", name, "-o", str(tmp_path / "static.svg"),
                         "--transparent", "--quiet")
    assert (status, err) == (0, "")
    assert "<svg" in (tmp_path / "static.svg").read_text()


# --------------------------------------------------------------------------- errors

BAD_ARGUMENTS = [
    (["conv", "-i", "5", "-k", "3", "-s", "0"], ["-s/--stride", "'0'", "int >= 1"]),
    (["conv", "-i", "5", "-k", "7"], ["-k/--kernel-size", "must fit"]),
    (["conv", "-i", "5", "-k", "3x3x3"], ["-k/--kernel-size", "3 axes"]),
    (["conv", "-i", "5", "-k", "3", "-p", "sam"], ["-p/--padding", "'sam'", "same"]),
    (["conv", "-i", "5", "-k", "4", "-s", "2", "-p", "same"],
                 ["-p/--padding", "stride 1"]),
    (["conv", "-i", "5", "-k", "3", "--output-padding", "1"],
     ["--output-padding needs --transposed"]),
    (["conv", "-i", "3", "-k", "3", "-s", "2", "--transposed", "--output-padding",
                  "2"], ["--output-padding 2 must be smaller than -s/--stride 2"]),
    (["conv", "-i", "3", "-k", "3", "--transposed", "--op", "max"], ["--op max", "--transposed"]),
    (["conv", "-i", "5x7", "-k", "3", "--ndim", "3"], ["--ndim 3", "5×7"]),
    (["conv", "-i", "5", "-k", "3", "--fps", "0"], ["--fps", "'0'", "(0, 50]"]),
    (["conv", "-i", "5", "-k", "3", "--fps", "100"], ["--fps", "'100'", "(0, 50]"]),
    (["conv", "-i", "5", "-k", "3", "--fps", "abc"], ["--fps", "'abc'"]),
    (["conv", "-i", "5", "-k", "3", "--scale", "100"], ["--scale", "(0, 20]"]),
    (["conv", "-i", "5", "-k", "3", "-o", "x.pdf", "--frame", "99"], ["--frame", "0 to 8"]),
    (["conv", "-i", "5", "-k", "3", "--frame", "1"], ["--frame", ".gif, which holds every"]),
    (["conv", "-i", "5", "-k", "3", "--transparent"], ["--transparent", ".gif are opaque"]),
    (["conv", "-i", "5", "-k", "3", "-o", "x.png", "--fps", "2"], ["--fps", "(.gif, .webp"]),
    (["conv", "-i", "5", "-k", "3", "-o", "x.txt"], ["-o/--output", "'.txt'", ".gif, .webp"]),
    (["conv", "-i", "5", "-k", "3", "-o", "somedir/x"], ["-o/--output", "no suffix", "folder/"]),
    (["conv", "-i", "5", "-k", "3", "--filmstrip"], ["-o/--output", "--filmstrip", ".pdf"]),
    (["conv", "-i", "5", "-k", "3", "--op", "max"], ["--op max", "--numbers", "--values"]),
    (["conv", "-i", "4", "-k", "3", "--view", "matrix", "--numbers"],
     ["--view matrix draws no values", "--numbers"]),
    (["conv", "-i", "5", "-k", "3", "--number-style", "paper"],
     ["--number-style applies to numerical figures"]),
    (["conv", "-i", "5", "-k", "3", "--number-style", "fancy"], ["--number-style", "paper"]),
    (["conv", "-i", "5", "-k", "3", "-p", "3", "--backward"], ["--padding", "--backward"]),
    (["conv", "-i", "5", "-k", "3", "--backward", "--values", "1 2; 3 4", "--kernel",
      "1 0 0; 0 1 0; 0 0 1"], ["--values", "shape 2×2", "3×3"]),
    (["conv", "-i", "5", "-k", "3", "--progressive"], ["--progressive", "--numbers"]),
    (["conv", "-i", "5", "-k", "3", "--kernel", "w.npy"], ["--kernel needs --values"]),
    (["conv", "-i", "5", "-k", "3", "--numbers", "--values", "x.npy"], ["--values", "--numbers"]),
    (["conv", "-i", "4", "-k", "3", "--values", "x.npy"], ["--values needs --kernel"]),
    (["conv", "-i", "5", "-k", "3", "--values", "x.npy", "--kernel", "w.npy"],
     ["--values", "'x.npy'", "shape (4, 4)", "expected shape (5, 5)"]),
    (["conv", "-i", "4", "-k", "2", "--values", "x.npy", "--kernel", "text.npy"],
     ["--kernel", "'text.npy'", "not a .npy"]),
    (["conv", "-i", "4", "-k", "2", "--op", "max", "--values", "x.npy", "--kernel", "w.npy"],
     ["--kernel", "pooling"]),
    (["conv", "-i", "2", "-k", "2", "--values", "1 2; 3", "--kernel", "1"],
     ["--values", "different lengths"]),
    (["conv", "-i", "5", "-k", "3", "--labels", "--no-labels"], ["--labels", "--no-labels"]),
    (["conv", "-i", "5", "-k", "3", "--stirde", "2"], ["--stirde", "did you mean '--stride'"]),
    (["conv", "-i", "5", "-k", "3", "--rows", "9:"], ["--steps", "select none"]),
    (["conv", "-i", "8", "--ndim", "1", "-k", "3", "--rows", "0:1"], ["--rows", "2-D"]),
    (["paper", "nope"], ["NAME", "'nope'", "conv-anim list"]),
    (["paper", "padding_strides_od"], ["did you mean 'padding_strides_odd'"]),
    (["paper", "padding_strides", "--progressive"], ["--progressive", "'padding_strides'"]),
    (["paper", "kernel", "--scale", "2"], ["--scale", "static figure 'kernel'"]),
    (["paper", "kernel", "-o", "kernel.gif"], ["-o/--output", ".png, .pdf or .svg"]),
    (["info", "-i", "5", "-k", "3", "-o", "x.gif"], ["unrecognized arguments"]),
    (["info", "-i", "3", "-k", "3", "-p", "3", "--transposed"],
                 ["-p/--padding", "padding 3"]),
    (["info"], ["--input-size", "required"]),
]


@pytest.mark.parametrize(("args", "fragments"), BAD_ARGUMENTS)
def test_bad_arguments_give_one_line_status_2_and_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    args: list[str], fragments: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    np.save("x.npy", np.zeros((4, 4)))
    np.save("w.npy", np.zeros((2, 2)))
    Path("text.npy").write_text("not an array")
    if args[:1] in (["conv"], ["paper"]) and "-o" not in args:
        args = [*args, "-o", "out.gif"]
    before = set(tmp_path.iterdir())
    assert_error(*run(capsys, *args), 2, *fragments)
    assert set(tmp_path.iterdir()) == before


def test_no_arguments_print_the_usage_and_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys)
    assert (status, out) == (2, "")
    assert err.startswith("usage: conv-anim")
    for command in ("conv", "paper", "list", "info"):
        assert f"    {command} " in err


def test_missing_input_file_is_status_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "out.gif"
    result = run(capsys, "conv", "-i", "5", "-k", "3", "--values", str(tmp_path / "nope.npy"),
                 "--kernel", str(tmp_path / "nope.npy"), "-o", str(output))
    assert_error(*result, 1, "--values", "cannot read", "No such file")
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_is_refused_not_waited_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    import os

    fifo = tmp_path / "x.npy"
    os.mkfifo(fifo)
    result = run(capsys, "conv", "-i", "4", "-k", "2", "--values", str(fifo),
                 "--kernel", "1 1; 1 1", "-o", str(tmp_path / "out.gif"))
    assert_error(*result, 2, "--values", "not a regular file")


def test_a_huge_npy_header_is_refused_before_loading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    from numpy.lib import format as npy

    path = tmp_path / "huge.npy"
    with open(path, "wb") as stream:  # a header that claims 100000 x 100000, and no data
        npy.write_array_header_1_0(stream, {"descr": "<f8", "fortran_order": False,
                                            "shape": (100000, 100000)})
    result = run(capsys, "conv", "-i", "4", "-k", "2", "--values", str(path),
                 "--kernel", "1 1; 1 1", "-o", str(tmp_path / "out.gif"))
    assert_error(*result, 2, "--values", "shape (100000, 100000)", "expected shape (4, 4)")


@pytest.mark.parametrize("where", ["missing/out.gif", "file.txt/out.gif"])
def test_output_folder_must_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str,
) -> None:
    (tmp_path / "file.txt").write_text("")
    result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(tmp_path / where))
    assert_error(*result, 1, "-o/--output", "cannot write", "does not exist")
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_a_folder_is_called_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "out.gif").mkdir()  # a folder where the file should go
    result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(tmp_path / "out.gif"), *SMALL)
    assert_error(*result, 2, "-o/--output", "is a folder", "trailing '/'")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out.gif"]


def test_missing_optional_dependency_is_status_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conv_anim import extras

    monkeypatch.setattr(extras, "available", lambda extra: False)
    result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(tmp_path / "x.mp4"))
    assert_error(*result, 3, "imageio-ffmpeg", "pip install", "[mp4]")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(__import__("os"), "geteuid")
                    or __import__("os").geteuid() == 0,
                    reason="permissions do not apply to root (or on Windows)")
def test_read_only_folder_is_status_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(folder / "out.gif"), *SMALL)
        assert_error(*result, 1, "-o/--output", "cannot write", "Permission denied")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(("args", "frames"), [
    (["-i", "8", "--ndim", "1", "-k", "3", "-s", "2", "-p", "1"], 4),
    (["-i", "4", "--ndim", "3", "-k", "3"], 8),
])
def test_conv_draws_1d_and_3d(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                              args: list[str], frames: int) -> None:
    out = tmp_path / "x.gif"
    status, _, err = run(capsys, "conv", *args, *SMALL, "-o", str(out))
    assert status == 0, err
    assert gif_frames(out) == frames


def test_conv_draws_channels_themes_scatter_and_flipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    np.save("x.npy", np.arange(9).reshape(3, 3))
    np.save("w.npy", np.ones((3, 3)))
    cases = [
        (["-i", "5", "-k", "3", "--in-channels", "4", "--out-channels", "2", "--groups", "2",
          "--theme", "dark"], 2 * 9),
        (["-i", "3", "-k", "3", "-s", "2", "-p", "1", "--transposed", "--values", "x.npy",
          "--kernel", "w.npy", "--view", "scatter"], 9),
        (["-i", "5", "-k", "3", "--numbers", "--flip"], 9),
        (["-i", "5", "-k", "3", "-p", "half"], 25),
        (["-i", "7", "-k", "3", "--numbers", "--number-style", "paper"], 25),
        (["-i", "5", "-k", "3", "-s", "2", "-p", "1", "--backward", "--seed", "1"], 25),
        (["-i", "4", "-k", "3", "-s", "2", "--transposed", "--view", "overlap"], 16),
        (["-i", "4", "-k", "3", "--view", "matrix"], 4),
    ]
    for number, (args, frames) in enumerate(cases):
        status, _, err = run(capsys, "conv", *args, *SMALL, "-o", f"{number}.gif")
        assert status == 0, err
        assert gif_frames(tmp_path / f"{number}.gif") == frames


@pytest.mark.parametrize(("args", "fragments"), [
    (["--in-channels", "3", "--groups", "2"],
                 ["--in-channels", "divisible by --groups 2"]),
    (["--out-channels", "0"], ["--out-channels", "'0'", "int >= 1"]),
    (["--flip"], ["--flip applies to numerical figures"]),
    (["--view", "scatter"], ["--view scatter draws the products", "--numbers"]),
])
def test_channel_and_view_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch, args: list[str],
                                 fragments: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert_error(*run(capsys, "conv", "-i", "5", "-k", "3", *args, "-o", "x.gif"), 2, *fragments)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- signals


# A real ``conv-anim`` process stopped by each signal mid-save: test_export_signals.py.


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_an_interruption_that_surfaces_as_another_error_is_still_an_interruption(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], number: int
) -> None:
    # A KeyboardInterrupt raised while a C extension runs Python code can come out as
    # that extension's error: matplotlib's Agg renderer says "Invalid bounding box".
    def drawing_interrupted(args: object) -> int:
        try:
            signal.raise_signal(number)
        except KeyboardInterrupt:
            raise CliError("Invalid bounding box") from None
        raise AssertionError("the signal did not unwind")

    monkeypatch.setattr(cli, "run_conv", drawing_interrupted)
    assert main(["conv", "-i", "5", "-k", "3", "-o", "x.gif"]) == 130
    assert capsys.readouterr().err == "conv-anim: interrupted\n"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
