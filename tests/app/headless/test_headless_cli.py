"""Headless export/import commands: exit codes, JSON output, destinations, bad input listed."""

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.headless import main
from meddisseg_studio.state import Project


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    images = tmp_path / "images"
    images.mkdir()
    for name in ("a.png", "b.png", "c.png"):
        cv2.imwrite(str(images / name), np.full((10, 12, 3), 50, np.uint8))
    project = Project.open(images)
    project.approve("a.png", np.eye(10, 12, dtype=np.uint8))
    project.approve("b.png", np.ones((10, 12), np.uint8))
    project.reject("c.png", "=blurred")
    project.close()
    return images


def test_export_into_an_existing_folder_uses_the_default_name(folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    assert main(["export", str(folder), "--format", "coco", "--out", str(out), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["written"] == [str(out / "coco.json")]
    assert len(json.loads((out / "coco.json").read_text())["images"]) == 2
    assert main(["export", str(folder), "--format", "coco", "--out", str(out)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_status_filter_and_unknown_status(folder: Path, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "rejected.csv"
    assert main(["export", str(folder), "--format", "csv", "--out", str(dest), "--status", "rejected"]) == 0
    lines = dest.read_text().splitlines()
    assert len(lines) == 2 and lines[1].startswith("c.png,rejected") and "'=blurred" in lines[1]
    out = str(tmp_path / "x.csv")
    code = main(["export", str(folder), "--format", "csv", "--out", out, "--status", "done"])
    assert code == 2 and "unknown status 'done'" in capsys.readouterr().err


def test_import_reports_bad_files_with_exit_code_1(folder: Path, tmp_path: Path, capsys) -> None:
    masks = tmp_path / "masks"
    masks.mkdir()
    cv2.imwrite(str(masks / "a.png"), np.zeros((10, 12), np.uint8))  # approved: kept
    cv2.imwrite(str(masks / "c.png"), np.zeros((3, 3), np.uint8))  # wrong size
    code = main(["import", str(folder), "--from", "masks", str(masks), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert document["imported"] == [] and [s["key"] for s in document["skipped"]] == ["a.png"]
    assert [f["item"] for f in document["failed"]] == ["c.png"]
    assert main(["import", str(folder), "--from", "coco", str(tmp_path / "missing.json")]) == 2
