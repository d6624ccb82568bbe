"""Remove islands (I) uses the size from the Tools panel, and its tip names that size."""

from __future__ import annotations

from meddisseg_studio.state.edits import MaskEdit


def test_island_size_is_honoured(qtbot, opened) -> None:
    mask = opened.workspace.session.mask
    before = mask.copy()
    after = before.copy()
    after[5:10, 5:15] = 1  # a 50-pixel island
    after[30:50, 40:60] = 1  # a 400-pixel region that must always stay
    opened.canvas.editCommitted.emit(MaskEdit(0, 0, before, after))
    assert int(mask.sum()) == 450

    opened.tool_options.island_spin.setValue(40)
    assert "40 pixels" in opened.actions["remove_islands"].toolTip()
    opened.actions["remove_islands"].trigger()
    assert int(mask.sum()) == 450  # 50 >= 40: the island survives

    opened.tool_options.island_spin.setValue(64)
    assert "64 pixels" in opened.actions["remove_islands"].toolTip()
    opened.actions["remove_islands"].trigger()
    assert not mask[5:10, 5:15].any()  # 50 < 64: gone
    assert mask[30:50, 40:60].all()
    assert int(mask.sum()) == 400
    opened.actions["undo"].trigger()  # one undoable edit
    assert int(mask.sum()) == 450
