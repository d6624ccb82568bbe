def test_fill_holes_remove_islands_clear_emit_edits(rig) -> None:
    rig.mask[50:150, 50:150] = 1
    rig.mask[80:90, 80:90] = 0
    rig.mask[200, 200] = 1
    edit = rig.canvas.run_operation("fill_holes")
    assert rig.mask[80:90, 80:90].all() and edit is rig.edits[-1]
    rig.canvas.run_operation("remove_islands", min_size=5)
    assert rig.mask[200, 200] == 0 and rig.mask[50:150, 50:150].all()
    rig.canvas.run_operation("clear")
    assert rig.mask.sum() == 0
    assert len(rig.edits) == 3
    assert rig.canvas.run_operation("clear") is None and len(rig.edits) == 3  # nothing to change
