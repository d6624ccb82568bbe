"""Each exported mask says who approved it, when, and which model proposed it: the authors'
layout in provenance.csv/.json beside masks/ (their loader still reads the folder), COCO in
images[i]["meddisseg"], the CSV summary in its columns. Read back here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from authors_reader import authors_pairs
from provenance_support import approve_p1
from provenance_support import run_export as _run

from meddisseg_studio.state import Project
from meddisseg_studio.state.audit import mask_sha256

SHA = "0123456789abcdef" * 4


def test_exports_carry_approver_time_and_model(reviewed_project: Project, tmp_path: Path) -> None:
    project = reviewed_project
    # p1: proposed again by a known model, then approved by a named reader.
    approval = approve_p1(
        project, model="tuned (tuned-2)", model_id="tuned-2", model_sha256=SHA, user="Dr A. Smith"
    )

    authors = _run(project, "authors", tmp_path / "ds")
    pairs = authors_pairs(authors, "train") | authors_pairs(authors, "val")
    assert len(pairs) == 4 and all(i is not None and m is not None for i, m in pairs.values())
    with open(authors / "provenance.csv", newline="", encoding="utf-8") as stream:
        table = {row["key"]: row for row in csv.DictReader(stream)}
    sidecar = {row["key"]: row for row in json.loads((authors / "provenance.json").read_text())}
    for rows in (table, sidecar):
        p1 = rows["p1.png"]
        assert (p1["name"], p1["approved_by"], p1["approved_at"]) == ("p1.png", "Dr A. Smith", approval.time)
        assert (p1["model"], p1["model_id"], p1["model_sha256"]) == ("tuned (tuned-2)", "tuned-2", SHA)
        assert p1["mask_sha256"] == mask_sha256(project.load_mask("p1.png"))
        assert rows["p2.jpg"]["model"] == "tiny"  # the fixture's proposals
        assert rows["p2.jpg"]["approved_by"] not in (
            "",
            None,
            "Dr A. Smith",
        )  # approved by the fixture's user
    assert set(table) == {"p1.png", "p2.jpg", "p3.png", "p4.bmp"}

    coco = json.loads(_run(project, "coco", tmp_path / "coco.json").read_text())
    meta = {image["file_name"]: image["meddisseg"] for image in coco["images"]}
    assert meta["p1.png"]["approved_by"] == "Dr A. Smith"
    assert meta["p1.png"]["approved_at"] == approval.time
    assert (meta["p1.png"]["model_id"], meta["p1.png"]["model_sha256"]) == ("tuned-2", SHA)

    summary = _run(project, "csv", tmp_path / "summary.csv")
    with open(summary, newline="", encoding="utf-8") as stream:
        rows = {row["key"]: row for row in csv.DictReader(stream)}
    assert (rows["p1.png"]["approved_by"], rows["p1.png"]["approved_at"]) == ("Dr A. Smith", approval.time)
    assert (rows["p1.png"]["model_registry_id"], rows["p1.png"]["model_sha256"]) == ("tuned-2", SHA)
    assert rows["p5.png"]["approved_by"] == ""  # rejected: nobody approved it
