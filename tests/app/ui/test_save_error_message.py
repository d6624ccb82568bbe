"""A failed save (read-only folder, full disk) is reported clearly and can be saved elsewhere."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.state import codec
from meddisseg_studio.state.edits import MaskEdit
from meddisseg_studio.state.errors import SaveError


def test_save_error_is_shown_and_state_moves_elsewhere(qtbot, opened, tmp_path: Path, monkeypatch) -> None:
    project = opened.workspace.project
    key = opened.workspace.key

    def refuse(*_args, **_kwargs):
        raise SaveError(project.state_dir / "masks" / "x.png", "Read-only file system")

    # The disk refuses every mask write from now on (what a read-only mount does).
    monkeypatch.setattr(project, "save_mask", refuse)
    opened.workspace.session.background = False  # fail inside apply, deterministically
    elsewhere = tmp_path / "rescued_state"
    opened.dialogs.confirmations.append(True)
    opened.dialogs.folders.append(elsewhere)

    expected = opened.workspace.session.mask.copy()
    expected[2:6, 2:6] = 1
    patch = np.ones((4, 4), np.uint8)
    opened.canvas.editCommitted.emit(MaskEdit(2, 2, np.zeros_like(patch), patch))

    # The user was told, in words, and offered another folder.
    assert any("Read-only file system" in asked for asked in opened.dialogs.asked)
    assert opened.errors.last_error is not None and "cannot save" in opened.errors.last_error[1]
    # They accepted: the state now lives in the new folder, with the edit in it.
    assert opened.workspace.project.state_dir == elsewhere.resolve()
    assert opened.workspace.key == key
    assert np.array_equal(opened.workspace.session.mask, expected)
    # The rescued edit is on disk: the file is exactly the PNG of the edited mask, and decoding
    # it (with OpenCV, not our codec) gives the edited pixels.
    on_disk = elsewhere / "masks" / f"{key}.png"
    data = on_disk.read_bytes()
    assert data == codec.encode_mask_png(expected)
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert pixels.dtype == np.uint8 and np.array_equal(pixels, expected * np.uint8(255))
