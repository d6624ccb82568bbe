"""The store through the real atomic writer (no mock): saved bytes, and a failed fsync mid-save."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import EditSession, MaskEdit, Project, SaveError, codec


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_saved_mask_is_the_png_of_the_session_mask(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png", background=False)
    session.apply(MaskEdit(2, 3, np.zeros((4, 5), np.uint8), np.ones((4, 5), np.uint8)))
    path = project.store.mask_path("a.png")
    assert _files(path.parent) == [path.name]
    assert path.read_bytes() == codec.encode_mask_png(session.mask)
    assert int(session.mask.sum()) == 20 and not session.dirty


def test_failed_fsync_keeps_the_previous_mask_on_disk_and_the_edit_in_memory(
    flat_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png", background=False)
    session.apply(MaskEdit(0, 0, np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)))
    path = project.store.mask_path("a.png")
    first = path.read_bytes()

    def fsync_fails(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync_fails)
    with pytest.raises(SaveError, match="Input/output error"):
        session.apply(MaskEdit(10, 10, np.zeros((3, 3), np.uint8), np.ones((3, 3), np.uint8)))
    monkeypatch.undo()

    assert path.read_bytes() == first  # the old mask, whole
    assert _files(path.parent) == [path.name]  # no temp file left beside it
    assert session.dirty and int(session.mask.sum()) == 4 + 9  # the edit is kept in memory
    session.save()  # the disk works again: the edit reaches it
    assert path.read_bytes() == codec.encode_mask_png(session.mask)
    assert np.array_equal(
        Project.open(flat_folder, state_dir=tmp_path / "state", read_only=True).load_mask("a.png"),
        session.mask,
    )
