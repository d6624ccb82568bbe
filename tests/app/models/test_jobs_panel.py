"""The jobs panel builds its plots only when first shown, then follows the epoch points."""

from __future__ import annotations

from meddisseg_core.models.jobrun import EpochPoint
from meddisseg_studio.widgets.jobs_panel import JobsPanel, format_duration


def test_plots_are_built_on_first_show(qtbot) -> None:
    panel = JobsPanel()
    qtbot.addWidget(panel)
    panel.show_points([EpochPoint(1, 0.9, 0.4, 3.0)])
    assert panel.loss_curve is None  # nothing plotted while hidden
    panel.show()
    qtbot.waitExposed(panel)
    assert list(panel.loss_curve.getData()[1]) == [0.9]  # the points that came before the show
    panel.show_points([EpochPoint(1, 0.9, 0.4, 3.0), EpochPoint(2, 0.7, None, 3.2)])
    assert list(panel.loss_curve.getData()[0]) == [1, 2] and list(panel.dice_curve.getData()[0]) == [1]
    panel.show_progress(2, 10, 3.2, 125)
    assert panel.stats.text() == "epoch 2/10 · 3.2 images/s · ETA 02:05"
    assert format_duration(3725) == "1:02:05"
