"""Exports of approved masks leave out images changed after approval (they need approving again)."""

import csv
from pathlib import Path

from meddisseg_studio.export import export_authors, export_csv
from meddisseg_studio.state import EditSession, MaskEdit, Project, ReviewStatus


def test_authors_export_skips_changed_and_csv_lists_it(flat_folder: Path, tmp_path: Path) -> None:
    import numpy as np

    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.approve("a.png")
    project.approve("b.JPG")
    project.approve("c.png")
    session = EditSession(project, "b.JPG", background=False)
    session.apply(MaskEdit(0, 0, np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)))
    assert project.entry("b.JPG").status is ReviewStatus.CHANGED

    out = export_authors(project, tmp_path / "layout")
    exported = sorted(p.name for p in (Path(out) / "masks").iterdir())
    assert exported == ["a.png", "c.png"]

    with open(export_csv(project, tmp_path / "s.csv"), encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["key"]: r["status"] for r in rows}["b.JPG"] == "changed"
