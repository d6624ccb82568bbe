"""Imported lesion values are checked against the target folder's schema: a refused value is
listed and not stored (the others are), another tool's attribute is ignored with a note; a folder
without a schema stores none and says so."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.export.coco import mask_to_annotation
from meddisseg_studio.imports import ImportAs, import_coco
from meddisseg_studio.state import Project

SCHEMA = """
[[attributes]]
name = "paris"
type = "enum"
choices = ["0-Is", "0-IIa"]
[[attributes]]
name = "size_mm"
type = "number"
max = 50
"""


def _coco(tmp_path: Path, mask: np.ndarray) -> Path:
    annotation = mask_to_annotation(mask, 1, 1, 1)
    annotation["attributes"] = {"paris": "0-IV", "size_mm": 12, "occluded": False}  # occluded: CVAT's
    document = {
        "images": [{"id": 1, "file_name": "a.png", "height": 40, "width": 50, "comment": "seen twice"}],
        "annotations": [annotation],
        "categories": [{"id": 1, "name": "lesion"}],
    }
    path = tmp_path / "coco.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_imported_values_are_checked(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.zeros((40, 50, 3), np.uint8))
    mask = np.zeros((40, 50), np.uint8)
    mask[10:30, 10:30] = 1
    source = _coco(tmp_path, mask)
    (tmp_path / "schema.toml").write_text(SCHEMA, encoding="utf-8")

    checked = Project.open(folder, state_dir=tmp_path / "checked")
    checked.findings.install_schema(tmp_path / "schema.toml")
    report = import_coco(checked, source, as_status=ImportAs.APPROVED)
    assert report.imported == ["a.png"]
    assert len(report.failed) == 1 and "paris" in report.failed[0][1] and "'0-IV'" in report.failed[0][1]
    found = checked.findings.resolve("a.png", checked.load_mask("a.png"), checked.min_lesion_area)
    assert [lesion.values for lesion in found.lesions] == [{"size_mm": 12.0}]
    assert found.comment == "seen twice"
    assert any("'occluded' is not in the findings schema" in note for note in report.notes)

    plain = Project.open(folder, state_dir=tmp_path / "plain")
    report = import_coco(plain, source, as_status=ImportAs.APPROVED)
    assert report.imported == ["a.png"] and report.failed == []
    assert any("no findings schema" in note for note in report.notes)
    assert plain.findings.findings("a.png") == []
    assert plain.findings.comment("a.png") == "seen twice"
