"""The README gives exactly two commands for a fresh machine (install and run; install and test),
and CI runs the second one exactly as the README writes it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _from_source_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**From source**") : text.index("\n## ", text.index("**From source**"))]
    return re.findall(r"```bash\n(.*?)\n```", section, re.S)


def test_two_one_line_commands() -> None:
    blocks = _from_source_blocks()
    assert len(blocks) == 2, blocks
    assert all("\n" not in block for block in blocks), blocks
    install_and_run, install_and_test = blocks
    assert install_and_run.startswith("bash scripts/install.sh") and "meddisseg-studio" in install_and_run
    assert (
        install_and_test.startswith("bash scripts/install.sh --dev") and "scripts/test.sh" in install_and_test
    )


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = _from_source_blocks()[1]
    lines = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert any(line.startswith(command) for line in lines), command
