import numpy as np
import qimage2ndarray

from meddisseg_studio.widgets.canvas import ViewMode


def _shot(canvas) -> np.ndarray:
    return qimage2ndarray.rgb_view(canvas.grab().toImage()).copy()


def test_each_mode_renders_and_outline_differs_from_mask(rig) -> None:
    rig.mask[60:200, 60:200] = 1
    rig.canvas.refresh_region(0, 0, 256, 256)
    rig.canvas.set_probability(np.tile(np.linspace(0, 1, 256, dtype=np.float32), (256, 1)))
    rig.canvas.set_uncertainty(np.random.default_rng(0).random((256, 256), dtype=np.float32))
    shots = {}
    for mode in ViewMode:
        rig.canvas.set_view_mode(mode)
        shots[mode] = _shot(rig.canvas)
        assert shots[mode].std() > 1.0, mode  # not blank
    centre = rig.at(128, 128)
    cy, cx = centre.y(), centre.x()
    # Inside the mask: filled in MASK mode, the bare image in OUTLINE mode.
    assert not np.array_equal(shots[ViewMode.MASK][cy, cx], shots[ViewMode.OUTLINE][cy, cx])
    assert np.array_equal(shots[ViewMode.OUTLINE][cy, cx], shots[ViewMode.NONE][cy, cx])
    assert not np.array_equal(shots[ViewMode.PROBABILITY], shots[ViewMode.UNCERTAINTY])

    # The outline draws something, but far fewer pixels than the filled mask.
    def changed(mode: ViewMode) -> int:
        return int(np.any(shots[mode] != shots[ViewMode.NONE], axis=2).sum())

    assert 0 < changed(ViewMode.OUTLINE) < changed(ViewMode.MASK) / 5


def test_mask_style_changes_the_colour(rig) -> None:
    from PySide6 import QtGui

    rig.mask[60:200, 60:200] = 1
    rig.canvas.refresh_region(0, 0, 256, 256)
    p = rig.at(128, 128)
    rig.canvas.set_mask_style(QtGui.QColor(255, 0, 0), 1.0)
    red = _shot(rig.canvas)[p.y(), p.x()]
    assert red[0] > 200 and red[1] < 50
    rig.canvas.set_mask_style(QtGui.QColor(0, 0, 255), 1.0)
    assert _shot(rig.canvas)[p.y(), p.x()][2] > 200
