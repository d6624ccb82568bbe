"""An empty weights file is named and called empty (no bare "()" from the unpickler)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core.checkpoint import load_model, read_pth
from meddisseg_core.errors import CheckpointError


@pytest.mark.parametrize("name", ["checkpoint1.pth", "model.safetensors", "weights.pt"])
def test_empty_file_is_named_and_called_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(CheckpointError) as caught:
        load_model(path)
    text = str(caught.value)
    assert str(path) in text
    assert "is empty (0 bytes)" in text
    assert "()" not in text


def test_read_pth_says_empty_too(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint2.pth"
    path.write_bytes(b"")
    with pytest.raises(CheckpointError, match=r"is empty \(0 bytes\)"):
        read_pth(path)
