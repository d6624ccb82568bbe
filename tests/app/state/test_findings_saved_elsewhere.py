""""Save state elsewhere" takes the image's lesion values, its comment and the schema along with its
mask, so the folder opened from the new state still has them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from meddisseg_studio.state import EditSession, Project

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "schema-example.toml"


def test_save_to_carries_findings(flat_folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    shutil.copyfile(EXAMPLE, state / "schema.toml")
    project = Project.open(flat_folder, state_dir=state)
    session = EditSession(project, "a.png", background=False)
    session.mask[2:14, 3:20] = 1
    book, area = project.findings, project.min_lesion_area
    book.set_value("a.png", session.mask, area, 1, "paris", "0-IIc")
    book.set_comment("a.png", "ulcerated")
    book.set_comment("c.png", "another image: stays behind")

    session.save_to(tmp_path / "rescue")
    project.close()
    rescued = Project.open(flat_folder, state_dir=tmp_path / "rescue")
    assert rescued.findings.schema is not None and "paris" in rescued.findings.schema.names
    found = rescued.findings.resolve("a.png", rescued.load_mask("a.png"), area)
    assert [lesion.values for lesion in found.lesions] == [{"paris": "0-IIc"}]
    assert found.comment == "ulcerated" and rescued.findings.comment("c.png") == ""
    assert np.array_equal(rescued.load_mask("a.png"), session.mask)
