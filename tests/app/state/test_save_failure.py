import errno
from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import EditSession, MaskEdit, Project, SaveError, store


@pytest.fixture
def failing_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Writes under tmp_path/state fail like a full disk (root ignores chmod, so simulate)."""
    real = store.atomic_write_bytes
    state = tmp_path / "state"
    failures = {"error": OSError(errno.ENOSPC, "No space left on device")}

    def writer(path, data):
        if Path(path).is_relative_to(state) and failures["error"] is not None:
            raise failures["error"]
        return real(path, data)

    monkeypatch.setattr(store, "atomic_write_bytes", writer)
    return failures


def _stroke() -> MaskEdit:
    return MaskEdit(2, 3, np.zeros((4, 4), np.uint8), np.ones((4, 4), np.uint8))


@pytest.mark.parametrize("background", [False, True])
def test_failed_save_keeps_the_edit_and_raises(
    flat_folder: Path, tmp_path: Path, failing_disk, background
) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png", background=background)
    if background:
        session.apply(_stroke())  # queued; the failure surfaces on flush / next edit
        with pytest.raises(SaveError) as caught:
            session.flush()
    else:
        with pytest.raises(SaveError) as caught:
            session.apply(_stroke())
    assert "No space left" in str(caught.value)
    assert caught.value.path.name.endswith(".png") or caught.value.path.name == "a.png"
    assert session.dirty and session.mask[2:6, 3:7].sum() == 16
    assert session.save_error is not None

    elsewhere = tmp_path / "rescue"
    path = session.save_to(elsewhere)
    assert not session.dirty
    rescued = Project.open(flat_folder, state_dir=elsewhere)
    assert np.array_equal(rescued.load_mask("a.png"), session.mask)
    assert path.is_file()

    failing_disk["error"] = None  # the disk has room again: saving works, nothing was lost
    session.save()
    assert np.array_equal(
        Project.open(flat_folder, state_dir=tmp_path / "state", read_only=True).load_mask("a.png"),
        session.mask,
    )


def test_permission_error_also_gives_save_error(flat_folder: Path, tmp_path: Path, failing_disk) -> None:
    failing_disk["error"] = PermissionError(errno.EACCES, "Permission denied")
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    session = EditSession(project, "a.png", background=False)
    with pytest.raises(SaveError, match="Permission denied"):
        session.apply(_stroke())
    assert session.dirty
