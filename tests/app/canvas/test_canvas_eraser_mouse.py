from PySide6 import QtCore


def test_eraser_and_alt_brush_remove(rig) -> None:
    rig.mask[:] = 1
    rig.canvas.refresh_region(0, 0, 256, 256)
    rig.canvas.set_tool("eraser")
    rig.canvas.brush_size = 11
    rig.drag([(30, 100), (220, 100)])
    assert rig.mask[100, 40:210].sum() == 0 and rig.mask[0].all()
    rig.canvas.set_tool("brush")
    rig.drag([(30, 200), (220, 200)], modifier=QtCore.Qt.KeyboardModifier.AltModifier)
    assert rig.mask[200, 40:210].sum() == 0
    assert len(rig.edits) == 2
