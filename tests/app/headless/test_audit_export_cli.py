"""``meddisseg-studio export FOLDER --format audit --out DEST`` writes the whole log headlessly as
audit.csv and audit.json, which read back equal (to each other and to the log), awkward cells too."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.export.audit_log import read_audit_csv, read_audit_json
from meddisseg_studio.headless import main
from meddisseg_studio.state import Project, Proposal


def test_audit_export_reads_back_equal(tmp_path: Path, capsys, monkeypatch) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for name in ("a.png", "b.png"):
        cv2.imwrite(str(images / name), np.full((10, 12, 3), 50, np.uint8))
    project = Project.open(images)
    project.user_name = '=Dr, A. "Smith"'  # a formula trigger, a comma and quotes
    project.save_proposal("a.png", Proposal(np.full((10, 12), 0.7, np.float32), model_id="m"), model_id="m-1")
    project.approve("a.png")
    project.user_name = "'quoted"
    project.reject("b.png", "+not, a lesion\nsecond line")
    project.close()

    monkeypatch.setenv("MEDDISSEG_USER", "cli user")
    out = tmp_path / "exports"
    out.mkdir()
    assert main(["export", str(images), "--format", "audit", "--out", str(out), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    dest = out / "audit"
    assert sorted(document["written"]) == [str(dest / "audit.csv"), str(dest / "audit.json")]

    from_json = read_audit_json(dest / "audit.json")
    from_csv = read_audit_csv(dest / "audit.csv")
    assert from_csv == from_json
    again = Project.open(images)
    log = [r.as_dict() for r in again.history()]
    assert from_json == log[: len(from_json)]
    assert [r["action"] for r in from_json] == ["propose", "approve", "reject"]
    assert from_json[2]["details"]["reason"] == "+not, a lesion\nsecond line"
    # The export itself is in the log afterwards, by the headless user.
    assert (log[-1]["action"], log[-1]["user"], log[-1]["image"]) == ("export", "cli user", None)
    assert log[-1]["details"]["format"] == "audit"
    again.close()
    assert (dest / "audit.csv").read_text(encoding="utf-8").count("'=Dr") == 2  # inert in a spreadsheet
