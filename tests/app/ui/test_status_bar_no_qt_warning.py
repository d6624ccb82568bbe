"""Building the canvas adds the pointer readout and the tool hint to the status bar without Qt's
"QStatusBar::insertPermanentWidget: Index out of range (0)" (printed at every launch before)."""

from __future__ import annotations


def test_canvas_status_widgets_raise_no_qt_warning(qtbot, qtlog, opened) -> None:
    assert opened.canvas is not None  # builds it: the status-bar widgets come with it
    qtbot.waitUntil(lambda: opened.pointer_status is not None and opened.tool_status is not None)

    messages = [record.message for record in qtlog.records]
    assert not [m for m in messages if "insertPermanentWidget" in m], messages
    bar = opened.statusBar()
    # the hint stretches on the left; the readout sits before the progress and device labels
    assert bar.isAncestorOf(opened.tool_status) and bar.isAncestorOf(opened.pointer_status)
    assert opened.pointer_status.x() < opened.device_label.x()
