"""Edits are autosaved: close the window without saving, reopen the folder, the mask is there."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.main_window import MainWindow
from meddisseg_studio.state.edits import MaskEdit
from meddisseg_studio.state.model import ReviewStatus


def test_mask_survives_close_and_reopen(qtbot, opened, image_folder: Path, dialogs) -> None:
    key = opened.workspace.key
    patch = np.ones((6, 9), np.uint8)
    opened.canvas.editCommitted.emit(MaskEdit(10, 20, np.zeros_like(patch), patch))
    assert opened.workspace.project.entry(key).status is ReviewStatus.EDITED
    opened.close()  # no explicit save: closing flushes the autosave queue

    again = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(again)
    again.open_folder(image_folder)
    assert again.workspace.project.entry(key).status is ReviewStatus.EDITED
    again.workspace.show_image(key)
    mask = again.workspace.session.mask
    assert mask[10:16, 20:29].all()
    assert int(mask.sum()) == patch.size
    assert again.canvas.mask is mask
    again.close()
