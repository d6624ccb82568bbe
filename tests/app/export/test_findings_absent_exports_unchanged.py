"""Without a findings schema and comments, the COCO, CSV and labelme exports are what they were.

The digests are those of the files the exporters wrote for this fixture before findings existed
(commit 94640a1, the same fixture): byte for byte the same. labelme's files are checked by
their keys (no flags, no comment, the old descriptions).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from meddisseg_studio.export.coco import write_coco
from meddisseg_studio.export.csv import COLUMNS, write_csv
from meddisseg_studio.export.labelme import write_labelme

BEFORE = {
    "coco.json": "97d1751c8ef8d03c6b6ca9828499a135fc4aa1b0c1956f12f146fa29fc99064c",
    "summary.csv": "0095adae15b5fa6b7928555e1d19430682daf4335b4a47e97dd5bbaf27cac043",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_schema_exports_as_before(reviewed_project, tmp_path: Path) -> None:
    assert reviewed_project.findings.schema is None
    coco = write_coco(reviewed_project, tmp_path / "coco.json").dest
    table = write_csv(reviewed_project, tmp_path / "summary.csv").dest
    labelme = write_labelme(reviewed_project, tmp_path / "labelme").dest

    document = json.loads(coco.read_text())
    assert all("attributes" not in a for a in document["annotations"]) and document["annotations"]
    assert all("comment" not in image for image in document["images"])
    with open(table, newline="", encoding="utf-8") as stream:
        assert tuple(next(csv.reader(stream))) == COLUMNS
    for path in sorted(labelme.glob("*.json")):
        page = json.loads(path.read_text())
        assert "comment" not in page and page["flags"] == {}
        for shape in page["shapes"]:
            assert shape["flags"] == {} and "\n" not in shape["description"]
    assert {name: _sha256(tmp_path / name) for name in BEFORE} == BEFORE


def test_a_comment_alone_adds_only_the_comment(reviewed_project, tmp_path: Path) -> None:
    reviewed_project.findings.set_comment("p1.png", "check the margin")
    document = json.loads(write_coco(reviewed_project, tmp_path / "coco.json").dest.read_text())
    assert [image.get("comment") for image in document["images"]] == ["check the margin", None, None, None]
    assert all("attributes" not in a for a in document["annotations"])
