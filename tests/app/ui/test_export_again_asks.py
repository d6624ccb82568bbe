"""A second export into the same folder asks before writing beside the first (coco-2.json…),
and the result lists every file and folder written."""

from __future__ import annotations

from pathlib import Path

from ui_support import wait_idle


def test_second_export_asks_and_result_lists_what_was_written(qtbot, opened, tmp_path: Path) -> None:
    opened.actions["approve"].trigger()
    opened.actions["approve"].trigger()  # two: the authors' layout needs a train/val split
    out = tmp_path / "exports"
    out.mkdir()
    opened.exports.export(["coco", "authors"], out)
    wait_idle(qtbot, opened)
    title, text = opened.dialogs.infos[-1]
    assert title == "Export finished"
    assert text.startswith(f"Exported 2 of 2 format(s) to {out}")
    assert str(out / "coco.json") in text
    # A folder export names each top-level file and folder it wrote.
    assert f"{out / 'authors_layout'}/" in text
    for part in ("images/ (2 files)", "masks/ (2 files)", "train.txt", "val.txt"):
        assert part in text, text

    # Again into the same folder: asked first; refusing writes nothing.
    opened.dialogs.confirmations.append(False)
    opened.exports.export(["coco"], out)
    wait_idle(qtbot, opened)
    assert "coco.json" in opened.dialogs.asked[-1] and "coco-2.json" in opened.dialogs.asked[-1]
    assert not (out / "coco-2.json").exists()
    assert "cancelled" in opened.statusBar().currentMessage().lower()

    # Accepting writes beside it, and the result says why the name differs.
    opened.dialogs.confirmations.append(True)
    opened.exports.export(["coco"], out)
    wait_idle(qtbot, opened)
    assert (out / "coco-2.json").is_file() and (out / "coco.json").is_file()
    title, text = opened.dialogs.infos[-1]
    assert str(out / "coco-2.json") in text and "coco.json was already there" in text
    assert opened.dialogs.errors == []
