"""Shared pieces of the fault harness: running a child process and killing it with SIGKILL mid-work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

KillRun = Callable[[Path, list[str], int], list[str]]


@pytest.fixture
def kill_after_lines(tmp_path: Path) -> KillRun:
    """``run(child_script, args, lines)``: start the child, read ``lines`` lines, SIGKILL it.

    Returns every line it printed (its first must be ``ready``). Lines already in the pipe when
    it died are kept: they were reported before the kill.
    """
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs POSIX signals")
    counter = iter(range(1_000_000))

    def run(script: Path, args: list[str], lines_before_kill: int) -> list[str]:
        errors = tmp_path / f"child-{next(counter)}.err"
        with open(errors, "w") as err_stream:
            child = subprocess.Popen(
                [sys.executable, str(script), *args], stdout=subprocess.PIPE, stderr=err_stream, text=True
            )
        assert child.stdout is not None
        lines: list[str] = []
        try:
            while len(lines) < lines_before_kill:
                line = child.stdout.readline()
                if not line:
                    break
                lines.append(line.strip())
            os.kill(child.pid, signal.SIGKILL)
            lines += [line for line in child.stdout.read().splitlines() if line]
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
        err = errors.read_text()
        assert lines and lines[0] == "ready", err
        assert child.returncode == -signal.SIGKILL, f"the child ended before the kill:\n{err}"
        return lines

    return run


def write_image(path: Path, array: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, buffer = cv2.imencode(path.suffix, array)
    assert ok, path
    path.write_bytes(buffer.tobytes())
    return path


@pytest.fixture
def image_writer() -> Callable[[Path, np.ndarray], Path]:
    """Writes an array as an image file, encoded by the path's suffix."""
    return write_image
