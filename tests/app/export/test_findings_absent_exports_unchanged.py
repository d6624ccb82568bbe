"""Without a findings schema and comments, the findings add nothing to the COCO, CSV and labelme exports.

Each export is compared byte for byte with the same export made with the findings layer cut out
(no schema, lesions straight from ``lesion_regions``, no comment), so whatever else the writers
learn later, the findings never change a file of a folder that does not use them. (At commit
94640a1, before findings existed, these files were also byte-identical to the old writers' output.)
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from meddisseg_studio.export import coco, labelme
from meddisseg_studio.export import csv as csv_export
from meddisseg_studio.export.csv import COLUMNS
from meddisseg_studio.state.findings import ImageFindings, Lesion
from meddisseg_studio.state.lesions import lesion_regions


def _without_findings(project, key, mask, min_area) -> ImageFindings:
    regions = lesion_regions(mask, min_area) if mask is not None else []
    lesions = tuple(Lesion(n, r, int(r.sum()), None) for n, r in enumerate(regions, start=1))
    return ImageFindings(key, lesions)


def _exports(project, out: Path) -> dict[str, bytes]:
    coco.write_coco(project, out / "coco.json")
    csv_export.write_csv(project, out / "summary.csv")
    labelme.write_labelme(project, out / "labelme")
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_no_schema_exports_as_without_findings(reviewed_project, tmp_path: Path, monkeypatch) -> None:
    assert reviewed_project.findings.schema is None
    ours = _exports(reviewed_project, tmp_path / "ours")

    document = json.loads(ours["coco.json"])
    assert all("attributes" not in a for a in document["annotations"]) and document["annotations"]
    assert all("comment" not in image for image in document["images"])
    assert next(csv.reader(ours["summary.csv"].decode().splitlines())) == list(COLUMNS)
    for name, data in ours.items():
        if name.startswith("labelme/") and name.endswith(".json"):
            page = json.loads(data)
            assert "comment" not in page and page["flags"] == {}
            assert all(s["flags"] == {} and "\n" not in s["description"] for s in page["shapes"])

    for module in (coco, csv_export, labelme):
        monkeypatch.setattr(module, "export_schema", lambda project: None)
        monkeypatch.setattr(module, "image_findings", _without_findings)
    monkeypatch.setattr(reviewed_project.findings, "has_comments", lambda: False)
    assert _exports(reviewed_project, tmp_path / "cut") == ours


def test_a_comment_alone_adds_only_the_comment(reviewed_project, tmp_path: Path) -> None:
    reviewed_project.findings.set_comment("p1.png", "check the margin")
    document = json.loads(coco.write_coco(reviewed_project, tmp_path / "coco.json").dest.read_text())
    assert [image.get("comment") for image in document["images"]] == ["check the margin", None, None, None]
    assert all("attributes" not in a for a in document["annotations"])
