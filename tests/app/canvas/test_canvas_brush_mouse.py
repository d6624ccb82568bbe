import numpy as np


def test_mouse_drag_paints_a_line_into_the_shared_mask(rig) -> None:
    rig.canvas.set_tool("brush")
    rig.canvas.brush_size = 9
    before = rig.mask.copy()
    rig.drag([(40, 60), (120, 60), (200, 60)])
    assert rig.canvas.mask is rig.mask  # the canvas edited the caller's array, not a copy
    assert rig.mask[60, 45:195].all()
    assert rig.mask[:50].sum() == 0 and rig.mask[70:].sum() == 0
    assert len(rig.edits) == 1  # one edit for the whole stroke
    edit = rig.edits[0]
    h, w = edit.after.shape
    assert np.array_equal(before[edit.y0 : edit.y0 + h, edit.x0 : edit.x0 + w], edit.before)
    assert np.array_equal(rig.mask[edit.y0 : edit.y0 + h, edit.x0 : edit.x0 + w], edit.after)


def test_click_stamps_a_disc(rig) -> None:
    rig.canvas.brush_size = 15
    rig.click(128, 128)
    rows, cols = np.nonzero(rig.mask)
    assert 13 <= rows.max() - rows.min() + 1 <= 17 and 13 <= cols.max() - cols.min() + 1 <= 17
    assert abs(rows.mean() - 128) < 2 and abs(cols.mean() - 128) < 2
    assert len(rig.edits) == 1
