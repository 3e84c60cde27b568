"""The project's promises about itself: README commands, CI script, links."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    test_command = next(b for b in shell_blocks(readme) if "pytest" in b)
    ci_lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line and not line.startswith(("#", "set ", "cd ", "export ", "command -v "))]
    assert ci_lines == [test_command]


def test_readme_links_point_to_files_that_exist():
    readme = (ROOT / "README.md").read_text()
    targets = set(re.findall(r"\]\(((?:gallery|examples)/[^)#]+)\)", readme))
    assert targets
    assert [t for t in sorted(targets) if not (ROOT / t).exists()] == []
