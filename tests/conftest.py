"""Shared test helpers: image regression against baseline PNGs under tests/baseline/.

In the manner of matplotlib's ``image_comparison`` and pytest-mpl: images are compared
by shape first, then by the RMS of their pixel differences against a tolerance. On a
failure the actual image, the expected one and an amplified difference are written to
``tests/result_images/`` and their paths are printed. Run with
``CONV_ANIM_UPDATE_BASELINES=1`` to (re)write the baselines after a deliberate change,
then look at them before committing.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import matplotlib.figure
    import numpy as np

    from conv_anim import ConvSpec
    from conv_anim.animation import Animation

# Agg, whatever the environment says. Set before matplotlib is imported, so that the
# pytest-xdist controller, which runs no test, starts its workers without importing it.
if "matplotlib" in sys.modules:
    sys.modules["matplotlib"].use("Agg")
os.environ["MPLBACKEND"] = "Agg"

# A shell starts a background job (``pytest &``) with SIGINT and SIGQUIT ignored, and
# children inherit an ignored signal: the tests that interrupt a save with them would see
# them ignored. Restored here to what a terminal gives, so children start as they would.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if hasattr(signal, "SIGQUIT") and signal.getsignal(signal.SIGQUIT) == signal.SIG_IGN:
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)

# Where bytecode writing is off (PYTHONDONTWRITEBYTECODE, as in some CI images), each of
# the Python processes the tests start that import the whole package (the command line,
# the gallery script, Sphinx: about thirty) compiled it from source again, 80 ms each.
# They may write its bytecode, to the checkout's __pycache__ folders (which git ignores),
# as Python does by default: the first compiles, the others read.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

TESTS = Path(__file__).resolve().parent
BASELINES = TESTS / "baseline"
RESULTS = TESTS / "result_images"
#: RMS tolerance in 0-255 levels, pytest-mpl's default.
DEFAULT_TOLERANCE = 2.0


def _rgb(image: np.ndarray) -> np.ndarray:
    import numpy as np

    array = np.asarray(image)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or array.dtype != np.uint8:
        raise TypeError(f"expected an (H, W, 3|4) uint8 image, got {array.shape} {array.dtype}")
    return array[..., :3]


def compare_to_baseline(image: np.ndarray, name: str, tolerance: float = DEFAULT_TOLERANCE) -> None:
    """Fail unless ``image`` matches ``tests/baseline/<name>.png`` within ``tolerance``."""
    import numpy as np
    from PIL import Image

    actual = _rgb(image)
    baseline = BASELINES / f"{name}.png"
    if os.environ.get("CONV_ANIM_UPDATE_BASELINES") == "1":
        BASELINES.mkdir(exist_ok=True)
        Image.fromarray(actual).save(baseline)
        return
    if not baseline.exists():
        pytest.fail(f"no baseline {baseline}: run with CONV_ANIM_UPDATE_BASELINES=1 to create it")
    expected = np.asarray(Image.open(baseline).convert("RGB"))
    RESULTS.mkdir(exist_ok=True)
    if expected.shape != actual.shape:
        Image.fromarray(actual).save(RESULTS / f"{name}-actual.png")
        pytest.fail(f"{name}: image shape {actual.shape} differs from baseline {expected.shape}")
    difference = np.abs(actual.astype(np.int16) - expected.astype(np.int16))
    rms = float(np.sqrt(np.mean(difference.astype(np.float64) ** 2)))
    if rms > tolerance:
        paths = [RESULTS / f"{name}-{kind}.png" for kind in ("actual", "expected", "diff")]
        Image.fromarray(actual).save(paths[0])
        Image.fromarray(expected).save(paths[1])
        Image.fromarray(np.clip(difference * 10, 0, 255).astype(np.uint8)).save(paths[2])
        pytest.fail(
            f"{name}: RMS difference {rms:.2f} exceeds tolerance {tolerance}; "
            f"see {', '.join(str(p) for p in paths)}"
        )


def figure_pixels(fig: matplotlib.figure.Figure) -> np.ndarray:
    """Render a matplotlib Figure with Agg and return its RGBA pixels."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


#: Debian's chromium, which Playwright drives (its own browser download is not reachable).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Flags for a headless chromium on a closed network, as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-frame-rate-limit", "--disable-gpu-vsync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless chromium driven by Playwright, shared by the session's browser tests.

    Skipped where Playwright or chromium is missing, unless CONV_ANIM_REQUIRE_BROWSER=1
    (as in CI, which installs Debian's chromium), where that is a failure.
    """
    required = os.environ.get("CONV_ANIM_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (the dev extra has it)")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"no chromium at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files marked ``slow`` first (a stable sort): pytest-xdist hands files out in this
    order, so the long ones start early and the workers end together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection leaves (modules, tests, strategies, about 150,000 objects per
    worker) lives to the end: frozen out of the collector's full passes, which would
    walk it all again each time (a second of CPU over a run)."""
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class Drawn:
    """An animation with the default look, and its frames, drawn."""

    animation: Animation
    frames: list[np.ndarray]


@pytest.fixture(scope="module")
def drawn() -> Iterator[Callable[[ConvSpec], Drawn]]:
    """``drawn(spec)``: the spec's animation, drawn once for the file's tests that read
    its frames (and let go with the file)."""
    from conv_anim import animate

    cache: dict[ConvSpec, Drawn] = {}

    def draw_once(spec: ConvSpec) -> Drawn:
        if spec not in cache:
            animation = animate(spec)
            cache[spec] = Drawn(animation, list(animation.frames()))
        return cache[spec]

    yield draw_once
    cache.clear()


#: The committed gallery.
GALLERY = TESTS.parent / "gallery"


@pytest.fixture(scope="session")
def gallery_with_current_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the committed gallery whose pages the code under test has written.

    The figures are not redrawn: the last gate of CI and of the README's test command,
    ``scripts/build_gallery.py --check``, builds the whole gallery once and compares it
    with the committed one. Tests that need the gallery as the code draws it compare
    with the committed folder, and the gates hold them to the code.
    """
    from conv_anim.gallery import INDEX, README
    from conv_anim.gallery.build import figures
    from conv_anim.gallery.pages import index_html, readme_text

    folder = tmp_path_factory.mktemp("gallery") / "gallery"
    shutil.copytree(GALLERY, folder)
    shown = figures()
    (folder / INDEX).write_text(index_html(shown, folder), encoding="utf-8")
    (folder / README).write_text(readme_text(shown), encoding="utf-8")
    return folder


@pytest.fixture
def image_regression() -> Callable[..., None]:
    """``image_regression(image, name, tolerance=2.0)``: compare with a baseline PNG."""
    return compare_to_baseline
