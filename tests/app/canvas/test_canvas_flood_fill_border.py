"""Through the canvas: a click on an open region fills nothing and says so; Shift+click fills it."""

from PySide6 import QtCore


def test_click_on_an_empty_mask_fills_nothing_until_shift_is_held(rig) -> None:
    messages: list[str] = []
    rig.canvas.statusMessage.connect(messages.append)
    rig.canvas.set_tool("flood_fill")
    rig.click(100, 100)
    assert rig.mask.sum() == 0 and rig.edits == []
    assert messages and "border" in messages[-1] and "Shift" in messages[-1]

    rig.click(100, 100, QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert rig.mask.all() and len(rig.edits) == 1


def test_alt_shift_clears_a_region_touching_the_border(rig) -> None:
    rig.mask[:, :128] = 1
    rig.canvas.refresh_region(0, 0, 256, 256)
    rig.canvas.set_tool("flood_fill")
    alt = QtCore.Qt.KeyboardModifier.AltModifier
    rig.click(40, 40, alt)
    assert rig.mask.sum() == 256 * 128 and rig.edits == []
    rig.click(40, 40, alt | QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert rig.mask.sum() == 0 and len(rig.edits) == 1
