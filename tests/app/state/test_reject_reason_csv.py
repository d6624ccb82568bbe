"""A picked reject reason reaches the CSV export's reject_reason column."""

import csv
from pathlib import Path

from meddisseg_studio.export import export_csv
from meddisseg_studio.state import Project
from meddisseg_studio.state.reject_reasons import OTHER, chosen_reason


def test_reason_is_in_the_csv(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.reject("a.png", chosen_reason("image quality"))
    project.reject("c.png", chosen_reason(OTHER, "bubbles, glare"))
    with open(export_csv(project, tmp_path / "s.csv"), encoding="utf-8", newline="") as stream:
        rows = {row["key"]: row for row in csv.DictReader(stream)}
    assert rows["a.png"]["reject_reason"] == "image quality"
    assert rows["c.png"]["reject_reason"] == "bubbles, glare"  # quoted, not split
    assert rows["b.JPG"]["reject_reason"] == ""
