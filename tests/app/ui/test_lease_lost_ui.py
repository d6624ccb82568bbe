"""A window whose lease is taken over behind its back (another copy judged it stopped) says so."""

from __future__ import annotations

import os
import time
from pathlib import Path


def test_window_says_when_its_folder_was_taken_over(qtbot, window, image_folder: Path, monkeypatch) -> None:
    from meddisseg_studio.state import lease as lease_module
    from meddisseg_studio.state.lease import Holder

    monkeypatch.setattr(lease_module, "HEARTBEAT_S", 0.02)
    window.open_folder(image_folder)
    project = window.workspace.project
    assert project is not None and project.lease is not None
    other = Holder("Dr A. Smith", "reading-room-2", 4242, "1", "0.1.0", time.time(), "theirs")
    swap = project.lease.path.with_name("swap.tmp")
    swap.write_bytes(other.to_bytes())
    os.replace(swap, project.lease.path)  # what a takeover from another computer leaves

    qtbot.waitUntil(lambda: bool(window.dialogs.infos), timeout=20_000)
    title, text = window.dialogs.infos[-1]
    assert title == "Folder taken over" and "Dr A. Smith on reading-room-2" in text
    assert "no longer holds the folder" in window.statusBar().currentMessage()
    window.workspace.close_project()
    assert Holder.read(project.lease.path).token == "theirs"  # closing does not delete their lease
