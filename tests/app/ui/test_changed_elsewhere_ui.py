"""An edit of an image that another copy changed meanwhile is refused, kept aside, and said so.

The other copy writes with the lease bypassed (as on a share where the lock file is not seen).
The window says which image, both versions and where the edit is kept, then shows the stored
mask; the next edit saves normally.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.state.edits import MaskEdit


def test_edit_of_a_record_changed_elsewhere_is_rescued_and_reported(
    qtbot, opened, image_folder: Path, monkeypatch
) -> None:
    from meddisseg_studio.state import Project
    from meddisseg_studio.state import lease as lease_module

    workspace = opened.workspace
    key = workspace.key
    monkeypatch.setattr(lease_module, "LEASE_NAME", "writer-other.lease")
    other = Project.open(image_folder)
    h, w = workspace.session.mask.shape
    theirs = np.zeros((h, w), np.uint8)
    theirs[:6, :6] = 1
    other.approve(key, theirs)
    other.close()

    patch = np.ones((3, 3), np.uint8)
    opened.canvas.editCommitted.emit(MaskEdit(20, 20, np.zeros_like(patch), patch))

    title, text = opened.dialogs.errors[-1]
    assert title == "Changed by another copy"
    assert repr(key) in text and "stored version 1" in text and "based on version 0" in text
    rescued = list((workspace.project.state_dir / "rescued").glob("*.json"))
    assert len(rescued) == 2 and all(str(path) in text for path in rescued)  # the status, then the mask
    assert len(list((workspace.project.state_dir / "rescued").glob("*.png"))) == 1
    assert np.array_equal(workspace.session.mask, theirs)  # the stored mask is on screen now
    assert str(workspace.project.entry(key).status) == "approved"

    opened.canvas.editCommitted.emit(MaskEdit(20, 20, np.zeros_like(patch), patch))  # based on theirs
    workspace.session.flush()
    assert int(workspace.project.store.read_mask(key).sum()) == 36 + 9
    assert len(opened.dialogs.errors) == 1
