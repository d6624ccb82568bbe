"""A lesion value and a comment are recorded in the audit log, with the user, in their own transaction."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.state import Project

SCHEMA = '[[attributes]]\nname = "paris"\ntype = "enum"\nchoices = ["0-Is", "0-IIa"]\n'


def test_findings_changes_are_audited(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    project.user_name = "Dr A. Smith"
    (tmp_path / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    project.findings.install_schema(tmp_path / "schema.toml")
    mask = np.zeros((24, 32), np.uint8)
    mask[2:14, 3:20] = 1
    project.findings.set_value("a.png", mask, project.min_lesion_area, 1, "paris", "0-IIa")
    project.findings.set_comment("a.png", "flat")
    rows = [
        (r.action, r.user, r.details) for r in project.history("a.png") if r.action in ("finding", "comment")
    ]
    assert rows == [
        (
            "finding",
            "Dr A. Smith",
            {"change": "set", "lesion": 1, "attribute": "paris", "before": None, "after": "0-IIa"},
        ),
        ("comment", "Dr A. Smith", {"before": "", "after": "flat"}),
    ]
