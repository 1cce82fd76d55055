"""The README input/output tables stay true to variables.tf / outputs.tf."""

from __future__ import annotations

from pathlib import Path

import pytest
import tfdocs

ROOT = Path(__file__).resolve().parents[2]
MODULES = tfdocs.module_dirs()


@pytest.mark.parametrize("directory", MODULES, ids=lambda p: str(p.relative_to(ROOT)) or "root")
def test_readme_tables_match_terraform(directory: Path) -> None:
    readme = directory / "README.md"
    assert readme.exists(), f"{readme} is missing"
    current, fresh = tfdocs.update(readme, directory)
    assert current == fresh, (
        f"{readme.relative_to(ROOT)}: inputs/outputs tables are out of date; "
        "run `.venv/bin/python scripts/tfdocs.py` to refresh them"
    )


def test_render_lists_every_variable_and_output(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "budget" {\n  description = "Daily budget in USD | per team."\n'
        "  type        = number\n  default     = 5\n}\n"
        'variable "name" {\n  description = "Deck name."\n  type        = string\n}\n'
    )
    (tmp_path / "outputs.tf").write_text(
        'output "dashboard_url" {\n  description = "Console URL."\n  value       = "x"\n}\n'
    )
    text = tfdocs.render(tmp_path)
    assert "| `budget` | Daily budget in USD \\| per team. | `number` | `5` | no |" in text
    assert "| `name` | Deck name. | `string` | n/a | yes |" in text
    assert "| `dashboard_url` | Console URL. |" in text
    assert text.index("`budget`") < text.index("`name`")


def test_update_detects_stale_tables(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "a" {\n  description = "A."\n  type        = string\n}\n'
    )
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{tfdocs.BEGIN}\nold\n{tfdocs.END}\n")
    current, fresh = tfdocs.update(readme, tmp_path)
    assert current != fresh
    assert "| `a` | A. |" in fresh
    assert fresh.startswith("# x\n\n")
