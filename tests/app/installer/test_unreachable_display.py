"""A DISPLAY that is set but where no X server answers: "the display :N cannot be reached" and
exit 1, instead of Qt's "xcb-cursor0 is needed", an abort (exit 134) and a hard-crash note at the
next start. Run as a real process, as a user would start it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 displays")


def _free_display() -> str:
    for number in range(150, 250):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f":{number}"
    pytest.skip("no free display number")


def test_unreachable_display_exits_1_with_a_plain_message(tmp_path: Path) -> None:
    display = _free_display()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, MEDDISSEG_HOME=str(tmp_path / "home"))
    command = [sys.executable, "-m", "meddisseg_studio", str(tmp_path)]

    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert first.returncode == 1, first.stderr
    assert f"the display {display} cannot be reached" in first.stderr
    assert "xcb-cursor0" not in first.stderr and "Traceback" not in first.stderr
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 1
    assert "hard crash" not in second.stderr.lower()
    logs = tmp_path / "home"
    assert not [p for p in logs.rglob("*hard*")], list(logs.rglob("*"))
