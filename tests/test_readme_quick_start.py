"""The README's quick start, followed literally on a fresh clone: its first command (set up, build
the bundled samples, run a canned query) works as written and prints what the README says."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow        # a clone, a virtual environment and an install from the package index


def _commands() -> list[str]:
    """The README's shell blocks, in order."""
    return re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_first_command_of_the_readme_works_on_a_fresh_clone(tmp_path):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the repository's git history to clone")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    first = _commands()[0]
    assert first.startswith("python3 -m venv .venv") and "budgetkg build tests/fixtures/samples" in first
    done = subprocess.run(["bash", "-c", first], cwd=clone, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "documents: 3 found, 3 loaded" in done.stderr
    said = re.search(r"validation: (\d+) violation, (\d+) warning, (\d+) info in 3 document", done.stderr)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert said and said.group(0) in readme, "the README says what the first command prints"
    assert "一般公共服务支出" in done.stdout and "rows)" in done.stdout          # the canned query's table
