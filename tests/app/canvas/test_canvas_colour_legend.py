"""The colour legend shows the very colour map and range that the heat layer draws."""

import numpy as np
import qimage2ndarray

from meddisseg_studio.widgets.canvas import ViewMode
from meddisseg_studio.widgets.canvas_layers import heat_lut


def _bar_pixels(legend) -> np.ndarray:
    image = qimage2ndarray.rgb_view(legend.grab().toImage())
    rect = legend.bar_rect().toRect()
    return image[rect.center().y(), rect.left() : rect.right() + 1].astype(int)


def test_probability_legend_matches_the_layer(rig) -> None:
    canvas = rig.canvas
    canvas.set_probability(np.tile(np.linspace(0, 1, 256, dtype=np.float32), (256, 1)))
    canvas.set_view_mode(ViewMode.PROBABILITY)
    legend = canvas.legend
    assert legend.isVisible() and legend.title == "Probability"
    assert legend.value_range == (0.0, 1.0) and legend.labels() == ["0.00", "0.50", "1.00"]
    lut = heat_lut(ViewMode.PROBABILITY)
    assert canvas._maps.layer.lut is lut  # the layer draws with the table the legend shows
    bar = _bar_pixels(legend)
    assert np.abs(bar[0] - lut[0]).max() <= 2 and np.abs(bar[-1] - lut[-1]).max() <= 2
    assert np.abs(bar[len(bar) // 2] - lut[128]).max() <= 8
    # The legend sits over the canvas, inside it.
    assert canvas.rect().contains(legend.geometry())


def test_uncertainty_legend_spans_zero_to_the_maps_maximum(rig) -> None:
    canvas = rig.canvas
    canvas.set_probability(np.full((256, 256), 0.5, np.float32))
    unc = np.zeros((256, 256), np.float32)
    unc[10, 10] = 0.25
    canvas.set_uncertainty(unc)
    canvas.set_view_mode(ViewMode.UNCERTAINTY)
    legend = canvas.legend
    assert legend.title == "Uncertainty" and legend.value_range == (0.0, 0.25)
    bar = _bar_pixels(legend)
    lut = heat_lut(ViewMode.UNCERTAINTY)
    assert np.abs(bar[-1] - lut[-1]).max() <= 2  # viridis yellow at the top
    canvas.set_view_mode(ViewMode.MASK)
    assert not legend.isVisible()
