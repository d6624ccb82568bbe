"""Export menu: authors' layout, COCO JSON, overlays and CSV through the export worker."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QProgressBar
from ui_support import wait_idle


def test_each_export_writes_its_files(qtbot, opened, tmp_path: Path) -> None:
    # Approve two images (A = approve and next) so the exports have content.
    first = opened.workspace.key
    opened.actions["approve"].trigger()
    second = opened.workspace.key
    opened.actions["approve"].trigger()
    out = tmp_path / "exports"
    out.mkdir()
    progress_seen: list[tuple[int, int]] = []
    opened.jobs.jobProgress.connect(lambda done, total, _eta: progress_seen.append((done, total)))

    for name in ("authors", "coco", "overlays", "csv"):
        opened.dialogs.folders.append(out)
        opened.actions[f"export_{name}"].trigger()
        wait_idle(qtbot, opened)
    assert opened.dialogs.errors == []

    images = sorted(p.name for p in (out / "authors_layout" / "images").iterdir())
    masks = sorted(p.name for p in (out / "authors_layout" / "masks").iterdir())
    # One name per pair, <stem>.png in both folders (the authors' loader needs the same name).
    assert images == masks == sorted(n.rsplit(".", 1)[0] + ".png" for n in (first, second))
    coco = json.loads((out / "coco.json").read_text())
    assert {image["file_name"] for image in coco["images"]} == {first, second}
    assert len(list((out / "overlays").glob("*.png"))) == 2
    csv_lines = (out / "summary.csv").read_text().strip().splitlines()
    assert len(csv_lines) == 1 + len(opened.workspace.project.entries)
    assert progress_seen and progress_seen[-1][0] == progress_seen[-1][1]
    assert opened.findChildren(QProgressBar)

    # Export… (Ctrl+E) runs the chosen formats one after another; nothing is overwritten
    # (asked first: test_export_again_asks.py).
    opened.dialogs.exports.append((["coco", "csv"], out))
    opened.dialogs.confirmations.append(True)
    opened.actions["export_dialog"].trigger()
    wait_idle(qtbot, opened)
    assert (out / "coco-2.json").exists() and (out / "summary-2.csv").exists()
