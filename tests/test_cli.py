"""Tests for the ``conv-anim`` command line (conv_anim.cli).

Most tests call ``main([...])`` in-process and read its exit status and output; a few
run the installed entry point and ``python -m conv_anim`` as subprocesses. Figures are
drawn at a small scale to keep the tests fast.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conv_anim import catalog, notation
from conv_anim.cli import axis_values, catalog_lines, main, padding_value
from conv_anim.explain import info_lines, pytorch_lines
from conv_anim.geometry import ConvSpec

SMALL = ["--scale", "0.3"]
SCRIPT = Path(sysconfig.get_path("scripts")) / "conv-anim"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``main(args)`` in-process: exit status, stdout, stderr."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_process(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_error(status: int, out: str, err: str, expected_status: int, *fragments: str) -> None:
    """One line ``conv-anim: error: ...`` on stderr naming ``fragments``; nothing on stdout."""
    assert status == expected_status
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("conv-anim: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def gif_frames(path: Path) -> int:
    with Image.open(path) as image:
        return image.n_frames


# --------------------------------------------------------------------------- entry points


def test_entry_point_and_module_run_info() -> None:
    assert SCRIPT.exists(), "run `.venv/bin/pip install -e . --no-deps` to get conv-anim"
    args = ["info", "-i", "5", "-k", "3", "-s", "2", "-p", "1"]
    script = run_process(str(SCRIPT), *args)
    module = run_process(sys.executable, "-m", "conv_anim", *args)
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout
    assert "o = floor((5 + 2*1 - 3) / 2) + 1 = 3" in script.stdout


def test_entry_point_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = run_process(str(SCRIPT), "conv", "-i", "5", "-k", "3", "-s", "0", "-o", "x.gif",
                         cwd=tmp_path)
    assert_error(result.returncode, result.stdout, result.stderr, 2, "-s/--stride", "'0'")
    assert list(tmp_path.iterdir()) == []


def test_entry_point_writes_gif(tmp_path: Path) -> None:
    result = run_process(str(SCRIPT), "conv", "-i", "5", "-k", "3", "-s", "2", "-p", "1",
                         "-o", "padding_strides.gif", *SMALL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress when stderr is not a terminal
    assert gif_frames(tmp_path / "padding_strides.gif") == 9


def test_info_and_list_do_not_import_matplotlib() -> None:
    code = (
        "import sys; from conv_anim.cli import main; "
        "assert main(['info', '-i', '3', '-k', '3', '-s', '2', '-p', '1', '--transposed']) == 0; "
        "assert main(['list']) == 0; "
        "print('matplotlib' in sys.modules)"
    )
    result = run_process(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"


@pytest.mark.parametrize("command", [[], ["conv"], ["paper"], ["list"], ["info"]])
def test_help_with_examples(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    status, out, _ = run(capsys, *command, "--help")
    assert status == 0
    assert "usage: conv-anim" in out
    assert "example" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out.startswith("conv-anim ")


# --------------------------------------------------------------------------- value syntax


@pytest.mark.parametrize(("text", "expected"), [
    ("5", (5,)), ("5x7", (5, 7)), ("5,7", (5, 7)), (" 5 X 7 ", (5, 7)), ("3x3x3", (3, 3, 3)),
])
def test_axis_values(text: str, expected: tuple[int, ...]) -> None:
    assert axis_values(1)(text) == expected


@pytest.mark.parametrize("text", ["0", "5x", "x5", "a", "5.0", "-1", "1x2x3x4", "", "²"])
def test_axis_values_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="expected an int >= 1"):
        axis_values(1)(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("1", (1,)), ("1,0", (1, 0)), ("0:1", ((0, 1),)), ("1:2x0", ((1, 2), 0)),
    ("same", "same"), ("VALID", "valid"), ("full", "full"),
])
def test_padding_value(text: str, expected: object) -> None:
    assert padding_value(text) == expected


@pytest.mark.parametrize("text", ["sam", "1:", ":1", "1:2:3", "-1", "1x2x3x4"])
def test_padding_value_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="same, full"):
        padding_value(text)


def test_per_axis_values_reach_the_spec(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "info", "-i", "5x7", "-k", "3x1", "-p", "1,0")
    assert status == 0
    assert out.startswith("convolution: input 5×7 → output 5×7; k = 3×1, s = 1, p = 1×0\n")
    assert "axis 0: Relationship 3 (half (same) padding)" in out
    assert "axis 1: Relationship 1 (no zero padding, unit strides)" in out
    assert "nn.Conv2d(1, 1, kernel_size=(3, 1), padding=(1, 0))" in out


def test_ndim_gives_1d_and_3d(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "info", "-i", "16", "--ndim", "1", "-k", "3", "-s", "2")
    assert "output 7;" in out and "nn.Conv1d(1, 1, kernel_size=3, stride=2)" in out
    _, out, _ = run(capsys, "info", "-i", "4x5x6", "-k", "3", "--transposed")
    assert "output 6×7×8;" in out and "nn.ConvTranspose3d(1, 1, kernel_size=3)" in out


# --------------------------------------------------------------------------- info


@pytest.mark.parametrize(("args", "size", "relationship", "arithmetic", "layer"), [
    ("-i 4 -k 3", "2x2", 1, "o = (4 - 3) + 1 = 2", "nn.Conv2d(1, 1, kernel_size=3)"),
    ("-i 5 -k 4 -p 2", "6x6", 2, "o = (5 - 4) + 2*2 + 1 = 6",
     "nn.Conv2d(1, 1, kernel_size=4, padding=2)"),
    ("-i 5 -k 3 -p 1", "5x5", 3, "o = 5 + 2*floor(3 / 2) - (3 - 1) = 5",
     "nn.Conv2d(1, 1, kernel_size=3, padding=1)"),
    ("-i 5 -k 3 -p full", "7x7", 4, "o = 5 + (3 - 1) = 7",
     "nn.Conv2d(1, 1, kernel_size=3, padding=2)"),
    ("-i 5 -k 3 -s 2", "2x2", 5, "o = floor((5 - 3) / 2) + 1 = 2",
     "nn.Conv2d(1, 1, kernel_size=3, stride=2)"),
    ("-i 5 -k 3 -s 2 -p 1", "3x3", 6, "o = floor((5 + 2*1 - 3) / 2) + 1 = 3",
     "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)"),
    ("-i 5 -k 3 --op max", "3x3", 7, "o = floor((5 - 3) / 1) + 1 = 3",
     "nn.MaxPool2d(kernel_size=3, stride=1)"),
    ("-i 2 -k 3 --transposed", "4x4", 8, "o' = 2 + (3 - 1) = 4",
     "nn.ConvTranspose2d(1, 1, kernel_size=3)"),
    ("-i 6 -k 4 -p 2 --transposed", "5x5", 9, "o' = 6 + (4 - 1) - 2*2 = 5",
     "nn.ConvTranspose2d(1, 1, kernel_size=4, padding=2)"),
    ("-i 5 -k 3 -p 1 --transposed", "5x5", 10, "o' = 5 + (3 - 1) - 2*1 = 5",
     "nn.ConvTranspose2d(1, 1, kernel_size=3, padding=1)"),
    ("-i 7 -k 3 -p 2 --transposed", "5x5", 11, "o' = 7 - (3 - 1) = 5",
     "nn.ConvTranspose2d(1, 1, kernel_size=3, padding=2)"),
    ("-i 2 -k 3 -s 2 --transposed", "5x5", 12, "o' = 2*(2 - 1) + 3 = 5",
     "nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2)"),
    ("-i 3 -k 3 -s 2 -p 1 --transposed", "5x5", 13, "o' = 2*(3 - 1) + 3 - 2*1 = 5",
     "nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1)"),
    ("-i 3 -k 3 -s 2 -p 1 --transposed --output-padding 1", "6x6", 14,
     "o' = 2*(3 - 1) + 1 + 3 - 2*1 = 6",
     "nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)"),
    ("-i 7 -k 3 -d 2", "3x3", 15, "o = floor((7 + 2*0 - 3 - (3 - 1)*(2 - 1)) / 1) + 1 = 3",
     "nn.Conv2d(1, 1, kernel_size=3, dilation=2)"),
])
def test_info_names_the_relationship(
    capsys: pytest.CaptureFixture[str], args: str, size: str, relationship: int,
    arithmetic: str, layer: str,
) -> None:
    status, out, err = run(capsys, "info", *args.split())
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert f" → output {size.replace('x', '×')}; " in lines[0]
    assert f"Relationship {relationship} (" in out
    assert f"    {arithmetic}" in lines
    assert f"    {layer}" in lines


def test_info_transposed_shows_the_equivalent_direct_convolution(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "info", "-i", "3", "-k", "3", "-s", "2", "-p", "1", "--transposed",
                    "--output-padding", "1")
    assert "the transpose of a 6×6 → 3×3 convolution with k = 3, s = 2, p = 1, a = 1" in out
    assert "(i' - 1)*s + 1 = (3 - 1)*2 + 1 = 5, with s - 1 = 1 zero(s) inserted" in out
    assert "p' = k - 1 - p = 3 - 1 - 1 = 1 on each side, plus a = 1 after" in out
    assert "o' = (5 + 1 + 2 - 3) + 1 = 6" in out


def test_info_odd_case_suggests_output_padding(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "info", "-i", "6", "-k", "3", "-s", "2", "-p", "1")
    assert "(6 + 2*1 - 3) mod 2 = 1: the last 1 unit(s) of the padded input" in out
    assert "--output-padding 1" in out


@pytest.mark.parametrize(("figure", "relationship"), [
    ("no_padding_no_strides", 1), ("arbitrary_padding_no_strides", 2),
    ("same_padding_no_strides", 3), ("full_padding_no_strides", 4), ("no_padding_strides", 5),
    ("padding_strides", 6), ("padding_strides_odd", 6),
    ("no_padding_no_strides_transposed", 8), ("arbitrary_padding_no_strides_transposed", 9),
    ("same_padding_no_strides_transposed", 10), ("full_padding_no_strides_transposed", 11),
    ("no_padding_strides_transposed", 12), ("padding_strides_transposed", 13),
    ("padding_strides_odd_transposed", 14), ("dilation", 15),
    ("numerical_average_pooling", 7), ("numerical_max_pooling", 7),
])
def test_the_paper_figures_get_their_relationship(figure: str, relationship: int) -> None:
    paper = catalog.get(figure)
    lines = info_lines(paper.spec, paper.op or "conv")
    assert any(line.startswith(f"Relationship {relationship} (") for line in lines)


def _evaluate(expression: str) -> int:
    """Evaluate printed arithmetic: ints, + - * /, parentheses, floor and mod."""
    python = expression.replace("floor(", "math.floor(").replace(" mod ", " % ")
    assert re.fullmatch(r"[\d\s+\-*/()%]*", python.replace("math.floor", "")), expression
    return eval(python, {"math": math})  # noqa: S307 - checked to hold arithmetic only


def _specs() -> list[ConvSpec]:
    specs = []
    for i, k, s, d, pad, transposed, a in itertools.product(
        (1, 4, 7), (1, 2, 3), (1, 2, 3), (1, 2), (0, 1, 2, (0, 1), (2, 1)), (False, True), (0, 1)
    ):
        try:
            specs.append(ConvSpec((i, i + 1), k, s, pad, d, transposed=transposed,
                                  output_padding=a))
        except ValueError:
            continue
    return specs


def test_info_arithmetic_evaluates_to_the_output_size() -> None:
    for spec in _specs():
        for op in ("conv", "max") if not spec.transposed else ("conv",):
            lines = info_lines(spec, op)
            results = [line.split(" = ", 1)[1] for line in lines if re.match(r"\s+o'? = ", line)]
            assert len(results) in (1, spec.ndim), lines
            for result in results:
                expression, value = result.rsplit(" = ", 1)
                assert _evaluate(expression) == int(value) in spec.output_size, (spec, result)


def test_info_equivalent_output_line_matches() -> None:
    for spec in (s for s in _specs() if s.transposed):
        lines = [line for line in info_lines(spec) if "stride s' = 1: o' = " in line]
        assert lines
        for line in lines:
            expression, value = line.split("o' = ", 1)[1].rsplit(" = ", 1)
            assert _evaluate(expression) == int(value) in spec.output_size


# --------------------------------------------------------------------------- PyTorch


@pytest.mark.parametrize(("spec", "op", "expected"), [
    (ConvSpec((9,), 3, 2, 1, 2), "conv",
     ["nn.Conv1d(1, 1, kernel_size=3, stride=2, padding=1, dilation=2)"]),
    (ConvSpec((5, 6, 7), (3, 3, 1)), "conv", ["nn.Conv3d(1, 1, kernel_size=(3, 3, 1))"]),
    (ConvSpec(5, 4, padding="same"), "conv", [
        "x = F.pad(x, (1, 2, 1, 2))  # (left, right, top, bottom): nn.Conv2d pads both sides "
        "equally",
        "nn.Conv2d(1, 1, kernel_size=4)",
        "# or, without F.pad: nn.Conv2d(1, 1, kernel_size=4, padding='same')",
    ]),
    (ConvSpec(5, 3, padding=((0, 1), (1, 1))), "max", [
        "x = F.pad(x, (1, 1, 0, 1), value=float('-inf'))  # (left, right, top, bottom): "
        "nn.MaxPool2d pads both sides equally",
        "nn.MaxPool2d(kernel_size=3, stride=1)",
    ]),
    (ConvSpec(4, 4, padding=((0, 1), (2, 0)), transposed=True), "conv", [
        "nn.ConvTranspose2d(1, 1, kernel_size=4)",
        "y = y[..., :-1, 2:]  # crop: nn.ConvTranspose2d pads both sides equally",
    ]),
    (ConvSpec(6, 2, 2), "avg", ["nn.AvgPool2d(kernel_size=2, stride=2)"]),
    (ConvSpec(7, 3, dilation=2), "avg",
     ["# nn.AvgPool2d has no dilation: no PyTorch layer computes this pooling"]),
    (ConvSpec(5, 3, padding=2), "max", [
        "nn.MaxPool2d(kernel_size=3, stride=1, padding=2)",
        "# nn.MaxPool2d refuses padding above half the window (3)",
    ]),
])
def test_pytorch_lines(spec: ConvSpec, op: str, expected: list[str]) -> None:
    assert pytorch_lines(spec, op) == expected


# --------------------------------------------------------------------------- list


def test_list_groups_every_figure_by_section(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "list")
    assert status == 0
    assert out == "\n".join(catalog_lines()) + "\n"
    figures = (*catalog.animations(), *catalog.statics())
    for figure in figures:
        assert sum(line.split()[0] == figure.name for line in out.splitlines() if line) == 1
    sections = {figure.section for figure in figures}
    for section in sections:
        assert f"{catalog.SECTIONS[section]}:" in out.splitlines()
    line = next(line for line in out.splitlines() if line.split()[:1] == ["padding_strides"])
    assert line.endswith("  Padding, strides: input 5×5 → output 3×3; k = 3, s = 2, p = 1; 9 frames")


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


def test_conv_png_folder_frame_vector_and_filmstrip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    base = ["conv", "-i", "5", "-k", "3", "-s", "2", "-p", "1", *SMALL]
    assert run(capsys, *base, "-o", str(tmp_path / "frames.png"))[0] == 0
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [
        f"frame_{n:03d}.png" for n in range(9)
    ]
    assert run(capsys, *base, "-o", str(tmp_path / "one.png"), "--frame", "4")[0] == 0
    with Image.open(tmp_path / "one.png") as one:
        frame_width = one.width
    assert run(capsys, *base, "-o", str(tmp_path / "strip.png"), "--filmstrip")[0] == 0
    with Image.open(tmp_path / "strip.png") as strip:
        assert strip.width > 3.5 * frame_width
    assert run(capsys, *base, "-o", str(tmp_path / "one.pdf"), "--labels", "--caption")[0] == 0
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")
    assert run(capsys, *base, "-o", str(tmp_path / "one.svg"), "--transparent",
               "--no-connectors", "--caption=my caption")[0] == 0
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
    for op, frames in (("conv", 9), ("max", 9), ("avg", 9)):
        output = tmp_path / f"{op}.gif"
        status, _, err = run(capsys, "conv", "-i", "5", "-k", "3", "--numbers", "--op", op,
                             "--progressive", "-o", str(output), *SMALL)
        assert (status, err) == (0, "")
        assert gif_frames(output) == frames


def test_conv_values_from_npy_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.arange(16).reshape(4, 4))
    np.save(tmp_path / "w.npy", np.ones((2, 2)))
    output = tmp_path / "v.gif"
    status, _, err = run(capsys, "conv", "-i", "4", "-k", "2", "-s", "2", "--values",
                         str(tmp_path / "x.npy"), "--kernel", str(tmp_path / "w.npy"),
                         "-o", str(output), *SMALL)
    assert (status, err) == (0, "")
    assert gif_frames(output) == 4


def test_progress_only_on_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    args = ["conv", "-i", "4", "-k", "3", "-o", str(tmp_path / "a.gif"), *SMALL]
    assert main(args) == 0
    counts = re.findall(r"\rconv-anim: rendering .*?a\.gif: (\d)/4", terminal.getvalue())
    assert counts == ["1", "2", "3", "4"]
    assert re.search(r" done in [\d.]+ s\n$", terminal.getvalue())
    monkeypatch.undo()
    assert run(capsys, *args)[2] == ""


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
                         "--transparent")
    assert (status, err) == (0, "")
    assert "<svg" in (tmp_path / "static.svg").read_text()


# --------------------------------------------------------------------------- errors

BAD_ARGUMENTS = [
    (["conv", "-i", "5", "-k", "3", "-s", "0"], ["-s/--stride", "'0'", "int >= 1"]),
    (["conv", "-i", "5", "-k", "7"], ["-k/--kernel-size", "kernel_size 7", "must fit"]),
    (["conv", "-i", "5", "-k", "3x3x3"], ["-k/--kernel-size", "3 axes"]),
    (["conv", "-i", "5", "-k", "3", "-p", "sam"], ["-p/--padding", "'sam'", "same"]),
    (["conv", "-i", "5", "-k", "4", "-s", "2", "-p", "same"], ["-p/--padding", "stride 1"]),
    (["conv", "-i", "5", "-k", "3", "--output-padding", "1"], ["--output-padding", "transposed"]),
    (["conv", "-i", "3", "-k", "3", "-s", "2", "--transposed", "--output-padding", "2"],
     ["--output-padding", "smaller than stride 2"]),
    (["conv", "-i", "3", "-k", "3", "--transposed", "--op", "max"], ["--op max", "--transposed"]),
    (["conv", "-i", "5x7", "-k", "3", "--ndim", "3"], ["--ndim 3", "5x7"]),
    (["conv", "-i", "5", "-k", "3", "--fps", "0"], ["--fps", "fps=0.0"]),
    (["conv", "-i", "5", "-k", "3", "--fps", "abc"], ["--fps", "'abc'"]),
    (["conv", "-i", "5", "-k", "3", "--scale", "100"], ["--scale", "[0.1, 20]"]),
    (["conv", "-i", "5", "-k", "3", "-o", "x.pdf", "--frame", "99"], ["--frame", "0 to 8"]),
    (["conv", "-i", "5", "-k", "3", "--frame", "1"], ["--frame", "a .gif, which holds every"]),
    (["conv", "-i", "5", "-k", "3", "-o", "x.png", "--fps", "2"], ["--fps", "(.gif, .webp"]),
    (["conv", "-i", "5", "-k", "3", "-o", "x.txt"], ["-o/--output", "'.txt'", ".gif, .webp"]),
    (["conv", "-i", "5", "-k", "3", "--filmstrip"], ["-o/--output", "--filmstrip", ".pdf"]),
    (["conv", "-i", "5", "-k", "3", "--op", "max"], ["--op max", "--numbers", "--values"]),
    (["conv", "-i", "7", "-k", "3", "--numbers"], ["--numbers", "-i 7x7", "--values"]),
    (["conv", "-i", "5", "-k", "3", "--progressive"], ["--progressive", "--numbers"]),
    (["conv", "-i", "5", "-k", "3", "--kernel", "w.npy"], ["--kernel", "--values"]),
    (["conv", "-i", "5", "-k", "3", "--numbers", "--values", "x.npy"], ["--values", "--numbers"]),
    (["conv", "-i", "4", "-k", "3", "--values", "x.npy"], ["--values", "--kernel FILE.npy"]),
    (["conv", "-i", "5", "-k", "3", "--values", "x.npy", "--kernel", "w.npy"],
     ["--values", "'x.npy'", "shape (4, 4)", "expected shape (5, 5)"]),
    (["conv", "-i", "4", "-k", "2", "--values", "x.npy", "--kernel", "text.npy"],
     ["--kernel", "'text.npy'", "not a .npy"]),
    (["conv", "-i", "4", "-k", "2", "--op", "max", "--values", "x.npy", "--kernel", "w.npy"],
     ["--kernel", "pooling"]),
    (["paper", "nope"], ["NAME", "'nope'", "padding_strides"]),
    (["paper", "padding_strides", "--progressive"], ["--progressive", "'padding_strides'"]),
    (["paper", "kernel", "--scale", "2"], ["--scale", "static figure 'kernel'"]),
    (["paper", "kernel", "-o", "kernel.gif"], ["-o/--output", ".png, .pdf, .svg"]),
    (["info", "-i", "5", "-k", "3", "-o", "x.gif"], ["unrecognized arguments"]),
    (["info", "-i", "3", "-k", "3", "-p", "3", "--transposed"], ["-p/--padding", "padding 3"]),
    (["info"], ["-i/--input-size", "-k/--kernel-size", "required"]),
    ([], ["COMMAND", "required"]),
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


def test_missing_input_file_is_status_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "out.gif"
    result = run(capsys, "conv", "-i", "5", "-k", "3", "--values", str(tmp_path / "nope.npy"),
                 "--kernel", str(tmp_path / "nope.npy"), "-o", str(output))
    assert_error(*result, 1, "--values", "cannot read", "No such file")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing/out.gif", "file.txt/out.gif"])
def test_output_folder_must_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str,
) -> None:
    (tmp_path / "file.txt").write_text("")
    result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(tmp_path / where))
    assert_error(*result, 1, "-o/--output", "cannot write", "not an existing folder")
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_unwritable_output_is_status_1_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    (tmp_path / "out.gif").mkdir()  # a folder where the file should go
    result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(tmp_path / "out.gif"), *SMALL)
    assert_error(*result, 1, "-o/--output", "cannot write", "is a folder")
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "notes.txt").write_text("mine")
    result = run(capsys, "conv", "-i", "5", "-k", "3", "-o", str(tmp_path / "frames.png"), *SMALL)
    assert_error(*result, 1, "-o/--output", "cannot write", "notes.txt")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["frames", "notes.txt", "out.gif"]


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
    with Image.open(out) as gif:
        assert gif.n_frames == frames


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
    ]
    for number, (args, frames) in enumerate(cases):
        status, _, err = run(capsys, "conv", *args, *SMALL, "-o", f"{number}.gif")
        assert status == 0, err
        with Image.open(f"{number}.gif") as gif:
            assert gif.n_frames == frames


@pytest.mark.parametrize(("args", "fragments"), [
    (["--in-channels", "3", "--groups", "2"], ["--in-channels", "divisible by groups=2"]),
    (["--out-channels", "0"], ["--out-channels", "out_channels=0"]),
    (["--flip"], ["--flip applies to numerical figures"]),
    (["--view", "scatter"], ["--view scatter applies to numerical figures"]),
])
def test_channel_and_view_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch, args: list[str],
                                 fragments: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert_error(*run(capsys, "conv", "-i", "5", "-k", "3", *args, "-o", "x.gif"), 2, *fragments)
    assert list(tmp_path.iterdir()) == []


def test_info_shows_channels_and_groups_in_the_pytorch_layer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "info", "-i", "5", "-k", "3", "--in-channels", "4",
                         "--out-channels", "8", "--groups", "4")
    assert status == 0
    assert "nn.Conv2d(4, 8, kernel_size=3, groups=4)" in out


def test_info_pooling_limit_ignores_dilation_as_pytorch_does() -> None:
    lines = pytorch_lines(ConvSpec((8,), 2, padding=2, dilation=3), "max")
    assert lines[-1] == "# nn.MaxPool1d refuses padding above half the window (2)"
    assert pytorch_lines(ConvSpec((8,), 3, padding=1, dilation=3), "max") == [
        "nn.MaxPool1d(kernel_size=3, stride=1, padding=1, dilation=3)"
    ]


def test_info_does_not_claim_a_transpose_that_does_not_exist() -> None:
    spec = ConvSpec((4,), 3, dilation=2, transposed=True, output_padding=1)  # a >= stride
    text = "\n".join(info_lines(spec))
    assert "the transpose of a convolution" not in text
    assert "no direct convolution of a 9 input gives 4" in text
    advice = "\n".join(info_lines(ConvSpec(6, 1, stride=2, padding=1)))
    assert "--output-padding" not in advice and "cannot be drawn" in advice


def test_paper_notation_shows_both_sides_of_an_asymmetric_p_prime() -> None:
    spec = ConvSpec((5,), 4, padding=((1, 2),), transposed=True)
    assert "p' = (2, 1)" in notation.equivalent(spec)


def test_sigterm_unwinds_like_ctrl_c_and_leaves_nothing(tmp_path: Path) -> None:
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "conv_anim", "conv", "-i", "40", "-k", "3", "-o", "t.gif"],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 20
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:  # writing has begun
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrupted" in err
    assert list(tmp_path.iterdir()) == []
