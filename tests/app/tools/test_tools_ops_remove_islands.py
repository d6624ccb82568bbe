import numpy as np
import pytest

from meddisseg_studio.tools import ops


def test_islands_below_the_size_go_the_rest_stays() -> None:
    mask = np.zeros((64, 64), np.uint8)
    mask[5:15, 5:15] = 1  # 100 px
    mask[40:43, 40:43] = 1  # 9 px
    mask[60, 60] = 1  # 1 px
    result = ops.remove_islands(mask, 10)
    assert result[5:15, 5:15].all()
    assert result.sum() == 100
    assert ops.remove_islands(mask, 9).sum() == 109  # strictly smaller than N is removed
    assert mask.sum() == 110  # the input is untouched


def test_negative_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="min_size"):
        ops.remove_islands(np.zeros((4, 4), np.uint8), -1)
