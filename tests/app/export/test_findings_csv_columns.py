"""With a schema the CSV has one ``lesion_<name>`` column per attribute (the lesions' values in
lesion order, joined by "; ", an unset one left empty) and a ``comment`` column."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from meddisseg_studio.export.common import ExportOptions
from meddisseg_studio.export.csv import COLUMNS, write_csv

SCHEMA = """
[[attributes]]
name = "paris"
type = "enum"
choices = ["0-Is", "0-IIa"]
[[attributes]]
name = "size_mm"
type = "number"
unit = "mm"
"""


def test_csv_columns_per_attribute(reviewed_project, tmp_path: Path) -> None:
    project = reviewed_project
    (tmp_path / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    project.findings.install_schema(tmp_path / "schema.toml")
    mask = np.zeros((17, 23), np.uint8)
    mask[1:8, 1:9] = 1  # lesion 1: 56 px
    mask[10:16, 12:20] = 1  # lesion 2: 48 px
    project.approve("p1.png", mask)
    book, area = project.findings, 10
    book.set_value("p1.png", mask, area, 1, "paris", "0-IIa")
    book.set_value("p1.png", mask, area, 2, "paris", "0-Is")
    book.set_value("p1.png", mask, area, 2, "size_mm", "4.5")
    book.set_comment("p2.jpg", "=cmd, not a formula")
    dest = write_csv(project, tmp_path / "s.csv", options=ExportOptions(min_lesion_area=area)).dest
    with open(dest, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == (*COLUMNS, "lesion_paris", "lesion_size_mm", "comment")
    by_key = {row["key"]: row for row in rows}
    assert (by_key["p1.png"]["lesion_paris"], by_key["p1.png"]["lesion_size_mm"]) == ("0-IIa; 0-Is", "; 4.5")
    assert by_key["p2.jpg"]["comment"] == "'=cmd, not a formula"  # neutralised like every cell
    assert by_key["p5.png"]["lesion_paris"] == "" and by_key["p5.png"]["comment"] == ""
