"""The image list says why an image cannot be shown: the listing's error, or None for a good one."""

from __future__ import annotations

from pathlib import Path

from meddisseg_studio.state.model import ImageEntry
from meddisseg_studio.widgets.image_list import ImageListPanel


def test_error_of_is_the_entry_error_not_the_row_tooltip(qtbot) -> None:
    panel = ImageListPanel()
    qtbot.addWidget(panel)
    bad = ImageEntry("bad.png", Path("/data/bad.png"), error="not an image: truncated PNG")
    panel.set_entries([ImageEntry("good.png", Path("/data/good.png")), bad])
    assert panel.error_of("bad.png") == "not an image: truncated PNG"
    assert panel.error_of("good.png") is None
    assert panel.error_of("missing.png") is None
