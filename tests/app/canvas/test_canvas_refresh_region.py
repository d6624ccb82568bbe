import numpy as np


def test_refresh_region_shows_changes_made_by_the_session(rig) -> None:
    pixels = rig.canvas.overlay.pixels
    rig.mask[10:20, 30:50] = 1  # e.g. EditSession.undo() writing a patch
    assert not pixels[10:20, 30:50].any()  # not redrawn yet
    rig.canvas.refresh_region(10, 30, 10, 20)
    assert pixels[10:20, 30:50].all() and not pixels[:10].any()
    rig.mask[10:20, 30:50] = 0
    rig.canvas.refresh_region(10, 30, 10, 20)
    assert not np.any(pixels)
