import numpy as np


def test_lasso_drag_fills_the_loop(rig) -> None:
    rig.canvas.set_tool("lasso")
    t = np.linspace(0, 2 * np.pi, 30, endpoint=False)
    rig.drag([(128 + 60 * np.cos(a), 128 + 60 * np.sin(a)) for a in t])
    assert rig.mask[128, 128] == 1 and rig.mask[10, 10] == 0
    area = int(rig.mask.sum())
    assert abs(area - np.pi * 60**2) < 0.1 * np.pi * 60**2
    assert len(rig.edits) == 1
