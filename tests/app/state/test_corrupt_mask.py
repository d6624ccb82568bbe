from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project, StateCorruptError


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_mask_raises_and_stays_on_disk(flat_folder: Path, tmp_path: Path, damage: str) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    mask = np.zeros((24, 32), np.uint8)
    mask[3:9, 4:20] = 1
    path = project.save_mask("a.png", mask)
    data = path.read_bytes()
    bad = b"\x00garbage" * 10 if damage == "garbage" else data[: len(data) // 2]
    path.write_bytes(bad)

    reopened = Project.open(flat_folder, state_dir=tmp_path / "state", read_only=True)  # the first holds it
    with pytest.raises(StateCorruptError) as caught:
        reopened.load_mask("a.png")
    assert caught.value.path == path
    assert [e.path for e in reopened.store.check_masks()] == [path]
    assert path.read_bytes() == bad
