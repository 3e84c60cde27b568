"""The example notebooks run top to bottom without errors, in this environment's Python."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

#: Found here, imported by the tests: collecting this file in every worker does not
#: import Jupyter's client stack (a quarter of a second) where none of its tests runs.
JUPYTER = ("nbformat", "nbclient", "ipykernel", "jupyter_client")
pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in JUPYTER),
    reason=f"needs {', '.join(JUPYTER)}",
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
KERNEL = "conv-anim-tests"
#: Seconds allowed for any one cell.
CELL_TIMEOUT = 120


def kernel_manager(folder: Path) -> AsyncKernelManager:
    """A kernel manager running ``sys.executable -m ipykernel_launcher``.

    The kernel spec is written to ``folder``, so that no ``python3`` kernel installed
    elsewhere on the machine (another Python, without conv_anim) is picked up.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec = folder / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "conv_anim tests",
        "language": "python",
    }))
    specs = KernelSpecManager(kernel_dirs=[str(folder)])
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def test_there_are_example_notebooks() -> None:
    assert "tour.ipynb" in [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    # The kernel uses the notebook's inline backend, as in Jupyter, not the tests' Agg.
    env = {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}
    client = nbclient.NotebookClient(
        notebook, km=kernel_manager(tmp_path / "kernels"), timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute(env=env)  # raises CellExecutionError naming the cell on any error
    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    shown = [output.data for output in outputs
             if output.output_type in ("display_data", "execute_result")]
    assert any("text/html" in data and "image/gif" in data["text/html"] for data in shown)
    assert any("image/png" in data for data in shown)
    if path.name == "tour.ipynb":  # the interactive player, inline
        assert any("conv-anim-player" in data.get("text/html", "") for data in shown)
