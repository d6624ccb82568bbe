from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import EditSession, MaskEdit, Project, SaveError
from meddisseg_studio.state import project as project_module


def test_unwritable_state_folder_opens_read_only(
    flat_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which ignores chmod: simulate the failed probe write instead.
    monkeypatch.setattr(project_module, "probe_writable", lambda state: f"cannot write in {state}: Read-only")
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    assert project.read_only and "Read-only" in (project.read_only_reason or "")
    assert len(project.entries) == 3
    with pytest.raises(SaveError):
        project.reject("a.png", "blurred")
    assert project.entry("a.png").reject_reason is None  # the failed change is not shown as done
    session = EditSession(project, "a.png", background=False)
    with pytest.raises(SaveError):
        session.apply(MaskEdit(0, 0, np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)))
    assert session.dirty
    monkeypatch.undo()
    writable = Project.open(flat_folder, state_dir=tmp_path / "other")
    assert not writable.read_only


def test_real_probe_reports_a_state_path_that_cannot_be_created(flat_folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the state folder should go")
    reason = project_module.probe_writable(blocker / "state")
    assert reason is not None and "state" in reason
