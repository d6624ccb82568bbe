"""The offline download message is fully visible: every wrapped line fits in the dialog, and the URL
to fetch by hand is shown whole in a read-only field (selectable), not cut off at the dialog's edge."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from meddisseg_core.models.download import _offline_error


def test_failed_download_message_fits_and_url_is_whole(qtbot) -> None:
    from meddisseg_studio.widgets.get_model_dialog import GetModelDialog

    url = "https://github.com/xiaoquan-1/Med-DisSeg/releases/download/v1/checkpoint2.pth"
    dialog = GetModelDialog("shipped: val mDSC 77.4 %.", {"authors-stage2": "stage 2"}, 0, 10)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    dialog.download_ended(
        str(_offline_error(url, "[Errno -3] Temporary failure in name resolution")), failed=True
    )
    qtbot.wait(0)

    assert dialog.manual_url.isVisible() and dialog.manual_url.isReadOnly()
    assert dialog.manual_url.text() == url
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())
    assert "cannot reach github.com" in dialog.download_status.text()
