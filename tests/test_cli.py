"""Tests for the ``conv-anim`` command line (conv_anim.cli).

Most tests call ``main([...])`` in-process and read its exit status and output; a few
run the installed entry point and ``python -m conv_anim`` as subprocesses. Figures are
drawn at a small scale to keep the tests fast.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from pathlib import Path

import pytest
from cli_support import SCRIPT, SMALL, assert_error, gif_frames, run, run_process

from conv_anim import catalog, notation
from conv_anim.cli import catalog_lines
from conv_anim.errors import ParameterError
from conv_anim.explain import info_lines
from conv_anim.frameworks import to_layer
from conv_anim.geometry import ConvSpec
from conv_anim.options import OPTIONS


def torch_lines(spec: ConvSpec, op: str = "conv") -> list[str]:
    """The PyTorch layer that ``info`` prints."""
    return list(to_layer(spec, "torch", op=op).code)


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
    assert result.stderr == ""  # --quiet, and no progress when stderr is not a terminal
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
    value = OPTIONS["input-size"].parse(text)
    assert (value if isinstance(value, tuple) else (value,)) == expected


@pytest.mark.parametrize("text", ["0", "5x", "x5", "a", "5.0", "-1", "1x2x3x4", "", "²"])
def test_axis_values_refused(text: str) -> None:
    with pytest.raises(ParameterError, match="expected an int >= 1"):
        OPTIONS["input-size"].parse(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1), ("1,0", (1, 0)), ("0:1", ((0, 1),)), ("1:2x0", ((1, 2), 0)),
    ("same", "same"), ("VALID", "valid"), ("full", "full"), ("half", "half"),
])
def test_padding_value(text: str, expected: object) -> None:
    assert OPTIONS["padding"].parse(text) == expected


@pytest.mark.parametrize("text", ["sam", "1:", ":1", "1:2:3", "-1", "1x2x3x4"])
def test_padding_value_refused(text: str) -> None:
    with pytest.raises(ParameterError, match="same, full, half"):
        OPTIONS["padding"].parse(text)


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
def test_torch_lines(spec: ConvSpec, op: str, expected: list[str]) -> None:
    assert torch_lines(spec, op) == expected


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
    expected = "  Padding, strides: input 5×5 → output 3×3; k = 3, s = 2, p = 1; 9 frames"
    assert line.endswith(expected)


def test_info_shows_channels_and_groups_in_the_pytorch_layer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "info", "-i", "5", "-k", "3", "--in-channels", "4",
                         "--out-channels", "8", "--groups", "4")
    assert status == 0
    assert "nn.Conv2d(4, 8, kernel_size=3, groups=4)" in out


def test_info_refuses_pooling_that_changes_the_channels(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Found by the fuzz test: a ParameterError traceback from the PyTorch layer's code."""
    result = run(capsys, "info", "-i", "5", "-k", "2", "--out-channels", "2", "--op", "max")
    assert_error(*result, 2, "--op", "keeps every channel")


@pytest.mark.parametrize("name", ["every", "seed", "steps", "rows", "filmstrip", "max-frames"])
def test_option_parsers_refuse_ints_of_5000_digits(name: str) -> None:
    """Found by the fuzz test: int() raised a plain ValueError (more than 4300 digits),
    which the MkDocs fence did not expect."""
    text = "9" * 5000 + (":" if name in ("steps", "rows") else "")
    parse = OPTIONS[name].parse
    assert parse is not None
    with pytest.raises(ParameterError):
        parse(text)


def test_info_pooling_limit_ignores_dilation_as_pytorch_does() -> None:
    lines = torch_lines(ConvSpec((8,), 2, padding=2, dilation=3), "max")
    assert lines[-1] == "# nn.MaxPool1d refuses padding above half the window (2)"
    assert torch_lines(ConvSpec((8,), 3, padding=1, dilation=3), "max") == [
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




# --------------------------------------------------------------------------- solve


def test_solve_prints_commands_that_draw_the_answers(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "solve", "-i", "64", "-o", "32", "-k", "3", "--limit", "3")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("# 64 -> 32 (kernel_size=3)")
    commands = [line for line in lines if not line.startswith("#")]
    assert commands[0] == "conv-anim conv -i 64 -k 3 -s 2 -p 1 --max-frames 1024 -o conv.gif"
    for command in commands:  # each answer maps 64 to 32
        args = command.split()[2:]
        status, text, _ = run(capsys, "info", *args[: args.index("--max-frames")])
        assert status == 0 and " → output 32×32; " in text.splitlines()[0]


def test_solve_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert_error(*run(capsys, "solve", "-i", "5", "-o", "9", "-s", "0"), 2, "--stride", "'0'")
    assert_error(*run(capsys, "solve", "-i", "5"), 2, "-o/--output-size")


def test_info_gives_every_framework_and_the_overlap(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "info", "-i", "4", "-k", "3", "-s", "2", "--transposed")
    assert status == 0
    for heading in ("PyTorch:", "Keras:", "JAX:"):
        assert heading in out.splitlines()
    assert ("overlap of the kernel's copies: uneven: interior units get 1, 2 or 4 taps "
            "(a checkerboard)") in out.splitlines()
    assert ("backward pass: ∂L/∂x = the convolution of ∂L/∂y with the same kernel: "
            "input 9×9 → output 4×4") in out.splitlines()
    _, even, _ = run(capsys, "info", "-i", "4", "-k", "4", "-s", "2", "--transposed")
    assert "overlap of the kernel's copies: even: every interior unit gets 4 taps" in even
