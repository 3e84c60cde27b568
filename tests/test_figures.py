"""Tests for conv_anim.figures: the paper's static figures and their catalogue entries."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from conftest import figure_pixels
from matplotlib.figure import Figure

from conv_anim import catalog, figures, paperdata
from conv_anim.geometry import ConvSpec
from conv_anim.render.canvas import save_figure

STATICS = {
    "kernel": "kernel_figure",
    "feature_maps": "feature_maps_figure",
    "strides_subsampling": "strides_subsampling_figure",
    "kernel_positions": "kernel_positions_figure",
    "matrix": "matrix_figure",
    "matrix_transposed": "matrix_transposed_figure",
}
BLUE, CYAN, VIOLET = (38, 139, 210), (42, 161, 152), (108, 113, 196)
#: A kernel of distinct primes: each entry of C names the weight it holds.
PRIMES = np.array([[2, 3, 5], [7, 11, 13], [17, 19, 23]])
ENTRY = re.compile(r"\$(0|w_\{(\d),(\d)\})\$")
#: The first row of C as the paper prints it (chapter 4).
PAPER_FIRST_ROW = (
    ["w00", "w01", "w02", "0", "w10", "w11", "w12", "0", "w20", "w21", "w22", "0",
     "0", "0", "0", "0"]
)


def draw(name: str, **style: object) -> Figure:
    return getattr(figures, STATICS[name])(**style)


def texts(fig: Figure) -> list[str]:
    return [text.get_text() for text in fig.axes[0].texts]


def has_color(fig: Figure, rgb: tuple[int, int, int]) -> bool:
    pixels = figure_pixels(fig)[..., :3]
    return bool(np.all(pixels == np.array(rgb, dtype=np.uint8), axis=-1).any())


def drawn_matrix(fig: Figure) -> np.ndarray:
    """The matrix entries as drawn, placed by their positions on the page."""
    entries = [t for t in fig.axes[0].texts if ENTRY.fullmatch(t.get_text())]
    xs = sorted({round(t.get_position()[0], 6) for t in entries})
    ys = sorted({round(t.get_position()[1], 6) for t in entries}, reverse=True)
    grid = np.full((len(ys), len(xs)), "", dtype=object)
    for t in entries:
        x, y = (round(v, 6) for v in t.get_position())
        grid[ys.index(y), xs.index(x)] = t.get_text()
    return grid


def expected_entries(matrix: np.ndarray) -> np.ndarray:
    """Mathtext of each entry of a matrix built from PRIMES: ``$0$`` or ``$w_{i,j}$``."""
    where = {int(PRIMES[r, c]): (r, c) for r in range(3) for c in range(3)}
    out = np.full(matrix.shape, "$0$", dtype=object)
    for index, value in np.ndenumerate(matrix):
        if value:
            row, col = where[int(value)]
            out[index] = f"$w_{{{row},{col}}}$"
    return out


@pytest.mark.parametrize("name", STATICS)
def test_returns_a_new_figure_leaving_pyplot_and_rcparams_alone(name: str) -> None:
    import matplotlib.pyplot as plt

    current = plt.figure()
    try:
        numbers, params = plt.get_fignums(), dict(mpl.rcParams)
        fig = draw(name)
        figure_pixels(fig)
        assert isinstance(fig, Figure)
        assert plt.get_fignums() == numbers
        assert plt.gcf() is current
        assert dict(mpl.rcParams) == params
    finally:
        plt.close(current)


def test_figures_never_import_pyplot() -> None:
    code = (
        "import sys\n"
        "from conv_anim import figures\n"
        f"for name in {list(STATICS.values())!r}:\n"
        "    getattr(figures, name)()\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
@pytest.mark.parametrize("name", STATICS)
def test_saved_files_are_deterministic(name: str, suffix: str, tmp_path: Path) -> None:
    first = save_figure(draw(name, scale=0.5), tmp_path / f"a{suffix}")
    second = save_figure(draw(name, scale=0.5), tmp_path / f"b{suffix}")
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 500


@pytest.mark.parametrize("name", STATICS)
def test_saves_as_pdf(name: str, tmp_path: Path) -> None:
    path = save_figure(draw(name, scale=0.5), tmp_path / "figure.pdf")
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", STATICS)
def test_image_regression(name: str, image_regression: Callable[..., None]) -> None:
    image_regression(figure_pixels(draw(name, scale=0.5)), f"figure_{name}")


def test_matrix_entries_follow_the_geometry() -> None:
    expected = expected_entries(ConvSpec(4, 3).matrix(PRIMES))
    drawn = drawn_matrix(figures.matrix_figure())
    assert drawn.shape == (4, 16)
    assert (drawn == expected).all()
    assert sum(entry != "$0$" for entry in drawn.ravel()) == 4 * 9


def test_matrix_first_row_is_the_papers() -> None:
    first = [ENTRY.fullmatch(entry) for entry in drawn_matrix(figures.matrix_figure())[0]]
    assert ["0" if m[1] == "0" else f"w{m[2]}{m[3]}" for m in first] == PAPER_FIRST_ROW


def test_transposed_matrix_is_the_transpose() -> None:
    expected = expected_entries(ConvSpec(4, 3).matrix(PRIMES).T)
    drawn = drawn_matrix(figures.matrix_figure(transposed=True))
    assert drawn.shape == (16, 4)
    assert (drawn == expected).all()
    assert (drawn == drawn_matrix(figures.matrix_transposed_figure())).all()


def test_matrix_is_named() -> None:
    assert r"$\mathbf{C} =$" in texts(figures.matrix_figure())
    assert r"$\mathbf{C}^T =$" in texts(figures.matrix_figure(True))


def test_kernel_shows_the_papers_values_row_by_row() -> None:
    fig = figures.kernel_figure()
    cells = sorted(fig.axes[0].texts, key=lambda t: (-t.get_position()[1], t.get_position()[0]))
    _, kernel = paperdata.paper_data()
    assert [t.get_text() for t in cells] == [f"${v}$" for v in kernel.ravel()]
    assert [t.get_text() for t in cells] == ["$0$", "$1$", "$2$", "$2$", "$2$", "$0$",
                                            "$0$", "$1$", "$2$"]


def test_kernel_of_your_own() -> None:
    fig = figures.kernel_figure([[0.5, -1.0], [True, 1e6]])
    assert sorted(texts(fig)) == sorted(["$0.5$", "$-1$", "$1$", r"$1 \times 10^{6}$"])


def test_kernel_positions_count_the_steps() -> None:
    written = texts(figures.kernel_positions_figure())
    for stride in (1, 2):
        o = ConvSpec(5, 3, stride=stride).output_size[1]
        assert any(text.startswith(f"$o = {o - 1}") and text.endswith(f"= {o}$")
                   for text in written)
    # One numbered arrow per step, across and down: steps 1, 2 (s = 1) and 1 (s = 2).
    assert written.count("$1$") == 4 and written.count("$2$") == 2


def test_paper_colours() -> None:
    assert has_color(figures.strides_subsampling_figure(), BLUE)
    assert has_color(figures.strides_subsampling_figure(), CYAN)
    assert has_color(figures.feature_maps_figure(), VIOLET)


def test_colours_are_style_options() -> None:
    red, green = (255, 0, 0), (0, 200, 0)
    fig = figures.feature_maps_figure(output_color=red, second_input_color="#00c800")
    assert has_color(fig, red) and has_color(fig, green)
    assert not has_color(fig, CYAN)


def test_transparent_background() -> None:
    pixels = figure_pixels(figures.kernel_figure(background="transparent"))
    assert pixels[0, 0, 3] == 0
    assert figure_pixels(figures.kernel_figure())[0, 0, 3] == 255


def test_scale_sets_the_resolution() -> None:
    small, large = figures.matrix_figure(scale=0.5), figures.matrix_figure(scale=2)
    assert large.dpi == 4 * small.dpi
    assert np.allclose(large.get_size_inches(), small.get_size_inches(), atol=0.02)


@pytest.mark.parametrize(
    ("kernel", "message"),
    [
        ([1, 2, 3], r"kernel has shape \(3,\)"),
        (np.zeros((2, 2, 2)), r"kernel has shape \(2, 2, 2\)"),
        (np.zeros((0, 3)), r"kernel has shape \(0, 3\)"),
        ([[1, 2], [3]], r"kernel=.* could not be read"),
        ([["a", "b"]], r"kernel has dtype <U1"),
        ([[1.0, np.nan]], r"kernel holds non-finite values"),
    ],
)
def test_bad_kernels(kernel: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        figures.kernel_figure(kernel)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: figures.matrix_figure(transposed="yes"), r"transposed='yes' is not valid"),
        (lambda: figures.matrix_figure(1), r"transposed=1 is not valid"),
        (lambda: figures.kernel_figure(colour="red"), r"unknown style option 'colour'"),
        (lambda: figures.strides_subsampling_figure(input_color="blue"), r"input_color='blue'"),
        (lambda: figures.feature_maps_figure(second_input_color=(300, 0, 0)),
         r"second_input_color=\(300, 0, 0\) is not a colour"),
    ],
)
def test_bad_options(call: Callable[[], Figure], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_catalogue_lists_the_statics() -> None:
    papers = [s for s in catalog.statics() if s.section == "static"]
    assert [s.name for s in papers] == list(STATICS)
    for static in papers:
        assert static.function == STATICS[static.name]
        assert re.search(r"(Figure|Section) \d\.\d", static.caption), static.caption
        assert "\n" not in static.caption
    beyond = [s for s in catalog.statics() if s.section != "static"]
    assert {s.section for s in beyond} <= {"beyond"}


def test_catalogue_draws_the_matrix() -> None:
    fig = catalog.get("matrix").figure()
    assert isinstance(fig, Figure)
    assert drawn_matrix(fig).shape == (4, 16)
