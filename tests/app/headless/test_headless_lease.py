"""The headless commands take the folder's lease: refused (exit 2, naming the holder) while another
open holds the folder; ``--take-over-stale`` takes over a stopped holder's lease, never a live one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.headless import main
from meddisseg_studio.state import Project
from meddisseg_studio.state.lease import LEASE_NAME, Holder
from meddisseg_studio.state.project import STATE_DIR_NAME


def test_import_refused_while_held_and_takes_over_a_stopped_holder(tmp_path: Path, capsys) -> None:
    images, masks = tmp_path / "images", tmp_path / "masks"
    images.mkdir()
    masks.mkdir()
    cv2.imwrite(str(images / "a.png"), np.full((10, 12, 3), 50, np.uint8))
    cv2.imwrite(str(masks / "a.png"), np.full((10, 12), 255, np.uint8))
    command = ["import", str(images), "--from", "masks", str(masks)]

    holder = Project.open(images)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"process {os.getpid()}" in err and "open for writing" in err
    assert main([*command, "--take-over-stale"]) == 2  # alive: never taken over
    holder.close()

    stopped = Holder("someone", "other-host", 7, "1", "0.1.0", time.time() - 3600, "gone")
    lease = images / STATE_DIR_NAME / LEASE_NAME
    lease.write_bytes(stopped.to_bytes())
    os.utime(lease, (time.time() - 3600, time.time() - 3600))
    assert main(command) == 2
    assert "seems to have stopped" in capsys.readouterr().err
    assert main([*command, "--take-over-stale"]) == 0
    assert not lease.exists()  # taken, then let go at the end of the command
    assert str(Project.open(images, read_only=True).entry("a.png").status) == "proposed"
