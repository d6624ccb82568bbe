import numpy as np
import pytest

from meddisseg_core.errors import MaskError


def test_mismatched_or_non_binary_masks_are_refused(rig) -> None:
    with pytest.raises(MaskError, match="does not match"):
        rig.canvas.set_mask(np.zeros((100, 256), np.uint8))
    with pytest.raises(MaskError, match="0/1"):
        rig.canvas.set_mask(np.full((256, 256), 255, np.uint8))
    with pytest.raises(MaskError, match="uint8"):
        rig.canvas.set_mask(np.zeros((256, 256), np.float32))
    assert rig.canvas.mask is rig.mask  # a refused mask leaves the current one in place


def test_new_image_size_drops_the_old_mask(rig) -> None:
    rig.canvas.set_image(np.zeros((64, 80, 3), np.uint8))
    assert rig.canvas.mask is None
    rig.click(10, 10)  # no mask: tools do nothing, nothing is committed
    assert rig.edits == []
