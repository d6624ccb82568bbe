def test_click_fills_the_hole(rig) -> None:
    rig.mask[50:150, 50:150] = 1
    rig.mask[80:120, 80:120] = 0
    rig.canvas.refresh_region(0, 0, 256, 256)
    rig.canvas.set_tool("flood_fill")
    rig.click(100, 100)
    assert rig.mask[50:150, 50:150].all() and rig.mask.sum() == 100 * 100
    assert len(rig.edits) == 1 and rig.edits[0].after.shape == (40, 40)
