"""A headless export runs while the app holds the folder: it reads a read-only view and says so.

An export changes nothing in the folder, so the writer lease (issue 18) must not stop it; it is
then not recorded in the folder's history, and the command says that too.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.headless import main
from meddisseg_studio.state import Project


def test_export_beside_a_live_writer(tmp_path: Path, capsys) -> None:
    images = tmp_path / "images"
    images.mkdir()
    cv2.imwrite(str(images / "a.png"), np.full((10, 12, 3), 50, np.uint8))
    holder = Project.open(images)
    try:
        out = tmp_path / "out"
        code = main(["export", str(images), "--format", "csv", "--out", str(out), "--json"])
        document = json.loads(capsys.readouterr().out)
        assert code == 0
        assert "exported read-only" in document["note"] and "open for writing" in document["note"]
        assert Path(document["dest"]).is_file()
    finally:
        holder.close()
    # Free again: the export opens for writing and its note is gone.
    free = ["export", str(images), "--format", "csv", "--out", str(tmp_path / "out2"), "--json"]
    assert main(free) == 0
    assert json.loads(capsys.readouterr().out)["note"] is None
