"""A slow CPU job's speed reads as seconds per image, never as "0.0 images/s"; a time-budget
run shows no epoch count (it stops on time)."""

from __future__ import annotations

from meddisseg_studio.widgets.jobs_panel import JobsPanel, format_speed


def test_slow_speed_is_readable(qtbot) -> None:
    assert format_speed(0.04) == "25.0 s per image"
    assert format_speed(3.24) == "3.2 images/s"
    panel = JobsPanel()
    qtbot.addWidget(panel)
    panel.show_progress(1, 0, 0.04, 600)
    assert panel.stats.text() == "epoch 1 (time budget) · 25.0 s per image · ETA 10:00"
