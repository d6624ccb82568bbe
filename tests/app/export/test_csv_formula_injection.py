"""CSV cells that a spreadsheet would run as formulas are neutralised (OWASP: leading quote)."""

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export import write_csv
from meddisseg_studio.export.csv import neutralise
from meddisseg_studio.state import Project

TRIGGERS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\ry"]


@pytest.mark.parametrize("text", TRIGGERS)
def test_formula_triggers_get_a_leading_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["polyp", "", "1.5", "'already", " =spaced", "a=b"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


def test_file_names_and_reject_reasons_are_written_inert(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("=HYPERLINK(x).png", "@evil.png", "fine.png"):
        cv2.imwrite(str(folder / name), np.zeros((4, 4, 3), np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    project.reject("fine.png", '=cmd|" /C calc"!A0')
    project.reject("@evil.png", "-1+1")
    project.approve("=HYPERLINK(x).png", np.ones((4, 4), np.uint8))
    result = write_csv(project, tmp_path / "review.csv")
    with open(result.dest, newline="", encoding="utf-8") as stream:
        rows = {row["key"]: row for row in csv.DictReader(stream)}
    assert set(rows) == {"'=HYPERLINK(x).png", "'@evil.png", "fine.png"}
    assert rows["fine.png"]["reject_reason"] == '\'=cmd|" /C calc"!A0'
    assert rows["'@evil.png"]["reject_reason"] == "'-1+1"
    assert rows["'=HYPERLINK(x).png"]["proposal_dice"] == ""  # numbers and blanks untouched
    assert rows["'=HYPERLINK(x).png"]["lesions"] == "0"  # 16 px: below the default minimum area
