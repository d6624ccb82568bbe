"""A file name that is not valid UTF-8 gets a CSV row naming it with \\xNN escapes: the export
finishes, the CSV is valid UTF-8, and the other rows are unchanged."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export import write_csv
from meddisseg_studio.state import Project


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a bytes file system")
def test_undecodable_name_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    ok, buffer = cv2.imencode(".png", np.zeros((12, 12, 3), np.uint8))
    assert ok
    try:
        Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.png")).write_bytes(buffer.tobytes())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (folder / "fine.png").write_bytes(buffer.tobytes())
    project = Project.open(folder, state_dir=tmp_path / "state")
    project.approve("caf\udce9.png", np.ones((12, 12), np.uint8))
    project.reject("fine.png", "image quality")

    result = write_csv(project, tmp_path / "review.csv")
    text = result.dest.read_bytes().decode("utf-8")  # strict: raises on any invalid byte
    rows = {row["key"]: row for row in csv.DictReader(text.splitlines())}
    assert set(rows) == {"caf\\xe9.png", "fine.png"}
    assert rows["caf\\xe9.png"]["status"] == "approved" and rows["caf\\xe9.png"]["lesions"] == "1"
    assert rows["fine.png"]["reject_reason"] == "image quality"
