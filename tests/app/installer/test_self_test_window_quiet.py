"""The self-test's window check prints no Qt noise: the offscreen plugin's "does not support
propagateSizeHints()" (any shown window with a minimum size triggers it) is dropped, other Qt
messages still pass."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import qWarning
from meddisseg_studio import selftest
status, text = selftest.window_check()
print(status)
with selftest._without_offscreen_noise():
    qWarning("a real warning still shows")
"""


def test_window_check_prints_no_size_hint_noise() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "OK", result.stdout
    assert "propagateSizeHints" not in result.stderr + result.stdout
    assert "a real warning still shows" in result.stderr
