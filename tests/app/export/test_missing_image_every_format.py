"""An image that disappears after the folder was opened (before the export) is reported by every
format the same way, "skipped ...: the image file is missing (path)", and the rest is exported.
Before, labelme crashed with FileNotFoundError, COCO and CSV listed it silently."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_studio.export.formats import FORMATS
from meddisseg_studio.headless import main as headless_main
from meddisseg_studio.state import Project

NAMES = ["a.png", "b.png", "c.png", "d.png"]


@pytest.fixture
def gone(tmp_path: Path) -> tuple[Project, Path]:
    folder = tmp_path / "images"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        cv2.imwrite(str(folder / name), np.full((20, 30, 3), 50 + 20 * i, np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    for name in NAMES:
        mask = np.zeros((20, 30), np.uint8)
        mask[4:9, 6:14] = 1
        project.save_mask(name, mask)
        project.set_status(name, "approved")
    (folder / "b.png").unlink()
    yield project, tmp_path
    project.close()


# The history (audit) is not an export of images: a file gone since does not change what was done.
IMAGE_FORMATS = [f for f in FORMATS if f.name != "audit"]


@pytest.mark.parametrize("fmt", IMAGE_FORMATS, ids=[f.name for f in IMAGE_FORMATS])
def test_every_format_skips_and_goes_on(gone, fmt) -> None:
    project, tmp_path = gone
    result = fmt.run(
        project,
        tmp_path / f"out-{fmt.name}",
        statuses=fmt.default_statuses,
        options=None,
        progress=None,
        should_cancel=None,
    )
    assert [key for key, _why in result.skipped] == ["b.png"]
    assert result.details()[0].startswith("skipped 'b.png': the image file is missing (")
    assert not any(p.name.startswith("b.") for p in result.written)
    if fmt.name == "coco":
        import json

        listed = [i["file_name"] for i in json.loads(result.dest.read_text())["images"]]
        assert listed == ["a.png", "c.png", "d.png"]
    if fmt.name == "csv":
        text = result.dest.read_text()
        assert "b.png" not in text and "c.png" in text


def test_headless_labelme_lists_it_and_exits_1(tmp_path: Path, capsys, monkeypatch) -> None:
    from meddisseg_studio.headless import export_command

    folder = tmp_path / "images"
    folder.mkdir()
    for name in NAMES:
        cv2.imwrite(str(folder / name), np.full((20, 30, 3), 90, np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    for name in NAMES:
        project.save_mask(name, np.ones((20, 30), np.uint8))
        project.set_status(name, "approved")
    project.close()
    real_open = export_command.open_to_read

    def open_then_lose_one(args):  # the file goes while the command runs
        opened = real_open(args)
        (folder / "b.png").unlink()
        return opened

    monkeypatch.setattr(export_command, "open_to_read", open_then_lose_one)
    command = ["export", str(folder), "--state-dir", str(tmp_path / "state"), "--format", "labelme"]
    code = headless_main([*command, "--out", str(tmp_path / "lm")])

    err = capsys.readouterr().err
    assert code == 1
    assert "skipped 'b.png': the image file is missing" in err
    assert (tmp_path / "lm" / "a.json").is_file()
