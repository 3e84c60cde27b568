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


def test_readme_options_table_is_the_drawing_options():
    from conv_anim.options import DRAWING

    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Drawing options", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (?:`-\w`, )?`--([a-z-]+)[^`]*` \| `:([a-z-]+):` \|", table, re.M)
    assert [cli for cli, _ in rows] == [option.name for option in DRAWING]
    assert all(cli == directive for cli, directive in rows)


def test_readme_architecture_names_every_module_on_a_line_of_its_own():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.+) \|$", section, re.M)
    named = [module for module, _ in rows]
    assert len(named) == len(set(named))
    package = ROOT / "conv_anim"
    modules = [path.relative_to(package).as_posix() for path in sorted(package.rglob("*.py"))
               if path.name not in ("__init__.py", "__main__.py")]
    assert set(modules) <= set(named), sorted(set(modules) - set(named))
    assert all((package / module).is_file() for module in named), named
