"""Get a model > Download: progress with size and speed, then the model is registered and used."""

from __future__ import annotations

from finetune_support import authors_pth

from meddisseg_core.models import ModelRegistry
from meddisseg_core.models import download as downloads


def test_download_from_the_dialog(qtbot, window, server, monkeypatch) -> None:
    payload = authors_pth()
    server.behaviour.files["/v1/checkpoint2.pth"] = payload
    url = server.url("/v1/checkpoint2.pth")
    monkeypatch.setitem(downloads.KNOWN_MODELS, "authors-stage2", (url, "stage 2 (test server)"))
    dialog = window.model_windows.open_get_model_dialog()
    shown = []
    show_progress = dialog.download_progress

    def record(done: int, total: int, speed: float) -> None:
        show_progress(done, total, speed)
        shown.append((done, total, speed, dialog.download_status.text()))

    dialog.download_progress = record
    dialog.download_choice.setCurrentIndex(dialog.download_choice.findData("authors-stage2"))
    dialog.download_button.click()
    qtbot.waitUntil(
        lambda: window.models.current is not None and window.models.current.url == url, timeout=30_000
    )

    done, total, speed, text = shown[-1]
    assert done == total == len(payload) and speed > 0
    assert f"of {len(payload) / 1e6:.1f} MB at" in text and "MB/s" in text
    record_ = ModelRegistry().get(window.models.current.id)
    assert record_.source == "downloaded" and record_.url == url
    assert ModelRegistry().current_id(window.workspace.project.folder) == record_.id
    assert f"({record_.id})" in window.model_panel.model_label.text()
    assert window.dialogs.errors == []
