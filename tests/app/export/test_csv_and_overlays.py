import csv
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.export import export_csv, export_overlays, render_overlay
from meddisseg_studio.state import Project


def test_csv_has_one_row_per_image_with_review_numbers(reviewed_project: Project, tmp_path: Path) -> None:
    dest = export_csv(reviewed_project, tmp_path / "review.csv")
    with open(dest, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["key"] for r in rows] == [e.key for e in reviewed_project.entries]
    by_key = {r["key"]: r for r in rows}
    assert by_key["p5.png"]["status"] == "rejected"
    assert by_key["p5.png"]["reject_reason"] == "motion blur, unusable"
    assert float(by_key["p1.png"]["proposal_dice"]) == 1.0
    assert float(by_key["p1.png"]["edited_fraction"]) == 0.0
    assert 0.0 < float(by_key["p2.jpg"]["uncertainty"]) <= 1.0
    assert by_key["p5.png"]["proposal_dice"] == ""


def test_overlay_tints_inside_and_draws_the_outline() -> None:
    rgb = np.zeros((20, 20, 3), np.uint8)
    mask = np.zeros((20, 20), np.uint8)
    mask[5:15, 5:15] = 1
    out = render_overlay(rgb, mask, colour=(0, 0, 200), opacity=0.5, outline=(255, 0, 0), thickness=1)
    assert tuple(out[10, 10]) == (0, 0, 100)
    assert tuple(out[5, 10]) == (255, 0, 0)
    assert tuple(out[0, 0]) == (0, 0, 0)


def test_overlay_export_writes_one_png_per_approved_image(reviewed_project: Project, tmp_path: Path) -> None:
    dest = export_overlays(reviewed_project, tmp_path / "overlays")
    names = sorted(p.name for p in dest.iterdir())
    assert names == ["p1.png", "p2.png", "p3.png", "p4.png"]  # <stem>.png, never x.jpg.png
    picture = cv2.imread(str(dest / "p2.png"))
    assert picture.shape == (31, 9, 3)
