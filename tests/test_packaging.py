"""The package as users get it: sdist and wheel built, checked, installed into a fresh venv.

The wheel is installed without the dev extra and without an editable install, then
used from a folder outside the checkout, so package data or modules that only work
from the source tree fail here. One build and one virtual environment per session.

For speed, the build runs without isolation (the dev extra has the build backend; the
isolated build is what ``pip install -e .`` already does on every fresh machine), and the
venv gets no pip of its own: this interpreter's pip installs the wheel into it (``pip
--python``), without compiling bytecode. Its dependencies are not found and installed from
the package index again (resolving them against the index took pip 5 s, compiling them
3 s more): the venv sees, through a ``.pth`` file, a folder of links to exactly the
distributions the wheel's ``Requires-Dist`` names, recursively, as this environment has
them installed at the pinned versions; ``pip check`` then holds every requirement met.
Nothing else of this environment is visible there.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("build")

import conv_anim

pytestmark = pytest.mark.slow  # seconds long: started first (see conftest.py)

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = {"mp4", "notebook", "docs", "mkdocs", "dev"}


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``command``; fail with its output when it fails."""
    # Bytecode may be written (to the temporary venv's packages): without it, each run
    # compiled matplotlib and numpy from source again (the venv is installed without it).
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}}
    environment.update(MPLBACKEND="Agg", **env)
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel built from it (``python -m build``)."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        cwd=out)
    return out


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    [path] = dist.glob("*.whl")
    return path


@pytest.fixture(scope="session")
def sdist(dist: Path) -> Path:
    [path] = dist.glob("*.tar.gz")
    return path


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh venv with the wheel installed and its dependencies alone visible, and an
    empty folder outside the checkout."""
    folder = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(folder / "venv")
    bin_dir = folder / "venv" / ("Scripts" if os.name == "nt" else "bin")
    dependencies = folder / "dependencies"
    link_distributions(runtime_closure(metadata(wheel)), dependencies)
    site_packages = Path(run([str(bin_dir / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             cwd=folder).stdout.strip())
    (site_packages / "dependencies.pth").write_text(f"{dependencies}\n")
    run(pip(bin_dir, "install", "-q", "--no-compile", "--no-deps", "--no-index", str(wheel)),
        cwd=folder)
    run(pip(bin_dir, "check"), cwd=folder)  # every requirement of every distribution met
    work = folder / "work"
    work.mkdir()
    return bin_dir, work


def runtime_closure(meta: email.message.Message) -> list[importlib.metadata.Distribution]:
    """The installed distributions that ``meta``'s requirements (no extra) need, recursively."""
    from packaging.requirements import Requirement

    found: dict[str, importlib.metadata.Distribution] = {}
    pending = list(meta.get_all("Requires-Dist") or [])
    while pending:
        requirement = Requirement(pending.pop())
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = requirement.name.lower().replace("_", "-")
        if name in found:
            continue
        distribution = importlib.metadata.distribution(name)
        assert requirement.specifier.contains(distribution.version, prereleases=True), (
            f"{requirement} is not met by the installed {name} {distribution.version}")
        found[name] = distribution
        pending += distribution.requires or []
    return list(found.values())


def link_distributions(distributions: list[importlib.metadata.Distribution],
                       folder: Path) -> None:
    """Link each top-level entry the distributions installed (their RECORD) into ``folder``."""
    folder.mkdir()
    for distribution in distributions:
        assert distribution.files, f"{distribution.name} has no RECORD of its files to link"
        top_level = {path.parts[0] for path in distribution.files}
        for name in sorted(top_level - {"..", "__pycache__"}):
            source = Path(distribution.locate_file(name))
            if source.exists() and not (folder / name).exists():
                (folder / name).symlink_to(source, target_is_directory=source.is_dir())


def pip(bin_dir: Path, *arguments: str) -> list[str]:
    """The command line of this interpreter's pip acting on the venv of ``bin_dir``."""
    return [sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), *arguments]


def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode())


def test_wheel_holds_the_package_only(wheel: Path) -> None:
    names = wheel_names(wheel)
    dist_info = f"conv_anim-{conv_anim.__version__}.dist-info/"
    assert [n for n in names if not n.startswith(("conv_anim/", dist_info))] == []
    sources = {path.relative_to(ROOT).as_posix()
               for path in (ROOT / "conv_anim").rglob("*.py")}
    assert sources <= set(names)
    assert "conv_anim/py.typed" in names
    assert f"{dist_info}licenses/LICENSE" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_sdist_holds_sources_licence_docs_and_tests(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    required = {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "constraints.txt",
                "conv_anim/py.typed", "docs/conf.py", "docs/index.rst", "tests/conftest.py"}
    assert required <= names
    assert not [n for n in names if n.startswith((".venv", "gallery/", "docs/_build"))]


def test_metadata_has_one_version_and_the_extras(wheel: Path) -> None:
    trove_classifiers = pytest.importorskip("trove_classifiers")
    meta = metadata(wheel)
    assert meta["Name"] == "conv-anim"
    assert meta["Version"] == conv_anim.__version__
    assert meta["License-Expression"] == "MIT"
    assert set(meta.get_all("Provides-Extra")) == EXTRAS
    classifiers = meta.get_all("Classifier")
    assert classifiers and set(classifiers) <= trove_classifiers.classifiers
    assert meta["Requires-Python"] == ">=3.10"
    assert "Paper, https://arxiv.org/abs/1603.07285" in meta.get_all("Project-URL")


def test_twine_check_is_clean(dist: Path) -> None:
    pytest.importorskip("twine")
    files = sorted(str(path) for path in dist.iterdir())
    result = run([sys.executable, "-m", "twine", "check", "--strict", *files], cwd=dist)
    assert result.stdout.count("PASSED") == 2


def test_cli_draws_from_the_installed_wheel(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    run([str(bin_dir / "conv-anim"), "conv", "-i", "5", "-k", "3", "-s", "2", "-p", "1",
         "-o", "x.gif"], cwd=work)
    from PIL import Image

    with Image.open(work / "x.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == 9


def test_cli_info_from_the_installed_wheel(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    result = run([str(bin_dir / "conv-anim"), "info", "-i", "5", "-k", "3", "-s", "2", "-p", "1"],
                 cwd=work)
    assert "Relationship 6" in result.stdout
    assert "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)" in result.stdout
    listing = run([str(bin_dir / "python"), "-m", "conv_anim", "list"], cwd=work)
    assert "padding_strides_odd_transposed" in listing.stdout


def test_python_api_from_the_installed_wheel(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    code = textwrap.dedent(f"""
        import importlib.metadata, pathlib, sys
        import conv_anim.geometry
        assert "matplotlib" not in sys.modules, "geometry imported matplotlib"
        import conv_anim
        from conv_anim import ConvSpec, animate, catalog, draw
        checkout = pathlib.Path({str(ROOT)!r})
        assert checkout not in pathlib.Path(conv_anim.__file__).parents, conv_anim.__file__
        assert pathlib.Path(conv_anim.__file__).with_name("py.typed").is_file()
        assert importlib.metadata.version("conv-anim") == conv_anim.__version__
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        draw(ax, ConvSpec(5, 3, stride=2, padding=1), step=4)
        assert ax.patches, "nothing drawn"
        animate(ConvSpec(5, 3, stride=2, padding=1)).save("api.gif")
        catalog.get("dilation").animate().save("dilation.gif")
        catalog.get("matrix").figure().savefig("matrix.png")
        print(conv_anim.__version__)
    """)
    result = run([str(bin_dir / "python"), "-c", code], cwd=work)
    assert result.stdout.strip() == conv_anim.__version__
    from PIL import Image

    for name, frames in (("api.gif", 9), ("dilation.gif", 9)):
        with Image.open(work / name) as gif:
            assert gif.format == "GIF" and gif.n_frames == frames
    assert (work / "matrix.png").read_bytes().startswith(b"\x89PNG")


def test_wheel_installs_no_optional_dependency(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    listed = run(pip(bin_dir, "list", "--format=freeze"), cwd=work)
    names = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert "conv-anim" in names or "conv_anim" in names
    assert not names & {"sphinx", "mkdocs", "pytest", "imageio-ffmpeg", "ipywidgets"}
