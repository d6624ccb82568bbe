"""A state folder that cannot be written: said at open; the first edit offers another folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.state.edits import MaskEdit


def test_unwritable_state_folder_is_reported_and_rescued(
    qtbot, window, image_folder: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the state folder should be")  # mkdir under it fails, even as root
    dialogs = window.dialogs
    window.open_folder(image_folder, blocker / "state")
    assert window.workspace.project is not None and window.workspace.project.read_only
    assert dialogs.infos and "cannot be written" in dialogs.infos[-1][1]

    rescue = tmp_path / "rescue"
    dialogs.confirmations.append(True)
    dialogs.folders.append(rescue)
    window.workspace.session.background = False
    patch = np.ones((3, 3), np.uint8)
    window.canvas.editCommitted.emit(MaskEdit(1, 1, np.zeros_like(patch), patch))

    # The save failure was explained (which file, why) and another folder offered.
    assert any(q.startswith("Cannot save") and "read-only" in q for q in dialogs.asked)
    assert window.workspace.project.state_dir == rescue.resolve()
    assert not window.workspace.project.read_only
    assert window.workspace.session.mask[1:4, 1:4].all()
