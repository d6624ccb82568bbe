"""A labelme export says who approved each mask, when, and which model proposed it (top-level
"meddisseg", as in COCO); labelme itself keeps such keys when it saves."""

from __future__ import annotations

import json
from pathlib import Path

from provenance_support import approve_p1, run_export

from meddisseg_studio.state import Project
from meddisseg_studio.state.audit import mask_sha256

SHA = "fedcba9876543210" * 4


def test_labelme_files_carry_the_approval(reviewed_project: Project, tmp_path: Path) -> None:
    project = reviewed_project
    approval = approve_p1(
        project, model="tuned (tuned-3)", model_id="tuned-3", model_sha256=SHA, user="Dr B. Jones"
    )
    dest = run_export(project, "labelme", tmp_path / "lm")
    document = json.loads((dest / "p1.json").read_text(encoding="utf-8"))
    meta = document["meddisseg"]
    assert (meta["approved_by"], meta["approved_at"]) == ("Dr B. Jones", approval.time)
    assert (meta["model"], meta["model_id"], meta["model_sha256"]) == ("tuned (tuned-3)", "tuned-3", SHA)
    assert meta["mask_sha256"] == mask_sha256(project.load_mask("p1.png"))
    assert document["shapes"] and document["imagePath"] == "p1.png"  # still a labelme file

    other = json.loads((dest / "p2.json").read_text(encoding="utf-8"))["meddisseg"]
    assert other["model"] == "tiny" and other["approved_by"] not in (None, "Dr B. Jones")
    assert not (dest / "p5.json").exists()  # rejected: no mask, so no labelme file
