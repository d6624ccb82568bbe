"""A kill -9 during an export leaves ``<dest>.partial-XXXX`` behind (9 of 56 rounds did, up to 58
files). The next export to the same destination removes it and says so; partial folders it cannot
prove are its own and dead (no marker, or a process that still runs) are left alone.

The export is killed for real: a child process stages an export, reports that it is inside, and
is sent SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export.common import PARTIAL_MARKER
from meddisseg_studio.export.formats import get_format
from meddisseg_studio.state import Project

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

CHILD = """
import sys
from pathlib import Path
from meddisseg_studio.export.common import staged
with staged(Path(sys.argv[1]), folder=sys.argv[2] == "folder") as partial:
    (partial / "img0.png" if sys.argv[2] == "folder" else partial).write_bytes(b"x" * 1000)
    print(partial, flush=True)
    sys.stdin.read()  # held here until killed
"""


def _killed_export(dest: Path, kind: str) -> Path:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(dest), kind],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        partial = Path(child.stdout.readline().strip())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    return partial if kind == "folder" else partial.parent


@pytest.mark.parametrize(("fmt", "kind"), [("authors", "folder"), ("coco", "file")])
def test_next_export_removes_and_reports_a_killed_partial(tmp_path: Path, fmt: str, kind: str) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(3):
        cv2.imwrite(str(folder / f"im{i}.png"), np.full((16, 16, 3), 40 * i, np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    for key in [e.key for e in project.entries]:
        project.approve(key, np.eye(16, dtype=np.uint8))
    out = tmp_path / "out"
    out.mkdir()
    dest = out / get_format(fmt).default_name

    left = _killed_export(dest, kind)
    assert left.is_dir() and (left / PARTIAL_MARKER).is_file()
    unmarked = out / f"{dest.name}.partial-0badc0de"
    unmarked.mkdir()
    alive = out / f"{dest.name}.partial-00a11be0"
    alive.mkdir()
    (alive / PARTIAL_MARKER).write_text(json.dumps({"pid": os.getpid(), "host": os.uname().nodename}))

    result = get_format(fmt).run(
        project, dest, statuses=None, options=None, progress=None, should_cancel=None
    )
    project.close()

    assert result.cleaned == (left,)
    assert not left.exists()
    assert unmarked.is_dir() and alive.is_dir()  # not provably ours and dead: untouched
    assert "left-over partial folder(s) of an interrupted export removed" in result.summary()
    assert any(line.startswith(f"removed {str(left)!r}") for line in result.details())
    assert dest.exists() and not any(
        p.name == PARTIAL_MARKER for p in dest.parent.rglob("*") if p.parent == dest
    )
