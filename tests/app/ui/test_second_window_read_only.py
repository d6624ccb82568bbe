"""A second app window on a folder another window holds for writing is told who holds it, and opens
it read-only; the first window keeps writing."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path


def test_second_window_opens_read_only_and_names_the_holder(qtbot, opened, image_folder: Path) -> None:
    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    first = opened.workspace.project
    assert not first.read_only and first.lease is not None
    dialogs = ScriptedDialogs()
    second = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(second)
    dialogs.confirmations.append(True)  # "Open read-only"
    second.open_folder(image_folder)

    asked = dialogs.asked[-1]
    assert asked.startswith("Folder in use")
    holder = first.lease.holder
    assert f"{holder.user} on {socket.gethostname()}" in asked and f"since {holder.since}" in asked
    assert holder.user == getpass.getuser()
    looking = second.workspace.project
    assert looking is not None and looking.read_only
    assert "read-only" in second.statusBar().currentMessage()
    assert dialogs.errors == []

    key = first.entries[0].key
    first.reject(key, "blurred")  # the holder still writes
    assert first.entry(key).reject_reason == "blurred"
    second.workspace.close_project()
    second.close()
