"""A hard crash (segfault) leaves a faulthandler dump; the next start keeps it as a crash log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from meddisseg_studio import crash

CRASHING_PROGRAM = """
import faulthandler
from meddisseg_studio import crash
guard = crash.install()
faulthandler._sigsegv()
"""


def test_segfault_dump_is_kept_and_reported_on_next_start(user_home: Path) -> None:
    env = dict(os.environ, MEDDISSEG_HOME=str(user_home))
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_PROGRAM], env=env, capture_output=True, timeout=120
    )
    assert result.returncode != 0
    dumps = list((user_home / "logs").glob("fault-*.log"))
    assert len(dumps) == 1 and "Segmentation fault" in dumps[0].read_text(encoding="utf-8")

    guard = crash.install()
    guard.close()
    kept = guard.previous_crashes
    assert len(kept) == 1 and kept[0].name.endswith("-hard.log")
    assert "Segmentation fault" in kept[0].read_text(encoding="utf-8")
    assert not list((user_home / "logs").glob("fault-*.log"))  # a clean exit leaves no dump behind


def test_clean_exit_leaves_no_fault_file(user_home: Path) -> None:
    guard = crash.install()
    assert list((user_home / "logs").glob(f"fault-{os.getpid()}.log"))
    guard.close()
    assert not list((user_home / "logs").glob("fault-*.log"))
