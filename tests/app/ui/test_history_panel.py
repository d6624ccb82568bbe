"""The History panel shows the current image's log in order: local time, user, action, model
and the mask's short sha256; it follows the image on screen and a new stroke."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import wait_idle

from meddisseg_studio.state.audit import mask_sha256
from meddisseg_studio.widgets.history_panel import local_time

SHA = "cd" * 32


def test_history_shows_each_step_of_the_image_on_screen(qtbot, opened, constant_predictor) -> None:
    window, project = opened, opened.workspace.project
    project.user_name = "Reader One"
    panel = window.history.panel
    window.proposals.set_predictor(constant_predictor, "constant")
    window.proposals.model_identity = lambda: ("const-1", SHA)
    first = window.workspace.key
    window.actions["propose_current"].trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(panel.row_texts()) == 1)
    assert panel.row_texts()[0][2].startswith("proposed")

    window.canvas.set_tool("brush")
    window.canvas.brush_size = 5
    corner = window.canvas.image_to_viewport(3, 3)
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), corner)
    qtbot.waitUntil(lambda: len(panel.row_texts()) == 3)  # the mask row comes from the autosave thread
    window.actions["approve"].trigger()  # and on to the next image
    assert window.workspace.key != first
    assert panel.row_texts() == []  # the next image has no history yet

    window.workspace.show_image(first)
    rows = panel.row_texts()
    times, users, actions, models, masks = zip(*rows, strict=True)
    assert actions == (
        "proposed (threshold 0.50)",
        "proposed → edited",
        "mask: brush",
        "approved",
    )
    assert set(users) == {"Reader One"}
    # Local and short: the time of day for today's rows (a date too for older ones).
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times)
    assert local_time("2020-01-02T03:04:05.000+00:00", today=date(2026, 1, 1)).startswith("2020-01-0")
    assert models[0] == f"const-1 · {SHA[:12]}"
    final = mask_sha256(project.load_mask(first))[:12]
    assert masks[2] == masks[3] == final
    assert first in panel.caption.text() and "4" in panel.caption.text()
