"""Offline, the download says so plainly, with the URL to fetch by hand and "Load a file" beside it."""

from __future__ import annotations

import socket

from meddisseg_core.models import download as downloads


def test_offline_download_says_what_to_do(qtbot, window, monkeypatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/v1/checkpoint2.pth"
    monkeypatch.setitem(downloads.KNOWN_MODELS, "authors-stage2", (url, "stage 2 (nowhere)"))
    current = window.models.current
    dialog = window.model_windows.open_get_model_dialog()
    dialog.download_choice.setCurrentIndex(dialog.download_choice.findData("authors-stage2"))
    dialog.download_button.click()
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=30_000)

    text = dialog.download_status.text()
    assert "cannot reach" in text and "by hand" in text
    assert dialog.manual_url.text() == url  # the URL in its own field, whole and selectable
    assert dialog.load_file_inline.isVisibleTo(dialog)
    assert window.models.current is current
